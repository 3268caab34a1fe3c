//! Sending the seller's order changes (`orders::fulfilment`: packed, shipped with a tracking
//! number, paid off-site) to each marketplace, through the one queue (`order_updates`).
//!
//! Each row carries what the marketplace is to hear and what it acknowledged (`sent`): a round
//! sends only what is missing, step by step, and keeps each step's acknowledgement even when a
//! later step fails, so nothing acknowledged is sent twice. The calls, per marketplace:
//! - BrickLink: `PUT /orders/{id}/payment_status` (paid), `PUT /orders/{id}` (tracking), then
//!   `PUT /orders/{id}/status` (`PACKED`, `SHIPPED`). All set what they set: replay-safe. With
//!   the seller's Drive Thru setting, `POST /orders/{id}/drive_thru` once shipped: not safe to
//!   repeat, so marked like a shipment (`drive_thru_since`) and looked up after a lost answer.
//! - BrickOwl: `order/set_status` (2 paid, 4 packed, 5 shipped) after `order/tracking`.
//! - Allegro: `PUT …/fulfillment` with the form's revision (a 409 means the form changed: it is
//!   read again and the PUT sent once more), then `POST …/shipments` for a tracking number. That
//!   POST is not safe to repeat: `shipment_since` is written before it is sent, and a row found
//!   with it reads the order's shipments before sending again.

use brickdesk_ipc::{Fulfillment, Provider, SyncRunReport};
use rusqlite::{named_params, params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::base::clock::format_ts;
use crate::error::{Error, Result};
use crate::gateway::allegro_session::Session;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::{allegro, bricklink, brickowl, MarketError};
use crate::orders::fulfilment::{self as orders_fulfilment, QUEUE};
use crate::store::queue::Queue;

/// What a marketplace acknowledged of an order's changes (`order_updates.sent`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub paid: bool,
    /// The tracking number (or link) the marketplace holds.
    #[serde(default)]
    pub tracking: Option<String>,
    /// The waybill of the Allegro shipment added.
    #[serde(default)]
    pub shipment: Option<String>,
    /// BrickLink's Drive Thru e-mail went out.
    #[serde(default)]
    pub drive_thru: bool,
}

/// One order's changes as a pusher gets them.
#[derive(Debug, Clone)]
pub struct Update {
    pub order_id: i64,
    pub external_id: String,
    /// `Packed` or `Shipped`, when the seller set one.
    pub status: Option<Fulfillment>,
    pub paid: bool,
    pub tracking: Option<String>,
    pub tracking_url: Option<String>,
    pub carrier_id: Option<String>,
    pub carrier_name: Option<String>,
    /// The order as last fetched (Allegro: its revision and line items).
    pub raw: Value,
    /// A shipment POST was sent and its answer never came.
    pub shipment_unknown: bool,
    /// BrickLink: send the Drive Thru e-mail once shipped (the seller's setting).
    pub drive_thru: bool,
    /// A Drive Thru POST was sent and its answer never came.
    pub drive_thru_unknown: bool,
}

impl Update {
    /// The tracking text a marketplace with one field for it gets: the number, else the link.
    fn tracking_text(&self) -> Option<String> {
        self.tracking.clone().or_else(|| self.tracking_url.clone())
    }
}

/// One marketplace's way of sending an order's changes; the queue work is [`push_round`]'s.
pub trait OrderPusher: Sync {
    fn marketplace(&self) -> Provider;
    /// Sends what `u` holds and `sent` lacks, recording each acknowledged step in `sent`.
    fn push_order<'a>(
        &'a self,
        gw: &'a Gateway,
        u: &'a Update,
        sent: &'a mut Sent,
    ) -> impl std::future::Future<Output = std::result::Result<(), CallError>> + Send + 'a;
}

fn read_update(c: &rusqlite::Connection, row: i64) -> Result<(Update, Sent, i64)> {
    let drive_thru = orders_fulfilment::drive_thru(c)?;
    let (update, sent, rev) = c.query_row(
        "SELECT u.order_id, o.external_id, u.want_status, u.want_paid, o.tracking_no, o.tracking_url, o.carrier_id, o.carrier_name,
                o.raw, u.sent, u.shipment_since IS NOT NULL, u.rev, u.drive_thru_since IS NOT NULL
         FROM order_updates u JOIN orders o ON o.id = u.order_id WHERE u.id = ?1",
        [row],
        |r| {
            let status: Option<String> = r.get(2)?;
            let raw: String = r.get(8)?;
            let sent: String = r.get(9)?;
            let update = Update {
                order_id: r.get(0)?,
                external_id: r.get(1)?,
                status: status.as_deref().map(orders_fulfilment::stored).transpose()?,
                paid: r.get(3)?,
                tracking: r.get(4)?,
                tracking_url: r.get(5)?,
                carrier_id: r.get(6)?,
                carrier_name: r.get(7)?,
                raw: serde_json::from_str(&raw).unwrap_or(Value::Null),
                shipment_unknown: r.get(10)?,
                drive_thru,
                drive_thru_unknown: r.get(12)?,
            };
            Ok((update, serde_json::from_str(&sent).unwrap_or_default(), r.get(11)?))
        },
    )?;
    Ok((update, sent, rev))
}

/// Claims `pusher`'s due order updates one by one and sends each: acknowledged steps are kept
/// whatever happens next; done (or due again when the seller changed the order meanwhile), failed
/// with backoff (a refusal shows with the marketplace's words, and the other orders go on), or
/// waiting for a rate limit or budget (no attempt used, the round stops).
pub async fn push_round<P: OrderPusher>(gw: &Gateway, pusher: &P, report: &mut SyncRunReport) -> Result<()> {
    let m = pusher.marketplace();
    let now = gw.clock.now();
    gw.store.write(move |tx| QUEUE.recover(tx, now)).await?;
    let mut after = 0i64;
    loop {
        let now = gw.clock.now();
        let claimed = gw
            .store
            .write(move |tx| {
                let id: Option<i64> = tx
                    .prepare_cached(&format!(
                        "SELECT id FROM order_updates WHERE marketplace = :m AND id > :after AND {} ORDER BY id LIMIT 1",
                        Queue::DUE
                    ))?
                    .query_row(named_params! {":m": m.as_str(), ":after": after, ":now": format_ts(now)}, |r| r.get(0))
                    .optional()?;
                let Some(id) = id else { return Ok(None) };
                Ok(Some((id, QUEUE.take(tx, id, now)?)))
            })
            .await?;
        let Some((id, claim)) = claimed else { break };
        after = id;
        let Some(claim) = claim else { continue };
        let (update, before, rev) = gw.store.read(move |c| read_update(c, id)).await?;
        let mut sent = before.clone();
        let result = pusher.push_order(gw, &update, &mut sent).await;
        let now = gw.clock.now();
        let order_id = update.order_id;
        let sent_json = serde_json::to_string(&sent).unwrap_or_else(|_| "{}".into());
        let (shipment_known, drive_thru_known) = (sent.shipment.is_some(), sent.drive_thru);
        match result {
            Ok(()) => {
                gw.store
                    .write(move |tx| {
                        keep_sent(tx, id, &sent_json, shipment_known, drive_thru_known)?;
                        QUEUE.complete(tx, id, now)?;
                        // Changed meanwhile: due again at once.
                        tx.execute(
                            "UPDATE order_updates SET status = 'pending', attempts = 0, next_attempt_at = NULL, lease_owner = NULL
                             WHERE id = ?1 AND rev > ?2",
                            params![id, rev],
                        )?;
                        Ok(())
                    })
                    .await?;
            }
            Err(e) if e.wait_hint().is_some() => {
                gw.store.write(move |tx| keep_sent(tx, id, &sent_json, shipment_known, drive_thru_known)).await?;
                report.waiting = Some(QUEUE.wait_out(&gw.store, &claim, e.wait_hint().unwrap_or_default(), &e.to_string(), now).await?);
                break;
            }
            Err(e) => {
                let (retryable, error) = (e.is_retryable(), e.to_string());
                tracing::warn!(order_id, marketplace = m.as_str(), error, "order update failed");
                gw.store
                    .write(move |tx| {
                        keep_sent(tx, id, &sent_json, shipment_known, drive_thru_known)?;
                        QUEUE.fail(tx, &claim, &error, retryable, now)?;
                        Ok(())
                    })
                    .await?;
            }
        }
        report.order_updates.push(gw.store.read(move |c| orders_fulfilment::report(c, order_id)).await?);
    }
    Ok(())
}

/// Keeps what the marketplace acknowledged (`sent`), whatever became of the rest of the row: a
/// step acknowledged is never sent again, and a shipment or Drive Thru e-mail acknowledged no
/// longer needs its look-up.
fn keep_sent(tx: &rusqlite::Transaction<'_>, id: i64, sent: &str, shipment_known: bool, drive_thru_known: bool) -> Result<()> {
    tx.execute(
        "UPDATE order_updates SET sent = ?2, shipment_since = CASE WHEN ?3 THEN NULL ELSE shipment_since END,
             drive_thru_since = CASE WHEN ?4 THEN NULL ELSE drive_thru_since END WHERE id = ?1",
        params![id, sent, shipment_known, drive_thru_known],
    )?;
    Ok(())
}

impl OrderPusher for bricklink::api::Client {
    fn marketplace(&self) -> Provider {
        Provider::Bricklink
    }

    fn push_order<'a>(
        &'a self,
        gw: &'a Gateway,
        u: &'a Update,
        sent: &'a mut Sent,
    ) -> impl std::future::Future<Output = std::result::Result<(), CallError>> + Send + 'a {
        async move {
            use bricklink::api::Call;
            let id = u.external_id.clone();
            if u.paid && !sent.paid {
                gw.bricklink(self, &Call::SetPaymentReceived(id.clone())).await?;
                sent.paid = true;
            }
            let tracking = u.tracking_text();
            if u.status == Some(Fulfillment::Shipped) && tracking.is_some() && sent.tracking != tracking {
                let mut shipping = json!({"date_shipped": format_ts(gw.clock.now())});
                if let Some(no) = &u.tracking {
                    shipping["tracking_no"] = json!(no);
                }
                if let Some(link) = &u.tracking_url {
                    shipping["tracking_link"] = json!(link);
                }
                gw.bricklink(self, &Call::UpdateOrder { id: id.clone(), body: json!({ "shipping": shipping }) }).await?;
                sent.tracking = tracking;
            }
            if let Some(status) = u.status.filter(|s| sent.status.as_deref() != Some(s.as_str())) {
                gw.bricklink(self, &Call::SetOrderStatus { id: id.clone(), status: status.as_str().to_ascii_uppercase() }).await?;
                sent.status = Some(status.as_str().into());
            }
            if u.drive_thru && u.status == Some(Fulfillment::Shipped) && !sent.drive_thru {
                drive_thru(gw, self, u).await?;
                sent.drive_thru = true;
            }
            Ok(())
        }
    }
}

impl OrderPusher for brickowl::api::Client {
    fn marketplace(&self) -> Provider {
        Provider::Brickowl
    }

    fn push_order<'a>(
        &'a self,
        gw: &'a Gateway,
        u: &'a Update,
        sent: &'a mut Sent,
    ) -> impl std::future::Future<Output = std::result::Result<(), CallError>> + Send + 'a {
        async move {
            use brickowl::api::Call;
            let id = u.external_id.clone();
            if u.paid && !sent.paid {
                gw.brickowl(self, &Call::OrderSetStatus { order_id: id.clone(), status_id: 2 }).await?;
                sent.paid = true;
            }
            let tracking = u.tracking_text();
            if let Some(t) = tracking.clone().filter(|_| u.status == Some(Fulfillment::Shipped) && sent.tracking != tracking) {
                gw.brickowl(self, &Call::OrderTracking { order_id: id.clone(), tracking_id: t }).await?;
                sent.tracking = tracking;
            }
            if let Some(status) = u.status.filter(|s| sent.status.as_deref() != Some(s.as_str())) {
                let status_id = brickowl::convert::status_id(status).ok_or_else(|| {
                    CallError::Engine(Error::Inconsistent {
                        what: format!("order {}", u.order_id),
                        detail: format!("no BrickOwl status for {status}"),
                    })
                })?;
                gw.brickowl(self, &Call::OrderSetStatus { order_id: id, status_id }).await?;
                sent.status = Some(status.as_str().into());
            }
            Ok(())
        }
    }
}

/// BrickLink's Drive Thru e-mail for order `u`, exactly once: after a POST whose answer never
/// came, the order's `drive_thru_sent` is read first.
async fn drive_thru(gw: &Gateway, client: &bricklink::api::Client, u: &Update) -> std::result::Result<(), CallError> {
    use bricklink::api::Call;
    if u.drive_thru_unknown {
        let order = gw.bricklink(client, &Call::Order(u.external_id.clone())).await?;
        if order["drive_thru_sent"].as_bool() == Some(true) {
            tracing::info!(order_id = u.order_id, "an earlier Drive Thru e-mail did reach BrickLink; not sent again");
            return Ok(());
        }
    }
    let (order_id, now) = (u.order_id, format_ts(gw.clock.now()));
    gw.store
        .write(move |tx| {
            tx.execute("UPDATE order_updates SET drive_thru_since = ?2 WHERE order_id = ?1", params![order_id, now])?;
            Ok(())
        })
        .await?;
    gw.bricklink(client, &Call::DriveThru { id: u.external_id.clone(), mail_me: false }).await?;
    Ok(())
}

/// Whether Allegro refused a change because the form changed since its revision was read.
fn stale_revision(e: &CallError) -> bool {
    matches!(e, CallError::Market(MarketError::Rejected { envelope, .. }) if envelope.code == 409)
}

impl OrderPusher for Session {
    fn marketplace(&self) -> Provider {
        Provider::Allegro
    }

    fn push_order<'a>(
        &'a self,
        gw: &'a Gateway,
        u: &'a Update,
        sent: &'a mut Sent,
    ) -> impl std::future::Future<Output = std::result::Result<(), CallError>> + Send + 'a {
        async move {
            use allegro::api::Call;
            let form = u.external_id.clone();
            if let Some(status) = u.status.filter(|s| sent.status.as_deref() != Some(s.as_str())) {
                let wanted = allegro::convert::fulfillment_status(status).ok_or_else(|| {
                    CallError::Engine(Error::Inconsistent {
                        what: format!("order {}", u.order_id),
                        detail: format!("no Allegro status for {status}"),
                    })
                })?;
                let mut revision = u.raw["revision"].as_str().map(str::to_string);
                let mut tries = 0;
                loop {
                    tries += 1;
                    let call = Call::SetFulfillment { form_id: form.clone(), revision: revision.clone(), status: wanted.into() };
                    match gw.allegro(self, &call).await {
                        Ok(_) => break,
                        // Changed since it was read (a buyer's message, Allegro's own step): read
                        // it again, and set the status on what it is now.
                        Err(e) if stale_revision(&e) && tries < 3 => {
                            let now = gw.allegro(self, &Call::CheckoutForm(form.clone())).await?;
                            revision = now["revision"].as_str().map(str::to_string);
                        }
                        Err(e) => return Err(e),
                    }
                }
                sent.status = Some(status.as_str().into());
            }
            if let (Some(waybill), true) = (u.tracking.clone(), u.status == Some(Fulfillment::Shipped)) {
                if sent.shipment.as_deref() != Some(waybill.as_str()) {
                    add_shipment(gw, self, u, &waybill).await?;
                    sent.shipment = Some(waybill.clone());
                    sent.tracking = Some(waybill);
                }
            }
            Ok(())
        }
    }
}

/// Adds waybill `waybill` to Allegro order `u`, exactly once: after a POST whose answer never
/// came, the order's shipments are read first and a shipment with that waybill counts as sent.
async fn add_shipment(gw: &Gateway, session: &Session, u: &Update, waybill: &str) -> std::result::Result<(), CallError> {
    use allegro::api::Call;
    let form = u.external_id.clone();
    if u.shipment_unknown {
        let listed = gw.allegro(session, &Call::Shipments(form.clone())).await?;
        let found = listed["shipments"].as_array().into_iter().flatten().any(|s| s["waybill"].as_str() == Some(waybill));
        if found {
            tracing::info!(order_id = u.order_id, "an earlier shipment did reach Allegro; not sent again");
            return Ok(());
        }
    }
    let carrier = u.carrier_id.clone().ok_or_else(|| {
        CallError::Engine(Error::InvalidInput {
            what: format!("order {}", u.order_id),
            detail: "Allegro needs the carrier of the tracking number".into(),
        })
    })?;
    let lines: Vec<Value> =
        u.raw["lineItems"].as_array().into_iter().flatten().filter_map(|l| l["id"].as_str()).map(|id| json!({"id": id})).collect();
    let mut body = json!({"carrierId": carrier, "waybill": waybill, "lineItems": lines});
    if carrier == "OTHER" {
        body["carrierName"] = json!(u.carrier_name.clone().unwrap_or_default());
    }
    let (order_id, now) = (u.order_id, format_ts(gw.clock.now()));
    gw.store
        .write(move |tx| {
            tx.execute("UPDATE order_updates SET shipment_since = ?2 WHERE order_id = ?1", params![order_id, now])?;
            Ok(())
        })
        .await?;
    gw.allegro(session, &Call::AddShipment { form_id: form, body }).await?;
    Ok(())
}
