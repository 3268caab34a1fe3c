//! `cargo bench -p brickdesk-tests --bench fulfil` — the day's shipping: 50 paid orders on each
//! of BrickLink, BrickOwl and Allegro marked shipped with a tracking number (Allegro with its
//! carrier), then one `sync run`. Prints the calls each marketplace received per order and the
//! round's wall time; README's Benchmarks quote it. It drives the real `brickdesk-cli` (the OS
//! keyring holds the three accounts), so it runs under a session keyring:
//! `BRICKDESK_BIN_DIR=<dir of a built brickdesk-cli> scripts/with-keyring cargo bench -p
//! brickdesk-tests --bench fulfil`. It asserts correctness (every order shipped on its
//! marketplace, nothing left to send), never times.

use std::time::Instant;

use brickdesk_sim::{AllegroLine, AllegroOrder, Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part, TestEnv};
use serde_json::{json, Value};

const ORDERS: usize = 50;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("simulator");
    let mut env = TestEnv::new("bench-fulfil");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    // BrickDesk's own calls are counted, not BrickLink's pacing of them.
    env.extra.push(("BRICKDESK_BRICKLINK_RATE_PER_SEC", "1000".into()));
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":5000,"unit_price":"0.12","location":"A-01"}"#,
    )
    .await;
    env.set_bricklink_credentials(&sim).await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    env.link_allegro(&sim).await;
    let order = |status: &str| SimOrder {
        buyer_name: "Buyer".into(),
        currency: "USD".into(),
        shipping: "2.0000".into(),
        status: status.into(),
        batches: vec![vec![sim_part("3001", 5, 'N', 2, "0.1200", "A-01", None)]],
    };
    let mut external: Vec<(Market, String)> = Vec::new();
    for n in 0..ORDERS {
        external.push((Market::Bricklink, sim.bricklink_add_order(order("PAID")).to_string()));
        external.push((Market::Brickowl, sim.brickowl_add_order(order("Payment Received"))));
        external.push((
            Market::Allegro,
            sim.allegro_add_order(AllegroOrder {
                buyer_login: format!("Kupujacy_{n}"),
                lines: vec![AllegroLine {
                    offer_id: "7700001".into(),
                    name: "LEGO 3001".into(),
                    external_id: Some("bd-1".into()),
                    quantity: 2,
                    price: "1.10".into(),
                }],
                delivery: "Allegro Kurier DPD".into(),
                delivery_cost: "11.99".into(),
                paid: true,
            }),
        ));
    }
    for _ in 0..5 {
        env.json(&["poll", "--json"], "").await;
        let listed = env.json(&["orders", "list", "--json"], "").await;
        if listed.as_array().map_or(0, Vec::len) >= 3 * ORDERS {
            break;
        }
    }
    let listed = env.json(&["orders", "list", "--json"], "").await;
    let local = |e: &str| -> String {
        listed.as_array().into_iter().flatten().find(|o| o["external_id"] == e).map(|o| o["id"].to_string()).expect("order polled")
    };
    let started = Instant::now();
    for (n, (market, e)) in external.iter().enumerate() {
        let id = local(e);
        let tracking = format!("TRK{n:06}");
        let mut args = vec!["orders", "status", id.as_str(), "shipped", "--tracking", tracking.as_str(), "--json"];
        if *market == Market::Allegro {
            args.extend(["--carrier", "DPD"]);
        }
        env.json(&args, "").await;
    }
    let marking = started.elapsed();
    sim.clear_calls();
    let started = Instant::now();
    let round = env.json(&["sync", "run", "--json"], "").await;
    let took = started.elapsed();
    let updates = round["order_updates"].as_array().cloned().unwrap_or_default();
    assert_eq!(updates.len(), 3 * ORDERS, "{round}");
    assert!(updates.iter().all(|u| u["remote"] == "synced"), "{round}");
    let pending: Vec<Value> = env
        .json(&["sync", "status", "--json"], "")
        .await
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["order_id"].is_i64())
        .cloned()
        .collect();
    assert!(pending.is_empty(), "{pending:?}");
    for (market, e) in &external {
        match market {
            Market::Bricklink => assert_eq!(sim.bricklink_order(e.parse().expect("id")).expect("order")["status"], "SHIPPED"),
            Market::Brickowl => assert_eq!(sim.brickowl_order(e).expect("order")["status_id"], "5"),
            Market::Allegro => assert_eq!(sim.allegro_shipments(e).len(), 1),
        }
    }
    for market in [Market::Bricklink, Market::Brickowl, Market::Allegro] {
        let calls = sim.calls(market);
        let order_calls = calls.iter().filter(|c| c.path.contains("/order")).count();
        println!(
            "fulfil_{:<10} {ORDERS} orders shipped with tracking: {order_calls} order calls in one round = {:.2} per order ({} calls in all)",
            format!("{market:?}").to_lowercase(),
            order_calls as f64 / ORDERS as f64,
            calls.len()
        );
    }
    println!(
        "fulfil_round         {} orders marked through the CLI in {:.1} s (one process each); one sync run {:.2} s on loopback",
        3 * ORDERS,
        marking.as_secs_f64(),
        took.as_secs_f64()
    );
}
