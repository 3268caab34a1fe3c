//! Which endpoint answers an API method: what a request and each `bulk/batch` entry both run.
//! Below `mod.rs` (which adds the key, the limits and faults around it) and above the endpoint
//! files; `bulk.rs` gets `endpoint` as an argument to run its entries, so it never imports this.

use super::bulk;
use super::inventory::{inventory_create, inventory_delete, inventory_list, inventory_update};
use super::lookups::{catalog_lookup, color_list, id_lookup};
use super::orders::{order_items, order_list, order_note, order_set_status, order_view, with_order};
use super::replies::err;
use crate::http::Reply;
use crate::state::State;

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

/// One API method by HTTP method and path: what a request and a `bulk/batch` entry both run.
pub(super) fn endpoint(st: &mut State, method: &str, rel: &str, p: &[(String, String)]) -> Reply {
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
        ("POST", "/bulk/batch") => bulk::batch(st, p, endpoint),
        (_, path) if KNOWN_PATHS.contains(&path) => err(405, "Method not allowed"),
        _ => err(404, "Unknown API method"),
    }
}
