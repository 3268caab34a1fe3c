//! A minimal W3C WebDriver client over reqwest, enough to drive the real BrickDesk window through
//! `tauri-driver` (which fronts WebKitWebDriver on Linux).

use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    http: reqwest::Client,
    base: String,
    id: String,
}

#[derive(Debug)]
pub struct WdError(pub String);

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type R<T> = Result<T, WdError>;

async fn send(req: reqwest::RequestBuilder, what: &str) -> R<Value> {
    let resp = req.send().await.map_err(|e| WdError(format!("{what}: {e}")))?;
    let status = resp.status();
    let body: Value = resp.json().await.map_err(|e| WdError(format!("{what}: bad JSON: {e}")))?;
    if !status.is_success() {
        return Err(WdError(format!("{what}: HTTP {status}: {body}")));
    }
    Ok(body["value"].clone())
}

impl Session {
    /// Starts the application at `application` through the driver at `base` (http://127.0.0.1:port).
    pub async fn start(base: &str, application: &str) -> R<Session> {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().map_err(|e| WdError(e.to_string()))?;
        let caps = json!({
            "capabilities": {
                "alwaysMatch": { "tauri:options": { "application": application } }
            }
        });
        let v = send(http.post(format!("{base}/session")).json(&caps), "new session").await?;
        let id = v["sessionId"].as_str().ok_or_else(|| WdError(format!("no sessionId in {v}")))?.to_string();
        Ok(Session { http, base: base.to_string(), id })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{}", self.base, self.id, path)
    }

    /// Finds the first element matching `css`, waiting up to `timeout` for it to appear.
    pub async fn find(&self, css: &str, timeout: Duration) -> R<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let r = send(self.http.post(self.url("/element")).json(&json!({"using": "css selector", "value": css})), css).await;
            match r {
                Ok(v) => return v[ELEMENT_KEY].as_str().map(str::to_string).ok_or_else(|| WdError(format!("{css}: no element id in {v}"))),
                Err(e) if Instant::now() >= deadline => return Err(WdError(format!("{css} never appeared: {e}"))),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn click(&self, element: &str) -> R<()> {
        send(self.http.post(self.url(&format!("/element/{element}/click"))).json(&json!({})), "click").await.map(|_| ())
    }

    /// Finds `css` and clicks it, finding it again if the page re-rendered it in between.
    pub async fn click_css(&self, css: &str, timeout: Duration) -> R<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let el = self.find(css, timeout).await?;
            match self.click(&el).await {
                Ok(()) => return Ok(()),
                Err(e) if e.0.contains("stale element") && Instant::now() < deadline => continue,
                Err(e) => {
                    // What the element's centre hits instead, for the failure message (a click
                    // goes where hit testing says, which a scrollbar or an overlay can take).
                    let probe = self
                        .execute_async(&format!(
                            "const done = arguments[arguments.length - 1]; const e = document.querySelector({css:?});
                             if (!e) return done(null); const r = e.getBoundingClientRect();
                             done({{rect: [r.left, r.top, r.width, r.height],
                                   hits: document.elementsFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2)
                                       .slice(0, 4).map(n => n.tagName + (n.id ? '#' + n.id : '') + (n.className ? '.' + n.className : ''))}});"
                        ))
                        .await
                        .unwrap_or_default();
                    return Err(WdError(format!("{css}: {e}; at its centre: {probe}")));
                }
            }
        }
    }

    pub async fn type_text(&self, element: &str, text: &str) -> R<()> {
        send(self.http.post(self.url(&format!("/element/{element}/value"))).json(&json!({"text": text})), "send keys").await.map(|_| ())
    }

    pub async fn text(&self, element: &str) -> R<String> {
        let v = send(self.http.get(self.url(&format!("/element/{element}/text"))), "element text").await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Waits until the element matching `css` shows `expected`, returning the last text seen.
    pub async fn wait_for_text(&self, css: &str, expected: &str, timeout: Duration) -> R<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.find(css, Duration::from_secs(1)).await {
                if let Ok(t) = self.text(&el).await {
                    if t.trim() == expected {
                        return Ok(t);
                    }
                    last = t;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(WdError(format!("{css} did not show {expected:?} in time; last text {last:?}")))
    }

    /// Runs `script` in the page; it must call `arguments[arguments.length - 1](result)`.
    pub async fn execute_async(&self, script: &str) -> R<Value> {
        send(self.http.post(self.url("/execute/async")).json(&json!({"script": script, "args": []})), "execute async").await
    }

    /// PNG bytes of the window.
    pub async fn screenshot(&self) -> R<Vec<u8>> {
        use base64::Engine as _;
        let v = send(self.http.get(self.url("/screenshot")), "screenshot").await?;
        let b64 = v.as_str().ok_or_else(|| WdError("screenshot: not a string".into()))?;
        base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| WdError(format!("screenshot: {e}")))
    }

    pub async fn end(self) -> R<()> {
        send(self.http.delete(self.url("")), "delete session").await.map(|_| ())
    }
}
