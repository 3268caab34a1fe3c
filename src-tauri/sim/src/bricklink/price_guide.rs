//! Price guide of the fake BrickLink.

use serde_json::{json, Value};

use super::envelope::{bad, iso, not_found, ok};
use super::request::param;
use crate::catalog;
use crate::http::Reply;
use crate::money::fmt_fixed;

pub(super) fn price_guide(kind: &str, no: &str, q: &[(String, String)]) -> Reply {
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
