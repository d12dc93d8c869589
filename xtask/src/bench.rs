//! `cargo xtask bench`: build, measure, write target/bench/results.json.
//!
//! Each benchmark is a `Section`: a name and a function from the shared
//! context to a JSON value. Adding browser benchmarks later means adding one
//! entry to `SECTIONS` (as `bigload` does: a node script that serves
//! `ctx.dist` and drives Chromium), without touching the rest.

use std::fs;
use std::path::PathBuf;

use crate::bundle::{self, FileSize};
use crate::json::Json;
use crate::util::{self, cmd, output};
use crate::{build, setup};

/// What every section may use: the fresh release build and its sizes.
pub struct Context {
    pub dist: PathBuf,
    pub sizes: Vec<FileSize>,
}

type Section = (&'static str, fn(&Context) -> Result<Json, String>);

const SECTIONS: &[Section] =
    &[("bundle", bundle_section), ("segment", segment_section), ("anchor", anchor_section), ("bigload", bigload_section)];

/// `cargo xtask bench [SECTION...]`: every section, or only those named.
pub fn cmd_bench(only: &[String]) -> Result<(), String> {
    if let Some(unknown) = only.iter().find(|o| !SECTIONS.iter().any(|(n, _)| n == o)) {
        let names: Vec<&str> = SECTIONS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown benchmark `{unknown}` (known: {})", names.join(", ")));
    }
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    setup::setup_and_warn();
    // The build prints the raw/gzip table; brotli is measured too when the
    // `brotli` command exists (nothing is installed for it).
    let sizes = if wanted("bundle") { build::release_build(true)? } else { Vec::new() };
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
    for (name, section) in SECTIONS.iter().filter(|(n, _)| wanted(n)) {
        println!("\n== bench: {name}");
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

/// Runs the native core benchmarks named, returning their JSON lines.
fn core_bench(which: &str) -> Result<Vec<String>, String> {
    let out = output(cmd("cargo").args(["bench", "--quiet", "--bench", "core", "--", which]))
        .ok_or_else(|| format!("`cargo bench --bench core -- {which}` failed"))?;
    Ok(out.lines().filter(|l| l.starts_with('{')).map(str::to_owned).collect())
}

/// A number field of one of our own flat JSON lines.
fn number(line: &str, key: &str) -> Option<f64> {
    let rest = line.split(&format!("\"{key}\": ")).nth(1)?;
    rest.split([',', '}']).next()?.trim().parse().ok()
}

/// A string field of one of our own flat JSON lines.
fn string(line: &str, key: &str) -> Option<String> {
    let rest = line.split(&format!("\"{key}\": \"")).nth(1)?;
    rest.split('"').next().map(str::to_owned)
}

const PYLIB: &str = "target/bench/pylib";

/// Makes pySBD importable from target/bench/pylib (installed from PyPI once).
fn ensure_pysbd() -> Result<(), String> {
    let importable = |c: &mut std::process::Command| output(c.args(["-c", "import pysbd"]).env("PYTHONPATH", PYLIB)).is_some();
    if importable(&mut cmd("python3")) {
        return Ok(());
    }
    println!("bench: installing pysbd into {PYLIB}");
    crate::util::run(cmd("python3").args(["-m", "pip", "install", "--quiet", "--target", PYLIB, "pysbd==0.3.4"]))
}

/// Our segmenter and pySBD on the same 1 MB inputs, side by side.
fn segment_section(_: &Context) -> Result<Json, String> {
    let ours = core_bench("segment")?;
    ensure_pysbd()?;
    let files: Vec<String> = ours.iter().filter_map(|l| string(l, "file")).collect();
    let theirs = output(cmd("python3").arg("benches/pysbd_bench.py").args(&files).env("PYTHONPATH", PYLIB))
        .ok_or("pySBD benchmark failed")?;
    println!("{:<14} {:>9} {:>10} {:>10} {:>10} {:>12} {:>10}", "input", "bytes", "sentences", "ours ms", "ours MB/s", "pySBD ms", "ratio");
    let mut rows = Vec::new();
    for line in &ours {
        let input = string(line, "input").unwrap_or_default();
        let bytes = number(line, "bytes").unwrap_or(0.0);
        let ms = number(line, "median_ms").unwrap_or(f64::NAN);
        let py = theirs.lines().find(|l| string(l, "input").as_deref() == Some(input.as_str()));
        let py_ms = py.and_then(|l| number(l, "seconds")).map_or(f64::NAN, |s| s * 1000.0);
        let ratio = py_ms / ms;
        println!(
            "{input:<14} {bytes:>9} {:>10} {ms:>10.2} {:>10.1} {py_ms:>12.0} {ratio:>9.0}x",
            number(line, "sentences").unwrap_or(0.0),
            number(line, "mb_per_s").unwrap_or(0.0)
        );
        rows.push(Json::Obj(vec![
            ("input".into(), Json::str(input)),
            ("bytes".into(), Json::Num(bytes)),
            ("sentences".into(), Json::Num(number(line, "sentences").unwrap_or(0.0))),
            ("ours_median_ms".into(), Json::Num(ms)),
            ("ours_mb_per_s".into(), Json::Num(number(line, "mb_per_s").unwrap_or(0.0))),
            ("pysbd_sentences".into(), Json::Num(py.and_then(|l| number(l, "sentences")).unwrap_or(f64::NAN))),
            ("pysbd_ms".into(), Json::Num(py_ms)),
            ("ratio".into(), Json::Num(ratio)),
        ]));
    }
    Ok(Json::Arr(rows))
}

/// Re-anchoring 1,000 annotations on a ~100 KB edited article.
fn anchor_section(_: &Context) -> Result<Json, String> {
    let lines = core_bench("anchor")?;
    let find = |name: &str| lines.iter().find(|l| string(l, "bench").as_deref() == Some(name)).ok_or(format!("no {name} result"));
    let edited = find("anchor")?;
    let reload = find("reload")?;
    let ms = number(edited, "median_ms").unwrap_or(f64::NAN);
    let reload_ms = number(reload, "median_ms").unwrap_or(f64::NAN);
    println!(
        "re-anchoring {} annotations on a {} byte edited article: {ms:.1} ms (median of 5), {} placed, {} orphans",
        number(edited, "annotations").unwrap_or(0.0),
        number(edited, "bytes").unwrap_or(0.0),
        number(edited, "placed").unwrap_or(0.0),
        number(edited, "orphans").unwrap_or(0.0)
    );
    println!(
        "loading {} annotations into the unchanged {} byte article: {reload_ms:.1} ms (median of 5)",
        number(reload, "annotations").unwrap_or(0.0),
        number(reload, "bytes").unwrap_or(0.0)
    );
    Ok(Json::Obj(vec![
        ("annotations".into(), Json::Num(number(edited, "annotations").unwrap_or(0.0))),
        ("article_bytes".into(), Json::Num(number(edited, "bytes").unwrap_or(0.0))),
        ("median_ms".into(), Json::Num(ms)),
        ("placed".into(), Json::Num(number(edited, "placed").unwrap_or(0.0))),
        ("orphans".into(), Json::Num(number(edited, "orphans").unwrap_or(0.0))),
        ("reload_annotations".into(), Json::Num(number(reload, "annotations").unwrap_or(0.0))),
        ("reload_article_bytes".into(), Json::Num(number(reload, "bytes").unwrap_or(0.0))),
        ("reload_median_ms".into(), Json::Num(reload_ms)),
    ]))
}

/// The figures `tests/e2e/bigload.bench.mjs` reports (the median of its runs).
const BIGLOAD_FIELDS: &[&str] = &[
    "bytes", "sentences", "annotations", "runs", "first_sentence_ms", "ready_ms", "load_longest_task_ms", "load_long_tasks",
    "load_longest_frame_ms", "load_long_frames", "scroll_longest_task_ms", "scroll_long_tasks", "scroll_longest_frame_ms",
    "scroll_long_frames", "key_median_latency_ms", "key_longest_task_ms", "key_longest_frame_ms", "jump_longest_task_ms",
    "jump_longest_frame_ms", "dom_sentences",
];

/// A 5 MB article with 10,000 stored annotations loaded in headless Chromium: time to
/// the first sentence, long tasks and long animation frames while loading, scrolling,
/// tagging and jumping (`tests/e2e/bigload.bench.mjs`, three runs).
fn bigload_section(ctx: &Context) -> Result<Json, String> {
    if ctx.sizes.is_empty() {
        build::release_build(false)?;
    }
    let out = output(
        cmd("node")
            .args(["tests/e2e/bigload.bench.mjs", "--runs", "3", "--dist"])
            .arg(&ctx.dist)
            .env("CHROME_PATH", setup::CHROMIUM),
    )
    .ok_or("`node tests/e2e/bigload.bench.mjs` failed")?;
    // JSON.stringify writes no space after a colon; `number` reads our own lines, which have one.
    let summary = out.lines().find(|l| l.starts_with("{\"summary\"")).ok_or("no summary line")?.replace("\":", "\": ");
    let field = |key: &str| number(&summary, key).unwrap_or(f64::NAN);
    println!(
        "{} byte article, {} annotations: first sentence {:.0} ms, ready {:.0} ms; loading: longest task {:.0} ms, {} long tasks; \
         scrolling: {} long tasks; a key: {:.0} ms; {} sentence elements",
        field("bytes"),
        field("annotations"),
        field("first_sentence_ms"),
        field("ready_ms"),
        field("load_longest_task_ms"),
        field("load_long_tasks"),
        field("scroll_long_tasks"),
        field("key_median_latency_ms"),
        field("dom_sentences"),
    );
    Ok(Json::Obj(BIGLOAD_FIELDS.iter().map(|key| (key.to_string(), Json::Num(field(key)))).collect()))
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
