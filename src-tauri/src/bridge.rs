//! The bridge from the engine to the window: every `EngineEvent` forwarded to the webview in one
//! `match`, the OS notification for new orders, and the tray's unread count.

use brickdesk_engine::{Engine, EngineEvent};
use tauri::menu::MenuItem;
use tauri::{AppHandle, Emitter, Manager, Wry};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;

/// The tray icon's id.
pub(crate) const TRAY: &str = "main";

/// The tray's menu: its "N new orders" line is updated from engine events, and every line speaks
/// the seller's language.
pub(crate) struct TrayItems {
    pub(crate) open: MenuItem<Wry>,
    pub(crate) poll: MenuItem<Wry>,
    pub(crate) unread: MenuItem<Wry>,
    pub(crate) quit: MenuItem<Wry>,
}

/// Forwards every engine event to the webview under its `EngineEvent::name`, shows an OS
/// notification for new orders, and keeps the tray's unread count current, until `stopped`.
pub(crate) fn forward_events(app: AppHandle, engine: &Engine, mut stopped: watch::Receiver<bool>) {
    let mut events = engine.subscribe();
    let engine = engine.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let received = tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                r = events.recv() => r,
            };
            let event = match received {
                Ok(e) => e,
                // The UI refetches on the next event anyway; nothing is lost from the store.
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "UI event bridge lagged");
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            let emitted = match &event {
                EngineEvent::CredentialsChanged { provider } => app.emit(event.name(), provider),
                EngineEvent::NewOrders { orders } => {
                    let (title, body) = crate::speech::new_orders_notification(&crate::speech::catalogue(&engine).await, orders);
                    if let Err(e) = app.notification().builder().title(title).body(body).show() {
                        tracing::warn!(error = %e, "cannot show the new-order notification");
                    }
                    app.emit(event.name(), orders.len())
                }
                EngineEvent::OrdersChanged
                | EngineEvent::InventoryChanged
                | EngineEvent::CatalogChanged
                | EngineEvent::AllegroOffersChanged => app.emit(event.name(), ()),
                EngineEvent::ImportProgress(p) => app.emit(event.name(), p),
                EngineEvent::StatusChanged => {
                    update_unread(&app, &engine).await;
                    app.emit(event.name(), ())
                }
            };
            if let Err(e) = emitted {
                tracing::warn!(error = %e, event = event.name(), "cannot forward event to the window");
            }
        }
    });
}

/// The tray's lines and unread count in the seller's language (again after Settings changes it).
pub(crate) async fn update_unread(app: &AppHandle, engine: &Engine) {
    let unread = match engine.orders_unread().await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %e, "cannot count unread orders");
            return;
        }
    };
    let words = crate::speech::catalogue(engine).await;
    let text = crate::speech::unread_label(&words, unread);
    if let Some(items) = app.try_state::<TrayItems>() {
        let lines = [
            (&items.unread, text.clone()),
            (&items.open, words.text("tray-open")),
            (&items.poll, words.text("tray-poll")),
            (&items.quit, words.text("tray-quit")),
        ];
        for (item, line) in lines {
            if let Err(e) = item.set_text(&line) {
                tracing::warn!(error = %e, "cannot update the tray");
            }
        }
    }
    if let Some(tray) = app.tray_by_id(TRAY) {
        let tooltip = format!("BrickDesk — {text}");
        if let Err(e) = tray.set_tooltip(Some(&tooltip)) {
            tracing::warn!(error = %e, "cannot update the tray tooltip");
        }
    }
}
