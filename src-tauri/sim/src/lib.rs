//! `brickdesk-sim`: a faithful fake of the BrickLink Store API v1 and the BrickOwl API v1
//! (shared/marketplaces/*.md), served by axum on 127.0.0.1 with random ports.
//!
//! It enforces what the real services enforce — OAuth 1.0a signatures and replay rules, the daily
//! call budget, HTTP-200 error envelopes, delta quantities, `description` on inventory PUTs, key
//! placement for BrickOwl GET vs POST, the per-minute limit — so a sloppy client fails against it.
//! Tests inject one-shot faults (`Sim::inject`) and read every call back (`Sim::calls`).
//! `demo` turns it into the app's "Demo store".
//!
//! All state sits behind one `Arc<Mutex<State>>`; request handling is synchronous under the lock
//! and never spans an `.await`.

// `json!` objects as wide as BrickOwl's order/view need more macro recursion than the default.
#![recursion_limit = "256"]

mod allegro;
mod bricklink;
mod brickowl;
mod catalog;
pub mod demo;
mod money;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State as AxumState};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The four BrickLink OAuth secrets the simulator accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BricklinkCredentials {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token_value: String,
    pub token_secret: String,
}

/// What the simulated accounts accept and allow.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub bricklink: BricklinkCredentials,
    pub brickowl_api_key: String,
    /// BrickLink calls allowed per rolling 24 h (default 5000).
    pub bricklink_daily_limit: u32,
    /// BrickOwl requests allowed per rolling minute (default 600).
    pub brickowl_per_minute: u32,
    /// How far a BrickLink `oauth_timestamp` may be from the clock (default 15 min). Benchmarks
    /// widen it to measure sync without BrickLink's one-call-per-second timestamp pacing.
    pub bricklink_timestamp_window_secs: u64,
    /// BrickOwl `bulk/batch` requests allowed per rolling minute (default 200).
    pub brickowl_bulk_per_minute: u32,
    /// The Allegro app registration the auth host accepts (Basic authentication).
    pub allegro_client_id: String,
    pub allegro_client_secret: String,
    /// The device flow's polling `interval` (Allegro: 5 s).
    pub allegro_device_interval_secs: u64,
    /// Allegro API requests allowed per minute per client id (Allegro: 9,000).
    pub allegro_per_minute: u32,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            bricklink: BricklinkCredentials {
                consumer_key: "DEMOCONSUMERKEY".to_string(),
                consumer_secret: "DEMOCONSUMERSECRET".to_string(),
                token_value: "DEMOTOKENVALUE".to_string(),
                token_secret: "DEMOTOKENSECRET".to_string(),
            },
            brickowl_api_key: "DEMOBRICKOWLKEY".to_string(),
            bricklink_daily_limit: 5000,
            brickowl_per_minute: 600,
            bricklink_timestamp_window_secs: bricklink::TIMESTAMP_WINDOW_SECS,
            brickowl_bulk_per_minute: 200,
            allegro_client_id: "demo-allegro-client".to_string(),
            allegro_client_secret: "DEMOALLEGROSECRET".to_string(),
            allegro_device_interval_secs: 5,
            allegro_per_minute: 9000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Market {
    Bricklink,
    Brickowl,
    /// Both Allegro hosts (auth and API); paths tell them apart.
    Allegro,
}

/// An Allegro offer as tests seed it. Empty `id` = a generated numeric id, empty `currency` =
/// PLN, empty `status` = ACTIVE (ACTIVATING, INACTIVE, ENDED, ARCHIVED as Allegro names them).
#[derive(Clone, Debug, Default)]
pub struct AllegroOffer {
    pub id: String,
    pub name: String,
    /// Decimal string such as "9.99".
    pub price: String,
    pub currency: String,
    /// `stock.available`.
    pub stock: i64,
    pub status: String,
    /// The seller's signature (`external.id`): `bl-<BrickLink lot>` or a BrickDesk lot id.
    pub external_id: Option<String>,
}

/// One line of an Allegro purchase: an offer bought `quantity` times at `price` PLN.
#[derive(Clone, Debug)]
pub struct AllegroLine {
    pub offer_id: String,
    pub name: String,
    /// The offer's `external.id` (the seller's signature: `bl-<BrickLink lot>` or a BrickDesk lot).
    pub external_id: Option<String>,
    pub quantity: i64,
    /// Decimal string such as "9.99".
    pub price: String,
}

/// An Allegro purchase as tests describe it.
#[derive(Clone, Debug)]
pub struct AllegroOrder {
    pub buyer_login: String,
    pub lines: Vec<AllegroLine>,
    /// Delivery method name ("Allegro Paczkomaty InPost").
    pub delivery: String,
    /// Decimal string.
    pub delivery_cost: String,
    /// Paid at once (`READY_FOR_PROCESSING`); otherwise only `BOUGHT` until `Sim::allegro_pay`.
    pub paid: bool,
}

/// One order line / stock lot as tests describe it (BrickLink terms).
#[derive(Clone, Debug)]
pub struct SimItem {
    pub item_no: String,
    /// "PART", "SET", "MINIFIG", …
    pub item_type: String,
    /// BrickLink colour id.
    pub color_id: i64,
    /// 'N' or 'U'.
    pub condition: char,
    pub quantity: i64,
    /// Decimal string such as "0.1200".
    pub unit_price: String,
    /// BrickLink remarks = storage location / bin.
    pub remarks: String,
    /// The BrickLink lot this line came from.
    pub inventory_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct SimOrder {
    pub buyer_name: String,
    /// "USD".
    pub currency: String,
    /// Decimal string such as "2.5000".
    pub shipping: String,
    /// BrickLink status such as "PENDING" (BrickOwl maps it to its own status ids).
    pub status: String,
    /// BrickLink batches; BrickOwl flattens them.
    pub batches: Vec<Vec<SimItem>>,
}

/// A one-shot failure for the next matching request (see `Sim::inject`).
#[derive(Clone, Debug)]
pub enum Fault {
    /// BrickLink: HTTP 200 + envelope `meta.code` = N. BrickOwl: HTTP N with `{"error":"…"}`.
    Status(u16),
    /// HTTP 503 with an nginx-style HTML body, no envelope.
    GatewayHtml503,
    /// HTTP 429 with `Retry-After`, no envelope.
    TooManyRequests { retry_after_secs: u64 },
    /// HTTP 200 with the real body cut in half (the request's effects still happen).
    TruncatedBody,
    /// HTTP 200 with exactly this body.
    Body(String),
}

/// One request as the simulator saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallRecord {
    pub market: Market,
    pub method: String,
    /// Path without the `/api/store/v1` or `/v1` prefix, e.g. "/orders/1234/items", "/order/list".
    pub path: String,
    /// Raw query string as sent (BrickOwl GETs include the key).
    pub query: String,
    /// HTTP status sent.
    pub status: u16,
    /// BrickLink envelope `meta.code`, when an envelope was sent.
    pub meta_code: Option<i64>,
}

/// A running pair of fake marketplaces.
pub struct Sim {
    /// "http://127.0.0.1:PORT/api/store/v1"
    pub bricklink_url: String,
    /// "http://127.0.0.1:PORT2/v1"
    pub brickowl_url: String,
    /// "http://127.0.0.1:PORT3" (Allegro's `api.allegro.pl`)
    pub allegro_api_url: String,
    /// "http://127.0.0.1:PORT4" (Allegro's `allegro.pl`, where `/auth/oauth/*` live)
    pub allegro_auth_url: String,
    options: SimOptions,
    state: Shared,
    servers: Vec<JoinHandle<()>>,
}

pub(crate) type Shared = Arc<Mutex<State>>;

/// Everything the servers know.
pub(crate) struct State {
    pub(crate) options: SimOptions,
    pub(crate) bl: bricklink::BlState,
    pub(crate) bo: brickowl::BoState,
    pub(crate) al: allegro::AlState,
    faults: VecDeque<(Market, String, Fault)>,
    /// Faults that fire on every matching request until [`Sim::end_outage`] (a long outage of
    /// one endpoint), after the one-shot ones.
    outages: Vec<(Market, String, Fault)>,
    /// Requests whose path contains the pattern are answered only after this delay.
    slow: Vec<(Market, String, std::time::Duration)>,
    /// Requests that have started such a delay (tests wait for one to be in flight).
    slowed: usize,
    calls: Vec<CallRecord>,
    last_event_ms: i64,
}

impl State {
    fn new(options: SimOptions) -> State {
        State {
            options,
            bl: bricklink::BlState::new(),
            bo: brickowl::BoState::new(),
            al: allegro::AlState::new(),
            faults: VecDeque::new(),
            outages: Vec::new(),
            slow: Vec::new(),
            slowed: 0,
            calls: Vec::new(),
            last_event_ms: 0,
        }
    }

    /// A strictly increasing millisecond clock for events, so two notifications never share a
    /// timestamp (clients dedupe on it).
    pub(crate) fn next_event_ms(&mut self) -> i64 {
        let now = chrono::Utc::now().timestamp_millis();
        let t = if now > self.last_event_ms { now } else { self.last_event_ms + 1 };
        self.last_event_ms = t;
        t
    }

    /// Removes and returns the first queued fault for `market` whose pattern matches the path,
    /// else the first matching outage (which stays).
    pub(crate) fn take_fault(&mut self, market: Market, full_path: &str, path: &str) -> Option<Fault> {
        let matches = |m: &Market, pat: &String| *m == market && (path.contains(pat.as_str()) || full_path.contains(pat.as_str()));
        match self.faults.iter().position(|(m, pat, _)| matches(m, pat)) {
            Some(pos) => self.faults.remove(pos).map(|(_, _, f)| f),
            None => self.outages.iter().find(|(m, pat, _)| matches(m, pat)).map(|(_, _, f)| f.clone()),
        }
    }

    pub(crate) fn record(&mut self, market: Market, req: &Req, path: String, reply: &Reply) {
        self.calls.push(CallRecord {
            market,
            method: req.method.clone(),
            path,
            query: req.query.clone(),
            status: reply.status,
            meta_code: reply.meta_code,
        });
    }
}

/// A request reduced to what the handlers need.
pub(crate) struct Req {
    pub method: String,
    /// Raw (still percent-encoded) path.
    pub path: String,
    /// Raw query string without `?`.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Req {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A response before it becomes an HTTP response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub meta_code: Option<i64>,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Reply {
        Reply { status, content_type: "application/json", headers: Vec::new(), body: value.to_string().into_bytes(), meta_code: None }
    }

    /// The same response with its body cut in half (Content-Length follows the cut body).
    pub(crate) fn truncated(mut self) -> Reply {
        let half = self.body.len() / 2;
        self.body.truncate(half);
        self.meta_code = None;
        self
    }

    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut builder = Response::builder().status(status).header(header::CONTENT_TYPE, self.content_type);
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder.body(Body::from(self.body)).unwrap_or_else(|_| {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
    }
}

const NGINX_503: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const NGINX_429: &str = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The response for an injected fault (`TruncatedBody` is applied by the handlers to the real
/// response; here it degrades to a cut JSON prefix).
pub(crate) fn fault_reply(market: Market, fault: &Fault) -> Reply {
    match fault {
        Fault::Status(code) => match market {
            Market::Bricklink => bricklink::status_fault(*code),
            Market::Brickowl => Reply::json(*code, &json!({ "error": brickowl::status_text(*code) })),
            Market::Allegro => allegro::status_fault(*code),
        },
        Fault::GatewayHtml503 => {
            Reply { status: 503, content_type: "text/html", headers: Vec::new(), body: NGINX_503.as_bytes().to_vec(), meta_code: None }
        }
        Fault::TooManyRequests { retry_after_secs } => Reply {
            status: 429,
            content_type: "text/html",
            headers: vec![("retry-after", retry_after_secs.to_string())],
            body: NGINX_429.as_bytes().to_vec(),
            meta_code: None,
        },
        Fault::TruncatedBody => Reply {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: b"{\"meta\":{\"descr".to_vec(),
            meta_code: None,
        },
        Fault::Body(body) => {
            Reply { status: 200, content_type: "application/json", headers: Vec::new(), body: body.clone().into_bytes(), meta_code: None }
        }
    }
}

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn read_request(req: Request) -> Req {
    let (parts, body) = req.into_parts();
    // An unreadable or oversized body is handled like a malformed one by the handlers.
    let body = axum::body::to_bytes(body, 8 << 20).await.map(|b| b.to_vec()).unwrap_or_else(|_| vec![0xff]);
    Req {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers: parts.headers,
        body,
    }
}

async fn serve_bricklink(AxumState(state): AxumState<Shared>, req: Request) -> Response {
    serve(state, Market::Bricklink, req).await
}

async fn serve_brickowl(AxumState(state): AxumState<Shared>, req: Request) -> Response {
    serve(state, Market::Brickowl, req).await
}

/// Handles a request on its own task: like a real server, the request is carried out even when
/// the client goes away while it waits (a killed client loses the answer, not the effect).
async fn serve(state: Shared, market: Market, req: Request) -> Response {
    let req = read_request(req).await;
    let work = tokio::spawn(async move {
        delay(&state, market, &req.path).await;
        let mut st = lock(&state);
        match market {
            Market::Bricklink => bricklink::handle(&mut st, &req),
            Market::Brickowl => brickowl::handle(&mut st, &req),
            // Served by `serve_allegro` (two hosts).
            Market::Allegro => allegro::handle(&mut st, allegro::Host::Api, &req),
        }
    });
    match work.await {
        Ok(reply) => reply.into_response(),
        Err(e) => axum::response::IntoResponse::into_response((
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("simulator task failed: {e}"),
        )),
    }
}

/// Waits as [`Sim::slow`] asked, without holding the state (other requests go on meanwhile).
async fn delay(state: &Shared, market: Market, path: &str) {
    let wait = {
        let mut st = lock(state);
        let wait = st.slow.iter().find(|(m, pat, _)| *m == market && path.contains(pat.as_str())).map(|(_, _, d)| *d);
        st.slowed += usize::from(wait.is_some());
        wait
    };
    if let Some(d) = wait {
        tokio::time::sleep(d).await;
    }
}

/// An Allegro host: the request runs on its own task, as [`serve`] does.
async fn serve_allegro(state: Shared, host: allegro::Host, req: Request) -> Response {
    let req = read_request(req).await;
    let work = tokio::spawn(async move {
        delay(&state, Market::Allegro, &req.path).await;
        allegro::handle(&mut lock(&state), host, &req)
    });
    match work.await {
        Ok(reply) => reply.into_response(),
        Err(e) => axum::response::IntoResponse::into_response((StatusCode::INTERNAL_SERVER_ERROR, format!("simulator task failed: {e}"))),
    }
}

async fn serve_allegro_api(AxumState(state): AxumState<Shared>, req: Request) -> Response {
    serve_allegro(state, allegro::Host::Api, req).await
}

async fn serve_allegro_auth(AxumState(state): AxumState<Shared>, req: Request) -> Response {
    serve_allegro(state, allegro::Host::Auth, req).await
}

/// Binds one Allegro host on 127.0.0.1:0; returns its base URL.
async fn spawn_allegro(state: &Shared, host: allegro::Host) -> std::io::Result<(String, JoinHandle<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let app = match host {
        allegro::Host::Api => Router::new().fallback(serve_allegro_api).with_state(state.clone()),
        allegro::Host::Auth => Router::new().fallback(serve_allegro_auth).with_state(state.clone()),
    };
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(?host, error = %e, "simulator server stopped");
        }
    });
    Ok((format!("http://{addr}"), handle))
}

async fn spawn_server(state: &Shared, market: Market) -> std::io::Result<(String, JoinHandle<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let app = match market {
        Market::Bricklink => Router::new().fallback(serve_bricklink).with_state(state.clone()),
        Market::Brickowl => Router::new().fallback(serve_brickowl).with_state(state.clone()),
        Market::Allegro => Router::new().fallback(serve_allegro_api).with_state(state.clone()),
    };
    let handle = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(?market, error = %e, "simulator server stopped");
        }
    });
    let base = match market {
        Market::Bricklink => bricklink::PREFIX,
        Market::Brickowl => brickowl::PREFIX,
        Market::Allegro => "",
    };
    Ok((format!("http://{addr}{base}"), handle))
}

impl Sim {
    /// Binds 127.0.0.1:0 once per marketplace and serves both. The sockets accept connections as
    /// soon as this returns, so callers never wait for readiness.
    pub async fn start(options: SimOptions) -> std::io::Result<Sim> {
        let state: Shared = Arc::new(Mutex::new(State::new(options.clone())));
        let (bricklink_url, bl_handle) = spawn_server(&state, Market::Bricklink).await?;
        let (brickowl_url, bo_handle) = match spawn_server(&state, Market::Brickowl).await {
            Ok(v) => v,
            Err(e) => {
                bl_handle.abort();
                return Err(e);
            }
        };
        let mut servers = vec![bl_handle, bo_handle];
        let mut allegro_urls = Vec::new();
        for host in [allegro::Host::Api, allegro::Host::Auth] {
            match spawn_allegro(&state, host).await {
                Ok((url, handle)) => {
                    servers.push(handle);
                    allegro_urls.push(url);
                }
                Err(e) => {
                    servers.iter().for_each(JoinHandle::abort);
                    return Err(e);
                }
            }
        }
        let (allegro_api_url, allegro_auth_url) = (allegro_urls.remove(0), allegro_urls.remove(0));
        lock(&state).al.auth_url = allegro_auth_url.clone();
        Ok(Sim { bricklink_url, brickowl_url, allegro_api_url, allegro_auth_url, options, state, servers })
    }

    pub fn options(&self) -> &SimOptions {
        &self.options
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    // ---- BrickLink store state ----

    /// Creates an inventory lot (ignores `item.inventory_id`) and returns its id.
    pub fn bricklink_add_lot(&self, item: SimItem) -> i64 {
        bricklink::add_lot(&mut self.lock(), &item)
    }

    /// The lot as `GET /inventories/{id}` returns it in `data`.
    pub fn bricklink_lot(&self, inventory_id: i64) -> Option<Value> {
        let st = self.lock();
        st.bl.lots.get(&inventory_id).map(bricklink::lot_json)
    }

    /// Creates an order, takes its quantities out of the referenced lots (a lot that sells out
    /// and is not `is_retain` disappears, as on BrickLink) and queues an `Order` notification.
    pub fn bricklink_add_order(&self, order: SimOrder) -> i64 {
        bricklink::add_order(&mut self.lock(), &order)
    }

    /// Changes an order's status and `date_status_changed` and queues another `Order` notification.
    pub fn bricklink_set_status(&self, order_id: i64, status: &str) {
        bricklink::set_status(&mut self.lock(), order_id, status);
    }

    /// Files or unfiles an order (filed orders leave `GET /orders` unless `filed=true`).
    pub fn bricklink_set_filed(&self, order_id: i64, filed: bool) {
        let mut st = self.lock();
        if let Some(o) = st.bl.orders.get_mut(&order_id) {
            o.is_filed = filed;
        }
    }

    /// Appends any raw JSON object to the notification list.
    pub fn bricklink_push_notification(&self, raw: Value) {
        self.lock().bl.notifications.push(raw);
    }

    /// BrickLink's catalog changes the name of an item (what a later refresh must bring).
    pub fn bricklink_set_item_name(&self, item_type: &str, item_no: &str, name: &str) {
        self.lock().bl.item_names.insert((item_type.to_ascii_uppercase(), item_no.to_ascii_uppercase()), name.to_string());
    }

    pub fn bricklink_clear_notifications(&self) {
        self.lock().bl.notifications.clear();
    }

    // ---- BrickOwl store state ----

    /// Creates a BrickOwl order from BrickLink-style items (mapped to BOIDs and BrickOwl colours)
    /// and returns its id. Lines whose `inventory_id` matches a BrickOwl lot's external id (or
    /// whose BOID, colour and condition match a lot) take stock from that lot.
    pub fn brickowl_add_order(&self, order: SimOrder) -> String {
        brickowl::add_order(&mut self.lock(), &order)
    }

    /// Creates a BrickOwl lot mirroring a BrickLink-style item; `external_id` becomes
    /// `external_lot_ids.other`. Returns the BrickOwl lot id.
    pub fn brickowl_add_lot(&self, item: SimItem, external_id: Option<&str>) -> String {
        brickowl::add_lot(&mut self.lock(), &item, external_id)
    }

    /// Sets a BrickOwl order's status id (0 Pending … 8 Cancelled).
    pub fn brickowl_set_status(&self, order_id: &str, status_id: u8) {
        brickowl::set_status(&mut self.lock(), order_id, status_id);
    }

    /// The endpoint of every call BrickOwl carried out inside a `bulk/batch` so far, in order
    /// (`inventory/update`, …); the batches themselves are `calls` to `/bulk/batch`.
    pub fn brickowl_batched(&self) -> Vec<String> {
        self.lock().bo.batched.clone()
    }

    /// The seller deletes a lot on brickowl.com.
    pub fn brickowl_delete_lot(&self, lot_id: &str) {
        let mut st = self.lock();
        if let Ok(id) = lot_id.trim().parse::<i64>() {
            st.bo.lots.remove(&id);
        }
    }

    /// Every lot (including empty ones) as `inventory/list?active_only=0` returns them.
    pub fn brickowl_lots(&self) -> Vec<Value> {
        let st = self.lock();
        st.bo.lots.values().map(brickowl::lot_json).collect()
    }

    // ---- Allegro ----

    /// A purchase (see [`AllegroOrder`]); returns the checkout form id (= the order id).
    pub fn allegro_add_order(&self, order: AllegroOrder) -> String {
        allegro::add_order(&mut self.lock(), &order)
    }

    /// An unpaid purchase is paid: `FILLED_IN`, `READY_FOR_PROCESSING`.
    pub fn allegro_pay(&self, form_id: &str) {
        allegro::pay(&mut self.lock(), form_id);
    }

    /// The buyer cancels (`BUYER_CANCELLED`).
    pub fn allegro_cancel(&self, form_id: &str) {
        allegro::cancel(&mut self.lock(), form_id);
    }

    /// The fulfillment status changes (`FULFILLMENT_STATUS_CHANGED`), e.g. to `SENT`.
    pub fn allegro_set_fulfillment(&self, form_id: &str, status: &str) {
        allegro::set_fulfillment(&mut self.lock(), form_id, status);
    }

    /// Appends any JSON object to the order journal (an unknown type, a malformed event); returns its id.
    pub fn allegro_push_event(&self, event: Value) -> String {
        allegro::push_raw(&mut self.lock(), event)
    }

    /// Every event the order journal keeps ages past its 60 days.
    pub fn allegro_expire_journal(&self) {
        allegro::expire_journal(&mut self.lock());
    }

    /// Every event id `/order/events` has served, in order.
    pub fn allegro_served_events(&self) -> Vec<String> {
        self.lock().al.journal.served.clone()
    }

    /// The seller lists an offer (an ACTIVE one journals `OFFER_ACTIVATED`); returns its id.
    pub fn allegro_add_offer(&self, offer: AllegroOffer) -> String {
        allegro::add_offer(&mut self.lock(), &offer)
    }

    /// The seller sets an offer's stock on allegro.pl (`OFFER_STOCK_CHANGED` if live; 0 ends it).
    /// False when there is no such offer.
    pub fn allegro_set_offer_stock(&self, offer_id: &str, available: i64) -> bool {
        allegro::set_stock(&mut self.lock(), offer_id, available, "USER")
    }

    /// The seller changes an offer's price (a decimal string) on allegro.pl (`OFFER_PRICE_CHANGED`).
    pub fn allegro_set_offer_price(&self, offer_id: &str, price: &str) -> bool {
        allegro::set_price(&mut self.lock(), offer_id, price)
    }

    /// The seller ends an offer on allegro.pl (`OFFER_ENDED`, `endedBy` USER).
    pub fn allegro_end_offer(&self, offer_id: &str) -> bool {
        allegro::end_offer(&mut self.lock(), offer_id)
    }

    /// The offer as `GET /sale/product-offers/{id}` answers it.
    pub fn allegro_offer(&self, offer_id: &str) -> Option<Value> {
        self.lock().al.offers.offers.iter().find(|o| o.id == offer_id).map(|o| o.json())
    }

    /// Appends any JSON object to the offer journal (an unknown type, a malformed event); returns its id.
    pub fn allegro_push_offer_event(&self, event: Value) -> String {
        allegro::push_raw_offer_event(&mut self.lock(), event)
    }

    /// Every event the offer journal keeps ages past its 24 hours.
    pub fn allegro_expire_offer_journal(&self) {
        allegro::expire_offer_journal(&mut self.lock());
    }

    /// Every event id `/sale/offer-events` has served, in order.
    pub fn allegro_served_offer_events(&self) -> Vec<String> {
        self.lock().al.offers.journal.served.clone()
    }

    /// (offer id, `stock.available`) of every stock `PATCH /sale/product-offers/{id}` carried
    /// out, in order (refused PATCHes are only in `calls`).
    pub fn allegro_stock_patches(&self) -> Vec<(String, i64)> {
        self.lock().al.offers.patches.clone()
    }

    /// The user codes of every device authorisation started so far.
    pub fn allegro_user_codes(&self) -> Vec<String> {
        self.lock().al.devices.iter().map(|d| d.user_code.clone()).collect()
    }

    /// The user enters `user_code` on allegro.pl and approves (`approve`) or refuses the app.
    /// False when no authorisation has that code.
    pub fn allegro_answer_device(&self, user_code: &str, approve: bool) -> bool {
        let mut st = self.lock();
        let Some(d) = st.al.devices.iter_mut().find(|d| d.user_code == user_code) else { return false };
        if approve {
            d.approved = true;
        } else {
            d.denied = true;
        }
        true
    }

    /// The next device-flow token poll is answered `slow_down`.
    pub fn allegro_slow_down_next(&self) {
        self.lock().al.slow_down_next = true;
    }

    /// `slow_down` answers given so far.
    pub fn allegro_slow_downs(&self) -> usize {
        self.lock().al.slow_downs
    }

    /// Every access token handed out so far expires (the next API call gets 401).
    pub fn allegro_expire_access_tokens(&self) {
        self.lock().al.expire_access();
    }

    /// Every refresh token dies (the seller unlinked the app on allegro.pl).
    pub fn allegro_revoke_tokens(&self) {
        self.lock().al.revoke_refresh();
    }

    // ---- Faults and observation ----

    /// Queues a one-shot fault for the next request to `market` whose path contains
    /// `path_contains`. Faults fire in FIFO order, after authentication and budget accounting.
    pub fn inject(&self, market: Market, path_contains: &str, fault: Fault) {
        self.lock().faults.push_back((market, path_contains.to_string(), fault));
    }

    /// Every request to `market` whose path contains `path_contains` fails with `fault` until
    /// [`Sim::end_outage`] (after authentication and budget accounting, like one-shot faults).
    pub fn outage(&self, market: Market, path_contains: &str, fault: Fault) {
        self.lock().outages.push((market, path_contains.to_string(), fault));
    }

    /// Every request to `market` whose path contains `path_contains` is answered only after
    /// `delay` (a slow marketplace).
    pub fn slow(&self, market: Market, path_contains: &str, delay: std::time::Duration) {
        self.lock().slow.push((market, path_contains.to_string(), delay));
    }

    /// How many requests have started a [`Sim::slow`] delay so far.
    pub fn slowed_requests(&self) -> usize {
        self.lock().slowed
    }

    /// The seller edits a lot on bricklink.com (quantity and price, a decimal string).
    pub fn bricklink_edit_lot(&self, inventory_id: i64, quantity: i64, unit_price: &str) {
        let mut st = self.lock();
        if let Some(lot) = st.bl.lots.get_mut(&inventory_id) {
            lot.quantity = quantity;
            lot.unit_price = money::parse_fixed(unit_price, 4).unwrap_or(lot.unit_price);
        }
    }

    /// The seller edits a lot on brickowl.com (quantity and price, a decimal string).
    pub fn brickowl_edit_lot(&self, lot_id: &str, quantity: i64, price: &str) {
        let mut st = self.lock();
        if let Some(lot) = lot_id.trim().parse::<i64>().ok().and_then(|id| st.bo.lots.get_mut(&id)) {
            lot.qty = quantity;
            lot.price = money::parse_fixed(price, 3).unwrap_or(lot.price);
        }
    }

    /// Every BrickLink lot of the store.
    pub fn bricklink_lots(&self) -> Vec<Value> {
        self.lock().bl.lots.values().map(bricklink::lot_json).collect()
    }

    /// Ends every outage of `market`.
    pub fn end_outage(&self, market: Market) {
        self.lock().outages.retain(|(m, _, _)| *m != market);
    }

    pub fn calls(&self, market: Market) -> Vec<CallRecord> {
        self.lock().calls.iter().filter(|c| c.market == market).cloned().collect()
    }

    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.lock())
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        for handle in &self.servers {
            handle.abort();
        }
    }
}
