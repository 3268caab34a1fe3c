//! `brickdesk-cli`: the headless edge over `brickdesk-engine`, for scripts and home-server daemons.
//!
//! Exit codes: 0 ok, 1 error (one line on stderr), 2 usage. With `--json`, results print as the
//! `brickdesk-ipc` wire shapes, one JSON document on stdout.

mod args;
mod credentials;
mod inbox;
mod inventory;
mod orders;
mod output;
mod poll;
mod sync;

use std::process::ExitCode;

use brickdesk_engine::{logging, Config, Engine};
use brickdesk_ipc::{AllegroOffer, CatalogPart, CatalogQuery, CatalogRefreshEntry, DoctorReport};
use clap::{Parser, Subcommand};

use args::ProviderArg;
use output::{fail, print, Failure};

#[derive(Parser)]
#[command(
    name = "brickdesk-cli",
    version,
    about = "BrickDesk without a window: credentials, polling, orders and inventory from the shell."
)]
#[command(after_help = "Environment: BRICKDESK_DATA_DIR (where brickdesk.sqlite3 lives), BRICKDESK_KEYRING_SERVICE, \
BRICKDESK_BRICKLINK_URL, BRICKDESK_BRICKOWL_URL, BRICKDESK_ALLEGRO_API_URL, BRICKDESK_ALLEGRO_AUTH_URL, \
BRICKDESK_POLL_INTERVAL_SECS, BRICKDESK_BRICKLINK_DAILY_LIMIT, BRICKDESK_BRICKLINK_RATE_PER_SEC, BRICKDESK_RETRY_BASE_MS, BRICKDESK_NOW, BRICKDESK_LOG.\n\
Exit codes: 0 ok, 1 error (one line on stderr), 2 usage.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Marketplace credentials, kept only in the OS keyring.
    #[command(subcommand)]
    Credentials(credentials::CredentialsCommand),
    /// Run one poll cycle per active marketplace and process what it finds to completion.
    ///
    /// Prints counts per marketplace and every notification that failed, with its error.
    /// Exits 1 when a marketplace could not be polled at all.
    Poll {
        #[arg(long, value_enum)]
        provider: Option<ProviderArg>,
        #[arg(long)]
        json: bool,
    },
    /// Run as a daemon: poll at start, then every BRICKDESK_POLL_INTERVAL_SECS (default 180).
    /// Stops cleanly (exit 0) on SIGTERM or Ctrl-C. Other commands work while it runs.
    Run,
    /// Orders from every marketplace.
    #[command(subcommand)]
    Orders(orders::OrdersCommand),
    /// Local inventory lots.
    #[command(subcommand)]
    Inventory(inventory::InventoryCommand),
    /// Notifications: the failed ones (with their errors) and messages / feedback.
    #[command(subcommand)]
    Inbox(inbox::InboxCommand),
    /// Inventory sync with the marketplaces.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// The BrickLink catalog cache: parts, colours and price guides.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Allegro offers and the lots they sell.
    #[command(subcommand)]
    Allegro(AllegroCommand),
    /// Check every lot, order line and queue row against the ledger. Prints
    /// {"ok": true|false, "problems": [...]} with --json; exits 0 either way.
    Doctor {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum AllegroCommand {
    /// Every Allegro offer BrickDesk knows (read by `poll`), by name: price, stock, status, and
    /// the lot it sells — linked by the seller or by its signature (external.id).
    Offers {
        #[arg(long)]
        json: bool,
    },
    /// Link an offer to a lot (replaces the offer's earlier link); the lot's stock is then pushed
    /// to the offer.
    Link {
        /// The Allegro offer id, from `allegro offers`.
        offer_id: String,
        /// The local lot id, from `inventory list`.
        lot_id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
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
enum CatalogRefreshCommand {
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

fn main() -> ExitCode {
    // clap exits 2 on usage errors and 0 for --help/--version by itself.
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(Failure(format!("cannot start the async runtime: {e}"))),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(f),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let config = Config::from_env()?;
    let _log_guard = match &cli.command {
        // The daemon logs to the rotating file in the data dir (and stderr); one-shot commands keep
        // stderr for their one error line.
        Command::Run => Some(logging::init(&config.log_dir(), "brickdesk-cli", true)?),
        _ => None,
    };
    let engine = Engine::open(config)?;
    match cli.command {
        Command::Credentials(command) => credentials::run(&engine, command).await,
        Command::Poll { provider, json } => poll::poll(&engine, provider, json).await,
        Command::Run => poll::run(&engine).await,
        Command::Orders(command) => orders::run(&engine, command).await,
        Command::Inventory(command) => inventory::run(&engine, command).await,
        Command::Inbox(command) => inbox::run(&engine, command).await,
        Command::Doctor { json } => print(&engine.doctor().await?, json, print_doctor),
        Command::Allegro(AllegroCommand::Offers { json }) => print(&engine.allegro_offers().await?, json, |o| print_offers(o)),
        Command::Allegro(AllegroCommand::Link { offer_id, lot_id, json }) => {
            let offer = engine.allegro_link(&offer_id, lot_id).await?;
            print(&offer, json, |o| print_offers(std::slice::from_ref(o)))
        }
        Command::Catalog(CatalogCommand::Part { no, item_type, color, json }) => {
            let part = engine.catalog_part(CatalogQuery { item_no: no, item_type: Some(item_type), color_id: color }).await?;
            print(&part, json, print_catalog_part)
        }
        Command::Catalog(CatalogCommand::Refresh(CatalogRefreshCommand::Run { json })) => {
            let report = engine.catalog_refresh_run().await?;
            print(&report, json, |r| {
                print_refresh(&r.fetched, "fetched");
                print_refresh(&r.failed, "failed");
                if let Some(w) = &r.waiting {
                    println!("{w}");
                }
            })
        }
        Command::Catalog(CatalogCommand::Refresh(CatalogRefreshCommand::Status { json })) => {
            print(&engine.catalog_refresh_status().await?, json, |rows| print_refresh(rows, "queued"))
        }
        Command::Sync(command) => sync::run(&engine, command).await,
    }
}

fn print_offers(offers: &[AllegroOffer]) {
    println!("OFFER          STATUS     STOCK  PRICE          LOT                          NAME");
    for o in offers {
        let price = match (&o.price, &o.currency) {
            (Some(p), Some(c)) => format!("{p} {c}"),
            _ => "-".into(),
        };
        let lot = match (o.lot_id, &o.lot_label, &o.linked_by) {
            (Some(id), Some(label), Some(by)) => format!("{id} {label} ({by})"),
            (Some(id), _, _) => id.to_string(),
            _ => "not linked".into(),
        };
        let stock = o.stock_available.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
        println!("{:<13}  {:<9}  {:>5}  {:<13}  {:<27}  {}", o.offer_id, o.status, stock, price, lot, o.name);
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

fn print_doctor(r: &DoctorReport) {
    if r.ok {
        println!("ok: every lot, order line and queue row agrees with the ledger");
    }
    for p in &r.problems {
        println!("{:<18} {}", p.kind, p.detail);
    }
}
