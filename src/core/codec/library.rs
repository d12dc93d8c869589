//! "Export all" and its import: every document of the library in one JSON file.
//!
//! ```json
//! { "format": "article-annotator-library", "version": 1, "exported": "2026-…Z",
//!   "documents": [ { "id", "meta"?: { "title", "source"?, "added", "sentences" },
//!                    "text"?: "…", "annotations"?: { …the native envelope… } } ] }
//! ```
//! Importing merges document by document, by id: a document new to this browser is
//! added; one already here keeps its text, and its annotations are merged one by one,
//! the newer `modified` winning, so newer work is never replaced by older work.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::native::{self, DocumentInfo, StoredEnvelope};
use super::split;
use crate::core::error::{DecodeError, Problem};
use crate::core::library::{self, DocMeta, Part};
use crate::core::model::{Annotation, Document, LabelSet, Tombstones};
use crate::core::store::merge;
use crate::core::state::{Action, AppState};
use crate::core::text;

/// The `format` field of a library file.
pub const FORMAT: &str = "article-annotator-library";
/// The version this build writes.
pub const VERSION: u64 = 1;
/// Largest library file read (storage holds about 5 M characters, so a real one is smaller).
pub const MAX_LIBRARY_BYTES: usize = 20 * 1024 * 1024;

/// One document of a library file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct LibraryDocument {
    /// The document id.
    pub id: String,
    /// Its library entry, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<DocMeta>,
    /// Its text, if stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Its annotations: the native envelope as stored (a string when storage held
    /// something unreadable, so that nothing is lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Value>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    exported: &'a str,
    documents: &'a [LibraryDocument],
}

/// The documents held in storage's key/value pairs, in id order. A document stored
/// in parts is exported as one envelope, as if it had been stored whole.
pub fn documents_of<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<LibraryDocument> {
    let items: Vec<(&str, &str)> = items.into_iter().collect();
    let mut docs: std::collections::BTreeMap<&str, LibraryDocument> = std::collections::BTreeMap::new();
    for &(key, value) in &items {
        let Some((part, id)) = library::parse_key(key) else { continue };
        let doc = docs.entry(id).or_insert_with(|| LibraryDocument { id: id.to_owned(), meta: None, text: None, annotations: None });
        match part {
            Part::Annotations => {
                let whole = split::whole_envelope(&items, id).map_or_else(|| serde_json::from_str(value).ok(), |raw| serde_json::from_str(&raw).ok());
                doc.annotations = Some(whole.unwrap_or_else(|| Value::String(value.to_owned())));
            }
            Part::Meta => doc.meta = serde_json::from_str(value).ok(),
            Part::Text => doc.text = Some(value.to_owned()),
            Part::Piece(_) => {}
        }
    }
    docs.into_values().filter(|d| d.text.is_some() || d.annotations.is_some()).collect()
}

/// The library file of `documents`.
pub fn encode(documents: &[LibraryDocument], exported: &str) -> String {
    let file = FileOut { format: FORMAT, version: VERSION, exported, documents };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// A library file as read: its usable documents, and what was skipped and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedLibrary {
    /// The documents, each with its annotations already checked.
    pub documents: Vec<IncomingDocument>,
    /// What could not be used, with its path.
    pub problems: Vec<Problem>,
}

/// One document of a library file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingDocument {
    /// The document id.
    pub id: String,
    /// Its library entry.
    pub meta: Option<DocMeta>,
    /// Its text.
    pub text: Option<String>,
    /// Its annotations, read.
    pub envelope: Option<StoredEnvelope>,
}

fn malformed(path: &str, expected: &str) -> DecodeError {
    DecodeError::Malformed { path: path.to_owned(), expected: expected.to_owned() }
}

/// Reads a library file. The whole file is refused only when it is not one; a
/// document that cannot be used is skipped with a problem, the rest is read.
pub fn decode(raw: &str) -> Result<DecodedLibrary, DecodeError> {
    if raw.len() > MAX_LIBRARY_BYTES {
        return Err(DecodeError::TooLarge { bytes: raw.len(), limit: MAX_LIBRARY_BYTES });
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(root) = value else { return Err(DecodeError::NotOurs) };
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(DecodeError::NotOurs);
    }
    let version = root.get("version").and_then(Value::as_u64).ok_or_else(|| malformed("version", "a whole number"))?;
    if version > VERSION {
        return Err(DecodeError::NewerVersion { found: version, supported: VERSION });
    }
    let Some(Value::Array(items)) = root.get("documents") else { return Err(malformed("documents", "an array")) };
    let mut decoded = DecodedLibrary { documents: Vec::new(), problems: Vec::new() };
    for (i, item) in items.iter().enumerate() {
        let path = format!("documents[{i}]");
        let problem = |message: String| Problem { path: path.clone(), message };
        let id = match item.get("id").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => id.to_owned(),
            _ => {
                decoded.problems.push(problem("has no id (a non-empty string): skipped".into()));
                continue;
            }
        };
        let text = match item.get("text") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => {
                decoded.problems.push(problem(format!("\"{id}\": its text is not a string: skipped")));
                continue;
            }
        };
        let meta = match item.get("meta") {
            None | Some(Value::Null) => None,
            Some(m) => serde_json::from_value::<DocMeta>(m.clone())
                .map_err(|e| decoded.problems.push(problem(format!("\"{id}\": its title and details could not be read ({e})"))))
                .ok(),
        };
        let envelope = match item.get("annotations") {
            None | Some(Value::Null) => None,
            Some(Value::String(kept)) => {
                decoded.problems.push(problem(format!("\"{id}\": its annotations were unreadable when exported: not imported ({} characters)", kept.len())));
                None
            }
            Some(envelope) => match native::decode(&envelope.to_string()) {
                Ok(envelope) => {
                    decoded.problems.extend(envelope.problems.iter().map(|p| Problem { path: format!("{path}.annotations.{}", p.path), message: p.message.clone() }));
                    Some(envelope)
                }
                Err(error) => {
                    decoded.problems.push(problem(format!("\"{id}\": its annotations could not be read ({error}): not imported")));
                    None
                }
            },
        };
        if text.is_none() && envelope.is_none() {
            decoded.problems.push(problem(format!("\"{id}\" has neither text nor readable annotations: skipped")));
            continue;
        }
        decoded.documents.push(IncomingDocument { id, meta, text, envelope });
    }
    Ok(decoded)
}

/// What importing one document does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// New to this browser.
    Added,
    /// Already here: annotations new to it and annotations the file has a newer version of.
    Merged {
        /// Annotations added.
        new: usize,
        /// Annotations replaced by the file's newer version.
        updated: usize,
    },
    /// Already here with everything the file has (or newer).
    Unchanged,
    /// Its stored annotations here cannot be read: left alone, nothing imported.
    LeftAlone,
}

/// One document's line in the import preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPlan {
    /// The document id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What happens to it.
    pub outcome: Outcome,
    /// The file has another text under this id: the one here is kept.
    pub text_differs: bool,
}

/// Everything an import will do, shown before it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// What happens to each document.
    pub documents: Vec<DocumentPlan>,
    /// The storage writes that do it (key, value); text keys first.
    pub writes: Vec<(String, String)>,
    /// What the file held that cannot be imported.
    pub problems: Vec<Problem>,
}

impl ImportPlan {
    /// Whether anything would change.
    pub fn changes_anything(&self) -> bool {
        !self.writes.is_empty()
    }
}

/// Plans the import of `file` into the storage that `stored` reads.
pub fn plan_import(file: DecodedLibrary, stored: impl Fn(&str) -> Option<String>, labels: &Rc<LabelSet>, now: &str) -> ImportPlan {
    let mut plan = ImportPlan { documents: Vec::new(), writes: Vec::new(), problems: file.problems };
    for incoming in file.documents {
        let id = incoming.id.clone();
        let local_text = stored(&library::text_key(&id));
        let local_meta = stored(&library::meta_key(&id)).and_then(|raw| serde_json::from_str::<DocMeta>(&raw).ok());
        let local_raw = stored(&library::annotations_key(&id));
        let text_differs = match (&local_text, &incoming.text) {
            (Some(mine), Some(theirs)) => text::fingerprint(&text::normalize(mine)) != text::fingerprint(&text::normalize(theirs)),
            _ => false,
        };
        let text = local_text.clone().or_else(|| incoming.text.clone());
        let title = local_meta.as_ref().or(incoming.meta.as_ref()).map_or_else(
            || text.as_deref().and_then(library::title_from_text).unwrap_or_else(|| id.clone()),
            |m| m.title.clone(),
        );
        let is_new = local_text.is_none() && local_raw.is_none();
        let mut writes = Vec::new();
        if local_text.is_none() {
            if let Some(theirs) = &incoming.text {
                writes.push((library::text_key(&id), theirs.clone()));
            }
        }
        if local_meta.is_none() && text.is_some() {
            let meta = incoming.meta.clone().unwrap_or_else(|| DocMeta {
                title: title.clone(),
                source: None,
                added: now.to_owned(),
                sentences: text.as_deref().map_or(0, |t| Document::new(id.as_str(), t).sentences().len()),
            });
            writes.push((library::meta_key(&id), serde_json::to_string(&meta).unwrap_or_default()));
        }
        let outcome = match (incoming.envelope, local_raw) {
            (None, _) => None,
            (Some(theirs), None) => {
                let info = theirs.document.clone();
                writes.push((library::annotations_key(&id), envelope_text(&info, &theirs.annotations, &theirs.unreadable, &theirs.deleted)));
                // Tags for an article that is here without any: all of them are new.
                (!is_new).then_some(Outcome::Merged { new: theirs.annotations.len(), updated: 0 })
            }
            (Some(theirs), Some(raw)) => match native::decode(&raw) {
                Err(_) => Some(Outcome::LeftAlone),
                Ok(mine) => {
                    let (merged, new, updated) = merge(&id, text.as_deref(), mine, theirs, labels);
                    if new + updated > 0 {
                        writes.push((library::annotations_key(&id), merged));
                        Some(Outcome::Merged { new, updated })
                    } else {
                        None
                    }
                }
            },
        };
        let outcome = outcome.unwrap_or(if is_new { Outcome::Added } else if writes.is_empty() { Outcome::Unchanged } else { Outcome::Merged { new: 0, updated: 0 } });
        plan.writes.extend(writes);
        plan.documents.push(DocumentPlan { id, title, outcome, text_differs });
    }
    plan
}

fn envelope_text(info: &DocumentInfo, annotations: &[Annotation], unreadable: &[Value], deleted: &Tombstones) -> String {
    native::encode_info(info, annotations, unreadable, deleted)
}

/// Merges the file's annotations of one document into the stored ones: the stored
/// envelope to write, and how many annotations were new and updated.
fn merge(id: &str, text: Option<&str>, mine: StoredEnvelope, theirs: StoredEnvelope, labels: &Rc<LabelSet>) -> (String, usize, usize) {
    let before: Vec<(String, String)> = mine.annotations.iter().map(|a| (a.id.clone(), a.modified.clone())).collect();
    let mut unreadable = mine.unreadable.clone();
    unreadable.extend(theirs.unreadable.iter().filter(|v| !mine.unreadable.contains(v)).cloned());
    let (raw, after): (String, Vec<(String, String)>) = match text {
        // With the text, the widget's own merge runs: the same rules as two tabs.
        Some(text) => {
            let doc = Rc::new(Document::new(id, text));
            let state = AppState::new(doc.clone(), labels.clone())
                .with_deleted(mine.deleted.values().cloned())
                .apply(Action::Restore(mine.annotations.clone()))
                .apply(Action::MergeStored { annotations: theirs.annotations, deleted: theirs.deleted.into_values().collect(), unreadable: Vec::new() });
            let after = state.annotations().map(|a| (a.id.clone(), a.modified.clone())).collect();
            (native::encode_info(&DocumentInfo::of(&doc), state.annotations(), &unreadable, &state.deleted), after)
        }
        // Without it, the same merge id by id (nothing to anchor).
        None => {
            let (annotations, deleted) = merge::merge_lists((mine.annotations.clone(), mine.deleted.clone()), (theirs.annotations, theirs.deleted));
            let after = annotations.iter().map(|a| (a.id.clone(), a.modified.clone())).collect();
            (native::encode_info(&mine.document, &annotations, &unreadable, &deleted), after)
        }
    };
    let new = after.iter().filter(|(id, _)| !before.iter().any(|(b, _)| b == id)).count();
    let updated = after.iter().filter(|(id, m)| before.iter().any(|(b, bm)| b == id && bm != m)).count();
    (raw, new, updated)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Target, TextPosition, TextQuote};

    const TEXT: &str = "Talks resume in Geneva. Both sides agree. A deal is near.";
    const NOW: &str = "2026-11-25T00:00:00.000Z";

    fn note(id: &str, sentence: usize, label: &str, modified: &str) -> Annotation {
        let doc = Document::new("d", TEXT);
        let s = &doc.sentences()[sentence];
        Annotation {
            id: id.into(),
            labels: vec![label.into()],
            note: None,
            target: Target {
                quote: TextQuote { exact: doc.sentence_text(s).into(), prefix: String::new(), suffix: String::new() },
                position: TextPosition { start: s.start, end: s.end },
            },
            created: modified.into(),
            modified: modified.into(),
            versions: Default::default(),
        }
    }

    fn stored_with(annotations: &[Annotation]) -> String {
        native::encode_stored(&Document::new("d", TEXT), annotations, &[], &Tombstones::new())
    }

    fn store(pairs: &[(String, String)]) -> impl Fn(&str) -> Option<String> + '_ {
        move |key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn labels() -> Rc<LabelSet> {
        Rc::new(LabelSet::default())
    }

    #[test]
    fn export_then_import_into_empty_storage_restores_every_key() {
        let meta = DocMeta { title: "Geneva".into(), source: Some("https://news.example/g".into()), added: NOW.into(), sentences: 3 };
        let pairs = [(library::text_key("d"), TEXT.to_owned()),
            (library::meta_key("d"), serde_json::to_string(&meta).unwrap()),
            (library::annotations_key("d"), stored_with(&[note("a", 0, "claim", NOW)])),
            (library::annotations_key("elsewhere"), stored_with(&[note("b", 1, "quote", NOW)])),
            ("unrelated".into(), "x".into())];
        let docs = documents_of(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(docs.len(), 2);
        let file = encode(&docs, NOW);
        let decoded = decode(&file).unwrap();
        assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
        let plan = plan_import(decoded, |_| None, &labels(), NOW);
        assert!(plan.documents.iter().all(|d| d.outcome == Outcome::Added));
        for (key, value) in &pairs[..4] {
            let written = plan.writes.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            let written = written.unwrap_or_else(|| panic!("{key} not written"));
            if key.contains("/v1/") {
                assert_eq!(native::decode(written).unwrap().annotations, native::decode(value).unwrap().annotations);
            } else {
                assert_eq!(written, value);
            }
        }
        // Importing the same file again changes nothing.
        let again = plan_import(decode(&file).unwrap(), store(&plan.writes), &labels(), NOW);
        assert!(!again.changes_anything(), "{:?}", again.writes);
        assert!(again.documents.iter().all(|d| d.outcome == Outcome::Unchanged));
    }

    #[test]
    fn newer_local_work_is_never_replaced_by_an_older_file() {
        let old = "2026-01-01T00:00:00.000Z";
        let new = "2026-06-01T00:00:00.000Z";
        let file_docs = vec![LibraryDocument {
            id: "d".into(),
            meta: None,
            text: Some(TEXT.into()),
            annotations: serde_json::from_str(&stored_with(&[note("a", 0, "claim", old), note("c", 2, "position", new)])).ok(),
        }];
        let local = vec![(library::text_key("d"), TEXT.to_owned()), (library::annotations_key("d"), stored_with(&[note("a", 0, "quote", new)]))];
        let plan = plan_import(decode(&encode(&file_docs, NOW)).unwrap(), store(&local), &labels(), NOW);
        assert_eq!(plan.documents[0].outcome, Outcome::Merged { new: 1, updated: 0 });
        let (_, written) = plan.writes.iter().find(|(k, _)| k.contains("/v1/")).unwrap();
        let merged = native::decode(written).unwrap().annotations;
        let a = merged.iter().find(|x| x.id == "a").unwrap();
        assert_eq!(a.labels, ["quote"], "the newer local version stays");
        assert!(merged.iter().any(|x| x.id == "c"));
    }

    #[test]
    fn a_newer_version_in_the_file_updates_and_a_different_text_is_kept_aside() {
        let old = "2026-01-01T00:00:00.000Z";
        let new = "2026-06-01T00:00:00.000Z";
        let file_docs = vec![LibraryDocument {
            id: "d".into(),
            meta: None,
            text: Some(format!("{TEXT} Extra.")),
            annotations: serde_json::from_str(&stored_with(&[note("a", 0, "position", new)])).ok(),
        }];
        let local = vec![(library::text_key("d"), TEXT.to_owned()), (library::annotations_key("d"), stored_with(&[note("a", 0, "claim", old)]))];
        let plan = plan_import(decode(&encode(&file_docs, NOW)).unwrap(), store(&local), &labels(), NOW);
        assert_eq!(plan.documents[0].outcome, Outcome::Merged { new: 0, updated: 1 });
        assert!(plan.documents[0].text_differs);
        assert!(!plan.writes.iter().any(|(k, _)| k.contains("/text/")), "the text here is kept");
    }

    #[test]
    fn without_text_annotations_merge_by_id_and_respect_deletions() {
        let old = "2026-01-01T00:00:00.000Z";
        let new = "2026-06-01T00:00:00.000Z";
        let doc = Document::new("d", TEXT);
        let mine = native::encode_stored(&doc, &[note("a", 0, "claim", old)], &[], &[("gone".to_owned(), crate::core::model::Tombstone { id: "gone".into(), at: new.into(), versions: Default::default(), note: None })].into_iter().collect());
        let file_docs = vec![LibraryDocument {
            id: "d".into(),
            meta: None,
            text: None,
            annotations: serde_json::from_str(&stored_with(&[note("a", 0, "quote", new), note("gone", 1, "claim", old), note("b", 2, "claim", old)])).ok(),
        }];
        let local = vec![(library::annotations_key("d"), mine)];
        let plan = plan_import(decode(&encode(&file_docs, NOW)).unwrap(), store(&local), &labels(), NOW);
        assert_eq!(plan.documents[0].outcome, Outcome::Merged { new: 1, updated: 1 });
        let (_, written) = &plan.writes[0];
        let ids: Vec<String> = native::decode(written).unwrap().annotations.into_iter().map(|a| a.id).collect();
        assert_eq!(ids, ["a", "b"], "the deleted one stays deleted");
    }

    #[test]
    fn tags_for_an_article_here_without_any_count_as_new() {
        let file_docs = vec![LibraryDocument { id: "d".into(), meta: None, text: Some(TEXT.into()), annotations: serde_json::from_str(&stored_with(&[note("a", 0, "claim", NOW)])).ok() }];
        let local = vec![(library::text_key("d"), TEXT.to_owned())];
        let plan = plan_import(decode(&encode(&file_docs, NOW)).unwrap(), store(&local), &labels(), NOW);
        assert_eq!(plan.documents[0].outcome, Outcome::Merged { new: 1, updated: 0 });
    }

    #[test]
    fn a_document_stored_in_parts_is_listed_and_exported_whole() {
        use crate::core::codec::split;
        let text: String = (0..1_200).map(|i| format!("Line {i} is a sentence.\n")).collect();
        let doc = Rc::new(Document::new("big", &text));
        let mut state = AppState::new(doc.clone(), labels());
        for sentence in 0..1_100 {
            state = state.apply(Action::Toggle { sentence, label: "claim".into(), now_ms: 1_700_000_000_000 });
        }
        let (writes, written) = split::plan_save("test", &DocumentInfo::of(&doc), &state.by_sentence, &state.orphans, &[], &state.deleted, &split::Written::default());
        assert!(written.parts() > 1);
        let items: Vec<(&str, &str)> = writes.set.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let entries = library::entries(items.iter().copied());
        assert_eq!((entries.len(), entries[0].tagged), (1, 1_100));
        let docs = documents_of(items.iter().copied());
        assert_eq!(docs.len(), 1);
        let envelope = native::decode(&docs[0].annotations.as_ref().unwrap().to_string()).unwrap();
        assert_eq!((envelope.read_version, envelope.annotations.len()), (1, 1_100), "exported as one version-1 envelope");
    }

    #[test]
    fn bad_files_and_bad_documents() {
        assert!(matches!(decode("nope"), Err(DecodeError::NotJson(_))));
        assert!(matches!(decode(r#"{"format":"article-annotator","version":1}"#), Err(DecodeError::NotOurs)));
        assert!(matches!(decode(r#"{"format":"article-annotator-library","version":9,"documents":[]}"#), Err(DecodeError::NewerVersion { found: 9, .. })));
        assert!(matches!(decode(r#"{"format":"article-annotator-library","version":1}"#), Err(DecodeError::Malformed { .. })));
        let raw = r#"{"format":"article-annotator-library","version":1,"documents":[
            {"text":"No id."}, {"id":"t","text":5}, {"id":"n"}, {"id":"x","annotations":"garbage"},
            {"id":"ok","text":"Fine.","meta":{"title":3}}]}"#;
        let decoded = decode(raw).unwrap();
        assert_eq!(decoded.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["ok"]);
        assert_eq!(decoded.documents[0].meta, None);
        assert_eq!(decoded.problems.len(), 6, "{:?}", decoded.problems);
        let stored_corrupt = vec![(library::annotations_key("d"), "{broken".to_owned())];
        let file_docs = vec![LibraryDocument { id: "d".into(), meta: None, text: None, annotations: serde_json::from_str(&stored_with(&[note("a", 0, "claim", NOW)])).ok() }];
        let plan = plan_import(decode(&encode(&file_docs, NOW)).unwrap(), store(&stored_corrupt), &labels(), NOW);
        assert_eq!(plan.documents[0].outcome, Outcome::LeftAlone);
        assert!(!plan.changes_anything());
    }
}
