//! The fake BrickOwl API v1 (shared/marketplaces/brickowl.md): key in the query for GET and in
//! the form body for POST, the per-minute limit, string-typed JSON, BOIDs and BrickOwl colour ids.
//!
//! This file routes each request (prefix, per-minute limits, key placement, faults) to
//! `routes.rs`, which picks the endpoint (`inventory.rs`, `orders.rs`, `lookups.rs`, `bulk.rs`).
//! What they share is below them: `state.rs` (what the store holds), `replies.rs` (error and
//! success answers) and `fields.rs` (the prefix, arguments, BOIDs, names, ids, statuses).

use std::time::{Duration, Instant};

use crate::http::{Reply, Req};
use crate::state::State;
use crate::types::{Fault, Market};

mod bulk;
mod fields;
mod inventory;
mod lookups;
mod orders;
pub(crate) mod replies;
mod routes;
pub(crate) mod state;

use fields::param;
pub(crate) use fields::PREFIX;
pub(crate) use inventory::lot_json;
pub(crate) use orders::{add_lot, add_order, order_view, set_status};
use replies::err;
use routes::endpoint;

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
        Some(fault) => crate::faults::fault_reply(Market::Brickowl, &fault),
        None => route(st, req, rel, &params),
    }
}

fn route(st: &mut State, req: &Req, rel: &str, p: &[(String, String)]) -> Reply {
    endpoint(st, &req.method, rel, p)
}
