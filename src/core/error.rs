//! Typed errors of the core, one enum per concern; the UI turns each into a sentence a person understands.

use thiserror::Error;

/// Why stored or imported JSON could not be read as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not JSON at all (truncated, binary, or another format).
    #[error("not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but not an article-annotator file.
    #[error("not an article-annotator file (expected \"format\": \"article-annotator\")")]
    NotOurs,
    /// Written by a newer version of the widget: left untouched.
    #[error("written by a newer version (format version {found}; this widget reads up to {supported})")]
    NewerVersion {
        /// The version in the file.
        found: u64,
        /// The newest version this build reads.
        supported: u64,
    },
    /// Too large to read safely in a browser tab.
    #[error("the file is {bytes} bytes; files over {limit} bytes are not read")]
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A required part is missing or has the wrong type.
    #[error("{path}: {expected}")]
    Malformed {
        /// Where, as a JSON path such as `document.id`.
        path: String,
        /// What was expected there.
        expected: String,
    },
}

/// One item that was skipped (and kept aside) while the rest of a file was read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{path}: {message}")]
pub struct Problem {
    /// JSON path of the item, e.g. `annotations[3].target`.
    pub path: String,
    /// What is wrong with it.
    pub message: String,
}
