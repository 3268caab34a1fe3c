//! [`Engine`]: the facade every edge (Tauri commands, CLI subcommands) calls. One method per
//! capability, named as the CLI subcommand and the Tauri command are.

use std::future::Future;
use std::sync::Arc;

use brickdesk_ipc::{
    AppInfo, CredentialStatus, InventoryAddInput, InventoryLot, MarketStatus, OrderDetail, OrderSummary, OrdersPickInput, PollSummary,
    Provider, StatusSnapshot,
};
use rusqlite::{params, OptionalExtension};
use tokio::sync::{broadcast, Notify};

use crate::config::Config;
use crate::credentials::{BricklinkCredentials, BrickowlCredentials, Credentials, Keyring};
use crate::error::{Error, Result};
use crate::events::EngineEvent;
use crate::gateway::{self, Budget, Gateway};
use crate::marketplaces::{bricklink, brickowl, MarketError};
use crate::poller::{self, Market};
use crate::store::Store;
use crate::{inbox, inventory, orders, picking};

/// Where marketplace clients get credentials: the OS keyring, or the demo store's fixed ones.
#[derive(Clone)]
pub enum CredentialSource {
    Keyring,
    Fixed { bricklink: Option<BricklinkCredentials>, brickowl: Option<BrickowlCredentials> },
}

#[derive(Clone)]
pub struct Engine {
    config: Config,
    store: Store,
    keyring: Keyring,
    market_credentials: CredentialSource,
    http: reqwest::Client,
    events: broadcast::Sender<EngineEvent>,
    kick: Arc<Notify>,
}

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
        Ok(Engine { config, store, keyring, market_credentials, http, events, kick: Arc::new(Notify::new()) })
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

    /// Clients for every provider with usable credentials.
    async fn markets(&self) -> Result<Vec<Market>> {
        let (bl, bo) = match &self.market_credentials {
            CredentialSource::Fixed { bricklink, brickowl } => (bricklink.clone(), brickowl.clone()),
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
                    Ok((bl, bo))
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
        Ok(markets)
    }

    fn gateway(&self, m: Provider) -> Gateway {
        Gateway {
            store: self.store.clone(),
            clock: self.config.clock.clone(),
            account: m.as_str().to_string(),
            bricklink_budget: Budget::bricklink(self.config.bricklink_daily_limit),
            retry_base: self.config.retry_base,
        }
    }

    /// One poll cycle for every active provider (or just `only`), processed to completion.
    /// Rows a killed process left in `processing` are resumed first; if another BrickDesk is
    /// running, a row may be processed by both, which changes nothing (processing is idempotent).
    pub async fn poll(&self, only: Option<Provider>) -> Result<PollSummary> {
        inbox::recover(&self.store).await?;
        self.poll_cycle(only, false).await
    }

    async fn poll_cycle(&self, only: Option<Provider>, force_reconcile: bool) -> Result<PollSummary> {
        let markets: Vec<Market> = self.markets().await?.into_iter().filter(|m| only.is_none_or(|p| m.provider() == p)).collect();
        if let (Some(p), true) = (only, markets.is_empty()) {
            return Err(MarketError::NotConfigured { marketplace: p }.into());
        }
        let mut summary = PollSummary { providers: Vec::new() };
        let mut new_ids = Vec::new();
        let mut processed = 0;
        for market in &markets {
            let cycle = poller::cycle(&self.gateway(market.provider()), market, force_reconcile).await?;
            new_ids.extend(cycle.new_orders.iter().copied());
            processed += cycle.report.processed;
            summary.providers.push(cycle.report);
        }
        if processed > 0 {
            self.emit(EngineEvent::OrdersChanged);
            self.emit(EngineEvent::InventoryChanged);
        }
        if !new_ids.is_empty() {
            let all = self.orders_list().await?;
            let orders: Vec<OrderSummary> = all.into_iter().filter(|o| new_ids.contains(&o.id)).collect();
            tracing::info!(count = orders.len(), "new orders");
            self.emit(EngineEvent::NewOrders { orders });
        }
        self.emit(EngineEvent::StatusChanged);
        Ok(summary)
    }

    /// Asks the running workers to poll now (tray "Poll now", the UI's button). Returns at once.
    pub fn poll_now(&self) {
        self.kick.notify_one();
    }

    /// The background workers: poll at start (reconciling), then every `poll_interval` or when
    /// kicked, until `shutdown` resolves. Work left in `processing` by a crash is resumed first.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) -> Result<()> {
        tokio::pin!(shutdown);
        let recovered = inbox::recover(&self.store).await?;
        if recovered > 0 {
            tracing::info!(recovered, "resuming notifications left in processing");
        }
        let mut first = true;
        loop {
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                r = self.poll_cycle(None, first) => match r {
                    Ok(summary) => {
                        for p in &summary.providers {
                            tracing::info!(provider = %p.provider, fetched = p.fetched, stored = p.stored, processed = p.processed,
                                new_orders = p.new_orders, failures = p.failures.len(), error = p.error.as_deref().unwrap_or(""), "poll cycle");
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "poll cycle failed"),
                },
            }
            first = false;
            let next =
                self.config.clock.now() + chrono::Duration::from_std(self.config.poll_interval).unwrap_or(chrono::Duration::minutes(3));
            for m in Provider::ALL {
                // Bookkeeping for the status bar must never stop the workers.
                if let Err(e) = poller::record_next_poll(&self.store, m, m.as_str(), next).await {
                    tracing::warn!(error = %e, "cannot record the next poll time");
                }
            }
            self.emit(EngineEvent::StatusChanged);
            tokio::select! {
                biased;
                _ = &mut shutdown => break,
                _ = self.kick.notified() => tracing::info!("poll requested"),
                _ = tokio::time::sleep(self.config.poll_interval) => {}
            }
        }
        tracing::info!("workers stopped");
        Ok(())
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
        let (id, rematched) = self
            .store
            .write(move |tx| {
                let id = inventory::add(tx, &lot, now)?;
                Ok((id, orders::rematch_open_lines(tx, now)?))
            })
            .await?;
        self.emit(EngineEvent::InventoryChanged);
        if rematched > 0 {
            tracing::info!(lines = rematched, "order lines waiting for stock matched the new lot");
            self.emit(EngineEvent::OrdersChanged);
        }
        self.store.read(move |c| inventory::get(c, id)).await
    }

    /// Creates a local lot for every BrickLink lot not imported before (matched by BrickLink
    /// lot id), linked so order lines from that lot reserve it. Returns how many were added.
    pub async fn inventory_import(&self, provider: Provider) -> Result<usize> {
        let client = self
            .markets()
            .await?
            .into_iter()
            .find_map(|m| match m {
                Market::Bricklink(c) if provider == Provider::Bricklink => Some(c),
                _ => None,
            })
            .ok_or(MarketError::NotConfigured { marketplace: provider })?;
        let data = self.gateway(Provider::Bricklink).bricklink(&client, &bricklink::api::Call::Inventories).await?;
        let lots = bricklink::convert::inventory(data)?;
        let now = self.config.clock.now();
        let added = self
            .store
            .write(move |tx| {
                let mut added = 0;
                for (remote, lot) in &lots {
                    let known: Option<i64> = tx
                        .query_row(
                            "SELECT inventory_id FROM sync_state WHERE marketplace = 'bricklink' AND remote_id = ?1",
                            [remote],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if known.is_none() {
                        let id = inventory::add(tx, lot, now)?;
                        inventory::link_remote(tx, id, "bricklink", remote, now)?;
                        added += 1;
                    }
                }
                if added > 0 {
                    orders::rematch_open_lines(tx, now)?;
                }
                Ok(added)
            })
            .await?;
        if added > 0 {
            self.emit(EngineEvent::InventoryChanged);
        }
        Ok(added)
    }

    pub async fn inventory_list(&self) -> Result<Vec<InventoryLot>> {
        self.store.read(inventory::list).await
    }

    /// Orders not yet opened by the seller (the tray's count; cheaper than [`Engine::status`]).
    pub async fn orders_unread(&self) -> Result<i64> {
        self.store.read(orders::unread).await
    }

    /// What the status bar shows.
    pub async fn status(&self) -> Result<StatusSnapshot> {
        let active: Vec<Provider> = self.markets().await?.iter().map(Market::provider).collect();
        let now = self.config.clock.now();
        let mut markets = Vec::new();
        for m in Provider::ALL {
            let budget_used = gateway::used(&self.store, m, m.as_str(), now).await?;
            let row: Option<(Option<String>, Option<String>, Option<String>)> = self
                .store
                .read(move |c| {
                    Ok(c.query_row(
                        "SELECT last_poll_at, next_poll_at, last_error FROM poll_cursors WHERE marketplace = ?1 AND account = ?1 AND stream = 'poll'",
                        params![m.as_str()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?)
                })
                .await?;
            let (last_poll_at, next_poll_at, last_error) = row.unwrap_or_default();
            let failed = self.store.read(move |c| inbox::given_up(c, m)).await?;
            markets.push(MarketStatus {
                provider: m,
                active: active.contains(&m),
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

/// Runs blocking work (keyring D-Bus calls) off the async threads.
async fn blocking<R: Send + 'static>(f: impl FnOnce() -> Result<R> + Send + 'static) -> Result<R> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Task(e.to_string()))?
}
