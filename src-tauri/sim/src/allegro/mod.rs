//! The fake Allegro (shared/marketplaces/allegro.md): an auth host (`/auth/oauth/device`,
//! `/auth/oauth/token`: device flow with `authorization_pending` / `slow_down` / `access_denied`,
//! single-use refresh tokens, Basic client authentication) and an API host (Bearer tokens that
//! expire into 401, the vendor media type or 406, 9,000 requests a minute per client id or 429
//! for a minute, errors in Allegro's `{"errors":[…]}` shape). The order journal keeps 60 days:
//! a `from` naming an event it no longer keeps is refused (what Allegro does is undocumented;
//! this is the strict reading, so a client that does not re-bootstrap fails here). The offer
//! journal, the offers and the stock PATCH are in `offers.rs` (24 hours' retention, same rules:
//! `journal.rs` holds what both journals share). `orders.rs` calls into `offers.rs` (a purchase
//! takes stock off its offer), never the other way.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::{Fault, Market, Reply, Req, State};

mod journal;
mod offers;
mod orders;

pub(crate) use offers::{
    add_offer, end_offer, expire_journal as expire_offer_journal, push_raw as push_raw_offer_event, set_price, set_stock,
};
pub(crate) use orders::*;

pub(crate) const VENDOR_TYPE: &str = "application/vnd.allegro.public.v1+json";
pub(crate) const ACCESS_TTL_SECS: i64 = 43_199;

/// Which of the two hosts a request came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Auth,
    Api,
}

/// One device authorisation (allegro.md §2.1).
#[derive(Debug)]
pub(crate) struct Device {
    client_id: String,
    device_code: String,
    pub user_code: String,
    expires_at: Instant,
    interval: Duration,
    last_poll: Option<Instant>,
    pub approved: bool,
    pub denied: bool,
    used: bool,
}

pub(crate) struct AlState {
    /// Set once the auth host is bound: the `verification_uri` it hands out.
    pub auth_url: String,
    pub devices: Vec<Device>,
    /// Access token → (client id, still valid).
    access: HashMap<String, (String, bool)>,
    /// Refresh token → (client id, still valid). Single use: a refresh kills the one it used.
    refresh: HashMap<String, (String, bool)>,
    next_token: u64,
    /// The next `token` poll is answered `slow_down` whatever its timing.
    pub slow_down_next: bool,
    /// `slow_down` answers given so far.
    pub slow_downs: usize,
    /// Requests of the rolling minute per client id, and when a blocked client id may call again.
    windows: HashMap<String, VecDeque<Instant>>,
    blocked_until: HashMap<String, Instant>,
    pub journal: journal::Journal,
    pub forms: BTreeMap<String, orders::Form>,
    pub offers: offers::Offers,
}

impl AlState {
    pub(crate) fn new() -> AlState {
        AlState {
            auth_url: String::new(),
            devices: Vec::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            next_token: 1,
            slow_down_next: false,
            slow_downs: 0,
            windows: HashMap::new(),
            blocked_until: HashMap::new(),
            journal: journal::Journal::starting_at(orders::FIRST_SEQ),
            forms: BTreeMap::new(),
            offers: offers::Offers::default(),
        }
    }

    /// A new access + refresh token pair for `client_id`, as `/auth/oauth/token` answers it.
    fn grant(&mut self, client_id: &str) -> Value {
        let n = self.next_token;
        self.next_token += 1;
        let access = format!("sim-access-{n}-{:08x}", rand::random::<u32>());
        let refresh = format!("sim-refresh-{n}-{:08x}", rand::random::<u32>());
        self.access.insert(access.clone(), (client_id.to_string(), true));
        self.refresh.insert(refresh.clone(), (client_id.to_string(), true));
        json!({
            "access_token": access, "token_type": "bearer", "refresh_token": refresh, "expires_in": ACCESS_TTL_SECS,
            "scope": "allegro:api:orders:read allegro:api:orders:write allegro:api:sale:offers:read allegro:api:sale:offers:write allegro:api:profile:read",
            "allegro_api": true, "jti": format!("{:08x}-0000-4000-8000-{n:012x}", rand::random::<u32>()),
        })
    }

    /// Every access token handed out so far stops working (12 hours passed).
    pub(crate) fn expire_access(&mut self) {
        for v in self.access.values_mut() {
            v.1 = false;
        }
    }

    /// Every refresh token dies (the seller unlinked the app, changed the password, …).
    pub(crate) fn revoke_refresh(&mut self) {
        for v in self.refresh.values_mut() {
            v.1 = false;
        }
        self.expire_access();
    }
}

/// Allegro's REST error shape (allegro.md §6).
pub(crate) fn errors(status: u16, code: &str, message: &str, path: Option<&str>) -> Reply {
    Reply::json(status, &json!({"errors": [{"code": code, "message": message, "details": null, "path": path, "userMessage": message}]}))
}

/// The auth layer's shape (`{"error": …, "error_description": …}`).
fn auth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(status, &json!({"error": error, "error_description": description}))
}

/// Allegro's timestamps: RFC 3339 in UTC with milliseconds (`2024-03-01T10:00:00.000Z`).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Vendor JSON (every REST answer carries the vendor media type).
pub(crate) fn vendor(status: u16, value: &Value) -> Reply {
    let mut r = Reply::json(status, value);
    r.content_type = VENDOR_TYPE;
    r
}

pub(crate) fn status_fault(code: u16) -> Reply {
    match code {
        401 => auth_error(401, "invalid_token", "Invalid access token"),
        429 => errors(429, "TooManyRequestsException", "Too many requests", None),
        c if c >= 500 => errors(c, "InternalServerErrorException", "Internal server error", None),
        c => errors(c, "ValidationException", "Request refused", None),
    }
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

fn form(req: &Req) -> Vec<(String, String)> {
    let ct = req.header("content-type").unwrap_or("").to_ascii_lowercase();
    let mut p: Vec<(String, String)> = serde_urlencoded::from_str(&req.query).unwrap_or_default();
    if ct.starts_with("application/x-www-form-urlencoded") {
        p.extend(serde_urlencoded::from_bytes::<Vec<(String, String)>>(&req.body).unwrap_or_default());
    }
    p
}

fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The client id of a valid `Authorization: Basic base64(client_id:client_secret)`.
fn basic_client(st: &State, req: &Req) -> Option<String> {
    let b64 = req.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(decode_b64(b64.trim())?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    (id == st.options.allegro_client_id && secret == st.options.allegro_client_secret).then(|| id.to_string())
}

fn auth(st: &mut State, req: &Req) -> Reply {
    let path = req.path.trim_end_matches('/').to_string();
    if req.method == "GET" && path == "/skojarz-aplikacje" {
        return Reply {
            status: 200,
            content_type: "text/html",
            headers: Vec::new(),
            body: b"<html>Allegro</html>".to_vec(),
            meta_code: None,
        };
    }
    if req.method != "POST" || !matches!(path.as_str(), "/auth/oauth/device" | "/auth/oauth/token") {
        return errors(404, "NotFoundException", "Not found", None);
    }
    let Some(client_id) = basic_client(st, req) else {
        return auth_error(401, "unauthorized", "Bad credentials");
    };
    if let Some(fault) = st.take_fault(Market::Allegro, &req.path, &path) {
        return crate::fault_reply(Market::Allegro, &fault);
    }
    let p = form(req);
    let interval = Duration::from_secs(st.options.allegro_device_interval_secs);
    let al = &mut st.al;
    if path == "/auth/oauth/device" {
        let n = al.devices.len() + 1;
        let user_code = format!("{:03x}{:03x}{n:03}", rand::random::<u16>() & 0xfff, rand::random::<u16>() & 0xfff);
        let device_code = format!("sim-device-{n}-{:016x}", rand::random::<u64>());
        al.devices.push(Device {
            client_id,
            device_code: device_code.clone(),
            user_code: user_code.clone(),
            expires_at: Instant::now() + Duration::from_secs(3600),
            interval,
            last_poll: None,
            approved: false,
            denied: false,
            used: false,
        });
        let uri = format!("{}/skojarz-aplikacje", al.auth_url);
        return Reply::json(
            200,
            &json!({"device_code": device_code, "expires_in": 3600, "user_code": user_code, "interval": interval.as_secs(),
                    "verification_uri": uri, "verification_uri_complete": format!("{uri}?code={user_code}")}),
        );
    }
    match param(&p, "grant_type") {
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            let code = param(&p, "device_code").unwrap_or("");
            let now = Instant::now();
            let force_slow = std::mem::take(&mut al.slow_down_next);
            let Some(d) = al.devices.iter_mut().find(|d| d.device_code == code && d.client_id == client_id) else {
                return auth_error(400, "Invalid device code", "Invalid device code");
            };
            if d.used || now > d.expires_at {
                return auth_error(400, "Invalid device code", "Invalid device code");
            }
            let too_soon = d.last_poll.is_some_and(|t| now.duration_since(t) < d.interval);
            d.last_poll = Some(now);
            if force_slow || too_soon {
                // RFC 8628: the client must add 5 seconds to its interval from now on.
                d.interval += Duration::from_secs(5);
                al.slow_downs += 1;
                return auth_error(400, "slow_down", "Polling too frequently");
            }
            if d.denied {
                return auth_error(400, "access_denied", "The user denied access");
            }
            if !d.approved {
                return auth_error(400, "authorization_pending", "Authorization pending");
            }
            d.used = true;
            let body = al.grant(&client_id);
            Reply::json(200, &body)
        }
        Some("refresh_token") => {
            let token = param(&p, "refresh_token").unwrap_or("").to_string();
            match al.refresh.get_mut(&token) {
                Some((owner, valid)) if *valid && *owner == client_id => {
                    *valid = false;
                    let body = al.grant(&client_id);
                    Reply::json(200, &body)
                }
                _ => auth_error(400, "invalid_grant", "Invalid refresh token"),
            }
        }
        other => auth_error(400, "unsupported_grant_type", &format!("Unsupported grant type: {}", other.unwrap_or(""))),
    }
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
        Some(fault) => crate::fault_reply(Market::Allegro, &fault),
        None => route(st, req, &path),
    }
}

fn route(st: &mut State, req: &Req, path: &str) -> Reply {
    let q: Vec<(String, String)> = serde_urlencoded::from_str(&req.query).unwrap_or_default();
    let form_id = path.strip_prefix("/order/checkout-forms/").filter(|id| !id.contains('/'));
    let offer_id = path.strip_prefix("/sale/product-offers/").filter(|id| !id.is_empty() && !id.contains('/'));
    match (req.method.as_str(), path) {
        ("GET", "/sale/offer-events") => offers::events(st, &q),
        ("GET", "/sale/offers") => offers::list(st, &q),
        ("GET", _) if offer_id.is_some() => offers::get(st, offer_id.unwrap_or_default()),
        ("PATCH", _) if offer_id.is_some() => offers::patch(st, req, offer_id.unwrap_or_default()),
        ("GET", "/order/events") => orders::events(st, &q),
        ("GET", "/order/event-stats") => orders::event_stats(st),
        ("GET", "/order/checkout-forms") => orders::list_forms(st, &q),
        ("GET", _) if form_id.is_some() => orders::get_form(st, form_id.unwrap_or_default()),
        _ => errors(404, "NotFoundException", "Resource not found", None),
    }
}

/// Standard base64 (with or without padding), enough for Basic credentials.
fn decode_b64(s: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
