//! Demo mode: with no credentials in the keyring, BrickDesk runs on the simulated BrickLink and
//! BrickOwl stores of `brickdesk-sim`, on 127.0.0.1, through exactly the same engine code path.
//! Its data lives in `<data dir>/demo/`, apart from the seller's real data.

use std::sync::Arc;
use std::time::Duration;

use brickdesk_engine::engine::CredentialSource;
use brickdesk_engine::{Config, Engine};
use brickdesk_ipc::Provider;
use brickdesk_sim::Sim;

/// How often the simulated stores receive a new order.
const ORDER_EVERY: Duration = Duration::from_secs(60);

/// Whether to run the demo: forced by `BRICKDESK_DEMO=1`, else when no credentials are set.
pub fn wanted(engine: &Engine) -> bool {
    match std::env::var("BRICKDESK_DEMO").ok().as_deref() {
        Some("1") | Some("true") => return true,
        Some("0") | Some("false") => return false,
        _ => {}
    }
    match tauri::async_runtime::block_on(engine.credentials_status()) {
        Ok(statuses) => statuses.iter().all(|s| !s.set),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the keyring; starting the demo store");
            true
        }
    }
}

/// Starts the simulated stores and an engine pointed at them. Keep the returned `Sim` alive.
pub fn start(config: &Config) -> Result<(Engine, Arc<Sim>), String> {
    use tauri::async_runtime::block_on;
    let sim = Arc::new(block_on(brickdesk_sim::demo::start_demo()).map_err(|e| format!("cannot start the demo store: {e}"))?);
    let options = sim.options();
    let bl = &options.bricklink;
    let creds =
        CredentialSource::from_plain([&bl.consumer_key, &bl.consumer_secret, &bl.token_value, &bl.token_secret], &options.brickowl_api_key);
    let mut demo_config = config.clone();
    demo_config.data_dir = config.data_dir.join("demo");
    // The simulated stores start afresh each launch (their order ids too), so the demo's data does.
    for file in ["brickdesk.sqlite3", "brickdesk.sqlite3-wal", "brickdesk.sqlite3-shm"] {
        match std::fs::remove_file(demo_config.data_dir.join(file)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot reset the demo data in {}: {e}", demo_config.data_dir.display())),
        }
    }
    demo_config.bricklink_url = sim.bricklink_url.clone();
    demo_config.bricklink_images_url = sim.bricklink_images_url.clone();
    demo_config.brickowl_url = sim.brickowl_url.clone();
    demo_config.demo = true;
    // The demo's stores take an order a minute: poll as often, unless the seller chose an interval.
    if std::env::var_os("BRICKDESK_POLL_INTERVAL_SECS").is_none() {
        demo_config.poll_interval = ORDER_EVERY;
    }
    let engine = Engine::open_with(demo_config, creds).map_err(|e| e.to_string())?;
    // The demo's local stock mirrors its simulated stores, as a seller's first imports would: both
    // linked, and the lots BrickOwl lacks listed there, so the demo opens as a calm two-store shop.
    match block_on(engine.inventory_import(Provider::Bricklink)) {
        Ok(r) => tracing::info!(imported = r.new, "demo inventory ready"),
        Err(e) => tracing::warn!(error = %e, "demo inventory import failed"),
    }
    match block_on(engine.inventory_import(Provider::Brickowl)) {
        Ok(r) => tracing::info!(linked = r.linked, "demo BrickOwl store linked"),
        Err(e) => tracing::warn!(error = %e, "demo BrickOwl import failed"),
    }
    match block_on(engine.sync_publish(Provider::Brickowl, false)) {
        Ok(r) => tracing::info!(listed = r.listed, "demo lots listed on BrickOwl"),
        Err(e) => tracing::warn!(error = %e, "demo BrickOwl listing failed"),
    }
    // Spawned inside the runtime; dropping the handle detaches the task, which runs for the app's life.
    block_on(async { drop(brickdesk_sim::demo::spawn_order_generator(Arc::clone(&sim), ORDER_EVERY)) });
    Ok((engine, sim))
}
