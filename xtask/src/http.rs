//! Just enough HTTP/1.1 to talk to CouchDB (std only, no TLS): one request per
//! connection over `std::net::TcpStream` for `http://`; `https://` goes
//! through the `curl` command, when it is installed.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::base64::base64;
use crate::percent::{percent_decode, percent_encode};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const IO_TIMEOUT: Duration = Duration::from_secs(60);
/// Answers bigger than this are not ours to read (CouchDB's are small here).
const MAX_ANSWER: usize = 64 << 20;

/// A server, as given on the command line: where to connect, under which
/// path (a reverse proxy may put CouchDB below one) and as whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub https: bool,
    pub host: String,
    pub port: u16,
    /// The path before the database name, with no trailing slash ("" at the root).
    pub base: String,
    pub user: Option<String>,
    pub password: Option<String>,
}

/// A database URL `http[s]://[user:password@]host[:port][/prefix]/db`, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct DbUrl {
    pub server: Server,
    /// The database name, percent-decoded (`a%2Fb` is the database `a/b`).
    pub db: Option<String>,
}

/// Takes a URL apart; the error says what is wrong with it.
pub fn parse_url(url: &str) -> Result<DbUrl, String> {
    let bad = |why: &str| format!("cannot use the URL `{}`: {why}", redact(url));
    let (https, rest) = if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else {
        return Err(bad("it must start with http:// or https://"));
    };
    if rest.contains(['?', '#']) {
        return Err(bad("a query (?…) or fragment (#…) has no place in a database URL"));
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    // The last `@` ends the userinfo: a password may hold an unescaped `@`.
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (user, password) = match userinfo {
        None => (None, None),
        Some(info) => {
            let (u, p) = match info.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (info, None),
            };
            let decode = |s: &str| percent_decode(s).ok_or_else(|| bad("a malformed %XX escape in the user name or password"));
            (Some(decode(u)?), p.map(decode).transpose()?)
        }
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let end = v6.find(']').ok_or_else(|| bad("an IPv6 address needs its closing `]`"))?;
        (v6[..end].to_string(), v6[end + 1..].strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host name"));
    }
    let port = match port {
        None | Some("") => if https { 443 } else { 80 },
        Some(p) => p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| bad(&format!("`{p}` is not a port number (1 to 65535)")))?,
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (base, db) = match segments.split_last() {
        None => (String::new(), None),
        Some((last, before)) => {
            let db = percent_decode(last).ok_or_else(|| bad("a malformed %XX escape in the database name"))?;
            let base = before.iter().map(|s| format!("/{s}")).collect::<String>();
            (base, Some(db))
        }
    };
    Ok(DbUrl { server: Server { https, host, port, base, user, password }, db })
}

/// The URL with its password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_string() };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end], &rest[at..]),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl Server {
    /// `http://host:port` plus the base path: what `GET /` is asked of.
    pub fn root(&self) -> String {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("{}://{host}:{}{}", if self.https { "https" } else { "http" }, self.port, self.base)
    }

    /// Who we are, for messages.
    pub fn who(&self) -> String {
        match &self.user {
            Some(user) => format!("user `{user}`"),
            None => "an anonymous client (no --user)".to_string(),
        }
    }
}

/// The path of a database below the server (`/` + its name, percent-encoded).
pub fn db_path(db: &str) -> String {
    format!("/{}", percent_encode(db))
}

/// What came back: the status code and the body.
#[derive(Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// One request to `server`; `path` starts with `/` and is already encoded.
/// Errors are connection problems; any HTTP status is an `Answer`.
pub fn request(server: &Server, method: &str, path: &str, body: Option<&str>) -> Result<Answer, String> {
    if server.https {
        return request_with_curl(server, method, path, body);
    }
    let target = format!("{}{path}", server.base);
    let address = format!("{}:{}", server.host, server.port);
    let addrs: Vec<_> = (server.host.as_str(), server.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", server.host))?
        .collect();
    let mut last_error = format!("no address for {}", server.host);
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    let mut stream = stream.ok_or_else(|| format!("cannot reach {} ({address}): {last_error}; is the server running?", server.root()))?;
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let head = request_head(server, method, &target, body.map(str::len));
    let io = |e: std::io::Error| format!("{method} {}{path}: {e}", server.root());
    stream.write_all(head.as_bytes()).map_err(io)?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes()).map_err(io)?;
    }
    let mut raw = Vec::new();
    Read::by_ref(&mut stream).take(MAX_ANSWER as u64 + 1).read_to_end(&mut raw).map_err(io)?;
    if raw.len() > MAX_ANSWER {
        return Err(format!("{method} {}{path}: the answer is larger than {} MB", server.root(), MAX_ANSWER >> 20));
    }
    parse_answer(&raw).map_err(|e| format!("{method} {}{path}: {e}", server.root()))
}

/// The request line and headers. One request per connection (`Connection: close`),
/// so that the answer ends where the connection does.
fn request_head(server: &Server, method: &str, target: &str, body_len: Option<usize>) -> String {
    let host = if server.host.contains(':') { format!("[{}]", server.host) } else { server.host.clone() };
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}:{}\r\nAccept: application/json\r\nConnection: close\r\nUser-Agent: article-annotator-xtask\r\n",
        server.port
    );
    if let Some(auth) = basic_auth(server) {
        head.push_str(&format!("Authorization: Basic {auth}\r\n"));
    }
    if let Some(len) = body_len {
        head.push_str(&format!("Content-Type: application/json\r\nContent-Length: {len}\r\n"));
    }
    head.push_str("\r\n");
    head
}

fn basic_auth(server: &Server) -> Option<String> {
    let user = server.user.as_deref()?;
    let credentials = format!("{user}:{}", server.password.as_deref().unwrap_or(""));
    Some(base64(credentials.as_bytes()))
}

/// Reads a whole HTTP/1.1 answer: status line, headers, then a body framed by
/// `Content-Length`, `Transfer-Encoding: chunked` or the end of the connection.
pub fn parse_answer(raw: &[u8]) -> Result<Answer, String> {
    let head_end = find(raw, b"\r\n\r\n").ok_or("the server closed the connection before a whole HTTP answer (not an HTTP server?)")?;
    let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| "the answer's headers are not text")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|r| r.get(2..5))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("not an HTTP answer: `{}`", status_line.chars().take(60).collect::<String>()))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| format!("bad Content-Length `{value}`"))?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") && value.to_ascii_lowercase().contains("chunked") {
            chunked = true;
        }
    }
    let rest = &raw[head_end + 4..];
    let body = if chunked {
        dechunk(rest)?
    } else if let Some(len) = length {
        rest.get(..len).ok_or("the connection ended before the whole body arrived")?.to_vec()
    } else {
        rest.to_vec()
    };
    let body = String::from_utf8(body).map_err(|_| "the answer's body is not UTF-8 text")?;
    Ok(Answer { status, body })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n").ok_or("a chunked body ended early")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).unwrap_or("");
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| format!("bad chunk size `{size_text}`"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(rest.get(..size).ok_or("a chunk ended early")?);
        rest = rest.get(size + 2..).ok_or("a chunk ended early")?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `https://`: hand the request to `curl`. Its configuration (URL, credentials,
/// body) goes in on stdin, so that the password never shows in `ps`.
fn request_with_curl(server: &Server, method: &str, path: &str, body: Option<&str>) -> Result<Answer, String> {
    let url = format!("{}{path}", server.root());
    if crate::util::which("curl").is_none() {
        return Err(format!("{url}: https:// needs the `curl` command, which is not installed (or use http:// on a trusted network)"));
    }
    let config = curl_config(server, method, &url, body);
    let mut child = Command::new("curl")
        .args(["--silent", "--show-error", "--config", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start curl: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(config.as_bytes()).map_err(|e| format!("cannot talk to curl: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("curl: {e}"))?;
    if !out.status.success() {
        return Err(format!("{method} {url}: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let text = String::from_utf8(out.stdout).map_err(|_| format!("{method} {url}: the answer is not UTF-8 text"))?;
    let (body, status) = text.rsplit_once('\n').ok_or_else(|| format!("{method} {url}: curl gave no status"))?;
    let status = status.trim().parse::<u16>().map_err(|_| format!("{method} {url}: curl gave no status"))?;
    if status == 0 {
        return Err(format!("{method} {url}: no HTTP answer"));
    }
    Ok(Answer { status, body: body.to_string() })
}

/// A curl configuration file (`curl --config`) for one request; the body is
/// sent verbatim and the status code printed on a last line of its own.
pub fn curl_config(server: &Server, method: &str, url: &str, body: Option<&str>) -> String {
    let quote = |s: &str| {
        let mut q = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                '\r' => q.push_str("\\r"),
                '\t' => q.push_str("\\t"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    let mut config = format!("url = {}\nrequest = {}\nheader = \"Accept: application/json\"\n", quote(url), quote(method));
    config.push_str("write-out = \"\\n%{http_code}\"\nconnect-timeout = 10\nmax-time = 60\n");
    if let Some(user) = &server.user {
        config.push_str(&format!("user = {}\n", quote(&format!("{user}:{}", server.password.as_deref().unwrap_or("")))));
    }
    if let Some(body) = body {
        config.push_str("header = \"Content-Type: application/json\"\n");
        config.push_str(&format!("data-raw = {}\n", quote(body)));
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn urls_are_taken_apart() {
        let u = parse_url("https://admin:p%40ss:w@rd@couch.example.org:6984/newsroom").unwrap();
        assert!(u.server.https);
        assert_eq!(u.server.host, "couch.example.org");
        assert_eq!(u.server.port, 6984);
        assert_eq!(u.server.user.as_deref(), Some("admin"));
        assert_eq!(u.server.password.as_deref(), Some("p@ss:w@rd"));
        assert_eq!(u.db.as_deref(), Some("newsroom"));
        assert_eq!(u.server.base, "");

        let u = parse_url("http://127.0.0.1:5984/").unwrap();
        assert_eq!((u.server.port, u.db, u.server.user), (5984, None, None));
        let u = parse_url("http://couch/proxy/couchdb/team%2Fa/").unwrap();
        assert_eq!((u.server.port, u.server.base.as_str(), u.db.as_deref()), (80, "/proxy/couchdb", Some("team/a")));
        assert_eq!(u.server.root(), "http://couch:80/proxy/couchdb");
        let u = parse_url("http://[::1]:5984/db").unwrap();
        assert_eq!((u.server.host.as_str(), u.server.root()), ("::1", "http://[::1]:5984".to_string()));
        assert_eq!(parse_url("https://h/db").unwrap().server.port, 443);
        assert_eq!(parse_url("http://bob@h/db").unwrap().server.password, None);
    }

    #[test]
    fn bad_urls_say_why_and_hide_the_password() {
        for (url, why) in [
            ("couch.example.org/db", "http:// or https://"),
            ("http://h:99999/db", "not a port number"),
            ("http://h:0/db", "not a port number"),
            ("http:///db", "no host"),
            ("http://h/db?x=1", "query"),
            ("http://h/d%zzb", "%XX"),
            ("http://[::1/db", "closing"),
        ] {
            let e = parse_url(url).unwrap_err();
            assert!(e.contains(why), "{url}: {e}");
        }
        let e = parse_url("http://admin:secret@h:99999/db").unwrap_err();
        assert!(!e.contains("secret") && e.contains("admin:***@h"), "{e}");
    }

    #[test]
    fn base64_of_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"admin:s3cr\xc3\xa9t"), "YWRtaW46czNjcsOpdA==");
    }

    #[test]
    fn answers_with_length_chunks_or_neither() {
        let a = parse_answer(b"HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"ok\":true}").unwrap();
        assert_eq!((a.status, a.body.as_str()), (201, "{\"ok\":true}"));
        let a = parse_answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n").unwrap();
        assert_eq!(a.body, "{\"a\":1}");
        let a = parse_answer(b"HTTP/1.0 404 Not Found\r\n\r\nnope").unwrap();
        assert_eq!((a.status, a.body.as_str()), (404, "nope"));
        assert!(parse_answer(b"SSH-2.0-OpenSSH\r\n\r\n").unwrap_err().contains("not an HTTP answer"));
        assert!(parse_answer(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort").is_err());
        assert!(parse_answer(b"").is_err());
    }

    /// A real round trip with a one-shot server on a free port.
    #[test]
    fn request_over_tcp() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server_thread = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&seen).contains("{\"x\":1}") {
                let n = conn.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
            }
            conn.write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"ok\":true}").unwrap();
            String::from_utf8_lossy(&seen).into_owned()
        });
        let url = parse_url(&format!("http://alice:pw@127.0.0.1:{port}/base/team")).unwrap();
        let answer = request(&url.server, "PUT", "/team/doc", Some("{\"x\":1}")).unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (201, "{\"ok\":true}"));
        let seen = server_thread.join().unwrap();
        assert!(seen.starts_with("PUT /base/team/doc HTTP/1.1\r\n"), "{seen}");
        assert!(seen.contains(&format!("Authorization: Basic {}\r\n", base64(b"alice:pw"))), "{seen}");
        assert!(seen.contains("Content-Length: 7\r\n"), "{seen}");
    }

    #[test]
    fn unreachable_server_is_a_message() {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = parse_url(&format!("http://127.0.0.1:{port}/db")).unwrap();
        let e = request(&url.server, "GET", "/", None).unwrap_err();
        assert!(e.contains("cannot reach") && e.contains("is the server running"), "{e}");
    }

    #[test]
    fn curl_config_quotes_everything() {
        let url = parse_url("https://ad\"min:p\\w@h/db").unwrap();
        let c = curl_config(&url.server, "PUT", "https://h:443/db", Some("{\"a\":\"b\\n\"}"));
        assert!(c.contains("user = \"ad\\\"min:p\\\\w\"\n"), "{c}");
        assert!(c.contains("data-raw = \"{\\\"a\\\":\\\"b\\\\n\\\"}\"\n"), "{c}");
        assert!(c.contains("request = \"PUT\"\n"));
    }
}
