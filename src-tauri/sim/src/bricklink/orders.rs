//! Orders of the fake BrickLink: lists with status filters, full orders, batched items, and
//! the seller-side updates (status, payment status, remarks, costs, tracking, Drive Thru).

use serde_json::{json, Value};

use super::envelope::{bad, error, iso, not_found, ok, unparseable};
use super::request::{json_body, json_object, order_id, param};
use super::state::{Line, Order};
use crate::catalog;
use crate::http::{Reply, Req};
use crate::money::{fmt_fixed, json_fixed, parse_fixed};
use crate::state::State;
use crate::types::SimOrder;

const SELLER_NAME: &str = "brickdesk_demo";
const STORE_NAME: &str = "BrickDesk Demo Store";

pub(super) struct Totals {
    subtotal: i64,
    count: i64,
    unique: i64,
    weight_e2: i64,
}

pub(super) fn totals(o: &Order) -> Totals {
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

pub(super) fn grand_total(o: &Order, t: &Totals) -> i64 {
    [o.shipping, o.insurance, o.etc1, o.etc2].iter().fold(t.subtotal, |acc, v| acc.saturating_add(*v)).saturating_sub(o.credit)
}

pub(super) fn payment_json(o: &Order) -> Value {
    let mut p = json!({ "method": "PayPal (Onsite)", "currency_code": o.currency, "status": o.payment_status });
    if let Some(ms) = o.date_paid_ms {
        p["date_paid"] = json!(iso(ms));
    }
    p
}

pub(super) fn order_summary(o: &Order) -> Value {
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

pub(super) fn order_full(o: &Order, buyer_order_count: usize) -> Value {
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
        "drive_thru_sent": o.drive_thru_sends > 0,
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

pub(super) fn line_json(o: &Order, l: &Line) -> Value {
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
pub(super) fn include_exclude(spec: Option<&str>) -> (Vec<String>, Vec<String>) {
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

pub(super) fn passes(filter: &(Vec<String>, Vec<String>), value: &str) -> bool {
    let v = value.to_ascii_uppercase();
    (filter.0.is_empty() || filter.0.contains(&v)) && !filter.1.contains(&v)
}

pub(super) fn list_orders(st: &State, q: &[(String, String)]) -> Reply {
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

/// The order as `GET /orders/{id}` answers it in `data` (also what `Sim::bricklink_order` reads).
pub(crate) fn order_json(st: &State, id: i64) -> Option<Value> {
    let o = st.bl.orders.get(&id)?;
    let count = st.bl.orders.values().filter(|x| x.buyer_name == o.buyer_name).count();
    Some(order_full(o, count))
}

pub(super) fn get_order(st: &State, raw: &str) -> Reply {
    match order_id(st, raw) {
        Ok(id) => order_json(st, id).map_or_else(|| not_found("order"), ok),
        Err(r) => r,
    }
}

pub(super) fn get_order_items(st: &State, raw: &str) -> Reply {
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
pub(super) const SELLER_SETTABLE: &[&str] = &["PENDING", "UPDATED", "PROCESSING", "READY", "PAID", "PACKED", "SHIPPED", "COMPLETED"];
pub(super) const PAYMENT_STATUSES: &[&str] = &["None", "Sent", "Received", "Clearing", "Returned", "Bounced", "Completed"];

pub(super) fn put_order_field(st: &mut State, raw: &str, req: &Req, field: &str) -> Reply {
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
pub(super) fn put_order(st: &mut State, raw: &str, req: &Req) -> Reply {
    let id = match order_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let body = match json_object(req) {
        Ok(b) => b,
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

/// `POST /orders/{id}/drive_thru?mail_me=true|false`: BrickLink e-mails the buyer the order's
/// Drive Thru (and the seller a copy when `mail_me` is true; absent means false, as the parameter
/// is optional). Every call sends one more e-mail: nothing stops a second send, which is why the
/// sends are counted. Answers an empty `data` like the other updates.
pub(super) fn drive_thru(st: &mut State, raw: &str, q: &[(String, String)]) -> Reply {
    let id = match order_id(st, raw) {
        Ok(id) => id,
        Err(r) => return r,
    };
    if !matches!(param(q, "mail_me").map(str::to_ascii_lowercase).as_deref(), None | Some("true" | "false")) {
        return bad("mail_me must be true or false");
    }
    let Some(o) = st.bl.orders.get_mut(&id) else { return not_found("order") };
    o.drive_thru_sends += 1;
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
            drive_thru_sends: 0,
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
