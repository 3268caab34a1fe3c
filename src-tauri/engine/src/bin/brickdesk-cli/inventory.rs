//! `inventory`: local lots: add, list, change, delete, and import a marketplace store's lots.

use std::io::IsTerminal;

use brickdesk_engine::events::EngineEvent;
use brickdesk_engine::Engine;
use brickdesk_ipc::{InventoryAddInput, InventoryUpdateInput, Provider};
use clap::Subcommand;

use crate::args::ImportProvider;
use crate::output::{print, print_lots, read_stdin, Failure};

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
    /// sync.
    Import {
        provider: ImportProvider,
        #[arg(long)]
        json: bool,
    },
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
        InventoryCommand::Import { provider, json } => {
            let p = match provider {
                ImportProvider::Bricklink => Provider::Bricklink,
                ImportProvider::Brickowl => Provider::Brickowl,
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
