//! Allegro in the engine: the linked account's tokens ([`Session`]), linking by device flow, and
//! the order journal read by a persisted cursor.
//!
//! - *Tokens*: the access token lives 12 hours; the refresh token is single use. A renewal stores
//!   the new pair in the keyring (one entry, written whole) before the new access token is used,
//!   so a crash after it leaves working tokens behind. A refused refresh token means the link is
//!   dead: the keyring keeps the app registration, drops the tokens and says why, and nothing
//!   polls Allegro until the seller links again (a clear status, not a loop of failures).
//! - *Journal*: `GET /order/events?from=<cursor>` pages of up to 1,000 events; each event becomes
//!   one inbox row (dedupe key `{account}:{type}:{checkout form id}:{occurredAt}`, event id
//!   kept) and the cursor (`poll_cursors`, stream `order_events`) advances in the same
//!   transaction, so a process killed anywhere neither loses nor doubles an event.
//! - *Bootstrap* (first link; a cursor the journal no longer keeps, or older than its 60 days):
//!   the newest event id first (the barrier), then the open checkout forms, each becoming an
//!   inbox row unless known and unchanged, and every purchase stored unpaid read again (no
//!   snapshot lists it); the cursor becomes the barrier. Whatever happens
//!   during the snapshot is replayed from the barrier, and processing is idempotent.

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::clock::format_ts;
use crate::credentials::{AllegroCredentials, AllegroTokens, Credentials, Keyring};
use crate::error::{Error, Result};
use crate::gateway::{CallError, Gateway};
use crate::inbox;
use crate::marketplaces::allegro::{api, auth, convert};
use crate::marketplaces::types::RemoteNotification;
use crate::marketplaces::MarketError;
use crate::poller::Cycle;
use crate::secret::Secret;

const M: Provider = Provider::Allegro;
/// How long Allegro keeps order events (allegro.md §3.1), less a day of margin: a cursor last
/// advanced longer ago than this is not trusted to be in the journal any more.
const ORDER_JOURNAL_TRUSTED: chrono::Duration = chrono::Duration::days(59);
/// Fulfillment statuses of paid orders that still hold stock: the bootstrap's open snapshot.
const OPEN_FULFILLMENT: [&str; 4] = ["NEW", "PROCESSING", "READY_FOR_SHIPMENT", "READY_FOR_PICKUP"];
/// Checkout form lists page by `offset`, which may not pass 10,000 (allegro.md §3.4).
const FORMS_OFFSET_MAX: u32 = 10_000;
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

// ---- Linking (device flow, allegro.md §2) ----

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

// ---- The order journal ----

/// One of Allegro's two journals (allegro.md §3, §4), read the same way: pages of up to 1,000
/// events from a cursor in `poll_cursors`, each event one inbox row, the cursor advanced in the
/// transaction storing them. They differ in how long Allegro keeps them and in how reading starts
/// again when the cursor cannot be trusted: the orders from event-stats and the open checkout
/// forms ([`bootstrap`]), the offers from the offer list (`allegro_offers::rebuild`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journal {
    Orders,
    Offers,
}

impl Journal {
    /// The cursor's row in `poll_cursors`.
    pub fn stream(self) -> &'static str {
        match self {
            Journal::Orders => "order_events",
            Journal::Offers => "offer_events",
        }
    }

    /// A cursor last advanced longer ago than this is not trusted to be in the journal any more.
    fn trusted(self) -> chrono::Duration {
        match self {
            Journal::Orders => ORDER_JOURNAL_TRUSTED,
            Journal::Offers => crate::allegro_offers::OFFER_JOURNAL_TRUSTED,
        }
    }

    /// The journal's page after the event `from` (none: from the oldest kept).
    pub fn call(self, from: Option<String>) -> api::Call {
        match self {
            Journal::Orders => api::Call::OrderEvents { from, limit: api::EVENTS_MAX },
            Journal::Offers => api::Call::OfferEvents { from, limit: api::EVENTS_MAX },
        }
    }

    pub fn page(self, data: serde_json::Value) -> std::result::Result<convert::EventsPage, MarketError> {
        match self {
            Journal::Orders => convert::order_events(data),
            Journal::Offers => convert::offer_events(data),
        }
    }

    async fn restart(
        self,
        gw: &Gateway,
        session: &Session,
        cycle: &mut Cycle,
        cursor: Option<String>,
    ) -> std::result::Result<(), CallError> {
        match self {
            Journal::Orders => bootstrap(gw, session, cycle, cursor.is_some()).await,
            Journal::Offers => crate::allegro_offers::rebuild(gw, session, cycle, cursor).await,
        }
    }
}

/// Whether Allegro refused the journal cursor `from`: the journal no longer has the event it names
/// (what Allegro answers then is undocumented: any 4xx but 406 is taken as that).
pub fn refused_cursor(e: &CallError) -> bool {
    matches!(e, CallError::Market(MarketError::Rejected { envelope, .. }) if (400..500).contains(&envelope.code) && envelope.code != 406)
}

/// Reads the order journal from the cursor to its end into the inbox.
pub async fn feed_orders(gw: &Gateway, session: &Session, cycle: &mut Cycle) -> std::result::Result<(), CallError> {
    read_journal(gw, session, cycle, Journal::Orders).await
}

/// Reads `journal` from its cursor to its end into the inbox, starting again first when the
/// cursor cannot be trusted (none, or older than the journal keeps) or when Allegro refuses it.
pub async fn read_journal(gw: &Gateway, session: &Session, cycle: &mut Cycle, journal: Journal) -> std::result::Result<(), CallError> {
    let (cursor, last_ok) = read_cursor(gw, journal).await?;
    let trusted = last_ok.is_some_and(|t| gw.clock.now() - t < journal.trusted());
    let mut restarted = false;
    if !trusted {
        journal.restart(gw, session, cycle, cursor).await?;
        restarted = true;
    }
    loop {
        let (from, _) = read_cursor(gw, journal).await?;
        let data = match gw.allegro(session, &journal.call(from.clone())).await {
            Ok(d) => d,
            Err(e) if from.is_some() && !restarted && refused_cursor(&e) => {
                tracing::warn!(error = %e, stream = journal.stream(), "Allegro refused the journal cursor; starting again");
                // The refused cursor is no barrier to start from.
                journal.restart(gw, session, cycle, None).await?;
                restarted = true;
                continue;
            }
            Err(e) => return Err(e),
        };
        let page = journal.page(data)?;
        cycle.report.fetched += page.count as i64;
        let (account, now) = (gw.account.clone(), gw.clock.now());
        let full = page.count >= api::EVENTS_MAX as usize;
        let stored = gw
            .store
            .write(move |tx| {
                let stored = inbox::store_all(tx, M, &account, &page.entries, now)?;
                write_cursor(tx, &account, journal, page.last_id.as_deref().or(from.as_deref()), now)?;
                Ok(stored)
            })
            .await?;
        cycle.report.stored += stored.new;
        cycle.report.duplicates += stored.duplicates;
        if !full {
            return Ok(());
        }
    }
}

/// The barrier, then the open snapshot; the cursor becomes the barrier.
async fn bootstrap(gw: &Gateway, session: &Session, cycle: &mut Cycle, had_cursor: bool) -> std::result::Result<(), CallError> {
    tracing::info!(account = %gw.account, had_cursor, "Allegro: bootstrapping the order journal from a snapshot");
    let barrier = convert::latest_event(gw.allegro(session, &api::Call::OrderEventStats).await?)?;
    let mut refs = Vec::new();
    for fulfillment in OPEN_FULFILLMENT {
        let mut offset = 0u32;
        loop {
            let call = api::Call::PaidCheckoutForms { fulfillment, offset, limit: api::FORMS_MAX };
            let (page, total) = convert::checkout_forms(gw.allegro(session, &call).await?)?;
            let n = page.len() as u32;
            refs.extend(page);
            offset += n;
            if n == 0 || i64::from(offset) >= total || offset + api::FORMS_MAX > FORMS_OFFSET_MAX {
                break;
            }
        }
    }
    cycle.report.fetched += refs.len() as i64;
    let (account, now) = (gw.account.clone(), gw.clock.now());
    let stored = gw
        .store
        .write(move |tx| {
            // Open locally but not in the snapshot: it changed while nobody read the journal.
            let mut entries = crate::poller::reconcile_entries(tx, M, &account, refs, true, now)?;
            entries.extend(unpaid_to_read_again(tx, &account, now)?);
            let stored = inbox::store_all(tx, M, &account, &entries, now)?;
            tx.execute(
                "DELETE FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = ?3",
                params![M.as_str(), account, Journal::Orders.stream()],
            )?;
            write_cursor(tx, &account, Journal::Orders, barrier.as_deref(), now)?;
            Ok(stored)
        })
        .await?;
    cycle.report.stored += stored.new;
    cycle.report.duplicates += stored.duplicates;
    Ok(())
}

/// An inbox row for each purchase stored unpaid: the snapshot lists paid forms only, and what
/// became of these while the journal went unread (paid, cancelled) is in no event any more, yet
/// each keeps its pieces off its offer until BrickDesk hears of it. Read again, each one.
fn unpaid_to_read_again(tx: &Transaction<'_>, account: &str, now: DateTime<Utc>) -> Result<Vec<RemoteNotification>> {
    let ids = tx
        .prepare_cached("SELECT external_id FROM orders WHERE marketplace = ?1 AND account = ?2 AND status IN (?3, ?4)")?
        .query_map(params![M.as_str(), account, convert::UNPAID_STATUSES[0], convert::UNPAID_STATUSES[1]], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let detected = format_ts(now);
    let mut entries = Vec::new();
    for id in ids {
        // One is already waiting (the snapshot's own, or a failed row re-armed instead).
        if !inbox::wants_row(tx, M, account, &id, now)? {
            continue;
        }
        let raw = serde_json::json!({"source": "order snapshot", "order_id": id, "stored": "unpaid"});
        entries.push(crate::poller::order_row("Reconcile", &id, &detected, raw));
    }
    Ok(entries)
}

/// `journal`'s cursor (none: from the oldest event kept) and when it last advanced.
async fn read_cursor(gw: &Gateway, journal: Journal) -> Result<(Option<String>, Option<DateTime<Utc>>)> {
    let account = gw.account.clone();
    gw.store
        .read(move |c| {
            let row: Option<(Option<String>, Option<String>)> = c
                .query_row(
                    "SELECT cursor, last_ok_at FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = ?3",
                    params![M.as_str(), account, journal.stream()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (cursor, at) = row.unwrap_or_default();
            Ok((cursor, at.and_then(|t| t.parse().ok())))
        })
        .await
}

/// Sets the cursor (ids are opaque: the last one seen, never compared) and when it was read.
pub fn write_cursor(tx: &Transaction<'_>, account: &str, journal: Journal, cursor: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO poll_cursors (marketplace, account, stream, cursor, last_ok_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (marketplace, account, stream) DO UPDATE SET cursor = excluded.cursor, last_ok_at = excluded.last_ok_at",
        params![M.as_str(), account, journal.stream(), cursor, format_ts(now)],
    )?;
    Ok(())
}
