//! `brickdesk-engine`: everything BrickDesk does, with no window attached.
//!
//! The Tauri shell and `brickdesk-cli` are thin edges over [`Engine`]. The engine owns the SQLite
//! store, the credentials in the OS keyring, the marketplace clients and the background workers.
//! It never depends on Tauri or a webview (a test checks `cargo tree`).

pub mod allegro;
pub mod allegro_offers;
pub mod browse;
pub mod catalog;
pub mod changes;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod doctor;
pub mod drift;
pub mod engine;
pub mod error;
pub mod events;
pub mod gateway;
pub mod import;
pub mod inbox;
pub mod inventory;
pub mod logging;
pub mod marketplaces;
pub mod money;
pub mod orders;
pub mod picking;
pub mod poller;
pub mod queue;
pub mod secret;
pub mod store;
pub mod sync;
pub mod sync_allegro;
pub mod sync_brickowl;
pub mod views;

pub use clock::Clock;
pub use config::Config;
pub use engine::Engine;
pub use error::{Error, Result};
pub use events::EngineEvent;
