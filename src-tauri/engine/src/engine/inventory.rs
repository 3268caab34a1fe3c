//! Lots: add, edit, delete (each a ledger entry the outbox follows), import a store, and the views.

use super::{browse, correlation_id, Engine, Market};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::marketplaces::{bricklink, MarketError};
use crate::orders::apply as orders;
use crate::stock::lots as inventory;
use crate::sync::{brickowl_store, import};
use brickdesk_ipc::{
    ImportProgress, ImportReport, InventoryAddInput, InventoryLot, InventoryPage, InventoryQuery, InventoryUpdateInput, Provider,
};

impl Engine {
    pub async fn inventory_add(&self, input: InventoryAddInput) -> Result<InventoryLot> {
        let lot = crate::marketplaces::types::NewLot::validate(input)?;
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        let (id, rematched) = self
            .store
            .write(move |tx| {
                let id = inventory::add_with(tx, &lot, now, Some(&correlation))?;
                Ok((id, orders::rematch_open_lines(tx, &[id], now)?))
            })
            .await?;
        self.after_stock_change(rematched);
        self.store.read(move |c| inventory::get(c, id)).await
    }

    /// The seller's edit of a lot (quantity, price, location, description, condition).
    pub async fn inventory_update(&self, id: i64, input: InventoryUpdateInput) -> Result<InventoryLot> {
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        let rematched = self
            .store
            .write(move |tx| {
                let changed = inventory::update(tx, id, &input, now, &correlation)?;
                Ok(if changed { orders::rematch_open_lines(tx, &[id], now)? } else { 0 })
            })
            .await?;
        self.after_stock_change(rematched);
        self.store.read(move |c| inventory::get(c, id)).await
    }

    /// Deletes a lot here and, through sync, on every marketplace.
    pub async fn inventory_delete(&self, id: i64) -> Result<()> {
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        self.store.write(move |tx| inventory::delete(tx, id, now, &correlation)).await?;
        self.after_stock_change(0);
        Ok(())
    }

    /// Imports the store's BrickLink lots: a lot imported before is unchanged; a local lot of the
    /// same item, colour, condition and location is linked to it (conflicting when quantity or
    /// price differ: the local values are kept and pushed); any other becomes a new local lot.
    /// From then on BrickLink takes part in sync.
    /// BrickOwl: the same, through `sync::brickowl_store::import`.
    pub async fn inventory_import(&self, provider: Provider) -> Result<ImportReport> {
        let market = self
            .markets()
            .await?
            .into_iter()
            .find(|m| m.provider() == provider)
            .ok_or(MarketError::NotConfigured { marketplace: provider })?;
        let events = self.events.clone();
        let progress = move |done, total| {
            let _no_receivers = events.send(EngineEvent::ImportProgress(ImportProgress { marketplace: provider, done, total }));
        };
        let report = match market {
            Market::Brickowl(c) => {
                let gw = self.gateway(c.account());
                let lots = brickowl_store::read_store(&gw, &c).await?;
                let now = self.config.clock.now();
                let open = brickowl_store::listed_orders(&gw, &c).await?;
                self.store.write(move |tx| import::keep_open_orders(tx, provider, &open, now)).await?;
                brickowl_store::import(&gw, lots, now, &progress).await?
            }
            Market::Bricklink(client) => {
                let gw = self.gateway(client.account());
                let data = gw.bricklink(&client, &bricklink::api::Call::Inventories).await?;
                let lots = bricklink::convert::inventory(data)?;
                let now = self.config.clock.now();
                // The orders open now: the figures just read already leave their pieces out.
                let open: Vec<String> = bricklink::convert::open_orders(gw.bricklink(&client, &bricklink::api::Call::OpenOrders).await?)?
                    .into_iter()
                    .map(|o| o.external_id)
                    .collect();
                self.store.write(move |tx| import::keep_open_orders(tx, provider, &open, now)).await?;
                let correlation = correlation_id(now);
                let unlinked = import::Unlinked::default();
                import::in_chunks(&self.store, lots, &progress, move |tx, chunk| {
                    import::bricklink_chunk(tx, chunk, now, &correlation, &unlinked)
                })
                .await?
            }
            Market::Allegro(_) => {
                return Err(Error::InvalidInput {
                    what: "inventory import".into(),
                    detail: "Allegro sells offers, not a store inventory: link its offers to lots instead".into(),
                })
            }
        };
        if report.new + report.linked > 0 {
            self.after_stock_change(0);
        }
        Ok(report)
    }

    /// One page of the inventory view (filtered and sorted by the engine) and the matching count.
    pub async fn inventory_page(&self, query: InventoryQuery) -> Result<InventoryPage> {
        self.store.read(move |c| browse::inventory(c, &query)).await
    }

    /// [`Engine::inventory_page`] as the window shows it: lots without their catalog names get
    /// them queued first. (Other readers, the MCP server's among them, only read.)
    pub async fn inventory_page_shown(&self, query: InventoryQuery) -> Result<InventoryPage> {
        let page = self.inventory_page(query).await?;
        self.name_lots(&page.lots).await;
        Ok(page)
    }

    /// Lots on the seller's screen without their catalog names: their items (and the colour
    /// list) are queued at high priority and the catalog worker kicked, as the drawer does. Best
    /// effort: the page is shown whatever happens here.
    async fn name_lots(&self, lots: &[InventoryLot]) {
        let mut items: Vec<(String, String)> = lots
            .iter()
            .filter(|l| l.item_name.is_empty() || (l.color_name.is_empty() && l.color_id > 0))
            .map(|l| (l.item_type.clone(), l.item_no.clone()))
            .collect();
        items.sort();
        items.dedup();
        if items.is_empty() {
            return;
        }
        let now = self.config.clock.now();
        // Read first: a page whose names are all on their way writes nothing.
        let wanted = {
            let items = items.clone();
            self.store.read(move |c| crate::catalog::bricklink::name_work(c, &items, now)).await
        };
        match wanted {
            Ok(w) if w.is_empty() => return,
            Ok(_) => {}
            Err(e) => return tracing::warn!(error = %e, "cannot look up the names of the lots shown"),
        }
        let asked = self
            .store
            .write(move |tx| {
                let work = crate::catalog::bricklink::name_work(tx, &items, now)?;
                crate::catalog::bricklink::request(tx, &work, crate::catalog::bricklink::HIGH, false, now)
            })
            .await;
        match asked {
            Ok(0) => {}
            Ok(_) => self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1)),
            Err(e) => tracing::warn!(error = %e, "cannot queue the names of the lots shown"),
        }
    }

    /// One live lot with where each marketplace's copy stands (`NotFound` for a deleted lot): the
    /// look-up by key, so asking for one lot never reads the whole inventory.
    pub async fn inventory_get(&self, id: i64) -> Result<InventoryLot> {
        self.store.read(move |c| inventory::get(c, id)).await
    }

    pub async fn inventory_list(&self) -> Result<Vec<InventoryLot>> {
        self.store.read(inventory::list).await
    }
}
