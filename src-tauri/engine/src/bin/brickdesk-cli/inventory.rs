//! `inventory`: local lots: add, list, change, delete, import a marketplace store's lots or a
//! file (BSX, BrickLink XML, CSV), and export them as a file.

use std::io::IsTerminal;

use brickdesk_engine::events::EngineEvent;
use brickdesk_engine::Engine;
use brickdesk_ipc::{CsvOptions, FileFormat, FileImportInput, FileImportReport, InventoryAddInput, InventoryUpdateInput, Provider};
use clap::{Subcommand, ValueEnum};

use crate::output::{print, print_lots, read_stdin, write_out, Failure};

#[derive(Subcommand)]
pub enum InventoryCommand {
    /// Add a lot read as JSON from stdin:
    /// {"item_no","item_type","color_id","condition":"N|U","quantity","unit_price","location"}.
    Add {
        #[arg(long)]
        json: bool,
    },
    /// All lots with quantity and reserved.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change a lot with a JSON object on stdin holding any of quantity, unit_price (decimal
    /// string), location, description, condition. Every marketplace in sync follows.
    Update {
        /// The lot id (first column of `inventory list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Delete a lot (refused while open orders hold pieces of it); marketplaces in sync follow.
    Delete {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Import the store's BrickLink or BrickOwl lots: new ones become local lots, matching local
    /// lots are linked, lots imported before are left alone. The marketplace then takes part in
    /// sync. Or a file (BrickStore `bsx`, BrickLink's `bricklink-xml`, `csv`): its rows become new
    /// lots or add to the local lot of the same item, colour, condition and bin; rows that cannot
    /// be lots are refused by row number; `--dry-run` shows it all and writes nothing.
    Import {
        source: ImportSource,
        /// The file (formats only).
        file: Option<std::path::PathBuf>,
        /// Show what the import would do; write nothing.
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// CSV: what a column holds, `--map "Nr części=item_no"` (fields: item_no, item_type, color,
        /// condition, quantity, price, location, description, currency, ignore); guessed from the
        /// header names otherwise.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// CSV: utf-8, windows-1250 or windows-1252 (guessed otherwise).
        #[arg(long)]
        encoding: Option<String>,
        /// CSV: the delimiter (guessed from the header line otherwise).
        #[arg(long)]
        delimiter: Option<char>,
        #[arg(long)]
        json: bool,
    },
    /// Write the lots as a file: BrickStore `bsx`, BrickLink's `bricklink-xml` (its upload page
    /// takes it), or `csv`; to stdout, or `--out FILE`.
    Export {
        format: FileFormatArg,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

/// What `inventory import` reads: a marketplace's store, or a file.
#[derive(Clone, Copy, ValueEnum)]
pub enum ImportSource {
    Bricklink,
    Brickowl,
    Bsx,
    BricklinkXml,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FileFormatArg {
    Bsx,
    BricklinkXml,
    Csv,
}

impl From<FileFormatArg> for FileFormat {
    fn from(f: FileFormatArg) -> FileFormat {
        match f {
            FileFormatArg::Bsx => FileFormat::Bsx,
            FileFormatArg::BricklinkXml => FileFormat::BricklinkXml,
            FileFormatArg::Csv => FileFormat::Csv,
        }
    }
}

pub async fn run(engine: &Engine, command: InventoryCommand) -> Result<(), Failure> {
    match command {
        InventoryCommand::Add { json } => {
            let text = read_stdin()?;
            let input: InventoryAddInput = serde_json::from_str(&text).map_err(|e| Failure(format!("invalid inventory JSON: {e}")))?;
            let lot = engine.inventory_add(input).await?;
            print(&lot, json, |l| print_lots(std::slice::from_ref(l)))
        }
        InventoryCommand::List { json } => print(&engine.inventory_list().await?, json, |l| print_lots(l)),
        InventoryCommand::Import { source, file, dry_run, map, encoding, delimiter, json } => {
            let format = match source {
                ImportSource::Bricklink | ImportSource::Brickowl => None,
                ImportSource::Bsx => Some(FileFormat::Bsx),
                ImportSource::BricklinkXml => Some(FileFormat::BricklinkXml),
                ImportSource::Csv => Some(FileFormat::Csv),
            };
            if let Some(format) = format {
                let path = file.ok_or_else(|| Failure(format!("inventory import {}: name the file", format.as_str())))?;
                let bytes = std::fs::read(&path).map_err(|e| Failure(format!("cannot read {}: {e}", path.display())))?;
                let map = map
                    .iter()
                    .map(|m| m.split_once('=').map(|(c, f)| (c.trim().to_string(), f.trim().to_string())))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| Failure("--map takes COLUMN=FIELD".into()))?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let input = FileImportInput { format, name, bytes, csv: CsvOptions { map, encoding, delimiter } };
                let report = engine.inventory_import_file(input, dry_run).await?;
                return print(&report, json, print_file_import);
            }
            if file.is_some() || dry_run || !map.is_empty() {
                return Err(Failure("a marketplace's store is imported whole: no file, --dry-run or --map".into()));
            }
            let p = match source {
                ImportSource::Brickowl => Provider::Brickowl,
                _ => Provider::Bricklink,
            };
            let progress = std::io::stderr().is_terminal().then(|| tokio::spawn(import_progress(engine.subscribe())));
            let r = engine.inventory_import(p).await;
            if let Some(task) = progress {
                task.abort();
                eprintln!();
            }
            let r = r?;
            print(&r, json, |r| {
                println!(
                    "{}: {} new, {} linked ({} conflicting), {} unchanged",
                    p.display_name(),
                    r.new,
                    r.linked,
                    r.conflicting,
                    r.unchanged
                )
            })
        }
        InventoryCommand::Update { id, json } => {
            let text = read_stdin()?;
            let input: InventoryUpdateInput =
                serde_json::from_str(&text).map_err(|e| Failure(format!("invalid inventory update JSON: {e}")))?;
            let lot = engine.inventory_update(id, input).await?;
            print(&lot, json, |l| print_lots(std::slice::from_ref(l)))
        }
        InventoryCommand::Delete { id, json } => {
            engine.inventory_delete(id).await?;
            print(&serde_json::json!({"deleted": id}), json, |_| println!("lot {id} deleted"))
        }
        InventoryCommand::Export { format, out } => write_out(&engine.inventory_export(format.into(), None).await?, out.as_deref()),
    }
}

fn print_file_import(r: &FileImportReport) {
    let verb = if r.dry_run { "would make" } else { "made" };
    if let Some(at) = &r.already_imported {
        println!("This file was imported on {at}: nothing is added again.");
    }
    println!("{}: {verb} {} new lots, add to {} lots, refuse {} rows", r.format, r.new.len(), r.added.len(), r.refused.len());
    for (column, field) in &r.columns {
        println!("  column {column:?} → {field}");
    }
    for l in r.new.iter().chain(&r.added) {
        let to = l.inventory_id.map(|id| format!(" (adds to lot {id})")).unwrap_or_default();
        println!(
            "  row {:<5} {} {} colour {} {} × {} at {} {}{to}",
            l.row, l.item_type, l.item_no, l.color_id, l.condition, l.quantity, l.unit_price, l.location
        );
    }
    for x in &r.refused {
        println!("  row {:<5} refused: {}", x.row, x.reason);
    }
    for (what, n) in &r.dropped {
        println!("  not kept: {what} ({n} rows)");
    }
    if r.dry_run {
        println!("Nothing written (--dry-run).");
    }
}

/// `inventory import` on a terminal: one stderr line that counts up, chunk by chunk.
async fn import_progress(mut events: tokio::sync::broadcast::Receiver<EngineEvent>) {
    use std::io::Write as _;
    loop {
        match events.recv().await {
            Ok(EngineEvent::ImportProgress(p)) => {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{}: {} of {} lots", p.marketplace.display_name(), p.done, p.total);
                let _ = err.flush();
            }
            Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
        }
    }
}
