//! The window's keyboard: `/` focuses the page's filter, ↑/↓ move through the table's rows, Enter
//! opens the row, Esc closes the open panel, Ctrl+R polls every store now. Keys typed into a
//! field stay the field's (Esc in a lot's inputs cancels its edit, for one).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// Each page's first filter field, in the order they are looked for.
const FILTERS: [&str; 3] = ["#orders-buyer", "#inventory-search", "#catalog-search"];
/// Rows the arrows move through (the tables' own rows, not their details or holes).
const ROWS: &str = "tr.order-row, tr.lot-row, tr.pick-line";

fn in_field(el: Option<&Element>) -> bool {
    el.is_some_and(|e| {
        matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || e.closest("[contenteditable]").ok().flatten().is_some()
    })
}

fn html(el: Element) -> Option<HtmlElement> {
    el.dyn_into::<HtmlElement>().ok()
}

fn click(selector: &str) -> bool {
    match document().query_selector(selector).ok().flatten().and_then(html) {
        Some(b) => {
            b.click();
            true
        }
        None => false,
    }
}

/// The rows in the page now, top to bottom.
fn rows() -> Vec<HtmlElement> {
    let Ok(list) = document().query_selector_all(ROWS) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<HtmlElement>().ok()).collect()
}

fn focus_row(row: &HtmlElement) {
    // Rows are not tab stops (the table would be thousands of them); the arrows focus them.
    let _ = row.set_attribute("tabindex", "-1");
    let _ = row.focus();
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    row.scroll_into_view_with_scroll_into_view_options(&options);
}

fn move_row(down: bool) {
    let rows = rows();
    let active = document().active_element();
    let at = active.as_ref().and_then(|a| rows.iter().position(|r| r.is_same_node(Some(a))));
    let next = match (at, down) {
        (None, _) => rows.first(),
        (Some(i), true) => rows.get(i + 1),
        (Some(i), false) => i.checked_sub(1).and_then(|i| rows.get(i)),
    };
    if let Some(row) = next {
        focus_row(row);
    }
}

/// Listens for the window's keys for as long as the app runs.
pub fn install() {
    let handle = window_event_listener(ev::keydown, move |e: KeyboardEvent| {
        if e.default_prevented() || e.is_composing() {
            return;
        }
        let active = document().active_element();
        let typing = in_field(active.as_ref());
        let ctrl = e.ctrl_key() || e.meta_key();
        match e.key().as_str() {
            // Also keeps the webview from reloading the page.
            "r" | "R" if ctrl && !e.alt_key() && !e.shift_key() => {
                e.prevent_default();
                click("#poll-now");
            }
            "/" if !typing && !ctrl => {
                if let Some(field) = FILTERS.iter().find_map(|s| document().query_selector(s).ok().flatten()).and_then(html) {
                    e.prevent_default();
                    let _ = field.focus();
                }
            }
            "ArrowDown" | "ArrowUp" if !typing && !ctrl => {
                e.prevent_default();
                move_row(e.key() == "ArrowDown");
            }
            "Enter" if !typing => {
                if let Some(row) = active.filter(|a| a.matches(ROWS).unwrap_or(false)).and_then(html) {
                    e.prevent_default();
                    row.click();
                }
            }
            "Escape" if !typing || active.as_ref().is_some_and(|a| a.closest(".detail").ok().flatten().is_some()) => {
                // The catalog drawer, on top of everything, closes itself on Esc.
                if document().query_selector(".catalog-drawer").ok().flatten().is_none() {
                    // The last panel opened is the last in the page.
                    let Ok(list) = document().query_selector_all(".detail [data-close]") else { return };
                    if let Some(button) = list.item(list.length().saturating_sub(1)).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                        e.prevent_default();
                        button.click();
                    }
                }
            }
            _ => {}
        }
    });
    // The app lives as long as the window: the listener is never removed.
    std::mem::forget(handle);
}
