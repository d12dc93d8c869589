//! `cargo xtask package`: the npm package `article-annotator`, made from the release
//! build in dist/ (built first when it is missing or older than the sources), in
//! `target/package/article-annotator/`, then packed by `npm pack` into
//! `target/package/article-annotator-VERSION.tgz`.
//!
//! The package is what a host page loads from dist/, nothing more: the loader (the ES
//! module a page imports; importing it mounts the widgets), the widget's stylesheet
//! (which the loader adopts to show the article before the wasm arrives; the wasm has
//! it compiled in too), both builds' wasm-bindgen bindings and `.wasm` (the embed build
//! and the full one), and the types. `demo.css` is the demo page's own. No
//! dependencies, so no install scripts and nothing to audit.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::bundle::{self, CATALOGUE_FILES, FULL_FILES, WIDGET_FILES};
use crate::json::Json;
use crate::util::{self, display};
use crate::{build, lockfile, setup};

/// The package's name on npm (and the import specifier hosts use).
pub const NAME: &str = "article-annotator";
/// The loader: the package's entry point, copied from `web/article-annotator.js` by Trunk.
const ENTRY: &str = "article-annotator.js";
/// The hand-written types of the loader's exports.
const TYPES: &str = "article-annotator.d.ts";
/// Where the loader finds each build's wasm, relative to its own URL (`import.meta.url`).
const WASM: &[&str] = &["pkg/embed/article-annotator_bg.wasm", "pkg/article-annotator_bg.wasm"];

/// What the release build is made from: a file here newer than dist/ means dist/ is
/// stale. (Not web/package-README.md: the package takes it from here, not from dist/.)
const SOURCES: &[&str] = &["src", "web/article-annotator.js", "web/article-annotator.d.ts", "styles", "assets", "examples/host", "index.html", "Trunk.toml", "Cargo.toml", "Cargo.lock"];

/// The package's README, shown on npm's page of the package.
const README: &str = include_str!("../../web/package-README.md");

/// The files of the package besides package.json and README.md, as they lie in dist/.
fn package_files() -> Vec<&'static str> {
    let mut files = WIDGET_FILES.to_vec();
    files.extend(FULL_FILES);
    files.extend(CATALOGUE_FILES);
    files.push(TYPES);
    files
}

pub struct Packed {
    pub tarball: PathBuf,
}

pub fn cmd_package() -> Result<(), String> {
    let dist = util::dist_dir();
    match stale(&dist, &util::root()) {
        Some(reason) => {
            println!("package: {reason}: building it first (as `cargo xtask build`)");
            setup::setup_and_warn();
            build::release_build(false)?;
        }
        None => println!("package: {} is newer than every source: not rebuilt", dist.display()),
    }
    package(&dist).map(|_| ())
}

/// Why the build in `dist` cannot be packaged as it is (a file missing, a source
/// changed since), or `None` when it is up to date.
fn stale(dist: &Path, root: &Path) -> Option<String> {
    let mut built: Option<SystemTime> = None;
    for file in package_files() {
        let Some(time) = setup::mtime(&dist.join(file)) else {
            return Some(format!("{} has no {file}", dist.display()));
        };
        built = Some(built.map_or(time, |b| b.min(time)));
    }
    let built = built?;
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for source in SOURCES {
        newest_file(&root.join(source), &mut newest);
    }
    match newest {
        Some((time, path)) if time > built => {
            Some(format!("{} is older than {}", dist.display(), path.strip_prefix(root).unwrap_or(&path).display()))
        }
        _ => None,
    }
}

/// The most recently modified file at or under `path` (unreadable entries are skipped).
fn newest_file(path: &Path, newest: &mut Option<(SystemTime, PathBuf)>) {
    let Ok(meta) = fs::metadata(path) else { return };
    if meta.is_dir() {
        let Ok(entries) = fs::read_dir(path) else { return };
        for entry in entries.flatten() {
            newest_file(&entry.path(), newest);
        }
    } else if let Ok(time) = meta.modified() {
        if newest.as_ref().is_none_or(|(t, _)| time > *t) {
            *newest = Some((time, path.to_path_buf()));
        }
    }
}

/// Makes the package folder from `dist` (no build) and packs it; fails if npm warns.
pub fn package(dist: &Path) -> Result<Packed, String> {
    let manifest_path = util::root().join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path).map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
    let field = |key: &str| lockfile::package_field(&manifest, key);
    let version = field("version").ok_or_else(|| format!("{} has no [package] version", manifest_path.display()))?;

    let out = util::target_dir().join("package");
    let folder = out.join(NAME);
    if folder.exists() {
        fs::remove_dir_all(&folder).map_err(|e| format!("cannot empty {}: {e}", folder.display()))?;
    }
    for file in package_files() {
        let (from, to) = (dist.join(file), folder.join(file));
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&from, &to).map_err(|e| format!("cannot copy {} (run `cargo xtask build`?): {e}", from.display()))?;
    }
    check_loader(&folder.join(ENTRY))?;
    let json = package_json(&version, field("description"), field("license"), field("repository"));
    write(&folder.join("package.json"), &json.pretty())?;
    write(&folder.join("README.md"), README)?;

    let tarball = out.join(format!("{NAME}-{version}.tgz"));
    if tarball.exists() {
        fs::remove_file(&tarball).map_err(|e| format!("cannot remove the old {}: {e}", tarball.display()))?;
    }
    npm_pack(&folder)?;
    let size = fs::metadata(&tarball)
        .map_err(|e| format!("npm pack made no {}: {e}", tarball.display()))?
        .len();
    let sizes = bundle::measure(&folder, false)?;
    let (raw, gzip, _) = bundle::widget_totals(&sizes);
    println!("\npackage: {} ({size} bytes)", tarball.display());
    println!("a page transfers {}: {raw} bytes raw, {gzip} gzip -9", WIDGET_FILES.join(" + "));
    Ok(Packed { tarball })
}

/// The loader must load each wasm relative to its own URL, spelt so that bundlers see it
/// (`new URL("literal", import.meta.url)`), so that the package works wherever its folder
/// is served (node_modules/, a CDN, a bundler's assets).
fn check_loader(loader: &Path) -> Result<(), String> {
    let text = fs::read_to_string(loader).map_err(|e| format!("cannot read {}: {e}", loader.display()))?;
    for wasm in WASM.iter().chain(CATALOGUE_FILES) {
        let wanted = format!("new URL(\"./{wasm}\", import.meta.url)");
        if !text.contains(&wanted) {
            return Err(format!("{} does not load `{wasm}` with `{wanted}`", loader.display()));
        }
    }
    Ok(())
}

fn package_json(version: &str, description: Option<String>, license: Option<String>, repository: Option<String>) -> Json {
    let entry = format!("./{ENTRY}");
    let types = format!("./{TYPES}");
    let mut fields = vec![
        ("name", Json::str(NAME)),
        ("version", Json::str(version)),
    ];
    if let Some(description) = description {
        fields.push(("description", Json::str(description)));
    }
    // The root Cargo.toml's SPDX expression ("MIT OR Apache-2.0").
    if let Some(license) = license {
        fields.push(("license", Json::str(license)));
    }
    // Only when Cargo.toml names one: the project has no public repository yet.
    if let Some(repository) = repository {
        fields.push(("repository", Json::obj([("type", Json::str("git")), ("url", Json::str(repository))])));
    }
    fields.extend([
        // An ES module only (it awaits the wasm at top level), so no `require` condition.
        ("type", Json::str("module")),
        (
            "exports",
            Json::obj([
                // `types` first: TypeScript takes the first condition that matches.
                (".", Json::obj([("types", Json::str(&types)), ("default", Json::str(&entry))])),
                ("./package.json", Json::str("./package.json")),
            ]),
        ),
        // For resolvers that predate `exports`.
        ("main", Json::str(&entry)),
        ("types", Json::str(&types)),
        ("files", Json::Arr(package_files().into_iter().map(Json::str).collect())),
        // Bundlers may drop a module listed as side-effect free when none of its exports
        // is used. The loader is not: importing it, even as a bare `import
        // "article-annotator"`, mounts a widget on every [data-article-annotator]
        // element (the wasm's start function) and keeps watching the page. The
        // bindings (pkg/article-annotator.js, pkg/embed/article-annotator.js) only define
        // functions until the loader calls their `init`, so they may be treated as pure:
        // the loader, which imports them, keeps them. The .d.ts, the .css and the .wasm
        // are no JavaScript modules.
        ("sideEffects", Json::Arr(vec![Json::str(&entry)])),
    ]);
    Json::obj(fields)
}

/// `npm pack` in the package folder, the tarball written beside it. Its output is
/// shown; a warning (`npm warn ...`, `npm WARN ...` in older npm) fails the package.
fn npm_pack(folder: &Path) -> Result<(), String> {
    let mut npm = Command::new("npm");
    npm.args(["pack", "--pack-destination", ".."]).current_dir(folder);
    let shown = format!("{} (in {})", display(&npm), folder.display());
    println!("$ {shown}");
    let out = npm
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start `{shown}` (is npm installed?): {e}"))?;
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    print!("{stdout}");
    eprint!("{stderr}");
    if !out.status.success() {
        return Err(format!("`{shown}` failed ({})", out.status));
    }
    let warnings = npm_warnings(&format!("{stdout}\n{stderr}"));
    if warnings.is_empty() {
        Ok(())
    } else {
        Err(format!("npm pack warned:\n  {}", warnings.join("\n  ")))
    }
}

/// The lines in npm's output that are warnings.
fn npm_warnings(output: &str) -> Vec<String> {
    output
        .lines()
        .map(str::trim)
        .filter(|line| line.to_ascii_lowercase().starts_with("npm warn"))
        .map(str::to_string)
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json_names_the_entry_types_and_side_effects() {
        let json = package_json("1.2.3", Some("Tag sentences".into()), Some("MIT OR Apache-2.0".into()), None).pretty();
        let parsed = Json::parse(&json).unwrap();
        assert_eq!(parsed.get("name").and_then(Json::as_str), Some("article-annotator"));
        assert_eq!(parsed.get("version").and_then(Json::as_str), Some("1.2.3"));
        assert_eq!(parsed.get("type").and_then(Json::as_str), Some("module"));
        assert_eq!(parsed.get("license").and_then(Json::as_str), Some("MIT OR Apache-2.0"));
        assert!(parsed.get("repository").is_none());
        let dot = parsed.get("exports").and_then(|e| e.get("."));
        assert_eq!(dot.and_then(|d| d.get("types")).and_then(Json::as_str), Some("./article-annotator.d.ts"));
        assert_eq!(dot.and_then(|d| d.get("default")).and_then(Json::as_str), Some("./article-annotator.js"));
        assert!(json.find("\"types\"") < json.find("\"default\""), "types must come first: {json}");
        assert_eq!(parsed.get("exports").and_then(|e| e.get("./package.json")).and_then(Json::as_str), Some("./package.json"));
        assert_eq!(parsed.get("sideEffects").map(Json::strings), Some(vec!["./article-annotator.js".to_string()]));
        assert_eq!(
            parsed.get("files").map(Json::strings),
            Some(vec![
                "article-annotator.js".to_string(),
                "article-annotator.css".to_string(),
                "pkg/embed/article-annotator.js".to_string(),
                "pkg/embed/article-annotator_bg.wasm".to_string(),
                "pkg/article-annotator.js".to_string(),
                "pkg/article-annotator_bg.wasm".to_string(),
                "catalogues/uk.txt".to_string(),
                "catalogues/de.txt".to_string(),
                "catalogues/fr.txt".to_string(),
                "catalogues/es.txt".to_string(),
                "article-annotator.d.ts".to_string(),
            ])
        );
    }

    #[test]
    fn the_checked_in_loader_finds_the_wasm_beside_itself() {
        check_loader(&util::root().join("web").join(ENTRY)).unwrap();
    }

    #[test]
    fn warnings_are_found_in_any_npm_spelling() {
        let output = "npm notice Tarball Contents\nnpm warn publish \"repository\" was changed\n  npm WARN old style\narticle-annotator-0.1.0.tgz\n";
        assert_eq!(npm_warnings(output), ["npm warn publish \"repository\" was changed", "npm WARN old style"]);
        assert!(npm_warnings("npm notice total files: 6\n").is_empty());
    }

    #[test]
    fn a_missing_or_older_build_is_stale() {
        let dir = std::env::temp_dir().join(format!("xtask-package-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let (root, dist) = (dir.join("root"), dir.join("dist"));
        fs::create_dir_all(root.join("src")).unwrap();
        fs::write(root.join("src").join("lib.rs"), "").unwrap();
        assert!(stale(&dist, &root).unwrap().contains("has no article-annotator.js"));
        // Built after the sources: up to date.
        std::thread::sleep(std::time::Duration::from_millis(20));
        for file in package_files() {
            fs::create_dir_all(dist.join(file).parent().unwrap()).unwrap();
            fs::write(dist.join(file), "x").unwrap();
        }
        assert_eq!(stale(&dist, &root), None);
        // A source changed since: stale, and the reason names it.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(root.join("src").join("lib.rs"), "// changed").unwrap();
        assert!(stale(&dist, &root).unwrap().contains("src/lib.rs"), "{:?}", stale(&dist, &root));
        fs::remove_dir_all(&dir).unwrap();
    }
}
