//! Invariants of the code's shape, stated in ARCHITECTURE.md and checked here.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The pure core knows nothing of the browser: no browser crate is named anywhere under src/core.
#[test]
fn core_imports_no_browser_crate() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(files.len() >= 8, "expected the core's modules, found {files:?}");
    let banned = ["web_sys", "wasm_bindgen", "js_sys", "gloo", "yew"];
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for crate_name in banned {
                let named = code.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|word| word == crate_name);
                if named {
                    offences.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "src/core must stay pure:\n{}", offences.join("\n"));
}

/// Browser crates are only dependencies of the wasm32 target, so a native build cannot use them.
#[test]
fn browser_crates_are_wasm_only_dependencies() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap_or_default();
    let (native, _) = manifest.split_once("[target.").unwrap_or((&manifest, ""));
    for crate_name in ["yew", "web-sys", "wasm-bindgen", "js-sys", "gloo"] {
        assert!(
            !native.lines().any(|l| l.trim_start().starts_with(&format!("{crate_name} ")) || l.trim_start().starts_with(&format!("{crate_name}="))),
            "{crate_name} must be a wasm32-only dependency"
        );
    }
}

/// The module path of a source file: `src/ui/hooks/saving.rs` is `ui::hooks::saving`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The modules a file names through `crate::`, `super::` and `self::` paths.
fn named_modules(text: &str, me: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find(|c: char| c.is_alphabetic()) {
            rest = &rest[at..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let path: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
            rest = &rest[end..];
            let Some(first) = path.first() else { continue };
            // Where the path starts: the crate root, or this module (a directory module's
            // `super` is its parent; a file module's `super` is the directory it is in).
            let mut base: Vec<String> = match *first {
                "crate" => Vec::new(),
                "self" => me.to_vec(),
                "super" => {
                    let mut b = me.to_vec();
                    b.pop();
                    b
                }
                _ => continue,
            };
            let mut segments = path[1..].iter();
            for seg in segments.by_ref() {
                if *seg == "super" {
                    base.pop();
                } else {
                    base.push((*seg).to_owned());
                    break;
                }
            }
            base.extend(segments.map(|s| (*s).to_owned()));
            out.push(base);
        }
    }
    out
}

/// No import circles between modules: the store, the codecs, the library logic and the
/// UI's root, bridge and saver each depend one way.
#[test]
fn modules_import_one_another_without_circles() {
    use std::collections::{BTreeMap, BTreeSet};
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let resolve = |path: &[String]| -> Option<Vec<String>> { (1..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p)) };
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let me = module_of(&src, file);
        let text = fs::read_to_string(file).unwrap_or_default();
        // Tests may reach anywhere; the module graph is about the code that ships.
        let shipped = text.split("#[cfg(test)]").next().unwrap_or("");
        for target in named_modules(shipped, &me).iter().filter_map(|p| resolve(p)) {
            // A module naming its own ancestor (a parent's re-export) is not a circle of files.
            if target != me && !me.starts_with(&target) {
                edges.entry(me.clone()).or_default().insert(target);
            }
        }
    }
    assert!(edges.len() >= 20, "expected a graph of the crate's modules, found {}", edges.len());
    // Depth-first search for a cycle.
    fn visit(node: &Vec<String>, edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>, stack: &mut Vec<Vec<String>>, done: &mut BTreeSet<Vec<String>>) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            return Some(stack[at..].iter().chain([node]).map(|m| m.join("::")).collect());
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    let mut cycles = Vec::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            cycles.push(cycle.join(" -> "));
        }
    }
    assert!(cycles.is_empty(), "import circles:\n{}", cycles.join("\n"));
}

/// Components and the embed code never touch browser storage: every read and write goes
/// through the store (`core::store`) over the key-value trait that `platform::storage`
/// implements.
#[test]
fn nothing_outside_platform_touches_local_storage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for dir in ["ui", "embed", "core"] {
        rust_files(&src.join(dir), &mut files);
    }
    let banned = ["local_storage", "get_item", "set_item", "remove_item", "storage::read", "storage::write", "storage::remove"];
    let offences: Vec<String> = files
        .iter()
        .flat_map(|file| {
            let text = fs::read_to_string(file).unwrap_or_default();
            let shipped = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
            banned.iter().filter(move |b| shipped.contains(**b)).map(move |b| format!("{}: {b}", file.display())).collect::<Vec<_>>()
        })
        .collect();
    assert!(offences.is_empty(), "storage is the store's job:\n{}", offences.join("\n"));
}
