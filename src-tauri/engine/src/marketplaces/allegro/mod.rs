//! Allegro REST API (shared/marketplaces/allegro.md): the order journal and checkout forms on the
//! API host, the OAuth 2.0 device flow and refresh on the auth host.

pub mod api;
pub mod auth;
pub mod convert;
pub mod wire;
