//! Files in and out: importing BSX, BrickLink XML and CSV (a plan first, then one transaction),
//! exporting lots in the same formats and orders as CSV.

use super::{correlation_id, Engine};
use crate::error::{Error, Result};
use crate::exchange::{blxml, bsx, csv, orders_csv, plan, Parsed};
use crate::orders;
use crate::stock::lots as inventory;
use brickdesk_ipc::{FileFormat, FileImportInput, FileImportReport, InventoryLot, InventoryQuery, OrdersExportQuery};

/// The largest file an import reads (a 100,000-lot CSV is about 6 MB).
pub const MAX_FILE: usize = 256 * 1024 * 1024;

impl Engine {
    /// `inventory import bsx|bricklink-xml|csv FILE`: what the file's rows become (new lots, lots
    /// added to, rows refused with their row number); with `dry_run` nothing is written,
    /// otherwise the plan is written in one transaction (ledger entries: every store in sync
    /// follows). The same file imported again adds nothing.
    pub async fn inventory_import_file(&self, input: FileImportInput, dry_run: bool) -> Result<FileImportReport> {
        if input.bytes.len() > MAX_FILE {
            return Err(Error::InvalidInput { what: "file".into(), detail: format!("larger than {} MB", MAX_FILE / 1024 / 1024) });
        }
        let digest = plan::digest(&input.bytes);
        let format = input.format;
        let parsed: Parsed = match format {
            FileFormat::Bsx | FileFormat::BricklinkXml => {
                let (text, _) = csv::decode(&input.bytes, None).map_err(|e| bad_file(format, e))?;
                match format {
                    FileFormat::Bsx => bsx::read(&text),
                    _ => {
                        let currency = self.store.read(plan::store_currency).await?;
                        blxml::read(&text, Some(&currency))
                    }
                }
                .map_err(|e| bad_file(format, e))?
            }
            FileFormat::Csv => {
                // Colour names as the catalog knows them (`Red`, `Dark Bluish Gray`).
                let names: std::collections::HashMap<String, i64> = self
                    .store
                    .read(|c| {
                        let mut st = c.prepare("SELECT lower(name), color_id FROM catalog_colors")?;
                        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
                        Ok(rows.collect::<rusqlite::Result<_>>()?)
                    })
                    .await?;
                let colour = move |n: &str| names.get(&n.trim().to_lowercase()).copied();
                csv::read(&input.bytes, &input.csv, &colour).map_err(|e| bad_file(format, e))?
            }
        };
        if dry_run {
            let mut plan = self.store.read(move |c| plan::plan(c, format.as_str(), parsed, digest)).await?;
            plan.report.dry_run = true;
            return Ok(plan.report);
        }
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        let name = input.name.clone();
        let (report, rematched) = self
            .store
            .write(move |tx| {
                let plan = plan::plan(tx, format.as_str(), parsed, digest)?;
                let written = plan::apply(tx, &plan, &name, now, &correlation)?;
                let rematched = orders::apply::rematch_open_lines(tx, &written, now)?;
                Ok((plan.report, rematched))
            })
            .await?;
        tracing::info!(
            format = format.as_str(),
            new = report.new.len(),
            added = report.added.len(),
            refused = report.refused.len(),
            "file imported"
        );
        if report.already_imported.is_none() {
            self.after_stock_change(rematched);
        }
        Ok(FileImportReport { dry_run: false, ..report })
    }

    /// `inventory export FORMAT`: the lots (all, or those `query` filters) as a file.
    pub async fn inventory_export(&self, format: FileFormat, query: Option<InventoryQuery>) -> Result<String> {
        let lots: Vec<InventoryLot> = match query {
            None => self.store.read(inventory::list).await?,
            Some(q) => {
                let mut all = Vec::new();
                let mut offset = 0;
                loop {
                    let page = self.inventory_page(InventoryQuery { offset, limit: 1000, ..q.clone() }).await?;
                    let n = page.lots.len() as i64;
                    all.extend(page.lots);
                    offset += n;
                    if n == 0 || offset >= page.total {
                        break;
                    }
                }
                all
            }
        };
        Ok(match format {
            FileFormat::Bsx => bsx::write(&lots),
            FileFormat::BricklinkXml => blxml::write(&lots),
            FileFormat::Csv => csv::write(&lots).map_err(|e| Error::Inconsistent { what: "CSV export".into(), detail: e })?,
        })
    }

    /// `orders export csv`: orders (or their lines) for bookkeeping.
    pub async fn orders_export_csv(&self, q: OrdersExportQuery) -> Result<String> {
        self.store.read(move |c| orders_csv::write(c, &q)).await
    }
}

fn bad_file(format: FileFormat, e: String) -> Error {
    Error::InvalidInput { what: format!("{} file", format.as_str()), detail: e }
}
