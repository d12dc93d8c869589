//! Reading one annotator's file for the agreement command: a native export (what
//! "Export JSON" downloads), or a library file ("Export all") holding the article.

use thiserror::Error;

use crate::core::codec::{library, native};
use crate::core::error::DecodeError;
use crate::core::model::{Annotation, Document};
use crate::core::text::normalize;

/// An annotator's annotations on the article, and what is worth telling about them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatorFile {
    /// The annotations read.
    pub annotations: Vec<Annotation>,
    /// Things to tell the reader (on stderr): skipped items, another version of the text.
    pub warnings: Vec<String>,
}

/// Why a file cannot serve as an annotator's work.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SourceError {
    /// Not JSON, not ours, newer, or malformed.
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// A copy of split storage: most annotations are in parts the file does not hold.
    #[error("a copy of stored data whose other {0} part(s) are not in the file: use Export JSON to get every tag")]
    Parts(usize),
    /// A library file none of whose documents is this article.
    #[error("a library file with {documents} document(s), none of them this article (same text or fingerprint)")]
    NotInLibrary {
        /// How many documents with annotations it holds.
        documents: usize,
    },
}

/// The name of an annotator read from `file_name`, unlike any in `taken`.
pub fn annotator_name(file_name: &str, taken: &[&str]) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    let stem = stem.strip_suffix("-annotations").unwrap_or(stem);
    let stem = if stem.trim().is_empty() { "annotator" } else { stem.trim() };
    let mut name = stem.to_owned();
    let mut n = 1;
    while taken.contains(&name.as_str()) {
        n += 1;
        name = format!("{stem} ({n})");
    }
    name
}

/// Reads `raw` as a native export or a library file, for the article `doc`.
///
/// From a library file, the document taken is the one whose annotations were made on
/// this very text (same fingerprint), else the one whose stored text is this text,
/// else the only document with annotations if there is just one (with a warning).
pub fn read_annotator_file(raw: &str, doc: &Document) -> Result<AnnotatorFile, SourceError> {
    let envelope = match native::decode(raw) {
        Ok(envelope) => envelope,
        Err(DecodeError::NotOurs) => from_library(raw, doc)?,
        Err(other) => return Err(other.into()),
    };
    if envelope.parts > 0 {
        return Err(SourceError::Parts(envelope.parts));
    }
    let mut warnings: Vec<String> = envelope.problems.iter().map(|p| format!("skipped {p}")).collect();
    if envelope.document.fingerprint != doc.fingerprint {
        warnings.push(format!(
            "made on another version of the text (document \"{}\", {} characters): annotations are re-anchored",
            envelope.document.id, envelope.document.length
        ));
    }
    Ok(AnnotatorFile { annotations: envelope.annotations, warnings })
}

fn from_library(raw: &str, doc: &Document) -> Result<native::StoredEnvelope, SourceError> {
    let file = library::decode(raw)?;
    let mut candidates: Vec<(Option<String>, native::StoredEnvelope)> =
        file.documents.into_iter().filter_map(|d| Some((d.text, d.envelope?))).collect();
    let documents = candidates.len();
    let pick = candidates
        .iter()
        .position(|(_, e)| e.document.fingerprint == doc.fingerprint)
        .or_else(|| candidates.iter().position(|(text, _)| text.as_deref().is_some_and(|t| normalize(t) == doc.text)))
        .or((documents == 1).then_some(0));
    match pick {
        Some(i) => Ok(candidates.swap_remove(i).1),
        None => Err(SourceError::NotInLibrary { documents }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;
    use crate::core::codec::library::LibraryDocument;

    fn export(doc: &Document) -> String {
        let annotation = Annotation {
            id: "a".into(),
            labels: vec!["claim".into()],
            note: None,
            target: target_for(doc, &doc.sentences()[0]),
            created: "t".into(),
            modified: "t".into(),
            versions: Default::default(),
        };
        native::encode(doc, [&annotation], &[])
    }

    #[test]
    fn reads_a_native_export_and_warns_about_another_text() {
        let doc = Document::new("d", "One here. Two there.");
        let read = read_annotator_file(&export(&doc), &doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((read.annotations.len(), read.warnings.len()), (1, 0));
        let edited = Document::new("d", "One here. Two there. Three.");
        let read = read_annotator_file(&export(&doc), &edited).unwrap_or_else(|e| panic!("{e}"));
        assert!(read.warnings[0].contains("re-anchored"), "{:?}", read.warnings);
    }

    #[test]
    fn reads_the_article_out_of_a_library_file() {
        let doc = Document::new("d", "One here. Two there.");
        let other = Document::new("e", "Something else entirely.");
        let entry = |d: &Document| LibraryDocument {
            id: d.id.clone(),
            meta: None,
            text: Some(d.text.clone()),
            annotations: serde_json::from_str(&export(d)).ok(),
        };
        let raw = library::encode(&[entry(&other), entry(&doc)], "2026-12-01T00:00:00Z");
        let read = read_annotator_file(&raw, &doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.annotations[0].target.quote.exact, "One here.");
        let third = Document::new("f", "Not in the file.");
        assert_eq!(read_annotator_file(&raw, &third), Err(SourceError::NotInLibrary { documents: 2 }));
    }

    #[test]
    fn names_come_from_file_names_and_never_repeat() {
        assert_eq!(annotator_name("alice.json", &["reader"]), "alice");
        assert_eq!(annotator_name("geneva-annotations.json", &[]), "geneva");
        assert_eq!(annotator_name("reader.json", &["reader"]), "reader (2)");
        assert_eq!(annotator_name("bob.json", &["bob", "bob (2)"]), "bob (3)");
        assert_eq!(annotator_name(".json", &[]), "annotator");
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        let doc = Document::new("d", "One.");
        assert!(matches!(read_annotator_file("not json", &doc), Err(SourceError::Decode(DecodeError::NotJson(_)))));
        assert_eq!(read_annotator_file("{\"a\":1}", &doc), Err(SourceError::Decode(DecodeError::NotOurs)));
        assert_eq!(read_annotator_file("[]", &doc), Err(SourceError::Decode(DecodeError::NotOurs)));
    }
}
