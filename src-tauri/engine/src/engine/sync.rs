//! Pushing stock: a sync round now, its status and retries, and the drift check with its answers.

use super::{correlation_id, Engine, Market};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::marketplaces::{bricklink, MarketError};
use crate::stock::{lots as inventory, outbox};
use crate::sync::{brickowl_store, drift, round};
use brickdesk_ipc::{
    DoctorReport, DriftChoice, DriftReport, InventoryLot, Provider, PublishRefused, PublishReport, SyncRetried, SyncRunReport,
    SyncStatusEntry,
};

use crate::marketplaces::bricklink::convert::RemoteLot;

impl Engine {
    /// `sync run`: every due lot now (not waiting for the debounce), to completion.
    pub async fn sync_run(&self) -> Result<SyncRunReport> {
        let now = self.config.clock.now();
        self.store.write(move |tx| outbox::skip_debounce(tx, now)).await?;
        self.sync_round().await
    }

    /// One sync round to completion for every connected marketplace that takes part.
    pub(super) async fn sync_round(&self) -> Result<SyncRunReport> {
        let mut report = SyncRunReport::default();
        for market in self.markets().await? {
            let r = match &market {
                Market::Bricklink(client) => crate::sync::bricklink::push_bricklink(&self.gateway(market.account()), client, None).await?,
                Market::Brickowl(client) => round::push_round(&self.gateway(market.account()), client, None).await?,
                // Only lots linked to an offer are ever due for Allegro (`stock::outbox::is_due`).
                Market::Allegro(session) => round::push_round(&self.gateway(market.account()), session, None).await?,
            };
            report.pushed.extend(r.pushed);
            report.failed.extend(r.failed);
            report.waiting = report.waiting.or(r.waiting);
            report.problems.extend(r.problems);
            // The seller's order changes for the same marketplace, after its lots.
            let gw = self.gateway(market.account());
            match &market {
                Market::Bricklink(client) => crate::sync::fulfilment::push_round(&gw, client, &mut report).await?,
                Market::Brickowl(client) => crate::sync::fulfilment::push_round(&gw, client, &mut report).await?,
                Market::Allegro(session) => crate::sync::fulfilment::push_round(&gw, session, &mut report).await?,
            }
        }
        if !report.order_updates.is_empty() {
            self.emit(EngineEvent::OrdersChanged);
        }
        if !report.pushed.is_empty() || !report.failed.is_empty() || !report.problems.is_empty() {
            self.emit(EngineEvent::InventoryChanged);
        }
        Ok(report)
    }

    /// The drift check: one read of each whole store in sync (of every configured store when
    /// none takes part yet) compared with what BrickDesk left there. Reports only; each
    /// marketplace's report is kept for the window. A store that cannot be read fails the check
    /// after the others' reports are kept.
    pub async fn sync_reconcile(&self) -> Result<DriftReport> {
        let linked = self.store.read(outbox::targets).await?;
        // Only stores with an inventory to drift from (not Allegro).
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| Provider::STORES.contains(&m.provider())).collect();
        if markets.is_empty() {
            return Err(MarketError::NotConfigured { marketplace: Provider::Bricklink }.into());
        }
        let checked: Vec<&Market> = markets.iter().filter(|m| linked.contains(&m.provider())).collect();
        let checked = if checked.is_empty() { markets.iter().collect() } else { checked };
        let now = self.config.clock.now();
        let mut report = DriftReport { checked_at: crate::base::clock::format_ts(now), drifts: Vec::new() };
        let mut failed = None;
        for market in checked {
            let (m, remote) = match self.read_store(market).await {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(marketplace = market.provider().as_str(), error = %e, "drift check: store not read");
                    failed = failed.or(Some(e));
                    continue;
                }
            };
            let part = self.store.read(move |c| drift::compare(c, m, &remote, now)).await?;
            let saved = part.clone();
            self.store.write(move |tx| drift::record(tx, m, &saved)).await?;
            report.drifts.extend(part.drifts);
        }
        tracing::info!(drifts = report.drifts.len(), "drift check");
        self.emit(EngineEvent::InventoryChanged);
        match failed {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Every lot of store `market` (BrickLink or BrickOwl), one list call, as the drift check
    /// compares them.
    async fn read_store(&self, market: &Market) -> Result<(Provider, Vec<RemoteLot>)> {
        let gw = self.gateway(market.account());
        match market {
            Market::Bricklink(client) => {
                let data = gw.bricklink(client, &bricklink::api::Call::Inventories).await?;
                Ok((Provider::Bricklink, bricklink::convert::remote_lots(data)?))
            }
            Market::Brickowl(client) => {
                let lots = brickowl_store::read_store(&gw, client).await?;
                Ok((Provider::Brickowl, self.store.read(move |c| brickowl_store::drift_lots(c, &lots)).await?))
            }
            Market::Allegro(_) => {
                Err(Error::InvalidInput { what: "store".into(), detail: "Allegro has no store inventory to read".into() })
            }
        }
    }

    /// `doctor --remote`: every linked lot checked against what each store in sync holds (one
    /// list call per store). Once every sale is polled and nothing is waiting to be pushed, a
    /// store holds each lot's available quantity (ARCHITECTURE.md, the stock invariant); a lot
    /// whose push is still due is not judged. A store that cannot be read fails the check.
    pub async fn doctor_remote(&self) -> Result<DoctorReport> {
        let linked = self.store.read(outbox::targets).await?;
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| linked.contains(&m.provider())).collect();
        let mut problems = Vec::new();
        for market in &markets {
            let (m, remote) = self.read_store(market).await?;
            problems.extend(self.store.read(move |c| drift::against_available(c, m, &remote)).await?);
        }
        Ok(DoctorReport { ok: problems.is_empty(), problems })
    }

    /// The last drift report (every marketplace's), if the check ever ran.
    pub async fn sync_drift(&self) -> Result<Option<DriftReport>> {
        self.store.read(drift::last).await
    }

    /// The seller's choice for a lot that drifted (see `drift::resolve`), on the marketplace the
    /// last report found it changed on. A lot changed on several: keeping the local values
    /// settles every one; taking a marketplace's needs [`Engine::sync_resolve_on`].
    pub async fn sync_resolve(&self, lot: i64, choice: DriftChoice) -> Result<InventoryLot> {
        self.sync_resolve_on(lot, None, choice).await
    }

    /// [`Engine::sync_resolve`] on marketplace `only` (`None`: as the last report says; a lot it
    /// does not list is settled on BrickLink if linked there, else on BrickOwl).
    pub async fn sync_resolve_on(&self, lot: i64, only: Option<Provider>, choice: DriftChoice) -> Result<InventoryLot> {
        let linked: Vec<(Provider, String)> = self
            .store
            .read(move |c| {
                let mut st = c.prepare_cached(
                    "SELECT marketplace, remote_id FROM sync_state WHERE inventory_id = ?1 AND remote_id IS NOT NULL ORDER BY marketplace",
                )?;
                let rows = st.query_map([lot], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
                let mut out = Vec::new();
                for row in rows {
                    let (m, id) = row?;
                    // An Allegro offer is no store lot to take values from.
                    let m = crate::store::stored_provider(&m)?;
                    if Provider::STORES.contains(&m) {
                        out.push((m, id));
                    }
                }
                Ok(out)
            })
            .await?;
        let drifted: Vec<Provider> = match self.store.read(drift::last).await? {
            Some(r) => r.drifts.iter().filter(|d| d.inventory_id == Some(lot) && drift::settles(&d.kind)).map(|d| d.marketplace).collect(),
            None => Vec::new(),
        };
        let mut on: Vec<Provider> = match only {
            Some(m) => vec![m],
            None if !drifted.is_empty() => drifted,
            None => linked.first().map(|(m, _)| *m).into_iter().collect(),
        };
        on.dedup();
        if on.len() > 1 && choice == DriftChoice::TakeMarketplace {
            return Err(Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: "it changed on both BrickLink and BrickOwl: keep BrickDesk's values, or name the marketplace to take".into(),
            });
        }
        if on.is_empty() {
            return Err(Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: "it is not linked to a marketplace lot (import the store, or let sync list it)".into(),
            });
        }
        let markets = self.markets().await?;
        for m in on {
            let remote_id = linked.iter().find(|(lm, _)| *lm == m).map(|(_, id)| id.clone()).ok_or_else(|| Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: format!("it is not linked to a {} lot (import the store, or let sync list it)", m.display_name()),
            })?;
            let market = markets.iter().find(|x| x.provider() == m).ok_or(MarketError::NotConfigured { marketplace: m })?;
            let gw = self.gateway(market.account());
            let remote = match market {
                Market::Bricklink(client) => {
                    let data = gw.bricklink(client, &bricklink::api::Call::InventoryLot(remote_id)).await?;
                    bricklink::convert::remote_lots(serde_json::Value::Array(vec![data]))?.into_iter().next()
                }
                Market::Brickowl(client) => {
                    // The whole store, as the check read it: one call either way, and the colour
                    // list is cached.
                    let lots = brickowl_store::read_store(&gw, client).await?;
                    let lots: Vec<_> = lots.into_iter().filter(|l| l.lot_id == remote_id).collect();
                    self.store.read(move |c| brickowl_store::drift_lots(c, &lots)).await?.into_iter().next()
                }
                Market::Allegro(_) => {
                    return Err(Error::InvalidInput {
                        what: format!("lot {lot}"),
                        detail: "Allegro has no store lots to take values from".into(),
                    })
                }
            };
            let remote = remote.ok_or_else(|| Error::Inconsistent {
                what: format!("{}'s lot", m.display_name()),
                detail: "not in the store any more (check again)".into(),
            })?;
            let now = self.config.clock.now();
            let correlation = correlation_id(now);
            self.store.write(move |tx| drift::resolve(tx, m, lot, &remote, choice, now, &correlation)).await?;
        }
        self.after_stock_change(0);
        self.store.read(move |c| inventory::get(c, lot)).await
    }

    /// `sync publish M`: lists on store `m` (linked by importing it) every local lot it does not
    /// have yet, through the queue like any push (a create whose answer is lost is looked up
    /// before it is sent again; budgets and rate limits hold). Refusals are reported, not retried.
    pub async fn sync_publish(&self, m: Provider, dry_run: bool) -> Result<PublishReport> {
        if !Provider::STORES.contains(&m) {
            return Err(Error::InvalidInput {
                what: "sync publish".into(),
                detail: format!("{} offers are linked to lots, never created (Inventory → Allegro offers)", m.display_name()),
            });
        }
        let linked = self.store.read(outbox::targets).await?;
        if !linked.contains(&m) {
            return Err(Error::InvalidInput {
                what: "sync publish".into(),
                detail: format!("link the {0} store first: inventory import {1} (it takes the lots {0} has)", m.display_name(), m.as_str()),
            });
        }
        let (missing, empty, there): (Vec<i64>, i64, i64) = self
            .store
            .read(move |c| {
                let listed = "EXISTS (SELECT 1 FROM sync_state s WHERE s.inventory_id = i.id AND s.marketplace = ?1 AND s.remote_id IS NOT NULL)";
                let missing = c
                    .prepare(&format!(
                        "SELECT i.id FROM inventory i WHERE i.deleted_at IS NULL AND i.quantity - i.reserved > 0 AND NOT {listed} ORDER BY i.id"
                    ))?
                    .query_map([m.as_str()], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()?;
                let empty: i64 = c.query_row(
                    &format!("SELECT count(*) FROM inventory i WHERE i.deleted_at IS NULL AND i.quantity - i.reserved <= 0 AND NOT {listed}"),
                    [m.as_str()],
                    |r| r.get(0),
                )?;
                let there: i64 =
                    c.query_row(&format!("SELECT count(*) FROM inventory i WHERE i.deleted_at IS NULL AND {listed}"), [m.as_str()], |r| r.get(0))?;
                Ok((missing, empty, there))
            })
            .await?;
        let mut report = PublishReport {
            marketplace: Some(m),
            dry_run,
            listed: 0,
            already_there: there,
            nothing_for_sale: empty,
            refused: Vec::new(),
            waiting: None,
        };
        if dry_run {
            report.listed = missing.len() as i64;
            return Ok(report);
        }
        // Only now the keyring: the window counts what a store lacks on every inventory change.
        let market = self.markets().await?.into_iter().find(|x| x.provider() == m).ok_or(MarketError::NotConfigured { marketplace: m })?;
        let now = self.config.clock.now();
        let due = missing.clone();
        self.store
            .write(move |tx| {
                for lot in &due {
                    outbox::mark_due_for(tx, *lot, &[m], now - outbox::DEBOUNCE)?;
                }
                Ok(())
            })
            .await?;
        tracing::info!(marketplace = m.as_str(), lots = missing.len(), "publishing lots to a newly linked store");
        // Rounds until nothing of it is due (a create's look-up is one step of two).
        let gw = self.gateway(market.account());
        for _ in 0..4 {
            let r = match &market {
                Market::Bricklink(client) => crate::sync::bricklink::push_bricklink(&gw, client, None).await?,
                Market::Brickowl(client) => round::push_round(&gw, client, None).await?,
                Market::Allegro(_) => break,
            };
            self.emit(EngineEvent::InventoryChanged);
            if r.waiting.is_some() {
                report.waiting = r.waiting;
                break;
            }
            if r.pushed.is_empty() {
                break;
            }
        }
        let ids = serde_json::to_string(&missing).unwrap_or_else(|_| "[]".into());
        let (listed, refused) = self
            .store
            .read(move |c| {
                let listed: i64 = c.query_row(
                    "SELECT count(*) FROM sync_state WHERE marketplace = ?1 AND remote_id IS NOT NULL AND inventory_id IN (SELECT value FROM json_each(?2))",
                    rusqlite::params![m.as_str(), ids],
                    |r| r.get(0),
                )?;
                let refused = c
                    .prepare(
                        "SELECT inventory_id, COALESCE(last_error, 'refused') FROM outbox WHERE marketplace = ?1 AND status = 'failed'
                           AND inventory_id IN (SELECT value FROM json_each(?2)) ORDER BY inventory_id",
                    )?
                    .query_map(rusqlite::params![m.as_str(), ids], |r| Ok(PublishRefused { inventory_id: r.get(0)?, error: r.get(1)? }))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((listed, refused))
            })
            .await?;
        report.listed = listed;
        report.refused = refused;
        Ok(report)
    }

    /// Where every lot stands on every marketplace in sync.
    /// Order updates still to send or refused come after the lots.
    pub async fn sync_status(&self) -> Result<Vec<SyncStatusEntry>> {
        self.store
            .read(|c| {
                let mut all = outbox::status_of(c, None)?;
                all.extend(crate::orders::fulfilment::status_entries(c)?);
                Ok(all)
            })
            .await
    }

    /// The seller's retry of failed pushes (of one lot, or all).
    pub async fn sync_retry(&self, lot: Option<i64>) -> Result<SyncRetried> {
        let now = self.config.clock.now();
        let retried = self
            .store
            .write(move |tx| {
                let orders = if lot.is_none() { crate::orders::fulfilment::retry(tx, None, now)? } else { 0 };
                Ok(outbox::retry(tx, lot, now)? + orders)
            })
            .await?;
        self.emit(EngineEvent::InventoryChanged);
        self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
        Ok(SyncRetried { retried: retried as i64 })
    }
}
