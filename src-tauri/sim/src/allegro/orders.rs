//! Allegro's order journal (`/order/events`, `/order/event-stats`) and checkout forms
//! (`/order/checkout-forms`, `/order/checkout-forms/{id}`), allegro.md §3.

use chrono::DateTime;
use serde_json::{json, Value};

use super::form::Form;
use super::replies::{errors, ts, vendor};
use crate::http::Reply;
use crate::money::{fmt_fixed, parse_fixed};
use crate::state::State;
use crate::types::AllegroOrder;

pub(super) fn uuid() -> String {
    let r: u128 = rand::random();
    let h = format!("{r:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Appends an event of `kind` about form `id` (its state now).
fn emit(st: &mut State, id: &str, kind: &str) -> Option<String> {
    let ms = st.next_event_ms();
    let order = st.al.forms.get(id)?.event_order();
    Some(st.al.journal.push(json!({"type": kind, "order": order}), ms))
}

/// Changes form `id` with `f`, bumps its revision and `updatedAt`; false if there is no such form.
pub(super) fn touch(st: &mut State, id: &str, f: impl FnOnce(&mut Form)) -> bool {
    let ms = st.next_event_ms();
    match st.al.forms.get_mut(id) {
        Some(form) => {
            f(form);
            form.revision += 1;
            form.updated_at = DateTime::from_timestamp_millis(ms).unwrap_or_default();
            true
        }
        None => false,
    }
}

/// A purchase: `BOUGHT`, then (paid) `FILLED_IN` and `READY_FOR_PROCESSING`.
pub(crate) fn add_order(st: &mut State, o: &AllegroOrder) -> String {
    let id = uuid();
    let now = DateTime::from_timestamp_millis(st.next_event_ms()).unwrap_or_default();
    let mut total = parse_fixed(&o.delivery_cost, 2).unwrap_or(0);
    let lines: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            let price = parse_fixed(&l.price, 2).unwrap_or(0);
            total += price * l.quantity;
            let money = json!({"amount": fmt_fixed(price, 2), "currency": "PLN"});
            json!({"id": uuid(),
                   "offer": {"id": l.offer_id, "name": l.name, "external": l.external_id.as_ref().map(|e| json!({"id": e}))},
                   "quantity": l.quantity, "originalPrice": money, "price": money, "reconciliation": null,
                   "selectedAdditionalServices": [], "vouchers": [], "tax": null, "boughtAt": ts(now), "discounts": []})
        })
        .collect();
    let form = Form {
        id: id.clone(),
        status: "BOUGHT".into(),
        fulfillment: "NEW".into(),
        login: o.buyer_login.clone(),
        lines,
        delivery: o.delivery.clone(),
        delivery_cost_e2: parse_fixed(&o.delivery_cost, 2).unwrap_or(0),
        total_e2: total,
        revision: 1,
        updated_at: now,
        bought_at: now,
        shipments: Vec::new(),
    };
    st.al.forms.insert(id.clone(), form);
    emit(st, &id, "BOUGHT");
    // A purchase takes its pieces off the offer (and journals it there too, allegro.md §0).
    for l in &o.lines {
        super::offers::purchased(st, &l.offer_id, l.quantity);
    }
    if o.paid {
        pay(st, &id);
    }
    id
}

/// The buyer fills the form in and pays: `FILLED_IN`, `READY_FOR_PROCESSING`.
pub(crate) fn pay(st: &mut State, id: &str) {
    touch(st, id, |f| f.status = "FILLED_IN".into());
    emit(st, id, "FILLED_IN");
    touch(st, id, |f| f.status = "READY_FOR_PROCESSING".into());
    emit(st, id, "READY_FOR_PROCESSING");
}

/// The buyer cancels: the form is `CANCELLED`, `BUYER_CANCELLED` is journalled.
pub(crate) fn cancel(st: &mut State, id: &str) {
    if touch(st, id, |f| {
        f.status = "CANCELLED".into();
        f.fulfillment = "CANCELLED".into();
    }) {
        emit(st, id, "BUYER_CANCELLED");
    }
}

/// The seller (or Allegro) moves the fulfillment status: `FULFILLMENT_STATUS_CHANGED`.
pub(crate) fn set_fulfillment(st: &mut State, id: &str, status: &str) {
    if touch(st, id, |f| f.fulfillment = status.to_string()) {
        emit(st, id, "FULFILLMENT_STATUS_CHANGED");
    }
}

/// Any JSON object as a journal event (its `id` assigned, `occurredAt` unless given).
pub(crate) fn push_raw(st: &mut State, value: Value) -> String {
    let ms = st.next_event_ms();
    st.al.journal.push(value, ms)
}

/// Everything the journal keeps ages past retention.
pub(crate) fn expire_journal(st: &mut State) {
    st.al.journal.events.clear();
}

pub(crate) fn events(st: &mut State, q: &[(String, String)]) -> Reply {
    match st.al.journal.page(q) {
        Ok(page) => vendor(200, &json!({"events": page})),
        Err(refused) => refused,
    }
}

pub(crate) fn event_stats(st: &State) -> Reply {
    match st.al.journal.latest() {
        Some((id, at)) => vendor(200, &json!({"latestEvent": {"id": id, "occurredAt": at}})),
        None => vendor(200, &json!({})),
    }
}

/// The form as `GET /order/checkout-forms/{id}` answers it (also what `Sim::allegro_form` reads).
pub(crate) fn form_json(st: &State, id: &str) -> Option<Value> {
    st.al.forms.get(id).map(Form::json)
}

pub(super) fn form_not_found(id: &str) -> Reply {
    errors(404, "NOT_FOUND", &format!("Checkout form {id} not found"), None)
}

pub(crate) fn get_form(st: &State, id: &str) -> Reply {
    match form_json(st, id) {
        Some(f) => vendor(200, &f),
        None => form_not_found(id),
    }
}

/// `?status=&fulfillment.status=&limit=&offset=`, newest first (allegro.md §3.4).
pub(crate) fn list_forms(st: &State, q: &[(String, String)]) -> Reply {
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let limit = match get("limit").map(str::parse::<usize>) {
        None => 100,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        Some(_) => return errors(422, "VALIDATION_ERROR", "limit must be between 1 and 100", Some("limit")),
    };
    let offset = match get("offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) if n + limit <= 10_000 => n,
        Some(_) => return errors(422, "VALIDATION_ERROR", "offset + limit must not exceed 10000", Some("offset")),
    };
    let mut forms: Vec<&Form> = st
        .al
        .forms
        .values()
        .filter(|f| get("status").is_none_or(|s| f.status == s) && get("fulfillment.status").is_none_or(|s| f.fulfillment == s))
        .collect();
    forms.sort_by(|a, b| b.bought_at.cmp(&a.bought_at).then(a.id.cmp(&b.id)));
    let total = forms.len();
    let page: Vec<Value> = forms.into_iter().skip(offset).take(limit).map(Form::json).collect();
    vendor(200, &json!({"checkoutForms": page, "count": page.len(), "totalCount": total}))
}
