//! The fake BrickLink Store API v1 (shared/marketplaces/bricklink.md): OAuth 1.0a verification,
//! replay and clock rules, the rolling daily budget, the HTTP-200 envelope, orders with batches,
//! inventory with delta quantities, catalog and price guide.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use brickdesk_engine::marketplaces::bricklink::oauth;
use serde_json::{json, Map, Value};

use crate::catalog;
use crate::money::{fmt_fixed, json_fixed, json_int, parse_fixed, parse_int};
use crate::{Fault, Market, Reply, Req, SimItem, SimOrder, State};

pub(crate) const PREFIX: &str = "/api/store/v1";
const FIRST_LOT_ID: i64 = 38_000_001;
const FIRST_ORDER_ID: i64 = 21_000_001;
/// Allowed distance between `oauth_timestamp` and the server clock.
const TIMESTAMP_WINDOW_SECS: u64 = 15 * 60;
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
fn authenticate(st: &mut State, req: &Req) -> Result<Vec<(String, String)>, Reply> {
    let Some(header) = req.header("authorization") else {
        return Err(oauth_error("CONSUMER_KEY_UNKNOWN: No Authorization header (oauth_consumer_key missing)"));
    };
    let Some(params) = oauth::parse_authorization_header(header) else {
        return Err(oauth_error("BAD_OAUTH_REQUEST: Unparseable Authorization header"));
    };
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let creds = &st.options.bricklink;
    if get("oauth_consumer_key") != Some(creds.consumer_key.as_str()) {
        return Err(oauth_error("CONSUMER_KEY_UNKNOWN: The consumer key is unknown or missing"));
    }
    if get("oauth_token") != Some(creds.token_value.as_str()) {
        return Err(oauth_error("TOKEN_VALUE_UNKNOWN: The token value is unknown or missing"));
    }
    if get("oauth_signature_method") != Some("HMAC-SHA1") {
        return Err(oauth_error("SIGNATURE_METHOD_INVALID: oauth_signature_method must be HMAC-SHA1"));
    }
    if get("oauth_version") != Some("1.0") {
        return Err(oauth_error("VERSION_INVALID: oauth_version must be 1.0"));
    }
    let nonce = match get("oauth_nonce") {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => return Err(oauth_error("NONCE_MISSING: oauth_nonce is required")),
    };
    let Some(timestamp) = get("oauth_timestamp").and_then(|t| t.parse::<u64>().ok()) else {
        return Err(oauth_error("TIMESTAMP_INVALID: oauth_timestamp is missing or not a number"));
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    if timestamp.abs_diff(now) > TIMESTAMP_WINDOW_SECS {
        return Err(oauth_error("TIMESTAMP_EXPIRED: oauth_timestamp is too far from the server time"));
    }
    let Some(signature) = get("oauth_signature") else {
        return Err(oauth_error("SIGNATURE_INVALID: Invalid Signature"));
    };
    let Some(query) = oauth::parse_query(&req.query) else {
        return Err(error(400, "INVALID_URI", "INVALID_URI: malformed query string"));
    };
    let host = req.header("host").unwrap_or("");
    let base_url = format!("http://{host}{}", req.path);
    let oauth_params =
        oauth::OauthParams { consumer_key: creds.consumer_key.clone(), token: creds.token_value.clone(), timestamp, nonce: nonce.clone() };
    let base = oauth::base_string(&req.method, &base_url, &query, &oauth_params);
    let expected = oauth::sign(&base, &creds.consumer_secret, &creds.token_secret);
    if expected != signature {
        return Err(oauth_error("SIGNATURE_INVALID: Invalid Signature"));
    }
    // Replays: a timestamp or nonce may be used once per token.
    let oldest = now.saturating_sub(TIMESTAMP_WINDOW_SECS + 60);
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
    let Some(segs) = rel.split('/').filter(|s| !s.is_empty()).map(oauth::decode).collect::<Option<Vec<_>>>() else {
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
            Some(kind) if !catalog::known_with_other_type(kind, no) => ok(catalog::bl_item_json(kind, no)),
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

// ---------------------------------------------------------------------------------------------
// Orders

struct Totals {
    subtotal: i64,
    count: i64,
    unique: i64,
    weight_e2: i64,
}

fn totals(o: &Order) -> Totals {
    let mut t = Totals { subtotal: 0, count: 0, unique: 0, weight_e2: 0 };
    for line in o.batches.iter().flatten() {
        t.subtotal = t.subtotal.saturating_add(line.quantity.saturating_mul(line.unit_price));
        t.count = t.count.saturating_add(line.quantity);
        t.unique += 1;
        let w = catalog::item(&line.item_type, &line.item_no).weight_e2;
        t.weight_e2 = t.weight_e2.saturating_add(w.saturating_mul(line.quantity));
    }
    t
}

fn grand_total(o: &Order, t: &Totals) -> i64 {
    [o.shipping, o.insurance, o.etc1, o.etc2].iter().fold(t.subtotal, |acc, v| acc.saturating_add(*v)).saturating_sub(o.credit)
}

fn payment_json(o: &Order) -> Value {
    let mut p = json!({ "method": "PayPal (Onsite)", "currency_code": o.currency, "status": o.payment_status });
    if let Some(ms) = o.date_paid_ms {
        p["date_paid"] = json!(iso(ms));
    }
    p
}

fn order_summary(o: &Order) -> Value {
    let t = totals(o);
    let money = |v: i64| fmt_fixed(v, 4);
    let cost = json!({
        "currency_code": o.currency,
        "subtotal": money(t.subtotal),
        "grand_total": money(grand_total(o, &t)),
    });
    json!({
        "order_id": o.id,
        "date_ordered": iso(o.date_ordered_ms),
        "date_status_changed": iso(o.date_status_changed_ms),
        "seller_name": SELLER_NAME,
        "store_name": STORE_NAME,
        "buyer_name": o.buyer_name,
        "total_count": t.count,
        "unique_count": t.unique,
        "status": o.status,
        "is_filed": o.is_filed,
        "payment": payment_json(o),
        "cost": cost,
        "disp_cost": cost,
    })
}

fn order_full(o: &Order, buyer_order_count: usize) -> Value {
    let t = totals(o);
    let money = |v: i64| fmt_fixed(v, 4);
    let grand = grand_total(o, &t);
    let mut shipping = json!({
        "method_id": 27310,
        "method": "Letter with tracking",
        "tracking_no": o.tracking_no,
        "address": {
            "name": { "full": o.buyer_name },
            "full": format!("{}\n1 Example Street\n12345 Sampletown\nUSA", o.buyer_name),
            "country_code": "US",
        },
    });
    if !o.tracking_link.is_empty() {
        shipping["tracking_link"] = json!(o.tracking_link);
    }
    if let Some(ms) = o.date_shipped_ms {
        shipping["date_shipped"] = json!(iso(ms));
    }
    let cost = |with_bl_tax: bool| {
        let mut c = json!({
            "currency_code": o.currency,
            "subtotal": money(t.subtotal),
            "grand_total": money(grand),
            "etc1": money(o.etc1),
            "etc2": money(o.etc2),
            "insurance": money(o.insurance),
            "shipping": money(o.shipping),
            "credit": money(o.credit),
            "coupon": "0.0000",
            "vat_rate": "0.00",
            "vat_amount": "0.0000",
        });
        if with_bl_tax {
            c["salesTax_collected_by_BL"] = json!("0.0000");
            c["final_total"] = json!(money(grand));
        }
        c
    };
    json!({
        "order_id": o.id,
        "date_ordered": iso(o.date_ordered_ms),
        "date_status_changed": iso(o.date_status_changed_ms),
        "seller_name": SELLER_NAME,
        "store_name": STORE_NAME,
        "buyer_name": o.buyer_name,
        "buyer_email": o.buyer_email,
        "buyer_order_count": buyer_order_count,
        "require_insurance": false,
        "status": o.status,
        "is_invoiced": o.status != "PENDING",
        "is_filed": o.is_filed,
        "drive_thru_sent": false,
        "salesTax_collected_by_bl": false,
        "vat_collected_by_bl": false,
        "remarks": o.remarks,
        "total_count": t.count,
        "unique_count": t.unique,
        "total_weight": fmt_fixed(t.weight_e2, 2),
        "payment": payment_json(o),
        "shipping": shipping,
        "cost": cost(true),
        "disp_cost": cost(false),
    })
}

fn line_json(o: &Order, l: &Line) -> Value {
    let info = catalog::item(&l.item_type, &l.item_no);
    let price = fmt_fixed(l.unit_price, 4);
    json!({
        "inventory_id": l.inventory_id,
        "item": { "no": info.no, "name": info.name, "type": l.item_type, "category_id": info.category_id },
        "color_id": l.color_id,
        "color_name": catalog::bl_colour_name(l.color_id),
        "quantity": l.quantity,
        "new_or_used": l.new_or_used.to_string(),
        "completeness": l.completeness.to_string(),
        "unit_price": price,
        "unit_price_final": price,
        "disp_unit_price": price,
        "disp_unit_price_final": price,
        "currency_code": o.currency,
        "disp_currency_code": o.currency,
        "remarks": l.remarks,
        "description": l.description,
        "weight": fmt_fixed(info.weight_e2, 2),
    })
}

/// `status=pending,paid` includes, `status=-purged` excludes; case-insensitive.
fn include_exclude(spec: Option<&str>) -> (Vec<String>, Vec<String>) {
    let mut inc = Vec::new();
    let mut exc = Vec::new();
    for part in spec.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match part.strip_prefix('-') {
            Some(rest) => exc.push(rest.to_ascii_uppercase()),
            None => inc.push(part.to_ascii_uppercase()),
        }
    }
    (inc, exc)
}

fn passes(filter: &(Vec<String>, Vec<String>), value: &str) -> bool {
    let v = value.to_ascii_uppercase();
    (filter.0.is_empty() || filter.0.contains(&v)) && !filter.1.contains(&v)
}

fn list_orders(st: &State, q: &[(String, String)]) -> Reply {
    let outgoing = match param(q, "direction").map(str::to_ascii_lowercase).as_deref() {
        None | Some("in") => false,
        Some("out") => true,
        Some(_) => return bad("direction must be in or out"),
    };
    let filed = match param(q, "filed").map(str::to_ascii_lowercase).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return bad("filed must be true or false"),
    };
    if outgoing {
        return ok(json!([]));
    }
    let status = include_exclude(param(q, "status"));
    let list: Vec<Value> =
        st.bl.orders.values().rev().filter(|o| o.is_filed == filed && passes(&status, &o.status)).map(order_summary).collect();
    ok(Value::Array(list))
}

fn get_order(st: &State, raw: &str) -> Reply {
    match order_id(st, raw) {
        Ok(id) => {
            let Some(o) = st.bl.orders.get(&id) else { return not_found("order") };
            let count = st.bl.orders.values().filter(|x| x.buyer_name == o.buyer_name).count();
            ok(order_full(o, count))
        }
        Err(r) => r,
    }
}

fn get_order_items(st: &State, raw: &str) -> Reply {
    match order_id(st, raw) {
        Ok(id) => {
            let Some(o) = st.bl.orders.get(&id) else { return not_found("order") };
            let batches: Vec<Value> = o.batches.iter().map(|b| Value::Array(b.iter().map(|l| line_json(o, l)).collect())).collect();
            ok(Value::Array(batches))
        }
        Err(r) => r,
    }
}

/// Statuses a seller may set through the API.
const SELLER_SETTABLE: &[&str] = &["PENDING", "UPDATED", "PROCESSING", "READY", "PAID", "PACKED", "SHIPPED", "COMPLETED"];
const PAYMENT_STATUSES: &[&str] = &["None", "Sent", "Received", "Clearing", "Returned", "Bounced", "Completed"];

fn put_order_field(st: &mut State, raw: &str, req: &Req, field: &str) -> Reply {
    let id = match order_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if body.get("field").and_then(Value::as_str) != Some(field) {
        return bad(&format!("field must be \"{field}\""));
    }
    let Some(value) = body.get("value").and_then(Value::as_str) else {
        return bad("String input must not be null");
    };
    let now = st.next_event_ms();
    let Some(o) = st.bl.orders.get_mut(&id) else { return not_found("order") };
    if field == "status" {
        let target = value.to_ascii_uppercase();
        if matches!(o.status.as_str(), "CANCELLED" | "PURGED") || !SELLER_SETTABLE.contains(&target.as_str()) {
            return error(
                422,
                "RESOURCE_UPDATE_NOT_ALLOWED",
                &format!("RESOURCE_UPDATE_NOT_ALLOWED: cannot change status from {} to {target}", o.status),
            );
        }
        o.status = target;
        o.date_status_changed_ms = now;
    } else {
        let Some(p) = PAYMENT_STATUSES.iter().find(|p| p.eq_ignore_ascii_case(value)) else {
            return bad(&format!("unknown payment status {value}"));
        };
        o.payment_status = (*p).to_string();
        if matches!(*p, "Received" | "Completed") && o.date_paid_ms.is_none() {
            o.date_paid_ms = Some(now);
        }
    }
    ok(json!({}))
}

/// `PUT /orders/{id}`: remarks, is_filed, shipping tracking, and cost fields while unpaid; other
/// fields are silently ignored (as documented).
fn put_order(st: &mut State, raw: &str, req: &Req) -> Reply {
    let id = match order_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let body = match json_body(req) {
        Ok(Value::Object(b)) => b,
        Ok(_) => return error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: expected a JSON object"),
        Err(r) => return r,
    };
    let Some(o) = st.bl.orders.get(&id) else { return not_found("order") };
    let mut updated = o.clone();
    if let Some(v) = body.get("remarks") {
        match v.as_str() {
            Some(s) => updated.remarks = s.to_string(),
            None => return unparseable("remarks"),
        }
    }
    if let Some(v) = body.get("is_filed") {
        match v.as_bool() {
            Some(b) => updated.is_filed = b,
            None => return unparseable("is_filed"),
        }
    }
    if let Some(ship) = body.get("shipping").and_then(Value::as_object) {
        for (key, target) in [("tracking_no", &mut updated.tracking_no), ("tracking_link", &mut updated.tracking_link)] {
            if let Some(v) = ship.get(key) {
                match v.as_str() {
                    Some(s) => *target = s.to_string(),
                    None => return unparseable(&format!("shipping.{key}")),
                }
            }
        }
        if let Some(v) = ship.get("date_shipped") {
            match v.as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()) {
                Some(d) => updated.date_shipped_ms = Some(d.timestamp_millis()),
                None => return unparseable("shipping.date_shipped"),
            }
        }
    }
    if let Some(cost) = body.get("cost").and_then(Value::as_object) {
        if !matches!(o.status.as_str(), "PENDING" | "UPDATED" | "PROCESSING" | "READY") {
            return error(422, "RESOURCE_UPDATE_NOT_ALLOWED", "RESOURCE_UPDATE_NOT_ALLOWED: cost can only change before payment");
        }
        let fields: [(&str, &mut i64); 5] = [
            ("shipping", &mut updated.shipping),
            ("insurance", &mut updated.insurance),
            ("credit", &mut updated.credit),
            ("etc1", &mut updated.etc1),
            ("etc2", &mut updated.etc2),
        ];
        for (key, target) in fields {
            if let Some(v) = cost.get(key) {
                match json_fixed(v, 4) {
                    Some(x) if x >= 0 => *target = x,
                    _ => return unparseable(&format!("cost.{key}")),
                }
            }
        }
    }
    st.bl.orders.insert(id, updated);
    ok(json!({}))
}

pub(crate) fn add_order(st: &mut State, order: &SimOrder) -> i64 {
    let id = st.bl.next_order;
    st.bl.next_order += 1;
    let now = st.next_event_ms();
    let mut batches = Vec::new();
    for batch in &order.batches {
        let mut lines = Vec::new();
        for item in batch {
            let kind = catalog::bl_type(&item.item_type).unwrap_or("PART").to_string();
            let new_or_used = if item.condition.eq_ignore_ascii_case(&'U') { 'U' } else { 'N' };
            let unit_price = parse_fixed(&item.unit_price, 4).unwrap_or_else(|| {
                tracing::warn!(price = %item.unit_price, "simulator: unparseable unit_price, using 0");
                0
            });
            let mut description = String::new();
            let mut completeness = if kind == "SET" {
                if new_or_used == 'N' {
                    'S'
                } else {
                    'C'
                }
            } else {
                'X'
            };
            let inventory_id = match item.inventory_id {
                Some(lot_id) => {
                    if let Some(lot) = st.bl.lots.get_mut(&lot_id) {
                        if lot.quantity < item.quantity {
                            tracing::warn!(lot_id, "simulator: order takes more than the lot holds");
                        }
                        lot.quantity = lot.quantity.saturating_sub(item.quantity).max(0);
                        description = lot.description.clone();
                        if let Some(c) = lot.completeness {
                            completeness = c;
                        }
                        if lot.quantity == 0 && !lot.is_retain {
                            st.bl.lots.remove(&lot_id);
                        }
                    }
                    lot_id
                }
                None => st.bl.take_lot_id(),
            };
            lines.push(Line {
                inventory_id,
                item_no: item.item_no.clone(),
                item_type: kind,
                color_id: item.color_id,
                quantity: item.quantity,
                new_or_used,
                completeness,
                unit_price,
                remarks: item.remarks.clone(),
                description,
            });
        }
        batches.push(lines);
    }
    let shipping = parse_fixed(&order.shipping, 4).unwrap_or(0);
    let status = if order.status.trim().is_empty() { "PENDING".to_string() } else { order.status.to_ascii_uppercase() };
    let paid = !matches!(status.as_str(), "PENDING" | "UPDATED" | "PROCESSING" | "READY" | "CANCELLED");
    let slug: String = order.buyer_name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
    st.bl.orders.insert(
        id,
        Order {
            id,
            date_ordered_ms: now,
            date_status_changed_ms: now,
            buyer_name: order.buyer_name.clone(),
            buyer_email: format!("{}@example.com", if slug.is_empty() { "buyer" } else { &slug }),
            currency: if order.currency.is_empty() { "USD".to_string() } else { order.currency.clone() },
            status,
            is_filed: false,
            remarks: String::new(),
            payment_status: if paid { "Completed".to_string() } else { "None".to_string() },
            date_paid_ms: paid.then_some(now),
            tracking_no: String::new(),
            tracking_link: String::new(),
            date_shipped_ms: None,
            shipping,
            insurance: 0,
            credit: 0,
            etc1: 0,
            etc2: 0,
            batches,
        },
    );
    st.bl.notifications.push(json!({ "event_type": "Order", "resource_id": id, "timestamp": iso(now) }));
    id
}

pub(crate) fn set_status(st: &mut State, order_id: i64, status: &str) {
    let now = st.next_event_ms();
    let Some(o) = st.bl.orders.get_mut(&order_id) else {
        tracing::warn!(order_id, "simulator: set_status on an unknown order");
        return;
    };
    o.status = status.to_string();
    o.date_status_changed_ms = now;
    if matches!(status, "PAID" | "PACKED" | "SHIPPED" | "RECEIVED" | "COMPLETED") && o.date_paid_ms.is_none() {
        o.date_paid_ms = Some(now);
        o.payment_status = "Completed".to_string();
    }
    st.bl.notifications.push(json!({ "event_type": "Order", "resource_id": order_id, "timestamp": iso(now) }));
}

// ---------------------------------------------------------------------------------------------
// Inventory

pub(crate) fn lot_json(l: &Lot) -> Value {
    let info = catalog::item(&l.item_type, &l.item_no);
    let money = |v: i64| fmt_fixed(v, 4);
    let mut v = json!({
        "inventory_id": l.inventory_id,
        "item": { "no": info.no, "name": info.name, "type": l.item_type, "category_id": info.category_id },
        "color_id": l.color_id,
        "color_name": catalog::bl_colour_name(l.color_id),
        "quantity": l.quantity,
        "new_or_used": l.new_or_used.to_string(),
        "unit_price": money(l.unit_price),
        "bind_id": 0,
        "description": l.description,
        "remarks": l.remarks,
        "bulk": l.bulk,
        "is_retain": l.is_retain,
        "is_stock_room": l.is_stock_room,
        "date_created": iso(l.date_created_ms),
        "sale_rate": l.sale_rate,
        "my_cost": money(l.my_cost),
        "tier_quantity1": l.tiers[0].0,
        "tier_price1": money(l.tiers[0].1),
        "tier_quantity2": l.tiers[1].0,
        "tier_price2": money(l.tiers[1].1),
        "tier_quantity3": l.tiers[2].0,
        "tier_price3": money(l.tiers[2].1),
    });
    if let Some(c) = l.completeness {
        v["completeness"] = json!(c.to_string());
    }
    if let (true, Some(room)) = (l.is_stock_room, l.stock_room_id) {
        v["stock_room_id"] = json!(room.to_string());
    }
    v
}

pub(crate) fn add_lot(st: &mut State, item: &SimItem) -> i64 {
    let id = st.bl.take_lot_id();
    let kind = catalog::bl_type(&item.item_type).unwrap_or("PART").to_string();
    let new_or_used = if item.condition.eq_ignore_ascii_case(&'U') { 'U' } else { 'N' };
    let unit_price = parse_fixed(&item.unit_price, 4).unwrap_or_else(|| {
        tracing::warn!(price = %item.unit_price, "simulator: unparseable unit_price, using 0");
        0
    });
    let completeness = (kind == "SET").then_some(if new_or_used == 'N' { 'S' } else { 'C' });
    let now = st.next_event_ms();
    st.bl.lots.insert(
        id,
        Lot {
            inventory_id: id,
            item_no: item.item_no.clone(),
            item_type: kind,
            color_id: item.color_id,
            quantity: item.quantity.max(0),
            new_or_used,
            completeness,
            unit_price,
            description: String::new(),
            remarks: item.remarks.clone(),
            bulk: 1,
            is_retain: false,
            is_stock_room: false,
            stock_room_id: None,
            date_created_ms: now,
            my_cost: 0,
            sale_rate: 0,
            tiers: [(0, 0); 3],
        },
    );
    id
}

fn lot_status(l: &Lot) -> &'static str {
    match (l.is_stock_room, l.stock_room_id) {
        (false, _) => "Y",
        (true, Some('B')) => "B",
        (true, Some('C')) => "C",
        (true, _) => "S",
    }
}

fn list_inventories(st: &State, q: &[(String, String)]) -> Reply {
    let types = include_exclude(param(q, "item_type"));
    let status = include_exclude(param(q, "status"));
    let colours = include_exclude(param(q, "color_id"));
    let categories = include_exclude(param(q, "category_id"));
    let list: Vec<Value> = st
        .bl
        .lots
        .values()
        .filter(|l| {
            passes(&types, &l.item_type)
                && passes(&status, lot_status(l))
                && passes(&colours, &l.color_id.to_string())
                && passes(&categories, &catalog::item(&l.item_type, &l.item_no).category_id.to_string())
        })
        .map(lot_json)
        .collect();
    ok(Value::Array(list))
}

const CREATABLE: &[&str] = &[
    "item",
    "color_id",
    "quantity",
    "unit_price",
    "new_or_used",
    "completeness",
    "description",
    "remarks",
    "bulk",
    "is_retain",
    "is_stock_room",
    "stock_room_id",
    "my_cost",
    "sale_rate",
    "my_weight",
    "tier_quantity1",
    "tier_price1",
    "tier_quantity2",
    "tier_price2",
    "tier_quantity3",
    "tier_price3",
];

const UPDATABLE: &[&str] = &[
    "quantity",
    "unit_price",
    "description",
    "remarks",
    "completeness",
    "bulk",
    "is_retain",
    "is_stock_room",
    "stock_room_id",
    "my_cost",
    "sale_rate",
    "my_weight",
    "tier_quantity1",
    "tier_price1",
    "tier_quantity2",
    "tier_price2",
    "tier_quantity3",
    "tier_price3",
];

const TIER_KEYS: [(&str, &str); 3] =
    [("tier_quantity1", "tier_price1"), ("tier_quantity2", "tier_price2"), ("tier_quantity3", "tier_price3")];

type Obj = Map<String, Value>;

fn opt_string(obj: &Obj, key: &str) -> Result<Option<String>, Reply> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(unparseable(key)),
    }
}

fn opt_bool(obj: &Obj, key: &str) -> Result<Option<bool>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(unparseable(key)),
    }
}

fn opt_int(obj: &Obj, key: &str) -> Result<Option<i64>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => json_int(v).map(Some).ok_or_else(|| unparseable(key)),
    }
}

fn opt_money(obj: &Obj, key: &str) -> Result<Option<i64>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => json_fixed(v, 4).map(Some).ok_or_else(|| unparseable(key)),
    }
}

/// Tier fields: all six or none ("to set tiers all six must be sent").
fn tiers(obj: &Obj) -> Result<Option<[(i64, i64); 3]>, Reply> {
    let present = TIER_KEYS.iter().filter(|(q, p)| obj.contains_key(*q) || obj.contains_key(*p)).count();
    let complete = TIER_KEYS.iter().all(|(q, p)| obj.contains_key(*q) && obj.contains_key(*p));
    if present == 0 {
        return Ok(None);
    }
    if !complete {
        return Err(bad("all six tier fields must be sent together"));
    }
    let mut out = [(0, 0); 3];
    for (i, (qk, pk)) in TIER_KEYS.iter().enumerate() {
        let q = opt_int(obj, qk)?.unwrap_or(0);
        let p = opt_money(obj, pk)?.unwrap_or(0);
        if q < 0 || p < 0 {
            return Err(bad(&format!("{qk}/{pk} must not be negative")));
        }
        out[i] = (q, p);
    }
    Ok(Some(out))
}

fn stock_room(obj: &Obj, is_stock_room: bool) -> Result<Option<char>, Reply> {
    match opt_string(obj, "stock_room_id")? {
        None => Ok(is_stock_room.then_some('A')),
        Some(s) => match (is_stock_room, s.as_str()) {
            (true, "A" | "B" | "C") => Ok(s.chars().next()),
            (false, _) => Err(bad("stock_room_id requires is_stock_room")),
            _ => Err(bad("stock_room_id must be A, B or C")),
        },
    }
}

/// Validates one inventory object of a `POST /inventories` body.
fn new_lot(v: &Value) -> Result<Lot, Reply> {
    let Some(obj) = v.as_object() else {
        return Err(error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: inventory must be a JSON object"));
    };
    if let Some(k) = obj.keys().find(|k| !CREATABLE.contains(&k.as_str())) {
        return Err(unparseable(k));
    }
    let Some(item) = obj.get("item").and_then(Value::as_object) else {
        return Err(bad("item (no, type) is required"));
    };
    if let Some(k) = item.keys().find(|k| *k != "no" && *k != "type") {
        return Err(unparseable(&format!("item.{k}")));
    }
    let no = match item.get("no") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err(bad("item.no is required")),
    };
    let Some(kind) = item.get("type").and_then(Value::as_str).and_then(catalog::bl_type) else {
        return Err(bad("item.type is missing or invalid"));
    };
    if catalog::known_with_other_type(kind, &no) {
        return Err(bad(&format!("no {kind} item {no} in the catalog")));
    }
    let color_id = match (opt_int(obj, "color_id")?, kind) {
        (None, "PART") => return Err(bad("color_id is required for parts")),
        (None, _) => 0,
        (Some(c), "PART" | "GEAR") => c,
        (Some(0), _) => 0,
        (Some(c), _) => return Err(bad(&format!("color_id {c} is invalid for {kind}"))),
    };
    if catalog::colour_by_bl(color_id).is_none() {
        return Err(bad(&format!("unknown color_id {color_id}")));
    }
    let quantity = match opt_int(obj, "quantity")? {
        Some(q) if q > 0 => q,
        Some(_) => return Err(bad("quantity must be greater than 0")),
        None => return Err(bad("quantity is required")),
    };
    let unit_price = match opt_money(obj, "unit_price")? {
        Some(p) if p > 0 => p,
        Some(_) => return Err(bad("unit_price must be greater than 0")),
        None => return Err(bad("unit_price is required")),
    };
    let new_or_used = match opt_string(obj, "new_or_used")?.as_deref() {
        Some("N") => 'N',
        Some("U") => 'U',
        _ => return Err(bad("new_or_used must be N or U")),
    };
    let completeness = match (opt_string(obj, "completeness")?.as_deref(), kind) {
        (None, "SET") => Some('C'),
        (None, _) => None,
        (Some(c @ ("C" | "B" | "S")), "SET") => c.chars().next(),
        (Some(_), "SET") => return Err(bad("completeness must be C, B or S")),
        (Some(_), _) => return Err(bad("completeness applies to sets only")),
    };
    let bulk = opt_int(obj, "bulk")?.unwrap_or(1);
    if bulk < 1 {
        return Err(bad("bulk must be at least 1"));
    }
    let is_stock_room = opt_bool(obj, "is_stock_room")?.unwrap_or(false);
    let sale_rate = opt_int(obj, "sale_rate")?.unwrap_or(0);
    if !(0..100).contains(&sale_rate) {
        return Err(bad("sale_rate must be between 0 and 99"));
    }
    let my_cost = opt_money(obj, "my_cost")?.unwrap_or(0);
    if my_cost < 0 {
        return Err(bad("my_cost must not be negative"));
    }
    Ok(Lot {
        inventory_id: 0,
        item_no: no,
        item_type: kind.to_string(),
        color_id,
        quantity,
        new_or_used,
        completeness,
        unit_price,
        description: opt_string(obj, "description")?.unwrap_or_default(),
        remarks: opt_string(obj, "remarks")?.unwrap_or_default(),
        bulk,
        is_retain: opt_bool(obj, "is_retain")?.unwrap_or(false),
        is_stock_room,
        stock_room_id: stock_room(obj, is_stock_room)?,
        date_created_ms: 0,
        my_cost,
        sale_rate,
        tiers: tiers(obj)?.unwrap_or([(0, 0); 3]),
    })
}

fn create_inventories(st: &mut State, req: &Req) -> Reply {
    let body = match json_body(req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (lots, single) = match &body {
        Value::Array(items) if !items.is_empty() => match items.iter().map(new_lot).collect::<Result<Vec<_>, _>>() {
            Ok(lots) => (lots, false),
            Err(r) => return r,
        },
        Value::Array(_) => return bad("empty inventory list"),
        Value::Object(_) => match new_lot(&body) {
            Ok(l) => (vec![l], true),
            Err(r) => return r,
        },
        _ => return error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: expected an object or an array"),
    };
    let mut created = None;
    for mut lot in lots {
        lot.inventory_id = st.bl.take_lot_id();
        lot.date_created_ms = st.next_event_ms();
        created = Some(lot_json(&lot));
        st.bl.lots.insert(lot.inventory_id, lot);
    }
    let data = if single { created.unwrap_or_else(|| json!({})) } else { json!({}) };
    envelope(201, "OK_CREATED", "OK_CREATED", Some(data))
}

/// A quantity change: a signed string ("+3", "-2") or a JSON number, both read as deltas.
fn quantity_delta(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with(['+', '-']) {
                parse_int(t)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn put_inventory(st: &mut State, raw: &str, req: &Req) -> Reply {
    let id = match lot_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let obj = match json_body(req) {
        Ok(Value::Object(o)) => o,
        Ok(_) => return error(400, "INVALID_REQUEST_BODY", "INVALID_REQUEST_BODY: expected a JSON object"),
        Err(r) => return r,
    };
    // Since 2024-02 every PUT must carry `description` (bricklink.md §6.3).
    let description = match obj.get("description") {
        None | Some(Value::Null) => return bad("String input must not be null"),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return unparseable("description"),
    };
    if let Some(k) = obj.keys().find(|k| !UPDATABLE.contains(&k.as_str())) {
        return match k.as_str() {
            "item" | "color_id" | "new_or_used" => bad(&format!("{k} cannot be changed; delete and recreate the lot")),
            _ => unparseable(k),
        };
    }
    let Some(current) = st.bl.lots.get(&id) else { return not_found("inventory") };
    let mut lot = current.clone();
    lot.description = description;
    if let Some(v) = obj.get("quantity") {
        let Some(delta) = quantity_delta(v) else {
            return bad("quantity must be a signed delta such as \"+3\" or \"-2\"");
        };
        let result = lot.quantity.saturating_add(delta);
        if result < 0 {
            return bad(&format!("quantity {} {delta:+} would be negative", lot.quantity));
        }
        lot.quantity = result;
    }
    if let Some(p) = match opt_money(&obj, "unit_price") {
        Ok(p) => p,
        Err(r) => return r,
    } {
        if p <= 0 {
            return bad("unit_price must be greater than 0");
        }
        lot.unit_price = p;
    }
    match apply_optional_updates(&obj, &mut lot) {
        Ok(()) => {}
        Err(r) => return r,
    }
    let data = lot_json(&lot);
    st.bl.lots.insert(id, lot);
    ok(data)
}

fn apply_optional_updates(obj: &Obj, lot: &mut Lot) -> Result<(), Reply> {
    if let Some(r) = opt_string(obj, "remarks")? {
        lot.remarks = r;
    }
    if let Some(c) = opt_string(obj, "completeness")? {
        match (lot.item_type.as_str(), c.as_str()) {
            ("SET", "C" | "B" | "S") => lot.completeness = c.chars().next(),
            _ => return Err(bad("completeness must be C, B or S (sets only)")),
        }
    }
    if let Some(b) = opt_int(obj, "bulk")? {
        if b < 1 {
            return Err(bad("bulk must be at least 1"));
        }
        lot.bulk = b;
    }
    if let Some(b) = opt_bool(obj, "is_retain")? {
        lot.is_retain = b;
    }
    if let Some(b) = opt_bool(obj, "is_stock_room")? {
        lot.is_stock_room = b;
    }
    if obj.contains_key("is_stock_room") || obj.contains_key("stock_room_id") {
        lot.stock_room_id = stock_room(obj, lot.is_stock_room)?;
    }
    if let Some(c) = opt_money(obj, "my_cost")? {
        if c < 0 {
            return Err(bad("my_cost must not be negative"));
        }
        lot.my_cost = c;
    }
    if let Some(s) = opt_int(obj, "sale_rate")? {
        if !(0..100).contains(&s) {
            return Err(bad("sale_rate must be between 0 and 99"));
        }
        lot.sale_rate = s;
    }
    if let Some(t) = tiers(obj)? {
        lot.tiers = t;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Price guide

fn price_guide(kind: &str, no: &str, q: &[(String, String)]) -> Reply {
    let Some(kind) = catalog::bl_type(kind) else { return not_found("item") };
    if catalog::known_with_other_type(kind, no) {
        return not_found("item");
    }
    let sold = match param(q, "guide_type").map(str::to_ascii_lowercase).as_deref() {
        None | Some("stock") => false,
        Some("sold") => true,
        Some(_) => return bad("guide_type must be stock or sold"),
    };
    let new_or_used = match param(q, "new_or_used") {
        None | Some("N") => "N",
        Some("U") => "U",
        Some(_) => return bad("new_or_used must be N or U"),
    };
    match param(q, "vat") {
        None | Some("N" | "Y" | "O") => {}
        Some(_) => return bad("vat must be N, Y or O"),
    }
    let currency = match param(q, "currency_code") {
        None => "USD".to_string(),
        Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => c.to_string(),
        Some(_) => return bad("currency_code must be an ISO 4217 code"),
    };
    let color = match param(q, "color_id").map(|c| c.parse::<i64>()) {
        None => 0,
        Some(Ok(c)) => c,
        Some(Err(_)) => return bad("color_id must be a number"),
    };
    // region and country_code are accepted and ignored (invalid regions are ignored by BrickLink).
    let h = catalog::hash(&format!("{kind}:{no}:{color}:{new_or_used}:{sold}"));
    let mut base: i64 = match kind {
        "PART" => 200 + (h % 4_800) as i64,
        "MINIFIG" => 10_000 + (h % 290_000) as i64,
        "SET" => 200_000 + (h % 8_000_000) as i64,
        _ => 10_000 + (h % 100_000) as i64,
    };
    if new_or_used == "U" {
        base = base * 7 / 10;
    }
    let rows = [(1 + (h % 7) as i64, base * 6 / 10), (1 + ((h >> 8) % 40) as i64, base), (1 + ((h >> 16) % 3) as i64, base * 3)];
    let total_qty: i64 = rows.iter().map(|r| r.0).sum();
    let avg = rows.iter().map(|r| r.1).sum::<i64>() / 3;
    let qty_avg = rows.iter().map(|r| r.0 * r.1).sum::<i64>() / total_qty;
    let money = |v: i64| fmt_fixed(v, 4);
    let now = chrono::Utc::now().timestamp_millis();
    let detail: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, (qty, price))| {
            if sold {
                let seller = ["DE", "US", "UK"][i % 3];
                let buyer = ["US", "NL", "CA"][i % 3];
                json!({
                    "quantity": qty,
                    "unit_price": money(*price),
                    "seller_country_code": seller,
                    "buyer_country_code": buyer,
                    "date_ordered": iso(now - (i as i64 + 1) * 86_400_000 * 9),
                })
            } else {
                json!({
                    "quantity": qty,
                    "qunatity": qty,
                    "unit_price": money(*price),
                    "shipping_available": i != 2,
                })
            }
        })
        .collect();
    ok(json!({
        "item": { "no": no, "type": kind },
        "new_or_used": new_or_used,
        "currency_code": currency,
        "min_price": money(rows[0].1),
        "max_price": money(rows[2].1),
        "avg_price": money(avg),
        "qty_avg_price": money(qty_avg),
        "unit_quantity": 3,
        "total_quantity": total_qty,
        "price_detail": detail,
    }))
}
