//! `inbox`: marketplace notifications: the failed ones with their errors, messages and feedback, and retrying.

use brickdesk_engine::Engine;
use brickdesk_ipc::InboxEntry;
use clap::Subcommand;

use crate::output::{print, Failure};

#[derive(Subcommand)]
pub enum InboxCommand {
    /// Failed notifications (error, attempts, next try), then messages and feedback.
    List {
        /// Only the failed notifications.
        #[arg(long)]
        failed: bool,
        #[arg(long)]
        json: bool,
    },
    /// Try failed notifications again now, with fresh attempts: one by id, or all of them.
    /// A running app or `run` picks them up at once.
    Retry {
        /// The id from `inbox list`; without it, every failed notification.
        id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(engine: &Engine, command: InboxCommand) -> Result<(), Failure> {
    match command {
        InboxCommand::List { failed, json } => print(&engine.inbox_list(failed).await?, json, |e| print_inbox(e)),
        InboxCommand::Retry { id, json } => {
            // The running app or daemon is kicked through the database: it sees the rows due.
            let r = engine.inbox_retry(id).await?;
            print(&r, json, |r| println!("{} failed notification(s) will be tried again at the next poll", r.retried))
        }
    }
}

fn print_inbox(entries: &[InboxEntry]) {
    println!("   ID  MARKET     EVENT      RESOURCE    STATUS      TRIES  NEXT TRY                  ERROR");
    for e in entries {
        println!(
            "{:>5}  {:<9}  {:<9}  {:<10}  {:<10}  {:>5}  {:<24}  {}",
            e.id,
            e.marketplace.display_name(),
            e.event_type,
            e.resource_id,
            e.status,
            e.attempts,
            e.next_attempt_at.as_deref().unwrap_or(if e.status == "failed" { "retry by hand" } else { "-" }),
            e.last_error.as_deref().unwrap_or("")
        );
    }
}
