//! The local copy of the seller's Allegro offers (`allegro_offers`), and which lot each offer
//! sells. The journal that fills it is `offer_journal.rs`.
//!
//! - *Links*: an offer sells the lot [`convert::offer_lot_hints`] names — the seller's link
//!   (`allegro_offer_links`) first, then its signature (`external.id`: a BrickDesk lot id, or
//!   `bl-<BrickLink lot id>`) — the same rule, and the same look-up, as order lines.

use brickdesk_ipc::{AllegroOffer, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::base::money::MoneyE4;
use crate::error::{Error, Result};
use crate::marketplaces::allegro::convert;
use crate::marketplaces::types::{LotHint, RemoteOffer};

/// What the offer's signature names, as `allegro_offers` keeps it for looking a lot's offers up
/// (`stock::outbox::OFFERS_OF_LOT`): the lot (`bd-<id>`, a bare id) or the BrickLink lot
/// (`bl-<id>`), read the way order lines read it ([`convert::signature_hint`]).
pub(crate) fn signature_keys(external_id: Option<&str>) -> (Option<i64>, Option<String>) {
    match external_id.and_then(convert::signature_hint) {
        Some(LotHint::Local(lot)) => (Some(lot), None),
        Some(LotHint::BricklinkLot(bl)) => (None, Some(bl)),
        _ => (None, None),
    }
}

/// Every stored offer with a signature, and the signature: what migrations 11 and 12 read again.
fn signed_offers(tx: &Transaction<'_>) -> Result<Vec<(String, Option<String>)>> {
    Ok(tx
        .prepare("SELECT offer_id, external_id FROM allegro_offers WHERE external_id IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Migration 11's step: the signatures stored before it, read once.
pub(crate) fn backfill_signature_keys(tx: &Transaction<'_>) -> Result<()> {
    let offers = signed_offers(tx)?;
    let mut update = tx.prepare("UPDATE allegro_offers SET signature_lot = ?2, signature_bl_lot = ?3 WHERE offer_id = ?1")?;
    for (offer, external_id) in offers {
        let (lot, bl) = signature_keys(external_id.as_deref());
        update.execute(params![offer, lot, bl])?;
    }
    Ok(())
}

/// Migration 12's step, run after every migration (`store::STEPS`): what earlier builds stored
/// is brought to today's rules for Allegro's stock.
/// - An unpaid purchase whose stored form says its fulfillment was cancelled is stored as
///   cancelled (earlier builds kept it unpaid, and it kept its pieces off the offer for good).
/// - Every lot an unpaid purchase held is set again on its offer (its pieces are now counted by
///   lot, so an offer relisted after the one they were bought on ended gets them off too).
/// - An offer that migration 11's lenient reading found selling a lot (signed `BD-042`, say) gets
///   the lot's stock at the next round, as a newly read offer does.
pub(crate) fn requeue_allegro_holds(tx: &Transaction<'_>) -> Result<()> {
    let now = Utc::now();
    let unpaid: Vec<(i64, String, String)> = tx
        .prepare("SELECT id, status, raw FROM orders WHERE marketplace = 'allegro' AND status IN (?1, ?2)")?
        .query_map(params![convert::UNPAID_STATUSES[0], convert::UNPAID_STATUSES[1]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (order, stored, raw) in unpaid {
        let lots: Vec<i64> = tx
            .prepare_cached("SELECT DISTINCT inventory_id FROM order_items WHERE order_id = ?1 AND inventory_id IS NOT NULL")?
            .query_map([order], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // A form that no longer reads (it did when it was stored) is left as it is.
        let now_reads = serde_json::from_str(&raw).ok().and_then(|v| convert::checkout_form(v).ok()).map(|o| o.status);
        if let Some(status) = now_reads.filter(|s| *s != stored) {
            tx.execute("UPDATE orders SET status = ?2 WHERE id = ?1", params![order, status])?;
        }
        for lot in lots {
            crate::stock::outbox::offer_stock_unknown(tx, lot, now)?;
        }
    }
    let offers = signed_offers(tx)?;
    for (offer, external_id) in offers {
        queue_if_first_seen_selling(tx, &offer, external_id.as_deref(), now)?;
    }
    Ok(())
}

/// An offer seen selling a lot for the first time (its signature names the lot, BrickDesk does
/// not keep its stock, and no push of the lot is waiting): the lot's stock goes to it at the next
/// round, not at the lot's next change. Only Allegro is due: the lot did not change. A push of the
/// lot in flight looked its offer up before this one was stored, so one more follows it.
pub(crate) fn queue_if_first_seen_selling(tx: &Transaction<'_>, offer: &str, external_id: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    let Some((lot, _)) = lot_of_offer(tx, offer, external_id)? else { return Ok(()) };
    let tracked: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sync_state WHERE inventory_id = ?1 AND marketplace = 'allegro' AND remote_id = ?2)
                 OR EXISTS (SELECT 1 FROM outbox WHERE inventory_id = ?1 AND marketplace = 'allegro' AND status = 'pending')",
        )?
        .query_row(params![lot, offer], |r| r.get(0))?;
    if !tracked {
        crate::stock::outbox::nudge_in_flight(tx, lot, Provider::Allegro)?;
        crate::stock::outbox::mark_due_for(tx, lot, &[Provider::Allegro], now)?;
    }
    Ok(())
}

/// Stores the offer as Allegro states it (name, price, stock, status, signature).
pub(crate) fn upsert(tx: &Transaction<'_>, account: &str, o: &RemoteOffer, now: DateTime<Utc>) -> Result<()> {
    let (signature_lot, signature_bl_lot) = signature_keys(o.external_id.as_deref());
    tx.prepare_cached(
        "INSERT INTO allegro_offers (offer_id, account, name, price_e4, currency, stock_available, status, external_id, fetched_at, updated_at,
                                     signature_lot, signature_bl_lot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)
         ON CONFLICT (offer_id) DO UPDATE SET account = excluded.account, name = excluded.name, price_e4 = excluded.price_e4,
             currency = excluded.currency, stock_available = excluded.stock_available, status = excluded.status,
             external_id = excluded.external_id, fetched_at = excluded.fetched_at, updated_at = excluded.updated_at,
             signature_lot = excluded.signature_lot, signature_bl_lot = excluded.signature_bl_lot",
    )?
    .execute(params![
        o.offer_id,
        account,
        o.name,
        o.price.map(|p| p.0),
        o.currency,
        o.stock_available,
        o.status,
        o.external_id,
        format_ts(now),
        signature_lot,
        signature_bl_lot
    ])?;
    queue_if_first_seen_selling(tx, &o.offer_id, o.external_id.as_deref(), now)?;
    Ok(())
}

// ---- The offers list and links ----

/// Every known offer, by name, with the lot it sells.
pub fn list(c: &Connection) -> Result<Vec<AllegroOffer>> {
    let ids: Vec<String> = {
        let mut st = c.prepare("SELECT offer_id FROM allegro_offers ORDER BY name, offer_id")?;
        let rows = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    ids.iter().map(|id| get(c, id)).collect()
}

/// One offer with the lot it sells ([`Error::NotFound`] if BrickDesk does not know it).
pub fn get(c: &Connection, offer_id: &str) -> Result<AllegroOffer> {
    type Row = (String, Option<i64>, Option<String>, Option<i64>, String, Option<String>, String);
    let row: Option<Row> = c
        .query_row(
            "SELECT name, price_e4, currency, stock_available, status, external_id, updated_at FROM allegro_offers WHERE offer_id = ?1",
            [offer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((name, price_e4, currency, stock_available, status, external_id, updated_at)) = row else {
        return Err(Error::NotFound { what: "Allegro offer".into(), id: offer_id.into() });
    };
    let linked = lot_of_offer(c, offer_id, external_id.as_deref())?;
    let lot_label = match linked {
        Some((lot, _)) => Some(lot_label(c, lot)?),
        None => None,
    };
    Ok(AllegroOffer {
        offer_id: offer_id.to_string(),
        name,
        price: price_e4.map(|p| MoneyE4(p).to_string_with(2)),
        currency,
        stock_available,
        status,
        external_id,
        lot_id: linked.map(|(lot, _)| lot),
        linked_by: linked.map(|(_, by)| by.to_string()),
        lot_label,
        updated_at,
    })
}

/// The lot an offer sells and how it is linked (`seller` or `signature`): the rule order lines
/// follow ([`convert::offer_lot_hints`], `stock::matching::lot_and_hint`).
pub fn lot_of_offer(c: &Connection, offer_id: &str, external_id: Option<&str>) -> Result<Option<(i64, &'static str)>> {
    let hints = convert::offer_lot_hints(offer_id, external_id);
    Ok(crate::stock::matching::lot_and_hint(c, &hints)?.map(|(lot, hint)| {
        let by = if matches!(hint, LotHint::AllegroOffer(_)) { "seller" } else { "signature" };
        (lot, by)
    }))
}

/// "3001 · 11 Black · N" (the colour's name when the catalog knows it).
fn lot_label(c: &Connection, lot: i64) -> Result<String> {
    let (item_no, color_id, condition, color): (String, i64, String, Option<String>) = c.query_row(
        "SELECT i.item_no, i.color_id, i.condition, (SELECT name FROM catalog_colors WHERE color_id = i.color_id)
         FROM inventory i WHERE i.id = ?1",
        [lot],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let colour = match color {
        Some(name) => format!("{color_id} {name}"),
        None => color_id.to_string(),
    };
    Ok(format!("{item_no} · {colour} · {condition}"))
}

/// The seller links `offer_id` to `lot` (replacing any earlier link of the offer); the lot is due
/// for sync in the same transaction, so its stock reaches the offer.
pub fn link(tx: &Transaction<'_>, offer_id: &str, lot: i64, now: DateTime<Utc>) -> Result<()> {
    let known: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM allegro_offers WHERE offer_id = ?1)", [offer_id], |r| r.get(0))?;
    if !known {
        return Err(Error::NotFound { what: "Allegro offer".into(), id: offer_id.into() });
    }
    let live: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM inventory WHERE id = ?1 AND deleted_at IS NULL)", [lot], |r| r.get(0))?;
    if !live {
        return Err(Error::NotFound { what: "lot".into(), id: lot.to_string() });
    }
    tx.execute(
        "INSERT INTO allegro_offer_links (offer_id, inventory_id, linked_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (offer_id) DO UPDATE SET inventory_id = excluded.inventory_id, linked_at = excluded.linked_at",
        params![offer_id, lot, format_ts(now)],
    )?;
    crate::stock::outbox::mark_due(tx, lot, now)?;
    Ok(())
}
