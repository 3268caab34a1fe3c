//! Logging through `tracing`: a daily-rotating file in `<data dir>/logs` (last 14 kept) plus
//! stderr. Nothing secret is ever a field of a log event: credentials are `Secret`s.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

use crate::error::{Error, Result};

/// Log lines waiting for the file writer at most (32 bytes of queue each).
const LOG_QUEUE_LINES: usize = 4_096;

/// Installs the global subscriber. Keep the guard alive for the life of the process: dropping it
/// flushes the file.
pub fn init(log_dir: &Path, file_prefix: &str, stderr: bool) -> Result<WorkerGuard> {
    std::fs::create_dir_all(log_dir)
        .map_err(|e| Error::Config { what: "log directory".into(), detail: format!("cannot create {}: {e}", log_dir.display()) })?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(file_prefix)
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)
        .map_err(|e| Error::Config { what: "log file".into(), detail: e.to_string() })?;
    // The queue between the logging threads and the file writer is allocated and touched in full
    // up front: tracing-appender's default of 128,000 lines was 4 MB resident for the life of every
    // process. A few thousand lines are seconds of the busiest logging BrickDesk does; past that,
    // lines are dropped (and counted) rather than blocking a worker on a slow disk, as before.
    let (writer, guard) =
        tracing_appender::non_blocking::NonBlockingBuilder::default().buffered_lines_limit(LOG_QUEUE_LINES).lossy(true).finish(appender);
    let filter = EnvFilter::try_from_env("BRICKDESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file_layer = fmt::layer().with_ansi(false).with_writer(writer);
    let stderr_layer = stderr.then(|| fmt::layer().with_writer(std::io::stderr));
    // A second init in the same process (tests) keeps the first subscriber.
    let _already_set = tracing_subscriber::registry().with(filter).with(file_layer).with(stderr_layer).try_init();
    Ok(guard)
}
