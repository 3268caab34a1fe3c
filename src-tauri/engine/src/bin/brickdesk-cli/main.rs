//! `brickdesk-cli`: the headless edge over `brickdesk-engine`, for scripts and home-server daemons.
//!
//! Exit codes: 0 ok, 1 error (one line on stderr), 2 usage. With `--json`, results print as the
//! `brickdesk-ipc` wire shapes, one JSON document on stdout.

mod allegro;
mod args;
mod catalog;
mod credentials;
mod doctor;
mod inbox;
mod inventory;
mod mcp;
mod orders;
mod output;
mod poll;
mod sync;

use std::process::ExitCode;

use brickdesk_engine::{logging, Config, Engine};
use clap::{Parser, Subcommand};

use args::ProviderArg;
use output::{fail, Failure};

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
    Catalog(catalog::CatalogCommand),
    /// Allegro offers and the lots they sell.
    #[command(subcommand)]
    Allegro(allegro::AllegroCommand),
    /// Serve BrickDesk to an AI assistant: an MCP server on stdin/stdout (register this command
    /// with the MCP client). Read-only tools over the inventory, orders, catalog cache, sync
    /// status and pick lists; works while the window or `run` is running.
    Mcp {
        /// Also offer `update_lot` (quantity, unit price, bin), pushed to the stores at once; each
        /// call is logged.
        #[arg(long)]
        allow_writes: bool,
    },
    /// Check every lot, order line and queue row against the ledger. Prints
    /// {"ok": true|false, "problems": [...]} with --json; exits 0 either way.
    Doctor {
        /// Also compare every linked lot with what each store in sync holds (one list call per
        /// store): a store holding more or fewer than the lot's available quantity is a problem.
        #[arg(long)]
        remote: bool,
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
        // stdout is the MCP channel: logs go to a file of their own and stderr, which MCP
        // clients keep as the server's log.
        Command::Mcp { .. } => Some(logging::init(&config.log_dir(), "brickdesk-mcp", true)?),
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
        Command::Sync(command) => sync::run(&engine, command).await,
        Command::Catalog(command) => catalog::run(&engine, command).await,
        Command::Allegro(command) => allegro::run(&engine, command).await,
        Command::Doctor { remote, json } => doctor::run(&engine, remote, json).await,
        Command::Mcp { allow_writes } => mcp::run(engine, allow_writes).await,
    }
}
