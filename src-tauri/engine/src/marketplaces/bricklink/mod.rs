//! BrickLink Store API v1 (shared/marketplaces/bricklink.md): `oauth` signs, `api` sends one
//! call, `wire` mirrors the JSON, `convert` maps it into neutral types.

pub mod api;
pub mod convert;
pub mod oauth;
pub mod wire;
