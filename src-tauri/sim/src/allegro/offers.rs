//! Allegro's product offers and their journal (allegro.md §4): `GET /sale/offer-events`,
//! `GET /sale/offers`, `GET /sale/product-offers/{id}` and `PATCH /sale/product-offers/{id}`.
//!
//! What the fake holds to: events carry no stock or price, only `offer.id` and
//! `offer.external` (plus `publication.endedBy` on `OFFER_ENDED`, `marketplaces` on
//! `OFFER_PRICE_CHANGED`); only ACTIVE / ACTIVATING offers produce events, except
//! `OFFER_ARCHIVED`; the journal keeps 24 hours and a `from` it no longer keeps is refused like the
//! order journal's. A PATCH sets the absolute `stock.available`; 0 ends an active offer
//! (`OFFER_STOCK_CHANGED` then `OFFER_ENDED`); stock put on an ended offer stays there but does
//! not bring it back (Allegro resumes an offer only by a publication command). A PATCH body must
//! be sent as the vendor media type: anything else is 415 `UnsupportedMediaTypeException`, as
//! Allegro's gateway answers a plain `application/json` body.

use serde_json::{json, Value};

use super::offer::Offer;
use super::replies::{errors, json_body, unsupported_body, vendor};
use crate::http::{Reply, Req};
use crate::money::parse_fixed;
use crate::state::State;
use crate::types::AllegroOffer;

/// Journals `kind` about `offer` (its id and signature; `extra` merged into `offer`).
fn emit(st: &mut State, offer: &Offer, kind: &str, extra: Value) -> String {
    let ms = st.next_event_ms();
    let mut o = json!({"id": offer.id, "external": offer.external_json()});
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(extra.clone());
    }
    st.al.offers.journal.push(json!({"type": kind, "offer": o}), ms)
}

/// The seller lists an offer; an ACTIVE one is journalled as `OFFER_ACTIVATED`. Returns its id.
pub(crate) fn add_offer(st: &mut State, o: &AllegroOffer) -> String {
    let id = if o.id.is_empty() {
        let n = st.al.offers.next_id;
        st.al.offers.next_id += 1;
        n.to_string()
    } else {
        o.id.clone()
    };
    let offer = Offer {
        id: id.clone(),
        name: o.name.clone(),
        price_e2: parse_fixed(&o.price, 2).unwrap_or(0),
        currency: if o.currency.is_empty() { "PLN".into() } else { o.currency.clone() },
        stock: o.stock,
        status: if o.status.is_empty() { "ACTIVE".into() } else { o.status.clone() },
        external: o.external_id.clone(),
        ended_by: None,
        updated_at: st.next_event_ms(),
    };
    st.al.offers.offers.retain(|x| x.id != id);
    st.al.offers.offers.push(offer.clone());
    if offer.journals() {
        emit(st, &offer, "OFFER_ACTIVATED", json!({}));
    }
    id
}

/// Sets the stock (the seller on the website, a purchase, or a PATCH): a change of a live offer
/// is journalled, and 0 ends a live offer (`endedBy` as given). False if there is no such offer.
pub(crate) fn set_stock(st: &mut State, id: &str, available: i64, ended_by: &str) -> bool {
    let ms = st.next_event_ms();
    let Some(offer) = st.al.offers.get_mut(id) else { return false };
    let before = offer.clone();
    offer.stock = available;
    offer.updated_at = ms;
    let ends = available == 0 && before.journals();
    if ends {
        offer.status = "ENDED".into();
        offer.ended_by = Some(ended_by.to_string());
    }
    let after = offer.clone();
    if before.journals() && before.stock != available {
        emit(st, &after, "OFFER_STOCK_CHANGED", json!({}));
    }
    if ends {
        emit(st, &after, "OFFER_ENDED", json!({"publication": {"endedBy": ended_by}}));
    }
    true
}

/// The seller changes the price on the website (`OFFER_PRICE_CHANGED`, `changeType` MANUAL).
pub(crate) fn set_price(st: &mut State, id: &str, price: &str) -> bool {
    let ms = st.next_event_ms();
    let Some(offer) = st.al.offers.get_mut(id) else { return false };
    let Some(e2) = parse_fixed(price, 2) else { return false };
    let changed = offer.price_e2 != e2;
    offer.price_e2 = e2;
    offer.updated_at = ms;
    let after = offer.clone();
    if changed && after.journals() {
        emit(st, &after, "OFFER_PRICE_CHANGED", json!({"marketplaces": [{"id": "allegro-pl", "changeType": "MANUAL"}]}));
    }
    true
}

/// The seller ends an offer on the website (`OFFER_ENDED`, `endedBy` USER).
pub(crate) fn end_offer(st: &mut State, id: &str) -> bool {
    let ms = st.next_event_ms();
    let Some(offer) = st.al.offers.get_mut(id) else { return false };
    let was_live = offer.journals();
    offer.status = "ENDED".into();
    offer.ended_by = Some("USER".into());
    offer.updated_at = ms;
    let after = offer.clone();
    if was_live {
        emit(st, &after, "OFFER_ENDED", json!({"publication": {"endedBy": "USER"}}));
    }
    true
}

/// A purchase took `quantity` off the offer (if the account has it): `OFFER_STOCK_CHANGED`, and
/// `OFFER_ENDED` (EMPTY_STOCK) when it sold out.
pub(crate) fn purchased(st: &mut State, id: &str, quantity: i64) {
    let Some(stock) = st.al.offers.offers.iter().find(|o| o.id == id).map(|o| o.stock) else { return };
    set_stock(st, id, (stock - quantity).max(0), "EMPTY_STOCK");
}

/// Any JSON object as an offer journal event; returns its id.
pub(crate) fn push_raw(st: &mut State, value: Value) -> String {
    let ms = st.next_event_ms();
    st.al.offers.journal.push(value, ms)
}

/// Everything the offer journal keeps ages past its 24 hours.
pub(crate) fn expire_journal(st: &mut State) {
    st.al.offers.journal.events.clear();
}

pub(crate) fn events(st: &mut State, q: &[(String, String)]) -> Reply {
    match st.al.offers.journal.page(q) {
        Ok(page) => vendor(200, &json!({"offerEvents": page})),
        Err(refused) => refused,
    }
}

/// `?offset=&limit=` (limit 1–1000, default 20), every offer but archived ones, oldest first.
pub(crate) fn list(st: &State, q: &[(String, String)]) -> Reply {
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let limit = match get("limit").map(str::parse::<usize>) {
        None => 20,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        Some(_) => return errors(422, "VALIDATION_ERROR", "limit must be between 1 and 1000", Some("limit")),
    };
    let offset = match get("offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return errors(422, "VALIDATION_ERROR", "offset must be a number", Some("offset")),
    };
    let listed: Vec<&Offer> = st.al.offers.offers.iter().filter(|o| o.status != "ARCHIVED").collect();
    let page: Vec<Value> = listed.iter().skip(offset).take(limit).map(|o| o.list_json()).collect();
    vendor(200, &json!({"offers": page, "count": page.len(), "totalCount": listed.len()}))
}

pub(crate) fn get(st: &State, id: &str) -> Reply {
    match st.al.offers.offers.iter().find(|o| o.id == id) {
        Some(o) => vendor(200, &o.json()),
        None => not_found(id),
    }
}

fn not_found(id: &str) -> Reply {
    errors(404, "NOT_FOUND", &format!("Offer {id} not found"), None)
}

/// `PATCH /sale/product-offers/{id}` with `{"stock":{"available":N}}` (other fields are not
/// modelled and refused, so a client never believes an unmodelled change was made).
pub(crate) fn patch(st: &mut State, req: &Req, id: &str) -> Reply {
    if let Some(refused) = unsupported_body(req) {
        return refused;
    }
    if !st.al.offers.offers.iter().any(|o| o.id == id) {
        return not_found(id);
    }
    let body = match json_body(req) {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let Some(fields) = body.as_object() else {
        return errors(422, "VALIDATION_ERROR", "The body must be an object", None);
    };
    if let Some(other) = fields.keys().find(|k| *k != "stock") {
        return errors(422, "VALIDATION_ERROR", &format!("The simulator does not model changing '{other}'"), Some(other));
    }
    let available = match body.pointer("/stock/available") {
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            _ => return errors(422, "VALIDATION_ERROR", "stock.available must be a non-negative integer", Some("stock.available")),
        },
        None => None,
    };
    if let Some(n) = available {
        st.al.offers.patches.push((id.to_string(), n));
        set_stock(st, id, n, "USER");
    }
    get(st, id)
}
