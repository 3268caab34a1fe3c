//! Fulfilment end to end: `orders status` marks orders packed, shipped (with a tracking number)
//! or paid, and `sync run` tells each simulated marketplace with exactly the calls it takes, once:
//! BrickLink's order status and shipping, BrickOwl's `order/set_status` and `order/tracking`,
//! Allegro's fulfillment (with its revision) and shipments. Lost answers, refusals and kills
//! neither lose a change nor send one twice; a change made on a website shows locally and is not
//! pushed back.

use std::time::Duration;

use brickdesk_sim::{AllegroLine, AllegroOrder, Fault, Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, TestEnv};
use serde_json::{json, Value};

async fn setup(label: &str) -> (Sim, TestEnv) {
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("start simulator");
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    for lot in [
        json!({"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":100,"unit_price":"0.12","location":"A-10"}),
        json!({"item_no":"3003","item_type":"PART","color_id":11,"condition":"U","quantity":50,"unit_price":"0.08","location":"A-2"}),
    ] {
        env.json(&["inventory", "add", "--json"], &lot.to_string()).await;
    }
    (sim, env)
}

fn paid_order(buyer: &str) -> SimOrder {
    SimOrder {
        buyer_name: buyer.into(),
        currency: "USD".into(),
        shipping: "2.5000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 4, "0.1200", "A-10", None), item("3003", 11, 'U', 2, "0.0800", "A-2", None)]],
    }
}

/// BrickDesk's id of the order with marketplace id `external`.
async fn local_id(env: &TestEnv, external: &str) -> String {
    let orders = env.json(&["orders", "list", "--json"], "").await;
    let o =
        orders.as_array().unwrap().iter().find(|o| o["external_id"] == external).unwrap_or_else(|| panic!("order {external} in {orders}"));
    o["id"].to_string()
}

/// The writes `market` received on paths containing `part`: (method, path).
fn writes(sim: &Sim, market: Market, part: &str) -> Vec<(String, String)> {
    sim.calls(market).into_iter().filter(|c| c.method != "GET" && c.path.contains(part)).map(|c| (c.method, c.path)).collect()
}

async fn status(env: &TestEnv, id: &str, args: &[&str]) -> Value {
    let mut all = vec!["orders", "status", id];
    all.extend_from_slice(args);
    all.push("--json");
    env.json(&all, "").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bricklink_hears_packed_then_shipped_with_tracking_once_and_a_refusal_blocks_no_other_order() {
    let (sim, env) = setup("fulbl").await;
    env.set_bricklink_credentials(&sim).await;
    let first = sim.bricklink_add_order(paid_order("first"));
    let second = sim.bricklink_add_order(paid_order("second"));
    env.json(&["poll", "--json"], "").await;
    let (a, b) = (local_id(&env, &first.to_string()).await, local_id(&env, &second.to_string()).await);
    let listed = env.json(&["orders", "list", "--json"], "").await;
    assert!(listed.as_array().unwrap().iter().all(|o| o["fulfillment_status"] == "paid"), "{listed}");

    // Packed: recorded at once, sent by the round (one PUT), nothing more the next time.
    let marked = status(&env, &a, &["packed"]).await;
    assert_eq!(
        marked,
        json!({"order_id": a.parse::<i64>().unwrap(), "marketplace": "bricklink", "status": "packed", "remote": "pending", "last_error": null})
    );
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(run["order_updates"][0]["remote"], "synced", "{run}");
    assert_eq!(sim.bricklink_order(first).unwrap()["status"], "PACKED");
    assert_eq!(writes(&sim, Market::Bricklink, "/orders/"), [("PUT".to_string(), format!("/orders/{first}/status"))]);

    // Shipped with a tracking number: the tracking, then the status; two calls.
    status(&env, &a, &["shipped", "--tracking", "00340434161094015902"]).await;
    env.json(&["sync", "run", "--json"], "").await;
    let on_bricklink = sim.bricklink_order(first).unwrap();
    assert_eq!(
        (on_bricklink["status"].clone(), on_bricklink["shipping"]["tracking_no"].clone()),
        (json!("SHIPPED"), json!("00340434161094015902"))
    );
    assert_eq!(writes(&sim, Market::Bricklink, "/orders/").len(), 3);
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(writes(&sim, Market::Bricklink, "/orders/").len(), 3, "nothing sent twice");
    let shown = env.json(&["orders", "show", &a, "--json"], "").await;
    assert_eq!(shown["fulfillment"]["status"], "shipped");
    assert_eq!(
        (shown["fulfillment"]["tracking"].clone(), shown["fulfillment"]["remote"].clone()),
        (json!("00340434161094015902"), json!("synced"))
    );
    assert!(shown["shipping"]["address"].as_str().is_some_and(|a| !a.is_empty()), "{shown}");

    // BrickLink refuses the first order's next change; the second goes through all the same.
    let third = sim.bricklink_add_order(paid_order("third"));
    env.json(&["poll", "--json"], "").await;
    let c = local_id(&env, &third.to_string()).await;
    status(&env, &b, &["packed"]).await;
    status(&env, &c, &["packed"]).await;
    sim.inject(Market::Bricklink, &format!("/orders/{second}/status"), Fault::Status(422));
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.bricklink_order(third).unwrap()["status"], "PACKED", "{run}");
    let refused = env.json(&["orders", "show", &b, "--json"], "").await;
    assert_eq!(refused["fulfillment"]["remote"], "failed", "{refused}");
    assert!(refused["fulfillment"]["last_error"].as_str().unwrap().contains("RESOURCE_UPDATE_NOT_ALLOWED"), "{refused}");
    let pending = env.json(&["sync", "status", "--json"], "").await;
    let row = pending.as_array().unwrap().iter().find(|r| r["order_id"].to_string() == b).unwrap_or_else(|| panic!("{pending}"));
    assert_eq!(row["status"], "failed");
    // The seller's retry sends it.
    env.json(&["sync", "retry", "--json"], "").await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.bricklink_order(second).unwrap()["status"], "PACKED");

    // Changed on bricklink.com: shown here, not pushed back.
    let before = writes(&sim, Market::Bricklink, "/orders/").len();
    sim.bricklink_set_status(third, "SHIPPED");
    env.json(&["poll", "--json"], "").await;
    let shown = env.json(&["orders", "show", &c, "--json"], "").await;
    assert_eq!(shown["fulfillment"]["status"], "shipped", "{shown}");
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(writes(&sim, Market::Bricklink, "/orders/").len(), before, "a website change is not sent back");

    // With the seller's Drive Thru setting, BrickLink sends its e-mail once when an order ships;
    // its answer lost, the next round reads the order and sends nothing more.
    assert_eq!(env.json(&["orders", "settings", "--drive-thru", "on", "--json"], "").await, json!({"bricklink_drive_thru": true}));
    let fourth = sim.bricklink_add_order(paid_order("fourth"));
    env.json(&["poll", "--json"], "").await;
    let d = local_id(&env, &fourth.to_string()).await;
    status(&env, &d, &["shipped"]).await;
    sim.inject(Market::Bricklink, &format!("/orders/{fourth}/drive_thru"), Fault::TruncatedBody);
    env.json(&["sync", "run", "--json"], "").await;
    env.json(&["sync", "retry", "--json"], "").await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.bricklink_drive_thru_sends(fourth), 1);
    assert_eq!(env.json(&["orders", "show", &d, "--json"], "").await["fulfillment"]["remote"], "synced");
    env.json(&["orders", "settings", "--drive-thru", "off", "--json"], "").await;

    // Bad input is refused with a clear error: back to packed, paid twice, an unknown order.
    for (id, args, says) in [
        (a.as_str(), vec!["packed"], "already Shipped"),
        (a.as_str(), vec!["paid"], "already"),
        ("424242", vec!["packed"], "424242"),
        (b.as_str(), vec!["packed", "--tracking", "X1"], "goes with shipped"),
    ] {
        let mut all = vec!["orders", "status", id];
        all.extend(args);
        let o = env.cli_async(&all, "").await;
        assert_eq!(o.status.code(), Some(1), "{all:?}");
        assert!(brickdesk_tests::stderr(&o).contains(says), "{all:?}: {}", brickdesk_tests::stderr(&o));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brickowl_hears_packed_then_shipped_with_tracking_once() {
    let (sim, env) = setup("fulbo").await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    let mut order = paid_order("owl");
    order.status = "Payment Received".into();
    let external = sim.brickowl_add_order(order);
    env.json(&["poll", "--json"], "").await;
    let id = local_id(&env, &external).await;
    let shown = env.json(&["orders", "show", &id, "--json"], "").await;
    assert_eq!(shown["fulfillment"]["status"], "paid", "{shown}");
    // Packed: status 4 (Processed), one call.
    status(&env, &id, &["packed"]).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.brickowl_order(&external).unwrap()["status_id"], "4");
    assert_eq!(writes(&sim, Market::Brickowl, "/order/"), [("POST".to_string(), "/order/set_status".to_string())]);
    // Shipped with a tracking number: the tracking, then status 5; two calls.
    status(&env, &id, &["shipped", "--tracking", "RR123456785PL"]).await;
    env.json(&["sync", "run", "--json"], "").await;
    let view = sim.brickowl_order(&external).unwrap();
    assert_eq!((view["status_id"].clone(), view["tracking_number"].clone()), (json!("5"), json!("RR123456785PL")), "{view}");
    let sent = writes(&sim, Market::Brickowl, "/order/");
    assert_eq!(sent[1..], [("POST".to_string(), "/order/tracking".to_string()), ("POST".to_string(), "/order/set_status".to_string())]);
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(writes(&sim, Market::Brickowl, "/order/").len(), 3, "nothing sent twice");
    let listed = env.json(&["orders", "list", "--json"], "").await;
    assert_eq!(listed[0]["fulfillment_status"], "shipped");
}

fn purchase(buyer: &str) -> AllegroOrder {
    let line = |offer: &str, external: &str, quantity: i64| AllegroLine {
        offer_id: offer.into(),
        name: format!("LEGO oferta {offer}"),
        external_id: Some(external.into()),
        quantity,
        price: "9.99".into(),
    };
    AllegroOrder {
        buyer_login: buyer.into(),
        lines: vec![line("1001", "bd-1", 3), line("1002", "bd-2", 1)],
        delivery: "Allegro Kurier DPD".into(),
        delivery_cost: "11.99".into(),
        paid: true,
    }
}

/// Links Allegro and polls in two paid purchases: their checkout form ids and local ids.
async fn allegro_orders(sim: &Sim, env: &TestEnv) -> [(String, String); 2] {
    env.link_allegro(sim).await;
    let forms = [sim.allegro_add_order(purchase("Kupujacy_1")), sim.allegro_add_order(purchase("Kupujacy_2"))];
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let mut out = Vec::new();
    for f in forms {
        let id = local_id(env, &f).await;
        out.push((f, id));
    }
    [out[0].clone(), out[1].clone()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allegro_hears_fulfillment_and_one_shipment_through_a_stale_revision_and_a_lost_answer() {
    let (sim, env) = setup("fulal").await;
    let [(form, id), (other, other_id)] = allegro_orders(&sim, &env).await;
    let carriers = env.json(&["orders", "carriers", "--json"], "").await;
    assert!(carriers.as_array().unwrap().iter().any(|c| c["id"] == "DPD"), "{carriers}");
    // A tracking number without its carrier is refused: Allegro needs it.
    let o = env.cli_async(&["orders", "status", &id, "shipped", "--tracking", "X1"], "").await;
    assert_eq!(o.status.code(), Some(1));

    // The form changes on Allegro after BrickDesk read it: the PUT with the old revision is
    // refused (409), the form is read again and the PUT sent with the new one.
    sim.allegro_set_fulfillment(&form, "PROCESSING");
    status(&env, &id, &["packed"]).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(run["order_updates"][0]["remote"], "synced", "{run}");
    assert_eq!(sim.allegro_form(&form).unwrap()["fulfillment"]["status"], "READY_FOR_SHIPMENT");
    let puts: Vec<u16> = sim.calls(Market::Allegro).into_iter().filter(|c| c.method == "PUT").map(|c| c.status).collect();
    assert_eq!(puts, [409, 204]);

    // Shipped with a waybill; the shipment's answer is lost. The next round reads the shipments
    // and finds it: one shipment.
    status(&env, &id, &["shipped", "--tracking", "6123456789", "--carrier", "DPD"]).await;
    sim.inject(Market::Allegro, "/shipments", Fault::TruncatedBody);
    let lost = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(lost["order_updates"][0]["remote"], "pending", "{lost}");
    env.json(&["sync", "retry", "--json"], "").await;
    env.json(&["sync", "run", "--json"], "").await;
    let shipments = sim.allegro_shipments(&form);
    assert_eq!(shipments.len(), 1, "{shipments:?}");
    assert_eq!((shipments[0]["carrierId"].clone(), shipments[0]["waybill"].clone()), (json!("DPD"), json!("6123456789")));
    assert_eq!(sim.allegro_form(&form).unwrap()["fulfillment"]["status"], "SENT");
    let shown = env.json(&["orders", "show", &id, "--json"], "").await;
    assert_eq!((shown["fulfillment"]["status"].clone(), shown["fulfillment"]["remote"].clone()), (json!("shipped"), json!("synced")));
    assert!(shown["shipping"]["method"].as_str().is_some_and(|m| m.contains("DPD")), "{shown}");
    let posts = writes(&sim, Market::Allegro, "/shipments").len();
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(writes(&sim, Market::Allegro, "/shipments").len(), posts, "nothing sent twice");

    // Set to SENT on allegro.pl: shown here once polled, not pushed back.
    let puts = writes(&sim, Market::Allegro, "/fulfillment").len();
    sim.allegro_set_fulfillment(&other, "SENT");
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let shown = env.json(&["orders", "show", &other_id, "--json"], "").await;
    assert_eq!(shown["fulfillment"]["status"], "shipped", "{shown}");
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(writes(&sim, Market::Allegro, "/fulfillment").len(), puts);
}

/// SIGKILL while the shipment POST is in flight: Allegro adds it all the same, and the next
/// round finds it rather than adding a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_shipment_the_next_round_adds_no_second_one() {
    let (sim, env) = setup("fulkill").await;
    let [(form, id), _] = allegro_orders(&sim, &env).await;
    status(&env, &id, &["shipped", "--tracking", "6123456789", "--carrier", "OTHER", "--carrier-name", "Kurier Janek"]).await;
    sim.slow(Market::Allegro, "/shipments", Duration::from_millis(1500));
    env.kill_sync_run_mid_call(&sim).await;
    tokio::time::sleep(Duration::from_millis(1700)).await;
    sim.end_slow();
    assert_eq!(sim.allegro_shipments(&form).len(), 1, "Allegro carried the POST out");
    env.json(&["sync", "run", "--json"], "").await;
    let shipments = sim.allegro_shipments(&form);
    assert_eq!(shipments.len(), 1, "{shipments:?}");
    assert_eq!(shipments[0]["carrierName"], "Kurier Janek");
    let shown = env.json(&["orders", "show", &id, "--json"], "").await;
    assert_eq!(shown["fulfillment"]["remote"], "synced", "{shown}");
    assert_eq!(env.json(&["doctor", "--json"], "").await, json!({"ok": true, "problems": []}));
}

/// The pick list across orders of different marketplaces: one line per lot, by bin as a person
/// reads them (A-2 before A-10), with which orders take how many.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pick_list_walks_the_bins_once_across_orders() {
    let (sim, env) = setup("fulpick").await;
    env.set_bricklink_credentials(&sim).await;
    env.json(&["credentials", "set", "brickowl", "--json"], &json!({"api_key": sim.options().brickowl_api_key}).to_string()).await;
    let bl = sim.bricklink_add_order(paid_order("bl"));
    let mut owl = paid_order("owl");
    owl.status = "Payment Received".into();
    owl.batches = vec![vec![item("3001", 5, 'N', 6, "0.1200", "A-10", None)]];
    let bo = sim.brickowl_add_order(owl);
    env.json(&["poll", "--json"], "").await;
    let (a, b) = (local_id(&env, &bl.to_string()).await, local_id(&env, &bo).await);
    let list = env.json(&["orders", "pick", &a, &b, "--json"], "").await;
    let lines = list["lines"].as_array().unwrap_or_else(|| panic!("{list}"));
    let read: Vec<(String, i64, usize)> = lines
        .iter()
        .map(|l| (l["location"].as_str().unwrap().to_string(), l["quantity"].as_i64().unwrap(), l["orders"].as_array().unwrap().len()))
        .collect();
    assert_eq!(read, [("A-2".to_string(), 2, 1), ("A-10".to_string(), 10, 2)], "{list}");
    let o = env.cli_async(&["orders", "pick", &a, "424242"], "").await;
    assert_eq!(o.status.code(), Some(1));
}
