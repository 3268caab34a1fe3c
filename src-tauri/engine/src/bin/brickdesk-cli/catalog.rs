//! `catalog`: the BrickLink catalog cache (parts, colours, price guides) and its refresh queue.

use brickdesk_engine::Engine;
use brickdesk_ipc::{CatalogPart, CatalogQuery, CatalogRefreshEntry};
use clap::Subcommand;

use crate::output::{print, Failure};

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// A part from the local cache, at once: {"status": "fresh|stale|refreshing|missing", "data", "fetched_at"}.
    /// Queues a refresh of what is missing or stale (a running app or `run` fetches it); never fetches.
    Part {
        /// BrickLink item number, e.g. 3001 or 10030-1.
        no: String,
        /// BrickLink item type.
        #[arg(long = "type", default_value = "PART")]
        item_type: String,
        /// A colour id: the answer includes that colour's price guides when cached.
        #[arg(long = "color")]
        color: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// The refresh queue.
    #[command(subcommand)]
    Refresh(CatalogRefreshCommand),
}

#[derive(Subcommand)]
pub enum CatalogRefreshCommand {
    /// Fetch every due row now (not waiting for the 10-minute cadence; the daily budget still
    /// holds) and print what was fetched.
    Run {
        #[arg(long)]
        json: bool,
    },
    /// Every row of the queue: what, status, attempts, next try, error.
    Status {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(engine: &Engine, command: CatalogCommand) -> Result<(), Failure> {
    match command {
        CatalogCommand::Part { no, item_type, color, json } => {
            let part = engine.catalog_part(CatalogQuery { item_no: no, item_type: Some(item_type), color_id: color }).await?;
            print(&part, json, print_catalog_part)
        }
        CatalogCommand::Refresh(CatalogRefreshCommand::Run { json }) => {
            let report = engine.catalog_refresh_run().await?;
            print(&report, json, |r| {
                print_refresh(&r.fetched, "fetched");
                print_refresh(&r.failed, "failed");
                if let Some(w) = &r.waiting {
                    println!("{w}");
                }
            })
        }
        CatalogCommand::Refresh(CatalogRefreshCommand::Status { json }) => {
            print(&engine.catalog_refresh_status().await?, json, |rows| print_refresh(rows, "queued"))
        }
    }
}

fn print_catalog_part(p: &CatalogPart) {
    let at = p.fetched_at.as_deref().unwrap_or("never");
    match &p.data {
        None => println!("{} (nothing cached yet; fetched {at})", p.status.as_str()),
        Some(d) => {
            println!("{} {} — {} [{}, fetched {at}]", d.item_type, d.item_no, d.name, p.status.as_str());
            println!(
                "  year {}, weight {} g, size {} x {} x {}",
                d.year_released.map(|y| y.to_string()).unwrap_or("?".into()),
                d.weight,
                d.dim_x,
                d.dim_y,
                d.dim_z
            );
            let colours: Vec<String> = d
                .colors
                .iter()
                .map(|c| if c.name.is_empty() { c.color_id.to_string() } else { format!("{} {}", c.color_id, c.name) })
                .collect();
            println!("  colours: {}", if colours.is_empty() { "-".to_string() } else { colours.join(", ") });
            for g in &d.price_guides {
                println!(
                    "  {:<5} {}  min {:>10}  avg {:>10}  max {:>10} {}  qty {:>6}  lots {:>5}",
                    g.guide_type, g.new_or_used, g.min_price, g.avg_price, g.max_price, g.currency, g.total_quantity, g.lots
                );
            }
        }
    }
    if let Some(e) = &p.last_error {
        println!("  last refresh failed: {e}");
    }
}

fn print_refresh(rows: &[CatalogRefreshEntry], label: &str) {
    for r in rows {
        let item =
            if r.what == "color_list" { "all colours".to_string() } else { format!("{} {} colour {}", r.item_type, r.item_no, r.color_id) };
        println!(
            "{label:<8} {:<10} {item:<28} {:<10} priority {} attempts {} {}",
            r.what,
            r.status,
            r.priority,
            r.attempts,
            r.last_error.as_deref().unwrap_or("")
        );
    }
}
