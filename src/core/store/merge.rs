//! The one merge: how two copies of an annotation (from two tabs, a stale page, a
//! file, the library, a teammate) become one. Every place that meets another
//! writer's data calls [`join`]; nothing else decides which copy wins.
//!
//! An annotation is a set of registers, each with the [`Stamp`] of its last change:
//! every label (present or removed), the note, and a *floor* (a clear: everything at
//! or before it is gone). The join keeps, register by register, the later change,
//! then drops what the floor covers. That makes it commutative, associative and
//! idempotent, so replicas that have seen the same changes hold the same thing, in
//! whatever order and however often the changes arrived (`tests/model.rs` checks
//! this over random histories).
//!
//! Deletions are versions too: a deleted annotation is a [`Tombstone`] with its
//! registers, and it is never dropped (a dropped tombstone would let a stale copy
//! back in). It is compact instead: an id, a time and a few stamps.

use std::borrow::Cow;
use std::collections::HashMap;

use super::clock::Stamp;
use crate::core::model::{Annotation, Target, Tombstone, Tombstones, Versions};

/// One annotation id's state: alive with labels, or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// It has at least one label.
    Live(Annotation),
    /// It was deleted (or all its labels were removed).
    Dead(Tombstone),
}

impl Record {
    /// The annotation id.
    pub fn id(&self) -> &str {
        match self {
            Record::Live(a) => &a.id,
            Record::Dead(t) => &t.id,
        }
    }

    /// Its registers; for data from before version stamps, what its times imply.
    pub fn versions(&self) -> Cow<'_, Versions> {
        match self {
            Record::Live(a) => versions_of(a),
            Record::Dead(t) => tombstone_versions(t),
        }
    }

    fn note(&self) -> Option<&String> {
        match self {
            Record::Live(a) => a.note.as_ref(),
            Record::Dead(t) => t.note.as_ref(),
        }
    }

    fn when(&self) -> &str {
        match self {
            Record::Live(a) => &a.modified,
            Record::Dead(t) => &t.at,
        }
    }
}

/// An annotation's registers: its own, or, when it has none (written before stamps),
/// what its time says: exactly these labels and this note as of `modified` (a floor
/// at that millisecond, and every label and the note just after it).
pub fn versions_of(a: &Annotation) -> Cow<'_, Versions> {
    if !a.versions.is_empty() {
        return Cow::Borrowed(&a.versions);
    }
    let floor = Stamp::legacy(&a.modified);
    let stamp = Stamp { counter: 1, ..floor.clone() };
    Cow::Owned(Versions {
        floor: Some(floor),
        set: a.labels.iter().map(|l| (l.clone(), stamp.clone())).collect(),
        unset: Default::default(),
        note: a.note.as_ref().map(|_| stamp.clone()),
    })
}

fn tombstone_versions(t: &Tombstone) -> Cow<'_, Versions> {
    if t.versions.is_empty() {
        Cow::Owned(Versions { floor: Some(Stamp::legacy(&t.at)), ..Versions::default() })
    } else {
        Cow::Borrowed(&t.versions)
    }
}

/// The later of two register values: by stamp, then (for the same stamp, which only
/// data from before stamps can have) presence over absence.
fn later<'a>(a: Option<(&'a Stamp, bool)>, b: Option<(&'a Stamp, bool)>) -> Option<(&'a Stamp, bool)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y > x { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

fn label_entry<'a>(v: &'a Versions, label: &str) -> Option<(&'a Stamp, bool)> {
    v.set.get(label).map(|s| (s, true)).or_else(|| v.unset.get(label).map(|s| (s, false)))
}

/// A total order on targets. Copies of one annotation differ in target only when a
/// replica re-anchored it in another text (and every replica re-anchors on loading),
/// so any fixed choice will do; a fixed one keeps the merge associative.
fn target_key(t: &Target) -> (&str, &str, &str, usize, usize) {
    (&t.quote.exact, &t.quote.prefix, &t.quote.suffix, t.position.start, t.position.end)
}

/// The later of two RFC 3339 times, compared as times (then as text, for a total order).
fn later_time<'a>(a: &'a str, b: &'a str) -> &'a str {
    let key = |t: &'a str| (super::clock::parse_rfc3339(t), t);
    if key(b) > key(a) {
        b
    } else {
        a
    }
}

/// The merge of two copies of one annotation (same id). Labels come back in
/// alphabetical order; the caller puts them in its label set's order.
pub fn join(a: &Record, b: &Record) -> Record {
    let (va, vb) = (a.versions(), b.versions());
    let floor = va.floor.clone().max(vb.floor.clone());
    let above_floor = |s: &Stamp| floor.as_ref().is_none_or(|f| s > f);
    let mut merged = Versions { floor: floor.clone(), ..Versions::default() };
    let mut names: Vec<&String> = va.set.keys().chain(va.unset.keys()).chain(vb.set.keys()).chain(vb.unset.keys()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        if let Some((stamp, present)) = later(label_entry(&va, name), label_entry(&vb, name)) {
            if above_floor(stamp) {
                let side = if present { &mut merged.set } else { &mut merged.unset };
                side.insert(name.clone(), stamp.clone());
            }
        }
    }
    let note_a = va.note.as_ref().map(|s| (s, a.note()));
    let note_b = vb.note.as_ref().map(|s| (s, b.note()));
    let note = match (note_a, note_b) {
        (Some(x), Some(y)) => Some(if (y.0, y.1) > (x.0, x.1) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
    .filter(|(stamp, _)| above_floor(stamp));
    merged.note = note.map(|(s, _)| s.clone());
    let note = note.and_then(|(_, text)| text.cloned());
    let when = later_time(a.when(), b.when()).to_owned();
    let source = match (a, b) {
        (Record::Live(x), Record::Live(y)) => Some(if target_key(&y.target) > target_key(&x.target) { y } else { x }),
        (Record::Live(x), Record::Dead(_)) | (Record::Dead(_), Record::Live(x)) => Some(x),
        (Record::Dead(_), Record::Dead(_)) => None,
    };
    match source {
        Some(source) if !merged.set.is_empty() => Record::Live(Annotation {
            id: source.id.clone(),
            labels: merged.set.keys().cloned().collect(),
            note,
            target: source.target.clone(),
            created: earliest_created(a, b).unwrap_or_else(|| source.created.clone()),
            modified: when,
            versions: merged,
        }),
        _ => Record::Dead(Tombstone { id: a.id().to_owned(), at: when, versions: merged, note }),
    }
}

/// Merges another writer's annotations and tombstones into mine, id by id, for data
/// whose text is not at hand (the library merging a document that is not open). Mine
/// keep their order; new ones follow in theirs.
pub fn merge_lists(mine: (Vec<Annotation>, Tombstones), theirs: (Vec<Annotation>, Tombstones)) -> (Vec<Annotation>, Tombstones) {
    let (live, mut dead) = mine;
    let mut order: Vec<String> = live.iter().map(|a| a.id.clone()).collect();
    let mut records: HashMap<String, Record> = live.into_iter().map(|a| (a.id.clone(), Record::Live(a))).collect();
    for (id, t) in std::mem::take(&mut dead) {
        records.entry(id).or_insert(Record::Dead(t));
    }
    let (their_live, their_dead) = theirs;
    for incoming in their_live.into_iter().map(Record::Live).chain(their_dead.into_values().map(Record::Dead)) {
        let id = incoming.id().to_owned();
        let merged = match records.get(&id) {
            Some(known) => join(known, &incoming),
            None => {
                order.push(id.clone());
                join(&incoming, &incoming)
            }
        };
        records.insert(id, merged);
    }
    let mut annotations = Vec::new();
    for id in order {
        match records.remove(&id) {
            Some(Record::Live(a)) => annotations.push(a),
            Some(Record::Dead(t)) => {
                dead.insert(id, t);
            }
            None => {}
        }
    }
    for (id, record) in records {
        match record {
            Record::Live(a) => annotations.push(a),
            Record::Dead(t) => {
                dead.insert(id, t);
            }
        }
    }
    (annotations, dead)
}

/// The earlier creation time of two live copies, compared as times.
fn earliest_created(a: &Record, b: &Record) -> Option<String> {
    let created = |r: &Record| match r {
        Record::Live(x) => Some(x.created.clone()),
        Record::Dead(_) => None,
    };
    match (created(a), created(b)) {
        (Some(x), Some(y)) => {
            let key = |t: &String| (super::clock::parse_rfc3339(t), t.clone());
            Some(if key(&y) < key(&x) { y } else { x })
        }
        (x, y) => x.or(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{TextPosition, TextQuote};
    use proptest::prelude::*;

    fn stamp(millis: u64, replica: &str) -> Stamp {
        Stamp { millis, counter: 0, replica: replica.into() }
    }

    fn live(id: &str, labels: &[(&str, u64)], note: Option<(&str, u64)>) -> Record {
        let mut versions = Versions::default();
        for (l, at) in labels {
            versions.set.insert((*l).into(), stamp(*at, "r"));
        }
        versions.note = note.map(|(_, at)| stamp(at, "r"));
        Record::Live(Annotation {
            id: id.into(),
            labels: labels.iter().map(|(l, _)| (*l).into()).collect(),
            note: note.map(|(n, _)| n.into()),
            target: Target { quote: TextQuote { exact: "x".into(), prefix: String::new(), suffix: String::new() }, position: TextPosition { start: 0, end: 1 } },
            created: "2026-01-01T00:00:00.000Z".into(),
            modified: "2026-01-01T00:00:00.000Z".into(),
            versions,
        })
    }

    fn labels(r: &Record) -> Vec<String> {
        match r {
            Record::Live(a) => a.labels.clone(),
            Record::Dead(_) => Vec::new(),
        }
    }

    #[test]
    fn different_labels_from_two_writers_are_both_kept() {
        let merged = join(&live("a", &[("claim", 5)], None), &live("a", &[("quote", 6)], None));
        assert_eq!(labels(&merged), ["claim", "quote"]);
    }

    #[test]
    fn a_later_removal_wins_over_an_earlier_set_and_a_clear_covers_what_came_before() {
        let mut removed = live("a", &[("quote", 1)], None);
        if let Record::Live(a) = &mut removed {
            a.versions.unset.insert("claim".into(), stamp(9, "r"));
        }
        assert_eq!(labels(&join(&live("a", &[("claim", 5)], None), &removed)), ["quote"]);
        let cleared = Record::Dead(Tombstone { id: "a".into(), at: "2026-02-01T00:00:00.000Z".into(), versions: Versions { floor: Some(stamp(7, "r")), ..Versions::default() }, note: None });
        assert_eq!(join(&live("a", &[("claim", 5)], Some(("n", 5))), &cleared), cleared);
        assert_eq!(labels(&join(&live("a", &[("claim", 8)], None), &cleared)), ["claim"], "a tag after the clear survives it");
    }

    #[test]
    fn legacy_copies_are_ordered_by_their_times_not_their_strings() {
        let mut old = live("a", &[], None);
        let mut new = live("a", &[], None);
        if let (Record::Live(o), Record::Live(n)) = (&mut old, &mut new) {
            o.versions = Versions::default();
            n.versions = Versions::default();
            o.labels = vec!["claim".into()];
            n.labels = vec!["quote".into()];
            // As strings "…:00Z" > "…:00.500Z"; as times it is earlier.
            o.modified = "2026-12-01T10:00:00Z".into();
            n.modified = "2026-12-01T10:00:00.500Z".into();
        }
        let legacy_tomb = Record::Dead(Tombstone { id: "a".into(), at: "2026-12-01T12:00:00.200+02:00".into(), versions: Versions::default(), note: None });
        // The tombstone (10:00:00.200 UTC) covers the old copy, not the new one.
        assert_eq!(labels(&join(&old, &legacy_tomb)), Vec::<String>::new());
        let survivor = join(&join(&old, &legacy_tomb), &new);
        assert_eq!(labels(&survivor), ["quote"]);
    }

    fn arb_record() -> impl Strategy<Value = Record> {
        let label = prop::sample::select(vec!["claim", "quote", "position"]);
        let entry = (label, 0u64..6, prop::bool::ANY, prop::sample::select(vec!["a", "b"]));
        (
            prop::collection::vec(entry, 0..4),
            prop::option::of(0u64..6),
            prop::option::of((0u64..6, prop::option::of(prop::sample::select(vec!["n1", "n2"])))),
            0usize..3,
        )
            .prop_map(|(entries, floor, note, target)| {
                let mut v = Versions { floor: floor.map(|f| stamp(f, "a")), ..Versions::default() };
                for (l, at, present, r) in entries {
                    v.set.remove(l);
                    v.unset.remove(l);
                    let side = if present { &mut v.set } else { &mut v.unset };
                    side.insert(l.into(), stamp(at, r));
                }
                let (note_stamp, note_text) = note.map_or((None, None), |(at, t)| (Some(stamp(at, "b")), t.map(String::from)));
                v.note = note_stamp;
                // Normalise through a join with itself: what a replica would hold.
                let r = if v.set.is_empty() {
                    Record::Dead(Tombstone { id: "a".into(), at: format!("t{target}"), versions: v, note: note_text })
                } else {
                    let mut a = match live("a", &[], None) {
                        Record::Live(a) => a,
                        Record::Dead(_) => unreachable!(),
                    };
                    a.labels = v.set.keys().cloned().collect();
                    a.versions = v;
                    a.note = note_text;
                    a.target.position.start = target;
                    Record::Live(a)
                };
                join(&r, &r)
            })
    }

    /// A record without its target. A tombstone keeps no target (it would cost a quote
    /// per deletion), so when a deleted annotation comes back, its target is that of the
    /// copies still alive, and grouping can change which target that is. Replicas still
    /// agree once they have met: two live copies keep the same one, whatever the order.
    fn untargeted(r: Record) -> Record {
        match r {
            Record::Live(a) => Record::Live(Annotation { target: Target { quote: TextQuote { exact: String::new(), prefix: String::new(), suffix: String::new() }, position: TextPosition { start: 0, end: 0 } }, ..a }),
            dead => dead,
        }
    }

    proptest! {
        #[test]
        fn the_join_is_commutative_associative_and_idempotent(a in arb_record(), b in arb_record(), c in arb_record()) {
            prop_assert_eq!(join(&a, &b), join(&b, &a));
            prop_assert_eq!(untargeted(join(&join(&a, &b), &c)), untargeted(join(&a, &join(&b, &c))));
            let (x, y) = (join(&join(&a, &b), &c), join(&a, &join(&b, &c)));
            prop_assert_eq!(join(&x, &y), join(&y, &x), "once met, replicas hold the same target");
            prop_assert_eq!(join(&a, &a), a.clone());
            prop_assert_eq!(join(&join(&a, &b), &b), join(&a, &b));
        }
    }
}
