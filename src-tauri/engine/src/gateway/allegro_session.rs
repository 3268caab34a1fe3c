//! The linked Allegro account: its tokens ([`Session`]), renewed as they run out, and linking by
//! device flow ([`link_start`], [`link_wait`]).
//!
//! - *Tokens*: the access token lives 12 hours; the refresh token is single use. A renewal stores
//!   the new pair in the keyring (one entry, written whole) before the new access token is used,
//!   so a crash after it leaves working tokens behind. A refused refresh token means the link is
//!   dead: the keyring keeps the app registration, drops the tokens and says why, and nothing
//!   polls Allegro until the seller links again (a clear status, not a loop of failures).

use brickdesk_ipc::Provider;
use chrono::Utc;

use crate::base::secret::Secret;
use crate::error::{CallError, Error, Result};
use crate::gateway::keyring::Keyring;
use crate::marketplaces::allegro::{api, auth};
use crate::marketplaces::credentials::{AllegroCredentials, AllegroTokens, Credentials};
use crate::marketplaces::MarketError;

const M: Provider = Provider::Allegro;

/// An access token this close to its end is renewed before use rather than sent to fail.
const RENEW_BEFORE: chrono::Duration = chrono::Duration::seconds(60);

/// The linked account: the API client and the tokens, renewed as they run out.
pub struct Session {
    pub client: api::Client,
    http: reqwest::Client,
    auth_url: String,
    keyring: Keyring,
    account: String,
    creds: tokio::sync::Mutex<AllegroCredentials>,
}

impl Session {
    pub fn new(http: reqwest::Client, api_url: &str, auth_url: &str, keyring: Keyring, creds: AllegroCredentials) -> Session {
        Session {
            client: api::Client::new(http.clone(), api_url),
            http,
            auth_url: auth_url.to_string(),
            keyring,
            account: creds.account(),
            creds: tokio::sync::Mutex::new(creds),
        }
    }

    pub fn account(&self) -> String {
        self.account.clone()
    }

    /// The access token to send now; renewed first when it is about to run out.
    pub async fn access(&self) -> std::result::Result<Secret<String>, CallError> {
        let mut creds = self.creds.lock().await;
        let tokens = creds.tokens.clone().ok_or_else(|| not_linked(&creds))?;
        if tokens.access_expires_at > Utc::now() + RENEW_BEFORE {
            return Ok(tokens.access_token);
        }
        self.renew_locked(&mut creds, &tokens.access_token).await?;
        creds.tokens.as_ref().map(|t| t.access_token.clone()).ok_or_else(|| not_linked(&creds))
    }

    /// Allegro refused `refused` (401): renew the tokens, unless another call already did.
    pub async fn renew(&self, refused: &Secret<String>) -> std::result::Result<(), CallError> {
        let mut creds = self.creds.lock().await;
        self.renew_locked(&mut creds, refused).await
    }

    async fn renew_locked(&self, creds: &mut AllegroCredentials, refused: &Secret<String>) -> std::result::Result<(), CallError> {
        let Some(current) = creds.tokens.clone() else { return Err(not_linked(creds)) };
        if current.access_token != *refused {
            return Ok(());
        }
        // Another BrickDesk process (the app next to a CLI poll) may have renewed first: the
        // refresh token it used is dead, its successor is in the keyring.
        if let Some(stored) = self.adopt_newer(creds, &current).await? {
            *creds = stored;
            return Ok(());
        }
        let app = app(&self.auth_url, creds);
        match auth::refresh(&self.http, &app, &current.refresh_token).await {
            Ok(grant) => {
                let renewed = AllegroCredentials { tokens: Some(tokens(grant)), unlinked: None, ..creds.clone() };
                // The refresh token just sent is spent: the new pair is kept before the new access
                // token is used, so a crash from here on leaves a working refresh token behind.
                store(&self.keyring, renewed.clone()).await?;
                *creds = renewed;
                tracing::info!(account = %self.account, "Allegro access renewed");
                Ok(())
            }
            Err(MarketError::NotLinked { detail, .. }) => {
                if let Some(stored) = self.adopt_newer(creds, &current).await? {
                    *creds = stored;
                    return Ok(());
                }
                let dead = AllegroCredentials { tokens: None, unlinked: Some(detail.clone()), ..creds.clone() };
                store(&self.keyring, dead.clone()).await?;
                *creds = dead;
                tracing::warn!(account = %self.account, detail, "the Allegro link died; the seller must link again");
                Err(MarketError::NotLinked { marketplace: M, detail }.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The keyring's credentials when they hold another refresh token than `current`'s.
    async fn adopt_newer(&self, creds: &AllegroCredentials, current: &AllegroTokens) -> Result<Option<AllegroCredentials>> {
        let keyring = self.keyring.clone();
        let stored = blocking(move || keyring.get(M)).await?;
        Ok(match stored {
            Some(Credentials::Allegro(s)) if s.client_id == creds.client_id => match &s.tokens {
                Some(t) if t.refresh_token != current.refresh_token => Some(s),
                _ => None,
            },
            _ => None,
        })
    }
}

fn not_linked(creds: &AllegroCredentials) -> CallError {
    let detail = creds.unlinked.clone().unwrap_or_else(|| "it was never linked".into());
    MarketError::NotLinked { marketplace: M, detail }.into()
}

fn app(auth_url: &str, creds: &AllegroCredentials) -> auth::App {
    auth::App { auth_url: auth_url.to_string(), client_id: creds.client_id.clone(), client_secret: creds.client_secret.clone() }
}

fn tokens(grant: auth::Grant) -> AllegroTokens {
    AllegroTokens {
        access_token: grant.access_token,
        refresh_token: grant.refresh_token,
        // The protocol clock is the real one, whatever BRICKDESK_NOW says.
        access_expires_at: Utc::now() + chrono::Duration::seconds(grant.expires_in.max(0)),
    }
}

async fn store(keyring: &Keyring, creds: AllegroCredentials) -> Result<()> {
    let keyring = keyring.clone();
    blocking(move || keyring.set(&Credentials::Allegro(creds))).await
}

async fn blocking<R: Send + 'static>(f: impl FnOnce() -> Result<R> + Send + 'static) -> Result<R> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Task(e.to_string()))?
}

/// Starts a device authorisation with the saved app registration.
pub async fn link_start(http: &reqwest::Client, auth_url: &str, creds: &AllegroCredentials) -> Result<auth::DeviceCode> {
    Ok(auth::device_start(http, &app(auth_url, creds)).await?)
}

/// Polls for the seller's approval of `device`, honouring its interval and every `slow_down`;
/// once approved, stores the tokens with the registration and returns them.
pub async fn link_wait(
    http: &reqwest::Client,
    auth_url: &str,
    keyring: &Keyring,
    creds: AllegroCredentials,
    device: &auth::DeviceCode,
) -> Result<AllegroCredentials> {
    let app = app(auth_url, &creds);
    let mut interval = std::time::Duration::from_secs(device.interval.max(1));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(device.expires_in.max(1));
    loop {
        tokio::time::sleep(interval).await;
        let outcome = match auth::device_poll(http, &app, device).await {
            Ok(o) => o,
            // A hiccup on the way is not the seller's answer: ask again after the interval.
            Err(e) if e.is_retryable() && tokio::time::Instant::now() < deadline => {
                tracing::warn!(error = %e, "Allegro device poll failed; asking again");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match outcome {
            auth::DevicePoll::Pending if tokio::time::Instant::now() < deadline => {}
            auth::DevicePoll::SlowDown => interval += std::time::Duration::from_secs(5),
            auth::DevicePoll::Granted(grant) => {
                let linked = AllegroCredentials { tokens: Some(tokens(grant)), unlinked: None, ..creds };
                store(keyring, linked.clone()).await?;
                return Ok(linked);
            }
            auth::DevicePoll::Denied => {
                return Err(MarketError::NotLinked { marketplace: M, detail: "the link was refused on Allegro".into() }.into())
            }
            auth::DevicePoll::Pending | auth::DevicePoll::Expired => {
                return Err(MarketError::NotLinked {
                    marketplace: M,
                    detail: "the code expired before it was approved; start linking again".into(),
                }
                .into())
            }
        }
    }
}
