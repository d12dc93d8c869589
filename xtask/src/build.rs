//! `cargo xtask build`: the release bundle in dist/ and its size table.

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
