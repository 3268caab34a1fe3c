//! The OS keyring going away mid-call. gnome-keyring-daemon has died under this suite in CI (a
//! race of its own between clients); on a seller's desktop systemd starts it again, here D-Bus
//! activation does (scripts/with-keyring). A call caught in it must not fail: BrickDesk asks once
//! more and reaches the new daemon. Its own test binary, because it stops the one keyring daemon
//! every test shares.

use std::process::{Command, Stdio};
use std::time::Duration;

use brickdesk_tests::{stderr, stdout, TestEnv};
use serde_json::Value;

const BO: &str = r#"{"api_key":"BO-keyring-restart-3c9e"}"#;

/// The pid of the process that owns org.freedesktop.secrets on the session bus, if any.
fn secret_service_pid() -> Option<u32> {
    let o = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .ok()?;
    // `   uint32 12345`
    stdout(&o).split_whitespace().skip_while(|w| *w != "uint32").nth(1)?.parse().ok()
}

fn signal(sig: &str, pid: u32) -> bool {
    Command::new("kill").args([sig, &pid.to_string()]).status().map(|s| s.success()).unwrap_or(false)
}

/// Kills the stopped daemon whatever happens, so no later test finds the keyring frozen.
struct Stopped(u32);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _gone_already = signal("-KILL", self.0);
    }
}

/// `dbus-monitor` on the calls to the Secret Service: says when one has been sent.
struct Monitor {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Monitor {
    /// Returns once the monitor is in place (it has been told its name is gone, as monitors are).
    fn start() -> Monitor {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "type=method_call,destination=org.freedesktop.secrets"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor (dbus-bin) is installed by scripts/setup --test");
        let out = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut m = Monitor { child, lines };
        m.wait_for("member=NameLost", "dbus-monitor becoming a monitor");
        m
    }

    fn wait_for(&mut self, needle: &str, what: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return,
                Ok(_) => {}
                Err(e) => panic!("waiting for {what}: {e}"),
            }
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _gone_already = self.child.kill();
        let _reaped = self.child.wait();
    }
}

/// scripts/with-keyring reports the daemon's restarts it was not told of: not this one.
fn note_the_kill_is_meant() {
    let Some(work) = std::env::var_os("BRICKDESK_TEST_WORK") else { return };
    let log = std::path::Path::new(&work).join("keyring.log");
    let said = std::fs::OpenOptions::new().append(true).open(&log).and_then(|mut f| {
        use std::io::Write;
        writeln!(f, "with-keyring: killed on purpose by tests/keyring.rs")
    });
    if let Err(e) = said {
        eprintln!("could not note the deliberate kill in {}: {e}", log.display());
    }
}

#[test]
fn a_keyring_daemon_that_dies_mid_call_is_asked_again() {
    let env = TestEnv::new("keyring-restart");
    let o = env.cli(&["credentials", "set", "brickowl", "--json"], BO);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = secret_service_pid().expect("the session has a Secret Service (scripts/test starts one)");

    // The daemon stops answering; the CLI's call reaches it and waits; then the daemon dies
    // without replying, as when it crashes.
    note_the_kill_is_meant();
    let mut monitor = Monitor::start();
    assert!(signal("-STOP", first), "SIGSTOP the keyring daemon");
    let stopped = Stopped(first);
    let reading = env
        .cli_command(&["credentials", "status", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn brickdesk-cli");
    monitor.wait_for("method call", "the CLI's call to the stopped keyring");
    drop(monitor);
    drop(stopped);
    let o = reading.wait_with_output().expect("wait for brickdesk-cli");

    assert!(o.status.success(), "a keyring that died mid-call is asked again: {}", stderr(&o));
    let status: Value = serde_json::from_str(&stdout(&o)).expect("status --json is JSON");
    assert_eq!(status[1], serde_json::json!({"provider": "brickowl", "set": true, "active": true}), "{status}");
    let second = secret_service_pid().expect("D-Bus started the keyring again");
    assert_ne!(first, second, "the daemon that answered is a new one");
    // The new daemon is unlocked on the same keyring: a write and a read go through it.
    let o = env.cli(&["credentials", "delete", "brickowl", "--json"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = env.cli(&["credentials", "status", "--json"], "");
    let status: Value = serde_json::from_str(&stdout(&o)).expect("status --json is JSON");
    assert_eq!(status[1]["set"], Value::Bool(false), "{status}");
}
