//! The About section's commands and start-at-login: facts about this build and installation, the
//! log folder opened in the desktop's file manager, and the autostart entry (Tauri's autostart
//! plugin: an XDG `~/.config/autostart/BrickDesk.desktop` on Linux that starts BrickDesk with
//! `--autostart`, which keeps the window hidden in the tray).

use std::path::PathBuf;

use brickdesk_ipc::{CommandError, ErrorCode};
use tauri::State;
use tauri_plugin_autostart::AutoLaunchManager;
use tauri_plugin_opener::OpenerExt;

/// The argument the autostart entry passes: start in the tray, window hidden.
pub const AUTOSTART_ARG: &str = "--autostart";

/// The git commit this binary was built from (`build.rs`), or "unknown" outside a git checkout.
pub const BUILD_COMMIT: &str = env!("BRICKDESK_BUILD_COMMIT");

/// Where this process writes its logs (the seller's data dir, also while the demo is shown).
pub struct LogDir(pub PathBuf);

/// Whether this start came from the autostart entry.
pub fn started_at_login() -> bool {
    std::env::args().skip(1).any(|a| a == AUTOSTART_ARG)
}

#[tauri::command]
pub fn app_build_commit() -> String {
    BUILD_COMMIT.to_owned()
}

#[tauri::command]
pub fn open_log_folder(app: tauri::AppHandle, log_dir: State<'_, LogDir>) -> Result<(), CommandError> {
    let dir = log_dir.0.display().to_string();
    app.opener()
        .open_path(&dir, None::<&str>)
        .map_err(|e| CommandError { code: ErrorCode::Internal, message: format!("cannot open the log folder {dir}: {e}") })
}

#[tauri::command]
pub fn autostart_status(autostart: State<'_, AutoLaunchManager>) -> Result<bool, CommandError> {
    autostart.is_enabled().map_err(autostart_error)
}

/// Turns start-at-login on or off and answers the state it is in afterwards.
#[tauri::command]
pub fn autostart_set(autostart: State<'_, AutoLaunchManager>, enabled: bool) -> Result<bool, CommandError> {
    if enabled {
        autostart.enable().map_err(autostart_error)?;
    } else {
        autostart.disable().map_err(autostart_error)?;
    }
    autostart.is_enabled().map_err(autostart_error)
}

fn autostart_error(e: tauri_plugin_autostart::Error) -> CommandError {
    CommandError { code: ErrorCode::Config, message: format!("cannot change start at login: {e}") }
}
