//! Release and install: the packaged app as a seller gets it, and what a seller sees when BrickDesk
//! cannot open its data.
//!
//! - `a_database_from_a_newer_brickdesk_is_refused_in_a_window`: the debug binary on a database
//!   with a future schema version shows why it cannot start, and leaves the file as it was.
//! - `the_installed_package_opens_its_window_and_tray`: the `.deb` that `scripts/package` built
//!   (named by `BRICKDESK_DEB`; scripts/test builds it and sets it) is checked (dependencies,
//!   files, menu entry) and unpacked with `dpkg -x` into a throwaway root, the *installed* binary
//!   is started under the test display and driven over WebDriver: the window, the tray, the About
//!   section with the build commit, start at login; the installed `brickdesk-cli` runs too; then
//!   the root is removed. It measures (never asserts) start-to-window time and the memory of every
//!   process of the app, printed and written to `$BRICKDESK_ARTIFACTS/install.json`.
//!
//! `dpkg -x` rather than `dpkg -i`: it needs no root, cannot collide with another run or a real
//! installation, and leaves the machine as it found it; the system's own packages provide the
//! libraries, exactly as `Depends:` asks apt to.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use brickdesk_tests::memory::{app_pid, memory_json, memory_of};
use brickdesk_tests::webdriver::{no_window_left, start_driver, Session, WdError, WAIT};
use brickdesk_tests::{artifacts_dir, bin, stderr, stdout, TestEnv};
use serde_json::json;

/// One window at a time: the app is single-instance on the test's D-Bus session.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_brickdesk_is_refused_in_a_window() {
    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let mut env = TestEnv::new("newer-db");
    // The demo would open its own database: this test is about the seller's.
    env.extra.push(("BRICKDESK_DEMO", "0".into()));
    let db = env.data_dir.path().join("brickdesk.sqlite3");
    let newer = brickdesk_engine::store::MIGRATIONS.len() + 5;
    // A database this build made, then marked as a newer BrickDesk's.
    let store = brickdesk_engine::store::Store::open(&db).expect("create the database");
    store.write(move |tx| Ok(tx.execute_batch(&format!("PRAGMA user_version = {newer}"))?)).await.expect("mark it newer");
    drop(store);
    let before = std::fs::read(&db).expect("the test database");

    let driver = start_driver(&env, "install-newer-db-driver.log");
    let s = Session::start(&driver.url, &bin("brickdesk").display().to_string()).await.unwrap_or_else(|e| panic!("{e}"));
    let result = async {
        let title = text_containing(&s, "#startup-error-title", "written by a newer version of BrickDesk").await?;
        let detail = text_containing(&s, "#startup-error-detail", &format!("schema version {newer}")).await?;
        std::fs::write(artifacts_dir().join("install-newer-db.png"), s.screenshot().await?).expect("write screenshot");
        Ok::<_, WdError>((title, detail))
    }
    .await;
    let _ended = s.end().await;
    drop(driver);
    no_window_left().await;
    let (title, detail) = result.unwrap_or_else(|e| panic!("{e}"));
    assert!(title.contains("It was not changed"), "{title}");
    assert!(detail.contains(&db.display().to_string()), "the window names the file: {detail}");
    assert_eq!(std::fs::read(&db).expect("the test database"), before, "the newer database was modified");
    assert!(!env.data_dir.path().join("backups").exists(), "a refused database is not backed up");
}

/// The text of `css` once it contains `part`.
async fn text_containing(s: &Session, css: &str, part: &str) -> Result<String, WdError> {
    let deadline = Instant::now() + WAIT;
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(el) = s.find(css, Duration::from_secs(1)).await {
            last = s.text(&el).await?;
            if last.contains(part) {
                return Ok(last);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(WdError(format!("{css} never contained {part:?}; last text {last:?}")))
}

/// The `.deb` under test: `$BRICKDESK_DEB`, set by scripts/test after `scripts/package`.
fn deb_under_test() -> Option<PathBuf> {
    match std::env::var_os("BRICKDESK_DEB") {
        Some(p) => Some(PathBuf::from(p)),
        None if std::env::var("BRICKDESK_SKIP_PACKAGE").as_deref() == Ok("1") => None,
        None => panic!("BRICKDESK_DEB is not set: run the suite with scripts/test, which builds the package (scripts/package) first"),
    }
}

fn dpkg_deb(args: &[&str], deb: &Path) -> String {
    let out = Command::new("dpkg-deb").args(args).arg(deb).output().expect("run dpkg-deb");
    assert!(out.status.success(), "dpkg-deb {args:?}: {}", stderr(&out));
    stdout(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_installed_package_opens_its_window_and_tray() {
    let Some(deb) = deb_under_test() else {
        eprintln!("BRICKDESK_SKIP_PACKAGE=1: the package was not built, nothing to install");
        return;
    };
    assert!(deb.is_file(), "{} does not exist", deb.display());

    // What apt reads: the dependencies that pull WebKitGTK, the tray library and a Secret Service.
    let depends = dpkg_deb(&["-f"], &deb).lines().find_map(|l| l.strip_prefix("Depends: ").map(str::to_owned)).unwrap_or_default();
    for needed in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libayatana-appindicator3-1", "gnome-keyring"] {
        assert!(depends.contains(needed), "Depends lacks {needed}: {depends}");
    }
    let contents = dpkg_deb(&["-c"], &deb);
    for file in [
        "usr/bin/brickdesk",
        "usr/bin/brickdesk-cli",
        "usr/share/applications/BrickDesk.desktop",
        "usr/share/icons/hicolor/128x128/apps/brickdesk.png",
    ] {
        assert!(
            contents.lines().any(|l| l.ends_with(&format!(" {file}")) || l.ends_with(&format!(" ./{file}"))),
            "the package lacks {file}:\n{contents}"
        );
    }

    // Installed into a throwaway root, removed when `root` drops.
    let root = tempfile::tempdir().expect("install root");
    let unpacked = Command::new("dpkg").arg("-x").arg(&deb).arg(root.path()).status().expect("run dpkg -x");
    assert!(unpacked.success(), "dpkg -x failed");
    let app = root.path().join("usr/bin/brickdesk");
    let cli = root.path().join("usr/bin/brickdesk-cli");
    let desktop = std::fs::read_to_string(root.path().join("usr/share/applications/BrickDesk.desktop")).expect("menu entry");
    assert!(desktop.lines().any(|l| l == "Exec=brickdesk"), "the menu entry starts brickdesk from PATH:\n{desktop}");
    assert!(desktop.lines().any(|l| l == "Icon=brickdesk"), "the menu entry has the icon:\n{desktop}");
    assert!(desktop.lines().any(|l| l == "Name=BrickDesk"), "{desktop}");

    let _one = ONE_WINDOW.lock().await;
    no_window_left().await;
    let mut env = TestEnv::new("installed");
    // Start at login writes ~/.config/autostart: a home of the test's own.
    let home = tempfile::tempdir().expect("home");
    env.extra.push(("HOME", home.path().display().to_string()));

    // The installed CLI runs the same engine.
    let out = Command::new(&cli).args(["doctor", "--json"]).envs(env.vars()).output().expect("run the installed brickdesk-cli");
    assert!(out.status.success(), "installed brickdesk-cli doctor: {}", stderr(&out));

    let driver = start_driver(&env, "install-driver.log");
    let started = Instant::now();
    let s = Session::start(&driver.url, &app.display().to_string()).await.unwrap_or_else(|e| panic!("{e}"));
    let session_ms = started.elapsed().as_millis();
    let result = async {
        // The demo store's window with its orders: the installed UI works end to end.
        s.wait_for_text("#demo-badge", "Demo", WAIT).await?;
        s.find("tr.order-row", WAIT).await?;
        let first_rows_ms = started.elapsed().as_millis();
        // The tray is there.
        let deadline = Instant::now() + WAIT;
        let (bus_name, menu) = loop {
            if let Some(found) = brickdesk_tests::tray::find_menu() {
                break found;
            }
            if Instant::now() > deadline {
                return Err(WdError("the tray menu never appeared on the session bus".into()));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let labels = brickdesk_tests::tray::labels(&bus_name, &menu);
        if !labels.iter().any(|(_, l)| l == "Quit") {
            return Err(WdError(format!("tray items: {labels:?}")));
        }
        // Memory once the window shows the store (every process of the app).
        let pid = app_pid(env.data_dir.path()).ok_or_else(|| WdError("no brickdesk process on the test's data dir".into()))?;
        let memory = memory_of(pid);
        // About: version and the commit the package was built from; start at login.
        s.click_css("#nav-settings", WAIT).await?;
        s.wait_for_text("#about-version", env!("CARGO_PKG_VERSION"), WAIT).await?;
        let commit = s.find("#about-commit", WAIT).await?;
        let deadline = Instant::now() + WAIT;
        let commit = loop {
            let text = s.text(&commit).await?;
            if !text.is_empty() {
                break text;
            }
            if Instant::now() > deadline {
                return Err(WdError("the About section shows no build commit".into()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        let toggle = s.find("#autostart-toggle:not([disabled])", WAIT).await?;
        s.click(&toggle).await?;
        let entry = home.path().join(".config/autostart/BrickDesk.desktop");
        let deadline = Instant::now() + WAIT;
        while !entry.exists() {
            if Instant::now() > deadline {
                return Err(WdError(format!("switching start at login on wrote no {}", entry.display())));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::fs::write(artifacts_dir().join("install-about.png"), s.screenshot().await?).expect("write screenshot");
        // Quit from the tray: a clean exit, which saves the window's size and position.
        while !brickdesk_tests::tray::click(&bus_name, &menu, "Quit") {
            if Instant::now() > deadline {
                return Err(WdError("the tray's Quit could not be clicked".into()));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok((first_rows_ms, memory, commit, std::fs::read_to_string(&entry).unwrap_or_default()))
    }
    .await;
    if result.is_err() {
        if let Ok(png) = s.screenshot().await {
            let _best_effort = std::fs::write(artifacts_dir().join("install-failure.png"), png);
        }
    }
    let _ended = s.end().await;
    drop(driver);
    no_window_left().await;
    let (first_rows_ms, memory, commit, autostart_entry) = result.unwrap_or_else(|e| panic!("{e}"));

    assert!(
        autostart_entry.lines().any(|l| l == format!("Exec={} --autostart", app.display())),
        "the autostart entry starts the installed binary hidden:\n{autostart_entry}"
    );
    // Built from this git checkout: a commit, not "unknown" (the tree may have moved on since).
    assert!(commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()), "About shows build {commit:?}");
    let state = env.data_dir.path().join("window-state.json");
    let saved = std::fs::read_to_string(&state).unwrap_or_else(|e| panic!("no window state at {} after Quit: {e}", state.display()));
    assert!(saved.contains("\"main\"") && saved.contains("width"), "window state: {saved}");

    let figures = json!({
        "deb": deb.display().to_string(),
        "deb_bytes": std::fs::metadata(&deb).map(|m| m.len()).unwrap_or(0),
        "installed_kib": dpkg_deb(&["-f"], &deb).lines().find_map(|l| l.strip_prefix("Installed-Size: ").map(str::to_owned)),
        "session_start_ms": session_ms,
        "start_to_first_order_rows_ms": first_rows_ms,
        "memory": memory_json(&memory),
    });
    println!("installed package figures: {figures:#}");
    std::fs::write(artifacts_dir().join("install.json"), format!("{figures:#}\n")).expect("write install.json");
    drop(root);
}
