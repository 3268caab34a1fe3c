//! Small pure types every layer uses: the clock, exact money, secrets that never print.
//!
//! Imports nothing from the crate.

pub mod clock;
pub mod money;
pub mod secret;
