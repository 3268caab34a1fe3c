//! What every order feed shares: the cycle's report ([`Cycle`]), storing a feed in the inbox,
//! the inbox rows BrickDesk adds itself ([`order_row`]), *reconciliation*, the list cursors and
//! the poll records; and the BrickLink and BrickOwl feeds.
//!
//! BrickLink: `GET /notifications` is the trigger; because BrickLink does not guarantee delivery,
//! `GET /orders` is also compared with what is stored (*reconciliation*) at start-up and every
//! 30 minutes. BrickOwl has no notifications: its order list is the feed (cursor = newest
//! `order_date` seen, re-read with an hour of overlap) and is reconciled the same way. Allegro's
//! journals are `allegro/`'s; the cycle over all of them is `engine/poll.rs`.

use brickdesk_ipc::{Provider, ProviderPoll};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::base::clock::format_ts;
use crate::error::Result;
use crate::gateway::{CallError, Gateway};
use crate::marketplaces::bricklink::{api as bl, convert as blc};
use crate::marketplaces::brickowl::{api as bo, convert as boc};
use crate::marketplaces::types::{NotificationKind, OrderPhase, RemoteNotification, RemoteOrderRef};
use crate::orders::inbox::{self};

pub const RECONCILE_EVERY: chrono::Duration = chrono::Duration::minutes(30);
/// A cycle's result plus the orders it saw for the first time.
#[derive(Debug)]
pub struct Cycle {
    pub report: ProviderPoll,
    pub new_orders: Vec<i64>,
}

impl Cycle {
    pub(crate) fn new(provider: Provider) -> Cycle {
        Cycle {
            report: ProviderPoll {
                provider,
                fetched: 0,
                stored: 0,
                duplicates: 0,
                processed: 0,
                new_orders: 0,
                failures: Vec::new(),
                error: None,
                waiting: None,
            },
            new_orders: Vec::new(),
        }
    }
}

/// Fetches the feed and stores it; reconciles when due.
pub(crate) async fn feed_bricklink(
    gw: &Gateway,
    c: &bl::Client,
    force_reconcile: bool,
    cycle: &mut Cycle,
) -> std::result::Result<(), CallError> {
    let data = gw.bricklink(c, &bl::Call::Notifications).await?;
    let entries = blc::notifications(data)?;
    store_feed(gw, Provider::Bricklink, entries, cycle).await?;
    if reconcile_due(gw, Provider::Bricklink, force_reconcile).await? {
        let refs = blc::open_orders(gw.bricklink(c, &bl::Call::OpenOrders).await?)?;
        reconcile(gw, Provider::Bricklink, refs, None, Some(Full { missing_is_news: true })).await?;
    }
    Ok(())
}

pub(crate) async fn feed_brickowl(
    gw: &Gateway,
    c: &bo::Client,
    force_reconcile: bool,
    cycle: &mut Cycle,
) -> std::result::Result<(), CallError> {
    let now = gw.clock.now();
    let full = reconcile_due(gw, Provider::Brickowl, force_reconcile).await?;
    let cursor = read_cursor(gw, Provider::Brickowl, "order_list").await?;
    // Overlap an hour: order_date is the order's creation, and lists can lag.
    let since = match (full, cursor) {
        (false, Some(newest)) => newest - 3600,
        _ => (now - chrono::Duration::days(60)).timestamp(),
    };
    let refs = boc::order_list(gw.brickowl(c, &bo::Call::OrderList { since_unix: since }).await?)?;
    cycle.report.fetched += refs.len() as i64;
    let newest = refs.iter().map(|r| r.date_ordered.timestamp()).max();
    // BrickOwl's full list has every status, so a missing order is just an old one.
    let stored = reconcile(gw, Provider::Brickowl, refs, newest, full.then_some(Full { missing_is_news: false })).await?;
    cycle.report.stored += stored.new;
    cycle.report.duplicates += stored.duplicates;
    Ok(())
}

async fn store_feed(gw: &Gateway, m: Provider, entries: Vec<RemoteNotification>, cycle: &mut Cycle) -> Result<()> {
    cycle.report.fetched += entries.len() as i64;
    let (account, now) = (gw.account.clone(), gw.clock.now());
    let stored = gw.store.write(move |tx| inbox::store_all(tx, m, &account, &entries, now)).await?;
    cycle.report.stored += stored.new;
    cycle.report.duplicates += stored.duplicates;
    Ok(())
}

/// A complete reconciliation (not just the recent part of a list).
#[derive(Debug, Clone, Copy)]
struct Full {
    /// The list holds every open order: a locally open order absent from it has changed
    /// (shipped, cancelled, filed) and is fetched again. BrickLink's `-completed,-cancelled` list.
    missing_is_news: bool,
}

/// Adds an inbox row for every listed order that is missing locally or has changed, unless one
/// is already waiting. Advances the list cursor (if any) and, after a full reconciliation, its
/// schedule — in the same transaction, so a failed list request leaves the reconciliation due.
async fn reconcile(gw: &Gateway, m: Provider, refs: Vec<RemoteOrderRef>, newest: Option<i64>, full: Option<Full>) -> Result<inbox::Stored> {
    let (account, now) = (gw.account.clone(), gw.clock.now());
    gw.store
        .write(move |tx| {
            let entries = reconcile_entries(tx, m, &account, refs, full.is_some_and(|f| f.missing_is_news), now)?;
            let stored = inbox::store_all(tx, m, &account, &entries, now)?;
            if let Some(newest) = newest {
                write_cursor(tx, m, &account, "order_list", newest)?;
            }
            if full.is_some() {
                tx.execute(
                    "INSERT INTO poll_cursors (marketplace, account, stream, last_poll_at, next_poll_at) VALUES (?1, ?2, 'reconcile', ?3, ?4)
                     ON CONFLICT (marketplace, account, stream) DO UPDATE SET last_poll_at = excluded.last_poll_at, next_poll_at = excluded.next_poll_at",
                    params![m.as_str(), account, format_ts(now), format_ts(now + RECONCILE_EVERY)],
                )?;
            }
            Ok(stored)
        })
        .await
}

/// An inbox row BrickDesk adds itself for order `id` (no marketplace event behind it): `raw` says
/// why, `timestamp` completes its dedupe key.
pub(crate) fn order_row(event_type: &str, id: &str, timestamp: &str, raw: serde_json::Value) -> RemoteNotification {
    RemoteNotification {
        event_type: event_type.into(),
        kind: NotificationKind::Order,
        resource_id: id.to_string(),
        timestamp: timestamp.to_string(),
        raw: raw.to_string(),
        malformed: None,
        event_id: None,
    }
}

/// The inbox rows a list of orders calls for: one per listed order missing locally (`Order`,
/// keyed by the order's date) or changed (`Reconcile`, keyed by now), unless one is already
/// waiting; with `missing_is_news` (the list holds every open order) also one per locally open
/// order the list lacks. For the caller's transaction.
pub(crate) fn reconcile_entries(
    tx: &Transaction<'_>,
    m: Provider,
    account: &str,
    refs: Vec<RemoteOrderRef>,
    missing_is_news: bool,
    now: DateTime<Utc>,
) -> Result<Vec<RemoteNotification>> {
    let known = crate::orders::read::markers(tx, m, account)?;
    let mut entries = Vec::new();
    // Rows BrickDesk adds itself carry an RFC 3339 time in their key like every other row:
    // the order's date for one never stored (stable, so naming it again re-arms a failed
    // row), the moment of detection for a change (a row per change).
    let detected = format_ts(now);
    if missing_is_news {
        let listed: std::collections::HashSet<&str> = refs.iter().map(|r| r.external_id.as_str()).collect();
        for (id, (marker, phase)) in &known {
            if listed.contains(id.as_str()) || *phase != OrderPhase::Open || !inbox::wants_row(tx, m, account, id, now)? {
                continue;
            }
            let raw = serde_json::json!({"source": "order list", "order_id": id, "missing_from": "open orders", "stored": marker});
            entries.push(order_row("Reconcile", id, &detected, raw));
        }
    }
    for r in refs {
        let (event_type, timestamp) = match known.get(&r.external_id) {
            None => ("Order", format_ts(r.date_ordered)),
            Some((marker, _)) if changed(marker, &r.marker) => ("Reconcile", detected.clone()),
            Some(_) => continue,
        };
        // A row for it is already waiting (processing that fetches the order anyway), or
        // failed and was re-armed instead.
        if !inbox::wants_row(tx, m, account, &r.external_id, now)? {
            continue;
        }
        let raw = serde_json::json!({"source": "order list", "order_id": r.external_id, "status": r.status, "marker": r.marker});
        entries.push(order_row(event_type, &r.external_id, &timestamp, raw));
    }
    Ok(entries)
}

/// Markers are `<date_status_changed>|<status>` (BrickLink) or `status-<id>` (BrickOwl). BrickLink's
/// list does not document `date_status_changed`; when it is absent only the status is compared,
/// otherwise every open order would be re-fetched at every reconciliation.
fn changed(stored: &str, listed: &str) -> bool {
    match (stored.split_once('|'), listed.split_once('|')) {
        (Some((_, s_status)), Some(("", l_status))) => !s_status.eq_ignore_ascii_case(l_status),
        _ => stored != listed,
    }
}

/// Whether a full reconciliation is due (forced at start-up, then every 30 minutes). Only
/// [`reconcile`] moves the schedule, once its results are stored.
async fn reconcile_due(gw: &Gateway, m: Provider, force: bool) -> Result<bool> {
    if force {
        return Ok(true);
    }
    let (account, now) = (gw.account.clone(), format_ts(gw.clock.now()));
    gw.store
        .read(move |c| {
            let next: Option<Option<String>> = c
                .query_row(
                    "SELECT next_poll_at FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = 'reconcile'",
                    params![m.as_str(), account],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(next.flatten().map(|n| n <= now).unwrap_or(true))
        })
        .await
}

async fn read_cursor(gw: &Gateway, m: Provider, stream: &'static str) -> Result<Option<i64>> {
    let account = gw.account.clone();
    gw.store
        .read(move |c| {
            let v: Option<Option<String>> = c
                .query_row(
                    "SELECT cursor FROM poll_cursors WHERE marketplace = ?1 AND account = ?2 AND stream = ?3",
                    params![m.as_str(), account, stream],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(v.flatten().and_then(|s| s.parse().ok()))
        })
        .await
}

fn write_cursor(tx: &Transaction<'_>, m: Provider, account: &str, stream: &str, value: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO poll_cursors (marketplace, account, stream, cursor) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (marketplace, account, stream) DO UPDATE SET cursor = max(CAST(COALESCE(cursor, '0') AS INTEGER), CAST(excluded.cursor AS INTEGER))",
        params![m.as_str(), account, stream, value.to_string()],
    )?;
    Ok(())
}

/// The status bar's facts: when the last cycle ran, whether it failed.
pub(crate) async fn record_poll(gw: &Gateway, m: Provider, at: DateTime<Utc>, error: Option<String>) -> Result<()> {
    let account = gw.account.clone();
    gw.store
        .write(move |tx| {
            tx.execute(
                "INSERT INTO poll_cursors (marketplace, account, stream, last_poll_at, last_ok_at, last_error) VALUES (?1, ?2, 'poll', ?3, CASE WHEN ?4 IS NULL THEN ?3 END, ?4)
                 ON CONFLICT (marketplace, account, stream) DO UPDATE SET last_poll_at = excluded.last_poll_at,
                     last_ok_at = COALESCE(excluded.last_ok_at, last_ok_at), last_error = excluded.last_error",
                params![m.as_str(), account, format_ts(at), error],
            )?;
            Ok(())
        })
        .await
}

/// Carries a seller's history over to the account their current credentials name, when that
/// account has none yet and exactly one other account of the marketplace has: databases written
/// before accounts were named (everything under "bricklink" / "brickowl"), or a key the seller
/// regenerated. Without it, every open order would come back as a new order under the new
/// account and reserve its stock a second time. Orders, dedupe keys, cursors, budget and the OAuth
/// clock move in the cycle's first transaction; afterwards this finds the account in use and does
/// nothing. (BrickDesk follows one account per marketplace: a seller who switches to another
/// store keeps the old store's history under the new account.)
pub(crate) fn adopt_previous_account(tx: &Transaction<'_>, m: Provider, account: &str) -> Result<()> {
    let in_use: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM orders WHERE marketplace = ?1 AND account = ?2)
                 OR EXISTS (SELECT 1 FROM inbox WHERE marketplace = ?1 AND account = ?2)",
        )?
        .query_row(params![m.as_str(), account], |r| r.get(0))?;
    if in_use {
        return Ok(());
    }
    let previous: Vec<String> = {
        let mut st = tx.prepare_cached(
            "SELECT account FROM orders WHERE marketplace = ?1 AND account != ?2
             UNION SELECT account FROM inbox WHERE marketplace = ?1 AND account != ?2",
        )?;
        let rows = st.query_map(params![m.as_str(), account], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    // Another environment's account is never taken over: Allegro's sandbox (`allegro-sandbox-…`)
    // and the real Allegro (`allegro-…`) are different marketplaces with their own orders and
    // journals; carried over, a real account would read on from a sandbox cursor.
    let environment = |a: &str| a.rsplit_once('-').map_or(a.to_string(), |(env, _)| env.to_string());
    let previous: Vec<String> = previous.into_iter().filter(|p| environment(p) == environment(account)).collect();
    let [previous] = previous.as_slice() else {
        if previous.len() > 1 {
            tracing::warn!(marketplace = m.as_str(), account, others = previous.len(), "several earlier accounts: none adopted");
        }
        return Ok(());
    };
    for sql in [
        "UPDATE orders SET account = ?2 WHERE marketplace = ?3 AND account = ?1",
        "UPDATE inbox SET account = ?2, dedupe_key = ?2 || substr(dedupe_key, length(?1) + 1) WHERE marketplace = ?3 AND account = ?1",
        "UPDATE OR REPLACE poll_cursors SET account = ?2 WHERE marketplace = ?3 AND account = ?1",
        "UPDATE api_calls SET account = ?2 WHERE marketplace = ?3 AND account = ?1",
    ] {
        tx.prepare_cached(sql)?.execute(params![previous, account, m.as_str()])?;
    }
    // The OAuth clock only ever moves forward: keep the later of the two counters.
    tx.prepare_cached(
        "INSERT INTO oauth_clock (account, last_timestamp) SELECT ?2, last_timestamp FROM oauth_clock WHERE account = ?1
         ON CONFLICT (account) DO UPDATE SET last_timestamp = max(last_timestamp, excluded.last_timestamp)",
    )?
    .execute(params![previous, account])?;
    tx.prepare_cached("DELETE FROM oauth_clock WHERE account = ?1")?.execute([previous])?;
    tracing::info!(marketplace = m.as_str(), from = %previous, to = account, "history carried over to the current account");
    Ok(())
}

/// Sets when the scheduler will poll next (shown in the status bar).
pub async fn record_next_poll(store: &crate::store::Store, m: Provider, account: &str, at: DateTime<Utc>) -> Result<()> {
    let account = account.to_string();
    store
        .write(move |tx| {
            tx.execute(
                "INSERT INTO poll_cursors (marketplace, account, stream, next_poll_at) VALUES (?1, ?2, 'poll', ?3)
                 ON CONFLICT (marketplace, account, stream) DO UPDATE SET next_poll_at = excluded.next_poll_at",
                params![m.as_str(), account, format_ts(at)],
            )?;
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::{adopt_previous_account, changed};
    use brickdesk_ipc::Provider;

    #[tokio::test]
    async fn rows_of_the_old_marketplace_wide_account_move_to_the_sellers_account() {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::store::Store::open(&dir.path().join("db.sqlite3")).unwrap();
        s.write(|tx| {
            tx.execute_batch(
                "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, received_at, updated_at)
                     VALUES ('bricklink:Order:1:2026-11-01T00:00:00.000Z', 'bricklink', 'bricklink', 'Order', 'order', '1', 't', '{}', 't', 't');
                 INSERT INTO poll_cursors (marketplace, account, stream, cursor) VALUES ('bricklink', 'bricklink', 'reconcile', NULL);
                 INSERT INTO oauth_clock VALUES ('bricklink', 1700000000);
                 INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, received_at, updated_at)
                     VALUES ('brickowl:Order:9:t', 'brickowl', 'brickowl', 'Order', 'order', '9', 't', '{}', 't', 't');",
            )?;
            adopt_previous_account(tx, Provider::Bricklink, "bricklink-0123456789ab")?;
            adopt_previous_account(tx, Provider::Bricklink, "bricklink-0123456789ab")?;
            Ok(())
        })
        .await
        .unwrap();
        let keys: Vec<String> = s
            .read(|c| {
                let mut st = c.prepare("SELECT dedupe_key || ' ' || account FROM inbox ORDER BY id")?;
                let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
                Ok(v)
            })
            .await
            .unwrap();
        assert_eq!(keys, ["bricklink-0123456789ab:Order:1:2026-11-01T00:00:00.000Z bricklink-0123456789ab", "brickowl:Order:9:t brickowl"]);
        let clock: String = s.read(|c| Ok(c.query_row("SELECT account FROM oauth_clock", [], |r| r.get(0))?)).await.unwrap();
        assert_eq!(clock, "bricklink-0123456789ab", "timestamps keep increasing across the move");

        // The seller regenerates the key: the history follows to the new account, once.
        s.write(|tx| {
            adopt_previous_account(tx, Provider::Bricklink, "bricklink-ffffffffffff")?;
            Ok(())
        })
        .await
        .unwrap();
        let accounts: Vec<String> = s
            .read(|c| {
                let mut st = c.prepare("SELECT DISTINCT account FROM inbox ORDER BY account")?;
                let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
                Ok(v)
            })
            .await
            .unwrap();
        assert_eq!(accounts, ["bricklink-ffffffffffff", "brickowl"]);
        // Once in use, an account never takes another's rows.
        s.write(|tx| {
            tx.execute_batch(
                "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, received_at, updated_at)
                     VALUES ('bricklink-aaaaaaaaaaaa:Order:5:t', 'bricklink', 'bricklink-aaaaaaaaaaaa', 'Order', 'order', '5', 't', '{}', 't', 't');",
            )?;
            adopt_previous_account(tx, Provider::Bricklink, "bricklink-ffffffffffff")?;
            adopt_previous_account(tx, Provider::Bricklink, "bricklink-aaaaaaaaaaaa")?;
            Ok(())
        })
        .await
        .unwrap();
        let n: i64 = s
            .read(|c| Ok(c.query_row("SELECT count(*) FROM inbox WHERE account = 'bricklink-ffffffffffff'", [], |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn markers_compare_what_the_list_has() {
        assert!(!changed("2026-11-01T10:00:00.000Z|PAID", "|PAID"));
        assert!(changed("2026-11-01T10:00:00.000Z|PAID", "|SHIPPED"));
        assert!(!changed("2026-11-01T10:00:00.000Z|PAID", "2026-11-01T10:00:00.000Z|PAID"));
        assert!(changed("2026-11-01T10:00:00.000Z|PAID", "2026-11-02T10:00:00.000Z|PAID"));
        assert!(changed("status-2", "status-3"));
        assert!(!changed("status-3", "status-3"));
    }
}
