//! Table mechanics: sorting by a header click, and the rows a virtualised table draws.

/// Clicking a column header: the same column flips direction; another column starts descending
/// when `starts_descending` (dates, amounts, quantities), ascending otherwise.
pub fn toggle_sort<K: PartialEq>((key, descending): (K, bool), clicked: K, starts_descending: bool) -> (K, bool) {
    if key == clicked {
        (key, !descending)
    } else {
        (clicked, starts_descending)
    }
}

pub fn sort_arrow<K: PartialEq>((key, descending): (K, bool), column: K) -> &'static str {
    match (key == column, descending) {
        (false, _) => "",
        (true, false) => " ▲",
        (true, true) => " ▼",
    }
}

/// The rows of a virtualised table that are drawn, `start..end`: those the viewport shows at
/// `scroll_top` (every row `row_height` pixels) plus `overscan` either side, within `0..total`.
pub fn visible_rows(scroll_top: f64, viewport: f64, row_height: f64, total: i64, overscan: i64) -> (i64, i64) {
    if total <= 0 || row_height <= 0.0 {
        return (0, 0);
    }
    let in_view = (viewport.max(0.0) / row_height).ceil() as i64 + 1;
    // A scroll position past the end (the count just shrank) still draws the last rows.
    let first = ((scroll_top.max(0.0) / row_height).floor() as i64).min((total - in_view).max(0));
    ((first - overscan).max(0), (first + in_view + overscan).min(total))
}

/// The pages (of `page_size` rows; page `p` holds rows `p * page_size..`) that rows `start..end`
/// are on.
pub fn pages_for((start, end): (i64, i64), page_size: i64) -> Vec<i64> {
    if end <= start || page_size <= 0 {
        return Vec::new();
    }
    (start / page_size..=(end - 1) / page_size).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::words::{count_label, grouped};
    use brickdesk_ipc::{InventorySort, OrdersSort};

    #[test]
    fn header_clicks_toggle_and_counts_read_well() {
        assert_eq!(toggle_sort((OrdersSort::Date, true), OrdersSort::Date, true), (OrdersSort::Date, false));
        assert_eq!(toggle_sort((OrdersSort::Date, true), OrdersSort::Buyer, false), (OrdersSort::Buyer, false));
        assert_eq!(sort_arrow((InventorySort::Price, true), InventorySort::Price), " ▼");
        assert_eq!(sort_arrow((InventorySort::Price, true), InventorySort::Location), "");
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(count_label(1, 1, false, "lots-count"), "1 lot");
        assert_eq!(count_label(12, 100_000, true, "lots-count"), "12 of 100,000 lots");
        assert_eq!(count_label(0, 0, false, "orders-count"), "0 orders");
    }

    #[test]
    fn the_virtual_window_covers_the_viewport_and_no_more() {
        // 100,000 rows of 36 px, an 720 px viewport: 21 rows in view, 10 more either side.
        assert_eq!(visible_rows(0.0, 720.0, 36.0, 100_000, 10), (0, 31));
        assert_eq!(visible_rows(36.0 * 500.0, 720.0, 36.0, 100_000, 10), (490, 531));
        // The bottom: the last row is drawn.
        assert_eq!(visible_rows(36.0 * 100_000.0 - 720.0, 720.0, 36.0, 100_000, 10), (99_969, 100_000));
        // Scrolled past the end after the count shrank: the last rows still.
        assert_eq!(visible_rows(36.0 * 5_000.0, 720.0, 36.0, 10, 10), (0, 10));
        assert_eq!(visible_rows(0.0, 720.0, 36.0, 0, 10), (0, 0));
        assert_eq!(pages_for((0, 31), 200), vec![0]);
        assert_eq!(pages_for((190, 231), 200), vec![0, 1]);
        assert_eq!(pages_for((99_969, 100_000), 200), vec![499]);
        assert_eq!(pages_for((0, 0), 200), Vec::<i64>::new());
    }
}
