//! `cargo xtask setup`: install what the build and the tests need, skipping
//! whatever is already present at the right version. Safe to run repeatedly;
//! CI runs it on a bare machine.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use crate::{lockfile, testcouch};
use crate::util::{self, cmd, output, run, which};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Trunk 0.22.1 needs rustc >= 1.96.1; 0.21.x is too old (see TOOLCHAIN.md).
pub const TRUNK_VERSION: &str = "0.22.0-beta.1";
/// Debian's binaryen (108) cannot parse what rustc 1.95 emits.
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

type Step = (&'static str, fn() -> Result<(), String>);

const STEPS: &[Step] = &[
    ("wasm target", wasm_target),
    ("wasm-bindgen", wasm_bindgen_cli),
    ("trunk", trunk),
    ("wasm-opt", wasm_opt),
    ("chromium", chromium),
    ("jsonschema", jsonschema),
    ("python reference libraries", python_reference),
    ("e2e node modules", e2e_node_modules),
    ("pouchdb-server", pouchdb_server),
];

/// Run every step; return the problems (empty when all is in place).
/// One failed step does not stop the others: a missing browser must not
/// prevent a build.
pub fn setup() -> Vec<String> {
    let mut problems = Vec::new();
    for (name, step) in STEPS {
        if let Err(e) = step() {
            println!("setup: {name} FAILED: {e}");
            problems.push(format!("{name}: {e}"));
        }
    }
    problems
}

pub fn cmd_setup() -> Result<(), String> {
    let problems = setup();
    if problems.is_empty() {
        println!("setup: done");
        Ok(())
    } else {
        Err(format!("setup incomplete:\n  {}", problems.join("\n  ")))
    }
}

/// For build/serve/bench: report problems but carry on; the build itself
/// then fails with the tool's own message if something it needs is missing.
pub fn setup_and_warn() {
    for p in setup() {
        eprintln!("xtask: warning: setup: {p}");
    }
}

fn wasm_target() -> Result<(), String> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup target list --installed` failed (is rustup installed?)")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("setup: rust target {WASM_TARGET} present");
        return Ok(());
    }
    println!("setup: installing rust target {WASM_TARGET}");
    run(cmd("rustup").args(["target", "add", WASM_TARGET]))
}

/// The version after the program name in `--version` output
/// (`trunk 0.22.0-beta.1`, `wasm-bindgen 0.2.130`).
pub fn reported_version(program: &str) -> Option<String> {
    let out = output(cmd(program).arg("--version"))?;
    parse_version_line(&out)
}

pub fn parse_version_line(out: &str) -> Option<String> {
    out.lines()
        .next()?
        .split_whitespace()
        .nth(1)
        .map(str::to_string)
}

/// The wasm-bindgen version locked for the root crate.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock_path = util::root().join("Cargo.lock");
    if !lock_path.is_file() {
        // `cargo xtask` normally creates it; be robust if it was removed.
        run(cmd("cargo").args(["generate-lockfile", "--offline"]))
            .or_else(|_| run(cmd("cargo").arg("generate-lockfile")))?;
    }
    let lock = fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    lockfile::locked_version(&lock, "wasm-bindgen")
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let wanted = locked_wasm_bindgen()?;
    let have = reported_version("wasm-bindgen");
    let runner = reported_version("wasm-bindgen-test-runner");
    if have.as_deref() == Some(wanted.as_str()) && runner.as_deref() == Some(wanted.as_str()) {
        println!("setup: wasm-bindgen {wanted} present");
        return Ok(());
    }
    println!(
        "setup: installing wasm-bindgen-cli {wanted} (found {}; takes ~10 min)",
        have.as_deref().unwrap_or("none")
    );
    // No --locked: the CLI's lock file names a webpki-roots version the
    // registry does not serve. --force replaces another version in place.
    run(cmd("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
        "--force",
    ]))?;
    match reported_version("wasm-bindgen") {
        Some(v) if v == wanted => Ok(()),
        other => Err(format!(
            "after install, wasm-bindgen reports {other:?}, want {wanted}"
        )),
    }
}

fn trunk() -> Result<(), String> {
    match reported_version("trunk") {
        Some(v) if v == TRUNK_VERSION => {
            println!("setup: trunk {TRUNK_VERSION} present");
            return Ok(());
        }
        found => println!(
            "setup: installing trunk {TRUNK_VERSION} (found {}; takes ~20 min)",
            found.as_deref().unwrap_or("none")
        ),
    }
    run(cmd("cargo").args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
        "--force",
    ]))
}

fn wasm_opt() -> Result<(), String> {
    let tools = util::tools_dir();
    let bin = tools.join("node_modules").join(".bin").join("wasm-opt");
    let installed = npm_package_version(&tools.join("node_modules").join("binaryen"));
    if bin.exists() && installed.as_deref() == Some(BINARYEN_VERSION) {
        println!("setup: wasm-opt (binaryen {BINARYEN_VERSION}) present in target/tools");
        return Ok(());
    }
    println!("setup: installing wasm-opt (npm binaryen@{BINARYEN_VERSION}) into target/tools");
    fs::create_dir_all(&tools).map_err(|e| format!("cannot create {}: {e}", tools.display()))?;
    let prefix = tools.to_string_lossy().into_owned();
    run(cmd("npm").args([
        "install",
        "--prefix",
        &prefix,
        "--no-audit",
        "--no-fund",
        "--save-exact",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]))?;
    if bin.exists() {
        Ok(())
    } else {
        Err(format!("{} missing after npm install", bin.display()))
    }
}

/// `"version"` of an installed npm package, read from its package.json.
fn npm_package_version(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join("package.json")).ok()?;
    json_string_field(&text, "version")
}

/// First `"key": "value"` in a JSON text. Good enough for package.json's
/// top-level `version`, which npm writes before any nested object with one.
pub fn json_string_field(text: &str, key: &str) -> Option<String> {
    let needle = format!("\"{key}\"");
    let at = text.find(&needle)? + needle.len();
    let rest = text[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

fn chromium() -> Result<(), String> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        let version = output(cmd(CHROMIUM).arg("--version")).unwrap_or_default();
        println!(
            "setup: chromium + chromedriver present ({})",
            version.trim()
        );
        return Ok(());
    }
    if !util::is_root() {
        return Err(format!(
            "{} missing and not running as root; install them with \
             `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`",
            missing.join(" and ")
        ));
    }
    println!(
        "setup: installing chromium chromium-driver (apt-get; {} missing)",
        missing.join(", ")
    );
    run(cmd("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(cmd("apt-get")
        .args(["install", "-y", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    match [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .find(|p| !Path::new(p).exists())
    {
        Some(p) => Err(format!("{p} still missing after apt-get install")),
        None => Ok(()),
    }
}

fn jsonschema() -> Result<(), String> {
    if output(cmd("python3").args(["-c", "import jsonschema"])).is_some() {
        println!("setup: python jsonschema present");
        return Ok(());
    }
    println!("setup: installing python package jsonschema (pip)");
    run(cmd("python3").args(["-m", "pip", "install", "--quiet", "jsonschema"]))
}

/// The Python packages the agreement step checks our figures against, in their own
/// virtual environment (a required peer tool: without them the step fails).
pub const PYREF_PACKAGES: [&str; 3] = ["nltk", "statsmodels", "scikit-learn"];

/// The virtual environment of [`PYREF_PACKAGES`].
pub fn pyref_dir() -> std::path::PathBuf {
    util::tools_dir().join("pyref")
}

/// Its Python.
pub fn pyref_python() -> std::path::PathBuf {
    pyref_dir().join("bin").join("python")
}

fn python_reference() -> Result<(), String> {
    let python = pyref_python();
    let check = "import nltk, statsmodels, sklearn; \
        print(f'nltk {nltk.__version__}, statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}')";
    if python.exists() {
        if let Some(versions) = output(Command::new(&python).args(["-c", check])) {
            println!("setup: python reference libraries present in target/tools/pyref ({})", versions.trim());
            return Ok(());
        }
    }
    let dir = pyref_dir();
    println!("setup: creating {} with {}", dir.display(), PYREF_PACKAGES.join(", "));
    run(cmd("python3").arg("-m").arg("venv").arg(&dir))
        .map_err(|e| format!("{e} (is python3-venv installed?)"))?;
    run(Command::new(dir.join("bin").join("pip")).args(["install", "--quiet"]).args(PYREF_PACKAGES))
        .map_err(|e| format!("{e}: pip could not install {} (no network to PyPI?); the agreement step needs them", PYREF_PACKAGES.join(", ")))?;
    output(Command::new(&python).args(["-c", check]))
        .map(|_| ())
        .ok_or_else(|| format!("{} cannot import nltk, statsmodels and sklearn after pip install", python.display()))
}

fn e2e_node_modules() -> Result<(), String> {
    let dir = util::root().join("tests").join("e2e");
    let lock = dir.join("package-lock.json");
    if !lock.is_file() {
        return Err(format!("{} missing", lock.display()));
    }
    let modules = dir.join("node_modules");
    // npm rewrites node_modules/.package-lock.json on every install.
    let stamp = modules.join(".package-lock.json");
    let fresh = match (mtime(&lock), mtime(&stamp).or_else(|| mtime(&modules))) {
        (Some(l), Some(m)) => m >= l,
        _ => false,
    };
    if fresh {
        println!("setup: tests/e2e node modules present");
        return Ok(());
    }
    println!("setup: installing tests/e2e node modules (npm ci)");
    if which("npm").is_none() {
        return Err("npm not found on PATH".into());
    }
    run(cmd("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir))
}

/// The team-sync tests' CouchDB stand-in, the lean install of TOOLCHAIN.md
/// (no native module to build), into `target/tools/pouchdb-server/`.
fn pouchdb_server() -> Result<(), String> {
    let wanted = testcouch::POUCHDB_SERVER_VERSION;
    let dir = testcouch::install_dir();
    let found = testcouch::installed_version();
    if found.as_deref() == Some(wanted) && testcouch::binary().exists() {
        println!("setup: pouchdb-server {wanted} present in target/tools/pouchdb-server");
        return Ok(());
    }
    println!(
        "setup: installing pouchdb-server {wanted} (npm, lean: no native modules) into target/tools/pouchdb-server (found {})",
        found.as_deref().unwrap_or("none")
    );
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    run(cmd("npm")
        .args(["install", "--prefix"])
        .arg(&dir)
        .args(["--no-save", "--no-package-lock", "--omit=optional", "--ignore-scripts", "--no-audit", "--no-fund"])
        .arg(format!("pouchdb-server@{wanted}")))?;
    match testcouch::installed_version() {
        Some(v) if v == wanted && testcouch::binary().exists() => Ok(()),
        other => Err(format!("after npm install, pouchdb-server is {other:?} in {}, want {wanted}", dir.display())),
    }
}

pub fn mtime(path: &Path) -> Option<SystemTime> {
    fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines() {
        assert_eq!(
            parse_version_line("trunk 0.22.0-beta.1\n").as_deref(),
            Some("0.22.0-beta.1")
        );
        assert_eq!(
            parse_version_line("wasm-bindgen 0.2.130").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_version_line(""), None);
        assert_eq!(parse_version_line("trunk"), None);
    }

    #[test]
    fn package_json_version() {
        let pkg = r#"{
  "name": "binaryen",
  "version": "132.0.0",
  "dependencies": { "x": { "version": "1.0.0" } }
}"#;
        assert_eq!(
            json_string_field(pkg, "version").as_deref(),
            Some("132.0.0")
        );
        assert_eq!(json_string_field(pkg, "missing"), None);
    }
}
