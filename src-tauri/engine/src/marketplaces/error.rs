//! Marketplace errors. Variants say what the caller does next; [`MarketError::is_retryable`]
//! lives here so workers ask it instead of parsing messages.

use std::time::Duration;

use brickdesk_ipc::Provider;

/// BrickLink's `meta` block (or the nearest thing another marketplace sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub code: i64,
    pub message: String,
    pub description: String,
}

impl std::fmt::Display for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code, self.message, self.description)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MarketError {
    /// No credentials in the keyring: the seller sets them in Settings.
    #[error("{} is not connected: set its credentials in Settings", marketplace.display_name())]
    NotConfigured { marketplace: Provider },

    /// Credentials refused (bad signature, wrong key, token bound to another IP). Not retried:
    /// the seller fixes the credentials.
    #[error("{} refused the credentials: {detail}", marketplace.display_name())]
    Unauthorized { marketplace: Provider, detail: String },

    /// The access token was refused (expired or revoked, HTTP 401): renew it once and resend.
    #[error("{} refused the access token: {detail}", marketplace.display_name())]
    TokenRejected { marketplace: Provider, detail: String },

    /// The account is not linked, or its link died (a refresh token refused, access denied):
    /// only the seller linking it again helps, so nothing polls it until then.
    #[error("{} account is not linked: {detail}. Link it in Settings or with `brickdesk-cli credentials set {}`", marketplace.display_name(), marketplace.as_str())]
    NotLinked { marketplace: Provider, detail: String },

    /// BrickLink refused the OAuth timestamp/nonce; re-signing with a fresh one fixes it.
    #[error("{} refused the request timestamp: {detail}", marketplace.display_name())]
    StaleTimestamp { marketplace: Provider, detail: String },

    /// Told to slow down (HTTP 429 or an in-envelope 429).
    #[error("{} rate limit hit{}", marketplace.display_name(), retry_after.map(|d| format!(", retry after {}s", d.as_secs())).unwrap_or_default())]
    RateLimited { marketplace: Provider, retry_after: Option<Duration> },

    /// BrickDesk's own daily budget for this marketplace is used up for this purpose.
    #[error("{} daily call budget used: {used} of {limit} in the last 24 h", marketplace.display_name())]
    BudgetExhausted { marketplace: Provider, used: i64, limit: i64 },

    /// A permanent refusal (bad parameter, not found, not allowed).
    #[error("{} refused {endpoint}: {envelope}", marketplace.display_name())]
    Rejected { marketplace: Provider, endpoint: String, envelope: Envelope },

    /// The marketplace or its gateway failed (5xx, HTML error page). Retried with backoff.
    #[error("{} server error on {endpoint}: HTTP {status} {detail}", marketplace.display_name())]
    Server { marketplace: Provider, endpoint: String, status: u16, detail: String },

    /// The request did not complete (connection refused, reset, timeout).
    #[error("{} unreachable on {endpoint}: {source}", marketplace.display_name())]
    Transport {
        marketplace: Provider,
        endpoint: String,
        #[source]
        source: reqwest::Error,
    },

    /// The response was not what the API documents (truncated or malformed JSON, a wrong type).
    /// `path` points at the offending field, e.g. `data[0][3].color_id`.
    #[error("{} sent an unreadable response for {endpoint} at {path}: {detail}", marketplace.display_name())]
    Decode { marketplace: Provider, endpoint: String, path: String, detail: String },
}

impl MarketError {
    /// Whether trying the same call again later can succeed without the seller doing anything.
    pub fn is_retryable(&self) -> bool {
        match self {
            MarketError::RateLimited { .. }
            | MarketError::Server { .. }
            | MarketError::Transport { .. }
            | MarketError::StaleTimestamp { .. }
            // A truncated body is transient; a truly malformed one fails its attempts and stays
            // visibly failed.
            | MarketError::Decode { .. }
            | MarketError::BudgetExhausted { .. } => true,
            MarketError::NotConfigured { .. }
            | MarketError::Unauthorized { .. }
            | MarketError::TokenRejected { .. }
            | MarketError::NotLinked { .. }
            | MarketError::Rejected { .. } => false,
        }
    }

    /// Refusals that say "not now" rather than "no": a rate limit or a spent daily budget. Work
    /// that meets one waits this long and does not count it as a failed attempt.
    pub fn wait_hint(&self) -> Option<Duration> {
        match self {
            MarketError::RateLimited { retry_after, .. } => Some(retry_after.unwrap_or(Duration::from_secs(60))),
            // The rolling 24 h window frees calls as it moves; look again in a quarter hour.
            MarketError::BudgetExhausted { .. } => Some(Duration::from_secs(15 * 60)),
            _ => None,
        }
    }

    /// How long the marketplace asked us to wait, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            MarketError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The resource does not exist on the marketplace (a deleted order, a wrong id).
    pub fn is_not_found(&self) -> bool {
        matches!(self, MarketError::Rejected { envelope, .. } if envelope.code == 404)
    }
}

/// Decodes JSON with the path of the first bad field in the error.
/// [`decode`] of a JSON value already parsed (a page's entries, one by one).
pub fn decode_value<T: serde::de::DeserializeOwned>(marketplace: Provider, endpoint: &str, v: serde_json::Value) -> Result<T, MarketError> {
    serde_path_to_error::deserialize(v).map_err(|e| MarketError::Decode {
        marketplace,
        endpoint: endpoint.to_string(),
        path: e.path().to_string(),
        detail: e.inner().to_string(),
    })
}

pub fn decode<T: serde::de::DeserializeOwned>(marketplace: Provider, endpoint: &str, body: &[u8]) -> Result<T, MarketError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| MarketError::Decode {
        marketplace,
        endpoint: endpoint.to_string(),
        path: e.path().to_string(),
        detail: e.inner().to_string(),
    })
}
