//! Orders: numbers, filters, picking and the Notifications panel.

use brickdesk_ipc::{InboxEntry, OrdersQuery, OrdersSort, PickStatus, Provider};

use super::words::typed_text;

/// An order's number as the orders table shows it. Allegro's are checkout-form UUIDs (36
/// characters) that would widen the table past the window: the first 8 stand for it there (the
/// row's tooltip and the order panel show it whole). BrickLink's and BrickOwl's are short numbers.
pub fn order_number(marketplace: Provider, external_id: &str) -> String {
    match marketplace {
        Provider::Allegro if external_id.chars().count() > 12 => format!("{}…", external_id.chars().take(8).collect::<String>()),
        _ => external_id.to_string(),
    }
}

/// A delivery method worth showing (the marketplace may send none, or blanks).
pub fn delivery_method(method: Option<&str>) -> Option<String> {
    method.map(str::trim).filter(|m| !m.is_empty()).map(str::to_string)
}

/// The orders table's filters, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// The marketplace's status, exactly (`PAID`, `Shipped`).
    pub status: String,
    pub marketplace: Option<Provider>,
    /// Buyer name prefix.
    pub buyer: String,
    /// Days, `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
}

impl OrderFilter {
    pub fn is_empty(&self) -> bool {
        self == &OrderFilter::default()
            || (self.status.trim().is_empty()
                && self.marketplace.is_none()
                && self.buyer.trim().is_empty()
                && self.from.trim().is_empty()
                && self.to.trim().is_empty())
    }
}

fn typed_day(label: &str, s: &str) -> Result<Option<String>, String> {
    match typed_text(s) {
        None => Ok(None),
        Some(t) => match chrono::NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
            Ok(_) => Ok(Some(t)),
            Err(_) => Err(format!("{label}: type a day like 2026-11-23 (got {t:?}).")),
        },
    }
}

/// The engine's question for the orders table (the page's offset and limit are the pager's), or
/// what to fix in the filters.
pub fn orders_query(f: &OrderFilter, (sort, descending): (OrdersSort, bool)) -> Result<OrdersQuery, String> {
    let from = typed_day("From", &f.from);
    let to = typed_day("To", &f.to);
    let (from, to) = match (from, to) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => return Err(format!("{a} {b}")),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    Ok(OrdersQuery {
        status: typed_text(&f.status),
        marketplace: f.marketplace,
        buyer: typed_text(&f.buyer),
        from,
        to,
        sort,
        descending,
        offset: 0,
        limit: 0,
    })
}

/// A new order column's first direction: newest dates and biggest totals first.
pub fn orders_sort_starts_descending(sort: OrdersSort) -> bool {
    matches!(sort, OrdersSort::Date | OrdersSort::Total)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::words::attempts;

    #[test]
    fn order_filters_become_the_engines_question() {
        let f = OrderFilter {
            status: " PAID ".into(),
            marketplace: Some(Provider::Brickowl),
            buyer: "an".into(),
            from: "2026-11-01".into(),
            to: String::new(),
        };
        let q = orders_query(&f, (OrdersSort::Date, true)).unwrap();
        assert_eq!(
            (q.status.as_deref(), q.marketplace, q.buyer.as_deref(), q.from.as_deref(), q.to, q.sort, q.descending),
            (Some("PAID"), Some(Provider::Brickowl), Some("an"), Some("2026-11-01"), None, OrdersSort::Date, true)
        );
        assert!(!f.is_empty());
        assert!(OrderFilter { buyer: "  ".into(), ..Default::default() }.is_empty());
        let bad = OrderFilter { from: "1.11.2026".into(), to: "tomorrow".into(), ..Default::default() };
        assert_eq!(
            orders_query(&bad, (OrdersSort::Date, true)).unwrap_err(),
            "From: type a day like 2026-11-23 (got \"1.11.2026\"). To: type a day like 2026-11-23 (got \"tomorrow\")."
        );
        assert!(orders_sort_starts_descending(OrdersSort::Total) && !orders_sort_starts_descending(OrdersSort::Buyer));
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

    #[test]
    fn allegro_order_numbers_are_shortened_in_the_table_only() {
        let uuid = "bf2c89ac-e58a-ba38-19e6-b3c41a17da5e";
        assert_eq!(order_number(Provider::Allegro, uuid), "bf2c89ac…");
        assert_eq!(order_number(Provider::Allegro, "12345"), "12345");
        assert_eq!(order_number(Provider::Bricklink, "21457893"), "21457893");
        assert_eq!(order_number(Provider::Brickowl, uuid), uuid);
    }

    #[test]
    fn delivery_method_shown_only_when_there_is_one() {
        assert_eq!(delivery_method(Some(" Allegro Paczkomaty InPost ")), Some("Allegro Paczkomaty InPost".to_string()));
        assert_eq!(delivery_method(Some("  ")), None);
        assert_eq!(delivery_method(None), None);
    }
}
