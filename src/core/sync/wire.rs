//! The team database's documents: one per annotation of each annotator, one per
//! article text, their ids, and the reading of whatever the server holds.
//!
//! ```text
//! { "_id": "ann:<document>:<creator>:<annotation>",   (each part as encodeURIComponent)
//!   "format": "article-annotator-sync", "version": 1, "type": "annotation",
//!   "document": "...", "annotation": "...", "creator": "olena",
//!   "labels": ["claim"], "note": "...", "target": { "quote": {...}, "position": {...} },
//!   "created": "...", "modified": "...", "versions": { ... },      the merge's stamps
//!   "deleted": true }                                             a deletion (no labels)
//! { "_id": "text:<document>", "format": ..., "type": "text", "document": "...",
//!   "text": "...", "fingerprint": "...", "title": "...", "lang": "..." }
//! ```
//!
//! A deletion is a document of its own with `deleted: true`, never CouchDB's `_deleted`
//! alone: CouchDB's winner rule ignores our versions and lets a deleted leaf lose.

use serde_json::{json, Map, Value};

use crate::core::model::{Annotation, Target, Tombstone, Versions};
use crate::core::store::merge::Record;

/// The `format` of every document we write.
pub const FORMAT: &str = "article-annotator-sync";
/// The `version` we write and read.
pub const VERSION: u64 = 1;

/// JavaScript's `encodeURIComponent`, so that the server's rules (JavaScript) build
/// the same ids: every byte of UTF-8 escaped but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `Authorization` header's value for HTTP Basic (RFC 7617: UTF-8, base64).
pub fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", crate::core::base64::base64(format!("{user}:{password}").as_bytes()))
}

/// The id of annotator `creator`'s annotation `annotation` on document `document`.
pub fn annotation_doc_id(document: &str, creator: &str, annotation: &str) -> String {
    format!("ann:{}:{}:{}", encode_component(document), encode_component(creator), encode_component(annotation))
}

/// The first part of every annotation id of `document` (for listing them).
pub fn annotation_prefix(document: &str) -> String {
    format!("ann:{}:", encode_component(document))
}

/// The id of `document`'s text.
pub fn text_doc_id(document: &str) -> String {
    format!("text:{}", encode_component(document))
}

/// One annotator's record (annotation or deletion) as its document, without `_id`
/// and `_rev` (the caller adds them).
pub fn record_doc(document: &str, creator: &str, record: &Record) -> Value {
    let mut doc = Map::new();
    doc.insert("_id".into(), Value::from(annotation_doc_id(document, creator, record.id())));
    doc.insert("format".into(), Value::from(FORMAT));
    doc.insert("version".into(), Value::from(VERSION));
    doc.insert("type".into(), Value::from("annotation"));
    doc.insert("document".into(), Value::from(document));
    doc.insert("annotation".into(), Value::from(record.id()));
    doc.insert("creator".into(), Value::from(creator));
    match record {
        Record::Live(a) => {
            doc.insert("labels".into(), json!(a.labels));
            if let Some(note) = &a.note {
                doc.insert("note".into(), Value::from(note.as_str()));
            }
            doc.insert("target".into(), serde_json::to_value(&a.target).unwrap_or(Value::Null));
            doc.insert("created".into(), Value::from(a.created.as_str()));
            doc.insert("modified".into(), Value::from(a.modified.as_str()));
            doc.insert("versions".into(), serde_json::to_value(&a.versions).unwrap_or(Value::Null));
        }
        Record::Dead(t) => {
            doc.insert("labels".into(), json!([]));
            if let Some(note) = &t.note {
                doc.insert("note".into(), Value::from(note.as_str()));
            }
            doc.insert("modified".into(), Value::from(t.at.as_str()));
            doc.insert("versions".into(), serde_json::to_value(&t.versions).unwrap_or(Value::Null));
            doc.insert("deleted".into(), Value::Bool(true));
        }
    }
    Value::Object(doc)
}

/// An article's text as its document.
pub fn text_doc(document: &str, text: &str, fingerprint: &str, title: Option<&str>, lang: Option<&str>) -> Value {
    let mut doc = json!({
        "_id": text_doc_id(document), "format": FORMAT, "version": VERSION, "type": "text",
        "document": document, "text": text, "fingerprint": fingerprint,
    });
    if let Some(title) = title {
        doc["title"] = Value::from(title);
    }
    if let Some(lang) = lang {
        doc["lang"] = Value::from(lang);
    }
    doc
}

/// What a document on the server is, for us.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote {
    /// An annotator's annotation or deletion on a document.
    Record {
        /// The document (article) it belongs to.
        document: String,
        /// Who made it.
        creator: String,
        /// The record.
        record: Record,
    },
    /// An article's text.
    Text {
        /// Its document id.
        document: String,
        /// The text.
        text: String,
        /// Its title, if given.
        title: Option<String>,
        /// Its language, if given.
        lang: Option<String>,
    },
    /// Not ours, or ours but malformed: kept aside and reported, never applied.
    Foreign {
        /// The server's id of it.
        id: String,
        /// Why it was not read.
        why: String,
    },
}

fn string(doc: &Value, field: &str) -> Result<String, String> {
    doc.get(field).and_then(Value::as_str).map(str::to_owned).ok_or_else(|| format!("its \"{field}\" is not a string"))
}

/// Reads a document the server sent (from `_changes`, `_all_docs` or a `GET`).
pub fn read_doc(doc: &Value) -> Remote {
    let id = doc.get("_id").and_then(Value::as_str).unwrap_or("(no _id)").to_owned();
    let foreign = |why: String| Remote::Foreign { id: id.clone(), why };
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return foreign("not an article-annotator document".into());
    }
    if doc.get("version").and_then(Value::as_u64) != Some(VERSION) {
        return foreign(format!("format version {} (this widget reads {VERSION})", doc.get("version").unwrap_or(&Value::Null)));
    }
    let read = || -> Result<Remote, String> {
        let document = string(doc, "document")?;
        match doc.get("type").and_then(Value::as_str) {
            Some("text") => {
                if id != text_doc_id(&document) {
                    return Err("its _id does not match its document".into());
                }
                Ok(Remote::Text {
                    document,
                    text: string(doc, "text")?,
                    title: doc.get("title").and_then(Value::as_str).map(str::to_owned),
                    lang: doc.get("lang").and_then(Value::as_str).map(str::to_owned),
                })
            }
            Some("annotation") => {
                let creator = string(doc, "creator")?;
                let annotation = string(doc, "annotation")?;
                if id != annotation_doc_id(&document, &creator, &annotation) {
                    return Err("its _id does not match its document, creator and annotation".into());
                }
                let versions: Versions = match doc.get("versions") {
                    None | Some(Value::Null) => Versions::default(),
                    Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("its versions cannot be read ({e})"))?,
                };
                let note = doc.get("note").and_then(Value::as_str).map(str::to_owned);
                let modified = string(doc, "modified")?;
                if doc.get("deleted").and_then(Value::as_bool) == Some(true) {
                    let record = Record::Dead(Tombstone { id: annotation, at: modified, versions, note });
                    return Ok(Remote::Record { document, creator, record });
                }
                let labels: Vec<String> = serde_json::from_value(doc.get("labels").cloned().unwrap_or(Value::Null)).map_err(|_| "its labels are not a list of strings".to_owned())?;
                if labels.is_empty() {
                    return Err("an annotation without labels that is not marked deleted".into());
                }
                let target: Target = serde_json::from_value(doc.get("target").cloned().unwrap_or(Value::Null)).map_err(|e| format!("its target cannot be read ({e})"))?;
                let created = string(doc, "created")?;
                let annotation = Annotation { id: annotation, labels, note, target, created, modified, versions };
                Ok(Remote::Record { document, creator, record: Record::Live(annotation) })
            }
            _ => Err("its type is neither annotation nor text".into()),
        }
    };
    read().unwrap_or_else(foreign)
}

/// The content of a document that matters for deciding whether to push it again (all
/// but `_id`, `_rev` and CouchDB's own fields), as one string.
pub fn content_key(doc: &Value) -> String {
    match doc {
        Value::Object(map) => {
            let own: Map<String, Value> = map.iter().filter(|(k, _)| !k.starts_with('_')).map(|(k, v)| (k.clone(), v.clone())).collect();
            Value::Object(own).to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;
    use crate::core::model::Document;

    fn annotation() -> Annotation {
        let doc = Document::new("d", "One here. Two there.");
        Annotation {
            id: "s1".into(),
            labels: vec!["claim".into(), "rumour".into()],
            note: Some("<b>not markup</b>".into()),
            target: target_for(&doc, &doc.sentences()[1]),
            created: "2026-12-01T00:00:00.000Z".into(),
            modified: "2026-12-01T00:00:01.000Z".into(),
            versions: Versions::default(),
        }
    }

    #[test]
    fn ids_are_encode_uri_component_of_each_part() {
        assert_eq!(encode_component("/news/a b#0"), "%2Fnews%2Fa%20b%230");
        assert_eq!(encode_component("Ольга"), "%D0%9E%D0%BB%D1%8C%D0%B3%D0%B0");
        assert_eq!(encode_component("a-z_A.Z!~*'()9"), "a-z_A.Z!~*'()9");
        assert_eq!(annotation_doc_id("/p#0", "ann:x", "s1"), "ann:%2Fp%230:ann%3Ax:s1");
        assert!(annotation_doc_id("/p#0", "x", "s1").starts_with(&annotation_prefix("/p#0")));
        assert_eq!(text_doc_id("a:b"), "text:a%3Ab");
    }

    #[test]
    fn basic_auth_is_base64_of_utf8() {
        assert_eq!(basic_auth("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(basic_auth("a", ""), "Basic YTo=");
        assert_eq!(basic_auth("ab", "c"), "Basic YWI6Yw==");
        assert_eq!(basic_auth("Ольга", "п"), "Basic 0J7Qu9GM0LPQsDrQvw==");
    }

    #[test]
    fn a_record_round_trips_through_its_document() {
        let live = Record::Live(annotation());
        let doc = record_doc("/p#0", "olena", &live);
        assert_eq!(read_doc(&doc), Remote::Record { document: "/p#0".into(), creator: "olena".into(), record: live });
        let dead = Record::Dead(Tombstone { id: "s2".into(), at: "2026-12-01T00:00:02.000Z".into(), versions: Versions::default(), note: None });
        let doc = record_doc("/p#0", "olena", &dead);
        assert_eq!(doc["deleted"], true);
        assert_eq!(read_doc(&doc), Remote::Record { document: "/p#0".into(), creator: "olena".into(), record: dead });
        let text = text_doc("/p#0", "One.", "fnv1a64:0", Some("T"), None);
        assert_eq!(read_doc(&text), Remote::Text { document: "/p#0".into(), text: "One.".into(), title: Some("T".into()), lang: None });
    }

    #[test]
    fn documents_not_ours_or_malformed_are_foreign_with_a_reason() {
        let foreign = |doc: Value| match read_doc(&doc) {
            Remote::Foreign { why, .. } => why,
            other => panic!("read as {other:?}"),
        };
        assert!(foreign(json!({"_id": "x", "hello": 1})).contains("not an article-annotator"));
        assert!(foreign(json!({"_id": "x", "format": FORMAT, "version": 2})).contains("version 2"));
        let mut doc = record_doc("d", "olena", &Record::Live(annotation()));
        doc["creator"] = Value::from("bob");
        assert!(foreign(doc.clone()).contains("_id does not match"));
        doc["creator"] = Value::from("olena");
        doc["labels"] = json!([1, 2]);
        assert!(foreign(doc.clone()).contains("labels"));
        doc["labels"] = json!([]);
        assert!(foreign(doc.clone()).contains("without labels"));
        doc["labels"] = json!(["claim"]);
        doc["target"] = json!("nowhere");
        assert!(foreign(doc).contains("target"));
        assert!(foreign(json!([1])).contains("not an article-annotator"));
    }

    #[test]
    fn content_key_ignores_couchdb_fields() {
        let doc = record_doc("d", "o", &Record::Live(annotation()));
        let mut with_rev = doc.clone();
        with_rev["_rev"] = Value::from("3-abc");
        assert_eq!(content_key(&doc), content_key(&with_rev));
    }
}
