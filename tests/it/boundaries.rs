//! Architecture invariants that a compiler will not check for us.

mod layers;

use std::process::Command;

/// The engine (and so `brickdesk-cli`) must build on a headless server: no Tauri, wry or WebKit.
#[test]
fn engine_has_no_tauri_or_webview_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let out = Command::new(cargo)
        .args(["tree", "--locked", "--manifest-path", manifest, "-p", "brickdesk-engine", "-e", "normal,build", "--prefix", "none"])
        .output()
        .expect("run cargo tree");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("rusqlite"), "cargo tree output looks wrong:\n{tree}");
    let forbidden: Vec<&str> =
        tree.lines().filter(|l| ["tauri", "wry", "webkit", "javascriptcore", "gtk"].iter().any(|f| l.starts_with(f))).collect();
    assert!(forbidden.is_empty(), "brickdesk-engine must not depend on a webview stack:\n{}", forbidden.join("\n"));
}

/// The webview may call BrickDesk's own commands and nothing else.
#[test]
fn capability_grants_only_our_commands_and_events() {
    let cap: serde_json::Value = serde_json::from_str(include_str!("../../src-tauri/capabilities/default.json")).expect("capability JSON");
    let perms: Vec<&str> = cap["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str()).collect();
    for p in &perms {
        let ours = p.starts_with("allow-") && !p.contains(':');
        let events = *p == "core:event:allow-listen" || *p == "core:event:allow-unlisten";
        assert!(ours || events, "capability grants {p}, which is not one of BrickDesk's own commands");
    }
    let build_rs = include_str!("../../src-tauri/build.rs");
    for p in perms.iter().filter(|p| !p.contains(':')) {
        let command = p.trim_start_matches("allow-").replace('-', "_");
        assert!(build_rs.contains(&format!("\"{command}\"")), "{p} has no command in build.rs");
    }
}
