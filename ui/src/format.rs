//! Display logic kept out of components so ordinary `#[test]`s cover it.

use brickdesk_ipc::{CredentialStatus, OrderSummary, PickStatus, Provider};

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

/// What a successful credentials save says. The demo keeps running until BrickDesk restarts.
pub fn saved_notice(demo: bool) -> &'static str {
    if demo {
        "Saved to the OS keyring. Restart BrickDesk to leave the demo and use your store."
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

/// `2026-11-23T10:03:11.527Z` → `2026-11-23 10:03 UTC`; `—` when unknown.
pub fn short_time(iso: Option<&str>) -> String {
    match iso {
        Some(s) if s.len() >= 16 && s.is_char_boundary(16) => format!("{} {} UTC", &s[..10], &s[11..16]),
        Some(s) if !s.is_empty() => s.to_string(),
        _ => "—".into(),
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
        assert_eq!(short_time(Some("2026-11-23T10:03:11.527Z")), "2026-11-23 10:03 UTC");
        assert_eq!(short_time(None), "—");
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
    fn saving_in_the_demo_says_to_restart() {
        assert!(saved_notice(true).contains("Restart BrickDesk"));
        assert_eq!(saved_notice(false), "Saved to the OS keyring.");
    }

    #[test]
    fn missing_fields_lists_blank_ones_in_order() {
        assert_eq!(missing_fields(&[("Consumer key", "x"), ("Token", "  "), ("Secret", "")]), vec!["Token", "Secret"]);
        assert!(missing_fields(&[("API key", "k")]).is_empty());
    }
}
