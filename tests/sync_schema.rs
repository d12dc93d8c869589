//! `schema/sync-document.schema.json`, the documents of a team database, checked
//! with Python's jsonschema (Draft 2020-12): it accepts the examples of each kind
//! in `tests/fixtures/sync/good/` and refuses each of `tests/fixtures/sync/bad/`.
//! The same examples go through the database's own rules in
//! `tests/e2e/couch-validate.test.mjs`, so that the schema and the rules agree.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sync").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// What the sync engine itself writes (`core::sync::wire`): an annotation, a deletion
/// marker, a text; they must pass the schema too.
fn written_by_the_widget() -> Vec<PathBuf> {
    use article_annotator::core::model::{Annotation, Document, Tombstone};
    use article_annotator::core::state::{Action, AppState};
    use article_annotator::core::store::merge::Record;
    use article_annotator::core::sync::wire::{record_doc, text_doc};
    let doc = std::rc::Rc::new(Document::new("/news/geneva#0", "One here. Two there."));
    let state = AppState::new(doc.clone(), Default::default()).with_session("laptop".to_owned());
    let tagged = state.apply(Action::Toggle { sentence: 1, label: "quote".into(), now_ms: 1_796_000_000_000 });
    let cleared = tagged.apply(Action::Clear { sentence: 1, now_ms: 1_796_000_001_000 });
    let live: Vec<Annotation> = tagged.annotations().cloned().collect();
    let dead: Vec<Tombstone> = cleared.deleted.values().cloned().collect();
    assert_eq!((live.len(), dead.len()), (1, 1));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sync-written");
    let _ = std::fs::create_dir_all(&dir);
    let docs = [
        ("annotation", record_doc(&doc.id, "olena", &Record::Live(live[0].clone()))),
        ("deletion", record_doc(&doc.id, "olena", &Record::Dead(dead[0].clone()))),
        ("text", text_doc(&doc.id, &doc.text, &doc.fingerprint, Some("Geneva"), Some("en"))),
    ];
    docs.iter()
        .map(|(name, value)| {
            let path = dir.join(format!("written-{name}.json"));
            std::fs::write(&path, value.to_string()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            path
        })
        .collect()
}

/// Prints one line per file: `valid NAME` or `invalid NAME: first error`.
const CHECK: &str = "import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(f, encoding='utf-8'))), key=lambda e: list(e.path))
    print(('invalid ' + f + ': ' + errors[0].message) if errors else ('valid ' + f))
";

#[test]
fn schema_accepts_each_kind_and_refuses_bad_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (mut good, bad) = (examples("good"), examples("bad"));
    good.extend(written_by_the_widget());
    for kind in ["annotation", "deletion", "gold", "text"] {
        assert!(good.iter().any(|f| f.ends_with(format!("{kind}.json"))), "an example of each kind: {kind}");
    }
    assert!(!bad.is_empty());
    let out = Command::new("python3")
        .arg("-c")
        .arg(CHECK)
        .arg(root.join("schema/sync-document.schema.json"))
        .args(&good)
        .args(&bad)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 (cargo xtask setup installs it with jsonschema): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "python3 jsonschema failed (cargo xtask setup installs jsonschema):\n{}", String::from_utf8_lossy(&out.stderr));
    for file in &good {
        let line = format!("valid {}", file.display());
        assert!(stdout.lines().any(|l| l == line), "{} should be valid:\n{stdout}", file.display());
    }
    for file in &bad {
        let line = format!("invalid {}:", file.display());
        assert!(stdout.lines().any(|l| l.starts_with(&line)), "{} should be refused:\n{stdout}", file.display());
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    assert!(readme.contains("schema/sync-document.schema.json"), "the README documents the team database's schema");
}
