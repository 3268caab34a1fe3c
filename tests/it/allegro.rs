//! Allegro's order path end to end: `brickdesk-cli` against the simulated Allegro (device flow,
//! single-use refresh tokens, vendor media type, a journal with retention) on 127.0.0.1, a real
//! SQLite file and the real OS keyring. Every poll is a new CLI process. The offer side too: the
//! offer journal (24 hours' retention, no values in events), the offers list and links to lots.

use std::process::Stdio;
use std::time::{Duration, Instant};

use brickdesk_sim::{AllegroLine, AllegroOffer, AllegroOrder, Market, Sim, SimOptions};
use brickdesk_tests::{sim_part, stderr, stdout, TestEnv};
use serde_json::{json, Value};

/// A simulator (device interval 1 s), an env pointed at it, and local stock: lot 1 = 3001 red
/// new at A-01 (100), lot 2 = 3003 black used at B-02 (50).
async fn setup(label: &str) -> (Sim, TestEnv) {
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("start simulator");
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    for lot in [
        json!({"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":100,"unit_price":"0.12","location":"A-01"}),
        json!({"item_no":"3003","item_type":"PART","color_id":11,"condition":"U","quantity":50,"unit_price":"0.08","location":"B-02"}),
    ] {
        env.json(&["inventory", "add", "--json"], &lot.to_string()).await;
    }
    (sim, env)
}

/// `credentials set allegro --json` through the device flow (`before_approval` runs on the
/// simulator before the seller approves); the printed link and the final status.
async fn link(sim: &Sim, env: &TestEnv, before_approval: impl FnOnce(&Sim)) -> (Value, Value) {
    env.link_allegro_seen(sim, json!({}), before_approval).await
}

fn line(offer: &str, external: Option<&str>, quantity: i64, price: &str) -> AllegroLine {
    AllegroLine {
        offer_id: offer.into(),
        name: format!("LEGO oferta {offer}"),
        external_id: external.map(str::to_string),
        quantity,
        price: price.into(),
    }
}

fn purchase(buyer: &str, lines: Vec<AllegroLine>, paid: bool) -> AllegroOrder {
    AllegroOrder { buyer_login: buyer.into(), lines, delivery: "Allegro Paczkomaty InPost".into(), delivery_cost: "11.99".into(), paid }
}

async fn poll(env: &TestEnv) -> Value {
    let s = env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let p = &s["providers"][0];
    assert_eq!(p["provider"], "allegro", "{s}");
    assert!(p["failures"].as_array().unwrap().is_empty() && p["error"].is_null(), "{s}");
    p.clone()
}

async fn reserved(env: &TestEnv) -> Vec<i64> {
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    lots.as_array().unwrap().iter().map(|l| l["reserved"].as_i64().unwrap()).collect()
}

async fn allegro_orders(env: &TestEnv) -> Vec<Value> {
    let all = env.json(&["orders", "list", "--json"], "").await;
    all.as_array().unwrap().iter().filter(|o| o["marketplace"] == "allegro").cloned().collect()
}

async fn assert_doctor_ok(env: &TestEnv) {
    let report = env.json(&["doctor", "--json"], "").await;
    assert_eq!(report, json!({"ok": true, "problems": []}), "doctor found problems");
}

/// The query strings of every `/order/events` request so far.
fn journal_queries(sim: &Sim) -> Vec<String> {
    sim.calls(Market::Allegro).into_iter().filter(|c| c.path == "/order/events").map(|c| c.query).collect()
}

fn count_calls(sim: &Sim, path: &str) -> usize {
    sim.calls(Market::Allegro).iter().filter(|c| c.path == path).count()
}

fn assert_served_once(sim: &Sim) {
    let served = sim.allegro_served_events();
    let mut unique = served.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), served.len(), "an event was served twice: {served:?}");
}

/// Polls in a new process and checks it read the journal from the last event the previous one saw.
async fn poll_from_last_seen(sim: &Sim, env: &TestEnv) -> Value {
    let last = sim.allegro_served_events().last().cloned();
    let before = journal_queries(sim).len();
    let p = poll(env).await;
    let first = journal_queries(sim).get(before).cloned().expect("the poll read the journal");
    match last {
        Some(id) => assert!(first.contains(&format!("from={id}")), "asked {first:?}, last seen {id}"),
        None => assert!(!first.contains("from="), "{first}"),
    }
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linked_by_device_flow_then_orders_over_several_polls_each_form_once_no_event_twice() {
    let (sim, env) = setup("al-orders").await;
    // Allegro says "slow down" once: BrickDesk must wait 5 s longer from then on, or it would be
    // told again.
    let (shown, status) = link(&sim, &env, Sim::allegro_slow_down_next).await;
    assert_eq!(status, json!({"provider": "allegro", "set": true, "active": true}), "{shown}");
    assert_eq!(sim.allegro_slow_downs(), 1, "the slower pace was kept after slow_down");

    // First poll: nothing yet; the journal is bootstrapped from event-stats and the open snapshot.
    let p = poll(&env).await;
    assert_eq!(p["new_orders"], 0);
    assert_eq!(count_calls(&sim, "/order/event-stats"), 1);

    let paid = sim.allegro_add_order(purchase(
        "Kupujacy_1",
        vec![line("1001", Some("bd-1"), 3, "9.99"), line("1002", None, 1, "5.00"), line("1003", Some("2"), 2, "1.50")],
        true,
    ));
    let p = poll_from_last_seen(&sim, &env).await;
    // Three events about one checkout form: stored each, the form fetched and applied once.
    assert_eq!((p["new_orders"].as_i64(), p["processed"].as_i64(), p["stored"].as_i64()), (Some(1), Some(1), Some(3)), "{p}");
    assert_eq!(reserved(&env).await, [3, 2], "lot 1 by bd-1, lot 2 by its bare id");
    let orders = allegro_orders(&env).await;
    assert_eq!(orders.len(), 1);
    let o = &orders[0];
    assert_eq!(
        (o["external_id"].as_str(), o["currency"].as_str(), o["total"].as_str(), o["status"].as_str(), o["buyer_name"].as_str()),
        (Some(paid.as_str()), Some("PLN"), Some("49.96"), Some("NEW"), Some("Kupujacy_1"))
    );
    let detail = env.json(&["orders", "show", &o["id"].to_string(), "--json"], "").await;
    let items = detail["items"].as_array().unwrap();
    let by_offer = |n: &str| items.iter().find(|i| i["item_name"].as_str().unwrap().ends_with(n)).unwrap_or_else(|| panic!("{detail}"));
    assert_eq!((by_offer("1001")["item_no"].as_str(), by_offer("1001")["location"].as_str()), (Some("3001"), Some("A-01")));
    assert_eq!((by_offer("1002")["inventory_id"].is_null(), by_offer("1002")["location"].as_str()), (true, Some("UNKNOWN")), "unmatched");

    // Bought but not paid: recorded, holds nothing; paid later: reserves.
    let unpaid = sim.allegro_add_order(purchase("Kupujacy_2", vec![line("1001", Some("bd-1"), 4, "9.99")], false));
    poll_from_last_seen(&sim, &env).await;
    let orders = allegro_orders(&env).await;
    let o2 = orders.iter().find(|o| o["external_id"] == unpaid.as_str()).expect("the unpaid order is recorded");
    assert_eq!(o2["status"], "BOUGHT (unpaid)");
    assert_eq!(reserved(&env).await, [3, 2], "an unpaid order reserves nothing");
    sim.allegro_pay(&unpaid);
    let p = poll_from_last_seen(&sim, &env).await;
    assert_eq!(p["new_orders"], 0, "the same checkout form, not a new order");
    assert_eq!(reserved(&env).await, [7, 2]);

    // Nothing new: a poll stores nothing and asks from the same event.
    let p = poll_from_last_seen(&sim, &env).await;
    assert_eq!((p["fetched"].as_i64(), p["processed"].as_i64()), (Some(0), Some(0)), "{p}");
    assert_eq!(allegro_orders(&env).await.len(), 2, "every checkout form once");
    // An event type BrickDesk does not know is kept and listed; a malformed one fails alone.
    sim.allegro_push_event(json!({"type": "ORDER_TELEPORTED", "order": {"checkoutForm": {"id": paid}}}));
    sim.allegro_push_event(json!({"type": "READY_FOR_PROCESSING", "order": {"checkoutForm": {}}}));
    let third = sim.allegro_add_order(purchase("Kupujacy_3", vec![line("1003", Some("bd-2"), 1, "1.50")], true));
    let s = env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let p = &s["providers"][0];
    assert_eq!(p["new_orders"], 1, "{s}");
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("malformed"), "{failed:?}");
    let inbox = env.json(&["inbox", "list", "--json"], "").await;
    assert!(inbox.as_array().unwrap().iter().any(|e| e["event_type"] == "ORDER_TELEPORTED" && e["kind"] == "unknown"), "{inbox}");
    assert!(allegro_orders(&env).await.iter().any(|o| o["external_id"] == third.as_str()));
    assert_eq!(reserved(&env).await, [7, 3]);

    assert_served_once(&sim);
    assert_eq!(count_calls(&sim, "/auth/oauth/device"), 1);
    assert_doctor_ok(&env).await;
    env.assert_no_secret_in_data_dir(&[&sim.options().allegro_client_secret, "sim-access-", "sim-refresh-"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_renewed_silently_and_a_dead_link_asks_to_link_again_once() {
    let (sim, env) = setup("al-tokens").await;
    link(&sim, &env, |_| {}).await;
    poll(&env).await;
    sim.allegro_add_order(purchase("K", vec![line("1001", Some("bd-1"), 1, "9.99")], true));
    // Twice, each in a new process: the second renewal works only if the first one's new
    // (single-use) refresh token was kept.
    for round in 1..=2 {
        sim.allegro_expire_access_tokens();
        let p = poll(&env).await;
        assert_eq!(p["error"], Value::Null, "round {round}: {p}");
    }
    assert_eq!(reserved(&env).await, [1, 0]);
    assert_eq!(count_calls(&sim, "/auth/oauth/device"), 1, "the device flow was not restarted");

    sim.allegro_revoke_tokens();
    let o = env.cli_async(&["poll", "--provider", "allegro", "--json"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let calls = sim.calls(Market::Allegro).len();
    for _ in 0..2 {
        let o = env.cli_async(&["poll", "--provider", "allegro"], "").await;
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(e.contains("not linked") && e.contains("credentials set allegro"), "{e}");
    }
    assert_eq!(sim.calls(Market::Allegro).len(), calls, "a dead link is not polled again and again");
    let status = env.json(&["credentials", "status", "--json"], "").await;
    let al = status.as_array().unwrap().iter().find(|s| s["provider"] == "allegro").cloned();
    assert_eq!(al, Some(json!({"provider": "allegro", "set": true, "active": false})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_order_releases_its_stock_and_a_sent_one_leaves_the_shelf() {
    let (sim, env) = setup("al-cancel").await;
    link(&sim, &env, |_| {}).await;
    poll(&env).await;
    let a = sim.allegro_add_order(purchase("A", vec![line("1001", Some("bd-1"), 3, "9.99")], true));
    let b = sim.allegro_add_order(purchase("B", vec![line("1003", Some("bd-2"), 2, "1.50")], true));
    poll(&env).await;
    assert_eq!(reserved(&env).await, [3, 2]);
    sim.allegro_cancel(&a);
    sim.allegro_set_fulfillment(&b, "SENT");
    poll(&env).await;
    assert_eq!(reserved(&env).await, [0, 0]);
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    assert_eq!((lots[0]["quantity"].as_i64(), lots[1]["quantity"].as_i64()), (Some(100), Some(48)), "shipped pieces left the shelf");
    let orders = allegro_orders(&env).await;
    let status = |id: &str| orders.iter().find(|o| o["external_id"] == id).map(|o| o["status"].clone());
    assert_eq!((status(&a), status(&b)), (Some(json!("CANCELLED")), Some(json!("SENT"))));
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_the_journal_no_longer_keeps_bootstraps_without_loss_or_doubles() {
    let (sim, env) = setup("al-stale").await;
    link(&sim, &env, |_| {}).await;
    poll(&env).await;
    let a = sim.allegro_add_order(purchase("A", vec![line("1001", Some("bd-1"), 3, "9.99")], true));
    let kept = sim.allegro_add_order(purchase("Kept", vec![line("1001", Some("bd-1"), 1, "9.99")], true));
    let unpaid = sim.allegro_add_order(purchase("Unpaid", vec![line("1003", Some("bd-2"), 2, "1.50")], false));
    poll(&env).await;
    assert_eq!(reserved(&env).await, [4, 0]);
    let status_of = |orders: &[Value], id: &str| orders.iter().find(|o| o["external_id"] == id).map(|o| o["status"].clone());
    assert_eq!(status_of(&allegro_orders(&env).await, &unpaid), Some(json!("BOUGHT (unpaid)")));
    // BrickDesk is away longer than Allegro keeps events: an order comes, one is cancelled, the
    // unpaid purchase is cancelled too, and the journal forgets all of it.
    let b = sim.allegro_add_order(purchase("B", vec![line("1003", Some("bd-2"), 5, "1.50")], true));
    sim.allegro_cancel(&a);
    sim.allegro_cancel(&unpaid);
    sim.allegro_expire_journal();
    let stats_before = count_calls(&sim, "/order/event-stats");
    let p = poll(&env).await;
    assert_eq!(count_calls(&sim, "/order/event-stats"), stats_before + 1, "bootstrapped: {p}");
    assert_eq!(p["new_orders"], 1, "{p}");
    assert_eq!(reserved(&env).await, [1, 5], "B imported, A's cancellation found, the kept order untouched");
    let orders = allegro_orders(&env).await;
    assert_eq!(orders.len(), 4);
    for id in [&a, &kept, &b, &unpaid] {
        assert_eq!(orders.iter().filter(|o| o["external_id"] == id.as_str()).count(), 1, "{id} once");
    }
    // No paid snapshot lists an unpaid purchase: it was read again, and holds nothing any more.
    assert_eq!(status_of(&orders, &unpaid), Some(json!("CANCELLED")), "the unpaid purchase cancelled in the gap");
    // Events after the bootstrap are read from its barrier on; nothing comes twice.
    sim.allegro_add_order(purchase("C", vec![line("1001", Some("bd-1"), 2, "9.99")], true));
    let p = poll(&env).await;
    assert_eq!(p["new_orders"], 1);
    assert_eq!(allegro_orders(&env).await.len(), 5);
    assert_eq!(reserved(&env).await, [3, 5]);
    assert_served_once(&sim);
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_after_storing_events_loses_and_doubles_nothing() {
    let (sim, env) = setup("al-kill").await;
    link(&sim, &env, |_| {}).await;
    poll(&env).await;
    let n = 3;
    for i in 0..n {
        sim.allegro_add_order(purchase(&format!("buyer{i}"), vec![line("1001", Some("bd-1"), 1, "9.99")], true));
    }
    // The checkout forms come slowly: the events are stored and the cursor advanced, the orders
    // are being fetched, when BrickDesk dies.
    sim.slow(Market::Allegro, "/order/checkout-forms/", Duration::from_millis(1500));
    let mut child = env.cli_command(&["poll", "--provider", "allegro"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.slowed_requests() == 0 {
        assert!(Instant::now() < deadline, "no checkout form was fetched");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(allegro_orders(&env).await.is_empty(), "killed before any order was stored: the run proved something");
    let queries_before = journal_queries(&sim).len();
    let p = poll(&env).await;
    let last = sim.allegro_served_events().last().cloned().unwrap();
    assert!(journal_queries(&sim)[queries_before].contains(&format!("from={last}")), "the cursor had advanced with the stored events");
    assert_eq!(p["stored"], 0, "no event stored twice: {p}");
    assert_eq!(allegro_orders(&env).await.len(), n);
    assert_eq!(reserved(&env).await, [n as i64, 0], "one reservation per order");
    assert_served_once(&sim);
    assert_doctor_ok(&env).await;
}

// ---- Offers ----

fn offer(id: &str, name: &str, price: &str, stock: i64, external: Option<&str>) -> AllegroOffer {
    AllegroOffer {
        id: id.into(),
        name: name.into(),
        price: price.into(),
        stock,
        external_id: external.map(str::to_string),
        ..AllegroOffer::default()
    }
}

/// `allegro offers --json`, keyed by offer id.
async fn offers(env: &TestEnv) -> std::collections::BTreeMap<String, Value> {
    let list = env.json(&["allegro", "offers", "--json"], "").await;
    list.as_array().expect("a list").iter().map(|o| (o["offer_id"].as_str().unwrap().to_string(), o.clone())).collect()
}

/// The query strings of every `/sale/offer-events` request so far.
fn offer_journal_queries(sim: &Sim) -> Vec<String> {
    sim.calls(Market::Allegro).into_iter().filter(|c| c.path == "/sale/offer-events").map(|c| c.query).collect()
}

fn product_offer_fetches(sim: &Sim, id: &str) -> usize {
    let path = format!("/sale/product-offers/{id}");
    sim.calls(Market::Allegro).iter().filter(|c| c.method == "GET" && c.path == path).count()
}

fn assert_offer_events_served_once(sim: &Sim) {
    let served = sim.allegro_served_offer_events();
    let mut unique = served.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), served.len(), "an offer event was served twice: {served:?}");
}

/// Polls in a new process and checks it read the offer journal from the last event seen before.
async fn poll_offers_from_last_seen(sim: &Sim, env: &TestEnv) -> Value {
    let last = sim.allegro_served_offer_events().last().cloned();
    let before = offer_journal_queries(sim).len();
    let p = poll(env).await;
    let first = offer_journal_queries(sim).get(before).cloned().expect("the poll read the offer journal");
    match last {
        Some(id) => assert!(first.contains(&format!("from={id}")), "asked {first:?}, last seen {id}"),
        None => assert!(!first.contains("from="), "{first}"),
    }
    p
}

fn field<'a>(o: &'a std::collections::BTreeMap<String, Value>, id: &str, f: &str) -> &'a Value {
    &o.get(id).unwrap_or_else(|| panic!("offer {id} is listed: {o:?}"))[f]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offer_events_over_several_polls_each_stored_once_and_the_offer_fetched_for_its_values() {
    let (sim, env) = setup("al-offers").await;
    link(&sim, &env, |_| {}).await;
    sim.allegro_add_offer(offer("501", "Klocek 2x4 czerwony", "0.99", 40, Some("bd-1")));
    // First poll: no cursor, so the offers are listed (the journal read to its end first).
    poll(&env).await;
    assert_eq!(count_calls(&sim, "/sale/offers"), 1);
    let o = offers(&env).await;
    assert_eq!((field(&o, "501", "stock_available"), field(&o, "501", "price")), (&json!(40), &json!("0.99")));
    assert_eq!((field(&o, "501", "lot_id"), field(&o, "501", "linked_by")), (&json!(1), &json!("signature")));
    assert_eq!(field(&o, "501", "lot_label"), "3001 · 5 · N");

    // The seller changes stock and price on allegro.pl, lists a new offer: events without values.
    sim.allegro_set_offer_stock("501", 35);
    sim.allegro_set_offer_price("501", "1.10");
    sim.allegro_add_offer(offer("502", "Klocek 2x2 czarny", "0.50", 12, None));
    let p = poll_offers_from_last_seen(&sim, &env).await;
    assert_eq!(p["stored"], 3, "three offer events stored: {p}");
    let o = offers(&env).await;
    assert_eq!((field(&o, "501", "stock_available"), field(&o, "501", "price")), (&json!(35), &json!("1.10")), "fetched: {o:?}");
    assert_eq!((field(&o, "502", "stock_available"), field(&o, "502", "status")), (&json!(12), &json!("ACTIVE")));
    assert_eq!(field(&o, "502", "lot_id"), &Value::Null, "no signature, no link");
    assert_eq!(product_offer_fetches(&sim, "501"), 1, "two events about one offer: one fetch answers both");
    assert_eq!(count_calls(&sim, "/sale/offers"), 1, "a trusted cursor is read, not rebuilt");
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    assert_eq!(lots[0]["quantity"], 100, "an offer's stock never changes a lot");

    // Nothing new: nothing stored, asked from the same event.
    let p = poll_offers_from_last_seen(&sim, &env).await;
    assert_eq!(p["stored"], 0, "{p}");

    // An unknown type is kept and listed; a malformed event fails alone; the others go on.
    sim.allegro_push_offer_event(json!({"type": "OFFER_TELEPORTED", "offer": {"id": "501", "external": null}}));
    sim.allegro_push_offer_event(json!({"type": "OFFER_STOCK_CHANGED", "offer": {"external": null}}));
    sim.allegro_end_offer("502");
    let s = env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let p = &s["providers"][0];
    assert_eq!((p["stored"].as_i64(), p["error"].as_str()), (Some(3), None), "{s}");
    assert_eq!(field(&offers(&env).await, "502", "status"), "ENDED");
    let failed = env.json(&["inbox", "list", "--failed", "--json"], "").await;
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0]["last_error"].as_str().unwrap().contains("malformed"), "{failed:?}");
    let inbox = env.json(&["inbox", "list", "--json"], "").await;
    assert!(inbox.as_array().unwrap().iter().any(|e| e["event_type"] == "OFFER_TELEPORTED" && e["kind"] == "unknown"), "{inbox}");

    // A purchase journals a stock change on the offer too; its order arrives as an order.
    sim.allegro_add_order(purchase("K", vec![line("501", Some("bd-1"), 5, "1.10")], true));
    poll_offers_from_last_seen(&sim, &env).await;
    assert_eq!(field(&offers(&env).await, "501", "stock_available"), 30);
    assert_eq!(reserved(&env).await, [5, 0], "the sale reserved once, as an order");
    assert_offer_events_served_once(&sim);
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_offer_cursor_rebuilds_from_the_offer_list_without_loss() {
    let (sim, env) = setup("al-offers-stale").await;
    link(&sim, &env, |_| {}).await;
    sim.allegro_add_offer(offer("601", "A", "1.00", 10, None));
    sim.allegro_add_offer(offer("602", "B", "2.00", 20, None));
    poll(&env).await;
    // BrickDesk is away longer than Allegro keeps offer events: stock changes, an offer ends, a
    // new one is listed, and the journal forgets all of it.
    sim.allegro_set_offer_stock("601", 3);
    sim.allegro_end_offer("602");
    sim.allegro_add_offer(offer("603", "C", "3.00", 30, None));
    sim.allegro_expire_offer_journal();
    poll(&env).await;
    assert_eq!(count_calls(&sim, "/sale/offers"), 2, "rebuilt from the list");
    let o = offers(&env).await;
    assert_eq!(
        [field(&o, "601", "stock_available"), field(&o, "602", "status"), field(&o, "603", "stock_available")],
        [&json!(3), &json!("ENDED"), &json!(30)],
        "{o:?}"
    );
    // After the rebuild, events are read from its barrier on (here the journal's start: it was
    // empty when the barrier was taken).
    sim.allegro_set_offer_stock("603", 29);
    let p = poll(&env).await;
    assert_eq!(p["stored"], 1, "{p}");
    assert_eq!(field(&offers(&env).await, "603", "stock_available"), 29);

    // A cursor last read more than 23 hours ago is not trusted even if Allegro would still take it.
    sim.allegro_set_offer_price("601", "1.50");
    let later = (chrono::Utc::now() + chrono::Duration::hours(25)).to_rfc3339();
    let out = env.cli_command(&["poll", "--provider", "allegro", "--json"]).env("BRICKDESK_NOW", &later).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count_calls(&sim, "/sale/offers"), 3, "rebuilt: the cursor was a day old");
    assert_eq!(field(&offers(&env).await, "601", "price"), "1.50");
    assert_offer_events_served_once(&sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offers_link_by_signature_or_by_the_seller_and_the_sellers_link_wins() {
    let (sim, env) = setup("al-offers-link").await;
    // A BrickLink lot imported into BrickDesk: its BrickLink id is a signature (`bl-<id>`).
    let bl_lot = sim.bricklink_add_lot(sim_part("3020", 1, 'N', 7, "0.30", "C-03", None));
    env.set_bricklink_credentials(&sim).await;
    env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    let imported = lots.as_array().unwrap().iter().find(|l| l["item_no"] == "3020").expect("imported")["id"].as_i64().unwrap();
    link(&sim, &env, |_| {}).await;
    sim.allegro_add_offer(offer("701", "Po sygnaturze", "1.00", 1, Some("2")));
    sim.allegro_add_offer(offer("702", "Z BrickLinka", "1.00", 1, Some(&format!("bl-{bl_lot}"))));
    sim.allegro_add_offer(offer("703", "Bez sygnatury", "1.00", 1, Some("moj-sku")));
    poll(&env).await;
    let o = offers(&env).await;
    assert_eq!((field(&o, "701", "lot_id"), field(&o, "701", "linked_by")), (&json!(2), &json!("signature")));
    assert_eq!((field(&o, "702", "lot_id"), field(&o, "702", "linked_by")), (&json!(imported), &json!("signature")));
    assert_eq!(field(&o, "703", "lot_id"), &Value::Null);
    let listed = env.json(&["allegro", "offers", "--json"], "").await;
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bez sygnatury", "Po sygnaturze", "Z BrickLinka"], "by name");

    let linked = env.json(&["allegro", "link", "703", "1", "--json"], "").await;
    assert_eq!(
        (linked["lot_id"].as_i64(), linked["linked_by"].as_str(), linked["lot_label"].as_str()),
        (Some(1), Some("seller"), Some("3001 · 5 · N"))
    );
    // The seller's link wins over the signature, and linking again replaces the link.
    env.json(&["allegro", "link", "701", "1", "--json"], "").await;
    env.json(&["allegro", "link", "703", "2", "--json"], "").await;
    let o = offers(&env).await;
    assert_eq!((field(&o, "701", "lot_id"), field(&o, "701", "linked_by")), (&json!(1), &json!("seller")));
    assert_eq!((field(&o, "703", "lot_id"), field(&o, "703", "linked_by")), (&json!(2), &json!("seller")));
    // A sale of the seller-linked offer reserves the lot the seller chose.
    sim.allegro_add_order(purchase("K", vec![line("701", Some("2"), 1, "1.00")], true));
    poll(&env).await;
    assert_eq!(&reserved(&env).await[..2], [1, 0]);

    for (args, code, said) in [
        (vec!["allegro", "link", "999", "1"], 1, "no Allegro offer with id 999"),
        (vec!["allegro", "link", "701", "4242"], 1, "no lot with id 4242"),
        (vec!["allegro", "link", "701"], 2, "LOT_ID"),
    ] {
        let out = env.cli_async(&args, "").await;
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    }
    env.json(&["inventory", "delete", "2", "--json"], "").await;
    let out = env.cli_async(&["allegro", "link", "702", "2"], "").await;
    assert_eq!(out.status.code(), Some(1), "a deleted lot cannot be linked");
    assert_doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_reading_the_offer_journal_loses_and_doubles_nothing() {
    let (sim, env) = setup("al-offers-kill").await;
    link(&sim, &env, |_| {}).await;
    sim.allegro_add_offer(offer("801", "A", "1.00", 10, None));
    poll(&env).await;
    for stock in [9, 8, 7] {
        sim.allegro_set_offer_stock("801", stock);
    }
    let cursor = sim.allegro_served_offer_events().last().cloned();
    // The offer journal answers slowly: BrickDesk dies while the request is in flight.
    sim.slow(Market::Allegro, "/sale/offer-events", Duration::from_millis(1500));
    let slowed = sim.slowed_requests();
    let mut child = env.cli_command(&["poll", "--provider", "allegro"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.slowed_requests() == slowed {
        assert!(Instant::now() < deadline, "the offer journal was not read");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(field(&offers(&env).await, "801", "stock_available"), 10, "killed before anything was stored");
    let queries_before = offer_journal_queries(&sim).len();
    let p = poll(&env).await;
    let asked = &offer_journal_queries(&sim)[queries_before];
    match &cursor {
        Some(id) => assert!(asked.contains(&format!("from={id}")), "the cursor had not moved: {asked}"),
        None => panic!("the first poll left a cursor"),
    }
    assert_eq!(p["stored"], 3, "every event stored once: {p}");
    assert_eq!(field(&offers(&env).await, "801", "stock_available"), 7);
    let p = poll(&env).await;
    assert_eq!(p["stored"], 0, "nothing twice: {p}");
    assert_doctor_ok(&env).await;
}

/// A registration made on Allegro's sandbox (`"sandbox": true`) links and polls on the sandbox
/// hosts only (the real Allegro is another simulator here, which must see no call), as an account
/// of its own. Linking the real account afterwards takes over nothing of the sandbox's: the real
/// account bootstraps from its own journal and the sandbox order stays the sandbox's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_registration_links_and_polls_on_the_sandbox_hosts_only() {
    let options = || SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() };
    let sandbox = Sim::start(options()).await.expect("start the sandbox simulator");
    let real = Sim::start(options()).await.expect("start the real simulator");
    let mut env = TestEnv::new("allegro-sandbox");
    env.use_sim(&sandbox.bricklink_url, &sandbox.brickowl_url);
    env.use_allegro_sim(&real);
    env.extra.push(("BRICKDESK_ALLEGRO_SANDBOX_API_URL", sandbox.allegro_api_url.clone()));
    env.extra.push(("BRICKDESK_ALLEGRO_SANDBOX_AUTH_URL", sandbox.allegro_auth_url.clone()));
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":10,"unit_price":"0.12","location":"A-01"}"#,
    )
    .await;
    let status = env.link_allegro_with(&sandbox, json!({"sandbox": true})).await;
    assert_eq!((status["set"].as_bool(), status["active"].as_bool()), (Some(true), Some(true)), "{status}");

    let form = sandbox.allegro_add_order(purchase("piaskownica", vec![line("8800001", Some("1"), 2, "1.50")], true));
    let polled = poll(&env).await;
    assert_eq!(polled["new_orders"], 1, "{polled}");
    let orders = allegro_orders(&env).await;
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(orders[0]["external_id"], form.as_str());
    assert_eq!(reserved(&env).await, vec![2], "the sandbox order reserved its lot");
    assert!(!sandbox.calls(Market::Allegro).is_empty(), "the sandbox was called");
    assert!(real.calls(Market::Allegro).is_empty(), "the real Allegro was not called");

    // The seller now links the real account.
    env.link_allegro(&real).await;
    let real_form = real.allegro_add_order(purchase("kupujacy", vec![line("9900001", Some("1"), 3, "1.50")], true));
    let polled = poll(&env).await;
    assert_eq!(polled["new_orders"], 1, "{polled}");
    // A sandbox cursor taken over would look fresh and be read on from: no bootstrap at all.
    assert_eq!(count_calls(&real, "/order/event-stats"), 1, "the real account bootstraps from its own journal");
    let store = brickdesk_engine::store::Store::open(&env.data_dir.path().join("brickdesk.sqlite3")).expect("open the store");
    let by_account: Vec<(String, String)> = store
        .read(|c| {
            let mut st = c.prepare("SELECT account, external_id FROM orders WHERE marketplace = 'allegro' ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<std::result::Result<Vec<(String, String)>, _>>()?;
            Ok(rows)
        })
        .await
        .expect("read accounts");
    assert_eq!(by_account.len(), 2, "{by_account:?}");
    assert!(by_account[0].0.starts_with("allegro-sandbox-") && by_account[0].1 == form, "{by_account:?}");
    assert!(by_account[1].0.starts_with("allegro-") && !by_account[1].0.starts_with("allegro-sandbox-"), "{by_account:?}");
    assert_eq!(by_account[1].1, real_form);
}
