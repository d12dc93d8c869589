//! Loading and saving one document's annotations through the store, and what to tell
//! the reader about it. The sequences themselves are in `core::store::document`.

use serde_json::Value;

use crate::core::codec::native::{self, StoredEnvelope};
use crate::core::codec::split::{self, Written};
use crate::core::error::DecodeError;
use crate::core::i18n::Locale;
use crate::core::library;
use crate::core::model::{Annotation, Document, Tombstones};
use crate::core::options::StorageMode;
use crate::core::state::{Action, AppState};
use crate::core::store::document::{self as store, Refusal, Saved};
use crate::platform::storage::{LocalStorage, StorageError};

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
    /// The head as read, so that the first save can tell whether another writer came in between.
    pub head: Option<String>,
}

/// Reads the stored annotations of `doc`, never failing: every problem becomes a notice.
/// With storage `None` (the host keeps the annotations) nothing is read or written.
pub fn load(doc: &Document, mode: StorageMode, l: &Locale) -> Loaded {
    if mode == StorageMode::None {
        return Loaded::default();
    }
    match store::read_whole(&mut LocalStorage, &doc.id) {
        Ok(None) => Loaded { may_save: true, ..Loaded::default() },
        Err(error) => Loaded { notice: Some(blocked_notice(&error, l)), may_save: false, ..Loaded::default() },
        Ok(Some(Ok(found))) => {
            let StoredEnvelope { annotations, unreadable, problems, deleted, .. } = found.envelope;
            let kept_aside = (!problems.is_empty()).then(|| {
                let details = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                l.n("notice.kept_aside", problems.len(), &[("details", &details)])
            });
            let not_kept = found.unsafe_to_write.then(|| format!("{} {}", l.t("notice.parts_unreadable"), l.t("notice.not_saved")));
            let text = [kept_aside, not_kept].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let notice = (!text.is_empty()).then_some(Notice { text, backup: None });
            Loaded { annotations, deleted, unreadable, notice, may_save: !found.unsafe_to_write, head: Some(found.head) }
        }
        Ok(Some(Err((raw, DecodeError::NewerVersion { found, supported })))) => Loaded {
            notice: Some(Notice { text: newer_text(found, supported, l), backup: Some(raw) }),
            may_save: false,
            ..Loaded::default()
        },
        Ok(Some(Err((raw, error)))) => {
            let kept = store::keep_backup(&mut LocalStorage, &doc.id, &raw);
            let may_save = kept.is_ok();
            let error = error.describe(l);
            let text = match kept {
                Ok(key) => l.f("notice.unreadable_kept", &[("error", &error), ("key", &key)]),
                Err(_) => l.f("notice.unreadable_not_kept", &[("error", &error)]),
            };
            // After a backup, the next save may write; until then the unreadable head stays.
            Loaded { notice: Some(Notice { text, backup: Some(raw.clone()) }), may_save, head: may_save.then_some(raw), ..Loaded::default() }
        }
    }
}

fn newer_text(found: u64, supported: u64, l: &Locale) -> String {
    let newer = l.f("notice.newer", &[("found", &found.to_string()), ("supported", &supported.to_string())]);
    format!("{newer} {}", l.t("notice.not_saved"))
}

/// What a save did, for the saver.
pub enum Outcome {
    /// Written: what is now in storage.
    Written(Written),
    /// Another writer's work was merged in and written; hand `merge` to the state.
    Merged(Written, Action),
}

/// Saves by read-merge-write (see `core::store::document::save`); on failure, the notice to show.
pub fn save(state: &AppState, last: &Written, l: &Locale) -> Result<Outcome, Notice> {
    let not_saved = l.t("notice.not_saved");
    match store::save(&mut LocalStorage, state, last) {
        Ok(Saved::Written(written)) => Ok(Outcome::Written(written)),
        Ok(Saved::Merged { written, merge, .. }) => Ok(Outcome::Merged(written, merge)),
        Ok(Saved::Refused(Refusal::NewerVersion { found, supported })) => Err(Notice { text: newer_text(found, supported, l), backup: None }),
        Ok(Saved::Refused(Refusal::UnreadableNotKept(why))) => Err(Notice {
            text: format!("{} {not_saved}", l.f("notice.other_unreadable", &[("detail", &why)])),
            backup: None,
        }),
        Ok(Saved::Refused(Refusal::PartsNotKept)) => Err(Notice { text: format!("{} {not_saved}", l.t("notice.parts_not_kept")), backup: None }),
        Err(error @ StorageError::Blocked(_)) => Err(blocked_notice(&error, l)),
        Err(error) => Err(Notice { text: format!("{} {not_saved}", l.f("notice.save_failed", &[("detail", &error.describe(l))])), backup: None }),
    }
}

/// What another writer stored since `last`, as a merge for the state and what is now
/// known to be stored (a page back from the back-forward cache, or visible again).
pub fn reread(doc_id: &str, last: &Written) -> Option<(Action, Written)> {
    store::changed_since(&mut LocalStorage, doc_id, last).ok().flatten()
}

/// What another tab's write to one of this document's keys means here: annotations to
/// merge (a part, or the head's orphans and deletions). Unreadable or foreign data is
/// left for the next save, which reads storage whole before writing.
pub fn merge_from(doc_id: &str, key: &str, new_value: Option<String>) -> Option<Action> {
    let (part, id) = library::parse_key(key)?;
    if id != doc_id {
        return None;
    }
    let raw = new_value?;
    match part {
        library::Part::Annotations => native::decode(&raw).ok().map(|e| Action::MergeStored { annotations: e.annotations, deleted: e.deleted.into_values().collect(), unreadable: e.unreadable }),
        library::Part::Piece(_) => split::decode_part(&raw, doc_id).ok().map(|p| Action::MergeStored { annotations: p.annotations, deleted: Vec::new(), unreadable: p.unreadable }),
        library::Part::Meta | library::Part::Text => None,
    }
}

fn blocked_notice(error: &StorageError, l: &Locale) -> Notice {
    Notice { text: format!("{} {}", l.f("notice.blocked", &[("detail", &error.describe(l))]), l.t("notice.not_saved")), backup: None }
}
