//! The `thumb:` scheme: item pictures for the window, served from the engine's on-disk cache
//! (`thumb://localhost/?u=<BrickLink image address>`). Each request runs on its own task, so a
//! picture being fetched never holds up the window or another picture.

use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::active::Active;

pub(crate) const SCHEME: &str = "thumb";

/// `u`'s value in a query string, percent-decoded.
fn wanted(query: &str) -> Option<String> {
    let value = query.split('&').find_map(|pair| pair.strip_prefix("u="))?;
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'%' => return None,
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn answer(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        // The cache is on disk already; the webview may keep its copy for the session.
        .header(header::CACHE_CONTROL, "max-age=3600")
        .body(body)
        .unwrap_or_else(|_| Response::new(Vec::new()))
}

pub(crate) fn serve<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let engine = ctx.app_handle().state::<Active>().engine();
    let url = request.uri().query().and_then(wanted);
    tauri::async_runtime::spawn(async move {
        let Some(url) = url else {
            responder.respond(answer(StatusCode::BAD_REQUEST, "text/plain", b"no picture asked for".to_vec()));
            return;
        };
        let response = match engine.catalog_image(&url).await {
            Ok(Some(image)) => answer(StatusCode::OK, image.content_type, image.bytes),
            Ok(None) => answer(StatusCode::NOT_FOUND, "text/plain", b"BrickLink has no picture of it".to_vec()),
            Err(e) => {
                tracing::debug!(error = %e, url, "picture unavailable");
                answer(StatusCode::BAD_GATEWAY, "text/plain", e.to_string().into_bytes())
            }
        };
        responder.respond(response);
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_address_is_read_back_from_the_query() {
        assert_eq!(
            super::wanted("u=https%3A%2F%2Fimg.bricklink.com%2FPL%2F3001.jpg").as_deref(),
            Some("https://img.bricklink.com/PL/3001.jpg")
        );
        assert_eq!(super::wanted("x=1&u=a%20b").as_deref(), Some("a b"));
        assert_eq!(super::wanted("u=%zz"), None);
        assert_eq!(super::wanted("u=%2"), None);
        assert_eq!(super::wanted("v=1"), None);
    }
}
