//! BrickLink's authentication: the OAuth 1.0a header checked by `signature.rs`, then the replay
//! rules (a timestamp or nonce is used once per token), each refusal in BrickLink's envelope.

use super::envelope::{error, oauth_error};
use super::signature::{self, Rejection};
use crate::http::{Reply, Req};
use crate::state::State;

/// Verifies the OAuth 1.0a header exactly as BrickLink does and returns the decoded query.
/// The signature check is the simulator's own (`signature.rs`), not the engine's signer.
pub(super) fn authenticate(st: &mut State, req: &Req) -> Result<Vec<(String, String)>, Reply> {
    let Some(header) = req.header("authorization") else {
        return Err(oauth_error("CONSUMER_KEY_UNKNOWN: No Authorization header (oauth_consumer_key missing)"));
    };
    let now = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or(0);
    let host = req.header("host").unwrap_or("");
    let base_url = format!("http://{host}{}", req.path);
    let signature::Verified { query, timestamp, nonce } = signature::verify(
        &st.options.bricklink,
        &req.method,
        &base_url,
        &req.query,
        header,
        now,
        st.options.bricklink_timestamp_window_secs,
    )
    .map_err(rejected)?;
    // Replays: a timestamp or nonce may be used once per token.
    let oldest = now.saturating_sub(st.options.bricklink_timestamp_window_secs + 60);
    st.bl.used_timestamps.retain(|t| *t >= oldest);
    st.bl.used_nonces.retain(|_, t| *t >= oldest);
    if st.bl.used_timestamps.contains(&timestamp) {
        return Err(oauth_error("TIMESTAMP_REUSED: oauth_timestamp already used"));
    }
    if st.bl.used_nonces.contains_key(&nonce) {
        return Err(oauth_error("TIMESTAMP_REUSED: oauth_nonce already used with this token and TIMESTAMP"));
    }
    st.bl.used_timestamps.insert(timestamp);
    st.bl.used_nonces.insert(nonce, timestamp);
    Ok(query)
}

/// BrickLink's envelope for each way a signature check fails.
fn rejected(why: Rejection) -> Reply {
    let description = match why {
        Rejection::UnparseableHeader => "BAD_OAUTH_REQUEST: Unparseable Authorization header",
        Rejection::ConsumerKeyUnknown => "CONSUMER_KEY_UNKNOWN: The consumer key is unknown or missing",
        Rejection::TokenUnknown => "TOKEN_VALUE_UNKNOWN: The token value is unknown or missing",
        Rejection::SignatureMethodInvalid => "SIGNATURE_METHOD_INVALID: oauth_signature_method must be HMAC-SHA1",
        Rejection::VersionInvalid => "VERSION_INVALID: oauth_version must be 1.0",
        Rejection::NonceMissing => "NONCE_MISSING: oauth_nonce is required",
        Rejection::TimestampInvalid => "TIMESTAMP_INVALID: oauth_timestamp is missing or not a number",
        Rejection::TimestampExpired => "TIMESTAMP_EXPIRED: oauth_timestamp is too far from the server time",
        Rejection::SignatureInvalid => "SIGNATURE_INVALID: Invalid Signature",
        Rejection::MalformedQuery => return error(400, "INVALID_URI", "INVALID_URI: malformed query string"),
    };
    oauth_error(description)
}
