//! The background workers: one poller per marketplace, the catalog refresh and the sync push, run until shutdown; and the watch on other processes sharing the data directory.

use super::Engine;
use crate::catalog::bricklink as catalog;
use crate::error::Result;
use crate::events::EngineEvent;
use crate::orders::{inbox, intake};
use crate::stock::outbox;
use crate::sync::drift;
use brickdesk_ipc::Provider;
use std::future::Future;
use tokio::sync::watch;

impl Engine {
    /// Emits the events that make views refetch when another process (the CLI, a daemon) commits
    /// to the database, within about a second, until `stopped`. For windows; `run` needs none.
    pub async fn watch_other_processes(&self, stopped: watch::Receiver<bool>) {
        crate::engine::changes::watch(self.store.path().to_path_buf(), self.events.clone(), stopped).await;
    }

    /// The background workers, until `shutdown` resolves: one per provider, side by side, so a
    /// slow or failing marketplace never holds up another. Each polls at start (reconciling), then
    /// every `poll_interval` or when kicked. Work left in `processing` by a dead process is
    /// resumed first.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        let recovered = inbox::recover(&self.store, self.config.clock.now()).await?;
        if recovered > 0 {
            tracing::info!(recovered, "resuming notifications left in processing");
        }
        // SQLite's statistics for the views' query planning, refreshed where they went stale
        // (cheap: it analyses only what changed, and samples large tables).
        self.store.refresh_statistics(0x10002).await?;
        let (stop, stopped) = watch::channel(false);
        let workers = async {
            tokio::join!(
                self.worker(Provider::Bricklink, stopped.clone()),
                self.worker(Provider::Brickowl, stopped.clone()),
                self.worker(Provider::Allegro, stopped.clone()),
                self.catalog_worker(stopped.clone()),
                self.sync_worker(stopped.clone())
            );
        };
        tokio::pin!(workers);
        tokio::select! {
            _ = shutdown => {
                let _all_stopping = stop.send(true);
                // Each worker drops the cycle it is in (a row it held is resumed by the next start,
                // as after a crash: its holder is gone) and stops.
                workers.await;
            }
            _ = &mut workers => {}
        }
        tracing::info!("workers stopped");
        Ok(())
    }

    /// One provider's worker loop. Credentials are read every cycle: a store connected while
    /// BrickDesk runs is polled from its next cycle on, without a restart.
    pub(super) async fn worker(&self, m: Provider, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.kick.subscribe();
        let mut first = true;
        loop {
            let market = match self.markets().await {
                Ok(markets) => markets.into_iter().find(|x| x.provider() == m),
                Err(e) => {
                    tracing::error!(provider = %m, error = %e, "cannot read credentials");
                    None
                }
            };
            if market.is_some() {
                tokio::select! {
                    biased;
                    _ = stopped.wait_for(|s| *s) => break,
                    r = self.cycle(market.as_ref(), first) => match r {
                        Ok(Some(p)) => tracing::info!(provider = %p.provider, fetched = p.fetched, stored = p.stored, processed = p.processed,
                            new_orders = p.new_orders, failures = p.failures.len(), error = p.error.as_deref().unwrap_or(""), "poll cycle"),
                        Ok(None) => {}
                        Err(e) => tracing::error!(provider = %m, error = %e, "poll cycle failed"),
                    },
                }
                first = false;
            }
            let interval = match m {
                Provider::Allegro => self.allegro_poll_interval().await.unwrap_or(self.config.allegro_poll_interval),
                _ => self.config.poll_interval,
            };
            let next = self.config.clock.now() + chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(3));
            // Bookkeeping for the status bar must never stop the worker.
            if let Some(market) = &market {
                if let Err(e) = intake::record_next_poll(&self.store, m, &market.account(), next).await {
                    tracing::warn!(error = %e, "cannot record the next poll time");
                }
            }
            self.emit(EngineEvent::StatusChanged);
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => tracing::info!(provider = %m, "poll requested"),
                _ = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// The catalog refresh worker: every 10 minutes (or at once when the seller is waiting on
    /// missing data, and again a second later while such rows are due) a sweep queues stale and
    /// never-seen parts at low priority, then up to 10 due rows are fetched, highest priority
    /// first. Only with BrickLink connected.
    pub(super) async fn catalog_worker(&self, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.catalog_kick.subscribe();
        loop {
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                r = self.catalog_round(Some(catalog::BATCH), true) => match r {
                    Ok(Some(run)) if !run.fetched.is_empty() || !run.failed.is_empty() || run.waiting.is_some() => tracing::info!(
                        fetched = run.fetched.len(), failed = run.failed.len(), waiting = run.waiting.as_deref().unwrap_or(""), "catalog refresh"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "catalog refresh failed"),
                },
            }
            // Rows on the seller's screen still waiting for their names: the next batch at once
            // (the rate limiter and the catalog's share of the budget still pace it).
            let now = self.config.clock.now();
            let pause = match self.store.read(move |c| catalog::seller_waiting(c, now)).await {
                Ok(true) => std::time::Duration::from_secs(1),
                _ => catalog::EVERY,
            };
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }

    /// The sync worker: pushes due lots shortly after a change (the rows' own debounce decides
    /// when they are due), after every poll cycle, and every poll interval.
    pub(super) async fn sync_worker(&self, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.sync_kick.subscribe();
        loop {
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                r = self.sync_round() => match r {
                    Ok(r) if !r.pushed.is_empty() || !r.failed.is_empty() || r.waiting.is_some() => tracing::info!(
                        pushed = r.pushed.len(), failed = r.failed.len(), waiting = r.waiting.as_deref().unwrap_or(""), "sync round"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "sync round failed"),
                },
            }
            // The daily drift check of every store that takes part in sync.
            let now = self.config.clock.now();
            let daily = self.store.read(move |c| drift::due(c, now)).await;
            if let Ok(true) = daily {
                if let Err(e) = self.sync_reconcile().await {
                    tracing::warn!(error = %e, "daily drift check failed");
                }
            }
            let changed = tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => true,
                _ = tokio::time::sleep(self.config.poll_interval) => false,
            };
            if changed {
                // Let a burst of edits settle into one push.
                tokio::time::sleep(outbox::DEBOUNCE.to_std().unwrap_or_default()).await;
            }
        }
    }
}
