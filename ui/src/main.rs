//! BrickDesk's window contents: Leptos, client-side rendered, compiled to wasm32.

mod components;
mod format;
mod i18n;
mod ipc;
mod keys;
mod pages;
mod paging;
mod state;

use brickdesk_ipc::ImportProgress;
use components::catalog_drawer::{CatalogDrawer, CatalogDrawerCtl};
use components::status_bar::StatusBar;
use leptos::prelude::*;
use pages::inventory::Import;
use pages::{catalog::CatalogPage, inventory::InventoryPage, orders::OrdersPage, settings::SettingsPage};
use state::{bump, Epochs, Page};

#[component]
fn App(display: state::Display) -> impl IntoView {
    provide_context(display);
    keys::install();
    let page = RwSignal::new(Page::Orders);
    // The status bar's "N failed" switches to the Orders page, and its failed pushes to the
    // Inventory page filtered to them.
    provide_context(page);
    provide_context(RwSignal::new(format::SyncFilter::default()));
    let epochs = Epochs {
        credentials: RwSignal::new(0),
        orders: RwSignal::new(0),
        inventory: RwSignal::new(0),
        status: RwSignal::new(0),
        catalog: RwSignal::new(0),
        offers: RwSignal::new(0),
    };
    provide_context(epochs);
    let import = Import { running: RwSignal::new(None), progress: RwSignal::new(None), outcome: RwSignal::new(None) };
    provide_context(import);
    ipc::listen_with("import-progress", move |p: ImportProgress| import.progress.set(Some(p)));
    // Drift rows settled in this window outlive a visit to another page.
    provide_context(components::drift_panel::DriftSettled::new());
    // Any page opens the catalog drawer through this.
    provide_context(CatalogDrawerCtl::new());
    ipc::listen("credentials-changed", move || bump(epochs.credentials));
    ipc::listen("orders-changed", move || bump(epochs.orders));
    ipc::listen("new-orders", move || bump(epochs.orders));
    ipc::listen("inventory-changed", move || bump(epochs.inventory));
    ipc::listen("status-changed", move || bump(epochs.status));
    ipc::listen("catalog-changed", move || bump(epochs.catalog));
    ipc::listen("allegro-offers-changed", move || bump(epochs.offers));
    // A new language draws the whole window again (state lives in the contexts above).
    move || {
        display.lang.track();
        view! { <Shell page=page /> }
    }
}

#[component]
fn Shell(page: RwSignal<Page>) -> impl IntoView {
    view! {
        <div class="shell">
            <nav class="sidebar">
                <div class="brand">"BrickDesk"</div>
                {Page::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <button
                                id=p.id()
                                class="nav"
                                class:active=move || page.get() == p
                                on:click=move |_| page.set(p)
                            >
                                {i18n::t(p.label_key())}
                            </button>
                        }
                    })
                    .collect_view()}
            </nav>
            <main class="content">
                <StatusBar />
                {move || match page.get() {
                    Page::Orders => view! { <OrdersPage /> }.into_any(),
                    Page::Inventory => view! { <InventoryPage /> }.into_any(),
                    Page::Catalog => view! { <CatalogPage /> }.into_any(),
                    Page::Settings => view! { <SettingsPage /> }.into_any(),
                }}
            </main>
            <CatalogDrawer />
        </div>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    // The first frame already speaks the seller's language: the settings are read before mounting.
    // Not leptos's spawn_local: its executor starts with the first mount.
    wasm_bindgen_futures::spawn_local(async {
        let settings = match ipc::display_settings().await {
            Ok(s) => s,
            Err(e) => {
                leptos::logging::warn!("display settings unavailable: {}", e.message);
                Default::default()
            }
        };
        let display = state::Display::new(settings);
        leptos::mount::mount_to_body(move || view! { <App display=display /> });
    });
}
