//! Fulfilment: one status for every order whatever its marketplace, the seller's changes (packed,
//! shipped with a tracking number, paid off-site) and the queue that carries them to the
//! marketplace (`order_updates`, the one queue's rules; sent by `sync/fulfilment.rs`).
//!
//! - *One status*: [`unified`] maps each marketplace's own status; the marketplace's words stay
//!   in `orders.status` for the order's details.
//! - *A local change* is written with its queue row in the caller's transaction ([`mark`]); `rev`
//!   grows with each, so a change made while a push is in flight is pushed again.
//! - *Changes made on the websites* come back with the order ([`on_fetch`]): adopted as they are,
//!   except that while a local change is still on its way the later of the two stands, and a
//!   cancellation always wins. Nothing fetched is ever pushed back.

use brickdesk_ipc::{
    Fulfillment, FulfillmentMark, OrderFulfillment, OrderShipping, OrderStatusInput, OrderStatusReport, Provider, SyncStatusEntry,
};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;

use crate::base::clock::format_ts;
use crate::error::{Error, Result};
use crate::marketplaces::{allegro::convert as al, bricklink::convert as bl, brickowl::convert as bo};
use crate::store::{self, queue::Queue};

pub const QUEUE: Queue = Queue {
    table: "order_updates",
    done: "done",
    max_attempts: 6,
    lease: chrono::Duration::minutes(10),
    first_backoff: chrono::Duration::minutes(1),
    rearm_after: chrono::Duration::minutes(15),
};

/// Longest tracking number or link kept (Allegro takes waybills of up to 64 characters).
pub const TRACKING_MAX: usize = 64;
pub const TRACKING_URL_MAX: usize = 500;
/// Allegro's limit on a carrier name given with `OTHER`.
pub const CARRIER_NAME_MAX: usize = 30;

/// Marketplace `m`'s status (as stored in `orders.status`) as one status for every marketplace;
/// `None` when it says nothing of where the order is.
pub fn unified(m: Provider, status: &str, raw: &str) -> Option<Fulfillment> {
    match m {
        Provider::Bricklink => bl::fulfillment(status, &serde_json::from_str(raw).unwrap_or(Value::Null)),
        Provider::Brickowl => bo::fulfillment(status),
        Provider::Allegro => al::fulfillment(status),
    }
}

pub fn stored(s: &str) -> rusqlite::Result<Fulfillment> {
    Fulfillment::parse(s)
        .ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, format!("fulfillment {s:?}").into()))
}

/// The order as fetched just now: its status for every marketplace. A change of the seller's
/// still on its way keeps the later of the two (a poll that saw the order before the push must
/// not undo it); a cancellation always wins and ends the change.
pub fn on_fetch(tx: &Transaction<'_>, order_id: i64, m: Provider, status: &str, raw: &str, now: DateTime<Utc>) -> Result<()> {
    let (current, pending): (String, bool) = tx.query_row(
        "SELECT o.fulfillment, EXISTS (SELECT 1 FROM order_updates u WHERE u.order_id = o.id AND u.status != 'done')
         FROM orders o WHERE o.id = ?1",
        [order_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let current = stored(&current)?;
    let Some(remote) = unified(m, status, raw) else { return Ok(()) };
    let next = match remote {
        Fulfillment::Cancelled => {
            tx.execute(
                "UPDATE order_updates SET status = 'done', next_attempt_at = NULL, lease_owner = NULL, updated_at = ?2,
                     last_error = 'cancelled on the marketplace'
                 WHERE order_id = ?1 AND status != 'done'",
                params![order_id, format_ts(now)],
            )?;
            remote
        }
        _ if pending => current.max(remote),
        _ => remote,
    };
    if next != current {
        tx.execute("UPDATE orders SET fulfillment = ?2 WHERE id = ?1", params![order_id, next.as_str()])?;
    }
    Ok(())
}

fn bad(what: &str, detail: impl Into<String>) -> Error {
    Error::InvalidInput { what: what.into(), detail: detail.into() }
}

/// Trims an optional text; empty is none.
fn given(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// The seller marks an order packed, shipped (with an optional tracking number) or paid: the
/// order takes the status at once, and its marketplace is told through the queue (in this
/// transaction). Refused with a clear error: an unknown or cancelled order, a step back, paid on
/// Allegro (paid there only), a tracking number without what its marketplace needs.
pub fn mark(tx: &Transaction<'_>, input: &OrderStatusInput, now: DateTime<Utc>) -> Result<()> {
    let id = input.order_id;
    let (market, current): (String, String) = tx
        .query_row("SELECT marketplace, fulfillment FROM orders WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "order".into(), id: id.to_string() })?;
    let m = store::stored_provider(&market)?;
    let current = stored(&current)?;
    let what = format!("order {id}");
    let (tracking, tracking_url, carrier, carrier_name) =
        (given(&input.tracking), given(&input.tracking_url), given(&input.carrier), given(&input.carrier_name));
    if current == Fulfillment::Cancelled {
        return Err(bad(&what, "it is cancelled"));
    }
    if input.status != FulfillmentMark::Shipped && (tracking.is_some() || tracking_url.is_some() || carrier.is_some()) {
        return Err(bad(&what, "a tracking number or carrier goes with shipped"));
    }
    if tracking.as_ref().is_some_and(|t| t.chars().count() > TRACKING_MAX) {
        return Err(bad("--tracking", format!("at most {TRACKING_MAX} characters")));
    }
    if let Some(u) = &tracking_url {
        if u.chars().count() > TRACKING_URL_MAX || !(u.starts_with("https://") || u.starts_with("http://")) {
            return Err(bad("--tracking-url", "a link starting with https:// (at most 500 characters)"));
        }
    }
    if carrier_name.as_ref().is_some_and(|n| n.chars().count() > CARRIER_NAME_MAX) {
        return Err(bad("--carrier-name", format!("at most {CARRIER_NAME_MAX} characters")));
    }
    let target = match input.status {
        FulfillmentMark::Paid if m == Provider::Allegro => {
            return Err(bad(&what, "Allegro orders are paid on Allegro; BrickDesk sees it when the buyer pays"))
        }
        FulfillmentMark::Paid if current != Fulfillment::New => return Err(bad(&what, format!("it is already {}", current.label()))),
        FulfillmentMark::Paid => Fulfillment::Paid,
        FulfillmentMark::Packed => Fulfillment::Packed,
        FulfillmentMark::Shipped => Fulfillment::Shipped,
    };
    if current > target || current == Fulfillment::Completed {
        return Err(bad(&what, format!("it is already {}", current.label())));
    }
    if m == Provider::Allegro && target != Fulfillment::Paid {
        if current == Fulfillment::New {
            return Err(bad(&what, "it is not paid yet"));
        }
        if tracking.is_some() && carrier.is_none() {
            return Err(bad("--carrier", "Allegro needs the carrier of a tracking number (see `orders carriers`)"));
        }
        if carrier.as_deref() == Some("OTHER") && carrier_name.is_none() {
            return Err(bad("--carrier-name", "carrier OTHER needs the carrier's name"));
        }
    }
    let now_s = format_ts(now);
    tx.execute(
        "UPDATE orders SET fulfillment = ?2,
             tracking_no = COALESCE(?3, tracking_no), tracking_url = COALESCE(?4, tracking_url),
             carrier_id = COALESCE(?5, carrier_id), carrier_name = COALESCE(?6, carrier_name)
         WHERE id = ?1",
        params![id, target.as_str(), tracking, tracking_url, carrier, carrier_name],
    )?;
    let (want_status, want_paid) = match target {
        Fulfillment::Paid => (None, true),
        f => (Some(f.as_str()), false),
    };
    // A row being sent keeps its claim: `rev` tells the round it changed meanwhile.
    tx.execute(
        "INSERT INTO order_updates (order_id, marketplace, want_status, want_paid, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (order_id) DO UPDATE SET
             want_status = COALESCE(excluded.want_status, want_status), want_paid = max(want_paid, excluded.want_paid),
             rev = rev + 1, updated_at = excluded.updated_at, last_error = NULL, permanent = 0,
             attempts = CASE WHEN status = 'processing' THEN attempts ELSE 0 END,
             next_attempt_at = CASE WHEN status = 'processing' THEN next_attempt_at ELSE NULL END,
             status = CASE WHEN status = 'processing' THEN status ELSE 'pending' END",
        params![id, m.as_str(), want_status, want_paid, now_s],
    )?;
    Ok(())
}

/// The setting that sends BrickLink's Drive Thru e-mail when an order is marked shipped (off
/// unless the seller turns it on).
pub const DRIVE_THRU_KEY: &str = "fulfilment.bricklink_drive_thru";

pub fn drive_thru(c: &rusqlite::Connection) -> Result<bool> {
    let v: Option<String> = c.query_row("SELECT value FROM settings WHERE key = ?1", [DRIVE_THRU_KEY], |r| r.get(0)).optional()?;
    Ok(v.as_deref() == Some("1"))
}

pub fn set_drive_thru(tx: &Transaction<'_>, on: bool) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![DRIVE_THRU_KEY, if on { "1" } else { "0" }],
    )?;
    Ok(())
}

/// The remote state of an order update row: `synced`, `pending` or `failed`.
fn remote_state(queue: &str, next: Option<&str>) -> &'static str {
    match (queue, next) {
        ("done", _) => "synced",
        ("failed", None) => "failed",
        _ => "pending",
    }
}

/// What `orders status` answers: the order's status and whether its marketplace heard of it.
pub fn report(c: &rusqlite::Connection, order_id: i64) -> Result<OrderStatusReport> {
    let (market, status, queue, next, error): (String, String, Option<String>, Option<String>, Option<String>) = c
        .query_row(
            "SELECT o.marketplace, o.fulfillment, u.status, u.next_attempt_at, u.last_error
             FROM orders o LEFT JOIN order_updates u ON u.order_id = o.id WHERE o.id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "order".into(), id: order_id.to_string() })?;
    Ok(OrderStatusReport {
        order_id,
        marketplace: store::stored_provider(&market)?,
        status: stored(&status)?,
        remote: queue.as_deref().map_or("synced", |q| remote_state(q, next.as_deref())).to_string(),
        last_error: error,
    })
}

/// An order's fulfilment and shipping, for its details.
pub fn detail(c: &rusqlite::Connection, order_id: i64) -> Result<(OrderFulfillment, OrderShipping)> {
    type Row = (String, String, String, Option<String>, Option<String>, Option<String>, Option<String>);
    let (market, status, raw, tracking, tracking_url, carrier_id, carrier_name): Row = c.query_row(
        "SELECT marketplace, fulfillment, raw, tracking_no, tracking_url, carrier_id, carrier_name FROM orders WHERE id = ?1",
        [order_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    let queue: Option<(String, Option<String>, Option<String>)> = c
        .query_row("SELECT status, next_attempt_at, last_error FROM order_updates WHERE order_id = ?1", [order_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let m = store::stored_provider(&market)?;
    let raw: Value = serde_json::from_str(&raw).unwrap_or(Value::Null);
    let (method, address) = match m {
        Provider::Bricklink => bl::shipping(&raw),
        Provider::Brickowl => bo::shipping(&raw),
        Provider::Allegro => al::shipping(&raw),
    };
    // What the marketplace itself holds, when nothing was set here (a website change).
    let tracking = tracking.or_else(|| match m {
        Provider::Bricklink => raw["shipping"]["tracking_no"].as_str().filter(|t| !t.is_empty()).map(str::to_string),
        Provider::Brickowl => raw["tracking_number"].as_str().filter(|t| !t.is_empty()).map(str::to_string),
        Provider::Allegro => None,
    });
    let fulfillment = OrderFulfillment {
        status: stored(&status)?,
        tracking,
        tracking_url,
        carrier: match (carrier_id.as_deref(), carrier_name) {
            (Some("OTHER"), Some(name)) => Some(name),
            (id, _) => id.map(str::to_string),
        },
        remote: queue.as_ref().map(|(q, next, _)| remote_state(q, next.as_deref()).to_string()),
        last_error: queue.and_then(|q| q.2),
    };
    Ok((fulfillment, OrderShipping { method, address }))
}

/// Order updates still to send or refused, for `sync status` beside the lots.
pub fn status_entries(c: &rusqlite::Connection) -> Result<Vec<SyncStatusEntry>> {
    let mut st = c.prepare_cached(
        "SELECT u.order_id, u.marketplace, u.status, u.next_attempt_at, u.attempts, u.last_error, o.external_id
         FROM order_updates u JOIN orders o ON o.id = u.order_id WHERE u.status != 'done' ORDER BY u.order_id",
    )?;
    let rows = st
        .query_map([], |r| {
            let (queue, next): (String, Option<String>) = (r.get(2)?, r.get(3)?);
            let market: String = r.get(1)?;
            Ok(SyncStatusEntry {
                inventory_id: None,
                order_id: Some(r.get(0)?),
                marketplace: store::stored_provider(&market)?,
                status: remote_state(&queue, next.as_deref()).into(),
                remote_id: r.get(6)?,
                attempts: r.get(4)?,
                last_error: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The seller's retry of refused order updates (of one order, or all): due now.
pub fn retry(tx: &Transaction<'_>, order: Option<i64>, now: DateTime<Utc>) -> Result<usize> {
    let filter = match order {
        Some(id) => format!("order_id = {id}"),
        None => "1".into(),
    };
    QUEUE.retry(tx, None, &filter, now)
}

/// Fixup of migration 15: the status for every marketplace of the orders stored before it.
pub fn backfill(tx: &Transaction<'_>) -> Result<()> {
    let rows: Vec<(i64, String, String, String, String)> = {
        let mut st = tx.prepare("SELECT id, marketplace, status, raw, phase FROM orders")?;
        let rows =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut set = tx.prepare("UPDATE orders SET fulfillment = ?2 WHERE id = ?1")?;
    for (id, market, status, raw, phase) in rows {
        let by_phase = match phase.as_str() {
            "fulfilled" => Fulfillment::Shipped,
            "cancelled" => Fulfillment::Cancelled,
            _ => Fulfillment::Paid,
        };
        let f = store::stored_provider(&market).ok().and_then(|m| unified(m, &status, &raw)).unwrap_or(by_phase);
        set.execute(params![id, f.as_str()])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marketplace_status_reads_as_one_status() {
        use Fulfillment as F;
        let paid_off_site = r#"{"payment":{"status":"Received"}}"#;
        let cases = [
            (Provider::Bricklink, "PENDING", "{}", Some(F::New)),
            (Provider::Bricklink, "PENDING", paid_off_site, Some(F::Paid)),
            (Provider::Bricklink, "PAID", "{}", Some(F::Paid)),
            (Provider::Bricklink, "PACKED", "{}", Some(F::Packed)),
            (Provider::Bricklink, "SHIPPED", "{}", Some(F::Shipped)),
            (Provider::Bricklink, "COMPLETED", "{}", Some(F::Completed)),
            (Provider::Bricklink, "PURGED", "{}", Some(F::Cancelled)),
            (Provider::Bricklink, "NPB", "{}", None),
            (Provider::Brickowl, "Payment Received", "{}", Some(F::Paid)),
            (Provider::Brickowl, "Processed", "{}", Some(F::Packed)),
            (Provider::Brickowl, "Shipped", "{}", Some(F::Shipped)),
            (Provider::Brickowl, "status 8", "{}", Some(F::Cancelled)),
            (Provider::Brickowl, "On Hold", "{}", None),
            (Provider::Allegro, "BOUGHT (unpaid)", "{}", Some(F::New)),
            (Provider::Allegro, "NEW", "{}", Some(F::Paid)),
            (Provider::Allegro, "READY_FOR_SHIPMENT", "{}", Some(F::Packed)),
            (Provider::Allegro, "SENT", "{}", Some(F::Shipped)),
            (Provider::Allegro, "PICKED_UP", "{}", Some(F::Completed)),
            (Provider::Allegro, "CANCELLED", "{}", Some(F::Cancelled)),
            (Provider::Allegro, "SUSPENDED", "{}", None),
        ];
        for (m, status, raw, want) in cases {
            assert_eq!(unified(m, status, raw), want, "{m:?} {status}");
        }
    }

    /// A response recorded from the real marketplace (`../shared/marketplaces/fixtures/real`, beside
    /// the clone: read there, never copied in).
    fn real(path: &str) -> Value {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/marketplaces/fixtures/real").join(path);
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e} (the shared folder sits beside the clone)", file.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    #[test]
    fn shipping_addresses_read_as_labels_from_the_recorded_orders() {
        let order = real("bricklink/jethroo-get-order-15646315.json");
        let (method, address) = bl::shipping(&order["data"]);
        assert_eq!(method.as_deref(), Some("Deutche Post - Oversize Letter"));
        let address = address.expect("an address");
        assert!(address.lines().count() >= 2 && address.ends_with("DE"), "{address}");
        let form = real("allegro/zdrovena-get-checkout-form-detail-production-sanitised.json");
        let (method, address) = al::shipping(&form);
        assert!(method.is_some_and(|m| m.contains("DPD")));
        let address = address.expect("an address");
        assert!(address.contains("Pickup point") && address.lines().count() >= 4, "{address}");
    }
}
