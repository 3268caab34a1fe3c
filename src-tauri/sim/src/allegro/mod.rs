//! The fake Allegro (shared/marketplaces/allegro.md): an auth host (`/auth/oauth/device`,
//! `/auth/oauth/token`: device flow with `authorization_pending` / `slow_down` / `access_denied`,
//! single-use refresh tokens, Basic client authentication) and an API host (Bearer tokens that
//! expire into 401, the vendor media type or 406, 9,000 requests a minute per client id or 429
//! for a minute, errors in Allegro's `{"errors":[…]}` shape). The order journal keeps 60 days:
//! a `from` naming an event it no longer keeps is refused (what Allegro does is undocumented;
//! this is the strict reading, so a client that does not re-bootstrap fails here). The offer
//! journal, the offers and the stock PATCH are in `offers.rs` (24 hours' retention, same rules:
//! `journal.rs` holds what both journals share). `orders.rs` calls into `offers.rs` (a purchase
//! takes stock off its offer), never the other way. The seller's fulfillment status, shipments
//! and carriers are in `fulfillment.rs`, which calls into `orders.rs`.
//!
//! This file routes each request: the auth host to `auth.rs`; on the API host the Bearer token,
//! the rate limit, the media type and faults, then the endpoint in `orders.rs`, `fulfillment.rs`
//! or `offers.rs`.
//! What they share is below them: `state.rs` (what the account holds) and `replies.rs` (the
//! media type, error shapes, timestamps).

use std::time::{Duration, Instant};

use crate::http::{Reply, Req};
use crate::state::State;
use crate::types::{Fault, Market};

mod auth;
mod form;
mod fulfillment;
mod journal;
mod offer;
mod offers;
mod orders;
pub(crate) mod replies;
pub(crate) mod state;

use auth::auth;
pub(crate) use fulfillment::shipments_json;
pub(crate) use offers::{
    add_offer, end_offer, expire_journal as expire_offer_journal, push_raw as push_raw_offer_event, set_price, set_stock,
};
pub(crate) use orders::{add_order, cancel, expire_journal, form_json, pay, push_raw, set_fulfillment};
use replies::{auth_error, errors, VENDOR_TYPE};

/// Which of the two hosts a request came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Auth,
    Api,
}

pub(crate) fn handle(st: &mut State, host: Host, req: &Req) -> Reply {
    let reply = match host {
        Host::Auth => auth(st, req),
        Host::Api => api(st, req),
    };
    let path = req.path.clone();
    st.record(Market::Allegro, req, path, &reply);
    reply
}

/// Counts the request against its client id's 9,000 a minute; past it the client id is blocked
/// for a minute (allegro.md §5).
fn rate_limit(st: &mut State, client_id: &str) -> Option<Reply> {
    let now = Instant::now();
    let minute = Duration::from_secs(60);
    if st.al.blocked_until.get(client_id).is_some_and(|t| now < *t) {
        return Some(errors(429, "TooManyRequestsException", "Too many requests", None));
    }
    let limit = st.options.allegro_per_minute as usize;
    let window = st.al.windows.entry(client_id.to_string()).or_default();
    while window.front().is_some_and(|t| now.duration_since(*t) >= minute) {
        window.pop_front();
    }
    if window.len() >= limit {
        st.al.blocked_until.insert(client_id.to_string(), now + minute);
        return Some(errors(429, "TooManyRequestsException", "Too many requests", None));
    }
    window.push_back(now);
    None
}

fn api(st: &mut State, req: &Req) -> Reply {
    let token = req.header("authorization").and_then(|h| h.strip_prefix("Bearer ")).map(str::trim).unwrap_or("");
    let client_id = match st.al.access.get(token) {
        Some((client, true)) => client.clone(),
        Some((_, false)) => return auth_error(401, "invalid_token", "Access token expired"),
        None => return auth_error(401, "unauthorized", "Full authentication is required to access this resource"),
    };
    if let Some(reply) = rate_limit(st, &client_id) {
        return reply;
    }
    if req.header("accept") != Some(VENDOR_TYPE) {
        return errors(
            406,
            "NotAcceptableException",
            "Not acceptable representation requested. Please check 'Accept' request header",
            None,
        );
    }
    let path = req.path.trim_end_matches('/').to_string();
    match st.take_fault(Market::Allegro, &req.path, &path) {
        Some(Fault::TruncatedBody) => route(st, req, &path).truncated(),
        Some(fault) => crate::faults::fault_reply(Market::Allegro, &fault),
        None => route(st, req, &path),
    }
}

fn route(st: &mut State, req: &Req, path: &str) -> Reply {
    let q: Vec<(String, String)> = serde_urlencoded::from_str(&req.query).unwrap_or_default();
    // A checkout form and what follows its id: `("<id>", "")`, `("<id>", "shipments")`, ….
    let form = path
        .strip_prefix("/order/checkout-forms/")
        .map(|rest| rest.split_once('/').unwrap_or((rest, "")))
        .filter(|(id, part)| !id.is_empty() && !part.contains('/'));
    let offer_id = path.strip_prefix("/sale/product-offers/").filter(|id| !id.is_empty() && !id.contains('/'));
    match (req.method.as_str(), path, form) {
        ("GET", "/sale/offer-events", _) => offers::events(st, &q),
        ("GET", "/sale/offers", _) => offers::list(st, &q),
        ("GET", _, _) if offer_id.is_some() => offers::get(st, offer_id.unwrap_or_default()),
        ("PATCH", _, _) if offer_id.is_some() => offers::patch(st, req, offer_id.unwrap_or_default()),
        ("GET", "/order/events", _) => orders::events(st, &q),
        ("GET", "/order/event-stats", _) => orders::event_stats(st),
        ("GET", "/order/checkout-forms", _) => orders::list_forms(st, &q),
        ("GET", "/order/carriers", _) => fulfillment::carriers(),
        ("GET", _, Some((id, ""))) => orders::get_form(st, id),
        ("PUT", _, Some((id, "fulfillment"))) => fulfillment::put_status(st, req, id, &q),
        ("GET", _, Some((id, "shipments"))) => fulfillment::list_shipments(st, id),
        ("POST", _, Some((id, "shipments"))) => fulfillment::add_shipment(st, req, id),
        _ => errors(404, "NotFoundException", "Resource not found", None),
    }
}

#[cfg(test)]
mod tests;
