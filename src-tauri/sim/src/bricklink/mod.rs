//! The fake BrickLink Store API v1 (shared/marketplaces/bricklink.md): OAuth 1.0a verification,
//! replay and clock rules, the rolling daily budget, the HTTP-200 envelope, orders with batches,
//! inventory with delta quantities, catalog and price guide.
//!
//! This file routes each request (prefix, authentication, budget, faults, then the endpoint);
//! `state.rs` is what the store holds, `envelope.rs` how it answers, `request.rs` how a request
//! is read and `auth.rs` who may call. The endpoints (`inventory.rs`, `orders.rs`,
//! `price_guide.rs`) import those, never this file.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::catalog;
use crate::http::{Reply, Req};
use crate::state::State;
use crate::types::{Fault, Market};

mod auth;
pub(crate) mod envelope;
mod inventory;
mod orders;
mod price_guide;
mod request;
mod signature;
pub(crate) mod state;

use auth::authenticate;
use envelope::{envelope, error, not_found, ok};
pub(crate) use inventory::{add_lot, lot_json};
use inventory::{create_inventories, list_inventories, put_inventory};
pub(crate) use orders::{add_order, order_json, set_status};
use orders::{drive_thru, get_order, get_order_items, list_orders, put_order, put_order_field};
use price_guide::price_guide;
use request::{lot_id, order_id};

pub(crate) const PREFIX: &str = "/api/store/v1";

// ---------------------------------------------------------------------------------------------
// Request pipeline

pub(crate) fn handle(st: &mut State, req: &Req) -> Reply {
    // The image host, served from the same port: neither signed nor counted.
    if req.path.starts_with(crate::images::PREFIX) {
        return crate::images::handle(&req.path);
    }
    let rel = req.path.strip_prefix(PREFIX).filter(|r| r.is_empty() || r.starts_with('/'));
    let record_path = rel.unwrap_or(&req.path).to_string();
    let reply = process(st, req, rel);
    st.record(Market::Bricklink, req, record_path, &reply);
    reply
}

fn process(st: &mut State, req: &Req, rel: Option<&str>) -> Reply {
    let Some(rel) = rel else {
        return not_found("no such resource");
    };
    let query = match authenticate(st, req) {
        Ok(q) => q,
        Err(reply) => return reply,
    };
    if let Some(reply) = spend_budget(st) {
        return reply;
    }
    match st.take_fault(Market::Bricklink, &req.path, rel) {
        Some(Fault::TruncatedBody) => route(st, req, rel, &query).truncated(),
        Some(fault) => crate::faults::fault_reply(Market::Bricklink, &fault),
        None => route(st, req, rel, &query),
    }
}

/// Counts the call against the rolling 24-hour budget; refuses it once the limit is reached.
fn spend_budget(st: &mut State) -> Option<Reply> {
    let now = Instant::now();
    let day = Duration::from_secs(24 * 60 * 60);
    while st.bl.budget.front().is_some_and(|t| now.duration_since(*t) >= day) {
        st.bl.budget.pop_front();
    }
    if st.bl.budget.len() >= st.options.bricklink_daily_limit as usize {
        return Some(error(429, "TOO_MANY_REQUESTS", "API_LIMIT_EXCEEDED: daily call limit reached"));
    }
    st.bl.budget.push_back(now);
    None
}

fn route(st: &mut State, req: &Req, rel: &str, q: &[(String, String)]) -> Reply {
    let Some(segs) = rel.split('/').filter(|s| !s.is_empty()).map(signature::percent_decode).collect::<Option<Vec<_>>>() else {
        return error(400, "INVALID_URI", "INVALID_URI: malformed path");
    };
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    match (req.method.as_str(), segs.as_slice()) {
        ("GET", ["notifications"]) => ok(Value::Array(st.bl.notifications.clone())),
        ("GET", ["orders"]) => list_orders(st, q),
        ("GET", ["orders", id]) => get_order(st, id),
        ("PUT", ["orders", id]) => put_order(st, id, req),
        ("GET", ["orders", id, "items"]) => get_order_items(st, id),
        ("PUT", ["orders", id, "status"]) => put_order_field(st, id, req, "status"),
        ("PUT", ["orders", id, "payment_status"]) => put_order_field(st, id, req, "payment_status"),
        ("POST", ["orders", id, "drive_thru"]) => drive_thru(st, id, q),
        ("GET", ["orders", id, "messages" | "feedback"]) => match order_id(st, id) {
            Ok(_) => ok(json!([])),
            Err(r) => r,
        },
        ("GET", ["inventories"]) => list_inventories(st, q),
        ("POST", ["inventories"]) => create_inventories(st, req),
        ("GET", ["inventories", id]) => match lot_id(st, id) {
            Ok(id) => st.bl.lots.get(&id).map_or_else(|| not_found("inventory"), |l| ok(lot_json(l))),
            Err(r) => r,
        },
        ("PUT", ["inventories", id]) => put_inventory(st, id, req),
        ("DELETE", ["inventories", id]) => match lot_id(st, id) {
            Ok(id) => {
                st.bl.lots.remove(&id);
                envelope(204, "OK_NO_CONTENT", "OK_NO_CONTENT", Some(json!({})))
            }
            Err(r) => r,
        },
        ("GET", ["items", kind, no]) => match catalog::bl_type(kind) {
            Some(kind) if !catalog::known_with_other_type(kind, no) => {
                let mut item = catalog::bl_item_json(kind, no);
                if let Some(name) = st.bl.item_names.get(&(kind.to_string(), no.to_ascii_uppercase())) {
                    item["name"] = json!(name);
                }
                // Addresses on BrickLink's image host, protocol-relative, as BrickLink writes them:
                // the engine reaches that host where its config says (this server's `/img/`
                // in tests and the demo), so a window never reaches beyond 127.0.0.1.
                ok(item)
            }
            _ => not_found("item"),
        },
        ("GET", ["items", kind, no, "colors"]) => match catalog::bl_type(kind) {
            Some(kind) if !catalog::known_with_other_type(kind, no) => ok(catalog::bl_known_colours(kind, no)),
            _ => not_found("item"),
        },
        ("GET", ["items", kind, no, "price"]) => price_guide(kind, no, q),
        ("GET", ["colors"]) => ok(Value::Array(catalog::COLOURS.iter().map(colour_json).collect())),
        ("GET", ["colors", id]) => match id.parse::<i64>().ok().and_then(catalog::colour_by_bl) {
            Some(c) => ok(colour_json(c)),
            None => not_found("color"),
        },
        (_, segs) if known_path(segs) => error(405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED: wrong HTTP method"),
        _ => not_found("no such resource"),
    }
}

fn known_path(segs: &[&str]) -> bool {
    matches!(
        segs,
        ["notifications"]
            | ["orders"]
            | ["orders", _]
            | ["orders", _, "items" | "status" | "payment_status" | "drive_thru" | "messages" | "feedback"]
            | ["inventories"]
            | ["inventories", _]
            | ["items", _, _]
            | ["items", _, _, "colors" | "price"]
            | ["colors"]
            | ["colors", _]
    )
}

fn colour_json(c: &catalog::Colour) -> Value {
    json!({ "color_id": c.bl, "color_name": c.name, "color_code": c.hex, "color_type": c.kind })
}
