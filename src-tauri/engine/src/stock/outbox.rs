//! What each marketplace is owed for each lot: the `outbox` queue's marks, written inside the
//! transaction of the change that makes a lot due, and the sync status read back from it.
//!
//! - *Taking part*: a marketplace whose store was imported (linked) once (`sync.linked.<m>` in
//!   settings). Never before, so BrickDesk cannot list duplicates of lots a store already has.
//! - *Due*: every ledger entry of a lot calls [`mark_due`] in its own transaction: one [`QUEUE`]
//!   row per (lot, marketplace) remembers the newest ledger sequence number the marketplace must
//!   reflect. A burst of edits is one row, due [`DEBOUNCE`] after the last one.
//! - *A sale on a marketplace*: an order from marketplace M already took its pieces off M's lot:
//!   [`record_marketplace_sale`] books that, so M is not decremented twice while the others are
//!   brought down.
//! - Allegro takes part per lot, not per store: a lot is due for it when an offer may be sold from
//!   it ([`is_due`], over [`OFFERS_OF_LOT`]).
//!
//! The pushes themselves are `sync/`'s. Nothing here calls a marketplace.

use brickdesk_ipc::{LotSync, Provider, SyncStatusEntry};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, params, Connection, Transaction};
use serde_json::{json, Value};

use crate::base::clock::format_ts;
use crate::base::money::MoneyE4;
use crate::error::Result;
use crate::store::queue::Queue;

/// A lot is pushed this long after its last change (a burst of edits is one push).
pub const DEBOUNCE: chrono::Duration = chrono::Duration::seconds(2);

pub const QUEUE: Queue = Queue {
    table: "outbox",
    done: "done",
    max_attempts: 6,
    lease: chrono::Duration::minutes(10),
    first_backoff: chrono::Duration::minutes(1),
    rearm_after: chrono::Duration::minutes(15),
};

/// Marketplaces that take part in sync.
pub fn targets(c: &rusqlite::Connection) -> Result<Vec<Provider>> {
    let mut st = c.prepare_cached("SELECT substr(key, 13) FROM settings WHERE key LIKE 'sync.linked.%' ORDER BY key")?;
    let names = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names.iter().filter_map(|n| Provider::parse(n)).collect())
}

/// The marketplaces a lot's change may be due for: those in sync ([`targets`]), and Allegro when
/// an offer could be sold from some lot ([`any_offer`]); most stores have
/// none, and then no lot pays for Allegro's look-ups (an import would, 100,000 times).
pub fn due_targets(c: &rusqlite::Connection) -> Result<Vec<Provider>> {
    let mut t = targets(c)?;
    if any_offer(c)? {
        t.push(Provider::Allegro);
    }
    Ok(t)
}

/// `m`'s store was imported: from now on its lots follow local changes.
pub fn link_marketplace(tx: &Transaction<'_>, m: Provider, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        params![format!("sync.linked.{}", m.as_str()), format_ts(now)],
    )?;
    Ok(())
}

/// The lot changed (its newest ledger entry is in this transaction): due for every marketplace
/// that takes part, [`DEBOUNCE`] from now. A row being pushed right now keeps its claim; the push
/// sees the newer sequence number and the row comes due again after it.
pub fn mark_due(tx: &Transaction<'_>, lot: i64, now: DateTime<Utc>) -> Result<()> {
    mark_due_for(tx, lot, &due_targets(tx)?, now)
}

/// [`mark_due`] for the marketplaces `targets` only (a change only they care about: an Allegro
/// offer found, an unpaid Allegro purchase).
pub fn mark_due_for(tx: &Transaction<'_>, lot: i64, targets: &[Provider], now: DateTime<Utc>) -> Result<()> {
    if targets.is_empty() {
        return Ok(());
    }
    let seq: i64 = tx.prepare_cached("SELECT COALESCE(max(seq), 0) FROM ledger WHERE inventory_id = ?1")?.query_row([lot], |r| r.get(0))?;
    mark_due_at(tx, lot, seq, targets, now)
}

/// [`mark_due`] for the marketplaces `targets`, when the caller knows the lot's newest sequence
/// number (an import, which asks for the targets once per chunk). Allegro is due besides them when
/// an offer is sold from the lot (one indexed look-up).
pub fn mark_due_at(tx: &Transaction<'_>, lot: i64, seq: i64, targets: &[Provider], now: DateTime<Utc>) -> Result<()> {
    let allegro = (targets.contains(&Provider::Allegro) && is_due(tx, lot)?).then_some(Provider::Allegro);
    for m in targets.iter().copied().filter(|m| *m != Provider::Allegro).chain(allegro) {
        tx.prepare_cached(
            "INSERT INTO outbox (inventory_id, marketplace, due_seq, next_attempt_at, created_at, updated_at)
             VALUES (:lot, :m, :seq, :due, :now, :now)
             ON CONFLICT (inventory_id, marketplace) DO UPDATE SET
                 due_seq = max(due_seq, excluded.due_seq),
                 updated_at = excluded.updated_at,
                 status = CASE WHEN status = 'processing' THEN status ELSE 'pending' END,
                 attempts = CASE WHEN status = 'processing' THEN attempts ELSE 0 END,
                 last_error = CASE WHEN status = 'processing' THEN last_error ELSE NULL END,
                 permanent = CASE WHEN status = 'processing' THEN permanent ELSE 0 END,
                 next_attempt_at = CASE WHEN status = 'processing' THEN next_attempt_at ELSE excluded.next_attempt_at END",
        )?
        .execute(named_params! {":lot": lot, ":m": m.as_str(), ":seq": seq, ":due": format_ts(now + DEBOUNCE), ":now": format_ts(now)})?;
    }
    Ok(())
}

/// Lot `lot`'s push to `m`, if one is in flight, read the lot (or `m`'s copy) before a change that
/// writes no ledger entry, so its sequence number cannot say so: when that push ends, what it
/// sent is not taken as what `m` holds, and the row is due again at once.
pub fn nudge_in_flight(tx: &Transaction<'_>, lot: i64, m: Provider) -> Result<()> {
    tx.prepare_cached("UPDATE outbox SET nudges = nudges + 1 WHERE inventory_id = ?1 AND marketplace = ?2 AND status = 'processing'")?
        .execute(params![lot, m.as_str()])?;
    Ok(())
}

/// An order from marketplace `m` moved `delta` pieces of `lot` into (positive) or out of
/// (negative) a reservation: `m` already did the same to its own copy of the lot. A push of the
/// lot to `m` in flight started from what `m` held before, and its answer would be stored as what
/// `m` holds (the next delta would take the order's pieces off a second time): it is nudged, so
/// the next push reads `m`'s copy first.
///
/// A sale the last read-back of the lot already counted (its order was listed around the read,
/// not booked yet: `sync_counted_sales`) is in that figure: booking it takes nothing off again.
pub fn record_marketplace_sale(tx: &Transaction<'_>, lot: i64, m: Provider, order: i64, delta: i64) -> Result<()> {
    let counted = || -> Result<bool> {
        Ok(tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sync_counted_sales c JOIN orders o ON o.external_id = c.order_id AND o.marketplace = c.marketplace
                                WHERE c.inventory_id = ?1 AND c.marketplace = ?2 AND o.id = ?3)",
            )?
            .query_row(params![lot, m.as_str(), order], |r| r.get(0))?)
    };
    if m == Provider::Allegro {
        // Allegro's stock is set whole: a PATCH sent before this sale was read may have set it
        // over the sale, so what the offer holds is read again before the next push.
        tx.prepare_cached("UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = ?2")?
            .execute(params![lot, m.as_str()])?;
    } else if delta <= 0 || !counted()? {
        tx.prepare_cached(
            "UPDATE sync_state SET remote_quantity = max(remote_quantity - ?3, 0)
             WHERE inventory_id = ?1 AND marketplace = ?2 AND remote_quantity IS NOT NULL",
        )?
        .execute(params![lot, m.as_str(), delta])?;
    }
    nudge_in_flight(tx, lot, m)
}

/// Order `external_id` of `m` is booked: no read-back counts it any more (see
/// [`record_marketplace_sale`]).
pub fn forget_counted_sale(tx: &Transaction<'_>, m: Provider, external_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_counted_sales WHERE marketplace = ?1 AND order_id = ?2")?
        .execute(params![m.as_str(), external_id])?;
    Ok(())
}

/// The fields BrickDesk pushes besides the quantity, as last pushed or as they stand now.
/// `remarks` is the location: the tag rides along only on a create (see [`plan`]).
pub fn pushed_fields(price_e4: i64, location: &str, description: &str, condition: &str) -> Value {
    json!({
        "unit_price": MoneyE4(price_e4).to_string_with(4),
        "remarks": location,
        "description": description,
        "condition": condition,
    })
}

/// Makes lots whose debounce has not run out due now (the seller's `sync run`: push now). Rows
/// backing off after a failure or waiting for a budget keep their time.
pub fn skip_debounce(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE outbox SET next_attempt_at = NULL WHERE status = 'pending' AND last_error IS NULL AND next_attempt_at > ?1",
        [format_ts(now)],
    )?)
}

/// Per lot and marketplace: synced / pending / failed (lots of `only`, or all).
pub fn status_of(c: &rusqlite::Connection, only: Option<i64>) -> Result<Vec<SyncStatusEntry>> {
    match only {
        None => status_where(c, None),
        Some(id) => status_where(c, Some(&[id])),
    }
}

/// [`status_of`] for every lot (`None`) or the lots named: each lot named is found on its index,
/// so a page of the inventory view costs the same in a store of 100 lots as of 100,000.
fn status_where(c: &rusqlite::Connection, ids: Option<&[i64]>) -> Result<Vec<SyncStatusEntry>> {
    let (o, s, json) = match ids {
        None => ("1", "1", None),
        Some(ids) => (
            "o.inventory_id IN (SELECT value FROM json_each(?1))",
            "s.inventory_id IN (SELECT value FROM json_each(?1))",
            Some(serde_json::Value::from(ids.to_vec()).to_string()),
        ),
    };
    let mut st = c.prepare_cached(&format!(
        "SELECT o.inventory_id, o.marketplace, o.status, o.next_attempt_at, o.attempts, o.last_error, s.remote_id
         FROM outbox o LEFT JOIN sync_state s ON s.inventory_id = o.inventory_id AND s.marketplace = o.marketplace
         WHERE {o}
         UNION ALL
         SELECT s.inventory_id, s.marketplace, 'done', NULL, 0, NULL, s.remote_id FROM sync_state s
         WHERE {s} AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = s.inventory_id AND o.marketplace = s.marketplace)
         ORDER BY 1, 2"
    ))?;
    let entry = |r: &rusqlite::Row<'_>| {
        let (queue, next): (String, Option<String>) = (r.get(2)?, r.get(3)?);
        let status = match (queue.as_str(), next) {
            ("done", _) => "synced",
            ("failed", None) => "failed",
            _ => "pending",
        };
        let market: String = r.get(1)?;
        Ok(SyncStatusEntry {
            inventory_id: r.get(0)?,
            order_id: None,
            marketplace: crate::store::stored_provider(&market)?,
            status: status.into(),
            remote_id: r.get(6)?,
            attempts: r.get(4)?,
            last_error: r.get(5)?,
        })
    };
    let rows = match json {
        None => st.query_map([], entry)?.collect::<rusqlite::Result<Vec<_>>>()?,
        Some(j) => st.query_map([j], entry)?.collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

/// The chips of the inventory view, per lot: of every lot (`None`) or of the lots named.
pub fn lot_chips(c: &rusqlite::Connection, ids: Option<&[i64]>) -> Result<std::collections::HashMap<i64, Vec<LotSync>>> {
    let mut out: std::collections::HashMap<i64, Vec<LotSync>> = std::collections::HashMap::new();
    for e in status_where(c, ids)? {
        let Some(lot) = e.inventory_id else { continue };
        out.entry(lot).or_default().push(LotSync {
            marketplace: e.marketplace,
            status: e.status,
            remote_id: e.remote_id,
            last_error: e.last_error,
        });
    }
    Ok(out)
}

/// The seller's retry: failed pushes (of lot `lot`, or all) are due now with fresh attempts. A lot
/// named on its own is queued for every marketplace in sync even if nothing failed (a push the
/// seller wants now, or one `doctor` found missing).
pub fn retry(tx: &Transaction<'_>, lot: Option<i64>, now: DateTime<Utc>) -> Result<usize> {
    match lot {
        Some(l) => {
            let failed = QUEUE.retry(tx, None, &format!("inventory_id = {l}"), now)?;
            mark_due(tx, l, now - DEBOUNCE)?;
            Ok(failed.max(1))
        }
        None => QUEUE.retry(tx, None, "1", now),
    }
}

/// The offers that may be sold from lot `?1` (with their signature), best first as
/// `allegro::offers::lot_of_offer` ranks them: the ones the seller linked to it, then those whose
/// signature (`external.id`) names it — its id (`signature_lot`) or its BrickLink lot
/// (`signature_bl_lot`), as `convert::signature_hint` read them when the offer was stored. Each on
/// an index.
pub(crate) const OFFERS_OF_LOT: &str =
    "SELECT l.offer_id, o.external_id, o.status FROM allegro_offer_links l LEFT JOIN allegro_offers o ON o.offer_id = l.offer_id
     WHERE l.inventory_id = ?1
     UNION ALL
     SELECT offer_id, external_id, status FROM allegro_offers WHERE signature_lot = ?1
     UNION ALL
     SELECT o.offer_id, o.external_id, o.status FROM sync_state s JOIN allegro_offers o ON o.signature_bl_lot = s.remote_id
     WHERE s.inventory_id = ?1 AND s.marketplace = 'bricklink' AND s.remote_id IS NOT NULL";

/// Whether any lot may be due for Allegro at all: an offer is known, the seller linked one, or
/// BrickDesk keeps an offer's stock. Three first-row probes on indexes.
pub fn any_offer(c: &Connection) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM allegro_offers) OR EXISTS (SELECT 1 FROM allegro_offer_links)
             OR EXISTS (SELECT 1 FROM sync_state WHERE marketplace = 'allegro')",
    )?
    .query_row([], |r| r.get(0))?)
}

/// Whether a change to `lot` is due for Allegro: an offer may be sold from it (a candidate of
/// [`allegro_offer_of`]; the push decides), or BrickDesk still keeps an offer's stock for it
/// (unlinked since: the push forgets it). One prepared statement on indexes, cheap enough for
/// every lot of an import.
pub fn is_due(c: &Connection, lot: i64) -> Result<bool> {
    Ok(c.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM ({OFFERS_OF_LOT}))
             OR EXISTS (SELECT 1 FROM sync_state WHERE inventory_id = ?1 AND marketplace = 'allegro')"
    ))?
    .query_row([lot], |r| r.get(0))?)
}

/// An Allegro purchase of lot `lot` became unpaid, stopped being so, or changed while unpaid:
/// Allegro moved the offer's stock itself (a purchase takes pieces off; whether a cancelled one
/// gives them back is not documented), so what BrickDesk last pushed says nothing any more.
/// Forgotten, and the lot due for Allegro (the other stores saw no change): the next round sets
/// the offer from the lot (one PATCH, absolute). A push of the lot in flight computed its number
/// before this, so it is followed by one more.
pub fn offer_stock_unknown(tx: &Transaction<'_>, lot: i64, now: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached("UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = 'allegro'")?
        .execute([lot])?;
    nudge_in_flight(tx, lot, Provider::Allegro)?;
    mark_due_for(tx, lot, &[Provider::Allegro], now)
}
