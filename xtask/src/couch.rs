//! `cargo xtask couch URL`: prepares a team database on CouchDB 3 (or
//! pouchdb-server) for the widget's sync: the database, its `_security`
//! members, the design document with the write rules, and CORS.

use crate::http::{self, db_path, Answer, Server};
use crate::json::Json;
use crate::percent::percent_encode;

pub const DESIGN_ID: &str = "_design/article-annotator";
/// The write rules (ES5: CouchDB's JavaScript promises no more).
pub const VALIDATE_SOURCE: &str = include_str!("../../couch/validate_doc_update.js");
/// The line of [`VALIDATE_SOURCE`] that names the adjudicators' role.
const ADJUDICATOR_LINE: &str = "  var ADJUDICATOR_ROLE = \"adjudicator\";\n";
pub const DEFAULT_TEAM_ROLE: &str = "article-annotator";
pub const DEFAULT_ADJUDICATOR_ROLE: &str = "adjudicator";
pub const DEFAULT_ORIGINS: &str = "*";
const CORS_METHODS: &str = "GET, PUT, POST, HEAD, DELETE";
const CORS_HEADERS: &str = "accept, authorization, content-type, origin, referer";

pub const USAGE: &str = "usage: cargo xtask couch URL [--user NAME --password PW] [--team-role ROLE]
                         [--adjudicator-role ROLE] [--origins LIST]

Prepares the team database URL (http[s]://[user:password@]host[:port]/DATABASE)
on CouchDB 3 or pouchdb-server, as a server admin, and prints each step:
  1. creates the database if it is missing;
  2. sets its _security members to the team role (default article-annotator);
     member names and the database's admins are kept;
  3. installs or updates _design/article-annotator, whose validate_doc_update
     refuses deletions, foreign or malformed documents and annotations written
     for someone else (the gold set: the adjudicator role, default adjudicator);
  4. on CouchDB, enables CORS with credentials for the origins LIST (default *:
     any page; name the widget's origins, e.g. https://news.example.org, to be
     stricter). pouchdb-server has CORS on already: skipped there.
Safe to run again: what is in place is left as it is.
http:// is spoken directly; https:// needs the `curl` command.
";

/// What `cargo xtask couch` was asked to do.
#[derive(Debug, PartialEq)]
pub struct Options {
    pub server: Server,
    pub db: String,
    pub roles: Roles,
    pub origins: String,
}

/// The roles the database's rules name.
#[derive(Debug, Clone, PartialEq)]
pub struct Roles {
    pub team: String,
    pub adjudicator: String,
}

impl Default for Roles {
    fn default() -> Roles {
        Roles { team: DEFAULT_TEAM_ROLE.to_string(), adjudicator: DEFAULT_ADJUDICATOR_ROLE.to_string() }
    }
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut url = None;
    let (mut user, mut password) = (None, None);
    let mut roles = Roles::default();
    let mut origins = DEFAULT_ORIGINS.to_string();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next().filter(|v| !v.is_empty()).cloned().ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--user" => user = Some(value("--user")?),
            "--password" => password = Some(value("--password")?),
            "--team-role" => roles.team = value("--team-role")?,
            "--adjudicator-role" => roles.adjudicator = value("--adjudicator-role")?,
            "--origins" => origins = value("--origins")?,
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`\n\n{USAGE}")),
            positional if url.is_none() => url = Some(positional.to_string()),
            extra => return Err(format!("unexpected argument `{extra}`\n\n{USAGE}")),
        }
    }
    let url = url.ok_or_else(|| format!("the database URL is missing\n\n{USAGE}"))?;
    let parsed = http::parse_url(&url)?;
    let db = parsed.db.ok_or_else(|| {
        format!("`{}` names no database: add its name, e.g. {}/newsroom", http::redact(&url), parsed.server.root())
    })?;
    check_db_name(&db)?;
    let mut server = parsed.server;
    if user.is_some() {
        server.user = user;
    }
    if password.is_some() {
        server.password = password;
    }
    if server.user.is_some() && server.password.is_none() {
        return Err("a --user needs its --password (or put both in the URL: http://user:password@host/db)".into());
    }
    for role in [&roles.team, &roles.adjudicator] {
        if role.starts_with('_') {
            return Err(format!("role `{role}`: names starting with `_` are CouchDB's own"));
        }
    }
    Ok(Options { server, db, roles, origins })
}

/// CouchDB's rule for database names: a lowercase letter, then lowercase
/// letters, digits and `_$()+-/`.
pub fn check_db_name(db: &str) -> Result<(), String> {
    let mut chars = db.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    if first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c)) {
        Ok(())
    } else {
        Err(format!(
            "`{db}` is not a CouchDB database name: it must start with a lowercase letter and hold only lowercase letters, digits and _$()+-/"
        ))
    }
}

pub fn cmd_couch(options: Options) -> Result<(), String> {
    prepare(&options.server, &options.db, &options.roles, &options.origins).map(|_| ())
}

/// Which server answered `GET /`.
#[derive(Debug, Clone, PartialEq)]
pub enum Flavour {
    CouchDb(String),
    PouchDbServer(String),
}

/// Prepares `db` on `server` (whose user must be a server admin), printing each
/// step; returns the kind of server. Safe to repeat.
pub fn prepare(server: &Server, db: &str, roles: &Roles, origins: &str) -> Result<Flavour, String> {
    let flavour = identify(server)?;
    match &flavour {
        Flavour::CouchDb(v) => println!("couch: {} is CouchDB {v}", server.root()),
        Flavour::PouchDbServer(v) => println!("couch: {} is pouchdb-server {v} (a test double, not for production)", server.root()),
    }
    require_admin(server)?;
    ensure_database(server, db)?;
    set_members(server, db, &roles.team)?;
    install_design(server, db, roles)?;
    match flavour {
        Flavour::PouchDbServer(_) => println!("couch: CORS: skipped, pouchdb-server has it on by default (it reflects the Origin and allows credentials)"),
        Flavour::CouchDb(_) => enable_cors(server, origins)?,
    }
    println!("couch: database `{db}` is ready for team sync: {}{}", server.root(), db_path(db));
    Ok(flavour)
}

/// A request whose answer must be JSON; the status comes back with it.
pub fn call(server: &Server, method: &str, path: &str, body: Option<&Json>) -> Result<(u16, Json), String> {
    let body = body.map(Json::compact);
    let Answer { status, body: text } = http::request(server, method, path, body.as_deref())?;
    match Json::parse(&text) {
        Ok(json) => Ok((status, json)),
        Err(_) => Err(format!(
            "{method} {}{path} answered {status} with something that is not JSON ({}): is this CouchDB, and is the URL its root (or a database)?",
            server.root(),
            preview(&text)
        )),
    }
}

fn preview(text: &str) -> String {
    let flat: String = text.trim().chars().take(80).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.is_empty() { "an empty body".to_string() } else { format!("`{flat}`") }
}

/// A message for an answer that is not what we wanted: what we tried, the
/// status in words, and what CouchDB said.
pub fn refusal(server: &Server, what: &str, status: u16, answer: &Json) -> String {
    let said = match (answer.get("error").and_then(Json::as_str), answer.get("reason").and_then(Json::as_str)) {
        (Some(e), Some(r)) => format!("{e}: {r}"),
        (Some(e), None) => e.to_string(),
        _ => answer.compact().chars().take(120).collect(),
    };
    let hint = match status {
        401 => format!("the server does not accept the name and password of {} (check --user and --password)", server.who()),
        403 => format!("{} may not do this: it needs a server admin", server.who()),
        404 => "not found".to_string(),
        _ => format!("status {status}"),
    };
    format!("{what}: {hint} ({status} {said})")
}

fn identify(server: &Server) -> Result<Flavour, String> {
    let (status, welcome) = call(server, "GET", "/", None)?;
    if status != 200 {
        return Err(refusal(server, &format!("GET {}/", server.root()), status, &welcome));
    }
    let version = welcome.get("version").and_then(Json::as_str).unwrap_or("(version unknown)").to_string();
    if welcome.get("express-pouchdb").is_some() {
        Ok(Flavour::PouchDbServer(version))
    } else if welcome.get("couchdb").is_some() {
        if !version.starts_with("3.") {
            println!("couch: warning: CouchDB {version}: these steps are written for CouchDB 3");
        }
        Ok(Flavour::CouchDb(version))
    } else {
        Err(format!("{} answers JSON but not CouchDB's welcome ({}): is the URL right?", server.root(), preview(&welcome.compact())))
    }
}

/// Every later step needs a server admin: check once, with a clear message.
/// (It also keeps pouchdb-server alive: there a `PUT /db` from a non-admin can
/// crash the server process.)
fn require_admin(server: &Server) -> Result<(), String> {
    if server.user.is_none() {
        return Err("preparing a database needs a server admin: pass --user NAME --password PW (or http://NAME:PW@host/db)".into());
    }
    let (status, session) = call(server, "GET", "/_session", None)?;
    if status != 200 {
        return Err(refusal(server, "logging in (GET /_session)", status, &session));
    }
    let ctx = session.get("userCtx");
    let roles = ctx.and_then(|c| c.get("roles")).map(Json::strings).unwrap_or_default();
    if !roles.iter().any(|r| r == "_admin") {
        return Err(format!(
            "{} is not a server admin (roles: [{}]): creating databases, setting _security and design documents need one",
            server.who(),
            roles.join(", ")
        ));
    }
    println!("couch: logged in as server admin `{}`", server.user.as_deref().unwrap_or(""));
    Ok(())
}

fn ensure_database(server: &Server, db: &str) -> Result<(), String> {
    let path = db_path(db);
    let (status, info) = call(server, "GET", &path, None)?;
    match status {
        200 => {
            println!("couch: database `{db}` exists");
            return Ok(());
        }
        404 => {}
        _ => return Err(refusal(server, &format!("looking for database `{db}`"), status, &info)),
    }
    let (status, answer) = call(server, "PUT", &path, None)?;
    match status {
        201 | 202 => println!("couch: created database `{db}`"),
        412 => println!("couch: database `{db}` exists (created meanwhile)"),
        _ => return Err(refusal(server, &format!("creating database `{db}`"), status, &answer)),
    }
    Ok(())
}

fn names_and_roles(names: Vec<String>, roles: Vec<String>) -> Json {
    let strings = |list: Vec<String>| Json::Arr(list.into_iter().map(Json::Str).collect());
    Json::obj([("names", strings(names)), ("roles", strings(roles))])
}

/// `_security`: members are the team role (plus any names listed by hand);
/// the database's admins stay as they are.
fn set_members(server: &Server, db: &str, team_role: &str) -> Result<(), String> {
    let path = format!("{}/_security", db_path(db));
    let (status, security) = call(server, "GET", &path, None)?;
    if status != 200 {
        return Err(refusal(server, &format!("reading the _security of `{db}`"), status, &security));
    }
    let part = |key: &str, field: &str| security.get(key).and_then(|m| m.get(field)).map(Json::strings).unwrap_or_default();
    let (member_names, member_roles) = (part("members", "names"), part("members", "roles"));
    if member_roles == [team_role] {
        println!("couch: _security: members are already role `{team_role}`{}; unchanged", listed_names(&member_names));
        return Ok(());
    }
    let new = Json::obj([
        ("admins", names_and_roles(part("admins", "names"), part("admins", "roles"))),
        ("members", names_and_roles(member_names.clone(), vec![team_role.to_string()])),
    ]);
    let (status, answer) = call(server, "PUT", &path, Some(&new))?;
    if status != 200 {
        return Err(refusal(server, &format!("setting the _security of `{db}`"), status, &answer));
    }
    // Read it back: a server that ignored the body would leave the database open to all.
    let (_, stored) = call(server, "GET", &path, None)?;
    let stored_roles = stored.get("members").and_then(|m| m.get("roles")).map(Json::strings).unwrap_or_default();
    if stored_roles != [team_role] {
        return Err(format!("the _security of `{db}` did not take: its member roles read back as [{}]", stored_roles.join(", ")));
    }
    let before = if member_roles.is_empty() { "none".to_string() } else { member_roles.join(", ") };
    println!(
        "couch: _security: members are now role `{team_role}` (member roles were: {before}){}; admins unchanged; only members may read and write",
        listed_names(&member_names)
    );
    Ok(())
}

fn listed_names(names: &[String]) -> String {
    if names.is_empty() { String::new() } else { format!(" and the names listed by hand ({})", names.join(", ")) }
}

/// The design document's body (without `_rev`).
pub fn design_document(roles: &Roles) -> Result<Json, String> {
    if VALIDATE_SOURCE.matches(ADJUDICATOR_LINE).count() != 1 {
        return Err("couch/validate_doc_update.js must hold the line `var ADJUDICATOR_ROLE = \"adjudicator\";` exactly once".into());
    }
    let role_line = format!("  var ADJUDICATOR_ROLE = {};\n", Json::str(roles.adjudicator.clone()).compact());
    let source = VALIDATE_SOURCE.replace(ADJUDICATOR_LINE, &role_line);
    Ok(Json::obj([
        ("_id", Json::str(DESIGN_ID)),
        ("language", Json::str("javascript")),
        ("validate_doc_update", Json::Str(source)),
        (
            "article_annotator",
            Json::obj([
                ("format", Json::str("article-annotator-sync")),
                ("version", Json::from(1)),
                ("team_role", Json::str(roles.team.clone())),
                ("adjudicator_role", Json::str(roles.adjudicator.clone())),
                ("source", Json::str("couch/validate_doc_update.js, installed by `cargo xtask couch`")),
            ]),
        ),
    ]))
}

fn install_design(server: &Server, db: &str, roles: &Roles) -> Result<(), String> {
    let wanted = design_document(roles)?;
    let path = format!("{}/{DESIGN_ID}", db_path(db));
    let (status, current) = call(server, "GET", &path, None)?;
    let rev = match status {
        200 => {
            let same = ["language", "validate_doc_update", "article_annotator"].iter().all(|k| current.get(k) == wanted.get(k));
            let rev = current.get("_rev").and_then(Json::as_str).map(str::to_string);
            if same {
                println!("couch: {DESIGN_ID} is up to date (rev {})", rev.as_deref().unwrap_or("?"));
                return Ok(());
            }
            Some(rev.ok_or_else(|| format!("{DESIGN_ID} exists but its answer has no _rev"))?)
        }
        404 => None,
        _ => return Err(refusal(server, &format!("reading {DESIGN_ID} of `{db}`"), status, &current)),
    };
    let mut body = wanted;
    if let (Json::Obj(fields), Some(rev)) = (&mut body, &rev) {
        fields.insert(1, ("_rev".to_string(), Json::str(rev.clone())));
    }
    let (status, answer) = call(server, "PUT", &path, Some(&body))?;
    if status != 201 && status != 202 {
        return Err(refusal(server, &format!("writing {DESIGN_ID} of `{db}`"), status, &answer));
    }
    let new_rev = answer.get("rev").and_then(Json::as_str).unwrap_or("?");
    match rev {
        Some(old) => println!("couch: updated {DESIGN_ID} (rev {old} -> {new_rev}): the write rules of couch/validate_doc_update.js"),
        None => println!("couch: installed {DESIGN_ID} (rev {new_rev}): the write rules of couch/validate_doc_update.js"),
    }
    Ok(())
}

/// The node's CORS settings, through the config API of the node that answers.
fn enable_cors(server: &Server, origins: &str) -> Result<(), String> {
    let settings = [
        // Releases of CouchDB 3 differ in the section they read this from; both are set.
        ("httpd", "enable_cors", "true"),
        ("chttpd", "enable_cors", "true"),
        ("cors", "origins", origins),
        ("cors", "credentials", "true"),
        ("cors", "methods", CORS_METHODS),
        ("cors", "headers", CORS_HEADERS),
    ];
    for (section, key, value) in settings {
        let path = format!("/_node/_local/_config/{section}/{}", percent_encode(key));
        let (status, answer) = call(server, "PUT", &path, Some(&Json::str(value)))?;
        if status != 200 {
            return Err(refusal(server, &format!("setting CORS ({section}/{key})"), status, &answer));
        }
        let was = answer.as_str().map(|w| format!(" (was \"{w}\")")).unwrap_or_default();
        println!("couch: CORS: [{section}] {key} = \"{value}\"{was}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_from_the_command_line() {
        let o = parse_args(&args(&["https://couch.example.org:5984/newsroom", "--user", "admin", "--password", "pw", "--team-role", "desk"])).unwrap();
        assert_eq!(o.db, "newsroom");
        assert_eq!((o.server.user.as_deref(), o.server.password.as_deref()), (Some("admin"), Some("pw")));
        assert_eq!(o.roles, Roles { team: "desk".into(), adjudicator: "adjudicator".into() });
        assert_eq!(o.origins, "*");
        let o = parse_args(&args(&["http://a:b@h/team%2Fx"])).unwrap();
        assert_eq!((o.db.as_str(), o.server.user.as_deref()), ("team/x", Some("a")));
    }

    #[test]
    fn bad_command_lines_say_what_to_fix() {
        for (line, why) in [
            (&[][..], "URL is missing"),
            (&["http://h:5984/"][..], "names no database"),
            (&["http://h/News"][..], "not a CouchDB database name"),
            (&["http://h/db", "--user"][..], "--user needs a value"),
            (&["http://h/db", "--user", "admin"][..], "needs its --password"),
            (&["http://h/db", "--bogus"][..], "unknown option"),
            (&["http://h/db", "http://h/other"][..], "unexpected argument"),
            (&["http://h/db", "--team-role", "_admin"][..], "CouchDB's own"),
        ] {
            let e = parse_args(&args(line)).unwrap_err();
            assert!(e.contains(why), "{line:?}: {e}");
        }
    }

    #[test]
    fn database_names() {
        for ok in ["newsroom", "team_2", "a$()+-/b"] {
            assert!(check_db_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "_users", "2team", "Team", "a b"] {
            assert!(check_db_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn design_document_carries_the_roles() {
        let doc = design_document(&Roles { team: "desk".into(), adjudicator: "chief \"editor\"".into() }).unwrap();
        let source = doc.get("validate_doc_update").and_then(Json::as_str).unwrap();
        assert!(source.starts_with("function (newDoc, oldDoc, userCtx, secObj) {"));
        assert!(source.contains("var ADJUDICATOR_ROLE = \"chief \\\"editor\\\"\";\n"), "{source}");
        assert!(!source.contains("var ADJUDICATOR_ROLE = \"adjudicator\""));
        let meta = doc.get("article_annotator").unwrap();
        assert_eq!(meta.get("team_role").and_then(Json::as_str), Some("desk"));
        assert_eq!(doc.get("_id").and_then(Json::as_str), Some(DESIGN_ID));
    }

    #[test]
    fn refusals_name_the_cause() {
        let server = http::parse_url("http://alice:pw@h/db").unwrap().server;
        let answer = Json::parse(r#"{"error":"unauthorized","reason":"Name or password is incorrect."}"#).unwrap();
        let e = refusal(&server, "logging in", 401, &answer);
        assert!(e.contains("user `alice`") && e.contains("Name or password is incorrect."), "{e}");
        let e = refusal(&server, "creating database `x`", 403, &Json::Obj(vec![]));
        assert!(e.contains("needs a server admin"), "{e}");
    }
}
