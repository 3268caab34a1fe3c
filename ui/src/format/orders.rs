//! Orders: numbers, filters, picking and the Notifications panel.

use brickdesk_ipc::{Fulfillment, FulfillmentMark, InboxEntry, OrderStatusInput, OrdersQuery, OrdersSort, PickLine, PickStatus, Provider};

use super::words::{grouped, typed_text};
use crate::i18n::{t, tf, Value};

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
    /// The one status for every marketplace.
    pub fulfillment: Option<Fulfillment>,
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
                && self.fulfillment.is_none()
                && self.marketplace.is_none()
                && self.buyer.trim().is_empty()
                && self.from.trim().is_empty()
                && self.to.trim().is_empty())
    }
}

fn typed_day(label: String, s: &str) -> Result<Option<String>, String> {
    match typed_text(s) {
        None => Ok(None),
        Some(day) => match chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            Ok(_) => Ok(Some(day)),
            Err(_) => Err(tf("ord-filter-bad-day", &[("field", label.into()), ("got", format!("{day:?}").into())])),
        },
    }
}

/// The engine's question for the orders table (the page's offset and limit are the pager's), or
/// what to fix in the filters.
pub fn orders_query(f: &OrderFilter, (sort, descending): (OrdersSort, bool)) -> Result<OrdersQuery, String> {
    let from = typed_day(t("ord-filter-from"), &f.from);
    let to = typed_day(t("ord-filter-to"), &f.to);
    let (from, to) = match (from, to) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(a), Err(b)) => return Err(format!("{a} {b}")),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    Ok(OrdersQuery {
        status: typed_text(&f.status),
        fulfillment: f.fulfillment,
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
        "message" => t("ord-inbox-kind-message"),
        "feedback" => t("ord-inbox-kind-feedback"),
        "order" => t("ord-inbox-kind-order"),
        other => other.to_string(),
    }
}

/// `1/4`: lines picked of an order's lots.
pub fn pick_progress(picked: i64, lots: i64) -> String {
    format!("{}/{}", grouped(picked), grouped(lots))
}

/// What the picker reads next to a line's tick box.
pub fn pick_label(status: PickStatus) -> String {
    match status {
        PickStatus::Unpicked => t("ord-pick-not-picked"),
        PickStatus::Picked => t("ord-pick-picked"),
        PickStatus::Missing => t("ord-pick-missing"),
    }
}

/// An order's status, the same for every marketplace, as the orders table, its filter and the
/// order panel show it: `Paid`, `Shipped`.
pub fn fulfilment_label(f: Fulfillment) -> String {
    match f {
        Fulfillment::New => t("ord-status-new"),
        Fulfillment::Paid => t("ord-status-paid"),
        Fulfillment::Packed => t("ord-status-packed"),
        Fulfillment::Shipped => t("ord-status-shipped"),
        Fulfillment::Completed => t("ord-status-completed"),
        Fulfillment::Cancelled => t("ord-status-cancelled"),
    }
}

/// Whether the marketplace heard of the seller's change, as the order panel says it: `None` when
/// nothing was changed in BrickDesk.
pub fn remote_label(remote: Option<&str>, market: Provider, last_error: Option<&str>) -> Option<String> {
    let market = || ("market", Value::from(market.display_name()));
    match remote? {
        "synced" => Some(tf("ord-remote-synced", &[market()])),
        "failed" => {
            let error = last_error.map(str::to_string).unwrap_or_else(|| t("ord-remote-no-reason"));
            Some(tf("ord-remote-failed", &[market(), ("error", error.into())]))
        }
        _ => Some(match last_error {
            Some(e) => tf("ord-remote-retrying", &[market(), ("error", e.into())]),
            None => tf("ord-remote-sending", &[market()]),
        }),
    }
}

/// The marks an order can take next, in the order the buttons show: paid (an unpaid order on
/// BrickLink or BrickOwl, paid off-site), packed, shipped.
pub fn next_marks(market: Provider, status: Fulfillment) -> Vec<FulfillmentMark> {
    match status {
        Fulfillment::New if market != Provider::Allegro => vec![FulfillmentMark::Paid, FulfillmentMark::Packed, FulfillmentMark::Shipped],
        Fulfillment::New => Vec::new(),
        Fulfillment::Paid => vec![FulfillmentMark::Packed, FulfillmentMark::Shipped],
        Fulfillment::Packed => vec![FulfillmentMark::Shipped],
        _ => Vec::new(),
    }
}

/// A button's words for a mark.
pub fn mark_label(mark: FulfillmentMark) -> String {
    match mark {
        FulfillmentMark::Paid => t("ord-mark-paid"),
        FulfillmentMark::Packed => t("ord-mark-packed"),
        FulfillmentMark::Shipped => t("ord-mark-shipped"),
    }
}

/// What the ship form sends for one order: blanks are none, an Allegro carrier only with a
/// tracking number, its name only for `OTHER`.
pub fn ship_input(order_id: i64, market: Provider, tracking: &str, carrier: &str, carrier_name: &str) -> OrderStatusInput {
    let tracking = typed_text(tracking);
    let allegro = market == Provider::Allegro && tracking.is_some();
    let carrier = typed_text(carrier).filter(|_| allegro);
    let carrier_name = typed_text(carrier_name).filter(|_| carrier.as_deref() == Some("OTHER"));
    // A link is a link: BrickLink and BrickOwl take it as the tracking link.
    let (tracking, tracking_url) = match tracking {
        Some(t) if !allegro && (t.starts_with("https://") || t.starts_with("http://")) => (None, Some(t)),
        t => (t, None),
    };
    OrderStatusInput { order_id, status: FulfillmentMark::Shipped, tracking, tracking_url, carrier, carrier_name }
}

/// `2 × #21457893, 1 × #a1b2c3d4…`: which orders take a pick list line's pieces.
pub fn pick_line_orders(line: &PickLine, market_of: impl Fn(i64) -> Option<Provider>) -> String {
    line.orders
        .iter()
        .map(|o| {
            let number = match market_of(o.order_id) {
                Some(m) => order_number(m, &o.external_id),
                None => o.external_id.clone(),
            };
            format!("{} × #{number}", grouped(o.quantity))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether every order line of a pick list line is picked.
pub fn pick_line_done(line: &PickLine) -> bool {
    line.orders.iter().all(|o| o.pick_status == PickStatus::Picked)
}

/// Whether any order line of a pick list line was not found.
pub fn pick_line_short(line: &PickLine) -> bool {
    line.orders.iter().any(|o| o.pick_status == PickStatus::Missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::words::attempts;

    #[test]
    fn the_ship_form_sends_what_each_marketplace_takes() {
        let bl = ship_input(1, Provider::Bricklink, " 1Z999 ", "DPD", "x");
        assert_eq!((bl.tracking.as_deref(), bl.carrier, bl.carrier_name), (Some("1Z999"), None, None));
        let link = ship_input(1, Provider::Brickowl, "https://track.example/1", "", "");
        assert_eq!((link.tracking, link.tracking_url.as_deref()), (None, Some("https://track.example/1")));
        let al = ship_input(2, Provider::Allegro, "6123", "OTHER", " Kurier ");
        assert_eq!((al.carrier.as_deref(), al.carrier_name.as_deref()), (Some("OTHER"), Some("Kurier")));
        let none = ship_input(2, Provider::Allegro, "  ", "DPD", "");
        assert_eq!((none.tracking, none.carrier), (None, None), "no waybill: no carrier either");
        assert_eq!(none.status, FulfillmentMark::Shipped);
    }

    #[test]
    fn an_order_offers_only_the_marks_ahead_of_it() {
        assert_eq!(next_marks(Provider::Bricklink, Fulfillment::New)[0], FulfillmentMark::Paid);
        assert!(next_marks(Provider::Allegro, Fulfillment::New).is_empty(), "Allegro orders are paid on Allegro");
        assert_eq!(next_marks(Provider::Allegro, Fulfillment::Packed), [FulfillmentMark::Shipped]);
        assert!(next_marks(Provider::Brickowl, Fulfillment::Shipped).is_empty());
        assert_eq!(Fulfillment::ALL.map(fulfilment_label), ["New", "Paid", "Packed", "Shipped", "Completed", "Cancelled"]);
        assert_eq!(mark_label(FulfillmentMark::Shipped), "Mark shipped…");
        assert_eq!(remote_label(Some("synced"), Provider::Allegro, None).as_deref(), Some("Allegro has it"));
        assert_eq!(remote_label(Some("failed"), Provider::Brickowl, None).as_deref(), Some("BrickOwl refused it: no reason given"));
        assert_eq!(
            remote_label(Some("pending"), Provider::Bricklink, Some("503")).as_deref(),
            Some("Sending to BrickLink again soon (503)")
        );
        assert_eq!(remote_label(Some("pending"), Provider::Bricklink, None).as_deref(), Some("Sending to BrickLink…"));
        assert_eq!(remote_label(Some("failed"), Provider::Bricklink, Some("422")).as_deref(), Some("BrickLink refused it: 422"));
        assert_eq!(remote_label(None, Provider::Bricklink, None), None);
    }

    #[test]
    fn order_filters_become_the_engines_question() {
        let f = OrderFilter {
            status: " PAID ".into(),
            fulfillment: None,
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
