//! `poll` and `run`: one poll cycle from the shell, or the daemon that polls on its own until stopped.

use brickdesk_engine::Engine;
use brickdesk_ipc::{PollSummary, Provider};

use crate::args::ProviderArg;
use crate::output::{print, Failure};

/// `poll`: one cycle per active marketplace (or `provider`'s), processed to completion.
pub async fn poll(engine: &Engine, provider: Option<ProviderArg>, json: bool) -> Result<(), Failure> {
    let summary = engine.poll(provider.map(Provider::from)).await?;
    if summary.providers.is_empty() {
        return Err(Failure("no marketplace is connected: set credentials with `brickdesk-cli credentials set`".into()));
    }
    print(&summary, json, print_poll)?;
    match summary.providers.iter().find_map(|p| p.error.as_ref().map(|e| (p.provider, e))) {
        Some((p, e)) => Err(Failure(format!("{} poll failed: {e}", p.display_name()))),
        None => Ok(()),
    }
}

/// `run`: the daemon, until SIGTERM or Ctrl-C.
pub async fn run(engine: &Engine) -> Result<(), Failure> {
    engine.run(shutdown_signal()).await?;
    Ok(())
}

/// Resolves on SIGTERM or SIGINT.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                // Without signal handlers, Ctrl-C still ends the process (the default action).
                std::future::pending::<()>().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ctrl_c = tokio::signal::ctrl_c().await;
    }
}

fn print_poll(s: &PollSummary) {
    for p in &s.providers {
        println!(
            "{:<10} fetched {}, new {}, duplicates {}, processed {}, new orders {}, failed {}{}",
            p.provider.display_name(),
            p.fetched,
            p.stored,
            p.duplicates,
            p.processed,
            p.new_orders,
            p.failures.len(),
            p.error.as_ref().map(|e| format!(" — {e}")).unwrap_or_default()
        );
        for f in &p.failures {
            let retry = if f.will_retry { "will retry" } else { "gave up (retry with `brickdesk-cli inbox retry`)" };
            println!("  failed {} (attempt {}, {retry}): {}", f.key, f.attempts, f.error);
        }
        if let Some(w) = &p.waiting {
            println!("  {w}");
        }
    }
}
