//! The store's tests: a fresh file, migrations from every earlier version, fixups and steps,
//! backups, the read pool.

use super::*;

#[test]
fn fresh_database_gets_every_table_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    let store = Store::open(&path).unwrap();
    let conn = store.inner.writer.lock().unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    for table in [
        "settings",
        "inbox",
        "orders",
        "order_items",
        "inventory",
        "ledger",
        "sync_state",
        "outbox",
        "catalog_items",
        "catalog_colors",
        "catalog_item_colors",
        "price_guides",
        "catalog_refresh",
        "poll_cursors",
        "api_calls",
        "oauth_clock",
    ] {
        let n: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "missing table {table}");
    }
}

#[test]
fn reopening_is_idempotent_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        store.inner.writer.lock().unwrap().execute("INSERT INTO settings VALUES ('k', 'v')", []).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let v: String = store.inner.writer.lock().unwrap().query_row("SELECT value FROM settings WHERE key='k'", [], |r| r.get(0)).unwrap();
    assert_eq!(v, "v");
}

#[test]
fn newer_schema_is_refused_not_clobbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    // A newer BrickDesk's file: every known migration, one more, and a row.
    let newer = MIGRATIONS.len() + 1;
    database_at(&path, MIGRATIONS.len());
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "CREATE TABLE future_thing (id INTEGER); INSERT INTO settings VALUES ('k', 'v'); PRAGMA user_version = {newer}"
        ))
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(matches!(e, Error::SchemaTooNew { found, known, .. } if found == newer as i64 && known == MIGRATIONS.len()), "{e}");
    assert!(e.to_string().contains("upgrade BrickDesk"), "the message says what to do: {e}");
    // Not a byte changed (not even the switch to WAL), no backup made, no WAL left behind.
    assert_eq!(std::fs::read(&path).unwrap(), before, "the newer database was modified");
    assert!(!backup_dir(&path).exists(), "a refused database is not backed up");
    assert!(!dir.path().join("db.sqlite3-wal").exists());
}

/// A database at `version`: the first `version` migrations and their fixups, as the BrickDesk
/// that shipped them left it.
fn database_at(path: &Path, version: usize) {
    let mut conn = Connection::open(path).unwrap();
    for (index, (_, sql)) in MIGRATIONS.iter().enumerate().take(version) {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(sql).unwrap();
        for (_, fixup) in crate::engine::schema::SCHEMA.fixups.iter().filter(|(v, _)| *v == index + 1) {
            fixup(&tx).unwrap();
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", index + 1)).unwrap();
        tx.commit().unwrap();
    }
}

fn backups(path: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(backup_dir(path)) else { return Vec::new() };
    let mut v: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// An upgrade: a database written by the previous migration set is opened by this build; its
/// rows are intact and a copy of it as it was is in `backups/`.
#[test]
fn upgrading_from_the_previous_migration_set_keeps_rows_and_backs_up_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    let previous = MIGRATIONS.len() - 1;
    database_at(&path, previous);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             INSERT INTO settings VALUES ('k', 'v');
             INSERT INTO inventory (id, item_no, item_type, color_id, condition, quantity, unit_price_e4, location, created_at, updated_at)
                 VALUES (1, '3001', 'PART', 5, 'N', 10, 1200, 'A-01', 't', 't');
             INSERT INTO ledger (inventory_id, kind, quantity_delta, created_at) VALUES (1, 'create', 10, 't');",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    {
        let conn = store.inner.writer.lock().unwrap();
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let lot: (String, i64, String) = conn
            .query_row("SELECT item_no, quantity, location FROM inventory WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        assert_eq!(lot, ("3001".to_owned(), 10, "A-01".to_owned()));
        let v: String = conn.query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| r.get(0)).unwrap();
        assert_eq!(v, "v");
    }
    let made = backups(&path);
    assert_eq!(made.len(), 1, "{made:?}");
    let name = made[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("brickdesk-v{previous}-")) && name.ends_with(".sqlite3"), "{name}");
    // The copy is the database before the upgrade, rows and all (the WAL's included).
    let copy = Connection::open(&made[0]).unwrap();
    let version: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, previous as i64);
    let n: i64 = copy.query_row("SELECT count(*) FROM inventory", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    drop(store);
    // Opening an up-to-date database again makes no further copy.
    Store::open(&path).unwrap();
    assert_eq!(backups(&path).len(), 1);
}

/// Migration 11 reads the signatures of offers stored before it, as sellers typed them, and
/// a lot they newly find an offer for is due for Allegro (migration 12's step: its stock goes
/// to the offer).
#[test]
fn migration_11_reads_the_signatures_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    database_at(&path, 10);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO inventory (id, item_no, item_type, color_id, condition, quantity, unit_price_e4, location, created_at, updated_at)
                 VALUES (42, '3001', 'PART', 5, 'N', 10, 1200, 'A-01', 't', 't'), (7, '3002', 'PART', 5, 'N', 4, 1200, 'A-02', 't', 't');
             INSERT INTO ledger (inventory_id, kind, quantity_delta, created_at) VALUES (42, 'create', 10, 't'), (7, 'create', 4, 't');
             INSERT INTO allegro_offers (offer_id, account, name, status, external_id, updated_at) VALUES
                 ('1', 'a', 'x', 'ACTIVE', 'BD-042', 't'), ('2', 'a', 'x', 'ACTIVE', 'Bl-38000001', 't'),
                 ('3', 'a', 'x', 'ACTIVE', '7', 't'), ('4', 'a', 'x', 'ACTIVE', 'red brick', 't'), ('5', 'a', 'x', 'ACTIVE', NULL, 't');
             -- Lot 7's offer was found before (its signature was read exactly): BrickDesk keeps its stock.
             INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, remote_quantity, updated_at)
                 VALUES (7, 'allegro', '3', 'synced', 4, 't');",
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    let conn = store.inner.writer.lock().unwrap();
    let keys: Vec<(String, Option<i64>, Option<String>)> = conn
        .prepare("SELECT offer_id, signature_lot, signature_bl_lot FROM allegro_offers ORDER BY offer_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        keys,
        [
            ("1".to_owned(), Some(42), None),
            ("2".to_owned(), None, Some("38000001".to_owned())),
            ("3".to_owned(), Some(7), None),
            ("4".to_owned(), None, None),
            ("5".to_owned(), None, None),
        ]
    );
    let due: Vec<(i64, String, String)> = conn
        .prepare("SELECT inventory_id, marketplace, status FROM outbox ORDER BY inventory_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(due, [(42, "allegro".to_owned(), "pending".to_owned())], "only the lot whose offer is newly found");
}

/// Migration 12's step on what an earlier build stored: an unpaid Allegro purchase whose form
/// says its fulfillment was cancelled is stored cancelled, and the lot an unpaid purchase held
/// is set again on its offer. It runs once; a database that asks for nothing is not touched.
#[test]
fn migration_12_step_brings_stored_allegro_holds_to_todays_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    let store = Store::open(&path).unwrap();
    {
        let mut conn = store.inner.writer.lock().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(
            "INSERT INTO inventory (id, item_no, item_type, color_id, condition, quantity, unit_price_e4, location, created_at, updated_at)
                 VALUES (42, '3001', 'PART', 11, 'N', 20, 1200, 'A-01', 't', 't');
             INSERT INTO ledger (inventory_id, kind, quantity_delta, created_at) VALUES (42, 'create', 20, 't');
             INSERT INTO allegro_offers (offer_id, account, name, status, external_id, updated_at, signature_lot)
                 VALUES ('14682205831', 'a', 'x', 'ACTIVE', 'BD-042', 't', 42);",
        )
        .unwrap();
        let mut form: serde_json::Value = serde_json::from_str(include_str!("../../fixtures/allegro_checkout_form.json")).unwrap();
        form["status"] = "BOUGHT".into();
        form["fulfillment"]["status"] = "CANCELLED".into();
        form["lineItems"][0]["offer"]["external"]["id"] = "BD-042".into();
        let order = crate::marketplaces::allegro::convert::checkout_form(form).unwrap();
        crate::orders::apply(&tx, brickdesk_ipc::Provider::Allegro, "a", &order, chrono::Utc::now()).unwrap();
        // As an earlier build left it: stored unpaid, its offer's stock known, nothing queued.
        tx.execute_batch(
            "UPDATE orders SET status = 'BOUGHT (unpaid)';
             DELETE FROM outbox;
             INSERT INTO sync_state (inventory_id, marketplace, remote_id, status, remote_quantity, updated_at)
                 VALUES (42, 'allegro', '14682205831', 'synced', 20, 't')
                 ON CONFLICT (inventory_id, marketplace) DO UPDATE SET remote_quantity = 20;
             INSERT INTO settings (key, value) VALUES ('migration.step.allegro_holds', '12');",
        )
        .unwrap();
        tx.commit().unwrap();
    }
    drop(store);
    let state = |path: &Path| {
        let store = Store::open(path).unwrap();
        let conn = store.inner.writer.lock().unwrap();
        let status: String = conn.query_row("SELECT status FROM orders", [], |r| r.get(0)).unwrap();
        let held: Option<i64> = conn.query_row("SELECT remote_quantity FROM sync_state WHERE inventory_id = 42", [], |r| r.get(0)).unwrap();
        let due: Vec<(i64, String)> = conn
            .prepare("SELECT inventory_id, marketplace FROM outbox WHERE status = 'pending'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let asked: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM settings WHERE key LIKE 'migration.step.%')", [], |r| r.get(0)).unwrap();
        (status, held, due, asked)
    };
    assert_eq!(state(&path), ("CANCELLED".to_owned(), None, vec![(42, "allegro".to_owned())], false));
    // The step does not run again: a push meanwhile stays as it is.
    Connection::open(&path).unwrap().execute_batch("UPDATE sync_state SET remote_quantity = 20; DELETE FROM outbox;").unwrap();
    assert_eq!(state(&path), ("CANCELLED".to_owned(), Some(20), vec![], false));
}

#[test]
fn a_new_database_is_not_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    Store::open(&path).unwrap();
    Store::open(&path).unwrap();
    assert!(!backup_dir(&path).exists());
}

#[test]
fn only_the_newest_three_backups_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    let folder = backup_dir(&path);
    std::fs::create_dir_all(&folder).unwrap();
    // Older copies from earlier upgrades (a higher schema version does not make one newer),
    // and a file that is not a backup, which is left alone.
    for name in [
        "brickdesk-v5-20250101T000000.000000Z.sqlite3",
        "brickdesk-v7-20240101T000000.000000Z.sqlite3",
        "brickdesk-v6-20250601T000000.000000Z.sqlite3",
        "notes.txt",
    ] {
        std::fs::write(folder.join(name), b"old").unwrap();
    }
    database_at(&path, 1);
    Store::open(&path).unwrap();
    let left: Vec<String> = backups(&path).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(left.len(), 4, "{left:?}");
    assert!(left.contains(&"notes.txt".to_owned()));
    assert!(left.contains(&"brickdesk-v5-20250101T000000.000000Z.sqlite3".to_owned()), "{left:?}");
    assert!(left.contains(&"brickdesk-v6-20250601T000000.000000Z.sqlite3".to_owned()), "{left:?}");
    assert!(left.iter().any(|n| n.starts_with("brickdesk-v1-")), "the new copy is kept: {left:?}");
}

#[test]
fn a_backup_that_cannot_be_made_stops_the_upgrade_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brickdesk.sqlite3");
    database_at(&path, 1);
    // `backups` exists as a file: the folder cannot be made.
    std::fs::write(backup_dir(&path), b"in the way").unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(matches!(e, Error::Backup { .. }), "{e}");
    let version: i64 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 1, "no migration ran without a backup");
}

#[test]
fn schema_enforces_its_invariants() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let conn = store.inner.writer.lock().unwrap();
    let lot = "INSERT INTO inventory (item_no, item_type, color_id, condition, quantity, unit_price_e4, created_at, updated_at)
               VALUES ('3001', 'PART', 5, ?1, ?2, 1200, 't', 't')";
    assert!(conn.execute(lot, rusqlite::params!["X", 1]).is_err(), "condition must be N or U");
    assert!(conn.execute(lot, rusqlite::params!["N", -1]).is_err(), "quantity must not be negative");
    conn.execute(lot, rusqlite::params!["N", 10]).unwrap();
    // Foreign keys are on: a ledger row for a missing lot is refused.
    assert!(conn.execute("INSERT INTO ledger (inventory_id, kind, created_at) VALUES (999, 'create', 't')", []).is_err());
    // The same notification cannot be stored twice.
    let inbox =
        "INSERT INTO inbox (dedupe_key, marketplace, account, event_type, kind, resource_id, occurred_at, payload, received_at, updated_at)
                 VALUES ('a:Order:1:t', 'bricklink', 'a', 'Order', 'order', '1', 't', '{}', 't', 't')";
    conn.execute(inbox, []).unwrap();
    assert!(conn.execute(inbox, []).is_err());
}

#[test]
fn migrating_a_version_1_database_keeps_its_ledger_and_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite3");
    {
        let mut conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATIONS[0].1).unwrap();
        tx.execute_batch("PRAGMA user_version = 1;
            INSERT INTO inventory (id, item_no, item_type, color_id, condition, quantity, unit_price_e4, created_at, updated_at)
                VALUES (1, '3001', 'PART', 5, 'N', 10, 100, 't', 't');
            INSERT INTO ledger (seq, inventory_id, kind, quantity_delta, created_at) VALUES (7, 1, 'create', 10, 't');
            INSERT INTO outbox (marketplace, inventory_id, ledger_seq, op, created_at, updated_at) VALUES ('bricklink', 1, 7, 'create', 't', 't');")
            .unwrap();
        tx.commit().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let conn = store.inner.writer.lock().unwrap();
    let (seq, kind): (i64, String) = conn.query_row("SELECT seq, kind FROM ledger", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((seq, kind.as_str()), (7, "create"));
    let fk_errors: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(fk_errors, 0);
    conn.execute("INSERT INTO ledger (inventory_id, kind, reserved_delta, created_at) VALUES (1, 'ship', -1, 't')", []).unwrap();
}

#[tokio::test]
async fn write_rolls_back_when_the_closure_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let r: Result<()> = store
        .write(|tx| {
            tx.execute("INSERT INTO settings VALUES ('a', '1')", [])?;
            Err(Error::InvalidInput { what: "test".into(), detail: "boom".into() })
        })
        .await;
    assert!(r.is_err());
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?)).await.unwrap();
    assert_eq!(n, 0);
}

/// The window's reads must not queue behind a poll's writes: a read completes while a write
/// transaction is open (on the old single-connection store it waited for the write).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_see_the_last_commit_while_a_write_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    store.write(|tx| Ok(tx.execute("INSERT INTO settings VALUES ('k', 'committed')", [])?)).await.unwrap();
    let (entered_tx, entered) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = store.clone();
    let write = tokio::spawn(async move {
        writer
            .write(move |tx| {
                tx.execute("UPDATE settings SET value = 'uncommitted' WHERE key = 'k'", [])?;
                entered_tx.send(()).ok();
                released.recv().ok();
                Ok(())
            })
            .await
    });
    tokio::task::spawn_blocking(move || entered.recv().unwrap()).await.unwrap();
    // A deadlock guard, not a speed check: the read either completes or the test fails.
    let read = tokio::time::timeout(
        Duration::from_secs(30),
        store.read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| r.get::<_, String>(0))?)),
    )
    .await;
    release.send(()).unwrap();
    write.await.unwrap().unwrap();
    assert_eq!(read.expect("the read waited for the writer").unwrap(), "committed");
    let after: String = store.read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| r.get(0))?)).await.unwrap();
    assert_eq!(after, "uncommitted", "the write committed afterwards");
}

#[tokio::test]
async fn a_panic_inside_a_transaction_rolls_back_and_the_store_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let r: Result<()> = store
        .write(|tx| {
            tx.execute("INSERT INTO settings VALUES ('a', '1')", [])?;
            panic!("a bug in a closure");
        })
        .await;
    assert!(matches!(r, Err(Error::Task(_))), "{r:?}");
    let r: Result<()> = store.read(|_| panic!("a bug in a read")).await;
    assert!(matches!(r, Err(Error::Task(_))), "{r:?}");
    store.write(|tx| Ok(tx.execute("INSERT INTO settings VALUES ('b', '2')", [])?)).await.unwrap();
    let keys: Vec<String> = store
        .read(|c| {
            let mut st = c.prepare("SELECT key FROM settings ORDER BY key")?;
            let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(v)
        })
        .await
        .unwrap();
    assert_eq!(keys, ["b"]);
}

/// Holds `n` reads open at once (so the pool opens `n` connections), then lets them end.
async fn reads_at_once(store: &Store, n: usize) {
    let all_in = Arc::new(std::sync::Barrier::new(n));
    let reads: Vec<_> = (0..n)
        .map(|_| {
            let (store, all_in) = (store.clone(), Arc::clone(&all_in));
            tokio::spawn(async move {
                store
                    .read(move |c| {
                        all_in.wait();
                        Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get::<_, i64>(0))?)
                    })
                    .await
            })
        })
        .collect();
    for r in reads {
        r.await.unwrap().unwrap();
    }
}

fn idle_readers(store: &Store) -> usize {
    store.inner.readers.lock().unwrap().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn releasing_idle_memory_keeps_one_reader_and_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    store.write(|tx| Ok(tx.execute("INSERT INTO settings VALUES ('k', 'v')", [])?)).await.unwrap();
    reads_at_once(&store, READERS).await;
    assert_eq!(idle_readers(&store), READERS);
    store.release_idle_memory().await.unwrap();
    assert_eq!(idle_readers(&store), 1, "the idle readers but one are closed");
    // Everything works as before: the pool opens connections again as reads need them.
    reads_at_once(&store, READERS).await;
    assert_eq!(idle_readers(&store), READERS);
    store.write(|tx| Ok(tx.execute("INSERT INTO settings VALUES ('k2', 'v2')", [])?)).await.unwrap();
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?)).await.unwrap();
    assert_eq!(n, 2);
}

/// Nobody calls it: once the store has been unused for `IDLE` it releases by itself (here `IDLE` is
/// shortened to 100 ms).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_store_releases_its_memory_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    store.inner.idle_ms.store(100, Ordering::Relaxed);
    reads_at_once(&store, READERS).await;
    // A guard, not a timing: the release comes about 100 ms after the last read.
    let deadline = Instant::now() + Duration::from_secs(30);
    while idle_readers(&store) != 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(idle_readers(&store), 1, "the idle store released its readers but one");
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM settings", [], |r| r.get(0))?)).await.unwrap();
    assert_eq!(n, 0);
}
