// The Tauri config lives at the repository root; paths inside it resolve from there.
// The app manifest generates an `allow-<command>` permission per command, so the capability in
// capabilities/default.json can grant exactly BrickDesk's own commands and nothing else.

/// Every `#[tauri::command]` in src/commands.rs. Keep in sync with `generate_handler!` in lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "credentials_status",
    "credentials_set_bricklink",
    "credentials_set_brickowl",
    "credentials_delete",
    "credentials_test",
    "orders_list",
    "orders_show",
    "orders_mark_seen",
    "orders_pick",
    "inventory_list",
    "inventory_page",
    "orders_page",
    "inventory_import",
    "inventory_add",
    "inventory_update",
    "inventory_delete",
    "sync_retry",
    "sync_reconcile",
    "sync_drift",
    "sync_resolve",
    "inbox_list",
    "inbox_retry",
    "status",
    "poll_now",
    "catalog_part",
    "catalog_refresh_now",
    "catalog_recent",
    "catalog_colors",
];

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    if !dist.exists() {
        panic!(
            "ui/dist/index.html is missing: build the UI first with `scripts/build-ui` \
             (the README's commands do this for you)"
        );
    }
    let attributes =
        tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {e:#}");
    }
}
