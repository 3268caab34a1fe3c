//! The inbox: every notification or order-list entry a marketplace gives us, stored before it is
//! processed. It is a [`Queue`] (claim with a lease, complete, fail with backoff, wait, re-arm,
//! recover); this file adds what is particular to notifications.
//!
//! - A *notification* is one entry; its *dedupe key* is `{account}:{event_type}:{resource_id}:{timestamp}`,
//!   so seeing it again in a later poll stores nothing new — but it *re-arms* the row if it had
//!   given up (at most every 15 minutes): an order the marketplace still names is never given up
//!   for good, and the first try after an outage lands it.
//! - Only `order` and `offer` (Allegro's offer journal) rows are processed; message, feedback and
//!   unknown rows are kept as `stored` (the window lists messages and feedback).
//! - A process that dies mid-processing leaves rows in `processing`; [`recover`] hands them back
//!   once their holder is gone. Processing is idempotent, so a second run changes nothing.

use brickdesk_ipc::{InboxEntry, NotificationFailure, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::Result;
use crate::marketplaces::types::{NotificationKind, RemoteNotification};
use crate::store::queue::{Claim as QueueClaim, Queue};
use crate::store::Store;

pub const MAX_ATTEMPTS: i64 = 5;

/// The inbox as a queue: 5 attempts, backoff 1, 2, 4, 8 minutes, a claim held for 10 minutes;
/// a row that gave up gets one more attempt when the marketplace names its order again, at most
/// every 15 minutes (at 2–3 calls an attempt, under 300 calls a day for an order that never
/// works, against BrickLink's 5,000).
pub const QUEUE: Queue = Queue {
    table: "inbox",
    done: "completed",
    max_attempts: MAX_ATTEMPTS,
    lease: chrono::Duration::minutes(10),
    first_backoff: chrono::Duration::minutes(1),
    rearm_after: chrono::Duration::minutes(15),
};

pub fn dedupe_key(account: &str, event_type: &str, resource_id: &str, timestamp: &str) -> String {
    format!("{account}:{event_type}:{resource_id}:{timestamp}")
}

/// How a batch of fetched notifications landed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub new: i64,
    pub duplicates: i64,
    /// Duplicates of order rows that had given up, made due again.
    pub rearmed: i64,
}

/// Inserts every entry in one transaction. An existing key stores nothing, but a failed order row
/// it names is re-armed (the marketplace still speaks of the order, so it must land eventually).
pub fn store_all(tx: &Transaction<'_>, m: Provider, account: &str, entries: &[RemoteNotification], now: DateTime<Utc>) -> Result<Stored> {
    let now_s = format_ts(now);
    let mut stored = Stored::default();
    for n in entries {
        let key = dedupe_key(account, &n.event_type, &n.resource_id, &n.timestamp);
        let (status, error, permanent) = match (&n.malformed, n.kind) {
            (Some(e), _) => ("failed", Some(format!("malformed notification: {e}")), true),
            (None, NotificationKind::Order | NotificationKind::Offer) => ("pending", None, false),
            (None, _) => ("stored", None, false),
        };
        let inserted: Option<i64> = tx
            .prepare_cached(
                "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, status, last_error,
                                    permanent, received_at, updated_at, event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)
                 ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            )?
            .query_row(
                params![
                    key,
                    m.as_str(),
                    account,
                    n.event_type,
                    n.kind.as_str(),
                    n.resource_id,
                    n.timestamp,
                    n.raw,
                    status,
                    error,
                    permanent,
                    now_s,
                    n.event_id
                ],
                |r| r.get(0),
            )
            .optional()?;
        if inserted.is_some() {
            stored.new += 1;
            continue;
        }
        stored.duplicates += 1;
        let existing: Option<i64> = tx
            .prepare_cached("SELECT id FROM inbox WHERE dedupe_key = ?1 AND kind = 'order'")?
            .query_row([&key], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            if QUEUE.rearm(tx, id, now)? {
                tracing::info!(key, "a failed notification was named again; re-armed");
                stored.rearmed += 1;
            }
        }
    }
    Ok(stored)
}

/// Whether reconciliation should add a row for this order: not when one is unfinished (pending,
/// processing, backing off), nor when one failed — a row that gave up is re-armed instead (see
/// [`Queue::rearm`]), and a permanent failure waits for the seller's retry rather than piling up
/// new rows that would fail the same way.
pub fn wants_row(tx: &Transaction<'_>, m: Provider, account: &str, resource_id: &str, now: DateTime<Utc>) -> Result<bool> {
    let rows: Vec<(i64, String)> = {
        let mut st = tx.prepare_cached(
            "SELECT id, status FROM inbox WHERE marketplace = ?1 AND account = ?2 AND resource_id = ?3 AND kind = 'order'
               AND status IN ('pending', 'processing', 'failed')",
        )?;
        let rows = st
            .query_map(params![m.as_str(), account, resource_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    for (id, status) in &rows {
        if status == "failed" && QUEUE.rearm(tx, *id, now)? {
            tracing::info!(id, resource_id, "a failed order was listed again; re-armed");
        }
    }
    Ok(rows.is_empty())
}

/// A claimed row, ready to process.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    pub key: String,
    pub resource_id: String,
    pub attempts: i64,
    lease: QueueClaim,
}

/// Hands back rows whose holder is gone (see [`Queue::recover`]); rows a running BrickDesk holds
/// are left to it.
pub async fn recover(store: &Store, now: DateTime<Utc>) -> Result<usize> {
    store.write(move |tx| QUEUE.recover(tx, now)).await
}

/// Claims the next due order row of `m`/`account`, oldest first, excluding `skip` (rows this
/// cycle already tried).
pub async fn claim_next(store: &Store, m: Provider, account: &str, now: DateTime<Utc>, skip: Vec<i64>) -> Result<Option<Claim>> {
    claim_next_of(store, m, account, NotificationKind::Order, now, skip).await
}

/// [`claim_next`] for rows of `kind` (`Order` or `Offer`: the kinds that are processed).
pub async fn claim_next_of(
    store: &Store,
    m: Provider,
    account: &str,
    kind: NotificationKind,
    now: DateTime<Utc>,
    skip: Vec<i64>,
) -> Result<Option<Claim>> {
    let account = account.to_string();
    store
        .write(move |tx| {
            let skip_json = serde_json::to_string(&skip).unwrap_or_else(|_| "[]".into());
            let sql = format!(
                "SELECT id, dedupe_key, resource_id FROM inbox
                 WHERE marketplace = :m AND account = :account AND kind = :kind AND {}
                   AND id NOT IN (SELECT value FROM json_each(:skip))
                 ORDER BY occurred_at, id LIMIT 1",
                Queue::DUE
            );
            let row = tx
                .prepare_cached(&sql)?
                .query_row(
                    named_params! {":m": m.as_str(), ":account": account, ":kind": kind.as_str(), ":now": format_ts(now), ":skip": skip_json},
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
                )
                .optional()?;
            let Some((id, key, resource_id)) = row else { return Ok(None) };
            Ok(QUEUE.take(tx, id, now)?.map(|c| Claim { id, key, resource_id, attempts: c.attempts, lease: c }))
        })
        .await
}

/// Marks a claimed row done. Call inside the transaction that commits its effects.
pub fn complete(tx: &Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<()> {
    QUEUE.complete(tx, id, now)
}

/// Other rows about the same order that this processing also satisfied: the order as fetched now
/// answers every waiting or failed notification about it (rows another worker holds are left to it).
pub fn complete_siblings(tx: &Transaction<'_>, m: Provider, account: &str, resource_id: &str, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx
        .prepare_cached(
            "UPDATE inbox SET status = 'completed', last_error = NULL, next_attempt_at = NULL, updated_at = ?4
         WHERE marketplace = ?1 AND account = ?2 AND resource_id = ?3 AND kind = 'order' AND status IN ('pending', 'failed')",
        )?
        .execute(params![m.as_str(), account, resource_id, format_ts(now)])?)
}

/// Records a failed attempt; retries later unless `retryable` is false or attempts are used up.
/// Touches the row only if this claim still holds it (another process may have completed it).
pub async fn fail(store: &Store, claim: &Claim, error: String, retryable: bool, now: DateTime<Utc>) -> Result<NotificationFailure> {
    let (c, err) = (claim.lease.clone(), error.clone());
    let failed = store.write(move |tx| QUEUE.fail(tx, &c, &err, retryable, now)).await?;
    Ok(NotificationFailure { key: claim.key.clone(), error, attempts: claim.attempts, will_retry: failed.will_retry })
}

/// Gives the attempt back: the row waits `hint` long (budget spent, rate limited); returns why.
pub async fn wait(store: &Store, claim: &Claim, hint: chrono::Duration, error: &str, now: DateTime<Utc>) -> Result<String> {
    QUEUE.wait_out(store, &claim.lease, hint, error, now).await
}

/// The seller's retry: failed order rows (one, or all) are due now with fresh attempts.
pub fn retry(tx: &Transaction<'_>, id: Option<i64>, now: DateTime<Utc>) -> Result<usize> {
    QUEUE.retry(tx, id, "kind IN ('order', 'offer')", now)
}

/// Rows of `m` that used up their attempts or failed for good (failed, no next attempt).
pub fn given_up(c: &rusqlite::Connection, m: Provider) -> Result<i64> {
    QUEUE.given_up(c, "marketplace = ?1", m.as_str())
}

/// Failed notifications (given up or backing off) and the newest messages, feedback and events of
/// types BrickDesk does not know (stored, never processed), for the window and `inbox list`.
pub fn list(c: &rusqlite::Connection, failed_only: bool) -> Result<Vec<InboxEntry>> {
    let mut st = c.prepare(
        "SELECT id, marketplace, event_type, kind, resource_id, occurred_at, status, attempts, next_attempt_at, last_error, received_at
         FROM inbox
         WHERE status = 'failed' OR (?1 = 0 AND kind IN ('message', 'feedback', 'unknown'))
         ORDER BY received_at DESC, id DESC LIMIT 200",
    )?;
    let rows = st
        .query_map([failed_only], |r| {
            let market: String = r.get(1)?;
            Ok(InboxEntry {
                id: r.get(0)?,
                marketplace: crate::store::stored_provider(&market)?,
                event_type: r.get(2)?,
                kind: r.get(3)?,
                resource_id: r.get(4)?,
                occurred_at: r.get(5)?,
                status: r.get(6)?,
                attempts: r.get(7)?,
                next_attempt_at: r.get(8)?,
                last_error: r.get(9)?,
                received_at: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Counts per status, for status output and tests.
pub async fn counts(store: &Store) -> Result<Vec<(String, i64)>> {
    store
        .read(|c| {
            let mut st = c.prepare("SELECT status, count(*) FROM inbox GROUP BY status ORDER BY status")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())?;
            Ok(rows)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(event_type: &str, kind: NotificationKind, id: &str, ts: &str) -> RemoteNotification {
        RemoteNotification {
            event_type: event_type.into(),
            kind,
            resource_id: id.into(),
            timestamp: ts.into(),
            raw: "{}".into(),
            malformed: None,
            event_id: None,
        }
    }

    #[tokio::test]
    async fn dedupes_claims_fails_with_backoff_gives_up_and_is_rearmed_when_named_again() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let batch = vec![
            n("Order", NotificationKind::Order, "1", "2026-11-23T09:00:00.000Z"),
            n("Message", NotificationKind::Message, "1", "2026-11-23T09:00:01.000Z"),
            n("Wishlist", NotificationKind::Unknown, "9", "2026-11-23T09:00:02.000Z"),
        ];
        let b = batch.clone();
        let first = s.write(move |tx| store_all(tx, Provider::Bricklink, "bricklink", &b, t0)).await.unwrap();
        assert_eq!(first, Stored { new: 3, duplicates: 0, rearmed: 0 });
        let b = batch.clone();
        let again = s.write(move |tx| store_all(tx, Provider::Bricklink, "bricklink", &b, t0)).await.unwrap();
        assert_eq!(again, Stored { new: 0, duplicates: 3, rearmed: 0 });

        let mut now = t0;
        for attempt in 1..=MAX_ATTEMPTS {
            let c = claim_next(&s, Provider::Bricklink, "bricklink", now, vec![]).await.unwrap().expect("due");
            assert_eq!(c.key, "bricklink:Order:1:2026-11-23T09:00:00.000Z");
            assert_eq!(c.attempts, attempt);
            let f = fail(&s, &c, "boom".into(), true, now).await.unwrap();
            assert_eq!(f.will_retry, attempt < MAX_ATTEMPTS);
            // Not due again until the backoff has passed.
            assert!(claim_next(&s, Provider::Bricklink, "bricklink", now, vec![]).await.unwrap().is_none());
            now += QUEUE.backoff(attempt) + chrono::Duration::seconds(1);
        }
        assert!(claim_next(&s, Provider::Bricklink, "bricklink", now + chrono::Duration::days(1), vec![]).await.unwrap().is_none());
        let c = counts(&s).await.unwrap();
        assert_eq!(c, vec![("failed".to_string(), 1), ("stored".to_string(), 2)]);
        assert_eq!(s.read(|c| given_up(c, Provider::Bricklink)).await.unwrap(), 1, "visibly failed");
        let listed = s.read(|c| list(c, true)).await.unwrap();
        assert_eq!((listed.len(), listed[0].attempts, listed[0].last_error.as_deref()), (1, MAX_ATTEMPTS, Some("boom")));

        // The marketplace names the order again later: the row gets one more attempt.
        let later = now + chrono::Duration::hours(4);
        let b = batch.clone();
        let again = s.write(move |tx| store_all(tx, Provider::Bricklink, "bricklink", &b, later)).await.unwrap();
        assert_eq!(again, Stored { new: 0, duplicates: 3, rearmed: 1 });
        let c = claim_next(&s, Provider::Bricklink, "bricklink", later, vec![]).await.unwrap().expect("re-armed");
        assert_eq!(c.attempts, MAX_ATTEMPTS + 1, "attempts keep counting");
        assert!(!fail(&s, &c, "boom".into(), true, later).await.unwrap().will_retry);
        // Named again straight away: not re-armed (one attempt per 15 minutes at most).
        let again = s.write(move |tx| store_all(tx, Provider::Bricklink, "bricklink", &batch, later)).await.unwrap();
        assert_eq!(again.rearmed, 0);
    }

    #[tokio::test]
    async fn a_malformed_notification_is_not_rearmed_but_the_sellers_retry_does() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let mut bad = n("Order", NotificationKind::Order, "7", "2026-11-23T09:00:00.000Z");
        bad.malformed = Some("resource_id is not a number".into());
        let b = vec![bad.clone()];
        s.write(move |tx| store_all(tx, Provider::Bricklink, "a", &b, t0)).await.unwrap();
        let b = vec![bad];
        let again = s.write(move |tx| store_all(tx, Provider::Bricklink, "a", &b, t0)).await.unwrap();
        assert_eq!(again.rearmed, 0, "it would fail the same way");
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_none());
        assert_eq!(s.write(move |tx| retry(tx, None, t0)).await.unwrap(), 1);
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn a_live_holders_row_is_not_recovered_a_dead_ones_is_and_five_deaths_give_up() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let batch = vec![n("Order", NotificationKind::Order, "1", "t1")];
        s.write(move |tx| store_all(tx, Provider::Bricklink, "a", &batch, t0)).await.unwrap();
        claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().unwrap();
        assert_eq!(recover(&s, t0).await.unwrap(), 0, "this process still holds it");
        let Ok(boot) = std::fs::read_to_string("/proc/sys/kernel/random/boot_id") else { return };
        let dead = format!("{}/{}/1", boot.trim(), u32::MAX - 7);
        let kill = |s: &Store| {
            let (s, dead) = (s.clone(), dead.clone());
            async move {
                s.write(move |tx| Ok(tx.execute("UPDATE inbox SET lease_owner = ?1 WHERE status = 'processing'", [dead])?)).await.unwrap()
            }
        };
        kill(&s).await;
        for start in 2..=MAX_ATTEMPTS {
            assert_eq!(recover(&s, t0).await.unwrap(), 1, "its holder died");
            let c = claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().expect("claimable after a restart");
            assert_eq!(c.attempts, start);
            kill(&s).await;
        }
        assert_eq!(recover(&s, t0).await.unwrap(), 1);
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_none());
        assert_eq!(s.read(|c| given_up(c, Provider::Bricklink)).await.unwrap(), 1);
    }
}
