//! Inter-annotator agreement on one article (the testing contract in DESIGN.md):
//!
//! `cargo run --quiet --example agreement -- ARTICLE FILE...`
//!
//! Each FILE is one annotator's export (native "Export JSON", or a library file from
//! "Export all" that holds the article), named by its file stem. Prints one JSON
//! object: annotators, sentences, per label alpha / fleiss_kappa / percent /
//! cohen_kappa, and overall alpha_masi / alpha_jaccard / percent_exact; `null` where
//! a figure is undefined. Orphaned annotations and other warnings go to stderr.
//! `--tables DIR` also writes `long.csv`, `long.jsonl` and `wide.csv` there.
//!
//! Exit status: 0 done, 1 a file unreadable or not an export, 2 usage.

use std::path::{Path, PathBuf};
use std::process::exit;

use article_annotator::core::agreement::source::read_annotator_file;
use article_annotator::core::agreement::{AnnotatorTags, Ratings, Report};
use article_annotator::core::codec::table;
use article_annotator::core::model::Document;

const USAGE: &str = "usage: agreement [--tables DIR] ARTICLE FILE...\n  \
    ARTICLE  the article text (UTF-8)\n  \
    FILE     one annotator's export (native JSON or library file), named by its file stem\n  \
    --tables DIR  also write long.csv, long.jsonl and wide.csv into DIR";

struct Args {
    article: PathBuf,
    files: Vec<PathBuf>,
    tables: Option<PathBuf>,
}

fn usage(message: &str) -> ! {
    eprintln!("agreement: {message}\n{USAGE}");
    exit(2)
}

fn parse_args() -> Args {
    let mut tables = None;
    let mut paths = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => {
                println!("{USAGE}");
                exit(0)
            }
            Some("--tables") => tables = Some(args.next().map(PathBuf::from).unwrap_or_else(|| usage("--tables needs a directory"))),
            Some("--") => paths.extend(args.by_ref().map(PathBuf::from)),
            Some(flag) if flag.starts_with("--") => usage(&format!("unknown option {flag}")),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let mut paths = paths.into_iter();
    let Some(article) = paths.next() else { usage("no ARTICLE given") };
    let files: Vec<PathBuf> = paths.collect();
    if files.is_empty() {
        usage("no annotator FILE given");
    }
    Args { article, files, tables }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("agreement: cannot read {}: {e}", path.display());
        exit(1)
    })
}

/// The annotator's name: the file stem (`alice.json` → `alice`).
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

fn main() {
    let args = parse_args();
    let names: Vec<String> = args.files.iter().map(|f| stem(f)).collect();
    if let Some(twice) = names.iter().enumerate().find_map(|(i, n)| names[..i].contains(n).then_some(n)) {
        usage(&format!("two files are named {twice}: annotators are told apart by file stem"));
    }
    let doc = Document::new(stem(&args.article), &read(&args.article));
    let mut annotators = Vec::new();
    for (path, name) in args.files.iter().zip(names) {
        let file = read_annotator_file(&read(path), &doc).unwrap_or_else(|e| {
            eprintln!("agreement: {}: not an annotator's export: {e}", path.display());
            exit(1)
        });
        for warning in &file.warnings {
            eprintln!("agreement: {}: {warning}", path.display());
        }
        let tags = AnnotatorTags::place(name, &doc, &file.annotations);
        for orphan in &tags.orphans {
            let quote: String = orphan.target.quote.exact.chars().take(60).collect();
            eprintln!("agreement: {}: annotation {} (\"{quote}\") found no sentence: not counted", path.display(), orphan.id);
        }
        annotators.push(tags);
    }
    let ratings = Ratings::new(&doc, annotators);
    if let Some(dir) = &args.tables {
        write_tables(dir, &doc, &ratings);
    }
    println!("{}", Report::of(&ratings).to_json());
}

fn write_tables(dir: &Path, doc: &Document, ratings: &Ratings) {
    let files = [
        ("long.csv", table::long_csv(doc, ratings)),
        ("long.jsonl", table::long_jsonl(doc, ratings)),
        ("wide.csv", table::wide_csv(doc, ratings)),
    ];
    for (name, body) in files {
        let path = dir.join(name);
        if let Err(e) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, body)) {
            eprintln!("agreement: cannot write {}: {e}", path.display());
            exit(1)
        }
    }
}
