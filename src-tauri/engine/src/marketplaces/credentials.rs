//! What a marketplace call is signed or authorised with. The types only: reading and writing
//! them in the OS keyring is `gateway/keyring.rs`'s. They travel as [`Secret`]s and never print.

use brickdesk_ipc::Provider;

use crate::base::secret::Secret;

/// BrickLink's OAuth 1.0a consumer and access token (two-legged; see bricklink.md §2).
#[derive(Debug, Clone)]
pub struct BricklinkCredentials {
    pub consumer_key: Secret<String>,
    pub consumer_secret: Secret<String>,
    pub token_value: Secret<String>,
    pub token_secret: Secret<String>,
}

impl BricklinkCredentials {
    /// The seller's BrickLink account as BrickDesk names it in SQLite (see [`account_name`]).
    pub fn account(&self) -> String {
        account_name("bricklink", self.consumer_key.expose())
    }
}

/// BrickOwl's per-seller API key.
#[derive(Debug, Clone)]
pub struct BrickowlCredentials {
    pub api_key: Secret<String>,
}

impl BrickowlCredentials {
    /// The seller's BrickOwl account as BrickDesk names it in SQLite (see [`account_name`]).
    pub fn account(&self) -> String {
        account_name("brickowl", self.api_key.expose())
    }
}

/// A stable, non-secret name for a marketplace account: the marketplace and the first 12 hex
/// digits of the SHA-1 of the credential that identifies the seller (BrickLink consumer key,
/// BrickOwl API key). Dedupe keys, cursors, budgets and orders are per account, so two stores
/// never mix; the credential itself never reaches the database.
pub fn account_name(marketplace: &str, identifying: &str) -> String {
    use sha1::{Digest, Sha1};
    let digest = Sha1::digest(identifying.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("{marketplace}-{hex}")
}

/// Allegro: the app registration the seller entered, and the tokens the device flow got
/// (absent until the account is linked, and again once the link died).
#[derive(Debug, Clone)]
pub struct AllegroCredentials {
    pub client_id: Secret<String>,
    pub client_secret: Secret<String>,
    pub tokens: Option<AllegroTokens>,
    /// Why the account is not linked any more (a refused refresh), for the seller to read.
    pub unlinked: Option<String>,
    /// A registration on Allegro's sandbox (allegrosandbox.pl): calls go to the sandbox hosts.
    pub sandbox: bool,
}

/// An Allegro access token and the single-use refresh token that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllegroTokens {
    pub access_token: Secret<String>,
    pub refresh_token: Secret<String>,
    /// When the access token stops working (from `expires_in`, by this computer's clock).
    pub access_expires_at: chrono::DateTime<chrono::Utc>,
}

impl AllegroCredentials {
    /// The seller's Allegro account as BrickDesk names it in SQLite: by the app registration
    /// (the client id), which is the seller's own.
    pub fn account(&self) -> String {
        // The sandbox is another Allegro: its orders and cursors never mix with the real ones.
        account_name(if self.sandbox { "allegro-sandbox" } else { "allegro" }, self.client_id.expose())
    }
}

#[derive(Debug, Clone)]
pub enum Credentials {
    Bricklink(BricklinkCredentials),
    Brickowl(BrickowlCredentials),
    Allegro(AllegroCredentials),
}

impl Credentials {
    pub fn provider(&self) -> Provider {
        match self {
            Credentials::Bricklink(_) => Provider::Bricklink,
            Credentials::Brickowl(_) => Provider::Brickowl,
            Credentials::Allegro(_) => Provider::Allegro,
        }
    }

    /// Whether these credentials can be used to call the marketplace (Allegro: linked).
    pub fn usable(&self) -> bool {
        match self {
            Credentials::Allegro(c) => c.tokens.is_some(),
            _ => true,
        }
    }
}
