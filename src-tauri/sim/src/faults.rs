//! What an injected fault answers: the service's own refusal for `Fault::Status`, and the
//! gateway pages, cut bodies and raw bodies that are the same on every service.

use serde_json::json;

use crate::allegro::replies::status_fault as allegro_status_fault;
use crate::bricklink::envelope::status_fault as bricklink_status_fault;
use crate::brickowl::replies::status_text as brickowl_status_text;
use crate::http::Reply;
use crate::types::{Fault, Market};

const NGINX_503: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const NGINX_429: &str = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The response for an injected fault (`TruncatedBody` is applied by the handlers to the real
/// response; here it degrades to a cut JSON prefix).
pub(crate) fn fault_reply(market: Market, fault: &Fault) -> Reply {
    match fault {
        Fault::Status(code) => match market {
            Market::Bricklink => bricklink_status_fault(*code),
            Market::Brickowl => Reply::json(*code, &json!({ "error": brickowl_status_text(*code) })),
            Market::Allegro => allegro_status_fault(*code),
        },
        Fault::GatewayHtml503 => {
            Reply { status: 503, content_type: "text/html", headers: Vec::new(), body: NGINX_503.as_bytes().to_vec(), meta_code: None }
        }
        Fault::TooManyRequests { retry_after_secs } => Reply {
            status: 429,
            content_type: "text/html",
            headers: vec![("retry-after", retry_after_secs.to_string())],
            body: NGINX_429.as_bytes().to_vec(),
            meta_code: None,
        },
        Fault::TruncatedBody => Reply {
            status: 200,
            content_type: "application/json",
            headers: Vec::new(),
            body: b"{\"meta\":{\"descr".to_vec(),
            meta_code: None,
        },
        Fault::Body(body) => {
            Reply { status: 200, content_type: "application/json", headers: Vec::new(), body: body.clone().into_bytes(), meta_code: None }
        }
    }
}
