//! `POST bulk/batch` (brickowl.md §2): up to 50 calls in one request, counted against the bulk
//! limit of 200 a minute instead of the 600. The form field `requests` is a JSON string:
//! `{"requests":[{"endpoint":"inventory/update","request_method":"POST","params":[{"lot_id":"123","absolute_quantity":2}]}]}`.
//!
//! The answer's shape is not documented [unc]. The simulator's choice, which the engine reads
//! tolerantly: HTTP 200 with a JSON **array, one entry per request, in order**; an entry is the
//! endpoint's own JSON answer when it succeeded (`{"status":"success"}`, a create's
//! `{"status":"success","lot_id":"…"}`, a list's array) and `{"error":"<text>","code":<the HTTP
//! status it would have had>}` when it was refused. One refused entry does not stop the others.
//! A malformed batch (no `requests`, bad JSON, more than 50 entries) is refused whole with 400.
//!
//! Every entry runs through the same handlers as the single endpoint (and the same one-shot
//! faults, matched on the entry's path); `BoState::batched` records each entry's endpoint.
//! `routes.rs`, which routes `bulk/batch` here, hands over its `endpoint` to run the entries.

use serde_json::{json, Value};

use super::fields::{param, PREFIX};
use super::replies::{err, status_text};
use crate::http::Reply;
use crate::state::State;
use crate::types::{Fault, Market};

/// How an entry is run: `routes::endpoint` (HTTP method, path such as `/inventory/update`, arguments).
pub(super) type Endpoint = fn(&mut State, &str, &str, &[(String, String)]) -> Reply;

/// Entries one batch may carry.
const MAX: usize = 50;

pub(super) fn batch(st: &mut State, p: &[(String, String)], endpoint: Endpoint) -> Reply {
    let Some(raw) = param(p, "requests") else {
        return err(400, "Missing requests");
    };
    let Ok(body) = serde_json::from_str::<Value>(raw) else {
        return err(400, "requests is not valid JSON");
    };
    let Some(entries) = body.get("requests").and_then(Value::as_array) else {
        return err(400, "requests must hold a requests array");
    };
    if entries.is_empty() {
        return err(400, "No requests in batch");
    }
    if entries.len() > MAX {
        return err(400, &format!("Too many requests in batch ({}, at most {MAX})", entries.len()));
    }
    let answers: Vec<Value> = entries.iter().map(|e| entry(st, e, endpoint)).collect();
    Reply::json(200, &Value::Array(answers))
}

/// One entry's answer: the endpoint's JSON, or `{"error", "code"}`.
fn entry(st: &mut State, e: &Value, endpoint: Endpoint) -> Value {
    let refused = |code: u16, message: &str| json!({ "error": message, "code": code });
    let Some(name) = e.get("endpoint").and_then(Value::as_str).map(|s| s.trim().trim_matches('/')) else {
        return refused(400, "Missing endpoint");
    };
    let method = e.get("request_method").and_then(Value::as_str).unwrap_or("GET").to_ascii_uppercase();
    if name == "bulk/batch" {
        return refused(400, "A batch cannot contain a batch");
    }
    // `params` is a list holding one object of arguments; values as strings, like a form.
    let mut params: Vec<(String, String)> = Vec::new();
    let object = match e.get("params") {
        Some(Value::Array(list)) => list.first().and_then(Value::as_object),
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    for (k, v) in object.into_iter().flatten() {
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        params.push((k.clone(), text));
    }
    let rel = format!("/{name}");
    st.bo.batched.push(name.to_string());
    let reply = match st.take_fault(Market::Brickowl, &format!("{PREFIX}{rel}"), &rel) {
        Some(Fault::TruncatedBody) => endpoint(st, &method, &rel, &params).truncated(),
        Some(fault) => crate::faults::fault_reply(Market::Brickowl, &fault),
        None => endpoint(st, &method, &rel, &params),
    };
    let answer: Option<Value> = serde_json::from_slice(&reply.body).ok();
    if (200..300).contains(&reply.status) {
        // A cut answer stays cut inside the batch: the text as a JSON string.
        answer.unwrap_or_else(|| Value::String(String::from_utf8_lossy(&reply.body).into_owned()))
    } else {
        let text = answer.as_ref().and_then(|a| a.get("error")).and_then(Value::as_str).map(str::to_string);
        refused(reply.status, &text.unwrap_or_else(|| status_text(reply.status).to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::orders::add_lot;
    use super::super::routes::endpoint;
    use super::*;
    use crate::{SimItem, SimOptions};

    fn requests(entries: &[Value]) -> Vec<(String, String)> {
        vec![("requests".into(), json!({ "requests": entries }).to_string())]
    }

    #[test]
    fn entries_run_through_the_endpoints_in_order_and_a_refusal_stays_its_own() {
        let mut st = State::new(SimOptions::default());
        let part = SimItem {
            item_no: "3001".into(),
            item_type: "PART".into(),
            color_id: 5,
            condition: 'N',
            quantity: 4,
            unit_price: "0.1000".into(),
            remarks: String::new(),
            inventory_id: None,
        };
        let lot = add_lot(&mut st, &part, None);
        let update = |id: &str, q: i64| json!({"endpoint": "inventory/update", "request_method": "POST", "params": [{"lot_id": id, "absolute_quantity": q}]});
        let reply = batch(
            &mut st,
            &requests(&[
                update(&lot, 9),
                update("1", 2),
                json!({"endpoint": "inventory/delete", "request_method": "POST", "params": [{"lot_id": lot}]}),
            ]),
            endpoint,
        );
        assert_eq!(reply.status, 200);
        let answers: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(answers, json!([{"status": "success"}, {"error": "Lot not found", "code": 404}, {"status": "success"}]));
        assert!(st.bo.lots.is_empty(), "the update and the delete both ran");
        assert_eq!(st.bo.batched, ["inventory/update", "inventory/update", "inventory/delete"]);

        let too_many: Vec<Value> = (0..51).map(|_| update(&lot, 1)).collect();
        assert_eq!(batch(&mut st, &requests(&too_many), endpoint).status, 400);
        assert_eq!(batch(&mut st, &[("requests".into(), "{not json".into())], endpoint).status, 400);
        assert_eq!(st.bo.batched.len(), 3, "a refused batch runs nothing");
    }
}
