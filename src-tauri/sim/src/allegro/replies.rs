//! How the fake Allegro answers: the vendor media type every REST answer carries (and every body
//! sent to it must be declared as), errors in Allegro's `{"errors":[…]}` shape and the auth
//! layer's `{"error", "error_description"}`, its timestamps, and the reply an injected
//! `Fault::Status` sends.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::http::{Reply, Req};

pub(crate) const VENDOR_TYPE: &str = "application/vnd.allegro.public.v1+json";

/// Allegro's REST error shape (allegro.md §6).
pub(crate) fn errors(status: u16, code: &str, message: &str, path: Option<&str>) -> Reply {
    Reply::json(status, &json!({"errors": [{"code": code, "message": message, "details": null, "path": path, "userMessage": message}]}))
}

/// The auth layer's shape (`{"error": …, "error_description": …}`).
pub(super) fn auth_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(status, &json!({"error": error, "error_description": description}))
}

/// Allegro's timestamps: RFC 3339 in UTC with milliseconds (`2024-03-01T10:00:00.000Z`).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Vendor JSON (every REST answer carries the vendor media type).
pub(crate) fn vendor(status: u16, value: &Value) -> Reply {
    let mut r = Reply::json(status, value);
    r.content_type = VENDOR_TYPE;
    r
}

/// `204 No Content`: a change carried out with nothing to answer.
pub(crate) fn no_content() -> Reply {
    let mut r = vendor(204, &Value::Null);
    r.body.clear();
    r
}

/// A request body must be declared as the vendor media type: anything else is 415
/// `UnsupportedMediaTypeException`, as Allegro's gateway answers a plain `application/json` body.
pub(crate) fn unsupported_body(req: &Req) -> Option<Reply> {
    let ct = req.header("content-type").unwrap_or("");
    (ct.split(';').next().map(str::trim) != Some(VENDOR_TYPE))
        .then(|| errors(415, "UnsupportedMediaTypeException", &format!("Content type '{ct}' not supported. Use '{VENDOR_TYPE}'"), None))
}

/// The request body as JSON, or 400 when it is not JSON.
pub(crate) fn json_body(req: &Req) -> Result<Value, Reply> {
    serde_json::from_slice(&req.body).map_err(|_| errors(400, "JSON_PARSE_ERROR", "The request body is not valid JSON", None))
}

pub(crate) fn status_fault(code: u16) -> Reply {
    match code {
        401 => auth_error(401, "invalid_token", "Invalid access token"),
        429 => errors(429, "TooManyRequestsException", "Too many requests", None),
        c if c >= 500 => errors(c, "InternalServerErrorException", "Internal server error", None),
        c => errors(c, "ValidationException", "Request refused", None),
    }
}
