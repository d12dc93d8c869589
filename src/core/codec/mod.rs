//! Formats at the edge of the core: the native envelope (storage and export) and the
//! W3C Web Annotation adapter. The model does not bend to either.

pub mod library;
pub mod native;
pub mod split;
pub mod table;
pub mod w3c;

use crate::core::error::{DecodeError, Problem};
use crate::core::model::{Annotation, Document};

/// Largest file "Import" reads; a larger one is refused before parsing.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// Which format an imported file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Our envelope (an export or a copy of storage).
    Native,
    /// W3C Web Annotation JSON-LD.
    W3c,
}

/// What an import file holds, before the reader decides to merge or replace.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPreview {
    /// The format recognised.
    pub format: Format,
    /// The annotations that can be imported.
    pub annotations: Vec<Annotation>,
    /// Items skipped, each with its path and reason.
    pub problems: Vec<Problem>,
    /// For a native file: the document id it was exported from.
    pub source_document: Option<String>,
}

/// Reads a file of either format. Refuses (without parsing) anything over
/// [`MAX_IMPORT_BYTES`]; `now` stands in for missing W3C timestamps.
pub fn read_import(raw: &str, doc: &Document, now: &str) -> Result<ImportPreview, DecodeError> {
    if raw.len() > MAX_IMPORT_BYTES {
        return Err(DecodeError::TooLarge { bytes: raw.len(), limit: MAX_IMPORT_BYTES });
    }
    match native::decode(raw) {
        Ok(mut envelope) => Ok(ImportPreview {
            format: Format::Native,
            problems: {
                if envelope.parts > 0 {
                    // A copy of a split document's storage head: its parts are elsewhere.
                    let message = format!("this is a copy of stored data whose other {} part(s) are not in the file: use Export JSON to get every tag", envelope.parts);
                    envelope.problems.push(Problem { path: "parts".into(), message });
                }
                envelope.problems
            },
            annotations: envelope.annotations,
            source_document: Some(envelope.document.id),
        }),
        Err(DecodeError::NotOurs) => {
            let imported = w3c::import(raw, doc, now)?;
            Ok(ImportPreview { format: Format::W3c, annotations: imported.annotations, problems: imported.problems, source_document: None })
        }
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_both_formats_and_refuses_huge_input() {
        let doc = Document::new("d", "One sentence. Two sentences.");
        let state = crate::core::state::AppState::new(std::rc::Rc::new(doc.clone()), Default::default())
            .apply(crate::core::state::Action::Toggle { sentence: 1, label: "claim".into(), now_ms: 0 });
        let native_raw = native::encode(&doc, state.annotations(), &[]);
        let w3c_raw = w3c::export(&doc, state.annotations().map(|a| (a, true)), &w3c::ExportContext { source: None, now: "2026-01-01T00:00:00Z" });
        let a = read_import(&native_raw, &doc, "x").unwrap_or_else(|e| panic!("{e}"));
        let b = read_import(&w3c_raw, &doc, "x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.format, b.format), (Format::Native, Format::W3c));
        // W3C carries no version stamps; everything else is the same.
        let unversioned = |list: &[Annotation]| list.iter().cloned().map(|a| Annotation { versions: Default::default(), ..a }).collect::<Vec<_>>();
        assert_eq!(unversioned(&a.annotations), unversioned(&b.annotations));
        assert_eq!(a.source_document.as_deref(), Some("d"));
        let huge = " ".repeat(MAX_IMPORT_BYTES + 1);
        assert!(matches!(read_import(&huge, &doc, "x"), Err(DecodeError::TooLarge { .. })));
    }
}
