//! BrickOwl API v1 calls. GET carries the key in the query string (never logged: reqwest errors
//! are stripped of their URL), POST in a form body. Errors are HTTP statuses with an undocumented
//! body (brickowl.md §7).

use brickdesk_ipc::Provider;

use crate::credentials::BrickowlCredentials;
use crate::marketplaces::bricklink::api::retry_after;
use crate::marketplaces::error::{Envelope, MarketError};
use crate::marketplaces::exchange;

const M: Provider = Provider::Brickowl;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GET order/list?list_type=store&order_time=T`: received orders with a timestamp ≥ T.
    OrderList { since_unix: i64 },
    /// `GET order/view?order_id=`.
    OrderView(String),
    /// `GET order/items?order_id=`.
    OrderItems(String),
    /// `GET catalog/color_list`: BrickOwl colours with their BrickLink ids.
    ColorList,
}

impl Call {
    pub fn path(&self) -> &'static str {
        match self {
            Call::OrderList { .. } => "/order/list",
            Call::OrderView(_) => "/order/view",
            Call::OrderItems(_) => "/order/items",
            Call::ColorList => "/catalog/color_list",
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Call::OrderList { since_unix } => vec![("list_type", "store".into()), ("order_time", since_unix.to_string())],
            Call::OrderView(id) | Call::OrderItems(id) => vec![("order_id", id.clone())],
            Call::ColorList => Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    creds: BrickowlCredentials,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("brickowl::Client").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(http: reqwest::Client, base_url: &str, creds: BrickowlCredentials) -> Client {
        Client { http, base_url: base_url.trim_end_matches('/').to_string(), creds }
    }

    /// The seller's account name (never a secret), for everything stored per account.
    pub fn account(&self) -> String {
        self.creds.account()
    }

    /// Sends `call` once and returns the parsed JSON body.
    pub async fn send(&self, call: &Call) -> Result<serde_json::Value, MarketError> {
        let endpoint = call.path().to_string();
        let mut query = call.query();
        query.push(("key", self.creds.api_key.expose().clone()));
        let request = self.http.get(format!("{}{}", self.base_url, endpoint)).query(&query);
        let (status, headers, body) = exchange(M, &endpoint, request).await?;
        if (200..300).contains(&status) {
            return crate::marketplaces::error::decode(M, &endpoint, &body);
        }
        // Redact the whole body first: an HTML error page may echo the request URL, key and all.
        let detail: String = self.redact(&error_text(&body)).chars().filter(|c| !c.is_control()).take(200).collect();
        Err(match status {
            401 | 403 => MarketError::Unauthorized { marketplace: M, detail },
            429 => MarketError::RateLimited { marketplace: M, retry_after: retry_after(&headers) },
            s if s >= 500 => MarketError::Server { marketplace: M, endpoint, status: s, detail },
            s => MarketError::Rejected {
                marketplace: M,
                endpoint,
                envelope: Envelope { code: i64::from(s), message: "HTTP error".into(), description: detail },
            },
        })
    }

    fn redact(&self, text: &str) -> String {
        let key = self.creds.api_key.expose();
        let text = text.replace(key.as_str(), "***").replace(&crate::marketplaces::bricklink::oauth::encode(key), "***");
        redact_key_params(&text)
    }
}

/// The error text BrickOwl sent: `error`, `message` or `status` of a JSON body, else the body.
fn error_text(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        for k in ["error", "message", "status"] {
            if let Some(s) = v.get(k).and_then(|x| x.as_str()) {
                return s.to_string();
            }
        }
    }
    let text = String::from_utf8_lossy(body).into_owned();
    if text.trim().is_empty() {
        "no error text".into()
    } else {
        text
    }
}

/// Replaces the value of every `key=` parameter (any form of the key a page may echo).
fn redact_key_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("key=") {
        out.push_str(&rest[..i + 4]);
        out.push_str("***");
        let after = &rest[i + 4..];
        let end = after.find(|c: char| c == '&' || c == '"' || c == '\'' || c == '<' || c.is_whitespace()).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn error_bodies_are_redacted_before_they_are_cut() {
        let c = Client::new(
            reqwest::Client::new(),
            "http://127.0.0.1:9/v1",
            BrickowlCredentials { api_key: Secret::new("K3Y+secret/value".into()) },
        );
        let page = format!(
            "<html>{}<p>GET /v1/order/list?key=K3Y%2Bsecret%2Fvalue&order_id=1 blocked; key=K3Y+secret/value</p></html>",
            "x".repeat(150)
        );
        let text = c.redact(&error_text(page.as_bytes()));
        assert!(!text.contains("K3Y"), "{text}");
        assert!(text.contains("key=***&order_id=1"), "{text}");
    }
}
