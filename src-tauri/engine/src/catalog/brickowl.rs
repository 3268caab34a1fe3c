//! BrickOwl's side of the catalog: its colour list (BrickOwl id → BrickLink id), cached for a
//! week in `settings`, and the BOID of a BrickLink item, asked once and kept in `brickowl_ids`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;

use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::brickowl::convert::refused;
use crate::marketplaces::brickowl::{api as bo, convert as boc};

const COLOR_MAP_MAX_AGE: chrono::Duration = chrono::Duration::days(7);

/// BrickOwl colour id → BrickLink colour id, cached for a week in `settings`.
/// BrickOwl's colours (BrickOwl id → BrickLink id): cached for a week, else fetched; empty when
/// the list was never read (a failure is logged, not returned: order lines still match by lot).
pub(crate) async fn color_map(gw: &Gateway, c: &bo::Client) -> Result<boc::ColorMap> {
    let now = gw.clock.now();
    let cached: Option<(String, String)> = gw
        .store
        .read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT a.value, b.value FROM settings a JOIN settings b ON b.key = 'brickowl.color_map.fetched_at' WHERE a.key = 'brickowl.color_map'",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await?;
    if let Some((json, at)) = &cached {
        let fresh = at.parse::<DateTime<Utc>>().map(|t| now - t < COLOR_MAP_MAX_AGE).unwrap_or(false);
        if let (true, Ok(map)) = (fresh, serde_json::from_str::<HashMap<i64, i64>>(json)) {
            return Ok(map);
        }
    }
    let fetched = match gw.brickowl(c, &bo::Call::ColorList).await {
        Ok(v) => boc::color_map(v).map_err(CallError::from),
        Err(e) => Err(e),
    };
    match fetched {
        Ok(map) => {
            let json = serde_json::to_string(&map).unwrap_or_else(|_| "{}".into());
            let at = format_ts(now);
            gw.store
                .write(move |tx| {
                    tx.execute("INSERT INTO settings VALUES ('brickowl.color_map', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [json])?;
                    tx.execute("INSERT INTO settings VALUES ('brickowl.color_map.fetched_at', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [at])?;
                    Ok(())
                })
                .await?;
            Ok(map)
        }
        Err(e) => {
            // Lines still match through lot ids; colours stay unknown until the next try.
            tracing::warn!(error = %e, "BrickOwl colour list unavailable; matching by lot ids only");
            Ok(cached.and_then(|(json, _)| serde_json::from_str(&json).ok()).unwrap_or_default())
        }
    }
}

/// BrickOwl's colours (BrickOwl id → BrickLink id): the catalog cache, else read here, so that
/// an unreadable list is this push's or import's error (a rate limit waits) and never an empty
/// map that would call every colour unknown.
pub async fn colours(gw: &Gateway, client: &bo::Client) -> std::result::Result<boc::ColorMap, CallError> {
    let cached = color_map(gw, client).await?;
    if !cached.is_empty() {
        return Ok(cached);
    }
    let data = gw.brickowl(client, &bo::Call::ColorList).await?;
    Ok(boc::color_map(data)?)
}

/// The base BOID of the lot's item: from `brickowl_ids`, else asked of BrickOwl once and kept.
pub async fn boid_of(
    gw: &Gateway,
    client: &bo::Client,
    bo_type: &str,
    item_type: &str,
    item_no: &str,
) -> std::result::Result<String, CallError> {
    let (item_type, item_no) = (item_type.to_string(), item_no.to_string());
    let key = (item_type.clone(), item_no.clone());
    let known: Option<String> = gw
        .store
        .read(move |c| {
            Ok(c.prepare_cached("SELECT boid FROM brickowl_ids WHERE item_type = ?1 AND item_no = ?2")?
                .query_row(params![key.0, key.1], |r| r.get(0))
                .optional()?)
        })
        .await?;
    if let Some(boid) = known {
        return Ok(boid);
    }
    let data = gw.brickowl(client, &bo::Call::IdLookup { bl_item_no: item_no.clone(), bo_type: bo_type.into() }).await?;
    // Several BOIDs can come back: the first, as BrickSync does (brickowl.md §6), without any
    // colour suffix.
    let first = data
        .get("boids")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find_map(|b| b.as_str().map(str::to_string).or_else(|| b.as_i64().map(|i| i.to_string()))));
    let Some(boid) = first.map(|b| b.split('-').next().unwrap_or_default().trim().to_string()).filter(|b| !b.is_empty()) else {
        return Err(refused(
            "/catalog/id_lookup",
            "unknown item",
            format!("BrickOwl knows no item for BrickLink {item_type} {item_no}; check the item number"),
        )
        .into());
    };
    let (b, now) = (boid.clone(), format_ts(gw.clock.now()));
    gw.store.write(move |tx| remember_boid(tx, &item_type, &item_no, &b, &now)).await?;
    Ok(boid)
}

pub fn remember_boid(tx: &Transaction<'_>, item_type: &str, item_no: &str, boid: &str, now: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO brickowl_ids (item_type, item_no, boid, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (item_type, item_no) DO UPDATE SET boid = excluded.boid, updated_at = excluded.updated_at",
    )?
    .execute(params![item_type, item_no, boid, now])?;
    Ok(())
}
