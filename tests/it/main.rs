//! The integration tests that drive the real binaries against the simulator, in one test binary:
//! one link per edit instead of eight. They share no state: each test has its own temporary data
//! dir, keyring service name and simulator (`brickdesk_tests::TestEnv`), and the processes they
//! spawn get their environment from it, never from this process's.
//!
//! Tests that cannot share a process stay binaries of their own: `keyring.rs` (it kills the
//! keyring daemon every test shares), the window tests (`e2e.rs`, `allegro_window.rs`,
//! `scale_window.rs`: one window at a time) and `install.rs`.

mod allegro;
mod boundaries;
mod catalog;
mod cli;
mod files;
mod fulfilment;
mod mcp;
mod orders;
mod races;
mod sync;
mod sync_allegro;
mod sync_brickowl;
