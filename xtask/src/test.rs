//! `cargo xtask test`: every suite in order, carrying on after a failure,
//! then a summary table; non-zero exit if any step failed.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::setup::{self, CHROMEDRIVER, CHROMIUM};
use crate::testcouch::{self, TestCouch};
use crate::util::{cmd, run};
use crate::{build, package, util};

/// Minimum number of golden sentence-segmentation cases that must pass: our score (48 of 48).
const GOLDEN_MIN: u32 = 48;
const GOLDEN_DIR: &str = "../shared/peer-suites/sentence-golden-rules";
/// The multilingual suites (pySBD's and sentencex's cases, scored with `--lang CODE`).
const MULTILINGUAL_DIR: &str = "../shared/peer-suites/sentence-multilingual";
/// Each multilingual suite and the minimum pass rate it must keep: our score,
/// in cases passed of the suite's total (307 of 320, 414 of 486).
const MULTILINGUAL_SUITES: &[(&str, u32, u32)] =
    &[("pysbd.json", 307, 320), ("sentencex.json", 414, 486)];

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    Ok,
    Failed,
    Skipped,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "FAILED",
            Outcome::Skipped => "skipped",
        }
    }
}

/// What a step reports: Err = failed, Ok(Some(reason)) = skipped.
type StepResult = Result<Option<String>, String>;

struct Step {
    name: &'static str,
    title: &'static str,
    run: fn(&mut Run) -> StepResult,
}

/// What the steps of one run share: the team-sync test server, started once
/// by the `couch` step and stopped when the run ends (failed steps included:
/// dropping it stops the process).
#[derive(Default)]
struct Run {
    couch: Option<TestCouch>,
    couch_error: Option<String>,
}

impl Run {
    /// For the steps whose tests sync: `AA_COUCH_URL`, `AA_COUCH_ADMIN` and
    /// `AA_COUCH_DB`; without a server, `AA_COUCH_ERROR` saying why, so that the
    /// sync tests fail with it instead of skipping.
    fn couch_env(&self) -> Vec<(String, String)> {
        match (&self.couch, &self.couch_error) {
            (Some(couch), _) => couch.env(),
            (None, error) => vec![(
                "AA_COUCH_ERROR".to_string(),
                error.clone().unwrap_or_else(|| "the couch step did not run".to_string()),
            )],
        }
    }
}

const STEPS: &[Step] = &[
    Step {
        name: "setup",
        title: "setup (tools)",
        run: step_setup,
    },
    Step {
        name: "couch",
        title: "team-sync server: pouchdb-server in memory, test users, the database prepared as by `cargo xtask couch`",
        run: step_couch,
    },
    Step {
        name: "native",
        title: "native: cargo test --workspace",
        run: step_native,
    },
    Step {
        name: "golden",
        title: "golden rules: sentence segmentation",
        run: step_golden,
    },
    Step {
        name: "languages",
        title: "multilingual: sentence segmentation by language (pySBD and sentencex cases)",
        run: step_multilingual,
    },
    Step {
        name: "browser",
        title: "browser: wasm-bindgen-test in headless Chromium",
        run: step_browser,
    },
    Step {
        name: "release",
        title: "release build: trunk build --release --offline",
        run: step_release,
    },
    Step {
        name: "yew-app",
        title: "Yew example app: trunk build --release --offline of examples/yew-app into target/yew-app/dist",
        run: step_yew_app,
    },
    Step {
        name: "e2e",
        title: "end-to-end: the npm package of the release build, then node --test tests/e2e/",
        run: step_e2e,
    },
    Step {
        name: "formats",
        title: "formats: exports against the W3C MUST schemas and the native JSON Schema; the tables read by Python",
        run: step_formats,
    },
    Step {
        name: "agreement",
        title: "agreement: figures against NLTK, statsmodels, scikit-learn; tables read back by Python",
        run: step_agreement,
    },
];

pub fn cmd_test() -> Result<(), String> {
    let mut shared = Run::default();
    let mut rows = Vec::new();
    for (i, step) in STEPS.iter().enumerate() {
        println!("\n==> [{}/{}] {}", i, STEPS.len() - 1, step.title);
        let start = Instant::now();
        let (outcome, note) = match (step.run)(&mut shared) {
            Ok(None) => (Outcome::Ok, String::new()),
            Ok(Some(reason)) => {
                println!("skipped: {reason}");
                (Outcome::Skipped, reason)
            }
            Err(e) => {
                println!("FAILED: {e}");
                (Outcome::Failed, e)
            }
        };
        rows.push((step.name, outcome, start.elapsed().as_secs_f64(), note));
    }
    drop(shared);
    println!("\n{}", summary(&rows));
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 == Outcome::Failed)
        .map(|r| r.0)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}

fn summary(rows: &[(&str, Outcome, f64, String)]) -> String {
    let mut out = format!("{:<10} {:<8} {:>8}\n", "step", "result", "seconds");
    for (name, outcome, secs, note) in rows {
        let first_line = note.lines().next().unwrap_or("");
        let note = if *outcome == Outcome::Ok {
            ""
        } else {
            first_line
        };
        out.push_str(format!("{name:<10} {:<8} {secs:>8.1}  {note}", outcome.label()).trim_end());
        out.push('\n');
    }
    out
}

fn step_setup(_: &mut Run) -> StepResult {
    let problems = setup::setup();
    if problems.is_empty() {
        Ok(None)
    } else {
        Err(problems.join("; "))
    }
}

/// Test targets too slow for a debug build: ignored there, run here optimised.
const HEAVY_TESTS: &[&str] = &["fuzz", "model", "sync_model"];

fn step_native(shared: &mut Run) -> StepResult {
    run(cmd("cargo").args(["test", "--workspace"]).envs(shared.couch_env()))?;
    let mut heavy = cmd("cargo");
    heavy.args(["test", "--profile", "heavy"]);
    for name in HEAVY_TESTS {
        heavy.args(["--test", name]);
    }
    run(heavy.args(["--", "--nocapture"])).map(|()| None)
}

/// Starts the team-sync test server for the rest of the run. When it cannot,
/// the step fails and the later steps pass the reason on (`AA_COUCH_ERROR`).
fn step_couch(shared: &mut Run) -> StepResult {
    match testcouch::start() {
        Ok(couch) => {
            shared.couch = Some(couch);
            Ok(None)
        }
        Err(e) => {
            let message = format!("no team-sync test server, so the sync tests fail: {e}");
            shared.couch_error = Some(message.clone());
            Err(message)
        }
    }
}

fn step_golden(_: &mut Run) -> StepResult {
    let Some(segment) = segment_example(GOLDEN_DIR)? else {
        return Ok(Some("../shared/peer-suites not found (fresh clone)".into()));
    };
    let min = GOLDEN_MIN.to_string();
    run(cmd("python3")
        .arg(format!("{GOLDEN_DIR}/score.py"))
        .arg(format!("{GOLDEN_DIR}/golden_en.json"))
        .args(["--min", &min, "--"])
        .arg(&segment))
    .map(|()| None)
}

/// Each multilingual suite, scored once per case with the debug example and
/// `--lang CODE`; every suite runs even when one falls below its minimum.
fn step_multilingual(_: &mut Run) -> StepResult {
    let Some(segment) = segment_example(MULTILINGUAL_DIR)? else {
        return Ok(Some("../shared/peer-suites not found (fresh clone)".into()));
    };
    let mut failed = Vec::new();
    for &(suite, passed, total) in MULTILINGUAL_SUITES {
        let rate = min_rate(passed, total);
        let result = run(cmd("python3")
            .arg(format!("{MULTILINGUAL_DIR}/score.py"))
            .arg(format!("{MULTILINGUAL_DIR}/{suite}"))
            .args(["--min-rate", &rate, "--"])
            .arg(&segment));
        if let Err(e) = result {
            failed.push(format!("{suite} below {passed}/{total}: {e}"));
        }
    }
    if failed.is_empty() {
        Ok(None)
    } else {
        Err(failed.join("; "))
    }
}

/// `--min-rate` for `passed` of `total`: the fraction, rounded down at the
/// sixth decimal so that exactly `passed` cases meet it.
fn min_rate(passed: u32, total: u32) -> String {
    let millionths = u64::from(passed) * 1_000_000 / u64::from(total.max(1));
    format!("0.{millionths:06}")
}

/// Builds the segment example (debug, quick to build) for a peer suite in
/// `dir`; `None` when the suite is not there (a fresh clone without shared/).
fn segment_example(dir: &str) -> Result<Option<PathBuf>, String> {
    if !util::root().join(dir).join("score.py").is_file() {
        return Ok(None);
    }
    run(cmd("cargo").args(["build", "--quiet", "--example", "segment"]))?;
    let segment = util::target_dir()
        .join("debug")
        .join("examples")
        .join("segment");
    Ok(Some(relative_to_root(&segment)))
}

/// `target/debug/...` rather than an absolute path, when under the root.
fn relative_to_root(p: &Path) -> PathBuf {
    p.strip_prefix(util::root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

fn step_browser(_: &mut Run) -> StepResult {
    let caps = write_webdriver_json()?;
    run(cmd("cargo")
        .args([
            "test",
            "-p",
            "article-annotator",
            "--target",
            setup::WASM_TARGET,
            // Only the browser suite: the unit tests run natively (their
            // proptest dependency does not build for wasm32).
            "--test",
            "web",
        ])
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &caps))
    .map(|()| None)
}

/// Capabilities for wasm-bindgen-test-runner (0.2.130 reads the file named
/// by WASM_BINDGEN_TEST_WEBDRIVER_JSON and itself adds `headless`,
/// `no-sandbox` and `disable-dev-shm-usage`). Ours pin the Debian binary and
/// keep Chromium from calling home on a network that is closed.
fn write_webdriver_json() -> Result<PathBuf, String> {
    let dir = util::target_dir().join("xtask");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join("webdriver.json");
    let args = [
        "disable-gpu",
        "disable-quic",
        "no-first-run",
        "disable-background-networking",
        "disable-component-update",
        "disable-sync",
    ];
    let body = format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": \"{CHROMIUM}\",\n    \"args\": [{}]\n  }}\n}}\n",
        args.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ")
    );
    fs::write(&path, body).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn step_release(_: &mut Run) -> StepResult {
    build::release_build(false).map(|_| None)
}

fn step_yew_app(_: &mut Run) -> StepResult {
    build::yew_app_build().map(|_| None)
}

fn step_e2e(shared: &mut Run) -> StepResult {
    let dist = util::dist_dir();
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html (release build failed?)",
            dist.display()
        ));
    }
    let out = e2e_out_dir();
    // Stale exports must not pass for fresh ones in the formats step.
    let _ = fs::remove_dir_all(&out);
    run(cmd("node")
        .args(["--test", "tests/e2e/"])
        .env("AA_DIST", &dist)
        .env("AA_E2E_OUT", &out)
        // Always set: when the yew-app step failed, the folder is missing and
        // tests/e2e/yew-app.test.mjs fails saying so (alone, without it, it skips).
        .env("AA_YEW_APP_DIST", build::yew_app_dir().join("dist"))
        .env("CHROME_PATH", CHROMIUM)
        .envs(shared.couch_env())
        .envs([package_env(&dist)]))
    .map(|()| None)
}

/// The npm package of the release step's build (packed here, never rebuilt) for
/// `tests/e2e/package.test.mjs`: `AA_PACKAGE_TGZ`, or `AA_PACKAGE_ERROR` saying why
/// there is none, so that test fails with the reason and the others still run.
fn package_env(dist: &Path) -> (String, String) {
    match package::package(dist) {
        Ok(packed) => ("AA_PACKAGE_TGZ".to_string(), packed.tarball.display().to_string()),
        Err(e) => {
            println!("package: FAILED: {e}");
            ("AA_PACKAGE_ERROR".to_string(), e)
        }
    }
}

/// Where the end-to-end tests leave the files they downloaded.
fn e2e_out_dir() -> PathBuf {
    util::target_dir().join("e2e")
}

const W3C_VALIDATOR: &str = "../shared/peer-suites/w3c-annotation-model/validate.py";
const NATIVE_SCHEMA: &str = "schema/article-annotator.schema.json";

/// Validates what the other steps exported: the W3C collections (downloaded by the
/// end-to-end tests, written by the native tests) with the W3C peer validator, and
/// the native export with its JSON Schema.
fn step_formats(_: &mut Run) -> StepResult {
    let out = e2e_out_dir();
    let w3c_files = [out.join("w3c-export.jsonld"), util::target_dir().join("w3c").join("native-test-export.json")];
    let native_files = [out.join("native-export.json"), out.join("compare-gold.json")];
    let tables = ["table-export.csv", "table-export.jsonl", "table-native.json"].map(|f| out.join(f));
    let missing: Vec<String> = w3c_files.iter().chain(&native_files).chain(&tables).filter(|f| !f.is_file()).map(|f| f.display().to_string()).collect();
    if !missing.is_empty() {
        return Err(format!("exports not found (did the native and e2e steps run?): {}", missing.join(", ")));
    }
    let schema_check = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        jsonschema.Draft202012Validator.check_schema(schema)\n\
        for f in sys.argv[2:]:\n\
        \x20   jsonschema.Draft202012Validator(schema).validate(json.load(open(f)))\n\
        \x20   print('valid against the native schema:', f)\n\
        print(len(sys.argv) - 2, 'passed, 0 failed')\n";
    run(cmd("python3").args(["-c", schema_check, NATIVE_SCHEMA]).args(&native_files))?;
    // The tables the widget downloaded, read by Python's csv and json modules.
    run(cmd("python3").arg("tests/e2e/check_tables.py").args(&tables))?;
    // The compare view's wide table, and its figures against the agreement command's on the same files.
    let compared = ["reader", "alice", "bob"].map(|name| (name, out.join(format!("compare-{name}.json"))));
    let mut wide = cmd("python3");
    wide.arg("tests/e2e/check_tables.py").arg("--wide").arg(out.join("compare-wide.csv"));
    for (name, file) in compared.iter().chain([&("gold", out.join("compare-gold.json"))]) {
        wide.arg(format!("{name}={}", file.display()));
    }
    run(&mut wide)?;
    let report = util::output(cmd("cargo").args(["run", "--quiet", "--example", "agreement", "--", "assets/geneva-peace-plan.txt"]).args(compared.iter().map(|(_, f)| f)))
        .ok_or("the agreement command failed on the compare view's files")?;
    let report_file = out.join("compare-report.json");
    fs::write(&report_file, report).map_err(|e| format!("cannot write {}: {e}", report_file.display()))?;
    run(cmd("python3").arg("tests/e2e/check_tables.py").arg("--figures").arg(out.join("compare-figures.json")).arg(&report_file))?;
    if !util::root().join(W3C_VALIDATOR).is_file() {
        return Ok(Some("../shared/peer-suites not found (fresh clone): W3C validator skipped".into()));
    }
    run(cmd("python3").arg(W3C_VALIDATOR).args(&w3c_files)).map(|()| None)
}

const AGREEMENT_FIXTURES: &str = "tests/fixtures/agreement";

/// The agreement command on every data set of `tests/fixtures/agreement/`, checked
/// against the Python libraries (`tests/agreement/reference.py`), then the tables the
/// native test writes to `target/tables/`, read back by `tests/agreement/tables.py`.
fn step_agreement(_: &mut Run) -> StepResult {
    let python = setup::pyref_python();
    if !python.exists() {
        return Err(format!("{} missing: the setup step installs nltk, statsmodels and scikit-learn there", python.display()));
    }
    let mut sets: Vec<PathBuf> = fs::read_dir(util::root().join(AGREEMENT_FIXTURES))
        .map_err(|e| format!("{AGREEMENT_FIXTURES}: {e}"))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.is_dir())
        .map(|p| relative_to_root(&p))
        .collect();
    sets.sort();
    run(cmd("cargo").args(["build", "--quiet", "--example", "agreement", "--example", "segment"]))?;
    let examples = util::target_dir().join("debug").join("examples");
    let (agreement, segment) = (relative_to_root(&examples.join("agreement")), relative_to_root(&examples.join("segment")));
    let tables = util::target_dir().join("tables");
    // Stale tables must not pass for fresh ones.
    let _ = fs::remove_dir_all(&tables);
    run(cmd("cargo").args(["test", "--quiet", "--test", "agreement"]))?;
    let reference = run(cmd(&python.to_string_lossy())
        .arg("tests/agreement/reference.py")
        .arg("--agreement")
        .arg(&agreement)
        .arg("--segment")
        .arg(&segment)
        .args(&sets));
    let read_back = run(cmd(&python.to_string_lossy())
        .arg("tests/agreement/tables.py")
        .arg("--segment")
        .arg(&segment)
        .arg("--tables")
        .arg(relative_to_root(&tables))
        .args(&sets));
    reference.and(read_back).map(|()| None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The score may only go up: lowering the minimum must be a visible change here too.
    #[test]
    fn golden_minimum_is_pinned() {
        assert_eq!(GOLDEN_MIN, 48);
    }

    /// Each suite's minimum is our score there: it may only go up, visibly.
    #[test]
    fn multilingual_minimums_are_pinned() {
        assert_eq!(
            MULTILINGUAL_SUITES,
            &[("pysbd.json", 307, 320), ("sentencex.json", 414, 486)]
        );
    }

    #[test]
    fn min_rate_is_met_by_exactly_the_pinned_count() {
        assert_eq!(min_rate(307, 320), "0.959375");
        assert_eq!(min_rate(414, 486), "0.851851");
        for (passed, total) in [(307u32, 320u32), (414, 486), (1, 3), (2, 3)] {
            let rate: f64 = min_rate(passed, total).parse().unwrap();
            assert!(f64::from(passed) / f64::from(total) >= rate);
            assert!(f64::from(passed - 1) / f64::from(total) < rate);
        }
    }

    #[test]
    fn summary_lists_every_step() {
        let rows = vec![
            ("native", Outcome::Ok, 1.25, String::new()),
            ("golden", Outcome::Skipped, 0.0, "not found".to_string()),
            ("e2e", Outcome::Failed, 3.0, "boom\nmore".to_string()),
        ];
        let s = summary(&rows);
        assert!(
            s.contains("native     ok            1.2")
                || s.contains("native     ok            1.3"),
            "{s}"
        );
        assert!(s.contains("golden     skipped       0.0  not found"), "{s}");
        assert!(s.contains("e2e        FAILED        3.0  boom"), "{s}");
        assert!(!s.contains("more"));
    }

    /// Without a server the sync tests learn why (and fail) instead of skipping.
    #[test]
    fn sync_tests_get_the_reason_when_there_is_no_server() {
        let mut shared = Run::default();
        assert_eq!(shared.couch_env(), [("AA_COUCH_ERROR".to_string(), "the couch step did not run".to_string())]);
        shared.couch_error = Some("pouchdb-server is not installed".into());
        let env = shared.couch_env();
        assert_eq!(env.len(), 1);
        assert!(env[0].1.contains("not installed"));
        assert!(STEPS.iter().position(|s| s.name == "couch") < STEPS.iter().position(|s| s.name == "native"));
    }

    /// The Yew app is built before the end-to-end tests that drive it.
    #[test]
    fn the_yew_app_is_built_before_the_e2e_step() {
        let at = |name: &str| STEPS.iter().position(|s| s.name == name);
        assert!(at("yew-app").is_some() && at("yew-app") < at("e2e"));
        assert!(build::yew_app_dir().ends_with("yew-app"));
        assert!(util::root().join(build::YEW_APP).join("Cargo.toml").is_file());
    }

    #[test]
    fn webdriver_capabilities_are_json() {
        let path = write_webdriver_json().unwrap();
        let text = fs::read_to_string(path).unwrap();
        assert!(text.contains("\"goog:chromeOptions\""));
        assert!(text.contains("\"disable-background-networking\""));
    }
}
