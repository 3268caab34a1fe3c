//! Drives the app's tray menu over D-Bus, as a desktop panel does: libayatana-appindicator
//! exports it as `com.canonical.dbusmenu` under `/org/ayatana/NotificationItem/<id>/Menu`.

use std::process::Command;

/// One call with a reply timeout in milliseconds (dbus-send's default is 25 s).
fn dbus_send_within(ms: u32, args: &[&str]) -> Option<String> {
    let out = Command::new("dbus-send").args(["--session", "--print-reply", &format!("--reply-timeout={ms}")]).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A call to the app, whose GTK main thread may be busy for a while on a loaded machine.
fn dbus_send(args: &[&str]) -> Option<String> {
    dbus_send_within(10_000, args)
}

/// The process behind a bus name, as the bus daemon (which always answers at once) knows it.
fn is_brickdesk(name: &str) -> bool {
    let Some(reply) = dbus_send_within(
        2_000,
        &[
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            &format!("string:{name}"),
        ],
    ) else {
        return false;
    };
    let Some(pid) = reply.lines().find_map(|l| l.trim().strip_prefix("uint32 ")) else { return false };
    std::fs::read_to_string(format!("/proc/{pid}/comm")).map(|c| c.trim() == "brickdesk").unwrap_or(false)
}

/// The tray menu of the running app: (bus name, object path). Only the app's own connections are
/// asked: other peers on a test bus may never answer Introspect.
pub fn find_menu() -> Option<(String, String)> {
    let names = dbus_send_within(2_000, &["--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"])?;
    for name in names.lines().filter_map(|l| l.trim().strip_prefix("string \"")?.strip_suffix('"').map(str::to_string)) {
        if !name.starts_with(':') || !is_brickdesk(&name) {
            continue;
        }
        let Some(xml) =
            dbus_send(&[&format!("--dest={name}"), "/org/ayatana/NotificationItem", "org.freedesktop.DBus.Introspectable.Introspect"])
        else {
            continue;
        };
        if let Some(node) = xml.split("node name=\"").nth(1).and_then(|rest| rest.split('"').next()) {
            return Some((name, format!("/org/ayatana/NotificationItem/{node}/Menu")));
        }
    }
    None
}

/// (item id, label) of every menu item.
pub fn labels(name: &str, path: &str) -> Vec<(i32, String)> {
    let Some(layout) =
        dbus_send(&[&format!("--dest={name}"), path, "com.canonical.dbusmenu.GetLayout", "int32:0", "int32:-1", "array:string:label"])
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut id = None;
    for line in layout.lines().map(str::trim) {
        if let Some(n) = line.strip_prefix("int32 ") {
            id = n.parse().ok();
        } else if let (Some(i), Some(rest)) = (id, line.strip_prefix("variant")) {
            if let Some(label) = rest.trim().strip_prefix("string \"").and_then(|l| l.strip_suffix('"')) {
                out.push((i, label.to_string()));
            }
        }
    }
    out
}

/// Clicks the item labelled `label`; false if there is none.
pub fn click(name: &str, path: &str, label: &str) -> bool {
    let Some(id) = labels(name, path).into_iter().find(|(_, l)| l == label).map(|(i, _)| i) else { return false };
    dbus_send(&[
        &format!("--dest={name}"),
        path,
        "com.canonical.dbusmenu.Event",
        &format!("int32:{id}"),
        "string:clicked",
        "variant:int32:0",
        "uint32:0",
    ])
    .is_some()
}
