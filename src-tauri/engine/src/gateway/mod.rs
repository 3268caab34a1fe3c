//! Everything around a marketplace call that needs the store: the persisted daily budget, the
//! per-account OAuth timestamp counter, and retries with capped, jittered backoff.
//!
//! A *call* here is one logical request; it may be *sent* several times. Every send counts
//! against the budget (failures too) and every BrickLink send is signed afresh.
//!
//! `keyring.rs` keeps the credentials in the OS keyring; `allegro_session.rs` keeps Allegro's tokens
//! fresh and links an account by device flow.
//!
//! May import: `store/`, `marketplaces/`, the kernel and `base/`.

pub mod allegro_session;
pub mod keyring;

use std::time::Duration;

use brickdesk_ipc::Provider;
use chrono::{DateTime, Utc};
use rusqlite::params;

use crate::base::clock::format_ts;
use crate::error::Result;
pub use crate::error::{CallError, CallResult};
use crate::marketplaces::allegro::api as al;
use crate::marketplaces::bricklink::api::{self as bl, Purpose, Signing};
use crate::marketplaces::brickowl::api as bo;
use crate::marketplaces::MarketError;
use crate::store::Store;

/// Sends of one call before giving up on it (the inbox then retries the notification later).
const SENDS_PER_CALL: u32 = 3;
/// Retry-After longer than this ends the call: the work waits in its queue (not an attempt)
/// instead of holding up the rest of the cycle.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(5);

/// The daily budget: `limit` calls per rolling 24 h, of which `orders_reserve` only order
/// intake may use (bricklink.md §5).
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub limit: i64,
    pub orders_reserve: i64,
}

impl Budget {
    pub fn bricklink(limit: i64) -> Budget {
        Budget { limit, orders_reserve: limit / 5 }
    }

    fn allowance(&self, purpose: Purpose) -> i64 {
        match purpose {
            Purpose::Orders => self.limit,
            Purpose::Inventory | Purpose::Catalog => self.limit - self.orders_reserve,
        }
    }
}

/// Backoff before send number `attempt` (1-based): 0.5 s, 1 s, 2 s … capped at `cap`, ± 25 %.
pub fn backoff(base: Duration, attempt: u32, cap: Duration) -> Duration {
    let exp = base.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(20)));
    let capped = exp.min(cap);
    let jitter = rand::random_range(0.75..1.25);
    capped.mul_f64(jitter)
}

/// Records one send against the budget, or refuses it if the budget for `purpose` is used.
pub async fn spend(
    store: &Store,
    m: Provider,
    account: &str,
    purpose: Purpose,
    budget: Option<Budget>,
    now: DateTime<Utc>,
) -> Result<Option<MarketError>> {
    let account = account.to_string();
    let since = format_ts(now - chrono::Duration::hours(24));
    let at = format_ts(now);
    store
        .write(move |tx| {
            tx.execute("DELETE FROM api_calls WHERE marketplace = ?1 AND account = ?2 AND at < ?3", params![m.as_str(), account, since])?;
            if let Some(b) = budget {
                let used: i64 = tx.query_row(
                    "SELECT count(*) FROM api_calls WHERE marketplace = ?1 AND account = ?2 AND at >= ?3",
                    params![m.as_str(), account, since],
                    |r| r.get(0),
                )?;
                let allowed = b.allowance(purpose);
                if used >= allowed {
                    return Ok(Some(MarketError::BudgetExhausted { marketplace: m, used, limit: allowed }));
                }
            }
            tx.execute(
                "INSERT INTO api_calls (marketplace, account, purpose, at) VALUES (?1, ?2, ?3, ?4)",
                params![m.as_str(), account, purpose.as_str(), at],
            )?;
            Ok(None)
        })
        .await
}

/// Calls made in the last 24 h.
pub async fn used(store: &Store, m: Provider, account: &str, now: DateTime<Utc>) -> Result<i64> {
    let account = account.to_string();
    let since = format_ts(now - chrono::Duration::hours(24));
    store
        .read(move |c| {
            Ok(c.query_row(
                "SELECT count(*) FROM api_calls WHERE marketplace = ?1 AND account = ?2 AND at >= ?3",
                params![m.as_str(), account, since],
                |r| r.get(0),
            )?)
        })
        .await
}

/// A timestamp from [`next_oauth_timestamp`], waiting first if it runs more than `max_lead`
/// seconds ahead of the clock.
pub async fn paced_oauth_timestamp(store: &Store, account: &str, max_lead: i64) -> Result<u64> {
    let ts = next_oauth_timestamp(store, account).await?;
    let lead = ts as i64 - Utc::now().timestamp();
    if lead > max_lead {
        let wait = Duration::from_secs((lead - max_lead) as u64);
        tracing::info!(account, wait_s = wait.as_secs(), "BrickLink timestamps ahead of the clock; pacing");
        tokio::time::sleep(wait).await;
    }
    Ok(ts)
}

/// The next OAuth timestamp for `account`: `max(now, last + 1)`, persisted in the same
/// transaction, so no two sends — in this process or another — ever share one.
pub async fn next_oauth_timestamp(store: &Store, account: &str) -> Result<u64> {
    let account = account.to_string();
    // The protocol clock is the real one, whatever BRICKDESK_NOW says.
    let now = Utc::now().timestamp();
    store
        .write(move |tx| {
            let ts: i64 = tx.query_row(
                "INSERT INTO oauth_clock (account, last_timestamp) VALUES (?1, ?2)
                 ON CONFLICT (account) DO UPDATE SET last_timestamp = max(excluded.last_timestamp, last_timestamp + 1)
                 RETURNING last_timestamp",
                params![account, now],
                |r| r.get(0),
            )?;
            Ok(ts.max(0) as u64)
        })
        .await
}

/// One token bucket for every BrickLink send of the process (order intake, catalog refresh,
/// inventory): `rate` sends a second on average, bursts of `2 × rate`. BrickLink's front end
/// answers bursts of parallel calls with 503s (bricklink.md §5).
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    /// (tokens, when they were counted)
    state: tokio::sync::Mutex<(f64, std::time::Instant)>,
}

impl RateLimiter {
    pub fn new(per_sec: u64) -> RateLimiter {
        let rate = per_sec.max(1) as f64;
        RateLimiter { rate, burst: rate * 2.0, state: tokio::sync::Mutex::new((rate * 2.0, std::time::Instant::now())) }
    }

    /// Waits until a send is allowed and takes its token.
    pub async fn acquire(&self) {
        loop {
            let wait = {
                let mut st = self.state.lock().await;
                let now = std::time::Instant::now();
                st.0 = (st.0 + now.duration_since(st.1).as_secs_f64() * self.rate).min(self.burst);
                st.1 = now;
                if st.0 >= 1.0 {
                    st.0 -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - st.0) / self.rate)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// Sends calls for one marketplace account with budget, signing and retries.
#[derive(Clone)]
pub struct Gateway {
    pub store: Store,
    pub clock: crate::base::clock::Clock,
    pub account: String,
    pub bricklink_budget: Budget,
    pub retry_base: Duration,
    /// Shared by every gateway of the process.
    pub bricklink_rate: std::sync::Arc<RateLimiter>,
    /// See [`MAX_TIMESTAMP_LEAD`].
    pub timestamp_lead: i64,
    /// Shared by every gateway of the process: Allegro allows 9,000 requests a minute per client
    /// id (allegro.md §5); BrickDesk stays well under it.
    pub allegro_rate: std::sync::Arc<RateLimiter>,
    /// BrickOwl allows 600 requests a minute, and 200 `bulk/batch` requests (brickowl.md §2):
    /// BrickDesk sends at most 8 a second (bursts of 16) and 3 bulk a second (bursts of 6), so a
    /// big push waits on its own clock instead of spending calls on 429s.
    pub brickowl_rate: std::sync::Arc<RateLimiter>,
    pub brickowl_bulk_rate: std::sync::Arc<RateLimiter>,
    /// [`crate::config::Config::sync_settle`]: how long a lot whose delta's answer never came
    /// waits before it is read back.
    pub settle: chrono::Duration,
}

/// [`Gateway::brickowl_rate`]: sends per second.
pub const BRICKOWL_PER_SEC: u64 = 8;
/// [`Gateway::brickowl_bulk_rate`]: bulk requests per second.
pub const BRICKOWL_BULK_PER_SEC: u64 = 3;

impl Gateway {
    pub async fn bricklink(&self, client: &bl::Client, call: &bl::Call) -> CallResult {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(refused) =
                spend(&self.store, Provider::Bricklink, &self.account, call.purpose(), Some(self.bricklink_budget), self.clock.now())
                    .await?
            {
                return Err(refused.into());
            }
            self.bricklink_rate.acquire().await;
            let signing = Signing::new(paced_oauth_timestamp(&self.store, &self.account, self.timestamp_lead).await?);
            match client.send(call, signing).await {
                Ok(v) => return Ok(v),
                Err(e) => self.wait_or_fail(e, attempt, &call.path(), call.replay_safe()).await?,
            }
        }
    }

    pub async fn brickowl(&self, client: &bo::Client, call: &bo::Call) -> CallResult {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(refused) = spend(&self.store, Provider::Brickowl, &self.account, Purpose::Orders, None, self.clock.now()).await? {
                return Err(refused.into());
            }
            if matches!(call, bo::Call::BulkBatch(_)) {
                self.brickowl_bulk_rate.acquire().await;
            }
            self.brickowl_rate.acquire().await;
            match client.send(call).await {
                Ok(v) => return Ok(v),
                Err(e) => self.wait_or_fail(e, attempt, call.path(), call.replay_safe()).await?,
            }
        }
    }

    /// Allegro has no daily budget (calls are still counted for the status bar). A refused access
    /// token is renewed once and the call sent again; a dead link is [`MarketError::NotLinked`].
    pub async fn allegro(&self, session: &crate::gateway::allegro_session::Session, call: &al::Call) -> CallResult {
        let mut attempt = 0;
        let mut renewed = false;
        loop {
            attempt += 1;
            if let Some(refused) = spend(&self.store, Provider::Allegro, &self.account, Purpose::Orders, None, self.clock.now()).await? {
                return Err(refused.into());
            }
            self.allegro_rate.acquire().await;
            let access = session.access().await?;
            match session.client.send(call, &access).await {
                Ok(v) => return Ok(v),
                Err(MarketError::TokenRejected { .. }) if !renewed => {
                    renewed = true;
                    attempt -= 1;
                    session.renew(&access).await?;
                }
                Err(e) => self.wait_or_fail(e, attempt, &call.path(), call.replay_safe()).await?,
            }
        }
    }

    /// Sleeps before the next send if `e` is worth retrying now; otherwise returns it. A call that
    /// is not `replay_safe` is sent again only when the marketplace surely did not act on it (a
    /// rate limit or a refused timestamp); after a 5xx, a broken connection or an unreadable
    /// answer the caller finds out what happened before trying again.
    async fn wait_or_fail(&self, e: MarketError, attempt: u32, endpoint: &str, replay_safe: bool) -> std::result::Result<(), CallError> {
        let not_acted_on = matches!(e, MarketError::RateLimited { .. } | MarketError::StaleTimestamp { .. });
        let inline = e.is_retryable()
            && !matches!(e, MarketError::BudgetExhausted { .. })
            && attempt < SENDS_PER_CALL
            && (replay_safe || not_acted_on);
        if !inline {
            return Err(e.into());
        }
        let wait = match e.retry_after() {
            Some(d) if d > MAX_INLINE_WAIT => return Err(e.into()),
            Some(d) => d,
            None => backoff(self.retry_base, attempt, Duration::from_secs(8)),
        };
        tracing::warn!(account = %self.account, endpoint, attempt, wait_ms = wait.as_millis() as u64, error = %e, "marketplace call failed; retrying");
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
        (dir, s)
    }

    #[tokio::test]
    async fn oauth_timestamps_never_repeat() {
        let (_d, s) = store();
        let mut last = 0;
        for _ in 0..50 {
            let t = next_oauth_timestamp(&s, "bricklink").await.unwrap();
            assert!(t > last, "{t} after {last}");
            last = t;
        }
    }

    #[tokio::test]
    async fn budget_keeps_a_reserve_for_orders_and_rolls_over_24h() {
        let (_d, s) = store();
        let b = Budget { limit: 5, orders_reserve: 2 };
        let t0: DateTime<Utc> = "2026-11-23T10:00:00Z".parse().unwrap();
        for _ in 0..3 {
            assert!(spend(&s, Provider::Bricklink, "a", Purpose::Catalog, Some(b), t0).await.unwrap().is_none());
        }
        let refused = spend(&s, Provider::Bricklink, "a", Purpose::Catalog, Some(b), t0).await.unwrap();
        assert!(matches!(refused, Some(MarketError::BudgetExhausted { used: 3, limit: 3, .. })), "{refused:?}");
        for _ in 0..2 {
            assert!(spend(&s, Provider::Bricklink, "a", Purpose::Orders, Some(b), t0).await.unwrap().is_none());
        }
        assert!(spend(&s, Provider::Bricklink, "a", Purpose::Orders, Some(b), t0).await.unwrap().is_some());
        assert_eq!(used(&s, Provider::Bricklink, "a", t0).await.unwrap(), 5);
        let next_day = t0 + chrono::Duration::hours(24) + chrono::Duration::seconds(1);
        assert!(spend(&s, Provider::Bricklink, "a", Purpose::Catalog, Some(b), next_day).await.unwrap().is_none());
        assert_eq!(used(&s, Provider::Bricklink, "a", next_day).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn the_rate_limiter_allows_a_burst_then_paces() {
        let limiter = RateLimiter::new(20);
        let started = std::time::Instant::now();
        for _ in 0..40 {
            limiter.acquire().await;
        }
        let burst = started.elapsed();
        for _ in 0..10 {
            limiter.acquire().await;
        }
        // 40 tokens of burst at once; 10 more take about half a second at 20 a second. Bounds
        // only from below: a slow machine makes it slower, never faster.
        assert!(started.elapsed() - burst >= Duration::from_millis(400), "{:?}", started.elapsed() - burst);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(500);
        let cap = Duration::from_secs(8);
        assert!(backoff(base, 1, cap) <= Duration::from_millis(625));
        assert!(backoff(base, 3, cap) >= Duration::from_millis(1500));
        assert!(backoff(base, 30, cap) <= Duration::from_secs(10));
    }
}
