//! Allegro wire → neutral types. An order line names an *offer*, not a part: the offer's
//! `external.id` (the seller's signature) says which lot it sells — `bl-<BrickLink lot id>` or a
//! BrickDesk lot id (`bd-<id>` or the bare number) — and the offer id itself is a hint for a link
//! the seller made. What the lot is (item, colour, condition) is filled in from the matched lot
//! when the order is stored (`orders::describe_from_lots`).

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::wire::{CheckoutFormWire, CheckoutFormsPageWire, EventStatsWire, EventsPageWire, LineItemWire, OrderEventWire};
use crate::clock::format_ts;
use crate::marketplaces::error::MarketError;
use crate::marketplaces::types::{
    parse_time, Condition, LotHint, NotificationKind, OrderPhase, RemoteLine, RemoteNotification, RemoteOrder, RemoteOrderRef,
};
use crate::money::MoneyE4;

const M: Provider = Provider::Allegro;

/// The order journal's event types (allegro.md §3.1); any other is stored and shown, never processed.
pub const ORDER_EVENT_TYPES: [&str; 7] =
    ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING", "BUYER_CANCELLED", "FULFILLMENT_STATUS_CHANGED", "BUYER_MODIFIED", "AUTO_CANCELLED"];

/// Item type of a line whose offer names no lot BrickDesk knows (the item number is the offer id).
pub const UNMATCHED_ITEM_TYPE: &str = "ALLEGRO_OFFER";

fn decode_value<T: serde::de::DeserializeOwned>(endpoint: &str, v: Value) -> Result<T, MarketError> {
    serde_path_to_error::deserialize(v).map_err(|e| MarketError::Decode {
        marketplace: M,
        endpoint: endpoint.into(),
        path: e.path().to_string(),
        detail: e.inner().to_string(),
    })
}

/// One page of the order journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsPage {
    pub entries: Vec<RemoteNotification>,
    /// The id of the page's last event that has one: the next `from`.
    pub last_id: Option<String>,
    /// Events on the page (a full page means more may follow).
    pub count: usize,
}

/// `GET /order/events` → inbox entries, one per event. A malformed event becomes a malformed
/// entry (stored failed, with the error) and does not stop the others.
pub fn order_events(data: Value) -> Result<EventsPage, MarketError> {
    let page: EventsPageWire = decode_value("/order/events", data)?;
    let count = page.events.len();
    let mut last_id = None;
    let mut entries = Vec::with_capacity(count);
    for (i, raw) in page.events.into_iter().enumerate() {
        let id = raw.get("id").and_then(Value::as_str).map(str::to_string);
        if id.is_some() {
            last_id.clone_from(&id);
        }
        let text = raw.to_string();
        let entry = match decode_value::<OrderEventWire>("/order/events", raw.clone()) {
            Ok(e) => RemoteNotification {
                kind: if ORDER_EVENT_TYPES.contains(&e.event_type.as_str()) { NotificationKind::Order } else { NotificationKind::Unknown },
                timestamp: parse_time(&e.occurred_at).map(format_ts).unwrap_or(e.occurred_at),
                event_type: e.event_type,
                resource_id: e.order.checkout_form.id,
                raw: text,
                malformed: None,
                event_id: Some(e.id),
            },
            Err(e) => {
                let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
                RemoteNotification {
                    event_type: s(raw.get("type")).unwrap_or_else(|| "unknown".into()),
                    kind: NotificationKind::Order,
                    resource_id: s(raw.pointer("/order/checkoutForm/id")).or_else(|| id.clone()).unwrap_or_else(|| format!("event-{i}")),
                    timestamp: s(raw.get("occurredAt")).unwrap_or_default(),
                    raw: text,
                    malformed: Some(e.to_string().replace("/order/events", &format!("events[{i}]"))),
                    event_id: id,
                }
            }
        };
        entries.push(entry);
    }
    Ok(EventsPage { entries, last_id, count })
}

/// `GET /order/event-stats` → the newest event's id (none for a seller who never had one).
pub fn latest_event(data: Value) -> Result<Option<String>, MarketError> {
    let s: EventStatsWire = decode_value("/order/event-stats", data)?;
    Ok(s.latest_event.map(|e| e.id))
}

/// Where an Allegro order is, from the checkout form's status and its fulfillment status.
pub fn phase(status: &str, fulfillment: Option<&str>) -> OrderPhase {
    match (status, fulfillment.unwrap_or("")) {
        ("CANCELLED", _) | (_, "CANCELLED") => OrderPhase::Cancelled,
        ("READY_FOR_PROCESSING", "SENT" | "PICKED_UP" | "RETURNED") => OrderPhase::Fulfilled,
        // Bought but not paid (the buyer may still walk away): recorded, holds nothing — as a
        // cancelled order does — until READY_FOR_PROCESSING. The status says "unpaid".
        ("BOUGHT" | "FILLED_IN", _) => OrderPhase::Cancelled,
        // READY_FOR_PROCESSING, or a status BrickDesk does not know: holding stock is the safe mistake.
        _ => OrderPhase::Open,
    }
}

/// The status the seller reads: the fulfillment status once paid, else the form's own.
fn display_status(status: &str, fulfillment: Option<&str>) -> String {
    match (status, fulfillment) {
        ("READY_FOR_PROCESSING", Some(f)) if !f.is_empty() => f.to_string(),
        ("BOUGHT" | "FILLED_IN", _) => format!("{status} (unpaid)"),
        _ => status.to_string(),
    }
}

/// The oldest `boughtAt` of the lines, else `updatedAt`.
fn date_ordered(f: &CheckoutFormWire) -> Option<DateTime<Utc>> {
    f.line_items
        .iter()
        .filter_map(|l| l.bought_at.as_deref().and_then(parse_time))
        .min()
        .or_else(|| f.updated_at.as_deref().and_then(parse_time))
}

/// `GET /order/checkout-forms/{id}` → an order.
pub fn checkout_form(data: Value) -> Result<RemoteOrder, MarketError> {
    let raw = data.to_string();
    let f: CheckoutFormWire = decode_value("/order/checkout-forms/{id}", data)?;
    let bad = |path: &str, detail: &str| MarketError::Decode {
        marketplace: M,
        endpoint: "/order/checkout-forms/{id}".into(),
        path: path.into(),
        detail: detail.into(),
    };
    let summary = f.summary.as_ref().ok_or_else(|| bad("summary", "missing"))?;
    let date_ordered = date_ordered(&f).ok_or_else(|| bad("lineItems[].boughtAt", "no purchase time"))?;
    let mut subtotal = MoneyE4::ZERO;
    let mut pieces = 0i64;
    for (i, l) in f.line_items.iter().enumerate() {
        subtotal = l
            .price
            .amount
            .checked_mul(l.quantity)
            .and_then(|v| subtotal.checked_add(v))
            .ok_or_else(|| bad(&format!("lineItems[{i}].price"), "amount too large"))?;
        pieces = pieces.saturating_add(l.quantity);
    }
    let fulfillment = f.fulfillment.as_ref().and_then(|x| x.status.clone());
    let buyer = f.buyer.unwrap_or_default();
    let full_name = [buyer.first_name.as_deref(), buyer.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    Ok(RemoteOrder {
        phase: phase(&f.status, fulfillment.as_deref()),
        status: display_status(&f.status, fulfillment.as_deref()),
        buyer_name: buyer.login.filter(|l| !l.trim().is_empty()).unwrap_or(full_name),
        date_ordered,
        date_status_changed: f.updated_at.as_deref().and_then(parse_time),
        currency: summary.total_to_pay.currency.clone(),
        subtotal,
        grand_total: summary.total_to_pay.amount,
        total_count: pieces,
        unique_count: f.line_items.len() as i64,
        delivery_method: f.delivery.and_then(|d| d.method).and_then(|m| m.name),
        external_id: f.id,
        raw,
        lines: f.line_items.into_iter().map(line).collect(),
    })
}

fn line(l: LineItemWire) -> RemoteLine {
    let mut hints = Vec::new();
    if let Some(ext) = l.offer.external.and_then(|e| e.id).map(|e| e.trim().to_string()).filter(|e| !e.is_empty()) {
        let lower = ext.to_ascii_lowercase();
        if let Some(bl) = lower.strip_prefix("bl-").filter(|n| !n.is_empty()) {
            hints.push(LotHint::BricklinkLot(bl.to_string()));
        } else if let Some(local) = lower.strip_prefix("bd-").unwrap_or(&lower).parse::<i64>().ok() {
            hints.push(LotHint::Local(local));
        }
    }
    hints.push(LotHint::AllegroOffer(l.offer.id.clone()));
    RemoteLine {
        line_key: l.id,
        batch: 0,
        item_no: l.offer.id,
        item_type: UNMATCHED_ITEM_TYPE.into(),
        item_name: l.offer.name,
        color_id: None,
        color_name: String::new(),
        condition: Condition::New,
        quantity: l.quantity,
        unit_price: l.price.amount,
        location: None,
        lot_hints: hints,
    }
}

/// One page of `GET /order/checkout-forms` → order headers, and how many match in all.
pub fn checkout_forms(data: Value) -> Result<(Vec<RemoteOrderRef>, i64), MarketError> {
    let page: CheckoutFormsPageWire = decode_value("/order/checkout-forms", data)?;
    let total = page.total_count.unwrap_or(page.checkout_forms.len() as i64);
    let mut refs = Vec::with_capacity(page.checkout_forms.len());
    for (i, f) in page.checkout_forms.iter().enumerate() {
        let date_ordered = date_ordered(f).ok_or_else(|| MarketError::Decode {
            marketplace: M,
            endpoint: "/order/checkout-forms".into(),
            path: format!("checkoutForms[{i}].lineItems[].boughtAt"),
            detail: "no purchase time".into(),
        })?;
        refs.push(RemoteOrderRef {
            external_id: f.id.clone(),
            status: f.status.clone(),
            marker: format!("revision-{}", f.revision.as_deref().unwrap_or_default()),
            date_ordered,
        });
    }
    Ok((refs, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let text = match name {
            "events" => include_str!("../../../fixtures/allegro_order_events.json"),
            "form" => include_str!("../../../fixtures/allegro_checkout_form.json"),
            "stats" => include_str!("../../../fixtures/allegro_order_event_stats.json"),
            _ => unreachable!("no fixture {name}"),
        };
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn order_events_become_one_entry_each_with_the_checkout_form_as_resource() {
        let page = order_events(fixture("events")).unwrap();
        assert_eq!((page.count, page.last_id.as_deref()), (3, Some("MTEzMjQzODU3Ng")));
        let e = &page.entries[2];
        assert_eq!(
            (e.event_type.as_str(), e.kind, e.resource_id.as_str(), e.timestamp.as_str(), e.event_id.as_deref()),
            (
                "READY_FOR_PROCESSING",
                NotificationKind::Order,
                "29738e61-7f6a-11e8-ac45-09db60ede9d6",
                "2024-11-02T14:06:31.640Z",
                Some("MTEzMjQzODU3Ng")
            )
        );
        assert!(page.entries.iter().all(|e| e.malformed.is_none()));
    }

    #[test]
    fn an_unknown_type_is_kept_and_a_malformed_event_fails_alone() {
        let data = serde_json::json!({"events": [
            {"id": "A", "occurredAt": "2024-11-02T14:03:10.321Z", "type": "ORDER_TELEPORTED", "order": {"checkoutForm": {"id": "f1"}}},
            {"id": "B", "occurredAt": "2024-11-02T14:03:11Z", "type": "READY_FOR_PROCESSING", "order": {"checkoutForm": {}}},
            {"occurredAt": "2024-11-02T14:03:12Z", "type": "BOUGHT", "order": {"checkoutForm": {"id": "f3"}}},
        ]});
        let page = order_events(data).unwrap();
        assert_eq!(page.entries[0].kind, NotificationKind::Unknown);
        let why = page.entries[1].malformed.as_deref().unwrap_or_default();
        assert!(why.contains("order.checkoutForm") && why.contains("`id`"), "{:?}", page.entries[1]);
        assert_eq!((page.entries[2].resource_id.as_str(), page.entries[2].malformed.is_some()), ("f3", true));
        assert_eq!(page.last_id.as_deref(), Some("B"), "the cursor is the last event that has an id");
        assert!(order_events(serde_json::json!({"event": []})).is_err(), "a page that is not a page fails the feed");
    }

    #[test]
    fn the_checkout_form_becomes_an_order_in_pln_with_exact_money_and_lot_hints() {
        let o = checkout_form(fixture("form")).unwrap();
        assert_eq!(o.external_id, "29738e61-7f6a-11e8-ac45-09db60ede9d6");
        assert_eq!((o.status.as_str(), o.phase), ("NEW", OrderPhase::Open));
        assert_eq!((o.currency.as_str(), o.grand_total, o.subtotal), ("PLN", MoneyE4(219_800), MoneyE4(99_900)));
        assert_eq!((o.buyer_name.as_str(), o.delivery_method.as_deref()), ("Przyklad_Kupujacy", Some("Allegro Paczkomaty InPost")));
        assert_eq!(format_ts(o.date_ordered), "2024-11-02T14:03:09.771Z");
        let l = &o.lines[0];
        assert_eq!(
            (l.line_key.as_str(), l.quantity, l.unit_price, l.item_no.as_str()),
            ("62ae358b-8f65-4fc4-9c77-bedf604a2e2b", 1, MoneyE4(99_900), "14682205831")
        );
        assert_eq!(l.lot_hints, vec![LotHint::BricklinkLot("398211457".into()), LotHint::AllegroOffer("14682205831".into())]);
    }

    #[test]
    fn statuses_map_to_phases_unpaid_holds_nothing() {
        assert_eq!(phase("BOUGHT", Some("NEW")), OrderPhase::Cancelled);
        assert_eq!(phase("FILLED_IN", None), OrderPhase::Cancelled);
        assert_eq!(phase("READY_FOR_PROCESSING", Some("PROCESSING")), OrderPhase::Open);
        assert_eq!(phase("READY_FOR_PROCESSING", Some("SENT")), OrderPhase::Fulfilled);
        assert_eq!(phase("READY_FOR_PROCESSING", Some("CANCELLED")), OrderPhase::Cancelled);
        assert_eq!(phase("CANCELLED", Some("NEW")), OrderPhase::Cancelled);
        assert_eq!(phase("SOMETHING_NEW", None), OrderPhase::Open);
        assert_eq!(display_status("BOUGHT", Some("NEW")), "BOUGHT (unpaid)");
    }

    #[test]
    fn external_ids_name_lots_several_ways() {
        let mk = |ext: &str| {
            let v = serde_json::json!({"id": "l", "offer": {"id": "9", "name": "n", "external": {"id": ext}}, "quantity": 1, "price": {"amount": "1.00", "currency": "PLN"}});
            line(serde_json::from_value(v).unwrap()).lot_hints
        };
        assert_eq!(mk("bd-42")[0], LotHint::Local(42));
        assert_eq!(mk("42")[0], LotHint::Local(42));
        assert_eq!(mk("BL-7")[0], LotHint::BricklinkLot("7".into()));
        assert_eq!(mk("my-own-sku"), vec![LotHint::AllegroOffer("9".into())]);
        assert_eq!(latest_event(fixture("stats")).unwrap().as_deref(), Some("MTEzMjQzODU3Ng"));
        assert_eq!(latest_event(serde_json::json!({})).unwrap(), None);
    }
}
