//! The BrickLink catalog cache: items, their known colours, the colour list and price guides.
//!
//! *Reading never waits on the network.* [`part`] answers from SQLite with a status: `fresh`
//! (fetched within [`FRESH_FOR`]), `stale` (older; the old data is still returned), `refreshing`
//! (a refresh is queued or running) or `missing`. [`wanted`] lists what a look-up should queue:
//! one [`QUEUE`] row per (what, item, colour), never two — asking again only raises its priority
//! or, once the row is done, makes it due again.
//!
//! The refresh worker ([`refresh_due`]) claims due rows (highest priority, oldest first) through
//! the one queue module, fetches through the gateway (the catalog share of the daily budget only,
//! and the process-wide BrickLink rate limiter), upserts, and completes the row in the same
//! transaction. A failure backs off; a spent budget or a rate limit waits; an item BrickLink does
//! not have fails for good with BrickLink's words.

use brickdesk_ipc::{CatalogColor, CatalogItem, CatalogPart, CatalogQuery, CatalogRecent, CatalogRefreshEntry, CatalogStatus, PriceGuide};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::bricklink::api::{Call, Client};
use crate::marketplaces::bricklink::convert::{self as blc, CatalogItemFacts, PriceGuideFacts};
use crate::store::queue::Queue;
use crate::store::Store;

/// Data fetched longer ago than this is stale.
pub const FRESH_FOR: chrono::Duration = chrono::Duration::days(30);
/// Rows the background worker takes per run (every [`EVERY`], or at once when the seller waits).
pub const BATCH: usize = 10;
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(600);

pub const HIGH: i64 = 1;
pub const LOW: i64 = 0;

pub const QUEUE: Queue = Queue {
    table: "catalog_refresh",
    done: "done",
    max_attempts: 5,
    lease: chrono::Duration::minutes(10),
    first_backoff: chrono::Duration::minutes(1),
    rearm_after: chrono::Duration::minutes(15),
};

/// The four guides of a colour: (sold, new_or_used).
const GUIDES: [(bool, char); 4] = [(true, 'N'), (true, 'U'), (false, 'N'), (false, 'U')];

/// One piece of refresh work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Work {
    pub what: &'static str,
    pub item_type: String,
    pub item_no: String,
    pub color_id: i64,
}

/// A look-up, validated: the item type upper-cased (default PART), the number trimmed.
pub fn normalize(q: &CatalogQuery) -> Result<(String, String, Option<i64>)> {
    let bad = |what: &str, detail: String| Error::InvalidInput { what: what.into(), detail };
    let no = q.item_no.trim();
    if no.is_empty() || no.len() > 64 || no.chars().any(|c| c.is_control() || c == '/') {
        return Err(bad("item number", format!("{:?} is not a BrickLink item number", q.item_no)));
    }
    let kind = q.item_type.as_deref().unwrap_or("PART").trim().to_ascii_uppercase();
    const TYPES: &[&str] = &["PART", "MINIFIG", "SET", "BOOK", "GEAR", "CATALOG", "INSTRUCTION", "UNSORTED_LOT", "ORIGINAL_BOX"];
    if !TYPES.contains(&kind.as_str()) {
        return Err(bad("item type", format!("{kind:?} is not one of {}", TYPES.join(", "))));
    }
    if let Some(c) = q.color_id.filter(|c| *c < 0) {
        return Err(bad("colour", format!("{c} is not a BrickLink colour id")));
    }
    Ok((kind, no.to_string(), q.color_id))
}

/// The pieces a look-up is made of.
fn pieces(kind: &str, no: &str, color: Option<i64>) -> Vec<Work> {
    let w = |what, color_id| Work { what, item_type: kind.to_string(), item_no: no.to_string(), color_id };
    let mut v =
        vec![w("item", 0), w("colors", 0), Work { what: "color_list", item_type: String::new(), item_no: String::new(), color_id: 0 }];
    if let Some(c) = color {
        v.push(w("price", c));
    }
    v
}

/// When a piece was fetched (None = never; for prices, the oldest of the four guides, and None
/// unless all four are cached).
fn fetched_at(c: &rusqlite::Connection, w: &Work) -> Result<Option<String>> {
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<String>> {
        Ok(c.prepare_cached(sql)?.query_row(p, |r| r.get::<_, Option<String>>(0)).optional()?.flatten())
    };
    match w.what {
        "item" => one("SELECT fetched_at FROM catalog_items WHERE item_type = ?1 AND item_no = ?2", &[&w.item_type, &w.item_no]),
        "colors" => {
            one("SELECT fetched_at FROM catalog_item_color_lists WHERE item_type = ?1 AND item_no = ?2", &[&w.item_type, &w.item_no])
        }
        "color_list" => one("SELECT min(fetched_at) FROM catalog_colors", &[]),
        _ => {
            let mut st = c.prepare_cached(
                "SELECT max(fetched_at) FROM price_guides WHERE item_type = ?1 AND item_no = ?2 AND color_id = ?3 AND region = '' AND vat = 'N'
                 GROUP BY guide_type, new_or_used",
            )?;
            let latest = st
                .query_map(params![w.item_type, w.item_no, w.color_id], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(if latest.len() < GUIDES.len() { None } else { latest.into_iter().min() })
        }
    }
}

/// A piece's queue row: (status, next_attempt_at, last_error).
type QueueRow = (String, Option<String>, Option<String>);

/// The queue row of a piece.
fn queued(c: &rusqlite::Connection, w: &Work) -> Result<Option<QueueRow>> {
    Ok(c.prepare_cached(
        "SELECT status, next_attempt_at, last_error FROM catalog_refresh WHERE what = ?1 AND item_type = ?2 AND item_no = ?3 AND color_id = ?4",
    )?
    .query_row(params![w.what, w.item_type, w.item_no, w.color_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .optional()?)
}

/// Whether a queue row means "coming": queued, running, or backing off before another try.
fn in_flight(row: &Option<QueueRow>) -> bool {
    matches!(row, Some((s, next, _)) if s == "pending" || s == "processing" || (s == "failed" && next.is_some()))
}

/// The cached answer to a look-up, with its status; reads only.
pub fn part(c: &rusqlite::Connection, q: &CatalogQuery, now: DateTime<Utc>) -> Result<CatalogPart> {
    let (kind, no, color) = normalize(q)?;
    let pieces = pieces(&kind, &no, color);
    let stale_before = format_ts(now - FRESH_FOR);
    let mut refreshing = false;
    let mut stale = false;
    let mut oldest: Option<String> = None;
    let mut last_error = None;
    for w in &pieces {
        let row = queued(c, w)?;
        refreshing |= in_flight(&row);
        if let Some((_, _, Some(e))) = &row {
            last_error.get_or_insert_with(|| e.clone());
        }
        match fetched_at(c, w)? {
            None => stale = true,
            Some(at) => {
                stale |= at < stale_before;
                if oldest.as_ref().is_none_or(|o| at < *o) {
                    oldest = Some(at);
                }
            }
        }
    }
    let data = item(c, &kind, &no, color)?;
    let status = match (&data, refreshing, stale) {
        (_, true, _) => CatalogStatus::Refreshing,
        (None, false, _) => CatalogStatus::Missing,
        (Some(_), false, true) => CatalogStatus::Stale,
        (Some(_), false, false) => CatalogStatus::Fresh,
    };
    Ok(CatalogPart { status, fetched_at: data.as_ref().and(oldest), data, last_error })
}

/// The cached item with its colours (named from the colour list) and the colour's price guides.
fn item(c: &rusqlite::Connection, kind: &str, no: &str, color: Option<i64>) -> Result<Option<CatalogItem>> {
    let facts: Option<String> = c
        .prepare_cached("SELECT payload FROM catalog_items WHERE item_type = ?1 AND item_no = ?2")?
        .query_row(params![kind, no], |r| r.get(0))
        .optional()?;
    let Some(facts) = facts else { return Ok(None) };
    let f: CatalogItemFacts = serde_json::from_str(&facts).map_err(|e| stored_json("catalog item", e))?;
    let list: Option<String> = c
        .prepare_cached("SELECT payload FROM catalog_item_color_lists WHERE item_type = ?1 AND item_no = ?2")?
        .query_row(params![kind, no], |r| r.get(0))
        .optional()?;
    let list: Vec<(i64, i64)> = match list {
        Some(json) => serde_json::from_str(&json).map_err(|e| stored_json("catalog colours", e))?,
        None => Vec::new(),
    };
    let mut colors = Vec::with_capacity(list.len());
    let mut named = c.prepare_cached("SELECT name, hex FROM catalog_colors WHERE color_id = ?1")?;
    for (color_id, quantity) in list {
        let (name, hex): (String, String) = named.query_row([color_id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?.unwrap_or_default();
        colors.push(CatalogColor { color_id, name, hex, quantity });
    }
    let mut price_guides = Vec::new();
    if let Some(color_id) = color {
        let mut st = c.prepare_cached(
            "SELECT guide_type, new_or_used, payload, fetched_at FROM price_guides p
             WHERE item_type = ?1 AND item_no = ?2 AND color_id = ?3 AND region = '' AND vat = 'N'
               AND fetched_at = (SELECT max(fetched_at) FROM price_guides q WHERE q.item_type = p.item_type AND q.item_no = p.item_no
                                 AND q.color_id = p.color_id AND q.guide_type = p.guide_type AND q.new_or_used = p.new_or_used
                                 AND q.region = '' AND q.vat = 'N')
             ORDER BY guide_type, new_or_used",
        )?;
        let rows =
            st.query_map(params![kind, no, color_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
        for row in rows {
            let (guide_type, payload, fetched_at) = row?;
            let g: PriceGuideFacts = serde_json::from_str(&payload).map_err(|e| stored_json("price guide", e))?;
            price_guides.push(PriceGuide {
                guide_type,
                new_or_used: g.new_or_used,
                currency: g.currency,
                min_price: g.min_price,
                avg_price: g.avg_price,
                qty_avg_price: g.qty_avg_price,
                max_price: g.max_price,
                total_quantity: g.total_quantity,
                lots: g.lots,
                fetched_at,
            });
        }
    }
    Ok(Some(CatalogItem {
        item_type: f.item_type,
        item_no: f.item_no,
        name: f.name,
        category_id: f.category_id,
        year_released: f.year_released,
        weight: f.weight,
        dim_x: f.dim_x,
        dim_y: f.dim_y,
        dim_z: f.dim_z,
        image_url: f.image_url,
        colors,
        price_guides,
        color_id: color,
    }))
}

fn stored_json(what: &str, e: serde_json::Error) -> Error {
    Error::Inconsistent { what: format!("cached {what}"), detail: e.to_string() }
}

/// The pieces of a look-up that are missing or stale and not already coming (`force`: every
/// piece not already coming, for "Refresh now").
pub fn wanted(c: &rusqlite::Connection, q: &CatalogQuery, force: bool, now: DateTime<Utc>) -> Result<Vec<Work>> {
    let (kind, no, color) = normalize(q)?;
    let stale_before = format_ts(now - FRESH_FOR);
    let mut out = Vec::new();
    for w in pieces(&kind, &no, color) {
        if in_flight(&queued(c, &w)?) {
            continue;
        }
        // The colour list is shared by every item: "Refresh now" of one part does not refetch it.
        let needed = match fetched_at(c, &w)? {
            None => true,
            Some(at) => at < stale_before || (force && w.what != "color_list"),
        };
        if needed {
            out.push(w);
        }
    }
    Ok(out)
}

/// Queues `work` (idempotent: one row per piece). An existing row only gains priority, unless it
/// is done (due again, fresh attempts) or gave up (re-armed; a `permanent` one only when
/// `seller_retry`, the seller's "Refresh now").
pub fn request(tx: &Transaction<'_>, work: &[Work], priority: i64, seller_retry: bool, now: DateTime<Utc>) -> Result<usize> {
    let now_s = format_ts(now);
    let mut queued = 0;
    for w in work {
        let id: i64 = tx
            .prepare_cached(
                "INSERT INTO catalog_refresh (what, item_type, item_no, color_id, priority, requested_at, updated_at)
                 VALUES (:what, :type, :no, :color, :priority, :now, :now)
                 ON CONFLICT (what, item_type, item_no, color_id) DO UPDATE SET
                     priority = max(priority, excluded.priority),
                     status = CASE WHEN status = 'done' THEN 'pending' ELSE status END,
                     attempts = CASE WHEN status = 'done' THEN 0 ELSE attempts END,
                     next_attempt_at = CASE WHEN status = 'done' THEN NULL ELSE next_attempt_at END,
                     requested_at = CASE WHEN status = 'done' THEN excluded.requested_at ELSE requested_at END,
                     updated_at = excluded.updated_at
                 RETURNING id",
            )?
            .query_row(
                named_params! {":what": w.what, ":type": w.item_type, ":no": w.item_no, ":color": w.color_id, ":priority": priority, ":now": now_s},
                |r| r.get(0),
            )?;
        if seller_retry {
            QUEUE.retry(tx, Some(id), "1", now)?;
        } else {
            QUEUE.rearm(tx, id, now)?;
        }
        queued += 1;
    }
    Ok(queued)
}

/// What rows on the seller's screen lack to show their names and colours: each item's catalog
/// entry and the colour list, when missing or stale and not already coming at the seller's
/// priority (a row the background sweep queued is raised by `request`; one that gave up for good
/// is left alone).
pub fn name_work(c: &rusqlite::Connection, items: &[(String, String)], now: DateTime<Utc>) -> Result<Vec<Work>> {
    let stale_before = format_ts(now - FRESH_FOR);
    let mut out: Vec<Work> = Vec::new();
    for (kind, no) in items {
        let q = CatalogQuery { item_no: no.clone(), item_type: Some(kind.clone()), color_id: None };
        // A number BrickLink cannot be asked about (an odd lot) is skipped.
        let Ok((kind, no, _)) = normalize(&q) else { continue };
        for w in pieces(&kind, &no, None) {
            if !(w.what == "item" || w.what == "color_list") || out.iter().any(|o| o.what == w.what && o.item_no == w.item_no) {
                continue;
            }
            if fetched_at(c, &w)?.is_some_and(|at| at >= stale_before) {
                continue;
            }
            let row: Option<(String, i64, Option<String>)> = c
                .prepare_cached(
                    "SELECT status, priority, next_attempt_at FROM catalog_refresh
                     WHERE what = ?1 AND item_type = ?2 AND item_no = ?3 AND color_id = ?4",
                )?
                .query_row(params![w.what, w.item_type, w.item_no, w.color_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let settled = match &row {
                Some((status, priority, _)) if status == "pending" || status == "processing" => *priority >= HIGH,
                Some((status, priority, next)) if status == "failed" => next.is_none() || *priority >= HIGH,
                _ => false,
            };
            if !settled {
                out.push(w);
            }
        }
    }
    Ok(out)
}

/// The seller opened a part the background sweep had already queued: its rows (and the colour
/// list's) are raised to the seller's priority. Returns how many were raised.
pub fn raise(tx: &Transaction<'_>, q: &CatalogQuery) -> Result<usize> {
    let (kind, no, _) = normalize(q)?;
    Ok(tx
        .prepare_cached(
            "UPDATE catalog_refresh SET priority = ?1
         WHERE priority < ?1 AND status IN ('pending', 'failed')
           AND ((item_type = ?2 AND item_no = ?3) OR what = 'color_list')",
        )?
        .execute(params![HIGH, kind, no])?)
}

/// Whether work the seller is waiting on (high priority) is due now.
pub fn seller_waiting(c: &rusqlite::Connection, now: DateTime<Utc>) -> Result<bool> {
    Ok(c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM catalog_refresh WHERE status = 'pending' AND priority >= ?1
                        AND (next_attempt_at IS NULL OR next_attempt_at <= ?2))",
    )?
    .query_row(params![HIGH, format_ts(now)], |r| r.get(0))?)
}

/// Every BrickLink colour from the cached colour list (empty until it is fetched), by name.
pub fn colors(c: &rusqlite::Connection) -> Result<Vec<CatalogColor>> {
    let mut st = c.prepare_cached("SELECT color_id, name, hex FROM catalog_colors ORDER BY name")?;
    let rows = st
        .query_map([], |r| Ok(CatalogColor { color_id: r.get(0)?, name: r.get(1)?, hex: r.get(2)?, quantity: 0 }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Remembers a look-up for the Catalog page's recent list.
pub fn remember(tx: &Transaction<'_>, q: &CatalogQuery, now: DateTime<Utc>) -> Result<()> {
    let (kind, no, _) = normalize(q)?;
    tx.prepare_cached(
        "INSERT INTO catalog_lookups (item_type, item_no, looked_up_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (item_type, item_no) DO UPDATE SET looked_up_at = excluded.looked_up_at",
    )?
    .execute(params![kind, no, format_ts(now)])?;
    Ok(())
}

pub fn recent(c: &rusqlite::Connection, limit: i64) -> Result<Vec<CatalogRecent>> {
    let mut st = c.prepare_cached(
        "SELECT l.item_type, l.item_no, COALESCE(i.name, ''), l.looked_up_at FROM catalog_lookups l
         LEFT JOIN catalog_items i ON i.item_type = l.item_type AND i.item_no = l.item_no
         ORDER BY l.looked_up_at DESC LIMIT ?1",
    )?;
    let rows = st
        .query_map([limit], |r| Ok(CatalogRecent { item_type: r.get(0)?, item_no: r.get(1)?, name: r.get(2)?, looked_up_at: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Background work found without anyone asking, queued at low priority: stale cached items, and
/// the parts of order lines and of lots never looked up (so every row gets its name, colour and
/// picture). At most `limit` per sweep.
pub fn sweep(tx: &Transaction<'_>, limit: i64, now: DateTime<Utc>) -> Result<usize> {
    let items: Vec<(String, String)> = {
        let mut st = tx.prepare_cached(
            "SELECT item_type, item_no FROM catalog_items WHERE fetched_at < ?1
             UNION
             SELECT DISTINCT i.item_type, i.item_no FROM order_items i
             WHERE NOT EXISTS (SELECT 1 FROM catalog_items c WHERE c.item_type = i.item_type AND c.item_no = i.item_no)
               AND NOT EXISTS (SELECT 1 FROM catalog_refresh r WHERE r.what = 'item' AND r.item_type = i.item_type AND r.item_no = i.item_no)
             UNION
             SELECT DISTINCT i.item_type, i.item_no FROM inventory i
             WHERE i.deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM catalog_items c WHERE c.item_type = i.item_type AND c.item_no = i.item_no)
               AND NOT EXISTS (SELECT 1 FROM catalog_refresh r WHERE r.what = 'item' AND r.item_type = i.item_type AND r.item_no = i.item_no)
             LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![format_ts(now - FRESH_FOR), limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let mut queued = 0;
    for (kind, no) in items {
        let q = CatalogQuery { item_no: no, item_type: Some(kind), color_id: None };
        // A number BrickLink cannot be asked about (a stored order's odd item) is skipped.
        let Ok(work) = wanted(tx, &q, false, now) else { continue };
        queued += request(tx, &work, LOW, false, now)?;
    }
    Ok(queued)
}

const ENTRY_SQL: &str =
    "SELECT id, what, item_type, item_no, color_id, priority, status, attempts, next_attempt_at, last_error, requested_at
                         FROM catalog_refresh";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<CatalogRefreshEntry> {
    Ok(CatalogRefreshEntry {
        id: r.get(0)?,
        what: r.get(1)?,
        item_type: r.get(2)?,
        item_no: r.get(3)?,
        color_id: r.get(4)?,
        priority: r.get(5)?,
        status: r.get(6)?,
        attempts: r.get(7)?,
        next_attempt_at: r.get(8)?,
        last_error: r.get(9)?,
        requested_at: r.get(10)?,
    })
}

/// The refresh queue, unfinished work first.
pub fn queue_status(c: &rusqlite::Connection) -> Result<Vec<CatalogRefreshEntry>> {
    let mut st = c.prepare(&format!(
        "{ENTRY_SQL} ORDER BY status = 'done', status = 'failed' AND next_attempt_at IS NULL, priority DESC, requested_at, id LIMIT 500"
    ))?;
    let rows = st.query_map([], entry)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What a refresh run did.
#[derive(Debug, Default)]
pub struct Run {
    pub fetched: Vec<CatalogRefreshEntry>,
    pub failed: Vec<CatalogRefreshEntry>,
    pub waiting: Option<String>,
}

/// Claims and processes up to `limit` due rows (all due rows when `None`), highest priority
/// first. Stops at a spent budget or a rate limit (the row waits, uses no attempt).
pub async fn refresh_due(gw: &Gateway, client: &Client, limit: Option<usize>) -> Result<Run> {
    let mut run = Run::default();
    let mut tried: Vec<i64> = Vec::new();
    while limit.is_none_or(|l| tried.len() < l) {
        let now = gw.clock.now();
        let skip = serde_json::to_string(&tried).unwrap_or_else(|_| "[]".into());
        let claimed = gw
            .store
            .write(move |tx| {
                let sql = format!(
                    "SELECT id, what, item_type, item_no, color_id FROM catalog_refresh
                     WHERE {} AND id NOT IN (SELECT value FROM json_each(:skip))
                     ORDER BY priority DESC, requested_at, id LIMIT 1",
                    Queue::DUE
                );
                let row = tx
                    .prepare_cached(&sql)?
                    .query_row(named_params! {":now": format_ts(now), ":skip": skip}, |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, i64>(4)?,
                        ))
                    })
                    .optional()?;
                let Some((id, what, item_type, item_no, color_id)) = row else { return Ok(None) };
                Ok(QUEUE.take(tx, id, now)?.map(|c| (c, what, item_type, item_no, color_id)))
            })
            .await?;
        let Some((claim, what, item_type, item_no, color_id)) = claimed else { break };
        tried.push(claim.id);
        let fetched = fetch(gw, client, &what, &item_type, &item_no, color_id).await;
        let now = gw.clock.now();
        let id = claim.id;
        match fetched {
            Ok(data) => {
                gw.store
                    .write(move |tx| {
                        store_fetched(tx, &what, &item_type, &item_no, color_id, data, now)?;
                        QUEUE.complete(tx, id, now)
                    })
                    .await?;
                run.fetched.push(gw.store.read(move |c| row(c, id)).await?);
            }
            Err(e) if e.wait_hint().is_some() => {
                run.waiting = Some(QUEUE.wait_out(&gw.store, &claim, e.wait_hint().unwrap_or_default(), &e.to_string(), now).await?);
                break;
            }
            Err(e) => {
                let (retryable, error) = (e.is_retryable(), e.to_string());
                tracing::warn!(what = %what, item = %item_no, error, "catalog refresh failed");
                gw.store.write(move |tx| QUEUE.fail(tx, &claim, &error, retryable, now)).await?;
                run.failed.push(gw.store.read(move |c| row(c, id)).await?);
            }
        }
    }
    Ok(run)
}

fn row(c: &rusqlite::Connection, id: i64) -> Result<CatalogRefreshEntry> {
    Ok(c.prepare_cached(&format!("{ENTRY_SQL} WHERE id = ?1"))?.query_row([id], entry)?)
}

/// What one piece of work fetched, ready to store.
enum Fetched {
    Item(CatalogItemFacts),
    Colors(Vec<(i64, i64)>),
    ColorList(Vec<(i64, String, String, String)>),
    Prices(Vec<(bool, PriceGuideFacts)>),
}

async fn fetch(gw: &Gateway, client: &Client, what: &str, kind: &str, no: &str, color_id: i64) -> std::result::Result<Fetched, CallError> {
    let (item_type, item_no) = (kind.to_string(), no.to_string());
    Ok(match what {
        "item" => Fetched::Item(blc::catalog_item(gw.bricklink(client, &Call::Item { item_type, item_no }).await?)?),
        "colors" => Fetched::Colors(blc::item_colors(gw.bricklink(client, &Call::ItemColors { item_type, item_no }).await?)?),
        "color_list" => Fetched::ColorList(blc::colors(gw.bricklink(client, &Call::Colors).await?)?),
        _ => {
            let mut guides = Vec::with_capacity(GUIDES.len());
            for (sold, new_or_used) in GUIDES {
                let call = Call::PriceGuide { item_type: item_type.clone(), item_no: item_no.clone(), color_id, sold, new_or_used };
                guides.push((sold, blc::price_guide(gw.bricklink(client, &call).await?)?));
            }
            Fetched::Prices(guides)
        }
    })
}

fn store_fetched(tx: &Transaction<'_>, what: &str, kind: &str, no: &str, color_id: i64, data: Fetched, now: DateTime<Utc>) -> Result<()> {
    let now = format_ts(now);
    match data {
        Fetched::Item(f) => {
            let payload = serde_json::to_string(&f).map_err(|e| stored_json("catalog item", e))?;
            tx.execute(
                "INSERT INTO catalog_items (item_type, item_no, name, payload, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (item_type, item_no) DO UPDATE SET name = excluded.name, payload = excluded.payload, fetched_at = excluded.fetched_at",
                params![kind, no, f.name, payload, now],
            )?;
        }
        Fetched::Colors(list) => {
            let payload = serde_json::to_string(&list).map_err(|e| stored_json("catalog colours", e))?;
            tx.execute(
                "INSERT INTO catalog_item_color_lists (item_type, item_no, payload, fetched_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (item_type, item_no) DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at",
                params![kind, no, payload, now],
            )?;
        }
        Fetched::ColorList(list) => {
            tx.execute("DELETE FROM catalog_colors", [])?;
            let mut st =
                tx.prepare_cached("INSERT INTO catalog_colors (color_id, name, hex, color_type, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for (id, name, hex, kind) in list {
                st.execute(params![id, name, hex, kind, now])?;
            }
        }
        Fetched::Prices(guides) => {
            for (sold, g) in guides {
                let payload = serde_json::to_string(&g).map_err(|e| stored_json("price guide", e))?;
                tx.execute(
                    "INSERT INTO price_guides (item_type, item_no, color_id, guide_type, new_or_used, currency, region, vat, payload, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', 'N', ?7, ?8)
                     ON CONFLICT (item_type, item_no, color_id, guide_type, new_or_used, currency, region, vat)
                     DO UPDATE SET payload = excluded.payload, fetched_at = excluded.fetched_at",
                    params![kind, no, color_id, if sold { "sold" } else { "stock" }, g.new_or_used, g.currency, payload, now],
                )?;
            }
        }
    }
    tracing::debug!(what, item = no, "catalog data stored");
    Ok(())
}

/// How many refresh rows are due now.
pub async fn due_count(store: &Store, now: DateTime<Utc>) -> Result<i64> {
    store
        .read(move |c| {
            Ok(c.prepare_cached(&format!("SELECT count(*) FROM catalog_refresh WHERE {}", Queue::DUE))?
                .query_row(named_params! {":now": format_ts(now)}, |r| r.get(0))?)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(no: &str, color: Option<i64>) -> CatalogQuery {
        CatalogQuery { item_no: no.into(), item_type: None, color_id: color }
    }

    #[tokio::test]
    async fn the_sweep_queues_the_names_of_lots_never_looked_up_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        s.write(|tx| {
            tx.execute_batch(
                "INSERT INTO inventory (item_no, item_type, color_id, condition, quantity, unit_price_e4, created_at, updated_at)
                 VALUES ('3001', 'PART', 5, 'N', 10, 1200, '2026-11-30', '2026-11-30'),
                        ('3001', 'PART', 11, 'U', 4, 1200, '2026-11-30', '2026-11-30'),
                        ('sw0001a', 'MINIFIG', 0, 'U', 1, 90000, '2026-11-30', '2026-11-30');
                 INSERT INTO inventory (item_no, item_type, color_id, condition, quantity, unit_price_e4, deleted_at, created_at, updated_at)
                 VALUES ('3622', 'PART', 5, 'N', 0, 1200, '2026-11-30', '2026-11-30', '2026-11-30');",
            )?;
            Ok(())
        })
        .await
        .unwrap();
        assert_eq!(s.write(move |tx| sweep(tx, 10, now)).await.unwrap(), 5, "two items, their colours, the colour list");
        let rows = s.read(queue_status).await.unwrap();
        let mut items: Vec<String> = rows.iter().filter(|r| r.what == "item").map(|r| format!("{} {}", r.item_type, r.item_no)).collect();
        items.sort();
        assert_eq!(items, ["MINIFIG sw0001a", "PART 3001"], "a deleted lot is not named");
        assert!(rows.iter().all(|r| r.priority == LOW));
        assert_eq!(s.write(move |tx| sweep(tx, 10, now)).await.unwrap(), 0, "queued once");

        // The seller then looks at those lots: what the sweep queued is raised to the seller's
        // priority, once.
        let items = vec![("PART".to_string(), "3001".to_string()), ("MINIFIG".to_string(), "sw0001a".to_string())];
        let shown = items.clone();
        let work = s.read(move |c| name_work(c, &shown, now)).await.unwrap();
        assert_eq!(work.len(), 3, "two items and the colour list: {work:?}");
        s.write(move |tx| request(tx, &work, HIGH, false, now)).await.unwrap();
        let rows = s.read(queue_status).await.unwrap();
        assert!(rows.iter().filter(|r| r.what != "colors").all(|r| r.priority == HIGH), "{rows:?}");
        assert!(s.read(move |c| seller_waiting(c, now)).await.unwrap());
        assert!(s.read(move |c| name_work(c, &items, now)).await.unwrap().is_empty(), "nothing more to ask");
        // The drawer raises what the sweep queued the same way.
        let raised = s.write(move |tx| raise(tx, &CatalogQuery { item_no: "3001".into(), item_type: None, color_id: None })).await.unwrap();
        assert_eq!(raised, 1, "the item's known colours");
    }

    #[tokio::test]
    async fn missing_then_refreshing_and_one_row_per_piece_however_often_asked() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let now: DateTime<Utc> = "2026-11-30T10:00:00Z".parse().unwrap();
        let first = s.read(move |c| part(c, &q("3001", Some(5)), now)).await.unwrap();
        assert_eq!((first.status, first.data), (CatalogStatus::Missing, None));
        for _ in 0..100 {
            s.write(move |tx| {
                let work = wanted(tx, &q("3001", Some(5)), false, now)?;
                request(tx, &work, HIGH, false, now)
            })
            .await
            .unwrap();
        }
        let rows = s.read(queue_status).await.unwrap();
        let whats: Vec<&str> = rows.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(whats, ["item", "colors", "color_list", "price"], "one row per piece");
        assert_eq!(s.read(move |c| part(c, &q("3001", Some(5)), now)).await.unwrap().status, CatalogStatus::Refreshing);
        // Background work never lowers a seller's priority.
        s.write(move |tx| request(tx, &wanted(tx, &q("3001", None), true, now)?, LOW, false, now)).await.unwrap();
        assert!(s.read(queue_status).await.unwrap().iter().all(|r| r.priority == HIGH));
    }

    #[test]
    fn bad_look_ups_are_named() {
        assert!(normalize(&q("", None)).unwrap_err().to_string().contains("item number"));
        assert!(normalize(&q("30/01", None)).is_err());
        let e = normalize(&CatalogQuery { item_no: "3001".into(), item_type: Some("brick".into()), color_id: None }).unwrap_err();
        assert!(e.to_string().contains("item type"), "{e}");
        assert!(normalize(&q("3001", Some(-1))).is_err());
        assert_eq!(
            normalize(&CatalogQuery { item_no: " 10030-1 ".into(), item_type: Some("set".into()), color_id: None }).unwrap().1,
            "10030-1"
        );
    }
}
