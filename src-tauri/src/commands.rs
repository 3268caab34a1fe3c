//! Tauri commands: each is a few lines over an `Engine` method of the same name, on the engine in
//! use (`Active`: the demo's or the seller's). Credentials always go to the seller's engine.
//! Errors cross as `ipc::CommandError` (converted in the engine's `engine/views.rs`).

use crate::active::Active;
use brickdesk_ipc::{
    AllegroCredentialsInput, AllegroLink, AllegroOffer, AllegroSettings, AppInfo, BricklinkCredentialsInput, BrickowlCredentialsInput,
    CatalogColor, CatalogPart, CatalogQuery, CatalogRecent, CommandError, ConnectionTest, CredentialStatus, DriftChoice, DriftReport,
    ErrorCode, ImportReport, InboxEntry, InboxRetried, InventoryAddInput, InventoryLot, InventoryPage, InventoryQuery,
    InventoryUpdateInput, OrderDetail, OrderSummary, OrdersPage, OrdersPickInput, OrdersQuery, Provider, StatusSnapshot, SyncRetried,
};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub fn app_info(active: State<'_, Active>) -> AppInfo {
    active.engine().app_info()
}

#[tauri::command]
pub async fn credentials_status(active: State<'_, Active>) -> Result<Vec<CredentialStatus>, CommandError> {
    Ok(active.seller().credentials_status().await?)
}

/// Saves to the keyring; on the demo store, switches to the seller's store at once.
#[tauri::command]
pub async fn credentials_set_bricklink(
    app: AppHandle,
    active: State<'_, Active>,
    input: BricklinkCredentialsInput,
) -> Result<CredentialStatus, CommandError> {
    let status = active.seller().credentials_set(Provider::Bricklink, to_json(&input)?).await?;
    active.leave_demo(&app);
    Ok(status)
}

/// Saves to the keyring; on the demo store, switches to the seller's store at once.
#[tauri::command]
pub async fn credentials_set_brickowl(
    app: AppHandle,
    active: State<'_, Active>,
    input: BrickowlCredentialsInput,
) -> Result<CredentialStatus, CommandError> {
    let status = active.seller().credentials_set(Provider::Brickowl, to_json(&input)?).await?;
    active.leave_demo(&app);
    Ok(status)
}

/// Saves Allegro's app registration to the keyring; the account is linked afterwards
/// (`allegro_link_start`, `allegro_link_wait`), so this alone does not leave the demo.
#[tauri::command]
pub async fn credentials_set_allegro(
    app: AppHandle,
    active: State<'_, Active>,
    input: AllegroCredentialsInput,
) -> Result<CredentialStatus, CommandError> {
    let status = active.seller().credentials_set(Provider::Allegro, to_json(&input)?).await?;
    active.tell_window_if_demo(&app, "credentials-changed");
    Ok(status)
}

/// Starts linking the seller's Allegro account (device flow) with the saved registration: the
/// code and page the seller approves BrickDesk on. The page is also opened in the browser (the
/// window shows it as a link too, for when no browser opens).
#[tauri::command]
pub async fn allegro_link_start(app: AppHandle, active: State<'_, Active>) -> Result<AllegroLink, CommandError> {
    let link = active.seller().allegro_link_start().await?;
    open_in_browser(&app, &link.verification_uri_complete);
    Ok(link)
}

/// Opens a web page the marketplace named in the desktop's browser; only `http(s)` addresses,
/// and a failure is logged, never an error (the window shows the link).
fn open_in_browser(app: &AppHandle, url: &str) {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("https" | "http")) || url.chars().any(char::is_whitespace) {
        tracing::warn!("not opening Allegro's approval page: not a web address");
        return;
    }
    if let Err(e) = app.opener().open_url(url, None::<&str>) {
        tracing::warn!(error = %e, "cannot open Allegro's approval page in the browser");
    }
}

/// Waits until the seller approved (or refused, or the code ran out) the link started last;
/// once linked, on the demo store, switches to the seller's store.
#[tauri::command]
pub async fn allegro_link_wait(app: AppHandle, active: State<'_, Active>) -> Result<CredentialStatus, CommandError> {
    let status = active.seller().allegro_link_wait().await?;
    active.leave_demo(&app);
    Ok(status)
}

/// The seller's Allegro offers and the lots they sell (Inventory → Allegro offers).
#[tauri::command]
pub async fn allegro_offers(active: State<'_, Active>) -> Result<Vec<AllegroOffer>, CommandError> {
    Ok(active.engine().allegro_offers().await?)
}

/// Links an Allegro offer to a lot; the lot's stock is pushed to the offer from then on.
#[tauri::command]
pub async fn allegro_link(active: State<'_, Active>, offer_id: String, lot_id: i64) -> Result<AllegroOffer, CommandError> {
    Ok(active.engine().allegro_link(&offer_id, lot_id).await?)
}

#[tauri::command]
pub async fn allegro_settings(active: State<'_, Active>) -> Result<AllegroSettings, CommandError> {
    Ok(active.seller().allegro_settings().await?)
}

/// Settings → Allegro → "Read Allegro every …".
#[tauri::command]
pub async fn allegro_set_poll_interval(active: State<'_, Active>, secs: u64) -> Result<AllegroSettings, CommandError> {
    Ok(active.seller().set_allegro_poll_interval(secs).await?)
}

/// "Test connection": one cheap call with the saved credentials, explained in plain words.
#[tauri::command]
pub async fn credentials_test(active: State<'_, Active>, provider: Provider) -> Result<ConnectionTest, CommandError> {
    Ok(active.seller().credentials_test(provider).await?)
}

#[tauri::command]
pub async fn credentials_delete(app: AppHandle, active: State<'_, Active>, provider: Provider) -> Result<CredentialStatus, CommandError> {
    let status = active.seller().credentials_delete(provider).await?;
    active.tell_window_if_demo(&app, "credentials-changed");
    Ok(status)
}

#[tauri::command]
pub async fn orders_list(active: State<'_, Active>) -> Result<Vec<OrderSummary>, CommandError> {
    Ok(active.engine().orders_list().await?)
}

#[tauri::command]
pub async fn orders_show(active: State<'_, Active>, id: i64) -> Result<OrderDetail, CommandError> {
    Ok(active.engine().orders_show(id).await?)
}

#[tauri::command]
pub async fn orders_mark_seen(active: State<'_, Active>, id: i64) -> Result<(), CommandError> {
    Ok(active.engine().orders_mark_seen(id).await?)
}

#[tauri::command]
pub async fn orders_pick(active: State<'_, Active>, input: OrdersPickInput) -> Result<OrderDetail, CommandError> {
    Ok(active.engine().orders_pick(input).await?)
}

/// Marks an order packed, shipped (with tracking) or paid; its marketplace hears of it through
/// the sync worker.
#[tauri::command]
pub async fn orders_set_status(
    active: State<'_, Active>,
    input: brickdesk_ipc::OrderStatusInput,
) -> Result<brickdesk_ipc::OrderStatusReport, CommandError> {
    Ok(active.engine().orders_set_status(input).await?)
}

/// The pick list across the orders named, by bin.
#[tauri::command]
pub async fn orders_pick_list(active: State<'_, Active>, ids: Vec<i64>) -> Result<brickdesk_ipc::PickList, CommandError> {
    Ok(active.engine().orders_pick_list(ids).await?)
}

/// Pick list lines not found on the shelf: marked missing, the lot lowered if the pieces are gone.
#[tauri::command]
pub async fn orders_short(active: State<'_, Active>, input: brickdesk_ipc::OrdersShortInput) -> Result<(), CommandError> {
    Ok(active.engine().orders_short(input.lines, input.lower_lot).await?)
}

/// A file's lots: what importing it does (`dry_run`), or does it.
#[tauri::command]
pub async fn inventory_import_file(
    active: State<'_, Active>,
    input: brickdesk_ipc::FileImportInput,
    dry_run: bool,
) -> Result<brickdesk_ipc::FileImportReport, CommandError> {
    Ok(active.engine().inventory_import_file(input, dry_run).await?)
}

/// The lots (those `query` filters) written as a file in the seller's Downloads folder; returns
/// its path. The webview cannot save files itself: the shell writes it.
#[tauri::command]
pub async fn inventory_export_file(
    app: AppHandle,
    active: State<'_, Active>,
    format: brickdesk_ipc::FileFormat,
    query: Option<InventoryQuery>,
) -> Result<String, CommandError> {
    use tauri::Manager;
    let text = active.engine().inventory_export(format, query).await?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| CommandError { code: ErrorCode::Internal, message: format!("no folder to save the file in: {e}") })?;
    let ext = match format {
        brickdesk_ipc::FileFormat::Bsx => "bsx",
        brickdesk_ipc::FileFormat::BricklinkXml => "xml",
        brickdesk_ipc::FileFormat::Csv => "csv",
    };
    let path = dir.join(format!("brickdesk-inventory-{}.{ext}", chrono::Local::now().format("%Y-%m-%d-%H%M%S")));
    std::fs::write(&path, text)
        .map_err(|e| CommandError { code: ErrorCode::Internal, message: format!("cannot write {}: {e}", path.display()) })?;
    Ok(path.display().to_string())
}

/// Lists on a newly linked store every local lot it does not have (`dry_run`: counts them).
#[tauri::command]
pub async fn sync_publish(
    active: State<'_, Active>,
    marketplace: Provider,
    dry_run: bool,
) -> Result<brickdesk_ipc::PublishReport, CommandError> {
    Ok(active.engine().sync_publish(marketplace, dry_run).await?)
}

/// How marking orders behaves.
#[tauri::command]
pub async fn fulfilment_settings(active: State<'_, Active>) -> Result<brickdesk_ipc::FulfilmentSettings, CommandError> {
    Ok(active.engine().fulfilment_settings().await?)
}

#[tauri::command]
pub async fn set_fulfilment_settings(
    active: State<'_, Active>,
    settings: brickdesk_ipc::FulfilmentSettings,
) -> Result<brickdesk_ipc::FulfilmentSettings, CommandError> {
    Ok(active.engine().set_fulfilment_settings(settings).await?)
}

/// The window's language and theme, with the language the OS asks for.
#[tauri::command]
pub async fn display_settings(active: State<'_, Active>) -> Result<brickdesk_ipc::DisplaySettings, CommandError> {
    let s = active.engine().display_settings().await?;
    Ok(crate::speech::with_os_language(s))
}

/// Saves the window's language and theme; the tray speaks the new language at once.
#[tauri::command]
pub async fn set_display_settings(
    app: AppHandle,
    active: State<'_, Active>,
    settings: brickdesk_ipc::DisplaySettings,
) -> Result<brickdesk_ipc::DisplaySettings, CommandError> {
    let engine = active.engine();
    let s = engine.set_display_settings(settings).await?;
    crate::bridge::update_unread(&app, &engine).await;
    Ok(crate::speech::with_os_language(s))
}

/// The carriers an Allegro tracking number can name.
#[tauri::command]
pub async fn allegro_carriers(active: State<'_, Active>) -> Result<Vec<brickdesk_ipc::Carrier>, CommandError> {
    Ok(active.engine().allegro_carriers().await?)
}

#[tauri::command]
pub async fn inventory_list(active: State<'_, Active>) -> Result<Vec<InventoryLot>, CommandError> {
    Ok(active.engine().inventory_list().await?)
}

/// One page of the inventory view, filtered and sorted by the engine (the table is virtualised).
#[tauri::command]
pub async fn inventory_page(active: State<'_, Active>, query: InventoryQuery) -> Result<InventoryPage, CommandError> {
    Ok(active.engine().inventory_page_shown(query).await?)
}

/// One page of the orders view, filtered and sorted by the engine.
#[tauri::command]
pub async fn orders_page(active: State<'_, Active>, query: OrdersQuery) -> Result<OrdersPage, CommandError> {
    Ok(active.engine().orders_page(query).await?)
}

/// Imports (and links) the marketplace's store; `import-progress` events report each chunk.
#[tauri::command]
pub async fn inventory_import(active: State<'_, Active>, provider: Provider) -> Result<ImportReport, CommandError> {
    Ok(active.engine().inventory_import(provider).await?)
}

#[tauri::command]
pub async fn inventory_add(active: State<'_, Active>, input: InventoryAddInput) -> Result<InventoryLot, CommandError> {
    Ok(active.engine().inventory_add(input).await?)
}

/// The seller's inline edit of a lot; the sync worker pushes it shortly after.
#[tauri::command]
pub async fn inventory_update(active: State<'_, Active>, id: i64, input: InventoryUpdateInput) -> Result<InventoryLot, CommandError> {
    Ok(active.engine().inventory_update(id, input).await?)
}

/// Deletes a lot here and, through sync, on every marketplace (refused while open orders hold pieces).
#[tauri::command]
pub async fn inventory_delete(active: State<'_, Active>, id: i64) -> Result<(), CommandError> {
    Ok(active.engine().inventory_delete(id).await?)
}

/// The seller's Retry of one lot's failed pushes (`lot`) or of all of them (`None`).
#[tauri::command]
pub async fn sync_retry(active: State<'_, Active>, lot: Option<i64>) -> Result<SyncRetried, CommandError> {
    Ok(active.engine().sync_retry(lot).await?)
}

/// "Check BrickLink for changes": reads the BrickLink store once and reports what differs; changes
/// nothing (the report is saved for `sync_drift`).
#[tauri::command]
pub async fn sync_reconcile(active: State<'_, Active>) -> Result<DriftReport, CommandError> {
    Ok(active.engine().sync_reconcile().await?)
}

/// The last drift report (the seller's check or the daily pass), if any.
#[tauri::command]
pub async fn sync_drift(active: State<'_, Active>) -> Result<Option<DriftReport>, CommandError> {
    Ok(active.engine().sync_drift().await?)
}

/// The seller's choice for a lot that drifted on BrickLink.
#[tauri::command]
pub async fn sync_resolve(active: State<'_, Active>, lot: i64, choice: DriftChoice) -> Result<InventoryLot, CommandError> {
    Ok(active.engine().sync_resolve(lot, choice).await?)
}

#[tauri::command]
pub async fn status(active: State<'_, Active>) -> Result<StatusSnapshot, CommandError> {
    Ok(active.engine().status().await?)
}

/// Failed notifications, then (unless `failed_only`) the latest messages and feedback.
#[tauri::command]
pub async fn inbox_list(active: State<'_, Active>, failed_only: bool) -> Result<Vec<InboxEntry>, CommandError> {
    Ok(active.engine().inbox_list(failed_only).await?)
}

/// The seller's Retry of one failed notification (`id`) or of all of them (`None`).
#[tauri::command]
pub async fn inbox_retry(active: State<'_, Active>, id: Option<i64>) -> Result<InboxRetried, CommandError> {
    Ok(active.engine().inbox_retry(id).await?)
}

/// The drawer's answer, from the local cache at once; a missing or stale item is queued for refresh
/// and the result arrives as `catalog-changed`.
#[tauri::command]
pub async fn catalog_part(active: State<'_, Active>, query: CatalogQuery) -> Result<CatalogPart, CommandError> {
    Ok(active.engine().catalog_part(query).await?)
}

/// "Refresh now": queued ahead of background refreshes even when fresh; the data arrives as
/// `catalog-changed`.
#[tauri::command]
pub async fn catalog_refresh_now(active: State<'_, Active>, query: CatalogQuery) -> Result<CatalogPart, CommandError> {
    Ok(active.engine().catalog_refresh_now(query).await?)
}

/// The seller's recent look-ups, newest first.
#[tauri::command]
pub async fn catalog_recent(active: State<'_, Active>) -> Result<Vec<CatalogRecent>, CommandError> {
    Ok(active.engine().catalog_recent().await?)
}

/// BrickLink's colours by name, from the cache; a missing list is queued and arrives as
/// `catalog-changed`.
#[tauri::command]
pub async fn catalog_colors(active: State<'_, Active>) -> Result<Vec<CatalogColor>, CommandError> {
    Ok(active.engine().catalog_colors().await?)
}

/// Kicks the background workers; the result arrives as events.
#[tauri::command]
pub fn poll_now(active: State<'_, Active>) {
    active.engine().poll_now();
}

/// The form's fields go through the same validation as the CLI's JSON.
fn to_json<T: serde::Serialize>(input: &T) -> Result<String, CommandError> {
    serde_json::to_string(input).map_err(|e| CommandError { code: ErrorCode::Internal, message: e.to_string() })
}
