//! The clap value types more than one command group takes: which marketplace.

use brickdesk_ipc::Provider;
use clap::ValueEnum;

// The marketplaces whose store lots BrickDesk imports and reconciles (`inventory import`, `sync resolve`).
#[derive(Clone, Copy, ValueEnum)]
pub enum ImportProvider {
    Bricklink,
    Brickowl,
}

// Every marketplace (`credentials`, `poll --provider`).
#[derive(Clone, Copy, ValueEnum)]
pub enum ProviderArg {
    Bricklink,
    Brickowl,
    Allegro,
}

impl From<ProviderArg> for Provider {
    fn from(p: ProviderArg) -> Provider {
        match p {
            ProviderArg::Bricklink => Provider::Bricklink,
            ProviderArg::Brickowl => Provider::Brickowl,
            ProviderArg::Allegro => Provider::Allegro,
        }
    }
}
