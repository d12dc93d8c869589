//! Loading and saving one document's annotations, and what to tell the reader about it.

use serde_json::Value;

use crate::core::codec::native::{self, DocumentInfo, StoredEnvelope};
use crate::core::codec::split::{self, Written};
use crate::core::library;
use crate::core::state::{Action, AppState};
use crate::core::error::DecodeError;
use crate::core::model::{Annotation, Document, Tombstones};
use crate::core::options::StorageMode;
use crate::platform::storage::{self, StorageError};

/// A message about storage, shown above the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// What happened and what it means for the reader's work.
    pub text: String,
    /// Raw stored text the reader may download (kept from a corrupt save).
    pub backup: Option<String>,
}

/// What was found in storage for a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// Annotations to restore.
    pub annotations: Vec<Annotation>,
    /// Deleted annotations (for merging with other writers).
    pub deleted: Tombstones,
    /// Stored items that could not be read, written back on every save.
    pub unreadable: Vec<Value>,
    /// What to tell the reader, if anything.
    pub notice: Option<Notice>,
    /// False when saving would destroy data (written by a newer version) or is impossible.
    pub may_save: bool,
}

const NOT_SAVED: &str = "Your tags are kept on this page only and will be lost when it closes: use Export JSON to keep them.";

/// Reads the stored annotations of `doc`, never failing: every problem becomes a notice.
/// With storage `None` (the host keeps the annotations) nothing is read or written.
pub fn load(doc: &Document, mode: StorageMode) -> Loaded {
    if mode == StorageMode::None {
        return Loaded::default();
    }
    let key = storage::key_for(&doc.id);
    let raw = match storage::read(&key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Loaded { may_save: true, ..Loaded::default() },
        Err(error) => {
            return Loaded { notice: Some(blocked_notice(&error)), may_save: false, ..Loaded::default() };
        }
    };
    match native::decode(&raw).map(|head| with_parts(&doc.id, head)) {
        Ok(StoredEnvelope { annotations, unreadable, problems, deleted, .. }) => {
            let notice = (!problems.is_empty()).then(|| Notice {
                text: format!(
                    "{} saved annotation(s) could not be read and were kept aside unchanged ({}).",
                    problems.len(),
                    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                ),
                backup: None,
            });
            Loaded { annotations, deleted, unreadable, notice, may_save: true }
        }
        Err(DecodeError::NewerVersion { found, supported }) => Loaded {
            notice: Some(Notice {
                text: format!(
                    "The saved tags were written by a newer version of this widget (format {found}; this one reads up to {supported}). They are left untouched; new tags here are not saved. {NOT_SAVED}"
                ),
                backup: Some(raw),
            }),
            may_save: false,
            ..Loaded::default()
        },
        Err(error) => {
            let kept = keep_backup(&doc.id, &raw);
            let may_save = kept.is_ok();
            let text = match kept {
                Ok(key) => format!(
                    "The saved tags for this article could not be read ({error}). The stored data was kept under \"{key}\"; you can download it below. Starting with no tags."
                ),
                Err(_) => format!(
                    "The saved tags for this article could not be read ({error}) and could not be backed up in storage: download them below before tagging. Starting with no tags."
                ),
            };
            Loaded { notice: Some(Notice { text, backup: Some(raw) }), may_save, ..Loaded::default() }
        }
    }
}

/// A head and its parts, read from storage. A part that cannot be read is kept under a
/// backup key (like a corrupt head) and reported; its annotations are missing.
fn with_parts(doc_id: &str, head: StoredEnvelope) -> StoredEnvelope {
    let parts = head.parts;
    let read = |n: usize| {
        let key = library::part_key(doc_id, n);
        match storage::read(&key) {
            Ok(Some(raw)) => split::decode_part(&raw, doc_id).map_err(|error| {
                let kept = keep_backup(&format!("{doc_id}/part-{n}"), &raw).map_or_else(|_| " (it could not be backed up)".to_owned(), |key| format!(" (kept under \"{key}\")"));
                (n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: format!("a readable part: {error}{kept}") })
            }),
            Ok(None) => Err((n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: "a stored part (it is missing)".into() })),
            Err(error) => Err((n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: format!("a readable part ({error})") })),
        }
    };
    split::assemble(head, (0..parts).map(read))
}

/// Stores `raw` under a backup key that is not yet taken, so no earlier backup is overwritten.
fn keep_backup(doc_id: &str, raw: &str) -> Result<String, StorageError> {
    let base = storage::backup_key_for(doc_id);
    let mut key = base.clone();
    let mut n = 1;
    while storage::read(&key)?.is_some() {
        n += 1;
        key = format!("{base}/{n}");
    }
    storage::write(&key, raw)?;
    Ok(key)
}

/// Writes what changed since `last` (see `codec::split`); on success, what is now
/// written; else the notice to show.
pub fn save(state: &AppState, unreadable: &[Value], last: &Written) -> Result<Written, Notice> {
    let (writes, written) = split::plan_save(&DocumentInfo::of(&state.doc), &state.by_sentence, &state.orphans, unreadable, &state.deleted, last);
    for (key, value) in &writes.set {
        storage::write(key, value).map_err(|error| match error {
            StorageError::Blocked(_) => blocked_notice(&error),
            _ => Notice { text: format!("Saving failed: {error}. {NOT_SAVED}"), backup: None },
        })?;
    }
    // Parts the document no longer has; one left behind is never read (the head does not count it).
    for key in &writes.remove {
        let _ = storage::remove(key);
    }
    Ok(written)
}

/// What another tab's write to one of this document's keys means here: annotations to
/// merge (a part, or the head's orphans and deletions). Unreadable or foreign data is
/// left for the next load to report.
pub fn merge_from(doc_id: &str, key: &str, new_value: Option<String>) -> Option<Action> {
    let (part, id) = library::parse_key(key)?;
    if id != doc_id {
        return None;
    }
    let raw = new_value?;
    match part {
        library::Part::Annotations => native::decode(&raw).ok().map(|e| Action::MergeStored { annotations: e.annotations, deleted: e.deleted.into_values().collect() }),
        library::Part::Piece(_) => split::decode_part(&raw, doc_id).ok().map(|p| Action::MergeStored { annotations: p.annotations, deleted: Vec::new() }),
        library::Part::Meta | library::Part::Text => None,
    }
}

fn blocked_notice(error: &StorageError) -> Notice {
    Notice { text: format!("Browser storage is unavailable: {error}. {NOT_SAVED}"), backup: None }
}
