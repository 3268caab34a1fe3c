//! Display logic kept out of components so ordinary `#[test]`s cover it.
//!
//! One file per topic, each with its own tests. What the folder may import: `brickdesk_ipc`'s
//! types, `chrono`, std, `crate::i18n` (the catalogue: plain functions, no leptos), and (`time.rs` alone, for the webview's clock and zone) `js_sys` and
//! `wasm_bindgen`; never leptos, `crate::ipc` or anything else of the crate, so a plain host
//! `cargo test` runs every test here. Inside the folder, imports run down and never in a circle:
//! `words`, `time` and `table` import nothing here; `settings` neither; `orders` and `inventory`
//! use `words`; `catalog` uses `words` and `time`; `lot_form` uses `words` and `catalog`; `drift`
//! uses `words`, `time` and `catalog`. Tests keep to the same order (`lot_form`'s and `drift`'s
//! take their lots from `inventory`'s tests); the two that read across topics are at the bottom
//! of this file.
//!
//! The `pub use` face below names what the rest of the crate calls, so components say
//! `format::price_rows`; the rest (the `*_in` functions tests pin a zone with, `price`, `Chip`…)
//! is reached by its file's path (`format::time::short_time_in`).

pub mod catalog;
pub mod drift;
pub mod inventory;
pub mod lot_form;
pub mod orders;
pub mod parts;
pub mod settings;
pub mod table;
pub mod time;
pub mod words;

pub use catalog::{
    catalog_badge_class, colour, colour_choice, colour_hint, colour_typed, fetched_label, line_query, oldest_fetch, price_currency,
    price_rows, search_query, size, swatch_color, weight, year, ITEM_TYPES,
};
pub use drift::{drift_checked_label, drift_row, drift_summary, open_drifts, DriftRow};
pub use inventory::{
    added_notice, allegro_chip, import_progress, import_report, inventory_query, inventory_sort_starts_descending, lot_chip, lot_number,
    LotFilter, SyncFilter,
};
pub use lot_form::{edit_price, lot_add_input, lot_edit_input, lots_currency, LotForm};
pub use orders::{
    delivery_method, inbox_kind, mark_label, next_marks, order_number, orders_query, orders_sort_starts_descending, pick_label,
    pick_line_done, pick_line_orders, pick_line_short, pick_progress, remote_label, ship_input, split_inbox, OrderFilter,
};
pub use parts::{colour_label, item_type_label, thumb_src};
pub use settings::{
    allegro_badge, allegro_badge_class, budget, code_valid_for, credential_badge, credential_badge_class, every, minutes_to_secs,
    saved_notice, web_link,
};
pub use table::{pages_for, sort_arrow, toggle_sort, visible_rows};
pub use time::{relative, retry_label, short_time, time_of_day};
pub use words::{attempts, count_label, grouped, missing_fields, money};

/// The tests whose assertions read across topics (interval words with lot numbers; times,
/// colours, the budget and picking together), here where every topic is in scope.
#[cfg(test)]
mod tests {
    use super::time::short_time_in;
    use super::*;
    use brickdesk_ipc::PickStatus;

    #[test]
    fn intervals_read_in_words_and_minutes_parse_strictly() {
        assert_eq!(every(37 * 60), "every 37 minutes");
        assert_eq!(every(60), "every minute");
        assert_eq!(every(3600), "every hour");
        assert_eq!(every(9000), "every 2 h 30 min");
        assert_eq!(every(30), "every 30 seconds");
        assert_eq!(minutes_to_secs(" 37 "), Some(2220));
        assert_eq!(minutes_to_secs("0"), None);
        assert_eq!(minutes_to_secs("1.5"), None);
        assert_eq!(minutes_to_secs("-3"), None);
        assert_eq!(minutes_to_secs("abc"), None);
        assert_eq!(lot_number(" #42 "), Some(42));
        assert_eq!(lot_number("42"), Some(42));
        assert_eq!(lot_number("0"), None);
        assert_eq!(lot_number("4x"), None);
    }

    #[test]
    fn display_helpers() {
        assert_eq!(short_time_in(Some("2026-11-23T10:03:11.527Z"), 0), "2026-11-23 10:03");
        assert_eq!(short_time_in(None, 60), "—");
        assert_eq!(short_time_in(Some("yesterday"), 60), "yesterday", "text that is not a time shows as it came");
        assert_eq!(colour(11, "Black"), "Black (#11)");
        assert_eq!(colour(-1, "Lime"), "Lime (unmapped)");
        assert_eq!(budget(12, Some(5000)), "12/5000 calls today");
        assert_eq!(pick_progress(1, 4), "1/4");
        assert_eq!(PickStatus::ALL.map(pick_label), ["Not picked", "Picked", "Missing"]);
    }
}
