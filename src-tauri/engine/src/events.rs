//! The engine's one event bus. The shell forwards every event to the webview in one `match`; the
//! CLI daemon logs them. Receivers that fall behind miss events and refetch (events carry no data
//! the store doesn't have).

use brickdesk_ipc::{ImportProgress, OrderSummary, Provider};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineEvent {
    /// A provider's credentials were saved or removed; the Settings view refreshes its status.
    CredentialsChanged { provider: Provider },
    /// Orders BrickDesk had never seen arrived in one poll cycle (one OS notification per event).
    NewOrders { orders: Vec<OrderSummary> },
    /// Orders were added or changed; order views refetch.
    OrdersChanged,
    /// Lots or their reservations changed; inventory views refetch.
    InventoryChanged,
    /// Poll times, errors or budgets changed; the status bar refetches.
    StatusChanged,
    /// Catalog data or its refresh queue changed; open catalog views refetch.
    CatalogChanged,
    /// Allegro offers or their links to lots changed; the offers list refetches.
    AllegroOffersChanged,
    /// An `inventory import` handled another chunk of the store (the window's progress bar).
    ImportProgress(ImportProgress),
}

impl EngineEvent {
    /// The event name the webview listens for (one vocabulary with the CLI and commands).
    pub fn name(&self) -> &'static str {
        match self {
            EngineEvent::CredentialsChanged { .. } => "credentials-changed",
            EngineEvent::NewOrders { .. } => "new-orders",
            EngineEvent::OrdersChanged => "orders-changed",
            EngineEvent::InventoryChanged => "inventory-changed",
            EngineEvent::StatusChanged => "status-changed",
            EngineEvent::CatalogChanged => "catalog-changed",
            EngineEvent::AllegroOffersChanged => "allegro-offers-changed",
            EngineEvent::ImportProgress(_) => "import-progress",
        }
    }
}
