//! Conversions from engine types into `brickdesk-ipc` wire shapes: the only place that decides
//! what crosses IPC or prints as CLI JSON, and how engine errors look to the outside.

use brickdesk_ipc::{CommandError, ErrorCode, Provider};

use crate::error::Error;

impl Error {
    /// The stable code for this error (scripts and the UI match on it).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::Config { .. } => ErrorCode::Config,
            Error::Keyring { .. } | Error::CorruptCredentials { .. } => ErrorCode::Keyring,
            Error::Storage(_)
            | Error::Migration { .. }
            | Error::Backup { .. }
            | Error::SchemaTooNew { .. }
            | Error::Inconsistent { .. } => ErrorCode::Storage,
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

/// What a refused "Test connection" means, in the seller's words, with what to do about it.
pub fn explain_connection_error(provider: Provider, e: &crate::marketplaces::MarketError) -> String {
    use crate::marketplaces::MarketError as M;
    let name = provider.display_name();
    match e {
        M::Unauthorized { detail, .. } if detail.contains("TOKEN_IP_MISMATCHED") => format!(
            "{name} refused the access token because it is registered for another IP address (your internet address changed). \
             On bricklink.com open My API → Access Tokens, register a token for IP 0.0.0.0 (any address), and paste its token value and secret here."
        ),
        M::Unauthorized { detail, .. } if detail.contains("SIGNATURE_INVALID") => format!(
            "{name} could not verify the request: one of the four values is wrong. Copy the consumer key and secret and the token value and secret \
             from My API again (no spaces before or after)."
        ),
        M::Unauthorized { detail, .. } if detail.contains("CONSUMER_KEY_UNKNOWN") || detail.contains("TOKEN_VALUE_UNKNOWN") => {
            format!("{name} does not know this consumer key or token value: copy both from My API again.")
        }
        M::Unauthorized { .. } if provider == Provider::Brickowl => format!(
            "{name} refused the API key. Copy it again from My Account → API Keys, and make sure the key has the order and inventory permissions."
        ),
        M::Unauthorized { .. } => format!("{name} refused the credentials: check each value and save them again."),
        M::NotConfigured { .. } => format!("{name} has no saved credentials yet: fill in the form and save first."),
        M::NotLinked { .. } => format!("{name} is not linked to your account (or the link expired): press Link account and approve BrickDesk on {name}."),
        M::TokenRejected { .. } => format!("{name} refused BrickDesk's access: link the account again."),
        M::Transport { .. } => format!("{name} could not be reached: check this computer's internet connection, then test again."),
        M::Server { .. } => format!("{name} is having trouble right now (a server error): your credentials may be fine; test again later."),
        M::RateLimited { .. } => format!("{name} asks BrickDesk to slow down: test again in a minute."),
        M::BudgetExhausted { .. } => format!("BrickDesk has used today's {name} call budget: it frees up as the 24 hours roll on."),
        M::StaleTimestamp { .. } => "BrickLink refused the request time: check that this computer's clock is right.".into(),
        M::Rejected { .. } | M::Decode { .. } => format!("{name} answered, but not as expected: see the detail below."),
    }
}

#[cfg(test)]
mod connection_tests {
    use super::*;
    use crate::marketplaces::MarketError;

    #[test]
    fn the_usual_refusals_are_explained_with_what_to_do() {
        let unauthorized = |p, detail: &str| MarketError::Unauthorized { marketplace: p, detail: detail.into() };
        let ip = explain_connection_error(
            Provider::Bricklink,
            &unauthorized(Provider::Bricklink, "401 BAD_OAUTH_REQUEST: TOKEN_IP_MISMATCHED: consumer: *** IP: 1.2.3.4"),
        );
        assert!(ip.contains("another IP address") && ip.contains("0.0.0.0"), "{ip}");
        let sig =
            explain_connection_error(Provider::Bricklink, &unauthorized(Provider::Bricklink, "401 BAD_OAUTH_REQUEST: SIGNATURE_INVALID"));
        assert!(sig.contains("one of the four values is wrong"), "{sig}");
        let key = explain_connection_error(Provider::Brickowl, &unauthorized(Provider::Brickowl, "Invalid API key"));
        assert!(key.contains("API Keys") && key.contains("permissions"), "{key}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
