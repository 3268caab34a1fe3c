//! The window at the scale of a large seller: 100,000 lots and 20,000 orders, written straight into
//! the store before the app starts, then the real window over WebDriver (as e2e.rs drives it).
//!
//! It asserts behaviour only: the counts are right, the tables never hold more than a screenful of
//! rows (plus overscan), a filter is answered, the last lot is reachable by scrolling. It measures
//! (never asserts) how long each step takes to paint and how much memory every process of the app
//! uses (RSS and PSS from /proc/<pid>/smaps_rollup), prints the figures and writes them to
//! `$BRICKDESK_ARTIFACTS/scale-window.json`.
//!
//! Once the app has gone, the floor is measured the same way in the same run: a bare WebKitGTK
//! window (WebKit's own MiniBrowser on a static 30-row page, with the `WEBKIT_*` settings the app's
//! web process ran with: GPU compositing off), left alone as long, then read (`memory_bare_webkit`).
//! Not while the app runs: PSS splits a shared library's pages among every process that maps it, so
//! two WebKit windows at once would both look smaller (the figures count any other WebKit process
//! on the machine). A one-line summary puts the two side by side.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use brickdesk_tests::memory::{
    app_pid, bare_webkit_window, memory_json, memory_of, other_webkit_processes, pss_mib, save_smaps, total_pss_mib, webkit_env_of, Memory,
};
use brickdesk_tests::seed::{self, Seeded};
use brickdesk_tests::webdriver::{no_window_left, start_driver, Session, WdError, WAIT};
use brickdesk_tests::{artifacts_dir, bin, TestEnv};
use serde_json::{json, Value};

const LOTS: usize = 100_000;
const ORDERS: usize = 20_000;
/// How long the window is left alone before its memory is read again.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(10);
/// More rows than this in a table at any time means it is not virtualised.
const MAX_ROWS: i64 = 200;

fn epoch_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// Waits in the page until `css` matches (and `ready`, a JS expression over `el`, holds), then two
/// animation frames (WebKit has painted them); answers the page's clock (`Date.now()`) at that
/// point, or null after `WAIT`.
fn wait_painted(css: &str, ready: &str) -> String {
    format!(
        "const done = arguments[arguments.length - 1];
         const give_up = Date.now() + {wait};
         const check = () => {{
             const el = document.querySelector({css:?});
             if (el && ({ready})) return requestAnimationFrame(() => requestAnimationFrame(() => done(Date.now())));
             if (Date.now() > give_up) return done(null);
             requestAnimationFrame(check);
         }};
         check();",
        wait = WAIT.as_millis()
    )
}

async fn painted(s: &Session, css: &str, ready: &str) -> Result<f64, WdError> {
    let v = s.execute_async(&wait_painted(css, ready)).await?;
    v.as_f64().ok_or_else(|| WdError(format!("{css} (with {ready}) was not painted in {WAIT:?}")))
}

/// Runs `action` (JS) in the page; answers the page's clock then and how many milliseconds later
/// `css` matched with `ready` and was painted.
async fn timed(s: &Session, action: &str, css: &str, ready: &str) -> Result<(f64, f64), WdError> {
    let started =
        s.execute_async(&format!("const done = arguments[arguments.length - 1]; const t = Date.now(); {action}; done(t);")).await?;
    let started = started.as_f64().ok_or_else(|| WdError("no page clock".into()))?;
    Ok((started, painted(s, css, ready).await? - started))
}

async fn text(s: &Session, css: &str) -> Result<String, WdError> {
    let v = s
        .execute_async(&format!(
            "const e = document.querySelector({css:?}); arguments[arguments.length - 1](e ? e.innerText.trim() : null);"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

async fn count(s: &Session, css: &str) -> Result<i64, WdError> {
    let v = s.execute_async(&format!("arguments[arguments.length - 1](document.querySelectorAll({css:?}).length);")).await?;
    v.as_i64().ok_or_else(|| WdError(format!("counting {css}: {v}")))
}

/// The whole walk through the window; figures go into `figures`.
async fn walk(
    s: &Session,
    seeded: &Seeded,
    spawned_at: f64,
    env: &TestEnv,
    figures: &mut serde_json::Map<String, Value>,
    settled: &mut Vec<Memory>,
    webkit_env: &mut Vec<(String, String)>,
) -> Result<(), WdError> {
    // App start → the first orders painted (newest first), counted.
    let first_orders = painted(s, "#orders-table tr.order-row", "true").await?;
    figures.insert("start_to_first_order_rows_ms".into(), json!((first_orders - spawned_at).round()));
    // Of which: until the page began to load (process, GTK, WebKit's processes); the rest is the
    // page (wasm, the first calls, the paint).
    let page_started = s.execute_async("arguments[arguments.length - 1](performance.timeOrigin);").await?.as_f64().unwrap_or(spawned_at);
    figures.insert("start_to_page_load_ms".into(), json!((page_started - spawned_at).round()));
    s.wait_for_text("#orders-count", "20,000 orders", WAIT).await?;
    let first = s
        .execute_async("arguments[arguments.length - 1](document.querySelector('#orders-table tr.order-row').dataset.externalId);")
        .await?;
    ensure(first == json!(seeded.newest_order), format!("the orders table starts with {first}, not the newest order"))?;
    // Everything the page reads from the store has arrived (the count is the last): how the app
    // stands in memory with the Orders page open.
    let pid = app_pid(env.data_dir.path()).ok_or_else(|| WdError("no brickdesk process on the test's data dir".into()))?;
    let processes = memory_of(pid);
    figures.insert("memory_orders_open".into(), memory_json(&processes));
    // The shell turned WebKit's GPU compositing off for its web process (it halves its memory).
    let web = processes.iter().find(|p| p.name == "WebKitWebProcess").ok_or_else(|| WdError("no WebKitWebProcess under the app".into()))?;
    let environ = std::fs::read(format!("/proc/{}/environ", web.pid)).unwrap_or_default();
    // The bare window later gets the same WebKit settings.
    *webkit_env = webkit_env_of(web.pid);
    ensure(
        environ.split(|b| *b == 0).any(|v| v == b"WEBKIT_DISABLE_COMPOSITING_MODE=1"),
        "the web process runs with WebKit's GPU compositing (WEBKIT_DISABLE_COMPOSITING_MODE unset)".into(),
    )?;

    // Every table's row count, at every change of the page, from here on.
    s.execute_async(&format!(
        "const done = arguments[arguments.length - 1];
         window.__maxRows = 0;
         const note = () => {{
             const n = document.querySelectorAll('#inventory-table tr.lot-row, #orders-table tr.order-row').length;
             if (n > window.__maxRows) window.__maxRows = n;
         }};
         note();
         new MutationObserver(note).observe(document.body, {{ subtree: true, childList: true }});
         done({MAX_ROWS});"
    ))
    .await?;

    // Inventory: the first lots painted, then the count.
    let (clicked, first_lots) = timed(s, "document.getElementById('nav-inventory').click()", "#inventory-table tr.lot-row", "true").await?;
    figures.insert("inventory_click_to_first_lot_rows_ms".into(), json!(first_lots.round()));
    let counted = painted(s, "#inventory-count", "el.innerText.trim() === '100,000 lots'").await?;
    figures.insert("inventory_click_to_count_ms".into(), json!((counted - clicked).round()));

    // A filter typed: the count of what matches, and only matching rows.
    let prefix = "30";
    let matching = seeded.lots_with_item_prefix(prefix);
    ensure(matching > MAX_ROWS, format!("the filter should match more lots than a screen holds (it matches {matching})"))?;
    let expected = format!("{} of 100,000 lots", brickdesk_grouped(matching));
    let (_, filter) = timed(
        s,
        &format!(
            "const i = document.getElementById('inventory-search'); i.value = {prefix:?};
             i.dispatchEvent(new Event('input', {{ bubbles: true }}))"
        ),
        "#inventory-count",
        &format!("el.innerText.trim() === {expected:?} && document.querySelector('#inventory-table tr.lot-row .open-catalog')?.dataset.itemNo.startsWith({prefix:?})"),
    )
    .await?;
    figures.insert("filter_typed_to_count_ms".into(), json!(filter.round()));
    let items = s
        .execute_async(
            "arguments[arguments.length - 1]([...document.querySelectorAll('#inventory-table tr.lot-row .open-catalog')].map(b => b.dataset.itemNo));",
        )
        .await?;
    let items: Vec<String> = serde_json::from_value(items).map_err(|e| WdError(format!("item numbers: {e}")))?;
    ensure(!items.is_empty() && items.iter().all(|i| i.starts_with(prefix)), format!("rows under the {prefix} filter: {items:?}"))?;

    // The filter cleared, then all the way down: the last lot (in location order) is reachable.
    let (_, cleared) = timed(
        s,
        "const i = document.getElementById('inventory-search'); i.value = '';
         i.dispatchEvent(new Event('input', { bubbles: true }))",
        "#inventory-count",
        "el.innerText.trim() === '100,000 lots' && !!document.querySelector('#inventory-table tr.lot-row')",
    )
    .await?;
    figures.insert("filter_cleared_to_count_ms".into(), json!(cleared.round()));
    let last = seeded.last_by_location;
    let (_, scrolled) = timed(
        s,
        "const sc = document.getElementById('inventory-scroll'); sc.scrollTop = sc.scrollHeight;",
        &format!("#inventory-table tr.lot-row[data-lot-id='{last}']"),
        // Scrolled to the end for as long as the spacer still grows (the row height is measured).
        "(() => { const sc = document.getElementById('inventory-scroll'); const b = sc.getBoundingClientRect(); const r = el.getBoundingClientRect();
                  if (sc.scrollTop + sc.clientHeight < sc.scrollHeight - 1) { sc.scrollTop = sc.scrollHeight; return false; }
                  return r.top >= b.top && r.bottom <= b.bottom + 1; })()",
    )
    .await?;
    figures.insert("scroll_to_last_lot_ms".into(), json!(scrolled.round()));
    let last_row = s
        .execute_async("const r = [...document.querySelectorAll('#inventory-table tr.lot-row')]; arguments[arguments.length - 1](r.length ? Number(r[r.length - 1].dataset.lotId) : null);")
        .await?;
    ensure(last_row == json!(last), format!("the last row drawn at the bottom is {last_row}, not the last lot {last}"))?;
    s.wait_for_text("#inventory-count", "100,000 lots", WAIT).await?;

    let drawn = count(s, "#inventory-table tr.lot-row").await?;
    let most = s.execute_async("arguments[arguments.length - 1](window.__maxRows);").await?.as_i64().unwrap_or(i64::MAX);
    let row_height = s
        .execute_async(
            "const r = document.querySelector('#inventory-table tr.lot-row'); arguments[arguments.length - 1](r ? r.offsetHeight : null);",
        )
        .await?;
    figures.insert("lot_rows_in_dom_at_bottom".into(), json!(drawn));
    figures.insert("most_rows_in_dom".into(), json!(most));
    figures.insert("lot_row_height_px".into(), row_height);
    figures.insert("inventory_count_text".into(), json!(text(s, "#inventory-count").await?));
    ensure(most < MAX_ROWS, format!("the tables held {most} rows at once: they are not virtualised"))?;
    figures.insert("memory_inventory_scrolled".into(), memory_json(&memory_of(pid)));
    // The UI's own heap: the wasm module's linear memory (it grows and is never handed back).
    let wasm = s
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import('./ui.js').then(m => m.default()).then(w => done(w.memory.buffer.byteLength), e => done(String(e)));",
        )
        .await?;
    figures.insert("ui_wasm_memory_bytes".into(), wasm);
    std::fs::write(artifacts_dir().join("scale-window.png"), s.screenshot().await?).expect("write screenshot");
    // The same window left alone for a while: the start's one-off work (a first analysis of the
    // store, its page cache) has been handed back by then. What a seller's machine carries.
    tokio::time::sleep(SETTLE).await;
    *settled = memory_of(pid);
    figures.insert("memory_settled".into(), memory_json(settled));
    save_smaps(settled, &artifacts_dir(), "scale-window-settled");
    // Other WebKit windows on the machine (another test's) share library pages and lower PSS.
    let ours: Vec<u32> = settled.iter().map(|p| p.pid).collect();
    figures.insert("other_webkit_processes_while_settled".into(), json!(other_webkit_processes(&ours)));
    Ok(())
}

/// One line: the app's processes after the idle wait (PSS, MiB) beside the bare WebKitGTK window.
fn summary(app: &[Memory], bare: Result<&[Memory], &String>) -> String {
    if app.is_empty() {
        return "scale-window memory: the app's memory was not read (the walk stopped before)".into();
    }
    let total = total_pss_mib(app);
    let floor = match bare {
        Ok(b) => format!("bare WebKitGTK window {:.0} MiB, total − bare {:+.0} MiB", total_pss_mib(b), total - total_pss_mib(b)),
        Err(why) => format!("bare WebKitGTK window not measured ({why})"),
    };
    format!(
        "scale-window memory (PSS, after {} s idle): shell {:.0} MiB, web {:.0} MiB, network {:.0} MiB, total {total:.0} MiB; {floor}",
        SETTLE.as_secs(),
        pss_mib(app, "brickdesk"),
        pss_mib(app, "WebKitWebProcess"),
        pss_mib(app, "WebKitNetworkProcess"),
    )
}

fn ensure(ok: bool, what: String) -> Result<(), WdError> {
    if ok {
        Ok(())
    } else {
        Err(WdError(what))
    }
}

/// `100000` → `100,000`, as the window writes counts.
fn brickdesk_grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_store_stays_instant_in_the_window() {
    let started = Instant::now();
    no_window_left().await;
    let mut env = TestEnv::new("scale-window");
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    let seeding = Instant::now();
    let seeded = seed::seed(&env.data_dir.path().join("brickdesk.sqlite3"), LOTS, ORDERS).await;
    let mut figures = serde_json::Map::new();
    figures.insert("lots".into(), json!(seeded.lots));
    figures.insert("orders".into(), json!(seeded.orders));
    figures.insert("seed_ms".into(), json!(seeding.elapsed().as_millis() as u64));

    let driver = start_driver(&env, "scale-window-driver.log");
    let spawned_at = epoch_ms();
    let s = Session::start(&driver.url, &bin("brickdesk").display().to_string()).await.unwrap_or_else(|e| panic!("{e}"));
    let (mut settled, mut webkit_env) = (Vec::new(), Vec::new());
    let result = walk(&s, &seeded, spawned_at, &env, &mut figures, &mut settled, &mut webkit_env).await;
    if result.is_err() {
        if let Ok(png) = s.screenshot().await {
            let _best_effort = std::fs::write(artifacts_dir().join("scale-window-failure.png"), png);
        }
    }
    let ended = s.end().await;
    drop(driver);
    no_window_left().await;
    // The floor, in the same run, once the app's processes are gone.
    let log = artifacts_dir().join("scale-window-minibrowser.log");
    let bare = bare_webkit_window(env.data_dir.path(), SETTLE, &log, &webkit_env).await;
    figures.insert(
        "memory_bare_webkit".into(),
        match &bare {
            Ok((m, others)) => {
                let mut j = memory_json(m);
                j["other_webkit_processes"] = json!(others);
                j["webkit_env"] = json!(webkit_env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>());
                j
            }
            Err(why) => json!({ "not_measured": why }),
        },
    );
    figures.insert("test_wall_ms".into(), json!(started.elapsed().as_millis() as u64));
    let figures = Value::Object(figures);
    let pretty = serde_json::to_string_pretty(&figures).unwrap_or_default();
    eprintln!("scale-window figures:\n{pretty}");
    eprintln!("{}", summary(&settled, bare.as_ref().map(|(m, _)| m.as_slice())));
    std::fs::write(artifacts_dir().join("scale-window.json"), &pretty).expect("write scale-window.json");
    result.unwrap_or_else(|e| panic!("{e}"));
    ended.unwrap_or_else(|e| panic!("{e}"));
}
