//! One document's storage sequences: reading it whole (head and parts), keeping an
//! unreadable value aside once, and saving by read-merge-write.
//!
//! A save never trusts this writer's memory of storage: it reads the head first. When
//! the head is not what this writer last wrote or read, another writer (a tab, a stale
//! page come back, a library import, a `localStorage.clear()`) came in between, so the
//! document is read whole, merged into this state with the one merge, and written in
//! full. A head written by a newer version of the widget is never written over.

use super::keys;
use super::kv::{KeyValue, KvError};
use crate::core::codec::native::{self, DocumentInfo, StoredEnvelope};
use crate::core::codec::split::{self, Written};
use crate::core::error::DecodeError;
use crate::core::state::{Action, AppState};

/// Stores `raw` under a backup key of `name`: the key already holding exactly `raw`
/// (so a value is backed up once, however often it is found), else one not yet taken.
pub fn keep_backup(kv: &mut impl KeyValue, name: &str, raw: &str) -> Result<String, KvError> {
    let base = keys::backup_key(name);
    let mut key = base.clone();
    let mut n = 1;
    while let Some(there) = kv.get(&key)? {
        if there == raw {
            return Ok(key);
        }
        n += 1;
        key = format!("{base}/{n}");
    }
    kv.set(&key, raw)?;
    Ok(key)
}

/// A document read whole from storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The head's text as read.
    pub head: String,
    /// Its annotations, from the head and every part.
    pub envelope: StoredEnvelope,
    /// Parts that could not be read and could not be backed up either: a save would
    /// overwrite them, so the caller must not save.
    pub unsafe_to_write: bool,
}

/// Reads the head of `doc_id` and its parts. `Ok(None)`: nothing is stored. A part that
/// cannot be read is kept under a backup key (once) and reported in the envelope's
/// problems; its annotations are missing.
pub fn read_whole(kv: &mut impl KeyValue, doc_id: &str) -> Result<Option<Result<Found, (String, DecodeError)>>, KvError> {
    let Some(head) = kv.get(&keys::annotations_key(doc_id))? else { return Ok(None) };
    let envelope = match native::decode(&head) {
        Ok(envelope) => envelope,
        Err(error) => return Ok(Some(Err((head, error)))),
    };
    let mut unsafe_to_write = false;
    let mut parts = Vec::new();
    for n in 0..envelope.parts {
        let key = keys::part_key(doc_id, n);
        let part = match kv.get(&key) {
            Ok(Some(raw)) => split::decode_part(&raw, doc_id).map_err(|error| {
                let kept = match keep_backup(kv, &format!("{doc_id}/part-{n}"), &raw) {
                    Ok(key) => format!(" (kept under \"{key}\")"),
                    Err(_) => {
                        unsafe_to_write = true;
                        " (it could not be backed up)".to_owned()
                    }
                };
                (n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: format!("a readable part: {error}{kept}") })
            }),
            Ok(None) => Err((n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: "a stored part (it is missing)".into() })),
            Err(error) => {
                unsafe_to_write = true;
                Err((n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: format!("a readable part ({error})") }))
            }
        };
        parts.push(part);
    }
    Ok(Some(Ok(Found { head, envelope: split::assemble(envelope, parts), unsafe_to_write })))
}

/// How a save went.
#[derive(Debug, Clone)]
pub enum Saved {
    /// Written; nobody else had written since this writer last did.
    Written(Written),
    /// Another writer had written: its work was merged into `merged`, which was
    /// written. The caller hands the same merge to its state.
    Merged { written: Written, merged: Box<AppState>, merge: Action },
    /// Not written, and why: storage holds something this writer must not overwrite.
    Refused(Refusal),
}

/// Why a save did not write.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// A newer version of the widget wrote the document (format `found`).
    NewerVersion { found: u64, supported: u64 },
    /// The stored head cannot be read and could not be kept aside.
    UnreadableNotKept(String),
    /// A part cannot be read and could not be kept aside.
    PartsNotKept,
}

/// What another writer stored since this one last wrote or read (`last`): the merge
/// to apply, and what was found. `Ok(None)`: nothing new, or nothing readable.
pub fn changed_since(kv: &mut impl KeyValue, doc_id: &str, last: &Written) -> Result<Option<(Action, Written)>, KvError> {
    let head = kv.get(&keys::annotations_key(doc_id))?;
    if head.as_deref() == last.head() {
        return Ok(None);
    }
    Ok(match read_whole(kv, doc_id)? {
        Some(Ok(found)) => {
            let envelope = found.envelope;
            let merge = Action::MergeStored { annotations: envelope.annotations, deleted: envelope.deleted.into_values().collect(), unreadable: envelope.unreadable };
            Some((merge, Written::found(Some(found.head))))
        }
        _ => None,
    })
}

/// Saves `state` by read-merge-write (see the module comment). `last` is what this
/// writer last wrote or read.
pub fn save(kv: &mut impl KeyValue, state: &AppState, last: &Written) -> Result<Saved, KvError> {
    let doc_id = &state.doc.id;
    let head = kv.get(&keys::annotations_key(doc_id))?;
    if head.as_deref() == last.head() {
        return write(kv, state, last).map(Saved::Written);
    }
    // Another writer came in between.
    match read_whole(kv, doc_id)? {
        // Cleared (or never written here): write everything.
        None => write(kv, state, &Written::default()).map(Saved::Written),
        Some(Err((_, DecodeError::NewerVersion { found, supported }))) => Ok(Saved::Refused(Refusal::NewerVersion { found, supported })),
        Some(Err((raw, _))) => match keep_backup(kv, doc_id, &raw) {
            Ok(_) => write(kv, state, &Written::default()).map(Saved::Written),
            Err(error) => Ok(Saved::Refused(Refusal::UnreadableNotKept(error.to_string()))),
        },
        Some(Ok(found)) if found.unsafe_to_write => Ok(Saved::Refused(Refusal::PartsNotKept)),
        Some(Ok(found)) => {
            let envelope = found.envelope;
            let merge = Action::MergeStored { annotations: envelope.annotations, deleted: envelope.deleted.into_values().collect(), unreadable: envelope.unreadable };
            let merged = state.apply(merge.clone());
            let written = write(kv, &merged, &Written::default())?;
            Ok(Saved::Merged { written, merged: Box::new(merged), merge })
        }
    }
}

/// Writes what changed since `last`: parts first, then the head, then removes parts the
/// document no longer has.
fn write(kv: &mut impl KeyValue, state: &AppState, last: &Written) -> Result<Written, KvError> {
    let (writes, written) = split::plan_save(state.replica(), &DocumentInfo::of(&state.doc), &state.by_sentence, &state.orphans, &state.unreadable, &state.deleted, last);
    for (key, value) in &writes.set {
        kv.set(key, value)?;
    }
    for key in &writes.remove {
        // A part left behind is never read (the head does not count it).
        let _ = kv.remove(key);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use serde_json::Value;
    use crate::core::model::{Document, LabelSet};
    use crate::core::store::kv::Memory;

    const TEXT: &str = "One sentence here. Two sentences here.\nA third one. A fourth one.";

    fn tab(tag: &str) -> AppState {
        AppState::new(Rc::new(Document::new("doc", TEXT)), Rc::new(LabelSet::default())).with_session(tag)
    }

    fn toggle(s: &AppState, sentence: usize, label: &str, now_ms: u64) -> AppState {
        s.apply(Action::Toggle { sentence, label: label.into(), now_ms })
    }

    /// Saves and returns what the writer now knows (its state after any merge).
    fn save_as(kv: &mut Memory, state: &AppState, last: &mut Written) -> AppState {
        match save(kv, state, last) {
            Ok(Saved::Written(w)) => {
                *last = w;
                state.clone()
            }
            Ok(Saved::Merged { written, merged, .. }) => {
                *last = written;
                *merged
            }
            other => panic!("save: {other:?}"),
        }
    }

    fn reload(kv: &mut Memory, tag: &str) -> AppState {
        match read_whole(kv, "doc") {
            Ok(Some(Ok(found))) => tab(tag).with_deleted(found.envelope.deleted.into_values()).apply(Action::Restore(found.envelope.annotations)),
            other => panic!("read: {other:?}"),
        }
    }

    fn labels(s: &AppState, sentence: usize) -> Vec<String> {
        s.labels_of(sentence).map(<[String]>::to_vec).unwrap_or_default()
    }

    #[test]
    fn a_save_merges_what_another_tab_wrote_in_between() {
        let mut kv = Memory::default();
        let (mut la, mut lb) = (Written::default(), Written::default());
        let a = save_as(&mut kv, &toggle(&tab("a"), 0, "claim", 1_000), &mut la);
        // Tab b never read a's write (a stale page), tags another sentence and saves.
        let b = save_as(&mut kv, &toggle(&tab("b"), 2, "quote", 2_000), &mut lb);
        assert_eq!(labels(&b, 0), ["claim"], "b's save read a's work first");
        // a saves again, unaware of b: b's tag is merged, not overwritten.
        let a = save_as(&mut kv, &toggle(&a, 1, "position", 3_000), &mut la);
        assert_eq!((labels(&a, 0), labels(&a, 1), labels(&a, 2)), (vec!["claim".to_owned()], vec!["position".to_owned()], vec!["quote".to_owned()]));
        let after_reload = reload(&mut kv, "c");
        assert_eq!(after_reload.annotations().count(), 3, "everything both tabs acknowledged is stored");
    }

    #[test]
    fn items_another_writer_kept_unread_survive_the_saves_after_the_merge() {
        let mut kv = Memory::default();
        let mut last = Written::default();
        let a = save_as(&mut kv, &toggle(&tab("a"), 0, "claim", 1), &mut last);
        // Another writer (a newer build, say) stored an item this one cannot read.
        let key = keys::annotations_key("doc");
        let mut envelope: Value = serde_json::from_str(&kv.items[&key]).unwrap_or_default();
        if let Some(list) = envelope.get_mut("annotations").and_then(Value::as_array_mut) {
            list.push(serde_json::json!({ "id": "from-the-future", "shape": "unknown" }));
        }
        kv.items.insert(key.clone(), envelope.to_string());
        let a = save_as(&mut kv, &toggle(&a, 1, "quote", 2), &mut last);
        assert_eq!(a.unreadable.len(), 1, "the merge keeps it in the state");
        // The next save is an ordinary one (nobody came in between): it still writes the item.
        save_as(&mut kv, &toggle(&a, 2, "claim", 3), &mut last);
        assert!(kv.items[&key].contains("from-the-future"), "{}", kv.items[&key]);
    }

    /// A tab holding a document of 1,200 tags in parts (every second sentence of 2,400).
    fn big_tab(tag: &str) -> AppState {
        let text: String = (0..2_400).map(|i| format!("Sentence number {i} is here.\n")).collect();
        let mut big = AppState::new(Rc::new(Document::new("doc", &text)), Rc::new(LabelSet::default())).with_session(tag);
        for s in (0..2_400).step_by(2) {
            big = toggle(&big, s, "claim", 1_000 + s as u64);
        }
        big
    }

    fn stored_count(kv: &mut Memory) -> usize {
        match read_whole(kv, "doc") {
            Ok(Some(Ok(f))) => f.envelope.annotations.len(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_cleared_store_is_written_again_in_full() {
        let mut kv = Memory::default();
        let mut last = Written::default();
        let a = save_as(&mut kv, &big_tab("a"), &mut last);
        assert!(last.parts() > 0, "stored in parts");
        // localStorage.clear() elsewhere: a save of one changed part alone would leave one part of five.
        kv.items.clear();
        save_as(&mut kv, &toggle(&a, 1, "quote", 9_000_000), &mut last);
        assert_eq!(stored_count(&mut kv), 1_201);
    }

    #[test]
    fn a_tab_that_wrote_the_document_as_one_envelope_is_not_taken_for_its_old_parts() {
        // Tab a stores 1,200 tags in parts; tab b loads them, clears 400 and, below the
        // threshold, saves one version-1 envelope of 800.
        let mut kv = Memory::default();
        let mut la = Written::default();
        let a = save_as(&mut kv, &big_tab("a"), &mut la);
        let found = match read_whole(&mut kv, "doc") {
            Ok(Some(Ok(f))) => f,
            other => panic!("{other:?}"),
        };
        let mut b = AppState::new(Rc::clone(&a.doc), Rc::new(LabelSet::default())).with_session("b").apply(Action::Restore(found.envelope.annotations));
        for s in (0..800).step_by(2) {
            b = b.apply(Action::Clear { sentence: s, now_ms: 5_000_000 });
        }
        let mut lb = Written::found(Some(found.head));
        save_as(&mut kv, &b, &mut lb);
        assert_eq!(stored_count(&mut kv), 800);
        // Tab a tags one more sentence. Writing its one part would go to a part nobody
        // reads; its save reads the envelope first, so b's deletions and a's tag both stand.
        let a = save_as(&mut kv, &toggle(&a, 2_399, "quote", 9_000_000), &mut la);
        assert_eq!(a.tagged(), 801);
        assert_eq!(stored_count(&mut kv), 801);
    }

    #[test]
    fn a_split_document_notices_a_part_written_by_another_tab() {
        let big = big_tab("a");
        let mut kv = Memory::default();
        let mut la = Written::default();
        let a = save_as(&mut kv, &big, &mut la);
        assert!(la.parts() > 0, "stored in parts");
        // Tab b (same data) tags sentence 1 and saves one part and the head.
        let found = match read_whole(&mut kv, "doc") {
            Ok(Some(Ok(f))) => f,
            other => panic!("{other:?}"),
        };
        let b = AppState::new(Rc::clone(&a.doc), Rc::new(LabelSet::default())).with_session("b").with_deleted(found.envelope.deleted.into_values()).apply(Action::Restore(found.envelope.annotations));
        let mut lb = Written::found(Some(found.head));
        save_as(&mut kv, &toggle(&b, 1, "quote", 9_000_000), &mut lb);
        // Tab a tags sentence 3 (another part) and saves: b's tag survives.
        let a = save_as(&mut kv, &toggle(&a, 3, "quote", 9_000_001), &mut la);
        assert_eq!(labels(&a, 1), ["quote"]);
        let stored = match read_whole(&mut kv, "doc") {
            Ok(Some(Ok(f))) => f.envelope.annotations,
            other => panic!("{other:?}"),
        };
        assert_eq!(stored.len(), 1_202);
    }

    #[test]
    fn newer_versions_are_never_written_over_and_corrupt_values_are_backed_up_once() {
        let mut kv = Memory::default();
        let newer = r#"{"format":"article-annotator","version":99,"document":{"id":"doc","fingerprint":"x","length":1},"annotations":[]}"#;
        kv.items.insert(keys::annotations_key("doc"), newer.into());
        let state = toggle(&tab("a"), 0, "claim", 1);
        assert!(matches!(save(&mut kv, &state, &Written::default()), Ok(Saved::Refused(Refusal::NewerVersion { found: 99, .. }))));
        assert_eq!(kv.items.get(&keys::annotations_key("doc")).map(String::as_str), Some(newer), "left as it was");

        kv.items.insert(keys::annotations_key("doc"), "{not json".into());
        assert!(matches!(save(&mut kv, &state, &Written::default()), Ok(Saved::Written(_))));
        kv.items.insert(keys::annotations_key("doc"), "{not json".into());
        assert!(matches!(save(&mut kv, &state, &Written::default()), Ok(Saved::Written(_))));
        let backups: Vec<&String> = kv.items.keys().filter(|k| k.contains("/backup/")).collect();
        assert_eq!(backups.len(), 1, "one backup of one value: {backups:?}");
    }

    #[test]
    fn a_value_that_cannot_be_backed_up_is_not_written_over() {
        let mut kv = Memory { quota: Some(60), ..Memory::default() };
        kv.items.insert(keys::annotations_key("doc"), "{corrupt but precious}".into());
        let state = toggle(&tab("a"), 0, "claim", 1);
        assert!(matches!(save(&mut kv, &state, &Written::default()), Ok(Saved::Refused(Refusal::UnreadableNotKept(_)))));
        assert_eq!(kv.items.get(&keys::annotations_key("doc")).map(String::as_str), Some("{corrupt but precious}"));
    }
}
