//! The module graph the crate doc draws, checked against the source: every arrow points
//! down (no cycle between top-level modules), nothing outside `tui` imports it, plain mode
//! imports neither `tui` nor `commands`, and no file grows past the size one reads whole.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Files longer than this are split along their seams (tests and word lists aside).
const MAX_LINES: usize = 500;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each source file's top-level module and its code without its tests.
fn code() -> Vec<(String, PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != "tests.rs"))
        .filter(|p| !p.components().any(|c| c.as_os_str() == "tests"))
        .map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let top = first.trim_end_matches(".rs").to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            (top, p, code)
        })
        .collect()
}

/// `crate::x` paths used in code (comments aside).
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (top, _, code) in code() {
        let used = uses(&code);
        g.entry(top.clone())
            .or_default()
            .extend(used.into_iter().filter(|u| *u != top));
    }
    g
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    // Depth-first, with the path so far: a module met again on its own path is a cycle.
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        m: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            panic!("module cycle: {} -> {m}", path[i..].join(" -> "));
        }
        if !done.insert(m.to_string()) {
            return;
        }
        path.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            visit(g, next, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for m in g.keys() {
        visit(&g, m, &mut Vec::new(), &mut done);
    }
}

#[test]
fn front_ends_stay_apart() {
    for (top, _, code) in code() {
        let used = uses(&code);
        if top != "tui" {
            assert!(!used.contains("tui"), "{top} imports tui");
        }
        if top == "plain" {
            assert!(!used.contains("commands"), "plain imports commands");
        }
        for low in ["aws", "engine", "resources", "plan", "state"] {
            if top == low {
                for up in ["ops", "commands", "progress", "plain", "wizard", "tui"] {
                    assert!(!used.contains(up), "{low} imports {up}, above it");
                }
            }
        }
    }
}

#[test]
fn no_file_is_too_long_to_read_whole() {
    let long: Vec<String> = code()
        .into_iter()
        .filter(|(_, p, code)| {
            p.file_name().is_some_and(|n| n != "reserved.rs") && code.lines().count() > MAX_LINES
        })
        .map(|(_, p, code)| format!("{} ({} lines)", p.display(), code.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these: {long:?}");
}
