//! Credentials in the keyring, and Allegro: linking by device flow, the offers and their links, the poll interval.

use super::{blocking, market_error, Engine, Market, ALLEGRO_INTERVAL_KEY, ALLEGRO_INTERVAL_MAX, ALLEGRO_INTERVAL_MIN};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::marketplaces::credentials::{AllegroCredentials, Credentials};
use crate::marketplaces::{bricklink, brickowl, MarketError};
use brickdesk_ipc::{AllegroLink, AllegroOffer, AllegroSettings, ConnectionTest, CredentialStatus, Provider};

impl Engine {
    /// Validates `json` for `provider` and saves it to the OS keyring.
    pub async fn credentials_set(&self, provider: Provider, json: String) -> Result<CredentialStatus> {
        let creds = Credentials::parse(provider, &json)?;
        let keyring = self.keyring.clone();
        let status = blocking(move || {
            keyring.set(&creds)?;
            keyring.status(provider)
        })
        .await?;
        tracing::info!(%provider, "credentials saved to the OS keyring");
        self.emit(EngineEvent::CredentialsChanged { provider });
        Ok(status)
    }

    /// Removes `provider`'s credentials from the OS keyring.
    pub async fn credentials_delete(&self, provider: Provider) -> Result<CredentialStatus> {
        let keyring = self.keyring.clone();
        let status = blocking(move || {
            keyring.delete(provider)?;
            keyring.status(provider)
        })
        .await?;
        tracing::info!(%provider, "credentials removed from the OS keyring");
        self.emit(EngineEvent::CredentialsChanged { provider });
        Ok(status)
    }

    /// Whether each provider's credentials are set; never a secret.
    pub async fn credentials_status(&self) -> Result<Vec<CredentialStatus>> {
        let keyring = self.keyring.clone();
        blocking(move || Provider::ALL.iter().map(|p| keyring.status(*p)).collect()).await
    }

    /// Settings' "Test connection": one cheap authenticated call with `provider`'s credentials
    /// (BrickLink: the notification list; BrickOwl: an empty order list), explained in plain words.
    /// A refusal is a result (`ok: false`), not an error.
    pub async fn credentials_test(&self, provider: Provider) -> Result<ConnectionTest> {
        let market = self.markets().await?.into_iter().find(|m| m.provider() == provider);
        let outcome: std::result::Result<String, MarketError> = match &market {
            None => Err(MarketError::NotConfigured { marketplace: provider }),
            Some(market @ Market::Bricklink(c)) => {
                match self.gateway(market.account()).bricklink(c, &bricklink::api::Call::Notifications).await {
                    Ok(v) => {
                        Ok(format!("Connected to BrickLink ({} unread notifications).", v.as_array().map(Vec::len).unwrap_or_default()))
                    }
                    Err(e) => Err(market_error(e)?),
                }
            }
            Some(market @ Market::Brickowl(c)) => {
                let call = brickowl::api::Call::OrderList { since_unix: self.config.clock.now().timestamp() };
                match self.gateway(market.account()).brickowl(c, &call).await {
                    Ok(_) => Ok("Connected to BrickOwl.".to_string()),
                    Err(e) => Err(market_error(e)?),
                }
            }
            Some(market @ Market::Allegro(s)) => {
                match self.gateway(market.account()).allegro(s, &crate::marketplaces::allegro::api::Call::OrderEventStats).await {
                    Ok(_) => Ok("Connected to Allegro.".to_string()),
                    Err(e) => Err(market_error(e)?),
                }
            }
        };
        Ok(match outcome {
            Ok(message) => ConnectionTest { provider, ok: true, message, detail: None },
            Err(e) => ConnectionTest {
                provider,
                ok: false,
                message: crate::engine::views::explain_connection_error(provider, &e),
                detail: Some(e.to_string()),
            },
        })
    }

    /// Starts linking the Allegro account whose app registration is saved (`credentials set
    /// allegro`): the seller approves BrickDesk at the returned address; [`Engine::allegro_link_wait`]
    /// waits for it.
    pub async fn allegro_link_start(&self) -> Result<AllegroLink> {
        let creds = self.allegro_registration().await?;
        let device = crate::gateway::allegro_session::link_start(&self.http, self.allegro_hosts(&creds).1, &creds).await?;
        let link = AllegroLink {
            verification_uri: device.verification_uri.clone(),
            verification_uri_complete: device.verification_uri_complete.clone(),
            user_code: device.user_code.clone(),
            expires_in: device.expires_in,
        };
        *self.allegro_link.lock().await = Some(device);
        tracing::info!("Allegro link started; waiting for the seller's approval");
        Ok(link)
    }

    /// Waits until the seller approves (or refuses) the link [`Engine::allegro_link_start`]
    /// started; once linked, Allegro is polled at once.
    pub async fn allegro_link_wait(&self) -> Result<CredentialStatus> {
        let device = self.allegro_link.lock().await.clone().ok_or_else(|| Error::InvalidInput {
            what: "Allegro link".into(),
            detail: "no link was started: start linking first".into(),
        })?;
        let creds = self.allegro_registration().await?;
        let auth = self.allegro_hosts(&creds).1.to_string();
        let result = crate::gateway::allegro_session::link_wait(&self.http, &auth, &self.keyring, creds, &device).await;
        *self.allegro_link.lock().await = None;
        result?;
        tracing::info!("Allegro account linked");
        self.emit(EngineEvent::CredentialsChanged { provider: Provider::Allegro });
        self.poll_now();
        let keyring = self.keyring.clone();
        blocking(move || keyring.status(Provider::Allegro)).await
    }

    /// Every Allegro offer BrickDesk knows (from the offer journal and the offer list), by name,
    /// with the lot each one sells and how it is linked.
    pub async fn allegro_offers(&self) -> Result<Vec<AllegroOffer>> {
        self.store.read(crate::allegro::offers::list).await
    }

    /// Links an Allegro offer to a lot (replacing the offer's earlier link); the lot's stock is
    /// then pushed to the offer by sync. Unknown offers and unknown or deleted lots are refused.
    pub async fn allegro_link(&self, offer_id: &str, lot_id: i64) -> Result<AllegroOffer> {
        let now = self.config.clock.now();
        let offer = offer_id.trim().to_string();
        let linked = offer.clone();
        self.store.write(move |tx| crate::allegro::offers::link(tx, &linked, lot_id, now)).await?;
        tracing::info!(offer = %offer, lot = lot_id, "Allegro offer linked to a lot by the seller");
        self.emit(EngineEvent::AllegroOffersChanged);
        self.after_stock_change(0);
        self.store.read(move |c| crate::allegro::offers::get(c, &offer)).await
    }

    /// Allegro's settings for the Settings card: sandbox or not, and how often it is read.
    pub async fn allegro_settings(&self) -> Result<AllegroSettings> {
        let sandbox = matches!(self.allegro_registration().await, Ok(c) if c.sandbox);
        let interval = self.allegro_poll_interval().await?;
        Ok(AllegroSettings {
            sandbox,
            poll_interval_secs: interval.as_secs(),
            interval_from_env: self.config.allegro_poll_interval_from_env,
        })
    }

    /// Sets how often Allegro's journals are read (Settings); the worker polls at once and then
    /// keeps the new interval. Between a minute and 12 hours: the offer journal keeps 24 hours.
    pub async fn set_allegro_poll_interval(&self, secs: u64) -> Result<AllegroSettings> {
        if self.config.allegro_poll_interval_from_env {
            return Err(Error::InvalidInput {
                what: "Allegro poll interval".into(),
                detail: "BRICKDESK_ALLEGRO_POLL_INTERVAL_SECS is set for this BrickDesk; it wins over Settings".into(),
            });
        }
        if !(ALLEGRO_INTERVAL_MIN..=ALLEGRO_INTERVAL_MAX).contains(&secs) {
            return Err(Error::InvalidInput {
                what: "Allegro poll interval".into(),
                detail: format!(
                    "must be between {} minute and {} hours (the offer journal keeps 24 hours), got {secs} s",
                    ALLEGRO_INTERVAL_MIN / 60,
                    ALLEGRO_INTERVAL_MAX / 3600
                ),
            });
        }
        self.store
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    rusqlite::params![ALLEGRO_INTERVAL_KEY, secs.to_string()],
                )?;
                Ok(())
            })
            .await?;
        tracing::info!(secs, "Allegro poll interval set in Settings");
        self.poll_now();
        self.allegro_settings().await
    }

    /// The Allegro interval in force: the environment's, else Settings', else the default.
    pub(super) async fn allegro_poll_interval(&self) -> Result<std::time::Duration> {
        if self.config.allegro_poll_interval_from_env {
            return Ok(self.config.allegro_poll_interval);
        }
        let stored: Option<String> = self
            .store
            .read(|c| {
                Ok(rusqlite::OptionalExtension::optional(c.query_row(
                    "SELECT value FROM settings WHERE key = ?1",
                    [ALLEGRO_INTERVAL_KEY],
                    |r| r.get(0),
                ))?)
            })
            .await?;
        Ok(stored
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|s| (ALLEGRO_INTERVAL_MIN..=ALLEGRO_INTERVAL_MAX).contains(s))
            .map_or(self.config.allegro_poll_interval, std::time::Duration::from_secs))
    }

    /// The saved Allegro app registration (client id and secret).
    pub(super) async fn allegro_registration(&self) -> Result<AllegroCredentials> {
        let keyring = self.keyring.clone();
        match blocking(move || keyring.get(Provider::Allegro)).await? {
            Some(Credentials::Allegro(c)) => Ok(c),
            _ => Err(MarketError::NotConfigured { marketplace: Provider::Allegro }.into()),
        }
    }
}
