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
            Some(Memory { pid, name, rss_kb: field("Rss:")?, pss_kb: field("Pss:")? })
        })
        .collect();
    out.sort_by_key(|m| m.pid);
    out
}

pub fn memory_json(m: &[Memory]) -> Value {
    json!({
        "processes": m.iter().map(|p| json!({"pid": p.pid, "name": p.name, "rss_kb": p.rss_kb, "pss_kb": p.pss_kb})).collect::<Vec<_>>(),
        "total_rss_kb": m.iter().map(|p| p.rss_kb).sum::<u64>(),
        "total_pss_kb": m.iter().map(|p| p.pss_kb).sum::<u64>(),
    })
}
