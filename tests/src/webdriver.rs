//! A minimal W3C WebDriver client over reqwest, enough to drive the real BrickDesk window through
//! `tauri-driver` (which fronts WebKitWebDriver on Linux).

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::{artifacts_dir, TestEnv};

/// How long a window test waits for anything.
pub const WAIT: Duration = Duration::from_secs(30);

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

    /// Presses keys on whatever has the focus (W3C actions: real key events, not an element's
    /// value). Each entry is pressed and released in turn; `(Some(modifier), key)` holds the
    /// modifier around it (`"\u{E009}"` is Control). Keys: `"\u{E015}"` ↓, `"\u{E013}"` ↑,
    /// `"\u{E007}"` Enter, `"\u{E00C}"` Escape.
    pub async fn press(&self, keys: &[(Option<&str>, &str)]) -> R<()> {
        let mut actions = Vec::new();
        for (modifier, key) in keys {
            if let Some(m) = modifier {
                actions.push(json!({"type": "keyDown", "value": m}));
            }
            actions.push(json!({"type": "keyDown", "value": key}));
            actions.push(json!({"type": "keyUp", "value": key}));
            if let Some(m) = modifier {
                actions.push(json!({"type": "keyUp", "value": m}));
            }
        }
        let body = json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]});
        send(self.http.post(self.url("/actions")).json(&body), "key actions").await.map(|_| ())
    }

    /// Runs `script` in the page; it must call `arguments[arguments.length - 1](result)`.
    pub async fn execute_async(&self, script: &str) -> R<Value> {
        send(self.http.post(self.url("/execute/async")).json(&json!({"script": script, "args": []})), "execute async").await
    }

    /// PNG bytes of the window.
    ///
    /// WebKitWebDriver answers once WebKit has presented a frame after the request. Without
    /// accelerated compositing (the app's default, see `src-tauri/src/lib.rs`) WebKit presents
    /// only what is dirty, so a screenshot of a page at rest would wait forever: while it is taken
    /// a one-pixel, all-but-transparent mark in the corner changes every 50 ms.
    pub async fn screenshot(&self) -> R<Vec<u8>> {
        use base64::Engine as _;
        self.execute_async(
            "let m = document.getElementById('wd-paint-mark');
             if (!m) { m = document.createElement('div'); m.id = 'wd-paint-mark'; m.setAttribute('aria-hidden', 'true');
                       m.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
                       document.documentElement.appendChild(m); }
             clearInterval(window.__wdPaint);
             window.__wdPaint = setInterval(() => { m.style.background = m.style.background === 'rgba(0, 0, 0, 0.01)' ? 'rgba(0, 0, 0, 0.02)' : 'rgba(0, 0, 0, 0.01)'; }, 50);
             arguments[arguments.length - 1](null);",
        )
        .await?;
        let v = send(self.http.get(self.url("/screenshot")), "screenshot").await;
        let cleared = self
            .execute_async(
                "clearInterval(window.__wdPaint); const m = document.getElementById('wd-paint-mark'); if (m) m.remove();
                 arguments[arguments.length - 1](null);",
            )
            .await;
        let v = v?;
        cleared?;
        let b64 = v.as_str().ok_or_else(|| WdError("screenshot: not a string".into()))?;
        base64::engine::general_purpose::STANDARD.decode(b64).map_err(|e| WdError(format!("screenshot: {e}")))
    }

    pub async fn end(self) -> R<()> {
        send(self.http.delete(self.url("")), "delete session").await.map(|_| ())
    }
}

/// A running tauri-driver (and the WebKitWebDriver it starts); stopped when dropped.
pub struct Driver {
    child: Child,
    /// Where to start sessions.
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, not SIGKILL: on SIGTERM tauri-driver also stops the WebKitWebDriver it started.
        let pid = self.child.id().to_string();
        let asked = Command::new("kill").args(["-TERM", &pid]).status().map(|s| s.success()).unwrap_or(false);
        let deadline = Instant::now() + Duration::from_secs(5);
        while asked && Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _already_exited = self.child.kill();
        let _reaped = self.child.wait();
    }
}

/// Two distinct free ports: both listeners are held until both are known.
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("free port");
    let b = TcpListener::bind("127.0.0.1:0").expect("free port");
    let port = |l: &TcpListener| l.local_addr().map(|a| a.port()).expect("local addr");
    (port(&a), port(&b))
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Starts tauri-driver for `env` (its log goes to the artifacts as `log_name`) and waits until it
/// and its WebKitWebDriver listen.
pub fn start_driver(env: &TestEnv, log_name: &str) -> Driver {
    assert!(std::env::var_os("DISPLAY").is_some(), "no DISPLAY: run the suite with scripts/test (it starts Xvfb)");
    let driver = find_in_path("tauri-driver").expect("tauri-driver not on PATH: run scripts/setup --test");
    let (port, native_port) = free_ports();
    let log = std::fs::File::create(artifacts_dir().join(log_name)).expect("driver log");
    let child = Command::new(driver)
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .envs(env.vars())
        .stdout(log.try_clone().expect("log fd"))
        .stderr(log)
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn tauri-driver");
    // tauri-driver listens at once but starts WebKitWebDriver in the background, and until that
    // listens too it drops every connection it would forward: wait for both.
    let deadline = Instant::now() + WAIT;
    for p in [port, native_port] {
        while TcpStream::connect(("127.0.0.1", p)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver (or its WebKitWebDriver) did not listen on {p}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    Driver { child, url: format!("http://127.0.0.1:{port}") }
}

/// Makes sure no BrickDesk window from an earlier test is left on this test's D-Bus session: a
/// window still running holds the single-instance name, and a new launch would hand over to it and
/// exit. Ending a WebDriver session asks WebKitWebDriver to close the app, but if tauri-driver is
/// stopped first it takes WebKitWebDriver down with it and the app, which closes to the tray,
/// keeps running; such a leftover (ours: it is on this test's private bus) gets a SIGTERM.
pub async fn no_window_left() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap_or_default();
    let ours = format!("DBUS_SESSION_BUS_ADDRESS={bus}");
    let windows = || -> Vec<String> {
        let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
        dir.flatten()
            .filter(|e| {
                let p = e.path();
                let comm = std::fs::read_to_string(p.join("comm")).unwrap_or_default();
                let environ = std::fs::read(p.join("environ")).unwrap_or_default();
                comm.trim() == "brickdesk" && environ.split(|b| *b == 0).any(|v| v == ours.as_bytes())
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    let start = Instant::now();
    let mut signalled = false;
    loop {
        let left = windows();
        if left.is_empty() {
            return;
        }
        if !signalled && start.elapsed() > Duration::from_secs(5) {
            eprintln!("BrickDesk {left:?} still running 5 s after its test: sending SIGTERM");
            for pid in &left {
                let _gone_already = Command::new("kill").args(["-TERM", pid]).status();
            }
            signalled = true;
        }
        if start.elapsed() > WAIT {
            let ps = Command::new("ps").args(["-eo", "pid,ppid,stat,etime,args"]).output();
            let ps = ps.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
            panic!("BrickDesk {left:?} from an earlier test is still running after SIGTERM:\n{ps}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
