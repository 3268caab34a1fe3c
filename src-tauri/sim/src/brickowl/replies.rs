//! What the fake BrickOwl answers when it refuses or simply succeeds: `{"error": …}` with the HTTP
//! status, `{"status": "success"}`, and the texts of the statuses faults inject.

use serde_json::json;

use crate::http::Reply;

pub(super) fn err(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

pub(super) fn success() -> Reply {
    Reply::json(200, &json!({ "status": "success" }))
}

/// Text for `Fault::Status` bodies.
pub(crate) fn status_text(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        401 => "Invalid API Key",
        403 => "Permission denied",
        404 => "Not found",
        429 => "Rate limit exceeded",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}
