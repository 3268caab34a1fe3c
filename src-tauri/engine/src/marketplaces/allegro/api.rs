//! Allegro REST calls (allegro.md §1, §3). Every call carries `Authorization: Bearer` and the
//! vendor media type in `Accept` (a plain `application/json` gets 406). Errors come as
//! `{"errors":[{code, message, path, userMessage}]}`; the auth layer's 401 as
//! `{"error":"invalid_token"}`.

use brickdesk_ipc::Provider;

use crate::base::secret::Secret;
use crate::marketplaces::bricklink::api::retry_after;
use crate::marketplaces::error::{Envelope, MarketError};
use crate::marketplaces::exchange;

const M: Provider = Provider::Allegro;

/// Allegro's public API media type, required in `Accept` (and `Content-Type` with a body).
pub const VENDOR_TYPE: &str = "application/vnd.allegro.public.v1+json";

/// Events one journal page may hold (`limit`: 1–1000, default 100).
pub const EVENTS_MAX: u32 = 1000;
/// Offers one `GET /sale/offers` page may hold (`limit` ≤ 1000).
pub const OFFERS_MAX: u32 = 1000;
/// Checkout forms one list page may hold (`limit` ≤ 100; `offset + limit` ≤ 10,000).
pub const FORMS_MAX: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GET /order/events`: order journal events that occurred after the event `from`
    /// (exclusive; absent = the oldest the journal keeps, 60 days), oldest first, at most `limit`.
    OrderEvents { from: Option<String>, limit: u32 },
    /// `GET /order/event-stats`: the newest order event (`latestEvent`, absent if none ever).
    OrderEventStats,
    /// `GET /order/checkout-forms/{id}`: one order as it stands now.
    CheckoutForm(String),
    /// `GET /order/checkout-forms?status=READY_FOR_PROCESSING&fulfillment.status=…`: paid orders
    /// in one fulfillment status, newest first, `limit` from `offset` (the last 12 months).
    PaidCheckoutForms { fulfillment: &'static str, offset: u32, limit: u32 },
    /// `GET /sale/offer-events`: offer journal events after the event `from` (exclusive; absent =
    /// the oldest the journal keeps, 24 hours), oldest first, at most `limit` (1–1000). Events
    /// carry the offer's id and signature, never its stock or price (allegro.md §4).
    OfferEvents { from: Option<String>, limit: u32 },
    /// `GET /sale/offers`: the seller's offers (all but archived), `limit` (≤ 1000) from `offset`;
    /// the answer says `totalCount`.
    Offers { offset: u32, limit: u32 },
    /// `GET /sale/product-offers/{offerId}`: one offer as it stands now (price, stock, status).
    ProductOffer(String),
    /// `PATCH /sale/product-offers/{offerId}` with `{"stock":{"available": N}}`: sets the offer's
    /// stock to `available` pieces (an absolute value; 0 ends the offer), allegro.md §4.
    PatchOfferStock { offer_id: String, available: i64 },
    /// `PUT /order/checkout-forms/{id}/fulfillment?checkoutForm.revision=…` with `{"status"}`:
    /// refused with 409 when the form changed since `revision` was read (allegro.md §3).
    SetFulfillment { form_id: String, revision: Option<String>, status: String },
    /// `GET /order/checkout-forms/{id}/shipments`: the waybills added to the order.
    Shipments(String),
    /// `POST /order/checkout-forms/{id}/shipments` with `{carrierId, waybill, carrierName?,
    /// lineItems}`: adds a waybill. Not safe to send twice (a second shipment): after a lost
    /// answer the caller reads [`Call::Shipments`] first.
    AddShipment { form_id: String, body: serde_json::Value },
    /// `GET /order/carriers`: the carriers a waybill can name (`OTHER` needs `carrierName`).
    Carriers,
}

impl Call {
    /// Every call here reads, or sets an absolute value: sending it again changes nothing more.
    pub fn replay_safe(&self) -> bool {
        match self {
            Call::OrderEvents { .. } | Call::OrderEventStats | Call::CheckoutForm(_) | Call::PaidCheckoutForms { .. } => true,
            Call::OfferEvents { .. } | Call::Offers { .. } | Call::ProductOffer(_) => true,
            Call::PatchOfferStock { .. } | Call::SetFulfillment { .. } | Call::Shipments(_) | Call::Carriers => true,
            Call::AddShipment { .. } => false,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> reqwest::Method {
        match self {
            Call::PatchOfferStock { .. } => reqwest::Method::PATCH,
            Call::SetFulfillment { .. } => reqwest::Method::PUT,
            Call::AddShipment { .. } => reqwest::Method::POST,
            _ => reqwest::Method::GET,
        }
    }

    /// The JSON body, for a call that sends one.
    pub fn body(&self) -> Option<serde_json::Value> {
        match self {
            Call::PatchOfferStock { available, .. } => Some(serde_json::json!({"stock": {"available": available}})),
            Call::SetFulfillment { status, .. } => Some(serde_json::json!({"status": status})),
            Call::AddShipment { body, .. } => Some(body.clone()),
            _ => None,
        }
    }

    /// The endpoint as logged (ids left out).
    pub fn path(&self) -> String {
        match self {
            Call::OrderEvents { .. } => "/order/events".into(),
            Call::OrderEventStats => "/order/event-stats".into(),
            Call::CheckoutForm(_) => "/order/checkout-forms/{id}".into(),
            Call::PaidCheckoutForms { .. } => "/order/checkout-forms".into(),
            Call::OfferEvents { .. } => "/sale/offer-events".into(),
            Call::Offers { .. } => "/sale/offers".into(),
            Call::ProductOffer(_) => "/sale/product-offers/{offerId}".into(),
            Call::PatchOfferStock { .. } => "/sale/product-offers/{offerId}".into(),
            Call::SetFulfillment { .. } => "/order/checkout-forms/{id}/fulfillment".into(),
            Call::Shipments(_) | Call::AddShipment { .. } => "/order/checkout-forms/{id}/shipments".into(),
            Call::Carriers => "/order/carriers".into(),
        }
    }

    fn url_path(&self) -> String {
        match self {
            Call::CheckoutForm(id) => format!("/order/checkout-forms/{}", encode_segment(id)),
            Call::ProductOffer(id) => format!("/sale/product-offers/{}", encode_segment(id)),
            Call::PatchOfferStock { offer_id, .. } => format!("/sale/product-offers/{}", encode_segment(offer_id)),
            Call::SetFulfillment { form_id, .. } => format!("/order/checkout-forms/{}/fulfillment", encode_segment(form_id)),
            Call::Shipments(id) | Call::AddShipment { form_id: id, .. } => {
                format!("/order/checkout-forms/{}/shipments", encode_segment(id))
            }
            other => other.path(),
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        match self {
            Call::OrderEvents { from, limit } | Call::OfferEvents { from, limit } => {
                let mut q: Vec<(&'static str, String)> = from.iter().map(|f| ("from", f.clone())).collect();
                q.push(("limit", limit.clamp(&1, &EVENTS_MAX).to_string()));
                q
            }
            Call::OrderEventStats | Call::CheckoutForm(_) | Call::PatchOfferStock { .. } | Call::ProductOffer(_) => Vec::new(),
            Call::Shipments(_) | Call::AddShipment { .. } | Call::Carriers => Vec::new(),
            Call::SetFulfillment { revision, .. } => revision.iter().map(|r| ("checkoutForm.revision", r.clone())).collect(),
            Call::Offers { offset, limit } => vec![("offset", offset.to_string()), ("limit", limit.clamp(&1, &OFFERS_MAX).to_string())],
            Call::PaidCheckoutForms { fulfillment, offset, limit } => vec![
                ("status", "READY_FOR_PROCESSING".into()),
                ("fulfillment.status", fulfillment.to_string()),
                ("offset", offset.to_string()),
                ("limit", limit.clamp(&1, &FORMS_MAX).to_string()),
            ],
        }
    }
}

/// Checkout form ids are UUIDs; anything else is percent-encoded rather than trusted in a path.
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The API host. Tokens are the caller's (`gateway::allegro_session::Session`), passed per send.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    api_url: String,
}

impl Client {
    pub fn new(http: reqwest::Client, api_url: &str) -> Client {
        Client { http, api_url: api_url.trim_end_matches('/').to_string() }
    }

    /// Sends `call` once with `access` and returns the parsed JSON body.
    pub async fn send(&self, call: &Call, access: &Secret<String>) -> Result<serde_json::Value, MarketError> {
        let endpoint = call.path();
        let mut request = self
            .http
            .request(call.method(), format!("{}{}", self.api_url, call.url_path()))
            .query(&call.query())
            .header(reqwest::header::ACCEPT, VENDOR_TYPE)
            .bearer_auth(access.expose());
        if let Some(json) = call.body() {
            // The vendor type again: Allegro refuses a body sent as plain `application/json`.
            request = request.header(reqwest::header::CONTENT_TYPE, VENDOR_TYPE).body(json.to_string());
        }
        let (status, headers, body) = exchange(M, &endpoint, request).await?;
        if (200..300).contains(&status) {
            // A write Allegro accepted for processing (202) may answer with no body at all.
            if body.is_empty() && call.body().is_some() {
                return Ok(serde_json::Value::Null);
            }
            return crate::marketplaces::error::decode(M, &endpoint, &body);
        }
        Err(error(status, &headers, &body, endpoint))
    }
}

/// A non-2xx answer as a [`MarketError`].
fn error(status: u16, headers: &reqwest::header::HeaderMap, body: &[u8], endpoint: String) -> MarketError {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let first = &v["errors"][0];
    let text = |x: &serde_json::Value| x.as_str().unwrap_or_default().to_string();
    let (code, message) = match (first.is_object(), v.get("error")) {
        (true, _) => (
            text(&first["code"]),
            format!("{}{}", text(&first["message"]), first["path"].as_str().map(|p| format!(" (at {p})")).unwrap_or_default()),
        ),
        (false, Some(e)) => (text(e), text(&v["error_description"])),
        (false, None) => ("HTTP error".into(), String::from_utf8_lossy(body).chars().filter(|c| !c.is_control()).take(200).collect()),
    };
    match status {
        // The access token expired or was revoked: refresh once, then ask the seller to re-link.
        401 => MarketError::TokenRejected { marketplace: M, detail: format!("{code}: {message}") },
        403 => MarketError::Unauthorized { marketplace: M, detail: format!("{code}: {message}") },
        429 => MarketError::RateLimited { marketplace: M, retry_after: retry_after(headers) },
        s if s >= 500 => MarketError::Server { marketplace: M, endpoint, status: s, detail: format!("{code}: {message}") },
        s => MarketError::Rejected {
            marketplace: M,
            endpoint,
            envelope: Envelope { code: i64::from(s), message: code, description: message },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_keep_allegros_code_message_and_path() {
        let body = br#"{"errors":[{"code":"VALIDATION_ERROR","message":"Event with the given id does not exist","details":null,"path":"from","userMessage":"x"}]}"#;
        let e = error(400, &Default::default(), body, "/order/events".into());
        let MarketError::Rejected { envelope, .. } = &e else { panic!("{e:?}") };
        assert_eq!((envelope.code, envelope.message.as_str()), (400, "VALIDATION_ERROR"));
        assert!(envelope.description.ends_with("(at from)"), "{e}");
        let expired =
            error(401, &Default::default(), br#"{"error":"invalid_token","error_description":"Access token expired"}"#, "x".into());
        assert!(matches!(expired, MarketError::TokenRejected { .. }), "{expired:?}");
        let fixture = include_bytes!("../../../fixtures/allegro_error_not_acceptable.json");
        assert!(matches!(error(406, &Default::default(), fixture, "x".into()), MarketError::Rejected { .. }));
    }

    #[test]
    fn queries_clamp_limits_and_paths_hide_ids() {
        let c = Call::OrderEvents { from: Some("MTEz".into()), limit: 5000 };
        assert_eq!(c.query(), vec![("from", "MTEz".to_string()), ("limit", "1000".to_string())]);
        assert_eq!(Call::CheckoutForm("a/b".into()).url_path(), "/order/checkout-forms/a%2Fb");
        assert_eq!(Call::CheckoutForm("x".into()).path(), "/order/checkout-forms/{id}");
        let o = Call::OfferEvents { from: None, limit: 0 };
        assert_eq!((o.path(), o.query()), ("/sale/offer-events".to_string(), vec![("limit", "1".to_string())]));
        assert_eq!(Call::Offers { offset: 2000, limit: 5000 }.query(), vec![("offset", "2000".to_string()), ("limit", "1000".to_string())]);
        assert_eq!(Call::ProductOffer("1 2".into()).url_path(), "/sale/product-offers/1%202");
    }

    #[test]
    fn the_stock_patch_sends_an_absolute_value() {
        let c = Call::PatchOfferStock { offer_id: "7 8".into(), available: 12 };
        assert_eq!(
            (c.method(), c.url_path(), c.path()),
            (reqwest::Method::PATCH, "/sale/product-offers/7%208".into(), "/sale/product-offers/{offerId}".into())
        );
        assert_eq!(c.body(), Some(serde_json::json!({"stock": {"available": 12}})));
        assert!(c.replay_safe(), "an absolute value may be sent twice");
        assert_eq!((Call::OrderEventStats.method(), Call::OrderEventStats.body()), (reqwest::Method::GET, None));
    }
}
