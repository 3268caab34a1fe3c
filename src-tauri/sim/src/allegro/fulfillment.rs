//! The seller's side of an Allegro order (allegro.md §3.5): the fulfillment status
//! (`PUT /order/checkout-forms/{id}/fulfillment`), the shipments that carry its waybills
//! (`GET` and `POST /order/checkout-forms/{id}/shipments`) and the carriers a waybill may name
//! (`GET /order/carriers`).
//!
//! What the fake holds to: a status PUT may name the revision it read
//! (`?checkoutForm.revision=`), and one that is no longer the form's is refused with 409, so a
//! client must read the form again before it retries; a change journals
//! `FULFILLMENT_STATUS_CHANGED` like one made on allegro.pl. A shipment POST is not idempotent:
//! the same body sent twice adds two shipments, so a client that lost the answer must read the
//! shipments before it sends again. Both bump the form's revision. This file calls into
//! `orders.rs` (revisions, the journal), never the other way.

use chrono::DateTime;
use serde_json::{json, Map, Value};

use super::form::Shipment;
use super::orders::{form_not_found, set_fulfillment, touch, uuid};
use super::replies::{errors, json_body, no_content, unsupported_body, vendor};
use crate::http::{Reply, Req};
use crate::state::State;

/// What `GET /order/carriers` lists. Allegro's own list is longer and changes over time; a fixed
/// one is enough for what a client must get right (send a listed id, and a name with `OTHER`).
const CARRIERS: &[(&str, &str)] = &[
    ("DPD", "DPD"),
    ("INPOST", "InPost"),
    ("POCZTA_POLSKA", "Poczta Polska"),
    ("UPS", "UPS"),
    ("DHL", "DHL"),
    ("OTHER", "Inny przewoźnik"),
];

/// Fulfillment statuses a seller may set. `RETURNED` also exists but only Allegro sets it (a
/// parcel came back), so a PUT of it is refused like an unknown status.
const SELLER_STATUSES: &[&str] =
    &["NEW", "PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP", "SENT", "PICKED_UP", "CANCELLED", "SUSPENDED"];

fn invalid(message: &str, path: &str) -> Reply {
    errors(422, "VALIDATION_ERROR", message, Some(path))
}

fn body_object(req: &Req) -> Result<Map<String, Value>, Reply> {
    match json_body(req)? {
        Value::Object(o) => Ok(o),
        _ => Err(errors(422, "VALIDATION_ERROR", "The body must be an object", None)),
    }
}

/// `PUT /order/checkout-forms/{id}/fulfillment?checkoutForm.revision=R` with `{"status": …}`:
/// 204 once set. Setting the status the form already has changes nothing (no new revision, no
/// event); what Allegro does then is undocumented, and this is the reading a client can rely on
/// least.
pub(super) fn put_status(st: &mut State, req: &Req, id: &str, q: &[(String, String)]) -> Reply {
    if let Some(refused) = unsupported_body(req) {
        return refused;
    }
    let Some(form) = st.al.forms.get(id) else { return form_not_found(id) };
    let body = match body_object(req) {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    let status = match body.get("status").and_then(Value::as_str) {
        Some(s) if SELLER_STATUSES.contains(&s) => s.to_string(),
        Some(s) => return invalid(&format!("Fulfillment status {s} cannot be set by the seller"), "status"),
        None => return invalid("status is required", "status"),
    };
    // Allegro documents the optimistic lock but not the code of its 409; this one names what
    // happened. The status code is what a client must act on: read the form, then retry.
    if let Some((_, asked)) = q.iter().find(|(k, _)| k == "checkoutForm.revision") {
        if *asked != form.revision() {
            return errors(
                409,
                "OptimisticLockingException",
                &format!("Checkout form {id} has changed: revision {asked} is not the current one"),
                Some("checkoutForm.revision"),
            );
        }
    }
    if form.fulfillment != status {
        set_fulfillment(st, id, &status);
    }
    no_content()
}

/// The form's shipments as `GET …/shipments` lists them (also what `Sim::allegro_shipments` reads).
pub(crate) fn shipments_json(st: &State, id: &str) -> Vec<Value> {
    st.al.forms.get(id).map(|f| f.shipments.iter().map(Shipment::json).collect()).unwrap_or_default()
}

pub(super) fn list_shipments(st: &State, id: &str) -> Reply {
    if !st.al.forms.contains_key(id) {
        return form_not_found(id);
    }
    vendor(200, &json!({"shipments": shipments_json(st, id)}))
}

/// `POST /order/checkout-forms/{id}/shipments` with `{carrierId, waybill, carrierName, lineItems}`:
/// 201 with the shipment. `carrierId` must be listed; `waybill` 1–64 characters; `carrierName`
/// (at most 30) only with `OTHER`, where it is required, and ignored otherwise (as Allegro
/// documents it); `lineItems` must be lines of this form, none meaning every line.
pub(super) fn add_shipment(st: &mut State, req: &Req, id: &str) -> Reply {
    if let Some(refused) = unsupported_body(req) {
        return refused;
    }
    let Some(form) = st.al.forms.get(id) else { return form_not_found(id) };
    let body = match body_object(req) {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    let carrier = match body.get("carrierId").and_then(Value::as_str) {
        Some(c) if CARRIERS.iter().any(|(k, _)| *k == c) => c.to_string(),
        Some(c) => return invalid(&format!("Unknown carrier {c}"), "carrierId"),
        None => return invalid("carrierId is required", "carrierId"),
    };
    let waybill = match body.get("waybill").and_then(Value::as_str) {
        Some(w) if !w.trim().is_empty() && w.chars().count() <= 64 => w.to_string(),
        _ => return invalid("waybill cannot be empty and must be no longer than 64 characters", "waybill"),
    };
    let carrier_name = match (carrier.as_str(), body.get("carrierName").and_then(Value::as_str)) {
        ("OTHER", Some(n)) if !n.trim().is_empty() && n.chars().count() <= 30 => Some(n.to_string()),
        ("OTHER", _) => return invalid("carrierName is required for carrier OTHER, at most 30 characters", "carrierName"),
        _ => None,
    };
    let lines = form.line_ids();
    let line_items = match body.get("lineItems") {
        None | Some(Value::Null) => lines,
        Some(Value::Array(items)) if items.is_empty() => lines,
        Some(Value::Array(items)) => {
            let mut chosen: Vec<String> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.get("id").and_then(Value::as_str) {
                    Some(line) if lines.iter().any(|l| l == line) => {
                        if !chosen.iter().any(|c| c == line) {
                            chosen.push(line.to_string());
                        }
                    }
                    _ => {
                        return invalid(&format!("lineItems[{i}] is not a line item of checkout form {id}"), &format!("lineItems[{i}].id"))
                    }
                }
            }
            chosen
        }
        Some(_) => return invalid("lineItems must be a list", "lineItems"),
    };
    let created_at = DateTime::from_timestamp_millis(st.next_event_ms()).unwrap_or_default();
    let shipment = Shipment { id: uuid(), carrier_id: carrier, carrier_name, waybill, line_items, created_at };
    // Allegro's order journal has no event for a waybill: the revision is all that tells.
    touch(st, id, |f| f.shipments.push(shipment.clone()));
    vendor(201, &shipment.json())
}

pub(super) fn carriers() -> Reply {
    let list: Vec<Value> = CARRIERS.iter().map(|(id, name)| json!({"id": id, "name": name})).collect();
    vendor(200, &json!({"carriers": list}))
}
