//! Inventory of the fake BrickOwl: lots keyed by BOID, with string-typed fields.

use serde_json::{json, Value};

use super::fields::{boid_full, display_name, external_ids, ids, param, slug, STORE_HOST};
use super::replies::{err, success};
use super::state::BoLot;
use crate::catalog;
use crate::http::Reply;
use crate::money::{fmt_fixed, parse_fixed, parse_int};
use crate::state::State;

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

pub(super) fn inventory_list(st: &State, p: &[(String, String)]) -> Reply {
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
pub(super) fn parse_boid(raw: &str) -> Option<(String, Option<i64>)> {
    let raw = raw.trim();
    let (base, colour) = match raw.split_once('-') {
        Some((b, c)) => (b, Some(c.parse::<i64>().ok()?)),
        None => (raw, None),
    };
    (!base.is_empty() && base.len() <= 12 && base.bytes().all(|b| b.is_ascii_digit())).then(|| (base.to_string(), colour))
}

pub(super) fn condition_param(p: &[(String, String)]) -> Result<Option<String>, Reply> {
    match param(p, "condition") {
        None => Ok(None),
        Some(c) if catalog::BO_CONDITIONS.contains(&c) => Ok(Some(c.to_string())),
        Some(_) => Err(err(400, "Invalid condition")),
    }
}

pub(super) fn positive_price(raw: &str) -> Option<i64> {
    parse_fixed(raw, 3).filter(|p| *p > 0)
}

pub(super) fn inventory_create(st: &mut State, p: &[(String, String)]) -> Reply {
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
pub(super) fn target_lot(st: &State, p: &[(String, String)]) -> Result<i64, Reply> {
    match (param(p, "lot_id"), param(p, "external_id")) {
        (Some(_), Some(_)) => Err(err(400, "Specify exactly one of lot_id or external_id")),
        (None, None) => Err(err(400, "Missing lot_id or external_id")),
        (Some(id), None) => parse_int(id).filter(|id| st.bo.lots.contains_key(id)).ok_or_else(|| err(404, "Lot not found")),
        (None, Some(ext)) => {
            st.bo.lots.values().find(|l| l.external_id.as_deref() == Some(ext)).map(|l| l.lot_id).ok_or_else(|| err(404, "Lot not found"))
        }
    }
}

pub(super) fn valid_tier_price(s: &str) -> bool {
    if s == "remove" {
        return true;
    }
    let parts: Vec<&str> = s.split(',').collect();
    parts.len() <= 3
        && parts
            .iter()
            .all(|t| t.split_once(':').is_some_and(|(q, pr)| parse_int(q).is_some_and(|q| q > 0) && positive_price(pr).is_some()))
}

pub(super) fn inventory_update(st: &mut State, p: &[(String, String)]) -> Reply {
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

pub(super) fn inventory_delete(st: &mut State, p: &[(String, String)]) -> Reply {
    match target_lot(st, p) {
        Ok(id) => {
            st.bo.lots.remove(&id);
            success()
        }
        Err(r) => r,
    }
}
