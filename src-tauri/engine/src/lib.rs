//! `brickdesk-engine`: everything BrickDesk does, with no window attached.
//!
//! The Tauri shell and `brickdesk-cli` are thin edges over [`Engine`]. The engine owns the SQLite
//! store, the credentials in the OS keyring, the marketplace clients and the background workers.
//! It never depends on Tauri or a webview (a test checks `cargo tree`).

pub mod allegro;
pub mod base;
pub mod catalog;
pub mod config;
pub mod engine;
pub mod error;
pub mod events;
pub mod exchange;
pub mod gateway;
pub mod logging;
pub mod marketplaces;
pub mod orders;
pub mod stock;
pub mod store;
pub mod sync;

pub use base::clock::Clock;
pub use config::Config;
pub use engine::Engine;
pub use error::{Error, Result};
pub use events::EngineEvent;
