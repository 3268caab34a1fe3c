//! The fake Allegro over loopback: what a client must get right to be let in.

use serde_json::Value;

use crate::{AllegroLine, AllegroOffer, AllegroOrder, Sim, SimOptions};

const VENDOR: &str = super::VENDOR_TYPE;

async fn sim() -> Sim {
    Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.unwrap()
}

async fn token_call(sim: &Sim, form: &[(&str, &str)]) -> (u16, Value) {
    let o = sim.options();
    let r = reqwest::Client::new()
        .post(format!("{}/auth/oauth/token", sim.allegro_auth_url))
        .basic_auth(&o.allegro_client_id, Some(&o.allegro_client_secret))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// Device flow to the end; returns (access, refresh).
async fn link(sim: &Sim) -> (String, String) {
    let o = sim.options();
    let http = reqwest::Client::new();
    let wrong = http
        .post(format!("{}/auth/oauth/device", sim.allegro_auth_url))
        .basic_auth(&o.allegro_client_id, Some("wrong"))
        .form(&[("client_id", o.allegro_client_id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let d: Value = http
        .post(format!("{}/auth/oauth/device", sim.allegro_auth_url))
        .basic_auth(&o.allegro_client_id, Some(&o.allegro_client_secret))
        .form(&[("client_id", o.allegro_client_id.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = d["device_code"].as_str().unwrap().to_string();
    assert!(d["verification_uri_complete"].as_str().unwrap().ends_with(d["user_code"].as_str().unwrap()));
    let grant = [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", code.as_str())];
    let (s, v) = token_call(sim, &grant).await;
    assert_eq!((s, v["error"].as_str()), (400, Some("authorization_pending")));
    // Asked again at once: too fast.
    let (s, v) = token_call(sim, &grant).await;
    assert_eq!((s, v["error"].as_str()), (400, Some("slow_down")));
    assert!(sim.allegro_answer_device(d["user_code"].as_str().unwrap(), true));
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    let (s, v) = token_call(sim, &grant).await;
    assert_eq!(s, 200, "{v}");
    let (s, v2) = token_call(sim, &grant).await;
    assert_eq!((s, v2["error"].as_str()), (400, Some("Invalid device code")), "a device code is exchanged once");
    (v["access_token"].as_str().unwrap().to_string(), v["refresh_token"].as_str().unwrap().to_string())
}

async fn get(sim: &Sim, token: &str, path: &str, accept: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", sim.allegro_api_url))
        .bearer_auth(token)
        .header("accept", accept)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn device_flow_tokens_media_type_journal_and_retention() {
    let sim = sim().await;
    let (access, refresh) = link(&sim).await;
    let (s, v) = get(&sim, &access, "/order/events", "application/json").await;
    assert_eq!((s, v["errors"][0]["code"].as_str()), (406, Some("NotAcceptableException")));
    let (s, v) = get(&sim, &access, "/order/event-stats", VENDOR).await;
    assert_eq!((s, v), (200, serde_json::json!({})), "no event yet: no latestEvent");

    let line = AllegroLine {
        offer_id: "14682205831".into(),
        name: "Klocek".into(),
        external_id: Some("bl-1".into()),
        quantity: 2,
        price: "9.99".into(),
    };
    let form = sim.allegro_add_order(AllegroOrder {
        buyer_login: "Kupujacy".into(),
        lines: vec![line],
        delivery: "Allegro Paczkomaty InPost".into(),
        delivery_cost: "11.99".into(),
        paid: true,
    });
    let (_, page) = get(&sim, &access, "/order/events?limit=2", VENDOR).await;
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.iter().map(|e| e["type"].as_str().unwrap()).collect::<Vec<_>>(), ["BOUGHT", "FILLED_IN"]);
    let last = events[1]["id"].as_str().unwrap().to_string();
    let (_, rest) = get(&sim, &access, &format!("/order/events?from={last}"), VENDOR).await;
    assert_eq!(rest["events"][0]["type"], "READY_FOR_PROCESSING");
    assert_eq!(rest["events"][0]["order"]["checkoutForm"]["id"], form.as_str());
    let (_, f) = get(&sim, &access, &format!("/order/checkout-forms/{form}"), VENDOR).await;
    assert_eq!((f["status"].as_str(), f["summary"]["totalToPay"]["amount"].as_str()), (Some("READY_FOR_PROCESSING"), Some("31.97")));
    let (_, open) = get(&sim, &access, "/order/checkout-forms?status=READY_FOR_PROCESSING&fulfillment.status=NEW", VENDOR).await;
    assert_eq!(open["checkoutForms"].as_array().unwrap().len(), 1);

    sim.allegro_expire_journal();
    let (s, v) = get(&sim, &access, &format!("/order/events?from={last}"), VENDOR).await;
    assert_eq!((s, v["errors"][0]["path"].as_str()), (400, Some("from")), "{v}");

    sim.allegro_expire_access_tokens();
    let (s, v) = get(&sim, &access, "/order/events", VENDOR).await;
    assert_eq!((s, v["error"].as_str()), (401, Some("invalid_token")));
    let (s, fresh) = token_call(&sim, &[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())]).await;
    assert_eq!(s, 200);
    let (s, v) = token_call(&sim, &[("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())]).await;
    assert_eq!((s, v["error"].as_str()), (400, Some("invalid_grant")), "a refresh token is used once");
    let (s, _) = get(&sim, fresh["access_token"].as_str().unwrap(), "/order/event-stats", VENDOR).await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn the_client_id_is_blocked_for_a_minute_past_its_limit() {
    let sim = Sim::start(SimOptions { allegro_per_minute: 3, allegro_device_interval_secs: 1, ..SimOptions::default() }).await.unwrap();
    let (access, _) = link(&sim).await;
    for _ in 0..3 {
        assert_eq!(get(&sim, &access, "/order/event-stats", VENDOR).await.0, 200);
    }
    assert_eq!(get(&sim, &access, "/order/event-stats", VENDOR).await.0, 429);
}

async fn patch(sim: &Sim, token: &str, offer: &str, content_type: &str, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .patch(format!("{}/sale/product-offers/{offer}", sim.allegro_api_url))
        .bearer_auth(token)
        .header("accept", VENDOR)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn kinds(page: &Value) -> Vec<(String, String)> {
    page["offerEvents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["offer"]["id"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn offers_journal_carries_no_values_patch_sets_stock_and_zero_ends_the_offer() {
    let sim = sim().await;
    let (access, _) = link(&sim).await;
    let offer = sim.allegro_add_offer(AllegroOffer {
        name: "Klocek 2x4 czarny".into(),
        price: "9.9".into(),
        stock: 5,
        external_id: Some("bl-398211457".into()),
        ..AllegroOffer::default()
    });
    sim.allegro_add_offer(AllegroOffer {
        id: "900".into(),
        name: "Szkic".into(),
        price: "1.00".into(),
        stock: 1,
        status: "INACTIVE".into(),
        ..AllegroOffer::default()
    });
    let (s, page) = get(&sim, &access, "/sale/offer-events?limit=1000", VENDOR).await;
    assert_eq!(s, 200);
    assert_eq!(kinds(&page), [("OFFER_ACTIVATED".to_string(), offer.clone())], "a draft journals nothing");
    let ev = &page["offerEvents"][0];
    assert_eq!(ev["offer"], serde_json::json!({"id": offer, "external": {"id": "bl-398211457"}}), "no value in the event");
    let first = ev["id"].as_str().unwrap().to_string();

    let (s, o) = get(&sim, &access, &format!("/sale/product-offers/{offer}"), VENDOR).await;
    assert_eq!(s, 200);
    assert_eq!((o["sellingMode"]["price"]["amount"].as_str(), o["stock"]["available"].as_i64()), (Some("9.90"), Some(5)));
    assert_eq!(o["publication"]["status"], "ACTIVE");
    let (s, list) = get(&sim, &access, "/sale/offers?limit=1&offset=1", VENDOR).await;
    assert_eq!((s, list["count"].as_i64(), list["totalCount"].as_i64()), (200, Some(1), Some(2)));
    assert_eq!(get(&sim, &access, "/sale/offers?limit=1001", VENDOR).await.0, 422);
    assert_eq!(get(&sim, &access, "/sale/offer-events?limit=0", VENDOR).await.0, 422);

    let (s, v) = patch(&sim, &access, &offer, "application/json", r#"{"stock":{"available":3}}"#).await;
    assert_eq!((s, v["errors"][0]["code"].as_str()), (415, Some("UnsupportedMediaTypeException")));
    let (s, v) = patch(&sim, &access, &offer, VENDOR, r#"{"stock":{"available":-1}}"#).await;
    assert_eq!((s, v["errors"][0]["path"].as_str()), (422, Some("stock.available")));
    assert_eq!(patch(&sim, &access, "404404", VENDOR, r#"{"stock":{"available":1}}"#).await.0, 404);
    let (s, v) = patch(&sim, &access, &offer, VENDOR, r#"{"stock":{"available":3}}"#).await;
    assert_eq!((s, v["stock"]["available"].as_i64()), (200, Some(3)));
    sim.allegro_set_offer_price(&offer, "12.50");
    let (s, v) = patch(&sim, &access, &offer, VENDOR, r#"{"stock":{"available":0}}"#).await;
    assert_eq!((s, v["publication"]["status"].as_str()), (200, Some("ENDED")));
    // Ended: no longer journalled.
    sim.allegro_set_offer_stock(&offer, 7);
    assert_eq!(sim.allegro_stock_patches(), [(offer.clone(), 3), (offer.clone(), 0)]);

    let (_, page) = get(&sim, &access, &format!("/sale/offer-events?from={first}&type=OFFER_STOCK_CHANGED&type=OFFER_ENDED"), VENDOR).await;
    let want: Vec<(String, String)> =
        ["OFFER_STOCK_CHANGED", "OFFER_STOCK_CHANGED", "OFFER_ENDED"].iter().map(|k| (k.to_string(), offer.clone())).collect();
    assert_eq!(kinds(&page), want);
    assert_eq!(page["offerEvents"][2]["offer"]["publication"]["endedBy"], "USER");

    // A purchase of a live offer journals its stock change; selling out ends it.
    let live = sim.allegro_add_offer(AllegroOffer { name: "Płytka".into(), price: "0.50".into(), stock: 2, ..AllegroOffer::default() });
    let line = AllegroLine { offer_id: live.clone(), name: "Płytka".into(), external_id: None, quantity: 2, price: "0.50".into() };
    sim.allegro_add_order(AllegroOrder {
        buyer_login: "K".into(),
        lines: vec![line],
        delivery: "Kurier".into(),
        delivery_cost: "0".into(),
        paid: true,
    });
    let (_, page) = get(&sim, &access, &format!("/sale/offer-events?from={first}&type=OFFER_ENDED"), VENDOR).await;
    assert_eq!(page["offerEvents"][1]["offer"]["publication"]["endedBy"], "EMPTY_STOCK");

    sim.allegro_expire_offer_journal();
    let (s, v) = get(&sim, &access, &format!("/sale/offer-events?from={first}"), VENDOR).await;
    assert_eq!((s, v["errors"][0]["path"].as_str()), (400, Some("from")), "24 hours' retention: {v}");
    let fresh = sim.allegro_push_offer_event(serde_json::json!({"type": "OFFER_TELEPORTED", "offer": {"id": live}}));
    let (_, page) = get(&sim, &access, "/sale/offer-events", VENDOR).await;
    assert_eq!(page["offerEvents"][0]["id"].as_str(), Some(fresh.as_str()));
}
