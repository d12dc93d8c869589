//! The team-sync tests' server: pouchdb-server, in memory, on 127.0.0.1 and a
//! free port, in a temporary working folder (it writes `config.json` and
//! `log.txt` there), with an admin, test users and a database prepared by the
//! same code as `cargo xtask couch`. Stopped when dropped.

use std::fs;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::couch::{self, Roles};
use crate::http::{self, Server};
use crate::json::Json;
use crate::util;

/// The version TOOLCHAIN.md verified (no release since 2019: a test double).
pub const POUCHDB_SERVER_VERSION: &str = "4.2.0";
/// The server admin of the test server: `AA_COUCH_ADMIN` is `admin:admin-pw`.
pub const ADMIN: (&str, &str) = ("admin", "admin-pw");
/// The test users: name, password (name + "-pw"), roles. `eve` has no role,
/// so she is no member of the team database.
pub const USERS: &[(&str, &str, &[&str])] = &[
    ("alice", "alice-pw", &["article-annotator"]),
    ("bob", "bob-pw", &["article-annotator"]),
    ("carol", "carol-pw", &["article-annotator"]),
    ("dana", "dana-pw", &["article-annotator", "adjudicator"]),
    ("eve", "eve-pw", &[]),
];
/// The database prepared for the tests (`AA_COUCH_DB`).
pub const TEST_DB: &str = "newsroom";
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Where setup installs pouchdb-server.
pub fn install_dir() -> PathBuf {
    util::tools_dir().join("pouchdb-server")
}

pub fn binary() -> PathBuf {
    install_dir().join("node_modules").join(".bin").join("pouchdb-server")
}

/// The installed version, if any (from its package.json).
pub fn installed_version() -> Option<String> {
    let package = install_dir().join("node_modules").join("pouchdb-server").join("package.json");
    let text = fs::read_to_string(package).ok()?;
    Json::parse(&text).ok()?.get("version")?.as_str().map(str::to_string)
}

/// A running test server; dropping it stops the process and removes its folder.
pub struct TestCouch {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

impl TestCouch {
    /// `AA_COUCH_URL`, the server root with a trailing slash.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// What the test steps get: `AA_COUCH_URL`, `AA_COUCH_ADMIN`, `AA_COUCH_DB`.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AA_COUCH_URL".into(), self.url()),
            ("AA_COUCH_ADMIN".into(), format!("{}:{}", ADMIN.0, ADMIN.1)),
            ("AA_COUCH_DB".into(), TEST_DB.into()),
        ]
    }

    fn server(&self, user: Option<(&str, &str)>) -> Server {
        Server {
            https: false,
            host: "127.0.0.1".into(),
            port: self.port,
            base: String::new(),
            user: user.map(|u| u.0.to_string()),
            password: user.map(|u| u.1.to_string()),
        }
    }

    /// The server's own output, for messages when it misbehaves.
    fn log_tail(&self) -> String {
        let text = fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

impl Drop for TestCouch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
        println!("couch: stopped the test pouchdb-server (port {})", self.port);
    }
}

/// Starts pouchdb-server and prepares it; the error says what went wrong.
pub fn start() -> Result<TestCouch, String> {
    let bin = binary();
    match installed_version() {
        Some(v) if v == POUCHDB_SERVER_VERSION && bin.exists() => {}
        found => {
            return Err(format!(
                "pouchdb-server {POUCHDB_SERVER_VERSION} is not installed in {} (found {}): `cargo xtask setup` installs it",
                install_dir().display(),
                found.as_deref().unwrap_or("none")
            ))
        }
    }
    let port = free_port()?;
    let dir = std::env::temp_dir().join(format!("aa-pouchdb-server-{}-{port}", std::process::id()));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let log = fs::File::create(dir.join("server.log")).map_err(|e| format!("cannot create the server log in {}: {e}", dir.display()))?;
    let log_err = log.try_clone().map_err(|e| format!("server log: {e}"))?;
    let port_text = port.to_string();
    let mut command = Command::new(&bin);
    command
        .args(["--in-memory", "--host", "127.0.0.1", "--port", &port_text])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err);
    println!("$ (cd {}; {})", dir.display(), util::display(&command));
    let child = command.spawn().map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let mut couch = TestCouch { child, dir, port };
    wait_until_ready(&mut couch)?;
    add_accounts(&couch)?;
    let admin = couch.server(Some(ADMIN));
    couch::prepare(&admin, TEST_DB, &Roles::default(), couch::DEFAULT_ORIGINS)
        .map_err(|e| format!("{e}\nserver log:\n{}", couch.log_tail()))?;
    println!("couch: test server ready at {} (admin {}, users {})", couch.url(), ADMIN.0, USERS.iter().map(|u| u.0).collect::<Vec<_>>().join(", "));
    Ok(couch)
}

/// A port nobody listens on now (the server binds it a moment later).
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

fn wait_until_ready(couch: &mut TestCouch) -> Result<(), String> {
    let start = Instant::now();
    let anonymous = couch.server(None);
    loop {
        if let Ok(Some(status)) = couch.child.try_wait() {
            return Err(format!("pouchdb-server exited at start ({status}):\n{}", couch.log_tail()));
        }
        if let Ok(answer) = http::request(&anonymous, "GET", "/", None) {
            if answer.status == 200 && answer.body.contains("express-pouchdb") {
                println!("couch: pouchdb-server answers on port {} after {:.1}s", couch.port, start.elapsed().as_secs_f64());
                return Ok(());
            }
        }
        if start.elapsed() > START_TIMEOUT {
            return Err(format!("pouchdb-server did not answer GET / within {}s:\n{}", START_TIMEOUT.as_secs(), couch.log_tail()));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The admin (pouchdb-server's `/_config/admins`; CouchDB's is below
/// `/_node/_local`), then each test user in `_users`.
fn add_accounts(couch: &TestCouch) -> Result<(), String> {
    let anonymous = couch.server(None);
    let (status, answer) = couch::call(&anonymous, "PUT", &format!("/_config/admins/{}", ADMIN.0), Some(&Json::str(ADMIN.1)))?;
    if status != 200 {
        return Err(couch::refusal(&anonymous, "creating the test admin", status, &answer));
    }
    let admin = couch.server(Some(ADMIN));
    for (name, password, roles) in USERS {
        let doc = Json::obj([
            ("_id", Json::str(format!("org.couchdb.user:{name}"))),
            ("name", Json::str(*name)),
            ("type", Json::str("user")),
            ("roles", Json::Arr(roles.iter().map(|r| Json::str(*r)).collect())),
            ("password", Json::str(*password)),
        ]);
        let (status, answer) = couch::call(&admin, "PUT", &format!("/_users/org.couchdb.user:{name}"), Some(&doc))?;
        if status != 201 && status != 202 {
            return Err(couch::refusal(&admin, &format!("creating test user {name}"), status, &answer));
        }
    }
    println!("couch: created admin `{}` and users {}", ADMIN.0, USERS.iter().map(|(n, _, r)| format!("{n} [{}]", r.join(", "))).collect::<Vec<_>>().join(", "));
    Ok(())
}

/// `cargo xtask with-couch COMMAND...`: the test server, COMMAND run with its
/// environment, then the server stopped (COMMAND's failure is ours).
pub fn cmd_with_couch(args: &[String]) -> Result<(), String> {
    let Some((program, rest)) = args.split_first() else {
        return Err("usage: cargo xtask with-couch COMMAND [ARG...]\n(e.g. cargo xtask with-couch node --test tests/e2e/couch-rules.test.mjs)".into());
    };
    let couch = start()?;
    let result = util::run(util::cmd(program).args(rest).envs(couch.env()));
    drop(couch);
    result
}
