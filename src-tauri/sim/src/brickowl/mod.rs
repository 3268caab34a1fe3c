//! The fake BrickOwl API v1 (shared/marketplaces/brickowl.md): key in the query for GET and in
//! the form body for POST, the per-minute limit, string-typed JSON, BOIDs and BrickOwl colour ids.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::catalog::{self, ItemInfo};
use crate::money::{fmt_fixed, parse_fixed, parse_int, rescale};
use crate::{Fault, Market, Reply, Req, SimItem, SimOrder, State};

mod bulk;
mod inventory;
mod lookups;
mod orders;

pub(crate) use inventory::*;
use lookups::*;
pub(crate) use orders::*;

pub(crate) const PREFIX: &str = "/v1";
const FIRST_LOT_ID: i64 = 2_726_951;
const FIRST_ORDER_ID: i64 = 3_506_239;
const FIRST_ORDER_ITEM_ID: i64 = 433_713;
const STORE_HOST: &str = "brickdesk-demo.brickowl.com";

/// Order status names by status id (brickowl.md §5).
const STATUS_NAMES: [&str; 9] =
    ["Pending", "Payment Submitted", "Payment Received", "Processing", "Processed", "Shipped", "Received", "On Hold", "Cancelled"];

/// One store lot. Prices in thousandths.
#[derive(Clone, Debug)]
pub(crate) struct BoLot {
    pub lot_id: i64,
    pub base: String,
    pub color: Option<i64>,
    pub bo_type: String,
    pub bl_no: Option<String>,
    pub name: String,
    pub con: String,
    pub qty: i64,
    pub price: i64,
    pub for_sale: bool,
    pub personal_note: String,
    pub public_note: String,
    pub external_id: Option<String>,
    pub sale_percent: i64,
    pub bulk_qty: i64,
    pub my_cost: i64,
    pub lot_weight: i64,
    pub tier_price: String,
}

#[derive(Clone, Debug)]
pub(crate) struct BoItem {
    pub order_item_id: i64,
    pub lot_id: i64,
    pub base: String,
    pub color: Option<i64>,
    pub bo_type: String,
    pub bl_no: String,
    pub name: String,
    pub con: String,
    pub qty: i64,
    pub price: i64,
    pub personal_note: String,
    pub public_note: String,
    pub bl_lot_id: Option<i64>,
    pub external_id: Option<String>,
    pub remaining: i64,
    pub weight_e3: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct BoOrder {
    pub id: i64,
    pub time: i64,
    pub updated: i64,
    pub status_id: u8,
    pub buyer_name: String,
    pub currency: String,
    pub ship_total_e2: i64,
    pub items: Vec<BoItem>,
    pub tracking: Option<String>,
    pub seller_note: Option<String>,
}

pub(crate) struct BoState {
    pub lots: BTreeMap<i64, BoLot>,
    pub orders: BTreeMap<i64, BoOrder>,
    next_lot: i64,
    next_order: i64,
    next_item: i64,
    /// Base BOID → (BrickLink type, BrickLink item no), learned from lookups and orders.
    boids: HashMap<String, (String, String)>,
    window: VecDeque<Instant>,
    /// `bulk/batch` requests of the rolling minute (their own limit, brickowl.md §2).
    bulk_window: VecDeque<Instant>,
    /// The endpoint of every call carried out inside a `bulk/batch`, in order.
    pub batched: Vec<String>,
}

impl BoState {
    pub(crate) fn new() -> BoState {
        BoState {
            lots: BTreeMap::new(),
            orders: BTreeMap::new(),
            next_lot: FIRST_LOT_ID,
            next_order: FIRST_ORDER_ID,
            next_item: FIRST_ORDER_ITEM_ID,
            boids: HashMap::new(),
            window: VecDeque::new(),
            bulk_window: VecDeque::new(),
            batched: Vec::new(),
        }
    }

    fn take_lot_id(&mut self) -> i64 {
        let id = self.next_lot;
        self.next_lot += 1;
        id
    }

    fn register(&mut self, info: &ItemInfo) {
        self.boids.insert(info.boid.clone(), (info.kind.clone(), info.no.clone()));
    }

    /// The BrickLink item behind a base BOID, if known.
    fn resolve(&self, base: &str) -> Option<ItemInfo> {
        catalog::known_by_boid(base).or_else(|| self.boids.get(base).map(|(kind, no)| catalog::item(kind, no)))
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn err(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

fn success() -> Reply {
    Reply::json(200, &json!({ "status": "success" }))
}

/// Text for `Fault::Status` bodies.
pub(crate) fn status_text(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Invalid API Key",
        403 => "Permission denied",
        404 => "Not found",
        429 => "Rate limit exceeded",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

fn boid_full(base: &str, color: Option<i64>) -> String {
    match color {
        Some(c) => format!("{base}-{c}"),
        None => base.to_string(),
    }
}

fn display_name(info: Option<&ItemInfo>, base: &str, color: Option<i64>) -> String {
    let colour = color.and_then(catalog::colour_by_bo).map(|c| format!("{} ", c.name)).unwrap_or_default();
    match info {
        Some(i) => format!("LEGO {colour}{} ({})", i.name, i.no),
        None => format!("LEGO {colour}Item {base}"),
    }
}

fn external_ids(ext: Option<&String>) -> Value {
    match ext {
        Some(id) => json!({ "other": id }),
        None => json!([]),
    }
}

fn ids(bl_no: Option<&str>, boid: &str) -> Value {
    let mut list = Vec::new();
    if let Some(no) = bl_no.filter(|n| !n.is_empty()) {
        list.push(json!({ "id": no, "type": "bl_item_no" }));
    }
    list.push(json!({ "id": boid, "type": "boid" }));
    Value::Array(list)
}

fn status_id_of(s: &str) -> u8 {
    match s.trim().to_ascii_uppercase().as_str() {
        "PAID" | "PAYMENT RECEIVED" => 2,
        "PAYMENT SUBMITTED" => 1,
        "PROCESSING" => 3,
        "READY" | "PACKED" | "PROCESSED" => 4,
        "SHIPPED" => 5,
        "RECEIVED" | "COMPLETED" => 6,
        "ON HOLD" | "NPB" | "OCR" => 7,
        "CANCELLED" | "PURGED" => 8,
        _ => 0,
    }
}

fn status_name(id: u8) -> &'static str {
    STATUS_NAMES.get(usize::from(id)).copied().unwrap_or("Pending")
}

// ---------------------------------------------------------------------------------------------
// Request pipeline

pub(crate) fn handle(st: &mut State, req: &Req) -> Reply {
    let rel = req.path.strip_prefix(PREFIX).filter(|r| r.starts_with('/'));
    let record_path = rel.unwrap_or(&req.path).to_string();
    let reply = process(st, req, rel);
    st.record(Market::Brickowl, req, record_path, &reply);
    reply
}

/// Counts the request in the rolling minute (a `bulk/batch` in the bulk one, 200 by default,
/// instead of the 600); refuses it with 429 + Retry-After when over.
fn rate_limit(st: &mut State, bulk: bool) -> Option<Reply> {
    let now = Instant::now();
    let minute = Duration::from_secs(60);
    let (window, limit) = if bulk {
        (&mut st.bo.bulk_window, st.options.brickowl_bulk_per_minute)
    } else {
        (&mut st.bo.window, st.options.brickowl_per_minute)
    };
    while window.front().is_some_and(|t| now.duration_since(*t) >= minute) {
        window.pop_front();
    }
    if window.len() >= limit as usize {
        let waited = window.front().map_or(Duration::ZERO, |t| now.duration_since(*t));
        let retry = minute.saturating_sub(waited).as_secs().max(1);
        let mut reply = err(429, "Rate limit exceeded, slow down");
        reply.headers.push(("retry-after", retry.to_string()));
        return Some(reply);
    }
    window.push_back(now);
    None
}

fn process(st: &mut State, req: &Req, rel: Option<&str>) -> Reply {
    let bulk = rel.is_some_and(|r| r.trim_end_matches('/') == "/bulk/batch");
    if let Some(reply) = rate_limit(st, bulk) {
        return reply;
    }
    let Some(rel) = rel else {
        return err(404, "Not found");
    };
    let params: Vec<(String, String)> = match req.method.as_str() {
        "GET" => match serde_urlencoded::from_str(&req.query) {
            Ok(p) => p,
            Err(_) => return err(400, "Malformed query string"),
        },
        // POST arguments (and the key) live only in a form-encoded body, never in the query.
        "POST" => {
            let ct = req.header("content-type").unwrap_or("").to_ascii_lowercase();
            if ct.starts_with("application/x-www-form-urlencoded") {
                match serde_urlencoded::from_bytes(&req.body) {
                    Ok(p) => p,
                    Err(_) => return err(400, "Malformed request body"),
                }
            } else {
                Vec::new()
            }
        }
        _ => return err(405, "Method not allowed"),
    };
    if param(&params, "key") != Some(st.options.brickowl_api_key.as_str()) {
        return err(401, "Invalid API Key");
    }
    match st.take_fault(Market::Brickowl, &req.path, rel) {
        Some(Fault::TruncatedBody) => route(st, req, rel, &params).truncated(),
        Some(fault) => crate::fault_reply(Market::Brickowl, &fault),
        None => route(st, req, rel, &params),
    }
}

const KNOWN_PATHS: &[&str] = &[
    "/order/list",
    "/order/view",
    "/order/items",
    "/order/set_status",
    "/order/tracking",
    "/order/note",
    "/inventory/list",
    "/inventory/create",
    "/inventory/update",
    "/inventory/delete",
    "/catalog/color_list",
    "/catalog/id_lookup",
    "/catalog/lookup",
    "/bulk/batch",
];

fn route(st: &mut State, req: &Req, rel: &str, p: &[(String, String)]) -> Reply {
    endpoint(st, &req.method, rel, p)
}

/// One API method by HTTP method and path: what a request and a `bulk/batch` entry both run.
fn endpoint(st: &mut State, method: &str, rel: &str, p: &[(String, String)]) -> Reply {
    let path = rel.trim_end_matches('/');
    match (method, path) {
        ("GET", "/order/list") => order_list(st, p),
        ("GET", "/order/view") => with_order(st, p, order_view),
        ("GET", "/order/items") => with_order(st, p, order_items),
        ("POST", "/order/set_status") => order_set_status(st, p),
        ("POST", "/order/tracking") => order_note(st, p, "tracking_id", true),
        ("POST", "/order/note") => order_note(st, p, "note", false),
        ("GET", "/inventory/list") => inventory_list(st, p),
        ("POST", "/inventory/create") => inventory_create(st, p),
        ("POST", "/inventory/update") => inventory_update(st, p),
        ("POST", "/inventory/delete") => inventory_delete(st, p),
        ("GET", "/catalog/color_list") => color_list(),
        ("GET", "/catalog/id_lookup") => id_lookup(st, p),
        ("GET", "/catalog/lookup") => catalog_lookup(st, p),
        ("POST", "/bulk/batch") => bulk::batch(st, p),
        (_, path) if KNOWN_PATHS.contains(&path) => err(405, "Method not allowed"),
        _ => err(404, "Unknown API method"),
    }
}
