//! `cargo xtask bench`: build, measure, write target/bench/results.json.
//!
//! Each benchmark is a `Section`: a name and a function from the shared
//! context to a JSON value. Adding browser benchmarks later means adding one
//! entry to `SECTIONS` (e.g. a section that serves `ctx.dist` with
//! `serve::bind(0)` + `serve::serve_forever` on a thread and drives Chromium
//! through a node script), without touching the rest.

use std::fs;
use std::path::PathBuf;

use crate::bundle::{self, FileSize};
use crate::json::Json;
use crate::util::{self, cmd, output};
use crate::{build, setup};

/// What every section may use: the fresh release build and its sizes.
pub struct Context {
    #[allow(dead_code)] // for the browser benchmarks to come
    pub dist: PathBuf,
    pub sizes: Vec<FileSize>,
}

type Section = (&'static str, fn(&Context) -> Result<Json, String>);

const SECTIONS: &[Section] = &[("bundle", bundle_section)];

pub fn cmd_bench() -> Result<(), String> {
    setup::setup_and_warn();
    // The build prints the raw/gzip table; brotli is measured too when the
    // `brotli` command exists (nothing is installed for it).
    let sizes = build::release_build(true)?;
    let ctx = Context {
        dist: util::dist_dir(),
        sizes,
    };

    let mut fields = vec![
        ("generated".to_string(), Json::str(util::now_iso8601())),
        (
            "commit".to_string(),
            git_commit().map(Json::Str).unwrap_or(Json::Null),
        ),
        (
            "rustc".to_string(),
            rustc_version().map(Json::Str).unwrap_or(Json::Null),
        ),
        (
            "brotli_available".to_string(),
            Json::Bool(util::which("brotli").is_some()),
        ),
    ];
    let mut errors = Vec::new();
    for (name, section) in SECTIONS {
        match section(&ctx) {
            Ok(value) => fields.push((name.to_string(), value)),
            Err(e) => {
                eprintln!("bench: {name} FAILED: {e}");
                errors.push(format!("{name}: {e}"));
            }
        }
    }

    let dir = util::root().join("target").join("bench");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("results.json");
    fs::write(&path, Json::Obj(fields).pretty())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("bench: wrote {}", path.display());
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

fn bundle_section(ctx: &Context) -> Result<Json, String> {
    if ctx.sizes.iter().any(|s| s.brotli.is_some()) {
        // The build's table had no brotli column; show the full one.
        println!("\nbundle with brotli:");
        print!("{}", bundle::table(&ctx.sizes));
    } else {
        println!("(no `brotli` command: brotli sizes omitted)");
    }
    Ok(bundle::to_json(&ctx.sizes))
}

fn git_commit() -> Option<String> {
    let out = output(cmd("git").args(["rev-parse", "--short=12", "HEAD"]))?;
    let dirty =
        output(cmd("git").args(["status", "--porcelain"])).is_some_and(|s| !s.trim().is_empty());
    Some(format!(
        "{}{}",
        out.trim(),
        if dirty { "-dirty" } else { "" }
    ))
}

fn rustc_version() -> Option<String> {
    output(cmd("rustc").arg("--version")).map(|s| s.trim().to_string())
}
