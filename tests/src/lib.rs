//! Shared helpers for BrickDesk's workspace tests: locating the built binaries, an isolated data
//! directory and keyring service per test, and a minimal WebDriver client.

pub mod memory;
pub mod seed;
pub mod tray;
pub mod webdriver;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// The directory cargo put this workspace's binaries in (`<target>/debug`), found from the test
/// executable's own path (`<target>/debug/deps/<test>-<hash>`).
pub fn bin_dir() -> PathBuf {
    // BRICKDESK_BIN_DIR runs the tests against other builds (the release binaries, to measure
    // the window at scale as a seller gets it).
    if let Some(dir) = std::env::var_os("BRICKDESK_BIN_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent().and_then(Path::parent).expect("target/debug above deps/").to_path_buf()
}

pub fn bin(name: &str) -> PathBuf {
    let p = bin_dir().join(name);
    assert!(p.exists(), "{} is not built; run the suite with scripts/test (or cargo test --workspace)", p.display());
    p
}

/// Where tests leave screenshots and logs for humans (`tests/artifacts` unless overridden).
pub fn artifacts_dir() -> PathBuf {
    let dir = std::env::var_os("BRICKDESK_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts"));
    std::fs::create_dir_all(&dir).expect("create artifacts dir");
    dir
}

/// One test's private world: a temporary data dir and a keyring service name nobody else uses.
/// Dropping it removes whatever the test stored in the keyring.
pub struct TestEnv {
    pub data_dir: tempfile::TempDir,
    pub keyring_service: String,
    /// Extra environment for every process of this test (overrides the defaults).
    pub extra: Vec<(&'static str, String)>,
}

impl TestEnv {
    pub fn new(label: &str) -> TestEnv {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        TestEnv {
            data_dir: tempfile::tempdir().expect("tempdir"),
            keyring_service: format!("brickdesk-test-{label}-{}-{n}", std::process::id()),
            extra: Vec::new(),
        }
    }

    /// Environment every BrickDesk process of this test gets.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("BRICKDESK_DATA_DIR", self.data_dir.path().display().to_string()),
            ("BRICKDESK_KEYRING_SERVICE", self.keyring_service.clone()),
            // Nothing in a test may reach a real marketplace.
            ("BRICKDESK_BRICKLINK_URL", "http://127.0.0.1:9/api/store/v1".into()),
            // Pictures never come from the internet in a test either.
            ("BRICKDESK_BRICKLINK_IMAGES_URL", "http://127.0.0.1:9/img".into()),
            ("BRICKDESK_BRICKOWL_URL", "http://127.0.0.1:9/v1".into()),
            ("BRICKDESK_ALLEGRO_API_URL", "http://127.0.0.1:9".into()),
            ("BRICKDESK_ALLEGRO_AUTH_URL", "http://127.0.0.1:9".into()),
        ]
        .into_iter()
        .chain(self.extra.iter().cloned())
        .collect()
    }

    /// Points BrickDesk's Allegro at a running simulator's two hosts.
    pub fn use_allegro_sim(&mut self, sim: &brickdesk_sim::Sim) {
        self.extra.push(("BRICKDESK_ALLEGRO_API_URL", sim.allegro_api_url.clone()));
        self.extra.push(("BRICKDESK_ALLEGRO_AUTH_URL", sim.allegro_auth_url.clone()));
    }

    /// Points BrickDesk at a running simulator and makes retries fast.
    pub fn use_sim(&mut self, bricklink_url: &str, brickowl_url: &str) {
        self.extra.push(("BRICKDESK_BRICKLINK_URL", bricklink_url.to_string()));
        // The simulator serves BrickLink's image host on the same port.
        let images = format!("{}/img", bricklink_url.trim_end_matches('/').trim_end_matches("/api/store/v1"));
        self.extra.push(("BRICKDESK_BRICKLINK_IMAGES_URL", images));
        self.extra.push(("BRICKDESK_BRICKOWL_URL", brickowl_url.to_string()));
        self.extra.push(("BRICKDESK_RETRY_BASE_MS", "20".into()));
        // The simulator carries a call out before it answers: a delta whose answer was lost has
        // landed by then, so a read-back need not wait (a test that slows calls sets its own).
        self.extra.push(("BRICKDESK_SYNC_SETTLE_MS", "0".into()));
    }

    pub fn cli_command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin("brickdesk-cli"));
        // The developer's own BRICKDESK_NOW must not leak in; a test sets it through `extra`.
        c.args(args).env_remove("BRICKDESK_NOW").envs(self.vars());
        c
    }

    /// Runs `brickdesk-cli args` with `stdin` piped in.
    pub fn cli(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cli_command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn brickdesk-cli");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
        child.wait_with_output().expect("wait for brickdesk-cli")
    }

    /// [`TestEnv::cli`] off the async threads (the simulator runs on them).
    pub async fn cli_async(&self, args: &[&str], stdin: &str) -> Output {
        let mut cmd = self.cli_command(args);
        let stdin = stdin.to_string();
        tokio::task::spawn_blocking(move || {
            let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn brickdesk-cli");
            child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
            child.wait_with_output().expect("wait for brickdesk-cli")
        })
        .await
        .expect("cli task")
    }

    /// Starts `sync run`, waits until the simulator holds one of its requests (a `Sim::slow`
    /// set by the caller) and SIGKILLs it there: the answer is lost while the marketplace goes on
    /// to do the work. Returns when the process is gone.
    pub async fn kill_sync_run_mid_call(&self, sim: &brickdesk_sim::Sim) {
        assert!(self.kill_sync_run_if_it_calls(sim).await, "the call was never sent");
    }

    /// [`TestEnv::kill_sync_run_mid_call`], unless `sync run` ends without sending a slowed
    /// request (nothing of the kind was due): whether it was killed.
    pub async fn kill_sync_run_if_it_calls(&self, sim: &brickdesk_sim::Sim) -> bool {
        let before = sim.slowed_requests();
        let mut run = self.cli_command(&["sync", "run", "--json"]).stdout(Stdio::null()).spawn().expect("spawn sync run");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while sim.slowed_requests() == before {
            assert!(std::time::Instant::now() < deadline, "sync run neither called nor ended");
            if run.try_wait().expect("sync run's state").is_some() {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        run.kill().expect("SIGKILL sync run");
        run.wait().expect("reap sync run");
        true
    }

    /// Saves the simulator's BrickLink credentials to this test's keyring (through the CLI).
    pub async fn set_bricklink_credentials(&self, sim: &brickdesk_sim::Sim) {
        let b = &sim.options().bricklink;
        let creds = serde_json::json!({
            "consumer_key": b.consumer_key, "consumer_secret": b.consumer_secret,
            "token_value": b.token_value, "token_secret": b.token_secret,
        });
        self.json(&["credentials", "set", "bricklink", "--json"], &creds.to_string()).await;
    }

    /// Links the simulator's Allegro account through the real device flow: `credentials set
    /// allegro --json`, the code it prints approved in the simulator, the command waited for (90 s
    /// at most). Returns the final status line.
    pub async fn link_allegro(&self, sim: &brickdesk_sim::Sim) -> serde_json::Value {
        self.link_allegro_with(sim, serde_json::json!({})).await
    }

    /// [`TestEnv::link_allegro`] with more fields in the registration (`{"sandbox": true}`).
    pub async fn link_allegro_with(&self, sim: &brickdesk_sim::Sim, more: serde_json::Value) -> serde_json::Value {
        self.link_allegro_seen(sim, more, |_| {}).await.1
    }

    /// The device flow of [`TestEnv::link_allegro`] step by step: the link the CLI prints first
    /// (checked to name the code it shows), `before_approval` run on the simulator before the
    /// seller approves, then the final status. Returns both.
    pub async fn link_allegro_seen(
        &self,
        sim: &brickdesk_sim::Sim,
        more: serde_json::Value,
        before_approval: impl FnOnce(&brickdesk_sim::Sim),
    ) -> (serde_json::Value, serde_json::Value) {
        use std::io::BufRead;
        let o = sim.options();
        let mut creds = serde_json::json!({"client_id": o.allegro_client_id, "client_secret": o.allegro_client_secret});
        if let (Some(c), Some(m)) = (creds.as_object_mut(), more.as_object()) {
            c.extend(m.clone());
        }
        let mut child = self
            .cli_command(&["credentials", "set", "allegro", "--json"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn brickdesk-cli");
        child.stdin.take().expect("stdin").write_all(creds.to_string().as_bytes()).expect("write stdin");
        let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
        let (first, lines) = tokio::task::spawn_blocking(move || (lines.next().and_then(Result::ok).unwrap_or_default(), lines))
            .await
            .expect("read the link");
        let shown: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("the link first, as JSON ({e}): {first:?}"));
        let code = shown["user_code"].as_str().unwrap_or_default().to_string();
        let complete = shown["verification_uri_complete"].as_str().unwrap_or_default();
        assert!(complete.ends_with(&format!("code={code}")), "the link names the code shown: {shown}");
        before_approval(sim);
        assert!(sim.allegro_answer_device(&code, true), "the code shown is the one Allegro issued: {shown}");
        let pid = child.id().to_string();
        let finished = tokio::task::spawn_blocking(move || {
            let last = lines.map_while(Result::ok).last().unwrap_or_default();
            (last, child.wait_with_output().expect("wait"))
        });
        // Linking takes a few intervals; a client that keeps polling too fast never gets the token.
        let Ok(joined) = tokio::time::timeout(std::time::Duration::from_secs(90), finished).await else {
            let _killed = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("linking Allegro did not finish within 90 s ({} slow_down answers)", sim.allegro_slow_downs());
        };
        let (last, out) = joined.expect("link task");
        assert!(out.status.success(), "linking Allegro failed: {}", stderr(&out));
        (shown, serde_json::from_str(&last).unwrap_or_else(|e| panic!("final status ({e}): {last:?}")))
    }

    /// Runs a CLI command that must succeed and returns its `--json` output.
    pub async fn json(&self, args: &[&str], stdin: &str) -> serde_json::Value {
        let o = self.cli_async(args, stdin).await;
        assert!(o.status.success(), "{args:?} failed ({:?}): {}", o.status.code(), stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stdout(&o)))
    }

    /// Every byte of every file under the data dir (database, WAL, logs), for secret scans.
    pub fn data_dir_bytes(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
                let p = entry.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if let Ok(bytes) = std::fs::read(&p) {
                    out.push((p, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.data_dir.path(), &mut out);
        out
    }

    /// Panics naming the file if any `needle` occurs anywhere in the data dir.
    pub fn assert_no_secret_in_data_dir(&self, needles: &[&str]) {
        for (path, bytes) in self.data_dir_bytes() {
            for n in needles {
                assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "secret {n:?} found in {}", path.display());
            }
        }
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        for p in ["bricklink", "brickowl", "allegro"] {
            // Best effort: the keyring may already be gone at the end of the D-Bus session.
            let _cleanup = self.cli_command(&["credentials", "delete", p]).output();
        }
    }
}

/// A lot of a BrickLink part for the simulator (a store lot or an order line): item, colour,
/// condition `N`/`U`, quantity, unit price (decimal string), bin (remarks) and the store lot an
/// order line comes from.
pub fn sim_part(no: &str, color: i64, cond: char, qty: i64, price: &str, bin: &str, lot: Option<i64>) -> brickdesk_sim::SimItem {
    brickdesk_sim::SimItem {
        item_no: no.into(),
        item_type: "PART".into(),
        color_id: color,
        condition: cond,
        quantity: qty,
        unit_price: price.into(),
        remarks: bin.into(),
        inventory_id: lot,
    }
}

/// The credentials an engine needs to talk to this simulator (its fixed BrickLink and BrickOwl keys).
pub fn sim_credentials(options: &brickdesk_sim::SimOptions) -> brickdesk_engine::engine::CredentialSource {
    let bl = &options.bricklink;
    brickdesk_engine::engine::CredentialSource::from_plain(
        [&bl.consumer_key, &bl.consumer_secret, &bl.token_value, &bl.token_secret],
        &options.brickowl_api_key,
    )
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
