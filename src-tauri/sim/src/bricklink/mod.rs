//! The fake BrickLink Store API v1 (shared/marketplaces/bricklink.md): OAuth 1.0a verification,
//! replay and clock rules, the rolling daily budget, the HTTP-200 envelope, orders with batches,
//! inventory with delta quantities, catalog and price guide.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::catalog;
use crate::money::{fmt_fixed, json_fixed, json_int, parse_fixed, parse_int};
use crate::{Fault, Market, Reply, Req, SimItem, SimOrder, State};

mod inventory;
mod orders;
mod price_guide;
mod signature;

pub(crate) use inventory::*;
pub(crate) use orders::*;
use price_guide::*;
use signature::Rejection;

pub(crate) const PREFIX: &str = "/api/store/v1";
const FIRST_LOT_ID: i64 = 38_000_001;
const FIRST_ORDER_ID: i64 = 21_000_001;
/// Allowed distance between `oauth_timestamp` and the server clock, unless
/// `SimOptions::bricklink_timestamp_window_secs` widens it (benchmarks only).
pub(crate) const TIMESTAMP_WINDOW_SECS: u64 = 15 * 60;
const SELLER_NAME: &str = "brickdesk_demo";
const STORE_NAME: &str = "BrickDesk Demo Store";

/// One inventory lot. Money is in ten-thousandths.
#[derive(Clone, Debug)]
pub(crate) struct Lot {
    pub inventory_id: i64,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub quantity: i64,
    pub new_or_used: char,
    pub completeness: Option<char>,
    pub unit_price: i64,
    pub description: String,
    pub remarks: String,
    pub bulk: i64,
    pub is_retain: bool,
    pub is_stock_room: bool,
    pub stock_room_id: Option<char>,
    pub date_created_ms: i64,
    pub my_cost: i64,
    pub sale_rate: i64,
    pub tiers: [(i64, i64); 3],
}

/// One order line (money in ten-thousandths).
#[derive(Clone, Debug)]
pub(crate) struct Line {
    pub inventory_id: i64,
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub quantity: i64,
    pub new_or_used: char,
    pub completeness: char,
    pub unit_price: i64,
    pub remarks: String,
    pub description: String,
}

#[derive(Clone, Debug)]
pub(crate) struct Order {
    pub id: i64,
    pub date_ordered_ms: i64,
    pub date_status_changed_ms: i64,
    pub buyer_name: String,
    pub buyer_email: String,
    pub currency: String,
    pub status: String,
    pub is_filed: bool,
    pub remarks: String,
    pub payment_status: String,
    pub date_paid_ms: Option<i64>,
    pub tracking_no: String,
    pub tracking_link: String,
    pub date_shipped_ms: Option<i64>,
    pub shipping: i64,
    pub insurance: i64,
    pub credit: i64,
    pub etc1: i64,
    pub etc2: i64,
    pub batches: Vec<Vec<Line>>,
}

pub(crate) struct BlState {
    pub lots: BTreeMap<i64, Lot>,
    pub orders: BTreeMap<i64, Order>,
    pub notifications: Vec<Value>,
    next_lot: i64,
    next_order: i64,
    used_timestamps: HashSet<u64>,
    used_nonces: HashMap<String, u64>,
    budget: VecDeque<Instant>,
    /// Catalog names changed by a test ((type, number) → name): the catalog moved on.
    pub item_names: HashMap<(String, String), String>,
}

impl BlState {
    pub(crate) fn new() -> BlState {
        BlState {
            lots: BTreeMap::new(),
            orders: BTreeMap::new(),
            notifications: Vec::new(),
            next_lot: FIRST_LOT_ID,
            next_order: FIRST_ORDER_ID,
            used_timestamps: HashSet::new(),
            used_nonces: HashMap::new(),
            budget: VecDeque::new(),
            item_names: HashMap::new(),
        }
    }

    fn take_lot_id(&mut self) -> i64 {
        let id = self.next_lot;
        self.next_lot += 1;
        id
    }
}

// ---------------------------------------------------------------------------------------------
// Envelope

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default()
}

fn envelope(code: i64, message: &str, description: &str, data: Option<Value>) -> Reply {
    let mut body = json!({ "meta": { "description": description, "message": message, "code": code } });
    if let Some(data) = data {
        body["data"] = data;
    }
    let mut reply = Reply::json(200, &body);
    reply.meta_code = Some(code);
    reply
}

fn ok(data: Value) -> Reply {
    envelope(200, "OK", "OK", Some(data))
}

fn error(code: i64, message: &str, description: &str) -> Reply {
    envelope(code, message, description, None)
}

fn oauth_error(description: &str) -> Reply {
    error(401, "BAD_OAUTH_REQUEST", description)
}

fn bad(description: &str) -> Reply {
    error(400, "PARAMETER_MISSING_OR_INVALID", description)
}

fn unparseable(field: &str) -> Reply {
    bad(&format!("Unparseable value or field: [{field}]"))
}

fn not_found(what: &str) -> Reply {
    error(404, "RESOURCE_NOT_FOUND", &format!("RESOURCE_NOT_FOUND: {what}"))
}

/// `Fault::Status(code)`: HTTP 200 with the envelope BrickLink would send for that code.
pub(crate) fn status_fault(code: u16) -> Reply {
    let (message, description) = match code {
        400 => ("PARAMETER_MISSING_OR_INVALID", "PARAMETER_MISSING_OR_INVALID: injected"),
        401 => ("BAD_OAUTH_REQUEST", "TOKEN_IP_MISMATCHED: consumer: DEMO, IP: 127.0.0.1"),
        403 => ("PERMISSION_DENIED", "PERMISSION_DENIED: injected"),
        404 => ("RESOURCE_NOT_FOUND", "RESOURCE_NOT_FOUND: injected"),
        405 => ("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED: injected"),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE: injected"),
        422 => ("RESOURCE_UPDATE_NOT_ALLOWED", "RESOURCE_UPDATE_NOT_ALLOWED: injected"),
        429 => ("TOO_MANY_REQUESTS", "API_LIMIT_EXCEEDED: daily call limit reached"),
        500 => ("INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR: An internal error has occurred"),
        502..=504 => ("SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE: injected"),
        _ => ("ERROR", "ERROR: injected"),
    };
    error(i64::from(code), message, description)
}

// ---------------------------------------------------------------------------------------------
// Request pipeline

pub(crate) fn handle(st: &mut State, req: &Req) -> Reply {
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
        Some(fault) => crate::fault_reply(Market::Bricklink, &fault),
        None => route(st, req, rel, &query),
    }
}

/// Verifies the OAuth 1.0a header exactly as BrickLink does and returns the decoded query.
/// The signature check is the simulator's own (`signature.rs`), not the engine's signer.
fn authenticate(st: &mut State, req: &Req) -> Result<Vec<(String, String)>, Reply> {
    let Some(header) = req.header("authorization") else {
        return Err(oauth_error("CONSUMER_KEY_UNKNOWN: No Authorization header (oauth_consumer_key missing)"));
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let host = req.header("host").unwrap_or("");
    let base_url = format!("http://{host}{}", req.path);
    let signature::Verified { query, timestamp, nonce } = signature::verify(
        &st.options.bricklink,
        &req.method,
        &base_url,
        &req.query,
        header,
        now,
        st.options.bricklink_timestamp_window_secs,
    )
    .map_err(rejected)?;
    // Replays: a timestamp or nonce may be used once per token.
    let oldest = now.saturating_sub(st.options.bricklink_timestamp_window_secs + 60);
    st.bl.used_timestamps.retain(|t| *t >= oldest);
    st.bl.used_nonces.retain(|_, t| *t >= oldest);
    if st.bl.used_timestamps.contains(&timestamp) {
        return Err(oauth_error("TIMESTAMP_REUSED: oauth_timestamp already used"));
    }
    if st.bl.used_nonces.contains_key(&nonce) {
        return Err(oauth_error("TIMESTAMP_REUSED: oauth_nonce already used with this token and TIMESTAMP"));
    }
    st.bl.used_timestamps.insert(timestamp);
    st.bl.used_nonces.insert(nonce, timestamp);
    Ok(query)
}

/// BrickLink's envelope for each way a signature check fails.
fn rejected(why: Rejection) -> Reply {
    let description = match why {
        Rejection::UnparseableHeader => "BAD_OAUTH_REQUEST: Unparseable Authorization header",
        Rejection::ConsumerKeyUnknown => "CONSUMER_KEY_UNKNOWN: The consumer key is unknown or missing",
        Rejection::TokenUnknown => "TOKEN_VALUE_UNKNOWN: The token value is unknown or missing",
        Rejection::SignatureMethodInvalid => "SIGNATURE_METHOD_INVALID: oauth_signature_method must be HMAC-SHA1",
        Rejection::VersionInvalid => "VERSION_INVALID: oauth_version must be 1.0",
        Rejection::NonceMissing => "NONCE_MISSING: oauth_nonce is required",
        Rejection::TimestampInvalid => "TIMESTAMP_INVALID: oauth_timestamp is missing or not a number",
        Rejection::TimestampExpired => "TIMESTAMP_EXPIRED: oauth_timestamp is too far from the server time",
        Rejection::SignatureInvalid => "SIGNATURE_INVALID: Invalid Signature",
        Rejection::MalformedQuery => return error(400, "INVALID_URI", "INVALID_URI: malformed query string"),
    };
    oauth_error(description)
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

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
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
                // Protocol-relative like BrickLink's, but on this server's own loopback address:
                // a window showing the image never reaches beyond 127.0.0.1.
                for key in ["image_url", "thumbnail_url"] {
                    if let (Some(url), Some(host)) = (item[key].as_str(), req.header("host")) {
                        item[key] = json!(url.replacen("//img.bricklink.com", &format!("//{host}/img"), 1));
                    }
                }
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
            | ["orders", _, "items" | "status" | "payment_status" | "messages" | "feedback"]
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

fn order_id(st: &State, raw: &str) -> Result<i64, Reply> {
    let id = raw.parse::<i64>().map_err(|_| error(400, "INVALID_URI", "INVALID_URI: order_id must be a number"))?;
    if st.bl.orders.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found("order"))
    }
}

fn lot_id(st: &State, raw: &str) -> Result<i64, Reply> {
    let id = raw.parse::<i64>().map_err(|_| error(400, "INVALID_URI", "INVALID_URI: inventory_id must be a number"))?;
    if st.bl.lots.contains_key(&id) {
        Ok(id)
    } else {
        Err(not_found("inventory"))
    }
}

/// Parses a JSON request body (must be declared `application/json`).
fn json_body(req: &Req) -> Result<Value, Reply> {
    let ct = req.header("content-type").unwrap_or("").to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Err(error(415, "UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE: request body must be application/json"));
    }
    serde_json::from_slice(&req.body)
        .map_err(|e| error(400, "INVALID_REQUEST_BODY", &format!("INVALID_REQUEST_BODY: Unparseable JSON body ({e})")))
}

/// A JSON body that must be one object (every `PUT`).
fn json_object(req: &Req) -> Result<Map<String, Value>, Reply> {
    match json_body(req)? {
        Value::Object(o) => Ok(o),
        _ => Err(error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: expected a JSON object")),
    }
}
