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
//!
//! This file holds `Sim` and the servers. What the services share sits below them, and below
//! this file: `types.rs` (the public types, re-exported here), `http.rs` (a request and its
//! reply), `state.rs` (`State`) and `faults.rs` (what an injected fault answers). Each service
//! folder (`bricklink/`, `brickowl/`, `allegro/`) imports those, never this file.

// `json!` objects as wide as BrickOwl's order/view need more macro recursion than the default.
#![recursion_limit = "256"]

mod allegro;
mod bricklink;
mod brickowl;
mod catalog;
pub mod demo;
mod faults;
mod http;
mod images;
mod money;
mod state;
mod types;

use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State as AxumState};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::http::Req;
use crate::state::{lock, Shared, State};
pub use crate::types::{
    AllegroLine, AllegroOffer, AllegroOrder, BricklinkCredentials, CallRecord, Fault, Market, SimItem, SimOptions, SimOrder,
};

/// A running pair of fake marketplaces.
pub struct Sim {
    /// "http://127.0.0.1:PORT/api/store/v1"
    pub bricklink_url: String,
    /// "http://127.0.0.1:PORT2/v1"
    pub brickowl_url: String,
    /// "http://127.0.0.1:PORT/img": BrickLink's image host (`https://img.bricklink.com`), on the
    /// BrickLink port.
    pub bricklink_images_url: String,
    /// "http://127.0.0.1:PORT3" (Allegro's `api.allegro.pl`)
    pub allegro_api_url: String,
    /// "http://127.0.0.1:PORT4" (Allegro's `allegro.pl`, where `/auth/oauth/*` live)
    pub allegro_auth_url: String,
    options: SimOptions,
    state: Shared,
    servers: Vec<JoinHandle<()>>,
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
        let bricklink_images_url = format!("{}{}", bricklink_url.trim_end_matches(bricklink::PREFIX), images::PREFIX.trim_end_matches('/'));
        Ok(Sim { bricklink_url, brickowl_url, bricklink_images_url, allegro_api_url, allegro_auth_url, options, state, servers })
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

    /// The order as `GET /orders/{id}` returns it in `data` (status, payment, shipping with its
    /// tracking, `drive_thru_sent`).
    pub fn bricklink_order(&self, id: i64) -> Option<Value> {
        bricklink::order_json(&self.lock(), id)
    }

    /// How many Drive Thru e-mails `POST /orders/{id}/drive_thru` has sent for the order (0 for
    /// an unknown order).
    pub fn bricklink_drive_thru_sends(&self, id: i64) -> usize {
        self.lock().bl.orders.get(&id).map_or(0, |o| o.drive_thru_sends)
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

    /// The order as `order/view` returns it (`status`, `status_id`, `tracking_number`, …).
    pub fn brickowl_order(&self, order_id: &str) -> Option<Value> {
        let st = self.lock();
        order_id.trim().parse::<i64>().ok().and_then(|id| st.bo.orders.get(&id)).map(brickowl::order_view)
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

    /// The fulfillment status changes on allegro.pl (`FULFILLMENT_STATUS_CHANGED`), e.g. to
    /// `SENT`. The form's revision moves on even when the status stays, so this also makes a
    /// revision a client read stale (its next `PUT …/fulfillment` naming it gets 409).
    pub fn allegro_set_fulfillment(&self, form_id: &str, status: &str) {
        allegro::set_fulfillment(&mut self.lock(), form_id, status);
    }

    /// The checkout form as `GET /order/checkout-forms/{id}` answers it.
    pub fn allegro_form(&self, form_id: &str) -> Option<Value> {
        allegro::form_json(&self.lock(), form_id)
    }

    /// The form's shipments as `GET /order/checkout-forms/{id}/shipments` lists them (empty for
    /// an unknown form).
    pub fn allegro_shipments(&self, form_id: &str) -> Vec<Value> {
        allegro::shipments_json(&self.lock(), form_id)
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

    /// Every [`Sim::slow`] ends: requests are answered at once again.
    pub fn end_slow(&self) {
        self.lock().slow.clear();
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

// Last in the file: the layers check (tests/boundaries/layers.rs) reads a file up to its first
// `#[cfg(test)]`, so declared at the top it would hide this file's imports from the check.
#[cfg(test)]
mod tests;
