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

/// `trunk build --release --offline` in the root (no setup), then the size
/// table. `--offline`: Trunk must use the wasm-bindgen and wasm-opt on PATH
/// and never try to download them.
pub fn release_build(with_brotli: bool) -> Result<Vec<FileSize>, String> {
    let root = util::root();
    for needed in ["Trunk.toml", "index.html"] {
        if !root.join(needed).is_file() {
            return Err(format!("{needed} is missing in {}", root.display()));
        }
    }
    let dist = util::dist_dir();
    let mut trunk = cmd("trunk");
    trunk.args(["build", "--release", "--offline"]);
    if dist != root.join("dist") {
        trunk.arg("--dist").arg(&dist);
    }
    run(&mut trunk)?;
    let sizes = bundle::measure(&dist, with_brotli)?;
    println!("\nbundle ({}):", dist.display());
    print!("{}", bundle::table(&sizes));
    Ok(sizes)
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
