//! The layers, checked from the sources: every `use` and every `crate::…`/`super::…` path in the
//! engine, the simulator and the UI is resolved to the file it names. The engine's folders may
//! import only the folders below them (`ENGINE_LAYERS`, the same list as ARCHITECTURE.md's
//! "Layers"), and no crate may have files that import each other in a circle.
//!
//! Test code (a `tests.rs` file, or an item under `#[cfg(test)]`) may reach any layer to build
//! its fixtures; only what ships is held to the layers.
//!
//! Standard library only, so it also runs on its own: `rustc --edition 2021 --test
//! tests/it/boundaries/layers.rs -o /tmp/layers && /tmp/layers` from the repository's root.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What each part of `src-tauri/engine/src` may import, besides itself. A part is a folder, or
/// one of the kernel's files. `marketplaces/types.rs` names one file of a folder: only that file.
pub const ENGINE_LAYERS: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("marketplaces", &["base"]),
    ("events.rs", &[]),
    ("error.rs", &["marketplaces", "base"]),
    ("config.rs", &["error.rs", "base"]),
    ("logging.rs", &["error.rs"]),
    ("store", &["error.rs", "config.rs", "events.rs", "base"]),
    ("gateway", &["store", "marketplaces", "error.rs", "config.rs", "events.rs", "base"]),
    ("stock", &["store", "marketplaces/types.rs", "error.rs", "config.rs", "events.rs", "base"]),
    ("catalog", &["gateway", "store", "marketplaces", "error.rs", "config.rs", "events.rs", "base"]),
    ("exchange", &["stock", "store", "marketplaces/types.rs", "error.rs", "config.rs", "events.rs", "base"]),
    ("orders", &["stock", "gateway", "store", "marketplaces", "error.rs", "config.rs", "events.rs", "base"]),
    ("allegro", &["orders", "stock", "gateway", "store", "marketplaces", "error.rs", "config.rs", "events.rs", "base"]),
    ("sync", &["allegro", "orders", "catalog", "stock", "gateway", "store", "marketplaces", "error.rs", "config.rs", "events.rs", "base"]),
    (
        "engine",
        &[
            "sync",
            "allegro",
            "orders",
            "exchange",
            "catalog",
            "stock",
            "gateway",
            "store",
            "marketplaces",
            "error.rs",
            "config.rs",
            "events.rs",
            "logging.rs",
            "base",
        ],
    ),
];

/// The crate root and the binaries sit above every layer.
const ENGINE_TOP: &[&str] = &["lib.rs", "bin"];

/// One import: `from` (a file, relative to the crate's `src/`) names `to` at `line`.
#[derive(Debug, Clone)]
pub struct Import {
    pub from: String,
    pub line: usize,
    pub to: String,
}

/// Every `.rs` file under `src`, relative to it, with `/` separators.
pub fn sources(src: &Path) -> Vec<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                if let Ok(rel) = p.strip_prefix(root) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(src, src, &mut out);
    out.sort();
    out
}

/// The module path of a file: `sync/round.rs` → `["sync", "round"]`, `sync/mod.rs` → `["sync"]`,
/// the crate root (`lib.rs`, `main.rs`, a `bin/` file) → `[]`.
fn module_of(file: &str, roots: &[&str]) -> Vec<String> {
    if roots.contains(&file) {
        return Vec::new();
    }
    let trimmed = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    parts
}

/// The file that defines the longest prefix of `path` that is a module.
fn file_of(path: &[String], files: &BTreeSet<String>, roots: &[&str]) -> Option<String> {
    for n in (1..=path.len()).rev() {
        let base = path[..n].join("/");
        for candidate in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if files.contains(&candidate) && !roots.contains(&candidate.as_str()) {
                return Some(candidate);
            }
        }
    }
    roots.iter().find(|r| files.contains(**r)).map(|r| r.to_string())
}

/// The code of a file that ships: comments blanked, and each item under `#[cfg(test)]` blanked
/// (a `mod tests;` line, or a whole `mod tests { … }`), keeping the line numbers.
fn shipped_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        if !code.trim_start().starts_with("#[cfg(test)]") {
            out.push(code.to_string());
            continue;
        }
        out.push(String::new());
        // The guarded item: up to its `;`, or to the `}` that closes its first `{`.
        let mut depth = 0i64;
        let mut opened = false;
        for item in lines.by_ref() {
            out.push(String::new());
            let item = item.find("//").map_or(item, |i| &item[..i]);
            for c in item.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (opened && depth <= 0) || (!opened && item.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    out
}

/// Expands a `use` tree (`crate::{a, b::{c, d}}`) into its paths.
fn expand_use(tree: &str) -> Vec<String> {
    // ` as ` survives the squeeze as `@` and comes back at the end.
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ").replace(" as ", "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn go(prefix: &str, t: &str, out: &mut Vec<String>) {
        match t.find('{') {
            None => out.push(format!("{prefix}{t}")),
            Some(open) => {
                let head = &t[..open];
                let inner = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
                let mut depth = 0;
                let mut start = 0;
                let bytes: Vec<char> = inner.chars().collect();
                for (i, c) in bytes.iter().enumerate() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            let part: String = bytes[start..i].iter().collect();
                            if !part.is_empty() {
                                go(&format!("{prefix}{head}"), &part, out);
                            }
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                let part: String = bytes[start..].iter().collect();
                if !part.is_empty() {
                    go(&format!("{prefix}{head}"), &part, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    go("", &tree, &mut out);
    out.into_iter().map(|p| p.replace('@', " as ")).collect()
}

fn segments(path: &str) -> Vec<String> {
    path.split("::").map(|s| s.split(" as ").next().unwrap_or(s).trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Every import of every shipped line of a crate whose sources are under `src`; `roots` are its
/// crate-root files (`lib.rs`, `main.rs`, each `bin/…` file).
pub fn imports(src: &Path, roots: &[&str]) -> Vec<Import> {
    let list = sources(src);
    let files: BTreeSet<String> = list.iter().cloned().collect();
    let mut out = Vec::new();
    for file in &list {
        if file.ends_with("/tests.rs") || file == "tests.rs" {
            continue;
        }
        let Ok(text) = fs::read_to_string(src.join(file)) else { continue };
        let here = module_of(file, roots);
        let lines = shipped_lines(&text);
        // Child modules declared here: `use child::…` in this file names them.
        let children: BTreeSet<String> = lines
            .iter()
            .filter_map(|l| {
                let t = l.trim();
                let t = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
                t.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')).map(|m| m.trim().to_string())
            })
            .collect();
        let is_root = roots.contains(&file.as_str());
        let mut found: Vec<(usize, Vec<String>)> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].trim();
            let after_vis = t.strip_prefix("pub(crate) ").or_else(|| t.strip_prefix("pub ")).unwrap_or(t);
            if let Some(rest) = after_vis.strip_prefix("use ") {
                // A `use` may run over several lines, up to its `;`.
                let mut stmt = rest.to_string();
                let start = i;
                while !stmt.contains(';') && i + 1 < lines.len() {
                    i += 1;
                    stmt.push_str(&lines[i]);
                }
                let stmt = stmt.split(';').next().unwrap_or("").to_string();
                for p in expand_use(&stmt) {
                    let segs = segments(&p);
                    if segs.first().is_some_and(|s| {
                        children.contains(s) || (is_root && s != "crate" && s != "super" && s != "self" && files_has_module(&files, s))
                    }) {
                        let mut full = here.clone();
                        full.extend(segs);
                        found.push((start + 1, full));
                    } else {
                        found.push((start + 1, segs));
                    }
                }
            } else {
                // Paths written inline: `crate::a::b(…)`, `super::x`, `child::f(…)`.
                let keys: Vec<String> =
                    ["crate::".to_string(), "super::".to_string()].into_iter().chain(children.iter().map(|c| format!("{c}::"))).collect();
                for key in &keys {
                    let child = !key.starts_with("crate") && !key.starts_with("super");
                    let mut from = 0;
                    while let Some(pos) = lines[i][from..].find(key.as_str()) {
                        let at = from + pos;
                        let prev = lines[i][..at].chars().last();
                        from = at + key.len();
                        if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                            continue;
                        }
                        let tail: String = lines[i][at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
                        let mut segs = segments(&tail);
                        if child {
                            let mut full = here.clone();
                            full.append(&mut segs);
                            segs = full;
                            segs.insert(0, "crate".into());
                        }
                        found.push((i + 1, segs));
                    }
                }
            }
            i += 1;
        }
        for (line, segs) in found {
            let Some(path) = absolute(&segs, &here, file, roots) else { continue };
            if path.is_empty() {
                continue;
            }
            if let Some(to) = file_of(&path, &files, roots) {
                let seen = out.iter().any(|i: &Import| i.from == *file && i.line == line && i.to == to);
                if &to != file && !seen {
                    out.push(Import { from: file.clone(), line, to });
                }
            }
        }
    }
    out
}

fn files_has_module(files: &BTreeSet<String>, name: &str) -> bool {
    files.contains(&format!("{name}.rs")) || files.contains(&format!("{name}/mod.rs"))
}

/// `crate::a::b` and `super::c` as a path from the crate root; `None` for any other path
/// (`std::…`, another crate's).
fn absolute(segs: &[String], here: &[String], file: &str, roots: &[&str]) -> Option<Vec<String>> {
    let first = segs.first()?;
    match first.as_str() {
        "crate" => Some(segs[1..].to_vec()),
        "self" => {
            let mut p = here.to_vec();
            p.extend(segs[1..].iter().cloned());
            Some(p)
        }
        "super" => {
            let mut p = here.to_vec();
            let mut rest = segs;
            // In `a/b.rs` (module a::b) `super` is `a`; in `a/mod.rs` (module a) it is the root.
            let _ = file;
            let _ = roots;
            while rest.first().is_some_and(|s| s == "super") {
                p.pop();
                rest = &rest[1..];
            }
            p.extend(rest.iter().cloned());
            Some(p)
        }
        _ if segs.len() > 1 && here.is_empty() => None,
        _ => {
            // Already made absolute (a child module's path), or an outside crate.
            if segs.len() > here.len() && segs[..here.len()] == *here && !here.is_empty() {
                Some(segs.to_vec())
            } else {
                None
            }
        }
    }
}

/// The engine part a file belongs to: its top folder, or its own name for a file at the top.
pub fn part_of(file: &str) -> String {
    match file.split_once('/') {
        Some((folder, _)) => folder.to_string(),
        None => file.to_string(),
    }
}

/// Whether `from`'s part may import the file `to`, by `ENGINE_LAYERS`.
pub fn allowed(from: &str, to: &str) -> bool {
    let (pf, pt) = (part_of(from), part_of(to));
    if pf == pt || ENGINE_TOP.contains(&pf.as_str()) {
        return true;
    }
    let Some((_, may)) = ENGINE_LAYERS.iter().find(|(p, _)| *p == pf) else { return false };
    may.iter().any(|m| *m == pt || *m == to)
}

/// The import circles between files: each as its files, one import of each step shown.
pub fn circles(imports: &[Import]) -> Vec<Vec<Import>> {
    let mut graph: BTreeMap<&str, BTreeMap<&str, &Import>> = BTreeMap::new();
    for i in imports {
        graph.entry(&i.from).or_default().entry(&i.to).or_insert(i);
        graph.entry(&i.to).or_default();
    }
    // Tarjan's strongly connected components.
    struct T<'a> {
        graph: &'a BTreeMap<&'a str, BTreeMap<&'a str, &'a Import>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        let succ: Vec<&'a str> = t.graph[v].keys().copied().collect();
        for w in succ {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t =
        T { graph: &graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), on: BTreeSet::new(), next: 0, out: Vec::new() };
    let nodes: Vec<&str> = graph.keys().copied().collect();
    for v in nodes {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    // Each component as the imports inside it.
    t.out
        .iter()
        .map(|comp| {
            let set: BTreeSet<&str> = comp.iter().copied().collect();
            imports.iter().filter(|i| set.contains(i.from.as_str()) && set.contains(i.to.as_str())).cloned().collect()
        })
        .collect()
}

pub fn repo() -> PathBuf {
    match option_env!("CARGO_MANIFEST_DIR") {
        Some(d) => Path::new(d).join(".."),
        None => PathBuf::from("."),
    }
}

/// One line per pair of files: the first place one imports the other.
fn describe(list: &[Import]) -> String {
    let mut seen = BTreeSet::new();
    list.iter()
        .filter(|i| seen.insert((i.from.as_str(), i.to.as_str())))
        .map(|i| format!("  {}:{} imports {}", i.from, i.line, i.to))
        .collect::<Vec<_>>()
        .join("\n")
}

fn bins(src: &Path) -> Vec<String> {
    sources(src).into_iter().filter(|f| f.starts_with("bin/")).collect()
}

#[test]
fn the_engine_imports_only_downward() {
    let src = repo().join("src-tauri/engine/src");
    let bin_files = bins(&src);
    let mut roots: Vec<&str> = vec!["lib.rs"];
    roots.extend(bin_files.iter().map(String::as_str));
    let all = imports(&src, &roots);
    assert!(all.len() > 50, "found only {} imports in {}: is the path right?", all.len(), src.display());
    let upward: Vec<String> = all
        .iter()
        .filter(|i| !allowed(&i.from, &i.to))
        .map(|i| format!("  {}:{} imports {} ({} may not import {})", i.from, i.line, i.to, part_of(&i.from), part_of(&i.to)))
        .collect();
    assert!(upward.is_empty(), "imports outside ENGINE_LAYERS (see ARCHITECTURE.md, Layers):\n{}", upward.join("\n"));
    let parts: BTreeSet<String> = sources(&src).iter().map(|f| part_of(f)).collect();
    for p in parts {
        let known = ENGINE_TOP.contains(&p.as_str()) || ENGINE_LAYERS.iter().any(|(l, _)| *l == p);
        assert!(known, "src-tauri/engine/src/{p} is in no layer: add it to ENGINE_LAYERS and ARCHITECTURE.md's Layers");
    }
}

#[test]
fn no_crate_has_an_import_circle() {
    let mut report = Vec::new();
    for (crate_src, roots) in [
        ("src-tauri/engine/src", vec!["lib.rs"]),
        ("src-tauri/sim/src", vec!["lib.rs"]),
        ("src-tauri/src", vec!["lib.rs", "main.rs"]),
        ("ui/src", vec!["main.rs"]),
    ] {
        let src = repo().join(crate_src);
        let mut roots: Vec<String> = roots.into_iter().map(str::to_string).collect();
        roots.extend(bins(&src));
        let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
        let all = imports(&src, &roots);
        let found = circles(&all);
        let text: Vec<String> = found.iter().map(|c| describe(c)).collect();
        if !found.is_empty() {
            report.push(format!("{crate_src}: files that import each other in a circle:\n{}", text.join("\n  --\n")));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}

#[test]
fn the_checker_sees_what_it_checks() {
    // The parser itself: a grouped `use`, a renamed one, and paths written inline.
    assert_eq!(expand_use("crate::{a, b::{c, d as e}}"), vec!["crate::a", "crate::b::c", "crate::b::d as e"]);
    assert!(allowed("sync/round.rs", "stock/outbox.rs"));
    assert!(!allowed("stock/outbox.rs", "sync/round.rs"));
    assert!(allowed("stock/matching.rs", "marketplaces/types.rs"));
    assert!(!allowed("stock/matching.rs", "marketplaces/bricklink/api.rs"));
    assert!(!allowed("store/mod.rs", "orders/apply.rs"));
    let cycle = [
        Import { from: "a.rs".into(), line: 1, to: "b.rs".into() },
        Import { from: "b.rs".into(), line: 2, to: "c.rs".into() },
        Import { from: "c.rs".into(), line: 3, to: "a.rs".into() },
        Import { from: "c.rs".into(), line: 4, to: "d.rs".into() },
    ];
    let found = circles(&cycle);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].len(), 3, "{found:?}");
}
