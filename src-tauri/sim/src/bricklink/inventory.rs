//! Inventory of the fake BrickLink: lots with delta quantities, strict create/update field rules.

use serde_json::{json, Map, Value};

use super::envelope::{bad, envelope, error, iso, not_found, ok, unparseable};
use super::orders::{include_exclude, passes};
use super::request::{json_body, json_object, lot_id, param};
use super::state::Lot;
use crate::catalog;
use crate::http::{Reply, Req};
use crate::money::{fmt_fixed, json_fixed, json_int, parse_fixed, parse_int};
use crate::state::State;
use crate::types::SimItem;

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

pub(super) fn lot_status(l: &Lot) -> &'static str {
    match (l.is_stock_room, l.stock_room_id) {
        (false, _) => "Y",
        (true, Some('B')) => "B",
        (true, Some('C')) => "C",
        (true, _) => "S",
    }
}

pub(super) fn list_inventories(st: &State, q: &[(String, String)]) -> Reply {
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

pub(super) const CREATABLE: &[&str] = &[
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

pub(super) const UPDATABLE: &[&str] = &[
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

pub(super) const TIER_KEYS: [(&str, &str); 3] =
    [("tier_quantity1", "tier_price1"), ("tier_quantity2", "tier_price2"), ("tier_quantity3", "tier_price3")];

type Obj = Map<String, Value>;

pub(super) fn opt_string(obj: &Obj, key: &str) -> Result<Option<String>, Reply> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(unparseable(key)),
    }
}

pub(super) fn opt_bool(obj: &Obj, key: &str) -> Result<Option<bool>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(unparseable(key)),
    }
}

pub(super) fn opt_int(obj: &Obj, key: &str) -> Result<Option<i64>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => json_int(v).map(Some).ok_or_else(|| unparseable(key)),
    }
}

pub(super) fn opt_money(obj: &Obj, key: &str) -> Result<Option<i64>, Reply> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => json_fixed(v, 4).map(Some).ok_or_else(|| unparseable(key)),
    }
}

/// Tier fields: all six or none ("to set tiers all six must be sent").
pub(super) fn tiers(obj: &Obj) -> Result<Option<[(i64, i64); 3]>, Reply> {
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

pub(super) fn stock_room(obj: &Obj, is_stock_room: bool) -> Result<Option<char>, Reply> {
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
pub(super) fn new_lot(v: &Value) -> Result<Lot, Reply> {
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

pub(super) fn create_inventories(st: &mut State, req: &Req) -> Reply {
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
pub(super) fn quantity_delta(v: &Value) -> Option<i64> {
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

pub(super) fn put_inventory(st: &mut State, raw: &str, req: &Req) -> Reply {
    let id = match lot_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let obj = match json_object(req) {
        Ok(o) => o,
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

pub(super) fn apply_optional_updates(obj: &Obj, lot: &mut Lot) -> Result<(), Reply> {
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
