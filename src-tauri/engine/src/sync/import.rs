//! `inventory import`: a marketplace's whole store, read in one call, becomes local lots linked to
//! their remote lots. The local work runs in transactions of [`CHUNK`] lots with cached
//! statements: a 100,000-lot store never holds the writer for long (orders keep landing while it
//! runs), progress is reported between chunks, and an import killed half-way resumes where it
//! stopped (the lots of committed chunks are linked already and count as unchanged).

use std::sync::Arc;

use brickdesk_ipc::{ImportReport, Provider};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Result;
use crate::marketplaces::types::NewLot;
use crate::orders::apply as orders;
use crate::stock::lots;
use crate::stock::outbox;
use crate::store::Store;

/// Lots per transaction.
pub const CHUNK: usize = 10_000;

/// Runs `chunk` over `items` in transactions of [`CHUNK`], calling `progress(done, total)` after
/// each commit (and once with 0 before the first).
pub async fn in_chunks<T, F>(store: &Store, items: Vec<T>, progress: &(dyn Fn(i64, i64) + Send + Sync), chunk: F) -> Result<ImportReport>
where
    T: Send + Sync + 'static,
    F: Fn(&Transaction<'_>, &[T]) -> Result<ImportReport> + Send + Sync + 'static,
{
    let total = items.len() as i64;
    let items = Arc::new(items);
    let chunk = Arc::new(chunk);
    let mut sum = ImportReport::default();
    progress(0, total);
    let mut start = 0;
    // At least one chunk, even for an empty store: importing it still links the marketplace.
    loop {
        let end = (start + CHUNK).min(items.len());
        let (items, chunk) = (Arc::clone(&items), Arc::clone(&chunk));
        let report = store.write(move |tx| chunk(tx, &items[start..end])).await?;
        sum.new += report.new;
        sum.linked += report.linked;
        sum.conflicting += report.conflicting;
        sum.unchanged += report.unchanged;
        start = end;
        progress(start as i64, total);
        if start >= total as usize {
            break;
        }
    }
    if sum.new > 0 {
        // The views choose their indexes from SQLite's statistics: refresh them after a big change.
        store.refresh_statistics(0xfffe).await?;
    }
    Ok(sum)
}

/// Whether any live lot may still be linked to a BrickLink lot, kept across one import's chunks so
/// each lot's look-up for a local twin is skipped when none can exist: a first import into an
/// empty store, or a store whose lots are all linked already (a third of the import's local work
/// at 100,000 lots, measured). Lots the seller adds between two chunks are seen at the next one.
#[derive(Debug, Default)]
pub struct Unlinked(std::sync::Mutex<Option<UnlinkedScan>>);

#[derive(Debug, Clone, Copy)]
struct UnlinkedScan {
    any: bool,
    /// The newest lot id when last looked: later lots are the only ones that can be new candidates.
    seen_to: i64,
}

impl Unlinked {
    /// Brings the scan up to this chunk's transaction: the whole store the first time (one pass),
    /// then only the lots made since the last chunk. Returns whether a local twin can exist.
    fn refresh(&self, tx: &Transaction<'_>) -> Result<bool> {
        let mut guard = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let from = match *guard {
            Some(s) if s.any => return Ok(true),
            Some(s) => s.seen_to,
            None => 0,
        };
        let any: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM inventory i WHERE i.id > ?1 AND i.deleted_at IS NULL
                 AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.inventory_id = i.id AND s.marketplace = 'bricklink'))",
            [from],
            |r| r.get(0),
        )?;
        *guard = Some(UnlinkedScan { any, seen_to: newest_lot(tx)? });
        Ok(any)
    }

    /// After a chunk: its own new lots (all linked) are not candidates.
    fn chunk_done(&self, tx: &Transaction<'_>) -> Result<()> {
        let mut guard = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(s) = guard.as_mut() {
            s.seen_to = newest_lot(tx)?;
        }
        Ok(())
    }
}

fn newest_lot(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx.query_row("SELECT COALESCE(max(id), 0) FROM inventory", [], |r| r.get(0))?)
}

/// The orders of store `m` open when its import read it at `now` (see `import_open_orders`).
pub fn keep_open_orders(tx: &Transaction<'_>, m: Provider, orders: &[String], now: DateTime<Utc>) -> Result<()> {
    let at = crate::base::clock::format_ts(now);
    let mut insert =
        tx.prepare_cached("INSERT OR IGNORE INTO import_open_orders (marketplace, order_id, import_at) VALUES (?1, ?2, ?3)")?;
    for o in orders {
        insert.execute(params![m.as_str(), o, at])?;
    }
    Ok(())
}

/// One chunk of BrickLink lots (`(inventory_id, lot)` as `GET /inventories` lists them): a lot
/// imported before is unchanged; a local lot of the same item, colour, condition and location not
/// yet linked to BrickLink is linked to it (conflicting when quantity or price differ: the local
/// values are kept and pushed); any other becomes a new local lot. Order lines waiting for stock
/// are matched to the new lots. `unlinked` is the import's, shared by its chunks.
pub fn bricklink_chunk(
    tx: &Transaction<'_>,
    lots: &[(String, NewLot)],
    now: DateTime<Utc>,
    correlation: &str,
    unlinked: &Unlinked,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let twins_possible = unlinked.refresh(tx)?;
    let mut added = Vec::new();
    outbox::link_marketplace(tx, Provider::Bricklink, now)?;
    // A new lot came from BrickLink: only the other marketplaces in sync are due to list it.
    let others: Vec<Provider> = outbox::due_targets(tx)?.into_iter().filter(|m| *m != Provider::Bricklink).collect();
    let mut known = tx.prepare_cached("SELECT 1 FROM sync_state WHERE marketplace = 'bricklink' AND remote_id = ?1")?;
    let mut local = tx.prepare_cached(
        "SELECT i.id, i.quantity - i.reserved, i.unit_price_e4 FROM inventory i INDEXED BY inventory_match
         WHERE i.deleted_at IS NULL AND i.item_no = ?1 AND i.item_type = ?2 AND i.color_id = ?3 AND i.condition = ?4 AND i.location = ?5
           AND NOT EXISTS (SELECT 1 FROM sync_state s WHERE s.inventory_id = i.id AND s.marketplace = 'bricklink')
         ORDER BY i.id LIMIT 1",
    )?;
    for (remote, lot) in lots {
        if known.exists([remote])? {
            report.unchanged += 1;
            continue;
        }
        let found: Option<(i64, i64, i64)> = match twins_possible {
            false => None,
            true => local
                .query_row(params![lot.item_no, lot.item_type, lot.color_id, lot.condition.as_str(), lot.location], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?,
        };
        match found {
            Some((id, available, price)) => {
                lots::link_remote(tx, id, "bricklink", remote, lot, now)?;
                lots::mark_imported(tx, id, "bricklink", now, false)?;
                report.linked += 1;
                if available != lot.quantity || price != lot.unit_price.0 {
                    report.conflicting += 1;
                    // Local values win: BrickLink is brought to them by the next push.
                    outbox::mark_due(tx, id, now)?;
                }
            }
            None => {
                let (id, seq) = lots::insert(tx, lot, now, Some(correlation))?;
                lots::record_link(tx, id, seq, "bricklink", remote, lot, now)?;
                lots::mark_imported(tx, id, "bricklink", now, true)?;
                outbox::mark_due_at(tx, id, seq, &others, now)?;
                added.push(id);
                report.new += 1;
            }
        }
    }
    if orders::any_line_waiting(tx)? {
        orders::rematch_open_lines(tx, &added, now)?;
    }
    unlinked.chunk_done(tx)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(item: &str, qty: i64) -> NewLot {
        NewLot {
            item_no: item.into(),
            item_type: "PART".into(),
            color_id: 11,
            condition: crate::marketplaces::types::Condition::New,
            quantity: qty,
            unit_price: crate::base::money::MoneyE4(1200),
            currency: "USD".into(),
            location: "A1".into(),
            description: String::new(),
        }
    }

    #[tokio::test]
    async fn a_lot_added_between_two_chunks_is_linked_not_doubled() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let unlinked = Arc::new(Unlinked::default());
        let now = Utc::now();
        // Chunk 1 into an empty store: no local twin can exist, every lot is new.
        let u = Arc::clone(&unlinked);
        let first = store
            .write(move |tx| bricklink_chunk(tx, &[("1".into(), lot("3001", 5)), ("2".into(), lot("3002", 5))], now, "c", &u))
            .await
            .unwrap();
        assert_eq!((first.new, first.linked), (2, 0));
        // The seller adds a lot between the chunks; BrickLink's next chunk has the same lot.
        store.write(move |tx| Ok(crate::stock::lots::insert(tx, &lot("3003", 7), now, None)?.0)).await.unwrap();
        let u = Arc::clone(&unlinked);
        let second = store
            .write(move |tx| bricklink_chunk(tx, &[("3".into(), lot("3003", 7)), ("4".into(), lot("3004", 1))], now, "c", &u))
            .await
            .unwrap();
        assert_eq!((second.new, second.linked, second.conflicting), (1, 1, 0), "the seller's lot is linked, not doubled");
        let lots: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM inventory", [], |r| r.get(0))?)).await.unwrap();
        assert_eq!(lots, 4);
    }

    #[tokio::test]
    async fn an_empty_store_is_still_one_chunk_and_a_big_one_is_several() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        for n in [0, CHUNK + 1] {
            let progress = std::sync::Mutex::new(Vec::new());
            let s = Arc::clone(&seen);
            let report = in_chunks(&store, vec![0u8; n], &|d, t| progress.lock().unwrap().push((d, t)), move |tx, c| {
                outbox::link_marketplace(tx, Provider::Brickowl, Utc::now())?;
                s.lock().unwrap().push(c.len());
                Ok(ImportReport { unchanged: c.len() as i64, ..Default::default() })
            })
            .await
            .unwrap();
            assert_eq!(report.unchanged, n as i64);
            let last = *progress.lock().unwrap().last().unwrap();
            assert_eq!(last, (n as i64, n as i64));
        }
        assert_eq!(*seen.lock().unwrap(), vec![0, CHUNK, 1], "the empty store ran one (empty) chunk");
        let linked = store.read(|c| outbox::targets(c)).await.unwrap();
        assert_eq!(linked, vec![Provider::Brickowl]);
    }
}
