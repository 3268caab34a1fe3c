//! Conversions from engine types into `brickdesk-ipc` wire shapes: the only place that decides
//! what crosses IPC or prints as CLI JSON, and how engine errors look to the outside.

use brickdesk_ipc::{CommandError, ErrorCode, OrderSummary, Provider};

use crate::error::Error;

impl Error {
    /// The stable code for this error (scripts and the UI match on it).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Config { .. } => ErrorCode::Config,
            Error::Keyring { .. } | Error::CorruptCredentials { .. } => ErrorCode::Keyring,
            Error::Storage(_) | Error::Migration { .. } | Error::SchemaTooNew { .. } | Error::Inconsistent { .. } => ErrorCode::Storage,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Market(_) => ErrorCode::Marketplace,
            Error::Task(_) => ErrorCode::Internal,
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> CommandError {
        CommandError { code: e.code(), message: e.to_string() }
    }
}

/// Title and body of the OS notification for orders that just arrived: one order in detail,
/// several as a summary. Notification servers may render the body as markup, so buyer text is
/// escaped.
pub fn new_orders_notification(orders: &[OrderSummary]) -> (String, String) {
    match orders {
        [o] => (
            format!("New {} order #{}", o.marketplace.display_name(), o.external_id),
            escape_markup(&format!("{} — {} items, {} {}", o.buyer_name, o.pieces, o.total, o.currency)),
        ),
        many => {
            let count = |p: Provider| many.iter().filter(|o| o.marketplace == p).count();
            let parts: Vec<String> =
                Provider::ALL.iter().filter(|p| count(**p) > 0).map(|p| format!("{} {}", count(*p), p.display_name())).collect();
            (format!("{} new orders", many.len()), parts.join(", "))
        }
    }
}

/// The tray's unread line.
pub fn unread_label(unread: i64) -> String {
    match unread {
        0 => "No new orders".into(),
        1 => "1 new order".into(),
        n => format!("{n} new orders"),
    }
}

fn escape_markup(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(m: Provider, id: &str, buyer: &str) -> OrderSummary {
        OrderSummary {
            id: 1,
            marketplace: m,
            external_id: id.into(),
            status: "PENDING".into(),
            buyer_name: buyer.into(),
            date_ordered: "2026-11-23T10:00:00.000Z".into(),
            total: "12.45".into(),
            currency: "EUR".into(),
            pieces: 37,
            lots: 4,
            picked: 0,
            is_new: true,
        }
    }

    #[test]
    fn notification_text_for_one_and_many() {
        let (t, b) = new_orders_notification(&[order(Provider::Bricklink, "21457893", "<b>Anna & Bob</b>")]);
        assert_eq!(t, "New BrickLink order #21457893");
        assert_eq!(b, "&lt;b&gt;Anna &amp; Bob&lt;/b&gt; — 37 items, 12.45 EUR");
        let (t, b) = new_orders_notification(&[
            order(Provider::Bricklink, "1", "a"),
            order(Provider::Brickowl, "2", "b"),
            order(Provider::Bricklink, "3", "c"),
        ]);
        assert_eq!((t.as_str(), b.as_str()), ("3 new orders", "2 BrickLink, 1 BrickOwl"));
        assert_eq!(unread_label(0), "No new orders");
        assert_eq!(unread_label(2), "2 new orders");
    }

    #[test]
    fn engine_errors_become_pinned_command_errors() {
        let e: CommandError =
            Error::InvalidInput { what: "BrickOwl credentials JSON".into(), detail: "field `api_key` is empty".into() }.into();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "invalid_input", "message": "invalid BrickOwl credentials JSON: field `api_key` is empty"})
        );
    }
}
