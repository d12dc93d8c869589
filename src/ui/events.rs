//! Payloads of the events a host page receives, built as JSON and parsed into plain
//! JavaScript objects (no class instances, nothing that outlives the call).

use serde_json::{json, Value};
use wasm_bindgen::JsValue;

use crate::core::model::Annotation;
use crate::core::state::AppState;

/// A JSON value as a plain JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

fn annotation(a: &Annotation) -> Value {
    serde_json::to_value(a).unwrap_or(Value::Null)
}

/// `change`: `{ source, changes: [{ sentence, text, labels, annotation }], tagged, total, orphans }`.
/// `source` is "user" (keys, clicks, undo), "import" (the Import dialog) or "api".
pub fn change(state: &AppState, sentences: &[usize], source: &str) -> JsValue {
    let doc = &state.doc;
    let changes: Vec<Value> = sentences
        .iter()
        .filter_map(|&i| {
            let sentence = doc.sentences().get(i)?;
            let current = state.by_sentence.get(i)?.as_deref();
            Some(json!({
                "sentence": i,
                "text": doc.sentence_text(sentence),
                "labels": current.map_or(Vec::new(), |a| a.labels.clone()),
                "annotation": current.map_or(Value::Null, annotation),
            }))
        })
        .collect();
    to_js(&json!({
        "source": source,
        "changes": changes,
        "tagged": state.tagged(),
        "total": doc.sentences().len(),
        "orphans": state.orphans.len(),
    }))
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

/// Every annotation, placed ones with their sentence index, then the orphans (`sentence: null`).
pub fn annotations(state: &AppState) -> JsValue {
    let placed = state.by_sentence.iter().enumerate().filter_map(|(i, a)| a.as_ref().map(|a| (Some(i), a)));
    let orphans = state.orphans.iter().map(|a| (None, a));
    let list: Vec<Value> = placed
        .chain(orphans)
        .map(|(sentence, a)| {
            let mut value = annotation(a);
            value["sentence"] = sentence.map_or(Value::Null, Value::from);
            value
        })
        .collect();
    to_js(&Value::Array(list))
}
