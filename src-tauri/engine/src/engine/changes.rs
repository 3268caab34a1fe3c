//! Commits made by *other* connections reach the window: the CLI (`inventory add`, `poll`, …) or
//! the `run` daemon next to it, and this process's own writer.
//!
//! One dedicated connection (never creates the file, `query_only`) asks SQLite every second for
//! `PRAGMA data_version`, which changes on a connection exactly when another connection committed
//! to the file (any process). Only then does it read a handful of one-row aggregates — the
//! fingerprints in [`PROBES`] — in one read transaction, compares them with the last ones, and
//! emits the events of the topics whose fingerprints moved. Views refetch on those events; a
//! spurious event only costs a refetch, a missed one leaves a view stale, so every probe errs
//! towards emitting.
//!
//! The SQLite work runs on a blocking thread (one `spawn_blocking` per check, the connection moved
//! in and out); the async loop only waits for the next tick or for `stopped`, so it ends promptly
//! even mid-check. Errors (busy, file gone, schema missing) are logged and the next tick tries
//! again; a reading that failed leaves the last fingerprint in place, so the next successful one
//! still reports what changed in between.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::{broadcast, watch as signal};
use tokio::time::MissedTickBehavior;

use crate::events::EngineEvent;

/// How often `PRAGMA data_version` is read: a commit elsewhere shows in the window within this
/// (plus a refetch).
pub const INTERVAL: Duration = Duration::from_secs(1);

/// A reader in WAL waits only in rare cases (recovery, a restarting checkpoint); never long, so a
/// check never holds up stopping for long either.
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// Topics, as bits: each maps to one event.
const ORDERS: u8 = 1;
const INVENTORY: u8 = 2;
const STATUS: u8 = 4;
const CATALOG: u8 = 8;
const ALLEGRO_OFFERS: u8 = 16;
const ALL: u8 = ORDERS | INVENTORY | STATUS | CATALOG | ALLEGRO_OFFERS;

/// The fingerprints: each query returns exactly one row of aggregates; when any value in it differs
/// from the last reading, the topics it names changed. Timestamps are RFC 3339 text (text order is
/// time order), so `max(updated_at)` moves with every write that stamps the row; counts and sums
/// catch the writes that don't (`is_new`, `pick_status`, sync status, …). Only the ledger is read
/// by its (auto-increment) key, so its cost does not grow with its length.
const PROBES: &[(u8, &str)] = &[
    // Orders: new or re-fetched orders, phase, read / unread (the status bar's unread count).
    (
        ORDERS | STATUS,
        "SELECT count(*), max(id), max(updated_at), total(is_new), sum(phase = 'open'), sum(phase = 'cancelled') FROM orders",
    ),
    // Order lines: quantities, matched lots and bins, picked / missing (also lines without a lot,
    // which get no ledger entry).
    (
        ORDERS,
        "SELECT count(*), max(id), total(quantity), count(inventory_id), total(inventory_id), total(length(location)),
                sum(pick_status = 'picked'), sum(pick_status = 'missing')
         FROM order_items",
    ),
    // The newest ledger entry of an order line (reserve, adjust, release, ship, pick): the lines'
    // holds. Read backwards by key from the end, so it stops at the first line entry.
    (ORDERS, "SELECT (SELECT seq FROM ledger NOT INDEXED WHERE order_item_id IS NOT NULL ORDER BY seq DESC LIMIT 1)"),
    // Every stock or reservation move is a ledger entry.
    (INVENTORY, "SELECT max(seq) FROM ledger"),
    // Lots: added, edited, deleted, moved.
    (INVENTORY, "SELECT count(*), max(id), max(updated_at), total(quantity), total(reserved), count(deleted_at) FROM inventory"),
    // Each lot's marketplace copies (the inventory view shows their status).
    (
        INVENTORY,
        "SELECT count(*), max(updated_at), total(synced_seq), sum(status = 'pending'), sum(status = 'failed'),
                count(remote_id), count(last_error)
         FROM sync_state",
    ),
    (INVENTORY, "SELECT count(*), max(id), max(updated_at), total(attempts), sum(status = 'done') FROM outbox"),
    // Notifications: arrived, processed, failed, retried (status bar and notifications panel).
    (STATUS, "SELECT count(*), max(id), max(updated_at), sum(status = 'pending'), sum(status = 'failed'), total(permanent) FROM inbox"),
    // Poll times, schedule and errors: a few rows, compared whole.
    (
        STATUS,
        "SELECT count(*), group_concat(quote(marketplace) || quote(account) || quote(stream) || quote(cursor) || quote(last_poll_at)
                                       || quote(last_ok_at) || quote(next_poll_at) || quote(last_error), ',')
         FROM poll_cursors",
    ),
    // The daily budget: one row per call made (pruned as the window rolls).
    (STATUS, "SELECT count(*), max(id) FROM api_calls"),
    // Settings can mean anything: a few rows, compared whole.
    (ALL, "SELECT count(*), group_concat(quote(key) || '=' || quote(value), ',') FROM settings"),
    // The catalog cache, its refresh queue and the recent look-ups.
    (CATALOG, "SELECT count(*), max(fetched_at) FROM catalog_items"),
    (CATALOG, "SELECT count(*), max(fetched_at) FROM price_guides"),
    (CATALOG, "SELECT count(*), max(fetched_at) FROM catalog_item_color_lists"),
    (CATALOG, "SELECT count(*), max(fetched_at) FROM catalog_item_colors"),
    (CATALOG, "SELECT count(*), max(fetched_at) FROM catalog_colors"),
    (
        CATALOG,
        "SELECT count(*), max(id), max(updated_at), total(priority), sum(status = 'pending'), sum(status = 'processing'),
                sum(status = 'failed')
         FROM catalog_refresh",
    ),
    (CATALOG, "SELECT count(*), max(looked_up_at) FROM catalog_lookups"),
    // Allegro offers (fetched, listed) and the seller's links to lots; a lot's label or deletion
    // shows in the offers list too.
    (
        ALLEGRO_OFFERS,
        "SELECT count(*), max(updated_at), total(stock_available), total(price_e4), sum(status = 'ACTIVE'), sum(status = 'ENDED'), sum(status = 'ARCHIVED'),
                (SELECT count(*) || ':' || max(linked_at) || ':' || total(inventory_id) FROM allegro_offer_links)
         FROM allegro_offers",
    ),
    (ALLEGRO_OFFERS, "SELECT count(*), max(updated_at), count(deleted_at) FROM inventory"),
];

/// One reading of every probe, in [`PROBES`] order.
type Fingerprint = Vec<Vec<Value>>;

/// Watches the database file for commits made by other connections (other processes, and this
/// process's own writer) and emits the engine events that make views refetch.
///
/// Runs until `stopped` turns `true` or its sender is dropped. Never fails: errors are logged and
/// retried on the next tick.
pub async fn watch(path: PathBuf, events: broadcast::Sender<EngineEvent>, stopped: signal::Receiver<bool>) {
    watch_every(path, events, stopped, INTERVAL).await
}

/// [`watch`] with its interval as a parameter (tests use a short one).
pub(crate) async fn watch_every(
    path: PathBuf,
    events: broadcast::Sender<EngineEvent>,
    mut stopped: signal::Receiver<bool>,
    every: Duration,
) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // Moved into each blocking check and back out; `None` only if a check died (a bug), and then a
    // fresh one starts over (its first reading emits everything: what changed meanwhile is unknown).
    let mut watcher = Some(Watcher::new(path.clone()));
    loop {
        if *stopped.borrow_and_update() {
            break;
        }
        tokio::select! {
            biased;
            changed = stopped.changed() => {
                if changed.is_err() {
                    break;
                }
                continue;
            }
            _ = ticks.tick() => {}
        }
        let mut current = watcher.take().unwrap_or_else(|| Watcher::after_loss(path.clone()));
        let check = tokio::task::spawn_blocking(move || {
            let topics = current.check();
            (current, topics)
        });
        let outcome = tokio::select! {
            biased;
            // Stopping mid-check: the blocking check finishes on its own and closes its connection.
            _ = stopped_or_gone(&mut stopped) => break,
            outcome = check => outcome,
        };
        match outcome {
            Ok((current, topics)) => {
                watcher = Some(current);
                emit(&events, topics);
            }
            Err(e) => tracing::warn!(error = %e, "the database change check died; starting over"),
        }
    }
    tracing::debug!(path = %path.display(), "stopped watching the database for changes");
}

/// Resolves when `stopped` turns `true` or its sender is dropped.
async fn stopped_or_gone(stopped: &mut signal::Receiver<bool>) {
    // `wait_for` checks the current value first, then every change; an error means the sender is gone.
    let _ = stopped.wait_for(|stop| *stop).await;
}

fn emit(events: &broadcast::Sender<EngineEvent>, topics: u8) {
    for (bit, event) in [
        (ORDERS, EngineEvent::OrdersChanged),
        (INVENTORY, EngineEvent::InventoryChanged),
        (STATUS, EngineEvent::StatusChanged),
        (CATALOG, EngineEvent::CatalogChanged),
        (ALLEGRO_OFFERS, EngineEvent::AllegroOffersChanged),
    ] {
        if topics & bit != 0 {
            tracing::debug!(event = event.name(), "the database changed");
            // No receiver right now is not an error: nobody is looking.
            let _ = events.send(event);
        }
    }
}

/// The watching connection and what it saw last. Lives on blocking threads only.
struct Watcher {
    path: PathBuf,
    conn: Option<Connection>,
    /// `PRAGMA data_version` on `conn` when `last` was read; `None` after (re)opening, so the next
    /// check reads the fingerprints whatever the version says.
    version: Option<i64>,
    last: Option<Fingerprint>,
    /// The first reading failed, so there is no baseline: the views may have loaded data older than
    /// the first fingerprint, and everything is reported once when it arrives.
    doubt: bool,
    /// The error last logged, so a lasting problem is logged once, not every second.
    failing: Option<String>,
}

impl Watcher {
    fn new(path: PathBuf) -> Watcher {
        Watcher { path, conn: None, version: None, last: None, doubt: false, failing: None }
    }

    fn after_loss(path: PathBuf) -> Watcher {
        Watcher { doubt: true, ..Watcher::new(path) }
    }

    /// One tick: the topics that changed since the last successful reading (none the first time).
    fn check(&mut self) -> u8 {
        match self.try_check() {
            Ok(topics) => {
                if self.failing.take().is_some() {
                    tracing::info!(path = %self.path.display(), "watching the database for changes again");
                }
                topics
            }
            Err(e) => {
                let message = e.to_string();
                if self.failing.as_deref() != Some(message.as_str()) {
                    tracing::warn!(path = %self.path.display(), error = %message, "could not check the database for changes; retrying");
                } else {
                    tracing::debug!(error = %message, "still cannot check the database for changes");
                }
                self.failing = Some(message);
                // Whatever went wrong, a new connection is the cleanest retry (and sees a file that
                // was replaced). Nothing read is kept: the last fingerprint stays the baseline.
                self.conn = None;
                self.version = None;
                if self.last.is_none() {
                    self.doubt = true;
                }
                0
            }
        }
    }

    fn try_check(&mut self) -> rusqlite::Result<u8> {
        // A deleted file stays readable through an open connection; say so instead of watching it.
        if !self.path.exists() {
            return Err(gone(&self.path));
        }
        let conn = match &mut self.conn {
            Some(conn) => conn,
            slot => slot.insert(open(&self.path)?),
        };
        // Read the version first: a commit landing after it shows in the fingerprints now and
        // changes the version again, so it is looked at twice rather than missed.
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.last.is_some() && self.version == Some(version) {
            return Ok(0);
        }
        let now = read_fingerprint(conn)?;
        // The probes scan whole tables: what they left in the page cache (up to SQLite's 2 MiB)
        // serves no other reading; pages come back from the system's file cache next time.
        conn.execute_batch("PRAGMA shrink_memory")?;
        self.version = Some(version);
        let topics = match &self.last {
            Some(last) => diff(last, &now),
            None if self.doubt => ALL,
            None => 0,
        };
        self.doubt = false;
        self.last = Some(now);
        Ok(topics)
    }
}

fn gone(path: &Path) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
        Some(format!("database file {} is gone", path.display())),
    )
}

/// Opens the watching connection: never creates the file (the store does, with its schema), and
/// never writes.
fn open(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA query_only = ON")?;
    conn.set_prepared_statement_cache_capacity(PROBES.len() + 4);
    Ok(conn)
}

/// Every probe, in one read transaction (one snapshot), ended at once so the connection never holds
/// a snapshot (and a checkpoint) between ticks.
fn read_fingerprint(conn: &mut Connection) -> rusqlite::Result<Fingerprint> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let mut out = Vec::with_capacity(PROBES.len());
    for (_, sql) in PROBES {
        let mut st = tx.prepare_cached(sql)?;
        let n = st.column_count();
        out.push(st.query_row([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>())?);
    }
    tx.rollback()?;
    Ok(out)
}

/// The topics whose probes read differently.
fn diff(last: &Fingerprint, now: &Fingerprint) -> u8 {
    if last.len() != now.len() {
        return ALL;
    }
    PROBES.iter().zip(last.iter().zip(now)).filter(|(_, (a, b))| a != b).fold(0, |topics, ((bits, _), _)| topics | bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    const TICK: Duration = Duration::from_millis(50);
    /// A deadlock guard, not a speed check.
    const GUARD: Duration = Duration::from_secs(10);

    struct Running {
        events: broadcast::Receiver<EngineEvent>,
        stop: signal::Sender<bool>,
        task: tokio::task::JoinHandle<()>,
    }

    fn start(path: &Path) -> Running {
        let (tx, events) = broadcast::channel(64);
        let (stop, stopped) = signal::channel(false);
        let task = tokio::spawn(watch_every(path.to_path_buf(), tx, stopped, TICK));
        Running { events, stop, task }
    }

    /// A second, separate connection, as another process would have.
    fn other_process(path: &Path) -> Connection {
        let c = Connection::open(path).unwrap();
        c.busy_timeout(Duration::from_secs(10)).unwrap();
        c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        c
    }

    /// Waits (up to [`GUARD`]) for `wanted`, passing over other events.
    async fn expect(events: &mut broadcast::Receiver<EngineEvent>, wanted: EngineEvent) -> Vec<EngineEvent> {
        let mut seen = Vec::new();
        let found = tokio::time::timeout(GUARD, async {
            loop {
                match events.recv().await {
                    Ok(e) if e == wanted => return,
                    Ok(e) => seen.push(e),
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => panic!("the watcher ended"),
                }
            }
        })
        .await;
        assert!(found.is_ok(), "no {wanted:?} within {GUARD:?}; saw {seen:?}");
        seen
    }

    /// Lets the watcher take its baseline: a few ticks with nothing committed.
    async fn settle(events: &mut broadcast::Receiver<EngineEvent>) {
        tokio::time::sleep(TICK * 4).await;
        while events.try_recv().is_ok() {}
    }

    async fn stop(r: Running) {
        r.stop.send(true).unwrap();
        tokio::time::timeout(GUARD, r.task).await.expect("the watcher did not stop").unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_lot_added_by_another_process_emits_inventory_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let _store = Store::open(&path).unwrap();
        let mut r = start(&path);
        settle(&mut r.events).await;

        let mut c = other_process(&path);
        let tx = c.transaction().unwrap();
        tx.execute(
            "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
             VALUES ('3001', 'PART', 5, 'N', 'A-1', 10, 1200, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        let lot = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO ledger (inventory_id, kind, quantity_delta, created_at) VALUES (?1, 'create', 10, '2026-01-01T00:00:00.000Z')",
            [lot],
        )
        .unwrap();
        tx.commit().unwrap();

        let others = expect(&mut r.events, EngineEvent::InventoryChanged).await;
        assert!(!others.contains(&EngineEvent::CatalogChanged), "a lot is not catalog data: {others:?}");
        stop(r).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_order_stored_by_another_process_emits_orders_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let _store = Store::open(&path).unwrap();
        let mut r = start(&path);
        settle(&mut r.events).await;

        other_process(&path)
            .execute(
                "INSERT INTO orders (marketplace, account, external_id, status, buyer_name, date_ordered, currency, subtotal_e4,
                                     grand_total_e4, total_count, unique_count, raw, first_seen_at, updated_at)
                 VALUES ('bricklink', 'acct', '1001', 'PENDING', 'buyer', '2026-01-01T00:00:00.000Z', 'USD', 10000, 12000, 3, 1, '{}',
                         '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
                [],
            )
            .unwrap();

        expect(&mut r.events, EngineEvent::OrdersChanged).await;
        stop(r).await;
    }

    /// A line marked picked with no lot writes no ledger entry; the line's fingerprint still moves.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_pick_without_a_ledger_entry_emits_orders_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let _store = Store::open(&path).unwrap();
        let c = other_process(&path);
        c.execute_batch(
            "INSERT INTO orders (id, marketplace, account, external_id, status, buyer_name, date_ordered, currency, subtotal_e4,
                                 grand_total_e4, total_count, unique_count, raw, first_seen_at, updated_at)
             VALUES (1, 'bricklink', 'acct', '1001', 'PENDING', 'buyer', 't', 'USD', 0, 0, 1, 1, '{}', 't', 't');
             INSERT INTO order_items (id, order_id, line_key, item_no, item_type, color_id, condition, quantity, unit_price_e4)
             VALUES (1, 1, 'a', '3001', 'PART', 5, 'N', 1, 100);",
        )
        .unwrap();
        let mut r = start(&path);
        settle(&mut r.events).await;

        c.execute("UPDATE order_items SET pick_status = 'picked' WHERE id = 1", []).unwrap();

        expect(&mut r.events, EngineEvent::OrdersChanged).await;
        stop(r).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_catalog_fetch_emits_catalog_changed_and_a_poll_status_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let _store = Store::open(&path).unwrap();
        let mut r = start(&path);
        settle(&mut r.events).await;
        let c = other_process(&path);

        c.execute(
            "INSERT INTO catalog_items (item_type, item_no, name, payload, fetched_at) VALUES ('PART', '3001', 'Brick 2 x 4', '{}', 't')",
            [],
        )
        .unwrap();
        expect(&mut r.events, EngineEvent::CatalogChanged).await;

        c.execute("INSERT INTO poll_cursors (marketplace, account, stream, last_poll_at) VALUES ('bricklink', 'acct', 'poll', 't')", [])
            .unwrap();
        expect(&mut r.events, EngineEvent::StatusChanged).await;
        stop(r).await;
    }

    /// No commit, no event; and a commit that moves no fingerprint (a table no view shows) is
    /// looked at but stays quiet.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn nothing_committed_emits_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let store = Store::open(&path).unwrap();
        let mut r = start(&path);
        settle(&mut r.events).await;

        // Reads by others (the store's readers, another process) are not commits.
        let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?)).await.unwrap();
        assert_eq!(n, 0);
        other_process(&path).query_row("SELECT count(*) FROM inventory", [], |r| r.get::<_, i64>(0)).unwrap();
        tokio::time::sleep(TICK * 6).await;
        assert_eq!(r.events.try_recv(), Err(broadcast::error::TryRecvError::Empty));

        other_process(&path).execute("INSERT INTO oauth_clock (account, last_timestamp) VALUES ('acct', 1)", []).unwrap();
        tokio::time::sleep(TICK * 6).await;
        assert_eq!(r.events.try_recv(), Err(broadcast::error::TryRecvError::Empty));
        stop(r).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stopping_ends_the_task_and_so_does_dropping_the_sender() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let _store = Store::open(&path).unwrap();

        let r = start(&path);
        tokio::time::sleep(TICK * 4).await;
        stop(r).await;

        let r = start(&path);
        drop(r.stop);
        tokio::time::timeout(GUARD, r.task).await.expect("the watcher outlived its stop sender").unwrap();

        // Already stopped before the first tick: returns at once.
        let (tx, _events) = broadcast::channel(4);
        let (_stop, stopped) = signal::channel(true);
        tokio::time::timeout(GUARD, watch(path.clone(), tx, stopped)).await.expect("the watcher ignored a stop sent before it started");
    }

    /// A missing file is logged and retried, never created; once the store creates it, the first
    /// reading reports everything (what the views loaded before it is unknown).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_missing_file_is_retried_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let mut r = start(&path);
        tokio::time::sleep(TICK * 4).await;
        assert!(!path.exists(), "the watcher created the database file");
        assert!(r.events.try_recv().is_err());

        let _store = Store::open(&path).unwrap();
        expect(&mut r.events, EngineEvent::CatalogChanged).await;
        stop(r).await;
    }

    #[test]
    fn diff_names_only_the_topics_whose_probes_moved() {
        let base: Fingerprint = PROBES.iter().map(|_| vec![Value::Integer(1)]).collect();
        assert_eq!(diff(&base, &base), 0);
        let mut moved = base.clone();
        let ledger = PROBES.iter().position(|(_, sql)| *sql == "SELECT max(seq) FROM ledger").unwrap();
        moved[ledger] = vec![Value::Integer(2)];
        assert_eq!(diff(&base, &moved), INVENTORY);
        assert_eq!(diff(&base, &base[1..].to_vec()), ALL);
    }
}
