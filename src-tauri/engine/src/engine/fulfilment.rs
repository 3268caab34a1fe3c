//! Fulfilment: marking orders packed, shipped or paid (sent by the sync round), the pick list
//! across orders, and Allegro's carriers.

use super::{Engine, Market};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::marketplaces::{allegro, MarketError};
use crate::orders::{fulfilment, picking};
use brickdesk_ipc::{Carrier, FulfilmentSettings, OrderStatusInput, OrderStatusReport, PickList, Provider};
use rusqlite::OptionalExtension;

/// How long the carriers Allegro lists are kept before they are read again.
const CARRIERS_FOR: chrono::Duration = chrono::Duration::days(7);

impl Engine {
    /// `orders status`: the order takes the status now, and its marketplace hears of it through
    /// the queue (the sync worker is kicked; `sync run` sends it at once).
    pub async fn orders_set_status(&self, input: OrderStatusInput) -> Result<OrderStatusReport> {
        let now = self.config.clock.now();
        let id = input.order_id;
        self.store.write(move |tx| fulfilment::mark(tx, &input, now)).await?;
        tracing::info!(order_id = id, "order status set by the seller");
        self.emit(EngineEvent::OrdersChanged);
        self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
        self.store.read(move |c| fulfilment::report(c, id)).await
    }

    /// The pick list across orders `ids`, sorted by location.
    pub async fn orders_pick_list(&self, ids: Vec<i64>) -> Result<PickList> {
        if ids.is_empty() {
            return Err(Error::InvalidInput { what: "orders".into(), detail: "name at least one order".into() });
        }
        self.store.read(move |c| picking::pick_list(c, &ids)).await
    }

    /// A pick list line not found on the shelf: its order lines are marked missing (the orders
    /// show the shortage) and, if the seller says the pieces are gone (`lower`), the lot is
    /// lowered by them through the ledger, so every store follows. The lot cannot go below what
    /// other orders hold: then the seller corrects it in the inventory.
    pub async fn orders_short(&self, lines: Vec<(i64, i64)>, lower: bool) -> Result<()> {
        let now = self.config.clock.now();
        let correlation = super::correlation_id(now);
        let lowered = self
            .store
            .write(move |tx| {
                let mut by_lot: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
                for (order, item) in &lines {
                    // A line already short was counted when it became short: lowering twice would
                    // take its pieces off twice.
                    let changed = picking::set_pick(tx, *order, &[*item], brickdesk_ipc::PickStatus::Missing, now)?;
                    let (lot, quantity): (Option<i64>, i64) =
                        tx.query_row("SELECT inventory_id, quantity FROM order_items WHERE id = ?1", [item], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })?;
                    if let (Some(lot), true) = (lot, lower && changed > 0) {
                        *by_lot.entry(lot).or_default() += quantity;
                    }
                }
                for (lot, missing) in &by_lot {
                    let quantity: i64 = tx.query_row("SELECT quantity FROM inventory WHERE id = ?1", [lot], |r| r.get(0))?;
                    let input = brickdesk_ipc::InventoryUpdateInput { quantity: Some((quantity - missing).max(0)), ..Default::default() };
                    crate::stock::lots::update(tx, *lot, &input, now, &correlation)?;
                }
                Ok(!by_lot.is_empty())
            })
            .await?;
        self.emit(EngineEvent::OrdersChanged);
        if lowered {
            self.after_stock_change(0);
        }
        Ok(())
    }

    /// How marking orders behaves.
    pub async fn fulfilment_settings(&self) -> Result<FulfilmentSettings> {
        Ok(FulfilmentSettings { bricklink_drive_thru: self.store.read(fulfilment::drive_thru).await? })
    }

    /// Turns BrickLink's Drive Thru e-mail on shipping on or off (for orders marked from now on).
    pub async fn set_fulfilment_settings(&self, s: FulfilmentSettings) -> Result<FulfilmentSettings> {
        self.store.write(move |tx| fulfilment::set_drive_thru(tx, s.bricklink_drive_thru)).await?;
        self.fulfilment_settings().await
    }

    /// The carriers an Allegro waybill can name (`GET /order/carriers`, kept for a week).
    pub async fn allegro_carriers(&self) -> Result<Vec<Carrier>> {
        let now = self.config.clock.now();
        let kept: Option<String> = self
            .store
            .read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = 'allegro.carriers'", [], |r| r.get(0)).optional()?))
            .await?;
        let kept: Option<serde_json::Value> = kept.and_then(|k| serde_json::from_str(&k).ok());
        let fresh = kept.as_ref().and_then(|k| k["fetched_at"].as_str()).and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        if let (Some(k), Some(at)) = (&kept, fresh) {
            if now - at.with_timezone(&chrono::Utc) < CARRIERS_FOR {
                return Ok(carriers_of(&k["carriers"]));
            }
        }
        let markets = self.markets().await?;
        let Some(Market::Allegro(session)) = markets.iter().find(|m| m.provider() == Provider::Allegro) else {
            return Err(MarketError::NotConfigured { marketplace: Provider::Allegro }.into());
        };
        let data = self.gateway(session.account()).allegro(session, &allegro::api::Call::Carriers).await?;
        let carriers = carriers_of(&data["carriers"]);
        if carriers.is_empty() {
            return Err(Error::Inconsistent { what: "Allegro's carriers".into(), detail: "the list was empty".into() });
        }
        let value = serde_json::json!({"fetched_at": crate::base::clock::format_ts(now), "carriers": data["carriers"]}).to_string();
        self.store
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES ('allegro.carriers', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [value],
                )?;
                Ok(())
            })
            .await?;
        Ok(carriers)
    }
}

fn carriers_of(v: &serde_json::Value) -> Vec<Carrier> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| Some(Carrier { id: c["id"].as_str()?.to_string(), name: c["name"].as_str().unwrap_or_default().to_string() }))
        .collect()
}
