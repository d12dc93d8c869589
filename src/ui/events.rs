//! Payloads of the events a host page receives, built as JSON and parsed into plain
//! JavaScript objects (no class instances, nothing that outlives the call).

use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use crate::core::model::Annotation;
use crate::core::state::AppState;

/// A JSON value as a plain JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// Anything serialisable as a plain JavaScript value, written straight to JSON text
/// (no intermediate `Value` tree: a change of 10,000 sentences would build tens of MB).
fn js_of<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|text| js_sys::JSON::parse(&text).ok()).unwrap_or(JsValue::NULL)
}

#[derive(Serialize)]
struct Change<'a> {
    sentence: usize,
    text: &'a str,
    labels: &'a [String],
    annotation: Option<&'a Annotation>,
}

#[derive(Serialize)]
struct ChangeEvent<'a> {
    source: &'a str,
    changes: Vec<Change<'a>>,
    tagged: usize,
    total: usize,
    orphans: usize,
}

/// `change`: `{ source, changes: [{ sentence, text, labels, annotation }], tagged, total, orphans }`.
/// `source` is "user" (keys, clicks, undo), "import" (the Import dialog) or "api".
pub fn change(state: &AppState, sentences: &[usize], source: &str) -> JsValue {
    let doc = &state.doc;
    let changes = sentences
        .iter()
        .filter_map(|&i| {
            let sentence = doc.sentences().get(i)?;
            let current = state.by_sentence.get(i)?.as_deref();
            Some(Change { sentence: i, text: doc.sentence_text(sentence), labels: current.map_or(&[], |a| a.labels.as_slice()), annotation: current })
        })
        .collect();
    js_of(&ChangeEvent { source, changes, tagged: state.tagged(), total: doc.sentences().len(), orphans: state.orphans.len() })
}

/// `select`: `{ sentence, text, labels }` for the sentence that took the focus.
pub fn select(state: &AppState, sentence: usize) -> JsValue {
    let doc = &state.doc;
    let text = doc.sentences().get(sentence).map_or("", |s| doc.sentence_text(s));
    to_js(&json!({
        "sentence": sentence,
        "text": text,
        "labels": state.labels_of(sentence).unwrap_or_default(),
    }))
}

#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    annotation: &'a Annotation,
    sentence: Option<usize>,
}

/// Every annotation, placed ones with their sentence index, then the orphans (`sentence: null`).
pub fn annotations(state: &AppState) -> JsValue {
    let placed = state.by_sentence.iter().enumerate().filter_map(|(i, a)| a.as_ref().map(|a| (Some(i), a)));
    let orphans = state.orphans.iter().map(|a| (None, a));
    let list: Vec<Listed> = placed.chain(orphans).map(|(sentence, a)| Listed { annotation: a, sentence }).collect();
    js_of(&list)
}
