//! The engine's typed errors. Variants say what the caller does next; `engine/views.rs` turns them into
//! `ipc::CommandError` in one place.

use brickdesk_ipc::Provider;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Seller input was wrong: fix the named field and try again.
    #[error("invalid {what}: {detail}")]
    InvalidInput { what: String, detail: String },

    /// The environment or data directory is unusable.
    #[error("configuration {what}: {detail}")]
    Config { what: String, detail: String },

    /// The OS keyring could not be reached or refused: start/unlock the keyring and retry.
    #[error("OS keyring ({action} {provider}): {source}")]
    Keyring {
        action: &'static str,
        provider: Provider,
        #[source]
        source: keyring::Error,
    },

    /// Stored credentials exist but cannot be read as BrickDesk wrote them: set them again.
    #[error("stored {provider} credentials are unreadable; set them again ({detail})")]
    CorruptCredentials { provider: Provider, detail: String },

    /// The local database failed.
    #[error("database: {0}")]
    Storage(#[from] rusqlite::Error),

    /// A migration could not be applied; the database was left at the previous version.
    #[error("database migration {version} ({name}) failed: {source}")]
    Migration {
        version: usize,
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    /// The database could not be copied aside before a migration; it was left as it was.
    #[error("cannot back up the database to {path} before upgrading it; nothing was changed: {source}")]
    Backup {
        path: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    /// The database was written by a newer BrickDesk.
    #[error("database {path} is at schema version {found}, this BrickDesk knows up to {known}; upgrade BrickDesk")]
    SchemaTooNew { path: String, found: i64, known: usize },

    /// No such record (an order or lot id that does not exist).
    #[error("no {what} with id {id}")]
    NotFound { what: String, id: String },

    /// A marketplace call failed; the variant inside says whether retrying helps.
    #[error(transparent)]
    Market(#[from] crate::marketplaces::MarketError),

    /// Stored numbers disagree with the ledger, so a change was refused rather than guessed at.
    /// `brickdesk-cli doctor` names every such lot.
    #[error("{what} is inconsistent: {detail}")]
    Inconsistent { what: String, detail: String },

    /// A background task died (panicked or was cancelled) before finishing.
    #[error("background task failed: {0}")]
    Task(String),
}

/// What a caller of the gateway gets: the marketplace's answer or why there is none.
pub type CallResult = std::result::Result<serde_json::Value, CallError>;

/// A call failed at the marketplace or in BrickDesk's own bookkeeping.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error(transparent)]
    Market(#[from] crate::marketplaces::MarketError),
    #[error(transparent)]
    Engine(#[from] Error),
}

impl From<CallError> for Error {
    fn from(e: CallError) -> Self {
        match e {
            CallError::Market(m) => Error::Market(m),
            CallError::Engine(e) => e,
        }
    }
}

impl CallError {
    /// See [`crate::marketplaces::MarketError::wait_hint`].
    pub fn wait_hint(&self) -> Option<chrono::Duration> {
        match self {
            CallError::Market(e) => e.wait_hint().and_then(|d| chrono::Duration::from_std(d).ok()),
            CallError::Engine(_) => None,
        }
    }

    pub fn is_retryable(&self) -> bool {
        match self {
            CallError::Market(e) => e.is_retryable(),
            CallError::Engine(_) => true,
        }
    }
}
