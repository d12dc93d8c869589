//! The library's storage sequences, over the store's key-value trait: keep an article
//! and its entry, rename, delete (with everything needed to undo it), list, export all,
//! and plan and apply the import of a library file. What to decide is in
//! `core::library` and `core::codec::library`; this module reads and writes.

use std::rc::Rc;

use super::kv::{KeyValue, KvError};
use crate::core::codec::library::{self as file, DecodedLibrary, ImportPlan, LibraryDocument};
use crate::core::codec::split;
use crate::core::i18n::Locale;
use crate::core::library::{self, DocMeta, Entry, Part, Usage};
use crate::core::model::{Annotation, Document, LabelSet};
use crate::core::segment::Lang;

/// Every key and value (the library lists and measures all of them).
pub fn items(kv: &impl KeyValue) -> Result<Vec<(String, String)>, KvError> {
    let mut items = Vec::new();
    for key in kv.keys()? {
        if let Some(value) = kv.get(&key)? {
            items.push((key, value));
        }
    }
    Ok(items)
}

fn pairs(items: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    items.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// A document's library entry, if it has a readable one.
pub fn meta(kv: &impl KeyValue, id: &str) -> Option<DocMeta> {
    kv.get(&library::meta_key(id)).ok().flatten().and_then(|raw| serde_json::from_str(&raw).ok())
}

/// The title a document is shown by: its entry's, else its first line, else its id.
pub fn title_of(kv: &impl KeyValue, doc: &Document) -> String {
    meta(kv, &doc.id).map_or_else(|| library::title_from_text(&doc.text).unwrap_or_else(|| doc.id.clone()), |m| m.title)
}

/// A stored text, if the library keeps it.
pub fn text(kv: &impl KeyValue, id: &str) -> Result<Option<String>, KvError> {
    kv.get(&library::text_key(id))
}

/// Why an article is not (all) kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotKept {
    /// Its text would crowd out annotations: the entry is kept, the text is not.
    TextTooLong,
    /// Storage failed.
    Storage(KvError),
}

impl NotKept {
    /// Why, in the reader's language (a storage failure's own words are the browser's).
    pub fn describe(&self, l: &Locale) -> String {
        match self {
            NotKept::TextTooLong => l.t("library.text_too_long").to_owned(),
            NotKept::Storage(error) => error.to_string(),
        }
    }
}

impl std::fmt::Display for NotKept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(&Locale::english()))
    }
}

/// Keeps a text in the library with its entry: the text only when there is room for
/// it (annotations come first), the entry always. `replace_text`: a changed text
/// (the host's article, edited) replaces the stored one. `now` dates a new entry.
pub fn remember(kv: &mut impl KeyValue, doc: &Document, title: &str, source: Option<&str>, replace_text: bool, now: &str) -> Result<(), NotKept> {
    let text_key = library::text_key(&doc.id);
    let stored_text = kv.get(&text_key).map_err(NotKept::Storage)?;
    let old = meta(kv, &doc.id);
    let mut problem = None;
    if stored_text.is_none() || (replace_text && stored_text.as_deref() != Some(doc.text.as_str())) {
        // Only a text about to be written needs the whole of storage measured.
        let all = items(kv).map_err(NotKept::Storage)?;
        let usage = Usage::of(pairs(&all).filter(|(k, _)| *k != text_key));
        if usage.has_room_for_text(&text_key, doc.text.chars().count()) {
            kv.set(&text_key, &doc.text).map_err(NotKept::Storage)?;
        } else {
            problem = Some(NotKept::TextTooLong);
        }
    }
    let entry = DocMeta {
        title: old.as_ref().map_or_else(|| title.to_owned(), |m| m.title.clone()),
        source: source.map(str::to_owned).or_else(|| old.as_ref().and_then(|m| m.source.clone())),
        added: old.as_ref().map_or_else(|| now.to_owned(), |m| m.added.clone()),
        sentences: doc.sentences().len(),
    };
    if old.as_ref() != Some(&entry) {
        kv.set(&library::meta_key(&doc.id), &serde_json::to_string(&entry).unwrap_or_default()).map_err(NotKept::Storage)?;
    }
    problem.map_or(Ok(()), Err)
}

/// Why a rename did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// The title is empty once cleaned.
    EmptyTitle,
    /// The document has no library entry to rename.
    NoEntry,
    /// Storage failed.
    Storage(KvError),
}

/// Renames a document; its entry as now stored.
pub fn rename(kv: &mut impl KeyValue, id: &str, title: &str) -> Result<DocMeta, RenameError> {
    let title = library::clean_title(title).ok_or(RenameError::EmptyTitle)?;
    let mut entry = meta(kv, id).ok_or(RenameError::NoEntry)?;
    entry.title = title;
    kv.set(&library::meta_key(id), &serde_json::to_string(&entry).unwrap_or_default()).map_err(RenameError::Storage)?;
    Ok(entry)
}

/// A deleted document: its title, and every key it had, with its value, in the order
/// to write them back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// What the reader knew it by.
    pub title: String,
    /// Its keys and values.
    pub values: Vec<(String, String)>,
}

/// Deletes every key of document `id`. What was removed comes back even when a removal
/// failed (the error says which), so that undo can put back what did go.
pub fn delete(kv: &mut impl KeyValue, id: &str) -> (Deleted, Option<KvError>) {
    let all = items(kv).unwrap_or_default();
    let keys = library::keys_of(all.iter().map(|(k, _)| k.as_str()), id);
    let values: Vec<(String, String)> = keys.iter().filter_map(|key| all.iter().find(|(k, _)| k == key).cloned()).collect();
    let title = values
        .iter()
        .find(|(k, _)| *k == library::meta_key(id))
        .and_then(|(_, raw)| serde_json::from_str::<DocMeta>(raw).ok())
        .map_or_else(|| id.to_owned(), |m| m.title);
    let failed = keys.iter().find_map(|k| kv.remove(k).err());
    (Deleted { title, values }, failed)
}

/// Writes a deleted document's keys back, exactly as they were.
pub fn undo_delete(kv: &mut impl KeyValue, gone: &Deleted) -> Result<(), KvError> {
    gone.values.iter().try_for_each(|(k, v)| kv.set(k, v))
}

/// The library list and how full storage is.
pub fn listing(kv: &impl KeyValue) -> Result<(Vec<Entry>, Usage), KvError> {
    let all = items(kv)?;
    Ok((library::entries(pairs(&all)), Usage::of(pairs(&all))))
}

/// Every document, for "Export all" (a split document as one envelope).
pub fn documents(kv: &impl KeyValue) -> Result<Vec<LibraryDocument>, KvError> {
    Ok(file::documents_of(pairs(&items(kv)?)))
}

/// Every document whose text the library keeps, segmented in `lang`, with its
/// annotations: for the tables of "Export all". Documents whose annotations cannot be
/// read are left out (Export all keeps them as they are).
pub fn annotated_texts(kv: &mut impl KeyValue, lang: Lang) -> Result<Vec<(Document, Vec<Annotation>)>, KvError> {
    let (entries, _) = listing(kv)?;
    let mut out = Vec::new();
    for entry in entries.iter().filter(|e| e.has_text) {
        let Some(text) = text(kv, &entry.id)? else { continue };
        let annotations = match super::document::read_whole(kv, &entry.id)? {
            Some(Ok(found)) => found.envelope.annotations,
            None => Vec::new(),
            Some(Err(_)) => continue,
        };
        out.push((Document::new_in(entry.id.clone(), &text, lang), annotations));
    }
    Ok(out)
}

/// What importing `decoded` would do to what storage holds now.
pub fn plan_import(kv: &impl KeyValue, decoded: DecodedLibrary, labels: &Rc<LabelSet>, now: &str) -> Result<ImportPlan, KvError> {
    let all = items(kv)?;
    // A document stored in parts is read whole, as one envelope.
    let stored_whole = |key: &str| {
        let raw = all.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())?;
        let whole = match library::parse_key(key) {
            Some((Part::Annotations, id)) => split::whole_envelope(&pairs(&all).collect::<Vec<_>>(), id),
            _ => None,
        };
        Some(whole.unwrap_or(raw))
    };
    Ok(file::plan_import(decoded, stored_whole, labels, now))
}

/// How an import went: all of it, or how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Items written.
    pub written: usize,
    /// Items in the plan.
    pub total: usize,
    /// Why it stopped, when it stopped.
    pub stopped: Option<KvError>,
}

/// Writes an import plan, item by item (each whole: nothing half-written). A document
/// written whole again no longer needs the parts it was stored in; one whose write did
/// not happen keeps them (its head still counts them).
pub fn apply_import(kv: &mut impl KeyValue, plan: &ImportPlan) -> Applied {
    let total = plan.writes.len();
    let failed = plan.writes.iter().enumerate().find_map(|(n, (k, v))| kv.set(k, v).err().map(|e| (n, e)));
    let written = failed.as_ref().map_or(total, |(n, _)| *n);
    let keys = kv.keys().unwrap_or_default();
    for (key, _) in &plan.writes[..written] {
        let Some((Part::Annotations, id)) = library::parse_key(key) else { continue };
        for stale in library::keys_of(keys.iter().map(String::as_str), id) {
            if matches!(library::parse_key(&stale), Some((Part::Piece(_), _))) {
                let _ = kv.remove(&stale);
            }
        }
    }
    Applied { written, total, stopped: failed.map(|(_, e)| e) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::kv::Memory;

    const TEXT: &str = "Talks resume in Geneva. Both sides agree.";

    fn doc() -> Document {
        Document::new(library::id_for_text(TEXT), TEXT)
    }

    #[test]
    fn remember_keeps_the_text_and_its_entry_and_leaves_an_entry_alone() {
        let mut kv = Memory::default();
        assert_eq!(remember(&mut kv, &doc(), "Geneva", Some("https://example.org/a"), false, "2026-12-01T00:00:00.000Z"), Ok(()));
        assert_eq!(text(&kv, &doc().id), Ok(Some(TEXT.to_owned())));
        let entry = meta(&kv, &doc().id).unwrap_or_else(|| panic!("entry"));
        assert_eq!((entry.title.as_str(), entry.sentences, entry.added.as_str()), ("Geneva", 2, "2026-12-01T00:00:00.000Z"));
        // Again, later, with another title: the reader's entry stands.
        assert_eq!(remember(&mut kv, &doc(), "Other", None, false, "2026-12-02T00:00:00.000Z"), Ok(()));
        assert_eq!(meta(&kv, &doc().id), Some(entry));
    }

    #[test]
    fn a_text_that_would_crowd_out_annotations_is_listed_not_kept() {
        let mut kv = Memory::default();
        let long = "Word. ".repeat(600_000);
        let big = Document::new("big", &long);
        assert_eq!(remember(&mut kv, &big, "Big", None, false, "t"), Err(NotKept::TextTooLong));
        assert_eq!(text(&kv, "big"), Ok(None));
        assert!(meta(&kv, "big").is_some(), "the entry is kept");
    }

    #[test]
    fn rename_delete_and_undo() {
        let mut kv = Memory::default();
        let d = doc();
        assert_eq!(remember(&mut kv, &d, "Geneva", None, false, "t"), Ok(()));
        kv.items.insert(library::annotations_key(&d.id), "{\"x\":1}".into());
        kv.items.insert("someone-else".into(), "keep".into());
        assert_eq!(rename(&mut kv, &d.id, "  ").err(), Some(RenameError::EmptyTitle));
        assert_eq!(rename(&mut kv, "nobody", "X").err(), Some(RenameError::NoEntry));
        assert_eq!(rename(&mut kv, &d.id, "Geneva talks").map(|m| m.title), Ok("Geneva talks".to_owned()));
        let before = kv.clone();
        let (gone, failed) = delete(&mut kv, &d.id);
        assert_eq!((gone.title.as_str(), gone.values.len(), failed), ("Geneva talks", 3, None));
        assert_eq!(kv.items.keys().collect::<Vec<_>>(), ["someone-else"], "only its keys go");
        assert_eq!(undo_delete(&mut kv, &gone), Ok(()));
        assert_eq!(kv, before, "undo writes every key back exactly");
    }

    #[test]
    fn listing_export_and_an_import_that_stops_when_storage_is_full() {
        let mut kv = Memory::default();
        assert_eq!(remember(&mut kv, &doc(), "Geneva", None, false, "t"), Ok(()));
        let (entries, usage) = listing(&kv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries.len(), 1);
        assert!(usage.ours > 0 && usage.ours == usage.all);
        let exported = file::encode(&documents(&kv).unwrap_or_default(), "t");
        // Into a store too small for all of it: part is written, whole items only, and it says so.
        let mut small = Memory { quota: Some(60), ..Memory::default() };
        let plan = plan_import(&small, file::decode(&exported).unwrap_or_else(|e| panic!("{e}")), &Rc::new(LabelSet::default()), "t").unwrap_or_else(|e| panic!("{e}"));
        assert!(plan.changes_anything());
        let applied = apply_import(&mut small, &plan);
        assert_eq!((applied.written, applied.stopped), (0, Some(KvError::Full)));
        // Into an empty one: everything, and the same import again changes nothing.
        let mut empty = Memory::default();
        let applied = apply_import(&mut empty, &plan);
        assert_eq!((applied.written, applied.total, applied.stopped), (plan.writes.len(), plan.writes.len(), None));
        let tables = annotated_texts(&mut empty, Lang::ENGLISH).unwrap_or_default();
        assert_eq!(tables.len(), 1);
        assert!(file::documents_of(std::iter::empty()).is_empty());
        let refs: Vec<(&Document, &[Annotation])> = tables.iter().map(|(d, a)| (d, a.as_slice())).collect();
        let csv = crate::core::codec::table::reader_table(&refs, "reader", crate::core::codec::table::Table::Csv);
        assert_eq!(csv.lines().count(), 1 + 2, "a header and a row per sentence: {csv}");
        let again = plan_import(&empty, file::decode(&exported).unwrap_or_else(|e| panic!("{e}")), &Rc::new(LabelSet::default()), "t").unwrap_or_else(|e| panic!("{e}"));
        assert!(!again.changes_anything());
    }
}
