//! BrickLink Store API calls, one variant per documented endpoint BrickDesk uses. A call is a
//! value ([`Call`]); [`Client::send`] signs and sends it once and decides success from
//! `meta.code`, never from the HTTP status (bricklink.md §3).

use std::time::Duration;

use brickdesk_ipc::Provider;
use reqwest::header::{HeaderMap, AUTHORIZATION, RETRY_AFTER};

use super::oauth::{self, OauthParams};
use super::wire::EnvelopeWire;
use crate::marketplaces::credentials::BricklinkCredentials;
use crate::marketplaces::error::{decode, Envelope, MarketError};
use crate::marketplaces::exchange;

const M: Provider = Provider::Bricklink;

/// What share of the daily budget a call draws from. Orders keep a reserve the rest cannot touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Orders,
    Inventory,
    Catalog,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Orders => "orders",
            Purpose::Inventory => "inventory",
            Purpose::Catalog => "catalog",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GET /notifications`: unread push notifications (no parameters).
    Notifications,
    /// `GET /orders?direction=in&status=-purged,-completed,-cancelled`: open received orders.
    /// Filed orders stay hidden (`filed` defaults to false), which is what reconciliation wants.
    OpenOrders,
    /// `GET /orders/{order_id}`.
    Order(String),
    /// `GET /orders/{order_id}/items`: an array of batches, each an array of lines.
    OrderItems(String),
    /// `GET /inventories`: the whole store in one response (no pagination); call rarely.
    Inventories,
    /// `GET /items/{type}/{no}`: the catalog item.
    Item { item_type: String, item_no: String },
    /// `GET /items/{type}/{no}/colors`: the colours the item is known in.
    ItemColors { item_type: String, item_no: String },
    /// `GET /colors`: every colour.
    Colors,
    /// `GET /items/{type}/{no}/price?color_id&guide_type&new_or_used&vat=N`: one price guide, in
    /// the seller's profile currency (BrickLink's default).
    PriceGuide { item_type: String, item_no: String, color_id: i64, sold: bool, new_or_used: char },
    /// `GET /inventories?item_type=T&color_id=C`: the store's lots of one type and colour (the
    /// look-up before creating a lot again after a create whose outcome is unknown).
    InventoriesOf { item_type: String, color_id: i64 },
    /// `GET /inventories/{id}`.
    InventoryLot(String),
    /// `POST /inventories` with one lot object.
    CreateLot(serde_json::Value),
    /// `PUT /inventories/{id}`: `quantity` is a signed delta string, `description` always sent.
    UpdateLot { id: String, body: serde_json::Value },
    /// `DELETE /inventories/{id}`.
    DeleteLot(String),
    /// `PUT /orders/{id}/status` with `{"field":"status","value":…}` (`PACKED`, `SHIPPED`):
    /// sets what it sets, so sending it again is harmless.
    SetOrderStatus { id: String, status: String },
    /// `PUT /orders/{id}/payment_status` with `{"field":"payment_status","value":"Received"}`.
    SetPaymentReceived(String),
    /// `PUT /orders/{id}` with `{"shipping": {"tracking_no", "tracking_link", "date_shipped"}}`.
    UpdateOrder { id: String, body: serde_json::Value },
    /// `POST /orders/{id}/drive_thru?mail_me=…`: BrickLink's Drive Thru e-mail to the buyer (a
    /// copy to the seller with `mail_me`). Sent twice, the buyer gets two e-mails: after a lost
    /// answer the caller reads the order's `drive_thru_sent` first.
    DriveThru { id: String, mail_me: bool },
}

impl Call {
    pub fn path(&self) -> String {
        match self {
            Call::Notifications => "/notifications".into(),
            Call::OpenOrders => "/orders".into(),
            Call::Order(id) => format!("/orders/{}", oauth::encode(id)),
            Call::OrderItems(id) => format!("/orders/{}/items", oauth::encode(id)),
            Call::Inventories => "/inventories".into(),
            Call::Item { item_type, item_no } => format!("/items/{}/{}", oauth::encode(item_type), oauth::encode(item_no)),
            Call::ItemColors { item_type, item_no } => format!("/items/{}/{}/colors", oauth::encode(item_type), oauth::encode(item_no)),
            Call::Colors => "/colors".into(),
            Call::PriceGuide { item_type, item_no, .. } => format!("/items/{}/{}/price", oauth::encode(item_type), oauth::encode(item_no)),
            Call::InventoriesOf { .. } | Call::CreateLot(_) => "/inventories".into(),
            Call::InventoryLot(id) | Call::UpdateLot { id, .. } | Call::DeleteLot(id) => format!("/inventories/{}", oauth::encode(id)),
            Call::SetOrderStatus { id, .. } => format!("/orders/{}/status", oauth::encode(id)),
            Call::SetPaymentReceived(id) => format!("/orders/{}/payment_status", oauth::encode(id)),
            Call::UpdateOrder { id, .. } => format!("/orders/{}", oauth::encode(id)),
            Call::DriveThru { id, .. } => format!("/orders/{}/drive_thru", oauth::encode(id)),
        }
    }

    /// The HTTP method (signed as part of the base string).
    pub fn method(&self) -> reqwest::Method {
        match self {
            Call::CreateLot(_) | Call::DriveThru { .. } => reqwest::Method::POST,
            Call::UpdateLot { .. } | Call::SetOrderStatus { .. } | Call::SetPaymentReceived(_) | Call::UpdateOrder { .. } => {
                reqwest::Method::PUT
            }
            Call::DeleteLot(_) => reqwest::Method::DELETE,
            _ => reqwest::Method::GET,
        }
    }

    /// The JSON body, for writes (not part of the OAuth signature).
    pub fn body(&self) -> Option<serde_json::Value> {
        match self {
            Call::CreateLot(b) | Call::UpdateLot { body: b, .. } | Call::UpdateOrder { body: b, .. } => Some(b.clone()),
            Call::SetOrderStatus { status, .. } => Some(serde_json::json!({"field": "status", "value": status})),
            Call::SetPaymentReceived(_) => Some(serde_json::json!({"field": "payment_status", "value": "Received"})),
            _ => None,
        }
    }

    pub fn query(&self) -> Vec<(String, String)> {
        match self {
            Call::OpenOrders => vec![("direction".into(), "in".into()), ("status".into(), "-purged,-completed,-cancelled".into())],
            Call::PriceGuide { color_id, sold, new_or_used, .. } => vec![
                ("color_id".into(), color_id.to_string()),
                ("guide_type".into(), if *sold { "sold" } else { "stock" }.into()),
                ("new_or_used".into(), new_or_used.to_string()),
                ("vat".into(), "N".into()),
            ],
            Call::InventoriesOf { item_type, color_id } => {
                vec![("item_type".into(), item_type.clone()), ("color_id".into(), color_id.to_string())]
            }
            Call::DriveThru { mail_me, .. } => vec![("mail_me".into(), mail_me.to_string())],
            _ => Vec::new(),
        }
    }

    /// Whether sending this call again after an answer was lost is harmless. A create would make
    /// a second lot and an update's quantity is a delta that would apply twice: the caller must
    /// find out what happened first, so the gateway never re-sends them when BrickLink may have
    /// done the work (a 5xx, a broken connection, an unreadable answer).
    pub fn replay_safe(&self) -> bool {
        !matches!(self, Call::CreateLot(_) | Call::UpdateLot { .. } | Call::DriveThru { .. })
    }

    pub fn purpose(&self) -> Purpose {
        match self {
            Call::Inventories => Purpose::Inventory,
            Call::Item { .. } | Call::ItemColors { .. } | Call::Colors | Call::PriceGuide { .. } => Purpose::Catalog,
            Call::InventoriesOf { .. } | Call::InventoryLot(_) | Call::CreateLot(_) | Call::UpdateLot { .. } | Call::DeleteLot(_) => {
                Purpose::Inventory
            }
            _ => Purpose::Orders,
        }
    }
}

/// One (timestamp, nonce) pair. Take the timestamp from the per-account counter; never reuse.
#[derive(Debug, Clone)]
pub struct Signing {
    pub timestamp: u64,
    pub nonce: String,
}

impl Signing {
    pub fn new(timestamp: u64) -> Signing {
        use rand::distr::{Alphanumeric, SampleString};
        Signing { timestamp, nonce: Alphanumeric.sample_string(&mut rand::rng(), 16) }
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    creds: BricklinkCredentials,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("bricklink::Client").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(http: reqwest::Client, base_url: &str, creds: BricklinkCredentials) -> Client {
        Client { http, base_url: base_url.trim_end_matches('/').to_string(), creds }
    }

    /// The seller's account name (never a secret), for everything stored per account.
    pub fn account(&self) -> String {
        self.creds.account()
    }

    /// Signs and sends `call` once. Returns the envelope's `data` on a 2xx `meta.code`.
    pub async fn send(&self, call: &Call, signing: Signing) -> Result<serde_json::Value, MarketError> {
        let endpoint = call.path();
        let url = format!("{}{}", self.base_url, endpoint);
        let query = call.query();
        let params = OauthParams {
            consumer_key: self.creds.consumer_key.expose().clone(),
            token: self.creds.token_value.expose().clone(),
            timestamp: signing.timestamp,
            nonce: signing.nonce,
        };
        let method = call.method();
        let base = oauth::base_string(method.as_str(), &url, &query, &params);
        let signature = oauth::sign(&base, self.creds.consumer_secret.expose(), self.creds.token_secret.expose());
        // Send exactly the query string that was signed.
        let full_url = if query.is_empty() { url } else { format!("{url}?{}", oauth::encode_query(&query)) };
        let mut request = self.http.request(method, &full_url).header(AUTHORIZATION, oauth::authorization_header(&params, &signature));
        if let Some(body) = call.body() {
            request = request.json(&body);
        }
        let (status, headers, body) = exchange(M, &endpoint, request).await?;
        self.interpret(&endpoint, status, &headers, &body)
    }

    fn interpret(&self, endpoint: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Result<serde_json::Value, MarketError> {
        // Gateway failures carry no envelope: a proxy 429 or an nginx HTML 503.
        if status == 429 {
            return Err(MarketError::RateLimited { marketplace: M, retry_after: retry_after(headers) });
        }
        let envelope: EnvelopeWire = match decode(M, endpoint, body) {
            Ok(e) => e,
            Err(e) if status >= 500 => {
                return Err(MarketError::Server {
                    marketplace: M,
                    endpoint: endpoint.into(),
                    status,
                    detail: snippet(body, &e.to_string()),
                })
            }
            Err(e) => return Err(e),
        };
        let meta = envelope.meta;
        if (200..300).contains(&meta.code) {
            return Ok(envelope.data);
        }
        // The consumer key appears in TOKEN_IP_MISMATCHED texts: scrub it before it reaches a log.
        let description = meta.description.replace(self.creds.consumer_key.expose().as_str(), "***");
        let envelope = Envelope { code: meta.code, message: meta.message, description };
        Err(match envelope.code {
            401 if envelope.description.to_ascii_uppercase().contains("TIMESTAMP")
                || envelope.description.to_ascii_uppercase().contains("NONCE") =>
            {
                MarketError::StaleTimestamp { marketplace: M, detail: envelope.description }
            }
            401 | 403 => MarketError::Unauthorized { marketplace: M, detail: envelope.to_string() },
            429 => MarketError::RateLimited { marketplace: M, retry_after: retry_after(headers) },
            c if c >= 500 => {
                MarketError::Server { marketplace: M, endpoint: endpoint.into(), status: c as u16, detail: envelope.to_string() }
            }
            _ => MarketError::Rejected { marketplace: M, endpoint: endpoint.into(), envelope },
        })
    }
}

pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A short, printable start of a non-JSON body (HTML error pages) for the error message.
pub(crate) fn snippet(body: &[u8], fallback: &str) -> String {
    let text = String::from_utf8_lossy(body);
    let text: String = text.chars().filter(|c| !c.is_control()).take(120).collect();
    if text.trim().is_empty() {
        fallback.to_string()
    } else {
        text
    }
}
