//! The native JSON envelope: what localStorage holds and what "Export JSON" downloads.
//!
//! ```json
//! { "format": "article-annotator", "version": 1,
//!   "document": { "id": "...", "fingerprint": "fnv1a64:...", "length": 3093 },
//!   "annotations": [ { "id", "labels", "note"?, "target": { "quote", "position" }, "created", "modified" } ] }
//! ```
//! Reading never throws away what it cannot understand: unreadable annotations are
//! reported and kept as raw JSON, and written back on the next save.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::error::{DecodeError, Problem};
use crate::core::model::{Annotation, Document, Tombstone, Tombstones};
use crate::core::time::rfc3339_from_millis;

/// The `format` field of every native file.
pub const FORMAT: &str = "article-annotator";
/// The envelope version this build writes for exports and for most stored documents.
pub const VERSION: u64 = 1;
/// The version of a stored document split into parts (see `codec::split`); an older
/// build refuses it as newer rather than saving over parts it cannot see.
pub const SPLIT_VERSION: u64 = 2;

/// What the envelope says about the article its annotations belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct DocumentInfo {
    /// The document id (storage key suffix).
    pub id: String,
    /// Fingerprint of the text the positions refer to.
    pub fingerprint: String,
    /// Length of that text in code points.
    pub length: usize,
}

impl DocumentInfo {
    /// The info of a document.
    pub fn of(doc: &Document) -> Self {
        Self { id: doc.id.clone(), fingerprint: doc.fingerprint.clone(), length: doc.len_chars() }
    }
}

/// A decoded envelope: what could be read, plus what could not (kept, with the reason).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEnvelope {
    /// The article the annotations were made on.
    pub document: DocumentInfo,
    /// The annotations that were read.
    pub annotations: Vec<Annotation>,
    /// Items that could not be read, kept verbatim so a later save does not lose them.
    pub unreadable: Vec<Value>,
    /// Why each unreadable item was skipped.
    pub problems: Vec<Problem>,
    /// Deleted annotations (storage only), for merging with other writers.
    pub deleted: Tombstones,
    /// The version the data was written in (older ones were migrated on reading).
    pub read_version: u64,
    /// How many parts hold the rest of its annotations (0: all are here).
    pub parts: usize,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    format: &'static str,
    version: u64,
    document: DocumentInfo,
    annotations: Vec<AnnotationOut<'a>>,
    #[serde(skip_serializing_if = "TombstoneList::is_empty")]
    deleted: TombstoneList<'a>,
}

/// Tombstones written as a list, in id order.
#[derive(Clone, Copy)]
pub(super) struct TombstoneList<'a>(pub &'a Tombstones);

impl TombstoneList<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for TombstoneList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.values())
    }
}

/// One item of a written annotation list: an annotation, or an unreadable item kept verbatim.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum AnnotationOut<'a> {
    Read(&'a Annotation),
    Kept(&'a Value),
}

/// Serialises annotations (and any unreadable items kept from before) as an envelope:
/// what "Export JSON" downloads (indented, for people who open the file).
pub fn encode<'a>(
    doc: &Document,
    annotations: impl IntoIterator<Item = &'a Annotation>,
    unreadable: &'a [Value],
) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    // An export carries no tombstones: it is the reader's tags, for people and tools.
    static NONE: Tombstones = Tombstones::new();
    serde_json::to_string_pretty(&envelope(&DocumentInfo::of(doc), annotations, unreadable, &NONE)).unwrap_or_default()
}

/// As [`encode`], plus the tombstones of recent deletions: what storage holds. Not
/// indented: indentation was a third of the stored characters, and localStorage's
/// quota (about 5 M characters per site) is what limits how much work fits.
pub fn encode_stored<'a>(
    doc: &Document,
    annotations: impl IntoIterator<Item = &'a Annotation>,
    unreadable: &'a [Value],
    deleted: &'a Tombstones,
) -> String {
    encode_info(&DocumentInfo::of(doc), annotations, unreadable, deleted)
}

/// As [`encode_stored`], for a document known only by its stored info (the library
/// merges annotations of documents that are not open).
pub fn encode_info<'a>(
    info: &DocumentInfo,
    annotations: impl IntoIterator<Item = &'a Annotation>,
    unreadable: &'a [Value],
    deleted: &'a Tombstones,
) -> String {
    serde_json::to_string(&envelope(info, annotations, unreadable, deleted)).unwrap_or_default()
}

fn envelope<'a>(
    info: &DocumentInfo,
    annotations: impl IntoIterator<Item = &'a Annotation>,
    unreadable: &'a [Value],
    deleted: &'a Tombstones,
) -> EnvelopeOut<'a> {
    EnvelopeOut {
        deleted: TombstoneList(deleted),
        format: FORMAT,
        version: VERSION,
        document: info.clone(),
        annotations: annotations
            .into_iter()
            .map(AnnotationOut::Read)
            .chain(unreadable.iter().map(AnnotationOut::Kept))
            .collect(),
    }
}

/// More parts than any real document needs (a bound against hostile data).
const MAX_PARTS: u64 = 10_000;

/// Reads an envelope, checking the format and version before anything else.
pub fn decode(raw: &str) -> Result<StoredEnvelope, DecodeError> {
    decode_current(raw).map_or_else(|| decode_any(raw), Ok)
}

/// The common case read straight into the Rust types (no JSON tree in between: a third
/// of the time on 10,000 annotations): an envelope of this version whose every item is
/// a valid annotation. Anything else is `None`, and [`decode_any`] reads it.
fn decode_current(raw: &str) -> Option<StoredEnvelope> {
    #[derive(Deserialize)]
    struct Current {
        format: String,
        version: u64,
        document: DocumentInfo,
        #[serde(default)]
        annotations: Vec<Annotation>,
        #[serde(default)]
        deleted: Vec<Tombstone>,
    }
    // Skipped fields are never evaluated, so a number no double can hold would pass here
    // and fail the general reader: such a text goes to the general reader.
    if !numbers_fit_a_double(raw) {
        return None;
    }
    let current: Current = serde_json::from_str(raw).ok()?;
    if current.format != FORMAT || current.version != VERSION || current.annotations.iter().any(|a| check_annotation(a).is_err()) {
        return None;
    }
    Some(StoredEnvelope {
        document: current.document,
        annotations: current.annotations,
        unreadable: Vec::new(),
        problems: Vec::new(),
        deleted: current.deleted.into_iter().map(|t| (t.id.clone(), t)).collect(),
        read_version: VERSION,
        parts: 0,
    })
}

/// Whether every number-like run in `raw` surely fits an f64 (which the general reader
/// needs): no exponent of three or more digits, no run of more than 300 digits. The
/// widget writes neither; text that has one only loses the shortcut.
fn numbers_fit_a_double(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut digits = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits += 1;
            if digits > 300 {
                return false;
            }
        } else {
            if (b == b'e' || b == b'E') && digits > 0 {
                let mut j = i + 1;
                if bytes.get(j).is_some_and(|c| *c == b'+' || *c == b'-') {
                    j += 1;
                }
                let exponent = bytes[j.min(bytes.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
                if exponent >= 3 {
                    return false;
                }
            }
            digits = 0;
        }
        i += 1;
    }
    true
}

/// Reads an envelope of any version, keeping what it cannot read (what [`decode`] does
/// when the shortcut does not apply; public so that tests can hold the two equal).
#[doc(hidden)]
pub fn decode_any(raw: &str) -> Result<StoredEnvelope, DecodeError> {
    let value: Value = serde_json::from_str(raw).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(root) = value else { return Err(DecodeError::NotOurs) };
    // The version is read first: it decides how the rest is read.
    let version = root.get("version").and_then(Value::as_u64);
    if version == Some(0) && root.get("format").is_none() && root.get("tags").is_some() {
        return migrate_v0(&root);
    }
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(DecodeError::NotOurs);
    }
    let version = version.ok_or_else(|| malformed("version", "a whole number"))?;
    if version > SPLIT_VERSION {
        return Err(DecodeError::NewerVersion { found: version, supported: SPLIT_VERSION });
    }
    if version < 1 {
        return Err(malformed("version", "1 (version 0 files have no \"format\" field)"));
    }
    let document = root
        .get("document")
        .cloned()
        .ok_or_else(|| malformed("document", "an object with id, fingerprint and length"))
        .and_then(|d| {
            serde_json::from_value::<DocumentInfo>(d)
                .map_err(|e| malformed("document", &format!("an object with id, fingerprint and length ({e})")))
        })?;
    let items = match root.get("annotations") {
        Some(Value::Array(items)) => items.as_slice(),
        None => &[],
        Some(_) => return Err(malformed("annotations", "an array")),
    };
    let deleted = match root.get("deleted") {
        Some(list) => Vec::<Tombstone>::deserialize(list).map_err(|e| malformed("deleted", &format!("a list of {{ id, at, versions }} ({e})")))?.into_iter().map(|t| (t.id.clone(), t)).collect(),
        None => Tombstones::new(),
    };
    let parts = match (version, root.get("parts").and_then(Value::as_u64)) {
        (1, _) => 0,
        (_, Some(n)) if n <= MAX_PARTS => n as usize,
        _ => return Err(malformed("parts", &format!("the number of parts, at most {MAX_PARTS} (version 2)"))),
    };
    let mut envelope = StoredEnvelope {
        document,
        annotations: Vec::new(),
        unreadable: Vec::new(),
        problems: Vec::new(),
        deleted,
        read_version: version,
        parts,
    };
    for (i, item) in items.iter().enumerate() {
        match read_annotation(item) {
            Ok(annotation) => envelope.annotations.push(annotation),
            Err(message) => {
                envelope.problems.push(Problem { path: format!("annotations[{i}]"), message });
                envelope.unreadable.push(item.clone());
            }
        }
    }
    Ok(envelope)
}

/// Version 0, the prototype's shape, before the envelope had a `format`:
/// `{ "version": 0, "doc": ID, "saved": MS, "tags": [{ "s": SENTENCE, "from": START, "to": END,
/// "text": QUOTE, "labels": "space separated", "t": MS }] }` (code-point offsets, no context).
/// Each tag becomes an annotation; one that cannot be read is kept aside like any other.
fn migrate_v0(root: &serde_json::Map<String, Value>) -> Result<StoredEnvelope, DecodeError> {
    let id = root.get("doc").and_then(Value::as_str).ok_or_else(|| malformed("doc", "the document id (a string)"))?;
    let Some(Value::Array(tags)) = root.get("tags") else { return Err(malformed("tags", "an array")) };
    let mut envelope = StoredEnvelope {
        // No fingerprint was kept: the text is taken as possibly changed, and every tag is re-anchored.
        document: DocumentInfo { id: id.to_owned(), fingerprint: String::new(), length: 0 },
        annotations: Vec::new(),
        unreadable: Vec::new(),
        problems: Vec::new(),
        deleted: Tombstones::new(),
        read_version: 0,
        parts: 0,
    };
    for (i, tag) in tags.iter().enumerate() {
        let number = |key: &str| tag.get(key).and_then(Value::as_u64);
        let text = tag.get("text").and_then(Value::as_str).filter(|t| !t.is_empty());
        let labels: Vec<String> = tag.get("labels").and_then(Value::as_str).unwrap_or("").split_whitespace().map(str::to_owned).collect();
        match (number("from"), number("to"), text, labels.is_empty()) {
            (Some(from), Some(to), Some(text), false) if from <= to => {
                let time = rfc3339_from_millis(number("t").unwrap_or(0));
                envelope.annotations.push(Annotation {
                    id: format!("v0-{}-{}", number("s").unwrap_or(i as u64), number("t").unwrap_or(0)),
                    labels,
                    note: None,
                    target: crate::core::model::Target {
                        quote: crate::core::model::TextQuote { exact: text.to_owned(), prefix: String::new(), suffix: String::new() },
                        position: crate::core::model::TextPosition { start: from as usize, end: to as usize },
                    },
                    created: time.clone(),
                    modified: time,
                    versions: Default::default(),
                });
            }
            _ => {
                envelope.problems.push(Problem { path: format!("tags[{i}]"), message: "expected from, to, text and labels".into() });
                envelope.unreadable.push(tag.clone());
            }
        }
    }
    Ok(envelope)
}

pub(super) fn read_annotation(item: &Value) -> Result<Annotation, String> {
    // Read from the borrowed value: no copy of the item (10,000 of them on a big load).
    let annotation = Annotation::deserialize(item).map_err(|e| e.to_string())?;
    check_annotation(&annotation)?;
    Ok(annotation)
}

/// What a readable annotation must satisfy besides its shape.
pub(super) fn check_annotation(annotation: &Annotation) -> Result<(), String> {
    if annotation.labels.is_empty() {
        return Err("labels: expected at least one label".into());
    }
    let versions = &annotation.versions;
    if !versions.is_empty() && (versions.set.len() != annotation.labels.len() || annotation.labels.iter().any(|l| !versions.set.contains_key(l))) {
        return Err("versions.set: expected a version for each label, and no other".into());
    }
    if annotation.target.quote.exact.is_empty() {
        return Err("target.quote.exact: expected the quoted text".into());
    }
    let position = annotation.target.position;
    if position.start > position.end {
        return Err(format!("target.position: start {} is after end {}", position.start, position.end));
    }
    Ok(())
}

/// The JSON Schema of the envelope, generated from these Rust types (checked in as
/// `schema/article-annotator.schema.json`; `tests/schema.rs` keeps the two equal).
#[cfg(not(target_arch = "wasm32"))]
pub fn json_schema() -> Value {
    /// The envelope as a schema sees it (the writer uses borrowed types).
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Envelope {
        /// Always "article-annotator".
        format: String,
        /// Format version; this build writes 1 and reads up to 1.
        version: u64,
        /// The article the annotations were made on.
        document: DocumentInfo,
        /// The annotations, placed and orphaned.
        annotations: Vec<Annotation>,
        /// Storage only: annotations deleted recently, so another tab does not bring them back.
        deleted: Option<Vec<Tombstone>>,
    }
    let mut schema = serde_json::to_value(schemars::schema_for!(Envelope)).unwrap_or_default();
    schema["title"] = Value::from("article-annotator native envelope");
    schema["properties"]["format"]["const"] = Value::from(FORMAT);
    schema["properties"]["version"]["const"] = Value::from(VERSION);
    schema
}

fn malformed(path: &str, expected: &str) -> DecodeError {
    DecodeError::Malformed { path: path.to_owned(), expected: expected.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;

    fn doc() -> Document {
        Document::new("doc-1", "Alpha beta. Gamma delta.")
    }

    fn annotation(doc: &Document, sentence: usize, labels: &[&str]) -> Annotation {
        Annotation {
            id: format!("a{sentence}"),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            note: None,
            target: target_for(doc, &doc.sentences()[sentence]),
            created: "2026-11-25T00:00:00.000Z".into(),
            modified: "2026-11-25T00:00:00.000Z".into(),
            versions: Default::default(),
        }
    }

    #[test]
    fn a_number_no_double_holds_sends_the_text_to_the_general_reader() {
        let doc = doc();
        let raw = encode(&doc, &[annotation(&doc, 0, &["claim"])], &[]).replace("\"annotations\"", "\"xannotations\"");
        for bad in [raw.replace("\"start\": 0", "\"start\": 1e999"), raw.replace("\"start\": 0", &format!("\"start\": {}", "9".repeat(400)))] {
            assert!(decode_current(&bad).is_none());
            assert_eq!(decode(&bad), decode_any(&bad), "both readers agree");
            assert!(matches!(decode(&bad), Err(DecodeError::NotJson(_))));
        }
        assert!(numbers_fit_a_double(&raw) && numbers_fit_a_double("1e99 12345 \"2026-12-01T10:00:00.000Z\""));
        assert!(!numbers_fit_a_double("1E+308") && !numbers_fit_a_double("5e-324"));
    }

    #[test]
    fn round_trips_annotations() {
        let doc = doc();
        let list = vec![annotation(&doc, 0, &["claim"]), annotation(&doc, 1, &["quote", "position"])];
        let raw = encode(&doc, &list, &[]);
        let back = decode(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.annotations, list);
        assert_eq!(back.document, DocumentInfo::of(&doc));
        assert!(back.problems.is_empty());
    }

    #[test]
    fn storage_holds_the_export_without_indentation() {
        let doc = doc();
        let list = vec![annotation(&doc, 0, &["claim"]), annotation(&doc, 1, &["quote", "position"])];
        let exported = encode(&doc, &list, &[]);
        let stored = encode_stored(&doc, &list, &[], &Tombstones::new());
        assert!(exported.contains('\n'));
        assert!(!stored.contains('\n'));
        assert!(stored.len() < exported.len());
        let as_value = |raw: &str| serde_json::from_str::<Value>(raw).unwrap_or_default();
        assert_eq!(as_value(&stored), as_value(&exported));
        assert_eq!(decode(&stored).map(|e| e.annotations), Ok(list));
    }

    #[test]
    fn envelope_has_the_documented_shape() {
        let doc = doc();
        let raw = encode(&doc, &[annotation(&doc, 1, &["claim"])], &[]);
        let v: Value = serde_json::from_str(&raw).unwrap_or_default();
        assert_eq!(v["format"], "article-annotator");
        assert_eq!(v["version"], 1);
        assert_eq!(v["document"]["id"], "doc-1");
        assert_eq!(v["annotations"][0]["labels"], serde_json::json!(["claim"]));
        assert_eq!(v["annotations"][0]["target"]["quote"]["exact"], "Gamma delta.");
        assert_eq!(v["annotations"][0]["target"]["position"], serde_json::json!({"start": 12, "end": 24}));
        assert!(v["annotations"][0].get("note").is_none());
    }

    #[test]
    fn unreadable_items_are_reported_and_kept() {
        let doc = doc();
        let good = serde_json::to_value(annotation(&doc, 0, &["claim"])).unwrap_or_default();
        let raw = serde_json::json!({
            "format": "article-annotator", "version": 1,
            "document": {"id": "doc-1", "fingerprint": "x", "length": 24},
            "annotations": [good, {"id": "broken"}, {"id": "e", "labels": [], "target": good["target"], "created": "", "modified": ""}]
        })
        .to_string();
        let back = decode(&raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.annotations.len(), 1);
        assert_eq!(back.unreadable.len(), 2);
        assert_eq!(back.problems[0].path, "annotations[1]");
        assert!(back.problems[1].message.contains("at least one label"));
        let again = decode(&encode(&doc, &back.annotations, &back.unreadable)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.unreadable, back.unreadable, "kept items survive a save");
    }

    #[test]
    fn rejects_what_is_not_ours_with_a_typed_error() {
        assert!(matches!(decode("{not json"), Err(DecodeError::NotJson(_))));
        assert_eq!(decode("[1,2]"), Err(DecodeError::NotOurs));
        assert_eq!(decode(r#"{"format":"other"}"#), Err(DecodeError::NotOurs));
        assert_eq!(
            decode(r#"{"format":"article-annotator","version":7}"#),
            Err(DecodeError::NewerVersion { found: 7, supported: 2 })
        );
        assert!(matches!(
            decode(r#"{"format":"article-annotator","version":1}"#),
            Err(DecodeError::Malformed { path, .. }) if path == "document"
        ));
        assert!(matches!(
            decode(r#"{"format":"article-annotator","version":1,"document":{"id":"a","fingerprint":"f","length":1},"annotations":{}}"#),
            Err(DecodeError::Malformed { path, .. }) if path == "annotations"
        ));
    }
}
