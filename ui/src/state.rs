//! What the window shares through Leptos context, below the components and pages that read it:
//! the page shown, the per-topic epochs engine events bump, and the window's language and theme.
//! `main.rs` creates and provides them; nothing here imports the rest of the crate but `i18n`
//! (which imports nothing of it), so components and pages reach it downward.

use brickdesk_ipc::DisplaySettings;
use leptos::prelude::*;

use crate::i18n::{set_lang, Lang};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Orders,
    Inventory,
    Catalog,
    Settings,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Orders, Page::Inventory, Page::Catalog, Page::Settings];

    /// The page's name in the catalogue.
    pub fn label_key(self) -> &'static str {
        match self {
            Page::Orders => "nav-orders",
            Page::Inventory => "nav-inventory",
            Page::Catalog => "nav-catalog",
            Page::Settings => "nav-settings",
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

/// The window's language and theme as Settings shows them, and the signal the root redraws on.
#[derive(Clone, Copy)]
pub struct Display {
    pub settings: RwSignal<DisplaySettings>,
    /// Bumped when the language changes: the root draws the window again.
    pub lang: RwSignal<Lang>,
}

impl Display {
    pub fn new(settings: DisplaySettings) -> Display {
        let display = Display { settings: RwSignal::new(settings.clone()), lang: RwSignal::new(Lang::En) };
        display.apply(&settings);
        display
    }

    /// Takes saved settings: the language (chosen, else the OS's) and the theme (`data-theme` on
    /// the root element; none lets the stylesheet follow `prefers-color-scheme`).
    pub fn apply(&self, s: &DisplaySettings) {
        let lang = Lang::from_code(&s.language).or_else(|| Lang::from_code(&s.os_language)).unwrap_or(Lang::En);
        set_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
            let _ = match s.theme.as_str() {
                "light" | "dark" => root.set_attribute("data-theme", &s.theme),
                _ => root.remove_attribute("data-theme"),
            };
        }
        self.settings.set(s.clone());
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
    }
}
