//! `cargo xtask bench`: build, measure, write target/bench/results.json.
//!
//! Each benchmark is a `Section`: a name and a function from the shared
//! context to a JSON value. `browser` runs `benches/browser/bench.mjs` (the
//! release build against the vanilla-JS reference page in headless Chromium)
//! and ends with the goals of issue 9, met or not; `bigload` times the load of a
//! 5 MB article with 10,000 stored annotations (issue 7); `sync` measures team sync
//! on loopback against the test pouchdb-server (`benches/sync.bench.mjs`).

use std::fs;
use std::path::PathBuf;

use crate::bundle::{self, FileSize};
use crate::json::Json;
use crate::util::{self, cmd, output};
use crate::{build, setup, testcouch};

/// What every section may use: the fresh release build and its sizes.
pub struct Context {
    pub dist: PathBuf,
    pub sizes: Vec<FileSize>,
}

type Section = (&'static str, fn(&Context) -> Result<Json, String>);

const SECTIONS: &[Section] = &[
    ("bundle", bundle_section),
    ("segment", segment_section),
    ("anchor", anchor_section),
    ("browser", browser_section),
    ("weigh", weigh_section),
    ("bigload", bigload_section),
    ("sync", sync_section),
];

/// `cargo xtask bench [--no-build] [SECTION...]`: every section, or only those named;
/// `--no-build` measures dist/ as it is instead of building it first.
pub fn cmd_bench(args: &[String]) -> Result<(), String> {
    let no_build = args.iter().any(|a| a == "--no-build");
    let only: Vec<String> = args.iter().filter(|a| *a != "--no-build").cloned().collect();
    let only = only.as_slice();
    if let Some(unknown) = only.iter().find(|o| !SECTIONS.iter().any(|(n, _)| n == o)) {
        let names: Vec<&str> = SECTIONS.iter().map(|(n, _)| *n).collect();
        return Err(format!("unknown benchmark `{unknown}` (known: {})", names.join(", ")));
    }
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    setup::setup_and_warn();
    // The build prints the raw/gzip/brotli table; the browser section measures
    // that same fresh build (and checks the transfer goal against it).
    let sizes = if !(wanted("bundle") || wanted("browser") || wanted("weigh")) {
        Vec::new()
    } else if no_build {
        let dist = util::dist_dir();
        let sizes = bundle::measure(&dist, true)?;
        println!("\nbundle ({}, as it is: --no-build):", dist.display());
        print!("{}", bundle::table(&sizes));
        sizes
    } else {
        build::release_build(true)?
    };
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
        ("machine".to_string(), machine()),
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
    // The build printed the table (raw, gzip -9, brotli -q 11) already.
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

/// Team sync on loopback: `benches/sync.bench.mjs` with the widget of `dist/` as it is
/// (no build: `cargo xtask build` makes one) against the test pouchdb-server, started
/// here as `cargo xtask with-couch` does, through the e2e tests' counting proxy.
fn sync_section(ctx: &Context) -> Result<Json, String> {
    let wasm = ctx.dist.join("pkg").join("article-annotator_bg.wasm");
    if !wasm.is_file() {
        return Err(format!("{} not found: `cargo xtask build` makes the release build this measures", wasm.display()));
    }
    let couch = testcouch::start()?;
    let mut node = cmd("node");
    node.args(["benches/sync.bench.mjs", "--no-table", "--dist"]).arg(&ctx.dist).env("CHROME_PATH", setup::CHROMIUM).envs(couch.env());
    // Progress on stderr goes straight to the terminal; the figures come on stdout.
    let out = node.stdin(std::process::Stdio::null()).stderr(std::process::Stdio::inherit()).output();
    drop(couch);
    let out = out.map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("benches/sync.bench.mjs failed ({})", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("{\"summary\"")).ok_or("benches/sync.bench.mjs printed no summary line")?;
    let parsed = Json::parse(line)?;
    let Some(Json::Obj(fields)) = parsed.get("summary") else { return Err("the summary line has no summary object".into()) };
    let machine = parsed.get("machine");
    let text = |key: &str| machine.and_then(|m| m.get(key)).and_then(Json::as_str).unwrap_or("?").to_owned();
    let figure = |key: &str| fields.iter().find(|(k, _)| k == key).and_then(|(_, v)| if let Json::Num(n) = v { Some(*n) } else { None });
    let rows = sync_rows(&figure);
    let cores = figure("cores").unwrap_or(0.0);
    println!(
        "\nteam sync, loopback only (127.0.0.1: the browser, the proxy and an in-memory pouchdb-server, all on this machine): {cores:.0} cores ({}), load {} at start, {}",
        text("cpu"),
        figure("load_average_1min").map_or("?".into(), |l| format!("{l:.2}")),
        text("chromium")
    );
    print!("{}", sync_table(&rows, false));
    let dir = util::root().join("target").join("bench");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let md_path = dir.join("sync-table.md");
    fs::write(&md_path, sync_table(&rows, true)).map_err(|e| format!("cannot write {}: {e}", md_path.display()))?;
    let mut json: Vec<(String, Json)> = fields.clone();
    json.push(("network".into(), Json::str(text("network"))));
    json.push(("cpu".into(), Json::str(text("cpu"))));
    json.push(("chromium".into(), Json::str(text("chromium"))));
    Ok(Json::Obj(json))
}

/// The sync figures as (what, how much), from the summary's numbers.
fn sync_rows(figure: &dyn Fn(&str) -> Option<f64>) -> Vec<(String, String)> {
    let n = |key: &str| figure(key).unwrap_or(f64::NAN);
    let count = |v: f64| {
        let digits = format!("{:.0}", v);
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 && c.is_ascii_digit() {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let bytes = |v: f64| if v >= 1_048_576.0 { format!("{:.2} MB", v / 1_048_576.0) } else { format!("{:.1} KB", v / 1024.0) };
    vec![
        (
            format!("pull: a fresh device gets {} annotations ({}-sentence article), mount to synced and all placed", count(n("pull_annotations")), count(n("pull_article_sentences"))),
            format!("{:.1} s (first sentence {:.1} s; a request open {:.1} s of it)", n("pull_seconds"), n("pull_first_sentence_seconds"), n("pull_network_wait_seconds")),
        ),
        ("pull: requests (of them CORS preflights)".into(), format!("{} ({})", count(n("pull_requests")), count(n("pull_preflights")))),
        ("pull: bytes down on the wire (answers decoded)".into(), format!("{} ({})", bytes(n("pull_bytes_down")), bytes(n("pull_answer_chars")))),
        ("pull: bytes up (the ids it asks for, headers)".into(), bytes(n("pull_bytes_up"))),
        (
            format!("push: {} offline edits, syncNow() to synced with 0 pending", count(n("push_edits"))),
            format!("{:.1} s (a request open {:.1} s of it)", n("push_seconds"), n("push_network_wait_seconds")),
        ),
        ("push: requests (of them CORS preflights)".into(), format!("{} ({})", count(n("push_requests")), count(n("push_preflights")))),
        ("push: bytes up".into(), bytes(n("push_bytes_up"))),
        (format!("tag on device A to label on device B, median of {}", count(n("tags"))), format!("{:.0} ms", n("tag_median_ms"))),
        ("tag on device A to label on device B, p95".into(), format!("{:.0} ms", n("tag_p95_ms"))),
        (
            "per tag, both devices: requests (of them preflights, long polls)".into(),
            format!("{:.1} ({:.1}, {:.1})", n("per_tag_requests"), n("per_tag_preflights"), n("per_tag_longpolls")),
        ),
        (
            "per tag, both devices: bytes (up / down)".into(),
            format!("{} ({} / {})", bytes(n("per_tag_bytes")), bytes(n("per_tag_bytes_up")), bytes(n("per_tag_bytes_down"))),
        ),
    ]
}

/// The sync table, plain (for the terminal) or as Markdown (for the README).
fn sync_table(rows: &[(String, String)], markdown: bool) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|(what, _)| what.chars().count()).max().unwrap_or(0);
    if markdown {
        out.push_str("| figure | loopback |\n| --- | ---: |\n");
    }
    for (what, value) in rows {
        if markdown {
            out.push_str(&format!("| {what} | {value} |\n"));
        } else {
            out.push_str(&format!("{what:<width$}  {value}\n"));
        }
    }
    out
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

/// What the figures were measured on: cores, CPU model, browser, load at the start.
fn machine() -> Json {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|m| m.trim().to_owned());
    let cores = std::thread::available_parallelism().map(|n| n.get() as u64).unwrap_or(0);
    let load = fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_owned));
    let chromium = output(cmd(setup::CHROMIUM).arg("--version")).map(|v| v.trim().to_owned());
    let opt = |v: Option<String>| v.map(Json::Str).unwrap_or(Json::Null);
    Json::obj([("cores", Json::from(cores)), ("cpu", opt(cpu)), ("load_average_1min", opt(load)), ("chromium", opt(chromium))])
}

/// One figure of the browser table: its key in bench.mjs's output, what it is, its unit.
struct Figure {
    key: &'static str,
    title: &'static str,
    unit: Unit,
}

#[derive(Clone, Copy)]
enum Unit {
    Ms,
    Count,
    Mb,
}

const FIGURES: &[Figure] = &[
    Figure { key: "first_sentence_ms", title: "first sentence visible", unit: Unit::Ms },
    Figure { key: "first_tag_ms", title: "first tag possible", unit: Unit::Ms },
    Figure { key: "all_rendered_ms", title: "all sentences rendered", unit: Unit::Ms },
    Figure { key: "window_rendered_ms", title: "first screen rendered (window / all)", unit: Unit::Ms },
    Figure { key: "window_sentences", title: "sentence elements on first screen", unit: Unit::Count },
    Figure { key: "load_longest_task_ms", title: "longest main-thread task in load", unit: Unit::Ms },
    Figure { key: "tag_median_ms", title: "tag (key 1) to next frame, median", unit: Unit::Ms },
    Figure { key: "tag_p95_ms", title: "tag (key 1) to next frame, p95", unit: Unit::Ms },
    Figure { key: "move_median_ms", title: "move (key j) to next frame, median", unit: Unit::Ms },
    Figure { key: "move_p95_ms", title: "move (key j) to next frame, p95", unit: Unit::Ms },
    Figure { key: "tag_all_ms", title: "every sentence tagged in one API call", unit: Unit::Ms },
    Figure { key: "save_median_ms", title: "one save, all sentences tagged", unit: Unit::Ms },
    Figure { key: "saves_not_written", title: "saves not written (storage full)", unit: Unit::Count },
    Figure { key: "stored_chars_per_annotation", title: "stored chars per annotation", unit: Unit::Count },
    Figure { key: "wasm_memory_bytes", title: "wasm linear memory", unit: Unit::Mb },
    Figure { key: "js_heap_bytes", title: "JS heap (V8 + DOM)", unit: Unit::Mb },
    Figure { key: "memory_bytes", title: "memory: wasm + JS heap", unit: Unit::Mb },
];

fn shown(value: Option<f64>, unit: Unit) -> String {
    match (value, unit) {
        (None, _) => "-".into(),
        (Some(v), Unit::Ms) if v < 10.0 => format!("{v:.1} ms"),
        (Some(v), Unit::Ms) => format!("{v:.0} ms"),
        (Some(v), Unit::Count) => format!("{v:.0}"),
        (Some(v), Unit::Mb) => format!("{:.1} MB", v / 1_048_576.0),
    }
}

/// ours / vanilla, when both are there and the reference is not zero.
fn ratio(ours: Option<f64>, vanilla: Option<f64>) -> Option<f64> {
    match (ours, vanilla) {
        (Some(o), Some(v)) if v > 0.0 => Some(o / v),
        _ => None,
    }
}

/// One size's figures from bench.mjs's flat lines: (figure, ours, vanilla).
type Rows = Vec<(usize, String, Option<f64>, Option<f64>)>;

fn parse_rows(out: &str) -> Rows {
    out.lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| Some((number(l, "size")? as usize, string(l, "figure")?, number(l, "ours"), number(l, "vanilla"))))
        .collect()
}

/// The browser table, plain (for the terminal) or as Markdown (for the README).
fn browser_table(rows: &Rows, markdown: bool) -> String {
    let mut sizes: Vec<usize> = rows.iter().map(|r| r.0).collect();
    sizes.dedup();
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 5]| {
        if markdown {
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        } else {
            out.push_str(&format!("{:<38} {:>8} {:>11} {:>11} {:>7}\n", cells[0], cells[1], cells[2], cells[3], cells[4]));
        }
    };
    line(&mut out, ["figure", "sentences", "ours", "vanilla", "ratio"]);
    if markdown {
        out.push_str("| --- | ---: | ---: | ---: | ---: |\n");
    }
    for figure in FIGURES {
        for &size in &sizes {
            let Some((_, _, ours, vanilla)) = rows.iter().find(|r| r.0 == size && r.1 == figure.key) else { continue };
            let r = ratio(*ours, *vanilla).map_or("-".to_string(), |r| format!("{r:.2}x"));
            line(&mut out, [figure.title, &format!("{size}"), &shown(*ours, figure.unit), &shown(*vanilla, figure.unit), &r]);
        }
    }
    out
}

/// The goals of issue 17 (light and instant) against the figures and the bundle's
/// sizes (`(embed path, library page)` gzip): (goal, where we land, met).
fn light_goals(rows: &Rows, gzip: Option<(u64, u64)>) -> Vec<(String, String, bool)> {
    let get = |size: usize, key: &str| rows.iter().find(|r| r.0 == size && r.1 == key).map(|r| (r.2, r.3));
    let mut sizes: Vec<usize> = rows.iter().map(|r| r.0).collect();
    sizes.dedup();
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    let mut goals = Vec::new();
    if let Some((embed, library)) = gzip {
        goals.push(("a page embedding one article transfers at most 90 KB gzip".into(), kb(embed), embed <= 90 * 1024));
        goals.push(("the library demo, everything included, at most 160 KB gzip".into(), kb(library), library <= 160 * 1024));
    }
    let ratios: Vec<(usize, Option<f64>)> = sizes.iter().map(|&s| (s, get(s, "first_sentence_ms").and_then(|(o, v)| ratio(o, v)))).collect();
    let text = ratios.iter().map(|(s, r)| format!("{s}: {}", r.map_or("-".into(), |r| format!("{r:.2}x")))).collect::<Vec<_>>().join(", ");
    goals.push(("first sentence visible at most 1.3x the vanilla page at every size".into(), text, ratios.iter().all(|(_, r)| r.is_some_and(|r| r <= 1.3))));
    let longest: Vec<(usize, Option<f64>)> = sizes.iter().map(|&s| (s, get(s, "load_longest_task_ms").and_then(|(o, _)| o))).collect();
    let text = longest.iter().map(|(s, ms)| format!("{s}: {}", ms.map_or("-".into(), |ms| format!("{ms:.0} ms")))).collect::<Vec<_>>().join(", ");
    goals.push(("no task over 50 ms while an article loads".into(), text, longest.iter().all(|(_, ms)| ms.is_some_and(|ms| ms <= 50.0))));
    goals
}

/// The goals of issue 9 against the figures: (goal, where we land, met).
fn goals(rows: &Rows, widget_gzip: Option<u64>) -> Vec<(String, String, bool)> {
    let get = |size: usize, key: &str| rows.iter().find(|r| r.0 == size && r.1 == key).map(|r| (r.2, r.3));
    let mut sizes: Vec<usize> = rows.iter().map(|r| r.0).collect();
    sizes.dedup();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut goals = Vec::new();
    if let Some(gzip) = widget_gzip {
        goals.push(("transfer (what a host page loads) at most 90 KB gzip".into(), format!("{:.1} KB", gzip as f64 / 1024.0), gzip <= 90 * 1024));
    }
    for (key, what) in [("first_sentence_ms", "first render"), ("tag_median_ms", "tag latency (median)")] {
        let ratios: Vec<(usize, Option<f64>)> = sizes.iter().map(|&s| (s, get(s, key).and_then(|(o, v)| ratio(o, v)))).collect();
        let text = ratios.iter().map(|(s, r)| format!("{s}: {}", r.map_or("-".into(), |r| format!("{r:.2}x")))).collect::<Vec<_>>().join(", ");
        let met = ratios.iter().all(|(_, r)| r.is_some_and(|r| r <= 1.3));
        goals.push((format!("{what} at most 1.3x the vanilla page at every size"), text, met));
    }
    let at_largest = |key: &str| get(largest, key).and_then(|(o, _)| o);
    if let (Some(median), Some(p95)) = (at_largest("tag_median_ms"), at_largest("tag_p95_ms")) {
        goals.push((format!("tag latency under 10 ms at {largest} sentences"), format!("median {median:.1} ms, p95 {p95:.1} ms"), median < 10.0));
    }
    let unwritten = at_largest("saves_not_written").unwrap_or(0.0);
    let save = at_largest("save_median_ms");
    let landed = match save {
        _ if unwritten > 0.0 => Some(format!("{unwritten:.0} saves not written: {largest} annotations do not fit in localStorage")),
        Some(ms) => Some(format!("{ms:.1} ms per save (one save per pause: coalesced)")),
        None => None,
    };
    if let Some(landed) = landed {
        let met = unwritten == 0.0 && save.is_some_and(|ms| ms < 2.0);
        goals.push((format!("saving under 2 ms of main-thread time per tag at {largest} annotations"), landed, met));
    }
    if let Some((Some(o), Some(v))) = get(largest, "memory_bytes") {
        goals.push((format!("memory at most 2x the vanilla page at {largest} sentences"), format!("{:.2}x", o / v), o <= 2.0 * v));
    }
    if let Some(per) = at_largest("stored_chars_per_annotation") {
        let total = per * 10_000.0;
        goals.push((
            "10,000 annotations well inside the ~5 M-character quota (at most half)".into(),
            format!("{per:.0} chars each: {:.2} M for 10,000", total / 1e6),
            total <= 2.5e6,
        ));
    }
    goals
}

/// The release build against the vanilla-JS page in headless Chromium (bench.mjs).
fn browser_section(ctx: &Context) -> Result<Json, String> {
    let dir = util::root().join("target").join("bench");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let full = dir.join("browser.json");
    let mut node = cmd("node");
    node.arg("benches/browser/bench.mjs").arg("--dist").arg(&ctx.dist).arg("--out").arg(&full).env("CHROME_PATH", setup::CHROMIUM);
    // Progress on stderr goes straight to the terminal; the figures come on stdout.
    let out = node
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("benches/browser/bench.mjs failed ({})", out.status));
    }
    let rows = parse_rows(&String::from_utf8_lossy(&out.stdout));
    if rows.is_empty() {
        return Err("benches/browser/bench.mjs printed no figures".into());
    }
    println!();
    print!("{}", browser_table(&rows, false));
    let widget_gzip = (!ctx.sizes.is_empty()).then(|| bundle::widget_totals(&ctx.sizes).1);
    let library_gzip = (!ctx.sizes.is_empty()).then(|| bundle::library_totals(&ctx.sizes).1);
    let light = light_goals(&rows, widget_gzip.zip(library_gzip));
    let mut goals = goals(&rows, widget_gzip);
    for (heading, list) in [("goals (issue 9)", &goals), ("goals (issue 17: light and instant)", &light)] {
        println!("\n{heading}:");
        for (goal, landed, met) in list {
            println!("  [{}] {goal}: {landed}", if *met { "met" } else { "NOT MET" });
        }
    }
    goals.extend(light);
    let markdown = browser_table(&rows, true);
    let md_path = dir.join("browser-table.md");
    fs::write(&md_path, &markdown).map_err(|e| format!("cannot write {}: {e}", md_path.display()))?;
    let raw = fs::read_to_string(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    Ok(Json::obj([
        ("figures", Json::Raw(raw)),
        (
            "goals",
            Json::Arr(
                goals
                    .into_iter()
                    .map(|(goal, landed, met)| Json::obj([("goal", Json::Str(goal)), ("landed", Json::Str(landed)), ("met", Json::Bool(met))]))
                    .collect(),
            ),
        ),
    ]))
}

/// The wasm's code by crate, for each build: the release build's own module (as cargo
/// left it for Trunk) and the embed build's (`cargo xtask build` keeps it aside), each
/// through wasm-bindgen and `wasm-opt -Oz` as the build does, but keeping the function
/// names, then weighed by benches/weigh_wasm.py.
fn weigh_section(_: &Context) -> Result<Json, String> {
    let full = util::target_dir().join("wasm32-unknown-unknown").join("release").join("article_annotator.wasm");
    let mut weighed = Vec::new();
    for (name, built) in [("embed", build::embed_artifact()), ("full", full)] {
        if !built.is_file() {
            return Err(format!("{} not found (`cargo xtask build` makes it)", built.display()));
        }
        println!("\n-- the {name} build");
        let dir = util::root().join("target").join("bench").join("weigh").join(name);
        crate::util::run(cmd("wasm-bindgen").args(["--keep-debug", "--target", "web", "--out-dir"]).arg(&dir).arg(&built))?;
        let bound = dir.join("article_annotator_bg.wasm");
        let named = dir.join("named.wasm");
        crate::util::run(cmd("wasm-opt").args(["-Oz", "-g"]).args(build::WASM_FEATURES).arg(&bound).arg("-o").arg(&named))?;
        crate::util::run(cmd("python3").arg("benches/weigh_wasm.py").arg(&named))?;
        let json = output(cmd("python3").arg("benches/weigh_wasm.py").arg(&named).arg("--json")).ok_or("benches/weigh_wasm.py failed")?;
        weighed.push((name, Json::Raw(json)));
    }
    Ok(Json::obj(weighed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: &str = "noise\n\
        {\"size\":24,\"figure\":\"tag_median_ms\",\"ours\":3,\"vanilla\":2}\n\
        {\"size\":24,\"figure\":\"first_sentence_ms\",\"ours\":120,\"vanilla\":100}\n\
        {\"size\":24,\"figure\":\"all_rendered_ms\",\"ours\":null,\"vanilla\":100}\n\
        {\"size\":24,\"figure\":\"window_rendered_ms\",\"ours\":150,\"vanilla\":100}\n";

    #[test]
    fn rows_table_and_ratios() {
        let rows = parse_rows(&LINES.replace("\":", "\": ").replace(",\"", ", \""));
        assert_eq!(rows.len(), 4, "{rows:?}");
        let table = browser_table(&rows, false);
        assert!(table.contains("1.50x"), "{table}");
        assert!(table.contains("1.20x"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("first screen rendered") && l.contains("150 ms") && l.ends_with("1.50x")), "{table}");
        let md = browser_table(&rows, true);
        assert!(md.lines().all(|l| l.starts_with('|')), "{md}");
        let goals = goals(&rows, Some(100 * 1024));
        assert!(goals.iter().any(|(g, _, met)| g.starts_with("transfer") && !met));
        assert!(goals.iter().any(|(g, _, met)| g.starts_with("first render") && *met));
        assert!(goals.iter().any(|(g, _, met)| g.starts_with("tag latency (median)") && !met));
        let light = light_goals(&rows, Some((80 * 1024, 200 * 1024)));
        assert!(light.iter().any(|(g, _, met)| g.starts_with("a page embedding") && *met));
        assert!(light.iter().any(|(g, _, met)| g.starts_with("the library demo") && !met));
        assert!(light.iter().any(|(g, landed, met)| g.starts_with("first sentence visible") && *met && landed == "24: 1.20x"), "{light:?}");
    }

    #[test]
    fn sync_table_rows() {
        let summary = Json::parse(r#"{"pull_annotations": 10000, "pull_seconds": 12.34, "pull_bytes_down": 8388608, "per_tag_bytes": 12460}"#).unwrap();
        let figure = |key: &str| match summary.get(key) {
            Some(Json::Num(n)) => Some(*n),
            _ => None,
        };
        let rows = sync_rows(&figure);
        assert!(rows[0].0.contains("gets 10,000 annotations"), "{rows:?}");
        assert!(rows[0].1.starts_with("12.3 s"), "{rows:?}");
        assert!(rows[2].1.starts_with("8.00 MB ("), "{rows:?}");
        let md = sync_table(&rows, true);
        assert!(md.lines().all(|l| l.starts_with('|')), "{md}");
        assert!(md.contains("| 12.2 KB (NaN KB / NaN KB) |"), "{md}");
    }
}
