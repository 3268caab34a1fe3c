//! Tauri commands: each is a few lines over an `Engine` method of the same name. Errors cross as
//! `ipc::CommandError` (converted in the engine's `views.rs`).

use brickdesk_engine::Engine;
use brickdesk_ipc::{
    AppInfo, BricklinkCredentialsInput, BrickowlCredentialsInput, CommandError, CredentialStatus, ErrorCode, InboxEntry, InboxRetried,
    InventoryAddInput, InventoryLot, OrderDetail, OrderSummary, OrdersPickInput, Provider, StatusSnapshot,
};
use tauri::State;

#[tauri::command]
pub fn app_info(engine: State<'_, Engine>) -> AppInfo {
    engine.app_info()
}

#[tauri::command]
pub async fn credentials_status(engine: State<'_, Engine>) -> Result<Vec<CredentialStatus>, CommandError> {
    Ok(engine.credentials_status().await?)
}

#[tauri::command]
pub async fn credentials_set_bricklink(
    engine: State<'_, Engine>,
    input: BricklinkCredentialsInput,
) -> Result<CredentialStatus, CommandError> {
    Ok(engine.credentials_set(Provider::Bricklink, to_json(&input)?).await?)
}

#[tauri::command]
pub async fn credentials_set_brickowl(
    engine: State<'_, Engine>,
    input: BrickowlCredentialsInput,
) -> Result<CredentialStatus, CommandError> {
    Ok(engine.credentials_set(Provider::Brickowl, to_json(&input)?).await?)
}

#[tauri::command]
pub async fn credentials_delete(engine: State<'_, Engine>, provider: Provider) -> Result<CredentialStatus, CommandError> {
    Ok(engine.credentials_delete(provider).await?)
}

#[tauri::command]
pub async fn orders_list(engine: State<'_, Engine>) -> Result<Vec<OrderSummary>, CommandError> {
    Ok(engine.orders_list().await?)
}

#[tauri::command]
pub async fn orders_show(engine: State<'_, Engine>, id: i64) -> Result<OrderDetail, CommandError> {
    Ok(engine.orders_show(id).await?)
}

#[tauri::command]
pub async fn orders_mark_seen(engine: State<'_, Engine>, id: i64) -> Result<(), CommandError> {
    Ok(engine.orders_mark_seen(id).await?)
}

#[tauri::command]
pub async fn orders_pick(engine: State<'_, Engine>, input: OrdersPickInput) -> Result<OrderDetail, CommandError> {
    Ok(engine.orders_pick(input).await?)
}

#[tauri::command]
pub async fn inventory_list(engine: State<'_, Engine>) -> Result<Vec<InventoryLot>, CommandError> {
    Ok(engine.inventory_list().await?)
}

#[tauri::command]
pub async fn inventory_add(engine: State<'_, Engine>, input: InventoryAddInput) -> Result<InventoryLot, CommandError> {
    Ok(engine.inventory_add(input).await?)
}

#[tauri::command]
pub async fn status(engine: State<'_, Engine>) -> Result<StatusSnapshot, CommandError> {
    Ok(engine.status().await?)
}

/// Failed notifications, then (unless `failed_only`) the latest messages and feedback.
#[tauri::command]
pub async fn inbox_list(engine: State<'_, Engine>, failed_only: bool) -> Result<Vec<InboxEntry>, CommandError> {
    Ok(engine.inbox_list(failed_only).await?)
}

/// The seller's Retry of one failed notification (`id`) or of all of them (`None`).
#[tauri::command]
pub async fn inbox_retry(engine: State<'_, Engine>, id: Option<i64>) -> Result<InboxRetried, CommandError> {
    Ok(engine.inbox_retry(id).await?)
}

/// Kicks the background workers; the result arrives as events.
#[tauri::command]
pub fn poll_now(engine: State<'_, Engine>) {
    engine.poll_now();
}

/// The form's fields go through the same validation as the CLI's JSON.
fn to_json<T: serde::Serialize>(input: &T) -> Result<String, CommandError> {
    serde_json::to_string(input).map_err(|e| CommandError { code: ErrorCode::Internal, message: e.to_string() })
}
