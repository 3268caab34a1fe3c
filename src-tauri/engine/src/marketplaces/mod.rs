//! Marketplace clients. They speak HTTP and return neutral types; they never touch SQLite.
//! Budgets, OAuth timestamps and retries are the engine's (`gateway/`), around these calls.
//!
//! May import: `base/` only; never the store, the gateway or the engine's `Error` (they return
//! [`MarketError`]).

pub mod allegro;
pub mod bricklink;
pub mod brickowl;
pub mod credentials;
pub mod error;
pub mod lenient;
pub mod types;

pub use error::{Envelope, MarketError};

use brickdesk_ipc::Provider;

/// One HTTP exchange, body read whole. Transport failures lose their URL on the way out: BrickOwl
/// puts the API key in the query string.
pub(crate) async fn exchange(
    marketplace: Provider,
    endpoint: &str,
    request: reqwest::RequestBuilder,
) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), MarketError> {
    let transport = |e: reqwest::Error| MarketError::Transport { marketplace, endpoint: endpoint.to_string(), source: e.without_url() };
    let resp = request.timeout(std::time::Duration::from_secs(30)).send().await.map_err(transport)?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.bytes().await.map_err(transport)?;
    Ok((status, headers, body.to_vec()))
}
