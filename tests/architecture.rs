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
