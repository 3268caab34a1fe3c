//! BrickOwl API v1 (shared/marketplaces/brickowl.md).

pub mod api;
pub mod convert;
pub mod wire;
