//! `brickdesk-cli` as a seller's script sees it: the real binary, a real SQLite file, and the real
//! OS keyring (Secret Service on the session D-Bus that scripts/test starts).

use brickdesk_tests::{stderr, stdout, TestEnv};
use serde_json::Value;

const BL: &str = r#"{"consumer_key":"CK-e2e-0001","consumer_secret":"CS-topsecret-bricklink-7f3a","token_value":"TV-e2e-0002","token_secret":"TS-topsecret-bricklink-91c2"}"#;
const BO: &str = r#"{"api_key":"BO-topsecret-apikey-55d0e1"}"#;
const SECRETS: &[&str] = &["CS-topsecret-bricklink-7f3a", "TS-topsecret-bricklink-91c2", "BO-topsecret-apikey-55d0e1"];

fn status_json(env: &TestEnv) -> Value {
    let o = env.cli(&["credentials", "status", "--json"], "");
    assert!(o.status.success(), "status failed: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("status --json is JSON")
}

#[test]
fn help_lists_commands_and_exits_zero() {
    let env = TestEnv::new("help");
    let o = env.cli(&["--help"], "");
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("credentials"), "{out}");
    assert!(out.contains("Exit codes"), "{out}");
    let o = env.cli(&["credentials", "set", "--help"], "");
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("consumer_key"));
}

#[test]
fn usage_errors_exit_two() {
    let env = TestEnv::new("usage");
    for args in [&["frobnicate"][..], &["credentials", "set", "ebay"], &["credentials"], &["credentials", "status", "--bogus"]] {
        let o = env.cli(args, "");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn credentials_round_trip_through_the_os_keyring() {
    let env = TestEnv::new("roundtrip");
    let before = status_json(&env);
    assert_eq!(
        before,
        serde_json::json!([
            {"provider": "bricklink", "set": false, "active": false},
            {"provider": "brickowl", "set": false, "active": false},
            {"provider": "allegro", "set": false, "active": false}
        ])
    );

    let o = env.cli(&["credentials", "set", "bricklink"], BL);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = env.cli(&["credentials", "set", "brickowl", "--json"], BO);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let set: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(set, serde_json::json!([{"provider": "brickowl", "set": true, "active": true}]));

    let after = status_json(&env);
    assert_eq!(after[0], serde_json::json!({"provider": "bricklink", "set": true, "active": true}));
    assert_eq!(after[1], serde_json::json!({"provider": "brickowl", "set": true, "active": true}));

    // The secret really is in the Secret Service, under our service name...
    let lookup = std::process::Command::new("secret-tool")
        .args(["lookup", "service", &env.keyring_service, "username", "brickowl"])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by scripts/setup --test");
    assert!(String::from_utf8_lossy(&lookup.stdout).contains("BO-topsecret-apikey-55d0e1"), "secret-tool: {}", stderr(&lookup));
    // ...and nowhere in the data dir (database, WAL, logs) or in any output.
    env.assert_no_secret_in_data_dir(SECRETS);
    let human = env.cli(&["credentials", "status"], "");
    for s in SECRETS {
        assert!(!stdout(&human).contains(s) && !stderr(&human).contains(s));
    }
    assert!(stdout(&human).contains("BrickLink") && stdout(&human).contains("set"));

    let o = env.cli(&["credentials", "delete", "brickowl"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(status_json(&env)[1], serde_json::json!({"provider": "brickowl", "set": false, "active": false}));
}

#[test]
fn bad_credentials_input_is_one_clear_line_and_exit_one() {
    let env = TestEnv::new("badinput");
    let cases = [
        ("brickowl", "{nope", "not valid JSON"),
        ("brickowl", "", "not valid JSON"),
        ("brickowl", r#"{"api_key":""}"#, "`api_key` is empty"),
        ("brickowl", r#"{"apikey":"x"}"#, "apikey"),
        ("bricklink", r#"{"consumer_key":"a","consumer_secret":"b","token_value":"c"}"#, "token_secret"),
        ("bricklink", r#"[1,2]"#, "invalid type"),
    ];
    for (provider, input, expect) in cases {
        let o = env.cli(&["credentials", "set", provider], input);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{input:?}: {err}");
        assert!(err.contains(expect), "{input:?}: expected {expect:?} in {err:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Nothing was stored by any of them.
    assert_eq!(status_json(&env)[1]["set"], Value::Bool(false));
}

#[test]
fn unreachable_keyring_is_a_clear_error_not_a_panic() {
    let env = TestEnv::new("nokeyring");
    let o = env.cli_command(&["credentials", "status"]).env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus").output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("OS keyring"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_environment_is_reported_with_the_variable_name() {
    let env = TestEnv::new("badenv");
    let o = env.cli_command(&["credentials", "status"]).env("BRICKDESK_NOW", "next tuesday").output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("BRICKDESK_NOW"), "{}", stderr(&o));
}

#[test]
fn cli_creates_the_database_in_the_data_dir() {
    let env = TestEnv::new("db");
    let o = env.cli(&["credentials", "status", "--json"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let db = env.data_dir.path().join("brickdesk.sqlite3");
    assert!(db.exists(), "no database at {}", db.display());
}
