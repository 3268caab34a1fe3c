//! [`Engine`]: the facade every edge (Tauri commands, CLI subcommands) calls. One method per
//! capability, named as the CLI subcommand and the Tauri command are.

use std::future::Future;
use std::sync::Arc;

use brickdesk_ipc::{AllegroLink, AllegroOffer, AllegroSettings};
use brickdesk_ipc::{
    AppInfo, CatalogPart, CatalogQuery, CatalogRecent, CatalogRefreshEntry, CatalogRefreshReport, ConnectionTest, CredentialStatus,
    DoctorReport, DriftChoice, DriftReport, ImportProgress, ImportReport, InboxEntry, InboxRetried, InventoryAddInput, InventoryLot,
    InventoryPage, InventoryQuery, InventoryUpdateInput, MarketStatus, OrderDetail, OrderSummary, OrdersPage, OrdersPickInput, OrdersQuery,
    PollSummary, Provider, StatusSnapshot, SyncRetried, SyncRunReport, SyncStatusEntry,
};
use rusqlite::{params, OptionalExtension};
use tokio::sync::{broadcast, watch};

use crate::config::Config;
use crate::credentials::{BricklinkCredentials, BrickowlCredentials, Credentials, Keyring};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::gateway::{self, Budget, Gateway};
use crate::marketplaces::{bricklink, brickowl, MarketError};
use crate::poller::{self, Market};
use crate::store::Store;
use crate::{browse, catalog, doctor, drift, import, inbox, inventory, orders, picking, sync, sync_brickowl};

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
        let secret = |s: &str| crate::secret::Secret::new(s.to_string());
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
                message: crate::views::explain_connection_error(provider, &e),
                detail: Some(e.to_string()),
            },
        })
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
            markets.push(Market::Allegro(crate::allegro::Session::new(self.http.clone(), api, auth, self.keyring.clone(), c)));
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

    /// Starts linking the Allegro account whose app registration is saved (`credentials set
    /// allegro`): the seller approves BrickDesk at the returned address; [`Engine::allegro_link_wait`]
    /// waits for it.
    pub async fn allegro_link_start(&self) -> Result<AllegroLink> {
        let creds = self.allegro_registration().await?;
        let device = crate::allegro::link_start(&self.http, self.allegro_hosts(&creds).1, &creds).await?;
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
        let result = crate::allegro::link_wait(&self.http, &auth, &self.keyring, creds, &device).await;
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
        self.store.read(crate::allegro_offers::list).await
    }

    /// Links an Allegro offer to a lot (replacing the offer's earlier link); the lot's stock is
    /// then pushed to the offer by sync. Unknown offers and unknown or deleted lots are refused.
    pub async fn allegro_link(&self, offer_id: &str, lot_id: i64) -> Result<AllegroOffer> {
        let now = self.config.clock.now();
        let offer = offer_id.trim().to_string();
        let linked = offer.clone();
        self.store.write(move |tx| crate::allegro_offers::link(tx, &linked, lot_id, now)).await?;
        tracing::info!(offer = %offer, lot = lot_id, "Allegro offer linked to a lot by the seller");
        self.emit(EngineEvent::AllegroOffersChanged);
        self.after_stock_change(0);
        self.store.read(move |c| crate::allegro_offers::get(c, &offer)).await
    }

    /// The API and auth hosts of `creds`' Allegro: the real one, or the sandbox for a registration
    /// made there.
    fn allegro_hosts(&self, creds: &crate::credentials::AllegroCredentials) -> (&str, &str) {
        match creds.sandbox {
            true => (&self.config.allegro_sandbox_api_url, &self.config.allegro_sandbox_auth_url),
            false => (&self.config.allegro_api_url, &self.config.allegro_auth_url),
        }
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
    async fn allegro_poll_interval(&self) -> Result<std::time::Duration> {
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
    async fn allegro_registration(&self) -> Result<crate::credentials::AllegroCredentials> {
        let keyring = self.keyring.clone();
        match blocking(move || keyring.get(Provider::Allegro)).await? {
            Some(Credentials::Allegro(c)) => Ok(c),
            _ => Err(MarketError::NotConfigured { marketplace: Provider::Allegro }.into()),
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
        }
    }

    /// One poll cycle for every active provider (or just `only`), processed to completion, the
    /// providers side by side. Rows whose holder is gone (a killed process) are resumed first;
    /// rows a running BrickDesk (the app, `run`) holds are left to it.
    pub async fn poll(&self, only: Option<Provider>) -> Result<PollSummary> {
        inbox::recover(&self.store, self.config.clock.now()).await?;
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| only.is_none_or(|p| m.provider() == p)).collect();
        if let (Some(p), true) = (only, markets.is_empty()) {
            return Err(self.not_active(p).await?.into());
        }
        let (mut bl, mut bo, mut al) = (None, None, None);
        for market in markets {
            match market.provider() {
                Provider::Bricklink => bl = Some(market),
                Provider::Brickowl => bo = Some(market),
                Provider::Allegro => al = Some(market),
            }
        }
        let (bl, bo, al) = tokio::join!(self.cycle(bl.as_ref(), false), self.cycle(bo.as_ref(), false), self.cycle(al.as_ref(), false));
        Ok(PollSummary { providers: [bl?, bo?, al?].into_iter().flatten().collect() })
    }

    /// One cycle of one provider (none if it is not connected), and the events it causes.
    async fn cycle(&self, market: Option<&Market>, force_reconcile: bool) -> Result<Option<brickdesk_ipc::ProviderPoll>> {
        let Some(market) = market else { return Ok(None) };
        let cycle = poller::cycle(&self.gateway(market.account()), market, force_reconcile).await?;
        if cycle.report.processed > 0 {
            self.emit(EngineEvent::OrdersChanged);
            self.emit(EngineEvent::InventoryChanged);
            // Reservations changed what the other marketplaces may sell.
            self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        if !cycle.new_orders.is_empty() {
            let all = self.orders_list().await?;
            let orders: Vec<OrderSummary> = all.into_iter().filter(|o| cycle.new_orders.contains(&o.id)).collect();
            tracing::info!(provider = %market.provider(), count = orders.len(), "new orders");
            self.emit(EngineEvent::NewOrders { orders });
        }
        self.emit(EngineEvent::StatusChanged);
        Ok(Some(cycle.report))
    }

    /// Emits the events that make views refetch when another process (the CLI, a daemon) commits
    /// to the database, within about a second, until `stopped`. For windows; `run` needs none.
    pub async fn watch_other_processes(&self, stopped: watch::Receiver<bool>) {
        crate::changes::watch(self.store.path().to_path_buf(), self.events.clone(), stopped).await;
    }

    /// Asks the running workers to poll now (tray "Poll now", the UI's button). Returns at once.
    pub fn poll_now(&self) {
        self.kick.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The background workers, until `shutdown` resolves: one per provider, side by side, so a
    /// slow or failing marketplace never holds up another. Each polls at start (reconciling), then
    /// every `poll_interval` or when kicked. Work left in `processing` by a dead process is
    /// resumed first.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        let recovered = inbox::recover(&self.store, self.config.clock.now()).await?;
        if recovered > 0 {
            tracing::info!(recovered, "resuming notifications left in processing");
        }
        // SQLite's statistics for the views' query planning, refreshed where they went stale
        // (cheap: it analyses only what changed, and samples large tables).
        self.store.refresh_statistics(0x10002).await?;
        let (stop, stopped) = watch::channel(false);
        let workers = async {
            tokio::join!(
                self.worker(Provider::Bricklink, stopped.clone()),
                self.worker(Provider::Brickowl, stopped.clone()),
                self.worker(Provider::Allegro, stopped.clone()),
                self.catalog_worker(stopped.clone()),
                self.sync_worker(stopped.clone())
            );
        };
        tokio::pin!(workers);
        tokio::select! {
            _ = shutdown => {
                let _all_stopping = stop.send(true);
                // Each worker drops the cycle it is in (a row it held is resumed by the next start,
                // as after a crash: its holder is gone) and stops.
                workers.await;
            }
            _ = &mut workers => {}
        }
        tracing::info!("workers stopped");
        Ok(())
    }

    /// One provider's worker loop. Credentials are read every cycle: a store connected while
    /// BrickDesk runs is polled from its next cycle on, without a restart.
    async fn worker(&self, m: Provider, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.kick.subscribe();
        let mut first = true;
        loop {
            let market = match self.markets().await {
                Ok(markets) => markets.into_iter().find(|x| x.provider() == m),
                Err(e) => {
                    tracing::error!(provider = %m, error = %e, "cannot read credentials");
                    None
                }
            };
            if market.is_some() {
                tokio::select! {
                    biased;
                    _ = stopped.wait_for(|s| *s) => break,
                    r = self.cycle(market.as_ref(), first) => match r {
                        Ok(Some(p)) => tracing::info!(provider = %p.provider, fetched = p.fetched, stored = p.stored, processed = p.processed,
                            new_orders = p.new_orders, failures = p.failures.len(), error = p.error.as_deref().unwrap_or(""), "poll cycle"),
                        Ok(None) => {}
                        Err(e) => tracing::error!(provider = %m, error = %e, "poll cycle failed"),
                    },
                }
                first = false;
            }
            let interval = match m {
                Provider::Allegro => self.allegro_poll_interval().await.unwrap_or(self.config.allegro_poll_interval),
                _ => self.config.poll_interval,
            };
            let next = self.config.clock.now() + chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::minutes(3));
            // Bookkeeping for the status bar must never stop the worker.
            if let Some(market) = &market {
                if let Err(e) = poller::record_next_poll(&self.store, m, &market.account(), next).await {
                    tracing::warn!(error = %e, "cannot record the next poll time");
                }
            }
            self.emit(EngineEvent::StatusChanged);
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => tracing::info!(provider = %m, "poll requested"),
                _ = tokio::time::sleep(interval) => {}
            }
        }
    }

    /// The catalog refresh worker: every 10 minutes (or at once when the seller is waiting on
    /// missing data) a sweep queues stale and never-seen parts at low priority, then up to 10 due
    /// rows are fetched, highest priority first. Only with BrickLink connected.
    async fn catalog_worker(&self, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.catalog_kick.subscribe();
        loop {
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                r = self.catalog_round(Some(catalog::BATCH), true) => match r {
                    Ok(Some(run)) if !run.fetched.is_empty() || !run.failed.is_empty() || run.waiting.is_some() => tracing::info!(
                        fetched = run.fetched.len(), failed = run.failed.len(), waiting = run.waiting.as_deref().unwrap_or(""), "catalog refresh"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "catalog refresh failed"),
                },
            }
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => {}
                _ = tokio::time::sleep(catalog::EVERY) => {}
            }
        }
    }

    /// One refresh round (None without BrickLink credentials); `sweep` first queues background work.
    async fn catalog_round(&self, limit: Option<usize>, sweep: bool) -> Result<Option<CatalogRefreshReport>> {
        let Some(Market::Bricklink(client)) = self.markets().await?.into_iter().find(|m| m.provider() == Provider::Bricklink) else {
            return Ok(None);
        };
        let now = self.config.clock.now();
        // Rows a killed process was fetching are taken back first (live holders keep theirs).
        let recovered = self.store.write(move |tx| catalog::QUEUE.recover(tx, now)).await?;
        if recovered > 0 {
            tracing::info!(recovered, "resuming catalog refreshes left in processing");
        }
        if sweep {
            self.store.write(move |tx| catalog::sweep(tx, catalog::BATCH as i64, now)).await?;
        }
        let run = catalog::refresh_due(&self.gateway(client.account()), &client, limit).await?;
        if !run.fetched.is_empty() || !run.failed.is_empty() {
            self.emit(EngineEvent::CatalogChanged);
        }
        Ok(Some(CatalogRefreshReport { fetched: run.fetched, failed: run.failed, waiting: run.waiting }))
    }

    /// A part from the catalog cache, at once, with its status as it stood when asked. What is
    /// missing or stale is queued at high priority and the refresh worker is kicked.
    pub async fn catalog_part(&self, query: CatalogQuery) -> Result<CatalogPart> {
        let now = self.config.clock.now();
        let (answer, queued) = self
            .store
            .write(move |tx| {
                let answer = catalog::part(tx, &query, now)?;
                catalog::remember(tx, &query, now)?;
                let work = catalog::wanted(tx, &query, false, now)?;
                Ok((answer, catalog::request(tx, &work, catalog::HIGH, false, now)?))
            })
            .await?;
        if queued > 0 {
            self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        Ok(answer)
    }

    /// "Refresh now": every piece of the part is fetched again (a refusal for good is retried
    /// too), at high priority; returns the part as `refreshing`.
    pub async fn catalog_refresh_now(&self, query: CatalogQuery) -> Result<CatalogPart> {
        let now = self.config.clock.now();
        let answer = self
            .store
            .write(move |tx| {
                let work = catalog::wanted(tx, &query, true, now)?;
                catalog::request(tx, &work, catalog::HIGH, true, now)?;
                catalog::part(tx, &query, now)
            })
            .await?;
        self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        self.emit(EngineEvent::CatalogChanged);
        Ok(answer)
    }

    /// BrickLink's colours by name, from the cache (forms pick colours by name). When the list is
    /// missing or stale, a refresh is queued and the worker kicked; `catalog-changed` follows.
    pub async fn catalog_colors(&self) -> Result<Vec<brickdesk_ipc::CatalogColor>> {
        let now = self.config.clock.now();
        let queued = self
            .store
            .write(move |tx| {
                let probe = CatalogQuery { item_no: "3001".into(), item_type: None, color_id: None };
                let work: Vec<catalog::Work> =
                    catalog::wanted(tx, &probe, false, now)?.into_iter().filter(|w| w.what == "color_list").collect();
                catalog::request(tx, &work, catalog::HIGH, false, now)
            })
            .await?;
        if queued > 0 {
            self.catalog_kick.send_modify(|n| *n = n.wrapping_add(1));
        }
        self.store.read(catalog::colors).await
    }

    /// Look-ups of the Catalog page, newest first.
    pub async fn catalog_recent(&self) -> Result<Vec<CatalogRecent>> {
        self.store.read(|c| catalog::recent(c, 20)).await
    }

    /// Every due catalog row now (not waiting for the 10-minute cadence; the budget still holds).
    pub async fn catalog_refresh_run(&self) -> Result<CatalogRefreshReport> {
        self.catalog_round(None, false).await?.ok_or_else(|| MarketError::NotConfigured { marketplace: Provider::Bricklink }.into())
    }

    /// The catalog refresh queue.
    pub async fn catalog_refresh_status(&self) -> Result<Vec<CatalogRefreshEntry>> {
        self.store.read(catalog::queue_status).await
    }

    pub async fn orders_list(&self) -> Result<Vec<OrderSummary>> {
        self.store.read(orders::list).await
    }

    pub async fn orders_show(&self, id: i64) -> Result<OrderDetail> {
        self.store.read(move |c| orders::show(c, id)).await
    }

    /// The seller opened the order; it stops counting as new.
    pub async fn orders_mark_seen(&self, id: i64) -> Result<()> {
        if self.store.write(move |tx| orders::mark_seen(tx, id)).await? {
            self.emit(EngineEvent::OrdersChanged);
            self.emit(EngineEvent::StatusChanged);
        }
        Ok(())
    }

    /// The picker marked lines of an order picked, missing or unpicked; returns the order as it
    /// now stands.
    pub async fn orders_pick(&self, input: OrdersPickInput) -> Result<OrderDetail> {
        let now = self.config.clock.now();
        let OrdersPickInput { order_id, items, status } = input;
        let changed = self.store.write(move |tx| picking::set_pick(tx, order_id, &items, status, now)).await?;
        if changed > 0 {
            self.emit(EngineEvent::OrdersChanged);
        }
        self.orders_show(order_id).await
    }

    pub async fn inventory_add(&self, input: InventoryAddInput) -> Result<InventoryLot> {
        let lot = inventory::NewLot::validate(input)?;
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        let (id, rematched) = self
            .store
            .write(move |tx| {
                let id = inventory::add_with(tx, &lot, now, Some(&correlation))?;
                Ok((id, orders::rematch_open_lines(tx, &[id], now)?))
            })
            .await?;
        self.after_stock_change(rematched);
        self.store.read(move |c| inventory::get(c, id)).await
    }

    /// The seller's edit of a lot (quantity, price, location, description, condition).
    pub async fn inventory_update(&self, id: i64, input: InventoryUpdateInput) -> Result<InventoryLot> {
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        let rematched = self
            .store
            .write(move |tx| {
                let changed = inventory::update(tx, id, &input, now, &correlation)?;
                Ok(if changed { orders::rematch_open_lines(tx, &[id], now)? } else { 0 })
            })
            .await?;
        self.after_stock_change(rematched);
        self.store.read(move |c| inventory::get(c, id)).await
    }

    /// Deletes a lot here and, through sync, on every marketplace.
    pub async fn inventory_delete(&self, id: i64) -> Result<()> {
        let now = self.config.clock.now();
        let correlation = correlation_id(now);
        self.store.write(move |tx| inventory::delete(tx, id, now, &correlation)).await?;
        self.after_stock_change(0);
        Ok(())
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

    /// Imports the store's BrickLink lots: a lot imported before is unchanged; a local lot of the
    /// same item, colour, condition and location is linked to it (conflicting when quantity or
    /// price differ: the local values are kept and pushed); any other becomes a new local lot.
    /// From then on BrickLink takes part in sync.
    /// BrickOwl: the same, through `sync_brickowl::import`.
    pub async fn inventory_import(&self, provider: Provider) -> Result<ImportReport> {
        let market = self
            .markets()
            .await?
            .into_iter()
            .find(|m| m.provider() == provider)
            .ok_or(MarketError::NotConfigured { marketplace: provider })?;
        let events = self.events.clone();
        let progress = move |done, total| {
            let _no_receivers = events.send(EngineEvent::ImportProgress(ImportProgress { marketplace: provider, done, total }));
        };
        let report = match market {
            Market::Brickowl(c) => sync_brickowl::import(&self.gateway(c.account()), &c, &progress).await?,
            Market::Bricklink(client) => {
                let data = self.gateway(client.account()).bricklink(&client, &bricklink::api::Call::Inventories).await?;
                let lots = bricklink::convert::inventory(data)?;
                let now = self.config.clock.now();
                let correlation = correlation_id(now);
                let unlinked = import::Unlinked::default();
                import::in_chunks(&self.store, lots, &progress, move |tx, chunk| {
                    import::bricklink_chunk(tx, chunk, now, &correlation, &unlinked)
                })
                .await?
            }
            Market::Allegro(_) => {
                return Err(Error::InvalidInput {
                    what: "inventory import".into(),
                    detail: "Allegro sells offers, not a store inventory: link its offers to lots instead".into(),
                })
            }
        };
        if report.new + report.linked > 0 {
            self.after_stock_change(0);
        }
        Ok(report)
    }

    /// `sync run`: every due lot now (not waiting for the debounce), to completion.
    pub async fn sync_run(&self) -> Result<SyncRunReport> {
        let now = self.config.clock.now();
        self.store.write(move |tx| sync::skip_debounce(tx, now)).await?;
        self.sync_round().await
    }

    /// One sync round to completion for every connected marketplace that takes part.
    async fn sync_round(&self) -> Result<SyncRunReport> {
        let mut report = SyncRunReport { pushed: Vec::new(), failed: Vec::new(), waiting: None };
        for market in self.markets().await? {
            let r = match &market {
                Market::Bricklink(client) => sync::push_bricklink(&self.gateway(market.account()), client, None).await?,
                Market::Brickowl(client) => sync::push_round(&self.gateway(market.account()), client, None).await?,
                // Only lots linked to an offer are ever due for Allegro (sync_allegro.rs).
                Market::Allegro(session) => sync::push_round(&self.gateway(market.account()), session, None).await?,
            };
            report.pushed.extend(r.pushed);
            report.failed.extend(r.failed);
            report.waiting = report.waiting.or(r.waiting);
        }
        if !report.pushed.is_empty() || !report.failed.is_empty() {
            self.emit(EngineEvent::InventoryChanged);
        }
        Ok(report)
    }

    /// The drift check: one read of each whole store in sync (of every configured store when
    /// none takes part yet) compared with what BrickDesk left there. Reports only; each
    /// marketplace's report is kept for the window. A store that cannot be read fails the check
    /// after the others' reports are kept.
    pub async fn sync_reconcile(&self) -> Result<DriftReport> {
        let linked = self.store.read(sync::targets).await?;
        // Only stores with an inventory to drift from (not Allegro).
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| Provider::STORES.contains(&m.provider())).collect();
        if markets.is_empty() {
            return Err(MarketError::NotConfigured { marketplace: Provider::Bricklink }.into());
        }
        let checked: Vec<&Market> = markets.iter().filter(|m| linked.contains(&m.provider())).collect();
        let checked = if checked.is_empty() { markets.iter().collect() } else { checked };
        let now = self.config.clock.now();
        let mut report = DriftReport { checked_at: crate::clock::format_ts(now), drifts: Vec::new() };
        let mut failed = None;
        for market in checked {
            let gw = self.gateway(market.account());
            let part = match market {
                Market::Bricklink(client) => match gw.bricklink(client, &bricklink::api::Call::Inventories).await {
                    Ok(data) => bricklink::convert::remote_lots(data).map_err(Error::from).map(|r| (Provider::Bricklink, r)),
                    Err(e) => Err(e.into()),
                },
                Market::Brickowl(client) => match sync_brickowl::read_store(&gw, client).await {
                    Ok(lots) => self.store.read(move |c| sync_brickowl::drift_lots(c, &lots)).await.map(|r| (Provider::Brickowl, r)),
                    Err(e) => Err(e),
                },
                Market::Allegro(_) => continue,
            };
            let (m, remote) = match part {
                Ok(p) => p,
                Err(e) => {
                    tracing::warn!(marketplace = market.provider().as_str(), error = %e, "drift check: store not read");
                    failed = failed.or(Some(e));
                    continue;
                }
            };
            let part = self.store.read(move |c| drift::compare(c, m, &remote, now)).await?;
            let saved = part.clone();
            self.store.write(move |tx| drift::save(tx, m, &saved)).await?;
            report.drifts.extend(part.drifts);
        }
        tracing::info!(drifts = report.drifts.len(), "drift check");
        self.emit(EngineEvent::InventoryChanged);
        match failed {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// The last drift report (every marketplace's), if the check ever ran.
    pub async fn sync_drift(&self) -> Result<Option<DriftReport>> {
        self.store.read(drift::last).await
    }

    /// The seller's choice for a lot that drifted (see `drift::resolve`), on the marketplace the
    /// last report found it changed on. A lot changed on several: keeping the local values
    /// settles every one; taking a marketplace's needs [`Engine::sync_resolve_on`].
    pub async fn sync_resolve(&self, lot: i64, choice: DriftChoice) -> Result<InventoryLot> {
        self.sync_resolve_on(lot, None, choice).await
    }

    /// [`Engine::sync_resolve`] on marketplace `only` (`None`: as the last report says; a lot it
    /// does not list is settled on BrickLink if linked there, else on BrickOwl).
    pub async fn sync_resolve_on(&self, lot: i64, only: Option<Provider>, choice: DriftChoice) -> Result<InventoryLot> {
        let linked: Vec<(Provider, String)> = self
            .store
            .read(move |c| {
                let mut st = c.prepare_cached(
                    "SELECT marketplace, remote_id FROM sync_state WHERE inventory_id = ?1 AND remote_id IS NOT NULL ORDER BY marketplace",
                )?;
                let rows = st.query_map([lot], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
                let mut out = Vec::new();
                for row in rows {
                    let (m, id) = row?;
                    // An Allegro offer is no store lot to take values from.
                    let m = orders::stored_provider(&m)?;
                    if Provider::STORES.contains(&m) {
                        out.push((m, id));
                    }
                }
                Ok(out)
            })
            .await?;
        let drifted: Vec<Provider> = match self.store.read(drift::last).await? {
            Some(r) => r.drifts.iter().filter(|d| d.inventory_id == Some(lot) && d.kind == "differs").map(|d| d.marketplace).collect(),
            None => Vec::new(),
        };
        let mut on: Vec<Provider> = match only {
            Some(m) => vec![m],
            None if !drifted.is_empty() => drifted,
            None => linked.first().map(|(m, _)| *m).into_iter().collect(),
        };
        on.dedup();
        if on.len() > 1 && choice == DriftChoice::TakeMarketplace {
            return Err(Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: "it changed on both BrickLink and BrickOwl: keep BrickDesk's values, or name the marketplace to take".into(),
            });
        }
        if on.is_empty() {
            return Err(Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: "it is not linked to a marketplace lot (import the store, or let sync list it)".into(),
            });
        }
        let markets = self.markets().await?;
        for m in on {
            let remote_id = linked.iter().find(|(lm, _)| *lm == m).map(|(_, id)| id.clone()).ok_or_else(|| Error::InvalidInput {
                what: format!("lot {lot}"),
                detail: format!("it is not linked to a {} lot (import the store, or let sync list it)", m.display_name()),
            })?;
            let market = markets.iter().find(|x| x.provider() == m).ok_or(MarketError::NotConfigured { marketplace: m })?;
            let gw = self.gateway(market.account());
            let remote = match market {
                Market::Bricklink(client) => {
                    let data = gw.bricklink(client, &bricklink::api::Call::InventoryLot(remote_id)).await?;
                    bricklink::convert::remote_lots(serde_json::Value::Array(vec![data]))?.into_iter().next()
                }
                Market::Brickowl(client) => {
                    // The whole store, as the check read it: one call either way, and the colour
                    // list is cached.
                    let lots = sync_brickowl::read_store(&gw, client).await?;
                    let lots: Vec<_> = lots.into_iter().filter(|l| l.lot_id == remote_id).collect();
                    self.store.read(move |c| sync_brickowl::drift_lots(c, &lots)).await?.into_iter().next()
                }
                Market::Allegro(_) => {
                    return Err(Error::InvalidInput {
                        what: format!("lot {lot}"),
                        detail: "Allegro has no store lots to take values from".into(),
                    })
                }
            };
            let remote = remote.ok_or_else(|| Error::Inconsistent {
                what: format!("{}'s lot", m.display_name()),
                detail: "not in the store any more (check again)".into(),
            })?;
            let now = self.config.clock.now();
            let correlation = correlation_id(now);
            self.store.write(move |tx| drift::resolve(tx, m, lot, &remote, choice, now, &correlation)).await?;
        }
        self.after_stock_change(0);
        self.store.read(move |c| inventory::get(c, lot)).await
    }

    /// Where every lot stands on every marketplace in sync.
    pub async fn sync_status(&self) -> Result<Vec<SyncStatusEntry>> {
        self.store.read(|c| sync::status_of(c, None)).await
    }

    /// The seller's retry of failed pushes (of one lot, or all).
    pub async fn sync_retry(&self, lot: Option<i64>) -> Result<SyncRetried> {
        let now = self.config.clock.now();
        let retried = self.store.write(move |tx| sync::retry(tx, lot, now)).await?;
        self.emit(EngineEvent::InventoryChanged);
        self.sync_kick.send_modify(|n| *n = n.wrapping_add(1));
        Ok(SyncRetried { retried: retried as i64 })
    }

    /// The sync worker: pushes due lots shortly after a change (the rows' own debounce decides
    /// when they are due), after every poll cycle, and every poll interval.
    async fn sync_worker(&self, mut stopped: watch::Receiver<bool>) {
        let mut kicked = self.sync_kick.subscribe();
        loop {
            tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                r = self.sync_round() => match r {
                    Ok(r) if !r.pushed.is_empty() || !r.failed.is_empty() || r.waiting.is_some() => tracing::info!(
                        pushed = r.pushed.len(), failed = r.failed.len(), waiting = r.waiting.as_deref().unwrap_or(""), "sync round"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "sync round failed"),
                },
            }
            // The daily drift check of every store that takes part in sync.
            let now = self.config.clock.now();
            let daily = self.store.read(move |c| drift::due(c, now)).await;
            if let Ok(true) = daily {
                if let Err(e) = self.sync_reconcile().await {
                    tracing::warn!(error = %e, "daily drift check failed");
                }
            }
            let changed = tokio::select! {
                biased;
                _ = stopped.wait_for(|s| *s) => break,
                _ = kicked.changed() => true,
                _ = tokio::time::sleep(self.config.poll_interval) => false,
            };
            if changed {
                // Let a burst of edits settle into one push.
                tokio::time::sleep(sync::DEBOUNCE.to_std().unwrap_or_default()).await;
            }
        }
    }

    /// Failed notifications, then messages and feedback (`failed_only`: just the failed).
    pub async fn inbox_list(&self, failed_only: bool) -> Result<Vec<InboxEntry>> {
        self.store.read(move |c| inbox::list(c, failed_only)).await
    }

    /// The seller's retry of a failed notification (`id`) or of all of them: due at once, with
    /// fresh attempts; the running workers are kicked.
    pub async fn inbox_retry(&self, id: Option<i64>) -> Result<InboxRetried> {
        let now = self.config.clock.now();
        let retried = self.store.write(move |tx| inbox::retry(tx, id, now)).await?;
        if let (Some(id), 0) = (id, retried) {
            return Err(Error::NotFound { what: "failed notification".into(), id: id.to_string() });
        }
        tracing::info!(retried, "failed notifications retried by the seller");
        self.emit(EngineEvent::StatusChanged);
        self.poll_now();
        Ok(InboxRetried { retried: retried as i64 })
    }

    /// Checks every lot, order line and queue row against the ledger; reports, changes nothing.
    pub async fn doctor(&self) -> Result<DoctorReport> {
        let now = self.config.clock.now();
        self.store.read(move |c| doctor::check(c, now)).await
    }

    /// One page of the inventory view (filtered and sorted by the engine) and the matching count.
    pub async fn inventory_page(&self, query: InventoryQuery) -> Result<InventoryPage> {
        self.store.read(move |c| browse::inventory(c, &query)).await
    }

    /// One page of the orders view (filtered and sorted by the engine) and the matching count.
    pub async fn orders_page(&self, query: OrdersQuery) -> Result<OrdersPage> {
        self.store.read(move |c| browse::orders(c, &query)).await
    }

    pub async fn inventory_list(&self) -> Result<Vec<InventoryLot>> {
        self.store.read(inventory::list).await
    }

    /// Orders not yet opened by the seller (the tray's count; cheaper than [`Engine::status`]).
    pub async fn orders_unread(&self) -> Result<i64> {
        self.store.read(orders::unread).await
    }

    /// What the status bar shows: per marketplace, the connected account's polls and budget.
    pub async fn status(&self) -> Result<StatusSnapshot> {
        let connected = self.markets().await?;
        let now = self.config.clock.now();
        let mut markets = Vec::new();
        for m in Provider::ALL {
            let market = connected.iter().find(|x| x.provider() == m);
            let account = market.map(Market::account).unwrap_or_else(|| m.as_str().to_string());
            let budget_used = gateway::used(&self.store, m, &account, now).await?;
            let (row, failed) = self
                .store
                .read(move |c| {
                    let row: Option<(Option<String>, Option<String>, Option<String>)> = c
                        .query_row(
                            "SELECT last_poll_at, next_poll_at, last_error FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = 'poll'",
                            params![m.as_str(), account],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    Ok((row, inbox::given_up(c, m)?))
                })
                .await?;
            let (last_poll_at, next_poll_at, last_error) = row.unwrap_or_default();
            markets.push(MarketStatus {
                provider: m,
                active: market.is_some(),
                last_poll_at,
                next_poll_at,
                last_error,
                budget_used,
                budget_limit: (m == Provider::Bricklink).then_some(self.config.bricklink_daily_limit),
                failed,
            });
        }
        let unread_orders = self.orders_unread().await?;
        Ok(StatusSnapshot { demo: self.config.demo, markets, unread_orders })
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
