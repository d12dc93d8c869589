//! The adjudicator's review marks: which sentences of a gold set have been reviewed.
//!
//! A mark is a last-writer-wins register per sentence (keyed by the sentence's id, made
//! from its quote and context like a new annotation's id, so a mark names the same
//! sentence in every copy of the text), stamped with the time it was set. Two tabs, or
//! a file and storage, merge by keeping the later stamp per sentence; on a tie,
//! "reviewed" wins. Saving reads what is stored and merges before writing, like the
//! annotations' save, so a mark set elsewhere is never written over.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::keys::reviewed_key;
use super::kv::{KeyValue, KvError};

const FORMAT: &str = "article-annotator-reviewed";

/// One sentence's mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// Whether the sentence is reviewed.
    pub reviewed: bool,
    /// When it was set (milliseconds since 1970).
    pub at: u64,
}

/// Every sentence's mark, by sentence id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks(pub BTreeMap<String, Mark>);

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    version: u64,
    marks: BTreeMap<String, Mark>,
}

impl Marks {
    /// Whether sentence `id` is marked reviewed.
    pub fn is_reviewed(&self, id: &str) -> bool {
        self.0.get(id).is_some_and(|m| m.reviewed)
    }

    /// Sets the mark of `id` at `at` (never earlier than its current stamp).
    pub fn set(&mut self, id: &str, reviewed: bool, at: u64) {
        let at = self.0.get(id).map_or(at, |m| at.max(m.at + 1));
        self.0.insert(id.to_owned(), Mark { reviewed, at });
    }

    /// The join with `other`: the later mark per sentence, "reviewed" on a tie.
    pub fn merge(&mut self, other: &Marks) {
        for (id, theirs) in &other.0 {
            let keep = self.0.get(id).is_some_and(|mine| (mine.at, mine.reviewed) >= (theirs.at, theirs.reviewed));
            if !keep {
                self.0.insert(id.clone(), *theirs);
            }
        }
    }

    /// The stored form.
    pub fn encode(&self) -> String {
        let stored = Stored { format: FORMAT.into(), version: 1, marks: self.0.clone() };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// Reads the stored form; `None` when it is not one (left alone, never written over).
    pub fn decode(raw: &str) -> Option<Marks> {
        let stored: Stored = serde_json::from_str(raw).ok()?;
        (stored.format == FORMAT && stored.version == 1).then_some(Marks(stored.marks))
    }
}

/// Why the marks could not be read or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewError {
    /// Storage failed.
    Storage(KvError),
    /// The stored value is not review marks (another program's, or damaged): it is left as it is.
    Unreadable,
}

/// The marks stored for gold set `gold_id` (none stored: empty).
pub fn load(kv: &impl KeyValue, gold_id: &str) -> Result<Marks, ReviewError> {
    match kv.get(&reviewed_key(gold_id)).map_err(ReviewError::Storage)? {
        None => Ok(Marks::default()),
        Some(raw) => Marks::decode(&raw).ok_or(ReviewError::Unreadable),
    }
}

/// Saves `marks` merged with what is stored; returns what is now stored.
pub fn save(kv: &mut impl KeyValue, gold_id: &str, marks: &Marks) -> Result<Marks, ReviewError> {
    let mut merged = load(kv, gold_id)?;
    merged.merge(marks);
    kv.set(&reviewed_key(gold_id), &merged.encode()).map_err(ReviewError::Storage)?;
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::kv::Memory;

    fn marks(list: &[(&str, bool, u64)]) -> Marks {
        Marks(list.iter().map(|&(id, reviewed, at)| (id.to_owned(), Mark { reviewed, at })).collect())
    }

    #[test]
    fn merge_keeps_the_later_mark_and_is_a_join() {
        let a = marks(&[("s1", true, 5), ("s2", false, 9)]);
        let b = marks(&[("s1", false, 7), ("s2", true, 9), ("s3", true, 1)]);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, ba, "commutative");
        assert_eq!(ab, marks(&[("s1", false, 7), ("s2", true, 9), ("s3", true, 1)]));
        let mut again = ab.clone();
        again.merge(&ab);
        assert_eq!(again, ab, "idempotent");
    }

    #[test]
    fn set_never_goes_back_in_time() {
        let mut m = marks(&[("s1", true, 50)]);
        m.set("s1", false, 10);
        assert_eq!(m.0["s1"], Mark { reviewed: false, at: 51 });
        assert!(!m.is_reviewed("s1") && !m.is_reviewed("nope"));
    }

    #[test]
    fn save_merges_with_another_writer_and_leaves_foreign_data_alone() {
        let mut kv = Memory::default();
        let theirs = marks(&[("s1", true, 3)]);
        assert_eq!(save(&mut kv, "g", &theirs), Ok(theirs.clone()));
        let mine = marks(&[("s2", true, 4)]);
        let stored = save(&mut kv, "g", &mine).unwrap_or_default();
        assert!(stored.is_reviewed("s1") && stored.is_reviewed("s2"));
        assert_eq!(load(&kv, "g"), Ok(stored));
        kv.items.insert(reviewed_key("h"), "{not ours".into());
        assert_eq!(save(&mut kv, "h", &mine), Err(ReviewError::Unreadable));
        assert_eq!(kv.items[&reviewed_key("h")], "{not ours");
        let mut full = Memory { quota: Some(10), ..Memory::default() };
        assert_eq!(save(&mut full, "g", &mine), Err(ReviewError::Storage(KvError::Full)));
    }
}
