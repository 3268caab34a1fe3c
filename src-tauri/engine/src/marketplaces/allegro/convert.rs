//! Allegro wire → neutral types. An order line names an *offer*, not a part: the offer's
//! `external.id` (the seller's signature) says which lot it sells — `bl-<BrickLink lot id>` or a
//! BrickDesk lot id (`bd-<id>` or the bare number) — and the offer id itself is a hint for a link
//! the seller made. What the lot is (item, colour, condition) is filled in from the matched lot
//! when the order is stored (`orders::apply::describe_from_lots`).

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::wire::{
    CheckoutFormWire, CheckoutFormsPageWire, EventStatsWire, EventsPageWire, LineItemWire, OfferEventWire, OfferEventsPageWire, OfferWire,
    OffersPageWire, OrderEventWire,
};
use crate::base::clock::format_ts;
use crate::base::money::MoneyE4;
use crate::marketplaces::error::MarketError;
use crate::marketplaces::types::{
    parse_time, Condition, LotHint, NotificationKind, OrderPhase, RemoteLine, RemoteNotification, RemoteOffer, RemoteOrder, RemoteOrderRef,
};

const M: Provider = Provider::Allegro;

/// The order journal's event types (allegro.md §3.1); any other is stored and shown, never processed.
pub const ORDER_EVENT_TYPES: [&str; 7] =
    ["BOUGHT", "FILLED_IN", "READY_FOR_PROCESSING", "BUYER_CANCELLED", "FULFILLMENT_STATUS_CHANGED", "BUYER_MODIFIED", "AUTO_CANCELLED"];

/// The offer journal's event types (allegro.md §4): each is processed by fetching the offer; any
/// other is stored and shown, never processed.
pub const OFFER_EVENT_TYPES: [&str; 11] = [
    "OFFER_ACTIVATED",
    "OFFER_CHANGED",
    "OFFER_ENDED",
    "OFFER_STOCK_CHANGED",
    "OFFER_PRICE_CHANGED",
    "OFFER_ARCHIVED",
    "OFFER_BID_PLACED",
    "OFFER_BID_CANCELED",
    "OFFER_TRANSLATION_UPDATED",
    "OFFER_VISIBILITY_CHANGED",
    "OFFER_DELIVERY_COUNTRIES_BLOCKED",
];

/// Item type of a line whose offer names no lot BrickDesk knows (the item number is the offer id).
pub const UNMATCHED_ITEM_TYPE: &str = "ALLEGRO_OFFER";

fn decode_value<T: serde::de::DeserializeOwned>(endpoint: &str, v: Value) -> Result<T, MarketError> {
    crate::marketplaces::error::decode_value(M, endpoint, v)
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
    journal_page(page.events, "/order/events", "events", "/order/checkoutForm/id", |raw| {
        let e = decode_value::<OrderEventWire>("/order/events", raw)?;
        let known = ORDER_EVENT_TYPES.contains(&e.event_type.as_str());
        Ok((
            e.id,
            e.occurred_at,
            e.event_type,
            e.order.checkout_form.id,
            if known { NotificationKind::Order } else { NotificationKind::Unknown },
        ))
    })
}

/// `GET /sale/offer-events` → inbox entries, one per event, the offer id as resource. A
/// malformed event fails alone, as in [`order_events`].
pub fn offer_events(data: Value) -> Result<EventsPage, MarketError> {
    let page: OfferEventsPageWire = decode_value("/sale/offer-events", data)?;
    journal_page(page.offer_events, "/sale/offer-events", "offerEvents", "/offer/id", |raw| {
        let e = decode_value::<OfferEventWire>("/sale/offer-events", raw)?;
        let known = OFFER_EVENT_TYPES.contains(&e.event_type.as_str());
        Ok((e.id, e.occurred_at, e.event_type, e.offer.id, if known { NotificationKind::Offer } else { NotificationKind::Unknown }))
    })
}

/// What one journal event says: id, occurredAt, type, resource id, kind.
type EventParts = (String, String, String, String, NotificationKind);

/// A journal page → inbox entries: `parse` reads one event; one it refuses becomes a malformed
/// entry (resource from `resource_pointer`, else the event id) of the journal's processed kind.
fn journal_page(
    events: Vec<Value>,
    endpoint: &str,
    array: &str,
    resource_pointer: &str,
    parse: impl Fn(Value) -> Result<EventParts, MarketError>,
) -> Result<EventsPage, MarketError> {
    let malformed_kind = if endpoint == "/order/events" { NotificationKind::Order } else { NotificationKind::Offer };
    let count = events.len();
    let mut last_id = None;
    let mut entries = Vec::with_capacity(count);
    for (i, raw) in events.into_iter().enumerate() {
        let id = raw.get("id").and_then(Value::as_str).map(str::to_string);
        if id.is_some() {
            last_id.clone_from(&id);
        }
        let text = raw.to_string();
        let entry = match parse(raw.clone()) {
            Ok((event_id, occurred_at, event_type, resource_id, kind)) => RemoteNotification {
                kind,
                timestamp: parse_time(&occurred_at).map(format_ts).unwrap_or(occurred_at),
                event_type,
                resource_id,
                raw: text,
                malformed: None,
                event_id: Some(event_id),
            },
            Err(e) => {
                let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
                RemoteNotification {
                    event_type: s(raw.get("type")).unwrap_or_else(|| "unknown".into()),
                    kind: malformed_kind,
                    resource_id: s(raw.pointer(resource_pointer)).or_else(|| id.clone()).unwrap_or_else(|| format!("event-{i}")),
                    timestamp: s(raw.get("occurredAt")).unwrap_or_default(),
                    raw: text,
                    malformed: Some(e.to_string().replace(endpoint, &format!("{array}[{i}]"))),
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

/// The stored statuses of purchases not paid yet (see [`display_status`]): Allegro has taken their
/// pieces off the offer, BrickDesk reserves nothing for them.
pub const UNPAID_STATUSES: [&str; 2] = ["BOUGHT (unpaid)", "FILLED_IN (unpaid)"];

/// Whether an order's stored status is one of [`UNPAID_STATUSES`].
pub fn is_unpaid(stored_status: &str) -> bool {
    UNPAID_STATUSES.contains(&stored_status)
}

/// The status the seller reads: the fulfillment status once paid, else the form's own.
fn display_status(status: &str, fulfillment: Option<&str>) -> String {
    match (status, fulfillment) {
        ("READY_FOR_PROCESSING", Some(f)) if !f.is_empty() => f.to_string(),
        // Cancelled before it was paid: cancelled, not unpaid (an unpaid purchase keeps its pieces
        // off the offer; this one holds nothing any more).
        (_, Some("CANCELLED")) => "CANCELLED".to_string(),
        ("BOUGHT", _) => UNPAID_STATUSES[0].to_string(),
        ("FILLED_IN", _) => UNPAID_STATUSES[1].to_string(),
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

/// The lots an offer may be sold from, strongest first — the one rule for order lines and the
/// offers list: the seller's link (the offer id, `allegro_offer_links`), then the offer's
/// signature: a BrickDesk lot id (`bd-<id>` or the bare number) or a BrickLink lot (`bl-<id>`).
pub fn offer_lot_hints(offer_id: &str, external_id: Option<&str>) -> Vec<LotHint> {
    let mut hints = vec![LotHint::AllegroOffer(offer_id.to_string())];
    hints.extend(external_id.and_then(signature_hint));
    hints
}

/// What a signature names, read as sellers type it (spaces, capitals, leading zeros): `bl-<id>` a
/// BrickLink lot, `bd-<id>` or a bare number a BrickDesk lot; anything else nothing. The one
/// reading: order lines use it, and the offers table keeps its result (`signature_lot`,
/// `signature_bl_lot`) for the stock push to look lots' offers up by.
pub fn signature_hint(external_id: &str) -> Option<LotHint> {
    let lower = external_id.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return None;
    }
    if let Some(bl) = lower.strip_prefix("bl-").map(str::trim).filter(|n| !n.is_empty()) {
        return Some(LotHint::BricklinkLot(bl.to_string()));
    }
    lower.strip_prefix("bd-").unwrap_or(&lower).trim().parse::<i64>().ok().filter(|id| *id > 0).map(LotHint::Local)
}

fn line(l: LineItemWire) -> RemoteLine {
    let hints = offer_lot_hints(&l.offer.id, l.offer.external.and_then(|e| e.id).as_deref());
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

fn remote_offer(o: OfferWire) -> RemoteOffer {
    let price = o.selling_mode.and_then(|s| s.price);
    RemoteOffer {
        offer_id: o.id,
        name: o.name,
        price: price.as_ref().map(|p| p.amount),
        currency: price.map(|p| p.currency),
        stock_available: o.stock.and_then(|s| s.available),
        status: o.publication.and_then(|p| p.status).filter(|s| !s.is_empty()).unwrap_or_else(|| "UNKNOWN".into()),
        external_id: o.external.and_then(|e| e.id).map(|e| e.trim().to_string()).filter(|e| !e.is_empty()),
    }
}

/// `GET /sale/product-offers/{id}` → the offer.
pub fn product_offer(data: Value) -> Result<RemoteOffer, MarketError> {
    Ok(remote_offer(decode_value("/sale/product-offers/{offerId}", data)?))
}

/// One page of `GET /sale/offers` → offers, and how many the seller has in all.
pub fn offers(data: Value) -> Result<(Vec<RemoteOffer>, i64), MarketError> {
    let page: OffersPageWire = decode_value("/sale/offers", data)?;
    let total = page.total_count.unwrap_or(page.offers.len() as i64);
    Ok((page.offers.into_iter().map(remote_offer).collect(), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Value {
        let text = match name {
            "events" => include_str!("../../../fixtures/allegro_order_events.json"),
            "form" => include_str!("../../../fixtures/allegro_checkout_form.json"),
            "stats" => include_str!("../../../fixtures/allegro_order_event_stats.json"),
            "offer_events" => include_str!("../../../fixtures/allegro_offer_events.json"),
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
        assert_eq!(l.lot_hints, vec![LotHint::AllegroOffer("14682205831".into()), LotHint::BricklinkLot("398211457".into())]);
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
        // Cancelled before it was paid: no longer unpaid (it would keep its pieces off the offer
        // for ever), cancelled.
        for form in ["BOUGHT", "FILLED_IN"] {
            assert_eq!(phase(form, Some("CANCELLED")), OrderPhase::Cancelled);
            assert!(!is_unpaid(&display_status(form, Some("CANCELLED"))), "{form}");
            assert_eq!(display_status(form, Some("CANCELLED")), "CANCELLED");
        }
    }

    #[test]
    fn external_ids_name_lots_several_ways() {
        let mk = |ext: &str| {
            let v = serde_json::json!({"id": "l", "offer": {"id": "9", "name": "n", "external": {"id": ext}}, "quantity": 1, "price": {"amount": "1.00", "currency": "PLN"}});
            line(serde_json::from_value(v).unwrap()).lot_hints
        };
        assert_eq!(mk("bd-42")[0], LotHint::AllegroOffer("9".into()), "the seller's link comes first");
        assert_eq!(mk("bd-42")[1], LotHint::Local(42));
        assert_eq!(mk("42")[1], LotHint::Local(42));
        assert_eq!(mk("BL-7")[1], LotHint::BricklinkLot("7".into()));
        assert_eq!(mk("my-own-sku"), vec![LotHint::AllegroOffer("9".into())]);
        assert_eq!(latest_event(fixture("stats")).unwrap().as_deref(), Some("MTEzMjQzODU3Ng"));
        assert_eq!(latest_event(serde_json::json!({})).unwrap(), None);
    }

    #[test]
    fn offer_events_carry_the_offer_id_and_unknown_or_malformed_ones_stand_alone() {
        let page = offer_events(fixture("offer_events")).unwrap();
        assert_eq!((page.count, page.last_id.as_deref()), (5, Some("MTY5ODY1MjAwMTAwMDAwNQ")));
        let e = &page.entries[0];
        assert_eq!(
            (e.event_type.as_str(), e.kind, e.resource_id.as_str(), e.timestamp.as_str(), e.event_id.as_deref()),
            ("OFFER_STOCK_CHANGED", NotificationKind::Offer, "14682205831", "2024-11-02T14:03:12.118Z", Some("MTY5ODY1MjAwMTAwMDAwMQ"))
        );
        assert!(page.entries.iter().all(|e| e.malformed.is_none() && e.kind == NotificationKind::Offer), "external: null is fine");
        let data = serde_json::json!({"offerEvents": [
            {"id": "A", "occurredAt": "2024-11-02T14:03:10.321Z", "type": "OFFER_TELEPORTED", "offer": {"id": "1"}},
            {"id": "B", "occurredAt": "2024-11-02T14:03:11Z", "type": "OFFER_STOCK_CHANGED", "offer": {}},
        ]});
        let page = offer_events(data).unwrap();
        assert_eq!(page.entries[0].kind, NotificationKind::Unknown);
        let why = page.entries[1].malformed.as_deref().unwrap_or_default();
        assert!(why.contains("offerEvents[1]") && why.contains("offer"), "{why}");
        assert_eq!((page.entries[1].kind, page.entries[1].resource_id.as_str()), (NotificationKind::Offer, "B"));
        assert!(offer_events(serde_json::json!({"events": []})).is_err());
    }

    #[test]
    fn offers_read_price_stock_status_and_signature() {
        let o = product_offer(
            serde_json::json!({"id": "77", "name": "Klocek", "sellingMode": {"price": {"amount": "12.50", "currency": "PLN"}},
            "stock": {"available": 4, "unit": "UNIT"}, "publication": {"status": "ACTIVE"}, "external": {"id": " bl-9 "}}),
        )
        .unwrap();
        assert_eq!(
            o,
            RemoteOffer {
                offer_id: "77".into(),
                name: "Klocek".into(),
                price: Some(MoneyE4(125_000)),
                currency: Some("PLN".into()),
                stock_available: Some(4),
                status: "ACTIVE".into(),
                external_id: Some("bl-9".into())
            }
        );
        let (list, total) =
            offers(serde_json::json!({"offers": [{"id": 5, "name": "x", "external": null}], "count": 1, "totalCount": 3})).unwrap();
        assert_eq!((list[0].offer_id.as_str(), list[0].status.as_str(), list[0].price, total), ("5", "UNKNOWN", None, 3));
        assert_eq!(offer_lot_hints("5", Some("my-sku")), vec![LotHint::AllegroOffer("5".into())]);
    }

    #[test]
    fn a_signature_is_read_as_sellers_type_it() {
        let local = |id| Some(LotHint::Local(id));
        let bricklink = |id: &str| Some(LotHint::BricklinkLot(id.into()));
        for (typed, names) in [
            ("bd-42", local(42)),
            (" BD-042 ", local(42)),
            ("Bd- 7", local(7)),
            ("42", local(42)),
            ("bl-38000001", bricklink("38000001")),
            ("BL-38000001\t", bricklink("38000001")),
            ("bd-0", None),
            ("bd--4", None),
            ("bl-", None),
            ("3001 red", None),
            ("", None),
            ("   ", None),
        ] {
            assert_eq!(signature_hint(typed), names, "{typed:?}");
        }
    }
}

/// Where a stored Allegro order goes (`raw`: the checkout form): `delivery.method.name`, and
/// `delivery.address` as a label reads it — or the pickup point's, for a parcel locker.
pub fn shipping(raw: &Value) -> (Option<String>, Option<String>) {
    let d = &raw["delivery"];
    let text = |v: &Value| v.as_str().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let a = &d["address"];
    let name = [text(&a["firstName"]), text(&a["lastName"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let town = [text(&a["zipCode"]), text(&a["city"])].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let mut lines: Vec<String> =
        [Some(name), text(&a["companyName"]), text(&a["street"]), Some(town), text(&a["countryCode"]), text(&a["phoneNumber"])]
            .into_iter()
            .flatten()
            .filter(|l| !l.is_empty())
            .collect();
    let p = &d["pickupPoint"];
    if let Some(point) = text(&p["name"]).or_else(|| text(&p["id"])) {
        let at = [text(&p["address"]["street"]), text(&p["address"]["zipCode"]), text(&p["address"]["city"])].into_iter().flatten();
        lines.push(format!("Pickup point {point}"));
        lines.extend(at);
    }
    (text(&d["method"]["name"]), (!lines.is_empty()).then(|| lines.join("\n")))
}

/// One status for every marketplace, from the stored display status ([`display_status`]).
/// `None` for SUSPENDED and RETURNED: the order keeps what it had.
pub fn fulfillment(stored_status: &str) -> Option<brickdesk_ipc::Fulfillment> {
    use brickdesk_ipc::Fulfillment as F;
    if is_unpaid(stored_status) {
        return Some(F::New);
    }
    Some(match stored_status.trim() {
        "NEW" | "PROCESSING" | "READY_FOR_PROCESSING" => F::Paid,
        "READY_FOR_SHIPMENT" | "READY_FOR_PICKUP" => F::Packed,
        "SENT" => F::Shipped,
        "PICKED_UP" => F::Completed,
        "CANCELLED" => F::Cancelled,
        _ => return None,
    })
}

/// The fulfillment status `PUT …/fulfillment` takes for a status the seller sets.
pub fn fulfillment_status(f: brickdesk_ipc::Fulfillment) -> Option<&'static str> {
    match f {
        brickdesk_ipc::Fulfillment::Packed => Some("READY_FOR_SHIPMENT"),
        brickdesk_ipc::Fulfillment::Shipped => Some("SENT"),
        _ => None,
    }
}
