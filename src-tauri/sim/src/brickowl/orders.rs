//! Orders of the fake BrickOwl: the order list, views, items, and the seller's updates (status,
//! tracking, note).

use serde_json::{json, Value};

use super::fields::{boid_full, display_name, external_ids, ids, param, slug, status_id_of, status_name, STATUS_NAMES};
use super::replies::{err, success};
use super::state::{BoItem, BoLot, BoOrder};
use crate::catalog::{self, ItemInfo};
use crate::http::Reply;
use crate::money::{fmt_fixed, parse_fixed, parse_int, rescale};
use crate::state::State;
use crate::types::{SimItem, SimOrder};

pub(super) struct Totals {
    sub_e2: i64,
    qty: i64,
    lots: i64,
    weight_e3: i64,
}

pub(super) fn totals(o: &BoOrder) -> Totals {
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

pub(super) fn with_order(st: &mut State, p: &[(String, String)], f: fn(&BoOrder) -> Value) -> Reply {
    let Some(raw) = param(p, "order_id") else {
        return err(400, "Missing order_id");
    };
    match raw.trim().parse::<i64>().ok().and_then(|id| st.bo.orders.get(&id)) {
        Some(o) => Reply::json(200, &f(o)),
        None => err(404, "Order not found"),
    }
}

pub(super) fn order_list(st: &State, p: &[(String, String)]) -> Reply {
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

pub(super) fn iso_secs(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)).unwrap_or_default()
}

/// `order/view` (also what `Sim::brickowl_order` reads).
pub(crate) fn order_view(o: &BoOrder) -> Value {
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

pub(super) fn order_items(o: &BoOrder) -> Value {
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

pub(super) fn find_order<'a>(st: &'a mut State, p: &[(String, String)]) -> Result<&'a mut BoOrder, Reply> {
    let Some(raw) = param(p, "order_id") else {
        return Err(err(400, "Missing order_id"));
    };
    let id = raw.trim().parse::<i64>().map_err(|_| err(404, "Order not found"))?;
    st.bo.orders.get_mut(&id).ok_or_else(|| err(404, "Order not found"))
}

pub(super) fn order_set_status(st: &mut State, p: &[(String, String)]) -> Reply {
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

pub(super) fn order_note(st: &mut State, p: &[(String, String)], field: &str, tracking: bool) -> Reply {
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
pub(super) fn map_item(st: &mut State, item: &SimItem) -> (ItemInfo, String, Option<i64>, String) {
    let kind = catalog::bl_type(&item.item_type).unwrap_or("PART");
    let info = catalog::item(kind, &item.item_no);
    st.bo.register(&info);
    let bo_type = catalog::bo_type(kind, &item.item_no).unwrap_or("Part").to_string();
    let color = if bo_type == "Part" || bo_type == "Sticker" { catalog::colour_by_bl(item.color_id).and_then(|c| c.bo) } else { None };
    let cond = if item.condition.eq_ignore_ascii_case(&'U') { 'U' } else { 'N' };
    (info, bo_type, color, catalog::bo_condition(kind, cond).to_string())
}

pub(super) fn price_e3(item: &SimItem) -> i64 {
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
