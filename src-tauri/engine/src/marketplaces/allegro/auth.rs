//! Allegro's OAuth 2.0 endpoints on the auth host (allegro.md §2): device authorisation, the
//! device-code token poll and the refresh grant. Form-encoded requests with the client id and
//! secret as Basic authentication; plain JSON answers (no vendor media type).

use brickdesk_ipc::Provider;
use serde::Deserialize;

use crate::base::secret::Secret;
use crate::marketplaces::error::{Envelope, MarketError};
use crate::marketplaces::{exchange, lenient};

const M: Provider = Provider::Allegro;
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The app registration: what the seller copies from apps.developer.allegro.pl.
#[derive(Debug, Clone)]
pub struct App {
    pub auth_url: String,
    pub client_id: Secret<String>,
    pub client_secret: Secret<String>,
}

/// A started device authorisation (`POST /auth/oauth/device`).
#[derive(Debug, Clone)]
pub struct DeviceCode {
    /// Exchanged once for tokens; never shown.
    pub device_code: Secret<String>,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    /// Seconds both codes live.
    pub expires_in: u64,
    /// Seconds to wait between token polls.
    pub interval: u64,
}

#[derive(Deserialize)]
struct DeviceWire {
    device_code: String,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    // Allegro's own samples quote these numbers; real answers do not (allegro.md §2.1).
    #[serde(deserialize_with = "lenient::int")]
    expires_in: i64,
    #[serde(default, deserialize_with = "lenient::opt_int")]
    interval: Option<i64>,
}

/// Access and refresh token as granted.
#[derive(Debug, Clone)]
pub struct Grant {
    pub access_token: Secret<String>,
    /// Single use: a refresh returns a new one and the old one dies.
    pub refresh_token: Secret<String>,
    /// Seconds the access token lives (about 12 hours).
    pub expires_in: i64,
}

#[derive(Deserialize)]
struct GrantWire {
    access_token: String,
    refresh_token: String,
    #[serde(deserialize_with = "lenient::int")]
    expires_in: i64,
}

/// One answer to the device-code token poll.
#[derive(Debug)]
pub enum DevicePoll {
    Granted(Grant),
    /// Not approved yet: ask again after the interval.
    Pending,
    /// Asked too often: add 5 seconds to the interval (RFC 8628 §3.5).
    SlowDown,
    /// The user refused the app on allegro.pl.
    Denied,
    /// The code expired or was already used (Allegro: `Invalid device code`): start over.
    Expired,
}

/// `POST /auth/oauth/device`.
pub async fn device_start(http: &reqwest::Client, app: &App) -> Result<DeviceCode, MarketError> {
    let endpoint = "/auth/oauth/device";
    let (status, body) = post(http, app, endpoint, &[("client_id", app.client_id.expose().as_str())]).await?;
    if status != 200 {
        return Err(auth_error(status, &body, endpoint));
    }
    let w: DeviceWire = crate::marketplaces::error::decode(M, endpoint, &body)?;
    Ok(DeviceCode {
        device_code: Secret::new(w.device_code),
        verification_uri_complete: w.verification_uri_complete.unwrap_or_else(|| format!("{}?code={}", w.verification_uri, w.user_code)),
        user_code: w.user_code,
        verification_uri: w.verification_uri,
        expires_in: w.expires_in.max(0) as u64,
        interval: w.interval.unwrap_or(5).max(1) as u64,
    })
}

/// `POST /auth/oauth/token` with the device-code grant (the full URN, allegro.md §2.2).
pub async fn device_poll(http: &reqwest::Client, app: &App, device: &DeviceCode) -> Result<DevicePoll, MarketError> {
    let endpoint = "/auth/oauth/token";
    let form = [("grant_type", DEVICE_GRANT), ("device_code", device.device_code.expose().as_str())];
    let (status, body) = post(http, app, endpoint, &form).await?;
    if status == 200 {
        return grant(endpoint, &body).map(DevicePoll::Granted);
    }
    let code = error_code(&body);
    match (status, code.as_str()) {
        (400, "authorization_pending") => Ok(DevicePoll::Pending),
        (400, "slow_down") => Ok(DevicePoll::SlowDown),
        (400, "access_denied") => Ok(DevicePoll::Denied),
        // "Invalid device code" (with spaces) for an expired, used or wrong code; RFC 8628 says
        // expired_token.
        (400, c) if c.eq_ignore_ascii_case("Invalid device code") || c == "expired_token" => Ok(DevicePoll::Expired),
        _ => Err(auth_error(status, &body, endpoint)),
    }
}

/// `POST /auth/oauth/token` with the refresh grant. A refused refresh token (`invalid_grant`,
/// or any 400/401) is [`MarketError::NotLinked`]: only linking again helps.
pub async fn refresh(http: &reqwest::Client, app: &App, refresh_token: &Secret<String>) -> Result<Grant, MarketError> {
    let endpoint = "/auth/oauth/token";
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose().as_str())];
    let (status, body) = post(http, app, endpoint, &form).await?;
    match status {
        200 => grant(endpoint, &body),
        400 | 401 => {
            Err(MarketError::NotLinked { marketplace: M, detail: format!("Allegro refused to renew the link ({})", error_code(&body)) })
        }
        _ => Err(auth_error(status, &body, endpoint)),
    }
}

async fn post(http: &reqwest::Client, app: &App, endpoint: &str, form: &[(&str, &str)]) -> Result<(u16, Vec<u8>), MarketError> {
    let request = http
        .post(format!("{}{endpoint}", app.auth_url.trim_end_matches('/')))
        .basic_auth(app.client_id.expose(), Some(app.client_secret.expose()))
        .form(form);
    let (status, _headers, body) = exchange(M, endpoint, request).await?;
    Ok((status, body))
}

fn grant(endpoint: &str, body: &[u8]) -> Result<Grant, MarketError> {
    let w: GrantWire = crate::marketplaces::error::decode(M, endpoint, body)?;
    Ok(Grant { access_token: Secret::new(w.access_token), refresh_token: Secret::new(w.refresh_token), expires_in: w.expires_in })
}

/// `error` of an OAuth error body (never a token: these bodies carry none).
fn error_code(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_else(|| "no error code".into())
}

fn auth_error(status: u16, body: &[u8], endpoint: &str) -> MarketError {
    let code = error_code(body);
    match status {
        401 | 403 => MarketError::Unauthorized { marketplace: M, detail: format!("the client id or secret was refused ({code})") },
        429 => MarketError::RateLimited { marketplace: M, retry_after: None },
        s if s >= 500 => MarketError::Server { marketplace: M, endpoint: endpoint.into(), status: s, detail: code },
        s => MarketError::Rejected {
            marketplace: M,
            endpoint: endpoint.into(),
            envelope: Envelope { code: i64::from(s), message: code, description: String::new() },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_read_as_documented() {
        let d: DeviceWire = serde_json::from_slice(include_bytes!("../../../fixtures/allegro_device_code.json")).unwrap();
        assert_eq!((d.user_code.as_str(), d.interval, d.expires_in), ("kq7t2mz4r", Some(5), 3600));
        let quoted: DeviceWire =
            serde_json::from_str(r#"{"device_code":"d","user_code":"u","verification_uri":"v","expires_in":"3600","interval":"5"}"#)
                .unwrap();
        assert_eq!(quoted.interval, Some(5));
        let g = grant("/auth/oauth/token", include_bytes!("../../../fixtures/allegro_token.json")).unwrap();
        assert_eq!(g.expires_in, 43199);
        assert!(!format!("{g:?}").contains("EXAMPLE"), "tokens never print");
        assert_eq!(error_code(include_bytes!("../../../fixtures/allegro_device_token_pending.json")), "authorization_pending");
    }
}
