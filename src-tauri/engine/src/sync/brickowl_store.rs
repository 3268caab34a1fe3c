//! The BrickOwl store read whole: importing it (lots linked to local ones by external id or by
//! item, colour, condition and location; new ones added), and listing it for the drift check.
//! Pushing lots to it is `sync/brickowl.rs`'s.

use brickdesk_ipc::{ImportReport, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::catalog::brickowl::{colours, remember_boid};
use crate::error::Result;
use crate::gateway::Gateway;
use crate::marketplaces::brickowl::api::{Call, Client};
use crate::marketplaces::brickowl::convert::{self as boc, lot_of_external_id, price_e4_on_brickowl, StoreLot};
use crate::marketplaces::types::NewLot;
use crate::stock::{lots, outbox};

const M: Provider = Provider::Brickowl;

/// Imports the BrickOwl store: a lot linked before is unchanged; a local lot named by the lot's
/// external id (`bd-<id>`, or the BrickLink lot id a BrickLink→BrickOwl tool wrote), or else of
/// the same item, colour, condition and location, is linked (conflicting when quantity or price
/// differ: local values win and are pushed); any other becomes a new local lot. From then on
/// BrickOwl takes part in sync.
/// Imports `lots` (as [`read_store`] read them at `now`).
pub async fn import(
    gw: &Gateway,
    lots: Vec<StoreLot>,
    now: DateTime<Utc>,
    progress: &(dyn Fn(i64, i64) + Send + Sync),
) -> Result<ImportReport> {
    crate::sync::import::in_chunks(&gw.store, lots, progress, move |tx, chunk| import_lots(tx, chunk, now)).await
}

/// The orders BrickOwl lists from the last 90 days (any status: only the open ones are ever
/// booked with a reservation), as they stand right after its store was read.
pub async fn listed_orders(gw: &Gateway, client: &Client) -> Result<Vec<String>> {
    let since = (gw.clock.now() - chrono::Duration::days(90)).timestamp();
    Ok(boc::order_list(gw.brickowl(client, &Call::OrderList { since_unix: since }).await?)?.into_iter().map(|o| o.external_id).collect())
}

/// Every lot of the BrickOwl store, empty ones included, colours mapped to BrickLink's: what
/// import and the drift check read (one `inventory/list` call, plus the colour list if it is not
/// cached).
pub async fn read_store(gw: &Gateway, client: &Client) -> Result<Vec<StoreLot>> {
    let colors = colours(gw, client).await?;
    let data = gw.brickowl(client, &Call::InventoryList { external_id: None, lot_id: None }).await?;
    Ok(boc::inventory(data, &colors)?)
}

/// BrickOwl's lots in BrickDesk's terms, for the drift check. A lot BrickDesk cannot name in
/// BrickLink's terms is still listed (so a linked lot is never called missing): by its BOID, in
/// colour 0 when its colour has no BrickLink twin.
pub fn drift_lots(c: &rusqlite::Connection, lots: &[StoreLot]) -> Result<Vec<crate::marketplaces::bricklink::convert::RemoteLot>> {
    lots.iter()
        .map(|remote| {
            let lot = match terms(c, remote)? {
                Some(lot) => lot,
                None => NewLot {
                    item_no: format!("BOID {}", remote.boid),
                    item_type: remote.item_type.clone(),
                    color_id: remote.color_id.unwrap_or(0),
                    condition: remote.condition,
                    quantity: remote.quantity,
                    unit_price: remote.price,
                    currency: "USD".into(),
                    location: remote.location.clone(),
                    description: remote.description.clone(),
                },
            };
            Ok(crate::marketplaces::bricklink::convert::RemoteLot { remote_id: remote.lot_id.clone(), lot })
        })
        .collect()
}

fn import_lots(tx: &Transaction<'_>, lots: &[StoreLot], now: DateTime<Utc>) -> Result<ImportReport> {
    let correlation = format!("{}-import-brickowl", now.timestamp_millis());
    let now_s = format_ts(now);
    let mut report = ImportReport::default();
    let mut added = Vec::new();
    for remote in lots {
        let known: Option<i64> = tx
            .prepare_cached("SELECT inventory_id FROM sync_state WHERE marketplace = 'brickowl' AND remote_id = ?1")?
            .query_row([&remote.lot_id], |r| r.get(0))
            .optional()?;
        if known.is_some() {
            report.unchanged += 1;
            continue;
        }
        if let Some(no) = &remote.bl_item_no {
            remember_boid(tx, &remote.item_type, no, &remote.boid, &now_s)?;
        }
        let Some(lot) = local_terms(tx, remote)? else { continue };
        let local = match by_external_id(tx, remote)? {
            Some(id) => Some(id),
            None => by_item(tx, &lot)?,
        };
        match local {
            Some(id) => {
                let (available, price): (i64, i64) =
                    tx.query_row("SELECT quantity - reserved, unit_price_e4 FROM inventory WHERE id = ?1", [id], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?;
                lots::link_remote(tx, id, M.as_str(), &remote.lot_id, &lot, now)?;
                lots::mark_imported(tx, id, M.as_str(), now, false)?;
                report.linked += 1;
                if available != lot.quantity || price_e4_on_brickowl(price) != lot.unit_price.0 {
                    report.conflicting += 1;
                    // Local values win: BrickOwl is brought to them by the next push.
                    outbox::link_marketplace(tx, M, now)?;
                    outbox::mark_due(tx, id, now)?;
                }
            }
            None => {
                let id = lots::add_with(tx, &lot, now, Some(&correlation))?;
                lots::link_remote(tx, id, M.as_str(), &remote.lot_id, &lot, now)?;
                lots::mark_imported(tx, id, M.as_str(), now, true)?;
                added.push(id);
                report.new += 1;
            }
        }
    }
    outbox::link_marketplace(tx, M, now)?;
    crate::orders::apply::rematch_open_lines(tx, &added, now)?;
    Ok(report)
}

/// The BrickOwl lot in BrickDesk's terms (BrickLink number and colour), or `None` (logged) when
/// BrickOwl gives no way to tell which BrickLink item or colour it is.
fn local_terms(tx: &Transaction<'_>, remote: &StoreLot) -> Result<Option<NewLot>> {
    let terms = terms(tx, remote)?;
    if terms.is_none() {
        tracing::warn!(lot = %remote.lot_id, boid = %remote.boid, colour = ?remote.bo_color, "BrickOwl lot without a BrickLink item number or colour; not imported");
    }
    Ok(terms)
}

/// [`local_terms`] without the log line.
fn terms(c: &rusqlite::Connection, remote: &StoreLot) -> Result<Option<NewLot>> {
    let mapped: Option<(String, String)> = c
        .prepare_cached("SELECT item_type, item_no FROM brickowl_ids WHERE boid = ?1 ORDER BY item_type, item_no LIMIT 1")?
        .query_row([&remote.boid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // BrickLink's number as BrickOwl lists it, else as BrickDesk learned it, else the LEGO design
    // id (the same number for most parts).
    let item = match (&remote.bl_item_no, mapped, &remote.design_id) {
        (Some(no), _, _) => Some((remote.item_type.clone(), no.clone())),
        (None, Some(m), _) => Some(m),
        (None, None, Some(design)) => Some((remote.item_type.clone(), design.clone())),
        (None, None, None) => None,
    };
    let (Some((item_type, item_no)), Some(color_id)) = (item, remote.color_id) else {
        return Ok(None);
    };
    Ok(Some(NewLot {
        item_no,
        item_type,
        color_id,
        condition: remote.condition,
        quantity: remote.quantity,
        unit_price: remote.price,
        currency: "USD".into(),
        location: remote.location.clone(),
        description: remote.description.clone(),
    }))
}

/// The local lot the BrickOwl lot's external ids name, if it is not linked to BrickOwl yet.
fn by_external_id(tx: &Transaction<'_>, remote: &StoreLot) -> Result<Option<i64>> {
    for ext in &remote.external_ids {
        let found: Option<i64> = match lot_of_external_id(ext) {
            Some(id) => tx
                .prepare_cached(
                    "SELECT id FROM inventory i WHERE id = ?1 AND deleted_at IS NULL AND NOT EXISTS
                     (SELECT 1 FROM sync_state s WHERE s.inventory_id = i.id AND s.marketplace = 'brickowl')",
                )?
                .query_row([id], |r| r.get(0))
                .optional()?,
            // Tools that copy BrickLink to BrickOwl store BrickLink's lot id there (brickowl.md §4).
            None => tx
                .prepare_cached(
                    "SELECT s.inventory_id FROM sync_state s JOIN inventory i ON i.id = s.inventory_id
                     WHERE s.marketplace = 'bricklink' AND s.remote_id = ?1 AND i.deleted_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM sync_state o WHERE o.inventory_id = i.id AND o.marketplace = 'brickowl')",
                )?
                .query_row([ext.trim()], |r| r.get(0))
                .optional()?,
        };
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// A local lot of the same item, colour, condition and location, not linked to BrickOwl yet.
fn by_item(tx: &Transaction<'_>, lot: &NewLot) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "SELECT i.id FROM inventory i
             WHERE i.deleted_at IS NULL AND i.item_no = ?1 AND i.item_type = ?2 AND i.color_id = ?3 AND i.condition = ?4 AND i.location = ?5
               AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.inventory_id = i.id AND s.marketplace = 'brickowl')
             ORDER BY i.id LIMIT 1",
        )?
        .query_row(params![lot.item_no, lot.item_type, lot.color_id, lot.condition.as_str(), lot.location], |r| r.get(0))
        .optional()?)
}
