//! Inventory sync with BrickOwl next to BrickLink, end to end: `brickdesk-cli` against both
//! simulated stores (BOIDs, BrickOwl colour ids, quantity deltas, form-encoded POSTs, the
//! per-minute limit), a real SQLite file and the real OS keyring.

use std::time::{Duration, Instant};

use brickdesk_sim::{Fault, Market, Sim, SimItem, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, TestEnv};
use serde_json::{json, Value};

/// Both stores hold the same lot (3001 red new, 40 at A-01); BrickOwl also `bo_only`. A test env
/// with both credentials imports BrickLink, then BrickOwl: local lot 1 is linked to both.
/// Returns the BrickLink lot id and BrickOwl's lot id of 3001.
async fn setup(label: &str, bo_only: &[SimItem]) -> (Sim, TestEnv, i64, String) {
    setup_with(label, bo_only, SimOptions::default()).await
}

/// [`setup`] against a simulator with these options.
async fn setup_with(label: &str, bo_only: &[SimItem], options: SimOptions) -> (Sim, TestEnv, i64, String) {
    let sim = Sim::start(options).await.expect("start simulator");
    let shared = item("3001", 5, 'N', 40, "0.1200", "A-01", None);
    let bl = sim.bricklink_add_lot(shared.clone());
    let bo = sim.brickowl_add_lot(shared, None);
    for i in bo_only {
        sim.brickowl_add_lot(i.clone(), None);
    }
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.set_bricklink_credentials(&sim).await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    let imported = env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    assert_eq!(imported, json!({"new": 1, "linked": 0, "conflicting": 0, "unchanged": 0}));
    let imported = env.json(&["inventory", "import", "brickowl", "--json"], "").await;
    assert_eq!(
        imported,
        json!({"new": bo_only.len(), "linked": 1, "conflicting": 0, "unchanged": 0}),
        "the shared lot is linked, not added"
    );
    (sim, env, bl, bo)
}

/// BrickOwl writes (inventory POSTs) so far.
fn bo_writes(sim: &Sim) -> usize {
    sim.calls(Market::Brickowl).iter().filter(|c| c.method == "POST" && c.path.starts_with("/inventory/")).count()
}

fn bl_puts(sim: &Sim) -> usize {
    sim.calls(Market::Bricklink).iter().filter(|c| c.method == "PUT" && c.path.starts_with("/inventories")).count()
}

fn bo_lot(sim: &Sim, lot_id: &str) -> Option<Value> {
    sim.brickowl_lots().into_iter().find(|l| l["lot_id"] == lot_id)
}

/// BrickOwl's lots carrying BrickDesk's external id for local lot `lot`.
fn bo_tagged(sim: &Sim, lot: i64) -> Vec<Value> {
    sim.brickowl_lots().into_iter().filter(|l| l["external_lot_ids"]["other"] == format!("bd-{lot}")).collect()
}

fn ops(run: &Value, market: &str) -> Vec<String> {
    run["pushed"].as_array().unwrap().iter().filter(|p| p["marketplace"] == market).map(|p| p["op"].as_str().unwrap().to_string()).collect()
}

async fn doctor_ok(env: &TestEnv) {
    assert_eq!(env.json(&["doctor", "--json"], "").await, json!({"ok": true, "problems": []}));
}

async fn all_synced(env: &TestEnv) {
    let status = env.json(&["sync", "status", "--json"], "").await;
    assert!(status.as_array().unwrap().iter().all(|s| s["status"] == "synced"), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_both_stores_makes_one_lot_and_twice_adds_nothing() {
    let (sim, env, _, bo) = setup("boimport", &[item("3004", 1, 'U', 5, "0.2000", "C-01", None)]).await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    let lots = lots.as_array().unwrap();
    assert_eq!(lots.len(), 2, "{lots:?}");
    let shared = lots.iter().find(|l| l["item_no"] == "3001").unwrap();
    let markets: Vec<&str> = shared["sync"].as_array().unwrap().iter().map(|s| s["marketplace"].as_str().unwrap()).collect();
    assert_eq!(markets, ["bricklink", "brickowl"], "one local lot linked to both: {shared}");
    assert_eq!(shared["sync"][1]["remote_id"], bo.as_str());
    let owl_only = lots.iter().find(|l| l["item_no"] == "3004").unwrap();
    assert_eq!((owl_only["color_id"].clone(), owl_only["condition"].clone()), (json!(1), json!("U")), "BrickOwl's colour mapped back");
    assert_eq!((owl_only["quantity"].clone(), owl_only["location"].clone()), (json!(5), json!("C-01")));

    let again = env.json(&["inventory", "import", "brickowl", "--json"], "").await;
    assert_eq!(again, json!({"new": 0, "linked": 0, "conflicting": 0, "unchanged": 2}), "importing twice adds nothing");
    assert_eq!(env.json(&["inventory", "list", "--json"], "").await.as_array().unwrap().len(), 2);

    // The lot only BrickOwl had is listed on BrickLink; BrickOwl is not written.
    let writes = bo_writes(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "bricklink"), ["create"], "{run}");
    assert_eq!(bo_writes(&sim), writes, "BrickOwl already holds what BrickDesk has: {run}");
    assert_eq!(sim.bricklink_lots().iter().filter(|l| l["item"]["no"] == "3004").count(), 1);
    all_synced(&env).await;
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_lot_reaches_both_stores_with_boid_colour_and_external_id() {
    let (sim, env, _, _) = setup("bonew", &[]).await;
    let lot = env
        .json(
            &["inventory", "add", "--json"],
            r#"{"item_no":"3023","item_type":"PART","color_id":1,"condition":"N","quantity":12,"unit_price":"0.05","location":"E-01","description":"clean"}"#,
        )
        .await;
    let id = lot["id"].as_i64().unwrap();
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "bricklink"), ["create"], "{run}");
    // Created, then the notes BrickOwl cannot take on a create.
    assert_eq!(ops(&run, "brickowl"), ["create", "update"], "{run}");
    let owl = bo_tagged(&sim, id);
    assert_eq!(owl.len(), 1, "{owl:?}");
    // 3023 is BOID 771344; BrickLink white (1) is BrickOwl colour 39.
    assert_eq!(
        (owl[0]["boid"].clone(), owl[0]["full_con"].clone(), owl[0]["qty"].clone()),
        (json!("771344-39"), json!("new"), json!("12"))
    );
    assert_eq!(
        (owl[0]["price"].clone(), owl[0]["personal_note"].clone(), owl[0]["public_note"].clone()),
        (json!("0.050"), json!("E-01"), json!("clean"))
    );
    assert_eq!(sim.bricklink_lots().iter().filter(|l| l["item"]["no"] == "3023").count(), 1);
    all_synced(&env).await;

    // The quantity is set, not shifted; one write.
    let writes = bo_writes(&sim);
    env.json(&["inventory", "update", &id.to_string(), "--json"], r#"{"quantity": 9}"#).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bo_writes(&sim) - writes, 1);
    let update = sim.calls(Market::Brickowl).into_iter().rev().find(|c| c.path == "/inventory/update").unwrap();
    assert_eq!(update.query, "", "POST arguments and key only in the form body");
    assert_eq!(bo_tagged(&sim, id)[0]["qty"], "9");

    // A second lot of the same item: its BOID is known, BrickOwl is not asked again.
    let lookups = |sim: &Sim| sim.calls(Market::Brickowl).iter().filter(|c| c.path == "/catalog/id_lookup").count();
    let before = lookups(&sim);
    let other = env
        .json(
            &["inventory", "add", "--json"],
            r#"{"item_no":"3023","item_type":"PART","color_id":11,"condition":"U","quantity":3,"unit_price":"0.04","location":""}"#,
        )
        .await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "brickowl"), ["create"], "no notes to send: {run}");
    assert_eq!(lookups(&sim), before, "the BOID was kept");
    let owl = bo_tagged(&sim, other["id"].as_i64().unwrap());
    assert_eq!((owl[0]["boid"].clone(), owl[0]["full_con"].clone()), (json!("771344-38"), json!("usedn")));

    // Deleted here, deleted there.
    env.json(&["inventory", "delete", &id.to_string(), "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "brickowl"), ["delete"], "{run}");
    assert!(bo_tagged(&sim, id).is_empty());
    all_synced(&env).await;
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bricklink_order_lowers_brickowl_and_leaves_bricklink_as_it_left_it() {
    let (sim, env, bl, bo) = setup("boblorder", &[]).await;
    sim.bricklink_add_order(SimOrder {
        buyer_name: "bl_buyer".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", Some(bl))]],
    });
    env.json(&["poll", "--json"], "").await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    assert_eq!((lots[0]["quantity"].clone(), lots[0]["reserved"].clone()), (json!(40), json!(3)));
    let puts = bl_puts(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bl_puts(&sim), puts, "BrickLink is not decremented a second time: {run}");
    assert_eq!(sim.bricklink_lot(bl).unwrap()["quantity"], 37);
    assert_eq!(ops(&run, "brickowl"), ["update"], "{run}");
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "37", "BrickOwl shows what is left to sell");
    all_synced(&env).await;
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brickowl_order_lowers_bricklink_and_leaves_brickowl_as_it_left_it() {
    let (sim, env, bl, bo) = setup("boorder", &[]).await;
    sim.brickowl_add_order(SimOrder {
        buyer_name: "owl_buyer".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 4, "0.1200", "A-01", None)]],
    });
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "36", "BrickOwl took the pieces off its own lot");
    let polled = env.json(&["poll", "--json"], "").await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    assert_eq!((lots[0]["quantity"].clone(), lots[0]["reserved"].clone()), (json!(40), json!(4)), "{polled}");
    let writes = bo_writes(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bo_writes(&sim), writes, "BrickOwl is not decremented a second time: {run}");
    assert_eq!(ops(&run, "bricklink"), ["update"], "{run}");
    assert_eq!(sim.bricklink_lot(bl).unwrap()["quantity"], 36);
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "36");
    all_synced(&env).await;
    doctor_ok(&env).await;
}

/// Issue 23's first timeline: a BrickOwl sale BrickDesk has not polled yet, then a push of the
/// same lot for a BrickLink sale. An absolute quantity overwrote the BrickOwl sale (BrickOwl kept
/// 38 while 36 were available: two pieces for sale twice); a delta composes with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_composes_with_a_brickowl_sale_not_polled_yet() {
    let (sim, env, bl, bo) = setup("bounseen", &[]).await;
    let order = |buyer: &str, lot: Option<i64>| SimOrder {
        buyer_name: buyer.into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 2, "0.1200", "A-01", lot)]],
    };
    sim.bricklink_add_order(order("bl_buyer", Some(bl)));
    sim.brickowl_add_order(order("owl_buyer", None));
    assert_eq!((sim.bricklink_lot(bl).unwrap()["quantity"].clone(), bo_lot(&sim, &bo).unwrap()["qty"].clone()), (json!(38), json!("38")));
    // BrickDesk hears of the BrickLink order only, and pushes the lot to BrickOwl.
    env.json(&["poll", "--provider", "bricklink", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "brickowl"), ["update"], "{run}");
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "36", "the BrickOwl sale stays taken off: {run}");
    // Then it hears of the BrickOwl order: nothing more to push there.
    env.json(&["poll", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    assert_eq!((lots[0]["quantity"].clone(), lots[0]["reserved"].clone()), (json!(40), json!(4)), "{run}");
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "36", "{run}");
    assert_eq!(sim.bricklink_lot(bl).unwrap()["quantity"], 36, "{run}");
    all_synced(&env).await;
    doctor_ok(&env).await;
    assert_eq!(env.json(&["doctor", "--remote", "--json"], "").await, json!({"ok": true, "problems": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brickowl_rate_limit_is_waiting_and_an_unknown_item_fails_for_good() {
    let (sim, env, _, _) = setup("bowait", &[]).await;
    let lot = env
        .json(
            &["inventory", "add", "--json"],
            r#"{"item_no":"3020","item_type":"PART","color_id":7,"condition":"N","quantity":4,"unit_price":"0.3","location":""}"#,
        )
        .await;
    let id = lot["id"].as_i64().unwrap();
    sim.inject(Market::Brickowl, "/inventory/create", Fault::TooManyRequests { retry_after_secs: 120 });
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert!(run["waiting"].as_str().is_some_and(|w| w.contains("BrickOwl rate limit")), "{run}");
    assert_eq!(run["failed"], json!([]), "a rate limit is not a failure: {run}");
    assert_eq!(ops(&run, "bricklink"), ["create"], "BrickLink went on: {run}");
    assert!(bo_tagged(&sim, id).is_empty());
    let status = env.json(&["sync", "status", "--json"], "").await;
    let owl = status.as_array().unwrap().iter().find(|s| s["inventory_id"] == id && s["marketplace"] == "brickowl").unwrap().clone();
    assert_eq!((owl["status"].clone(), owl["attempts"].clone()), (json!("pending"), json!(0)), "{owl}");

    // BrickOwl knows sw0001a only as a minifigure: as a part it has no BOID.
    let unknown = env
        .json(
            &["inventory", "add", "--json"],
            r#"{"item_no":"sw0001a","item_type":"PART","color_id":1,"condition":"N","quantity":1,"unit_price":"1"}"#,
        )
        .await;
    let unknown = unknown["id"].as_i64().unwrap();
    // The waiting row keeps its time; the new one is tried now.
    let run = env.json(&["sync", "run", "--json"], "").await;
    let failed: Vec<&Value> = run["failed"].as_array().unwrap().iter().filter(|f| f["marketplace"] == "brickowl").collect();
    assert_eq!(failed.len(), 1, "{run}");
    assert_eq!((failed[0]["inventory_id"].as_i64(), failed[0]["status"].as_str()), (Some(unknown), Some("failed")), "{run}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("BrickOwl knows no item for BrickLink PART sw0001a"), "{run}");
    assert!(sim.brickowl_lots().iter().all(|l| l["external_lot_ids"]["other"] != format!("bd-{unknown}")));
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_during_a_brickowl_create_leaves_exactly_one_lot() {
    let (sim, env, _, _) = setup("bokill", &[]).await;
    let lot = env
        .json(
            &["inventory", "add", "--json"],
            r#"{"item_no":"3010","item_type":"PART","color_id":1,"condition":"N","quantity":7,"unit_price":"0.2","location":"D-01"}"#,
        )
        .await;
    let id = lot["id"].as_i64().unwrap();
    // BrickOwl takes its time: the create is in flight when BrickDesk dies.
    sim.slow(Market::Brickowl, "/inventory/create", Duration::from_secs(2));
    // SIGKILL: the answer is lost, BrickOwl creates the lot anyway.
    env.kill_sync_run_mid_call(&sim).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while bo_tagged(&sim, id).is_empty() {
        assert!(Instant::now() < deadline, "BrickOwl never finished the create");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = env.json(&["sync", "status", "--json"], "").await;
    let owl = status.as_array().unwrap().iter().find(|s| s["inventory_id"] == id && s["marketplace"] == "brickowl").unwrap().clone();
    assert_eq!(owl["status"], "pending", "{owl}");
    let again = env.json(&["sync", "run", "--json"], "").await;
    let owl_ops = ops(&again, "brickowl");
    assert_eq!(owl_ops.first().map(String::as_str), Some("found"), "looked up, not created again: {again}");
    assert!(!owl_ops.iter().any(|o| o == "create"), "{again}");
    let owl = bo_tagged(&sim, id);
    assert_eq!(owl.len(), 1, "exactly one BrickOwl lot: {owl:?}");
    assert_eq!((owl[0]["qty"].clone(), owl[0]["personal_note"].clone()), (json!("7"), json!("D-01")));
    assert_eq!(sim.bricklink_lots().iter().filter(|l| l["item"]["no"] == "3010").count(), 1);
    all_synced(&env).await;
    doctor_ok(&env).await;
}

/// The drifts of `report` on `market`.
fn drifts_on<'a>(report: &'a Value, market: &str) -> Vec<&'a Value> {
    report["drifts"].as_array().unwrap().iter().filter(|d| d["marketplace"] == market).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brickowl_website_edit_is_reported_and_the_seller_chooses() {
    let (sim, env, bl, bo) = setup("bodrift", &[]).await;
    let clean = env.json(&["sync", "reconcile", "--json"], "").await;
    assert_eq!(clean["drifts"], json!([]), "both stores hold what BrickDesk left there: {clean}");

    // The seller changes the lot on brickowl.com.
    sim.brickowl_edit_lot(&bo, 33, "0.190");
    let report = env.json(&["sync", "reconcile", "--json"], "").await;
    assert!(drifts_on(&report, "bricklink").is_empty(), "{report}");
    let owl = drifts_on(&report, "brickowl");
    assert_eq!(owl.len(), 1, "{report}");
    let d = owl[0];
    assert_eq!((d["kind"].clone(), d["inventory_id"].clone(), d["remote_id"].clone()), (json!("differs"), json!(1), json!(bo.as_str())));
    assert_eq!(
        (d["expected_quantity"].clone(), d["remote_quantity"].clone(), d["remote_price"].clone()),
        (json!(40), json!(33), json!("0.1900"))
    );
    // Reporting changed nothing, and a push does not overwrite it either.
    let writes = bo_writes(&sim);
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bo_writes(&sim), writes);
    assert_eq!(bo_lot(&sim, &bo).unwrap()["qty"], "33");
    assert_eq!(env.json(&["inventory", "list", "--json"], "").await[0]["quantity"], 40);

    // Taking BrickOwl's values: the local lot follows, BrickLink is brought to it, BrickOwl is
    // not written back.
    let lot = env.json(&["sync", "resolve", "1", "--keep", "marketplace", "--json"], "").await;
    assert_eq!((lot["quantity"].clone(), lot["unit_price"].clone()), (json!(33), json!("0.19")));
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "bricklink"), ["update"], "{run}");
    assert!(ops(&run, "brickowl").iter().all(|o| o == "none"), "{run}");
    assert_eq!(bo_writes(&sim), writes, "{run}");
    let on_bl = sim.bricklink_lot(bl).unwrap();
    assert_eq!((on_bl["quantity"].clone(), on_bl["unit_price"].clone()), (json!(33), json!("0.1900")));
    let again = env.json(&["sync", "reconcile", "--json"], "").await;
    assert_eq!(again["drifts"], json!([]), "{again}");

    // Another website edit on BrickOwl, and this time the local values win.
    sim.brickowl_edit_lot(&bo, 50, "0.500");
    let report = env.json(&["sync", "reconcile", "--json"], "").await;
    assert_eq!(drifts_on(&report, "brickowl").len(), 1, "{report}");
    let bl_puts_before = bl_puts(&sim);
    env.json(&["sync", "resolve", "1", "--keep", "local", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(ops(&run, "brickowl"), ["update"], "{run}");
    let owl = bo_lot(&sim, &bo).unwrap();
    assert_eq!((owl["qty"].clone(), owl["price"].clone()), (json!("33"), json!("0.190")), "{run}");
    assert_eq!(bl_puts(&sim), bl_puts_before, "BrickLink already had the local values: {run}");
    assert_eq!(env.json(&["sync", "reconcile", "--json"], "").await["drifts"], json!([]));

    // Edited on both websites: taking "the marketplace's" needs to know which one.
    sim.brickowl_edit_lot(&bo, 20, "0.300");
    sim.bricklink_edit_lot(bl, 25, "0.2500");
    let report = env.json(&["sync", "reconcile", "--json"], "").await;
    assert_eq!((drifts_on(&report, "bricklink").len(), drifts_on(&report, "brickowl").len()), (1, 1), "{report}");
    let refused = env.cli_async(&["sync", "resolve", "1", "--keep", "marketplace"], "").await;
    assert_eq!(refused.status.code(), Some(1), "ambiguous without --marketplace");
    let lot = env.json(&["sync", "resolve", "1", "--keep", "marketplace", "--marketplace", "bricklink", "--json"], "").await;
    assert_eq!((lot["quantity"].clone(), lot["unit_price"].clone()), (json!(25), json!("0.25")));
    let run = env.json(&["sync", "run", "--json"], "").await;
    let owl = bo_lot(&sim, &bo).unwrap();
    assert_eq!((owl["qty"].clone(), owl["price"].clone()), (json!("25"), json!("0.250")), "BrickOwl follows BrickLink's values: {run}");
    assert_eq!(env.json(&["sync", "reconcile", "--json"], "").await["drifts"], json!([]));
    all_synced(&env).await;
    doctor_ok(&env).await;
}

/// `bulk/batch` requests BrickOwl answered so far (any status).
fn bulk_calls(sim: &Sim) -> usize {
    sim.calls(Market::Brickowl).iter().filter(|c| c.path == "/bulk/batch").count()
}

/// Calls of `endpoint` BrickOwl carried out inside batches so far.
fn batched(sim: &Sim, endpoint: &str) -> usize {
    sim.brickowl_batched().iter().filter(|e| *e == endpoint).count()
}

/// Adds `n` lots of 3001 black (BOID known after the first), quantity 1, 2, … and bins
/// `<bin>-1`, `<bin>-2`, … (no bin when `bin` is empty); returns their ids.
async fn add_lots(env: &TestEnv, n: usize, bin: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 1..=n {
        let location = if bin.is_empty() { String::new() } else { format!("{bin}-{i}") };
        let lot = json!({"item_no": "3001", "item_type": "PART", "color_id": 11, "condition": "N", "quantity": i, "unit_price": "0.10", "location": location});
        ids.push(env.json(&["inventory", "add", "--json"], &lot.to_string()).await["id"].as_i64().unwrap());
    }
    ids
}

/// Every live local lot has exactly one copy on each store, with its quantity, price and bin.
async fn stores_equal_local(sim: &Sim, env: &TestEnv) {
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    let (bl_lots, bo_lots) = (sim.bricklink_lots(), sim.brickowl_lots());
    assert_eq!((bl_lots.len(), bo_lots.len()), (lots.as_array().unwrap().len(), lots.as_array().unwrap().len()), "{lots}");
    for l in lots.as_array().unwrap() {
        let available = l["quantity"].as_i64().unwrap() - l["reserved"].as_i64().unwrap();
        let chip = |m: &str| l["sync"].as_array().unwrap().iter().find(|s| s["marketplace"] == m).unwrap()["remote_id"].clone();
        let owl = bo_lots.iter().find(|o| o["lot_id"] == chip("brickowl")).unwrap_or_else(|| panic!("{l}"));
        assert_eq!((owl["qty"].clone(), owl["personal_note"].clone()), (json!(available.to_string()), l["location"].clone()), "{l}");
        assert_eq!(MoneyText::of(&owl["price"]), MoneyText::of(&l["unit_price"]), "{l}");
        let bl = bl_lots.iter().find(|b| json!(b["inventory_id"].to_string()) == chip("bricklink")).unwrap_or_else(|| panic!("{l}"));
        assert_eq!(bl["quantity"], available, "{l}");
        assert_eq!(MoneyText::of(&bl["unit_price"]), MoneyText::of(&l["unit_price"]), "{l}");
    }
}

/// A decimal string without trailing zeros, to compare "0.100", "0.1000" and "0.1".
struct MoneyText;

impl MoneyText {
    fn of(v: &Value) -> String {
        let s = v.as_str().unwrap_or_default();
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_ten_due_lots_go_to_brickowl_in_bulk_batches() {
    let (sim, env, _, _) = setup("bobulk", &[]).await;
    let ids = add_lots(&env, 12, "B").await;
    let (bulk, writes) = (bulk_calls(&sim), bo_writes(&sim));
    let run = env.json(&["sync", "run", "--json"], "").await;
    // Twelve creates in one batch, then the twelve bins BrickOwl cannot take on a create in another.
    assert_eq!(bulk_calls(&sim) - bulk, 2, "{run}");
    assert_eq!(bo_writes(&sim), writes, "no BrickOwl write went alone: {run}");
    assert_eq!((batched(&sim, "inventory/create"), batched(&sim, "inventory/update")), (12, 12));
    assert_eq!(ops(&run, "brickowl").iter().filter(|o| *o == "create").count(), 12, "{run}");
    assert_eq!(ops(&run, "bricklink").len(), 12, "BrickLink goes on one by one: {run}");
    for id in &ids {
        assert_eq!(bo_tagged(&sim, *id).len(), 1, "lot {id}");
    }
    all_synced(&env).await;
    stores_equal_local(&sim, &env).await;

    // Eleven edits and a delete: one batch of twelve.
    for id in &ids[..11] {
        env.json(&["inventory", "update", &id.to_string(), "--json"], r#"{"quantity": 20, "unit_price": "0.25"}"#).await;
    }
    env.json(&["inventory", "delete", &ids[11].to_string(), "--json"], "").await;
    let bulk = bulk_calls(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bulk_calls(&sim) - bulk, 1, "{run}");
    assert_eq!(bo_writes(&sim), writes, "{run}");
    assert_eq!((batched(&sim, "inventory/update"), batched(&sim, "inventory/delete")), (23, 1));
    assert!(bo_tagged(&sim, ids[11]).is_empty());
    all_synced(&env).await;
    stores_equal_local(&sim, &env).await;

    // Ten or fewer go one by one.
    for id in &ids[..2] {
        env.json(&["inventory", "update", &id.to_string(), "--json"], r#"{"quantity": 3}"#).await;
    }
    let bulk = bulk_calls(&sim);
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!((bulk_calls(&sim), bo_writes(&sim) - writes), (bulk, 2));
    stores_equal_local(&sim, &env).await;
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lot_brickowl_refuses_inside_a_batch_fails_alone_with_its_words() {
    let (sim, env, _, _) = setup("bobulkrefused", &[]).await;
    let ids = add_lots(&env, 11, "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(batched(&sim, "inventory/create"), 11, "{run}");
    // The seller deletes one of them on brickowl.com; then every lot changes here.
    let gone = bo_tagged(&sim, ids[4])[0]["lot_id"].as_str().unwrap().to_string();
    sim.brickowl_delete_lot(&gone);
    for id in &ids {
        env.json(&["inventory", "update", &id.to_string(), "--json"], r#"{"quantity": 30}"#).await;
    }
    let bulk = bulk_calls(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bulk_calls(&sim) - bulk, 1, "{run}");
    let failed: Vec<&Value> = run["failed"].as_array().unwrap().iter().filter(|f| f["marketplace"] == "brickowl").collect();
    assert_eq!(failed.len(), 1, "{run}");
    assert_eq!((failed[0]["inventory_id"].as_i64(), failed[0]["status"].as_str()), (Some(ids[4]), Some("failed")), "{run}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("Lot not found"), "BrickOwl's words: {run}");
    assert_eq!(ops(&run, "brickowl").iter().filter(|o| *o == "update").count(), 10, "the others synced: {run}");
    for id in ids.iter().filter(|id| **id != ids[4]) {
        assert_eq!(bo_tagged(&sim, *id)[0]["qty"], "30", "lot {id}");
    }
    let status = env.json(&["sync", "status", "--json"], "").await;
    let not_synced: Vec<&Value> = status.as_array().unwrap().iter().filter(|s| s["status"] != "synced").collect();
    assert_eq!(not_synced.len(), 1, "{status}");
    assert_eq!((not_synced[0]["inventory_id"].as_i64(), not_synced[0]["marketplace"].as_str()), (Some(ids[4]), Some("brickowl")));
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brickowls_bulk_limit_makes_the_lots_wait_not_fail() {
    // One bulk request a minute: the creates pass, the batch of bins after them is refused with 429.
    let options = SimOptions { brickowl_bulk_per_minute: 1, ..SimOptions::default() };
    let (sim, env, _, _) = setup_with("bobulkwait", &[], options).await;
    let ids = add_lots(&env, 11, "W").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert!(run["waiting"].as_str().is_some_and(|w| w.contains("BrickOwl rate limit")), "{run}");
    assert_eq!(run["failed"], json!([]), "a rate limit is not a failure: {run}");
    assert_eq!(sim.calls(Market::Brickowl).iter().filter(|c| c.path == "/bulk/batch" && c.status == 429).count(), 1);
    assert_eq!((batched(&sim, "inventory/create"), batched(&sim, "inventory/update")), (11, 0));
    let status = env.json(&["sync", "status", "--json"], "").await;
    for id in &ids {
        let owl = status.as_array().unwrap().iter().find(|s| s["inventory_id"] == *id && s["marketplace"] == "brickowl").unwrap();
        assert_eq!((owl["status"].clone(), owl["attempts"].clone()), (json!("pending"), json!(0)), "{owl}");
        assert_eq!(bo_tagged(&sim, *id).len(), 1, "created once, bin still to send");
    }
    doctor_ok(&env).await;
}

/// A second store linked later: `sync publish brickowl` lists every local lot BrickOwl does not
/// have, once. Killed in the middle of a create whose work BrickOwl carries out, the next publish
/// finds that lot instead of listing it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_lists_every_local_lot_on_a_newly_linked_brickowl_once_through_a_kill() {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    for (no, color, bin) in [("3001", 5, "A-01"), ("3003", 11, "A-02"), ("3004", 1, "A-03")] {
        sim.bricklink_add_lot(item(no, color, 'N', 20, "0.1500", bin, None));
    }
    let mut env = TestEnv::new("bopublish");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.set_bricklink_credentials(&sim).await;
    env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    // Not linked yet: publishing is refused with what to do.
    let o = env.cli_async(&["sync", "publish", "brickowl"], "").await;
    assert_eq!(o.status.code(), Some(1));
    assert!(brickdesk_tests::stderr(&o).contains("inventory import brickowl"), "{}", brickdesk_tests::stderr(&o));
    env.json(&["inventory", "import", "brickowl", "--json"], "").await;
    let dry = env.json(&["sync", "publish", "brickowl", "--dry-run", "--json"], "").await;
    assert_eq!((dry["listed"].clone(), dry["already_there"].clone()), (json!(3), json!(0)), "{dry}");
    assert!(sim.brickowl_lots().is_empty(), "a dry run lists nothing");

    // Killed while BrickOwl carries out the first create.
    sim.slow(Market::Brickowl, "/inventory/create", Duration::from_millis(800));
    let before = sim.slowed_requests();
    let mut publish =
        env.cli_command(&["sync", "publish", "brickowl", "--json"]).stdout(std::process::Stdio::null()).spawn().expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.slowed_requests() == before {
        assert!(Instant::now() < deadline, "no create was sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    publish.kill().expect("SIGKILL");
    publish.wait().expect("reap");
    sim.end_slow();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(sim.brickowl_lots().len(), 1, "BrickOwl made the lot whose answer was lost");

    let done = env.json(&["sync", "publish", "brickowl", "--json"], "").await;
    assert_eq!((done["listed"].clone(), done["refused"].clone()), (json!(3), json!([])), "{done}");
    let on_bo = sim.brickowl_lots();
    assert_eq!(on_bo.len(), 3, "{on_bo:?}");
    for lot in 1..=3 {
        assert_eq!(bo_tagged(&sim, lot).len(), 1, "lot {lot} once on BrickOwl");
    }
    let again = env.json(&["sync", "publish", "brickowl", "--json"], "").await;
    assert_eq!((again["listed"].clone(), again["already_there"].clone()), (json!(0), json!(3)), "{again}");
}
