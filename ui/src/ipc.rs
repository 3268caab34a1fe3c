//! The one doorway to the Tauri shell: the only file that calls `invoke` or `listen`.
//! Needs `app.withGlobalTauri` (tauri.conf.json), which exposes `window.__TAURI__`.

use brickdesk_ipc::{
    AllegroCredentialsInput, AllegroLink, AllegroOffer, AllegroSettings, AppInfo, BricklinkCredentialsInput, BrickowlCredentialsInput,
    CatalogColor, CatalogPart, CatalogQuery, CatalogRecent, CommandError, ConnectionTest, CredentialStatus, DriftChoice, DriftReport,
    ErrorCode, ImportReport, InboxEntry, InboxRetried, InventoryAddInput, InventoryLot, InventoryPage, InventoryQuery,
    InventoryUpdateInput, OrderDetail, OrdersPage, OrdersPickInput, OrdersQuery, Provider, StatusSnapshot, SyncRetried,
};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
}

async fn call<A: Serialize, R: DeserializeOwned>(cmd: &str, args: &A) -> Result<R, CommandError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| internal(format!("encoding {cmd} arguments: {e}")))?;
    match tauri_invoke(cmd, args).await {
        Ok(v) => serde_wasm_bindgen::from_value(v).map_err(|e| internal(format!("decoding {cmd} result: {e}"))),
        // Commands reject with a CommandError; anything else (missing permission, shell panic)
        // arrives as a plain string.
        Err(e) => Err(serde_wasm_bindgen::from_value::<CommandError>(e.clone())
            .unwrap_or_else(|_| internal(e.as_string().unwrap_or_else(|| format!("{cmd} failed: {e:?}"))))),
    }
}

fn internal(message: String) -> CommandError {
    CommandError { code: ErrorCode::Internal, message }
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct ProviderArgs {
    provider: Provider,
}

#[derive(Serialize)]
struct BricklinkArgs<'a> {
    input: &'a BricklinkCredentialsInput,
}

#[derive(Serialize)]
struct BrickowlArgs<'a> {
    input: &'a BrickowlCredentialsInput,
}

pub async fn app_info() -> Result<AppInfo, CommandError> {
    call("app_info", &NoArgs {}).await
}

pub async fn credentials_status() -> Result<Vec<CredentialStatus>, CommandError> {
    call("credentials_status", &NoArgs {}).await
}

pub async fn credentials_set_bricklink(input: &BricklinkCredentialsInput) -> Result<CredentialStatus, CommandError> {
    call("credentials_set_bricklink", &BricklinkArgs { input }).await
}

pub async fn credentials_set_brickowl(input: &BrickowlCredentialsInput) -> Result<CredentialStatus, CommandError> {
    call("credentials_set_brickowl", &BrickowlArgs { input }).await
}

#[derive(Serialize)]
struct AllegroArgs<'a> {
    input: &'a AllegroCredentialsInput,
}

/// Saves Allegro's app registration; linking the account is a separate step.
pub async fn credentials_set_allegro(input: &AllegroCredentialsInput) -> Result<CredentialStatus, CommandError> {
    call("credentials_set_allegro", &AllegroArgs { input }).await
}

/// Starts linking the Allegro account: the code to show and the page to approve it on.
pub async fn allegro_link_start() -> Result<AllegroLink, CommandError> {
    call("allegro_link_start", &NoArgs {}).await
}

/// Resolves once the seller approved the link (or it was refused or ran out).
pub async fn allegro_link_wait() -> Result<CredentialStatus, CommandError> {
    call("allegro_link_wait", &NoArgs {}).await
}

/// The seller's Allegro offers and the lots they sell.
pub async fn allegro_offers() -> Result<Vec<AllegroOffer>, CommandError> {
    call("allegro_offers", &NoArgs {}).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AllegroLinkArgs<'a> {
    offer_id: &'a str,
    lot_id: i64,
}

/// Links an offer to a lot (the lot's stock is pushed to the offer from then on).
pub async fn allegro_link(offer_id: &str, lot_id: i64) -> Result<AllegroOffer, CommandError> {
    call("allegro_link", &AllegroLinkArgs { offer_id, lot_id }).await
}

pub async fn allegro_settings() -> Result<AllegroSettings, CommandError> {
    call("allegro_settings", &NoArgs {}).await
}

#[derive(Serialize)]
struct SecsArgs {
    secs: u64,
}

pub async fn allegro_set_poll_interval(secs: u64) -> Result<AllegroSettings, CommandError> {
    call("allegro_set_poll_interval", &SecsArgs { secs }).await
}

pub async fn credentials_delete(provider: Provider) -> Result<CredentialStatus, CommandError> {
    call("credentials_delete", &ProviderArgs { provider }).await
}

pub async fn credentials_test(provider: Provider) -> Result<ConnectionTest, CommandError> {
    call("credentials_test", &ProviderArgs { provider }).await
}

#[derive(Serialize)]
struct IdArgs {
    id: i64,
}

/// The query's own fields keep their snake_case names: Tauri renames only argument names.
#[derive(Serialize)]
struct OrdersQueryArgs<'a> {
    query: &'a OrdersQuery,
}

/// One page of orders, filtered and sorted by the engine, with the count of all that match.
pub async fn orders_page(query: &OrdersQuery) -> Result<OrdersPage, CommandError> {
    call("orders_page", &OrdersQueryArgs { query }).await
}

pub async fn orders_show(id: i64) -> Result<OrderDetail, CommandError> {
    call("orders_show", &IdArgs { id }).await
}

pub async fn orders_mark_seen(id: i64) -> Result<(), CommandError> {
    call("orders_mark_seen", &IdArgs { id }).await
}

#[derive(Serialize)]
struct PickArgs<'a> {
    input: &'a OrdersPickInput,
}

pub async fn orders_pick(input: &OrdersPickInput) -> Result<OrderDetail, CommandError> {
    call("orders_pick", &PickArgs { input }).await
}

#[derive(Serialize)]
struct InventoryQueryArgs<'a> {
    query: &'a InventoryQuery,
}

/// One page of lots, filtered and sorted by the engine, with the count of all that match
/// (`limit: 0` asks for the count alone).
pub async fn inventory_page(query: &InventoryQuery) -> Result<InventoryPage, CommandError> {
    call("inventory_page", &InventoryQueryArgs { query }).await
}

/// Imports the marketplace's store; `import-progress` events report how far it got.
pub async fn inventory_import(provider: Provider) -> Result<ImportReport, CommandError> {
    call("inventory_import", &ProviderArgs { provider }).await
}

#[derive(Serialize)]
struct AddLotArgs<'a> {
    input: &'a InventoryAddInput,
}

pub async fn inventory_add(input: &InventoryAddInput) -> Result<InventoryLot, CommandError> {
    call("inventory_add", &AddLotArgs { input }).await
}

/// The input's own fields keep their snake_case names (`unit_price`): Tauri renames only argument
/// names.
#[derive(Serialize)]
struct UpdateLotArgs<'a> {
    id: i64,
    input: &'a InventoryUpdateInput,
}

pub async fn inventory_update(id: i64, input: &InventoryUpdateInput) -> Result<InventoryLot, CommandError> {
    call("inventory_update", &UpdateLotArgs { id, input }).await
}

pub async fn inventory_delete(id: i64) -> Result<(), CommandError> {
    call("inventory_delete", &IdArgs { id }).await
}

/// `None` (sent as a missing `lot`) retries every lot's failed pushes.
#[derive(Serialize)]
struct SyncRetryArgs {
    lot: Option<i64>,
}

pub async fn sync_retry(lot: Option<i64>) -> Result<SyncRetried, CommandError> {
    call("sync_retry", &SyncRetryArgs { lot }).await
}

/// "Check BrickLink for changes": one read of the store, a report, nothing changed.
pub async fn sync_reconcile() -> Result<DriftReport, CommandError> {
    call("sync_reconcile", &NoArgs {}).await
}

/// The last drift report, if a check ever ran.
pub async fn sync_drift() -> Result<Option<DriftReport>, CommandError> {
    call("sync_drift", &NoArgs {}).await
}

#[derive(Serialize)]
struct SyncResolveArgs {
    lot: i64,
    choice: DriftChoice,
}

pub async fn sync_resolve(lot: i64, choice: DriftChoice) -> Result<InventoryLot, CommandError> {
    call("sync_resolve", &SyncResolveArgs { lot, choice }).await
}

/// Tauri matches command arguments by their camelCase names (`failed_only` → `failedOnly`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InboxListArgs {
    failed_only: bool,
}

pub async fn inbox_list(failed_only: bool) -> Result<Vec<InboxEntry>, CommandError> {
    call("inbox_list", &InboxListArgs { failed_only }).await
}

/// `None` (sent as a missing `id`) retries every failed notification.
#[derive(Serialize)]
struct RetryArgs {
    id: Option<i64>,
}

pub async fn inbox_retry(id: Option<i64>) -> Result<InboxRetried, CommandError> {
    call("inbox_retry", &RetryArgs { id }).await
}

pub async fn status() -> Result<StatusSnapshot, CommandError> {
    call("status", &NoArgs {}).await
}

pub async fn poll_now() -> Result<(), CommandError> {
    call("poll_now", &NoArgs {}).await
}

/// The query's own fields keep their snake_case names: Tauri renames only argument names.
#[derive(Serialize)]
struct CatalogArgs<'a> {
    query: &'a CatalogQuery,
}

/// From the local cache at once; a missing or stale item is queued and arrives as `catalog-changed`.
pub async fn catalog_part(query: &CatalogQuery) -> Result<CatalogPart, CommandError> {
    call("catalog_part", &CatalogArgs { query }).await
}

/// "Refresh now": queued ahead of background work even when fresh.
pub async fn catalog_refresh_now(query: &CatalogQuery) -> Result<CatalogPart, CommandError> {
    call("catalog_refresh_now", &CatalogArgs { query }).await
}

pub async fn catalog_recent() -> Result<Vec<CatalogRecent>, CommandError> {
    call("catalog_recent", &NoArgs {}).await
}

/// BrickLink's colours by name, from the cache; a missing list is queued and arrives as
/// `catalog-changed`.
pub async fn catalog_colors() -> Result<Vec<CatalogColor>, CommandError> {
    call("catalog_colors", &NoArgs {}).await
}

/// Calls `on_event` every time the shell emits `event`, for the life of the page.
pub fn listen(event: &'static str, mut on_event: impl FnMut() + 'static) {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |_payload: JsValue| on_event());
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = tauri_listen(event, &handler).await {
            web_sys_console_error(&format!("cannot listen for {event}: {e:?}"));
        }
        // The page lives as long as the window: keep the handler alive with it.
        handler.forget();
    });
}

/// A Tauri event as the listener receives it; only the payload matters here.
#[derive(serde::Deserialize)]
struct Event<T> {
    payload: T,
}

/// Calls `on_event` with the payload of every `event` the shell emits, for the life of the page.
/// A payload that does not decode is logged to the console and skipped.
pub fn listen_with<T: DeserializeOwned + 'static>(event: &'static str, mut on_event: impl FnMut(T) + 'static) {
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| match serde_wasm_bindgen::from_value::<Event<T>>(e) {
        Ok(e) => on_event(e.payload),
        Err(err) => web_sys_console_error(&format!("{event}: unexpected payload: {err}")),
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = tauri_listen(event, &handler).await {
            web_sys_console_error(&format!("cannot listen for {event}: {e:?}"));
        }
        handler.forget();
    });
}

fn web_sys_console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}

// About and start at login (src-tauri/src/about.rs).

pub async fn app_build_commit() -> Result<String, CommandError> {
    call("app_build_commit", &NoArgs {}).await
}

pub async fn open_log_folder() -> Result<(), CommandError> {
    call("open_log_folder", &NoArgs {}).await
}

pub async fn autostart_status() -> Result<bool, CommandError> {
    call("autostart_status", &NoArgs {}).await
}

#[derive(Serialize)]
struct EnabledArgs {
    enabled: bool,
}

/// Answers whether start at login is on afterwards.
pub async fn autostart_set(enabled: bool) -> Result<bool, CommandError> {
    call("autostart_set", &EnabledArgs { enabled }).await
}

#[derive(Serialize)]
struct SetStatusArgs<'a> {
    input: &'a brickdesk_ipc::OrderStatusInput,
}

/// Marks an order packed, shipped or paid; the sync worker tells its marketplace.
pub async fn orders_set_status(input: &brickdesk_ipc::OrderStatusInput) -> Result<brickdesk_ipc::OrderStatusReport, CommandError> {
    call("orders_set_status", &SetStatusArgs { input }).await
}

#[derive(Serialize)]
struct IdsArgs<'a> {
    ids: &'a [i64],
}

/// The pick list across orders, by bin.
pub async fn orders_pick_list(ids: &[i64]) -> Result<brickdesk_ipc::PickList, CommandError> {
    call("orders_pick_list", &IdsArgs { ids }).await
}

#[derive(Serialize)]
struct ShortArgs<'a> {
    input: &'a brickdesk_ipc::OrdersShortInput,
}

/// Pick list lines not found: marked missing, and the lot lowered when the pieces are gone.
pub async fn orders_short(input: &brickdesk_ipc::OrdersShortInput) -> Result<(), CommandError> {
    call("orders_short", &ShortArgs { input }).await
}

/// The carriers an Allegro tracking number can name.
pub async fn allegro_carriers() -> Result<Vec<brickdesk_ipc::Carrier>, CommandError> {
    call("allegro_carriers", &NoArgs {}).await
}

/// How marking orders behaves (BrickLink's Drive Thru e-mail on shipping).
pub async fn fulfilment_settings() -> Result<brickdesk_ipc::FulfilmentSettings, CommandError> {
    call("fulfilment_settings", &NoArgs {}).await
}

#[derive(Serialize)]
struct FulfilmentSettingsArgs<'a> {
    settings: &'a brickdesk_ipc::FulfilmentSettings,
}

pub async fn set_fulfilment_settings(
    settings: &brickdesk_ipc::FulfilmentSettings,
) -> Result<brickdesk_ipc::FulfilmentSettings, CommandError> {
    call("set_fulfilment_settings", &FulfilmentSettingsArgs { settings }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportFileArgs<'a> {
    input: &'a brickdesk_ipc::FileImportInput,
    dry_run: bool,
}

/// What importing a file does (`dry_run`), or does it.
pub async fn inventory_import_file(
    input: &brickdesk_ipc::FileImportInput,
    dry_run: bool,
) -> Result<brickdesk_ipc::FileImportReport, CommandError> {
    call("inventory_import_file", &ImportFileArgs { input, dry_run }).await
}

#[derive(Serialize)]
struct ExportFileArgs<'a> {
    format: brickdesk_ipc::FileFormat,
    query: Option<&'a InventoryQuery>,
}

/// Writes the lots `query` filters as a file in the Downloads folder; its path.
pub async fn inventory_export_file(format: brickdesk_ipc::FileFormat, query: Option<&InventoryQuery>) -> Result<String, CommandError> {
    call("inventory_export_file", &ExportFileArgs { format, query }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PublishArgs {
    marketplace: Provider,
    dry_run: bool,
}

/// Lists on a newly linked store the lots it lacks (`dry_run`: counts them).
pub async fn sync_publish(marketplace: Provider, dry_run: bool) -> Result<brickdesk_ipc::PublishReport, CommandError> {
    call("sync_publish", &PublishArgs { marketplace, dry_run }).await
}

/// The window's language and theme (empty: the OS's), with the OS's language.
pub async fn display_settings() -> Result<brickdesk_ipc::DisplaySettings, CommandError> {
    call("display_settings", &NoArgs {}).await
}

#[derive(Serialize)]
struct DisplaySettingsArgs<'a> {
    settings: &'a brickdesk_ipc::DisplaySettings,
}

pub async fn set_display_settings(settings: &brickdesk_ipc::DisplaySettings) -> Result<brickdesk_ipc::DisplaySettings, CommandError> {
    call("set_display_settings", &DisplaySettingsArgs { settings }).await
}
