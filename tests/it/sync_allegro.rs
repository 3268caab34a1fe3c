//! Stock to Allegro end to end: `brickdesk-cli` against the simulated BrickLink and Allegro (a
//! linked account, a seeded offer, the stock PATCH), a real SQLite file and the real OS keyring.
//! Every step is a new CLI process.

use std::process::Stdio;
use std::time::{Duration, Instant};

use brickdesk_sim::{AllegroLine, AllegroOffer, AllegroOrder, Fault, Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, stderr, TestEnv};
use serde_json::{json, Value};

/// The local lot every test sells (imported from BrickLink: lot 1).
const LOT: i64 = 1;

/// A simulator whose BrickLink store has one lot (3001 red new, 40 at A-01) and whose Allegro
/// account has one offer of it (stock 40); an env that imported the BrickLink store, linked
/// Allegro, read its offers, linked the offer to the lot and pushed once. Returns the BrickLink lot
/// id and the offer id.
async fn setup(label: &str) -> (Sim, TestEnv, i64, String) {
    let (sim, env, remote, offer) = setup_offer(label, |_| None).await;
    link_offer(&env, &offer, LOT).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim), [(offer.clone(), 40)], "linking pushes the lot's stock once: {run}");
    (sim, env, remote, offer)
}

/// [`setup`] up to reading the offers, the offer signed with `signature(BrickLink lot id)`.
async fn setup_offer(label: &str, signature: impl FnOnce(i64) -> Option<String>) -> (Sim, TestEnv, i64, String) {
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("start simulator");
    let remote = sim.bricklink_add_lot(item("3001", 5, 'N', 40, "0.1200", "A-01", None));
    let offer = sim.allegro_add_offer(AllegroOffer {
        name: "LEGO 3001 Klocek 2x4 czerwony".into(),
        price: "0.59".into(),
        stock: 40,
        external_id: signature(remote),
        ..AllegroOffer::default()
    });
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    env.set_bricklink_credentials(&sim).await;
    env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    env.link_allegro(&sim).await;
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    (sim, env, remote, offer)
}

/// `allegro link OFFER LOT`: the seller's link (of an offer BrickDesk has read from Allegro).
async fn link_offer(env: &TestEnv, offer: &str, lot: i64) {
    let o = env.cli_async(&["allegro", "link", offer, &lot.to_string()], "").await;
    assert!(o.status.success(), "allegro link failed: {}", stderr(&o));
}

/// Every stock PATCH Allegro carried out: (offer, stock set).
fn patches(sim: &Sim) -> Vec<(String, i64)> {
    sim.allegro_stock_patches()
}

fn offer_stock(sim: &Sim, offer: &str) -> i64 {
    sim.allegro_offer(offer).and_then(|o| o["stock"]["available"].as_i64()).expect("the offer and its stock")
}

fn bricklink_puts(sim: &Sim) -> usize {
    sim.calls(Market::Bricklink).iter().filter(|c| c.method == "PUT" && c.path.starts_with("/inventories")).count()
}

async fn lot(env: &TestEnv) -> Value {
    env.json(&["inventory", "list", "--json"], "").await[0].clone()
}

/// The lot's row for Allegro in `sync status --json`.
async fn allegro_status(env: &TestEnv) -> Value {
    let all = env.json(&["sync", "status", "--json"], "").await;
    all.as_array().unwrap().iter().find(|s| s["marketplace"] == "allegro" && s["inventory_id"] == LOT).cloned().unwrap_or(Value::Null)
}

async fn doctor_ok(env: &TestEnv) {
    assert_eq!(env.json(&["doctor", "--json"], "").await, json!({"ok": true, "problems": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bricklink_order_brings_the_offer_down_with_one_patch() {
    let (sim, env, remote, offer) = setup("al-sync-blorder").await;
    let synced = allegro_status(&env).await;
    assert_eq!((synced["status"].as_str(), synced["remote_id"].as_str()), (Some("synced"), Some(offer.as_str())), "{synced}");
    sim.bricklink_add_order(SimOrder {
        buyer_name: "bl_buyer".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 2, "0.1200", "A-01", Some(remote))]],
    });
    env.json(&["poll", "--provider", "bricklink", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 2);
    let puts = bricklink_puts(&sim);
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim), [(offer.clone(), 40), (offer.clone(), 38)], "one PATCH, the new stock: {run}");
    assert_eq!(offer_stock(&sim, &offer), 38);
    assert_eq!(bricklink_puts(&sim), puts, "BrickLink took its pieces off itself");
    // Nothing changed since: nothing more is sent.
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim).len(), 2);
    assert_eq!(allegro_status(&env).await["status"], "synced");
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allegro_order_is_pushed_to_bricklink_but_not_back_to_allegro() {
    let (sim, env, remote, offer) = setup("al-sync-alorder").await;
    // A buyer takes 3 on Allegro: Allegro takes them off the offer itself.
    sim.allegro_add_order(AllegroOrder {
        buyer_login: "Kupujacy_1".into(),
        lines: vec![AllegroLine {
            offer_id: offer.clone(),
            name: "LEGO 3001".into(),
            external_id: None,
            quantity: 3,
            price: "0.59".into(),
        }],
        delivery: "Allegro Paczkomaty InPost".into(),
        delivery_cost: "11.99".into(),
        paid: true,
    });
    assert_eq!(offer_stock(&sim, &offer), 37);
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 3, "the order line found the lot through the seller's link");
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.bricklink_lot(remote).unwrap()["quantity"], 37, "BrickLink brought down: {run}");
    assert_eq!(patches(&sim).len(), 1, "no PATCH back to Allegro: {:?}", patches(&sim));
    assert_eq!(offer_stock(&sim, &offer), 37);
    assert_eq!(allegro_status(&env).await["status"], "synced");
    doctor_ok(&env).await;
}

/// An unpaid Allegro purchase: Allegro took the pieces off the offer at once, BrickDesk reserves
/// nothing until it is paid. A push meanwhile must not hand those pieces back to the offer (they
/// would be sold twice); once it is paid they are reserved instead; a purchase cancelled unpaid
/// gives them back to the offer, whether or not Allegro does so itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_allegro_purchase_keeps_its_pieces_off_the_offer() {
    let (sim, env, _remote, offer) = setup("al-sync-unpaid").await;
    let purchase = |quantity| AllegroOrder {
        buyer_login: "Kupujacy_1".into(),
        lines: vec![AllegroLine { offer_id: offer.clone(), name: "LEGO 3001".into(), external_id: None, quantity, price: "0.59".into() }],
        delivery: "Allegro Paczkomaty InPost".into(),
        delivery_cost: "11.99".into(),
        paid: false,
    };
    let unpaid = sim.allegro_add_order(purchase(3));
    assert_eq!(offer_stock(&sim, &offer), 37);
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 0, "unpaid: nothing reserved");
    // The seller counts the lot again: 45 on the shelf. The offer gets 45 less the 3 bought.
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 45}"#).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 42, "the unpaid 3 stay off the offer: {run}");
    // Paid: reserved now, and the offer still 42.
    sim.allegro_pay(&unpaid);
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 3);
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 42);
    // Another buyer takes 2 and cancels before paying: the 2 go back to the offer.
    let walked_away = sim.allegro_add_order(purchase(2));
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 40);
    sim.allegro_cancel(&walked_away);
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 42, "cancelled unpaid: its pieces are on sale again: {run}");
    // One more takes 4; the form stays BOUGHT and its fulfillment is cancelled: cancelled, not
    // unpaid, so the 4 go back on sale as well.
    let fulfillment_cancelled = sim.allegro_add_order(purchase(4));
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 38);
    sim.allegro_set_fulfillment(&fulfillment_cancelled, "CANCELLED");
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 42, "{run}");
    let orders = env.json(&["orders", "list", "--json"], "").await;
    let statuses: Vec<&str> = orders.as_array().into_iter().flatten().filter_map(|o| o["status"].as_str()).collect();
    assert!(!statuses.iter().any(|s| s.contains("unpaid")), "{statuses:?}");
    assert_eq!(allegro_status(&env).await["status"], "synced");
    doctor_ok(&env).await;
}

/// An unpaid purchase of 3 (`external_id`: the offer's signature as Allegro copies it to the line).
fn unpaid_purchase(offer: &str, external_id: Option<String>, quantity: i64) -> AllegroOrder {
    AllegroOrder {
        buyer_login: "Kupujacy_1".into(),
        lines: vec![AllegroLine { offer_id: offer.into(), name: "LEGO 3001".into(), external_id, quantity, price: "0.59".into() }],
        delivery: "Allegro Paczkomaty InPost".into(),
        delivery_cost: "11.99".into(),
        paid: false,
    }
}

/// An unpaid purchase on an offer the seller then ends and relists: its pieces are still sold
/// (pending payment), so the relisted offer gets the lot's stock less them. They are counted by
/// the lot, not by the offer they were bought on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_purchase_on_an_ended_offer_keeps_its_pieces_off_the_relisted_one() {
    let signature = Some(format!("bd-{LOT}"));
    let (sim, env, _remote, ended) = setup_offer("al-sync-unpaid-relisted", |_| signature.clone()).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim), [(ended.clone(), 40)]);
    sim.allegro_add_order(unpaid_purchase(&ended, signature.clone(), 3));
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 0, "unpaid: nothing reserved");
    assert!(sim.allegro_end_offer(&ended), "the seller ends the offer");
    let relisted = sim.allegro_add_offer(AllegroOffer {
        name: "LEGO 3001 Klocek 2x4 czerwony (relisted)".into(),
        price: "0.59".into(),
        stock: 1,
        external_id: signature.clone(),
        ..AllegroOffer::default()
    });
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim).last(), Some(&(relisted.clone(), 37)), "40 on the shelf, 3 of them bought: {run}");
    assert_eq!(offer_stock(&sim, &relisted), 37);
    doctor_ok(&env).await;
}

/// An unpaid purchase polled while the lot's stock is on its way to the offer: the push read the
/// lot before the purchase, so its number puts the purchase's pieces back on sale. One more push
/// follows it and takes them off again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_purchase_polled_during_a_push_gets_one_more_push() {
    let (sim, env, _remote, offer) = setup("al-sync-unpaid-inflight").await;
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 45}"#).await;
    // The PATCH of 45 is held 8 s by Allegro (and so is any read of the offer).
    sim.slow(Market::Allegro, &format!("/sale/product-offers/{offer}"), Duration::from_secs(8));
    let mut push = env.cli_command(&["sync", "run", "--json"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn sync run");
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.slowed_requests() == 0 {
        assert!(Instant::now() < deadline, "the PATCH was never sent");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Meanwhile a buyer takes 3 and has not paid; BrickDesk polls and records it.
    sim.allegro_add_order(unpaid_purchase(&offer, None, 3));
    let poll = env
        .cli_command(&["poll", "--provider", "allegro", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn poll");
    loop {
        let orders = env.json(&["orders", "list", "--json"], "").await;
        if orders.as_array().into_iter().flatten().any(|o| o["status"] == "BOUGHT (unpaid)") {
            break;
        }
        assert!(Instant::now() < deadline, "the unpaid purchase was never recorded: {orders}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(push.try_wait().expect("sync run").is_none(), "the purchase was recorded while the push was in flight");
    let wait = |mut child: std::process::Child| tokio::task::spawn_blocking(move || child.wait().expect("wait"));
    assert!(wait(push).await.expect("sync run").success());
    assert!(wait(poll).await.expect("poll").success());
    assert_eq!(offer_stock(&sim, &offer), 45, "the push in flight set what it had read");
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 42, "45 on the shelf, 3 bought unpaid: {run}");
    assert_eq!(allegro_status(&env).await["status"], "synced");
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_edit_pushes_once_and_an_edit_that_sells_nothing_more_sends_nothing() {
    let (sim, env, _remote, offer) = setup("al-sync-edit").await;
    for q in [35, 31, 30] {
        env.json(&["inventory", "update", &LOT.to_string(), "--json"], &json!({"quantity": q}).to_string()).await;
    }
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim)[1..], [(offer.clone(), 30)], "three edits, one PATCH");
    assert_eq!(offer_stock(&sim, &offer), 30);
    // The price and the bin change, the pieces for sale do not: BrickLink hears of it, Allegro not.
    let puts = bricklink_puts(&sim);
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"unit_price": "0.15", "location": "A-02"}"#).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(bricklink_puts(&sim), puts + 1);
    assert_eq!(patches(&sim).len(), 2, "available unchanged: no PATCH");
    // Deleted here: 0 ends the offer on Allegro; the offer itself is the seller's and stays.
    let o = env.cli_async(&["inventory", "delete", &LOT.to_string(), "--json"], "").await;
    assert!(o.status.success(), "{}", stderr(&o));
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim).last(), Some(&(offer.clone(), 0)));
    let ended = sim.allegro_offer(&offer).expect("never deleted");
    assert_eq!((ended["stock"]["available"].as_i64(), ended["publication"]["status"].as_str()), (Some(0), Some("ENDED")));
    doctor_ok(&env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_signed_with_the_bricklink_lot_follows_it_without_a_link() {
    let (sim, env, remote, offer) = setup_offer("al-sync-signed", |remote| Some(format!("bl-{remote}"))).await;
    // Seen selling the lot for the first time: the lot's stock goes to it at once, not at the
    // lot's next change.
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim), [(offer.clone(), 40)], "{run}");
    let before = patches(&sim).len();
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 36}"#).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim)[before..], [(offer.clone(), 36)], "{run}");
    assert_eq!(sim.bricklink_lot(remote).unwrap()["quantity"], 36);
    let synced = allegro_status(&env).await;
    assert_eq!((synced["status"].as_str(), synced["remote_id"].as_str()), (Some("synced"), Some(offer.as_str())), "{synced}");
    // An offer signed for another lot, and one signed with nothing BrickDesk knows, get nothing.
    let other = sim.allegro_add_offer(AllegroOffer {
        name: "x".into(),
        price: "1.00".into(),
        stock: 5,
        external_id: Some("bd-999".into()),
        ..AllegroOffer::default()
    });
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 35}"#).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim)[before..], [(offer.clone(), 36), (offer.clone(), 35)]);
    assert_eq!(offer_stock(&sim, &other), 5);
}

/// A signature as a seller types it (capitals, a leading zero, spaces): the offer's orders find
/// the lot, and so must its stock.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_signed_loosely_still_gets_the_lots_stock() {
    let signatures: [(&str, fn(i64) -> Option<String>); 2] =
        [("al-sync-loose-bd", |_| Some(format!(" Bd-0{LOT} "))), ("al-sync-loose-bl", |remote| Some(format!("Bl-{remote}\t")))];
    for (label, signature) in signatures {
        let (sim, env, _remote, offer) = setup_offer(label, signature).await;
        let run = env.json(&["sync", "run", "--json"], "").await;
        assert_eq!(patches(&sim), [(offer.clone(), 40)], "{label}: {run}");
        env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 37}"#).await;
        env.json(&["sync", "run", "--json"], "").await;
        assert_eq!(offer_stock(&sim, &offer), 37, "{label}");
        let offers = env.json(&["allegro", "offers", "--json"], "").await;
        assert_eq!(offers[0]["lot_id"], LOT, "{label}: {offers}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_offer_fails_with_the_error_and_retry_rearms_it() {
    let (sim, env, _remote, offer) = setup("al-sync-gone").await;
    // The offer is gone on Allegro (every PATCH of it answers 404 until it is back).
    sim.outage(Market::Allegro, "/sale/product-offers/", Fault::Status(404));
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 25}"#).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    let failed = allegro_status(&env).await;
    assert_eq!(failed["status"], "failed", "{run}");
    let error = failed["last_error"].as_str().unwrap_or_default();
    assert!(error.contains(&format!("offer {offer} no longer exists on Allegro")), "{error}");
    assert_eq!(run["failed"].as_array().map(Vec::len), Some(1), "{run}");
    // Failed for good: another round does not try it again by itself.
    let calls = sim.calls(Market::Allegro).len();
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.calls(Market::Allegro).len(), calls, "a permanent failure is not retried on its own");
    // The seller retries (the offer is back): pushed.
    sim.end_outage(Market::Allegro);
    let retried = env.json(&["sync", "retry", "--json"], "").await;
    assert_eq!(retried["retried"], 1, "{retried}");
    assert_eq!(allegro_status(&env).await["status"], "pending");
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 25);
    assert_eq!(allegro_status(&env).await["status"], "synced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_patch_doubles_nothing() {
    let (sim, env, _remote, offer) = setup("al-sync-kill").await;
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 33}"#).await;
    // Allegro carries the PATCH out after a long wait; `sync run` is killed while it waits.
    sim.slow(Market::Allegro, "/sale/product-offers/", Duration::from_secs(3));
    env.kill_sync_run_mid_call(&sim).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while patches(&sim).len() < 2 {
        assert!(std::time::Instant::now() < deadline, "Allegro never carried out the PATCH");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(offer_stock(&sim, &offer), 33, "Allegro acted on the PATCH whose answer was lost");
    // The next process does not know whether it landed: it sets the same absolute value again.
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 33, "a replayed absolute stock doubles nothing");
    assert!(patches(&sim)[1..].iter().all(|p| *p == (offer.clone(), 33)), "{:?}", patches(&sim));
    assert_eq!(allegro_status(&env).await["status"], "synced");
    env.json(&["sync", "run", "--json"], "").await;
    let sent = patches(&sim).len();
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim).len(), sent, "in sync: nothing more");
    doctor_ok(&env).await;
}

/// An offer ended and relisted keeps its signature on both: the stock goes to the live one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relisted_offer_gets_the_stock_not_the_ended_one() {
    let (sim, env, _remote, ended) = setup_offer("al-sync-relisted", |_| Some(format!("bd-{LOT}"))).await;
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim), [(ended.clone(), 40)]);
    assert!(sim.allegro_end_offer(&ended), "the seller ends the offer");
    let relisted = sim.allegro_add_offer(AllegroOffer {
        name: "LEGO 3001 Klocek 2x4 czerwony (relisted)".into(),
        price: "0.59".into(),
        stock: 1,
        external_id: Some(format!("bd-{LOT}")),
        ..AllegroOffer::default()
    });
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    env.json(&["inventory", "update", &LOT.to_string(), "--json"], r#"{"quantity": 30}"#).await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(patches(&sim)[1..], [(relisted.clone(), 30)], "{run}");
    assert_eq!(offer_stock(&sim, &relisted), 30);
    let synced = allegro_status(&env).await;
    assert_eq!(synced["remote_id"].as_str(), Some(relisted.as_str()), "{synced}");
}

/// Issue 23 on Allegro: a purchase not read yet (Allegro took its 2 pieces at once), then a PATCH
/// for a BrickLink sale, which sets the offer over the purchase. Read later, the purchase arrives
/// already paid: booking it forgets what BrickDesk pushed, so the next push reads the offer and
/// sets it right, instead of believing the offer holds what is available (it kept 37, 35 available).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allegro_purchase_a_push_set_over_is_set_right_once_read() {
    let (sim, env, remote, offer) = setup("al-sync-race").await;
    sim.allegro_add_order(AllegroOrder {
        buyer_login: "Kupujacy_2".into(),
        lines: vec![AllegroLine {
            offer_id: offer.clone(),
            name: "LEGO 3001".into(),
            external_id: None,
            quantity: 2,
            price: "0.59".into(),
        }],
        delivery: "Allegro Paczkomaty InPost".into(),
        delivery_cost: "11.99".into(),
        paid: true,
    });
    assert_eq!(offer_stock(&sim, &offer), 38);
    sim.bricklink_add_order(SimOrder {
        buyer_name: "bl_buyer".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", Some(remote))]],
    });
    env.json(&["poll", "--provider", "bricklink", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(offer_stock(&sim, &offer), 37, "the PATCH set the offer over the purchase: {run}");
    env.json(&["poll", "--provider", "allegro", "--json"], "").await;
    let run = env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(lot(&env).await["reserved"], 5);
    assert_eq!(offer_stock(&sim, &offer), 35, "{run}");
    assert_eq!(sim.bricklink_lot(remote).unwrap()["quantity"], 35, "{run}");
    assert_eq!(allegro_status(&env).await["status"], "synced");
    doctor_ok(&env).await;
}
