//! `brickdesk-cli mcp` driven as an AI assistant's client drives it: rmcp's own client over the
//! spawned process's stdin/stdout, against a store imported from the simulated BrickLink. The read
//! tools answer what the store holds; `update_lot` is refused until `--allow-writes`, and then
//! the change reaches BrickLink through sync.

use std::process::Stdio;

use brickdesk_sim::{Market, Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, TestEnv};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RoleClient, RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::ServiceExt;
use serde_json::{json, Value};

type Client = RunningService<RoleClient, ()>;

const READ_TOOLS: [&str; 7] = ["catalog_item", "get_lot", "get_order", "list_orders", "pick_list", "search_inventory", "sync_status"];

/// A simulator whose BrickLink store has one lot (3001 red new, 40 at A-01), imported (local lot
/// 1), as `sync.rs` sets it up. Returns the BrickLink lot id.
async fn setup(label: &str) -> (Sim, TestEnv, i64) {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    let remote = sim.bricklink_add_lot(item("3001", 5, 'N', 40, "0.1200", "A-01", None));
    let mut env = TestEnv::new(label);
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.set_bricklink_credentials(&sim).await;
    let imported = env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    assert_eq!(imported, json!({"new": 1, "linked": 0, "conflicting": 0, "unchanged": 0}));
    (sim, env, remote)
}

/// `brickdesk-cli args` as an MCP server, initialized. Its stderr (the log) goes to a file in the
/// data dir: a pipe nobody reads would fill up and stall the server.
async fn connect(env: &TestEnv, args: &[&str]) -> Client {
    let log = env.data_dir.path().join(format!("mcp-stderr-{}.log", args.len()));
    let stderr = std::fs::File::create(&log).expect("create the server's stderr file");
    let command = tokio::process::Command::from(env.cli_command(args));
    let (transport, _no_stderr) = TokioChildProcess::builder(command).stderr(Stdio::from(stderr)).spawn().expect("spawn brickdesk-cli mcp");
    match ().serve(transport).await {
        Ok(client) => client,
        Err(e) => panic!("MCP initialize failed ({e}); server log:\n{}", std::fs::read_to_string(&log).unwrap_or_default()),
    }
}

async fn tool_names(client: &Client) -> Vec<String> {
    client.list_all_tools().await.expect("tools/list").into_iter().map(|t| t.name.to_string()).collect()
}

async fn call_raw(client: &Client, name: &str, args: Value) -> Result<CallToolResult, ServiceError> {
    let args = args.as_object().cloned().unwrap_or_default();
    client.call_tool(CallToolRequestParams::new(name.to_owned()).with_arguments(args)).await
}

fn text(r: &CallToolResult) -> String {
    r.content.iter().filter_map(|c| c.as_text()).map(|t| t.text.clone()).collect()
}

/// A tool's answer that must succeed, as the JSON it carries.
async fn call(client: &Client, name: &str, args: Value) -> Value {
    let r = call_raw(client, name, args.clone()).await.unwrap_or_else(|e| panic!("{name} {args}: {e}"));
    assert_ne!(r.is_error, Some(true), "{name} {args} refused: {}", text(&r));
    serde_json::from_str(&text(&r)).unwrap_or_else(|e| panic!("{name} {args}: not JSON ({e}): {}", text(&r)))
}

/// A tool's refusal (a tool error the assistant reads, not a protocol error): its text.
async fn refused(client: &Client, name: &str, args: Value) -> String {
    let r = call_raw(client, name, args.clone()).await.unwrap_or_else(|e| panic!("{name} {args}: protocol error {e}"));
    assert_eq!(r.is_error, Some(true), "{name} {args} should be refused: {}", text(&r));
    text(&r)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_tools_answer_from_the_store_and_update_lot_needs_allow_writes() {
    let (sim, env, remote) = setup("mcpread").await;
    sim.bricklink_add_order(SimOrder {
        buyer_name: "mcp_buyer".into(),
        currency: "USD".into(),
        shipping: "1.0000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", Some(remote))]],
    });
    env.json(&["poll", "--json"], "").await;
    let client = connect(&env, &["mcp"]).await;
    assert_eq!(tool_names(&client).await, READ_TOOLS, "read tools only, without --allow-writes");

    // The inventory: by item number, bin, colour and condition; the lot with its sync state.
    let page = call(&client, "search_inventory", json!({"text": "300", "color_id": 5, "condition": "n", "location": "a-"})).await;
    assert_eq!(page["total"], 1, "{page}");
    let lot = &page["lots"][0];
    assert_eq!(
        (lot["id"].clone(), lot["item_no"].clone(), lot["quantity"].clone(), lot["reserved"].clone()),
        (json!(1), json!("3001"), json!(40), json!(3))
    );
    assert_eq!(call(&client, "search_inventory", json!({"location": "B"})).await["total"], 0);
    assert_eq!(call(&client, "search_inventory", json!({})).await["total"], 1, "no filter: every lot");
    let got = call(&client, "get_lot", json!({"id": 1})).await;
    assert_eq!((got["item_no"].clone(), got["location"].clone(), got["unit_price"].clone()), (json!("3001"), json!("A-01"), json!("0.12")));
    // The order booked a sale, so BrickLink's copy waits for the next sync round (no worker runs
    // in `mcp`, nor here).
    assert_eq!(
        got["sync"],
        json!([{"marketplace": "bricklink", "status": "pending", "remote_id": remote.to_string(), "last_error": null}])
    );

    // Orders: filtered, one with its lines, the pick list.
    let orders =
        call(&client, "list_orders", json!({"marketplace": "bricklink", "fulfillment": "paid", "buyer": "MCP", "from": "2000-01-01"}))
            .await;
    assert_eq!(orders["total"], 1, "{orders}");
    let order = &orders["orders"][0];
    assert_eq!(order["buyer_name"], "mcp_buyer");
    let order_id = order["id"].as_i64().expect("order id");
    assert_eq!(call(&client, "list_orders", json!({"marketplace": "brickowl"})).await["total"], 0);
    assert_eq!(call(&client, "list_orders", json!({"to": "2000-01-01"})).await["total"], 0);
    let shown = call(&client, "get_order", json!({"id": order_id})).await;
    assert_eq!(shown["external_id"], order["external_id"]);
    let line = &shown["items"][0];
    assert_eq!(
        (line["item_no"].clone(), line["quantity"].clone(), line["inventory_id"].clone()),
        (json!("3001"), json!(3), json!(1)),
        "{shown}"
    );
    let pick = call(&client, "pick_list", json!({"order_ids": [order_id]})).await;
    let first = &pick["lines"][0];
    assert_eq!(
        (first["location"].clone(), first["item_no"].clone(), first["quantity"].clone()),
        (json!("A-01"), json!("3001"), json!(3)),
        "{pick}"
    );
    assert_eq!(first["orders"][0]["order_id"], order_id);

    // The catalog, as the drawer: the cache at once, a refresh queued and fetched elsewhere.
    let catalog = json!({"item_no": "3001", "color_id": 5});
    let part = call(&client, "catalog_item", catalog.clone()).await;
    assert_eq!((part["status"].clone(), part["data"].clone()), (json!("missing"), Value::Null), "{part}");
    assert!(sim.calls(Market::Bricklink).iter().all(|c| !c.path.starts_with("/items")), "asking never fetches");
    env.json(&["catalog", "refresh", "run", "--json"], "").await;
    let part = call(&client, "catalog_item", catalog).await;
    assert_eq!(part["status"], "fresh", "{part}");
    assert!(part["data"]["name"].as_str().is_some_and(|n| !n.is_empty()), "{part}");
    assert!(!part["data"]["price_guides"].as_array().expect("price guides").is_empty(), "{part}");

    // Sync: the lot waiting for its round; after `sync run` (another process), synced. No drift
    // check ran.
    let sync = call(&client, "sync_status", json!({})).await;
    assert_eq!((sync["counts"].clone(), sync["drift"].clone()), (json!({"bricklink": {"pending": 1}}), Value::Null), "{sync}");
    assert_eq!((sync["entries"][0]["inventory_id"].clone(), sync["entries"][0]["status"].clone()), (json!(1), json!("pending")), "{sync}");
    env.json(&["sync", "run", "--json"], "").await;
    let sync = call(&client, "sync_status", json!({})).await;
    assert_eq!((sync["counts"].clone(), sync["entries"].clone()), (json!({"bricklink": {"synced": 1}}), json!([])), "{sync}");
    let one = call(&client, "sync_status", json!({"lot_id": 1})).await;
    assert_eq!(one["entries"][0]["remote_id"], remote.to_string(), "{one}");

    // Bad arguments: refused with what was wrong, and the server goes on.
    assert!(refused(&client, "search_inventory", json!({"colour": 5})).await.contains("unknown field `colour`"));
    assert!(refused(&client, "search_inventory", json!({"condition": "X"})).await.contains("condition"));
    assert!(refused(&client, "get_lot", json!({"id": 999})).await.contains("not_found"));
    let wrong_type = refused(&client, "get_lot", json!({"id": "one"})).await;
    assert!(wrong_type.contains("invalid_input") && wrong_type.contains("`id`: invalid type"), "{wrong_type}");
    assert!(refused(&client, "get_order", json!({})).await.contains("missing field `id`"));
    assert!(refused(&client, "list_orders", json!({"marketplace": "ebay"})).await.contains("unknown variant `ebay`"));
    assert!(refused(&client, "list_orders", json!({"from": "last week"})).await.contains("from"));
    assert!(refused(&client, "get_order", json!({"id": order_id + 100})).await.contains("not_found"));
    assert!(refused(&client, "pick_list", json!({"order_ids": []})).await.contains("at least one"));
    assert!(refused(&client, "sync_status", json!({"lot_id": 999})).await.contains("not_found"));

    // Writes are off: update_lot is refused by name, and nothing changed.
    match call_raw(&client, "update_lot", json!({"id": 1, "quantity": 5})).await {
        Err(ServiceError::McpError(e)) => assert!(e.message.contains("--allow-writes"), "{e:?}"),
        other => panic!("update_lot without --allow-writes: {other:?}"),
    }
    assert_eq!(call(&client, "get_lot", json!({"id": 1})).await["quantity"], 40);
    assert_eq!(sim.bricklink_lot(remote).expect("BrickLink lot")["quantity"], 37, "BrickLink as its order left it");
    client.cancel().await.expect("close the MCP session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_allow_writes_update_lot_reaches_bricklink_through_sync() {
    let (sim, env, remote) = setup("mcpwrite").await;
    let client = connect(&env, &["mcp", "--allow-writes"]).await;
    let mut expected: Vec<&str> = READ_TOOLS.into();
    expected.push("update_lot");
    expected.sort();
    assert_eq!(tool_names(&client).await, expected);

    let updated = call(&client, "update_lot", json!({"id": 1, "quantity": 55, "unit_price": "0.15", "location": "A-02"})).await;
    assert_eq!((updated["lot"]["quantity"].clone(), updated["lot"]["unit_price"].clone()), (json!(55), json!("0.15")), "{updated}");
    assert_eq!(updated["push"]["pushed"][0]["op"], "update", "pushed at once: {updated}");
    assert_eq!(updated["lot"]["sync"][0]["status"], "synced", "{updated}");
    let bl = sim.bricklink_lot(remote).expect("BrickLink lot");
    assert_eq!((bl["quantity"].clone(), bl["unit_price"].clone(), bl["remarks"].clone()), (json!(55), json!("0.1500"), json!("A-02")));

    // Refusals change nothing and push nothing.
    let puts = sim.calls(Market::Bricklink).iter().filter(|c| c.method == "PUT").count();
    assert!(refused(&client, "update_lot", json!({"id": 1})).await.contains("at least one"));
    assert!(refused(&client, "update_lot", json!({"id": 1, "quantity": -1})).await.contains("quantity"));
    assert!(refused(&client, "update_lot", json!({"id": 1, "unit_price": "cheap"})).await.contains("price"));
    let float = refused(&client, "update_lot", json!({"id": 1, "unit_price": 0.2})).await;
    assert!(float.contains("`unit_price`: invalid type: floating point"), "a float is no decimal string: {float}");
    assert!(refused(&client, "update_lot", json!({"id": 999, "quantity": 1})).await.contains("not_found"));
    assert_eq!(sim.calls(Market::Bricklink).iter().filter(|c| c.method == "PUT").count(), puts);
    assert_eq!(call(&client, "get_lot", json!({"id": 1})).await["quantity"], 55);
    client.cancel().await.expect("close the MCP session");

    // Each write is in BrickDesk's log (never on stdout: that is the MCP channel).
    let logs: String = std::fs::read_dir(env.data_dir.path().join("logs"))
        .expect("log dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("brickdesk-mcp"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(logs.contains("MCP update_lot") && logs.contains("lot=1"), "{logs}");
    assert_eq!(env.json(&["doctor", "--json"], "").await, json!({"ok": true, "problems": []}));
}
