//! The catalog cache end to end: `brickdesk-cli catalog …` against the simulated BrickLink (which
//! checks signatures and the daily budget like the real one), a real SQLite file and the real OS
//! keyring; one test drives the engine in-process to ask a hundred times quickly.

use std::time::{Duration, Instant};

use brickdesk_engine::{Config, Engine};
use brickdesk_ipc::{CatalogQuery, CatalogStatus};
use brickdesk_sim::{Fault, Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_credentials, sim_part, stderr, TestEnv};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

/// A simulator and a test env pointed at it with BrickLink credentials set.
async fn setup(label: &str, extra: &[(&'static str, &str)]) -> (Sim, TestEnv) {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    for (k, v) in extra {
        env.extra.push((k, v.to_string()));
    }
    env.set_bricklink_credentials(&sim).await;
    (sim, env)
}

/// The engine in-process on a fresh data dir, pointed at `sim` (its API and its image host).
fn engine_on(sim: &Sim) -> (Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::from_lookup(|k| (k == "BRICKDESK_DATA_DIR").then(|| dir.path().display().to_string())).unwrap();
    config.bricklink_url = sim.bricklink_url.clone();
    config.bricklink_images_url = sim.bricklink_images_url.clone();
    config.brickowl_url = sim.brickowl_url.clone();
    (Engine::open_with(config, sim_credentials(sim.options())).unwrap(), dir)
}

fn set_now(env: &mut TestEnv, at: DateTime<Utc>) {
    env.extra.retain(|(k, _)| *k != "BRICKDESK_NOW");
    env.extra.push(("BRICKDESK_NOW", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
}

fn calls_to(sim: &Sim, path: &str) -> usize {
    sim.calls(Market::Bricklink).iter().filter(|c| c.path == path).count()
}

fn row<'a>(status: &'a Value, what: &str) -> &'a Value {
    status.as_array().unwrap().iter().find(|r| r["what"] == what).unwrap_or_else(|| panic!("no {what} row in {status}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_refreshing_fresh_stale_and_a_refresh_brings_the_catalogs_changes() {
    let (sim, mut env) = setup("catfresh", &[]).await;
    let t0 = Utc::now();
    set_now(&mut env, t0);
    let part = ["catalog", "part", "3001", "--color", "5", "--json"];
    let first = env.json(&part, "").await;
    assert_eq!((first["status"].clone(), first["data"].clone()), (json!("missing"), Value::Null), "{first}");
    assert_eq!(calls_to(&sim, "/items/PART/3001"), 0, "asking never fetches");
    assert_eq!(env.json(&part, "").await["status"], "refreshing");

    let run = env.json(&["catalog", "refresh", "run", "--json"], "").await;
    let fetched: Vec<&str> = run["fetched"].as_array().unwrap().iter().map(|r| r["what"].as_str().unwrap()).collect();
    assert_eq!(fetched, ["item", "colors", "color_list", "price"], "{run}");
    let fresh = env.json(&part, "").await;
    assert_eq!(fresh["status"], "fresh", "{fresh}");
    let data = &fresh["data"];
    let name = data["name"].as_str().unwrap().to_string();
    assert!(!name.is_empty());
    assert!(data["image_url"].as_str().unwrap().starts_with("https://"), "{data}");
    let colours = data["colors"].as_array().unwrap();
    assert!(!colours.is_empty() && colours.iter().all(|c| c["name"] != "" && c["hex"] != ""), "named from the colour list: {colours:?}");
    let guides = data["price_guides"].as_array().unwrap();
    let kinds: Vec<String> =
        guides.iter().map(|g| format!("{}-{}", g["guide_type"].as_str().unwrap(), g["new_or_used"].as_str().unwrap())).collect();
    assert_eq!(kinds, ["sold-N", "sold-U", "stock-N", "stock-U"]);
    assert!(guides.iter().all(|g| g["currency"] == "USD" && g["avg_price"].as_str().unwrap().contains('.')), "{guides:?}");
    assert!(fresh["fetched_at"].as_str().unwrap().starts_with(&t0.format("%Y-%m-%d").to_string()));

    // 29 days on it is still fresh; at 31 it is stale and the old data is still there.
    set_now(&mut env, t0 + chrono::Duration::days(29));
    assert_eq!(env.json(&part, "").await["status"], "fresh");
    set_now(&mut env, t0 + chrono::Duration::days(31));
    let stale = env.json(&part, "").await;
    assert_eq!((stale["status"].clone(), stale["data"]["name"].clone()), (json!("stale"), json!(name)), "{stale}");
    // BrickLink's catalog moved on meanwhile: the refresh brings the change.
    sim.bricklink_set_item_name("PART", "3001", "Brick 2 x 4 (renamed)");
    assert_eq!(env.json(&part, "").await["status"], "refreshing");
    env.json(&["catalog", "refresh", "run", "--json"], "").await;
    let renewed = env.json(&part, "").await;
    assert_eq!((renewed["status"].clone(), renewed["data"]["name"].clone()), (json!("fresh"), json!("Brick 2 x 4 (renamed)")));
    assert_eq!(calls_to(&sim, "/items/PART/3001"), 2, "fetched once, then once more when stale");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_request_a_hundred_times_is_one_row_and_one_fetch() {
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let (engine, _dir) = engine_on(&sim);
    let q = || CatalogQuery { item_no: "3003".into(), item_type: Some("part".into()), color_id: Some(11) };
    for _ in 0..100 {
        engine.catalog_part(q()).await.unwrap();
    }
    let queue = engine.catalog_refresh_status().await.unwrap();
    assert_eq!(queue.len(), 4, "item, colours, colour list, prices: {queue:?}");
    let run = engine.catalog_refresh_run().await.unwrap();
    assert_eq!((run.fetched.len(), run.failed.len()), (4, 0));
    assert_eq!(calls_to(&sim, "/items/PART/3003"), 1);
    assert_eq!(calls_to(&sim, "/items/PART/3003/price"), 4, "sold/stock × new/used");
    assert_eq!(engine.catalog_part(q()).await.unwrap().status, CatalogStatus::Fresh);
    // An item BrickLink does not have fails for good, with its words, and blocks nothing else.
    let bad = CatalogQuery { item_no: "no-such-part".into(), item_type: Some("MINIFIG".into()), color_id: None };
    sim.inject(Market::Bricklink, "/items/MINIFIG/no-such-part", Fault::Status(404));
    engine.catalog_part(bad.clone()).await.unwrap();
    engine.catalog_part(CatalogQuery { item_no: "3004".into(), item_type: None, color_id: None }).await.unwrap();
    let run = engine.catalog_refresh_run().await.unwrap();
    assert_eq!(run.failed.len(), 1, "{run:?}");
    assert!(run.failed[0].last_error.as_deref().unwrap_or_default().contains("RESOURCE_NOT_FOUND"), "{run:?}");
    assert!(run.fetched.iter().any(|r| r.item_no == "3004" && r.what == "item"));
    let answer = engine.catalog_part(bad).await.unwrap();
    assert_eq!(answer.status, CatalogStatus::Missing);
    assert!(answer.last_error.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_refresh_the_row_is_run_again_once() {
    let (sim, env) = setup("catkill", &[]).await;
    env.json(&["catalog", "part", "3001", "--color", "5", "--json"], "").await;
    // The price guides take a while: the run is surely in the middle of them when killed.
    sim.slow(Market::Bricklink, "/price", Duration::from_secs(3));
    let mut run = env.cli_command(&["catalog", "refresh", "run", "--json"]).stdout(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = env.json(&["catalog", "refresh", "status", "--json"], "").await;
        if row(&status, "price")["status"] == "processing" {
            break;
        }
        assert!(Instant::now() < deadline, "the price row never started: {status}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    run.kill().unwrap(); // SIGKILL
    run.wait().unwrap();
    let killed = env.json(&["catalog", "refresh", "status", "--json"], "").await;
    assert_eq!(row(&killed, "price")["status"], "processing", "left as it was: {killed}");
    assert_eq!(row(&killed, "item")["status"], "done");
    let again = env.json(&["catalog", "refresh", "run", "--json"], "").await;
    let fetched: Vec<&str> = again["fetched"].as_array().unwrap().iter().map(|r| r["what"].as_str().unwrap()).collect();
    assert_eq!(fetched, ["price"], "only the interrupted row runs again: {again}");
    let status = env.json(&["catalog", "refresh", "status", "--json"], "").await;
    assert_eq!((row(&status, "price")["status"].clone(), row(&status, "price")["attempts"].clone()), (json!("done"), json!(2)));
    assert_eq!(calls_to(&sim, "/items/PART/3001"), 1, "finished rows are not fetched again");
    let part = env.json(&["catalog", "part", "3001", "--color", "5", "--json"], "").await;
    assert_eq!((part["status"].clone(), part["data"]["price_guides"].as_array().unwrap().len()), (json!("fresh"), 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_wait_and_server_errors_back_off() {
    let (sim, mut env) = setup("catback", &[]).await;
    let t0 = Utc::now();
    set_now(&mut env, t0);
    env.json(&["catalog", "part", "3005", "--json"], "").await;
    sim.inject(Market::Bricklink, "/items/PART/3005", Fault::TooManyRequests { retry_after_secs: 60 });
    let run = env.json(&["catalog", "refresh", "run", "--json"], "").await;
    assert!(run["waiting"].as_str().unwrap_or_default().contains("rate limit"), "{run}");
    let status = env.json(&["catalog", "refresh", "status", "--json"], "").await;
    assert_eq!((row(&status, "item")["status"].clone(), row(&status, "item")["attempts"].clone()), (json!("pending"), json!(0)));
    // A minute on, BrickLink's front end fails three sends in a row: a failed attempt, backing off.
    set_now(&mut env, t0 + chrono::Duration::minutes(2));
    for _ in 0..3 {
        sim.inject(Market::Bricklink, "/items/PART/3005", Fault::GatewayHtml503);
    }
    let run = env.json(&["catalog", "refresh", "run", "--json"], "").await;
    let failed = &run["failed"][0];
    assert_eq!((failed["what"].clone(), failed["attempts"].clone()), (json!("item"), json!(1)), "{run}");
    assert!(failed["next_attempt_at"].is_string(), "will retry: {run}");
    let sends = calls_to(&sim, "/items/PART/3005");
    env.json(&["catalog", "refresh", "run", "--json"], "").await;
    assert_eq!(calls_to(&sim, "/items/PART/3005"), sends, "not due during the backoff");
    set_now(&mut env, t0 + chrono::Duration::minutes(4));
    env.json(&["catalog", "refresh", "run", "--json"], "").await;
    assert_eq!(env.json(&["catalog", "part", "3005", "--json"], "").await["status"], "fresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_work_never_spends_the_share_kept_for_orders() {
    // 20 calls a day, 4 of them kept for orders.
    let (sim, env) = setup("catbudget", &[("BRICKDESK_BRICKLINK_DAILY_LIMIT", "20")]).await;
    for no in ["3001", "3002", "3003", "3004"] {
        env.json(&["catalog", "part", no, "--color", "5", "--json"], "").await;
    }
    let run = env.json(&["catalog", "refresh", "run", "--json"], "").await;
    assert!(run["waiting"].as_str().unwrap_or_default().contains("daily call budget"), "{run}");
    assert_eq!(sim.calls(Market::Bricklink).len(), 16, "the catalog's share and no more");
    // An order still lands: notifications, open orders, the order and its lines.
    sim.bricklink_add_order(SimOrder {
        buyer_name: "still_served".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![sim_part("3001", 5, 'N', 1, "0.1000", "", None)]],
    });
    let o = env.cli_async(&["poll", "--json"], "").await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(env.json(&["orders", "list", "--json"], "").await.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picture_is_fetched_once_kept_on_disk_and_only_from_bricklinks_image_host() {
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let (engine, dir) = engine_on(&sim);
    // The catalog's own address for the part (BrickLink writes it scheme-relative).
    engine.catalog_part(CatalogQuery { item_no: "3001".into(), item_type: None, color_id: None }).await.unwrap();
    engine.catalog_refresh_run().await.unwrap();
    let part = engine.catalog_part(CatalogQuery { item_no: "3001".into(), item_type: None, color_id: None }).await.unwrap();
    let url = part.data.expect("fetched").image_url;
    assert!(url.starts_with("https://img.bricklink.com/"), "{url}");
    let first = engine.catalog_image(&url).await.unwrap().expect("a picture");
    assert_eq!(first.content_type, "image/png");
    assert_eq!(&first.bytes[..4], b"\x89PNG");
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("images")).unwrap().collect();
    assert_eq!(kept.len(), 1, "kept on disk");
    // Served from disk afterwards: the simulator could be gone.
    drop(sim);
    assert_eq!(engine.catalog_image(&url).await.unwrap(), Some(first));
    for bad in ["https://example.com/x.png", "file:///etc/passwd", "//img.bricklink.com/../x"] {
        let e = engine.catalog_image(bad).await.unwrap_err().to_string();
        assert!(e.contains("image host"), "{bad}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lots_on_screen_without_names_are_named_first() {
    let sim = Sim::start(SimOptions::default()).await.expect("sim");
    let (engine, _dir) = engine_on(&sim);
    for (no, colour) in [("3001", 5), ("3001", 11), ("3003", 1)] {
        let lot = json!({"item_no": no, "item_type": "PART", "color_id": colour, "condition": "N", "quantity": 4, "unit_price": "0.10"});
        engine.inventory_add(serde_json::from_value(lot).unwrap()).await.unwrap();
    }
    let page = || engine.inventory_page_shown(brickdesk_ipc::InventoryQuery { limit: 50, ..Default::default() });
    // A plain read (the CLI's, the MCP server's) asks for nothing.
    engine.inventory_page(brickdesk_ipc::InventoryQuery { limit: 50, ..Default::default() }).await.unwrap();
    assert!(engine.catalog_refresh_status().await.unwrap().is_empty());
    let first = page().await.unwrap();
    assert!(first.lots.iter().all(|l| l.item_name.is_empty()), "nothing cached yet");
    let queue = engine.catalog_refresh_status().await.unwrap();
    let mut asked: Vec<String> = queue.iter().map(|r| format!("{} {} {}", r.what, r.item_no, r.priority)).collect();
    asked.sort();
    assert_eq!(asked, ["color_list  1", "item 3001 1", "item 3003 1"], "each item once and the colour list, at the seller's priority");
    // Shown again while they are on their way: nothing more is queued.
    page().await.unwrap();
    assert_eq!(engine.catalog_refresh_status().await.unwrap().len(), 3);
    engine.catalog_refresh_run().await.unwrap();
    let named = page().await.unwrap();
    let shown: Vec<(String, String, bool)> =
        named.lots.iter().map(|l| (l.item_name.clone(), l.color_name.clone(), !l.color_hex.is_empty())).collect();
    assert!(shown.iter().all(|(n, c, hex)| !n.is_empty() && !c.is_empty() && *hex), "{shown:?}");
    assert_eq!(calls_to(&sim, "/items/PART/3001"), 1);
}
