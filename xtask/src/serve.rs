//! `cargo xtask serve`: build, then serve dist/ with a small static HTTP/1.1
//! server (std only: GET/HEAD, one thread per connection, Connection: close).

use crate::percent::percent_decode;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{build, setup, util};

pub const DEFAULT_PORT: u16 = 8080;
/// How many ports after the requested one to try when it is busy.
const PORT_ATTEMPTS: u16 = 20;
const MAX_HEAD: usize = 16 * 1024;

pub fn parse_args(args: &[String]) -> Result<u16, String> {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = if arg == "--port" {
            it.next().ok_or("--port needs a value")?.as_str()
        } else if let Some(v) = arg.strip_prefix("--port=") {
            v
        } else {
            return Err(format!(
                "unexpected argument `{arg}` (usage: cargo xtask serve [--port N])"
            ));
        };
        port = value
            .parse()
            .map_err(|_| format!("invalid port `{value}`"))?;
    }
    Ok(port)
}

pub fn cmd_serve(port: u16) -> Result<(), String> {
    setup::setup_and_warn();
    build::release_build(false)?;
    let dist = util::dist_dir();
    let listener = bind(port)?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("Serving article-annotator at http://127.0.0.1:{port}/");
    serve_forever(listener, dist);
    Ok(())
}

/// Bind 127.0.0.1:port, or the next free port among the following ones.
pub fn bind(port: u16) -> Result<TcpListener, String> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_ATTEMPTS)
    };
    let mut p = port;
    loop {
        match TcpListener::bind(("127.0.0.1", p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && p < last => {
                eprintln!("port {p} is busy, trying {}", p + 1);
                p += 1;
            }
            Err(e) => return Err(format!("cannot listen on 127.0.0.1:{p}: {e}")),
        }
    }
}

pub fn serve_forever(listener: TcpListener, root: PathBuf) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let root = root.clone();
                std::thread::spawn(move || {
                    // A client hanging up mid-response is not our problem.
                    let _ = handle(stream, &root);
                });
            }
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
}

fn handle(stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut head = Vec::new();
    // Read the request head (request line + headers) up to the blank line.
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take(MAX_HEAD as u64)
            .read_until(b'\n', &mut line)?;
        if n == 0 || line == b"\r\n" || line == b"\n" {
            break;
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return respond(
                stream,
                "431 Request Header Fields Too Large",
                "text/plain; charset=utf-8",
                b"too large\n",
                true,
            );
        }
    }
    let head = String::from_utf8_lossy(&head);
    let request_line = head.lines().next().unwrap_or("");
    let mut parts = request_line.split_whitespace();
    let (method, target) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) if v.starts_with("HTTP/1.") => (m, t),
        _ => {
            return respond(
                stream,
                "400 Bad Request",
                "text/plain; charset=utf-8",
                b"bad request\n",
                true,
            )
        }
    };
    let send_body = match method {
        "GET" => true,
        "HEAD" => false,
        _ => {
            return respond_with(
                stream,
                "405 Method Not Allowed",
                "text/plain; charset=utf-8",
                b"method not allowed\n",
                true,
                &["Allow: GET, HEAD"],
            )
        }
    };
    let file = resolve(root, target).and_then(|p| fs::read(&p).ok().map(|body| (p, body)));
    match file {
        Some((path, body)) => respond(stream, "200 OK", content_type(&path), &body, send_body),
        None => respond(
            stream,
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"not found\n",
            send_body,
        ),
    }
}

fn respond(
    stream: TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    send_body: bool,
) -> io::Result<()> {
    respond_with(stream, status, ctype, body, send_body, &[])
}

fn respond_with(
    mut stream: TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    send_body: bool,
    extra: &[&str],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for h in extra {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if send_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Map a request target to a file under `root`, or None (-> 404).
///
/// Drops the query and fragment, percent-decodes, and rejects `..` segments,
/// backslashes and NUL anywhere, so nothing outside `root` is reachable; a
/// symlink pointing outside is rejected too. `/` and directories map to their
/// index.html.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut file = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(file)
}


pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-serve-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("www").join("sub")).unwrap();
        fs::write(dir.join("www").join("index.html"), "<h1>hi</h1>").unwrap();
        fs::write(dir.join("www").join("app.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(dir.join("www").join("a b.txt"), "spaced").unwrap();
        fs::write(dir.join("www").join("sub").join("index.html"), "sub").unwrap();
        fs::write(dir.join("secret.txt"), "do not serve").unwrap();
        dir
    }

    #[test]
    fn content_types() {
        let ct = |p: &str| content_type(Path::new(p));
        assert_eq!(ct("x/article-annotator_bg.wasm"), "application/wasm");
        assert_eq!(ct("article-annotator.js"), "text/javascript");
        assert_eq!(ct("m.MJS"), "text/javascript");
        assert_eq!(ct("geneva-peace-plan.txt"), "text/plain; charset=utf-8");
        assert_eq!(ct("index.html"), "text/html; charset=utf-8");
        assert_eq!(ct("styles.css"), "text/css; charset=utf-8");
        assert_eq!(ct("schema.json"), "application/json");
        assert_eq!(ct("README"), "application/octet-stream");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/a%20b.txt").as_deref(), Some("/a b.txt"));
        assert_eq!(percent_decode("/%2e%2E/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%2"), None);
        assert_eq!(percent_decode("/%ff"), None, "not UTF-8");
    }

    #[test]
    fn path_safety() {
        let dir = site("resolve");
        let www = dir.join("www");
        let ok = |t: &str| resolve(&www, t);
        assert_eq!(ok("/"), Some(www.join("index.html")));
        assert_eq!(ok("/?x=1#frag"), Some(www.join("index.html")));
        assert_eq!(ok("/app.wasm"), Some(www.join("app.wasm")));
        assert_eq!(ok("/a%20b.txt"), Some(www.join("a b.txt")));
        assert_eq!(ok("/sub/"), Some(www.join("sub").join("index.html")));
        assert_eq!(ok("/sub"), Some(www.join("sub").join("index.html")));
        assert_eq!(ok("/./app.wasm"), Some(www.join("app.wasm")));
        // Traversal in every spelling is refused, even when the target exists.
        for bad in [
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%5csecret.txt",
            "/sub/..",
            "/app.wasm%00.txt",
            "secret.txt",
            "http://x/../secret.txt",
            "/missing.js",
        ] {
            assert_eq!(ok(bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("secret.txt"), www.join("link.txt")).unwrap();
            assert_eq!(ok("/link.txt"), None, "symlink out of root");
        }
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn port_args() {
        let a = |v: &[&str]| parse_args(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(a(&[]), Ok(8080));
        assert_eq!(a(&["--port", "9000"]), Ok(9000));
        assert_eq!(a(&["--port=9001"]), Ok(9001));
        assert!(a(&["--port"]).is_err());
        assert!(a(&["--port", "x"]).is_err());
        assert!(a(&["--verbose"]).is_err());
    }

    fn request(port: u16, raw: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8_lossy(&all[..split]).into_owned(),
            all[split + 4..].to_vec(),
        )
    }

    #[test]
    fn serves_over_http() {
        let dir = site("http");
        let listener = bind(0).unwrap();
        let port = listener.local_addr().unwrap().port();
        let www = dir.join("www");
        std::thread::spawn(move || serve_forever(listener, www));

        let (head, body) = request(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
        assert!(
            head.contains("Content-Type: text/html; charset=utf-8"),
            "{head}"
        );
        assert_eq!(body, b"<h1>hi</h1>");

        let (head, body) = request(port, "GET /app.wasm HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(head.contains("Content-Type: application/wasm"), "{head}");
        assert!(head.contains("Content-Length: 8"), "{head}");
        assert_eq!(body, b"\0asm\x01\0\0\0");

        let (head, body) = request(port, "HEAD /app.wasm HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(
            head.starts_with("HTTP/1.1 200 OK") && head.contains("Content-Length: 8"),
            "{head}"
        );
        assert!(body.is_empty());

        let (head, _) = request(port, "GET /../secret.txt HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404"), "{head}");
        let (head, _) = request(port, "GET /nope HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404"), "{head}");
        let (head, _) = request(port, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(
            head.starts_with("HTTP/1.1 405") && head.contains("Allow: GET, HEAD"),
            "{head}"
        );
        let (head, _) = request(port, "garbage\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 400"), "{head}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn busy_port_moves_on() {
        let first = bind(0).unwrap();
        let busy = first.local_addr().unwrap().port();
        if busy < u16::MAX - PORT_ATTEMPTS {
            let next = bind(busy).unwrap();
            assert_ne!(next.local_addr().unwrap().port(), busy);
        }
    }
}
