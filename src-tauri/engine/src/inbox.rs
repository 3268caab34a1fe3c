//! The inbox: every notification or order-list entry a marketplace gives us, stored before it is
//! processed.
//!
//! - A *notification* is one entry; its *dedupe key* is `{account}:{event_type}:{resource_id}:{timestamp}`,
//!   so seeing it again in a later poll stores nothing.
//! - A *claim* moves a due row to `processing` and counts an *attempt*. Processing ends with
//!   `completed` (in the same transaction as its effects) or `failed` with `last_error` and, while
//!   attempts remain, a `next_attempt_at` with exponential backoff. After [`MAX_ATTEMPTS`] it stays
//!   failed until the seller retries it.
//! - Only `order` rows are processed; message, feedback and unknown rows are kept as `stored`.
//! - A process that dies mid-processing leaves rows in `processing`; [`recover`] returns them to
//!   `pending` at the next start. Processing is idempotent, so a second run changes nothing.

use brickdesk_ipc::{NotificationFailure, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::clock::format_ts;
use crate::error::Result;
use crate::marketplaces::types::{NotificationKind, RemoteNotification};
use crate::store::Store;

pub const MAX_ATTEMPTS: i64 = 5;

/// A claim is a lease: if its holder dies or cannot record the outcome, another cycle may take
/// the row over once this has passed (restarts take it over at once, see [`recover`]).
pub const LEASE: chrono::Duration = chrono::Duration::minutes(10);

/// Backoff after failed attempt `n`: 1, 2, 4, 8 minutes (then no more attempts).
pub fn retry_delay(attempts: i64) -> chrono::Duration {
    chrono::Duration::minutes(1 << (attempts.clamp(1, 5) - 1))
}

pub fn dedupe_key(account: &str, event_type: &str, resource_id: &str, timestamp: &str) -> String {
    format!("{account}:{event_type}:{resource_id}:{timestamp}")
}

/// How a batch of fetched notifications landed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub new: i64,
    pub duplicates: i64,
}

/// Inserts every entry in one transaction; existing keys are left alone.
pub fn store_all(tx: &Transaction<'_>, m: Provider, account: &str, entries: &[RemoteNotification], now: DateTime<Utc>) -> Result<Stored> {
    let now = format_ts(now);
    let mut stored = Stored::default();
    for n in entries {
        let key = dedupe_key(account, &n.event_type, &n.resource_id, &n.timestamp);
        let (status, error) = match (&n.malformed, n.kind) {
            (Some(e), _) => ("failed", Some(format!("malformed notification: {e}"))),
            (None, NotificationKind::Order) => ("pending", None),
            (None, _) => ("stored", None),
        };
        let inserted = tx.execute(
            "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, status, last_error, received_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
             ON CONFLICT (dedupe_key) DO NOTHING",
            params![key, m.as_str(), account, n.event_type, n.kind.as_str(), n.resource_id, n.timestamp, n.raw, status, error, now],
        )?;
        if inserted == 1 {
            stored.new += 1;
        } else {
            stored.duplicates += 1;
        }
    }
    Ok(stored)
}

/// Whether an unfinished row for this order already exists (so a list poll need not add one).
pub fn has_open_row(tx: &Transaction<'_>, m: Provider, account: &str, resource_id: &str) -> Result<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM inbox WHERE marketplace = ?1 AND account = ?2 AND resource_id = ?3 AND kind = 'order'
               AND (status IN ('pending', 'processing') OR (status = 'failed' AND next_attempt_at IS NOT NULL))",
            params![m.as_str(), account, resource_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A claimed row, ready to process.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    pub key: String,
    pub resource_id: String,
    pub attempts: i64,
}

/// Returns rows left in `processing` by a process that died, to `pending` — unless they have
/// used up their attempts (a row whose processing kills the process must not do so forever).
pub async fn recover(store: &Store) -> Result<usize> {
    store
        .write(|tx| {
            tx.execute(
                "UPDATE inbox SET status = 'failed', next_attempt_at = NULL,
                     last_error = COALESCE(last_error || '; ', '') || 'BrickDesk stopped while processing it ' || attempts || ' times'
                 WHERE status = 'processing' AND attempts >= ?1",
                [MAX_ATTEMPTS],
            )?;
            Ok(tx.execute("UPDATE inbox SET status = 'pending', next_attempt_at = NULL WHERE status = 'processing'", [])?)
        })
        .await
}

/// Claims the next due order row of `m`/`account`, oldest first, excluding `skip` (rows this
/// cycle already tried).
pub async fn claim_next(store: &Store, m: Provider, account: &str, now: DateTime<Utc>, skip: Vec<i64>) -> Result<Option<Claim>> {
    let account = account.to_string();
    let lease_end = format_ts(now + LEASE);
    let now = format_ts(now);
    store
        .write(move |tx| {
            let skip_json = serde_json::to_string(&skip).unwrap_or_else(|_| "[]".into());
            let row = tx
                .query_row(
                    "SELECT id, dedupe_key, resource_id, attempts FROM inbox
                     WHERE marketplace = ?1 AND account = ?2 AND kind = 'order'
                       AND (status = 'pending' OR (status IN ('failed', 'processing') AND next_attempt_at IS NOT NULL AND next_attempt_at <= ?3))
                       AND id NOT IN (SELECT value FROM json_each(?4))
                     ORDER BY occurred_at, id LIMIT 1",
                    params![m.as_str(), account, now, skip_json],
                    |r| Ok(Claim { id: r.get(0)?, key: r.get(1)?, resource_id: r.get(2)?, attempts: r.get(3)? }),
                )
                .optional()?;
            let Some(mut claim) = row else { return Ok(None) };
            tx.execute(
                "UPDATE inbox SET status = 'processing', attempts = attempts + 1, next_attempt_at = ?3, updated_at = ?2 WHERE id = ?1",
                params![claim.id, now, lease_end],
            )?;
            claim.attempts += 1;
            Ok(Some(claim))
        })
        .await
}

/// Marks a claimed row done. Call inside the transaction that commits its effects.
pub fn complete(tx: &Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE inbox SET status = 'completed', last_error = NULL, next_attempt_at = NULL, updated_at = ?2 WHERE id = ?1",
        params![id, format_ts(now)],
    )?;
    Ok(())
}

/// Other rows about the same order that this processing also satisfied (an order fetched once
/// answers every pending notification for it).
pub fn complete_siblings(tx: &Transaction<'_>, m: Provider, account: &str, resource_id: &str, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE inbox SET status = 'completed', last_error = NULL, next_attempt_at = NULL, updated_at = ?4
         WHERE marketplace = ?1 AND account = ?2 AND resource_id = ?3 AND kind = 'order' AND status = 'pending'",
        params![m.as_str(), account, resource_id, format_ts(now)],
    )?)
}

/// Records a failed attempt; retries later unless `retryable` is false or attempts are used up.
/// Touches the row only if this claim still holds it (another process may have completed it).
pub async fn fail(store: &Store, claim: &Claim, error: String, retryable: bool, now: DateTime<Utc>) -> Result<NotificationFailure> {
    let will_retry = retryable && claim.attempts < MAX_ATTEMPTS;
    let next = will_retry.then(|| format_ts(now + retry_delay(claim.attempts)));
    let (id, attempts, updated, err) = (claim.id, claim.attempts, format_ts(now), error.clone());
    store
        .write(move |tx| {
            tx.execute(
                "UPDATE inbox SET status = 'failed', last_error = ?2, next_attempt_at = ?3, updated_at = ?4
                 WHERE id = ?1 AND status = 'processing' AND attempts = ?5",
                params![id, err, next, updated, attempts],
            )?;
            Ok(())
        })
        .await?;
    Ok(NotificationFailure { key: claim.key.clone(), error, attempts: claim.attempts, will_retry })
}

/// Rows of `m` that used up their attempts (failed, no next attempt).
pub fn given_up(c: &rusqlite::Connection, m: Provider) -> Result<i64> {
    Ok(c.query_row(
        "SELECT count(*) FROM inbox WHERE marketplace = ?1 AND status = 'failed' AND next_attempt_at IS NULL",
        [m.as_str()],
        |r| r.get(0),
    )?)
}

/// Counts per status, for status output and tests.
pub async fn counts(store: &Store) -> Result<Vec<(String, i64)>> {
    store
        .read(|c| {
            let mut st = c.prepare("SELECT status, count(*) FROM inbox GROUP BY status ORDER BY status")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
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
        }
    }

    #[tokio::test]
    async fn dedupes_claims_fails_with_backoff_and_gives_up_after_five() {
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
        assert_eq!(first, Stored { new: 3, duplicates: 0 });
        let again = s.write(move |tx| store_all(tx, Provider::Bricklink, "bricklink", &batch, t0)).await.unwrap();
        assert_eq!(again, Stored { new: 0, duplicates: 3 });

        let mut now = t0;
        for attempt in 1..=MAX_ATTEMPTS {
            let c = claim_next(&s, Provider::Bricklink, "bricklink", now, vec![]).await.unwrap().expect("due");
            assert_eq!(c.key, "bricklink:Order:1:2026-11-23T09:00:00.000Z");
            assert_eq!(c.attempts, attempt);
            let f = fail(&s, &c, "boom".into(), true, now).await.unwrap();
            assert_eq!(f.will_retry, attempt < MAX_ATTEMPTS);
            // Not due again until the backoff has passed.
            assert!(claim_next(&s, Provider::Bricklink, "bricklink", now, vec![]).await.unwrap().is_none());
            now += retry_delay(attempt) + chrono::Duration::seconds(1);
        }
        assert!(claim_next(&s, Provider::Bricklink, "bricklink", now + chrono::Duration::days(1), vec![]).await.unwrap().is_none());
        let c = counts(&s).await.unwrap();
        assert_eq!(c, vec![("failed".to_string(), 1), ("stored".to_string(), 2)]);
        assert_eq!(s.read(|c| given_up(c, Provider::Bricklink)).await.unwrap(), 1, "visibly failed");
    }

    #[tokio::test]
    async fn recover_returns_abandoned_rows() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let batch = vec![n("Order", NotificationKind::Order, "1", "t1")];
        s.write(move |tx| store_all(tx, Provider::Bricklink, "a", &batch, t0)).await.unwrap();
        let c = claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().unwrap();
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_none(), "processing is not claimable");
        assert_eq!(recover(&s).await.unwrap(), 1);
        let again = claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().unwrap();
        assert_eq!((again.id, again.attempts), (c.id, 2));
        // A holder that vanished without recording anything loses its lease.
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_none());
        let later = claim_next(&s, Provider::Bricklink, "a", t0 + LEASE + chrono::Duration::seconds(1), vec![]).await.unwrap().unwrap();
        assert_eq!((later.id, later.attempts), (c.id, 3));
        // The stale holder's failure no longer lands on the row.
        fail(&s, &again, "late".into(), true, t0).await.unwrap();
        let status: String = s.read(|c| Ok(c.query_row("SELECT status FROM inbox", [], |r| r.get(0))?)).await.unwrap();
        assert_eq!(status, "processing");
    }

    #[tokio::test]
    async fn a_row_that_keeps_killing_the_process_gives_up_after_five_starts() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        let batch = vec![n("Order", NotificationKind::Order, "1", "t1")];
        s.write(move |tx| store_all(tx, Provider::Bricklink, "a", &batch, t0)).await.unwrap();
        for _ in 0..MAX_ATTEMPTS {
            recover(&s).await.unwrap();
            claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().expect("claimable after a restart");
        }
        assert_eq!(recover(&s).await.unwrap(), 0);
        assert!(claim_next(&s, Provider::Bricklink, "a", t0, vec![]).await.unwrap().is_none());
        assert_eq!(s.read(|c| given_up(c, Provider::Bricklink)).await.unwrap(), 1);
    }
}
