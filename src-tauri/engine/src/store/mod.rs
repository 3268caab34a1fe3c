//! The one SQLite file. WAL, foreign keys, a busy timeout, and embedded append-only migrations.
//!
//! One *writer* connection and a small pool of *read* connections. WAL lets readers see the last
//! committed state while the writer works, so the window's reads never queue behind a poll's
//! writes. A transaction can never span an `.await`: [`Store::write`] takes a synchronous closure
//! and runs it on a blocking thread inside one `IMMEDIATE` transaction; [`Store::read`] runs its
//! closure inside one read transaction, so every query in it sees the same snapshot. Network calls
//! happen between two writes (claim a row, call out, record the outcome).
//!
//! A closure that panics rolls its transaction back and reports [`Error::Task`]; the store keeps
//! working (locks are not poisoned, a reader that panicked is simply not returned to the pool).
//!
//! `queue.rs` is the one queue every worker uses (claim, lease, backoff, give up). The
//! migrations' Rust steps are handed in as a [`Schema`] (`engine/schema.rs`).
//!
//! May import: the kernel (`error.rs`, `config.rs`, `events.rs`) and `base/`; never a domain folder.

pub mod queue;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use tokio::sync::{Notify, Semaphore};

use crate::error::{Error, Result};

/// Applied in order; `PRAGMA user_version` counts how many are in. Never edit a shipped entry.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    ("0002_ledger_lifecycle", include_str!("migrations/0002_ledger_lifecycle.sql")),
    ("0003_line_wanted_location", include_str!("migrations/0003_line_wanted_location.sql")),
    ("0004_queue_and_order_columns", include_str!("migrations/0004_queue_and_order_columns.sql")),
    ("0005_catalog_cache", include_str!("migrations/0005_catalog_cache.sql")),
    ("0006_inventory_sync", include_str!("migrations/0006_inventory_sync.sql")),
    ("0007_brickowl_ids", include_str!("migrations/0007_brickowl_ids.sql")),
    ("0008_views_at_scale", include_str!("migrations/0008_views_at_scale.sql")),
    ("0009_allegro", include_str!("migrations/0009_allegro.sql")),
    ("0010_allegro_offers", include_str!("migrations/0010_allegro_offers.sql")),
    ("0011_allegro_offer_signatures", include_str!("migrations/0011_allegro_offer_signatures.sql")),
    ("0012_outbox_nudges", include_str!("migrations/0012_outbox_nudges.sql")),
    ("0013_sync_counted_sales", include_str!("migrations/0013_sync_counted_sales.sql")),
    ("0014_sync_check", include_str!("migrations/0014_sync_check.sql")),
    ("0015_fulfilment", include_str!("migrations/0015_fulfilment.sql")),
    ("0016_file_imports", include_str!("migrations/0016_file_imports.sql")),
    ("0017_import_open_orders", include_str!("migrations/0017_import_open_orders.sql")),
];

/// A Rust step of a migration: data only code can derive, in the migration's transaction.
pub type Step = fn(&Transaction<'_>) -> Result<()>;

/// The Rust steps the SQL [`MIGRATIONS`] need. They are the domain's code (an order's phase, an
/// offer's signature), so the store is handed them rather than naming them: the one list is
/// `engine/schema.rs`'s `SCHEMA`, and `Store::open` (defined there) always passes it.
pub struct Schema {
    /// Run right after a migration's SQL, in its transaction. Indexed by migration version.
    pub fixups: &'static [(usize, Step)],
    /// Asked for by a migration writing `migration.step.<name>` into `settings`, run once every
    /// migration is applied — on the whole current schema, where a fixup runs today's code on an
    /// older one — each in a transaction that also deletes its request: an upgrade cut off before
    /// a step ran runs it at the next start.
    pub steps: &'static [(&'static str, Step)],
}

/// Read connections kept open; more readers wait for one.
const READERS: usize = 4;

/// How long the store goes unused before it hands back the memory of the last burst of work (see
/// [`Store::release_idle_memory`]).
pub const IDLE: Duration = Duration::from_secs(5);

/// `execute` through the connection's statement cache: for statements run once per order line,
/// where compiling the SQL each time would cost more than running it.
pub(crate) fn exec(c: &Connection, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<usize> {
    c.prepare_cached(sql)?.execute(p)
}

/// `query_row` through the connection's statement cache (see [`exec`]).
pub(crate) fn row<T>(
    c: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    c.prepare_cached(sql)?.query_row(p, f)
}

#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    /// Idle read connections; `permits` bounds how many exist.
    readers: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    path: PathBuf,
    /// When a read or write last ended, in milliseconds since `opened`.
    last_used_ms: AtomicU64,
    /// [`IDLE`] (milliseconds; a test shortens it).
    idle_ms: AtomicU64,
    opened: Instant,
    /// Told at the end of every read and write; the task that releases memory once the store is
    /// idle waits on it (started with the first use, on the runtime of that use).
    used: Arc<Notify>,
    releasing: AtomicBool,
}

impl Inner {
    fn idle_for(&self) -> Duration {
        let now = self.opened.elapsed().as_millis() as u64;
        Duration::from_millis(now.saturating_sub(self.last_used_ms.load(Ordering::Relaxed)))
    }

    /// Closes the idle read connections but one, empties the page cache of that one and of the
    /// writer, and hands what the allocator keeps of freed memory back to the system. Blocking.
    fn release_memory(&self) -> Result<()> {
        let idle: Vec<Connection> = {
            let mut readers = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
            let keep = readers.len().min(1);
            readers.drain(keep..).collect()
        };
        drop(idle);
        if let Some(reader) = self.readers.lock().unwrap_or_else(PoisonError::into_inner).first() {
            reader.execute_batch("PRAGMA shrink_memory")?;
        }
        self.writer.lock().unwrap_or_else(PoisonError::into_inner).execute_batch("PRAGMA shrink_memory")?;
        release_freed_memory();
        Ok(())
    }
}

impl Drop for Inner {
    /// Wakes the idle release, which then finds the store gone and ends.
    fn drop(&mut self) {
        self.used.notify_one();
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish()
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
    // Room for every statement the order path caches (see `exec`), with space to spare.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date with
    /// `schema`'s steps. Crate-private: everyone opens through `Store::open`, which passes the
    /// one schema, so no migration ever runs without its steps.
    pub(crate) fn open_with(path: &Path, schema: &Schema) -> Result<Store> {
        let mut conn = Connection::open(path)?;
        // Before anything writes to it (even switching it to WAL): a newer BrickDesk's file is
        // refused untouched.
        refuse_newer_schema(&conn, path)?;
        // journal_mode returns a row, so it is read rather than executed.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "SQLite refused WAL mode; continuing");
        }
        configure(&conn)?;
        // The writer's page cache: 32 MiB at most (SQLite's default is 2 MiB), filled only as pages
        // are used. A 100,000-lot import touches the lots, ledger and sync state with their indexes;
        // with 2 MiB it re-read pages all along (import local work 6.0 s → 4.4 s, measured).
        conn.execute_batch("PRAGMA cache_size = -32000")?;
        migrate(&mut conn, path, schema)?;
        Ok(Store {
            inner: Arc::new(Inner {
                writer: Mutex::new(conn),
                readers: Mutex::new(Vec::new()),
                permits: Arc::new(Semaphore::new(READERS)),
                path: path.to_path_buf(),
                last_used_ms: AtomicU64::new(0),
                idle_ms: AtomicU64::new(IDLE.as_millis() as u64),
                opened: Instant::now(),
                used: Arc::new(Notify::new()),
                releasing: AtomicBool::new(false),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Refreshes SQLite's statistics where they went stale (`PRAGMA optimize = mask`; SQLite
    /// samples large tables), then hands the memory of the burst back to the system at once
    /// ([`Store::release_idle_memory`]): the writer's page cache (32 MiB at most, filled by an
    /// import or a first analysis of a big store) and what the allocator keeps of freed memory.
    /// Without it the window's process kept a 24–26 MiB heap arena of freed memory for as long as
    /// it ran (100,000 lots, measured).
    pub async fn refresh_statistics(&self, mask: u32) -> Result<()> {
        self.write(move |tx| Ok(tx.execute_batch(&format!("PRAGMA optimize = {mask:#x}"))?)).await?;
        self.release_idle_memory().await
    }

    /// Hands back the memory of a burst of work now: the idle read connections but one are closed
    /// (the next burst opens them again), the page caches of that one and of the writer emptied
    /// (SQLite's pages are read again from the system's file cache when next needed), and glibc's
    /// free pages returned. Runs by itself once the store has been unused for [`IDLE`]: the window
    /// fills every reader's cache (2 MiB each) paging through 100,000 lots and the heaps of the
    /// threads that served it, and kept them for as long as it ran.
    pub async fn release_idle_memory(&self) -> Result<()> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || inner.release_memory()).await.map_err(task_error)?
    }

    /// A read or write ended: the idle release is due [`IDLE`] after the last one.
    fn used(&self) {
        let inner = &self.inner;
        inner.last_used_ms.store(inner.opened.elapsed().as_millis() as u64, Ordering::Relaxed);
        if !inner.releasing.swap(true, Ordering::AcqRel) {
            tokio::spawn(release_when_idle(Arc::downgrade(inner), Arc::clone(&inner.used)));
        }
        inner.used.notify_one();
    }

    /// Runs `f` in one IMMEDIATE transaction on a blocking thread; commits if it returns `Ok`.
    pub async fn write<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<R> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let out = tokio::task::spawn_blocking(move || {
            // A panic inside an earlier closure rolled its transaction back while unwinding: the
            // connection is sound, so the poison flag is ignored.
            let mut guard = inner.writer.lock().unwrap_or_else(PoisonError::into_inner);
            let tx = guard.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(task_error)?;
        self.used();
        out
    }

    /// Runs `f` on a read connection inside one read transaction (one consistent snapshot for all
    /// its queries), never waiting for the writer.
    pub async fn read<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R> + Send + 'static,
    {
        let permit = Arc::clone(&self.inner.permits).acquire_owned().await.map_err(|e| Error::Task(e.to_string()))?;
        let inner = Arc::clone(&self.inner);
        let out = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let idle = inner.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let mut conn = match idle {
                Some(c) => c,
                None => {
                    let c = Connection::open(&inner.path)?;
                    configure(&c)?;
                    c.execute_batch("PRAGMA query_only = ON")?;
                    c
                }
            };
            let out = {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let out = f(&tx);
                // Ending a read-only transaction: nothing to keep either way.
                tx.rollback()?;
                out
            };
            inner.readers.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
            out
        })
        .await
        .map_err(task_error)?;
        self.used();
        out
    }
}

/// The store's idle release: after each burst of reads and writes, once none came for [`IDLE`],
/// [`Inner::release_memory`]. Holds no reference to the store while it waits, and ends when the
/// store is dropped or its runtime stops.
async fn release_when_idle(store: Weak<Inner>, used: Arc<Notify>) {
    loop {
        used.notified().await;
        loop {
            let Some(inner) = store.upgrade() else { return };
            let (idle, wanted) = (inner.idle_for(), Duration::from_millis(inner.idle_ms.load(Ordering::Relaxed)));
            drop(inner);
            if idle >= wanted {
                break;
            }
            tokio::time::sleep(wanted - idle).await;
        }
        let Some(inner) = store.upgrade() else { return };
        let released = tokio::task::spawn_blocking(move || inner.release_memory()).await;
        match released {
            Ok(Ok(())) => tracing::debug!("the store was idle: released its caches"),
            Ok(Err(e)) => tracing::warn!(error = %e, "cannot release the store's idle memory"),
            Err(e) => tracing::warn!(error = %e, "the store's idle release died"),
        }
        // Whatever came in while it ran has left a permit: the next wait starts from that use.
    }
}

fn task_error(e: tokio::task::JoinError) -> Error {
    if e.is_panic() {
        tracing::error!(error = %e, "a database task panicked; its transaction was rolled back");
    }
    Error::Task(e.to_string())
}

/// The schema version the database at `path` is at, or [`Error::SchemaTooNew`] when a newer
/// BrickDesk wrote it.
fn refuse_newer_schema(conn: &Connection, path: &Path) -> Result<i64> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > MIGRATIONS.len() as i64 {
        return Err(Error::SchemaTooNew { path: path.display().to_string(), found: current, known: MIGRATIONS.len() });
    }
    Ok(current)
}

fn migrate(conn: &mut Connection, path: &Path, schema: &Schema) -> Result<()> {
    let current = refuse_newer_schema(conn, path)?;
    // An existing database about to change gets a copy first: an upgrade that goes wrong, or a
    // BrickDesk the seller goes back to, still has the data as it was.
    if current > 0 && current < MIGRATIONS.len() as i64 {
        backup_before_migration(conn, path, current)?;
    }
    // Table rebuilds (SQLite's documented procedure) need foreign keys off while they run; the
    // check before each commit proves the rebuilt schema still holds together.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = apply_migrations(conn, current, schema);
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    result?;
    run_steps(conn, schema)
}

/// The [`Schema::steps`] a migration asked for: a first look without a write lock (every start asks),
/// then each one asked for in its own transaction, asked again inside the lock (another process
/// may have run it meanwhile).
fn run_steps(conn: &mut Connection, schema: &Schema) -> Result<()> {
    let asked = |c: &Connection, name: &str| -> rusqlite::Result<bool> {
        c.query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key = 'migration.step.' || ?1)", [name], |r| r.get(0))
    };
    for (name, step) in schema.steps {
        if !asked(conn, name)? {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if asked(&tx, name)? {
            step(&tx)?;
            tx.execute("DELETE FROM settings WHERE key = 'migration.step.' || ?1", [name])?;
            tx.commit()?;
            tracing::info!(step = name, "ran a migration's step");
        }
    }
    Ok(())
}

/// Copies kept in `<data dir>/backups/`; older ones are deleted after a new one is made.
pub const BACKUPS_KEPT: usize = 3;

/// Where the copies of the database at `path` go: `backups/` next to it (the data dir, or
/// `<data dir>/demo/` for the demo store).
pub fn backup_dir(path: &Path) -> PathBuf {
    path.parent().unwrap_or_else(|| Path::new(".")).join("backups")
}

/// Writes a consistent copy of the database (WAL contents included) to
/// `backups/brickdesk-v<schema version>-<UTC timestamp>.sqlite3` with `VACUUM INTO`, then keeps
/// only the newest [`BACKUPS_KEPT`]. A copy that cannot be made stops the upgrade: the database
/// is not touched.
fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let dir = backup_dir(path);
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let target = dir.join(format!("brickdesk-v{version}-{stamp}.sqlite3"));
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| Error::Backup { path: target.display().to_string(), source };
    std::fs::create_dir_all(&dir).map_err(|e| failed(e.into()))?;
    let Some(target_str) = target.to_str() else {
        return Err(failed("the backup folder's path is not valid UTF-8".into()));
    };
    conn.execute("VACUUM INTO ?1", [target_str]).map_err(|e| failed(e.into()))?;
    tracing::info!(backup = %target.display(), from_version = version, to_version = MIGRATIONS.len(), "backed up the database before migrating it");
    // The copy is made; failing to delete an old one is worth a warning, not a refused start.
    if let Err(e) = prune_backups(&dir, BACKUPS_KEPT) {
        tracing::warn!(error = %e, dir = %dir.display(), "cannot delete old database backups");
    }
    Ok(target)
}

/// Deletes all but the newest `keep` backups (by the timestamp in their names) in `dir`.
fn prune_backups(dir: &Path, keep: usize) -> std::io::Result<()> {
    let mut backups: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_prefix("brickdesk-v").and_then(|n| n.strip_suffix(".sqlite3")) else {
            continue;
        };
        // `<version>-<timestamp>`: order by the timestamp, whatever the version.
        let Some((_, stamp)) = stem.split_once('-') else {
            continue;
        };
        backups.push((stamp.to_owned(), entry.path()));
    }
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    for (_, old) in backups.into_iter().take(excess) {
        std::fs::remove_file(&old)?;
    }
    Ok(())
}

fn apply_migrations(conn: &mut Connection, current: i64, schema: &Schema) -> Result<()> {
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let version = index + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-check inside the lock: another process may have migrated meanwhile.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version as i64 {
            continue;
        }
        tx.execute_batch(sql).map_err(|source| Error::Migration { version, name, source })?;
        for (_, fixup) in schema.fixups.iter().filter(|(v, _)| *v == version) {
            fixup(&tx)?;
        }
        let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if broken > 0 {
            return Err(Error::Migration {
                version,
                name,
                source: rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                    Some(format!("{broken} rows would break foreign keys")),
                ),
            });
        }
        tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
        tx.commit()?;
        tracing::info!(version, name, "applied database migration");
    }
    Ok(())
}

/// Returns the allocator's free pages to the system (glibc keeps freed memory in its per-thread
/// arenas; nothing else is touched). Elsewhere a no-op.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers and is
    // thread-safe (it locks each arena).
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A marketplace name read back from the store (only BrickDesk writes them).
pub(crate) fn stored_provider(market: &str) -> rusqlite::Result<brickdesk_ipc::Provider> {
    brickdesk_ipc::Provider::parse(market).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown marketplace {market:?} in the database").into(),
        )
    })
}

#[cfg(test)]
mod tests;
