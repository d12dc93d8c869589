//! The W3C Web Annotation Data Model as a two-way adapter at the edge of the core.
//!
//! Export writes an `AnnotationCollection` whose embedded first page holds one
//! `Annotation` per tagged sentence: motivation `tagging`, one `TextualBody` with
//! purpose `tagging` per label (and one with purpose `commenting` for a note), and a
//! target with a `TextQuoteSelector` and a `TextPositionSelector` (code points).
//!
//! Import reads a single annotation, an array, a page or a collection, keeps what it
//! can use and reports every item it skipped with its JSON path. It never fails on a
//! single bad item, only on input that is not JSON or holds no annotations at all.

use serde_json::{json, Map, Value};

use crate::core::error::{DecodeError, Problem};
use crate::core::model::{Annotation, Document, Target, TextPosition, TextQuote};

/// The JSON-LD context every export names.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// Prefix of the IRIs this widget mints for documents and annotations without a URL.
const URN: &str = "urn:article-annotator:";

/// What the export needs besides the annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportContext<'a> {
    /// The article's URL (the target `source`); a `urn:` is minted from the document id when absent.
    pub source: Option<&'a str>,
    /// When the export was made (RFC 3339).
    pub now: &'a str,
}

/// Percent-encodes everything but unreserved characters, so any id fits in an IRI.
fn iri_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for byte in s.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn from_iri_part(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn annotation_iri(doc: &Document, id: &str) -> String {
    format!("{URN}{}:annotation:{}", iri_part(&doc.id), iri_part(id))
}

/// The collection as a pretty-printed JSON-LD document.
pub fn export<'a>(
    doc: &Document,
    annotations: impl IntoIterator<Item = (&'a Annotation, bool)>,
    context: &ExportContext<'_>,
) -> String {
    let collection_id = format!("{URN}{}:collection", iri_part(&doc.id));
    let source = context.source.map_or_else(|| format!("{URN}{}", iri_part(&doc.id)), str::to_owned);
    let items: Vec<Value> = annotations
        .into_iter()
        .map(|(annotation, placed)| annotation_value(doc, annotation, placed, &source))
        .collect();
    let mut collection = json!({
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": format!("Sentences tagged in {}", doc.id),
        "total": items.len(),
        "created": context.now,
        "generator": generator(),
    });
    if !items.is_empty() {
        collection["first"] = json!({
            "id": format!("{collection_id}:page:1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        });
    }
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}

fn generator() -> Value {
    json!({
        "id": format!("{URN}software:{}", env!("CARGO_PKG_VERSION")),
        "type": "Software",
        "name": format!("article-annotator {}", env!("CARGO_PKG_VERSION")),
    })
}

/// One annotation. An orphan (`placed == false`) keeps only its quote: its position
/// refers to an older text.
fn annotation_value(doc: &Document, annotation: &Annotation, placed: bool, source: &str) -> Value {
    let mut body: Vec<Value> = annotation
        .labels
        .iter()
        .map(|label| json!({ "type": "TextualBody", "purpose": "tagging", "value": label }))
        .collect();
    if let Some(note) = annotation.note.as_ref().filter(|n| !n.is_empty()) {
        body.push(json!({ "type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain" }));
    }
    let quote = &annotation.target.quote;
    let mut selector = vec![json!({
        "type": "TextQuoteSelector",
        "exact": quote.exact,
        "prefix": quote.prefix,
        "suffix": quote.suffix,
    })];
    if placed {
        let position = annotation.target.position;
        selector.push(json!({ "type": "TextPositionSelector", "start": position.start, "end": position.end }));
    }
    json!({
        "id": annotation_iri(doc, &annotation.id),
        "type": "Annotation",
        "motivation": "tagging",
        "created": annotation.created,
        "modified": annotation.modified,
        "body": body,
        "target": { "source": source, "selector": selector },
    })
}

/// Annotations read from a W3C file, and what was skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// Annotations with a usable quote and at least one label.
    pub annotations: Vec<Annotation>,
    /// Why each skipped item was skipped.
    pub problems: Vec<Problem>,
}

/// Reads W3C Web Annotation JSON-LD. `doc` fills in the quote of a position-only
/// target; `now` stands in for missing timestamps.
pub fn import(raw: &str, doc: &Document, now: &str) -> Result<Imported, DecodeError> {
    let value: Value = serde_json::from_str(raw).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let mut items = Vec::new();
    collect_items(&value, "$", &mut items)?;
    let mut imported = Imported::default();
    for (path, item) in items {
        match read_annotation(item, doc, now) {
            Ok(annotation) => imported.annotations.push(annotation),
            Err(message) => imported.problems.push(Problem { path, message }),
        }
    }
    Ok(imported)
}

fn type_of(value: &Value) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Finds the annotation objects in a file, with their JSON paths.
fn collect_items<'v>(value: &'v Value, path: &str, out: &mut Vec<(String, &'v Value)>) -> Result<(), DecodeError> {
    match value {
        Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                out.push((format!("{path}[{i}]"), item));
            }
            Ok(())
        }
        Value::Object(object) => {
            let types = type_of(value);
            if types.contains(&"AnnotationCollection") || types.contains(&"AnnotationPage") {
                let mut found = false;
                if let Some(Value::Array(list)) = object.get("items") {
                    found = true;
                    for (i, item) in list.iter().enumerate() {
                        out.push((format!("{path}.items[{i}]"), item));
                    }
                }
                if let Some(first @ Value::Object(_)) = object.get("first") {
                    found = true;
                    collect_items(first, &format!("{path}.first"), out)?;
                }
                if !found && object.get("total").and_then(Value::as_u64).is_some_and(|t| t > 0) {
                    return Err(DecodeError::Malformed {
                        path: format!("{path}.first"),
                        expected: "the first page embedded in the file (pages given only by URL are not fetched)".into(),
                    });
                }
                Ok(())
            } else if types.contains(&"Annotation") || object.contains_key("target") {
                out.push((path.to_owned(), value));
                Ok(())
            } else {
                Err(DecodeError::NotOurs)
            }
        }
        _ => Err(DecodeError::NotOurs),
    }
}

fn read_annotation(item: &Value, doc: &Document, now: &str) -> Result<Annotation, String> {
    let Value::Object(object) = item else { return Err("expected an Annotation object".into()) };
    let (labels, note) = read_bodies(object);
    if labels.is_empty() {
        return Err("body: expected at least one TextualBody with purpose \"tagging\" (a label)".into());
    }
    let target = read_target(object.get("target"), doc)?;
    let id = match object.get("id").and_then(Value::as_str) {
        Some(iri) => match iri.strip_prefix(URN).and_then(|rest| rest.split_once(":annotation:")) {
            Some((_, ours)) => from_iri_part(ours),
            None => iri.to_owned(),
        },
        // No id: one made from what the item says, so the same item read twice is one
        // annotation, and items of two files never share an id by accident.
        None => {
            let said = serde_json::to_string(item).unwrap_or_default();
            format!("w3c-{:016x}", crate::core::text::fnv1a64(said.bytes()))
        }
    };
    let time = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let created = time("created").unwrap_or_else(|| now.to_owned());
    let modified = time("modified").unwrap_or_else(|| created.clone());
    Ok(Annotation { id, labels, note, target, created, modified, versions: Default::default() })
}

/// Labels from tagging bodies (or a plain `bodyValue`), and a note from a commenting/describing body.
fn read_bodies(object: &Map<String, Value>) -> (Vec<String>, Option<String>) {
    let bodies: Vec<&Value> = match object.get("body") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(body) => vec![body],
        None => Vec::new(),
    };
    let tagging_motivation = matches!(object.get("motivation").and_then(Value::as_str), Some("tagging" | "classifying"));
    let mut labels: Vec<String> = Vec::new();
    let mut note = None;
    for body in bodies {
        let Some(value) = body.get("value").and_then(Value::as_str) else { continue };
        match body.get("purpose").and_then(Value::as_str) {
            Some("tagging" | "classifying") => labels.push(value.to_owned()),
            Some("commenting" | "describing") => note = Some(value.to_owned()),
            None if tagging_motivation => labels.push(value.to_owned()),
            _ => {}
        }
    }
    if labels.is_empty() && tagging_motivation {
        if let Some(value) = object.get("bodyValue").and_then(Value::as_str) {
            labels.push(value.to_owned());
        }
    }
    labels.retain(|l| !l.trim().is_empty());
    labels.dedup();
    (labels, note)
}

fn read_target(target: Option<&Value>, doc: &Document) -> Result<Target, String> {
    let target = match target {
        Some(Value::Array(list)) => list.first(),
        other => other,
    };
    let Some(Value::Object(target)) = target else {
        return Err("target: expected an object with a selector (a bare URL does not say which sentence)".into());
    };
    let selectors: Vec<&Value> = match target.get("selector") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(selector) => vec![selector],
        None => Vec::new(),
    };
    let mut quote = None;
    let mut position = None;
    for selector in selectors {
        match selector.get("type").and_then(Value::as_str) {
            Some("TextQuoteSelector") => {
                let text = |k: &str| selector.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                if let Some(exact) = selector.get("exact").and_then(Value::as_str).filter(|e| !e.is_empty()) {
                    quote = Some(TextQuote { exact: exact.to_owned(), prefix: text("prefix"), suffix: text("suffix") });
                }
            }
            Some("TextPositionSelector") => {
                let number = |k: &str| selector.get(k).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
                if let (Some(start), Some(end)) = (number("start"), number("end")) {
                    if start < end {
                        position = Some(TextPosition { start, end });
                    }
                }
            }
            _ => {}
        }
    }
    match (quote, position) {
        (Some(quote), position) => Ok(Target { quote, position: position.unwrap_or(TextPosition { start: 0, end: 0 }) }),
        (None, Some(position)) if position.end <= doc.len_chars() => Ok(Target {
            quote: TextQuote { exact: doc.slice(position.start, position.end).to_owned(), prefix: String::new(), suffix: String::new() },
            position,
        }),
        (None, Some(_)) => Err("target.selector: the TextPositionSelector lies beyond the end of this article".into()),
        (None, None) => Err("target.selector: expected a TextQuoteSelector with exact, or a TextPositionSelector".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;

    fn doc() -> Document {
        Document::new("my doc/1", "Alpha beta gamma. Delta epsilon.\nZeta eta.")
    }

    fn annotation(doc: &Document, i: usize, labels: &[&str], note: Option<&str>) -> Annotation {
        Annotation {
            id: format!("a:{i}"),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            note: note.map(str::to_owned),
            target: target_for(doc, &doc.sentences()[i]),
            created: "2026-11-25T10:00:00.000Z".into(),
            modified: "2026-11-25T11:00:00.000Z".into(),
            versions: Default::default(),
        }
    }

    const NOW: &str = "2026-11-25T12:00:00.000Z";

    #[test]
    fn exports_a_collection_with_tagging_bodies_and_both_selectors() {
        let doc = doc();
        let a = annotation(&doc, 1, &["claim", "quote"], Some("source: wire"));
        let raw = export(&doc, [(&a, true)], &ExportContext { source: None, now: NOW });
        let v: Value = serde_json::from_str(&raw).unwrap_or_default();
        assert_eq!(v["type"], "AnnotationCollection");
        assert_eq!(v["total"], 1);
        let item = &v["first"]["items"][0];
        assert_eq!(item["motivation"], "tagging");
        assert_eq!(item["id"], "urn:article-annotator:my%20doc%2F1:annotation:a%3A1");
        assert_eq!(item["body"][0], json!({"type": "TextualBody", "purpose": "tagging", "value": "claim"}));
        assert_eq!(item["body"][2]["purpose"], "commenting");
        assert_eq!(item["target"]["source"], "urn:article-annotator:my%20doc%2F1");
        assert_eq!(item["target"]["selector"][0]["exact"], "Delta epsilon.");
        assert_eq!(item["target"]["selector"][1], json!({"type": "TextPositionSelector", "start": 18, "end": 32}));
    }

    #[test]
    fn round_trip_keeps_ids_labels_notes_and_targets() {
        let doc = doc();
        let list = [annotation(&doc, 0, &["position"], None), annotation(&doc, 2, &["claim"], Some("why"))];
        let raw = export(&doc, list.iter().map(|a| (a, true)), &ExportContext { source: Some("https://example.org/a"), now: NOW });
        let back = import(&raw, &doc, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.annotations, list);
    }

    #[test]
    fn orphans_export_their_quote_only() {
        let doc = doc();
        let a = annotation(&doc, 0, &["claim"], None);
        let raw = export(&doc, [(&a, false)], &ExportContext { source: None, now: NOW });
        let v: Value = serde_json::from_str(&raw).unwrap_or_default();
        assert_eq!(v["first"]["items"][0]["target"]["selector"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn reads_single_annotations_arrays_and_foreign_shapes() {
        let doc = doc();
        let single = r#"{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "http://x.org/1", "type": "Annotation",
            "motivation": "tagging", "bodyValue": "claim",
            "target": {"source": "http://x.org/a", "selector": {"type": "TextPositionSelector", "start": 33, "end": 42}}}"#;
        let got = import(single, &doc, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.annotations.len(), 1);
        assert_eq!(got.annotations[0].id, "http://x.org/1");
        assert_eq!(got.annotations[0].labels, ["claim"]);
        assert_eq!(got.annotations[0].target.quote.exact, "Zeta eta.", "position-only target takes its quote from the article");
        assert_eq!(got.annotations[0].created, NOW);

        let array = format!("[{single}, {{\"type\": \"Annotation\", \"target\": \"http://x.org/a\", \"body\": {{\"purpose\": \"tagging\", \"value\": \"q\"}}}}, 7]");
        let got = import(&array, &doc, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.annotations.len(), 1);
        assert_eq!(got.problems.len(), 2);
        assert_eq!(got.problems[0].path, "$[1]");
        assert!(got.problems[0].message.starts_with("target"));
        assert_eq!(got.problems[1].path, "$[2]");
    }

    #[test]
    fn rejects_what_holds_no_annotations() {
        let doc = doc();
        assert!(matches!(import("nope", &doc, NOW), Err(DecodeError::NotJson(_))));
        assert_eq!(import(r#"{"hello": 1}"#, &doc, NOW), Err(DecodeError::NotOurs));
        let remote = r#"{"type": "AnnotationCollection", "total": 3, "first": "http://x.org/page1"}"#;
        assert!(matches!(import(remote, &doc, NOW), Err(DecodeError::Malformed { .. })));
    }

    #[test]
    fn iri_parts_round_trip() {
        for s in ["plain", "with space/and:colon", "ünïcødé 😀", "%41"] {
            assert_eq!(from_iri_part(&iri_part(s)), s);
        }
    }
}
