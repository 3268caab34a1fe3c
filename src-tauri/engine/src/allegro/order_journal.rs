//! Allegro's order journal (allegro.md §3): `GET /order/events?from=<cursor>`; each event becomes
//! one inbox row (dedupe key `{account}:{type}:{checkout form id}:{occurredAt}`, event id kept).
//!
//! - *Bootstrap* (first link; a cursor the journal no longer keeps, or older than its 60 days):
//!   the newest event id first (the barrier), then the open checkout forms, each becoming an
//!   inbox row unless known and unchanged, and every purchase stored unpaid read again (no
//!   snapshot lists it); the cursor becomes the barrier. Whatever happens during the snapshot is
//!   replayed from the barrier, and processing is idempotent.

use std::future::Future;

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};

use crate::allegro::journal::{read_journal, write_cursor, Journal};
use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::allegro_session::Session;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::allegro::{api, convert};
use crate::marketplaces::types::RemoteNotification;
use crate::marketplaces::MarketError;
use crate::orders::inbox;
use crate::orders::intake::Cycle;

const M: Provider = Provider::Allegro;
/// How long Allegro keeps order events (allegro.md §3.1), less a day of margin: a cursor last
/// advanced longer ago than this is not trusted to be in the journal any more.
const ORDER_JOURNAL_TRUSTED: chrono::Duration = chrono::Duration::days(59);
/// Fulfillment statuses of paid orders that still hold stock: the bootstrap's open snapshot.
const OPEN_FULFILLMENT: [&str; 4] = ["NEW", "PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP"];
/// Checkout form lists page by `offset`, which may not pass 10,000 (allegro.md §3.4).
const FORMS_OFFSET_MAX: u32 = 10_000;
/// The order journal.
pub struct OrderJournal;

impl Journal for OrderJournal {
    const STREAM: &'static str = "order_events";
    const TRUSTED: chrono::Duration = ORDER_JOURNAL_TRUSTED;

    fn call(from: Option<String>) -> api::Call {
        api::Call::OrderEvents { from, limit: api::EVENTS_MAX }
    }

    fn page(data: serde_json::Value) -> std::result::Result<convert::EventsPage, MarketError> {
        convert::order_events(data)
    }

    fn restart<'a>(
        gw: &'a Gateway,
        session: &'a Session,
        cycle: &'a mut Cycle,
        cursor: Option<String>,
    ) -> impl Future<Output = std::result::Result<(), CallError>> + Send + 'a {
        bootstrap(gw, session, cycle, cursor.is_some())
    }
}

/// Reads the order journal from the cursor to its end into the inbox.
pub async fn feed_orders(gw: &Gateway, session: &Session, cycle: &mut Cycle) -> std::result::Result<(), CallError> {
    read_journal::<OrderJournal>(gw, session, cycle).await
}

/// The barrier, then the open snapshot; the cursor becomes the barrier.
async fn bootstrap(gw: &Gateway, session: &Session, cycle: &mut Cycle, had_cursor: bool) -> std::result::Result<(), CallError> {
    tracing::info!(account = %gw.account, had_cursor, "Allegro: bootstrapping the order journal from a snapshot");
    let barrier = convert::latest_event(gw.allegro(session, &api::Call::OrderEventStats).await?)?;
    let mut refs = Vec::new();
    for fulfillment in OPEN_FULFILLMENT {
        let mut offset = 0u32;
        loop {
            let call = api::Call::PaidCheckoutForms { fulfillment, offset, limit: api::FORMS_MAX };
            let (page, total) = convert::checkout_forms(gw.allegro(session, &call).await?)?;
            let n = page.len() as u32;
            refs.extend(page);
            offset += n;
            if n == 0 || i64::from(offset) >= total || offset + api::FORMS_MAX > FORMS_OFFSET_MAX {
                break;
            }
        }
    }
    cycle.report.fetched += refs.len() as i64;
    let (account, now) = (gw.account.clone(), gw.clock.now());
    let stored = gw
        .store
        .write(move |tx| {
            // Open locally but not in the snapshot: it changed while nobody read the journal.
            let mut entries = crate::orders::intake::reconcile_entries(tx, M, &account, refs, true, now)?;
            entries.extend(unpaid_to_read_again(tx, &account, now)?);
            let stored = inbox::store_all(tx, M, &account, &entries, now)?;
            tx.execute(
                "DELETE FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = ?3",
                params![M.as_str(), account, OrderJournal::STREAM],
            )?;
            write_cursor(tx, &account, OrderJournal::STREAM, barrier.as_deref(), now)?;
            Ok(stored)
        })
        .await?;
    cycle.report.stored += stored.new;
    cycle.report.duplicates += stored.duplicates;
    Ok(())
}

/// An inbox row for each purchase stored unpaid: the snapshot lists paid forms only, and what
/// became of these while the journal went unread (paid, cancelled) is in no event any more, yet
/// each keeps its pieces off its offer until BrickDesk hears of it. Read again, each one.
fn unpaid_to_read_again(tx: &Transaction<'_>, account: &str, now: DateTime<Utc>) -> Result<Vec<RemoteNotification>> {
    let ids = tx
        .prepare_cached("SELECT external_id FROM orders WHERE marketplace = ?1 AND account = ?2 AND status IN (?3, ?4)")?
        .query_map(params![M.as_str(), account, convert::UNPAID_STATUSES[0], convert::UNPAID_STATUSES[1]], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let detected = format_ts(now);
    let mut entries = Vec::new();
    for id in ids {
        // One is already waiting (the snapshot's own, or a failed row re-armed instead).
        if !inbox::wants_row(tx, M, account, &id, now)? {
            continue;
        }
        let raw = serde_json::json!({"source": "order snapshot", "order_id": id, "stored": "unpaid"});
        entries.push(crate::orders::intake::order_row("Reconcile", &id, &detected, raw));
    }
    Ok(entries)
}
