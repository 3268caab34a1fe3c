//! `cargo bench -p brickdesk-tests --bench poll` — order intake speed on loopback, against the
//! simulated BrickLink (which verifies every OAuth signature) and a real SQLite file.
//!
//! Prints one line per measurement; README's "Benchmarks" table quotes them. Not run by tests.

use std::time::{Duration, Instant};

use brickdesk_engine::engine::CredentialSource;
use brickdesk_engine::{Config, Engine, EngineEvent};
use brickdesk_sim::{Market, Sim, SimItem, SimOptions, SimOrder};

/// An engine on `sim` whose BrickLink rate limit is lifted (order intake is measured, not the
/// limiter), unless `default_rate`.
fn engine_with(sim: &Sim, dir: &std::path::Path, default_rate: bool) -> Engine {
    let mut config = Config::from_lookup(|k| match k {
        "BRICKDESK_DATA_DIR" => Some(dir.display().to_string()),
        "BRICKDESK_BRICKLINK_DAILY_LIMIT" => Some("1000000".into()),
        "BRICKDESK_BRICKLINK_RATE_PER_SEC" if !default_rate => Some("100000".into()),
        _ => None,
    })
    .expect("config");
    config.bricklink_url = sim.bricklink_url.clone();
    config.brickowl_url = sim.brickowl_url.clone();
    // BrickLink only: the simulator's BrickOwl is not part of these measurements.
    let creds = match brickdesk_tests::sim_credentials(sim.options()) {
        CredentialSource::Fixed { bricklink, .. } => CredentialSource::Fixed { bricklink, brickowl: None },
        keyring => keyring,
    };
    Engine::open_with(config, creds).expect("engine")
}

fn engine(sim: &Sim, dir: &std::path::Path) -> Engine {
    engine_with(sim, dir, false)
}

/// The catalog drawer: opening a cached part (engine time to the answer the first paint shows),
/// and how fast the refresh worker fills the cache at the default BrickLink rate limit.
async fn catalog() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 1_000_000, ..SimOptions::default() }).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine_with(&sim, dir.path(), true);
    let q = |no: usize| brickdesk_ipc::CatalogQuery { item_no: format!("{}", 3000 + no), item_type: None, color_id: Some(5) };
    for no in 0..20 {
        engine.catalog_part(q(no)).await.expect("ask");
    }
    sim.clear_calls();
    let started = Instant::now();
    let run = engine.catalog_refresh_run().await.expect("refresh");
    let took = started.elapsed();
    let calls = sim.calls(Market::Bricklink).len();
    assert_eq!(run.failed.len(), 0);
    let mut samples = Vec::new();
    for n in 0..200 {
        let started = Instant::now();
        let part = engine.catalog_part(q(n % 20)).await.expect("open");
        samples.push(started.elapsed());
        assert_eq!(part.status, brickdesk_ipc::CatalogStatus::Fresh);
    }
    samples.sort();
    println!(
        "catalog_refresh       {} rows, {calls} calls in {:>6.2} s = {:>5.1} calls/s (default limit 5/s, bursts of 10)",
        run.fetched.len(),
        took.as_secs_f64(),
        calls as f64 / took.as_secs_f64()
    );
    println!(
        "catalog_open_cached   median {:>6.2} ms  max {:>6.2} ms   (part + colours + 4 price guides, 200 opens)",
        ms(samples[100]),
        ms(samples[199])
    );
}

fn order(lines: usize, n: usize) -> SimOrder {
    SimOrder {
        buyer_name: format!("buyer{n}"),
        currency: "USD".into(),
        shipping: "2.0000".into(),
        status: "PAID".into(),
        batches: vec![(0..lines)
            .map(|i| SimItem {
                item_no: format!("{}", 3000 + (i % 50)),
                item_type: "PART".into(),
                color_id: (i % 7) as i64,
                condition: 'N',
                quantity: 1 + (i % 3) as i64,
                unit_price: "0.1200".into(),
                remarks: format!("A-{:02}", i % 50),
                inventory_id: None,
            })
            .collect()],
    }
}

async fn stock(engine: &Engine) {
    for i in 0..50 {
        for color in 0..7 {
            let input = serde_json::from_value(serde_json::json!({
                "item_no": format!("{}", 3000 + i), "item_type": "PART", "color_id": color, "condition": "N",
                "quantity": 100000, "unit_price": "0.12", "location": format!("A-{i:02}"),
            }))
            .expect("lot");
            engine.inventory_add(input).await.expect("add lot");
        }
    }
}

/// What a click on "Poll now" does: the engine's `poll_now` kick to the running workers
/// (`Engine::run`, as in the app), to the NewOrders event the shell turns into the OS
/// notification. Median of 20.
async fn kick_latency() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 1_000_000, ..SimOptions::default() }).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    stock(&engine).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut events = engine.subscribe();
    let workers = tokio::spawn({
        let engine = engine.clone();
        async move {
            engine
                .run(async {
                    stopped.await.ok();
                })
                .await
        }
    });
    // The workers' first cycle (with its reconciliation) ends with a status event.
    wait_for(&mut events, |e| matches!(e, EngineEvent::StatusChanged)).await;
    let mut samples = Vec::new();
    for n in 0..20 {
        sim.bricklink_clear_notifications();
        sim.bricklink_add_order(order(5, n));
        let mut events = engine.subscribe();
        let started = Instant::now();
        engine.poll_now();
        wait_for(&mut events, |e| matches!(e, EngineEvent::NewOrders { .. })).await;
        samples.push(started.elapsed());
    }
    stop.send(()).ok();
    workers.await.expect("workers").expect("run");
    samples.sort();
    println!(
        "poll_now_kick_to_notified median {:>8.2} ms   max {:>8.2} ms   (running workers, order of 5 lines, 20 runs)",
        ms(samples[10]),
        ms(samples[19])
    );
}

async fn wait_for(events: &mut tokio::sync::broadcast::Receiver<EngineEvent>, want: impl Fn(&EngineEvent) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(e)) if want(&e) => return,
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => continue,
            other => panic!("event did not come: {other:?}"),
        }
    }
}

/// Poll now → the order stored, reserved, and the NewOrders event (which the shell turns into
/// the OS notification) emitted, in-process (`Engine::poll`, as `brickdesk-cli poll`). Median of 20.
async fn poll_latency() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 1_000_000, ..SimOptions::default() }).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    stock(&engine).await;
    engine.poll(None).await.expect("warm-up poll");
    let mut samples = Vec::new();
    for n in 0..20 {
        sim.bricklink_clear_notifications();
        sim.bricklink_add_order(order(5, n));
        let mut events = engine.subscribe();
        let started = Instant::now();
        engine.poll(None).await.expect("poll");
        loop {
            match events.try_recv() {
                Ok(EngineEvent::NewOrders { .. }) => break,
                Ok(_) => continue,
                Err(e) => panic!("no NewOrders event: {e:?}"),
            }
        }
        samples.push(started.elapsed());
    }
    samples.sort();
    println!("poll_now_to_notified  median {:>8.2} ms   max {:>8.2} ms   (order of 5 lines, 20 runs)", ms(samples[10]), ms(samples[19]));
}

/// 100 orders × 50 lines end to end: notifications → fetch (signed) → match → reserve.
/// (1,000 end to end would measure BrickLink's protocol, not BrickDesk: timestamps may not repeat,
/// so sustained signing is ~1 call/s per token and 2,000 calls take ~30 min on any client.)
async fn ingest_end_to_end() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 1_000_000, ..SimOptions::default() }).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    stock(&engine).await;
    for n in 0..100 {
        sim.bricklink_add_order(order(50, n));
    }
    sim.clear_calls();
    let started = Instant::now();
    let summary = engine.poll(None).await.expect("poll");
    let took = started.elapsed();
    assert_eq!(summary.providers[0].new_orders, 100, "{:?}", summary.providers[0]);
    let calls = sim.calls(Market::Bricklink).len();
    println!(
        "ingest_e2e_100x50     {:>8.2} s    {:>8.1} orders/s   {:>8.0} lines/s",
        took.as_secs_f64(),
        100.0 / took.as_secs_f64(),
        5_000.0 / took.as_secs_f64()
    );
    println!(
        "bricklink_calls       {calls} for 100 new orders = {:.2} per order (2 per order + notifications + reconcile list per cycle)",
        calls as f64 / 100.0
    );
}

fn remote_orders(count: usize, first: usize, lines: usize, item_offset: usize) -> Vec<brickdesk_engine::marketplaces::types::RemoteOrder> {
    use brickdesk_engine::base::money::MoneyE4;
    use brickdesk_engine::marketplaces::types::{Condition, OrderPhase, RemoteLine, RemoteOrder};
    let now: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().expect("time");
    (first..first + count)
        .map(|n| RemoteOrder {
            external_id: format!("{}", 30_000_000 + n),
            status: "PAID".into(),
            phase: OrderPhase::Open,
            buyer_name: format!("buyer{n}"),
            date_ordered: now,
            date_status_changed: None,
            delivery_method: None,
            currency: "USD".into(),
            subtotal: MoneyE4(60_000),
            grand_total: MoneyE4(80_000),
            total_count: 100,
            unique_count: 50,
            // A real BrickLink order's JSON (2 KB), as the poller stores it.
            raw: include_str!("../../src-tauri/engine/fixtures/bricklink_order.json").into(),
            lines: (0..lines)
                .map(|i| RemoteLine {
                    line_key: format!("0:{i}"),
                    batch: 0,
                    item_no: format!("{}", 3000 + item_offset + (i % 50)),
                    item_type: "PART".into(),
                    item_name: String::new(),
                    color_id: Some((i % 7) as i64),
                    color_name: String::new(),
                    condition: Condition::New,
                    quantity: 2,
                    unit_price: MoneyE4(1200),
                    location: Some(format!("A-{:02}", i % 50)),
                    lot_hints: vec![],
                })
                .collect(),
        })
        .collect()
}

/// 1,000 orders × 50 lines through the engine's store path: upsert, match, reserve, each order
/// in its own transaction, as the poller does after fetching. Meanwhile a reader (the window)
/// lists orders every 10 ms: its latency shows whether reads queue behind the writes.
async fn ingest_store() {
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    stock(&engine).await;
    let now: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().expect("time");
    let orders = remote_orders(1000, 0, 50, 0);
    let (done, mut finished) = tokio::sync::oneshot::channel::<()>();
    let reader = tokio::spawn({
        let engine = engine.clone();
        async move {
            let mut samples = Vec::new();
            while finished.try_recv().is_err() {
                let started = Instant::now();
                engine.inventory_list().await.expect("read");
                samples.push(started.elapsed());
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            samples
        }
    });
    let started = Instant::now();
    for o in orders {
        engine
            .store()
            .write(move |tx| brickdesk_engine::orders::apply(tx, brickdesk_ipc::Provider::Bricklink, "bricklink", &o, now))
            .await
            .expect("apply");
    }
    let took = started.elapsed();
    done.send(()).ok();
    let mut reads = reader.await.expect("reader");
    reads.sort();
    println!(
        "ingest_store_1000x50  {:>8.2} s    {:>8.1} orders/s   {:>8.0} lines/s",
        took.as_secs_f64(),
        1000.0 / took.as_secs_f64(),
        50_000.0 / took.as_secs_f64()
    );
    let pct = |p: usize| ms(reads[(reads.len() - 1) * p / 100]);
    println!(
        "reads_during_ingest   {} reads of 350 lots: median {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        reads.len(),
        pct(50),
        pct(99),
        pct(100)
    );
    let reserved: i64 = engine.inventory_list().await.expect("lots").iter().map(|l| l.reserved).sum();
    assert_eq!(reserved, 100_000, "every line reserved exactly once");
}

/// The two costs that grew with the store: one reconciliation's comparison of the open-orders list
/// with every stored order, and adding a lot while order lines wait for stock. At 10,000 stored
/// orders (2 lines each, half of them waiting for parts nobody stocks) and 10,000 lots.
async fn costs_at_10k() {
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    let now: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().expect("time");
    engine
        .store()
        .write(move |tx| {
            for i in 0..10_000 {
                tx.execute(
                    "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
                     VALUES (?1, 'PART', ?2, 'N', 'A-00', 1000, 1200, 't', 't')",
                    (format!("{}", 3000 + i / 7), (i % 7) as i64),
                )?;
            }
            Ok(())
        })
        .await
        .expect("lots");
    // Lines of part numbers from 90000 up find no lot: they wait for stock.
    for chunk in remote_orders(10_000, 0, 2, 0).chunks(500) {
        let mut a = chunk.to_vec();
        for (k, o) in a.iter_mut().enumerate() {
            o.lines[1].item_no = format!("{}", 90_000 + (k % 100));
        }
        engine
            .store()
            .write(move |tx| {
                for o in &a {
                    brickdesk_engine::orders::apply(tx, brickdesk_ipc::Provider::Bricklink, "bricklink", o, now)?;
                }
                Ok(())
            })
            .await
            .expect("orders");
    }
    let started = Instant::now();
    let known = engine
        .store()
        .write(|tx| Ok(brickdesk_engine::orders::markers(tx, brickdesk_ipc::Provider::Bricklink, "bricklink")?.len()))
        .await
        .expect("markers");
    let markers = started.elapsed();
    assert_eq!(known, 10_000);
    // The same two jobs as BrickDesk did them before migration 0004, reproduced here for
    // comparison: parse every stored order's raw JSON for its marker, and read every waiting line
    // (parsing its order's JSON for the phase) on each lot added.
    let started = Instant::now();
    let parsed = engine
        .store()
        .write(|tx| {
            let mut st = tx.prepare(
                "SELECT external_id, COALESCE(date_status_changed, ''), status, raw FROM orders WHERE marketplace = 'bricklink'",
            )?;
            let rows =
                st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?;
            let mut n = 0;
            for row in rows {
                let (_, changed, status, raw) = row?;
                let v: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
                let marker =
                    format!("{}|{status}", v.get("date_status_changed").and_then(|d| d.as_str()).map(str::to_string).unwrap_or(changed));
                n += marker.len().min(1);
            }
            Ok(n)
        })
        .await
        .expect("old markers");
    let old_markers = started.elapsed();
    assert_eq!(parsed, 10_000);
    let started = Instant::now();
    let waiting = engine
        .store()
        .write(|tx| {
            let mut st = tx.prepare(
                "SELECT i.id, o.raw FROM order_items i JOIN orders o ON o.id = i.order_id
                 WHERE i.inventory_id IS NULL AND i.quantity > 0 AND i.color_id >= 0",
            )?;
            let rows = st.query_map([], |r| r.get::<_, String>(1))?;
            let mut n = 0;
            for raw in rows {
                let v: serde_json::Value = serde_json::from_str(&raw?).unwrap_or_default();
                n += usize::from(v.get("status_id").is_none());
            }
            Ok(n)
        })
        .await
        .expect("old rematch scan");
    let old_rematch = started.elapsed();
    assert_eq!(waiting, 10_000);
    let mut adds = Vec::new();
    for k in 0..20 {
        let input = serde_json::from_value(serde_json::json!({
            "item_no": format!("{}", 95_000 + k), "item_type": "PART", "color_id": 1, "condition": "N",
            "quantity": 5, "unit_price": "0.12", "location": "B-01",
        }))
        .expect("lot");
        let started = Instant::now();
        engine.inventory_add(input).await.expect("add");
        adds.push(started.elapsed());
    }
    adds.sort();
    println!(
        "reconcile_compare_10k {:>8.2} ms   (stored markers of 10,000 orders, in the write transaction; the old raw-JSON way: {:.2} ms)",
        ms(markers),
        ms(old_markers)
    );
    println!(
        "rematch_scan_old_10k  {:>8.2} ms   (what every lot add read before: all 10,000 waiting lines and their orders' JSON)",
        ms(old_rematch)
    );
    println!(
        "lot_add_10k           median {:>6.2} ms  max {:>6.2} ms   (re-match with 10,000 waiting lines, 10,000 lots)",
        ms(adds[10]),
        ms(adds[19])
    );
}

/// Inventory sync against the simulated BrickLink: lots created there, then ten edits of every
/// lot pushed as one write each. 120 lots: BrickLink's OAuth timestamps may not repeat, so past
/// ~300 calls in a burst any client is paced to one call a second (see README), which would
/// measure the protocol, not BrickDesk.
async fn sync_push() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 1_000_000, ..SimOptions::default() }).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    engine.inventory_import(brickdesk_ipc::Provider::Bricklink).await.expect("link the empty store");
    let n = 120;
    let mut ids = Vec::new();
    for i in 0..n {
        let input = serde_json::from_value(serde_json::json!({
            "item_no": format!("{}", 3000 + i % 50), "item_type": "PART", "color_id": (i / 50) as i64 + 1, "condition": "N",
            "quantity": 10, "unit_price": "0.12", "location": format!("S-{i:03}"),
        }))
        .expect("lot");
        ids.push(engine.inventory_add(input).await.expect("add").id);
    }
    sim.clear_calls();
    let started = Instant::now();
    let created = engine.sync_run().await.expect("sync");
    let create_time = started.elapsed();
    assert_eq!(created.pushed.len(), n);
    let started = Instant::now();
    for round in 1..=10 {
        for id in &ids {
            let edit = brickdesk_ipc::InventoryUpdateInput { quantity: Some(10 + round), ..Default::default() };
            engine.inventory_update(*id, edit).await.expect("edit");
        }
    }
    let edit_time = started.elapsed();
    sim.clear_calls();
    let started = Instant::now();
    let pushed = engine.sync_run().await.expect("sync");
    let push_time = started.elapsed();
    let writes = sim.calls(Market::Bricklink).iter().filter(|c| c.method == "PUT").count();
    assert_eq!(pushed.pushed.len(), n);
    println!(
        "sync_create_{n}         {:>6.2} s  ({:.1} lots/s, 1 POST each)",
        create_time.as_secs_f64(),
        n as f64 / create_time.as_secs_f64()
    );
    println!(
        "sync_edits_{}          {:>6.2} s local ({:.2} ms per edit, ledger + outbox in one transaction)",
        n * 10,
        edit_time.as_secs_f64(),
        ms(edit_time) / (n * 10) as f64
    );
    println!(
        "sync_push_after_edits {:>6.2} s  {writes} writes for {n} lots edited 10 times = {:.2} writes per lot",
        push_time.as_secs_f64(),
        writes as f64 / n as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        kick_latency().await;
        poll_latency().await;
        ingest_end_to_end().await;
        ingest_store().await;
        costs_at_10k().await;
        catalog().await;
        sync_push().await;
    });
}
