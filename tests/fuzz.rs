//! Fuzzing every decoder with mutated real files: the stored envelope / native import,
//! the W3C import, the combined import reader and the host's mount options. Each gets
//! `AA_FUZZ_CASES` inputs (default 100,000): no panic, and every rejection is a typed
//! error (and the stored envelope's typed shortcut agrees with its general reader).
//! The count actually run is printed (`--nocapture`) for the report.

use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

use article_annotator::core::codec::{self, native, w3c};
use article_annotator::core::error::DecodeError;
use article_annotator::core::model::{Document, LabelSet};
use article_annotator::core::options::parse_options;
use article_annotator::core::state::{Action, AppState};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");
const V0: &str = include_str!("fixtures/envelope-v0.json");

fn cases() -> u32 {
    std::env::var("AA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

fn doc() -> Document {
    Document::new("geneva-peace-plan", ARTICLE)
}

/// Real files: what storage holds (with a note, an orphan and a tombstone), and a W3C export.
fn seeds() -> (String, String) {
    let doc = Rc::new(doc());
    let mut state = AppState::new(doc.clone(), Rc::new(LabelSet::default()));
    for (sentence, label) in [(0, "claim"), (4, "quote"), (4, "position"), (15, "quote"), (9, "claim")] {
        state = state.apply(Action::Toggle { sentence, label: label.into(), now_ms: 1_700_000_000_000 });
    }
    state = state.apply(Action::SetNote { sentence: 4, note: "Source: \"wire\" <b>x</b>".into(), now_ms: 1_700_000_000_001 });
    state = state.apply(Action::Clear { sentence: 9, now_ms: 0 });
    let native_raw = native::encode_stored(&doc, state.annotations(), &[], &state.deleted);
    let w3c_raw = w3c::export(&doc, state.annotations().map(|a| (a, true)), &w3c::ExportContext { source: None, now: "2026-11-25T00:00:00Z" });
    (native_raw, w3c_raw)
}

/// Edits that break files the way real damage does: cut, spliced, duplicated, retyped.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, String),
    Replace(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = prop_oneof![
        Just("{".to_string()), Just("}".to_string()), Just("[".to_string()), Just("]".to_string()),
        Just("\"".to_string()), Just(",".to_string()), Just(":".to_string()), Just("null".to_string()),
        Just("-1".to_string()), Just("1e999".to_string()), Just("18446744073709551616".to_string()),
        Just("\"\\ud800\"".to_string()), Just("[[[[[[[[[[[[[[[[[[[[".to_string()), Just("\"version\": 2".to_string()),
        Just("\"format\": \"article-annotator\"".to_string()), Just("\"type\": \"AnnotationCollection\"".to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), 0usize..256).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (any::<usize>(), token).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::Replace(a, b)),
    ]
}

fn mutate(seed: &str, mutations: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Truncate(at) => bytes.truncate(at % len),
            Mutation::Delete(at, n) => {
                let start = at % len;
                let end = (start + n).min(bytes.len());
                bytes.drain(start.min(end)..end);
            }
            Mutation::Duplicate(at, n) => {
                let start = (at % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Insert(at, text) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, text.bytes());
            }
            Mutation::Replace(at, b) => {
                if let Some(slot) = bytes.get_mut(at % len) {
                    *slot = *b;
                }
            }
        }
    }
    // Decoders take text: invalid UTF-8 arrives as replacement characters, as from a file read.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs `check` on `cases()` mutations of `seeds`, returning how many inputs ran.
fn fuzz(name: &str, seeds: &[&str], check: impl Fn(&str) -> Result<(), TestCaseError>) -> usize {
    let count = AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 1..6));
    let result = runner.run(&strategy, |(which, mutations)| {
        count.fetch_add(1, Ordering::Relaxed);
        check(&mutate(seeds[which], &mutations))
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let n = count.load(Ordering::Relaxed);
    println!("fuzz {name}: {n} inputs, 0 panics, every rejection a typed error");
    n
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn stored_envelope_and_native_import() {
    let (native_raw, _) = seeds();
    let n = fuzz("native::decode", &[&native_raw, V0], |input| {
        let decoded = native::decode(input);
        // The typed shortcut for current envelopes reads exactly what the general reader does.
        prop_assert_eq!(&decoded, &native::decode_any(input));
        match decoded {
            Ok(envelope) => {
                for a in &envelope.annotations {
                    prop_assert!(!a.labels.is_empty() && !a.target.quote.exact.is_empty());
                    prop_assert!(a.target.position.start <= a.target.position.end);
                }
                prop_assert_eq!(envelope.unreadable.len(), envelope.problems.len());
            }
            Err(DecodeError::NotJson(_) | DecodeError::NotOurs | DecodeError::NewerVersion { .. } | DecodeError::Malformed { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        Ok(())
    });
    assert!(n >= cases() as usize);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn w3c_import() {
    let (_, w3c_raw) = seeds();
    let doc = doc();
    fuzz("w3c::import", &[&w3c_raw], |input| {
        if let Ok(imported) = w3c::import(input, &doc, "2026-11-25T00:00:00Z") {
            for a in &imported.annotations {
                prop_assert!(!a.labels.is_empty() && !a.target.quote.exact.is_empty());
            }
        }
        Ok(())
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn import_reader_and_anchoring_of_what_it_accepts() {
    let (native_raw, w3c_raw) = seeds();
    let doc = Rc::new(doc());
    let fresh = AppState::new(doc.clone(), Rc::new(LabelSet::default()));
    fuzz("codec::read_import + anchoring", &[&native_raw, &w3c_raw], |input| {
        if let Ok(preview) = codec::read_import(input, &doc, "2026-11-25T00:00:00Z") {
            let count = preview.annotations.len();
            let state = fresh.apply(Action::Import { annotations: preview.annotations, mode: codec_mode(), now_ms: 0 });
            prop_assert!(state.annotations().count() <= count, "import adds nothing it was not given");
        }
        Ok(())
    });
}

fn codec_mode() -> article_annotator::core::state::ImportMode {
    article_annotator::core::state::ImportMode::Merge
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn mount_options() {
    let seed = r##"{"text": "One. Two.", "docId": "d", "source": "https://x.org/a", "readOnly": false, "storage": "local",
        "labels": [{"name": "claim", "key": "1", "color": "#b45309", "line": "solid"}, {"name": "quote", "key": "2", "color": "rgb(1 2 3)"}]}"##;
    fuzz("options::parse_options", &[seed], |input| {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(input) {
            if let Err(problems) = parse_options(&value) {
                prop_assert!(!problems.is_empty() && problems.iter().all(|p| !p.is_empty()));
            }
        }
        Ok(())
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn library_import_and_its_plan() {
    use article_annotator::core::codec::library;
    use article_annotator::core::library::DocMeta;
    let (native_raw, _) = seeds();
    let documents = vec![
        library::LibraryDocument {
            id: "geneva-peace-plan".into(),
            meta: Some(DocMeta { title: "Geneva".into(), source: Some("https://news.example/g".into()), added: "2026-11-25T00:00:00.000Z".into(), sentences: 24 }),
            text: Some(ARTICLE.into()),
            annotations: serde_json::from_str(&native_raw).ok(),
        },
        library::LibraryDocument { id: "elsewhere".into(), meta: None, text: None, annotations: serde_json::from_str(&native_raw).ok() },
    ];
    let seed = library::encode(&documents, "2026-11-25T00:00:00.000Z");
    let labels = Rc::new(LabelSet::default());
    // Half the inputs are planned against storage that already holds the real file's documents.
    let stored = library::plan_import(library::decode(&seed).expect("the seed reads"), |_| None, &labels, "now").writes;
    let n = fuzz("codec::library::decode + plan_import", &[&seed], |input| {
        match library::decode(input) {
            Ok(file) => {
                let use_stored = input.len() % 2 == 0;
                let plan = library::plan_import(file, |key| use_stored.then(|| stored.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())).flatten(), &labels, "now");
                prop_assert!(plan.writes.iter().all(|(key, _)| key.starts_with("article-annotator/")));
            }
            Err(DecodeError::NotJson(_) | DecodeError::NotOurs | DecodeError::NewerVersion { .. } | DecodeError::Malformed { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        Ok(())
    });
    assert!(n >= cases() as usize);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn article_files() {
    use article_annotator::core::intake::{decode_file, markdown_to_text};
    let html = format!("<!doctype html><title>T</title><p>{}</p>", ARTICLE.replace("\n\n", "</p><p>"));
    fuzz("intake::decode_file + markdown_to_text", &[ARTICLE, &html, "# Head\n\n> *Quoted* [link](u) `code`"], |input| {
        if let Ok(file) = decode_file("article.md", input.as_bytes()) {
            prop_assert!(!file.text.trim().is_empty());
            let _ = markdown_to_text(&file.text);
        }
        Ok(())
    });
}

#[test]
#[cfg_attr(debug_assertions, ignore = "heavy: `cargo xtask test` runs it optimised (`cargo test --profile heavy --test NAME`)")]
fn split_storage_head_and_parts() {
    use article_annotator::core::codec::split;
    let text: String = (0..1_100).map(|i| format!("Line {i} is a sentence.\n")).collect();
    let doc = Rc::new(Document::new("big", &text));
    let mut state = AppState::new(doc.clone(), Rc::new(LabelSet::default()));
    for sentence in 0..1_050 {
        state = state.apply(Action::Toggle { sentence, label: "claim".into(), now_ms: 1_700_000_000_000 });
    }
    state = state.apply(Action::Clear { sentence: 7, now_ms: 0 });
    let (writes, _) = split::plan_save("fuzz", &native::DocumentInfo::of(&doc), &state.by_sentence, &state.orphans, &[], &state.deleted, &split::Written::default());
    let head = writes.set.last().map(|(_, v)| v.clone()).unwrap_or_default();
    // A small part keeps each input short enough for 100,000 cases.
    let part = {
        let raw = &writes.set[0].1;
        let mut value: serde_json::Value = serde_json::from_str(raw).unwrap_or_default();
        if let Some(list) = value.get_mut("annotations").and_then(|a| a.as_array_mut()) {
            list.truncate(3);
        }
        value.to_string()
    };
    let n = fuzz("split head (native::decode) + split::decode_part", &[&head, &part], |input| {
        match native::decode(input) {
            Ok(envelope) => prop_assert!(envelope.parts <= 10_000),
            Err(DecodeError::NotJson(_) | DecodeError::NotOurs | DecodeError::NewerVersion { .. } | DecodeError::Malformed { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        match split::decode_part(input, "big") {
            Ok(part) => prop_assert_eq!(part.unreadable.len(), part.problems.len()),
            Err(DecodeError::NotJson(_) | DecodeError::NotOurs | DecodeError::NewerVersion { .. } | DecodeError::Malformed { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
        Ok(())
    });
    assert!(n >= cases() as usize);
}
