//! Sizes of the release bundle in dist/: raw, gzip -9 and (when asked) brotli.
//!
//! Brotli comes from the `brotli` command when there is one, else from Node's
//! zlib (always there: the end-to-end tests need Node), at quality 11 either way,
//! so xtask stays std only and nothing is installed for it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::json::Json;
use crate::util::which;

#[derive(Debug, Clone, PartialEq)]
pub struct FileSize {
    /// Path relative to dist/, with `/` separators.
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: Option<u64>,
}

/// Measure every file under `dist` (recursively, sorted by path).
/// Brotli is measured only when asked.
pub fn measure(dist: &Path, with_brotli: bool) -> Result<Vec<FileSize>, String> {
    let mut files = Vec::new();
    collect(dist, &mut files).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(format!("{} is empty", dist.display()));
    }
    let brotli_command = with_brotli && which("brotli").is_some();
    let node_brotli = if with_brotli && !brotli_command { Some(node_brotli_sizes(&files)?) } else { None };
    let mut sizes = Vec::new();
    for (i, file) in files.into_iter().enumerate() {
        let raw = fs::metadata(&file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .len();
        // -n: no name/timestamp in the header, so the size is reproducible
        // (and is what a server sending Content-Encoding: gzip would add).
        let gzip = compressed_len(Command::new("gzip").args(["-9", "-n", "-c"]).arg(&file))
            .ok_or_else(|| format!("`gzip -9 -n -c {}` failed", file.display()))?;
        let brotli = match &node_brotli {
            Some(node) => node.get(i).copied(),
            None if brotli_command => compressed_len(Command::new("brotli").args(["-q", "11", "-c"]).arg(&file)),
            None => None,
        };
        let path = file
            .strip_prefix(dist)
            .unwrap_or(&file)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        sizes.push(FileSize {
            path,
            raw,
            gzip,
            brotli,
        });
    }
    Ok(sizes)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Brotli (quality 11, the file's size as the size hint) of each file, by Node's zlib.
fn node_brotli_sizes(files: &[PathBuf]) -> Result<Vec<u64>, String> {
    const SCRIPT: &str = "const fs = require('fs'), zlib = require('zlib');\n\
        for (const f of process.argv.slice(1)) {\n\
          const data = fs.readFileSync(f);\n\
          const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length };\n\
          console.log(zlib.brotliCompressSync(data, { params }).length);\n\
        }\n";
    let out = Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .args(files)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run node for brotli sizes: {e}"))?;
    if !out.status.success() {
        return Err(format!("node could not compress: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let sizes: Vec<u64> = String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect();
    if sizes.len() == files.len() {
        Ok(sizes)
    } else {
        Err(format!("node gave {} brotli sizes for {} files", sizes.len(), files.len()))
    }
}

/// What a host page that embeds an article downloads: the loader, the widget's
/// stylesheet (the loader shows the article with it before the wasm arrives), and the
/// embed build's bindings and wasm. The rest of dist/ is the full build (which the loader
/// fetches when a reader opens Compare or Sync, or a page shows the library) and the demo.
pub const WIDGET_FILES: &[&str] = &["article-annotator.js", "article-annotator.css", "pkg/embed/article-annotator.js", "pkg/embed/article-annotator_bg.wasm"];

/// What every page loads before a build: the loader and the stylesheet (the start of
/// [`WIDGET_FILES`]).
const LOADER_FILES: &[&str] = WIDGET_FILES.split_at(2).0;

/// The interface catalogues besides English, which the embed build leaves out: a page
/// whose widget speaks one of these languages loads its file too (the full build
/// carries them all).
pub const CATALOGUE_FILES: &[&str] = &["catalogues/uk.txt", "catalogues/de.txt", "catalogues/fr.txt", "catalogues/es.txt"];

/// The full build: what a page showing the library downloads besides the loader and the
/// stylesheet (and what the loader swaps in for the embed build).
pub const FULL_FILES: &[&str] = &["pkg/article-annotator.js", "pkg/article-annotator_bg.wasm"];

/// The totals of what a page showing the library downloads: loader, stylesheet, full build.
pub fn library_totals(sizes: &[FileSize]) -> (u64, u64, Option<u64>) {
    let wanted = |path: &str| LOADER_FILES.contains(&path) || FULL_FILES.contains(&path);
    let files: Vec<FileSize> = sizes.iter().filter(|s| wanted(&s.path)).cloned().collect();
    totals(&files)
}

/// The totals of the files a host page downloads ([`WIDGET_FILES`]).
pub fn widget_totals(sizes: &[FileSize]) -> (u64, u64, Option<u64>) {
    let widget: Vec<FileSize> = sizes.iter().filter(|s| WIDGET_FILES.contains(&s.path.as_str())).cloned().collect();
    totals(&widget)
}

fn compressed_len(c: &mut Command) -> Option<u64> {
    // Bytes, not text: count the raw stdout.
    let out = c.stdin(std::process::Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// (raw, gzip, brotli) summed; brotli only if every file has one.
pub fn totals(sizes: &[FileSize]) -> (u64, u64, Option<u64>) {
    let raw = sizes.iter().map(|s| s.raw).sum();
    let gzip = sizes.iter().map(|s| s.gzip).sum();
    let brotli = sizes.iter().map(|s| s.brotli).sum::<Option<u64>>();
    (raw, gzip, brotli)
}

pub fn table(sizes: &[FileSize]) -> String {
    let show_brotli = !sizes.is_empty() && sizes.iter().all(|s| s.brotli.is_some());
    let width = sizes.iter().map(|s| s.path.len()).max().unwrap_or(0).max(24);
    let mut out = format!("{:<width$}  {:>10}  {:>10}", "file", "raw bytes", "gzip -9");
    if show_brotli {
        out.push_str(&format!("  {:>10}", "brotli"));
    }
    out.push('\n');
    let mut row = |name: &str, raw: u64, gzip: u64, brotli: Option<u64>| {
        out.push_str(&format!("{name:<width$}  {raw:>10}  {gzip:>10}"));
        if show_brotli {
            out.push_str(&format!("  {:>10}", brotli.unwrap_or(0)));
        }
        out.push('\n');
    };
    for s in sizes {
        row(&s.path, s.raw, s.gzip, s.brotli);
    }
    let (raw, gzip, brotli) = widget_totals(sizes);
    row("embed (a page with one article loads)", raw, gzip, brotli);
    let (raw, gzip, brotli) = library_totals(sizes);
    row("library (loader, css, full build)", raw, gzip, brotli);
    let (raw, gzip, brotli) = totals(sizes);
    row("total", raw, gzip, brotli);
    out
}

pub fn to_json(sizes: &[FileSize]) -> Json {
    let opt = |v: Option<u64>| v.map(Json::from).unwrap_or(Json::Null);
    let files = sizes
        .iter()
        .map(|s| {
            Json::obj([
                ("path", Json::str(&s.path)),
                ("raw", Json::from(s.raw)),
                ("gzip", Json::from(s.gzip)),
                ("brotli", opt(s.brotli)),
            ])
        })
        .collect();
    let (w_raw, w_gzip, w_brotli) = widget_totals(sizes);
    let (l_raw, l_gzip, l_brotli) = library_totals(sizes);
    let (raw, gzip, brotli) = totals(sizes);
    Json::obj([
        ("files", Json::Arr(files)),
        (
            "library",
            Json::obj([
                ("files", Json::Arr(LOADER_FILES.iter().chain(FULL_FILES).map(|f| Json::str(*f)).collect())),
                ("raw", Json::from(l_raw)),
                ("gzip", Json::from(l_gzip)),
                ("brotli", opt(l_brotli)),
            ]),
        ),
        (
            "widget",
            Json::obj([
                ("files", Json::Arr(WIDGET_FILES.iter().map(|f| Json::str(*f)).collect())),
                ("raw", Json::from(w_raw)),
                ("gzip", Json::from(w_gzip)),
                ("brotli", opt(w_brotli)),
            ]),
        ),
        (
            "total",
            Json::obj([
                ("raw", Json::from(raw)),
                ("gzip", Json::from(gzip)),
                ("brotli", opt(brotli)),
            ]),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-bundle-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    #[test]
    fn measures_files_recursively() {
        let dir = temp_dir("measure");
        fs::write(dir.join("b.js"), "x".repeat(1000)).unwrap();
        fs::write(dir.join("sub").join("a.css"), "body{}").unwrap();
        let sizes = measure(&dir, false).unwrap();
        assert_eq!(
            sizes.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
            ["b.js", "sub/a.css"]
        );
        assert_eq!(sizes[0].raw, 1000);
        assert!(
            sizes[0].gzip < 100,
            "1000 equal bytes compress well: {}",
            sizes[0].gzip
        );
        assert!(
            sizes[1].gzip > sizes[1].raw,
            "gzip header outweighs 6 bytes"
        );
        assert_eq!(sizes[0].brotli, None);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn brotli_is_measured_without_a_brotli_command() {
        let dir = temp_dir("brotli");
        fs::write(dir.join("b.js"), "abc ".repeat(1000)).unwrap();
        let sizes = measure(&dir, true).unwrap();
        let brotli = sizes[0].brotli.unwrap();
        assert!(brotli > 0 && brotli < sizes[0].gzip, "brotli {brotli}, gzip {}", sizes[0].gzip);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn table_and_json_have_totals() {
        let file = |path: &str, raw, gzip| FileSize { path: path.into(), raw, gzip, brotli: None };
        let sizes = vec![
            file("article-annotator.css", 20, 6),
            file("article-annotator.js", 10, 5),
            file("index.html", 10, 30),
            file("pkg/article-annotator_bg.wasm", 200, 80),
            file("pkg/embed/article-annotator_bg.wasm", 100, 40),
        ];
        let t = table(&sizes);
        let row = |name: &str| t.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no row {name}: {t}")).split_whitespace().rev().take(2).collect::<Vec<_>>();
        // The embed path: loader, stylesheet, embed build; the library: loader, stylesheet, full build.
        assert_eq!(row("embed (a page with one article loads)"), ["51", "130"], "{t}");
        assert_eq!(row("library (loader, css, full build)"), ["91", "230"], "{t}");
        assert!(t.lines().last().unwrap().starts_with("total"));
        assert_eq!(row("total"), ["161", "340"], "{t}");
        assert!(!t.contains("brotli"));
        let j = to_json(&sizes).pretty();
        assert!(j.contains("\"raw\": 340"), "{j}");
        assert!(j.contains("\"raw\": 130"), "{j}");
        assert!(j.contains("\"brotli\": null"), "{j}");
    }
}
