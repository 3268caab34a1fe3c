//! `cargo bench -p brickdesk-tests --bench scale [-- SECTION...]` — BrickDesk with a serious
//! seller's store: 100,000 lots and 20,000 orders, against the simulated BrickLink on loopback
//! and a real SQLite file. Sections: `import`, `views`, `calls`, `sync`, `sync10k`, `memory`
//! (all by default). Prints one line per figure; README's "Scale" table quotes them. Never run by tests,
//! and it asserts only correctness (counts), never times.

use std::time::{Duration, Instant};

use brickdesk_engine::engine::CredentialSource;
use brickdesk_engine::{Config, Engine, EngineEvent};
use brickdesk_ipc::{InventoryQuery, InventorySort, InventoryUpdateInput, OrdersQuery, OrdersSort, Provider};
use brickdesk_sim::{Market, Sim, SimItem, SimOptions};

const LOTS: usize = 100_000;

/// `BENCH_LOTS` shrinks the store while investigating (the README quotes 100,000).
fn lots() -> usize {
    std::env::var("BENCH_LOTS").ok().and_then(|v| v.parse().ok()).unwrap_or(LOTS)
}
const ORDERS: usize = 20_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// An engine on `sim` (BrickLink only) with BrickLink's daily budget and send rate lifted, so
/// BrickDesk's own work is measured; `env` adds settings.
fn engine(sim: &Sim, dir: &std::path::Path, env: &[(&str, &str)]) -> Engine {
    engine_on(sim, dir, env, false)
}

/// [`engine`], with the simulated BrickOwl store too when `brickowl`.
fn engine_on(sim: &Sim, dir: &std::path::Path, env: &[(&str, &str)], brickowl: bool) -> Engine {
    let mut config = Config::from_lookup(|k| match k {
        "BRICKDESK_DATA_DIR" => Some(dir.display().to_string()),
        "BRICKDESK_BRICKLINK_DAILY_LIMIT" => Some("10000000".into()),
        "BRICKDESK_BRICKLINK_RATE_PER_SEC" => Some("100000".into()),
        _ => env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()),
    })
    .expect("config");
    config.bricklink_url = sim.bricklink_url.clone();
    config.brickowl_url = sim.brickowl_url.clone();
    let creds = match brickdesk_tests::sim_credentials(sim.options()) {
        CredentialSource::Fixed { bricklink, brickowl: bo } => CredentialSource::Fixed { bricklink, brickowl: bo.filter(|_| brickowl) },
        keyring => keyring,
    };
    Engine::open_with(config, creds).expect("engine")
}

/// Lot `n` of a synthetic store: 2,000 parts × 50 colours, new and used, 200 bins.
fn item(n: usize) -> SimItem {
    SimItem {
        item_no: format!("{}", 3000 + n / 50),
        item_type: "PART".into(),
        color_id: (n % 50) as i64 + 1,
        condition: if n % 3 == 0 { 'U' } else { 'N' },
        quantity: (n % 97) as i64 + 1,
        unit_price: format!("{}.{:04}", n % 5, (n % 99 + 1) * 100),
        remarks: format!("{}-{:02}", (b'A' + (n % 20) as u8) as char, n % 10),
        inventory_id: None,
    }
}

async fn sim_with_lots(n: usize, options: SimOptions) -> Sim {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 10_000_000, ..options }).await.expect("sim");
    for i in 0..n {
        sim.bricklink_add_lot(item(i));
    }
    sim
}

/// Imports the simulated store; returns (download + parse, local work, report). The engine
/// reports progress 0 when the store is downloaded and parsed, before its first write.
async fn timed_import(engine: &Engine) -> (Duration, Duration, brickdesk_ipc::ImportReport) {
    let mut events = engine.subscribe();
    let listener = tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(EngineEvent::ImportProgress(p)) if p.done == 0 => return Some(Instant::now()),
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return None,
            }
        }
    });
    let started = Instant::now();
    let report = engine.inventory_import(Provider::Bricklink).await.expect("import");
    let ended = Instant::now();
    let local_from = listener.await.expect("listener").expect("progress was reported");
    (local_from - started, ended - local_from, report)
}

async fn import() -> (Sim, tempfile::TempDir, Engine) {
    let sim = sim_with_lots(lots(), SimOptions::default()).await;
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path(), &[]);
    let (download, local, report) = timed_import(&engine).await;
    assert_eq!((report.new, report.linked, report.unchanged), (lots() as i64, 0, 0));

    // The same rows into the same table (same indexes) of a fresh store, by a bare loop: one
    // transaction, one prepared statement, nothing else.
    let bare_dir = tempfile::tempdir().expect("tmp");
    let bare = brickdesk_engine::store::Store::open(&bare_dir.path().join("bare.sqlite3")).expect("store");
    let rows: Vec<SimItem> = (0..lots()).map(item).collect();
    let started = Instant::now();
    bare.write(move |tx| {
        let mut st = tx.prepare(
            "INSERT INTO inventory (item_no, item_type, color_id, condition, location, quantity, unit_price_e4, created_at, updated_at)
             VALUES (?1, 'PART', ?2, ?3, ?4, ?5, ?6, 't', 't')",
        )?;
        for r in &rows {
            st.execute((&r.item_no, r.color_id, r.condition.to_string(), &r.remarks, r.quantity, 1200_i64))?;
        }
        Ok(())
    })
    .await
    .expect("bare insert");
    let bare_took = started.elapsed();
    let rate = lots() as f64 / local.as_secs_f64();
    let bare_rate = lots() as f64 / bare_took.as_secs_f64();
    println!(
        "import_100k           download+parse {:>6.2} s   local work {:>6.2} s = {:>7.0} lots/s   bare insert loop {:>6.2} s = {:>7.0} lots/s   ratio {:>4.0} %",
        download.as_secs_f64(),
        local.as_secs_f64(),
        rate,
        bare_took.as_secs_f64(),
        bare_rate,
        100.0 * rate / bare_rate
    );
    let started = Instant::now();
    let again = engine.inventory_import(Provider::Bricklink).await.expect("import again");
    assert_eq!((again.new, again.linked, again.unchanged), (0, 0, lots() as i64), "importing twice adds nothing");
    println!("import_100k_again     {:>6.2} s in all (everything unchanged)", started.elapsed().as_secs_f64());
    (sim, dir, engine)
}

/// Runs `q` 20 times; returns the sorted samples.
async fn samples<F, Fut>(mut q: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut out = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        q().await;
        out.push(started.elapsed());
    }
    out.sort();
    out
}

fn p95(s: &[Duration]) -> Duration {
    s[(s.len() - 1) * 95 / 100]
}

async fn inventory_views(engine: &Engine) {
    let base = InventoryQuery { limit: 100, ..Default::default() };
    let mut cases: Vec<(String, InventoryQuery)> = Vec::new();
    for sort in [
        InventorySort::Location,
        InventorySort::ItemNo,
        InventorySort::Color,
        InventorySort::Condition,
        InventorySort::Quantity,
        InventorySort::Available,
        InventorySort::Price,
        InventorySort::Id,
    ] {
        for descending in [false, true] {
            cases.push((
                format!("sort {sort:?}{}", if descending { " desc" } else { "" }),
                InventoryQuery { sort, descending, ..base.clone() },
            ));
        }
    }
    cases.push(("middle page".into(), InventoryQuery { offset: 50_000, ..base.clone() }));
    cases.push(("last page".into(), InventoryQuery { offset: lots() as i64 - 100, ..base.clone() }));
    cases.push(("item no 30".into(), InventoryQuery { text: Some("30".into()), ..base.clone() }));
    cases.push(("item no 4999".into(), InventoryQuery { text: Some("4999".into()), ..base.clone() }));
    cases.push(("colour 11".into(), InventoryQuery { color_id: Some(11), ..base.clone() }));
    cases.push(("used".into(), InventoryQuery { condition: Some("U".into()), ..base.clone() }));
    cases.push(("bin C".into(), InventoryQuery { location: Some("C".into()), ..base.clone() }));
    cases.push(("failed".into(), InventoryQuery { sync: Some("failed".into()), ..base.clone() }));
    cases.push(("pending".into(), InventoryQuery { sync: Some("pending".into()), ..base.clone() }));
    cases.push((
        "colour 11 used bin K by price".into(),
        InventoryQuery {
            color_id: Some(11),
            condition: Some("U".into()),
            location: Some("K".into()),
            sort: InventorySort::Price,
            descending: true,
            ..base.clone()
        },
    ));
    cases.push((
        "item 30 by quantity, page 10".into(),
        InventoryQuery { text: Some("30".into()), sort: InventorySort::Quantity, offset: 1_000, ..base.clone() },
    ));
    let mut all = Vec::new();
    let mut worst = (String::new(), Duration::ZERO);
    for (name, q) in &cases {
        let s = samples(|| async {
            let page = engine.inventory_page(q.clone()).await.expect("page");
            assert!(page.total > 0 || q.sync.is_some(), "{name}: nothing matched");
        })
        .await;
        if p95(&s) > worst.1 {
            worst = (name.clone(), p95(&s));
        }
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            println!("    {name:<40} p50 {:>7.2} ms  p95 {:>7.2} ms", ms(s[s.len() / 2]), ms(p95(&s)));
        }
        all.extend(s);
    }
    all.sort();
    println!(
        "inventory_page_100k   {} queries ({} kinds × 20, 100 rows + count): median {:>6.2} ms  p95 {:>6.2} ms  worst kind p95 {:>6.2} ms ({})",
        all.len(),
        cases.len(),
        ms(all[all.len() / 2]),
        ms(p95(&all)),
        ms(worst.1),
        worst.0
    );
}

/// 20,000 orders of 3 lines each over two years, written straight into the store.
async fn seed_orders(engine: &Engine) {
    engine
        .store()
        .write(|tx| {
            let mut order = tx.prepare(
                "INSERT INTO orders (marketplace, account, external_id, status, buyer_name, date_ordered, currency, subtotal_e4, grand_total_e4,
                                     total_count, unique_count, raw, first_seen_at, updated_at, phase)
                 VALUES (?1, 'bench', ?2, ?3, ?4, ?5, 'USD', ?6, ?6, 6, 3, '{}', ?5, ?5, ?7) RETURNING id",
            )?;
            let mut line = tx.prepare(
                "INSERT INTO order_items (order_id, line_key, item_no, item_type, color_id, condition, quantity, unit_price_e4)
                 VALUES (?1, ?2, ?3, 'PART', ?4, 'N', 2, 1200)",
            )?;
            let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("date").timestamp();
            let statuses = ["PENDING", "PAID", "PACKED", "SHIPPED", "RECEIVED", "COMPLETED"];
            for n in 0..ORDERS {
                let market = if n % 4 == 0 { "brickowl" } else { "bricklink" };
                let at = chrono::DateTime::from_timestamp(start + (n as i64) * 3_150, 0).expect("date");
                let status = statuses[n % statuses.len()];
                let phase = if matches!(status, "SHIPPED" | "RECEIVED" | "COMPLETED") { "fulfilled" } else { "open" };
                let id: i64 = order.query_row(
                    (
                        market,
                        format!("{}", 21_000_000 + n),
                        status,
                        format!("buyer{:05}", (n * 7919) % 9_000),
                        at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
                        ((n % 500) as i64 + 1) * 10_000,
                        phase,
                    ),
                    |r| r.get(0),
                )?;
                for l in 0..3 {
                    line.execute((id, format!("{l}"), format!("{}", 3000 + (n + l) % 2000), ((n + l) % 50) as i64 + 1))?;
                }
            }
            Ok(())
        })
        .await
        .expect("seed orders");
}

async fn orders_views(engine: &Engine) {
    let base = OrdersQuery { limit: 100, descending: true, ..Default::default() };
    let mut cases: Vec<(String, OrdersQuery)> = Vec::new();
    for sort in
        [OrdersSort::Date, OrdersSort::Marketplace, OrdersSort::ExternalId, OrdersSort::Status, OrdersSort::Buyer, OrdersSort::Total]
    {
        for descending in [false, true] {
            cases.push((
                format!("sort {sort:?}{}", if descending { " desc" } else { "" }),
                OrdersQuery { sort, descending, ..base.clone() },
            ));
        }
    }
    cases.push(("last page".into(), OrdersQuery { offset: ORDERS as i64 - 100, ..base.clone() }));
    cases.push(("status PAID".into(), OrdersQuery { status: Some("PAID".into()), ..base.clone() }));
    cases.push(("brickowl".into(), OrdersQuery { marketplace: Some(Provider::Brickowl), ..base.clone() }));
    cases.push(("buyer buyer01".into(), OrdersQuery { buyer: Some("buyer01".into()), ..base.clone() }));
    cases.push(("March 2025".into(), OrdersQuery { from: Some("2025-03-01".into()), to: Some("2025-03-31".into()), ..base.clone() }));
    cases.push((
        "pending brickowl 2025 by total".into(),
        OrdersQuery {
            status: Some("PENDING".into()),
            marketplace: Some(Provider::Brickowl),
            from: Some("2025-01-01".into()),
            to: Some("2025-12-31".into()),
            sort: OrdersSort::Total,
            ..base.clone()
        },
    ));
    let mut all = Vec::new();
    let mut worst = (String::new(), Duration::ZERO);
    for (name, q) in &cases {
        let s = samples(|| async {
            let page = engine.orders_page(q.clone()).await.expect("page");
            assert!(page.total > 0, "{name}: nothing matched");
        })
        .await;
        if p95(&s) > worst.1 {
            worst = (name.clone(), p95(&s));
        }
        if std::env::var_os("BENCH_VERBOSE").is_some() {
            println!("    {name:<40} p50 {:>7.2} ms  p95 {:>7.2} ms", ms(s[s.len() / 2]), ms(p95(&s)));
        }
        all.extend(s);
    }
    all.sort();
    println!(
        "orders_page_20k       {} queries ({} kinds × 20, 100 rows + count): median {:>6.2} ms  p95 {:>6.2} ms  worst kind p95 {:>6.2} ms ({})",
        all.len(),
        cases.len(),
        ms(all[all.len() / 2]),
        ms(p95(&all)),
        ms(worst.1),
        worst.0
    );
}

/// BrickLink calls of 20 poll cycles (and the daily drift pass) on an empty store and on the
/// 100,000-lot one: polling must not grow with the store.
async fn calls(sim: &Sim, engine: &Engine) {
    let empty_sim = Sim::start(SimOptions { bricklink_daily_limit: 10_000_000, ..SimOptions::default() }).await.expect("sim");
    let empty_dir = tempfile::tempdir().expect("tmp");
    let empty = self::engine(&empty_sim, empty_dir.path(), &[]);
    let mut counts = Vec::new();
    for (s, e) in [(&empty_sim, &empty), (sim, engine)] {
        e.poll(None).await.expect("warm-up poll");
        s.clear_calls();
        for _ in 0..20 {
            e.poll(None).await.expect("poll");
        }
        let polls = s.calls(Market::Bricklink).len();
        s.clear_calls();
        e.sync_reconcile().await.ok();
        counts.push((polls, s.calls(Market::Bricklink).len()));
    }
    println!(
        "calls_idle            20 poll cycles: empty store {} calls, 100,000 lots {} calls; daily drift pass: {} and {} call(s)",
        counts[0].0, counts[1].0, counts[0].1, counts[1].1
    );
}

/// 1,000 lots edited, then one sync round: write calls per changed lot.
async fn sync_1000() {
    // BrickLink timestamps may not repeat, so a real token signs about one call per second after
    // a burst of 300; the simulator's window is widened to measure BrickDesk rather than that.
    let sim = sim_with_lots(lots(), SimOptions { bricklink_timestamp_window_secs: 1_000_000, ..SimOptions::default() }).await;
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path(), &[("BRICKDESK_BRICKLINK_TIMESTAMP_LEAD_SECS", "500000")]);
    engine.inventory_import(Provider::Bricklink).await.expect("import");
    let ids: Vec<i64> = engine
        .inventory_page(InventoryQuery { sort: InventorySort::Id, limit: 500, ..Default::default() })
        .await
        .expect("page")
        .lots
        .iter()
        .chain(
            engine
                .inventory_page(InventoryQuery { sort: InventorySort::Id, limit: 500, offset: 50_000, ..Default::default() })
                .await
                .expect("page")
                .lots
                .iter(),
        )
        .map(|l| l.id)
        .collect();
    let started = Instant::now();
    for id in &ids {
        engine.inventory_update(*id, InventoryUpdateInput { quantity: Some(500), ..Default::default() }).await.expect("edit");
    }
    let edits = started.elapsed();
    sim.clear_calls();
    let started = Instant::now();
    let report = engine.sync_run().await.expect("sync");
    let took = started.elapsed();
    let writes = sim.calls(Market::Bricklink).iter().filter(|c| c.method != "GET").count();
    assert_eq!(report.failed.len(), 0, "{:?}", report.failed);
    let remote = sim.bricklink_lots();
    let at_500 = remote.iter().filter(|l| l["quantity"] == 500).count();
    assert_eq!(at_500, ids.len(), "BrickLink holds every edit");
    println!(
        "sync_1000_of_100k     {} edits {:>6.2} s ({:>5.2} ms each); one round: {} writes = {:.2} per lot, {:>6.2} s on loopback \
         (a real token: ≈ {} s, one signed call per second after a burst of 300)",
        ids.len(),
        edits.as_secs_f64(),
        ms(edits) / ids.len() as f64,
        writes,
        writes as f64 / ids.len() as f64,
        took.as_secs_f64(),
        ids.len().saturating_sub(300)
    );
}

/// Issue #7's figure: 10,000 lots on BrickLink and BrickOwl, every one edited, then sync rounds
/// until both stores equal the local inventory: rounds, calls per lot per marketplace, wall time.
/// BrickOwl keeps its real limits (600 calls and 200 bulk calls a minute); BrickLink's timestamp
/// window is widened (see `sync_1000`).
async fn sync_10k() {
    let n_lots: usize = std::env::var("BENCH_10K_LOTS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    #[allow(non_snake_case)]
    let N = n_lots;
    // The ten colours the simulated BrickOwl can map; 1,000 parts.
    const COLOURS: [i64; 10] = [1, 2, 3, 5, 6, 7, 11, 85, 86, 88];
    let sim =
        Sim::start(SimOptions { bricklink_daily_limit: 10_000_000, bricklink_timestamp_window_secs: 1_000_000, ..SimOptions::default() })
            .await
            .expect("sim");
    for n in 0..N {
        sim.bricklink_add_lot(SimItem { color_id: COLOURS[n % 10], ..item(n) });
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().to_path_buf();
    let _guard = if std::env::var_os("BENCH_KEEP").is_some() {
        eprintln!("data kept in {}", tmp.keep().display());
        None
    } else {
        Some(tmp)
    };
    let engine = engine_on(&sim, &path, &[("BRICKDESK_BRICKLINK_TIMESTAMP_LEAD_SECS", "500000")], true);
    engine.inventory_import(Provider::Bricklink).await.expect("import BrickLink");
    engine.inventory_import(Provider::Brickowl).await.expect("import BrickOwl (empty: links it)");
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for offset in (0..N as i64).step_by(500) {
            let page = engine
                .inventory_page(InventoryQuery { sort: InventorySort::Id, offset, limit: 500, ..Default::default() })
                .await
                .expect("page");
            ids.extend(page.lots.iter().map(|l| l.id));
        }
        ids
    };
    assert_eq!(ids.len(), N);

    for (pass, quantity) in [("first listing on BrickOwl", 500), ("second edit", 600)] {
        for id in &ids {
            engine.inventory_update(*id, InventoryUpdateInput { quantity: Some(quantity), ..Default::default() }).await.expect("edit");
        }
        sim.clear_calls();
        let batched_before = sim.brickowl_batched().len();
        let started = Instant::now();
        let mut rounds = 0;
        loop {
            rounds += 1;
            let r = engine.sync_run().await.expect("sync");
            assert!(r.failed.is_empty(), "{:?}", r.failed.first());
            let pending = engine
                .inventory_page(InventoryQuery { sync: Some("pending".into()), limit: 0, ..Default::default() })
                .await
                .expect("count")
                .total;
            if pending == 0 {
                break;
            }
            assert!(rounds < 500, "sync does not converge: {pending} lots pending");
            if r.pushed.is_empty() {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        let took = started.elapsed();
        let bl = sim.bricklink_lots();
        assert_eq!(bl.iter().filter(|l| l["quantity"] == quantity).count(), N, "BrickLink equals local");
        let bo = sim.brickowl_lots();
        let equal = bo.iter().filter(|l| l["qty"] == quantity.to_string()).count();
        assert_eq!(
            equal,
            N,
            "BrickOwl equals local: {} lots there, e.g. {:?}",
            bo.len(),
            bo.iter().find(|l| l["qty"] != quantity.to_string())
        );
        let bl_calls = sim.calls(Market::Bricklink).len();
        let bo_calls = sim.calls(Market::Brickowl);
        let bulk = bo_calls.iter().filter(|c| c.path.contains("bulk")).count();
        let batched = sim.brickowl_batched().len() - batched_before;
        println!(
            "sync_10k_both         {pass:<25} {rounds} rounds, {:>6.1} s on loopback; BrickLink {bl_calls} calls = {:.2}/lot; BrickOwl {} calls = {:.3}/lot ({bulk} bulk requests carrying {batched} lot calls)",
            took.as_secs_f64(),
            bl_calls as f64 / N as f64,
            bo_calls.len(),
            bo_calls.len() as f64 / N as f64,
        );
        sim.clear_calls();
    }
}

/// `brickdesk-cli run` idle on the 100,000-lot store: resident memory after it settles.
fn memory(dir: &std::path::Path) {
    let Some(cli) = std::env::var_os("BRICKDESK_CLI").map(std::path::PathBuf::from) else {
        println!("cli_run_idle_rss      skipped: set BRICKDESK_CLI to a built brickdesk-cli (see README, Scale)");
        return;
    };
    let mut child = std::process::Command::new(cli)
        .arg("run")
        .env("BRICKDESK_DATA_DIR", dir)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn brickdesk-cli run");
    std::thread::sleep(Duration::from_secs(10));
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let rss = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("VmRSS: ?").to_owned();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap_or("VmHWM: ?").to_owned();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "cli_run_idle_rss      {} (peak {}) after 10 s on the 100,000-lot store",
        rss.trim_start_matches("VmRSS:").trim(),
        hwm.trim_start_matches("VmHWM:").trim()
    );
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let run = |s: &str| wanted.is_empty() || wanted.iter().any(|w| w == s);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        if run("import") || run("views") || run("calls") || run("memory") {
            let (sim, dir, engine) = import().await;
            if run("views") {
                inventory_views(&engine).await;
                seed_orders(&engine).await;
                orders_views(&engine).await;
            }
            if run("calls") {
                calls(&sim, &engine).await;
            }
            if run("memory") {
                memory(dir.path());
            }
        }
        if run("sync") {
            sync_1000().await;
        }
        if run("sync10k") {
            sync_10k().await;
        }
    });
}
