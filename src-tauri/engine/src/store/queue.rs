//! The one durable work queue. Every background worker (the notification inbox, the sync outbox,
//! the catalog refresh) is a table with the same queue columns, driven by this module: nothing
//! else writes `status`, `attempts`, `next_attempt_at`, `lease_owner` or `permanent`.
//!
//! A row's life:
//! - `pending` — due when `next_attempt_at` is empty or has passed (a future one means *waiting*:
//!   for a budget, a rate limit, or a backoff that survived a re-arm).
//! - [`Queue::take`] makes it `processing`: one more attempt, a *lease* (`next_attempt_at` = when
//!   the lease ends) and the holder's identity (`lease_owner`, see [`owner`]).
//! - [`Queue::complete`] (in the transaction that commits its effects) → the table's done status.
//! - [`Queue::fail`] → `failed` with `last_error` and, while attempts remain and the error can go
//!   away by itself, a backoff in `next_attempt_at`; otherwise it has *given up* (no next attempt)
//!   until [`Queue::rearm`] (the work was asked for again) or [`Queue::retry`] (the seller said so).
//! - [`Queue::wait`] hands the attempt back: the row is `pending` until a given time. Budgets and
//!   rate limits are waiting, never attempts.
//! - [`Queue::recover`] takes back rows whose holder is gone: its lease has run out, or it was a
//!   process on this machine that no longer runs. A live holder's row is never taken, so a CLI
//!   command next to a running daemon cannot steal its work.
//!
//! Outcomes are recorded only while the claim still holds the row (same status and attempt
//! count): a holder that lost its lease cannot overwrite its successor's result.

use chrono::{DateTime, Utc};
use rusqlite::{named_params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::Result;

/// One queue table and its rules.
#[derive(Debug, Clone, Copy)]
pub struct Queue {
    pub table: &'static str,
    /// The table's word for finished work (`completed` in the inbox, `done` elsewhere).
    pub done: &'static str,
    pub max_attempts: i64,
    /// How long a claim is held before another worker may take it over.
    pub lease: chrono::Duration,
    /// Backoff after the first failed attempt; doubles with each attempt.
    pub first_backoff: chrono::Duration,
    /// A row that gave up is re-armed when its work is asked for again, but at most once per
    /// this long: one broken order must not spend the daily budget on a retry every poll.
    pub rearm_after: chrono::Duration,
}

/// A claimed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: i64,
    /// Attempts including this one.
    pub attempts: i64,
    /// When this claim's lease ends: with the attempt count, what proves the claim still holds
    /// the row when its outcome is recorded.
    pub lease_end: String,
}

/// What [`Queue::fail`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed {
    pub will_retry: bool,
    /// False when the claim no longer held the row (nothing was written).
    pub recorded: bool,
}

impl Queue {
    /// SQL that is true for a row due at the named parameter `:now`. Use it in the caller's own
    /// candidate query, then [`Queue::take`] the row found.
    pub const DUE: &'static str = "((status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
          OR (status IN ('failed', 'processing') AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now))";

    /// Backoff after failed attempt `n` (1-based): first, 2×first, 4×first …, capped at 2⁵×first.
    pub fn backoff(&self, attempts: i64) -> chrono::Duration {
        self.first_backoff * (1 << (attempts.clamp(1, 6) - 1))
    }

    /// Claims row `id` if it is due: one more attempt, a lease and this process as its holder.
    pub fn take(&self, tx: &Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<Option<Claim>> {
        let sql = format!(
            "UPDATE {} SET status = 'processing', attempts = attempts + 1, next_attempt_at = :lease_end,
                 lease_owner = :owner, updated_at = :now
             WHERE id = :id AND {} RETURNING attempts",
            self.table,
            Self::DUE
        );
        let lease_end = format_ts(now + self.lease);
        let attempts: Option<i64> = tx
            .prepare_cached(&sql)?
            .query_row(named_params! {":id": id, ":now": format_ts(now), ":lease_end": lease_end, ":owner": owner()}, |r| r.get(0))
            .optional()?;
        Ok(attempts.map(|attempts| Claim { id, attempts, lease_end }))
    }

    /// Marks a claimed row done. Call inside the transaction that commits its effects.
    pub fn complete(&self, tx: &Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET status = '{}', last_error = NULL, next_attempt_at = NULL, lease_owner = NULL, updated_at = ?2 WHERE id = ?1",
            self.table, self.done
        );
        tx.prepare_cached(&sql)?.execute(rusqlite::params![id, format_ts(now)])?;
        Ok(())
    }

    /// Records a failed attempt: retried after a backoff while attempts remain and `retryable`;
    /// otherwise given up (a `permanent` failure is never re-armed by seeing the work again).
    pub fn fail(&self, tx: &Transaction<'_>, claim: &Claim, error: &str, retryable: bool, now: DateTime<Utc>) -> Result<Failed> {
        let will_retry = retryable && claim.attempts < self.max_attempts;
        let next = will_retry.then(|| format_ts(now + self.backoff(claim.attempts)));
        let sql = format!(
            "UPDATE {} SET status = 'failed', last_error = :error, next_attempt_at = :next, lease_owner = NULL,
                 permanent = :permanent, updated_at = :now
             WHERE id = :id AND status = 'processing' AND attempts = :attempts AND next_attempt_at = :lease_end",
            self.table
        );
        let n = tx.prepare_cached(&sql)?.execute(named_params! {
            ":id": claim.id, ":attempts": claim.attempts, ":lease_end": claim.lease_end, ":error": error, ":next": next,
            ":permanent": !retryable, ":now": format_ts(now),
        })?;
        Ok(Failed { will_retry, recorded: n == 1 })
    }

    /// Gives the attempt back and parks the row until `until` (a spent budget, a rate limit).
    /// Returns false when the claim no longer held the row.
    pub fn wait(&self, tx: &Transaction<'_>, claim: &Claim, until: DateTime<Utc>, reason: &str, now: DateTime<Utc>) -> Result<bool> {
        let sql = format!(
            "UPDATE {} SET status = 'pending', attempts = max(attempts - 1, 0), next_attempt_at = :until,
                 last_error = :reason, lease_owner = NULL, updated_at = :now
             WHERE id = :id AND status = 'processing' AND attempts = :attempts AND next_attempt_at = :lease_end",
            self.table
        );
        let n = tx.prepare_cached(&sql)?.execute(named_params! {
            ":id": claim.id, ":attempts": claim.attempts, ":lease_end": claim.lease_end, ":until": format_ts(until),
            ":reason": reason, ":now": format_ts(now),
        })?;
        Ok(n == 1)
    }

    /// [`Queue::wait`] for a refusal that says "not now" (`hint`: how long), in its own write;
    /// returns the reason shown to the seller ("waiting until …: …").
    pub async fn wait_out(
        &self,
        store: &crate::store::Store,
        claim: &Claim,
        hint: chrono::Duration,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let until = now + hint;
        let reason = format!("waiting until {}: {error}", format_ts(until));
        let (queue, claim, r) = (*self, claim.clone(), reason.clone());
        store.write(move |tx| queue.wait(tx, &claim, until, &r, now)).await?;
        Ok(reason)
    }

    /// The work of a row that gave up was asked for again (the marketplace named it once more):
    /// one more attempt, due now — unless it gave up less than `rearm_after` ago. Its attempt
    /// count keeps counting (the next failure gives up again), so a broken piece of work costs at
    /// most one attempt per `rearm_after`, while a recovered marketplace lands it soon. Rows still
    /// backing off, pending, processing, done, or failed for good (`permanent`) are left alone.
    /// Returns whether the row was re-armed.
    pub fn rearm(&self, tx: &Transaction<'_>, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let sql = format!(
            "UPDATE {} SET status = 'pending', lease_owner = NULL, updated_at = :now
             WHERE id = :id AND status = 'failed' AND permanent = 0 AND next_attempt_at IS NULL AND updated_at <= :cooled",
            self.table
        );
        let n = tx
            .prepare_cached(&sql)?
            .execute(named_params! {":id": id, ":now": format_ts(now), ":cooled": format_ts(now - self.rearm_after)})?;
        Ok(n == 1)
    }

    /// The seller asked to try again: failed rows (just `id`, or all those matching `filter`, an
    /// SQL condition over the table) become due now with fresh attempts. Returns how many.
    pub fn retry(&self, tx: &Transaction<'_>, id: Option<i64>, filter: &str, now: DateTime<Utc>) -> Result<usize> {
        let sql = format!(
            "UPDATE {} SET status = 'pending', attempts = 0, next_attempt_at = NULL, permanent = 0, lease_owner = NULL, updated_at = :now
             WHERE status = 'failed' AND (:id IS NULL OR id = :id) AND ({filter})",
            self.table
        );
        Ok(tx.execute(&sql, named_params! {":id": id, ":now": format_ts(now)})?)
    }

    /// Takes back `processing` rows whose holder is gone (lease expired, or a process on this
    /// machine that no longer runs): due again, or given up if they used every attempt (work that
    /// kills its process must not do so forever). Live holders keep their rows.
    pub fn recover(&self, tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<usize> {
        let now_s = format_ts(now);
        let rows: Vec<(i64, Option<String>, Option<String>, i64)> = {
            let mut st =
                tx.prepare(&format!("SELECT id, lease_owner, next_attempt_at, attempts FROM {} WHERE status = 'processing'", self.table))?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let mut taken = 0;
        for (id, holder, lease_end, attempts) in rows {
            let expired = lease_end.is_none_or(|end| end <= now_s);
            if !expired && holder.as_deref().is_none_or(holder_alive) {
                continue;
            }
            let sql = if attempts >= self.max_attempts {
                // Permanent: re-arming it would crash the next start again; the seller's retry can.
                format!(
                    "UPDATE {} SET status = 'failed', next_attempt_at = NULL, lease_owner = NULL, updated_at = ?2, permanent = 1,
                         last_error = COALESCE(last_error || '; ', '') || 'BrickDesk stopped while processing it ' || attempts || ' times'
                     WHERE id = ?1 AND status = 'processing'",
                    self.table
                )
            } else {
                format!(
                    "UPDATE {} SET status = 'pending', next_attempt_at = NULL, lease_owner = NULL, updated_at = ?2
                     WHERE id = ?1 AND status = 'processing'",
                    self.table
                )
            };
            taken += tx.execute(&sql, rusqlite::params![id, now_s])?;
        }
        Ok(taken)
    }

    /// Rows that used up their attempts or failed for good (failed, no next attempt) matching
    /// `filter` (an SQL condition with `?1` as its one parameter).
    pub fn given_up(&self, c: &rusqlite::Connection, filter: &str, param: &str) -> Result<i64> {
        let sql = format!("SELECT count(*) FROM {} WHERE status = 'failed' AND next_attempt_at IS NULL AND ({filter})", self.table);
        Ok(c.prepare_cached(&sql)?.query_row([param], |r| r.get(0))?)
    }
}

/// This process as a lease holder: `<boot id>/<pid>/<start time>` on Linux, so another process
/// can tell for sure whether the holder still runs (a pid alone can be reused). Elsewhere just
/// the pid, and only lease expiry frees a row.
pub fn owner() -> String {
    static OWNER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    OWNER
        .get_or_init(|| {
            let pid = std::process::id();
            match (boot_id(), start_time(pid)) {
                (Some(boot), Some(start)) => format!("{boot}/{pid}/{start}"),
                _ => format!("pid/{pid}"),
            }
        })
        .clone()
}

/// Whether the process named by a lease holder may still be running. Only a holder proven gone
/// (same boot, and its pid is free or now belongs to a process started at another time; or a
/// machine boot since) returns false.
pub fn holder_alive(holder: &str) -> bool {
    let mut parts = holder.splitn(3, '/');
    let (Some(boot), Some(pid), Some(start)) = (parts.next(), parts.next(), parts.next()) else { return true };
    let (Some(our_boot), Ok(pid)) = (boot_id(), pid.parse::<u32>()) else { return true };
    if boot != our_boot {
        // The machine restarted since (or the database moved to another one): nothing it ran
        // before runs now.
        return false;
    }
    start_time(pid).is_some_and(|now_start| now_start == start)
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Field 22 of `/proc/<pid>/stat`: when the process started, in clock ticks since boot.
fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const Q: Queue = Queue {
        table: "catalog_refresh",
        done: "done",
        max_attempts: 3,
        lease: chrono::Duration::minutes(10),
        first_backoff: chrono::Duration::minutes(1),
        rearm_after: chrono::Duration::minutes(15),
    };

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    async fn setup() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        s.write(|tx| {
            tx.execute(
                "INSERT INTO catalog_refresh (id, item_type, item_no, what, requested_at, updated_at) VALUES (1, 'PART', '3001', 'item', 't', 't')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap();
        (dir, s)
    }

    async fn row(s: &Store) -> (String, i64, Option<String>, Option<String>) {
        s.read(|c| {
            Ok(c.query_row("SELECT status, attempts, next_attempt_at, lease_owner FROM catalog_refresh WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?)
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn take_fail_backoff_give_up_then_rearm_and_retry() {
        let (_d, s) = setup().await;
        let t0 = t("2026-11-30T10:00:00Z");
        let mut now = t0;
        for attempt in 1..=3 {
            let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("due");
            assert_eq!(c.attempts, attempt);
            assert_eq!(row(&s).await.3, Some(owner()), "the holder is recorded");
            assert!(s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().is_none(), "a held row is not due");
            let f = s.write(move |tx| Q.fail(tx, &c, "boom", true, now)).await.unwrap();
            assert_eq!(f, Failed { will_retry: attempt < 3, recorded: true });
            assert!(s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().is_none(), "backing off");
            now += Q.backoff(attempt) + chrono::Duration::seconds(1);
        }
        assert_eq!(row(&s).await.0, "failed");
        assert!(s.write(move |tx| Q.take(tx, 1, now + chrono::Duration::days(9))).await.unwrap().is_none(), "given up");
        // Asked for again at once: not yet (a broken row must not retry every poll)…
        assert!(!s.write(move |tx| Q.rearm(tx, 1, now)).await.unwrap());
        // … but once it has rested: one more attempt, due at once, counted on.
        let now = now + Q.rearm_after;
        assert!(s.write(move |tx| Q.rearm(tx, 1, now)).await.unwrap());
        let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("re-armed");
        assert_eq!(c.attempts, 4);
        let f = s.write({
            let c = c.clone();
            move |tx| Q.fail(tx, &c, "still broken", true, now)
        });
        assert!(!f.await.unwrap().will_retry, "one attempt per re-arm");
        let now = now + Q.rearm_after;
        assert!(s.write(move |tx| Q.rearm(tx, 1, now)).await.unwrap());
        let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("re-armed again");
        // A refusal that cannot go away is permanent: seeing the work again does not re-arm it…
        s.write(move |tx| Q.fail(tx, &c, "unknown item", false, now)).await.unwrap();
        assert!(!s.write(move |tx| Q.rearm(tx, 1, now + chrono::Duration::days(1))).await.unwrap());
        // … but the seller's retry does.
        assert_eq!(s.write(move |tx| Q.retry(tx, Some(1), "1", now)).await.unwrap(), 1);
        let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("retried");
        s.write(move |tx| Q.complete(tx, c.id, now)).await.unwrap();
        assert_eq!(row(&s).await, ("done".into(), 1, None, None));
    }

    #[tokio::test]
    async fn waiting_is_not_an_attempt() {
        let (_d, s) = setup().await;
        let now = t("2026-11-30T10:00:00Z");
        let later = now + chrono::Duration::minutes(15);
        for _ in 0..10 {
            let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("due");
            assert_eq!(c.attempts, 1, "every wait gave its attempt back");
            assert!(s.write(move |tx| Q.wait(tx, &c, now, "budget used", now)).await.unwrap());
        }
        let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().expect("due");
        s.write(move |tx| Q.wait(tx, &c, later, "budget used", now)).await.unwrap();
        assert!(s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().is_none(), "parked until later");
        assert_eq!(s.write(move |tx| Q.take(tx, 1, later)).await.unwrap().map(|c| c.attempts), Some(1));
    }

    #[tokio::test]
    async fn recover_takes_only_rows_whose_holder_is_gone() {
        let (_d, s) = setup().await;
        let now = t("2026-11-30T10:00:00Z");
        let c = s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().unwrap();
        // Held by this (running) process, lease not expired: left alone.
        assert_eq!(s.write(move |tx| Q.recover(tx, now)).await.unwrap(), 0);
        assert_eq!(row(&s).await.0, "processing");
        // A holder that died (a pid that is not running on this boot) loses the row at once.
        let dead = match boot_id() {
            Some(boot) => format!("{boot}/{}/1", u32::MAX - 7),
            None => return, // not Linux: only the lease frees rows, checked below
        };
        s.write(move |tx| {
            tx.execute("UPDATE catalog_refresh SET lease_owner = ?1", [dead])?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(s.write(move |tx| Q.recover(tx, now)).await.unwrap(), 1);
        assert_eq!(row(&s).await, ("pending".into(), 1, None, None));
        // A stale holder's late outcome is not recorded.
        assert!(!s.write(move |tx| Q.fail(tx, &c, "late", true, now)).await.unwrap().recorded);
        // A live holder whose lease ran out loses the row too.
        s.write(move |tx| Q.take(tx, 1, now)).await.unwrap().unwrap();
        assert_eq!(s.write(move |tx| Q.recover(tx, now + Q.lease)).await.unwrap(), 1);
    }

    #[test]
    fn this_process_is_alive_and_a_reused_pid_is_not() {
        assert!(holder_alive(&owner()));
        if let Some(boot) = boot_id() {
            let pid = std::process::id();
            assert!(!holder_alive(&format!("{boot}/{pid}/0")), "same pid, other start time");
            assert!(!holder_alive(&format!("not-this-boot/{pid}/{}", start_time(pid).unwrap())));
        }
        assert!(holder_alive("something else"), "unknown holders are assumed alive until their lease ends");
    }
}
