//! Orders end to end without a window: `brickdesk-cli` against the simulated BrickLink and
//! BrickOwl on 127.0.0.1 (which check OAuth signatures, budgets and keys like the real ones), a
//! real SQLite file and the real OS keyring.

use std::time::{Duration, Instant};

use brickdesk_sim::{Fault, Market, Sim, SimItem, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, stderr, stdout, TestEnv};
use serde_json::{json, Value};

fn order(buyer: &str, batches: Vec<Vec<SimItem>>) -> SimOrder {
    SimOrder { buyer_name: buyer.into(), currency: "USD".into(), shipping: "2.5000".into(), status: "PENDING".into(), batches }
}

/// A simulator, a test env pointed at it with BrickLink credentials set, and local stock:
/// lot 1 = 3001 red new at A-01 (100), lot 2 = 3003 black used at B-02 (50).
async fn setup(label: &str) -> (Sim, TestEnv) {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.set_bricklink_credentials(&sim).await;
    for lot in [
        json!({"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":100,"unit_price":"0.12","location":"A-01"}),
        json!({"item_no":"3003","item_type":"PART","color_id":11,"condition":"U","quantity":50,"unit_price":"0.08","location":"B-02"}),
    ] {
        env.json(&["inventory", "add", "--json"], &lot.to_string()).await;
    }
    (sim, env)
}

async fn reserved(env: &TestEnv) -> Vec<(i64, i64)> {
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    lots.as_array().unwrap().iter().map(|l| (l["quantity"].as_i64().unwrap(), l["reserved"].as_i64().unwrap())).collect()
}

/// `doctor --json` must find every lot, line and queue row in agreement with the ledger.
async fn assert_doctor_ok(env: &TestEnv) {
    let report = env.json(&["doctor", "--json"], "").await;
    assert_eq!(report, json!({"ok": true, "problems": []}), "doctor found problems");
}

/// SIGTERM, then wait (bounded) for the exit status.
async fn terminate(daemon: &mut std::process::Child) -> std::process::ExitStatus {
    let pid = daemon.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = daemon.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _still_running = daemon.kill();
            let _reaped = daemon.wait();
            panic!("the daemon did not exit within 30 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn order_count(env: &TestEnv) -> usize {
    env.json(&["orders", "list", "--json"], "").await.as_array().unwrap().len()
}

/// Pins the engine clock of every later command of `env` to `at`.
fn set_now(env: &mut TestEnv, at: chrono::DateTime<chrono::Utc>) {
    env.extra.retain(|(k, _)| *k != "BRICKDESK_NOW");
    env.extra.push(("BRICKDESK_NOW", at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)));
}

fn provider<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["providers"].as_array().unwrap().iter().find(|p| p["provider"] == name).unwrap_or_else(|| panic!("no {name} in {summary}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_order_is_stored_matched_and_reserves_stock_once() {
    let (sim, env) = setup("neworder").await;
    sim.bricklink_add_order(order(
        "minifig_fan_42",
        vec![
            vec![item("3001", 5, 'N', 3, "0.1200", "A-01", None), item("3003", 11, 'U', 2, "0.0800", "B-02", None)],
            // Second batch: a part BrickDesk has no lot for.
            vec![item("3710", 1, 'N', 4, "0.0500", "", None)],
        ],
    ));
    let s = env.json(&["poll", "--json"], "").await;
    let bl = provider(&s, "bricklink");
    assert_eq!(
        (bl["fetched"].as_i64(), bl["stored"].as_i64(), bl["processed"].as_i64(), bl["new_orders"].as_i64()),
        (Some(1), Some(1), Some(1), Some(1)),
        "{s}"
    );
    assert_eq!(bl["failures"], json!([]));

    let list = env.json(&["orders", "list", "--json"], "").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = list[0]["id"].as_i64().unwrap().to_string();
    let o = env.json(&["orders", "show", &id, "--json"], "").await;
    assert_eq!(o["marketplace"], "bricklink");
    assert_eq!(o["buyer_name"], "minifig_fan_42");
    assert_eq!(o["status"], "PENDING");
    assert_eq!(o["currency"], "USD");
    // 3 × 0.12 + 2 × 0.08 + 4 × 0.05 = 0.72 subtotal, + 2.50 shipping: exact.
    assert_eq!(o["total"], "3.22");
    let items = o["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let by_no = |no: &str| items.iter().find(|i| i["item_no"] == no).unwrap().clone();
    assert_eq!(
        (by_no("3001")["location"].clone(), by_no("3001")["quantity"].clone(), by_no("3001")["unit_price"].clone()),
        (json!("A-01"), json!(3), json!("0.12"))
    );
    assert!(by_no("3001")["inventory_id"].is_i64());
    assert_eq!(by_no("3001")["pick_status"], "unpicked");
    assert_eq!(by_no("3003")["condition"], "U");
    assert_eq!((by_no("3710")["location"].clone(), by_no("3710")["inventory_id"].clone()), (json!("UNKNOWN"), Value::Null));
    assert_eq!(reserved(&env).await, vec![(100, 3), (50, 2)]);

    // Polling again sees the same (still unread) notification: stored once, reserved once.
    let again = env.json(&["poll", "--json"], "").await;
    let bl = provider(&again, "bricklink");
    assert_eq!((bl["stored"].as_i64(), bl["duplicates"].as_i64(), bl["processed"].as_i64()), (Some(0), Some(1), Some(0)), "{again}");
    assert_eq!(reserved(&env).await, vec![(100, 3), (50, 2)]);

    // A status change is a new notification: processed, never reserving twice.
    let order_id = list[0]["external_id"].as_str().unwrap().parse().unwrap();
    sim.bricklink_set_status(order_id, "PAID");
    let third = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&third, "bricklink")["processed"], 1, "{third}");
    assert_eq!(provider(&third, "bricklink")["new_orders"], 0);
    assert_eq!(env.json(&["orders", "show", &id, "--json"], "").await["status"], "PAID");
    assert_eq!(reserved(&env).await, vec![(100, 3), (50, 2)]);
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picker_marks_lines_and_a_later_status_change_keeps_them() {
    let (sim, env) = setup("pick").await;
    let external = sim.bricklink_add_order(order(
        "picky",
        vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", None), item("3003", 11, 'U', 2, "0.0800", "B-02", None)]],
    ));
    env.json(&["poll", "--json"], "").await;
    let id = env.json(&["orders", "list", "--json"], "").await[0]["id"].as_i64().unwrap().to_string();
    let lines = env.json(&["orders", "show", &id, "--json"], "").await["items"].clone();
    let line_of = |no: &str| lines.as_array().unwrap().iter().find(|i| i["item_no"] == no).unwrap()["id"].as_i64().unwrap().to_string();
    let (first, second) = (line_of("3001"), line_of("3003"));

    let after = env.json(&["orders", "pick", &id, "--item", &first, "--json"], "").await;
    assert_eq!(after["picked"], 1, "{after}");
    let status_of =
        |o: &Value, line: &str| o["items"].as_array().unwrap().iter().find(|i| i["id"].to_string() == line).unwrap()["pick_status"].clone();
    assert_eq!((status_of(&after, &first), status_of(&after, &second)), (json!("picked"), json!("unpicked")));
    let after = env.json(&["orders", "pick", &id, "--item", &second, "--status", "missing", "--json"], "").await;
    assert_eq!((after["picked"].clone(), status_of(&after, &second)), (json!(1), json!("missing")));
    // Picking moves no stock: the reservations stay until the order ships.
    assert_eq!(reserved(&env).await, vec![(100, 3), (50, 2)]);
    assert_eq!(env.json(&["orders", "list", "--json"], "").await[0]["picked"], 1);

    // A line of no order, an unknown order, an unknown status: clear errors, nothing changes.
    let o = env.cli_async(&["orders", "pick", &id, "--item", "999999"], "").await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("999999 is not a line of order {id}")), "{}", stderr(&o));
    let o = env.cli_async(&["orders", "pick", "424242"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("order") && stderr(&o).contains("424242"), "{}", stderr(&o));
    let o = env.cli_async(&["orders", "pick", &id, "--status", "lost"], "").await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // The order changes on BrickLink and is processed again: the picker's marks stay.
    sim.bricklink_set_status(external, "PAID");
    env.json(&["poll", "--json"], "").await;
    let now = env.json(&["orders", "show", &id, "--json"], "").await;
    assert_eq!(now["status"], "PAID");
    assert_eq!((status_of(&now, &first), status_of(&now, &second)), (json!("picked"), json!("missing")));
    // Every line at once, in the human format.
    let o = env.cli_async(&["orders", "pick", &id, "--status", "picked"], "").await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 lots, 2 picked"), "{}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_server_errors_and_truncated_bodies_are_retried() {
    let (sim, env) = setup("transient").await;
    let id = sim.bricklink_add_order(order("retry_me", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.inject(Market::Bricklink, "/notifications", Fault::GatewayHtml503);
    sim.inject(Market::Bricklink, &format!("/orders/{id}"), Fault::Status(500));
    sim.inject(Market::Bricklink, &format!("/orders/{id}/items"), Fault::TruncatedBody);
    let s = env.json(&["poll", "--json"], "").await;
    let bl = provider(&s, "bricklink");
    assert_eq!((bl["processed"].as_i64(), bl["failures"].as_array().map(Vec::len)), (Some(1), Some(0)), "{s}");
    assert_eq!(reserved(&env).await[0], (100, 1));
    // Every send was signed afresh: the simulator refuses reused timestamps, and none was refused.
    let calls = sim.calls(Market::Bricklink);
    assert!(calls.iter().all(|c| c.meta_code != Some(401)), "{calls:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_malformed_order_fails_alone_and_unknown_events_never_block() {
    let (sim, env) = setup("malformed").await;
    let bad = sim.bricklink_add_order(order("bad", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    let good = sim.bricklink_add_order(order("good", vec![vec![item("3003", 11, 'U', 5, "0.0800", "B-02", None)]]));
    sim.bricklink_push_notification(json!({"event_type": "Wishlist", "resource_id": 77, "timestamp": "2026-11-23T09:00:00.000Z"}));
    sim.bricklink_push_notification(json!({"event_type": "Message", "resource_id": good, "timestamp": "2026-11-23T09:00:01.000Z"}));
    sim.bricklink_push_notification(json!({"event_type": "Order", "timestamp": "2026-11-23T09:00:02.000Z"}));
    // Every send of the bad order's items gets a wrong type.
    let broken = r#"{"meta":{"code":200,"message":"OK","description":"OK"},"data":[[{"item":{"no":"3001","type":"PART"},"color_id":"red","quantity":1,"new_or_used":"N","unit_price":"0.12"}]]}"#;
    for _ in 0..3 {
        sim.inject(Market::Bricklink, &format!("/orders/{bad}/items"), Fault::Body(broken.into()));
    }
    let s = env.json(&["poll", "--json"], "").await;
    let bl = provider(&s, "bricklink");
    assert_eq!(bl["fetched"], 5, "{s}");
    assert_eq!(bl["processed"], 1, "{s}");
    let failures = bl["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{s}");
    // The key names the seller's account (a fingerprint of the consumer key, never the key).
    let key = failures[0]["key"].as_str().unwrap();
    let consumer_key = &sim.options().bricklink.consumer_key;
    let account = brickdesk_engine::marketplaces::credentials::account_name("bricklink", consumer_key);
    assert!(key.starts_with(&format!("{account}:Order:{bad}:")) && !key.contains(consumer_key.as_str()), "{s}");
    let timestamp = key.rsplit_once(&format!(":{bad}:")).unwrap().1;
    assert!(chrono::DateTime::parse_from_rfc3339(timestamp).is_ok(), "RFC 3339 timestamp in {key}");
    assert!(failures[0]["error"].as_str().unwrap().contains("data[0][0].color_id"), "{s}");
    assert_eq!((failures[0]["attempts"].as_i64(), failures[0]["will_retry"].as_bool()), (Some(1), Some(true)));
    // The good order went through; the malformed notification entry is stored as failed, the
    // unknown and message entries are stored and left alone.
    assert_eq!(reserved(&env).await, vec![(100, 0), (50, 5)]);
    let human = env.cli_async(&["poll"], "").await;
    assert!(human.status.success(), "{}", stderr(&human));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_credentials_are_one_clear_error() {
    let (_sim, env) = setup("wrongcreds").await;
    let bad =
        json!({"consumer_key":"DEMOCONSUMERKEY","consumer_secret":"WRONG","token_value":"DEMOTOKENVALUE","token_secret":"DEMOTOKENSECRET"});
    env.json(&["credentials", "set", "bricklink", "--json"], &bad.to_string()).await;
    let o = env.cli_async(&["poll", "--json"], "").await;
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("refused the credentials") && err.contains("SIGNATURE_INVALID"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(provider(&summary, "bricklink")["error"].as_str().unwrap().contains("SIGNATURE_INVALID"));
    let o = env.cli_async(&["poll", "--provider", "brickowl"], "").await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("BrickOwl is not connected"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_connection_says_in_plain_words_what_a_refusal_means() {
    let (sim, env) = setup("testconn").await;
    let ok = env.json(&["credentials", "test", "bricklink", "--json"], "").await;
    assert_eq!((ok["ok"].clone(), ok["provider"].clone()), (json!(true), json!("bricklink")), "{ok}");
    // BrickLink's answer when the token is bound to another IP (HTTP 200, meta.code 401).
    sim.inject(Market::Bricklink, "/notifications", Fault::Status(401));
    let o = env.cli_async(&["credentials", "test", "bricklink", "--json"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let refused: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(refused["ok"], false);
    assert!(refused["message"].as_str().unwrap().contains("registered for another IP address"), "{refused}");
    assert!(refused["detail"].as_str().unwrap().contains("TOKEN_IP_MISMATCHED"), "{refused}");
    assert!(stderr(&o).contains("0.0.0.0"), "{}", stderr(&o));
    // Not set at all: says so, without calling anyone.
    let o = env.cli_async(&["credentials", "test", "brickowl"], "").await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no saved credentials"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_budget_is_persisted_and_enforced() {
    let (sim, mut env) = setup("budget").await;
    env.extra.push(("BRICKDESK_BRICKLINK_DAILY_LIMIT", "4".into()));
    sim.bricklink_add_order(order("one", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.bricklink_add_order(order("two", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    // notifications + open orders (first-cycle reconciliation) + order + items = 4: the second
    // order's first call is refused by BrickDesk itself, not sent. That order waits for the
    // budget: no failure, no attempt used.
    let s = env.json(&["poll", "--json"], "").await;
    let bl = provider(&s, "bricklink");
    assert_eq!(bl["processed"], 1, "{s}");
    assert_eq!(bl["failures"], json!([]), "{s}");
    assert!(bl["waiting"].as_str().unwrap().contains("daily call budget"), "{s}");
    assert_eq!(sim.calls(Market::Bricklink).len(), 4);
    // A new process sees the same budget (it lives in SQLite).
    let o = env.cli_async(&["poll", "--json"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("daily call budget"), "{}", stderr(&o));
    assert_eq!(sim.calls(Market::Bricklink).len(), 4, "nothing more was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brickowl_orders_map_ids_and_colours_and_reserve() {
    let (sim, env) = setup("brickowl").await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    sim.brickowl_add_order(order(
        "owl_buyer",
        vec![vec![item("3001", 5, 'N', 6, "0.1200", "A-01", None), item("3003", 11, 'U', 1, "0.0800", "B-02", None)]],
    ));
    let s = env.json(&["poll", "--json"], "").await;
    let bo = provider(&s, "brickowl");
    assert_eq!(
        (bo["new_orders"].as_i64(), bo["processed"].as_i64(), bo["failures"].as_array().map(Vec::len)),
        (Some(1), Some(1), Some(0)),
        "{s}"
    );
    let list = env.json(&["orders", "list", "--json"], "").await;
    let o = list.as_array().unwrap().iter().find(|o| o["marketplace"] == "brickowl").unwrap();
    let detail = env.json(&["orders", "show", &o["id"].to_string(), "--json"], "").await;
    let items = detail["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["inventory_id"].is_i64()), "BrickOwl colours mapped back to BrickLink ids: {detail}");
    assert_eq!(reserved(&env).await, vec![(100, 6), (50, 1)]);
    // The order list is re-read with overlap: no duplicate work.
    let again = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&again, "brickowl")["processed"], 0, "{again}");
    assert_eq!(reserved(&env).await, vec![(100, 6), (50, 1)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_notifications_are_caught_by_reconciliation() {
    let (sim, env) = setup("reconcile").await;
    sim.bricklink_add_order(order("quiet", vec![vec![item("3001", 5, 'N', 2, "0.1200", "A-01", None)]]));
    // BrickLink does not guarantee delivery: the notification never shows up.
    sim.bricklink_clear_notifications();
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["new_orders"], 1, "{s}");
    assert_eq!(reserved(&env).await[0], (100, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_run_then_restarted_loses_nothing_and_reserves_nothing_twice() {
    let (sim, mut env) = setup("sigkill").await;
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    let n = 40;
    for i in 0..n {
        sim.bricklink_add_order(order(&format!("buyer{i}"), vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    }
    // Each order's lines take a while to come, so the daemon is surely mid-batch when killed.
    sim.slow(Market::Bricklink, "/items", Duration::from_millis(150));
    // Killed three times, at different points of the batch; each time it must really be mid-run.
    let mut killed_at = Vec::new();
    for threshold in [1, 12, 25] {
        let mut daemon = env.cli_command(&["run"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(90);
        while order_count(&env).await < threshold {
            assert!(Instant::now() < deadline, "daemon stored fewer than {threshold} orders");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        daemon.kill().unwrap(); // SIGKILL
        daemon.wait().unwrap();
        let stored = order_count(&env).await;
        assert!(stored < n, "killed after all {n} orders were in: this run proved nothing");
        killed_at.push(stored);
        assert_doctor_ok(&env).await;
    }
    assert!(killed_at.windows(2).all(|w| w[0] < w[1]), "each restart resumed the batch: {killed_at:?}");
    let s = env.json(&["poll", "--json"], "").await;
    let bl = provider(&s, "bricklink");
    assert!(bl["failures"].as_array().unwrap().is_empty(), "{s}");
    let orders = env.json(&["orders", "list", "--json"], "").await;
    assert_eq!(orders.as_array().unwrap().len(), n, "killed after {killed_at:?}: {s}");
    let mut ids: Vec<&str> = orders.as_array().unwrap().iter().map(|o| o["external_id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert_eq!(reserved(&env).await[0], (100, n as i64), "one reservation per order, whatever was re-processed");
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_next_to_a_running_daemon_steals_nothing() {
    let (sim, mut env) = setup("concurrent").await;
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    let n = 6;
    let mut external = Vec::new();
    for i in 0..n {
        external.push(sim.bricklink_add_order(order(&format!("slow{i}"), vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]])));
    }
    // Slow orders: the daemon holds each for a while.
    sim.slow(Market::Bricklink, "/items", Duration::from_millis(800));
    let mut daemon = env.cli_command(&["run"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while order_count(&env).await < 1 {
        assert!(Instant::now() < deadline, "daemon stored no order");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The daemon is part-way through; a seller's script polls from a second process.
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["failures"], json!([]), "{s}");
    while order_count(&env).await < n {
        assert!(Instant::now() < deadline, "not every order landed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(terminate(&mut daemon).await.code(), Some(0));
    // Every order was fetched exactly once, by one process or the other.
    let calls = sim.calls(Market::Bricklink);
    for id in &external {
        let fetched = calls.iter().filter(|c| c.method == "GET" && c.path == format!("/orders/{id}/items") && c.status == 200).count();
        assert_eq!(fetched, 1, "order {id} fetched {fetched} times");
    }
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    assert_eq!(failed, json!([]), "nothing reported failed");
    assert_eq!(reserved(&env).await[0], (100, n as i64));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_bricklink_fails_for_hours_lands_once_when_it_answers_again() {
    let (sim, mut env) = setup("outage").await;
    let external = sim.bricklink_add_order(order("patient", vec![vec![item("3001", 5, 'N', 2, "0.1200", "A-01", None)]]));
    sim.outage(Market::Bricklink, &format!("/orders/{external}"), Fault::GatewayHtml503);
    // About four hours of polls every 16 minutes while BrickLink fails that one order.
    let t0 = chrono::Utc::now();
    for k in 0..15 {
        set_now(&mut env, t0 + chrono::Duration::minutes(16 * k));
        let s = env.json(&["poll", "--json"], "").await;
        assert_eq!(provider(&s, "bricklink")["error"], Value::Null, "the feed itself works: {s}");
    }
    assert_eq!(order_count(&env).await, 0);
    // The seller can see it failing, with BrickLink's answer.
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    let failed = failed.as_array().unwrap();
    assert!(!failed.is_empty() && failed.iter().all(|f| f["resource_id"] == external.to_string()), "{failed:?}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("503"), "{failed:?}");
    let status = env.json(&["orders", "list", "--json"], "").await;
    assert_eq!(status, json!([]));

    // BrickLink answers again: the next poll lands the order, once, with its reservation.
    sim.end_outage(Market::Bricklink);
    set_now(&mut env, t0 + chrono::Duration::minutes(16 * 15));
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["new_orders"], 1, "{s}");
    assert_eq!(order_count(&env).await, 1);
    assert_eq!(reserved(&env).await[0], (100, 2));
    assert_eq!(env.json(&["inbox", "list", "--failed", "--json"], "").await, json!([]), "the order answers its failed rows");
    let again = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&again, "bricklink")["processed"], 0, "{again}");
    assert_eq!(reserved(&env).await[0], (100, 2));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_that_never_works_costs_a_bounded_number_of_calls() {
    let (sim, mut env) = setup("bounded").await;
    let external = sim.bricklink_add_order(order("broken", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.outage(Market::Bricklink, &format!("/orders/{external}"), Fault::GatewayHtml503);
    // An hour of polls every 3 minutes, the notification listed every time.
    let t0 = chrono::Utc::now();
    for k in 0..20 {
        set_now(&mut env, t0 + chrono::Duration::minutes(3 * k));
        env.json(&["poll", "--json"], "").await;
    }
    let sends = sim.calls(Market::Bricklink).iter().filter(|c| c.path == format!("/orders/{external}")).count();
    // Five attempts with backoff, then one more each time it has rested 15 minutes: 7 attempts
    // of up to 3 sends. Re-arming at every sighting would be 20 attempts (60 sends).
    assert!(sends <= 8 * 3, "{sends} sends for one broken order in an hour");
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    assert_eq!(failed.as_array().unwrap().len(), 1, "one row, not one per reconciliation: {failed}");
    sim.end_outage(Market::Bricklink);
    set_now(&mut env, t0 + chrono::Duration::minutes(3 * 20 + 15));
    env.json(&["poll", "--json"], "").await;
    assert_eq!(order_count(&env).await, 1);
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_budget_is_waiting_not_failing_and_the_sellers_retry_works() {
    let (sim, mut env) = setup("waiting").await;
    let t0 = chrono::Utc::now();
    set_now(&mut env, t0);
    let external = sim.bricklink_add_order(order("rate_limited", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    // BrickLink says "too many requests" for a minute on this order, many times over.
    for _ in 0..8 {
        sim.inject(Market::Bricklink, &format!("/orders/{external}"), Fault::TooManyRequests { retry_after_secs: 60 });
    }
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["failures"], json!([]), "a rate limit is not a failure: {s}");
    assert_eq!(order_count(&env).await, 0);
    // Waiting rows are not failed rows and have used no attempt.
    assert_eq!(env.json(&["inbox", "list", "--failed", "--json"], "").await, json!([]));
    for minute in 1..=8 {
        set_now(&mut env, t0 + chrono::Duration::minutes(minute * 2));
        env.json(&["poll", "--json"], "").await;
    }
    assert_eq!(order_count(&env).await, 1, "landed once the limit lifted");

    // A notification that failed for good is retried by the seller.
    let bad = sim.bricklink_add_order(order("unlucky", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.inject(Market::Bricklink, &format!("/orders/{bad}"), Fault::Status(403));
    let s = env.json(&["poll", "--json"], "").await;
    let failures = provider(&s, "bricklink")["failures"].clone();
    assert_eq!(failures[0]["will_retry"], false, "{s}");
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    let id = failed[0]["id"].as_i64().unwrap().to_string();
    let o = env.cli_async(&["inbox", "retry", "999999"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(env.json(&["inbox", "retry", &id, "--json"], "").await, json!({"retried": 1}));
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["new_orders"], 1, "{s}");
    assert_eq!(reserved(&env).await[0], (100, 2));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_polls_serves_other_commands_and_exits_zero_on_sigterm() {
    let (sim, mut env) = setup("daemon").await;
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    sim.bricklink_add_order(order("daemon_buyer", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    let mut daemon = env.cli_command(&["run"]).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // Drained as it comes: a daemon blocked on a full pipe would look like one that hangs.
    let mut pipe = daemon.stderr.take().unwrap();
    let drained = std::thread::spawn(move || {
        let mut err = String::new();
        let _partial_is_fine = std::io::Read::read_to_string(&mut pipe, &mut err);
        err
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.json(&["orders", "list", "--json"], "").await.as_array().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "daemon polled nothing at start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Other commands work against the same database while it runs.
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3020","item_type":"PART","color_id":1,"condition":"N","quantity":5,"unit_price":"0.1","location":"C-03"}"#,
    )
    .await;
    let pid = daemon.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = daemon.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _still_running = daemon.kill();
            let _reaped = daemon.wait();
            panic!("the daemon did not exit within 30 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let err = drained.join().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_data_dir_or_any_output() {
    let (sim, env) = setup("secrets").await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    sim.bricklink_add_order(order("s", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.brickowl_add_order(order("s", vec![vec![item("3001", 5, 'N', 1, "0.1200", "A-01", None)]]));
    sim.inject(Market::Brickowl, "/order/list", Fault::Status(500));
    let mut outputs = String::new();
    for args in
        [&["poll", "--json"][..], &["poll"], &["orders", "list"], &["orders", "list", "--json"], &["credentials", "status", "--json"]]
    {
        let o = env.cli_async(args, "").await;
        outputs.push_str(&stdout(&o));
        outputs.push_str(&stderr(&o));
    }
    let o = sim.options();
    let secrets = [o.bricklink.consumer_secret.as_str(), o.bricklink.token_secret.as_str(), o.brickowl_api_key.as_str()];
    for s in secrets {
        assert!(!outputs.contains(s), "secret {s:?} printed");
    }
    env.assert_no_secret_in_data_dir(&secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_order_gives_its_stock_back() {
    let (sim, env) = setup("cancel").await;
    let id = sim.bricklink_add_order(order("changed_mind", vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", None)]]));
    env.json(&["poll", "--json"], "").await;
    assert_eq!(reserved(&env).await[0], (100, 3));
    // The buyer cancels: BrickLink sends an Order notification for the status change.
    sim.bricklink_set_status(id, "CANCELLED");
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["processed"], 1, "{s}");
    assert_eq!(reserved(&env).await[0], (100, 0));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_that_leaves_the_open_list_silently_is_fetched_again() {
    let (sim, mut env) = setup("silentcancel").await;
    env.extra.push(("BRICKDESK_NOW", "2026-11-23T10:00:00Z".into()));
    let id = sim.bricklink_add_order(order("quiet_cancel", vec![vec![item("3001", 5, 'N', 4, "0.1200", "A-01", None)]]));
    env.json(&["poll", "--json"], "").await;
    assert_eq!(reserved(&env).await[0], (100, 4));
    // The seller cancels on bricklink.com: no notification, and the order drops out of the
    // open-orders list that reconciliation reads.
    sim.bricklink_set_status(id, "CANCELLED");
    sim.bricklink_clear_notifications();
    env.extra.retain(|(k, _)| *k != "BRICKDESK_NOW");
    env.extra.push(("BRICKDESK_NOW", "2026-11-23T10:31:00Z".into()));
    let s = env.json(&["poll", "--json"], "").await;
    assert_eq!(provider(&s, "bricklink")["processed"], 1, "{s}");
    let list = env.json(&["orders", "list", "--json"], "").await;
    assert_eq!(list[0]["status"], "CANCELLED");
    assert_eq!(reserved(&env).await[0], (100, 0));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_entered_after_the_order_is_matched_and_reserved() {
    let (sim, env) = setup("latestock").await;
    sim.bricklink_add_order(order("early_bird", vec![vec![item("3020", 1, 'N', 6, "0.1000", "C-03", None)]]));
    env.json(&["poll", "--json"], "").await;
    let id = env.json(&["orders", "list", "--json"], "").await[0]["id"].to_string();
    let line = |o: &Value| o["items"][0].clone();
    assert_eq!(line(&env.json(&["orders", "show", &id, "--json"], "").await)["location"], "UNKNOWN");
    // The line names bin C-03: the same part in another bin is not where it will be picked from.
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3020","item_type":"PART","color_id":1,"condition":"N","quantity":9,"unit_price":"0.1","location":"Z-99"}"#,
    )
    .await;
    assert_eq!(line(&env.json(&["orders", "show", &id, "--json"], "").await)["location"], "UNKNOWN");
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3020","item_type":"PART","color_id":1,"condition":"N","quantity":30,"unit_price":"0.1","location":"C-03"}"#,
    )
    .await;
    let after = line(&env.json(&["orders", "show", &id, "--json"], "").await);
    assert_eq!((after["location"].clone(), after["inventory_id"].is_i64()), (json!("C-03"), true), "{after}");
    assert_eq!(reserved(&env).await, vec![(100, 0), (50, 0), (30, 6), (9, 0)]);
    assert_doctor_ok(&env).await;
}
