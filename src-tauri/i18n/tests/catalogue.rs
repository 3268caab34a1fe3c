//! The catalogue is complete: every language has every key of every area, every file parses, no
//! key is defined twice, and every key the window or the shell asks for exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use brickdesk_i18n::{keys, parse_errors, Catalogue, Lang};

fn by_area(lang: Lang) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (area, key) in keys(lang) {
        out.entry(area).or_default().push(key);
    }
    out
}

#[test]
fn every_file_parses() {
    for lang in Lang::ALL {
        let errors = parse_errors(lang);
        assert!(errors.is_empty(), "{}: {errors:#?}", lang.code());
    }
}

#[test]
fn every_language_has_every_key_and_no_other() {
    let en = by_area(Lang::En);
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let theirs = by_area(lang);
        for area in brickdesk_i18n::AREAS {
            let want: BTreeSet<&String> = en.get(area).map(|v| v.iter().collect()).unwrap_or_default();
            let have: BTreeSet<&String> = theirs.get(area).map(|v| v.iter().collect()).unwrap_or_default();
            for k in want.difference(&have) {
                problems.push(format!("{}/{area}.ftl lacks {k}", lang.code()));
            }
            for k in have.difference(&want) {
                problems.push(format!("{}/{area}.ftl has {k}, which English does not", lang.code()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn no_key_is_defined_twice() {
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        let twice: Vec<String> =
            keys(lang).into_iter().filter(|(_, k)| !seen.insert(k.clone())).map(|(a, k)| format!("{a}: {k}")).collect();
        assert!(twice.is_empty(), "{}: {twice:?}", lang.code());
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The literal keys of `t("…")`, `tf("…", …)` (the window) and `.text("…")`, `.text_with("…", …)`
/// (the shell) in a source file, also when rustfmt put the key on the next line.
fn used_keys(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for call in ["t(", "tf(", ".text(", ".text_with("] {
        let mut rest = source;
        while let Some(at) = rest.find(call) {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + call.len()..];
            let is_call = call.starts_with('.') || !before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if let Some(quoted) = after.trim_start().strip_prefix('"').filter(|_| is_call) {
                // Fluent ids only: a test's `t("2026-11-23T09:00:00Z")` is not a key.
                let key = &quoted[..quoted.find('"').unwrap_or(0)];
                if key.starts_with(|c: char| c.is_ascii_lowercase()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    out.push(key.to_string());
                }
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_key_the_window_and_the_shell_use_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&root.join("ui/src"), &mut files);
    rust_files(&root.join("src-tauri/src"), &mut files);
    let mut missing = Vec::new();
    let mut used = 0;
    for lang in Lang::ALL {
        let catalogue = Catalogue::new(lang);
        for file in &files {
            let source = std::fs::read_to_string(file).expect("source file");
            for key in used_keys(&source) {
                used += 1;
                if !catalogue.has(&key) {
                    missing.push(format!("{}: {key} (in {})", lang.code(), file.display()));
                }
            }
        }
    }
    assert!(used > 0, "no key found in the sources: the scan is broken");
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn the_scan_sees_keys_rustfmt_moved_to_the_next_line() {
    let src = "let a = tf(\n    \"lots-file-refused-lot\",\n    &[]);\nlet b = t(\"nav-orders\"); at(\"2026-01-01\"); x.text_with(\"tray-unread\", &[]);";
    assert_eq!(used_keys(src), ["nav-orders", "lots-file-refused-lot", "tray-unread"]);
}

#[test]
fn arguments_are_formatted_for_the_language() {
    let pl = Catalogue::new(Lang::Pl);
    let en = Catalogue::new(Lang::En);
    let de = Catalogue::new(Lang::De);
    let n = [("count", brickdesk_i18n::Value::from(100_000))];
    assert_eq!(en.text_with("lots-count", &n), "100,000 lots");
    assert_eq!(pl.text_with("lots-count", &n), "100\u{a0}000 partii");
    assert_eq!(de.text_with("lots-count", &n), "100.000 Posten");
    assert_eq!(de.text_with("lots-count", &[("count", 1.into())]), "1 Posten");
    assert_eq!(pl.text_with("lots-count", &[("count", 1.into())]), "1 partia");
    assert_eq!(pl.text_with("lots-count", &[("count", 3.into())]), "3 partie");
    assert_eq!(pl.text("no-such-key"), "no-such-key");
}

#[test]
fn os_locales_pick_the_language() {
    let env =
        |pairs: &'static [(&'static str, &'static str)]| move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string());
    assert_eq!(Lang::from_env(env(&[("LANG", "pl_PL.UTF-8")])), Lang::Pl);
    assert_eq!(Lang::from_env(env(&[("LANG", "pl_PL.UTF-8"), ("LC_ALL", "C")])), Lang::En);
    assert_eq!(Lang::from_env(env(&[("LANGUAGE", "pl:en"), ("LANG", "en_US.UTF-8")])), Lang::Pl);
    assert_eq!(Lang::from_env(env(&[("LANG", "de_DE.UTF-8")])), Lang::De);
    assert_eq!(Lang::from_env(env(&[("LANG", "fr_FR.UTF-8")])), Lang::En);
    assert_eq!(Lang::from_env(env(&[])), Lang::En);
    assert_eq!(Lang::from_locale("pl-PL"), Some(Lang::Pl));
    assert_eq!(Lang::from_locale("de-AT"), Some(Lang::De));
}
