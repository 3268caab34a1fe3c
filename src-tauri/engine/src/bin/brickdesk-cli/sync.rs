//! `sync`: inventory sync with the marketplaces: push now, where each lot stands, retry, and drift.

use brickdesk_engine::Engine;
use brickdesk_ipc::{DriftChoice, Provider, SyncStatusEntry};
use clap::{Subcommand, ValueEnum};

use crate::args::ImportProvider;
use crate::output::{print, print_lots, Failure};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Push every due lot now, to completion; prints what was pushed per lot and marketplace.
    Run {
        #[arg(long)]
        json: bool,
    },
    /// Where every lot stands per marketplace: synced, pending or failed (with the error).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Try failed pushes again now: one lot's, or all.
    Retry {
        /// A lot id; without it, every failed push.
        id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The drift check: read the BrickLink store (one call) and report lots whose quantity or
    /// price was changed there, lots only there, and linked lots gone. Changes nothing.
    Reconcile {
        #[arg(long)]
        json: bool,
    },
    /// Settle a lot that drifted: keep the local values (they are pushed) or take the
    /// marketplace's.
    Resolve {
        /// The lot id from `sync reconcile`.
        id: i64,
        #[arg(long, value_enum)]
        keep: KeepArg,
        /// The marketplace whose copy drifted (needed only when it drifted on both).
        #[arg(long, value_enum)]
        marketplace: Option<ImportProvider>,
        #[arg(long)]
        json: bool,
    },
    /// List on a newly linked store (imported with `inventory import`) every local lot it does
    /// not have yet; `--dry-run` counts them. Refused lots are named, not retried.
    Publish {
        #[arg(value_enum)]
        marketplace: ImportProvider,
        #[arg(long = "dry-run")]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KeepArg {
    /// The local lot's quantity and price win.
    Local,
    /// BrickLink's quantity and price become the local lot's.
    Marketplace,
}

pub async fn run(engine: &Engine, command: SyncCommand) -> Result<(), Failure> {
    match command {
        SyncCommand::Publish { marketplace, dry_run, json } => {
            let m = match marketplace {
                ImportProvider::Bricklink => Provider::Bricklink,
                ImportProvider::Brickowl => Provider::Brickowl,
            };
            let r = engine.sync_publish(m, dry_run).await?;
            print(&r, json, |r| {
                let verb = if r.dry_run { "would list" } else { "listed" };
                println!(
                    "{}: {verb} {} lots; {} there already; {} with nothing for sale",
                    m.display_name(),
                    r.listed,
                    r.already_there,
                    r.nothing_for_sale
                );
                for x in &r.refused {
                    println!("  lot {} refused: {}", x.inventory_id, x.error);
                }
                if let Some(w) = &r.waiting {
                    println!("  {w}");
                }
            })
        }
        SyncCommand::Run { json } => print(&engine.sync_run().await?, json, |r| {
            for p in &r.pushed {
                println!(
                    "{:<10} lot {:<6} {:<7} remote {:<12} quantity {}",
                    p.marketplace.display_name(),
                    p.inventory_id,
                    p.op,
                    p.remote_id.as_deref().unwrap_or("-"),
                    p.quantity
                );
            }
            print_sync(&r.failed);
            if let Some(w) = &r.waiting {
                println!("{w}");
            }
        }),
        SyncCommand::Status { json } => print(&engine.sync_status().await?, json, |rows| print_sync(rows)),
        SyncCommand::Reconcile { json } => print(&engine.sync_reconcile().await?, json, |r| {
            if r.drifts.is_empty() {
                println!("BrickLink matches what BrickDesk left there ({})", r.checked_at);
            }
            for d in &r.drifts {
                println!(
                    "{:<15} lot {:<6} remote {:<12} {} colour {}  quantity {} → {}  price {} → {}",
                    d.kind,
                    d.inventory_id.map(|i| i.to_string()).unwrap_or("-".into()),
                    d.remote_id.as_deref().unwrap_or("-"),
                    d.item_no,
                    d.color_id,
                    d.expected_quantity.map(|q| q.to_string()).unwrap_or("?".into()),
                    d.remote_quantity.map(|q| q.to_string()).unwrap_or("gone".into()),
                    d.expected_price.as_deref().unwrap_or("?"),
                    d.remote_price.as_deref().unwrap_or("-"),
                );
            }
        }),
        SyncCommand::Resolve { id, keep, marketplace, json } => {
            let choice = match keep {
                KeepArg::Local => DriftChoice::KeepLocal,
                KeepArg::Marketplace => DriftChoice::TakeMarketplace,
            };
            let only = marketplace.map(|m| match m {
                ImportProvider::Bricklink => Provider::Bricklink,
                ImportProvider::Brickowl => Provider::Brickowl,
            });
            let lot = engine.sync_resolve_on(id, only, choice).await?;
            print(&lot, json, |l| print_lots(std::slice::from_ref(l)))
        }
        SyncCommand::Retry { id, json } => {
            let r = engine.sync_retry(id).await?;
            print(&r, json, |r| println!("{} failed push(es) will be tried again", r.retried))
        }
    }
}

fn print_sync(rows: &[SyncStatusEntry]) {
    for r in rows {
        let what = match (r.inventory_id, r.order_id) {
            (_, Some(order)) => format!("order {order:<4}"),
            (Some(lot), None) => format!("lot {lot:<6}"),
            (None, None) => "-".into(),
        };
        println!(
            "{what:<10} {:<10} {:<8} remote {:<12} attempts {} {}",
            r.marketplace.display_name(),
            r.status,
            r.remote_id.as_deref().unwrap_or("-"),
            r.attempts,
            r.last_error.as_deref().unwrap_or("")
        );
    }
}
