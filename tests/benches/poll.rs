//! `cargo bench -p brickdesk-tests --bench poll` — order intake speed on loopback, against the
//! simulated BrickLink (which verifies every OAuth signature) and a real SQLite file.
//!
//! Prints one line per measurement; README's "Benchmarks" table quotes them. Not run by tests.

use std::time::{Duration, Instant};

use brickdesk_engine::engine::CredentialSource;
use brickdesk_engine::{Config, Engine, EngineEvent};
use brickdesk_sim::{Market, Sim, SimItem, SimOptions, SimOrder};

fn engine(sim: &Sim, dir: &std::path::Path) -> Engine {
    let mut config = Config::from_lookup(|k| match k {
        "BRICKDESK_DATA_DIR" => Some(dir.display().to_string()),
        "BRICKDESK_BRICKLINK_DAILY_LIMIT" => Some("1000000".into()),
        _ => None,
    })
    .expect("config");
    config.bricklink_url = sim.bricklink_url.clone();
    config.brickowl_url = sim.brickowl_url.clone();
    // BrickLink only: the simulator's BrickOwl is not part of these measurements.
    let creds = match sim.options().credential_source() {
        CredentialSource::Fixed { bricklink, .. } => CredentialSource::Fixed { bricklink, brickowl: None },
        keyring => keyring,
    };
    Engine::open_with(config, creds).expect("engine")
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

/// Poll now → the order stored, reserved, and the NewOrders event (which the shell turns into
/// the OS notification) emitted. Median of 20.
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

/// 1,000 orders × 50 lines through the engine's store path: upsert, match, reserve, each order
/// in its own transaction, as the poller does after fetching.
async fn ingest_store() {
    use brickdesk_engine::marketplaces::types::{Condition, OrderPhase, RemoteLine, RemoteOrder};
    use brickdesk_engine::money::MoneyE4;
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let dir = tempfile::tempdir().expect("tmp");
    let engine = engine(&sim, dir.path());
    stock(&engine).await;
    let now: chrono::DateTime<chrono::Utc> = "2026-11-23T10:00:00Z".parse().expect("time");
    let orders: Vec<RemoteOrder> = (0..1000)
        .map(|n| RemoteOrder {
            external_id: format!("{}", 30_000_000 + n),
            status: "PAID".into(),
            phase: OrderPhase::Open,
            buyer_name: format!("buyer{n}"),
            date_ordered: now,
            date_status_changed: None,
            currency: "USD".into(),
            subtotal: MoneyE4(60_000),
            grand_total: MoneyE4(80_000),
            total_count: 100,
            unique_count: 50,
            raw: "{}".into(),
            lines: (0..50)
                .map(|i| RemoteLine {
                    line_key: format!("0:{i}"),
                    batch: 0,
                    item_no: format!("{}", 3000 + (i % 50)),
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
        .collect();
    let started = Instant::now();
    for o in orders {
        engine
            .store()
            .write(move |tx| brickdesk_engine::orders::apply(tx, brickdesk_ipc::Provider::Bricklink, "bricklink", &o, now))
            .await
            .expect("apply");
    }
    let took = started.elapsed();
    println!(
        "ingest_store_1000x50  {:>8.2} s    {:>8.1} orders/s   {:>8.0} lines/s",
        took.as_secs_f64(),
        1000.0 / took.as_secs_f64(),
        50_000.0 / took.as_secs_f64()
    );
    let reserved: i64 = engine.inventory_list().await.expect("lots").iter().map(|l| l.reserved).sum();
    assert_eq!(reserved, 100_000, "every line reserved exactly once");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        poll_latency().await;
        ingest_end_to_end().await;
        ingest_store().await;
    });
}
