//! `cargo xtask build`: the release bundle in dist/ and its size table; the Yew example
//! app's build for the tests.

use std::path::PathBuf;

use crate::bundle::{self, FileSize};
use crate::setup;
use crate::util::{self, cmd, run};

pub fn cmd_build() -> Result<(), String> {
    setup::setup_and_warn();
    release_build(false).map(|_| ())
}

/// The embed build (into dist/pkg/embed/) and `trunk build --release --offline` in the
/// root (no setup), then the size table. `--offline`: Trunk must use the wasm-bindgen and wasm-opt on PATH
/// and never try to download them.
pub fn release_build(with_brotli: bool) -> Result<Vec<FileSize>, String> {
    let root = util::root();
    for needed in ["Trunk.toml", "index.html"] {
        if !root.join(needed).is_file() {
            return Err(format!("{needed} is missing in {}", root.display()));
        }
    }
    let dist = util::dist_dir();
    // The embed build first: Trunk's build of the full one then leaves cargo's artifact
    // as it expects it (and as `bench weigh` weighs it).
    let embed = embed_wasm()?;
    let mut trunk = cmd("trunk");
    trunk.args(["build", "--release", "--offline"]);
    if dist != root.join("dist") {
        trunk.arg("--dist").arg(&dist);
    }
    run(&mut trunk)?;
    embed_bundle(&embed, &dist.join("pkg").join("embed"))?;
    copy_catalogues(&root, &dist)?;
    let sizes = bundle::measure(&dist, with_brotli)?;
    println!("\nbundle ({}):", dist.display());
    print!("{}", bundle::table(&sizes));
    Ok(sizes)
}

/// The interface catalogues the embed build fetches ([`bundle::CATALOGUE_FILES`]), from
/// the sources the full build includes (`src/core/i18n/<code>.txt`).
fn copy_catalogues(root: &std::path::Path, dist: &std::path::Path) -> Result<(), String> {
    for file in bundle::CATALOGUE_FILES {
        let name = file.rsplit('/').next().unwrap_or(file);
        let (from, to) = (root.join("src").join("core").join("i18n").join(name), dist.join(file));
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::copy(&from, &to).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
    }
    Ok(())
}

/// wasm-opt's feature flags for the wasm rustc makes (as Trunk passes them to it).
pub const WASM_FEATURES: &[&str] = &["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];

/// Where the embed build's module is kept, as cargo made it (`bench weigh` weighs it).
pub fn embed_artifact() -> PathBuf {
    util::target_dir().join("embed").join("article_annotator.wasm")
}

/// The embed build (`--no-default-features --features embed`: the annotator without the
/// library, compare view and Sync panel) of the crate's wasm, copied aside.
fn embed_wasm() -> Result<PathBuf, String> {
    run(cmd("cargo").args(["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", "--no-default-features", "--features", "embed"]))?;
    let built = util::target_dir().join("wasm32-unknown-unknown").join("release").join("article_annotator.wasm");
    let kept = embed_artifact();
    if let Some(dir) = kept.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::copy(&built, &kept).map_err(|e| format!("cannot copy {} to {}: {e}", built.display(), kept.display()))?;
    Ok(kept)
}

/// The embed build's bindings and wasm in `out` (dist/pkg/embed/), made as Trunk makes
/// the full build's: wasm-bindgen for the web, then `wasm-opt -Oz`.
fn embed_bundle(wasm: &std::path::Path, out: &std::path::Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(out);
    run(cmd("wasm-bindgen").args(["--target", "web", "--no-typescript", "--out-name", "article-annotator", "--out-dir"]).arg(out).arg(wasm))?;
    let bound = out.join("article-annotator_bg.wasm");
    run(cmd("wasm-opt").arg("-Oz").args(WASM_FEATURES).arg(&bound).arg("-o").arg(&bound))
}

/// The Yew example app (`examples/yew-app`, a workspace of its own).
pub const YEW_APP: &str = "examples/yew-app";

/// Where the Yew example app is built: `target/yew-app/` (its own cargo target
/// directory, `cargo/`, and Trunk's output, `dist/`).
pub fn yew_app_dir() -> PathBuf {
    util::target_dir().join("yew-app")
}

/// `trunk build --release --offline` of the Yew example app into
/// `target/yew-app/dist` (no setup: the tools are the root build's). Its cargo target
/// directory is its own, so its build of the root crate (without the `embed`
/// feature) never replaces the widget's in `target/`. A failed build leaves no
/// dist behind, so its end-to-end test fails rather than test an old one.
pub fn yew_app_build() -> Result<PathBuf, String> {
    let app = util::root().join(YEW_APP);
    if !app.join("index.html").is_file() {
        return Err(format!("{} has no index.html", app.display()));
    }
    let dist = yew_app_dir().join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    let mut trunk = cmd("trunk");
    trunk.current_dir(&app).args(["build", "--release", "--offline", "--dist"]).arg(&dist).env("CARGO_TARGET_DIR", yew_app_dir().join("cargo"));
    run(&mut trunk)?;
    let sizes = bundle::measure(&dist, false)?;
    println!("
Yew example app ({}):", dist.display());
    print!("{}", bundle::table(&sizes));
    Ok(dist)
}
