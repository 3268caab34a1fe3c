//! Files in and out through `brickdesk-cli`: a BrickStore `.bsx`, BrickLink's upload XML and a
//! Polish spreadsheet's CSV (Windows-1250, semicolons, decimal commas) imported with a dry run
//! first, bad rows refused by row number, the same file twice adding nothing, a round trip
//! through each export format into an empty store, an import that reaches BrickLink through sync,
//! and orders out as CSV. Files are written here from the formats' documentation and BrickStore's
//! own schema; nothing is copied from elsewhere.

use brickdesk_sim::{Sim, SimOptions, SimOrder};
use brickdesk_tests::{sim_part as item, stderr, stdout, TestEnv};
use serde_json::{json, Value};

/// A BrickStore 2024 file: elements in any order, an entity in a remark, tier prices and a
/// stockroom BrickDesk cannot keep, an excluded item, and an item whose colour is a name.
const BSX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE BrickStoreXML>
<BrickStoreXML>
 <Inventory Currency="USD">
  <Item>
   <ItemID>3001</ItemID><ItemTypeID>P</ItemTypeID><ColorID>5</ColorID><ItemName>Brick 2 x 4</ItemName>
   <Qty>40</Qty><Price>0.1250</Price><Condition>N</Condition><Remarks>A-01 &amp; A-02</Remarks>
   <TQ1>100</TQ1><TP1>0.1</TP1><Stockroom>A</Stockroom>
  </Item>
  <Item><Condition>U</Condition><ColorID>0</ColorID><ItemTypeID>S</ItemTypeID><ItemID>6020-1</ItemID><Qty>1</Qty><Price>12.5</Price><Comments>Box worn</Comments></Item>
  <Item><ItemID>3003</ItemID><ItemTypeID>P</ItemTypeID><ColorID>11</ColorID><Qty>3</Qty><Status>X</Status></Item>
  <Item><ItemID>3004</ItemID><ItemTypeID>P</ItemTypeID><ColorID>red</ColorID><Qty>3</Qty></Item>
 </Inventory>
</BrickStoreXML>"#;

fn file(env: &TestEnv, name: &str, bytes: &[u8]) -> String {
    let path = env.data_dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the file");
    path.display().to_string()
}

async fn lots(env: &TestEnv) -> Vec<Value> {
    env.json(&["inventory", "list", "--json"], "").await.as_array().cloned().unwrap_or_default()
}

/// A lot as a file carries it: (item, type, colour, condition, quantity, price, bin, description).
fn as_filed(l: &Value) -> (String, String, i64, String, i64, String, String, String) {
    let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
    (
        s("item_no"),
        s("item_type"),
        l["color_id"].as_i64().unwrap_or(-1),
        s("condition"),
        l["quantity"].as_i64().unwrap_or(-1),
        s("unit_price"),
        s("location"),
        s("description"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brickstore_file_imports_after_a_dry_run_once() {
    let env = TestEnv::new("files-bsx");
    let path = file(&env, "stock.bsx", BSX.as_bytes());
    let dry = env.json(&["inventory", "import", "bsx", &path, "--dry-run", "--json"], "").await;
    assert_eq!((dry["dry_run"].clone(), dry["new"].as_array().map(Vec::len)), (json!(true), Some(2)), "{dry}");
    let refused: Vec<(u64, String)> = dry["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(refused.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 4], "{dry}");
    assert!(refused[0].1.contains("exclude") && refused[1].1.contains("colour"), "{refused:?}");
    assert!(dry["dropped"].as_array().unwrap().contains(&json!(["tier prices", 2])), "{dry}");
    assert!(lots(&env).await.is_empty(), "a dry run writes nothing");

    let done = env.json(&["inventory", "import", "bsx", &path, "--json"], "").await;
    assert_eq!((done["dry_run"].clone(), done["new"].as_array().map(Vec::len)), (json!(false), Some(2)));
    let stored = lots(&env).await;
    let brick = stored.iter().find(|l| l["item_no"] == "3001").expect("3001 imported");
    assert_eq!((brick["quantity"].clone(), brick["location"].clone()), (json!(40), json!("A-01 & A-02")));
    assert!(brick["unit_price"].as_str().is_some_and(|p| p.starts_with("0.125")), "{brick}");
    let set = stored.iter().find(|l| l["item_no"] == "6020-1").expect("the set");
    assert_eq!(
        (set["item_type"].clone(), set["condition"].clone(), set["description"].clone()),
        (json!("SET"), json!("U"), json!("Box worn"))
    );

    let again = env.json(&["inventory", "import", "bsx", &path, "--json"], "").await;
    assert!(again["already_imported"].is_string(), "{again}");
    assert_eq!(lots(&env).await, stored, "the same file twice adds nothing");
    assert_eq!(env.json(&["doctor", "--json"], "").await, json!({"ok": true, "problems": []}));

    // Not a BrickStore file: a clear error, nothing written.
    let html = file(&env, "page.bsx", b"<html><body>oops</body></html>");
    let o = env.cli_async(&["inventory", "import", "bsx", &html], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("not a BrickStore file"), "{}", stderr(&o));
}

/// A Polish spreadsheet: Windows-1250, `;`, decimal commas, Polish headers and condition words,
/// colour names; the bad rows are named by their line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polish_spreadsheet_csv_imports_and_refuses_bad_rows_by_line() {
    let env = TestEnv::new("files-csv");
    // "Numer;Kolor;Stan;Ilość;Cena;Lokalizacja;Opis" and rows, in Windows-1250 (ś = 0x9C, ć = 0xE6,
    // ó = 0xF3, ł = 0xB3, ż = 0xBF, ę = 0xEA).
    let mut bytes: Vec<u8> = b"Numer;Kolor;Stan;Ilo\x9C\xE6;Cena;Lokalizacja;Opis\r\n".to_vec();
    bytes.extend_from_slice(b"3001;5;Nowy;40;0,12;A-01;P\xF3\xB3ka g\xF3rna\r\n");
    bytes.extend_from_slice(b"3003;11;U\xBFywany;5;0,085;B-02;\r\n");
    bytes.extend_from_slice(b"3004;5;N;du\xBFo;0,1;;\r\n");
    bytes.extend_from_slice(b"3005;5;N;2;abc;;\r\n");
    bytes.extend_from_slice(b"3001;5;N;2;0,12;A-01;\r\n");
    let path = file(&env, "magazyn.csv", &bytes);
    let done = env.json(&["inventory", "import", "csv", &path, "--json"], "").await;
    let columns = done["columns"].as_array().unwrap();
    assert!(columns.contains(&json!(["Ilość", "quantity"])) && columns.contains(&json!(["Stan", "condition"])), "{done}");
    let rows: Vec<u64> = done["refused"].as_array().unwrap().iter().map(|r| r["row"].as_u64().unwrap()).collect();
    assert_eq!(rows, [4, 5], "{done}");
    let stored = lots(&env).await;
    let brick = stored.iter().find(|l| l["item_no"] == "3001").unwrap();
    assert_eq!((brick["quantity"].clone(), brick["description"].clone()), (json!(42), json!("Półka górna")), "two rows of one lot are one");
    let used = stored.iter().find(|l| l["item_no"] == "3003").unwrap();
    assert_eq!((used["condition"].clone(), used["unit_price"].as_str().map(|p| p.starts_with("0.085"))), (json!("U"), Some(true)));

    // A mapping that names a column the file does not have is refused before anything is read.
    let o = env.cli_async(&["inventory", "import", "csv", &path, "--map", "Nope=quantity"], "").await;
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Nope"), "{}", stderr(&o));
}

/// Every export format round-trips into an empty store: the same lots, prices exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_export_format_round_trips_into_an_empty_store() {
    let from = TestEnv::new("files-from");
    for lot in [
        json!({"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":40,"unit_price":"0.1234","location":"A-01","description":"clean <ok> & \"shiny\""}),
        json!({"item_no":"sw0001a","item_type":"MINIFIG","color_id":0,"condition":"U","quantity":1,"unit_price":"3.5","location":"Z, box 2"}),
        json!({"item_no":"6020-1","item_type":"SET","color_id":0,"condition":"N","quantity":2,"unit_price":"19.99","location":""}),
    ] {
        from.json(&["inventory", "add", "--json"], &lot.to_string()).await;
    }
    let mut want: Vec<_> = lots(&from).await.iter().map(as_filed).collect();
    want.sort();
    for format in ["bsx", "bricklink-xml", "csv"] {
        let out = from.data_dir.path().join(format!("export.{format}"));
        let o = from.cli_async(&["inventory", "export", format, "--out", &out.display().to_string()], "").await;
        assert!(o.status.success(), "{}", stderr(&o));
        let to = TestEnv::new("files-to");
        let done = to.json(&["inventory", "import", format, &out.display().to_string(), "--json"], "").await;
        assert!(done["refused"].as_array().unwrap().is_empty(), "{format}: {done}");
        let mut got: Vec<_> = lots(&to).await.iter().map(as_filed).collect();
        got.sort();
        assert_eq!(got, want, "{format} round trip");
    }
    // To stdout by default.
    let o = from.cli_async(&["inventory", "export", "bricklink-xml"], "").await;
    assert!(stdout(&o).starts_with("<INVENTORY>") && stdout(&o).contains("<ITEMID>sw0001a</ITEMID>"), "{}", stdout(&o));
}

/// An import into a store linked to BrickLink reaches it through sync: the lot added to is pushed
/// as a delta; and orders go out as CSV.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_file_reaches_bricklink_and_orders_export_as_csv() {
    let sim = Sim::start(SimOptions::default()).await.expect("start simulator");
    let remote = sim.bricklink_add_lot(item("3001", 5, 'N', 40, "0.1200", "A-01", None));
    let mut env = TestEnv::new("files-sync");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.set_bricklink_credentials(&sim).await;
    env.json(&["inventory", "import", "bricklink", "--json"], "").await;
    let xml = "<INVENTORY><ITEM><ITEMTYPE>P</ITEMTYPE><ITEMID>3001</ITEMID><COLOR>5</COLOR><PRICE>0.12</PRICE><QTY>10</QTY><CONDITION>N</CONDITION><REMARKS>A-01</REMARKS></ITEM>
        <ITEM><ITEMTYPE>P</ITEMTYPE><ITEMID>3003</ITEMID><COLOR>11</COLOR><PRICE>0.08</PRICE><QTY>7</QTY><CONDITION>U</CONDITION><REMARKS>B-02</REMARKS></ITEM></INVENTORY>";
    let path = file(&env, "upload.xml", xml.as_bytes());
    let done = env.json(&["inventory", "import", "bricklink-xml", &path, "--json"], "").await;
    assert_eq!((done["added"][0]["inventory_id"].clone(), done["new"].as_array().map(Vec::len)), (json!(1), Some(1)), "{done}");
    env.json(&["sync", "run", "--json"], "").await;
    assert_eq!(sim.bricklink_lot(remote).unwrap()["quantity"], 50, "40 + the file's 10");
    assert!(sim.bricklink_lots().iter().any(|l| l["item"]["no"] == "3003" && l["quantity"] == 7), "the new lot is listed");

    sim.bricklink_add_order(SimOrder {
        buyer_name: "Anna, \"the\" buyer".into(),
        currency: "EUR".into(),
        shipping: "2.5000".into(),
        status: "PAID".into(),
        batches: vec![vec![item("3001", 5, 'N', 3, "0.1200", "A-01", Some(remote))]],
    });
    env.json(&["poll", "--json"], "").await;
    let o = env.cli_async(&["orders", "export", "csv"], "").await;
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Marketplace,Order,Date,Buyer,Status,Items,Subtotal,Shipping and other,Total,Currency"));
    let row = lines.next().unwrap_or_default();
    assert!(row.starts_with("bricklink,") && row.contains("\"Anna, \"\"the\"\" buyer\"") && row.ends_with(",EUR"), "{row}");
    assert!(row.contains(",paid,3,0.36,2.50,2.86,"), "{row}");
    let o = env.cli_async(&["orders", "export", "csv", "--lines", "--from", "2000-01-01"], "").await;
    assert!(stdout(&o).lines().nth(1).is_some_and(|l| l.contains(",3001,PART,5,N,3,0.1200,0.3600,EUR")), "{}", stdout(&o));
    let o = env.cli_async(&["orders", "export", "csv", "--from", "yesterday"], "").await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}
