//! `cargo xtask`: the only entry points of the project's tooling.
//!
//! ```text
//! cargo xtask setup            install what is missing (idempotent)
//! cargo xtask build            setup + the embed build + trunk release build + bundle size table
//! cargo xtask serve [--port N] build + serve dist/ on 127.0.0.1
//! cargo xtask package          the npm package from dist/ -> target/package/*.tgz
//! cargo xtask test             setup + every test suite, summary table
//! cargo xtask bench [NAME...]   bundle sizes, segmenter vs pySBD, re-anchoring, browser -> target/bench/results.json
//! cargo xtask couch URL [...]   prepare a CouchDB database for team sync
//! cargo xtask with-couch CMD... run CMD against the test pouchdb-server
//! ```

mod bench;
mod build;
mod bundle;
mod couch;
mod http;
mod json;
mod lockfile;
mod package;
// Std-only files of the widget's core, shared so the two copies never drift apart.
#[path = "../../src/core/base64.rs"]
mod base64;
#[path = "../../src/core/percent.rs"]
#[allow(dead_code)]
mod percent;
#[path = "../../src/core/time.rs"]
mod time;
mod serve;
mod setup;
mod test;
mod testcouch;
mod util;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup              install missing tools (wasm target, wasm-bindgen, trunk,
                     wasm-opt, chromium, jsonschema, e2e node modules,
                     pouchdb-server)
  build              setup, then the embed build (dist/pkg/embed/) and
                     `trunk build --release --offline`, then bundle sizes
  serve [--port N]   build, then serve dist/ on http://127.0.0.1:N/ (default 8080)
  package            the npm package from dist/ (built first when missing or
                     older than the sources) in target/package/article-annotator/,
                     then `npm pack` (fails on any npm warning)
                     -> target/package/article-annotator-VERSION.tgz
  test               setup, then native, golden, browser, release and e2e suites
                     (with a pouchdb-server for the team-sync tests, started once;
                     the Yew example app built into target/yew-app/dist first)
  bench [NAME...]    bundle (sizes raw/gzip/brotli), segment (vs pySBD), anchor,
                     browser (release build vs a vanilla-JS page in headless
                     Chromium, with the goals of issue 9), weigh (wasm code
                     by crate), sync (team sync on loopback through the
                     test pouchdb-server: a fresh pull, an offline push,
                     tag-to-appearance latency, requests and bytes per tag);
                     all by default
                     -> target/bench/results.json
                     --no-build: measure dist/ as it is (no release build)
  couch URL [--user NAME --password PW] [--team-role ROLE]
            [--adjudicator-role ROLE] [--origins LIST]
                     prepare the team database URL (http[s]://host:port/DB) on
                     CouchDB 3 or pouchdb-server: create it, set _security
                     members, install _design/article-annotator (the write
                     rules), enable CORS; `cargo xtask couch --help` for more.
                     https:// needs the `curl` command
  with-couch CMD...  start the test pouchdb-server as `test` does, run CMD with
                     AA_COUCH_URL, AA_COUCH_ADMIN and AA_COUCH_DB set, stop it

environment:
  CARGO_TARGET_DIR   honoured by every cargo/trunk step (tools stay in target/tools)
  CARGO_BUILD_JOBS   parallelism of every cargo step, installs included
  XTASK_DIST_DIR     build into this directory instead of dist/ (e.g. when two
                     builds share a checkout: Trunk replaces its dist wholesale)
";

fn main() -> ExitCode {
    util::init_env();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match command.as_str() {
        "setup" => no_args(rest).and_then(|()| setup::cmd_setup()),
        "build" => no_args(rest).and_then(|()| build::cmd_build()),
        "serve" => serve::parse_args(rest).and_then(serve::cmd_serve),
        "package" => no_args(rest).and_then(|()| package::cmd_package()),
        "test" => no_args(rest).and_then(|()| test::cmd_test()),
        "bench" => bench::cmd_bench(rest),
        "couch" => couch::parse_args(rest).and_then(couch::cmd_couch),
        "with-couch" => testcouch::cmd_with_couch(rest),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn no_args(rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(arg) => Err(format!("unexpected argument `{arg}`\n\n{USAGE}")),
    }
}
