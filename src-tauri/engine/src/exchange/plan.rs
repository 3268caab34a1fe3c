//! What an import does, decided before anything is written: each valid row is a new lot or adds
//! to the local lot of the same item, colour, condition and bin (rows of the file that name the
//! same lot are one); each invalid row is refused with its row number and the reason. Applying
//! the plan is one transaction of ledger entries (so every store in sync follows), and the file's
//! digest is kept: the same file imported again adds nothing.

use std::collections::BTreeMap;

use brickdesk_ipc::{FileImportReport, ImportLot, RefusedRow};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::Digest;

use super::Parsed;
use crate::base::clock::format_ts;
use crate::error::Result;
use crate::marketplaces::types::NewLot;

/// A file's identity: the SHA-256 of its bytes.
pub fn digest(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// One lot the plan makes or adds to.
#[derive(Debug, Clone)]
pub struct Planned {
    pub row: usize,
    pub lot: NewLot,
    /// The local lot it adds to.
    pub existing: Option<i64>,
}

/// The plan: what the report shows, and what `apply` writes.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub report: FileImportReport,
    pub lots: Vec<Planned>,
    pub digest: String,
}

/// The currency most of the store's lots are priced in (a file without one takes it), else USD.
pub fn store_currency(c: &rusqlite::Connection) -> Result<String> {
    Ok(c.query_row("SELECT currency FROM inventory WHERE deleted_at IS NULL GROUP BY currency ORDER BY count(*) DESC LIMIT 1", [], |r| {
        r.get(0)
    })
    .optional()?
    .unwrap_or_else(|| "USD".into()))
}

/// Decides what importing `parsed` (a file with `digest`) does; writes nothing.
pub fn plan(c: &rusqlite::Connection, format: &str, parsed: Parsed, digest: String) -> Result<Plan> {
    let currency = store_currency(c)?;
    let already: Option<String> =
        c.query_row("SELECT imported_at FROM file_imports WHERE digest = ?1", [&digest], |r| r.get(0)).optional()?;
    let mut report = FileImportReport {
        format: format.into(),
        dry_run: true,
        dropped: parsed.dropped.into_iter().collect(),
        columns: parsed.columns,
        already_imported: already,
        ..FileImportReport::default()
    };
    let mut find = c.prepare_cached(
        "SELECT id FROM inventory WHERE deleted_at IS NULL AND item_no = ?1 AND item_type = ?2 AND color_id = ?3 AND condition = ?4 AND location = ?5
         ORDER BY id LIMIT 1",
    )?;
    // Rows naming the same lot are one: the first row's price and description stand.
    let mut by_key: BTreeMap<(String, String, i64, String, String), usize> = BTreeMap::new();
    let mut lots: Vec<Planned> = Vec::new();
    for row in parsed.rows {
        let input = match row.lot {
            Ok(mut input) => {
                if input.currency.is_none() {
                    input.currency = Some(currency.clone());
                }
                input
            }
            Err(reason) => {
                report.refused.push(RefusedRow { row: row.row, reason });
                continue;
            }
        };
        let lot = match NewLot::validate(input) {
            Ok(l) => l,
            Err(e) => {
                report.refused.push(RefusedRow { row: row.row, reason: e.to_string() });
                continue;
            }
        };
        if lot.currency != currency {
            report.refused.push(RefusedRow {
                row: row.row,
                reason: format!("priced in {}, the store in {currency}: convert the prices first", lot.currency),
            });
            continue;
        }
        let key = (lot.item_no.clone(), lot.item_type.clone(), lot.color_id, lot.condition.as_str().to_string(), lot.location.clone());
        if let Some(&i) = by_key.get(&key) {
            lots[i].lot.quantity += lot.quantity;
            continue;
        }
        let existing: Option<i64> = find.query_row(params![key.0, key.1, key.2, key.3, key.4], |r| r.get(0)).optional()?;
        by_key.insert(key, lots.len());
        lots.push(Planned { row: row.row, lot, existing });
    }
    for p in &lots {
        let line = ImportLot {
            row: p.row,
            item_no: p.lot.item_no.clone(),
            item_type: p.lot.item_type.clone(),
            color_id: p.lot.color_id,
            condition: p.lot.condition.as_str().to_string(),
            quantity: p.lot.quantity,
            unit_price: p.lot.unit_price.to_string_with(4),
            location: p.lot.location.clone(),
            inventory_id: p.existing,
        };
        if p.existing.is_some() {
            report.added.push(line);
        } else {
            report.new.push(line);
        }
    }
    Ok(Plan { report, lots, digest })
}

/// Writes the plan in the caller's transaction: new lots, and the quantities added to existing
/// ones, each a ledger entry that makes the lot due for every store in sync. A file imported
/// before adds nothing. Returns the lots written.
pub fn apply(tx: &Transaction<'_>, plan: &Plan, name: &str, now: DateTime<Utc>, correlation: &str) -> Result<Vec<i64>> {
    if plan.report.already_imported.is_some() {
        return Ok(Vec::new());
    }
    let mut written = Vec::with_capacity(plan.lots.len());
    for p in &plan.lots {
        match p.existing {
            None => written.push(crate::stock::lots::add_with(tx, &p.lot, now, Some(correlation))?),
            Some(id) => {
                let quantity: i64 = tx.query_row("SELECT quantity FROM inventory WHERE id = ?1", [id], |r| r.get(0))?;
                let input = brickdesk_ipc::InventoryUpdateInput { quantity: Some(quantity + p.lot.quantity), ..Default::default() };
                crate::stock::lots::update(tx, id, &input, now, correlation)?;
                written.push(id);
            }
        }
    }
    tx.execute(
        "INSERT INTO file_imports (digest, format, name, imported_at, new_lots, added_lots) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![plan.digest, plan.report.format, name, format_ts(now), plan.report.new.len() as i64, plan.report.added.len() as i64],
    )?;
    Ok(written)
}
