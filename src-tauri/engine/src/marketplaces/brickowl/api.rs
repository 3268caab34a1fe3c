//! BrickOwl API v1 calls. GET carries the key in the query string (never logged: reqwest errors
//! are stripped of their URL), POST in a form body. Errors are HTTP statuses with an undocumented
//! body (brickowl.md §7).

use brickdesk_ipc::Provider;

use crate::marketplaces::bricklink::api::retry_after;
use crate::marketplaces::credentials::BrickowlCredentials;
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
    /// `GET catalog/id_lookup?id_type=bl_item_no`: the BOIDs of a BrickLink item number, in
    /// BrickOwl's type vocabulary (`Part`, `Set`, …; brickowl.md §6).
    IdLookup { bl_item_no: String, bo_type: String },
    /// `GET inventory/list?active_only=0`: every lot, empty ones included (a sync reuses them);
    /// only the lot with this first external id / this lot id when given.
    InventoryList { external_id: Option<String>, lot_id: Option<String> },
    /// `POST inventory/create`: a new lot; answers its `lot_id`.
    InventoryCreate(NewLot),
    /// `POST inventory/update` of one lot by `lot_id`, only the fields given.
    InventoryUpdate(LotUpdate),
    /// `POST inventory/delete` of one lot by `lot_id`.
    InventoryDelete { lot_id: String },
    /// `POST bulk/batch`: up to [`BATCH_MAX`] calls in one request, counted against the bulk
    /// limit (200 a minute) instead of the 600 (brickowl.md §2). The answer's shape is not
    /// documented: see `sync::brickowl::batch_results`.
    BulkBatch(Vec<Call>),
    /// `POST order/set_status`: `status_id` 2 Payment Received, 4 Processed (packed), 5 Shipped
    /// (brickowl.md §5). Sets what it sets.
    OrderSetStatus { order_id: String, status_id: u8 },
    /// `POST order/tracking`: the order's tracking number or link (replaces the one before).
    OrderTracking { order_id: String, tracking_id: String },
}

/// Calls one `bulk/batch` request may carry (brickowl.md §2).
pub const BATCH_MAX: usize = 50;

/// `inventory/create`'s arguments (brickowl.md §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLot {
    /// The base BOID (the colour goes in `color_id`).
    pub boid: String,
    /// BrickOwl's colour id: required for parts, not allowed for sets and minifigures.
    pub color_id: Option<i64>,
    /// `new`, `usedn`, `news`, …
    pub condition: String,
    /// More than 0 (BrickOwl refuses an empty new lot).
    pub quantity: i64,
    /// Decimal text, at most 3 places.
    pub price: String,
    /// BrickDesk's name for the lot, found again by `inventory/list?external_id_1=`.
    pub external_id: String,
}

/// `inventory/update`'s arguments: the lot and only what changes (brickowl.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LotUpdate {
    pub lot_id: String,
    /// Sets the quantity (brickowl.md §4): only for a full reconciliation after reading the lot.
    pub absolute_quantity: Option<i64>,
    /// Adds to the quantity (negative: subtracts), so a sale BrickOwl made on its own since
    /// BrickDesk last heard composes with the change instead of being overwritten. Not safe to
    /// send twice; BrickOwl refuses one that would take the lot below 0.
    pub relative_quantity: Option<i64>,
    pub price: Option<String>,
    /// The private note: BrickDesk's storage location.
    pub personal_note: Option<String>,
    /// The buyer-visible note: BrickDesk's description.
    pub public_note: Option<String>,
    pub condition: Option<String>,
}

impl LotUpdate {
    /// Whether there is anything to send (BrickOwl refuses an update without a field).
    pub fn is_empty(&self) -> bool {
        self.absolute_quantity.is_none()
            && self.relative_quantity.is_none()
            && self.price.is_none()
            && self.personal_note.is_none()
            && self.public_note.is_none()
            && self.condition.is_none()
    }
}

impl Call {
    /// Whether sending this call again after an answer was lost is harmless: a create would make
    /// a second lot and a relative quantity would move it twice (a batch may hold either). Other
    /// updates set what they set, and deletes are final, so those are safe.
    pub fn replay_safe(&self) -> bool {
        match self {
            Call::InventoryCreate(_) | Call::BulkBatch(_) => false,
            Call::InventoryUpdate(u) => u.relative_quantity.is_none(),
            _ => true,
        }
    }

    pub fn path(&self) -> &'static str {
        match self {
            Call::OrderList { .. } => "/order/list",
            Call::OrderView(_) => "/order/view",
            Call::OrderItems(_) => "/order/items",
            Call::ColorList => "/catalog/color_list",
            Call::IdLookup { .. } => "/catalog/id_lookup",
            Call::InventoryList { .. } => "/inventory/list",
            Call::InventoryCreate(_) => "/inventory/create",
            Call::InventoryUpdate(_) => "/inventory/update",
            Call::InventoryDelete { .. } => "/inventory/delete",
            Call::BulkBatch(_) => "/bulk/batch",
            Call::OrderSetStatus { .. } => "/order/set_status",
            Call::OrderTracking { .. } => "/order/tracking",
        }
    }

    /// This call as one entry of a `bulk/batch` request: `{"endpoint":"inventory/update",
    /// "request_method":"POST","params":[{…}]}` (brickowl.md §2).
    pub fn batch_entry(&self) -> serde_json::Value {
        let params: serde_json::Map<String, serde_json::Value> =
            self.query().into_iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v))).collect();
        serde_json::json!({
            "endpoint": self.path().trim_start_matches('/'),
            "request_method": if self.is_post() { "POST" } else { "GET" },
            "params": [params],
        })
    }

    /// Writes are POSTs with a form body; everything else is a GET (brickowl.md §1).
    fn is_post(&self) -> bool {
        matches!(
            self,
            Call::InventoryCreate(_)
                | Call::InventoryUpdate(_)
                | Call::InventoryDelete { .. }
                | Call::BulkBatch(_)
                | Call::OrderSetStatus { .. }
                | Call::OrderTracking { .. }
        )
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Call::OrderList { since_unix } => vec![("list_type", "store".into()), ("order_time", since_unix.to_string())],
            Call::OrderView(id) | Call::OrderItems(id) => vec![("order_id", id.clone())],
            Call::ColorList => Vec::new(),
            Call::IdLookup { bl_item_no, bo_type } => {
                vec![("id", bl_item_no.clone()), ("type", bo_type.clone()), ("id_type", "bl_item_no".into())]
            }
            Call::InventoryList { external_id, lot_id } => {
                let mut q = vec![("active_only", "0".to_string())];
                q.extend(external_id.iter().map(|e| ("external_id_1", e.clone())));
                q.extend(lot_id.iter().map(|l| ("lot_id", l.clone())));
                q
            }
            Call::InventoryCreate(l) => {
                let mut q = vec![("boid", l.boid.clone())];
                q.extend(l.color_id.map(|c| ("color_id", c.to_string())));
                q.extend([
                    ("quantity", l.quantity.to_string()),
                    ("price", l.price.clone()),
                    ("condition", l.condition.clone()),
                    ("external_id", l.external_id.clone()),
                ]);
                q
            }
            Call::InventoryUpdate(u) => {
                let mut q = vec![("lot_id", u.lot_id.clone())];
                q.extend(u.absolute_quantity.map(|n| ("absolute_quantity", n.to_string())));
                q.extend(u.relative_quantity.map(|n| ("relative_quantity", n.to_string())));
                q.extend(u.price.clone().map(|p| ("price", p)));
                // Sent even when empty: clearing a note is a change too.
                q.extend(u.personal_note.clone().map(|n| ("personal_note", n)));
                q.extend(u.public_note.clone().map(|n| ("public_note", n)));
                q.extend(u.condition.clone().map(|c| ("condition", c)));
                q
            }
            Call::InventoryDelete { lot_id } => vec![("lot_id", lot_id.clone())],
            Call::OrderSetStatus { order_id, status_id } => vec![("order_id", order_id.clone()), ("status_id", status_id.to_string())],
            Call::OrderTracking { order_id, tracking_id } => vec![("order_id", order_id.clone()), ("tracking_id", tracking_id.clone())],
            // A JSON string inside the form body.
            Call::BulkBatch(calls) => {
                let requests = serde_json::json!({ "requests": calls.iter().map(Call::batch_entry).collect::<Vec<_>>() });
                vec![("requests", requests.to_string())]
            }
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
        let mut args = call.query();
        args.push(("key", self.creds.api_key.expose().clone()));
        let url = format!("{}{}", self.base_url, endpoint);
        // GET: key and arguments in the query; POST: only in the form body (brickowl.md §1).
        let request = if call.is_post() { self.http.post(url).form(&args) } else { self.http.get(url).query(&args) };
        let (status, headers, body) = exchange(M, &endpoint, request).await?;
        if (200..300).contains(&status) {
            let value: serde_json::Value = crate::marketplaces::error::decode(M, &endpoint, &body)?;
            // A write that succeeded says so; a 2xx without it did not clearly happen (§7). A
            // batch answers per call instead: its caller reads each.
            if call.is_post() && !matches!(call, Call::BulkBatch(_)) && value.get("status").and_then(|s| s.as_str()) != Some("success") {
                return Err(MarketError::Decode {
                    marketplace: M,
                    endpoint,
                    path: "status".into(),
                    detail: format!(
                        "expected \"success\", got {}",
                        self.redact(&value.get("status").map(|s| s.to_string()).unwrap_or_default())
                    ),
                });
            }
            return Ok(value);
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
    use crate::base::secret::Secret;

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
