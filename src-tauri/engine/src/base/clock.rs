//! The engine's notion of "now". Production reads the system clock; tests pin it with
//! `BRICKDESK_NOW` so that backoff, staleness and budgets are deterministic.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// Frozen at this instant (from `BRICKDESK_NOW`).
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// `now()` as stored in SQLite: RFC 3339, UTC, millisecond precision, so text order is time order.
    pub fn now_str(&self) -> String {
        format_ts(self.now())
    }
}

/// The one timestamp format written to the database.
pub fn format_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
