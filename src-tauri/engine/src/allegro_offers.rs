//! Allegro's offer side: the offer journal read by its own cursor, the local copy of the seller's
//! offers (`allegro_offers`), and which lot each offer sells.
//!
//! - *Journal*: `GET /sale/offer-events?from=<cursor>` pages of up to 1,000 events; each event is
//!   one inbox row of kind `offer` (dedupe key `{account}:{type}:{offer id}:{occurredAt}`, event
//!   id kept), and the cursor (`poll_cursors`, stream `offer_events`) advances in the same
//!   transaction. Types BrickDesk does not know are stored as `unknown` (listed, never processed);
//!   a malformed event is stored failed and fails alone.
//! - *Rebuild*: Allegro keeps offer events 24 hours. A cursor last advanced 23 hours ago or more,
//!   none at all, or a `from` Allegro refuses: read the journal to its end first (the *barrier*;
//!   those events are not stored — the list answers them), then list every offer
//!   (`GET /sale/offers`, paged) into `allegro_offers`; the cursor becomes the barrier. Whatever
//!   happens during the listing is replayed from the barrier, and processing is idempotent.
//! - *Processing* an offer row: events carry no stock or price, so the offer is fetched
//!   (`GET /sale/product-offers/{id}`) and stored; every other waiting row about the same offer is
//!   answered by that fetch. An `OFFER_STOCK_CHANGED` whose stock is what BrickDesk itself last
//!   pushed there (`sync_state.remote_quantity`, written by `sync_allegro.rs`) is that push coming
//!   back and is noted as such. No offer event ever changes a lot or queues a push: local stock is
//!   the master, and sales arrive as orders.
//! - *Links*: an offer sells the lot [`convert::offer_lot_hints`] names — the seller's link
//!   (`allegro_offer_links`) first, then its signature (`external.id`: a BrickDesk lot id, or
//!   `bl-<BrickLink lot id>`) — the same rule, and the same look-up, as order lines.

use brickdesk_ipc::{AllegroOffer, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::allegro::{read_journal, refused_cursor, write_cursor, Journal, Session};
use crate::clock::format_ts;
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::inbox::{self, Claim};
use crate::marketplaces::allegro::{api, convert};
use crate::marketplaces::types::{LotHint, RemoteOffer};
use crate::money::MoneyE4;
use crate::poller::Cycle;

const M: Provider = Provider::Allegro;
/// Allegro keeps offer events 24 hours (allegro.md §4); an hour of margin.
pub(crate) const OFFER_JOURNAL_TRUSTED: chrono::Duration = chrono::Duration::hours(23);

// ---- The journal ----

/// Reads the offer journal from the cursor to its end into the inbox (rebuilding the offers from
/// the list first when the cursor cannot be trusted).
pub async fn feed_offers(gw: &Gateway, session: &Session, cycle: &mut Cycle) -> std::result::Result<(), CallError> {
    read_journal(gw, session, cycle, Journal::Offers).await
}

/// The barrier (the journal read to its end, from `cursor` while Allegro still takes it, else
/// from its start), then every offer listed; the cursor becomes the barrier.
pub(crate) async fn rebuild(
    gw: &Gateway,
    session: &Session,
    cycle: &mut Cycle,
    cursor: Option<String>,
) -> std::result::Result<(), CallError> {
    tracing::info!(account = %gw.account, had_cursor = cursor.is_some(), "Allegro: rebuilding the offers from the offer list");
    let mut barrier = cursor;
    loop {
        let data = match gw.allegro(session, &Journal::Offers.call(barrier.clone())).await {
            Ok(d) => d,
            Err(e) if barrier.is_some() && refused_cursor(&e) => {
                barrier = None;
                continue;
            }
            Err(e) => return Err(e),
        };
        let page = Journal::Offers.page(data)?;
        if page.last_id.is_some() {
            barrier = page.last_id;
        }
        if page.count < api::EVENTS_MAX as usize {
            break;
        }
    }
    let mut offers = Vec::new();
    let mut offset = 0u32;
    loop {
        let call = api::Call::Offers { offset, limit: api::OFFERS_MAX };
        let (page, total) = convert::offers(gw.allegro(session, &call).await?)?;
        let n = page.len() as u32;
        offers.extend(page);
        offset += n;
        if n == 0 || i64::from(offset) >= total {
            break;
        }
    }
    cycle.report.fetched += offers.len() as i64;
    let (account, now) = (gw.account.clone(), gw.clock.now());
    gw.store
        .write(move |tx| {
            let listed: Vec<&str> = offers.iter().map(|o| o.offer_id.as_str()).collect();
            for o in &offers {
                upsert(tx, &account, o, now)?;
            }
            // Offers of this account the list no longer has were archived (or deleted) on Allegro.
            tx.execute(
                "UPDATE allegro_offers SET status = 'ARCHIVED', updated_at = ?3
                 WHERE account = ?1 AND status != 'ARCHIVED' AND offer_id NOT IN (SELECT value FROM json_each(?2))",
                params![account, serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into()), format_ts(now)],
            )?;
            write_cursor(tx, &account, Journal::Offers, barrier.as_deref(), now)?;
            Ok(())
        })
        .await?;
    Ok(())
}

// ---- Processing an offer row ----

/// Fetches the offer a claimed row names and stores it; completes the row (noting BrickDesk's own
/// push coming back) and every other waiting row about the offer, in one transaction.
pub async fn process(gw: &Gateway, session: &Session, claim: &Claim) -> std::result::Result<(), CallError> {
    let fetched = match gw.allegro(session, &api::Call::ProductOffer(claim.resource_id.clone())).await {
        Ok(data) => Some(convert::product_offer(data)?),
        // Gone from Allegro (archived or deleted): known as archived, the row is answered.
        Err(CallError::Market(e)) if e.is_not_found() => None,
        Err(e) => return Err(e),
    };
    let (account, id, offer_id, now) = (gw.account.clone(), claim.id, claim.resource_id.clone(), gw.clock.now());
    gw.store
        .write(move |tx| {
            let event_type: String = tx.query_row("SELECT event_type FROM inbox WHERE id = ?1", [id], |r| r.get(0))?;
            let note = match &fetched {
                Some(o) => {
                    upsert(tx, &account, o, now)?;
                    echo_note(tx, &event_type, o)?
                }
                None => {
                    tx.execute(
                        "UPDATE allegro_offers SET status = 'ARCHIVED', updated_at = ?2 WHERE offer_id = ?1",
                        params![offer_id, format_ts(now)],
                    )?;
                    Some("the offer no longer exists on Allegro".to_string())
                }
            };
            inbox::complete(tx, id, now)?;
            if let Some(note) = note {
                tx.execute("UPDATE inbox SET note = ?2 WHERE id = ?1", params![id, note])?;
            }
            // The offer as fetched now answers every other waiting event about it.
            tx.execute(
                "UPDATE inbox SET status = 'completed', last_error = NULL, next_attempt_at = NULL, updated_at = ?4
                 WHERE marketplace = ?1 AND account = ?2 AND resource_id = ?3 AND kind = 'offer' AND status IN ('pending', 'failed')
                   AND permanent = 0",
                params![M.as_str(), account, offer_id, format_ts(now)],
            )?;
            Ok(())
        })
        .await?;
    Ok(())
}

/// An `OFFER_STOCK_CHANGED` whose stock is what BrickDesk last pushed to the offer: its own push
/// coming back (allegro.md §4: ignore events that match the value you just wrote).
fn echo_note(tx: &Transaction<'_>, event_type: &str, o: &RemoteOffer) -> Result<Option<String>> {
    if event_type != "OFFER_STOCK_CHANGED" {
        return Ok(None);
    }
    let pushed: Option<Option<i64>> = tx
        .query_row(
            "SELECT remote_quantity FROM sync_state WHERE marketplace = 'allegro' AND remote_id = ?1 ORDER BY updated_at DESC LIMIT 1",
            [&o.offer_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match (pushed.flatten(), o.stock_available) {
        (Some(pushed), Some(now)) if pushed == now => Some(format!("BrickDesk's own stock push ({pushed}) coming back; nothing to do")),
        _ => None,
    })
}

/// What the offer's signature names, as `allegro_offers` keeps it for looking a lot's offers up
/// (`sync_allegro::OFFERS_OF_LOT`): the lot (`bd-<id>`, a bare id) or the BrickLink lot
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
            crate::sync_allegro::offer_stock_unknown(tx, lot, now)?;
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
fn queue_if_first_seen_selling(tx: &Transaction<'_>, offer: &str, external_id: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    let Some((lot, _)) = lot_of_offer(tx, offer, external_id)? else { return Ok(()) };
    let tracked: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM sync_state WHERE inventory_id = ?1 AND marketplace = 'allegro' AND remote_id = ?2)
                 OR EXISTS (SELECT 1 FROM outbox WHERE inventory_id = ?1 AND marketplace = 'allegro' AND status = 'pending')",
        )?
        .query_row(params![lot, offer], |r| r.get(0))?;
    if !tracked {
        crate::sync::nudge_in_flight(tx, lot, Provider::Allegro)?;
        crate::sync::mark_due_for(tx, lot, &[Provider::Allegro], now)?;
    }
    Ok(())
}

/// Stores the offer as Allegro states it (name, price, stock, status, signature).
fn upsert(tx: &Transaction<'_>, account: &str, o: &RemoteOffer, now: DateTime<Utc>) -> Result<()> {
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
/// follow ([`convert::offer_lot_hints`], `orders::lot_and_hint`).
pub fn lot_of_offer(c: &Connection, offer_id: &str, external_id: Option<&str>) -> Result<Option<(i64, &'static str)>> {
    let hints = convert::offer_lot_hints(offer_id, external_id);
    Ok(crate::orders::lot_and_hint(c, &hints)?.map(|(lot, hint)| {
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
    crate::sync::mark_due(tx, lot, now)?;
    Ok(())
}
