//! BrickOwl's side of inventory sync (brickowl.md §4, §6): [`round::push_round`] claims, completes,
//! fails and waits; this file decides and sends one lot's push, and imports the BrickOwl store.
//!
//! - BrickOwl names items by BOID: a BrickLink item's BOID is looked up once
//!   (`catalog/id_lookup`) and kept in `brickowl_ids`. Colours map through BrickOwl's colour list
//!   (cached by `catalog/brickowl.rs` in settings `brickowl.color_map`, BrickOwl → BrickLink).
//! - Quantities move by deltas (`relative_quantity`), as on BrickLink: a BrickOwl sale BrickDesk
//!   has not polled yet composes with the push instead of being overwritten by it. A delta is not
//!   safe to send twice, so until BrickOwl answers it the quantity BrickOwl holds is unknown
//!   (`forget_remote_quantity`): a lost answer, a kill mid-call or a refusal (a delta that would
//!   take the lot below 0: BrickOwl sold more than BrickDesk counted) makes the next push read the
//!   lot first ([`Plan::Learn`]) and send the difference from what it holds.
//! - The lot carries `external_id` = `bd-<lot id>`, the form order lines already resolve to the
//!   local lot (`convert::line`), so a create whose answer was lost is found again by
//!   `inventory/list?external_id_1=` before creating a second lot.

use brickdesk_ipc::Provider;
use serde_json::Value;

use crate::base::money::MoneyE4;
use crate::catalog::brickowl::{boid_of, colours};
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::brickowl::api::{Call, Client, LotUpdate, NewLot as BoNewLot, BATCH_MAX};
use crate::marketplaces::brickowl::convert::{self as boc, external_id, price_e4_on_brickowl, refused};
use crate::marketplaces::types::Condition;
use crate::marketplaces::{Envelope, MarketError};
use crate::stock::outbox;
use crate::sync::round::{self, Due, LotNow, Outcome, Pusher, Remote};

const M: Provider = Provider::Brickowl;

fn price_text(price_e4: i64) -> String {
    MoneyE4(price_e4_on_brickowl(price_e4)).to_string_with(3)
}

fn condition_of(l: &LotNow) -> Condition {
    // Only N and U are ever stored (stock/lots.rs validates); a stray value counts as used.
    Condition::parse(&l.condition).unwrap_or(Condition::Used)
}

fn fields(l: &LotNow) -> Value {
    outbox::pushed_fields(l.price_e4, &l.location, &l.description, &l.condition)
}

/// What one push does, decided from the lot and what BrickDesk knows of BrickOwl's copy.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    Nothing,
    /// A create was sent and its outcome is unknown: find it by its external id first.
    LookUp,
    /// What BrickOwl holds is unknown (a delta's outcome was lost, or the lot was linked before
    /// BrickDesk counted it): read the lot first.
    Learn(String),
    Create,
    Update(LotUpdate),
    Delete(String),
}

fn plan(l: &LotNow, r: &Remote) -> Plan {
    match (&r.remote_id, l.deleted) {
        (Some(id), true) => Plan::Delete(id.clone()),
        (None, true) => Plan::Nothing,
        (None, false) if r.creating => Plan::LookUp,
        // BrickOwl refuses an empty new lot, and nothing for sale needs no listing.
        (None, false) if l.available == 0 => Plan::Nothing,
        (None, false) => Plan::Create,
        (Some(id), false) => {
            let Some(held) = r.quantity else { return Plan::Learn(id.clone()) };
            let now = fields(l);
            let differs = |k: &str| r.pushed.as_ref().and_then(|p| p.get(k)) != now.get(k);
            let delta = l.available - held;
            let update = LotUpdate {
                lot_id: id.clone(),
                relative_quantity: (delta != 0).then_some(delta),
                absolute_quantity: None,
                // BrickOwl refuses a price of 0: BrickOwl keeps its own until there is one.
                price: (differs("unit_price") && price_e4_on_brickowl(l.price_e4) > 0).then(|| price_text(l.price_e4)),
                personal_note: differs("remarks").then(|| l.location.clone()),
                public_note: differs("description").then(|| l.description.clone()),
                // Unlike BrickLink, BrickOwl changes a lot's condition in place.
                condition: differs("condition").then(|| boc::bo_condition(&l.item_type, condition_of(l)).to_string()),
            };
            if update.is_empty() {
                Plan::Nothing
            } else {
                Plan::Update(update)
            }
        }
    }
}

/// More due lots than this in a round go to BrickOwl in `bulk/batch` requests (the issue's
/// threshold): one request for up to [`BATCH_MAX`] lots, on the bulk limit instead of the 600.
pub const BATCH_ABOVE: usize = 10;

impl Pusher for Client {
    fn marketplace(&self) -> Provider {
        M
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

    fn read_back(
        &self,
        gw: &Gateway,
        lot: i64,
        remote_id: &str,
    ) -> impl std::future::Future<Output = std::result::Result<Option<(i64, Vec<String>)>, CallError>> + Send {
        async move { read_back(gw, self, lot, remote_id).await.map(Some) }
    }

    fn batch_size(&self, due: usize) -> usize {
        if due > BATCH_ABOVE {
            BATCH_MAX
        } else {
            1
        }
    }

    fn push_many<'a>(
        &'a self,
        gw: &'a Gateway,
        lots: &'a [Due],
    ) -> impl std::future::Future<Output = Vec<std::result::Result<Outcome, CallError>>> + Send + 'a {
        push_many(gw, self, lots)
    }
}

/// A write decided for one lot, sent alone or inside a `bulk/batch`.
#[derive(Debug)]
enum Write {
    Create(BoNewLot),
    Update(LotUpdate),
    Delete(String),
}

impl Write {
    fn call(&self) -> Call {
        match self {
            Write::Create(new) => Call::InventoryCreate(new.clone()),
            Write::Update(u) => Call::InventoryUpdate(u.clone()),
            Write::Delete(id) => Call::InventoryDelete { lot_id: id.clone() },
        }
    }
}

/// What a push needs next: nothing more (it is done), or one write.
enum Step {
    Done(Outcome),
    Send(Write),
}

fn done(op: &'static str, remote_id: Option<String>, quantity: i64, pushed: Option<Value>, finished: bool) -> Outcome {
    Outcome { op, remote_id, quantity, pushed, finished, gone: false, counted: None }
}

/// What BrickOwl holds of its lot `id` (BrickDesk's `lot`), with the week's orders that figure
/// counts and BrickDesk has not booked ([`round::learned`]).
async fn read_back(gw: &Gateway, client: &Client, lot: i64, id: &str) -> std::result::Result<(i64, Vec<String>), CallError> {
    // A week of orders: the ones not booked yet are this week's.
    let since = (gw.clock.now() - chrono::Duration::days(7)).timestamp();
    let list = || async {
        Ok(boc::order_list(gw.brickowl(client, &Call::OrderList { since_unix: since }).await?)?
            .into_iter()
            .map(|o| o.external_id)
            .collect())
    };
    let read = || async {
        let data = gw.brickowl(client, &Call::InventoryList { external_id: None, lot_id: Some(id.to_string()) }).await?;
        match boc::inventory(data, &boc::ColorMap::new())?.into_iter().find(|x| x.lot_id == id) {
            Some(x) => Ok(x.quantity),
            None => Err(refused(
                "/inventory/list",
                "lot not found",
                format!("BrickOwl has no lot {id} any more (deleted on the website?): lot {lot} cannot be synced to it"),
            )
            .into()),
        }
    };
    round::learned(gw, M, list, read).await
}

/// Decides the lot's push and does what must happen before its write: the look-up of a create
/// whose outcome is unknown, the BOID and colour of a new lot.
async fn prepare(gw: &Gateway, client: &Client, lot: i64, l: &LotNow, r: &Remote) -> std::result::Result<Step, CallError> {
    match plan(l, r) {
        Plan::Nothing => Ok(Step::Done(done("none", r.remote_id.clone(), r.quantity.unwrap_or(0), None, true))),
        Plan::LookUp => {
            let data = gw.brickowl(client, &Call::InventoryList { external_id: Some(external_id(lot)), lot_id: None }).await?;
            // Colours are not needed to recognise the lot: it carries BrickDesk's own id.
            let found = boc::inventory(data, &boc::ColorMap::new())?.into_iter().next();
            match found {
                Some(x) => {
                    tracing::info!(lot, remote = %x.lot_id, "an earlier create did land on BrickOwl; linked, not created again");
                    // Pushed as BrickOwl holds it: the next step sends whatever differs.
                    let pushed = outbox::pushed_fields(x.price.0, &x.location, &x.description, x.condition.as_str());
                    Ok(Step::Done(done("found", Some(x.lot_id), x.quantity, Some(pushed), false)))
                }
                // It never landed: create now (the marker is cleared, the row stays due).
                None => {
                    round::forget_creating(gw, lot, Provider::Brickowl).await?;
                    Ok(Step::Done(done("none", None, 0, None, false)))
                }
            }
        }
        Plan::Learn(id) => {
            let (held, counted) = read_back(gw, client, lot, &id).await?;
            Ok(Step::Done(Outcome { counted: Some(counted), ..done("read", Some(id), held, None, false) }))
        }
        Plan::Create => Ok(Step::Send(Write::Create(new_lot(gw, client, lot, l).await?))),
        Plan::Update(update) => Ok(Step::Send(Write::Update(update))),
        Plan::Delete(id) => Ok(Step::Send(Write::Delete(id))),
    }
}

/// The outcome of `write` for the lot, from BrickOwl's answer to it (alone or in a batch).
fn finish(write: &Write, l: &LotNow, answer: std::result::Result<Value, CallError>) -> std::result::Result<Outcome, CallError> {
    match write {
        Write::Create(_) => {
            let data = answer?;
            let id = data.get("lot_id").and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|i| i.to_string())));
            let id = id.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                // The marker stays: the next attempt finds the lot by its external id.
                CallError::Engine(Error::Inconsistent { what: "BrickOwl's create answer".into(), detail: "no lot_id".into() })
            })?;
            // A create cannot carry notes (brickowl.md §4): BrickOwl holds them empty, and when the
            // lot has a location or description the row stays due for the update that sends them.
            let pushed = outbox::pushed_fields(l.price_e4, "", "", &l.condition);
            let finished = pushed == fields(l);
            Ok(done("create", Some(id), l.available, Some(pushed), finished))
        }
        Write::Update(update) => {
            match (answer, update.relative_quantity) {
                (Ok(_), _) => {}
                // Refused: BrickOwl holds fewer than BrickDesk counted (a sale it made that is not
                // polled yet). The quantity was forgotten before sending: the next try reads the lot.
                (Err(CallError::Market(MarketError::Rejected { envelope, .. })), Some(delta)) if envelope.code != 404 => {
                    return Err(CallError::Engine(Error::Inconsistent {
                        what: format!("BrickOwl lot {}'s quantity", update.lot_id),
                        detail: format!(
                            "BrickOwl refused to move it by {delta:+} ({}: {}); it is read again before the next try",
                            envelope.message, envelope.description
                        ),
                    }));
                }
                (Err(e), _) => return Err(e),
            }
            // `delta` was the difference from what BrickOwl held: it now holds what is available.
            Ok(done("update", Some(update.lot_id.clone()), l.available, Some(fields(l)), true))
        }
        Write::Delete(id) => {
            match answer {
                Ok(_) => {}
                // Already gone on BrickOwl (deleted on the website): the goal is reached.
                Err(CallError::Market(e)) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
            Ok(Outcome {
                op: "delete",
                remote_id: Some(id.clone()),
                quantity: 0,
                pushed: None,
                finished: l.deleted,
                gone: true,
                counted: None,
            })
        }
    }
}

/// What must be on record before `write` leaves, in case its answer never comes: a create's
/// marker (look it up before creating again), a delta's unknown outcome (read the lot before
/// sending another).
async fn before_sending(gw: &Gateway, lot: i64, write: &Write) -> Result<()> {
    match write {
        Write::Create(_) => round::mark_creating(gw, lot, Provider::Brickowl).await,
        Write::Update(u) if u.relative_quantity.is_some() => round::forget_remote_quantity(gw, lot, Provider::Brickowl).await,
        _ => Ok(()),
    }
}

async fn push_one(gw: &Gateway, client: &Client, lot: i64, l: &LotNow, r: &Remote) -> std::result::Result<Outcome, CallError> {
    let write = match prepare(gw, client, lot, l, r).await? {
        Step::Done(outcome) => return Ok(outcome),
        Step::Send(write) => write,
    };
    before_sending(gw, lot, &write).await?;
    let answer = gw.brickowl(client, &write.call()).await;
    finish(&write, l, answer)
}

/// Pushes `lots` with their writes in `bulk/batch` requests of up to [`BATCH_MAX`]: what must
/// happen first (look-ups, BOIDs) is done lot by lot; creates get their marker before the batch
/// is sent, as alone, so a batch whose answer is lost is looked up, never created twice. One
/// result per lot, in order; after a rate limit the lots not pushed are left without one.
async fn push_many(gw: &Gateway, client: &Client, lots: &[Due]) -> Vec<std::result::Result<Outcome, CallError>> {
    let mut results: Vec<Option<std::result::Result<Outcome, CallError>>> = Vec::with_capacity(lots.len());
    let mut writes: Vec<(usize, Write)> = Vec::new();
    for (i, d) in lots.iter().enumerate() {
        match prepare(gw, client, d.lot, &d.now, &d.remote).await {
            Ok(Step::Done(outcome)) => results.push(Some(Ok(outcome))),
            Ok(Step::Send(write)) => {
                results.push(None);
                writes.push((i, write));
            }
            // Nothing more is sent now: the writes decided so far wait with the rest.
            Err(e) if e.wait_hint().is_some() => return cut_at_wait(results, e),
            Err(e) => results.push(Some(Err(e))),
        }
    }
    for (i, write) in &writes {
        if let Err(e) = before_sending(gw, lots[*i].lot, write).await {
            results[*i] = Some(Err(e.into()));
        }
    }
    let writes: Vec<(usize, Write)> = writes.into_iter().filter(|(i, _)| results[*i].is_none()).collect();
    for chunk in writes.chunks(BATCH_MAX) {
        let calls: Vec<Call> = chunk.iter().map(|(_, w)| w.call()).collect();
        let answers = match gw.brickowl(client, &Call::BulkBatch(calls)).await {
            Ok(body) => batch_results(body, chunk.len()),
            Err(e) => {
                if e.wait_hint().is_some() {
                    // Every lot of the batch waits (the round gives back the lots without a result).
                    return cut_at_wait(results, e);
                }
                chunk.iter().map(|_| Err(for_each_lot(&e))).collect()
            }
        };
        for ((i, write), answer) in chunk.iter().zip(answers) {
            results[*i] = Some(finish(write, &lots[*i].now, answer));
        }
    }
    results.into_iter().take_while(Option::is_some).flatten().collect()
}

/// The results up to the first lot not pushed, which gets the rate limit `wait`: the round makes
/// it and every lot after it wait.
fn cut_at_wait(
    results: Vec<Option<std::result::Result<Outcome, CallError>>>,
    wait: CallError,
) -> Vec<std::result::Result<Outcome, CallError>> {
    let mut out: Vec<_> = results.into_iter().map_while(|r| r).collect();
    out.push(Err(wait));
    out
}

/// A whole batch's failure as each of its lots' own.
fn for_each_lot(e: &CallError) -> CallError {
    match e {
        CallError::Market(MarketError::Rejected { marketplace, endpoint, envelope }) => {
            CallError::Market(MarketError::Rejected { marketplace: *marketplace, endpoint: endpoint.clone(), envelope: envelope.clone() })
        }
        CallError::Market(MarketError::Unauthorized { marketplace, detail }) => {
            CallError::Market(MarketError::Unauthorized { marketplace: *marketplace, detail: detail.clone() })
        }
        // Retried later: the create markers stay, so an unknown outcome is looked up first.
        other => CallError::Engine(Error::Inconsistent { what: "BrickOwl's bulk/batch".into(), detail: other.to_string() }),
    }
}

/// BrickOwl's answer to a `bulk/batch` of `n` calls, per call. Its shape is not documented
/// (brickowl.md §2 [unc]); read as the simulator answers: an array with one entry per call, in
/// order, each the endpoint's own answer or `{"error": text, "code": HTTP status}`. Anything
/// else for an entry (missing, not an object, a write without `"status":"success"`) is that
/// call's outcome unknown: it fails retryably, and a create keeps its marker to be looked up.
fn batch_results(body: Value, n: usize) -> Vec<std::result::Result<Value, CallError>> {
    let unknown = |detail: String| CallError::Engine(Error::Inconsistent { what: "BrickOwl's bulk/batch answer".into(), detail });
    let entries = match body {
        Value::Array(a) => a,
        other => return (0..n).map(|_| Err(unknown(format!("not a list: {}", short(&other))))).collect(),
    };
    let mut entries = entries.into_iter();
    (0..n)
        .map(|i| match entries.next() {
            None => Err(unknown(format!("no answer for call {}", i + 1))),
            Some(e) if e.get("error").is_some() => {
                let text = match &e["error"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let code = e.get("code").and_then(|c| c.as_u64().or_else(|| c.as_str().and_then(|s| s.trim().parse().ok())));
                let code = code.and_then(|c| u16::try_from(c).ok()).unwrap_or(400);
                Err(CallError::Market(match code {
                    401 | 403 => MarketError::Unauthorized { marketplace: M, detail: text },
                    429 => MarketError::RateLimited { marketplace: M, retry_after: None },
                    s if s >= 500 => MarketError::Server { marketplace: M, endpoint: "/bulk/batch".into(), status: s, detail: text },
                    s => MarketError::Rejected {
                        marketplace: M,
                        endpoint: "/bulk/batch".into(),
                        envelope: Envelope { code: i64::from(s), message: "HTTP error".into(), description: text },
                    },
                }))
            }
            Some(e) if e.get("status").and_then(Value::as_str) == Some("success") => Ok(e),
            Some(e) => Err(unknown(format!("call {}: {}", i + 1, short(&e)))),
        })
        .collect()
}

fn short(v: &Value) -> String {
    v.to_string().chars().take(120).collect()
}

/// `inventory/create`'s arguments for the lot: its BOID, BrickOwl colour and condition.
async fn new_lot(gw: &Gateway, client: &Client, lot: i64, l: &LotNow) -> std::result::Result<BoNewLot, CallError> {
    if price_e4_on_brickowl(l.price_e4) <= 0 {
        return Err(refused(
            "/inventory/create",
            "no price",
            format!("BrickOwl lists a lot only with a price above 0; lot {lot} has none. Set a price and retry"),
        )
        .into());
    }
    let Some(bo_type) = boc::bo_type(&l.item_type, &l.item_no) else {
        return Err(refused(
            "/catalog/id_lookup",
            "item type not on BrickOwl",
            format!("BrickOwl has no {} items: lot {lot} ({}) stays on the other marketplaces only", l.item_type, l.item_no),
        )
        .into());
    };
    let boid = boid_of(gw, client, bo_type, &l.item_type, &l.item_no).await?;
    // Parts need a colour; gear may have one; other types must not send one (brickowl.md §4).
    let color_id = match bo_type {
        "Part" | "Sticker" | "Gear" | "Minibuild" if l.color_id != 0 || matches!(bo_type, "Part" | "Sticker") => {
            let colors = colours(gw, client).await?;
            // Several BrickOwl colours can name the same BrickLink one: the lowest id, always.
            let bo = colors.iter().filter(|(_, bl)| **bl == l.color_id).map(|(bo, _)| *bo).min();
            Some(bo.ok_or_else(|| {
                refused(
                    "/catalog/color_list",
                    "colour not on BrickOwl",
                    format!("BrickLink colour {} of lot {lot} ({}) has no BrickOwl colour", l.color_id, l.item_no),
                )
            })?)
        }
        _ => None,
    };
    Ok(BoNewLot {
        boid,
        color_id,
        condition: boc::bo_condition(&l.item_type, condition_of(l)).to_string(),
        quantity: l.available,
        price: price_text(l.price_e4),
        external_id: external_id(lot),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketplaces::brickowl::convert::lot_of_external_id;

    fn lot(available: i64, deleted: bool) -> LotNow {
        crate::sync::round::test_lot(available, deleted)
    }

    #[test]
    fn plans_push_quantity_deltas_and_only_changed_fields() {
        let l = lot(10, false);
        assert_eq!(plan(&l, &Remote::default()), Plan::Create);
        assert_eq!(plan(&lot(0, false), &Remote::default()), Plan::Nothing, "nothing for sale, nothing listed");
        assert_eq!(plan(&l, &Remote { creating: true, ..Remote::default() }), Plan::LookUp);
        let synced = Remote { remote_id: Some("77".into()), quantity: Some(10), pushed: Some(fields(&l)), creating: false, sent_at: None };
        assert_eq!(plan(&l, &synced), Plan::Nothing);
        let sold = Remote { quantity: Some(13), ..synced.clone() };
        assert_eq!(plan(&l, &sold), Plan::Update(LotUpdate { lot_id: "77".into(), relative_quantity: Some(-3), ..LotUpdate::default() }));
        let restocked = Remote { quantity: Some(4), ..synced.clone() };
        assert_eq!(
            plan(&l, &restocked),
            Plan::Update(LotUpdate { lot_id: "77".into(), relative_quantity: Some(6), ..LotUpdate::default() })
        );
        let mut moved = lot(10, false);
        moved.location = "B-02".into();
        moved.price_e4 = 1234;
        moved.condition = "U".into();
        assert_eq!(
            plan(&moved, &synced),
            Plan::Update(LotUpdate {
                lot_id: "77".into(),
                price: Some("0.123".into()),
                personal_note: Some("B-02".into()),
                condition: Some("usedn".into()),
                ..LotUpdate::default()
            }),
            "the condition changes in place"
        );
        assert_eq!(plan(&lot(10, true), &synced), Plan::Delete("77".into()));
        assert_eq!(
            plan(&lot(0, false), &Remote { quantity: None, ..synced.clone() }),
            Plan::Learn("77".into()),
            "what BrickOwl holds is read, never overwritten"
        );
    }

    #[test]
    fn a_batch_answer_is_read_per_call_and_what_cannot_be_read_is_unknown() {
        let body = serde_json::json!([
            {"status": "success"},
            {"error": "Lot not found", "code": 404},
            {"status": "success", "lot_id": "77"},
            "garbage",
            {"error": "Slow down", "code": "429"},
        ]);
        let r = batch_results(body, 6);
        assert_eq!(r.len(), 6);
        assert!(r[0].is_ok() && r[2].is_ok());
        assert!(matches!(&r[1], Err(CallError::Market(e)) if e.is_not_found() && e.to_string().contains("Lot not found")), "{:?}", r[1]);
        for unknown in [&r[3], &r[5]] {
            assert!(matches!(unknown, Err(e @ CallError::Engine(_)) if e.is_retryable()), "{unknown:?}");
        }
        assert!(matches!(&r[4], Err(e) if e.wait_hint().is_some()));
        let not_a_list = batch_results(serde_json::json!({"status": "success"}), 2);
        assert!(not_a_list.iter().all(|x| matches!(x, Err(CallError::Engine(_)))));
        let l = lot(3, false);
        let create = Write::Create(BoNewLot {
            boid: "1".into(),
            color_id: None,
            condition: "new".into(),
            quantity: 3,
            price: "0.120".into(),
            external_id: "bd-1".into(),
        });
        let no_id = finish(&create, &l, Ok(serde_json::json!({"status": "success"})));
        assert!(matches!(no_id, Err(e) if e.is_retryable()), "an unknown create is retried, after a look-up");
    }

    #[test]
    fn external_ids_and_prices_as_brickowl_keeps_them() {
        assert_eq!(lot_of_external_id(&external_id(42)), Some(42));
        assert_eq!(lot_of_external_id("55984821"), None);
        assert_eq!(price_text(1200), "0.120");
        assert_eq!(price_text(1235), "0.124");
        assert_eq!(price_e4_on_brickowl(4), 0, "below BrickOwl's precision is no price");
    }
}
