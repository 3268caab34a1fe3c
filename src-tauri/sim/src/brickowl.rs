//! The fake BrickOwl API v1 (shared/marketplaces/brickowl.md): key in the query for GET and in
//! the form body for POST, the per-minute limit, string-typed JSON, BOIDs and BrickOwl colour ids.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::catalog::{self, ItemInfo};
use crate::money::{fmt_fixed, parse_fixed, parse_int, rescale};
use crate::{Fault, Market, Reply, Req, SimItem, SimOrder, State};

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

/// Counts the request in the rolling minute; refuses it with 429 + Retry-After when over.
fn rate_limit(st: &mut State) -> Option<Reply> {
    let now = Instant::now();
    let minute = Duration::from_secs(60);
    while st.bo.window.front().is_some_and(|t| now.duration_since(*t) >= minute) {
        st.bo.window.pop_front();
    }
    if st.bo.window.len() >= st.options.brickowl_per_minute as usize {
        let waited = st.bo.window.front().map_or(Duration::ZERO, |t| now.duration_since(*t));
        let retry = minute.saturating_sub(waited).as_secs().max(1);
        let mut reply = err(429, "Rate limit exceeded, slow down");
        reply.headers.push(("retry-after", retry.to_string()));
        return Some(reply);
    }
    st.bo.window.push_back(now);
    None
}

fn process(st: &mut State, req: &Req, rel: Option<&str>) -> Reply {
    if let Some(reply) = rate_limit(st) {
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
];

fn route(st: &mut State, req: &Req, rel: &str, p: &[(String, String)]) -> Reply {
    let path = rel.trim_end_matches('/');
    match (req.method.as_str(), path) {
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
        (_, path) if KNOWN_PATHS.contains(&path) => err(405, "Method not allowed"),
        _ => err(404, "Unknown API method"),
    }
}

// ---------------------------------------------------------------------------------------------
// Orders

struct Totals {
    sub_e2: i64,
    qty: i64,
    lots: i64,
    weight_e3: i64,
}

fn totals(o: &BoOrder) -> Totals {
    let mut sub_e3: i64 = 0;
    let mut t = Totals { sub_e2: 0, qty: 0, lots: 0, weight_e3: 0 };
    for i in &o.items {
        sub_e3 = sub_e3.saturating_add(i.qty.saturating_mul(i.price));
        t.qty = t.qty.saturating_add(i.qty);
        t.lots += 1;
        t.weight_e3 = t.weight_e3.saturating_add(i.qty.saturating_mul(i.weight_e3));
    }
    t.sub_e2 = rescale(sub_e3, 3, 2);
    t
}

fn with_order(st: &mut State, p: &[(String, String)], f: fn(&BoOrder) -> Value) -> Reply {
    let Some(raw) = param(p, "order_id") else {
        return err(400, "Missing order_id");
    };
    match raw.trim().parse::<i64>().ok().and_then(|id| st.bo.orders.get(&id)) {
        Some(o) => Reply::json(200, &f(o)),
        None => err(404, "Order not found"),
    }
}

fn order_list(st: &State, p: &[(String, String)]) -> Reply {
    match param(p, "list_type").map(str::to_ascii_lowercase).as_deref() {
        None | Some("store") => {}
        Some("customer") => return Reply::json(200, &json!([])),
        Some(_) => return err(400, "Invalid list_type"),
    }
    let status = match param(p, "status") {
        None => None,
        Some(s) => match parse_int(s) {
            Some(n @ 0..=8) => Some(n as u8),
            Some(_) => return err(400, "Invalid status"),
            None => match STATUS_NAMES.iter().position(|n| n.eq_ignore_ascii_case(s.trim())) {
                Some(i) => Some(i as u8),
                None => return err(400, "Invalid status"),
            },
        },
    };
    let since = match param(p, "order_time").map(parse_int) {
        None => None,
        Some(Some(t)) => Some(t),
        Some(None) => return err(400, "Invalid order_time"),
    };
    let limit = match param(p, "limit").map(parse_int) {
        None => 500,
        Some(Some(n)) if n >= 1 => n.min(5000) as usize,
        Some(_) => return err(400, "Invalid limit"),
    };
    let by_updated = match param(p, "sort_by") {
        None | Some("created") => false,
        Some("updated") => true,
        Some(_) => return err(400, "Invalid sort_by"),
    };
    let mut orders: Vec<&BoOrder> =
        st.bo.orders.values().filter(|o| status.is_none_or(|s| o.status_id == s) && since.is_none_or(|t| o.time >= t)).collect();
    orders.sort_by_key(|o| std::cmp::Reverse(if by_updated { (o.updated, o.id) } else { (o.time, o.id) }));
    let list: Vec<Value> = orders
        .into_iter()
        .take(limit)
        .map(|o| {
            let t = totals(o);
            json!({
                "order_id": o.id.to_string(),
                "order_date": o.time.to_string(),
                "total_quantity": t.qty.to_string(),
                "total_lots": t.lots.to_string(),
                "base_order_total": fmt_fixed(t.sub_e2.saturating_add(o.ship_total_e2), 2),
                "status": status_name(o.status_id),
                "status_id": o.status_id.to_string(),
            })
        })
        .collect();
    Reply::json(200, &Value::Array(list))
}

fn iso_secs(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)).unwrap_or_default()
}

fn order_view(o: &BoOrder) -> Value {
    let t = totals(o);
    let total = fmt_fixed(t.sub_e2.saturating_add(o.ship_total_e2), 2);
    // 2.5 % fee as BrickOwl sends it: a JSON number (computed in integers, 1e-5 units).
    let fee = t.sub_e2.saturating_mul(25) as f64 / 100_000.0;
    let processed = (o.status_id >= 4 && o.status_id != 7 && o.status_id != 8).then_some(o.updated);
    let (first, last) = o.buyer_name.split_once(' ').unwrap_or((o.buyer_name.as_str(), ""));
    json!({
        "order_id": o.id.to_string(),
        "order_time": o.time.to_string(),
        "processed_time": processed.map(|t| t.to_string()),
        "iso_order_time": iso_secs(o.time),
        "iso_processed_time": iso_secs(processed.unwrap_or(0)),
        "store_id": "907",
        "ship_method_name": "USPS First Class Package",
        "ship_method_id": "4411",
        "status": status_name(o.status_id),
        "status_id": o.status_id.to_string(),
        "weight": fmt_fixed(t.weight_e3, 3),
        "ship_total": fmt_fixed(o.ship_total_e2, 2),
        "buyer_note": "",
        "total_quantity": t.qty.to_string(),
        "total_lots": t.lots.to_string(),
        "base_currency": o.currency,
        "payment_method_type": "paypal_standard",
        "payment_currency": o.currency,
        "payment_total": total,
        "base_order_total": total,
        "sub_total": fmt_fixed(t.sub_e2, 2),
        "coupon_discount": "0.00",
        "payment_method_note": "",
        "payment_transaction_id": format!("0DEMO{:013}TX", o.id),
        "tax_rate": "0.00",
        "tax_amount": "0.00",
        "tracking_number": o.tracking,
        "tracking_advice": "",
        "buyer_name": o.buyer_name,
        "combine_with": null,
        "refund_shipping": "0.00",
        "refund_adjustment": "0.00",
        "refund_subtotal": "0.00",
        "refund_total": "0.00",
        "refund_note": null,
        "affiliate_fee": fee,
        "brickowl_fee": fee,
        "seller_note": o.seller_note,
        "customer_email": format!("buyer{}@example.org", o.id),
        "customer_username": slug(&o.buyer_name),
        "customer_user_id": (100_000 + o.id % 900_000).to_string(),
        "message_count": "0",
        "my_cost_total": "0.00",
        "ship_first_name": first,
        "ship_last_name": last,
        "ship_country_code": "US",
        "ship_country": "United States",
        "ship_post_code": "12345",
        "ship_street_1": "1 Example Street",
        "ship_street_2": "",
        "ship_city": "Sampletown",
        "ship_region": "NY",
        "ship_phone": "",
        "billing_first_name": first,
        "billing_last_name": last,
        "billing_country_code": "US",
        "billing_country": "United States",
        "billing_post_code": "12345",
        "billing_street_1": "1 Example Street",
        "billing_street_2": "",
        "billing_city": "Sampletown",
        "billing_region": "NY",
        "billing_phone": "",
    })
}

fn order_items(o: &BoOrder) -> Value {
    let list = o
        .items
        .iter()
        .map(|i| {
            let boid = boid_full(&i.base, i.color);
            let colour = i.color.and_then(catalog::colour_by_bo);
            json!({
                "image_small": format!("//img.brickowl.com/files/image_cache/small/{}-{}.png", slug(&i.name), boid),
                "condition": catalog::bo_condition_text(&i.con),
                "full_con": i.con,
                "name": i.name,
                "type": i.bo_type,
                "boid": boid,
                "personal_note": i.personal_note,
                "bl_lot_id": i.bl_lot_id.map(|id| id.to_string()).unwrap_or_default(),
                "external_lot_ids": external_ids(i.external_id.as_ref()),
                "remaining_quantity": i.remaining.to_string(),
                "weight": fmt_fixed(i.weight_e3, 3),
                "public_note": i.public_note,
                "ordered_quantity": i.qty.to_string(),
                "refunded_quantity": "0",
                "order_item_id": i.order_item_id.to_string(),
                "base_price": fmt_fixed(i.price, 3),
                "color_name": colour.map(|c| c.name),
                "color_id": i.color.map(|c| c.to_string()),
                "lot_id": i.lot_id.to_string(),
                "ids": ids(Some(&i.bl_no), &boid),
            })
        })
        .collect();
    Value::Array(list)
}

fn find_order<'a>(st: &'a mut State, p: &[(String, String)]) -> Result<&'a mut BoOrder, Reply> {
    let Some(raw) = param(p, "order_id") else {
        return Err(err(400, "Missing order_id"));
    };
    let id = raw.trim().parse::<i64>().map_err(|_| err(404, "Order not found"))?;
    st.bo.orders.get_mut(&id).ok_or_else(|| err(404, "Order not found"))
}

fn order_set_status(st: &mut State, p: &[(String, String)]) -> Reply {
    let status = match param(p, "status_id").and_then(parse_int) {
        Some(n @ 1..=7) => n as u8,
        _ => return err(400, "Invalid status_id (1-7; Pending and Cancelled cannot be set)"),
    };
    let now = chrono::Utc::now().timestamp();
    match find_order(st, p) {
        Ok(o) => {
            o.status_id = status;
            o.updated = now;
            success()
        }
        Err(r) => r,
    }
}

fn order_note(st: &mut State, p: &[(String, String)], field: &str, tracking: bool) -> Reply {
    let Some(value) = param(p, field).map(str::to_string) else {
        return err(400, &format!("Missing {field}"));
    };
    match find_order(st, p) {
        Ok(o) => {
            if tracking {
                o.tracking = Some(value);
            } else {
                o.seller_note = Some(value);
            }
            success()
        }
        Err(r) => r,
    }
}

pub(crate) fn set_status(st: &mut State, order_id: &str, status_id: u8) {
    let now = chrono::Utc::now().timestamp();
    match order_id.trim().parse::<i64>().ok().and_then(|id| st.bo.orders.get_mut(&id)) {
        Some(o) => {
            o.status_id = status_id.min(8);
            o.updated = now;
        }
        None => tracing::warn!(order_id, "simulator: brickowl_set_status on an unknown order"),
    }
}

/// Maps one BrickLink-style item to BrickOwl terms: (info, bo type, colour, condition).
fn map_item(st: &mut State, item: &SimItem) -> (ItemInfo, String, Option<i64>, String) {
    let kind = catalog::bl_type(&item.item_type).unwrap_or("PART");
    let info = catalog::item(kind, &item.item_no);
    st.bo.register(&info);
    let bo_type = catalog::bo_type(kind, &item.item_no).unwrap_or("Part").to_string();
    let color = if bo_type == "Part" || bo_type == "Sticker" { catalog::colour_by_bl(item.color_id).and_then(|c| c.bo) } else { None };
    let cond = if item.condition.eq_ignore_ascii_case(&'U') { 'U' } else { 'N' };
    (info, bo_type, color, catalog::bo_condition(kind, cond).to_string())
}

fn price_e3(item: &SimItem) -> i64 {
    match parse_fixed(&item.unit_price, 4) {
        Some(p) => rescale(p, 4, 3),
        None => {
            tracing::warn!(price = %item.unit_price, "simulator: unparseable unit_price, using 0");
            0
        }
    }
}

pub(crate) fn add_lot(st: &mut State, item: &SimItem, external_id: Option<&str>) -> String {
    let (info, bo_type, color, con) = map_item(st, item);
    let lot_id = st.bo.take_lot_id();
    let name = display_name(Some(&info), &info.boid, color);
    st.bo.lots.insert(
        lot_id,
        BoLot {
            lot_id,
            base: info.boid.clone(),
            color,
            bo_type,
            bl_no: Some(info.no.clone()),
            name,
            con,
            qty: item.quantity.max(0),
            price: price_e3(item),
            for_sale: true,
            personal_note: item.remarks.clone(),
            public_note: String::new(),
            external_id: external_id.filter(|e| !e.is_empty()).map(str::to_string),
            sale_percent: 0,
            bulk_qty: 1,
            my_cost: 0,
            lot_weight: 0,
            tier_price: String::new(),
        },
    );
    lot_id.to_string()
}

pub(crate) fn add_order(st: &mut State, order: &SimOrder) -> String {
    let id = st.bo.next_order;
    st.bo.next_order += 1;
    let now = chrono::Utc::now().timestamp();
    let mut items = Vec::new();
    for item in order.batches.iter().flatten() {
        let (info, bo_type, color, con) = map_item(st, item);
        let ext = item.inventory_id.map(|i| i.to_string());
        let lots = &st.bo.lots;
        let lot = lots
            .values()
            .find(|l| ext.is_some() && l.external_id == ext)
            .or_else(|| lots.values().find(|l| l.base == info.boid && l.color == color && l.con == con))
            .map(|l| l.lot_id);
        let (lot_id, personal_note, public_note, external_id, remaining) = match lot.and_then(|id| st.bo.lots.get_mut(&id)) {
            Some(l) => {
                l.qty = l.qty.saturating_sub(item.quantity).max(0);
                (l.lot_id, l.personal_note.clone(), l.public_note.clone(), l.external_id.clone(), l.qty)
            }
            None => (st.bo.take_lot_id(), item.remarks.clone(), String::new(), None, 0),
        };
        let order_item_id = st.bo.next_item;
        st.bo.next_item += 1;
        items.push(BoItem {
            order_item_id,
            lot_id,
            base: info.boid.clone(),
            color,
            bo_type,
            bl_no: info.no.clone(),
            name: display_name(Some(&info), &info.boid, color),
            con,
            qty: item.quantity,
            price: price_e3(item),
            personal_note,
            public_note,
            bl_lot_id: item.inventory_id,
            external_id,
            remaining,
            weight_e3: rescale(info.weight_e2, 2, 3),
        });
    }
    st.bo.orders.insert(
        id,
        BoOrder {
            id,
            time: now,
            updated: now,
            status_id: status_id_of(&order.status),
            buyer_name: order.buyer_name.clone(),
            currency: if order.currency.is_empty() { "USD".to_string() } else { order.currency.clone() },
            ship_total_e2: parse_fixed(&order.shipping, 2).unwrap_or(0),
            items,
            tracking: None,
            seller_note: None,
        },
    );
    id.to_string()
}

// ---------------------------------------------------------------------------------------------
// Inventory

pub(crate) fn lot_json(l: &BoLot) -> Value {
    let boid = boid_full(&l.base, l.color);
    let con = if l.con.starts_with("new") {
        "new"
    } else if l.con.starts_with("used") {
        "used"
    } else {
        "other"
    };
    json!({
        "con": con,
        "full_con": l.con,
        "qty": l.qty.to_string(),
        "lot_id": l.lot_id.to_string(),
        "price": fmt_fixed(l.price, 3),
        "url": format!("http://{STORE_HOST}/store/{}-{}", slug(&l.name), l.base),
        "owl_id": (10_000 + catalog::hash(&l.base) % 90_000).to_string(),
        "public_note": l.public_note,
        "personal_note": l.personal_note,
        "sale_percent": l.sale_percent.to_string(),
        "bulk_qty": l.bulk_qty.to_string(),
        "for_sale": if l.for_sale { "1" } else { "0" },
        "boid": boid,
        "external_lot_ids": external_ids(l.external_id.as_ref()),
        "type": l.bo_type,
        "ids": ids(l.bl_no.as_deref(), &boid),
    })
}

fn inventory_list(st: &State, p: &[(String, String)]) -> Reply {
    let active_only = param(p, "active_only") != Some("0");
    let ext = param(p, "external_id_1");
    let lot_id = param(p, "lot_id").and_then(parse_int);
    if param(p, "lot_id").is_some() && lot_id.is_none() {
        return err(400, "Invalid lot_id");
    }
    let kind = match param(p, "type") {
        None => None,
        Some(t) => match catalog::bo_type_name(t) {
            Some(t) => Some(t),
            None => return err(400, "Invalid type"),
        },
    };
    let list: Vec<Value> = st
        .bo
        .lots
        .values()
        .filter(|l| {
            (!active_only || (l.for_sale && l.qty > 0))
                && ext.is_none_or(|e| l.external_id.as_deref() == Some(e))
                && lot_id.is_none_or(|id| l.lot_id == id)
                && kind.is_none_or(|k| l.bo_type == k)
        })
        .map(lot_json)
        .collect();
    Reply::json(200, &Value::Array(list))
}

/// Splits "771344-39" into ("771344", Some(39)); validates the digits.
fn parse_boid(raw: &str) -> Option<(String, Option<i64>)> {
    let raw = raw.trim();
    let (base, colour) = match raw.split_once('-') {
        Some((b, c)) => (b, Some(c.parse::<i64>().ok()?)),
        None => (raw, None),
    };
    (!base.is_empty() && base.len() <= 12 && base.bytes().all(|b| b.is_ascii_digit())).then(|| (base.to_string(), colour))
}

fn condition_param(p: &[(String, String)]) -> Result<Option<String>, Reply> {
    match param(p, "condition") {
        None => Ok(None),
        Some(c) if catalog::BO_CONDITIONS.contains(&c) => Ok(Some(c.to_string())),
        Some(_) => Err(err(400, "Invalid condition")),
    }
}

fn positive_price(raw: &str) -> Option<i64> {
    parse_fixed(raw, 3).filter(|p| *p > 0)
}

fn inventory_create(st: &mut State, p: &[(String, String)]) -> Reply {
    let Some((base, boid_colour)) = param(p, "boid").and_then(parse_boid) else {
        return err(400, "Missing or invalid boid");
    };
    let info = st.bo.resolve(&base);
    let bo_type = info.as_ref().and_then(|i| catalog::bo_type(&i.kind, &i.no)).unwrap_or("Part").to_string();
    let colour_param = match param(p, "color_id") {
        None => None,
        Some(c) => match parse_int(c) {
            Some(c) => Some(c),
            None => return err(400, "Invalid color_id"),
        },
    };
    let color = match (colour_param, boid_colour) {
        (Some(a), Some(b)) if a != b => return err(400, "color_id does not match the BOID"),
        (a, b) => a.or(b),
    };
    let color = match (bo_type.as_str(), color) {
        ("Part" | "Sticker", None) => return err(400, "color_id is required for parts"),
        ("Part" | "Sticker" | "Gear" | "Minibuild", Some(c)) => {
            if catalog::colour_by_bo(c).is_none() {
                return err(400, "Invalid color_id");
            }
            Some(c)
        }
        (_, Some(_)) => return err(400, "color_id is not allowed for this item type"),
        (_, None) => None,
    };
    let qty = match param(p, "quantity").and_then(parse_int) {
        Some(q) if q > 0 => q,
        _ => return err(400, "quantity must be a whole number greater than 0"),
    };
    let Some(price) = param(p, "price").and_then(positive_price) else {
        return err(400, "price must be a positive number");
    };
    let con = match condition_param(p) {
        Ok(Some(c)) => c,
        Ok(None) => return err(400, "Missing condition"),
        Err(r) => return r,
    };
    let lot_id = st.bo.take_lot_id();
    let name = display_name(info.as_ref(), &base, color);
    st.bo.lots.insert(
        lot_id,
        BoLot {
            lot_id,
            base,
            color,
            bo_type,
            bl_no: info.map(|i| i.no),
            name,
            con,
            qty,
            price,
            for_sale: true,
            personal_note: String::new(),
            public_note: String::new(),
            external_id: param(p, "external_id").map(str::to_string),
            sale_percent: 0,
            bulk_qty: 1,
            my_cost: 0,
            lot_weight: 0,
            tier_price: String::new(),
        },
    );
    Reply::json(200, &json!({ "status": "success", "lot_id": lot_id.to_string() }))
}

/// Exactly one of `lot_id` / `external_id` → the lot's id.
fn target_lot(st: &State, p: &[(String, String)]) -> Result<i64, Reply> {
    match (param(p, "lot_id"), param(p, "external_id")) {
        (Some(_), Some(_)) => Err(err(400, "Specify exactly one of lot_id or external_id")),
        (None, None) => Err(err(400, "Missing lot_id or external_id")),
        (Some(id), None) => parse_int(id).filter(|id| st.bo.lots.contains_key(id)).ok_or_else(|| err(404, "Lot not found")),
        (None, Some(ext)) => {
            st.bo.lots.values().find(|l| l.external_id.as_deref() == Some(ext)).map(|l| l.lot_id).ok_or_else(|| err(404, "Lot not found"))
        }
    }
}

fn valid_tier_price(s: &str) -> bool {
    if s == "remove" {
        return true;
    }
    let parts: Vec<&str> = s.split(',').collect();
    parts.len() <= 3
        && parts
            .iter()
            .all(|t| t.split_once(':').is_some_and(|(q, pr)| parse_int(q).is_some_and(|q| q > 0) && positive_price(pr).is_some()))
}

fn inventory_update(st: &mut State, p: &[(String, String)]) -> Reply {
    let id = match target_lot(st, p) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let Some(current) = st.bo.lots.get(&id) else {
        return err(404, "Lot not found");
    };
    let mut lot = current.clone();
    let mut changed = false;
    let abs = param(p, "absolute_quantity");
    let rel = param(p, "relative_quantity");
    match (abs, rel) {
        (Some(_), Some(_)) => return err(400, "Use either absolute_quantity or relative_quantity"),
        (Some(a), None) => match parse_int(a) {
            Some(q) if q >= 0 => lot.qty = q,
            _ => return err(400, "Invalid absolute_quantity"),
        },
        (None, Some(r)) => match parse_int(r) {
            Some(d) if lot.qty.checked_add(d).is_some_and(|q| q >= 0) => lot.qty += d,
            Some(_) => return err(400, "Quantity cannot become negative"),
            None => return err(400, "Invalid relative_quantity"),
        },
        (None, None) => {}
    }
    changed |= abs.is_some() || rel.is_some();
    if let Some(raw) = param(p, "price") {
        let Some(price) = positive_price(raw) else { return err(400, "Invalid price") };
        lot.price = price;
        changed = true;
    }
    if let Some(raw) = param(p, "for_sale") {
        match raw {
            "0" | "1" => lot.for_sale = raw == "1",
            _ => return err(400, "Invalid for_sale"),
        }
        changed = true;
    }
    if let Some(raw) = param(p, "sale_percent") {
        match parse_int(raw) {
            Some(s) if (-95..=95).contains(&s) => lot.sale_percent = s,
            _ => return err(400, "Invalid sale_percent"),
        }
        changed = true;
    }
    for (key, target) in [("my_cost", &mut lot.my_cost), ("lot_weight", &mut lot.lot_weight)] {
        if let Some(raw) = param(p, key) {
            match parse_fixed(raw, 3) {
                Some(v) if v >= 0 => *target = v,
                _ => return err(400, &format!("Invalid {key}")),
            }
            changed = true;
        }
    }
    if let Some(raw) = param(p, "bulk_qty") {
        match parse_int(raw) {
            Some(b) if b >= 1 => lot.bulk_qty = b,
            _ => return err(400, "Invalid bulk_qty"),
        }
        changed = true;
    }
    if let Some(raw) = param(p, "tier_price") {
        if !valid_tier_price(raw) {
            return err(400, "Invalid tier_price");
        }
        lot.tier_price = if raw == "remove" { String::new() } else { raw.to_string() };
        changed = true;
    }
    match condition_param(p) {
        Ok(Some(c)) => {
            lot.con = c;
            changed = true;
        }
        Ok(None) => {}
        Err(r) => return r,
    }
    // Notes may be set to the empty string, so look at presence, not content.
    for (key, target) in [("personal_note", &mut lot.personal_note), ("public_note", &mut lot.public_note)] {
        if let Some((_, v)) = p.iter().find(|(k, _)| k == key) {
            *target = v.clone();
            changed = true;
        }
    }
    if let Some(ext) = param(p, "update_external_id_1") {
        lot.external_id = Some(ext.to_string());
        changed = true;
    }
    if !changed {
        return err(400, "Nothing to update");
    }
    st.bo.lots.insert(id, lot);
    success()
}

fn inventory_delete(st: &mut State, p: &[(String, String)]) -> Reply {
    match target_lot(st, p) {
        Ok(id) => {
            st.bo.lots.remove(&id);
            success()
        }
        Err(r) => r,
    }
}

// ---------------------------------------------------------------------------------------------
// Catalog

fn color_list() -> Reply {
    let mut map = Map::new();
    for c in catalog::COLOURS {
        if let Some(bo) = c.bo {
            map.insert(
                bo.to_string(),
                json!({
                    "id": bo.to_string(),
                    "name": c.name,
                    "hex": c.hex,
                    "bl_ids": [c.bl.to_string()],
                    "bl_names": [c.name],
                    "ldraw_ids": [],
                    "peeron_names": [],
                    "lego_colors": [],
                }),
            );
        }
    }
    Reply::json(200, &Value::Object(map))
}

fn id_lookup(st: &mut State, p: &[(String, String)]) -> Reply {
    let Some(id) = param(p, "id").map(str::trim) else {
        return err(400, "Missing id");
    };
    let Some(bl_kind) = param(p, "type").and_then(catalog::bl_type_of_bo) else {
        return err(400, "Missing or invalid type");
    };
    match param(p, "id_type").unwrap_or("bl_item_no") {
        "bl_item_no" | "design_id" | "set_number" | "ldraw" | "peeron_id" => {}
        "item_no" | "ean" | "upc" | "boid" | "other" => return Reply::json(200, &json!({ "boids": [] })),
        _ => return err(400, "Invalid id_type"),
    }
    if catalog::known_with_other_type(bl_kind, id) {
        return Reply::json(200, &json!({ "boids": [] }));
    }
    let info = catalog::item(bl_kind, id);
    st.bo.register(&info);
    Reply::json(200, &json!({ "boids": [info.boid] }))
}

fn catalog_lookup(st: &State, p: &[(String, String)]) -> Reply {
    let Some((base, colour)) = param(p, "boid").and_then(parse_boid) else {
        return err(400, "Missing or invalid boid");
    };
    let Some(info) = st.bo.resolve(&base) else {
        return err(404, "Item not found");
    };
    let colour = colour.and_then(catalog::colour_by_bo);
    let boid = boid_full(&base, colour.and_then(|c| c.bo));
    let name = display_name(Some(&info), &base, colour.and_then(|c| c.bo));
    let mut v = json!({
        "boid": boid,
        "name": name,
        "type": catalog::bo_type(&info.kind, &info.no).unwrap_or("Part"),
        "url": format!("https://www.brickowl.com/catalog/{}", slug(&name)),
        "permalink": format!("https://www.brickowl.com/catalog/{base}"),
        "cat_name_path": "",
        "ids": ids(Some(&info.no), &boid),
        "missing_data": [],
    });
    if let Some(c) = colour {
        v["color_id"] = json!(c.bo.map(|b| b.to_string()));
        v["color_name"] = json!(c.name);
        v["color_hex"] = json!(c.hex);
    }
    Reply::json(200, &v)
}
