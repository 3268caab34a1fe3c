//! Reading a BrickLink request: query parameters, the order and lot ids in a path, JSON bodies.

use serde_json::{Map, Value};

use super::envelope::{error, not_found};
use crate::http::{Reply, Req};
use crate::state::State;

pub(super) fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub(super) fn order_id(st: &State, raw: &str) -> Result<i64, Reply> {
    let id = raw.parse::<i64>().map_err(|_| error(400, "INVALID_URI", "INVALID_URI: order_id must be a number"))?;
    if st.bl.orders.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found("order"))
    }
}

pub(super) fn lot_id(st: &State, raw: &str) -> Result<i64, Reply> {
    let id = raw.parse::<i64>().map_err(|_| error(400, "INVALID_URI", "INVALID_URI: inventory_id must be a number"))?;
    if st.bl.lots.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found("inventory"))
    }
}

/// Parses a JSON request body (must be declared `application/json`).
pub(super) fn json_body(req: &Req) -> Result<Value, Reply> {
    let ct = req.header("content-type").unwrap_or("").to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Err(error(415, "UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE: request body must be application/json"));
    }
    serde_json::from_slice(&req.body)
        .map_err(|e| error(400, "INVALID_REQUEST_BODY", &format!("INVALID_REQUEST_BODY: Unparseable JSON body ({e})")))
}

/// A JSON body that must be one object (every `PUT`).
pub(super) fn json_object(req: &Req) -> Result<Map<String, Value>, Reply> {
    match json_body(req)? {
        Value::Object(o) => Ok(o),
        _ => Err(error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: expected a JSON object")),
    }
}
