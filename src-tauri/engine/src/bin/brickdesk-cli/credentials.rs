//! `credentials`: marketplace credentials, kept only in the OS keyring (and the Allegro account link).

use brickdesk_engine::Engine;
use brickdesk_ipc::{CredentialStatus, Provider};
use clap::Subcommand;

use crate::args::ProviderArg;
use crate::output::{print, read_stdin, Failure};

#[derive(Subcommand)]
pub enum CredentialsCommand {
    /// Save credentials read as JSON from stdin.
    ///
    /// bricklink: {"consumer_key","consumer_secret","token_value","token_secret"};
    /// brickowl: {"api_key"}; allegro: {"client_id","client_secret"} of the app registered on
    /// apps.developer.allegro.pl, then the account is linked: open the printed address, approve
    /// BrickDesk, and the command exits 0 once linked (with --json: a JSON object with
    /// verification_uri_complete and user_code first, then the final status).
    Set {
        provider: ProviderArg,
        /// Print the resulting status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Whether each provider's credentials are set (never prints a secret).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Make one cheap call with the saved credentials and say, in plain words, whether they work
    /// (and what to do if not). Exits 1 when the marketplace refused them.
    Test {
        provider: ProviderArg,
        #[arg(long)]
        json: bool,
    },
    /// Remove a provider's credentials from the OS keyring.
    Delete {
        provider: ProviderArg,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(engine: &Engine, command: CredentialsCommand) -> Result<(), Failure> {
    match command {
        CredentialsCommand::Set { provider: ProviderArg::Allegro, json } => {
            engine.credentials_set(Provider::Allegro, read_stdin()?).await?;
            let link = engine.allegro_link_start().await?;
            if json {
                // One JSON object per line: the link first (the seller needs it now), then the outcome.
                println!("{}", serde_json::to_string(&link)?);
            } else {
                println!("Open {} and approve BrickDesk", link.verification_uri_complete);
                println!("(or go to {} and enter the code {})", link.verification_uri, link.user_code);
                println!("Waiting for the approval…");
            }
            use std::io::Write;
            std::io::stdout().flush()?;
            let status = engine.allegro_link_wait().await?;
            if json {
                println!("{}", serde_json::to_string(&status)?);
                Ok(())
            } else {
                print_statuses(&[status], false)
            }
        }
        CredentialsCommand::Set { provider, json } => {
            let status = engine.credentials_set(provider.into(), read_stdin()?).await?;
            print_statuses(&[status], json)
        }
        CredentialsCommand::Status { json } => print_statuses(&engine.credentials_status().await?, json),
        CredentialsCommand::Test { provider, json } => {
            let t = engine.credentials_test(provider.into()).await?;
            print(&t, json, |t| println!("{}", t.message))?;
            if t.ok {
                Ok(())
            } else {
                Err(Failure(format!("{}{}", t.message, t.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())))
            }
        }
        CredentialsCommand::Delete { provider, json } => {
            let status = engine.credentials_delete(provider.into()).await?;
            print_statuses(&[status], json)
        }
    }
}

fn print_statuses(statuses: &[CredentialStatus], json: bool) -> Result<(), Failure> {
    print(&statuses, json, |statuses| {
        for s in statuses.iter() {
            let state = match (s.set, s.active) {
                (true, true) if s.provider == Provider::Allegro => "linked",
                (true, true) => "set",
                (true, false) if s.provider == Provider::Allegro => "saved, not linked (run `credentials set allegro` to link)",
                (true, false) => "set but unreadable (set it again)",
                (false, _) => "not set",
            };
            println!("{:<10} {state}", s.provider.display_name());
        }
    })
}
