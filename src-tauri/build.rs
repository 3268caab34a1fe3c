// The Tauri config lives at the repository root; paths inside it resolve from there.
// The app manifest generates an `allow-<command>` permission per command, so the capability in
// capabilities/default.json can grant exactly BrickDesk's own commands and nothing else.

/// Every `#[tauri::command]` in src/commands.rs. Keep in sync with `generate_handler!` in lib.rs.
const COMMANDS: &[&str] = &[
    "app_info",
    "credentials_status",
    "credentials_set_bricklink",
    "credentials_set_brickowl",
    "credentials_set_allegro",
    "allegro_link_start",
    "allegro_link_wait",
    "allegro_offers",
    "allegro_link",
    "allegro_settings",
    "allegro_set_poll_interval",
    "credentials_delete",
    "credentials_test",
    "orders_list",
    "orders_show",
    "orders_mark_seen",
    "orders_pick",
    "orders_set_status",
    "orders_pick_list",
    "orders_short",
    "allegro_carriers",
    "fulfilment_settings",
    "inventory_import_file",
    "inventory_export_file",
    "sync_publish",
    "set_fulfilment_settings",
    "display_settings",
    "set_display_settings",
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
    "app_build_commit",
    "open_log_folder",
    "autostart_status",
    "autostart_set",
];

/// Sets `BRICKDESK_BUILD_COMMIT` (shown in About): `$BRICKDESK_BUILD_COMMIT` if set (a build from
/// a source archive can name its commit), else `git rev-parse --short=12 HEAD`, else "unknown".
fn build_commit() {
    println!("cargo:rerun-if-env-changed=BRICKDESK_BUILD_COMMIT");
    let repo = manifest_dir().join("..");
    let from_env = std::env::var("BRICKDESK_BUILD_COMMIT").ok().filter(|c| !c.trim().is_empty());
    let from_git = || {
        let out = std::process::Command::new("git").arg("-C").arg(&repo).args(["rev-parse", "--short=12", "HEAD"]).output().ok()?;
        let commit = String::from_utf8(out.stdout).ok()?.trim().to_owned();
        (out.status.success() && !commit.is_empty()).then_some(commit)
    };
    let commit = from_env.or_else(from_git).unwrap_or_else(|| "unknown".to_owned());
    // A new commit (HEAD moving, or the branch it names) builds again; outside git nothing does.
    let git_dir = repo.join(".git");
    if git_dir.is_dir() {
        println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
        if let Ok(head) = std::fs::read_to_string(git_dir.join("HEAD")) {
            if let Some(reference) = head.trim().strip_prefix("ref: ") {
                println!("cargo:rerun-if-changed={}", git_dir.join(reference).display());
            }
        }
        println!("cargo:rerun-if-changed={}", git_dir.join("packed-refs").display());
    }
    println!("cargo:rustc-env=BRICKDESK_BUILD_COMMIT={commit}");
}

/// This package's folder, as cargo says when it runs this script. Not `env!`: that is the folder
/// the script was compiled in, and cargo shares one compiled script between clones in different
/// folders that share a target dir (CI's fresh clone reuses `~/.cache/brickdesk`), so a second
/// clone looked for the UI, and read its commit, in the first one.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| std::path::PathBuf::from("."))
}

fn main() {
    build_commit();
    let dist = manifest_dir().join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed=../ui/dist");
    // scripts/package embeds its own release UI, named in TAURI_CONFIG's build.frontendDist.
    if !dist.exists() && std::env::var_os("TAURI_CONFIG").is_none() {
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
