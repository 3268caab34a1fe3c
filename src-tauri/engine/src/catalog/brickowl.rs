//! BrickOwl's side of the catalog: its colour list (BrickOwl id → BrickLink id), cached for a
//! week in `settings`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::{CallError, Gateway};
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
