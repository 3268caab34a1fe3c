//! Display logic kept out of components so ordinary `#[test]`s cover it.

use brickdesk_ipc::{CredentialStatus, InboxEntry, OrderSummary, PickStatus, Provider};
use chrono::{DateTime, FixedOffset};
use wasm_bindgen::JsValue;

/// The short badge text for a provider's credentials.
pub fn credential_badge(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (true, true) => "Set",
        (true, false) => "Unreadable — save again",
        (false, _) => "Not set",
    }
}

/// CSS modifier for the badge.
pub fn credential_badge_class(status: &CredentialStatus) -> &'static str {
    match (status.set, status.active) {
        (true, true) => "badge ok",
        (true, false) => "badge warn",
        (false, _) => "badge muted",
    }
}

/// What a successful credentials save says. Saving leaves the demo at once.
pub fn saved_notice(demo: bool) -> &'static str {
    if demo {
        "Saved to the OS keyring. BrickDesk has left the demo and now follows your store."
    } else {
        "Saved to the OS keyring."
    }
}

/// Which required fields of a form are still blank, by label.
pub fn missing_fields<'a>(fields: &[(&'a str, &str)]) -> Vec<&'a str> {
    fields.iter().filter(|(_, v)| v.trim().is_empty()).map(|(label, _)| *label).collect()
}

/// Columns the orders table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Marketplace,
    ExternalId,
    Date,
    Buyer,
    Items,
    Total,
    Status,
}

/// Clicking a column: same column flips direction; a new column starts descending for dates and
/// amounts, ascending for text.
pub fn toggle_sort((key, asc): (SortKey, bool), clicked: SortKey) -> (SortKey, bool) {
    if key == clicked {
        (key, !asc)
    } else {
        (clicked, !matches!(clicked, SortKey::Date | SortKey::Items | SortKey::Total))
    }
}

pub fn sort_arrow((key, asc): (SortKey, bool), column: SortKey) -> &'static str {
    match (key == column, asc) {
        (false, _) => "",
        (true, true) => " ▲",
        (true, false) => " ▼",
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Case-insensitive; matches buyer, order number or status.
    pub text: String,
    pub marketplace: Option<Provider>,
}

pub fn filter_orders(orders: Vec<OrderSummary>, f: &OrderFilter) -> Vec<OrderSummary> {
    let needle = f.text.trim().to_lowercase();
    orders
        .into_iter()
        .filter(|o| f.marketplace.is_none_or(|m| o.marketplace == m))
        .filter(|o| {
            needle.is_empty()
                || o.buyer_name.to_lowercase().contains(&needle)
                || o.external_id.to_lowercase().contains(&needle)
                || o.status.to_lowercase().contains(&needle)
        })
        .collect()
}

/// Money strings compare as exact decimals, never as floats.
fn decimal_key(s: &str) -> (bool, u128, String) {
    let neg = s.starts_with('-');
    let (whole, frac) = s.trim_start_matches('-').split_once('.').unwrap_or((s.trim_start_matches('-'), ""));
    let whole: u128 = whole.parse().unwrap_or(0);
    let frac = format!("{frac:0<8}");
    (!neg, if neg { u128::MAX - whole } else { whole }, frac)
}

pub fn sort_orders(mut orders: Vec<OrderSummary>, (key, asc): (SortKey, bool)) -> Vec<OrderSummary> {
    orders.sort_by(|a, b| {
        let ord = match key {
            SortKey::Marketplace => a.marketplace.as_str().cmp(b.marketplace.as_str()),
            SortKey::ExternalId => (a.external_id.len(), &a.external_id).cmp(&(b.external_id.len(), &b.external_id)),
            SortKey::Date => a.date_ordered.cmp(&b.date_ordered),
            SortKey::Buyer => a.buyer_name.to_lowercase().cmp(&b.buyer_name.to_lowercase()),
            SortKey::Items => a.pieces.cmp(&b.pieces),
            SortKey::Total => decimal_key(&a.total).cmp(&decimal_key(&b.total)),
            SortKey::Status => a.status.cmp(&b.status),
        }
        .then(a.id.cmp(&b.id));
        if asc {
            ord
        } else {
            ord.reverse()
        }
    });
    orders
}

// Times are stored and sent as RFC 3339 UTC; the seller reads them in their own zone. The `*_in`
// functions take the zone as minutes east of UTC (UTC+1 → 60, UTC−5 → −300, India → 330) so tests
// can pin it; the wrappers without the suffix read it from the webview.

/// `iso` in the zone `offset_minutes` east of UTC; `None` when it is not an RFC 3339 timestamp.
fn in_zone(iso: &str, offset_minutes: i32) -> Option<DateTime<FixedOffset>> {
    let zone = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
    Some(DateTime::parse_from_rfc3339(iso).ok()?.with_timezone(&zone))
}

/// `2026-11-23T10:03:11.527Z` at UTC+1 → `2026-11-23 11:03`; `—` when unknown; text that is not a
/// timestamp shows as it came.
pub fn short_time_in(iso: Option<&str>, offset_minutes: i32) -> String {
    match iso {
        Some(s) if !s.is_empty() => match in_zone(s, offset_minutes) {
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => s.to_string(),
        },
        _ => "—".into(),
    }
}

/// Just `HH:MM` when `iso` falls on the same local day as `now`, else date and time.
pub fn time_of_day_in(iso: &str, now: &str, offset_minutes: i32) -> String {
    match (in_zone(iso, offset_minutes), in_zone(now, offset_minutes)) {
        (Some(t), Some(n)) if t.date_naive() == n.date_naive() => t.format("%H:%M").to_string(),
        _ => short_time_in(Some(iso), offset_minutes),
    }
}

/// A failed notification's outlook: when it is tried again, or that it gave up (`None`).
pub fn retry_label_in(next_attempt_at: Option<&str>, now: &str, offset_minutes: i32) -> String {
    match next_attempt_at {
        Some(next) => format!("next try {}", time_of_day_in(next, now, offset_minutes)),
        None => "gave up".into(),
    }
}

/// The seller's zone at the instant `iso`, in minutes east of UTC: asked per instant because
/// daylight saving moves it. JavaScript counts the other way (UTC − local) and gives NaN for text
/// it cannot read (then UTC; such text shows as it came anyway).
fn local_offset(iso: &str) -> i32 {
    let west = js_sys::Date::new(&JsValue::from_str(iso)).get_timezone_offset();
    if west.is_finite() {
        -(west.round() as i32)
    } else {
        0
    }
}

/// The webview's clock, as an RFC 3339 UTC string like the ones the engine sends.
fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// [`short_time_in`] in the seller's zone.
pub fn short_time(iso: Option<&str>) -> String {
    short_time_in(iso, iso.map(local_offset).unwrap_or(0))
}

/// [`time_of_day_in`] in the seller's zone, against the webview's clock.
pub fn time_of_day(iso: &str) -> String {
    time_of_day_in(iso, &now_iso(), local_offset(iso))
}

/// [`retry_label_in`] in the seller's zone, against the webview's clock.
pub fn retry_label(next_attempt_at: Option<&str>) -> String {
    retry_label_in(next_attempt_at, &now_iso(), next_attempt_at.map(local_offset).unwrap_or(0))
}

/// The Notifications panel's two lists: every failed notification, then the newest
/// `max_messages` messages and feedback (the engine sends both newest first).
pub fn split_inbox(entries: &[InboxEntry], max_messages: usize) -> (Vec<InboxEntry>, Vec<InboxEntry>) {
    let failed = entries.iter().filter(|e| e.status == "failed").cloned().collect();
    let messages = entries
        .iter()
        .filter(|e| e.status != "failed" && matches!(e.kind.as_str(), "message" | "feedback"))
        .take(max_messages)
        .cloned()
        .collect();
    (failed, messages)
}

/// What a notification is about, as the seller reads it.
pub fn inbox_kind(kind: &str) -> String {
    match kind {
        "message" => "Message".into(),
        "feedback" => "Feedback".into(),
        "order" => "Order".into(),
        other => other.to_string(),
    }
}

pub fn attempts(n: i64) -> String {
    match n {
        1 => "1 attempt".into(),
        n => format!("{n} attempts"),
    }
}

pub fn money(amount: &str, currency: &str) -> String {
    format!("{amount} {currency}")
}

pub fn pick_progress(picked: i64, lots: i64) -> String {
    format!("{picked}/{lots}")
}

/// What the picker reads next to a line's tick box.
pub fn pick_label(status: PickStatus) -> &'static str {
    match status {
        PickStatus::Unpicked => "Not picked",
        PickStatus::Picked => "Picked",
        PickStatus::Missing => "Missing",
    }
}

pub fn colour(id: i64, name: &str) -> String {
    match (id, name.trim()) {
        (-1, "") => "unknown".into(),
        (-1, n) => format!("{n} (unmapped)"),
        (id, "") => format!("#{id}"),
        (id, n) => format!("{n} (#{id})"),
    }
}

pub fn budget(used: i64, limit: Option<i64>) -> String {
    match limit {
        Some(l) => format!("{used}/{l} calls today"),
        None => format!("{used} calls today"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(id: i64, m: Provider, ext: &str, buyer: &str, total: &str, date: &str) -> OrderSummary {
        OrderSummary {
            id,
            marketplace: m,
            external_id: ext.into(),
            status: "PAID".into(),
            buyer_name: buyer.into(),
            date_ordered: date.into(),
            total: total.into(),
            currency: "USD".into(),
            pieces: id,
            lots: 1,
            picked: 0,
            is_new: false,
        }
    }

    #[test]
    fn filters_and_sorts() {
        let all = vec![
            o(1, Provider::Bricklink, "900", "Anna", "10.50", "2026-11-20T10:00:00.000Z"),
            o(2, Provider::Brickowl, "1000", "bob", "9.99", "2026-11-22T10:00:00.000Z"),
            o(3, Provider::Bricklink, "95", "Carl", "100.00", "2026-11-21T10:00:00.000Z"),
        ];
        let ids = |v: Vec<OrderSummary>| v.iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(ids(filter_orders(all.clone(), &OrderFilter { text: "BOB".into(), marketplace: None })), vec![2]);
        assert_eq!(
            ids(filter_orders(all.clone(), &OrderFilter { text: String::new(), marketplace: Some(Provider::Bricklink) })),
            vec![1, 3]
        );
        assert_eq!(ids(sort_orders(all.clone(), (SortKey::Date, false))), vec![2, 3, 1]);
        // Totals sort as decimals: 9.99 < 10.50 < 100.00.
        assert_eq!(ids(sort_orders(all.clone(), (SortKey::Total, true))), vec![2, 1, 3]);
        // Order numbers sort numerically-ish: 95 < 900 < 1000.
        assert_eq!(ids(sort_orders(all, (SortKey::ExternalId, true))), vec![3, 1, 2]);
        assert_eq!(toggle_sort((SortKey::Date, false), SortKey::Date), (SortKey::Date, true));
        assert_eq!(toggle_sort((SortKey::Date, false), SortKey::Buyer), (SortKey::Buyer, true));
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

    fn st(set: bool, active: bool) -> CredentialStatus {
        CredentialStatus { provider: Provider::Bricklink, set, active }
    }

    #[test]
    fn badges() {
        assert_eq!(credential_badge(&st(true, true)), "Set");
        assert_eq!(credential_badge(&st(false, false)), "Not set");
        assert_eq!(credential_badge(&st(true, false)), "Unreadable — save again");
        assert_eq!(credential_badge_class(&st(true, true)), "badge ok");
    }

    #[test]
    fn saving_in_the_demo_says_it_left_the_demo() {
        assert!(saved_notice(true).contains("left the demo"));
        assert_eq!(saved_notice(false), "Saved to the OS keyring.");
    }

    #[test]
    fn missing_fields_lists_blank_ones_in_order() {
        assert_eq!(missing_fields(&[("Consumer key", "x"), ("Token", "  "), ("Secret", "")]), vec!["Token", "Secret"]);
        assert!(missing_fields(&[("API key", "k")]).is_empty());
    }

    #[test]
    fn times_show_in_the_sellers_zone() {
        let t = Some("2026-11-23T10:03:11.527Z");
        // Ahead of UTC (Berlin in winter), behind it (New York), and half an hour off (India,
        // Newfoundland).
        assert_eq!(short_time_in(t, 60), "2026-11-23 11:03");
        assert_eq!(short_time_in(t, -300), "2026-11-23 05:03");
        assert_eq!(short_time_in(t, 330), "2026-11-23 15:33");
        assert_eq!(short_time_in(t, -210), "2026-11-23 06:33");
        // Across the date line the local day differs from the UTC one, both ways, and at the turn
        // of the year the year does too.
        assert_eq!(short_time_in(Some("2026-11-23T12:30:00.000Z"), 14 * 60), "2026-11-24 02:30");
        assert_eq!(short_time_in(Some("2026-11-23T05:00:00.000Z"), -10 * 60), "2026-11-22 19:00");
        assert_eq!(short_time_in(Some("2026-12-31T23:30:00.000Z"), 60), "2027-01-01 00:30");
        // A timestamp sent with an offset is converted too.
        assert_eq!(short_time_in(Some("2026-11-23T10:03:00+02:00"), 0), "2026-11-23 08:03");
    }

    #[test]
    fn time_of_day_drops_the_date_only_on_the_local_today() {
        let now = "2026-11-23T22:00:00.000Z";
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 0), "23:10");
        // One UTC day, two local ones: 23:10 UTC is already tomorrow in Berlin, and 09:00 UTC was
        // still yesterday in Hawaii.
        assert_eq!(time_of_day_in("2026-11-23T23:10:00.000Z", now, 60), "2026-11-24 00:10");
        assert_eq!(time_of_day_in("2026-11-23T09:00:00.000Z", now, -600), "2026-11-22 23:00");
        assert_eq!(retry_label_in(Some("2026-11-23T22:15:00.000Z"), now, 330), "next try 03:45");
        assert_eq!(retry_label_in(None, now, 330), "gave up");
    }

    fn entry(id: i64, kind: &str, status: &str) -> InboxEntry {
        InboxEntry {
            id,
            marketplace: Provider::Bricklink,
            event_type: "Order".into(),
            kind: kind.into(),
            resource_id: format!("{id}"),
            occurred_at: "2026-11-23T10:00:00.000Z".into(),
            status: status.into(),
            attempts: 1,
            next_attempt_at: None,
            last_error: None,
            received_at: "2026-11-23T10:00:01.000Z".into(),
        }
    }

    #[test]
    fn the_inbox_splits_into_failed_and_latest_messages() {
        let all = vec![
            entry(1, "order", "failed"),
            entry(2, "message", "failed"),
            entry(3, "message", "stored"),
            entry(4, "feedback", "stored"),
            entry(5, "message", "stored"),
            entry(6, "order", "completed"),
        ];
        let ids = |v: Vec<InboxEntry>| v.iter().map(|e| e.id).collect::<Vec<_>>();
        let (failed, messages) = split_inbox(&all, 2);
        assert_eq!(ids(failed), vec![1, 2]);
        assert_eq!(ids(messages), vec![3, 4], "failed ones once, newest two, no orders");
        assert_eq!(inbox_kind("feedback"), "Feedback");
        assert_eq!(attempts(1), "1 attempt");
        assert_eq!(attempts(5), "5 attempts");
    }
}
