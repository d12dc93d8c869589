//! Mixed scripts never break offsets: an article mixing emoji (with skin tones and
//! joiners), combining marks, CJK, Arabic and Hebrew with direction marks is tagged,
//! stored, reloaded, exported as W3C and imported back, and re-anchored after an edit.
//! Offsets are code points everywhere, and every quote is exactly its offsets' text.

use std::rc::Rc;

use article_annotator::core::codec::{native, split, w3c};
use article_annotator::core::model::{Annotation, Document, LabelSet};
use article_annotator::core::segment::Lang;
use article_annotator::core::state::{Action, AppState};
use article_annotator::core::store::document::{read_whole, save, Saved};
use article_annotator::core::store::kv::Memory;

const TEXT: &str = "The lab 👩🏽‍🔬 opened today. Cafe\u{301} owners were pleased.\n\
会议在日内瓦举行。双方同意停火！\n\
\u{200F}قال المتحدث إن المحادثات ستستمر. שלום \u{200E}2026\u{200F} עולם.\n\
Flags 🇺🇦🇪🇺 and keycaps 1\u{FE0F}\u{20E3} end here.";

/// The text of code points `start..end`.
fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn assert_offsets_hold(doc: &Document, annotations: &[Annotation]) {
    for a in annotations {
        let p = a.target.position;
        assert_eq!(slice(&doc.text, p.start, p.end), a.target.quote.exact, "{} at {}..{}", a.id, p.start, p.end);
        let s = doc.sentence_overlapping(p.start, p.end).unwrap_or(usize::MAX);
        assert!(s < doc.sentences().len(), "{} lies on a sentence", a.id);
    }
}

fn tagged() -> AppState {
    let doc = Rc::new(Document::new_in("mixed", TEXT, Lang::from_code("zh").unwrap_or(Lang::ENGLISH)));
    let mut state = AppState::new(doc, Rc::new(LabelSet::default())).with_session("t");
    for i in 0..state.doc.sentences().len() {
        state = state.apply(Action::Toggle { sentence: i, label: ["claim", "quote", "position"][i % 3].into(), now_ms: 1_000 + i as u64 });
    }
    state
}

#[test]
fn sentences_and_offsets_are_code_points_in_every_script() {
    let state = tagged();
    let doc = &state.doc;
    let texts: Vec<&str> = doc.sentences().iter().map(|s| doc.sentence_text(s)).collect();
    assert!(texts.contains(&"The lab 👩🏽‍🔬 opened today."), "{texts:?}");
    assert!(texts.contains(&"会议在日内瓦举行。"), "{texts:?}");
    assert!(texts.contains(&"双方同意停火！"), "{texts:?}");
    for s in doc.sentences() {
        // Code points: the sentence's offsets count chars, its bytes slice the same text.
        assert_eq!(slice(&doc.text, s.start, s.end), doc.sentence_text(s));
    }
    let annotations: Vec<Annotation> = state.annotations().cloned().collect();
    assert_eq!(annotations.len(), doc.sentences().len());
    assert_offsets_hold(doc, &annotations);
}

#[test]
fn storage_export_and_reimport_keep_every_offset() {
    let state = tagged();
    let placed = |s: &AppState| (0..s.doc.sentences().len()).map(|i| s.labels_of(i).map(<[String]>::to_vec)).collect::<Vec<_>>();
    // Through storage (the store's save and a reload).
    let mut kv = Memory::default();
    assert!(matches!(save(&mut kv, &state, &split::Written::default()), Ok(Saved::Written(_))));
    let found = match read_whole(&mut kv, "mixed") {
        Ok(Some(Ok(found))) => found,
        other => panic!("{other:?}"),
    };
    let reloaded = AppState::new(Rc::clone(&state.doc), Rc::clone(&state.labels)).apply(Action::Restore(found.envelope.annotations.clone()));
    assert_eq!(placed(&reloaded), placed(&state));
    assert_offsets_hold(&state.doc, &found.envelope.annotations);
    // Through the native export and the W3C export.
    let native_back = native::decode(&native::encode(&state.doc, state.annotations(), &[])).unwrap_or_else(|e| panic!("{e}"));
    assert_offsets_hold(&state.doc, &native_back.annotations);
    let context = w3c::ExportContext { source: None, now: "2026-12-01T00:00:00.000Z" };
    let exported = w3c::export(&state.doc, state.annotations_placed(), &context);
    let w3c_back = w3c::import(&exported, &state.doc, "2026-12-01T00:00:00.000Z").unwrap_or_else(|e| panic!("{e}"));
    assert!(w3c_back.problems.is_empty(), "{:?}", w3c_back.problems);
    assert_offsets_hold(&state.doc, &w3c_back.annotations);
    let imported = AppState::new(Rc::clone(&state.doc), Rc::clone(&state.labels)).apply(Action::Restore(w3c_back.annotations));
    assert_eq!(placed(&imported), placed(&state));
}

#[test]
fn an_edit_before_them_moves_every_annotation_to_its_sentence() {
    let state = tagged();
    let stored: Vec<Annotation> = state.annotations().cloned().collect();
    // A lead paragraph with more emoji and marks is added: every offset shifts.
    let edited_text = format!("Breaking 🔥🔥 news, nai\u{308}ve readers.\n{TEXT}");
    let edited = Rc::new(Document::new_in("mixed", &edited_text, Lang::from_code("zh").unwrap_or(Lang::ENGLISH)));
    let moved = AppState::new(Rc::clone(&edited), Rc::clone(&state.labels)).apply(Action::Restore(stored));
    assert!(moved.orphans.is_empty(), "{:?}", moved.orphans);
    for i in 0..state.doc.sentences().len() {
        let before = state.doc.sentence_text(&state.doc.sentences()[i]);
        // The same sentence text, one sentence further on, carries the same labels.
        assert_eq!(edited.sentence_text(&edited.sentences()[i + 1]), before);
        assert_eq!(moved.labels_of(i + 1), state.labels_of(i), "sentence {i}: {before}");
    }
    let annotations: Vec<Annotation> = moved.annotations().cloned().collect();
    assert_offsets_hold(&edited, &annotations);
}
