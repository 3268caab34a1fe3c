//! Allegro in the real BrickDesk window, driven over WebDriver (tauri-driver → WebKitWebDriver)
//! under the X server, session D-Bus and keyring that scripts/test provides, against the simulated
//! Allegro on 127.0.0.1: the app registration saved in Settings, the account linked through the
//! device flow the seller approves, the journals' interval set in Settings, an Allegro order in the
//! orders table after Poll now, and an offer linked to a lot in Inventory → Allegro offers, whose
//! stock then follows the lot (the lot shows its Allegro chip).
//!
//! The same binary (one window at a time) also drives the day's shipping across BrickLink and
//! Allegro (pick list, ship form, packing slips), a CSV imported through the mapping dialog, and the
//! demo's first start. Each test runs its window through [`in_window`].

use brickdesk_sim::{AllegroLine, AllegroOffer, AllegroOrder, Sim, SimOptions};
use brickdesk_tests::webdriver::{no_window_left, start_driver, Session, WdError, WAIT};
use brickdesk_tests::{artifacts_dir, bin, TestEnv};
use serde_json::json;

/// One window at a time: the app is single-instance on the test's D-Bus session.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `body` in the real BrickDesk window on `env` (the caller holds [`ONE_WINDOW`]), then closes
/// it and waits until no window is left. A failing body leaves `<label>-failure.png` in the
/// artifacts; the driver's log is `<label>-driver.log`.
async fn in_window(env: &TestEnv, label: &str, body: impl AsyncFnOnce(&Session) -> Result<(), WdError>) {
    let driver = start_driver(env, &format!("{label}-driver.log"));
    let s = Session::start(&driver.url, &bin("brickdesk").display().to_string()).await.unwrap_or_else(|e| panic!("{e}"));
    let result = body(&s).await;
    if result.is_err() {
        if let Ok(png) = s.screenshot().await {
            let _best_effort = std::fs::write(artifacts_dir().join(format!("{label}-failure.png")), png);
        }
    }
    let ended = s.end().await;
    result.unwrap_or_else(|e| panic!("{e}"));
    ended.unwrap_or_else(|e| panic!("{e}"));
    drop(driver);
    no_window_left().await;
}

/// Runs `script` (which gets `done` as its callback) and returns what it passed to `done`.
async fn probe(s: &Session, script: &str) -> Result<serde_json::Value, WdError> {
    s.execute_async(&format!("const done = arguments[arguments.length - 1]; {script}")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allegro_links_in_settings_and_its_order_shows_in_the_table() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("simulator");
    let (client_id, client_secret) = (sim.options().allegro_client_id.clone(), sim.options().allegro_client_secret.clone());
    let mut env = TestEnv::new("allegro-window");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    // Only Poll now (and the polls right after linking and setting the interval) read the
    // journals during the test: Allegro's interval is set to an hour in Settings below.
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    // The desktop's browser, as xdg-open finds it outside a desktop session: it notes the page
    // BrickDesk asked it to open.
    let opened = env.data_dir.path().join("browser-opened.txt");
    let browser = env.data_dir.path().join("browser.sh");
    std::fs::write(&browser, format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", opened.display())).expect("write browser");
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod browser");
    env.extra.push(("BROWSER", browser.display().to_string()));
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":40,"unit_price":"0.12","location":"A-01"}"#,
    )
    .await;
    // A second lot, and an Allegro offer selling it whose signature names nothing BrickDesk knows:
    // the seller links it in the window.
    env.json(
        &["inventory", "add", "--json"],
        r#"{"item_no":"3003","item_type":"PART","color_id":11,"condition":"U","quantity":25,"unit_price":"0.20","location":"B-02"}"#,
    )
    .await;
    let offer = sim.allegro_add_offer(AllegroOffer {
        name: "LEGO 3003 Klocek 2x2 czarny".into(),
        price: "0.89".into(),
        stock: 7,
        external_id: None,
        ..AllegroOffer::default()
    });

    let buyer = "<i>Kupujący & \"Syn\"</i>";
    in_window(&env, "allegro-window", async |s: &Session| {
        s.click_css("#nav-settings", WAIT).await?;
        s.wait_for_text("#status-allegro", "Not set", WAIT).await?;

        // Blank fields are caught before anything reaches the keyring.
        s.click_css("#allegro-save", WAIT).await?;
        s.wait_for_text("#allegro-notice", "Fill in: Client ID, Client secret", WAIT).await?;

        let id_input = s.find("#allegro-client-id", WAIT).await?;
        s.type_text(&id_input, &client_id).await?;
        let secret_input = s.find("#allegro-client-secret", WAIT).await?;
        s.type_text(&secret_input, &client_secret).await?;
        s.click_css("#allegro-save", WAIT).await?;
        s.wait_for_text("#allegro-notice", "Saved to the OS keyring. Now link your Allegro account.", WAIT).await?;
        // Saved is not linked: the badge says so.
        s.wait_for_text("#status-allegro", "Not linked", WAIT).await?;
        // No secret stays in the window after a save.
        let values = probe(
            &s,
            "done([document.getElementById('allegro-client-id').value, document.getElementById('allegro-client-secret').value]);",
        )
        .await?;
        assert_eq!(values, json!(["", ""]), "the form keeps what was saved");

        // Link account: Allegro's code is shown big, with the page to approve it on.
        s.click_css("#allegro-link", WAIT).await?;
        let code_el = s.find("#allegro-user-code", WAIT).await?;
        let code = s.text(&code_el).await?.trim().to_string();
        assert!(sim.allegro_user_codes().contains(&code), "the window shows {code:?}, Allegro issued {:?}", sim.allegro_user_codes());
        let href =
            probe(&s, "const a = document.getElementById('allegro-verification-link'); done(a ? a.getAttribute('href') : null);").await?;
        let href = href.as_str().unwrap_or_default().to_string();
        assert!(href.starts_with(&sim.allegro_auth_url) && href.ends_with(&format!("code={code}")), "approval link {href:?}");
        s.wait_for_text("#allegro-notice", "Waiting for you to approve BrickDesk on Allegro…", WAIT).await?;
        // The same page was opened in the browser.
        let deadline = std::time::Instant::now() + WAIT;
        while std::fs::read_to_string(&opened).unwrap_or_default().trim() != href {
            if std::time::Instant::now() > deadline {
                return Err(WdError(format!("the browser was not asked to open {href:?}: {:?}", std::fs::read_to_string(&opened))));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        picture_allegro_card(&s, "allegro-window-code.png").await?;

        // The seller approves on allegro.pl; the window sees it by itself.
        assert!(sim.allegro_answer_device(&code, true), "no device authorisation has the code shown");
        s.wait_for_text("#allegro-notice", "Linked: BrickDesk now reads your Allegro orders.", WAIT).await?;
        s.wait_for_text("#status-allegro", "Linked", WAIT).await?;
        s.wait_for_text("#allegro-environment", "Environment: Allegro (allegro.pl).", WAIT).await?;

        // How often Allegro is read: whole minutes, within the engine's bounds.
        s.wait_for_text("#allegro-interval-now", "Orders and offers are read every 37 minutes.", WAIT).await?;
        let minutes = s.find("#allegro-interval", WAIT).await?;
        s.type_text(&minutes, "1.5").await?;
        s.click_css("#allegro-interval-save", WAIT).await?;
        s.wait_for_text("#allegro-interval-notice", "Enter whole minutes, e.g. 37 (got \"1.5\").", WAIT).await?;
        clear(&s, "#allegro-interval").await?;
        s.type_text(&minutes, "1000").await?;
        s.click_css("#allegro-interval-save", WAIT).await?;
        let refused = wait_for(&s, "#allegro-interval-notice", |t| t.contains("between 1 minute and 12 hours")).await?;
        assert!(refused.contains("60000 s"), "{refused}");
        clear(&s, "#allegro-interval").await?;
        s.type_text(&minutes, "60").await?;
        s.click_css("#allegro-interval-save", WAIT).await?;
        s.wait_for_text("#allegro-interval-notice", "Saved: Allegro is read every hour.", WAIT).await?;
        s.wait_for_text("#allegro-interval-now", "Orders and offers are read every hour.", WAIT).await?;
        assert_eq!(
            probe(&s, "done(document.getElementById('allegro-link-pending') === null);").await?,
            json!(true),
            "the code stays shown"
        );

        // A buyer pays on Allegro; Poll now brings the order into the table, labelled Allegro.
        let form_id = sim.allegro_add_order(AllegroOrder {
            buyer_login: buyer.into(),
            lines: vec![AllegroLine {
                offer_id: "7700001".into(),
                name: "LEGO 3001 czerwony".into(),
                external_id: Some("bd-1".into()),
                quantity: 3,
                price: "1.10".into(),
            }],
            delivery: "Allegro Paczkomaty InPost".into(),
            delivery_cost: "11.99".into(),
            paid: true,
        });
        s.click_css("#nav-orders", WAIT).await?;
        s.click_css("#poll-now", WAIT).await?;
        let row = format!("tr.order-row[data-marketplace='allegro'][data-external-id='{form_id}']");
        s.find(&row, WAIT).await?;
        s.wait_for_text(&format!("{row} td:first-child"), "Allegro", WAIT).await?;

        // Allegro's checkout-form UUID is shortened in the table (it would widen it past the
        // window), whole in the tooltip.
        let number = probe(
            &s,
            &format!(
                "const c = document.querySelector({:?}); done(c ? [c.firstChild.textContent, c.title] : null);",
                format!("{row} td:nth-child(2)")
            ),
        )
        .await?;
        assert_eq!(number, json!([format!("{}…", &form_id[..8]), form_id]), "order number cell");
        // The total the engine stored, to the grosz, in PLN.
        let stored = env.json(&["orders", "list", "--json"], "").await;
        let order = stored.as_array().into_iter().flatten().find(|o| o["external_id"] == form_id.as_str()).cloned().unwrap_or_default();
        assert_eq!((order["marketplace"].as_str(), order["currency"].as_str()), (Some("allegro"), Some("PLN")), "{stored}");
        let total = order["total"].as_str().unwrap_or_default().to_string();
        assert!(total.contains('.'), "total {total:?} is a decimal string");
        s.wait_for_text(&format!("{row} td:nth-child(6)"), &format!("{total} PLN"), WAIT).await?;
        // Buyer text renders as text: no element was made from its markup.
        let cell = probe(
            &s,
            &format!(
                "const c = document.querySelector({:?}); done(c ? [c.innerText, c.children.length] : null);",
                format!("{row} td.buyer")
            ),
        )
        .await?;
        assert_eq!(cell, json!([buyer, 0]), "buyer cell");

        // The order panel names the delivery method.
        s.click_css(&format!("{row} td:first-child"), WAIT).await?;
        s.wait_for_text("#order-delivery", "Delivery: Allegro Paczkomaty InPost", WAIT).await?;
        s.wait_for_text("#order-items tr.item-row td:first-child", "A-01", WAIT).await?;
        let png = s.screenshot().await?;
        std::fs::write(artifacts_dir().join("allegro-window-orders.png"), &png).expect("write screenshot");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");

        // Inventory → Allegro offers: the offer read from Allegro, not linked; the seller links it
        // to lot 2 and from then on the lot's stock is pushed to it.
        s.click_css("#nav-inventory", WAIT).await?;
        s.click_css("#allegro-offers summary", WAIT).await?;
        let offer_row = format!("tr.offer-row[data-offer-id='{offer}']");
        let lot_cell = format!("{offer_row} td.offer-lot");
        let lot_input = format!("{offer_row} .offer-lot-input");
        s.wait_for_text(&lot_cell, "not linked", WAIT).await?;
        s.wait_for_text("#allegro-offers-count", "1, 1 not linked to a lot", WAIT).await?;
        let typed = s.find(&lot_input, WAIT).await?;
        s.type_text(&typed, "#99").await?;
        s.click_css(&format!("{offer_row} .offer-link"), WAIT).await?;
        wait_for(&s, "#allegro-offers-notice", |t| t.starts_with(&format!("Cannot link offer {offer}"))).await?;
        clear(&s, &lot_input).await?;
        let typed = s.find(&lot_input, WAIT).await?;
        s.type_text(&typed, "2").await?;
        // The list is read again on every change to the offers or the inventory (a poll, a push,
        // another process) and its rows drawn anew: what the seller typed stays.
        assert!(sim.allegro_set_offer_price(&offer, "0.95"), "the seller changes the price on allegro.pl");
        env.json(&["poll", "--provider", "allegro", "--json"], "").await;
        s.wait_for_text(&format!("{offer_row} td:nth-child(2)"), "0.95 PLN", WAIT).await?;
        let kept = probe(&s, &format!("done(document.querySelector({lot_input:?}).value);")).await?;
        assert_eq!(kept, json!("2"), "the lot number typed survives the offers list being read again");
        s.click_css(&format!("{offer_row} .offer-link"), WAIT).await?;
        s.wait_for_text(
            "#allegro-offers-notice",
            &format!("Offer {offer} now sells lot #2; its stock follows the lot's available quantity."),
            WAIT,
        )
        .await?;
        wait_for(&s, &lot_cell, |t| t.starts_with("#2") && t.contains("linked by you")).await?;
        // The sync worker pushes the lot's 25 to the offer; the lot's row says so.
        wait_for(&s, "tbody.lot[data-lot-id='2'] span[data-market='allegro']", |t| t == "Allegro ✓").await?;
        assert_eq!(sim.allegro_stock_patches(), vec![(offer.clone(), 25)], "one PATCH with the lot's available quantity");
        // The offers list shows the stock just set, without waiting for the next poll.
        s.click_css("#nav-orders", WAIT).await?;
        s.click_css("#nav-inventory", WAIT).await?;
        s.click_css("#allegro-offers summary", WAIT).await?;
        s.wait_for_text(&format!("{offer_row} td:nth-child(3)"), "25", WAIT).await?;
        // Lot 1 is sold on no offer: no Allegro chip at all (not "not listed").
        assert_eq!(text_of(&s, "tbody.lot[data-lot-id='1'] span[data-market='allegro']").await?, "");
        std::fs::write(artifacts_dir().join("allegro-window-offers.png"), s.screenshot().await?).expect("write screenshot");
        Ok(())
    })
    .await;

    // The window linked through the same OS keyring the CLI reads, and left no secret on disk.
    let status = env.json(&["credentials", "status", "--json"], "").await;
    assert_eq!(status[2], json!({"provider": "allegro", "set": true, "active": true}), "{status}");
    env.assert_no_secret_in_data_dir(&[&client_secret]);
}

/// A picture of the window with the Allegro card at the top: the cards above it step aside while
/// it is taken (the window's screenshot is its top, whatever is scrolled).
async fn picture_allegro_card(s: &Session, name: &str) -> Result<(), WdError> {
    let others =
        "['bricklink-form', 'brickowl-form'].forEach(id => { const f = document.getElementById(id); if (f) f.style.display = SHOW; });";
    probe(s, &format!("{} done(null);", others.replace("SHOW", "'none'"))).await?;
    std::fs::write(artifacts_dir().join(name), s.screenshot().await?).expect("write screenshot");
    probe(s, &format!("{} done(null);", others.replace("SHOW", "''"))).await?;
    Ok(())
}

/// Empties the input `css` the way typing would (Leptos' `bind:value` hears the input event).
async fn clear(s: &Session, css: &str) -> Result<(), WdError> {
    probe(s, &format!("const i = document.querySelector({css:?}); i.value = ''; i.dispatchEvent(new Event('input')); done(null);")).await?;
    Ok(())
}

/// The text of `css`'s element, read in the page (empty when there is none).
async fn text_of(s: &Session, css: &str) -> Result<String, WdError> {
    let v = probe(s, &format!("const e = document.querySelector({css:?}); done(e ? e.innerText.trim() : '');")).await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Waits until `css` shows text for which `ok` holds; returns it.
async fn wait_for(s: &Session, css: &str, ok: impl Fn(&str) -> bool) -> Result<String, WdError> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let t = text_of(s, css).await?;
        if ok(&t) {
            return Ok(t);
        }
        if std::time::Instant::now() > deadline {
            return Err(WdError(format!("{css} never showed what was awaited; last {t:?}")));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_allegro_link_says_so_and_linking_again_works() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("simulator");
    let o = sim.options();
    let mut env = TestEnv::new("allegro-window-refused");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    // No browser: the link in the card is all the seller gets, and that is enough.
    env.extra.push(("BROWSER", "/bin/false".into()));
    in_window(&env, "allegro-window-refused", async |s: &Session| {
        s.click_css("#nav-settings", WAIT).await?;
        let id_input = s.find("#allegro-client-id", WAIT).await?;
        s.type_text(&id_input, &o.allegro_client_id).await?;
        let secret_input = s.find("#allegro-client-secret", WAIT).await?;
        s.type_text(&secret_input, &o.allegro_client_secret).await?;
        s.click_css("#allegro-save", WAIT).await?;
        s.wait_for_text("#status-allegro", "Not linked", WAIT).await?;

        // The seller refuses on Allegro: the card says so in plain words and stays not linked.
        s.click_css("#allegro-link", WAIT).await?;
        let first = wait_for(&s, "#allegro-user-code", |t| !t.is_empty()).await?;
        assert!(sim.allegro_answer_device(&first, false), "no device authorisation has the code shown");
        let said = wait_for(&s, "#allegro-notice", |t| t.contains("not linked")).await?;
        assert!(said.contains("the link was refused on Allegro"), "notice {said:?}");
        assert_eq!(probe(&s, "done(document.querySelector('#allegro-notice[role=alert]') !== null);").await?, json!(true));
        s.wait_for_text("#status-allegro", "Not linked", WAIT).await?;
        picture_allegro_card(&s, "allegro-window-refused.png").await?;

        // Linking again asks Allegro for a new code, and this time the seller approves.
        s.click_css("#allegro-link", WAIT).await?;
        let second = wait_for(&s, "#allegro-user-code", |t| !t.is_empty() && t != first).await?;
        assert!(sim.allegro_answer_device(&second, true), "no device authorisation has the new code");
        s.wait_for_text("#status-allegro", "Linked", WAIT).await?;
        Ok(())
    })
    .await;
}

/// The day's shipping in the window: two paid orders from BrickLink and Allegro are ticked, the
/// pick list walks the bins once for both, both are marked shipped with tracking numbers (Allegro
/// with its carrier), the window's own sync worker tells each marketplace, the table shows them
/// Shipped and the order panel says the marketplace has it; the packing slips show the address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_orders_from_two_marketplaces_are_picked_shipped_and_slipped_in_the_window() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let sim = Sim::start(SimOptions { allegro_device_interval_secs: 1, ..SimOptions::default() }).await.expect("simulator");
    let mut env = TestEnv::new("fulfil-window");
    env.use_sim(&sim.bricklink_url, &sim.brickowl_url);
    env.use_allegro_sim(&sim);
    env.extra.push(("BRICKDESK_POLL_INTERVAL_SECS", "3600".into()));
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    for lot in [
        json!({"item_no":"3001","item_type":"PART","color_id":5,"condition":"N","quantity":40,"unit_price":"0.12","location":"A-10"}),
        json!({"item_no":"3003","item_type":"PART","color_id":11,"condition":"U","quantity":25,"unit_price":"0.20","location":"A-2"}),
    ] {
        env.json(&["inventory", "add", "--json"], &lot.to_string()).await;
    }
    env.set_bricklink_credentials(&sim).await;
    env.link_allegro(&sim).await;
    let bl = sim.bricklink_add_order(brickdesk_sim::SimOrder {
        buyer_name: "Anna Nowak".into(),
        currency: "USD".into(),
        shipping: "2.5000".into(),
        status: "PAID".into(),
        batches: vec![vec![
            brickdesk_tests::sim_part("3001", 5, 'N', 2, "0.1200", "A-10", None),
            brickdesk_tests::sim_part("3003", 11, 'U', 1, "0.2000", "A-2", None),
        ]],
    });
    let form = sim.allegro_add_order(AllegroOrder {
        buyer_login: "Kupujacy_7".into(),
        lines: vec![AllegroLine {
            offer_id: "7700001".into(),
            name: "LEGO 3001 czerwony".into(),
            external_id: Some("bd-1".into()),
            quantity: 3,
            price: "1.10".into(),
        }],
        delivery: "Allegro Kurier DPD".into(),
        delivery_cost: "11.99".into(),
        paid: true,
    });
    env.json(&["poll", "--json"], "").await;
    let orders = env.json(&["orders", "list", "--json"], "").await;
    let id_of = |external: &str| {
        orders.as_array().into_iter().flatten().find(|o| o["external_id"] == external).map(|o| o["id"].to_string()).unwrap_or_default()
    };
    let (bl_id, al_id) = (id_of(&bl.to_string()), id_of(&form));
    assert!(!bl_id.is_empty() && !al_id.is_empty(), "{orders}");

    in_window(&env, "fulfil-window", async |s: &Session| {
        s.click_css("#nav-orders", WAIT).await?;
        let row = |id: &str| format!("tr.order-row[data-order-id='{id}']");
        for id in [&bl_id, &al_id] {
            s.wait_for_text(&format!("{} td.fulfilment", row(id)), "Paid", WAIT).await?;
            s.click_css(&format!("{} input.order-check", row(id)), WAIT).await?;
        }
        s.wait_for_text("#selection-count", "2 selected", WAIT).await?;

        // One walk through the bins: A-2 before A-10, and A-10's pieces for both orders.
        s.click_css("#selection-pick", WAIT).await?;
        s.find("#pick-list-table tr.pick-line", WAIT).await?;
        let lines = probe(
            &s,
            "done([...document.querySelectorAll('#pick-list-table tr.pick-line')].map(r => [r.dataset.location, r.querySelector('td.num').innerText.trim()]));",
        )
        .await?;
        assert_eq!(lines, json!([["A-2", "1"], ["A-10", "5"]]), "the pick list");
        s.click_css("#pick-list-table tr.pick-line[data-location='A-10'] input.pick-line-toggle", WAIT).await?;
        s.wait_for_text("#pick-list-progress", "1 of 2 lines picked", WAIT).await?;
        std::fs::write(artifacts_dir().join("fulfil-window-pick-list.png"), s.screenshot().await?).expect("write screenshot");
        s.click_css("#pick-list-close", WAIT).await?;

        // Both shipped with their tracking numbers; Allegro's needs its carrier.
        s.click_css("#selection-shipped", WAIT).await?;
        let ship_row = |id: &str| format!("#ship-form tr.ship-row[data-order-id='{id}']");
        let bl_tracking = s.find(&format!("{} input.ship-tracking", ship_row(&bl_id)), WAIT).await?;
        s.type_text(&bl_tracking, "00340434161094015902").await?;
        let al_tracking = s.find(&format!("{} input.ship-tracking", ship_row(&al_id)), WAIT).await?;
        s.type_text(&al_tracking, "6123456789").await?;
        let carrier = format!("{} select.ship-carrier", ship_row(&al_id));
        s.find(&format!("{carrier} option[value='DPD']"), WAIT).await?;
        probe(&s, &format!("const c = document.querySelector({carrier:?}); c.value = 'DPD'; c.dispatchEvent(new Event('change')); done(null);"))
            .await?;
        std::fs::write(artifacts_dir().join("fulfil-window-ship.png"), s.screenshot().await?).expect("write screenshot");
        s.click_css("#ship-submit", WAIT).await?;
        for id in [&bl_id, &al_id] {
            s.wait_for_text(&format!("{} td.fulfilment", row(id)), "Shipped", WAIT).await?;
        }
        // The window's sync worker tells both marketplaces.
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let on_bl = sim.bricklink_order(bl).map(|o| (o["status"].clone(), o["shipping"]["tracking_no"].clone()));
            let on_al = sim.allegro_form(&form).map(|f| f["fulfillment"]["status"].clone());
            let shipments = sim.allegro_shipments(&form);
            if on_bl == Some((json!("SHIPPED"), json!("00340434161094015902")))
                && on_al == Some(json!("SENT"))
                && shipments.len() == 1
                && shipments[0]["waybill"] == "6123456789"
            {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(WdError(format!("not told: BrickLink {on_bl:?}, Allegro {on_al:?} {shipments:?}")));
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        s.click_css(&format!("{} td:first-child", row(&bl_id)), WAIT).await?;
        s.wait_for_text("#order-fulfilment-status", "Shipped", WAIT).await?;
        s.wait_for_text("#order-remote", "BrickLink has it", WAIT).await?;
        s.wait_for_text("#order-tracking", "00340434161094015902", WAIT).await?;

        // The packing slips: one per order, with the address to write on the parcel.
        s.click_css("#order-detail-close", WAIT).await?;
        s.click_css("#selection-slips", WAIT).await?;
        let address = wait_for(&s, &format!("#packing-slips article.slip[data-order-id='{bl_id}'] .slip-address"), |t| !t.is_empty()).await?;
        assert!(address.contains("Anna Nowak") && address.contains("Sampletown"), "{address}");
        wait_for(&s, &format!("#packing-slips article.slip[data-order-id='{al_id}'] .slip-method"), |t| t.contains("DPD")).await?;
        std::fs::write(artifacts_dir().join("fulfil-window-slips.png"), s.screenshot().await?).expect("write screenshot");
        Ok(())
    })
    .await;
}

/// A spreadsheet imported in the window: the file chosen, what it would do shown first with the
/// columns as guessed, one column changed in the mapping dialog (the preview follows), then
/// imported; and the lots exported as a file in Downloads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_is_imported_through_the_mapping_dialog() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let mut env = TestEnv::new("files-window");
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    let home = env.data_dir.path().join("home");
    std::fs::create_dir_all(home.join("Downloads")).expect("downloads");
    env.extra.push(("HOME", home.display().to_string()));
    env.extra.push(("XDG_DOWNLOAD_DIR", home.join("Downloads").display().to_string()));
    let csv = env.data_dir.path().join("magazyn.csv");
    std::fs::write(&csv, "Numer;Ilość;Kolor;Uwagi;Cena\n3001;40;5;bez rys;0,12\n3003;7;11;lekko używane;0,08\n3004;x;1;;0,1\n")
        .expect("csv");

    in_window(&env, "files-window", async |s: &Session| {
        s.click_css("#nav-inventory", WAIT).await?;
        s.click_css("#file-import-open", WAIT).await?;
        let input = s.find("#file-import-input", WAIT).await?;
        s.type_text(&input, &csv.display().to_string()).await?;
        wait_for(&s, "#file-import-summary", |t| t.contains("Importing will make 2 new lots") && t.contains("1 row refused")).await?;
        wait_for(&s, "#file-import-refused", |t| t.contains("4") && t.contains("quantity")).await?;
        // "Uwagi" (remarks) was read as the bin; the seller says it is the description.
        let select = "#file-import-columns tr.column-map[data-column='Uwagi'] select.column-field";
        let guessed = probe(&s, &format!("done(document.querySelector({select:?}).value);")).await?;
        assert_eq!(guessed, json!("location"));
        probe(
            &s,
            &format!(
                "const c = document.querySelector({select:?}); c.value = 'description'; c.dispatchEvent(new Event('change')); done(null);"
            ),
        )
        .await?;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let now = probe(&s, &format!("const c = document.querySelector({select:?}); done(c ? c.value : null);")).await?;
            if now == json!("description") {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(WdError(format!("the mapping did not take: {now}")));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        std::fs::write(artifacts_dir().join("files-window-mapping.png"), s.screenshot().await?).expect("write screenshot");
        s.click_css("#file-import-confirm", WAIT).await?;
        wait_for(&s, "#file-import-summary", |t| t.starts_with("Imported: 2 new lots")).await?;
        s.click_css("#file-import-close", WAIT).await?;
        s.wait_for_text("#inventory-count", "2 lots", WAIT).await?;

        // Export: the lots shown, saved in Downloads.
        s.click_css("#file-export", WAIT).await?;
        s.click_css("#export-bsx", WAIT).await?;
        let saved = wait_for(&s, "#files-notice", |t| t.starts_with("Saved to ")).await?;
        let path = saved.trim_start_matches("Saved to ").to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| WdError(format!("{path}: {e}")))?;
        if !(text.contains("<ItemID>3001</ItemID>") && text.contains("<ItemID>3003</ItemID>")) {
            return Err(WdError(format!("the exported file: {text}")));
        }
        Ok(())
    })
    .await;
    let lots = env.json(&["inventory", "list", "--json"], "").await;
    let brick = lots.as_array().into_iter().flatten().find(|l| l["item_no"] == "3001").cloned().unwrap_or_default();
    assert_eq!(
        (brick["description"].clone(), brick["location"].clone(), brick["quantity"].clone()),
        (json!("bez rys"), json!(""), json!(40)),
        "{lots}"
    );
}

/// A first start with no credentials opens the demo as a calm two-store shop: its first orders
/// arrive, every lot is listed on both simulated stores, and the drift check finds nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_opens_calm_with_both_stores_linked() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let mut env = TestEnv::new("demo-calm");
    env.extra.push(("BRICKDESK_DEMO", "1".into()));
    in_window(&env, "demo-calm", async |s: &Session| {
        s.wait_for_text("#demo-badge", "Demo", WAIT).await?;
        s.click_css("#nav-orders", WAIT).await?;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let n = probe(&s, "done(document.querySelectorAll('#orders-table tr.order-row').length);").await?;
            if n.as_u64().unwrap_or(0) >= 3 {
                break;
            }
            if std::time::Instant::now() > deadline {
                return Err(WdError(format!("the demo's first orders did not arrive: {n}")));
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        s.click_css("#nav-inventory", WAIT).await?;
        s.find("#inventory-table tr.lot-row", WAIT).await?;
        let not_listed = probe(&s, "done([...document.querySelectorAll(\".chip[data-status='not-listed']\")].map(c => c.closest('tr').dataset.lotId + ' ' + c.dataset.market));").await?;
        s.click_css("#drift-check", WAIT).await?;
        let drift = wait_for(&s, "#drift-count", |t| t != "not checked" && !t.is_empty()).await?;
        std::fs::write(artifacts_dir().join("demo-calm.png"), s.screenshot().await?).expect("write screenshot");
        if drift != "No differences" || not_listed != json!([]) {
            return Err(WdError(format!("the demo is not calm: drift {drift:?}, not listed {not_listed}")));
        }
        Ok(())
    })
    .await;
}

/// What a seller could trip on in the window as it is now: anything that scrolls or is cut off
/// sideways, and controls without an accessible name; with the page's text and size.
const LOOK: &str = r#"
const desc = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
const seen = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
const wide = [];
if (document.documentElement.scrollWidth > innerWidth + 1) wide.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
for (const e of document.querySelectorAll('*')) {
  const s = getComputedStyle(e);
  if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1) wide.push(desc(e) + ' scrolls sideways (' + e.scrollWidth + ' > ' + e.clientWidth + ')');
}
for (const e of document.querySelectorAll('button, input, select, a[href]')) {
  if (seen(e) && e.getBoundingClientRect().right > innerWidth + 1) wide.push(desc(e) + ' is cut off at ' + Math.round(e.getBoundingClientRect().right));
}
const unnamed = [];
for (const e of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href], progress')) {
  if (!seen(e)) continue;
  const by = e.getAttribute('aria-labelledby');
  const tag = e.tagName.toLowerCase();
  const name = (e.getAttribute('aria-label')
    || (by ? by.split(' ').map(i => (document.getElementById(i) || {}).textContent || '').join(' ') : '')
    || (e.labels ? [...e.labels].map(l => l.textContent).join(' ') : '')
    || (tag === 'button' || tag === 'a' ? e.textContent : '')
    || e.getAttribute('title') || '').trim();
  if (!name) unnamed.push(desc(e));
}
// The window's words only: data (names, colours, buyers) is marked translate=no.
const words = document.body.cloneNode(true);
words.querySelectorAll('[translate=no]').forEach(e => e.remove());
document.documentElement.appendChild(words); words.style.position = 'absolute'; words.style.left = '-99999px';
const text = words.innerText; words.remove();
done({size: [innerWidth, innerHeight], wide, unnamed, text, lang: document.documentElement.lang,
      dark: matchMedia('(prefers-color-scheme: dark)').matches, background: getComputedStyle(document.body).backgroundColor});
"#;

/// English catalogue texts (those Polish words differently) found in `text`, as whole words.
fn english_in(text: &str) -> Vec<String> {
    use brickdesk_i18n::{plain_texts, Lang};
    let polish: Vec<String> = plain_texts(Lang::Pl).into_iter().map(|(_, t)| t).collect();
    let boundary = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    let has = |hay: &str, word: &str| {
        hay.match_indices(word).any(|(at, _)| boundary(hay[..at].chars().next_back()) && boundary(hay[at + word.len()..].chars().next()))
    };
    let mut found = Vec::new();
    for (key, english) in plain_texts(Lang::En) {
        let english = english.trim();
        // Too short to tell, or Polish too (the same word: "Status", "Demo").
        if english.chars().filter(|c| c.is_alphabetic()).count() < 3 || polish.iter().any(|p| has(p, english)) {
            continue;
        }
        if has(text, english) {
            found.push(format!("{key} = {english:?}"));
        }
    }
    found
}

/// Checks the window as it is now (`what` names it in failures); in Polish, also that no English
/// is left. Returns the page's text.
async fn looks_right(s: &Session, what: &str, polish: bool, problems: &mut Vec<String>) -> Result<String, WdError> {
    let v = probe(s, LOOK).await?;
    if v["size"] != json!([1280, 720]) {
        problems.push(format!("{what}: the window is {} rather than 1280×720", v["size"]));
    }
    for (kind, list) in [("sideways", &v["wide"]), ("without an accessible name", &v["unnamed"])] {
        let list = list.as_array().cloned().unwrap_or_default();
        if !list.is_empty() {
            problems.push(format!("{what}: {kind}: {list:?}"));
        }
    }
    let text = v["text"].as_str().unwrap_or_default().to_string();
    if polish {
        let english = english_in(&text);
        if !english.is_empty() {
            problems.push(format!("{what}: English left on a Polish page: {english:?}"));
        }
    }
    let shot = format!("daily-{}.png", what.replace([' ', '→'], "-"));
    std::fs::write(artifacts_dir().join(shot), s.screenshot().await?).expect("write screenshot");
    Ok(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polish_seller_on_a_dark_desktop_meets_a_window_that_fits_and_speaks_polish() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let mut env = TestEnv::new("daily-window");
    env.extra.push(("BRICKDESK_DEMO", "1".into()));
    // A Polish desktop in its dark theme.
    for var in ["LANG", "LC_ALL", "LC_MESSAGES"] {
        env.extra.push((var, "pl_PL.UTF-8".into()));
    }
    env.extra.push(("LANGUAGE", String::new()));
    env.extra.push(("GTK_THEME", "Adwaita:dark".into()));
    in_window(&env, "daily-window", async |s: &Session| {
        let mut problems = Vec::new();
        // The OS's language and theme, from the first frame.
        s.wait_for_text("#nav-orders", "Zamówienia", WAIT).await?;
        let first = probe(&s, LOOK).await?;
        if first["lang"] != "pl" || first["dark"] != true || first["background"] != "rgb(22, 25, 29)" {
            problems.push(format!("not Polish and dark as the OS asks: lang {}, dark {}, background {}", first["lang"], first["dark"], first["background"]));
        }
        // The demo's orders arrive; the status bar says times the short way.
        let deadline = std::time::Instant::now() + WAIT;
        while probe(&s, "done(document.querySelectorAll('#orders-table tr.order-row').length);").await?.as_u64().unwrap_or(0) < 3 {
            if std::time::Instant::now() > deadline {
                return Err(WdError("the demo's first orders did not arrive".into()));
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let bar = text_of(&s, "#status-bar").await?;
        if !bar.contains("ostatnio") || bar.contains("2026-") {
            problems.push(format!("the status bar does not say times relative to now: {bar:?}"));
        }
        looks_right(&s, "orders", true, &mut problems).await?;

        // The keyboard: / to the filter, ↓ to the first order, Enter opens it, Esc closes it.
        s.press(&[(None, "/")]).await?;
        let focused = probe(&s, "done(document.activeElement && document.activeElement.id);").await?;
        if focused != "orders-buyer" {
            problems.push(format!("/ focused {focused} rather than the orders' filter"));
        }
        probe(&s, "document.activeElement.blur(); done(null);").await?;
        s.press(&[(None, "\u{E015}"), (None, "\u{E007}")]).await?;
        s.find("#order-detail", WAIT).await?;
        // A minifigure or a set has no colour (BrickLink's 0, "Not Applicable"): no swatch.
        let lines = probe(&s, "done([...document.querySelectorAll('#order-items tr.item-row')].map(r => [r.querySelector('.item-name') ? r.querySelector('.item-name').textContent : '', r.querySelector('.colour-name').textContent, !!r.querySelector('.swatch:not(.unknown)') || r.querySelector('.colour-label').dataset.colorId === '0']));").await?;
        let named = lines.as_array().is_some_and(|l| !l.is_empty() && l.iter().all(|r| r[0] != "" && r[1] != "" && !r[1].as_str().unwrap_or("#").starts_with('#') && r[2] == true));
        if !named {
            problems.push(format!("the order's lines lack names, colour names or swatches: {lines}"));
        }
        looks_right(&s, "order panel", true, &mut problems).await?;
        s.press(&[(None, "\u{E00C}")]).await?;
        let closed = probe(&s, "setTimeout(() => done(!document.getElementById('order-detail')), 300);").await?;
        if closed != true {
            problems.push("Esc did not close the order panel".into());
        }

        // The day's panels: pick list, ship form, packing slips for the first order.
        s.click_css("#orders-table tr.order-row input.order-check", WAIT).await?;
        for (button, panel, what) in
            [("#selection-pick", "#pick-list", "pick list"), ("#selection-shipped", "#ship-panel", "ship form"), ("#selection-slips", "#packing-slips", "packing slips")]
        {
            s.click_css(button, WAIT).await?;
            s.find(panel, WAIT).await?;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            looks_right(&s, what, true, &mut problems).await?;
            s.press(&[(None, "\u{E00C}")]).await?;
        }

        // Inventory: names, colour names and swatches on the lines (the catalog worker names
        // them in the background), a lot opened.
        s.click_css("#nav-inventory", WAIT).await?;
        s.find("#inventory-table tr.lot-row", WAIT).await?;
        let deadline = std::time::Instant::now() + WAIT * 2;
        loop {
            let rows = probe(&s, "done([...document.querySelectorAll('#inventory-table tr.lot-row')].map(r => [r.querySelector('.item-name') ? r.querySelector('.item-name').textContent : '', r.querySelector('.colour-name') ? r.querySelector('.colour-name').textContent : '', !!r.querySelector('.swatch:not(.unknown)') || (r.querySelector('.colour-label') || {dataset: {}}).dataset.colorId === '0']));").await?;
            let all = rows.as_array().is_some_and(|l| !l.is_empty() && l.iter().all(|r| r[0] != "" && !r[1].as_str().unwrap_or("#").starts_with('#') && r[2] == true));
            if all {
                break;
            }
            if std::time::Instant::now() > deadline {
                problems.push(format!("lots without a name, colour name or swatch: {rows}"));
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        s.click_css("#inventory-table tr.lot-row td.mono", WAIT).await?;
        // Pictures came from the shell's cache (the simulator's image host behind it).
        let pictures = probe(&s, "setTimeout(() => done([...document.querySelectorAll('#inventory-table img.thumb')].map(i => i.complete && i.naturalWidth > 0)), 1500);").await?;
        if !pictures.as_array().is_some_and(|p| !p.is_empty() && p.iter().all(|b| b == true)) {
            problems.push(format!("the inventory's pictures did not load: {pictures}"));
        }
        looks_right(&s, "inventory", true, &mut problems).await?;

        // The catalog drawer over the Catalog page.
        s.click_css("#nav-catalog", WAIT).await?;
        let search = s.find("#catalog-search", WAIT).await?;
        s.type_text(&search, "3001").await?;
        s.click_css("#catalog-search-go", WAIT).await?;
        s.find(".catalog-drawer", WAIT).await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        looks_right(&s, "catalog drawer", true, &mut problems).await?;
        s.press(&[(None, "\u{E00C}")]).await?;

        // Settings: English without a restart, then a forced light theme.
        s.click_css("#nav-settings", WAIT).await?;
        looks_right(&s, "settings", true, &mut problems).await?;
        probe(&s, "const l = document.getElementById('display-language'); l.value = 'en'; l.dispatchEvent(new Event('change')); done(null);").await?;
        s.wait_for_text("#nav-orders", "Orders", WAIT).await?;
        s.find("#page-settings", WAIT).await?;
        probe(&s, "const t = document.getElementById('display-theme'); t.value = 'light'; t.dispatchEvent(new Event('change')); done(null);").await?;
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let bg = probe(&s, "done(getComputedStyle(document.body).backgroundColor);").await?;
            if bg == "rgb(246, 245, 242)" {
                break;
            }
            if std::time::Instant::now() > deadline {
                problems.push(format!("Settings → Light left the background {bg}"));
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        looks_right(&s, "settings in English", false, &mut problems).await?;
        // Ctrl+R polls now (and does not reload the window: the page keeps its place).
        s.press(&[(Some("\u{E009}"), "r")]).await?;
        s.find("#page-settings", WAIT).await?;

        // Polish chosen in Settings: every page speaks it at once.
        probe(&s, "const l = document.getElementById('display-language'); l.value = 'pl'; l.dispatchEvent(new Event('change')); done(null);").await?;
        s.wait_for_text("#nav-settings", "Ustawienia", WAIT).await?;
        for (nav, page, what) in [
            ("#nav-settings", "#page-settings", "settings chosen Polish"),
            ("#nav-orders", "#page-orders", "orders chosen Polish"),
            ("#nav-inventory", "#page-inventory", "inventory chosen Polish"),
            ("#nav-catalog", "#page-catalog", "catalog chosen Polish"),
        ] {
            s.click_css(nav, WAIT).await?;
            s.find(page, WAIT).await?;
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            looks_right(&s, what, true, &mut problems).await?;
        }

        if problems.is_empty() {
            Ok(())
        } else {
            Err(WdError(format!("{} problems:\n{}", problems.len(), problems.join("\n"))))
        }
    })
    .await;
}
