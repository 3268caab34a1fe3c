//! Which engine the window, the tray and the commands talk to. With no credentials BrickDesk opens
//! on the demo store; the first credentials the seller saves switch it to their own store at once:
//! the demo's workers and event bridge stop, the seller's start, and the window refetches
//! everything. Credentials always go through the seller's engine (the keyring is the same).

use std::sync::{PoisonError, RwLock};

use brickdesk_engine::Engine;
use tauri::{AppHandle, Emitter};
use tokio::sync::watch;

pub struct Active {
    /// The seller's own engine: their data dir and the marketplaces' real addresses.
    seller: Engine,
    current: RwLock<Running>,
}

/// An engine whose workers and event bridge run until `stop` says so.
struct Running {
    engine: Engine,
    stop: watch::Sender<bool>,
}

impl Active {
    /// Starts `initial` (the demo's engine, or `seller` itself) and keeps `seller` for credentials.
    pub fn start(app: &AppHandle, seller: Engine, initial: Engine) -> Active {
        let stop = launch(app, &initial);
        Active { seller, current: RwLock::new(Running { engine: initial, stop }) }
    }

    /// The engine in use now (cheap: engines are handles).
    pub fn engine(&self) -> Engine {
        self.current.read().unwrap_or_else(PoisonError::into_inner).engine.clone()
    }

    /// The seller's engine, whatever is shown: where credentials are saved, tested and removed.
    pub fn seller(&self) -> &Engine {
        &self.seller
    }

    /// On the demo, the seller's engine has no bridge to the window: events of its own (a removed
    /// credential) are passed on here.
    pub fn tell_window_if_demo(&self, app: &AppHandle, topic: &str) {
        if self.engine().config().demo {
            if let Err(e) = app.emit(topic, ()) {
                tracing::warn!(error = %e, topic, "cannot ask the window to refetch");
            }
        }
    }

    /// After credentials were saved: if the demo is running, stop it and run the seller's store.
    pub fn leave_demo(&self, app: &AppHandle) {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if !current.engine.config().demo {
            return;
        }
        let _demo_stopping = current.stop.send(true);
        let stop = launch(app, &self.seller);
        *current = Running { engine: self.seller.clone(), stop };
        drop(current);
        tracing::info!(data_dir = %self.seller.config().data_dir.display(), "credentials saved: left the demo for the seller's store");
        // Everything the window shows now comes from another store.
        for topic in ["credentials-changed", "orders-changed", "inventory-changed", "status-changed", "catalog-changed"] {
            if let Err(e) = app.emit(topic, ()) {
                tracing::warn!(error = %e, topic, "cannot ask the window to refetch");
            }
        }
    }
}

/// Runs `engine`'s background workers and its event bridge to the window until the returned
/// sender says stop.
fn launch(app: &AppHandle, engine: &Engine) -> watch::Sender<bool> {
    let (stop, stopped) = watch::channel(false);
    crate::bridge::forward_events(app.clone(), engine, stopped.clone());
    let watcher = engine.clone();
    let watching = stopped.clone();
    // Changes by brickdesk-cli or a daemon next to the window reach it as events too.
    tauri::async_runtime::spawn(async move { watcher.watch_other_processes(watching).await });
    let workers = engine.clone();
    let mut stopped = stopped;
    tauri::async_runtime::spawn(async move {
        let shutdown = async move {
            let _stopped_or_dropped = stopped.wait_for(|s| *s).await;
        };
        if let Err(e) = workers.run(shutdown).await {
            tracing::error!(error = %e, "background workers stopped");
        }
    });
    stop
}
