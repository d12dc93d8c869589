//! Storing a heavily annotated document in parts, so a save rewrites only what changed.
//!
//! localStorage's `setItem` costs time in proportion to the value written (about 50 ms
//! for the 4 M characters of 10,000 annotations in Chromium, 0.3 ms for 200 K). So a
//! document with more than [`SPLIT_AT`] annotations is stored as a *head* under the
//! usual key (version 2: document info, the number of parts, orphans, unreadable items
//! and tombstones) plus one *part* per [`PART_SENTENCES`] sentences, holding the
//! annotations placed on them. A save compares the annotation list with what it last
//! wrote, by pointer, and writes only the parts whose sentences changed (and the head
//! when its own content did): one tag is one part of at most a few hundred K characters.
//! Parts are written before the head that counts them, and a head of version 1 never
//! has parts, so a save cut short leaves stored data readable.
//!
//! Documents at or under the threshold keep the single version-1 envelope: exports,
//! the schema and older builds see exactly what they saw before.

use std::rc::Rc;

use serde::Serialize;
use serde_json::Value;

use super::native::{self, AnnotationOut, DocumentInfo, StoredEnvelope, TombstoneList};
use crate::core::error::{DecodeError, Problem};
use crate::core::store::keys;
use crate::core::model::{Annotation, Target, TextPosition, TextQuote, Tombstones, Versions};

/// Annotations above which a document is stored in parts.
pub const SPLIT_AT: usize = 1000;
/// Annotations under which a split document goes back to one envelope (a gap, so a
/// document near the threshold does not switch back and forth).
pub const JOIN_AT: usize = 500;
/// Sentences per part.
pub const PART_SENTENCES: usize = 250;

/// The `format` of a part.
pub const PART_FORMAT: &str = "article-annotator-part";

/// The annotation list as the state holds it: one slot per sentence.
pub type Slots = Rc<Vec<Option<Rc<Annotation>>>>;

/// What the last successful save wrote, to tell what changed since.
#[derive(Debug, Clone, Default)]
pub struct Written {
    slots: Option<Slots>,
    orphans: Vec<Rc<Annotation>>,
    deleted: Option<Rc<Tombstones>>,
    unreadable: usize,
    parts: usize,
    /// The head (the document's main key) as last written or read: a save that finds
    /// something else there knows another writer came in between.
    head: Option<String>,
    saves: u64,
}

impl Written {
    /// How many parts the stored document has (0: one envelope).
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// The head as last written or read here.
    pub fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    /// Nothing known to be written, except that the head reads `head` (what a load or a
    /// merge found): the next save writes everything.
    pub fn found(head: Option<String>) -> Written {
        Written { head, ..Written::default() }
    }
}

/// The storage operations of one save, in order: every `set` (parts first, then the
/// head), then every `remove` (parts the document no longer has).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Writes {
    /// Keys and values to write.
    pub set: Vec<(String, String)>,
    /// Keys to remove afterwards.
    pub remove: Vec<String>,
}

#[derive(Serialize)]
struct PartOut<'a> {
    format: &'static str,
    version: u64,
    document: &'a str,
    part: usize,
    annotations: Vec<Compact<'a>>,
}

/// An annotation in a part, as an array (a part holds hundreds, so the field names
/// would be a quarter of the stored characters): `[id, labels, exact, prefix, suffix,
/// start, end, created, modified (null: as created), note (null: none), versions (absent
/// or null: none)]`. Parts written before versions have ten items.
#[derive(Serialize)]
struct Compact<'a>(&'a str, &'a [String], &'a str, &'a str, &'a str, usize, usize, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a Versions>);

impl<'a> Compact<'a> {
    fn of(a: &'a Annotation) -> Self {
        let q = &a.target.quote;
        let modified = (a.modified != a.created).then_some(a.modified.as_str());
        let versions = (!a.versions.is_empty()).then_some(&a.versions);
        Compact(&a.id, &a.labels, &q.exact, &q.prefix, &q.suffix, a.target.position.start, a.target.position.end, &a.created, modified, a.note.as_deref(), versions)
    }
}

type CompactIn = (String, Vec<String>, String, String, String, usize, usize, String, Option<String>, Option<String>, Option<Versions>);

fn read_compact(item: &Value) -> Result<Annotation, String> {
    let mut item = item.clone();
    if let Value::Array(items) = &mut item {
        if items.len() == 10 {
            items.push(Value::Null);
        }
    }
    let (id, labels, exact, prefix, suffix, start, end, created, modified, note, versions): CompactIn =
        serde_json::from_value(item).map_err(|e| format!("expected [id, labels, exact, prefix, suffix, start, end, created, modified, note, versions] ({e})"))?;
    let annotation = Annotation {
        versions: versions.unwrap_or_default(),
        id,
        labels,
        note,
        target: Target { quote: TextQuote { exact, prefix, suffix }, position: TextPosition { start, end } },
        modified: modified.unwrap_or_else(|| created.clone()),
        created,
    };
    native::check_annotation(&annotation)?;
    Ok(annotation)
}

#[derive(Serialize)]
struct HeadOut<'a> {
    format: &'static str,
    version: u64,
    document: &'a DocumentInfo,
    parts: usize,
    /// Which save wrote it (the writer and its count), so that a head always changes
    /// when its parts do, and another writer can tell.
    saved: &'a str,
    annotations: Vec<AnnotationOut<'a>>,
    #[serde(skip_serializing_if = "TombstoneList::is_empty")]
    deleted: TombstoneList<'a>,
}

fn same(a: &Option<Rc<Annotation>>, b: &Option<Rc<Annotation>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// What one save must write, given the state and what was written last; and what will
/// have been written once it succeeds. `writer` names this writer in a split head.
pub fn plan_save(
    writer: &str,
    info: &DocumentInfo,
    slots: &Slots,
    orphans: &[Rc<Annotation>],
    unreadable: &[Value],
    deleted: &Rc<Tombstones>,
    last: &Written,
) -> (Writes, Written) {
    let count = slots.iter().flatten().count() + orphans.len();
    let split = if last.parts > 0 { count > JOIN_AT } else { count > SPLIT_AT };
    let mut writes = Writes::default();
    let parts = if split { slots.len().div_ceil(PART_SENTENCES).max(1) } else { 0 };
    let id = info.id.as_str();
    if split {
        for part in 0..parts {
            let range = part * PART_SENTENCES..((part + 1) * PART_SENTENCES).min(slots.len());
            let unchanged = last.parts == parts
                && last.slots.as_ref().is_some_and(|old| {
                    Rc::ptr_eq(old, slots) || old.get(range.clone()).is_some_and(|o| o.iter().zip(&slots[range.clone()]).all(|(a, b)| same(a, b)))
                });
            if unchanged {
                continue;
            }
            let out = PartOut {
                format: PART_FORMAT,
                version: native::SPLIT_VERSION,
                document: id,
                part,
                annotations: slots[range].iter().flatten().map(|a| Compact::of(a)).collect(),
            };
            writes.set.push((keys::part_key(id, part), encode_part(&out)));
        }
        let head_changed = last.parts != parts
            || last.orphans.len() != orphans.len()
            || last.orphans.iter().zip(orphans).any(|(a, b)| !Rc::ptr_eq(a, b))
            || !last.deleted.as_ref().is_some_and(|d| Rc::ptr_eq(d, deleted))
            || last.unreadable != unreadable.len();
        if !head_changed && writes.set.is_empty() {
            // Nothing changed: nothing written.
            return (writes, last.clone());
        }
        // The head is written with every save that writes anything (it names the save),
        // so that a change of any part shows in it to another writer.
        let saved = format!("{writer}.{}", last.saves + 1);
        let out = HeadOut {
            format: native::FORMAT,
            version: native::SPLIT_VERSION,
            document: info,
            parts,
            saved: &saved,
            annotations: orphans.iter().map(|a| AnnotationOut::Read(a)).chain(unreadable.iter().map(AnnotationOut::Kept)).collect(),
            deleted: TombstoneList(deleted),
        };
        writes.set.push((keys::annotations_key(id), serde_json::to_string(&out).unwrap_or_default()));
    } else {
        let all = slots.iter().flatten().map(Rc::as_ref).chain(orphans.iter().map(Rc::as_ref));
        writes.set.push((keys::annotations_key(id), native::encode_info(info, all, unreadable, deleted)));
    }
    writes.remove = (parts..last.parts).map(|part| keys::part_key(id, part)).collect();
    let head = writes.set.last().map(|(_, head)| head.clone());
    let written = Written { slots: Some(slots.clone()), orphans: orphans.to_vec(), deleted: Some(Rc::clone(deleted)), unreadable: unreadable.len(), parts, head, saves: last.saves + 1 };
    (writes, written)
}

/// A part's JSON, written into room for its annotations at once and trimmed to its length:
/// grown by doubling instead, each part's text left a buffer of up to twice its size (a
/// whole article's parts are megabytes, and the wasm's memory, once grown, stays grown).
fn encode_part(out: &PartOut) -> String {
    // About 300 bytes an annotation (an array of its fields), and the part's own fields.
    let mut bytes = Vec::with_capacity(out.annotations.len() * 320 + 256);
    if serde_json::to_writer(&mut bytes, out).is_err() {
        return String::new();
    }
    bytes.shrink_to_fit();
    String::from_utf8(bytes).unwrap_or_default()
}

/// What a part holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Its number.
    pub part: usize,
    /// The annotations read.
    pub annotations: Vec<Annotation>,
    /// Items that could not be read, kept verbatim.
    pub unreadable: Vec<Value>,
    /// Why each was skipped.
    pub problems: Vec<Problem>,
}

fn malformed(path: &str, expected: &str) -> DecodeError {
    DecodeError::Malformed { path: path.to_owned(), expected: expected.to_owned() }
}

/// Reads a part of document `id`.
pub fn decode_part(raw: &str, id: &str) -> Result<Part, DecodeError> {
    let value: Value = serde_json::from_str(raw).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    let Value::Object(root) = value else { return Err(DecodeError::NotOurs) };
    if root.get("format").and_then(Value::as_str) != Some(PART_FORMAT) {
        return Err(DecodeError::NotOurs);
    }
    match root.get("version").and_then(Value::as_u64) {
        Some(v) if v > native::SPLIT_VERSION => return Err(DecodeError::NewerVersion { found: v, supported: native::SPLIT_VERSION }),
        Some(_) => {}
        None => return Err(malformed("version", "a whole number")),
    }
    if root.get("document").and_then(Value::as_str) != Some(id) {
        return Err(malformed("document", &format!("the id of this document ({id:?})")));
    }
    let part = root.get("part").and_then(Value::as_u64).ok_or_else(|| malformed("part", "the part's number"))? as usize;
    let Some(Value::Array(items)) = root.get("annotations") else { return Err(malformed("annotations", "an array")) };
    let mut out = Part { part, annotations: Vec::new(), unreadable: Vec::new(), problems: Vec::new() };
    for (i, item) in items.iter().enumerate() {
        match read_compact(item) {
            Ok(annotation) => out.annotations.push(annotation),
            Err(message) => {
                out.problems.push(Problem { path: format!("parts[{part}].annotations[{i}]"), message });
                out.unreadable.push(item.clone());
            }
        }
    }
    Ok(out)
}

/// A head and the parts read for it, as one envelope (a part that cannot be read is
/// reported as a problem, its annotations missing; the reader is told).
pub fn assemble(mut head: StoredEnvelope, parts: impl IntoIterator<Item = Result<Part, (usize, DecodeError)>>) -> StoredEnvelope {
    for part in parts {
        match part {
            Ok(part) => {
                head.annotations.extend(part.annotations);
                head.unreadable.extend(part.unreadable);
                head.problems.extend(part.problems);
            }
            Err((n, error)) => head.problems.push(Problem { path: format!("parts[{n}]"), message: format!("this part could not be read ({error})") }),
        }
    }
    head.parts = 0;
    head
}

/// The stored annotations of document `id`, head and parts, from storage's pairs:
/// what the library lists and exports. `None` when there is no head.
pub fn read_stored(items: &[(&str, &str)], id: &str) -> Option<Result<StoredEnvelope, DecodeError>> {
    let value_of = |key: &str| items.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let head = value_of(&keys::annotations_key(id))?;
    Some(native::decode(head).map(|head| {
        let parts = head.parts;
        let read = |n: usize| match value_of(&keys::part_key(id, n)) {
            Some(raw) => decode_part(raw, id).map_err(|e| (n, e)),
            None => Err((n, DecodeError::Malformed { path: format!("parts[{n}]"), expected: "a stored part (it is missing)".into() })),
        };
        assemble(head, (0..parts).map(read))
    }))
}

/// For a document stored in parts, its annotations as one version-1 envelope (what the
/// library exports and merges); `None` when it is not split or cannot be read (its
/// stored value is then used as it is).
pub fn whole_envelope(items: &[(&str, &str)], id: &str) -> Option<String> {
    match read_stored(items, id)? {
        Ok(envelope) if envelope.read_version == native::SPLIT_VERSION => {
            Some(native::encode_info(&envelope.document, &envelope.annotations, &envelope.unreadable, &envelope.deleted))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Document, LabelSet};
    use crate::core::state::{Action, AppState};

    fn tagged(sentences: usize, every: usize) -> AppState {
        let text: String = (0..sentences).map(|i| format!("Sentence number {i} is here.\n")).collect();
        let doc = Rc::new(Document::new("big", &text));
        let mut state = AppState::new(doc, Rc::new(LabelSet::default()));
        for sentence in (0..sentences).step_by(every) {
            state = state.apply(Action::Toggle { sentence, label: "claim".into(), now_ms: 1_700_000_000_000 + sentence as u64 });
        }
        state
    }

    fn apply(store: &mut Vec<(String, String)>, writes: &Writes) {
        for (k, v) in &writes.set {
            store.retain(|(key, _)| key != k);
            store.push((k.clone(), v.clone()));
        }
        store.retain(|(k, _)| !writes.remove.contains(k));
    }

    fn plan(state: &AppState, last: &Written) -> (Writes, Written) {
        plan_save("test", &DocumentInfo::of(&state.doc), &state.by_sentence, &state.orphans, &[], &state.deleted, last)
    }

    fn stored(store: &[(String, String)]) -> Vec<String> {
        let items: Vec<(&str, &str)> = store.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let envelope = read_stored(&items, "big").unwrap().unwrap();
        assert!(envelope.problems.is_empty(), "{:?}", envelope.problems);
        let mut ids: Vec<String> = envelope.annotations.into_iter().map(|a| a.id).collect();
        ids.sort();
        ids
    }

    fn ids(state: &AppState) -> Vec<String> {
        let mut ids: Vec<String> = state.annotations().map(|a| a.id.clone()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_small_document_stays_one_version_1_envelope() {
        let state = tagged(30, 1);
        let (writes, written) = plan(&state, &Written::default());
        assert_eq!(written.parts(), 0);
        assert_eq!(writes.set.len(), 1);
        assert_eq!(native::decode(&writes.set[0].1).unwrap().read_version, 1);
    }

    #[test]
    fn a_large_document_is_split_and_one_tag_rewrites_one_part() {
        let state = tagged(2_400, 2);
        let mut store = Vec::new();
        let (writes, written) = plan(&state, &Written::default());
        let parts = 2_400usize.div_ceil(PART_SENTENCES);
        assert_eq!(written.parts(), parts);
        assert_eq!(writes.set.len(), parts + 1, "every part, then the head");
        assert_eq!(writes.set.last().map(|(k, _)| k.as_str()), Some("article-annotator/v1/big"));
        apply(&mut store, &writes);
        assert_eq!(stored(&store), ids(&state));

        let next = state.apply(Action::Toggle { sentence: 1_201, label: "quote".into(), now_ms: 1_800_000_000_000 });
        let (writes, written) = plan(&next, &written);
        // One part, and the head that names the save (so another writer sees it).
        assert_eq!(writes.set.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(), [keys::part_key("big", 1_201 / PART_SENTENCES), keys::annotations_key("big")]);
        let biggest = writes.set.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
        assert!(biggest < PART_SENTENCES * 250, "one part is small: {biggest} characters");
        apply(&mut store, &writes);
        assert_eq!(stored(&store), ids(&next));

        // Nothing changed: nothing written.
        let (writes, written) = plan(&next, &written);
        assert!(writes.set.is_empty() && writes.remove.is_empty());

        // A deletion rewrites its part and the head (its tombstone).
        let cleared = next.apply(Action::Clear { sentence: 0, now_ms: 0 });
        let (writes, _) = plan(&cleared, &written);
        assert_eq!(writes.set.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["article-annotator/part/0/big", "article-annotator/v1/big"]);
        apply(&mut store, &writes);
        assert_eq!(stored(&store), ids(&cleared));
        let head = native::decode(&store.iter().find(|(k, _)| k == "article-annotator/v1/big").unwrap().1).unwrap();
        assert_eq!(head.read_version, 2);
        assert_eq!(head.deleted.len(), 1);
    }

    #[test]
    fn a_document_that_shrinks_is_joined_again_and_its_parts_removed() {
        let state = tagged(2_400, 2);
        let mut store = Vec::new();
        let (writes, written) = plan(&state, &Written::default());
        apply(&mut store, &writes);
        let mut smaller = state.clone();
        for sentence in (0..2_400).step_by(2).skip(400) {
            smaller = smaller.apply(Action::Clear { sentence, now_ms: 0 });
        }
        assert_eq!(smaller.annotations().count(), 400);
        let (writes, written) = plan(&smaller, &written);
        assert_eq!(written.parts(), 0);
        assert_eq!(writes.remove.len(), 2_400usize.div_ceil(PART_SENTENCES));
        apply(&mut store, &writes);
        assert_eq!(store.len(), 1);
        assert_eq!(stored(&store), ids(&smaller));
    }

    #[test]
    fn parts_keep_every_field() {
        let mut state = tagged(2_400, 2);
        state = state.apply(Action::SetNote { sentence: 4, note: "Checked: \"wire\" copy".into(), now_ms: 1_900_000_000_000 });
        let (writes, _) = plan(&state, &Written::default());
        let mut store = Vec::new();
        apply(&mut store, &writes);
        let items: Vec<(&str, &str)> = store.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut back = read_stored(&items, "big").unwrap().unwrap().annotations;
        let mut original: Vec<Annotation> = state.annotations().cloned().collect();
        back.sort_by(|a, b| a.id.cmp(&b.id));
        original.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(back, original);
        assert!(back.iter().any(|a| a.note.is_some() && a.modified != a.created));
        let per = writes.set.iter().map(|(_, v)| v.len()).sum::<usize>() / state.annotations().count();
        // Version stamps (one per label, for the merge) cost about 50 of these characters.
        assert!(per < 250, "compact: {per} characters per annotation");
    }

    #[test]
    fn a_bad_or_missing_part_is_reported_and_the_rest_read() {
        let state = tagged(2_400, 2);
        let mut store = Vec::new();
        apply(&mut store, &plan(&state, &Written::default()).0);
        store.retain(|(k, _)| k != "article-annotator/part/1/big");
        if let Some((_, v)) = store.iter_mut().find(|(k, _)| k == "article-annotator/part/3/big") {
            v.truncate(10);
        }
        let items: Vec<(&str, &str)> = store.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let envelope = read_stored(&items, "big").unwrap().unwrap();
        assert_eq!(envelope.problems.len(), 2);
        assert_eq!(envelope.annotations.len(), state.annotations().count() - PART_SENTENCES, "two parts of every other sentence");
        assert!(matches!(decode_part("{\"format\":\"article-annotator-part\",\"version\":2,\"document\":\"other\",\"part\":0,\"annotations\":[]}", "big"), Err(DecodeError::Malformed { .. })));
        assert!(matches!(decode_part("{\"format\":\"article-annotator-part\",\"version\":3}", "big"), Err(DecodeError::NewerVersion { .. })));
    }
}
