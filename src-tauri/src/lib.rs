//! BrickDesk's desktop shell: a thin Tauri v2 layer over `brickdesk-engine`.
//!
//! It owns the window, the tray icon, single-instance handling, OS notifications, demo mode and
//! the bridge that forwards `EngineEvent`s to the webview. Everything else is the engine's.

mod about;
mod active;
mod bridge;
mod commands;
mod demo;
mod speech;
mod startup_error;
mod thumbs;

use std::process::ExitCode;
use std::sync::Arc;

use brickdesk_engine::{logging, Config, Engine};
use brickdesk_sim::Sim;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};
use tauri_plugin_window_state::StateFlags;

use crate::about::LogDir;
use crate::active::Active;
use crate::bridge::{TrayItems, TRAY};
use crate::startup_error::StartupError;

const MAIN_WINDOW: &str = "main";

pub fn run() -> ExitCode {
    software_compositing();
    fewer_heap_arenas();
    // Whatever stops the start is shown in a window too: a seller who started BrickDesk from the
    // menu sees no terminal.
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return startup_error::show(StartupError::other("BrickDesk's settings are not usable.", e)),
    };
    let _log_guard = match logging::init(&config.log_dir(), "brickdesk", true) {
        Ok(g) => g,
        Err(e) => return startup_error::show(StartupError::other("BrickDesk cannot write its log.", e)),
    };
    let engine = match Engine::open(config.clone()) {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = %e, "cannot open BrickDesk's data");
            return startup_error::show(StartupError::from_engine(&e));
        }
    };
    let hidden = about::started_at_login();
    let window_state_file = config.data_dir.join("window-state.json").display().to_string();
    let log_dir = config.log_dir();
    let result = tauri::Builder::default()
        // Must be the first plugin: a second launch focuses the running window and exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| show_main_window(app)))
        .plugin(tauri_plugin_notification::init())
        // Size, position and maximized, kept in the data dir (never visibility: the window may
        // have been hidden in the tray when BrickDesk quit).
        .plugin(
            tauri_plugin_window_state::Builder::new()
                .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
                .with_filename(window_state_file)
                .build(),
        )
        .plugin(tauri_plugin_autostart::Builder::new().app_name("BrickDesk").arg(about::AUTOSTART_ARG).build())
        .plugin(tauri_plugin_opener::init())
        .register_asynchronous_uri_scheme_protocol(thumbs::SCHEME, thumbs::serve)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::credentials_status,
            commands::credentials_set_bricklink,
            commands::credentials_set_brickowl,
            commands::credentials_set_allegro,
            commands::allegro_link_start,
            commands::allegro_link_wait,
            commands::allegro_offers,
            commands::allegro_link,
            commands::allegro_settings,
            commands::allegro_set_poll_interval,
            commands::credentials_delete,
            commands::credentials_test,
            commands::orders_list,
            commands::orders_show,
            commands::orders_mark_seen,
            commands::orders_pick,
            commands::orders_set_status,
            commands::orders_pick_list,
            commands::orders_short,
            commands::allegro_carriers,
            commands::fulfilment_settings,
            commands::inventory_import_file,
            commands::inventory_export_file,
            commands::sync_publish,
            commands::set_fulfilment_settings,
            commands::display_settings,
            commands::set_display_settings,
            commands::inventory_list,
            commands::inventory_page,
            commands::orders_page,
            commands::inventory_import,
            commands::inventory_add,
            commands::inventory_update,
            commands::inventory_delete,
            commands::sync_retry,
            commands::sync_reconcile,
            commands::sync_drift,
            commands::sync_resolve,
            commands::inbox_list,
            commands::inbox_retry,
            commands::status,
            commands::poll_now,
            commands::catalog_part,
            commands::catalog_refresh_now,
            commands::catalog_recent,
            commands::catalog_colors,
            about::app_build_commit,
            about::open_log_folder,
            about::autostart_status,
            about::autostart_set,
        ])
        .setup(move |app| {
            // Past the single-instance plugin: a second launch has handed over and exited by now,
            // so choosing (and resetting) the demo store cannot touch a running window's data.
            let (shown, demo_store) = choose_store(engine.clone(), &config);
            tracing::info!(data_dir = %shown.config().data_dir.display(), demo = shown.config().demo, "starting BrickDesk");
            if let Some(sim) = demo_store {
                // Managed state lives as long as the app: so do the demo's simulated servers.
                app.manage(sim);
            }
            // Starts the shown engine's workers and its bridge to the window.
            app.manage(Active::start(app.handle(), engine.clone(), shown));
            app.manage(LogDir(log_dir));
            build_tray(app.handle())?;
            // The window is created hidden (tauri.conf.json) so that a start at login stays in
            // the tray; any other start shows it.
            if hidden {
                tracing::info!("started at login: the window stays in the tray");
            } else {
                show_main_window(app.handle());
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps BrickDesk running in the tray (pollers go on); Quit exits.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().tray_by_id(TRAY).is_some() {
                    api.prevent_close();
                    if let Err(e) = window.hide() {
                        tracing::warn!(error = %e, "cannot hide the window");
                    }
                }
            }
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "BrickDesk stopped with an error");
            eprintln!("brickdesk: {e}");
            ExitCode::from(1)
        }
    }
}

/// WebKitGTK draws the page without accelerated compositing unless the seller's environment says
/// otherwise (`WEBKIT_DISABLE_COMPOSITING_MODE=0` gives it back). A table app gains nothing from
/// the GPU path, and on machines without a GPU (virtual machines, Xvfb) WebKit composites through
/// Mesa's software GL: measured at 100,000 lots (release, Xvfb) the web process went from 271–284
/// to 142–143 MB PSS, app start to the first orders from 0.94–1.23 s to 0.61 s and Inventory's
/// first rows from 0.31 s to 0.12–0.13 s. WebKit reads the variable when it starts (the UI process)
/// and passes it on to its web process, so it is set before anything else runs.
fn software_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Still one thread: nothing else reads the environment yet.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// glibc gives every thread that allocates its own heap arena, up to 8 per core, and keeps freed
/// memory in each: the window's process (tokio's worker and blocking threads, GTK's and WebKit's)
/// spread its heap over a dozen arenas. Two are plenty for a process that is idle most of the time:
/// at 100,000 lots (release, after the store's idle release) its arenas held 3.3 MiB, then 1.1 MiB
/// (the process's anonymous memory 34.7–36.6 → 33.0–34.2 MiB). Set before any thread exists.
fn fewer_heap_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of glibc's allocator; called while the process has one
    // thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// The seller's store, or the demo store and its simulated servers when there are no credentials
/// (see `demo::wanted`).
fn choose_store(engine: Engine, config: &Config) -> (Engine, Option<Arc<Sim>>) {
    if !demo::wanted(&engine) {
        return (engine, None);
    }
    match demo::start(config) {
        Ok((demo_engine, sim)) => {
            tracing::info!(bricklink = %sim.bricklink_url, brickowl = %sim.brickowl_url, "no credentials: running the demo store");
            (demo_engine, Some(sim))
        }
        Err(e) => {
            tracing::error!(error = %e, "demo store unavailable");
            (engine, None)
        }
    }
}

fn build_tray(app: &AppHandle) -> tauri::Result<()> {
    // The OS's language until the engine's settings are read (the first status update).
    let words = brickdesk_i18n::Catalogue::new(speech::os_language());
    let open = MenuItem::with_id(app, "open", words.text("tray-open"), true, None::<&str>)?;
    let poll = MenuItem::with_id(app, "poll", words.text("tray-poll"), true, None::<&str>)?;
    let unread = MenuItem::with_id(app, "unread", speech::unread_label(&words, 0), false, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", words.text("tray-quit"), true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &poll, &unread, &separator, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY).tooltip("BrickDesk").menu(&menu).on_menu_event(move |app, event| {
        match event.id.as_ref() {
            "open" => show_main_window(app),
            // Through the engine in use, never into a worker directly.
            "poll" => app.state::<Active>().engine().poll_now(),
            "quit" => app.exit(0),
            _ => {}
        }
    });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayItems { open, poll, unread, quit });
    Ok(())
}

fn show_main_window(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let shown = w.unminimize().and_then(|_| w.show()).and_then(|_| w.set_focus());
        if let Err(e) = shown {
            tracing::warn!(error = %e, "cannot show the main window");
        }
    }
}
