//! [`Engine`]: the facade every edge (Tauri commands, CLI subcommands) calls. One method per
//! capability, named as the CLI subcommand and the Tauri command are.
//!
//! One `impl Engine` file per capability (`accounts.rs`, `poll.rs`, `workers.rs`, `orders.rs`,
//! `inventory.rs`, `sync.rs`, `catalog.rs`), each over the domain folders; `views.rs` turns domain
//! values and errors into `brickdesk-ipc` shapes. Calls between these files run one way: workers →
//! poll → the rest; all of them → this file.
//!
//! May import: every folder below it.

mod accounts;
pub mod browse;
mod catalog;
pub mod changes;
mod display;
mod exchange;
mod fulfilment;
mod inventory;
mod orders;
pub mod poll;
pub mod schema;
mod sync;
pub mod views;
mod workers;

use std::future::Future;
use std::sync::Arc;

use brickdesk_ipc::{AppInfo, Provider};
use tokio::sync::{broadcast, watch};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::gateway::keyring::Keyring;
use crate::gateway::{self, Budget, Gateway};
use crate::marketplaces::credentials::{AllegroCredentials, BricklinkCredentials, BrickowlCredentials, Credentials};
use crate::marketplaces::{bricklink, brickowl, MarketError};
use crate::store::Store;

/// Where marketplace clients get credentials: the OS keyring, or the demo store's fixed ones.
#[derive(Clone)]
pub enum CredentialSource {
    Keyring,
    Fixed { bricklink: Option<BricklinkCredentials>, brickowl: Option<BrickowlCredentials> },
}

impl CredentialSource {
    /// Fixed credentials from plain strings, as `brickdesk-sim` hands them out (demo mode, tests,
    /// benchmarks): BrickLink's consumer key, consumer secret, token value and token secret, in
    /// that order, and BrickOwl's API key.
    pub fn from_plain(bricklink: [&str; 4], brickowl_api_key: &str) -> CredentialSource {
        let secret = |s: &str| crate::base::secret::Secret::new(s.to_string());
        let [consumer_key, consumer_secret, token_value, token_secret] = bricklink;
        CredentialSource::Fixed {
            bricklink: Some(BricklinkCredentials {
                consumer_key: secret(consumer_key),
                consumer_secret: secret(consumer_secret),
                token_value: secret(token_value),
                token_secret: secret(token_secret),
            }),
            brickowl: Some(BrickowlCredentials { api_key: secret(brickowl_api_key) }),
        }
    }
}

#[derive(Clone)]
pub struct Engine {
    config: Config,
    store: Store,
    keyring: Keyring,
    market_credentials: CredentialSource,
    http: reqwest::Client,
    events: broadcast::Sender<EngineEvent>,
    /// "Poll now": a counter every provider's worker watches, so a kick reaches each of them
    /// even if it is mid-cycle when the kick comes (it polls again right after).
    kick: Arc<watch::Sender<u64>>,
    /// The catalog refresh worker's own kick: the seller waits on missing data.
    catalog_kick: Arc<watch::Sender<u64>>,
    /// The sync worker's kick: a lot changed.
    sync_kick: Arc<watch::Sender<u64>>,
    bricklink_rate: Arc<gateway::RateLimiter>,
    /// One per process, shared by every BrickOwl gateway (see `Gateway::brickowl_rate`).
    brickowl_rate: Arc<gateway::RateLimiter>,
    brickowl_bulk_rate: Arc<gateway::RateLimiter>,
    allegro_rate: Arc<gateway::RateLimiter>,
    /// The Allegro device authorisation being approved (its device code never leaves the engine).
    allegro_link: Arc<tokio::sync::Mutex<Option<crate::marketplaces::allegro::auth::DeviceCode>>>,
}

/// Settings' Allegro interval (seconds) and its bounds.
const ALLEGRO_INTERVAL_KEY: &str = "allegro.poll_interval_secs";
const ALLEGRO_INTERVAL_MIN: u64 = 60;
const ALLEGRO_INTERVAL_MAX: u64 = 12 * 3600;

impl Engine {
    /// Opens the data directory and database (migrating it) for `config`.
    pub fn open(config: Config) -> Result<Engine> {
        Engine::open_with(config, CredentialSource::Keyring)
    }

    pub fn open_with(config: Config, market_credentials: CredentialSource) -> Result<Engine> {
        config.ensure_data_dir()?;
        let store = Store::open(&config.database_path())?;
        let keyring = Keyring::new(config.keyring_service.clone());
        let (events, _) = broadcast::channel(256);
        let http = reqwest::Client::builder()
            .user_agent(concat!("BrickDesk/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Config { what: "HTTP client".into(), detail: e.to_string() })?;
        let bricklink_rate = Arc::new(gateway::RateLimiter::new(config.bricklink_rate_per_sec));
        Ok(Engine {
            config,
            store,
            keyring,
            market_credentials,
            http,
            events,
            kick: Arc::new(watch::channel(0).0),
            catalog_kick: Arc::new(watch::channel(0).0),
            sync_kick: Arc::new(watch::channel(0).0),
            bricklink_rate,
            // 100 a second on average (bursts of 200): 6,000 a minute against Allegro's 9,000.
            allegro_rate: Arc::new(gateway::RateLimiter::new(100)),
            allegro_link: Arc::new(tokio::sync::Mutex::new(None)),
            brickowl_rate: Arc::new(gateway::RateLimiter::new(gateway::BRICKOWL_PER_SEC)),
            brickowl_bulk_rate: Arc::new(gateway::RateLimiter::new(gateway::BRICKOWL_BULK_PER_SEC)),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Every event the engine emits from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<EngineEvent> {
        self.events.subscribe()
    }

    fn emit(&self, event: EngineEvent) {
        // No receiver (a one-shot CLI command) is normal, not an error.
        let _no_receivers = self.events.send(event);
    }

    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            data_dir: self.config.data_dir.display().to_string(),
            database: self.store.path().display().to_string(),
            log_dir: self.config.log_dir().display().to_string(),
            keyring_service: self.config.keyring_service.clone(),
        }
    }

    /// Clients for every provider with usable credentials.
    async fn markets(&self) -> Result<Vec<Market>> {
        let (bl, bo, al) = match &self.market_credentials {
            // The demo store and benchmarks have no Allegro account.
            CredentialSource::Fixed { bricklink, brickowl } => (bricklink.clone(), brickowl.clone(), None),
            CredentialSource::Keyring => {
                let keyring = self.keyring.clone();
                blocking(move || {
                    let get = |p| match keyring.get(p) {
                        Ok(c) => Ok(c),
                        // Unreadable credentials make that provider inactive, not the whole poll fail.
                        Err(Error::CorruptCredentials { provider, detail }) => {
                            tracing::warn!(%provider, detail, "stored credentials unreadable; provider inactive");
                            Ok(None)
                        }
                        Err(e) => Err(e),
                    };
                    let bl = match get(Provider::Bricklink)? {
                        Some(Credentials::Bricklink(c)) => Some(c),
                        _ => None,
                    };
                    let bo = match get(Provider::Brickowl)? {
                        Some(Credentials::Brickowl(c)) => Some(c),
                        _ => None,
                    };
                    // Allegro takes part once linked (tokens in the keyring).
                    let al = match get(Provider::Allegro)? {
                        Some(Credentials::Allegro(c)) if c.tokens.is_some() => Some(c),
                        _ => None,
                    };
                    Ok((bl, bo, al))
                })
                .await?
            }
        };
        let mut markets = Vec::new();
        if let Some(c) = bl {
            markets.push(Market::Bricklink(bricklink::api::Client::new(self.http.clone(), &self.config.bricklink_url, c)));
        }
        if let Some(c) = bo {
            markets.push(Market::Brickowl(brickowl::api::Client::new(self.http.clone(), &self.config.brickowl_url, c)));
        }
        if let Some(c) = al {
            let (api, auth) = self.allegro_hosts(&c);
            markets.push(Market::Allegro(crate::gateway::allegro_session::Session::new(
                self.http.clone(),
                api,
                auth,
                self.keyring.clone(),
                c,
            )));
        }
        Ok(markets)
    }

    /// Why `p` is not polled: no credentials, or (Allegro) saved but not linked, and why.
    async fn not_active(&self, p: Provider) -> Result<MarketError> {
        if p != Provider::Allegro || !matches!(self.market_credentials, CredentialSource::Keyring) {
            return Ok(MarketError::NotConfigured { marketplace: p });
        }
        let keyring = self.keyring.clone();
        Ok(match blocking(move || keyring.get(p)).await? {
            Some(Credentials::Allegro(c)) => {
                MarketError::NotLinked { marketplace: p, detail: c.unlinked.unwrap_or_else(|| "it was never linked".into()) }
            }
            _ => MarketError::NotConfigured { marketplace: p },
        })
    }

    /// The API and auth hosts of `creds`' Allegro: the real one, or the sandbox for a registration
    /// made there.
    fn allegro_hosts(&self, creds: &AllegroCredentials) -> (&str, &str) {
        match creds.sandbox {
            true => (&self.config.allegro_sandbox_api_url, &self.config.allegro_sandbox_auth_url),
            false => (&self.config.allegro_api_url, &self.config.allegro_auth_url),
        }
    }

    /// Calls for one marketplace account (`Market::account`).
    fn gateway(&self, account: String) -> Gateway {
        Gateway {
            store: self.store.clone(),
            clock: self.config.clock.clone(),
            account,
            bricklink_budget: Budget::bricklink(self.config.bricklink_daily_limit),
            retry_base: self.config.retry_base,
            bricklink_rate: Arc::clone(&self.bricklink_rate),
            timestamp_lead: self.config.bricklink_timestamp_lead_secs,
            allegro_rate: Arc::clone(&self.allegro_rate),
            brickowl_rate: Arc::clone(&self.brickowl_rate),
            brickowl_bulk_rate: Arc::clone(&self.brickowl_bulk_rate),
            settle: chrono::Duration::from_std(self.config.sync_settle).unwrap_or(chrono::Duration::seconds(60)),
        }
    }

    /// Asks the running workers to poll now (tray "Poll now", the UI's button). Returns at once.
    pub fn poll_now(&self) {
        self.kick.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Views refetch and the sync worker pushes (after its debounce).
    fn after_stock_change(&self, rematched: usize) {
        self.emit(EngineEvent::InventoryChanged);
        if rematched > 0 {
            tracing::info!(lines = rematched, "order lines waiting for stock matched the lot");
            self.emit(EngineEvent::OrdersChanged);
        }
        self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// The shell runs the workers on a multi-threaded runtime: `run` must stay `Send` (a value that
/// is not, held across an `.await` in any worker, breaks the desktop build only). This fails to
/// compile here instead.
#[allow(dead_code)]
fn run_is_send(engine: &Engine) -> impl Future<Output = Result<()>> + Send + '_ {
    engine.run(std::future::pending::<()>())
}

/// Groups the ledger entries of one user action.
fn correlation_id(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("{}-{:08x}", now.timestamp_millis(), rand::random::<u32>())
}

/// A marketplace's refusal, or the engine's own failure passed on as an error.
fn market_error(e: gateway::CallError) -> Result<MarketError> {
    match e {
        gateway::CallError::Market(m) => Ok(m),
        gateway::CallError::Engine(e) => Err(e),
    }
}

/// Runs blocking work (keyring D-Bus calls) off the async threads.
async fn blocking<R: Send + 'static>(f: impl FnOnce() -> Result<R> + Send + 'static) -> Result<R> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Task(e.to_string()))?
}

/// A marketplace client for one provider.
pub enum Market {
    Bricklink(bricklink::api::Client),
    Brickowl(brickowl::api::Client),
    Allegro(crate::gateway::allegro_session::Session),
}

impl Market {
    pub fn provider(&self) -> Provider {
        match self {
            Market::Bricklink(_) => Provider::Bricklink,
            Market::Brickowl(_) => Provider::Brickowl,
            Market::Allegro(_) => Provider::Allegro,
        }
    }

    /// The seller's account on this marketplace (see `marketplaces::credentials::account_name`).
    pub fn account(&self) -> String {
        match self {
            Market::Bricklink(c) => c.account(),
            Market::Brickowl(c) => c.account(),
            Market::Allegro(s) => s.account(),
        }
    }
}
