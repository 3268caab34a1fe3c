//! End-to-end tests over loopback with real HTTP (reqwest) and the engine's OAuth helpers.

use brickdesk_engine::marketplaces::bricklink::oauth;
use reqwest::Method;
use serde_json::{json, Value};

use crate::{Fault, Market, Sim, SimItem, SimOptions, SimOrder};

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0)
}

fn part(no: &str, color_id: i64, quantity: i64, price: &str, bin: &str) -> SimItem {
    SimItem {
        item_no: no.to_string(),
        item_type: "PART".to_string(),
        color_id,
        condition: 'N',
        quantity,
        unit_price: price.to_string(),
        remarks: bin.to_string(),
        inventory_id: None,
    }
}

fn line(lot: i64, item: &SimItem, quantity: i64) -> SimItem {
    SimItem { quantity, inventory_id: Some(lot), ..item.clone() }
}

fn order(buyer: &str, shipping: &str, batches: Vec<Vec<SimItem>>) -> SimOrder {
    SimOrder {
        buyer_name: buyer.to_string(),
        currency: "USD".to_string(),
        shipping: shipping.to_string(),
        status: "PENDING".to_string(),
        batches,
    }
}

/// A BrickLink client the way BrickDesk must behave: fresh nonce and increasing timestamp.
struct Bl<'a> {
    sim: &'a Sim,
    http: reqwest::Client,
    base_ts: u64,
    n: u64,
    consumer_secret: String,
}

struct Resp {
    status: u16,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl<'a> Bl<'a> {
    fn new(sim: &'a Sim) -> Bl<'a> {
        Bl {
            sim,
            http: reqwest::Client::new(),
            base_ts: now() - 300,
            n: 0,
            consumer_secret: sim.options().bricklink.consumer_secret.clone(),
        }
    }

    fn next(&mut self) -> (u64, String) {
        self.n += 1;
        (self.base_ts + self.n, format!("n{}x{}", self.base_ts, self.n))
    }

    async fn call(&mut self, method: Method, path: &str, query: &[(&str, &str)], body: Option<&Value>) -> Resp {
        let (ts, nonce) = self.next();
        self.call_with(method, path, query, body, ts, &nonce).await
    }

    async fn call_with(&self, method: Method, path: &str, query: &[(&str, &str)], body: Option<&Value>, ts: u64, nonce: &str) -> Resp {
        let creds = &self.sim.options().bricklink;
        let q: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let base_url = format!("{}{path}", self.sim.bricklink_url);
        let params = oauth::OauthParams {
            consumer_key: creds.consumer_key.clone(),
            token: creds.token_value.clone(),
            timestamp: ts,
            nonce: nonce.to_string(),
        };
        let base = oauth::base_string(method.as_str(), &base_url, &q, &params);
        let sig = oauth::sign(&base, &self.consumer_secret, &creds.token_secret);
        let url = if q.is_empty() { base_url } else { format!("{base_url}?{}", oauth::encode_query(&q)) };
        let mut rb = self.http.request(method, &url).header("Authorization", oauth::authorization_header(&params, &sig));
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = rb.send().await.expect("request");
        let status = resp.status().as_u16();
        Resp { status, text: resp.text().await.expect("body") }
    }

    async fn get(&mut self, path: &str, query: &[(&str, &str)]) -> Value {
        let r = self.call(Method::GET, path, query, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()
    }
}

async fn sim() -> Sim {
    Sim::start(SimOptions::default()).await.expect("sim starts")
}

fn meta_code(v: &Value) -> i64 {
    v["meta"]["code"].as_i64().unwrap_or(-1)
}

// ---- BrickLink ------------------------------------------------------------------------------

#[tokio::test]
async fn signed_get_orders_succeeds() {
    let sim = sim().await;
    let item = part("3001", 11, 100, "0.1200", "A-01-01");
    let lot = sim.bricklink_add_lot(item.clone());
    let id = sim.bricklink_add_order(order("buyer1", "2.5000", vec![vec![line(lot, &item, 3)]]));
    let mut bl = Bl::new(&sim);
    let v = bl.get("/orders", &[("direction", "in"), ("status", "-purged,-completed")]).await;
    assert_eq!(v["meta"], json!({"description": "OK", "message": "OK", "code": 200}));
    let list = v["data"].as_array().expect("array");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["order_id"], json!(id));
    assert_eq!(list[0]["cost"]["subtotal"], json!("0.3600"));
    assert_eq!(list[0]["cost"]["grand_total"], json!("2.8600"));
    assert!(list[0]["date_status_changed"].as_str().is_some_and(|s| s.ends_with('Z') && s.len() == 24));
    // status filters: include list and exclusion, case-insensitive
    let v = bl.get("/orders", &[("status", "paid,shipped")]).await;
    assert_eq!(v["data"], json!([]));
    let v = bl.get("/orders", &[("status", "-PENDING")]).await;
    assert_eq!(v["data"], json!([]));
    // filed orders are hidden by default
    sim.bricklink_set_filed(id, true);
    assert_eq!(bl.get("/orders", &[]).await["data"], json!([]));
    assert_eq!(bl.get("/orders", &[("filed", "true")]).await["data"].as_array().map(Vec::len), Some(1));
    let calls = sim.calls(Market::Bricklink);
    assert_eq!(calls.len(), 5);
    assert_eq!(calls[0].path, "/orders");
    assert_eq!(calls[0].meta_code, Some(200));
    assert!(calls[0].query.contains("status=-purged%2C-completed"));
}

#[tokio::test]
async fn wrong_consumer_secret_gets_http_200_signature_invalid() {
    let sim = sim().await;
    let mut bl = Bl::new(&sim);
    bl.consumer_secret = "WRONG".to_string();
    let r = bl.call(Method::GET, "/orders", &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"meta": {"description": "SIGNATURE_INVALID: Invalid Signature", "message": "BAD_OAUTH_REQUEST", "code": 401}})
    );
    // no header at all, and an unknown consumer key
    let r = reqwest::get(format!("{}/orders", sim.bricklink_url)).await.expect("request");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(meta_code(&v), 401);
    assert!(v["meta"]["description"].as_str().is_some_and(|d| d.starts_with("CONSUMER_KEY_UNKNOWN")));
    assert_eq!(sim.calls(Market::Bricklink).iter().map(|c| c.meta_code).collect::<Vec<_>>(), vec![Some(401), Some(401)]);
}

#[tokio::test]
async fn query_parameters_are_signed() {
    let sim = sim().await;
    let bl = Bl::new(&sim);
    // Sign one query, send another: the signature no longer matches.
    let creds = &sim.options().bricklink;
    let params = oauth::OauthParams {
        consumer_key: creds.consumer_key.clone(),
        token: creds.token_value.clone(),
        timestamp: now(),
        nonce: "abcdefabcdef".to_string(),
    };
    let url = format!("{}/orders", sim.bricklink_url);
    let base = oauth::base_string("GET", &url, &[("status".into(), "-purged".into())], &params);
    let sig = oauth::sign(&base, &creds.consumer_secret, &creds.token_secret);
    let r = bl
        .http
        .get(format!("{url}?status=-completed"))
        .header("Authorization", oauth::authorization_header(&params, &sig))
        .send()
        .await
        .expect("request");
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["meta"]["description"], json!("SIGNATURE_INVALID: Invalid Signature"));
}

/// The engine signs and the simulator verifies with separate code (bricklink/signature.rs), both
/// pinned to external vectors; this shows they also agree over HTTP on what BrickLink GETs carry.
#[tokio::test]
async fn engine_signed_commas_spaces_plus_star_tilde_and_unicode_are_accepted() {
    let sim = sim().await;
    let mut bl = Bl::new(&sim);
    let query = [
        ("status", "-purged,-cancelled"),
        ("description", "Brick 2 x 4 ż€"),
        ("remarks", "a+b*c~d"),
        ("ż €", "x"),
        ("new", "a"),
        ("new-x", "b"),
    ];
    let v = bl.get("/notifications", &query).await;
    assert_eq!(meta_code(&v), 200, "{v}");
    let calls = sim.calls(Market::Bricklink);
    assert!(calls[0].query.contains("status=-purged%2C-cancelled&description=Brick%202%20x%204%20%C5%BC%E2%82%AC"), "{}", calls[0].query);
    assert!(calls[0].query.contains("remarks=a%2Bb%2Ac~d&%C5%BC%20%E2%82%AC=x"), "{}", calls[0].query);
}

#[tokio::test]
async fn reused_timestamp_or_nonce_is_refused() {
    let sim = sim().await;
    let bl = Bl::new(&sim);
    let ts = now();
    let first = bl.call_with(Method::GET, "/notifications", &[], None, ts, "nonceaaaaaaa1").await;
    assert_eq!(meta_code(&first.json()), 200);
    let again = bl.call_with(Method::GET, "/notifications", &[], None, ts, "nonceaaaaaaa2").await;
    assert_eq!(again.status, 200);
    let v = again.json();
    assert_eq!(meta_code(&v), 401);
    assert!(v["meta"]["description"].as_str().is_some_and(|d| d.contains("TIMESTAMP")), "{v}");
    let nonce = bl.call_with(Method::GET, "/notifications", &[], None, ts + 1, "nonceaaaaaaa1").await.json();
    assert_eq!(meta_code(&nonce), 401);
    assert!(nonce["meta"]["description"].as_str().is_some_and(|d| d.contains("TIMESTAMP")));
    let stale = bl.call_with(Method::GET, "/notifications", &[], None, ts - 3600, "nonceaaaaaaa3").await.json();
    assert!(stale["meta"]["description"].as_str().is_some_and(|d| d.starts_with("TIMESTAMP_EXPIRED")));
}

#[tokio::test]
async fn daily_budget_refuses_the_call_over_the_limit() {
    let sim = Sim::start(SimOptions { bricklink_daily_limit: 3, ..SimOptions::default() }).await.expect("sim");
    let mut bl = Bl::new(&sim);
    for _ in 0..3 {
        let v = bl.call(Method::GET, "/notifications", &[], None).await.json();
        assert_eq!(meta_code(&v), 200);
    }
    let r = bl.call(Method::GET, "/notifications", &[], None).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(meta_code(&v), 429);
    assert_eq!(v["meta"]["message"], json!("TOO_MANY_REQUESTS"));
    assert!(v.get("data").is_none());
}

#[tokio::test]
async fn order_items_are_batches_and_money_is_exact() {
    let sim = sim().await;
    let a = part("3001", 11, 100, "0.1200", "A-03-2");
    let b = part("3023", 85, 50, "0.1000", "B-11-1");
    let c = part("3069b", 5, 50, "0.2000", "C-01-4");
    let (la, lb, lc) = (sim.bricklink_add_lot(a.clone()), sim.bricklink_add_lot(b.clone()), sim.bricklink_add_lot(c.clone()));
    let id =
        sim.bricklink_add_order(order("minifig_fan_42", "2.5000", vec![vec![line(la, &a, 3), line(lb, &b, 1)], vec![line(lc, &c, 1)]]));
    let mut bl = Bl::new(&sim);
    let items = bl.get(&format!("/orders/{id}/items"), &[]).await;
    let batches = items["data"].as_array().expect("array of batches");
    assert_eq!(batches.len(), 2);
    assert!(batches.iter().all(Value::is_array));
    let first = &batches[0][0];
    assert_eq!(first["inventory_id"], json!(la));
    assert_eq!(first["item"], json!({"no": "3001", "name": "Brick 2 x 4", "type": "PART", "category_id": 5}));
    assert_eq!(first["color_name"], json!("Black"));
    assert_eq!(first["unit_price"], json!("0.1200"));
    assert_eq!(first["completeness"], json!("X"));
    assert_eq!(first["remarks"], json!("A-03-2"));
    let full = bl.get(&format!("/orders/{id}"), &[]).await["data"].clone();
    // 3 × 0.12 + 0.10 + 0.20 = 0.66 (0.1 + 0.2 is not 0.3 in f64)
    assert_eq!(full["cost"]["subtotal"], json!("0.6600"));
    assert_eq!(full["cost"]["shipping"], json!("2.5000"));
    assert_eq!(full["cost"]["grand_total"], json!("3.1600"));
    assert_eq!(full["total_count"], json!(5));
    assert_eq!(full["unique_count"], json!(3));
    assert_eq!(full["order_id"], json!(id));
    // stock left the lots
    assert_eq!(sim.bricklink_lot(la).expect("lot")["quantity"], json!(97));
    // unknown order → envelope 404 over HTTP 200
    let r = bl.call(Method::GET, "/orders/1", &[], None).await;
    assert_eq!((r.status, meta_code(&r.json())), (200, 404));
}

#[tokio::test]
async fn notifications_repeat_until_cleared() {
    let sim = sim().await;
    let item = part("3001", 5, 10, "0.1100", "A-01-02");
    let lot = sim.bricklink_add_lot(item.clone());
    let id = sim.bricklink_add_order(order("x", "0", vec![vec![line(lot, &item, 1)]]));
    sim.bricklink_set_status(id, "PAID");
    sim.bricklink_push_notification(json!({"event_type": "Feedback", "resource_id": 9933107, "timestamp": "2024-11-02T15:40:55.004Z"}));
    let mut bl = Bl::new(&sim);
    let first = bl.get("/notifications", &[]).await["data"].clone();
    let list = first.as_array().expect("array");
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["event_type"], json!("Order"));
    assert_eq!(list[0]["resource_id"], json!(id));
    assert_ne!(list[0]["timestamp"], list[1]["timestamp"]);
    assert_eq!(bl.get("/notifications", &[]).await["data"], first);
    sim.bricklink_clear_notifications();
    assert_eq!(bl.get("/notifications", &[]).await["data"], json!([]));
    let o = bl.get(&format!("/orders/{id}"), &[]).await;
    assert_eq!(o["data"]["status"], json!("PAID"));
}

#[tokio::test]
async fn order_updates_status_payment_tracking_and_drive_thru() {
    let sim = sim().await;
    let item = part("3001", 11, 10, "0.1200", "A-01-01");
    let lot = sim.bricklink_add_lot(item.clone());
    let id = sim.bricklink_add_order(SimOrder { status: "PAID".into(), ..order("packer", "2.0000", vec![vec![line(lot, &item, 2)]]) });
    let path = format!("/orders/{id}");
    let mut bl = Bl::new(&sim);
    let put = |field: &str, value: &str| json!({"field": field, "value": value});

    let r = bl.call(Method::PUT, &format!("{path}/status"), &[], Some(&put("status", "PACKED"))).await;
    assert_eq!(r.json(), json!({"meta": {"description": "OK", "message": "OK", "code": 200}, "data": {}}));
    let r = bl.call(Method::PUT, &format!("{path}/payment_status"), &[], Some(&put("payment_status", "Received"))).await;
    assert_eq!(meta_code(&r.json()), 200);
    let shipped = json!({"shipping": {"tracking_no": "JJD000390007", "tracking_link": "https://track.example/JJD000390007",
                                      "date_shipped": "2025-03-01T10:00:00.000Z"}});
    assert_eq!(meta_code(&bl.call(Method::PUT, &path, &[], Some(&shipped)).await.json()), 200);
    let o = sim.bricklink_order(id).expect("order");
    assert_eq!((o["status"].as_str(), o["payment"]["status"].as_str()), (Some("PACKED"), Some("Received")));
    assert_eq!(o["shipping"]["tracking_no"], json!("JJD000390007"));
    assert_eq!(o["shipping"]["tracking_link"], json!("https://track.example/JJD000390007"));
    assert_eq!(o["shipping"]["date_shipped"], json!("2025-03-01T10:00:00.000Z"));
    assert_eq!(o["drive_thru_sent"], json!(false));
    assert_eq!(bl.get(&path, &[]).await["data"], o, "the accessor reads what GET answers");

    // Drive Thru: signed query, empty data, every POST sends one more.
    let drive = format!("{path}/drive_thru");
    let r = bl.call(Method::POST, &drive, &[("mail_me", "true")], None).await;
    assert_eq!((r.status, r.json()["data"].clone(), meta_code(&r.json())), (200, json!({}), 200));
    assert_eq!(sim.bricklink_order(id).expect("order")["drive_thru_sent"], json!(true));
    assert_eq!(meta_code(&bl.call(Method::POST, &drive, &[("mail_me", "false")], None).await.json()), 200);
    assert_eq!(sim.bricklink_drive_thru_sends(id), 2);
    let r = bl.call(Method::POST, &drive, &[("mail_me", "maybe")], None).await;
    assert_eq!(r.json()["meta"]["message"], json!("PARAMETER_MISSING_OR_INVALID"));
    let r = bl.call(Method::POST, "/orders/1/drive_thru", &[("mail_me", "true")], None).await;
    assert_eq!((r.status, r.json()["meta"]["message"].clone()), (200, json!("RESOURCE_NOT_FOUND")));
    assert_eq!(meta_code(&bl.call(Method::GET, &drive, &[], None).await.json()), 405);
    assert_eq!((sim.bricklink_drive_thru_sends(id), sim.bricklink_drive_thru_sends(1)), (2, 0));

    // Refused status changes: not a status a seller sets, or the order is cancelled.
    let r = bl.call(Method::PUT, &format!("{path}/status"), &[], Some(&put("status", "PURGED"))).await;
    assert_eq!((meta_code(&r.json()), r.json()["meta"]["message"].clone()), (422, json!("RESOURCE_UPDATE_NOT_ALLOWED")));
    sim.bricklink_set_status(id, "CANCELLED");
    let r = bl.call(Method::PUT, &format!("{path}/status"), &[], Some(&put("status", "SHIPPED"))).await;
    assert_eq!(meta_code(&r.json()), 422);
    assert!(r.json()["meta"]["description"].as_str().is_some_and(|d| d.starts_with("RESOURCE_UPDATE_NOT_ALLOWED:")));
    assert_eq!(sim.bricklink_order(id).expect("order")["status"], json!("CANCELLED"));
    assert_eq!(meta_code(&bl.call(Method::PUT, "/orders/1/status", &[], Some(&put("status", "SHIPPED"))).await.json()), 404);
    assert!(sim.bricklink_order(1).is_none());
}

#[tokio::test]
async fn inventory_put_enforces_description_and_deltas() {
    let sim = sim().await;
    let lot = sim.bricklink_add_lot(part("3001", 11, 10, "0.1200", "A-01-01"));
    let mut bl = Bl::new(&sim);
    let path = format!("/inventories/{lot}");
    let r = bl.call(Method::PUT, &path, &[], Some(&json!({"quantity": "+3"}))).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(meta_code(&v), 400);
    assert_eq!(v["meta"]["message"], json!("PARAMETER_MISSING_OR_INVALID"));
    assert!(v["meta"]["description"].as_str().is_some_and(|d| d.contains("String input must not be null")));
    assert_eq!(sim.bricklink_lot(lot).expect("lot")["quantity"], json!(10));

    let v = bl.call(Method::PUT, &path, &[], Some(&json!({"quantity": "+3", "description": ""}))).await.json();
    assert_eq!(meta_code(&v), 200);
    assert_eq!(v["data"]["quantity"], json!(13));
    // a JSON number is a delta too (pitfall: it is not an absolute value)
    let v = bl.call(Method::PUT, &path, &[], Some(&json!({"quantity": 2, "description": ""}))).await.json();
    assert_eq!(v["data"]["quantity"], json!(15));
    // unsigned string, and going below zero, are refused
    let v = bl.call(Method::PUT, &path, &[], Some(&json!({"quantity": "5", "description": ""}))).await.json();
    assert_eq!(meta_code(&v), 400);
    let v = bl.call(Method::PUT, &path, &[], Some(&json!({"quantity": "-16", "description": ""}))).await.json();
    assert_eq!(meta_code(&v), 400);
    let v = bl.call(Method::PUT, &path, &[], Some(&json!({"unit_price": "0.1500", "remarks": "B-02", "description": "x"}))).await.json();
    assert_eq!((v["data"]["unit_price"].clone(), v["data"]["remarks"].clone()), (json!("0.1500"), json!("B-02")));
    // malformed JSON body
    let creds = sim.options().bricklink.clone();
    let (ts, nonce) = bl.next();
    let url = format!("{}{path}", sim.bricklink_url);
    let params = oauth::OauthParams { consumer_key: creds.consumer_key, token: creds.token_value, timestamp: ts, nonce };
    let sig = oauth::sign(&oauth::base_string("PUT", &url, &[], &params), &creds.consumer_secret, &creds.token_secret);
    let r = bl
        .http
        .put(&url)
        .header("Authorization", oauth::authorization_header(&params, &sig))
        .header("Content-Type", "application/json")
        .body("{\"quantity\": ")
        .send()
        .await
        .expect("request");
    let v: Value = r.json().await.expect("json");
    assert_eq!((meta_code(&v), v["meta"]["message"].clone()), (400, json!("INVALID_REQUEST_BODY")));
    // delete
    let v = bl.call(Method::DELETE, &path, &[], None).await.json();
    assert_eq!(meta_code(&v), 204);
    assert!(sim.bricklink_lot(lot).is_none());
    assert_eq!(meta_code(&bl.call(Method::GET, &path, &[], None).await.json()), 404);
}

#[tokio::test]
async fn inventory_create_validates_fields() {
    let sim = sim().await;
    let mut bl = Bl::new(&sim);
    let good = json!({
        "item": {"no": "3001", "type": "PART"},
        "color_id": 11,
        "quantity": 5,
        "unit_price": "0.1200",
        "new_or_used": "N",
        "description": "",
        "remarks": "A-01"
    });
    let v = bl.call(Method::POST, "/inventories", &[], Some(&good)).await.json();
    assert_eq!(meta_code(&v), 201);
    let id = v["data"]["inventory_id"].as_i64().expect("id");
    assert_eq!(sim.bricklink_lot(id).expect("lot")["remarks"], json!("A-01"));
    let mut echoed = good.clone();
    echoed["inventory_id"] = json!(id);
    let v = bl.call(Method::POST, "/inventories", &[], Some(&echoed)).await.json();
    assert_eq!(meta_code(&v), 400);
    assert_eq!(v["meta"]["description"], json!("Unparseable value or field: [inventory_id]"));
    let mut zero = good.clone();
    zero["quantity"] = json!(0);
    assert_eq!(meta_code(&bl.call(Method::POST, "/inventories", &[], Some(&zero)).await.json()), 400);
    let v = bl.call(Method::POST, "/inventories", &[], Some(&json!([good, good]))).await.json();
    assert_eq!((meta_code(&v), v["data"].clone()), (201, json!({})));
    let all = bl.get("/inventories", &[("item_type", "part"), ("color_id", "11")]).await;
    assert_eq!(all["data"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn catalog_and_price_guide() {
    let sim = sim().await;
    let mut bl = Bl::new(&sim);
    let v = bl.get("/items/set/10030-1", &[]).await;
    // Protocol-relative on BrickLink's image host, as BrickLink sends them; the host is served
    // under /img/ on the same port.
    let image = v["data"]["image_url"].as_str().unwrap_or_default();
    assert_eq!(image, "//img.bricklink.com/SL/10030-1.jpg");
    let picture = reqwest::get(format!("{}/SL/10030-1.jpg", sim.bricklink_images_url)).await.unwrap();
    assert_eq!(picture.headers()["content-type"], "image/png");
    let v = bl.get("/items/PART/3001/colors", &[]).await;
    assert!(v["data"].as_array().is_some_and(|a| !a.is_empty()));
    let v = bl.get("/items/PART/3001/price", &[("guide_type", "sold"), ("new_or_used", "U"), ("vat", "Y")]).await;
    assert_eq!(meta_code(&v), 200);
    assert!(v["data"]["avg_price"].as_str().is_some_and(|p| p.split('.').nth(1).map(str::len) == Some(4)));
    let v = bl.get("/items/PART/3001/price", &[("vat", "X")]).await;
    assert_eq!(meta_code(&v), 400);
    let v = bl.get("/nope", &[]).await;
    assert_eq!((meta_code(&v), v["meta"]["message"].clone()), (404, json!("RESOURCE_NOT_FOUND")));
}

#[tokio::test]
async fn injected_faults_fire_once_after_accounting() {
    let sim = sim().await;
    let mut bl = Bl::new(&sim);
    sim.inject(Market::Bricklink, "/orders", Fault::TruncatedBody);
    let r = bl.call(Method::GET, "/orders", &[], None).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.text).is_err(), "{}", r.text);
    assert_eq!(meta_code(&bl.get("/orders", &[]).await), 200);

    sim.inject(Market::Bricklink, "/notifications", Fault::Status(500));
    sim.inject(Market::Bricklink, "/notifications", Fault::GatewayHtml503);
    let v = bl.get("/notifications", &[]).await;
    assert_eq!((meta_code(&v), v["meta"]["message"].clone()), (500, json!("INTERNAL_SERVER_ERROR")));
    let r = bl.call(Method::GET, "/notifications", &[], None).await;
    assert_eq!(r.status, 503);
    assert!(r.text.contains("nginx"));
    sim.inject(Market::Bricklink, "/orders", Fault::Body("{\"meta\":{\"code\":\"200\"},\"data\":7}".into()));
    let r = bl.call(Method::GET, "/orders", &[], None).await;
    assert_eq!(r.text, "{\"meta\":{\"code\":\"200\"},\"data\":7}");
    // every call was recorded, faults included
    assert_eq!(sim.calls(Market::Bricklink).len(), 5);
    sim.clear_calls();
    assert!(sim.calls(Market::Bricklink).is_empty());
}

// ---- BrickOwl -------------------------------------------------------------------------------

const KEY: &str = "DEMOBRICKOWLKEY";

#[tokio::test]
async fn brickowl_key_placement_is_enforced() {
    let sim = sim().await;
    let http = reqwest::Client::new();
    let r = http.get(format!("{}/order/list", sim.brickowl_url)).send().await.expect("request");
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.expect("json"), json!({"error": "Invalid API Key"}));
    let r = http.get(format!("{}/order/list", sim.brickowl_url)).query(&[("key", KEY)]).send().await.expect("req");
    assert_eq!(r.status(), 200);
    // POST with the key in the query instead of the form body
    let r = http
        .post(format!("{}/inventory/create", sim.brickowl_url))
        .query(&[("key", KEY)])
        .form(&[("boid", "771344"), ("color_id", "39"), ("quantity", "5"), ("price", "0.02"), ("condition", "new")])
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 401);
    let r = http
        .post(format!("{}/inventory/create", sim.brickowl_url))
        .form(&[
            ("key", KEY),
            ("boid", "771344"),
            ("color_id", "39"),
            ("quantity", "5"),
            ("price", "0.0204"),
            ("condition", "usedg"),
            ("external_id", "38000099"),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["status"], json!("success"));
    let lot_id = v["lot_id"].as_str().expect("string lot id").to_string();
    let lots = sim.brickowl_lots();
    assert_eq!(lots.len(), 1);
    assert_eq!(lots[0]["boid"], json!("771344-39"));
    assert_eq!(lots[0]["price"], json!("0.020"));
    assert_eq!(lots[0]["qty"], json!("5"));
    assert_eq!(lots[0]["external_lot_ids"], json!({"other": "38000099"}));
    assert_eq!(lots[0]["lot_id"], json!(lot_id));
    // update by external id: exactly one identifier
    let post = |form: Vec<(&'static str, &'static str)>| {
        let http = http.clone();
        let url = format!("{}/inventory/update", sim.brickowl_url);
        async move { http.post(url).form(&form).send().await.expect("req").status().as_u16() }
    };
    assert_eq!(post(vec![("key", KEY), ("external_id", "38000099"), ("relative_quantity", "-5")]).await, 200);
    assert_eq!(post(vec![("key", KEY), ("external_id", "38000099"), ("relative_quantity", "-1")]).await, 400);
    assert_eq!(post(vec![("key", KEY), ("external_id", "38000099"), ("lot_id", "1"), ("price", "1")]).await, 400);
    assert_eq!(post(vec![("key", KEY), ("external_id", "nope"), ("price", "1")]).await, 404);
    // empty lots are hidden unless active_only=0
    let list = |active: &'static str| {
        let http = http.clone();
        let url = format!("{}/inventory/list", sim.brickowl_url);
        async move {
            let r = http.get(url).query(&[("key", KEY), ("active_only", active)]).send().await.expect("req");
            r.json::<Value>().await.expect("json")
        }
    };
    assert_eq!(list("1").await, json!([]));
    assert_eq!(list("0").await.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn brickowl_per_minute_limit_answers_429_with_retry_after() {
    let sim = Sim::start(SimOptions { brickowl_per_minute: 3, ..SimOptions::default() }).await.expect("sim");
    let http = reqwest::Client::new();
    let url = format!("{}/catalog/color_list", sim.brickowl_url);
    for _ in 0..3 {
        let r = http.get(&url).query(&[("key", KEY)]).send().await.expect("req");
        assert_eq!(r.status(), 200);
    }
    let r = http.get(&url).query(&[("key", KEY)]).send().await.expect("req");
    assert_eq!(r.status(), 429);
    let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    assert!(retry.is_some_and(|s| (1..=60).contains(&s)), "{retry:?}");
}

#[tokio::test]
async fn brickowl_orders_look_like_the_fixtures() {
    let sim = sim().await;
    let tile = part("3069b", 11, 80, "0.1040", "B02");
    sim.brickowl_add_lot(tile.clone(), Some("55984791"));
    let plate = SimItem { condition: 'U', ..part("3023", 1, 236, "0.0200", "C11") };
    let id = sim.brickowl_add_order(order(
        "Alex Sample",
        "2.30",
        vec![vec![line(55_984_791, &tile, 1)], vec![SimItem { quantity: 6, ..plate }]],
    ));
    let http = reqwest::Client::new();
    let get = |path: &str, extra: Vec<(&str, String)>| {
        let mut q = vec![("key", KEY.to_string())];
        q.extend(extra);
        http.get(format!("{}{path}", sim.brickowl_url)).query(&q).send()
    };
    let list: Value = get("/order/list", vec![]).await.expect("req").json().await.expect("json");
    assert_eq!(list[0]["order_id"], json!(id));
    assert_eq!(list[0]["total_quantity"], json!("7"));
    assert_eq!(list[0]["status_id"], json!("0"));
    assert!(list[0]["order_date"].as_str().is_some_and(|t| t.parse::<i64>().is_ok()));
    let view: Value = get("/order/view", vec![("order_id", id.clone())]).await.expect("req").json().await.expect("json");
    // 0.104 + 6 × 0.020 = 0.224 → 0.22; + 2.30
    assert_eq!(view["sub_total"], json!("0.22"));
    assert_eq!(view["base_order_total"], json!("2.52"));
    assert_eq!(view["buyer_name"], json!("Alex Sample"));
    assert!(view["affiliate_fee"].is_number());
    let items: Value = get("/order/items", vec![("order_id", id.clone())]).await.expect("req").json().await.expect("json");
    assert_eq!(items[0]["boid"], json!("487300-38"));
    assert_eq!(items[0]["color_id"], json!("38"));
    assert_eq!(items[0]["base_price"], json!("0.104"));
    assert_eq!(items[0]["bl_lot_id"], json!("55984791"));
    assert_eq!(items[0]["external_lot_ids"], json!({"other": "55984791"}));
    assert_eq!(items[0]["remaining_quantity"], json!("79"));
    assert_eq!(items[0]["personal_note"], json!("B02"));
    assert_eq!(items[1]["boid"], json!("771344-39"));
    assert_eq!(items[1]["full_con"], json!("usedn"));
    assert_eq!(items[1]["bl_lot_id"], json!(""));
    assert_eq!(items[1]["external_lot_ids"], json!([]));
    assert_eq!(items[1]["ids"][0], json!({"id": "3023", "type": "bl_item_no"}));
    let r = get("/order/view", vec![("order_id", "1".to_string())]).await.expect("req");
    assert_eq!(r.status(), 404);
    let lookup: Value = get("/catalog/id_lookup", vec![("id", "3023".into()), ("type", "Part".into()), ("id_type", "bl_item_no".into())])
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(lookup, json!({"boids": ["771344"]}));
    let colours: Value = get("/catalog/color_list", vec![]).await.expect("req").json().await.expect("json");
    assert_eq!(colours["38"]["bl_ids"], json!(["11"]));
}

#[tokio::test]
async fn brickowl_status_and_tracking_show_in_view_and_list() {
    let sim = sim().await;
    let id = sim.brickowl_add_order(SimOrder {
        status: "PAID".into(),
        ..order("Sam Shipper", "2.30", vec![vec![part("3001", 11, 2, "0.10", "A1")]])
    });
    let http = reqwest::Client::new();
    let post = |path: &str, form: Vec<(&str, String)>| {
        let mut f = vec![("key", KEY.to_string())];
        f.extend(form);
        http.post(format!("{}{path}", sim.brickowl_url)).form(&f).send()
    };
    let r = post("/order/set_status", vec![("order_id", id.clone()), ("status_id", "5".into())]).await.expect("req");
    assert_eq!((r.status().as_u16(), r.json::<Value>().await.expect("json")), (200, json!({"status": "success"})));
    let r = post("/order/tracking", vec![("order_id", id.clone()), ("tracking_id", "LX123456789PL".into())]).await.expect("req");
    assert_eq!(r.status(), 200);
    let view = sim.brickowl_order(&id).expect("order");
    assert_eq!((view["status"].as_str(), view["status_id"].as_str()), (Some("Shipped"), Some("5")));
    assert_eq!(view["tracking_number"], json!("LX123456789PL"));
    let got: Value = http
        .get(format!("{}/order/view", sim.brickowl_url))
        .query(&[("key", KEY), ("order_id", id.as_str())])
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(got, view, "the accessor reads what order/view answers");
    let list: Value =
        http.get(format!("{}/order/list", sim.brickowl_url)).query(&[("key", KEY)]).send().await.expect("req").json().await.expect("json");
    assert_eq!((list[0]["status"].as_str(), list[0]["status_id"].as_str()), (Some("Shipped"), Some("5")));
    // Cancelled (8) cannot be set; an unknown order is 404; tracking needs its value.
    let r = post("/order/set_status", vec![("order_id", id.clone()), ("status_id", "8".into())]).await.expect("req");
    assert_eq!(r.status(), 400);
    assert!(r.json::<Value>().await.expect("json")["error"].is_string());
    assert_eq!(post("/order/set_status", vec![("order_id", "1".into()), ("status_id", "4".into())]).await.expect("req").status(), 404);
    assert_eq!(post("/order/tracking", vec![("order_id", id.clone())]).await.expect("req").status(), 400);
    assert_eq!(sim.brickowl_order(&id).expect("order")["status_id"], json!("5"));
    assert!(sim.brickowl_order("1").is_none());
}

#[tokio::test]
async fn brickowl_faults() {
    let sim = sim().await;
    let http = reqwest::Client::new();
    let url = format!("{}/order/list", sim.brickowl_url);
    sim.inject(Market::Brickowl, "/order/list", Fault::TooManyRequests { retry_after_secs: 7 });
    sim.inject(Market::Brickowl, "/order/list", Fault::Status(500));
    let r = http.get(&url).query(&[("key", KEY)]).send().await.expect("req");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("7"));
    let r = http.get(&url).query(&[("key", KEY)]).send().await.expect("req");
    assert_eq!(r.status(), 500);
    assert!(r.json::<Value>().await.expect("json")["error"].is_string());
    let r = http.get(&url).query(&[("key", KEY)]).send().await.expect("req");
    assert_eq!(r.status(), 200);
    let calls = sim.calls(Market::Brickowl);
    assert_eq!(calls.iter().map(|c| c.status).collect::<Vec<_>>(), vec![429, 500, 200]);
    assert_eq!(calls[0].path, "/order/list");
}

// ---- Demo -----------------------------------------------------------------------------------

#[tokio::test]
async fn demo_store_is_seeded_and_generates_orders() {
    let sim = crate::demo::start_demo().await.expect("demo");
    let mut bl = Bl::new(&sim);
    let orders = bl.get("/orders", &[]).await;
    assert_eq!(orders["data"].as_array().map(Vec::len), Some(2));
    let lots = bl.get("/inventories", &[]).await;
    assert!(lots["data"].as_array().is_some_and(|l| l.len() >= 10));
    assert!(!sim.brickowl_lots().is_empty());
    let before = sim.with_state(|st| (st.bl.orders.len(), st.bo.orders.len()));
    assert_eq!(before.1, 1);
    assert!(crate::demo::generate_order(&sim, Market::Bricklink).is_some());
    assert!(crate::demo::generate_order(&sim, Market::Brickowl).is_some());
    let after = sim.with_state(|st| (st.bl.orders.len(), st.bo.orders.len()));
    assert_eq!(after, (before.0 + 1, before.1 + 1));
    let sim = std::sync::Arc::new(sim);
    let handle = crate::demo::spawn_order_generator(sim.clone(), std::time::Duration::from_secs(3600));
    handle.abort();
}
