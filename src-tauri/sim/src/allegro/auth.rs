//! The fake Allegro's auth host (allegro.md §2): `/auth/oauth/device` and `/auth/oauth/token`,
//! the device flow with `authorization_pending` / `slow_down` / `access_denied`, single-use
//! refresh tokens, Basic client authentication.

use std::time::{Duration, Instant};

use serde_json::json;

use super::replies::{auth_error, errors};
use super::state::Device;
use crate::http::{Reply, Req};
use crate::state::State;
use crate::types::Market;

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

pub(super) fn auth(st: &mut State, req: &Req) -> Reply {
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
        return crate::faults::fault_reply(Market::Allegro, &fault);
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
