//! Allegro's journals, read the same way (allegro.md §3, §4): pages of up to 1,000 events from a
//! cursor in `poll_cursors`, each event one inbox row, the cursor advanced in the transaction
//! storing them, so a process killed anywhere neither loses nor doubles an event. A [`Journal`]
//! says how one differs: its cursor's row, how long Allegro keeps it, and how reading starts again
//! when the cursor cannot be trusted (`order_journal.rs`, `offer_journal.rs`). This file names
//! neither.

use std::future::Future;

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::allegro_session::Session;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::allegro::{api, convert};
use crate::marketplaces::MarketError;
use crate::orders::inbox;
use crate::orders::intake::Cycle;

const M: Provider = Provider::Allegro;

/// One of Allegro's journals.
pub trait Journal {
    /// The cursor's row in `poll_cursors`.
    const STREAM: &'static str;
    /// A cursor last advanced longer ago than this is not trusted to be in the journal any more.
    const TRUSTED: chrono::Duration;
    /// The journal's page after the event `from` (none: from the oldest kept).
    fn call(from: Option<String>) -> api::Call;
    fn page(data: serde_json::Value) -> std::result::Result<convert::EventsPage, MarketError>;
    /// Reads again from a snapshot when the cursor cannot be trusted (`cursor`: the one that
    /// was, if any).
    fn restart<'a>(
        gw: &'a Gateway,
        session: &'a Session,
        cycle: &'a mut Cycle,
        cursor: Option<String>,
    ) -> impl Future<Output = std::result::Result<(), CallError>> + Send + 'a;
}

/// Whether Allegro refused the journal cursor `from`: the journal no longer has the event it names
/// (what Allegro answers then is undocumented: any 4xx but 406 is taken as that).
pub fn refused_cursor(e: &CallError) -> bool {
    matches!(e, CallError::Market(MarketError::Rejected { envelope, .. }) if (400..500).contains(&envelope.code) && envelope.code != 406)
}

/// Reads journal `J` from its cursor to its end into the inbox, starting again first when the
/// cursor cannot be trusted (none, or older than the journal keeps) or when Allegro refuses it.
pub async fn read_journal<J: Journal>(gw: &Gateway, session: &Session, cycle: &mut Cycle) -> std::result::Result<(), CallError> {
    let (cursor, last_ok) = read_cursor(gw, J::STREAM).await?;
    let trusted = last_ok.is_some_and(|t| gw.clock.now() - t < J::TRUSTED);
    let mut restarted = false;
    if !trusted {
        J::restart(gw, session, cycle, cursor).await?;
        restarted = true;
    }
    loop {
        let (from, _) = read_cursor(gw, J::STREAM).await?;
        let data = match gw.allegro(session, &J::call(from.clone())).await {
            Ok(d) => d,
            Err(e) if from.is_some() && !restarted && refused_cursor(&e) => {
                tracing::warn!(error = %e, stream = J::STREAM, "Allegro refused the journal cursor; starting again");
                // The refused cursor is no barrier to start from.
                J::restart(gw, session, cycle, None).await?;
                restarted = true;
                continue;
            }
            Err(e) => return Err(e),
        };
        let page = J::page(data)?;
        cycle.report.fetched += page.count as i64;
        let (account, now) = (gw.account.clone(), gw.clock.now());
        let full = page.count >= api::EVENTS_MAX as usize;
        let stored = gw
            .store
            .write(move |tx| {
                let stored = inbox::store_all(tx, M, &account, &page.entries, now)?;
                write_cursor(tx, &account, J::STREAM, page.last_id.as_deref().or(from.as_deref()), now)?;
                Ok(stored)
            })
            .await?;
        cycle.report.stored += stored.new;
        cycle.report.duplicates += stored.duplicates;
        if !full {
            return Ok(());
        }
    }
}

/// The cursor of `stream` (none: from the oldest event kept) and when it last advanced.
async fn read_cursor(gw: &Gateway, stream: &'static str) -> Result<(Option<String>, Option<DateTime<Utc>>)> {
    let account = gw.account.clone();
    gw.store
        .read(move |c| {
            let row: Option<(Option<String>, Option<String>)> = c
                .query_row(
                    "SELECT cursor, last_ok_at FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = ?3",
                    params![M.as_str(), account, stream],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (cursor, at) = row.unwrap_or_default();
            Ok((cursor, at.and_then(|t| t.parse().ok())))
        })
        .await
}

/// Sets the cursor (ids are opaque: the last one seen, never compared) and when it was read.
pub fn write_cursor(tx: &Transaction<'_>, account: &str, stream: &str, cursor: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO poll_cursors (marketplace, account, stream, cursor, last_ok_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (marketplace, account, stream) DO UPDATE SET cursor = excluded.cursor, last_ok_at = excluded.last_ok_at",
        params![M.as_str(), account, stream, cursor, format_ts(now)],
    )?;
    Ok(())
}
