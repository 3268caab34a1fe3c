//! The catalog drawer: parts, colours and price guide from the cache, and its refresh.

use super::{Engine, Market};
use crate::catalog::bricklink as catalog;
use crate::error::Result;
use crate::events::EngineEvent;
use crate::marketplaces::MarketError;
use brickdesk_ipc::{CatalogPart, CatalogQuery, CatalogRecent, CatalogRefreshEntry, CatalogRefreshReport, Provider};

impl Engine {
    /// An item's picture from the on-disk cache, fetched once from BrickLink's image host
    /// (`None`: BrickLink has none). Only BrickLink's image addresses are taken.
    pub async fn catalog_image(&self, url: &str) -> Result<Option<crate::catalog::images::Image>> {
        let cache = crate::catalog::images::ImageCache::new(
            self.config.data_dir.join("images"),
            self.config.image_cache_bytes,
            self.config.bricklink_images_url.clone(),
        );
        cache.get(&self.http, url).await
    }

    /// One refresh round (None without BrickLink credentials); `sweep` first queues background work.
    pub(super) async fn catalog_round(&self, limit: Option<usize>, sweep: bool) -> Result<Option<CatalogRefreshReport>> {
        let Some(Market::Bricklink(client)) = self.markets().await?.into_iter().find(|m| m.provider() == Provider::Bricklink) else {
            return Ok(None);
        };
        let now = self.config.clock.now();
        // Rows a killed process was fetching are taken back first (live holders keep theirs).
        let recovered = self.store.write(move |tx| catalog::QUEUE.recover(tx, now)).await?;
        if recovered > 0 {
            tracing::info!(recovered, "resuming catalog refreshes left in processing");
        }
        if sweep {
            self.store.write(move |tx| catalog::sweep(tx, catalog::BATCH as i64, now)).await?;
        }
        let run = catalog::refresh_due(&self.gateway(client.account()), &client, limit).await?;
        if !run.fetched.is_empty() || !run.failed.is_empty() {
            self.emit(EngineEvent::CatalogChanged);
        }
        Ok(Some(CatalogRefreshReport { fetched: run.fetched, failed: run.failed, waiting: run.waiting }))
    }

    /// A part from the catalog cache, at once, with its status as it stood when asked. What is
    /// missing or stale is queued at high priority and the refresh worker is kicked.
    pub async fn catalog_part(&self, query: CatalogQuery) -> Result<CatalogPart> {
        let now = self.config.clock.now();
        let (answer, queued) = self
            .store
            .write(move |tx| {
                let answer = catalog::part(tx, &query, now)?;
                catalog::remember(tx, &query, now)?;
                let work = catalog::wanted(tx, &query, false, now)?;
                let raised = catalog::raise(tx, &query)?;
                Ok((answer, catalog::request(tx, &work, catalog::HIGH, false, now)? + raised))
            })
            .await?;
        if queued > 0 {
            self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        Ok(answer)
    }

    /// "Refresh now": every piece of the part is fetched again (a refusal for good is retried
    /// too), at high priority; returns the part as `refreshing`.
    pub async fn catalog_refresh_now(&self, query: CatalogQuery) -> Result<CatalogPart> {
        let now = self.config.clock.now();
        let answer = self
            .store
            .write(move |tx| {
                let work = catalog::wanted(tx, &query, true, now)?;
                catalog::request(tx, &work, catalog::HIGH, true, now)?;
                catalog::part(tx, &query, now)
            })
            .await?;
        self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        self.emit(EngineEvent::CatalogChanged);
        Ok(answer)
    }

    /// BrickLink's colours by name, from the cache (forms pick colours by name). When the list is
    /// missing or stale, a refresh is queued and the worker kicked; `catalog-changed` follows.
    pub async fn catalog_colors(&self) -> Result<Vec<brickdesk_ipc::CatalogColor>> {
        let now = self.config.clock.now();
        let queued = self
            .store
            .write(move |tx| {
                let probe = CatalogQuery { item_no: "3001".into(), item_type: None, color_id: None };
                let work: Vec<catalog::Work> =
                    catalog::wanted(tx, &probe, false, now)?.into_iter().filter(|w| w.what == "color_list").collect();
                catalog::request(tx, &work, catalog::HIGH, false, now)
            })
            .await?;
        if queued > 0 {
            self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        self.store.read(catalog::colors).await
    }

    /// Look-ups of the Catalog page, newest first.
    pub async fn catalog_recent(&self) -> Result<Vec<CatalogRecent>> {
        self.store.read(|c| catalog::recent(c, 20)).await
    }

    /// Every due catalog row now (not waiting for the 10-minute cadence; the budget still holds).
    pub async fn catalog_refresh_run(&self) -> Result<CatalogRefreshReport> {
        self.catalog_round(None, false).await?.ok_or_else(|| MarketError::NotConfigured { marketplace: Provider::Bricklink }.into())
    }

    /// The catalog refresh queue.
    pub async fn catalog_refresh_status(&self) -> Result<Vec<CatalogRefreshEntry>> {
        self.store.read(catalog::queue_status).await
    }
}
