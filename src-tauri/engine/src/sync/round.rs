//! The push round every marketplace shares: claim due `outbox` rows (the one queue), read each
//! lot as it stands now, hand it to the marketplace's [`Pusher`], and store the outcome (what the
//! marketplace now holds) or fail the row with backoff.
//!
//! - *Push*: the lot's *current* state once — the quantity for sale is the lot's available
//!   quantity (quantity − reserved) — and only what differs from what the marketplace holds
//!   (`sync_state.remote_quantity`, `pushed`). What makes a lot due is `stock/outbox.rs`'s.
//! - *Nothing doubled*: before a create, `creating_since` is written ([`mark_creating`]); a create
//!   whose outcome is unknown (killed mid-call, a timeout) is looked up by the lot's tag before
//!   creating again.
//!
//! The pushers: `sync/bricklink.rs`, `sync/brickowl.rs`, `sync/allegro.rs`.

use brickdesk_ipc::{Provider, SyncPush, SyncRunReport};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, params, OptionalExtension, Transaction};
use serde_json::Value;

use crate::base::clock::format_ts;
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::stock::outbox::{status_of, QUEUE};
use crate::store::queue::Queue;

/// Written before a create is sent: if its answer is lost, the next attempt looks the lot up
/// before creating it again.
pub async fn mark_creating(gw: &Gateway, lot: i64, m: Provider) -> Result<()> {
    let now = format_ts(gw.clock.now());
    gw.store
        .write(move |tx| {
            tx.execute(
                "INSERT INTO sync_state (inventory_id, marketplace, status, creating_since, updated_at) VALUES (?1, ?2, 'pending', ?3, ?3)
                 ON CONFLICT (inventory_id, marketplace) DO UPDATE SET creating_since = excluded.creating_since, updated_at = excluded.updated_at",
                params![lot, m.as_str(), now],
            )?;
            Ok(())
        })
        .await
}

/// The create did not happen (refused outright, or looked up and not found): nothing to look up.
fn clear_creating(tx: &Transaction<'_>, lot: i64, m: Provider) -> Result<()> {
    tx.execute("UPDATE sync_state SET creating_since = NULL WHERE inventory_id = ?1 AND marketplace = ?2", params![lot, m.as_str()])?;
    Ok(())
}

/// [`clear_creating`] in its own write (a pusher whose look-up found nothing).
pub async fn forget_creating(gw: &Gateway, lot: i64, m: Provider) -> Result<()> {
    gw.store.write(move |tx| clear_creating(tx, lot, m)).await
}

/// BrickDesk no longer knows the quantity `m` holds for `lot` (a delta is in flight): the next
/// push learns it from the marketplace first, once the delta has had time to land
/// ([`Gateway::settle`]).
pub async fn forget_remote_quantity(gw: &Gateway, lot: i64, m: Provider) -> Result<()> {
    let now = format_ts(gw.clock.now());
    gw.store
        .write(move |tx| {
            crate::store::exec(
                tx,
                "UPDATE sync_state SET remote_quantity = NULL, sent_at = ?3 WHERE inventory_id = ?1 AND marketplace = ?2",
                params![lot, m.as_str(), now],
            )?;
            Ok(())
        })
        .await
}

/// A lot's state as the push needs it.
#[derive(Debug, Clone)]
pub struct LotNow {
    pub item_no: String,
    pub item_type: String,
    pub color_id: i64,
    pub condition: String,
    pub available: i64,
    pub price_e4: i64,
    pub location: String,
    pub description: String,
    pub deleted: bool,
}

/// What BrickDesk knows of the marketplace's copy.
#[derive(Debug, Clone, Default)]
pub struct Remote {
    pub remote_id: Option<String>,
    pub quantity: Option<i64>,
    pub pushed: Option<Value>,
    pub creating: bool,
    /// When the last quantity delta was sent.
    pub sent_at: Option<String>,
}

fn read_lot(c: &rusqlite::Connection, lot: i64, m: Provider) -> Result<(LotNow, Remote)> {
    let l = c
        .prepare_cached(
            "SELECT item_no, item_type, color_id, condition, max(quantity - reserved, 0), unit_price_e4, location, description, deleted_at IS NOT NULL
             FROM inventory WHERE id = ?1",
        )?
        .query_row([lot], |r| {
            Ok(LotNow {
                item_no: r.get(0)?,
                item_type: r.get(1)?,
                color_id: r.get(2)?,
                condition: r.get(3)?,
                available: r.get(4)?,
                price_e4: r.get(5)?,
                location: r.get(6)?,
                description: r.get(7)?,
                deleted: r.get(8)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "inventory lot".into(), id: lot.to_string() })?;
    let remote = c
        .prepare_cached(
            "SELECT remote_id, remote_quantity, pushed, creating_since IS NOT NULL, sent_at FROM sync_state WHERE inventory_id = ?1 AND marketplace = ?2",
        )?
        .query_row(params![lot, m.as_str()], |r| {
            let pushed: Option<String> = r.get(2)?;
            Ok(Remote {
                remote_id: r.get(0)?,
                quantity: r.get(1)?,
                pushed: pushed.and_then(|p| serde_json::from_str(&p).ok()),
                creating: r.get(3)?,
                sent_at: r.get(4)?,
            })
        })
        .optional()?
        .unwrap_or_default();
    Ok((l, remote))
}

/// One marketplace's way of pushing a lot; the queue work around it is [`push_round`]'s, shared.
pub trait Pusher: Sync {
    fn marketplace(&self) -> Provider;
    /// Brings the marketplace's copy of `lot` to `l`, given what BrickDesk knows of it (`r`).
    fn push_one(
        &self,
        gw: &Gateway,
        lot: i64,
        l: &LotNow,
        r: &Remote,
    ) -> impl std::future::Future<Output = std::result::Result<Outcome, CallError>> + Send;

    /// What the marketplace holds of its lot `remote_id` (BrickDesk's `lot`), read together with
    /// the store's sales that figure counts and BrickDesk has not booked ([`learned`]), for the
    /// check after an uncertain push ([`check`]). `None`: not checked this way (Allegro, whose
    /// every push reads the offer first).
    fn read_back(
        &self,
        _gw: &Gateway,
        _lot: i64,
        _remote_id: &str,
    ) -> impl std::future::Future<Output = std::result::Result<Option<(i64, Vec<String>)>, CallError>> + Send {
        async { Ok(None) }
    }

    /// How many of `due` due lots to push together through [`Pusher::push_many`]; 1 (the
    /// default) pushes one by one.
    fn batch_size(&self, _due: usize) -> usize {
        1
    }

    /// Pushes several lots together: one result per lot, in order. A lot left without a result
    /// was not pushed. The default pushes one by one and stops at a rate limit or a spent budget.
    fn push_many<'a>(
        &'a self,
        gw: &'a Gateway,
        lots: &'a [Due],
    ) -> impl std::future::Future<Output = Vec<std::result::Result<Outcome, CallError>>> + Send + 'a {
        async move {
            let mut out = Vec::with_capacity(lots.len());
            for d in lots {
                let r = self.push_one(gw, d.lot, &d.now, &d.remote).await;
                let wait = matches!(&r, Err(e) if e.wait_hint().is_some());
                out.push(r);
                if wait {
                    break;
                }
            }
            out
        }
    }
}

/// A claimed lot as a pusher gets it.
#[derive(Debug, Clone)]
pub struct Due {
    pub lot: i64,
    pub now: LotNow,
    pub remote: Remote,
}

/// Claims `pusher`'s due rows and pushes each (all due rows when `limit` is None), one by one or
/// [`Pusher::batch_size`] together: complete (or due again when the lot changed meanwhile or the
/// push was one step of several), fail with backoff, or wait for a budget / rate limit (no
/// attempt used; every lot of the chunk not pushed waits too).
pub async fn push_round<P: Pusher>(gw: &Gateway, pusher: &P, limit: Option<usize>) -> Result<SyncRunReport> {
    let m = pusher.marketplace();
    let mut report = SyncRunReport::default();
    let now = gw.clock.now();
    gw.store.write(move |tx| QUEUE.recover(tx, now)).await?;
    // Each due row once per round, in id order (`after`), plus the rows whose push was one step
    // of several (`again`: a look-up, a read, a delete before a re-create), taken up again next.
    // Both stay cheap however many rows are due (no list of every row tried so far).
    let mut after: i64 = 0;
    let mut again: Vec<i64> = Vec::new();
    let mut taken = 0usize;
    while limit.is_none_or(|l| taken < l) {
        let now = gw.clock.now();
        let room = limit.map_or(usize::MAX, |l| l - taken);
        let revisit = serde_json::to_string(&std::mem::take(&mut again)).unwrap_or_else(|_| "[]".into());
        let revisiting = revisit != "[]";
        // `:which` is the ids to take up again (JSON), or the id to continue after.
        let which = if revisiting { "id IN (SELECT value FROM json_each(:which))" } else { "id > :which" };
        let due_sql = format!("FROM outbox WHERE marketplace = :m AND {} AND {which}", Queue::DUE);
        let which_value = if revisiting { rusqlite::types::Value::Text(revisit) } else { rusqlite::types::Value::Integer(after) };
        let (r, sql) = (which_value.clone(), due_sql.clone());
        // How many are due decides the batch size; counting past a thousand would change nothing.
        let due: i64 = gw
            .store
            .read(move |c| {
                Ok(c.prepare_cached(&format!("SELECT count(*) FROM (SELECT 1 {sql} LIMIT 1000)"))?
                    .query_row(named_params! {":m": m.as_str(), ":now": format_ts(now), ":which": r}, |r| r.get(0))?)
            })
            .await?;
        let chunk = pusher.batch_size(usize::try_from(due).unwrap_or(0)).clamp(1, room) as i64;
        let (claimed, last) = gw
            .store
            .write(move |tx| {
                let rows = tx
                    .prepare_cached(&format!("SELECT id, inventory_id, due_seq, nudges {due_sql} ORDER BY id LIMIT :n"))?
                    .query_map(named_params! {":m": m.as_str(), ":now": format_ts(now), ":which": which_value, ":n": chunk}, |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, (r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let last = rows.last().map(|(id, _, _)| *id);
                let mut claimed = Vec::with_capacity(rows.len());
                for (id, lot, due) in rows {
                    if let Some(c) = QUEUE.take(tx, id, now)? {
                        claimed.push((c, lot, due));
                    }
                }
                Ok((claimed, last))
            })
            .await?;
        if !revisiting {
            after = last.unwrap_or(after);
        }
        if claimed.is_empty() {
            if revisiting {
                continue;
            }
            break;
        }
        if !revisiting {
            taken += claimed.len();
        }
        let lots: Vec<i64> = claimed.iter().map(|(_, lot, _)| *lot).collect();
        let dues: Vec<Due> = gw
            .store
            .read(move |c| {
                lots.iter().map(|&lot| read_lot(c, lot, m).map(|(now, remote)| Due { lot, now, remote })).collect::<Result<Vec<_>>>()
            })
            .await?;
        // A lot to read back whose delta was sent too recently waits (no attempt used): a store
        // may still be carrying out the call whose answer never came.
        let mut claimed_dues = Vec::with_capacity(dues.len());
        for (c, d) in claimed.into_iter().zip(dues) {
            match settling(&d.remote, gw.settle, now) {
                Some(left) => {
                    let why =
                        format!("a quantity sent to {} got no answer; lot {} is read back once it has landed", m.display_name(), d.lot);
                    report.waiting = Some(QUEUE.wait_out(&gw.store, &c.0, left, &why, now).await?);
                }
                None => claimed_dues.push((c, d)),
            }
        }
        if claimed_dues.is_empty() {
            continue;
        }
        let (claimed, dues): (Vec<_>, Vec<_>) = claimed_dues.into_iter().unzip();
        let steps = if dues.len() == 1 {
            let d = &dues[0];
            vec![pusher.push_one(gw, d.lot, &d.now, &d.remote).await]
        } else {
            pusher.push_many(gw, &dues).await
        };
        let mut steps = steps.into_iter();
        let mut waiting: Option<(chrono::Duration, String)> = None;
        for ((claim, lot, (due_seq, nudges)), d) in claimed.into_iter().zip(&dues) {
            let now = gw.clock.now();
            let step = match (steps.next(), &waiting) {
                (Some(step), _) => step,
                // Not pushed: behind a rate limit, it waits as well.
                (None, Some((hint, why))) => {
                    QUEUE.wait_out(&gw.store, &claim, *hint, why, now).await?;
                    continue;
                }
                (None, None) => Err(CallError::Engine(Error::Inconsistent {
                    what: format!("{}'s push", m.display_name()),
                    detail: "no result for this lot".into(),
                })),
            };
            match step {
                Ok(outcome) => {
                    let (op, remote_id, quantity, finished) = (outcome.op, outcome.remote_id.clone(), outcome.quantity, outcome.finished);
                    gw.store
                        .write(move |tx| {
                            outcome.store(tx, lot, m, now)?;
                            // Nudged meanwhile: the marketplace moved its copy by itself while
                            // this push was in flight, so what it was sent is not what it holds.
                            let nudged = tx
                                .prepare_cached(
                                    "UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = ?2
                                       AND (SELECT nudges FROM outbox WHERE id = ?3) > ?4",
                                )?
                                .execute(params![lot, m.as_str(), claim.id, nudges])?;
                            // A read-back among them is read again, with what it counts.
                            if nudged > 0 {
                                tx.prepare_cached("DELETE FROM sync_counted_sales WHERE inventory_id = ?1 AND marketplace = ?2")?
                                    .execute(params![lot, m.as_str()])?;
                            }
                            if finished {
                                QUEUE.complete(tx, claim.id, now)?;
                            }
                            // Changed meanwhile (a newer ledger entry, or a nudge: see
                            // `nudge_in_flight`), or a step of several (look-up, delete before a
                            // re-create): due again at once.
                            tx.prepare_cached(
                                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = NULL, lease_owner = NULL
                                 WHERE id = ?1 AND (due_seq > ?2 OR nudges > ?4 OR ?3)",
                            )?
                            .execute(params![claim.id, due_seq, !finished, nudges])?;
                            Ok(())
                        })
                        .await?;
                    if !finished {
                        again.push(claim.id);
                    }
                    report.pushed.push(SyncPush { inventory_id: lot, marketplace: m, op: op.into(), remote_id, quantity });
                }
                Err(e) if e.wait_hint().is_some() => {
                    let (hint, why) = (e.wait_hint().unwrap_or_default(), e.to_string());
                    report.waiting = Some(QUEUE.wait_out(&gw.store, &claim, hint, &why, now).await?);
                    waiting = Some((hint, why));
                }
                Err(e) => {
                    let (retryable, error) = (e.is_retryable(), e.to_string());
                    tracing::warn!(lot, marketplace = m.as_str(), error, "sync push failed");
                    let creating_refused = !retryable && d.remote.remote_id.is_none();
                    gw.store
                        .write(move |tx| {
                            // A create refused outright did not happen: nothing to look up later.
                            if creating_refused {
                                clear_creating(tx, lot, m)?;
                            }
                            QUEUE.fail(tx, &claim, &error, retryable, now)
                        })
                        .await?;
                    report.failed.extend(gw.store.read(move |c| status_of(c, Some(lot))).await?.into_iter().filter(|s| s.marketplace == m));
                }
            }
        }
        if waiting.is_some() {
            break;
        }
    }
    if report.waiting.is_none() {
        check(gw, pusher, &mut report).await?;
    }
    Ok(report)
}

/// How long a lot to read back still waits for its last delta to land: `None` when it is not to
/// be read back (its quantity on the store is known) or has waited long enough.
fn settling(r: &Remote, settle: chrono::Duration, now: DateTime<Utc>) -> Option<chrono::Duration> {
    if r.quantity.is_some() || r.remote_id.is_none() {
        return None;
    }
    let sent = r.sent_at.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok())?.with_timezone(&Utc);
    let left = sent + settle - now;
    (left > chrono::Duration::zero()).then_some(left)
}

/// How many lots one round checks at most (each check costs three calls).
pub const CHECKS_PER_ROUND: i64 = 10;

/// The check after a push whose outcome was uncertain. Such a push read the lot back
/// ([`learned`]) and marked it (`sync_state.verify`); once the sales that read counted are booked
/// and nothing is due for the lot, it is read again the same way and compared with the lot's
/// available quantity. With no sale of the store left unbooked around the read they must be
/// equal; with some, the store can only hold fewer (a sale not booked yet), never more. A lot
/// found off is kept (`store_off`), logged and reported (`sync run`'s `problems`, `doctor`, the
/// drift panel) for the seller to settle; one that cannot be judged yet is checked next round.
async fn check<P: Pusher>(gw: &Gateway, pusher: &P, report: &mut SyncRunReport) -> Result<()> {
    let m = pusher.marketplace();
    let due: Vec<(i64, String)> = gw
        .store
        .read(move |c| {
            Ok(c.prepare_cached(
                "SELECT s.inventory_id, s.remote_id FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
                 WHERE s.marketplace = ?1 AND s.verify = 1 AND s.remote_id IS NOT NULL AND s.remote_quantity IS NOT NULL
                   AND i.deleted_at IS NULL
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = s.inventory_id AND o.marketplace = s.marketplace AND o.status != 'done')
                   AND NOT EXISTS (SELECT 1 FROM sync_counted_sales k WHERE k.inventory_id = s.inventory_id AND k.marketplace = s.marketplace)
                 ORDER BY s.inventory_id LIMIT ?2",
            )?
            .query_map(params![m.as_str(), CHECKS_PER_ROUND], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await?;
    for (lot, remote_id) in due {
        let read = match pusher.read_back(gw, lot, &remote_id).await {
            Ok(read) => read,
            Err(e) if e.wait_hint().is_some() => break,
            Err(e) => {
                tracing::warn!(lot, marketplace = m.as_str(), error = %e, "check after an uncertain push: lot not read; next round tries again");
                continue;
            }
        };
        let problem = gw
            .store
            .write(move |tx| {
                let Some((held, unbooked)) = read else {
                    tx.execute("UPDATE sync_state SET verify = 0 WHERE inventory_id = ?1 AND marketplace = ?2", params![lot, m.as_str()])?;
                    return Ok(None);
                };
                // As it stands now: a push may have become due while the store was read (the
                // check then comes after that push).
                let (available, due, item_no): (i64, bool, String) = tx.query_row(
                    "SELECT max(i.quantity - i.reserved, 0),
                            EXISTS (SELECT 1 FROM outbox o WHERE o.inventory_id = i.id AND o.marketplace = ?2 AND o.status != 'done'),
                            i.item_no
                     FROM inventory i WHERE i.id = ?1",
                    params![lot, m.as_str()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?;
                if due || (!unbooked.is_empty() && held < available) {
                    return Ok(None);
                }
                let off = held != available;
                tx.execute(
                    "UPDATE sync_state SET verify = 0, store_off = ?3 WHERE inventory_id = ?1 AND marketplace = ?2",
                    params![lot, m.as_str(), off.then_some(held)],
                )?;
                Ok(off.then(|| crate::sync::drift::store_off_problem(m, lot, &item_no, &remote_id, held, available)))
            })
            .await?;
        if let Some(p) = problem {
            tracing::warn!(lot, marketplace = m.as_str(), detail = %p.detail, "a store does not hold what is available");
            report.problems.push(p);
        }
    }
    Ok(())
}

/// What a push did, to store in the transaction that completes its row.
pub struct Outcome {
    pub op: &'static str,
    pub remote_id: Option<String>,
    pub quantity: i64,
    /// `pushed` fields, when a create or update sent them.
    pub pushed: Option<Value>,
    /// False when this was a step of several (the row stays due).
    pub finished: bool,
    /// The remote lot no longer exists (deleted).
    pub gone: bool,
    /// A read-back ([`learned`]): the orders listed around the read that BrickDesk has not booked
    /// yet, whose pieces `quantity` already counts.
    pub counted: Option<Vec<String>>,
}

impl Outcome {
    fn store(&self, tx: &Transaction<'_>, lot: i64, m: Provider, now: DateTime<Utc>) -> Result<()> {
        if self.gone {
            tx.execute("DELETE FROM sync_state WHERE inventory_id = ?1 AND marketplace = ?2", params![lot, m.as_str()])?;
            return Ok(());
        }
        let Some(remote_id) = &self.remote_id else { return Ok(()) };
        let seq: i64 = tx.query_row("SELECT COALESCE(max(seq), 0) FROM ledger WHERE inventory_id = ?1", [lot], |r| r.get(0))?;
        tx.execute(
            "INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, synced_seq, remote_quantity, pushed, updated_at)
             VALUES (?1, ?2, ?3, 'synced', ?4, ?5, ?6, ?7)
             ON CONFLICT (inventory_id, marketplace) DO UPDATE SET remote_id = excluded.remote_id, status = 'synced',
                 synced_seq = excluded.synced_seq, remote_quantity = excluded.remote_quantity,
                 pushed = COALESCE(excluded.pushed, pushed), creating_since = NULL, last_error = NULL, updated_at = excluded.updated_at",
            params![lot, m.as_str(), remote_id, seq, self.quantity, self.pushed.as_ref().map(Value::to_string), format_ts(now)],
        )?;
        if let Some(orders) = &self.counted {
            // A read-back settles an uncertain push: the lot is checked once that settles.
            tx.execute("UPDATE sync_state SET verify = 1 WHERE inventory_id = ?1 AND marketplace = ?2", params![lot, m.as_str()])?;
            tx.execute("DELETE FROM sync_counted_sales WHERE inventory_id = ?1 AND marketplace = ?2", params![lot, m.as_str()])?;
            let mut insert =
                tx.prepare_cached("INSERT OR IGNORE INTO sync_counted_sales (inventory_id, marketplace, order_id) VALUES (?1, ?2, ?3)")?;
            for order in orders {
                insert.execute(params![lot, m.as_str(), order])?;
            }
        }
        Ok(())
    }
}

/// What a marketplace holds of a lot, read back together with the sales that figure already
/// counts, so that booking one of them later does not take its pieces off a second time. The
/// store's order list is read before and after the lot (`list`, `read`): the orders of a list
/// that did not change around the read are exactly those the figure counts. One that changed
/// (an order came in meanwhile) is read again, up to three times; then the later list is taken,
/// which can only count a sale too many (the store then shows fewer pieces than are available,
/// never more, until the next read).
pub async fn learned<L, R, LF, RF>(gw: &Gateway, m: Provider, list: L, read: R) -> std::result::Result<(i64, Vec<String>), CallError>
where
    L: Fn() -> LF,
    LF: std::future::Future<Output = std::result::Result<Vec<String>, CallError>>,
    R: Fn() -> RF,
    RF: std::future::Future<Output = std::result::Result<i64, CallError>>,
{
    let mut attempt = 0;
    let (held, listed) = loop {
        attempt += 1;
        let before: std::collections::BTreeSet<String> = list().await?.into_iter().collect();
        let held = read().await?;
        let after: std::collections::BTreeSet<String> = list().await?.into_iter().collect();
        if before == after || attempt == 3 {
            if before != after {
                tracing::warn!(marketplace = m.as_str(), "orders kept coming while a lot was read back; counting the later list");
            }
            break (held, after);
        }
    };
    let (account, listed) = (gw.account.clone(), listed.into_iter().collect::<Vec<_>>());
    let unbooked = gw
        .store
        .read(move |c| {
            let booked: std::collections::HashSet<String> = c
                .prepare_cached(
                    "SELECT external_id FROM orders WHERE marketplace = ?1 AND account = ?2
                       AND external_id IN (SELECT value FROM json_each(?3))",
                )?
                .query_map(params![m.as_str(), account, serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into())], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(listed.into_iter().filter(|o| !booked.contains(o)).collect::<Vec<_>>())
        })
        .await?;
    Ok((held, unbooked))
}

/// A lot of 3001 red new at A-01, 0.12 each, for the pushers' tests.
#[cfg(test)]
pub(crate) fn test_lot(available: i64, deleted: bool) -> LotNow {
    LotNow {
        item_no: "3001".into(),
        item_type: "PART".into(),
        color_id: 5,
        condition: "N".into(),
        available,
        price_e4: 1200,
        location: "A-01".into(),
        description: String::new(),
        deleted,
    }
}
