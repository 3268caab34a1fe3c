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

/// A token without the device flow (`link` above covers that, and waits for its interval).
fn granted(sim: &Sim) -> String {
    let token = sim.with_state(|st| {
        let client = st.options.allegro_client_id.clone();
        st.al.grant(&client)
    });
    token["access_token"].as_str().unwrap().to_string()
}

/// Any call on the API host; the answer's status and raw body (a 204 has none, a cut one is no JSON).
async fn send(sim: &Sim, token: &str, method: reqwest::Method, path: &str, content_type: &str, body: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .request(method, format!("{}{path}", sim.allegro_api_url))
        .bearer_auth(token)
        .header("accept", VENDOR)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn two_line_order(sim: &Sim) -> String {
    let line =
        |offer: &str| AllegroLine { offer_id: offer.into(), name: "Klocek".into(), external_id: None, quantity: 1, price: "1.00".into() };
    sim.allegro_add_order(AllegroOrder {
        buyer_login: "Kupujacy".into(),
        lines: vec![line("1"), line("2")],
        delivery: "Kurier DPD".into(),
        delivery_cost: "12.00".into(),
        paid: true,
    })
}

#[tokio::test]
async fn fulfillment_status_is_set_with_the_current_revision_and_refused_with_a_stale_one() {
    use reqwest::Method;
    let sim = sim().await;
    let token = granted(&sim);
    let form = two_line_order(&sim);
    let path = |rev: &str| format!("/order/checkout-forms/{form}/fulfillment?checkoutForm.revision={rev}");
    let before = sim.allegro_form(&form).unwrap();
    let rev = before["revision"].as_str().unwrap().to_string();
    let (_, stats) = get(&sim, &token, "/order/event-stats", VENDOR).await;
    let last = stats["latestEvent"]["id"].as_str().unwrap().to_string();

    let body = r#"{"status":"READY_FOR_SHIPMENT"}"#;
    let (s, v) = send(&sim, &token, Method::PUT, &path(&rev), "application/json", body).await;
    assert_eq!((s, parsed(&v)["errors"][0]["code"].as_str()), (415, Some("UnsupportedMediaTypeException")));
    let (s, v) = send(&sim, &token, Method::PUT, &path(&rev), VENDOR, r#"{"status":"RETURNED"}"#).await;
    assert_eq!((s, parsed(&v)["errors"][0]["path"].as_str()), (422, Some("status")), "RETURNED is Allegro's to set");
    assert_eq!(send(&sim, &token, Method::PUT, &path(&rev), VENDOR, r#"{"status":"PACKED"}"#).await.0, 422);
    assert_eq!(send(&sim, &token, Method::PUT, &path(&rev), VENDOR, "{}").await.0, 422);
    assert_eq!(send(&sim, &token, Method::PUT, &path(&rev), VENDOR, "not json").await.0, 400);
    assert_eq!(send(&sim, "no-such-token", Method::PUT, &path(&rev), VENDOR, body).await.0, 401);
    let unknown = "/order/checkout-forms/00000000-0000-0000-0000-000000000000/fulfillment";
    assert_eq!(send(&sim, &token, Method::PUT, unknown, VENDOR, body).await.0, 404);
    assert_eq!(sim.allegro_form(&form).unwrap()["revision"], before["revision"], "nothing refused changed the form");

    let (s, v) = send(&sim, &token, Method::PUT, &path(&rev), VENDOR, body).await;
    assert_eq!((s, v.as_str()), (204, ""));
    let after = sim.allegro_form(&form).unwrap();
    assert_eq!(after["fulfillment"]["status"], "READY_FOR_SHIPMENT");
    assert_ne!(after["revision"], before["revision"]);
    let (_, page) = get(&sim, &token, &format!("/order/events?from={last}"), VENDOR).await;
    assert_eq!(page["events"][0]["type"], "FULFILLMENT_STATUS_CHANGED");
    assert_eq!(page["events"][0]["order"]["checkoutForm"]["revision"], after["revision"]);
    assert_eq!(page["events"].as_array().unwrap().len(), 1);

    // The revision read before is stale now: 409 in the errors shape, nothing changes.
    let (s, v) = send(&sim, &token, Method::PUT, &path(&rev), VENDOR, r#"{"status":"SENT"}"#).await;
    let err = parsed(&v);
    assert_eq!((s, err["errors"][0]["path"].as_str()), (409, Some("checkoutForm.revision")), "{v}");
    assert!(err["errors"][0]["code"].is_string() && err["errors"][0]["userMessage"].is_string());
    assert_eq!(sim.allegro_form(&form).unwrap()["fulfillment"]["status"], "READY_FOR_SHIPMENT");
    // A change on allegro.pl makes the one just read stale too; read again, then it goes through.
    let current = sim.allegro_form(&form).unwrap()["revision"].as_str().unwrap().to_string();
    sim.allegro_set_fulfillment(&form, "READY_FOR_SHIPMENT");
    assert_eq!(send(&sim, &token, Method::PUT, &path(&current), VENDOR, r#"{"status":"SENT"}"#).await.0, 409);
    let fresh = sim.allegro_form(&form).unwrap()["revision"].as_str().unwrap().to_string();
    assert_eq!(send(&sim, &token, Method::PUT, &path(&fresh), VENDOR, r#"{"status":"SENT"}"#).await.0, 204);
    let sent = sim.allegro_form(&form).unwrap();
    assert_eq!(
        (sent["fulfillment"]["status"].as_str(), sent["fulfillment"]["shipmentSummary"]["lineItemsSent"].as_str()),
        (Some("SENT"), Some("ALL"))
    );
    // Without a revision there is no lock; the status it already has changes nothing.
    let bare = format!("/order/checkout-forms/{form}/fulfillment");
    assert_eq!(send(&sim, &token, Method::PUT, &bare, VENDOR, r#"{"status":"SENT"}"#).await.0, 204);
    assert_eq!(sim.allegro_form(&form).unwrap()["revision"], sent["revision"]);
    assert_eq!(send(&sim, &token, Method::PUT, &bare, VENDOR, r#"{"status":"PICKED_UP"}"#).await.0, 204);
    let (_, status) = get(&sim, &token, &format!("/order/checkout-forms/{form}"), VENDOR).await;
    assert_eq!(status["fulfillment"]["status"], "PICKED_UP");
}

#[tokio::test]
async fn shipments_are_validated_and_a_second_post_adds_a_second_shipment() {
    use reqwest::Method;
    let sim = sim().await;
    let token = granted(&sim);
    let form = two_line_order(&sim);
    let other = two_line_order(&sim);
    let lines: Vec<String> =
        sim.allegro_form(&form).unwrap()["lineItems"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_string()).collect();
    let foreign = sim.allegro_form(&other).unwrap()["lineItems"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/order/checkout-forms/{form}/shipments");

    let (s, carriers) = get(&sim, &token, "/order/carriers", VENDOR).await;
    assert_eq!(s, 200);
    let ids: Vec<&str> = carriers["carriers"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["DPD", "INPOST", "POCZTA_POLSKA", "UPS", "DHL", "OTHER"]);
    assert_eq!(carriers["carriers"][5]["name"], "Inny przewoźnik");
    let (s, v) = get(&sim, &token, &path, VENDOR).await;
    assert_eq!((s, v), (200, serde_json::json!({"shipments": []})));

    let refused = [
        (r#"{"carrierId":"DPD","waybill":"X"}"#, "application/json", 415, None),
        (r#"{"waybill":"0000123"}"#, VENDOR, 422, Some("carrierId")),
        (r#"{"carrierId":"FEDEX","waybill":"0000123"}"#, VENDOR, 422, Some("carrierId")),
        (r#"{"carrierId":"DPD","waybill":""}"#, VENDOR, 422, Some("waybill")),
        (r#"{"carrierId":"DPD"}"#, VENDOR, 422, Some("waybill")),
        (r#"{"carrierId":"OTHER","waybill":"0000123"}"#, VENDOR, 422, Some("carrierName")),
        (
            r#"{"carrierId":"OTHER","waybill":"0000123","carrierName":"Kurier z bardzo długą nazwą firmy"}"#,
            VENDOR,
            422,
            Some("carrierName"),
        ),
        ("[]", VENDOR, 422, None),
        ("{", VENDOR, 400, None),
    ];
    for (body, ct, status, at) in refused {
        let (s, v) = send(&sim, &token, Method::POST, &path, ct, body).await;
        assert_eq!((s, parsed(&v)["errors"][0]["path"].as_str()), (status, at), "{body}: {v}");
    }
    let long = format!(r#"{{"carrierId":"DPD","waybill":"{}"}}"#, "9".repeat(65));
    assert_eq!(send(&sim, &token, Method::POST, &path, VENDOR, &long).await.0, 422);
    let stray = format!(r#"{{"carrierId":"DPD","waybill":"1","lineItems":[{{"id":"{}"}},{{"id":"{foreign}"}}]}}"#, lines[0]);
    let (s, v) = send(&sim, &token, Method::POST, &path, VENDOR, &stray).await;
    assert_eq!((s, parsed(&v)["errors"][0]["path"].as_str()), (422, Some("lineItems[1].id")));
    let unknown = "/order/checkout-forms/00000000-0000-0000-0000-000000000000/shipments";
    assert_eq!(send(&sim, &token, Method::POST, unknown, VENDOR, r#"{"carrierId":"DPD","waybill":"1"}"#).await.0, 404);
    assert_eq!(get(&sim, &token, unknown, VENDOR).await.0, 404);
    assert!(sim.allegro_shipments(&form).is_empty(), "nothing refused was added");

    let rev = sim.allegro_form(&form).unwrap()["revision"].clone();
    let one = format!(r#"{{"carrierId":"DPD","waybill":"0000123456789","carrierName":"ignored","lineItems":[{{"id":"{}"}}]}}"#, lines[0]);
    let (s, v) = send(&sim, &token, Method::POST, &path, VENDOR, &one).await;
    assert_eq!(s, 201, "{v}");
    let created = parsed(&v);
    assert_eq!((created["carrierId"].as_str(), created["waybill"].as_str()), (Some("DPD"), Some("0000123456789")));
    assert_eq!(created["carrierName"], Value::Null, "a name is kept only with OTHER");
    assert_eq!(created["lineItems"], serde_json::json!([{"id": lines[0]}]));
    assert!(created["id"].is_string() && created["createdAt"].as_str().is_some_and(|t| t.ends_with('Z')));
    let after = sim.allegro_form(&form).unwrap();
    assert_ne!(after["revision"], rev, "a shipment is a change of the form");
    assert_eq!(after["fulfillment"]["shipmentSummary"]["lineItemsSent"], "SOME");
    assert_eq!(after["fulfillment"]["status"], "NEW", "a waybill does not set the status");

    // The same POST again: a second shipment (this is why a lost answer must be read back first).
    let (s, v) = send(&sim, &token, Method::POST, &path, VENDOR, &one).await;
    assert_eq!(s, 201);
    assert_ne!(parsed(&v)["id"], created["id"]);
    let (s, list) = get(&sim, &token, &path, VENDOR).await;
    assert_eq!(s, 200);
    assert_eq!(list["shipments"].as_array().unwrap().len(), 2);
    assert_eq!(list["shipments"][0], created);
    assert_eq!(list["shipments"].as_array().unwrap(), &sim.allegro_shipments(&form));

    // OTHER with its name; no lineItems = every line.
    let (s, v) = send(
        &sim,
        &token,
        Method::POST,
        &path,
        VENDOR,
        r#"{"carrierId":"OTHER","waybill":"ABC-1","carrierName":"Kurier Jan","lineItems":[]}"#,
    )
    .await;
    assert_eq!(s, 201);
    assert_eq!((parsed(&v)["carrierName"].as_str(), parsed(&v)["lineItems"].as_array().map(Vec::len)), (Some("Kurier Jan"), Some(2)));
    assert_eq!(sim.allegro_form(&form).unwrap()["fulfillment"]["shipmentSummary"]["lineItemsSent"], "ALL");

    // A cut answer: the shipment is added all the same, the client just never hears of it.
    sim.inject(crate::Market::Allegro, "/shipments", crate::Fault::TruncatedBody);
    let (s, v) = send(&sim, &token, Method::POST, &path, VENDOR, r#"{"carrierId":"INPOST","waybill":"620000000000000000000001"}"#).await;
    assert_eq!(s, 201);
    assert!(serde_json::from_str::<Value>(&v).is_err(), "{v}");
    let all = sim.allegro_shipments(&form);
    assert_eq!((all.len(), all[3]["carrierId"].as_str()), (4, Some("INPOST")));
    assert!(sim.allegro_shipments(&other).is_empty() && sim.allegro_shipments("nope").is_empty());
}
