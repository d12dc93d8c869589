//! Typed errors of the core, one enum per concern; the UI turns each into a sentence a person understands.

use thiserror::Error;

use super::i18n::Locale;

/// Why stored or imported JSON could not be read as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON at all (truncated, binary, or another format).
    NotJson(String),
    /// JSON, but not an article-annotator file.
    NotOurs,
    /// Written by a newer version of the widget: left untouched.
    NewerVersion {
        /// The version in the file.
        found: u64,
        /// The newest version this build reads.
        supported: u64,
    },
    /// Too large to read safely in a browser tab.
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A required part is missing or has the wrong type.
    Malformed {
        /// Where, as a JSON path such as `document.id`.
        path: String,
        /// What was expected there.
        expected: String,
    },
}

impl DecodeError {
    /// Why, in the reader's language. The JSON parser's detail and a malformed part's
    /// path and expectation are technical and stay as written (English).
    pub fn describe(&self, l: &Locale) -> String {
        match self {
            DecodeError::NotJson(detail) => l.f("decode.not_json", &[("detail", detail)]),
            DecodeError::NotOurs => l.t("decode.not_ours").to_owned(),
            DecodeError::NewerVersion { found, supported } => l.f("decode.newer", &[("found", &found.to_string()), ("supported", &supported.to_string())]),
            DecodeError::TooLarge { bytes, limit } => l.f("decode.too_large", &[("bytes", &bytes.to_string()), ("limit", &limit.to_string())]),
            DecodeError::Malformed { path, expected } => format!("{path}: {expected}"),
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(&Locale::english()))
    }
}

impl std::error::Error for DecodeError {}

/// One item that was skipped (and kept aside) while the rest of a file was read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct Problem {
    /// JSON path of the item, e.g. `annotations[3].target`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}
