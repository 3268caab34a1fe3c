//! What the fake BrickLink answers: the HTTP-200 envelope with its `meta.code`, the error
//! replies every endpoint shares, and BrickLink's timestamps.

use serde_json::{json, Value};

use crate::http::Reply;

pub(super) fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()).unwrap_or_default()
}

pub(super) fn envelope(code: i64, message: &str, description: &str, data: Option<Value>) -> Reply {
    let mut body = json!({ "meta": { "description": description, "message": message, "code": code } });
    if let Some(data) = data {
        body["data"] = data;
    }
    let mut reply = Reply::json(200, &body);
    reply.meta_code = Some(code);
    reply
}

pub(super) fn ok(data: Value) -> Reply {
    envelope(200, "OK", "OK", Some(data))
}

pub(super) fn error(code: i64, message: &str, description: &str) -> Reply {
    envelope(code, message, description, None)
}

pub(super) fn oauth_error(description: &str) -> Reply {
    error(401, "BAD_OAUTH_REQUEST", description)
}

pub(super) fn bad(description: &str) -> Reply {
    error(400, "PARAMETER_MISSING_OR_INVALID", description)
}

pub(super) fn unparseable(field: &str) -> Reply {
    bad(&format!("Unparseable value or field: [{field}]"))
}

pub(super) fn not_found(what: &str) -> Reply {
    error(404, "RESOURCE_NOT_FOUND", &format!("RESOURCE_NOT_FOUND: {what}"))
}

/// `Fault::Status(code)`: HTTP 200 with the envelope BrickLink would send for that code.
pub(crate) fn status_fault(code: u16) -> Reply {
    let (message, description) = match code {
        400 => ("PARAMETER_MISSING_OR_INVALID", "PARAMETER_MISSING_OR_INVALID: injected"),
        401 => ("BAD_OAUTH_REQUEST", "TOKEN_IP_MISMATCHED: consumer: DEMO, IP: 127.0.0.1"),
        403 => ("PERMISSION_DENIED", "PERMISSION_DENIED: injected"),
        404 => ("RESOURCE_NOT_FOUND", "RESOURCE_NOT_FOUND: injected"),
        405 => ("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED: injected"),
        415 => ("UNSUPPORTED_MEDIA_TYPE", "UNSUPPORTED_MEDIA_TYPE: injected"),
        422 => ("RESOURCE_UPDATE_NOT_ALLOWED", "RESOURCE_UPDATE_NOT_ALLOWED: injected"),
        429 => ("TOO_MANY_REQUESTS", "API_LIMIT_EXCEEDED: daily call limit reached"),
        500 => ("INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR: An internal error has occurred"),
        502..=504 => ("SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE: injected"),
        _ => ("ERROR", "ERROR: injected"),
    };
    error(i64::from(code), message, description)
}
