//! Paths, the child-process environment and command helpers.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root (the directory above `xtask/`), independent of the cwd.
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` like cargo does.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// Tools installed by setup (npm prefix for binaryen). Always under the
/// checkout's `target/`, whatever `CARGO_TARGET_DIR` says.
pub fn tools_dir() -> PathBuf {
    root().join("target").join("tools")
}

/// Where the release bundle goes: `dist/`, unless `XTASK_DIST_DIR` names
/// another directory (relative to the root). Trunk stages into and then
/// replaces its dist directory, so two builds sharing one checkout must not
/// share it.
pub fn dist_dir() -> PathBuf {
    match env::var_os("XTASK_DIST_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("dist"),
    }
}

pub fn cargo_bin_dir() -> PathBuf {
    if let Some(home) = env::var_os("CARGO_HOME").filter(|h| !h.is_empty()) {
        return PathBuf::from(home).join("bin");
    }
    let home = env::var_os("HOME").unwrap_or_else(|| OsString::from("/root"));
    PathBuf::from(home).join(".cargo").join("bin")
}

/// Prepend `target/tools/node_modules/.bin` and `~/.cargo/bin` to PATH, so
/// that every child process (trunk, cargo, the test runner) finds the tools
/// setup installed. Called once at start-up, before any thread exists.
pub fn init_env() {
    let mut paths = vec![
        tools_dir().join("node_modules").join(".bin"),
        cargo_bin_dir(),
    ];
    let current = env::var_os("PATH").unwrap_or_default();
    for p in env::split_paths(&current) {
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    if let Ok(joined) = env::join_paths(paths) {
        // Edition 2021: set_var is safe; we are still single-threaded here.
        env::set_var("PATH", joined);
    }
}

/// Find an executable on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A command run from the workspace root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

pub fn display(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for arg in c.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains(' ') {
            s.push_str(&format!(" '{arg}'"));
        } else {
            s.push(' ');
            s.push_str(&arg);
        }
    }
    s
}

/// Run a command with inherited stdout/stderr (stdin closed: CI has none).
pub fn run(c: &mut Command) -> Result<(), String> {
    let shown = display(c);
    println!("$ {shown}");
    let start = Instant::now();
    let status = c
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}` failed ({status}) after {:.0}s",
            start.elapsed().as_secs_f64()
        ))
    }
}

/// Run a command quietly and return its stdout if it succeeded.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if out.status.success() {
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        None
    }
}

/// Whether we run as root (needed for apt-get).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|euid| euid == "0"))
        })
        .unwrap_or(false)
}

/// Seconds since the Unix epoch as RFC 3339 UTC (the widget's own formatter).
pub fn iso8601_utc(secs: u64) -> String {
    crate::time::rfc3339_from_millis(secs.saturating_mul(1000))
}

pub fn now_iso8601() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    iso8601_utc(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_known_dates() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601_utc(1_795_000_000), "2026-11-18T11:06:40.000Z");
    }

    #[test]
    fn root_holds_the_workspace_manifest() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("xtask").join("Cargo.toml").is_file());
    }

    #[test]
    fn display_quotes_arguments_with_spaces() {
        let mut c = Command::new("echo");
        c.args(["a", "b c"]);
        assert_eq!(display(&c), "echo a 'b c'");
    }
}
