//! Memory of a running BrickDesk window: RSS and PSS (from `/proc/<pid>/smaps_rollup`) of the app
//! process and every process it started (WebKit's web and network processes). Linux only.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

/// One process of the app and what it holds in memory.
#[derive(Debug, Clone)]
pub struct Memory {
    pub pid: u32,
    /// The program (first word of its command line), e.g. `brickdesk`, `WebKitWebProcess`.
    pub name: String,
    pub rss_kb: u64,
    pub pss_kb: u64,
    /// Of the PSS: anonymous memory (heaps, stacks) and file-backed pages (code and data of the
    /// program and its libraries); 0 where the kernel does not say.
    pub pss_anon_kb: u64,
    pub pss_file_kb: u64,
    pub threads: u64,
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses: split after the last ')'.
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc").map(|d| d.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect()).unwrap_or_default()
}

/// The BrickDesk process running on `data_dir` (the test's own: its environment names the dir).
pub fn app_pid(data_dir: &Path) -> Option<u32> {
    let wanted = format!("BRICKDESK_DATA_DIR={}", data_dir.display());
    all_pids().into_iter().find(|pid| {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        comm.trim() == "brickdesk" && environ.split(|b| *b == 0).any(|v| v == wanted.as_bytes())
    })
}

/// RSS and PSS of `root` and every process whose parent chain leads to it (the WebKit web and
/// network processes, and any sandbox wrapper between).
pub fn memory_of(root: u32) -> Vec<Memory> {
    let parents: HashMap<u32, u32> = all_pids().into_iter().filter_map(|p| Some((p, parent_of(p)?))).collect();
    let descends = |mut p: u32| {
        for _ in 0..64 {
            if p == root {
                return true;
            }
            match parents.get(&p) {
                Some(&parent) if parent != 0 && parent != p => p = parent,
                _ => return false,
            }
        }
        false
    };
    let mut out: Vec<Memory> = parents
        .keys()
        .copied()
        .filter(|p| descends(*p))
        .filter_map(|pid| {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let field = |name: &str| {
                rollup.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok())
            };
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let first = cmdline.split(|b| *b == 0).next().map(|a| String::from_utf8_lossy(a).into_owned()).unwrap_or_default();
            let name = Path::new(&first).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(first);
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let threads = status.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            Some(Memory {
                pid,
                name,
                rss_kb: field("Rss:")?,
                pss_kb: field("Pss:")?,
                pss_anon_kb: field("Pss_Anon:").unwrap_or(0),
                pss_file_kb: field("Pss_File:").unwrap_or(0),
                threads,
            })
        })
        .collect();
    out.sort_by_key(|m| m.pid);
    out
}

pub fn memory_json(m: &[Memory]) -> Value {
    json!({
        "processes": m.iter().map(|p| json!({
            "pid": p.pid, "name": p.name, "rss_kb": p.rss_kb, "pss_kb": p.pss_kb,
            "pss_anon_kb": p.pss_anon_kb, "pss_file_kb": p.pss_file_kb, "threads": p.threads,
        })).collect::<Vec<_>>(),
        "total_rss_kb": m.iter().map(|p| p.rss_kb).sum::<u64>(),
        "total_pss_kb": m.iter().map(|p| p.pss_kb).sum::<u64>(),
    })
}

/// WebKitGTK's own browser: the floor the window is measured against.
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// PSS in MiB (the kernel's kB are KiB) of the processes named `name`.
pub fn pss_mib(m: &[Memory], name: &str) -> f64 {
    m.iter().filter(|p| p.name == name).map(|p| p.pss_kb).sum::<u64>() as f64 / 1024.0
}

/// PSS in MiB of all of them.
pub fn total_pss_mib(m: &[Memory]) -> f64 {
    m.iter().map(|p| p.pss_kb).sum::<u64>() as f64 / 1024.0
}

/// A bare WebKitGTK window: [`MINIBROWSER`] showing a static 30-row table (no JavaScript) written
/// into `dir`, in this process's environment (the same display and session bus as the app's) plus
/// `webkit_env`: the `WEBKIT_*` settings the app's own web process ran with (see
/// [`webkit_env_of`]: GPU compositing off, as BrickDesk's shell turns it off). Without any,
/// compositing is turned off the way the shell does (`WEBKIT_DISABLE_COMPOSITING_MODE=1` unless
/// the environment says). Once its web process is up the window is left alone for
/// `settle`, then the memory of MiniBrowser and the processes it started is read (their smaps
/// saved beside `log`, MiniBrowser's output) and the window closed. Run it while no other WebKit window is open: PSS shares a library's pages among every
/// process that maps them, so a second WebKit window makes both look smaller. `Err` says why
/// nothing was measured (MiniBrowser missing, or no web process within 30 s); `Ok` also counts the
/// [`other_webkit_processes`] running meanwhile.
pub async fn bare_webkit_window(
    dir: &Path,
    settle: std::time::Duration,
    log: &Path,
    webkit_env: &[(String, String)],
) -> Result<(Vec<Memory>, usize), String> {
    if !Path::new(MINIBROWSER).exists() {
        return Err(format!("{MINIBROWSER} is not installed (Debian: webkit2gtk-4.1's MiniBrowser comes with libwebkit2gtk-4.1-0)"));
    }
    let page = dir.join("bare-webkit.html");
    let rows: String = (1..=30)
        .map(|i| {
            format!(
                "<tr><td>{i}</td><td>3001</td><td>Brick 2 x 4</td><td>Red</td><td>New</td><td>{}</td><td>0.{i:02}</td><td>A-{i:02}</td></tr>",
                i * 3
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>bare</title></head><body>\
         <table><thead><tr><th>#</th><th>Item</th><th>Name</th><th>Colour</th><th>Cond.</th><th>Qty</th><th>Price</th><th>Bin</th></tr></thead>\
         <tbody>{rows}</tbody></table></body></html>"
    );
    std::fs::write(&page, html).map_err(|e| format!("writing {}: {e}", page.display()))?;
    let out = std::fs::File::create(log).map_err(|e| format!("creating {}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(MINIBROWSER);
    cmd.arg(format!("file://{}", page.display())).stdout(out).stderr(err);
    cmd.envs(webkit_env.iter().map(|(k, v)| (k, v)));
    if webkit_env.is_empty() && std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        cmd.env("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let mut child = cmd.spawn().map_err(|e| format!("starting {MINIBROWSER}: {e}"))?;
    let pid = child.id();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let measured = loop {
        if memory_of(pid).iter().any(|p| p.name == "WebKitWebProcess") {
            tokio::time::sleep(settle).await;
            let m = memory_of(pid);
            save_smaps(&m, log.parent().unwrap_or(dir), "bare-webkit");
            let others = other_webkit_processes(&m.iter().map(|p| p.pid).collect::<Vec<_>>());
            break Ok((m, others));
        }
        if let Ok(Some(status)) = child.try_wait() {
            break Err(format!("MiniBrowser ended ({status}) before its web process started; see {}", log.display()));
        }
        if std::time::Instant::now() > deadline {
            break Err(format!("MiniBrowser's web process did not start in 30 s; see {}", log.display()));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    // SIGTERM: MiniBrowser quits and its web and network processes follow it (SIGKILL after 5 s).
    let asked = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().map(|s| s.success()).unwrap_or(false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while asked && std::time::Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let _already_exited = child.kill();
    let _reaped = child.wait();
    measured
}

/// The `WEBKIT_*` variables in the environment `pid` started with (a web process gets the ones its
/// app set for WebKit).
pub fn webkit_env_of(pid: u32) -> Vec<(String, String)> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
    environ
        .split(|b| *b == 0)
        .filter_map(|v| String::from_utf8_lossy(v).split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .filter(|(k, _)| k.starts_with("WEBKIT_"))
        .collect()
}

/// Processes outside `ours` (this run's window) that map WebKitGTK's libraries: other WebKit
/// windows, their web processes. PSS divides a shared page among every process that maps it, so
/// while any run every figure of ours reads lower; a bench notes how many there were.
pub fn other_webkit_processes(ours: &[u32]) -> usize {
    all_pids()
        .into_iter()
        .filter(|pid| !ours.contains(pid))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/maps"))
                .is_ok_and(|maps| maps.contains("libwebkit2gtk") || maps.contains("libjavascriptcoregtk"))
        })
        .count()
}

/// Copies each process's `/proc/<pid>/smaps` (every mapping, with its RSS and PSS) to
/// `<dir>/<prefix>-<name>.smaps`, for a human to see where the memory is; best effort.
pub fn save_smaps(m: &[Memory], dir: &Path, prefix: &str) {
    for p in m {
        if let Ok(smaps) = std::fs::read(format!("/proc/{}/smaps", p.pid)) {
            let _best_effort = std::fs::write(dir.join(format!("{prefix}-{}-{}.smaps", p.name, p.pid)), smaps);
        }
    }
}
