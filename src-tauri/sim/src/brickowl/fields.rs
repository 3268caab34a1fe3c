//! How BrickOwl's API is spelled: its path prefix, arguments as the strings they arrive as
//! (`param`), and the string-typed fields lots and orders both answer with (BOIDs, names, store
//! URLs, ids, status names).

use serde_json::{json, Value};

use crate::catalog::{self, ItemInfo};

pub(crate) const PREFIX: &str = "/v1";
pub(super) const STORE_HOST: &str = "brickdesk-demo.brickowl.com";

/// Order status names by status id (brickowl.md §5).
pub(super) const STATUS_NAMES: [&str; 9] =
    ["Pending", "Payment Submitted", "Payment Received", "Processing", "Processed", "Shipped", "Received", "On Hold", "Cancelled"];

pub(super) fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

pub(super) fn slug(s: &str) -> String {
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

pub(super) fn boid_full(base: &str, color: Option<i64>) -> String {
    match color {
        Some(c) => format!("{base}-{c}"),
        None => base.to_string(),
    }
}

pub(super) fn display_name(info: Option<&ItemInfo>, base: &str, color: Option<i64>) -> String {
    let colour = color.and_then(catalog::colour_by_bo).map(|c| format!("{} ", c.name)).unwrap_or_default();
    match info {
        Some(i) => format!("LEGO {colour}{} ({})", i.name, i.no),
        None => format!("LEGO {colour}Item {base}"),
    }
}

pub(super) fn external_ids(ext: Option<&String>) -> Value {
    match ext {
        Some(id) => json!({ "other": id }),
        None => json!([]),
    }
}

pub(super) fn ids(bl_no: Option<&str>, boid: &str) -> Value {
    let mut list = Vec::new();
    if let Some(no) = bl_no.filter(|n| !n.is_empty()) {
        list.push(json!({ "id": no, "type": "bl_item_no" }));
    }
    list.push(json!({ "id": boid, "type": "boid" }));
    Value::Array(list)
}

pub(super) fn status_id_of(s: &str) -> u8 {
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

pub(super) fn status_name(id: u8) -> &'static str {
    STATUS_NAMES.get(usize::from(id)).copied().unwrap_or("Pending")
}
