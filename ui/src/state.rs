//! What the window shares through Leptos context, below the components and pages that read it:
//! the page shown and the per-topic epochs engine events bump. `main.rs` creates and provides
//! them; nothing here imports the rest of the crate, so components and pages reach it downward.

use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Orders,
    Inventory,
    Catalog,
    Settings,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Orders, Page::Inventory, Page::Catalog, Page::Settings];

    pub fn label(self) -> &'static str {
        match self {
            Page::Orders => "Orders",
            Page::Inventory => "Inventory",
            Page::Catalog => "Catalog",
            Page::Settings => "Settings",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Page::Orders => "nav-orders",
            Page::Inventory => "nav-inventory",
            Page::Catalog => "nav-catalog",
            Page::Settings => "nav-settings",
        }
    }
}

/// Per-topic counters bumped by engine events; resources that track one refetch when it moves.
#[derive(Clone, Copy)]
pub struct Epochs {
    pub credentials: RwSignal<u32>,
    pub orders: RwSignal<u32>,
    pub inventory: RwSignal<u32>,
    pub status: RwSignal<u32>,
    pub catalog: RwSignal<u32>,
    /// The Allegro offers list (`allegro-offers-changed`).
    pub offers: RwSignal<u32>,
}

pub fn bump(s: RwSignal<u32>) {
    s.update(|e| *e = e.wrapping_add(1));
}
