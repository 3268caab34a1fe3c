//! Allegro's offer journal (allegro.md §4), read by its own cursor into the inbox, and the
//! processing of an offer row.
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
//!   pushed there (`sync_state.remote_quantity`, written by `sync/allegro.rs`) is that push coming
//!   back and is noted as such. No offer event ever changes a lot or queues a push: local stock is
//!   the master, and sales arrive as orders.

use std::future::Future;

use brickdesk_ipc::Provider;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::allegro::journal::{read_journal, refused_cursor, write_cursor, Journal};
use crate::allegro::offers::upsert;
use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::allegro_session::Session;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::allegro::{api, convert};
use crate::marketplaces::types::RemoteOffer;
use crate::marketplaces::MarketError;
use crate::orders::inbox::{self, Claim};
use crate::orders::intake::Cycle;

const M: Provider = Provider::Allegro;

/// The offer journal.
pub struct OfferJournal;

impl Journal for OfferJournal {
    const STREAM: &'static str = "offer_events";
    const TRUSTED: chrono::Duration = OFFER_JOURNAL_TRUSTED;

    fn call(from: Option<String>) -> api::Call {
        api::Call::OfferEvents { from, limit: api::EVENTS_MAX }
    }

    fn page(data: serde_json::Value) -> std::result::Result<convert::EventsPage, MarketError> {
        convert::offer_events(data)
    }

    fn restart<'a>(
        gw: &'a Gateway,
        session: &'a Session,
        cycle: &'a mut Cycle,
        cursor: Option<String>,
    ) -> impl Future<Output = std::result::Result<(), CallError>> + Send + 'a {
        rebuild(gw, session, cycle, cursor)
    }
}

/// Allegro keeps offer events 24 hours (allegro.md §4); an hour of margin.
const OFFER_JOURNAL_TRUSTED: chrono::Duration = chrono::Duration::hours(23);

/// Reads the offer journal from the cursor to its end into the inbox (rebuilding the offers from
/// the list first when the cursor cannot be trusted).
pub async fn feed_offers(gw: &Gateway, session: &Session, cycle: &mut Cycle) -> std::result::Result<(), CallError> {
    read_journal::<OfferJournal>(gw, session, cycle).await
}

/// The barrier (the journal read to its end, from `cursor` while Allegro still takes it, else
/// from its start), then every offer listed; the cursor becomes the barrier.
async fn rebuild(gw: &Gateway, session: &Session, cycle: &mut Cycle, cursor: Option<String>) -> std::result::Result<(), CallError> {
    tracing::info!(account = %gw.account, had_cursor = cursor.is_some(), "Allegro: rebuilding the offers from the offer list");
    let mut barrier = cursor;
    loop {
        let data = match gw.allegro(session, &OfferJournal::call(barrier.clone())).await {
            Ok(d) => d,
            Err(e) if barrier.is_some() && refused_cursor(&e) => {
                barrier = None;
                continue;
            }
            Err(e) => return Err(e),
        };
        let page = OfferJournal::page(data)?;
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
            write_cursor(tx, &account, OfferJournal::STREAM, barrier.as_deref(), now)?;
            Ok(())
        })
        .await?;
    Ok(())
}

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
