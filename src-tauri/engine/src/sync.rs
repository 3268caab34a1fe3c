//! Inventory sync: every local change to a lot reaches each marketplace that takes part in sync.
//!
//! - *Taking part*: a marketplace whose store was imported (linked) once (`sync.linked.<m>` in
//!   settings). Never before, so BrickDesk cannot list duplicates of lots a store already has.
//! - *Due*: every ledger entry of a lot calls [`mark_due`] in its own transaction: one [`QUEUE`]
//!   row per (lot, marketplace) remembers the newest ledger sequence number the marketplace must
//!   reflect. A burst of edits is one row, due [`DEBOUNCE`] after the last one.
//! - *Push*: the worker pushes the lot's *current* state once — the quantity for sale is the lot's
//!   available quantity (quantity − reserved) — and only what differs from what the marketplace
//!   holds (`sync_state.remote_quantity`, `pushed`). An order that came from marketplace M already
//!   took its pieces off M's lot: [`record_marketplace_sale`] books that, so M is not decremented
//!   twice while the others are brought down.
//! - *Nothing doubled*: before a create, `creating_since` is written; a create whose outcome is
//!   unknown (killed mid-call, a timeout) is looked up by the lot's tag before creating again.
//!
//! BrickLink is pushed here; BrickOwl and Allegro through the same queue and [`push_round`], in
//! `sync_brickowl.rs` and `sync_allegro.rs`. Allegro takes part per lot, not per store: a lot is
//! due for it when an offer is sold from the lot (`sync_allegro::allegro_offer_of`).

use brickdesk_ipc::{LotSync, Provider, SyncPush, SyncRunReport, SyncStatusEntry};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, params, OptionalExtension, Transaction};
use serde_json::{json, Value};

use crate::clock::format_ts;
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::bricklink::api::{Call, Client};
use crate::money::MoneyE4;
use crate::queue::Queue;

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
/// an offer could be sold from some lot ([`crate::sync_allegro::any_offer`]); most stores have
/// none, and then no lot pays for Allegro's look-ups (an import would, 100,000 times).
pub fn due_targets(c: &rusqlite::Connection) -> Result<Vec<Provider>> {
    let mut t = targets(c)?;
    if crate::sync_allegro::any_offer(c)? {
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
    let allegro = (targets.contains(&Provider::Allegro) && crate::sync_allegro::is_due(tx, lot)?).then_some(Provider::Allegro);
    for m in targets.iter().copied().filter(|m| *m != Provider::Allegro).chain(allegro) {
        tx.prepare_cached(
            "INSERT INTO outbox (inventory_id, marketplace, due_seq, next_attempt_at, created_at, updated_at)
             VALUES (:lot, :m, :seq, :due, :now, :now)
             ON CONFLICT (inventory_id, marketplace) DO UPDATE SET
                 due_seq = max(due_seq, excluded.due_seq),
                 updated_at = excluded.updated_at,
                 status = CASE WHEN status = 'processing' THEN status ELSE 'pending' END,
                 attempts = CASE WHEN status = 'processing' THEN attempts ELSE 0 END,
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
pub fn record_marketplace_sale(tx: &Transaction<'_>, lot: i64, m: Provider, delta: i64) -> Result<()> {
    tx.prepare_cached(
        "UPDATE sync_state SET remote_quantity = max(remote_quantity - ?3, 0)
         WHERE inventory_id = ?1 AND marketplace = ?2 AND remote_quantity IS NOT NULL",
    )?
    .execute(params![lot, m.as_str(), delta])?;
    nudge_in_flight(tx, lot, m)
}

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
/// push learns it from the marketplace first.
pub async fn forget_remote_quantity(gw: &Gateway, lot: i64, m: Provider) -> Result<()> {
    gw.store
        .write(move |tx| {
            crate::store::exec(
                tx,
                "UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = ?2",
                params![lot, m.as_str()],
            )?;
            Ok(())
        })
        .await
}

/// The tag that names a BrickDesk lot in BrickLink's private `remarks` after its location, so a
/// create whose outcome was lost can be found again.
pub fn tag(lot: i64) -> String {
    format!("[BD-{lot}]")
}

/// `remarks` as BrickDesk writes them: the location, then the tag.
fn remarks(location: &str, lot: i64) -> String {
    if location.is_empty() {
        tag(lot)
    } else {
        format!("{location} {}", tag(lot))
    }
}

/// A location read back from BrickLink `remarks`, without BrickDesk's tag.
pub fn location_from_remarks(remarks: &str) -> String {
    let r = remarks.trim();
    match r.rfind(" [BD-").or_else(|| r.starts_with("[BD-").then_some(0)) {
        Some(i) if r.ends_with(']') => r[..i].trim().to_string(),
        _ => r.to_string(),
    }
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

fn fields(l: &LotNow) -> Value {
    pushed_fields(l.price_e4, &l.location, &l.description, &l.condition)
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
        .prepare_cached("SELECT remote_id, remote_quantity, pushed, creating_since IS NOT NULL FROM sync_state WHERE inventory_id = ?1 AND marketplace = ?2")?
        .query_row(params![lot, m.as_str()], |r| {
            let pushed: Option<String> = r.get(2)?;
            Ok(Remote { remote_id: r.get(0)?, quantity: r.get(1)?, pushed: pushed.and_then(|p| serde_json::from_str(&p).ok()), creating: r.get(3)? })
        })
        .optional()?
        .unwrap_or_default();
    Ok((l, remote))
}

/// What one push does, decided from the lot and the remote copy.
#[derive(Debug)]
enum Plan {
    /// Already equal: no call.
    Nothing,
    /// A create was sent and its outcome is unknown: find it first.
    LookUp,
    /// The remote quantity is unknown (linked before BrickDesk counted it): read it first.
    Learn(String),
    Create(Value),
    Update {
        id: String,
        delta: i64,
        body: Value,
    },
    Delete(String),
}

fn plan(lot: i64, l: &LotNow, r: &Remote) -> Plan {
    match (&r.remote_id, l.deleted) {
        (Some(id), true) => Plan::Delete(id.clone()),
        (None, true) => Plan::Nothing,
        (None, false) if r.creating => Plan::LookUp,
        // Nothing for sale and nothing listed: nothing to create.
        (None, false) if l.available == 0 => Plan::Nothing,
        (None, false) => {
            let mut body = json!({
                "item": {"no": l.item_no, "type": l.item_type},
                "color_id": l.color_id,
                "quantity": l.available,
                "new_or_used": l.condition,
            });
            if let (Some(b), Value::Object(f)) = (body.as_object_mut(), fields(l)) {
                b.extend(f.into_iter().filter(|(k, _)| k != "condition"));
            }
            // The tag finds the lot again if the answer to this create is lost.
            body["remarks"] = json!(remarks(&l.location, lot));
            Plan::Create(body)
        }
        (Some(id), false) => {
            let Some(held) = r.quantity else { return Plan::Learn(id.clone()) };
            let now = fields(l);
            // BrickLink cannot change a lot's condition: delete it, and the next push creates it.
            if r.pushed.as_ref().and_then(|p| p.get("condition")).is_some_and(|c| *c != now["condition"]) {
                return Plan::Delete(id.clone());
            }
            let delta = l.available - held;
            if delta == 0 && r.pushed.as_ref() == Some(&now) {
                return Plan::Nothing;
            }
            let mut body = json!({
                "unit_price": now["unit_price"],
                "remarks": now["remarks"],
                // Required on every PUT since 2024-02 (bricklink.md §6.3).
                "description": now["description"],
            });
            if delta != 0 {
                body["quantity"] = json!(format!("{delta:+}"));
            }
            Plan::Update { id: id.clone(), delta, body }
        }
    }
}

/// Makes lots whose debounce has not run out due now (the seller's `sync run`: push now). Rows
/// backing off after a failure or waiting for a budget keep their time.
pub fn skip_debounce(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE outbox SET next_attempt_at = NULL WHERE status = 'pending' AND last_error IS NULL AND next_attempt_at > ?1",
        [format_ts(now)],
    )?)
}

/// One BrickLink round: claims due rows and pushes each (all due rows when `limit` is None).
/// Stops at a spent budget or a rate limit (the row waits, using no attempt).
pub async fn push_bricklink(gw: &Gateway, client: &Client, limit: Option<usize>) -> Result<SyncRunReport> {
    push_round(gw, client, limit).await
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

impl Pusher for Client {
    fn marketplace(&self) -> Provider {
        Provider::Bricklink
    }

    fn push_one(
        &self,
        gw: &Gateway,
        lot: i64,
        l: &LotNow,
        r: &Remote,
    ) -> impl std::future::Future<Output = std::result::Result<Outcome, CallError>> + Send {
        push_one(gw, self, lot, l, r)
    }
}

/// Claims `pusher`'s due rows and pushes each (all due rows when `limit` is None), one by one or
/// [`Pusher::batch_size`] together: complete (or due again when the lot changed meanwhile or the
/// push was one step of several), fail with backoff, or wait for a budget / rate limit (no
/// attempt used; every lot of the chunk not pushed waits too).
pub async fn push_round<P: Pusher>(gw: &Gateway, pusher: &P, limit: Option<usize>) -> Result<SyncRunReport> {
    let m = pusher.marketplace();
    let mut report = SyncRunReport { pushed: Vec::new(), failed: Vec::new(), waiting: None };
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
                            tx.prepare_cached(
                                "UPDATE sync_state SET remote_quantity = NULL WHERE inventory_id = ?1 AND marketplace = ?2
                                   AND (SELECT nudges FROM outbox WHERE id = ?3) > ?4",
                            )?
                            .execute(params![lot, m.as_str(), claim.id, nudges])?;
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
    Ok(report)
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
        Ok(())
    }
}

async fn push_one(gw: &Gateway, client: &Client, lot: i64, l: &LotNow, r: &Remote) -> std::result::Result<Outcome, CallError> {
    let done =
        |op, remote_id: Option<String>, quantity, pushed, finished| Outcome { op, remote_id, quantity, pushed, finished, gone: false };
    match plan(lot, l, r) {
        Plan::Nothing => Ok(done("none", r.remote_id.clone(), r.quantity.unwrap_or(0), None, true)),
        Plan::Learn(id) => {
            let data = gw.bricklink(client, &Call::InventoryLot(id.clone())).await?;
            let held = data.get("quantity").and_then(Value::as_i64).unwrap_or(0);
            Ok(done("read", Some(id), held, None, false))
        }
        Plan::LookUp => {
            let data = gw.bricklink(client, &Call::InventoriesOf { item_type: l.item_type.clone(), color_id: l.color_id }).await?;
            let tag = tag(lot);
            let found = data.as_array().into_iter().flatten().find(|x| {
                x["item"]["no"].as_str() == Some(l.item_no.as_str())
                    && x["new_or_used"].as_str() == Some(l.condition.as_str())
                    && x["remarks"].as_str().is_some_and(|rm| rm.contains(&tag))
            });
            match found {
                Some(x) => {
                    let id = x["inventory_id"].as_i64().map(|i| i.to_string()).unwrap_or_default();
                    let held = x["quantity"].as_i64().unwrap_or(0);
                    tracing::info!(lot, remote = %id, "an earlier create did land on BrickLink; linked, not created again");
                    // Pushed as created: the location with the tag, which the next update tidies.
                    let mut pushed = fields(l);
                    pushed["remarks"] = json!(remarks(&l.location, lot));
                    Ok(done("found", Some(id), held, Some(pushed), false))
                }
                // It never landed: create now (the marker is cleared, the row stays due).
                None => {
                    forget_creating(gw, lot, Provider::Bricklink).await?;
                    Ok(done("none", None, 0, None, false))
                }
            }
        }
        Plan::Create(body) => {
            mark_creating(gw, lot, Provider::Bricklink).await?;
            let data = gw.bricklink(client, &Call::CreateLot(body)).await?;
            let id = data.get("inventory_id").and_then(|v| v.as_i64().map(|i| i.to_string()).or_else(|| v.as_str().map(str::to_string)));
            let id = id.ok_or_else(|| {
                CallError::Engine(Error::Inconsistent { what: "BrickLink's create answer".into(), detail: "no inventory_id".into() })
            })?;
            let mut pushed = fields(l);
            pushed["remarks"] = json!(remarks(&l.location, lot));
            Ok(done("create", Some(id), l.available, Some(pushed), true))
        }
        Plan::Update { id, delta, body } => {
            if delta != 0 {
                // Until BrickLink answers, what it holds is unknown: if the answer is lost (or
                // BrickDesk dies), the next push reads the lot before sending another delta.
                forget_remote_quantity(gw, lot, Provider::Bricklink).await?;
            }
            gw.bricklink(client, &Call::UpdateLot { id: id.clone(), body }).await?;
            let held = r.quantity.unwrap_or(0) + delta;
            Ok(done("update", Some(id), held, Some(fields(l)), true))
        }
        Plan::Delete(id) => {
            match gw.bricklink(client, &Call::DeleteLot(id.clone())).await {
                Ok(_) => {}
                // Already gone on BrickLink (deleted on the website): the goal is reached.
                Err(CallError::Market(e)) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
            Ok(Outcome { op: "delete", remote_id: Some(id), quantity: 0, pushed: None, finished: l.deleted, gone: true })
        }
    }
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
            marketplace: crate::orders::stored_provider(&market)?,
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
        out.entry(e.inventory_id).or_default().push(LotSync {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(available: i64, deleted: bool) -> LotNow {
        test_lot(available, deleted)
    }

    #[test]
    fn plans_push_only_what_differs() {
        let l = lot(10, false);
        assert!(matches!(plan(7, &l, &Remote::default()), Plan::Create(ref b) if b["quantity"] == 10 && b["remarks"] == "A-01 [BD-7]"));
        assert!(matches!(plan(7, &lot(0, false), &Remote::default()), Plan::Nothing), "nothing for sale, nothing listed");
        let synced = Remote { remote_id: Some("99".into()), quantity: Some(10), pushed: Some(fields(&l)), creating: false };
        assert!(matches!(plan(7, &l, &synced), Plan::Nothing));
        let sold = Remote { quantity: Some(13), ..synced.clone() };
        assert!(
            matches!(plan(7, &l, &sold), Plan::Update { delta: -3, ref body, .. } if body["quantity"] == "-3" && body["description"] == "")
        );
        assert!(matches!(plan(7, &lot(10, true), &synced), Plan::Delete(ref id) if id == "99"));
        assert!(matches!(plan(7, &l, &Remote { creating: true, ..Remote::default() }), Plan::LookUp));
        assert!(matches!(plan(7, &l, &Remote { quantity: None, ..synced.clone() }), Plan::Learn(_)));
        let mut used = lot(10, false);
        used.condition = "U".into();
        assert!(matches!(plan(7, &used, &synced), Plan::Delete(_)), "condition changes recreate the lot");
    }

    #[test]
    fn the_tag_never_becomes_part_of_the_location() {
        assert_eq!(location_from_remarks("A-01 [BD-12]"), "A-01");
        assert_eq!(location_from_remarks("[BD-12]"), "");
        assert_eq!(location_from_remarks("Box 3 [old]"), "Box 3 [old]");
        assert_eq!(location_from_remarks(" B-2 "), "B-2");
    }
}
