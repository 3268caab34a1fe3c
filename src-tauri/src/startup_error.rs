//! When BrickDesk cannot start (its data is unusable, or was written by a newer BrickDesk), the
//! seller sees why in a window instead of an app that never appears: a small static page
//! (`ui/static/startup-error.html`) whose text is handed over by an initialization script. No
//! engine, tray or commands run; closing the window ends the process with exit code 1.

use std::process::ExitCode;

use brickdesk_engine::Error;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// A title and the words under it, for the seller.
pub struct StartupError {
    pub title: String,
    pub detail: String,
}

impl StartupError {
    pub fn from_engine(e: &Error) -> StartupError {
        let title = match e {
            Error::SchemaTooNew { .. } => {
                "Your BrickDesk data was written by a newer version of BrickDesk. It was not changed. \
                 Install that version (or a newer one) again to use it."
            }
            Error::Backup { .. } => "BrickDesk could not back up your data before upgrading it, so it did not upgrade it.",
            _ => "BrickDesk cannot open its data.",
        };
        StartupError { title: title.to_owned(), detail: e.to_string() }
    }

    pub fn other(title: &str, detail: impl std::fmt::Display) -> StartupError {
        StartupError { title: title.to_owned(), detail: detail.to_string() }
    }
}

/// Shows `error` in BrickDesk's main window until the seller closes it; also on stderr.
pub fn show(error: StartupError) -> ExitCode {
    eprintln!("brickdesk: {} {}", error.title, error.detail);
    let text = serde_json::json!({ "title": error.title, "detail": error.detail }).to_string();
    let mut context = tauri::generate_context!("../tauri.conf.json");
    // Only this window: not the app's main window from tauri.conf.json.
    context.config_mut().app.windows.clear();
    let result = tauri::Builder::default()
        .setup(move |app| {
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("startup-error.html".into()))
                .title("BrickDesk — cannot start")
                .inner_size(640.0, 300.0)
                .initialization_script(format!("window.__BRICKDESK_STARTUP_ERROR = {text};"))
                .build()?;
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        eprintln!("brickdesk: cannot show the error window: {e}");
    }
    ExitCode::from(1)
}
