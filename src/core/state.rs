//! The widget's state and the pure reducer that changes it.
//!
//! Every change a reader makes is an [`Action`]; [`AppState::apply`] returns the
//! next state and never touches the browser. Saving is an effect at the UI root
//! that watches [`AppState::revision`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::anchor::fuzzy::context_agrees;
use super::anchor::{target_for, targets_for, Anchorer, Placement};
use super::model::{Annotation, Document, LabelSet, Target, TextPosition, Tombstone, Tombstones, Versions};
use super::store::clock::{Clock, Stamp};
use super::store::merge::{self, Record};
use super::time::rfc3339_from_millis;

/// What a reader (or the host, or storage) asks the widget to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Toggles one label on a sentence.
    Toggle { sentence: usize, label: String, now_ms: u64 },
    /// Gives a sentence exactly these labels (labels not on offer are left out; none:
    /// cleared), as one undoable change (adjudication accepts or joins a set at once).
    SetLabels { sentence: usize, labels: Vec<String>, now_ms: u64 },
    /// Removes every label from a sentence.
    Clear { sentence: usize, now_ms: u64 },
    /// Moves the focus to a sentence.
    Focus(usize),
    /// Moves the focus by `n` sentences (negative: backwards), clamped.
    Move(isize),
    /// Opens the label picker on a sentence (and focuses it).
    OpenPicker(usize),
    /// Closes the label picker.
    ClosePicker,
    /// Undoes the last change to the annotations (as a new change: see `store::merge`).
    Undo { now_ms: u64 },
    /// Redoes the last undone change (as a new change).
    Redo { now_ms: u64 },
    /// Replaces every annotation with stored ones, anchoring each in the current text
    /// (loading: clears the undo history).
    Restore(Vec<Annotation>),
    /// Brings in annotations from a file, anchoring each; undoable as one step.
    Import { annotations: Vec<Annotation>, mode: ImportMode, now_ms: u64 },
    /// Deletes an orphaned annotation (only the reader does this); undoable.
    RemoveOrphan { id: String, now_ms: u64 },
    /// Moves the focus to the next untagged sentence after the focused one (wrapping).
    NextUntagged,
    /// Opens the note editor on a sentence (and focuses it).
    OpenNote(usize),
    /// Sets (or, when empty, removes) the note of a tagged sentence; undoable.
    SetNote { sentence: usize, note: String, now_ms: u64 },
    /// Shows or hides the help overlay.
    ToggleHelp,
    /// Closes what is open, the topmost first: help, then the note editor, then the picker.
    CloseOverlay,
    /// Shows only the sentences that match (the others are dimmed and left out of the summary).
    SetFilter(Filter),
    /// Merges what another writer saved (a tab, a file, the library, a teammate), with
    /// the one merge of `store::merge`: nothing either side made is lost unless a later
    /// change replaced it.
    /// Stored items it could not read come along, kept as they are.
    MergeStored { annotations: Vec<Annotation>, deleted: Vec<Tombstone>, unreadable: Vec<Value> },
}


/// Which sentences the summary lists and the article shows at full strength.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every tagged sentence (nothing is dimmed).
    #[default]
    Tagged,
    /// Sentences carrying this label.
    Label(String),
    /// Sentences with no label.
    Untagged,
}

impl Filter {
    /// Whether a sentence with these labels (`None`: untagged) passes.
    pub fn accepts(&self, labels: Option<&[String]>) -> bool {
        match self {
            Filter::Tagged => labels.is_some(),
            Filter::Label(name) => labels.is_some_and(|l| l.iter().any(|n| n == name)),
            Filter::Untagged => labels.is_none(),
        }
    }
}

/// Longest note kept, in code points: a rationale or a source URL, not an essay.
pub const NOTE_LIMIT: usize = 2000;

/// How imported annotations meet the ones already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Keep mine; imported labels join mine on the same sentence.
    Merge,
    /// Drop mine (undoable) and keep only the imported ones.
    Replace,
}

/// One reversible change: of one sentence's annotation, or of all of them at once.
#[derive(Debug, Clone, PartialEq)]
enum Edit {
    Sentence { sentence: usize, before: Option<Rc<Annotation>>, after: Option<Rc<Annotation>> },
    All { before: Snapshot, after: Snapshot },
}

/// Every annotation, placed and orphaned: cheap to copy (pointers only).
#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    by_sentence: Rc<Vec<Option<Rc<Annotation>>>>,
    orphans: Vec<Rc<Annotation>>,
}

/// Most changes kept for undo; older ones are forgotten, never the annotations themselves.
const HISTORY_LIMIT: usize = 500;

/// Everything the widget shows, as plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The article.
    pub doc: Rc<Document>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The annotation on each sentence, by sentence index.
    /// Shared: copying the state (every action does) copies one pointer, not a list.
    pub by_sentence: Rc<Vec<Option<Rc<Annotation>>>>,
    /// Annotations that could not be placed in this text: kept, saved and exported.
    pub orphans: Vec<Rc<Annotation>>,
    /// The sentence that holds the keyboard focus (the roving tab stop).
    pub focus: usize,
    /// The sentence whose label picker is open.
    pub picker: Option<usize>,
    /// The sentence whose note editor is open.
    pub note_editor: Option<usize>,
    /// Whether the help overlay is open.
    pub help: bool,
    /// What the summary lists.
    pub filter: Filter,
    /// Annotations deleted, by id (saved with the live ones, for merging with other writers).
    pub deleted: Rc<Tombstones>,
    /// Stored items this version cannot read, kept verbatim: saved and exported with
    /// the annotations, so that nothing is lost.
    pub unreadable: Rc<Vec<Value>>,
    /// Bumped on every change to the annotations, so that effects know when to save.
    pub revision: u64,
    /// The sentence the reader changed last (for the screen-reader announcement).
    pub last_changed: Option<usize>,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    clock: Clock,
}

impl AppState {
    /// A state with no annotations.
    pub fn new(doc: Rc<Document>, labels: Rc<LabelSet>) -> Self {
        let count = doc.sentences().len();
        Self {
            doc,
            labels,
            by_sentence: Rc::new(vec![None; count]),
            orphans: Vec::new(),
            focus: 0,
            picker: None,
            note_editor: None,
            help: false,
            filter: Filter::default(),
            deleted: Rc::default(),
            unreadable: Rc::default(),
            revision: 0,
            last_changed: None,
            undo: Vec::new(),
            redo: Vec::new(),
            clock: Clock::default(),
        }
    }

    /// Starts with the tombstones storage held, so a merge knows what was deleted here.
    pub fn with_deleted(mut self, deleted: impl IntoIterator<Item = Tombstone>) -> Self {
        let map = Rc::make_mut(&mut self.deleted);
        for tomb in deleted {
            for stamp in merge::Record::Dead(tomb.clone()).versions().stamps() {
                self.clock.observe(stamp);
            }
            map.insert(tomb.id.clone(), tomb);
        }
        self
    }

    /// Starts with the stored items that could not be read (kept, saved and exported).
    pub fn with_unreadable(mut self, unreadable: Vec<Value>) -> Self {
        self.unreadable = Rc::new(unreadable);
        self
    }

    /// Adds unreadable items another writer kept, unless they are here already.
    fn keep_unreadable(&mut self, incoming: Vec<Value>) {
        let new: Vec<Value> = incoming.into_iter().filter(|v| !self.unreadable.contains(v)).collect();
        if !new.is_empty() {
            Rc::make_mut(&mut self.unreadable).extend(new);
            self.revision += 1;
        }
    }

    /// Sets the replica tag (random, from the shell) this state stamps its changes with:
    /// it orders this tab's changes against every other writer's (`store::clock`).
    pub fn with_session(mut self, tag: impl Into<String>) -> Self {
        self.clock = self.clock.for_replica(tag);
        self
    }

    /// The replica tag this state stamps its changes with.
    pub fn replica(&self) -> &str {
        self.clock.replica()
    }

    /// Every record, live and deleted, by id: what this replica knows (and saves).
    pub fn records(&self) -> BTreeMap<&str, merge::Record> {
        let live = self.annotations().map(|a| (a.id.as_str(), merge::Record::Live(a.clone())));
        let dead = self.deleted.values().map(|t| (t.id.as_str(), merge::Record::Dead(t.clone())));
        dead.chain(live).collect()
    }

    /// The labels on a sentence, empty when it has none.
    pub fn labels_of(&self, sentence: usize) -> Option<&[String]> {
        self.by_sentence.get(sentence).and_then(Option::as_ref).map(|a| a.labels.as_slice())
    }

    /// Every annotation, placed ones in sentence order, then the orphans.
    pub fn annotations(&self) -> impl Iterator<Item = &Annotation> {
        self.by_sentence.iter().flatten().chain(self.orphans.iter()).map(Rc::as_ref)
    }

    /// Every annotation with whether it is placed: what the W3C export lists (an orphan
    /// keeps only its quote there, its position referring to an older text).
    pub fn annotations_placed(&self) -> impl Iterator<Item = (&Annotation, bool)> {
        let placed = self.by_sentence.iter().flatten().map(|a| (a.as_ref(), true));
        placed.chain(self.orphans.iter().map(|a| (a.as_ref(), false)))
    }

    /// How many sentences carry `label`.
    pub fn count(&self, label: &str) -> usize {
        self.by_sentence.iter().flatten().filter(|a| a.labels.iter().any(|l| l == label)).count()
    }

    /// How many sentences carry any label.
    pub fn tagged(&self) -> usize {
        self.by_sentence.iter().flatten().count()
    }

    /// Whether there is something to undo / redo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The next state after `action`. Out-of-range sentences and unknown labels change nothing.
    pub fn apply(&self, action: Action) -> Self {
        let mut next = self.clone();
        match action {
            Action::Toggle { sentence, label, now_ms } => next.toggle(sentence, &label, now_ms),
            Action::SetLabels { sentence, labels, now_ms } => next.set_labels(sentence, labels, now_ms),
            Action::Clear { sentence, now_ms } => {
                if next.by_sentence.get(sentence).is_some_and(Option::is_some) {
                    next.edit_sentence(sentence, None, now_ms);
                }
            }
            Action::Focus(sentence) => next.focus_on(sentence),
            Action::Move(delta) => {
                let target = next.focus.saturating_add_signed(delta);
                next.focus_on(target.min(next.by_sentence.len().saturating_sub(1)));
            }
            Action::OpenPicker(sentence) => {
                if sentence < next.by_sentence.len() {
                    next.focus = sentence;
                    next.picker = Some(sentence);
                }
            }
            Action::ClosePicker => next.picker = None,
            Action::NextUntagged => {
                let n = next.by_sentence.len();
                let after = (1..=n).map(|step| (next.focus + step) % n.max(1));
                if let Some(sentence) = after.into_iter().find(|&i| next.by_sentence.get(i).is_some_and(Option::is_none)) {
                    next.focus_on(sentence);
                }
            }
            Action::OpenNote(sentence) => {
                if sentence < next.by_sentence.len() {
                    next.focus = sentence;
                    next.picker = None;
                    next.note_editor = Some(sentence);
                }
            }
            Action::SetNote { sentence, note, now_ms } => next.set_note(sentence, &note, now_ms),
            Action::ToggleHelp => next.help = !next.help,
            Action::CloseOverlay => {
                if next.help {
                    next.help = false;
                } else if next.note_editor.is_some() {
                    next.note_editor = None;
                } else {
                    next.picker = None;
                }
            }
            Action::SetFilter(filter) => next.filter = filter,
            Action::MergeStored { annotations, deleted, unreadable } => {
                next.merge_stored(annotations, deleted);
                next.keep_unreadable(unreadable);
            }
            Action::Undo { now_ms } => next.step_history(true, now_ms),
            Action::Redo { now_ms } => next.step_history(false, now_ms),
            Action::Restore(annotations) => next.restore(annotations),
            Action::Import { annotations, mode, now_ms } => next.import(annotations, mode, now_ms),
            Action::RemoveOrphan { id, now_ms } => {
                if let Some(gone) = next.orphans.iter().find(|a| a.id == id).cloned() {
                    let before = next.snapshot();
                    let stamp = next.clock.tick(now_ms);
                    next.bury(rewrite(Some(&Record::Live(Annotation::clone(&gone))), None, &gone, &stamp, &rfc3339_from_millis(now_ms)));
                    next.orphans.retain(|a| a.id != id);
                    next.commit_all(before);
                }
            }
        }
        next
    }

    /// Whether anything the widget shows differs from `other` (cheaper than `==`,
    /// which would compare every annotation and the undo history).
    pub fn differs_from(&self, other: &AppState) -> bool {
        self.revision != other.revision
            || self.focus != other.focus
            || self.picker != other.picker
            || self.note_editor != other.note_editor
            || self.help != other.help
            || self.filter != other.filter
    }

    /// Whether sentence `index` passes the filter.
    pub fn matches(&self, index: usize) -> bool {
        self.filter.accepts(self.labels_of(index))
    }

    fn set_note(&mut self, sentence: usize, note: &str, now_ms: u64) {
        let Some(Some(current)) = self.by_sentence.get(sentence) else { return };
        let note: String = note.trim().chars().take(NOTE_LIMIT).collect();
        let note = (!note.is_empty()).then_some(note);
        self.note_editor = None;
        if current.note != note {
            let labels = current.labels.clone();
            self.edit_sentence(sentence, Some((labels, note)), now_ms);
        }
    }

    fn focus_on(&mut self, sentence: usize) {
        if sentence < self.by_sentence.len() {
            if self.picker.is_some_and(|p| p != sentence) {
                self.picker = None;
            }
            if self.note_editor.is_some_and(|p| p != sentence) {
                self.note_editor = None;
            }
            self.focus = sentence;
        }
    }

    fn toggle(&mut self, sentence: usize, label: &str, now_ms: u64) {
        if sentence >= self.by_sentence.len() || !self.labels.contains(label) {
            return;
        }
        let (mut labels, note) = match &self.by_sentence[sentence] {
            Some(current) => (current.labels.clone(), current.note.clone()),
            None => (Vec::new(), None),
        };
        if labels.iter().any(|l| l == label) {
            labels.retain(|l| l != label);
        } else {
            labels.push(label.to_owned());
        }
        let want = (!labels.is_empty()).then_some((labels, note));
        self.edit_sentence(sentence, want, now_ms);
    }

    fn set_labels(&mut self, sentence: usize, mut labels: Vec<String>, now_ms: u64) {
        let Some(current) = self.by_sentence.get(sentence) else { return };
        labels.retain(|l| self.labels.contains(l));
        self.labels.sort(&mut labels);
        let (mut had, note) = current.as_ref().map_or((Vec::new(), None), |a| (a.labels.clone(), a.note.clone()));
        self.labels.sort(&mut had);
        if had == labels {
            return;
        }
        let want = (!labels.is_empty()).then_some((labels, note));
        self.edit_sentence(sentence, want, now_ms);
    }

    /// One change by this reader to one sentence: its labels and note become `want`
    /// (`None`: deleted), as a new version stamped now; undoable.
    fn edit_sentence(&mut self, sentence: usize, want: Option<(Vec<String>, Option<String>)>, now_ms: u64) {
        let stamp = self.clock.tick(now_ms);
        let now = rfc3339_from_millis(now_ms);
        let before = self.by_sentence[sentence].clone();
        let after = self.rewrite_sentence(sentence, want.as_ref().map(|(l, n)| (l.as_slice(), n.as_ref())), &stamp, &now);
        self.remember(Edit::Sentence { sentence, before, after });
        self.focus = sentence;
        self.last_changed = Some(sentence);
    }

    /// Rewrites the record on `sentence` (or makes one) to hold `want`, at `stamp`;
    /// returns what the sentence now holds.
    fn rewrite_sentence(&mut self, sentence: usize, want: Option<(&[String], Option<&String>)>, stamp: &Stamp, now: &str) -> Option<Rc<Annotation>> {
        let current = self.by_sentence[sentence].clone();
        let record = match &current {
            Some(a) => rewrite(Some(&Record::Live(Annotation::clone(a))), want, a, stamp, now),
            None => {
                let Some(want) = want else { return None };
                let template = self.new_annotation(sentence, now);
                let known = self.deleted.get(&template.id).cloned().map(Record::Dead);
                rewrite(known.as_ref(), Some(want), &template, stamp, now)
            }
        };
        let placed = self.put(record);
        Rc::make_mut(&mut self.by_sentence)[sentence] = placed.clone();
        placed
    }

    /// A blank annotation for a sentence, with the id every replica gives it: made from
    /// the sentence's quote, so two tabs tagging the same sentence edit one annotation.
    fn new_annotation(&self, sentence: usize, now: &str) -> Annotation {
        let target = target_for(&self.doc, &self.doc.sentences()[sentence]);
        let base = crate::core::anchor::sentence_id(&target);
        let mut id = base.clone();
        // An orphan of an older text can hold the id; this annotation then gets its own.
        let mut n = 1;
        while self.orphans.iter().any(|a| a.id == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        Annotation { id, labels: Vec::new(), note: None, target, created: now.to_owned(), modified: now.to_owned(), versions: Versions::default() }
    }

    /// Files a record: a live one comes back (labels in label-set order) for the caller
    /// to place; a deleted one goes to the tombstones.
    fn put(&mut self, record: Record) -> Option<Rc<Annotation>> {
        match record {
            Record::Live(mut a) => {
                if let Some(map) = (self.deleted.contains_key(&a.id)).then(|| Rc::make_mut(&mut self.deleted)) {
                    map.remove(&a.id);
                }
                self.labels.sort(&mut a.labels);
                Some(Rc::new(a))
            }
            dead @ Record::Dead(_) => {
                self.bury(dead);
                None
            }
        }
    }

    fn bury(&mut self, record: Record) {
        if let Record::Dead(t) = record {
            Rc::make_mut(&mut self.deleted).insert(t.id.clone(), t);
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot { by_sentence: self.by_sentence.clone(), orphans: self.orphans.clone() }
    }

    /// Records a change of many annotations, made since `before` was taken.
    fn commit_all(&mut self, before: Snapshot) {
        let after = self.snapshot();
        self.remember(Edit::All { before, after });
        self.last_changed = None;
    }

    fn remember(&mut self, edit: Edit) {
        self.undo.push(edit);
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
    }

    /// Undo and redo bring back what an earlier state held, as a new change: a tag
    /// restored by undo is newer than its deletion, everywhere the two meet.
    fn step_history(&mut self, undo: bool, now_ms: u64) {
        let popped = if undo { self.undo.pop() } else { self.redo.pop() };
        let Some(edit) = popped else { return };
        let stamp = self.clock.tick(now_ms);
        let now = rfc3339_from_millis(now_ms);
        let edit = match edit {
            Edit::Sentence { sentence, before, after } => {
                let want = if undo { &before } else { &after };
                let want = want.as_ref().map(|a| (a.labels.clone(), a.note.clone()));
                let now_there = self.rewrite_sentence(sentence, want.as_ref().map(|(l, n)| (l.as_slice(), n.as_ref())), &stamp, &now);
                self.focus = sentence;
                self.last_changed = Some(sentence);
                // The history keeps what the sentence holds now, so the next step starts from it.
                if undo {
                    Edit::Sentence { sentence, before: now_there, after }
                } else {
                    Edit::Sentence { sentence, before, after: now_there }
                }
            }
            Edit::All { before, after } => {
                let (from, to) = if undo { (&after, &before) } else { (&before, &after) };
                let reached = self.rewrite_all(from, to, &stamp, &now);
                self.last_changed = None;
                if undo {
                    Edit::All { before: reached, after }
                } else {
                    Edit::All { before, after: reached }
                }
            }
        };
        if undo {
            self.redo.push(edit);
        } else {
            self.undo.push(edit);
        }
        self.revision += 1;
    }

    /// Brings every annotation from what `from` held to what `to` held, each changed one
    /// as a new version; returns the snapshot reached.
    fn rewrite_all(&mut self, from: &Snapshot, to: &Snapshot, stamp: &Stamp, now: &str) -> Snapshot {
        let wanted: HashMap<&str, &Annotation> = to.by_sentence.iter().flatten().chain(&to.orphans).map(|a| (a.id.as_str(), a.as_ref())).collect();
        let current: HashMap<String, Rc<Annotation>> = self.by_sentence.iter().flatten().chain(&self.orphans).map(|a| (a.id.clone(), Rc::clone(a))).collect();
        let rewritten = |this: &mut Self, target: &Annotation| -> Option<Rc<Annotation>> {
            let known = current.get(&target.id).map(|a| Record::Live(Annotation::clone(a))).or_else(|| this.deleted.get(&target.id).cloned().map(Record::Dead));
            if let Some(Record::Live(a)) = &known {
                if a.labels == target.labels && a.note == target.note {
                    return current.get(&target.id).cloned();
                }
            }
            this.put(rewrite(known.as_ref(), Some((&target.labels, target.note.as_ref())), target, stamp, now))
        };
        let slots: Vec<Option<Rc<Annotation>>> = to.by_sentence.iter().map(|slot| slot.as_ref().and_then(|a| rewritten(self, a))).collect();
        let orphans: Vec<Rc<Annotation>> = to.orphans.iter().filter_map(|a| rewritten(self, a)).collect();
        for gone in from.by_sentence.iter().flatten().chain(&from.orphans).chain(current.values()) {
            if !wanted.contains_key(gone.id.as_str()) && !self.deleted.contains_key(&gone.id) {
                let known = Record::Live(Annotation::clone(gone));
                self.bury(rewrite(Some(&known), None, gone, stamp, now));
            }
        }
        self.by_sentence = Rc::new(slots);
        self.orphans = orphans;
        self.snapshot()
    }

    /// Anchors annotations arriving from storage, a file or another tab, all at once (so
    /// they compete fairly for sentences), puts their labels in order, and keeps those
    /// that land nowhere as orphans. The placed ones come back for the caller to put down.
    fn anchor_incoming(&mut self, incoming: Vec<Annotation>) -> Vec<(Annotation, Placement)> {
        let placements = {
            let targets: Vec<&Target> = incoming.iter().map(|a| &a.target).collect();
            Anchorer::new(&self.doc).anchor_all(&targets)
        };
        let mut placed = Vec::new();
        for (mut annotation, placement) in incoming.into_iter().zip(placements) {
            self.labels.sort(&mut annotation.labels);
            match placement {
                Placement::Orphan => self.orphans.push(Rc::new(annotation)),
                _ => placed.push((annotation, placement)),
            }
        }
        placed
    }

    fn observe(&mut self, record: &Record) {
        for stamp in record.versions().stamps() {
            self.clock.observe(stamp);
        }
    }

    fn restore(&mut self, annotations: Vec<Annotation>) {
        self.by_sentence = Rc::new(vec![None; self.doc.sentences().len()]);
        self.orphans.clear();
        self.last_changed = None;
        self.undo.clear();
        self.redo.clear();
        for annotation in &annotations {
            self.observe(&Record::Live(annotation.clone()));
        }
        self.place_all(annotations);
        self.revision += 1;
    }

    /// Places annotations on their sentences (see [`AppState::place`]).
    fn place_all(&mut self, annotations: Vec<Annotation>) {
        for (annotation, placement) in self.anchor_incoming(annotations) {
            match placement {
                Placement::Exact(sentence) => self.place(sentence, annotation, false),
                Placement::Moved(sentence) | Placement::Fuzzy(sentence) => self.place(sentence, annotation, true),
                Placement::Orphan => {}
            }
        }
    }

    /// Meets another writer's records with the one merge. Records keep their place;
    /// one that comes alive is anchored; one that dies leaves its sentence.
    fn merge_stored(&mut self, stored: Vec<Annotation>, deleted: Vec<Tombstone>) {
        enum At {
            Slot(usize),
            Orphan(usize),
        }
        let before = self.snapshot();
        let mut at: HashMap<String, At> = HashMap::new();
        for (i, slot) in self.by_sentence.iter().enumerate() {
            if let Some(a) = slot {
                at.insert(a.id.clone(), At::Slot(i));
            }
        }
        for (i, a) in self.orphans.iter().enumerate() {
            at.insert(a.id.clone(), At::Orphan(i));
        }
        let mut gone_orphans = Vec::new();
        let mut to_place = Vec::new();
        for theirs in stored.into_iter().map(Record::Live).chain(deleted.into_iter().map(Record::Dead)) {
            self.observe(&theirs);
            let id = theirs.id().to_owned();
            let mine = match at.get(&id) {
                Some(At::Slot(i)) => self.by_sentence[*i].as_ref().map(|a| Record::Live(Annotation::clone(a))),
                Some(At::Orphan(i)) => self.orphans.get(*i).map(|a| Record::Live(Annotation::clone(a))),
                None => self.deleted.get(&id).cloned().map(Record::Dead),
            };
            let mut merged = match &mine {
                Some(mine) => merge::join(mine, &theirs),
                None => merge::join(&theirs, &theirs),
            };
            if let Record::Live(a) = &mut merged {
                self.labels.sort(&mut a.labels);
            }
            if mine.as_ref() == Some(&merged) {
                continue;
            }
            match (at.get(&id), self.put(merged)) {
                (Some(At::Slot(i)), now) => Rc::make_mut(&mut self.by_sentence)[*i] = now,
                (Some(At::Orphan(i)), Some(now)) => self.orphans[*i] = now,
                (Some(At::Orphan(i)), None) => gone_orphans.push(*i),
                (None, Some(now)) => to_place.push(Annotation::clone(&now)),
                (None, None) => {}
            }
        }
        let mut index = 0;
        self.orphans.retain(|_| {
            index += 1;
            !gone_orphans.contains(&(index - 1))
        });
        self.place_all(to_place);
        if self.snapshot() != before {
            // Another writer's changes arrived: the local undo history no longer describes this state.
            self.undo.clear();
            self.redo.clear();
            self.last_changed = None;
            self.revision += 1;
        }
    }

    /// An import is this reader's change, stamped now: merged in, imported labels join
    /// those of the same annotation or the same sentence; replacing, what the file lacks
    /// is deleted.
    fn import(&mut self, annotations: Vec<Annotation>, mode: ImportMode, now_ms: u64) {
        let before = self.snapshot();
        let stamp = self.clock.tick(now_ms);
        let now = rfc3339_from_millis(now_ms);
        let live: HashMap<String, Rc<Annotation>> = self.annotations_rc().map(|a| (a.id.clone(), a)).collect();
        let mut incoming = Vec::new();
        match mode {
            ImportMode::Replace => {
                let kept: HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
                for mine in live.values().filter(|a| !kept.contains(a.id.as_str())) {
                    self.bury(rewrite(Some(&Record::Live(Annotation::clone(mine))), None, mine, &stamp, &now));
                }
                self.by_sentence = Rc::new(vec![None; self.doc.sentences().len()]);
                self.orphans.clear();
                incoming = annotations;
            }
            ImportMode::Merge => {
                for theirs in annotations {
                    // The same annotation is here: the file's labels join it where it is.
                    let Some(mine) = live.get(&theirs.id) else {
                        incoming.push(theirs);
                        continue;
                    };
                    let (labels, note) = joined(mine, &theirs);
                    if labels != mine.labels || note != mine.note {
                        let now_there = self.put(rewrite(Some(&Record::Live(Annotation::clone(mine))), Some((&labels, note.as_ref())), mine, &stamp, &now));
                        self.replace_live(&mine.id, now_there);
                    }
                }
            }
        }
        // Each imported annotation as a new version of its id (which may be known here).
        let stamp_one = |this: &mut Self, a: &Annotation| -> Option<Rc<Annotation>> {
            let known = live.get(&a.id).map(|m| Record::Live(Annotation::clone(m))).or_else(|| this.deleted.get(&a.id).cloned().map(Record::Dead));
            this.put(rewrite(known.as_ref(), Some((&a.labels, a.note.as_ref())), a, &stamp, &now))
        };
        let orphans_before = self.orphans.len();
        let placed = self.anchor_incoming(incoming);
        for orphan in self.orphans.split_off(orphans_before) {
            if let Some(a) = stamp_one(self, &orphan) {
                self.orphans.push(a);
            }
        }
        // Each placed annotation gets a target from the current text, all found in one pass.
        // Their old quotes go first: for a whole article's tags they are megabytes, and the
        // widget's memory, once grown, stays grown.
        let placed: Vec<(Annotation, usize)> = placed
            .into_iter()
            .filter_map(|(mut a, p)| {
                let sentence = p.sentence()?;
                let quote = &mut a.target.quote;
                (quote.exact, quote.prefix, quote.suffix) = (String::new(), String::new(), String::new());
                Some((a, sentence))
            })
            .collect();
        let (doc, sentences) = (self.doc.clone(), placed.iter().map(|(_, s)| *s).collect::<Vec<_>>());
        for ((mut annotation, sentence), target) in placed.into_iter().zip(targets_for(&doc, &sentences)) {
            annotation.target = target;
            match self.by_sentence[sentence].clone() {
                // Another annotation is on this sentence: the imported labels join it.
                Some(mine) => {
                    let (labels, note) = joined(&mine, &annotation);
                    if labels != mine.labels || note != mine.note {
                        self.rewrite_sentence(sentence, Some((&labels, note.as_ref())), &stamp, &now);
                    }
                }
                None => {
                    let now_there = stamp_one(self, &annotation);
                    Rc::make_mut(&mut self.by_sentence)[sentence] = now_there;
                }
            }
        }
        if self.snapshot() != before {
            self.commit_all(before);
        }
    }

    /// Puts `now` where the live annotation `id` is (on its sentence or among the orphans).
    fn replace_live(&mut self, id: &str, now: Option<Rc<Annotation>>) {
        if let Some(slot) = Rc::make_mut(&mut self.by_sentence).iter_mut().find(|s| s.as_ref().is_some_and(|a| a.id == id)) {
            *slot = now;
        } else if let Some(at) = self.orphans.iter().position(|a| a.id == id) {
            match now {
                Some(now) => self.orphans[at] = now,
                None => {
                    self.orphans.remove(at);
                }
            }
        }
    }

    fn annotations_rc(&self) -> impl Iterator<Item = Rc<Annotation>> + '_ {
        self.by_sentence.iter().flatten().chain(self.orphans.iter()).cloned()
    }

    /// Puts a restored annotation on its sentence. When a sentence is claimed by two
    /// annotations (ids from before ids came from the sentence, or two texts), the
    /// greater id takes it and the other is an orphan: shown and kept, never merged
    /// away, and the same on every replica. A moved annotation gets a target from the
    /// current text.
    fn place(&mut self, sentence: usize, mut annotation: Annotation, moved: bool) {
        if let Some(there) = self.by_sentence[sentence].clone() {
            if there.id >= annotation.id {
                self.orphans.push(Rc::new(annotation));
                return;
            }
            self.orphans.push(there);
        }
        if moved {
            let s = &self.doc.sentences()[sentence];
            let quote = &annotation.target.quote;
            let before = self.doc.slice(s.start.saturating_sub(quote.prefix.chars().count()), s.start);
            let after = self.doc.slice(s.end, s.end + quote.suffix.chars().count());
            if self.doc.sentence_text(s) == quote.exact && context_agrees(quote, before, after) {
                // Same text in the same surroundings, only shifted: the stored context still tells it apart.
                annotation.target.position = TextPosition { start: s.start, end: s.end };
            } else {
                annotation.target = target_for(&self.doc, s);
            }
        }
        Rc::make_mut(&mut self.by_sentence)[sentence] = Some(Rc::new(annotation));
    }
}

/// Mine with theirs brought in: every label of both, and my note (theirs if I have none).
fn joined(mine: &Annotation, theirs: &Annotation) -> (Vec<String>, Option<String>) {
    let mut labels = mine.labels.clone();
    labels.extend(theirs.labels.iter().filter(|l| !mine.labels.contains(l)).cloned());
    (labels, mine.note.clone().or_else(|| theirs.note.clone()))
}

/// A local change to one annotation: from what is `known` of its id (`None`: nothing),
/// to labels and note `want` (`None`: deleted), at `stamp`. Every register that
/// changes gets the stamp; a deletion is a floor at the stamp. `template` gives the id,
/// target and creation time when nothing is known. The stamp is newer than anything
/// this replica has seen, so the result is the join of `known` and the change.
fn rewrite(known: Option<&Record>, want: Option<(&[String], Option<&String>)>, template: &Annotation, stamp: &Stamp, now: &str) -> Record {
    let Some((labels, note)) = want.filter(|(labels, _)| !labels.is_empty()) else {
        let versions = Versions { floor: Some(stamp.clone()), ..Versions::default() };
        return Record::Dead(Tombstone { id: template.id.clone(), at: now.to_owned(), versions, note: None });
    };
    let mut versions = known.map(|k| k.versions().into_owned()).unwrap_or_default();
    for gone in versions.set.keys().filter(|l| !labels.contains(l)).cloned().collect::<Vec<_>>() {
        versions.set.remove(&gone);
        versions.unset.insert(gone, stamp.clone());
    }
    for label in labels {
        if !versions.set.contains_key(label) {
            versions.unset.remove(label);
            versions.set.insert(label.clone(), stamp.clone());
        }
    }
    let (base, known_note) = match known {
        Some(Record::Live(a)) => (a, a.note.as_ref()),
        Some(Record::Dead(t)) => (template, t.note.as_ref()),
        None => (template, None),
    };
    if known_note != note || known.is_none() && note.is_some() {
        versions.note = Some(stamp.clone());
    }
    Record::Live(Annotation {
        id: base.id.clone(),
        labels: labels.to_vec(),
        note: note.cloned(),
        target: base.target.clone(),
        created: base.created.clone(),
        modified: now.to_owned(),
        versions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        let doc = Document::new("d", "One sentence. Two sentences here.\nA third one.");
        AppState::new(Rc::new(doc), Rc::new(LabelSet::default()))
    }

    fn toggle(state: &AppState, sentence: usize, label: &str) -> AppState {
        state.apply(Action::Toggle { sentence, label: label.into(), now_ms: 1_000 })
    }

    fn labels(state: &AppState, sentence: usize) -> Vec<String> {
        state.labels_of(sentence).map(<[String]>::to_vec).unwrap_or_default()
    }

    #[test]
    fn toggling_adds_and_removes_labels() {
        let s = toggle(&state(), 1, "claim");
        assert_eq!(labels(&s, 1), ["claim"]);
        let s = toggle(&s, 1, "quote");
        assert_eq!(labels(&s, 1), ["claim", "quote"]);
        let s = toggle(&s, 1, "claim");
        assert_eq!(labels(&s, 1), ["quote"]);
        let s = toggle(&s, 1, "quote");
        assert!(s.labels_of(1).is_none(), "no labels left: the annotation goes");
        assert_eq!(s.revision, 4);
    }

    #[test]
    fn new_annotation_targets_its_sentence() {
        let s = toggle(&state(), 1, "position");
        let a = s.by_sentence[1].as_ref().map(|a| a.target.clone());
        let a = a.unwrap_or_else(|| panic!("annotation expected"));
        assert_eq!(a.quote.exact, "Two sentences here.");
        assert_eq!((a.position.start, a.position.end), (14, 33));
        assert_eq!(s.by_sentence[1].as_ref().map(|a| a.created.as_str()), Some("1970-01-01T00:00:01.000Z"));
    }

    #[test]
    fn unknown_label_and_out_of_range_sentence_change_nothing() {
        let s = state();
        assert_eq!(toggle(&s, 1, "rumour"), s);
        assert_eq!(toggle(&s, 99, "claim"), s);
        assert_eq!(s.apply(Action::Clear { sentence: 0, now_ms: 1_500 }).revision, 0);
    }

    #[test]
    fn set_labels_gives_exactly_that_set_as_one_undoable_change() {
        let s = toggle(&state(), 1, "quote");
        let set = |s: &AppState, labels: &[&str]| s.apply(Action::SetLabels { sentence: 1, labels: labels.iter().map(|l| l.to_string()).collect(), now_ms: 2_000 });
        let s2 = set(&s, &["position", "claim", "rumour", "claim"]);
        assert_eq!(labels(&s2, 1), ["claim", "position"], "label-set order, unknown and repeated labels dropped");
        assert_eq!(s2.revision, s.revision + 1);
        assert_eq!(set(&s2, &["claim", "position"]).revision, s2.revision, "the same set changes nothing");
        assert!(set(&s2, &[]).labels_of(1).is_none(), "no labels: cleared");
        assert_eq!(labels(&s2.apply(Action::Undo { now_ms: 3_000 }), 1), ["quote"]);
        assert_eq!(s.apply(Action::SetLabels { sentence: 99, labels: vec!["claim".into()], now_ms: 1 }), s);
    }

    #[test]
    fn clear_removes_all_labels() {
        let s = toggle(&toggle(&state(), 0, "claim"), 0, "quote");
        let s = s.apply(Action::Clear { sentence: 0, now_ms: 1_500 });
        assert!(s.labels_of(0).is_none());
        assert_eq!(s.tagged(), 0);
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let s = toggle(&toggle(&state(), 0, "claim"), 2, "quote");
        let s = s.apply(Action::Undo { now_ms: 2_000 });
        assert!(s.labels_of(2).is_none());
        assert_eq!(labels(&s, 0), ["claim"]);
        assert_eq!(s.focus, 2);
        let s = s.apply(Action::Undo { now_ms: 2_000 }).apply(Action::Undo { now_ms: 2_000 });
        assert_eq!(s.tagged(), 0);
        let s = s.apply(Action::Redo { now_ms: 3_000 });
        assert_eq!(labels(&s, 0), ["claim"]);
        let s = toggle(&s, 1, "claim");
        assert!(!s.can_redo(), "a new change clears the redo stack");
    }

    #[test]
    fn focus_moves_and_clamps() {
        let s = state().apply(Action::Move(1));
        assert_eq!(s.focus, 1);
        assert_eq!(s.apply(Action::Move(10)).focus, 2);
        assert_eq!(s.apply(Action::Move(-10)).focus, 0);
        assert_eq!(s.apply(Action::Focus(7)).focus, 1);
    }

    #[test]
    fn picker_opens_on_a_sentence_and_closes_when_focus_leaves() {
        let s = state().apply(Action::OpenPicker(2));
        assert_eq!((s.picker, s.focus), (Some(2), 2));
        assert_eq!(s.apply(Action::Move(-1)).picker, None);
        assert_eq!(s.apply(Action::ClosePicker).picker, None);
    }

    #[test]
    fn counts_per_label() {
        let s = toggle(&toggle(&toggle(&state(), 0, "claim"), 1, "claim"), 1, "quote");
        assert_eq!((s.count("claim"), s.count("quote"), s.count("position")), (2, 1, 0));
        assert_eq!(s.tagged(), 2);
    }

    #[test]
    fn restore_places_known_text_and_keeps_the_rest_as_orphans() {
        let tagged = toggle(&toggle(&state(), 2, "claim"), 0, "quote");
        let saved: Vec<Annotation> = tagged.annotations().cloned().collect();
        let edited = Document::new("d", "A new lead.\nOne sentence. Two sentences here.\nSomething else.");
        let s = AppState::new(Rc::new(edited), Rc::new(LabelSet::default())).apply(Action::Restore(saved));
        assert_eq!(labels(&s, 1), ["quote"]);
        assert_eq!(s.orphans.len(), 1);
        assert_eq!(s.orphans[0].target.quote.exact, "A third one.");
        assert_eq!(s.annotations().count(), 2, "nothing is dropped");
        assert_eq!(s.by_sentence[1].as_ref().map(|a| a.target.position.start), Some(12), "moved target follows the text");
    }

    #[test]
    fn import_merges_labels_and_undo_takes_it_back_in_one_step() {
        let mine = toggle(&state(), 0, "claim");
        let other = state().with_session("b7");
        let theirs: Vec<Annotation> = toggle(&toggle(&other, 0, "quote"), 2, "position").annotations().cloned().collect();
        let merged = mine.apply(Action::Import { annotations: theirs.clone(), mode: ImportMode::Merge, now_ms: 5_000 });
        assert_eq!(labels(&merged, 0), ["claim", "quote"]);
        assert_eq!(labels(&merged, 2), ["position"]);
        let undone = merged.apply(Action::Undo { now_ms: 2_000 });
        assert_eq!(labels(&undone, 0), ["claim"]);
        assert!(undone.labels_of(2).is_none());
        let replaced = mine.apply(Action::Import { annotations: theirs, mode: ImportMode::Replace, now_ms: 5_000 });
        assert_eq!(labels(&replaced, 0), ["quote"]);
        assert_eq!(labels(&replaced.apply(Action::Undo { now_ms: 2_000 }), 0), ["claim"]);
    }

    #[test]
    fn importing_the_same_file_twice_adds_nothing() {
        let theirs: Vec<Annotation> = toggle(&state(), 1, "quote").annotations().cloned().collect();
        let once = state().apply(Action::Import { annotations: theirs.clone(), mode: ImportMode::Merge, now_ms: 1 });
        let twice = once.apply(Action::Import { annotations: theirs, mode: ImportMode::Merge, now_ms: 2 });
        assert_eq!(once.revision, twice.revision);
        assert_eq!(twice.annotations().count(), 1);
    }

    #[test]
    fn orphans_go_only_when_the_reader_removes_them() {
        let tagged: Vec<Annotation> = toggle(&state(), 2, "claim").annotations().cloned().collect();
        let other = Document::new("d", "Nothing alike remains in this text at all.");
        let s = AppState::new(Rc::new(other), Rc::new(LabelSet::default())).apply(Action::Restore(tagged));
        assert_eq!(s.orphans.len(), 1);
        let id = s.orphans[0].id.clone();
        let removed = s.apply(Action::RemoveOrphan { id, now_ms: 2_000 });
        assert!(removed.orphans.is_empty());
        assert_eq!(removed.apply(Action::Undo { now_ms: 2_000 }).orphans.len(), 1);
    }

    #[test]
    fn n_finds_the_next_untagged_sentence_and_wraps() {
        let s = toggle(&toggle(&state(), 1, "claim"), 2, "quote").apply(Action::Focus(0));
        assert_eq!(s.apply(Action::NextUntagged).focus, 0, "nothing else untagged: stays");
        let s = toggle(&toggle(&state(), 0, "claim"), 1, "claim").apply(Action::Focus(0));
        assert_eq!(s.apply(Action::NextUntagged).focus, 2);
        let s = toggle(&state(), 1, "claim").apply(Action::Focus(2));
        assert_eq!(s.apply(Action::NextUntagged).focus, 0, "wraps to the start");
    }

    #[test]
    fn notes_belong_to_tagged_sentences_and_undo() {
        let s = toggle(&state(), 1, "claim").apply(Action::OpenNote(1));
        assert_eq!(s.note_editor, Some(1));
        let s = s.apply(Action::SetNote { sentence: 1, note: "  Source: AP wire  ".into(), now_ms: 9_000 });
        assert_eq!(s.note_editor, None);
        let a = s.by_sentence[1].clone().unwrap_or_else(|| panic!("annotation"));
        assert_eq!(a.note.as_deref(), Some("Source: AP wire"));
        assert_eq!(a.modified, "1970-01-01T00:00:09.000Z");
        assert_eq!(s.apply(Action::Undo { now_ms: 2_000 }).by_sentence[1].as_ref().and_then(|a| a.note.clone()), None);
        let cleared = s.apply(Action::SetNote { sentence: 1, note: " ".into(), now_ms: 10_000 });
        assert_eq!(cleared.by_sentence[1].as_ref().and_then(|a| a.note.clone()), None);
        let untagged = state().apply(Action::SetNote { sentence: 0, note: "x".into(), now_ms: 1 });
        assert_eq!(untagged.revision, 0, "no note without a label");
        let long = toggle(&state(), 0, "claim").apply(Action::SetNote { sentence: 0, note: "y".repeat(5000), now_ms: 1 });
        assert_eq!(long.by_sentence[0].as_ref().and_then(|a| a.note.as_ref()).map(|n| n.len()), Some(NOTE_LIMIT));
    }

    #[test]
    fn escape_closes_the_topmost_overlay_first() {
        let s = toggle(&state(), 0, "claim").apply(Action::OpenPicker(0)).apply(Action::OpenNote(0)).apply(Action::ToggleHelp);
        assert!(s.help && s.note_editor.is_some());
        let s = s.apply(Action::CloseOverlay);
        assert!(!s.help && s.note_editor.is_some());
        let s = s.apply(Action::CloseOverlay);
        assert_eq!(s.note_editor, None);
    }

    #[test]
    fn filter_selects_sentences_by_label_or_none() {
        let s = toggle(&toggle(&state(), 0, "claim"), 2, "quote");
        let by = |f: Filter| {
            let s = s.apply(Action::SetFilter(f));
            (0..3).filter(|&i| s.matches(i)).collect::<Vec<_>>()
        };
        assert_eq!(by(Filter::Tagged), [0, 2]);
        assert_eq!(by(Filter::Label("quote".into())), [2]);
        assert_eq!(by(Filter::Untagged), [1]);
    }

    /// What a tab saves, as another tab reads it.
    fn saved(s: &AppState) -> (Vec<Annotation>, Vec<Tombstone>) {
        (s.annotations().cloned().collect(), s.deleted.values().cloned().collect())
    }

    fn merged(into: &AppState, from: &AppState) -> AppState {
        let (annotations, deleted) = saved(from);
        into.apply(Action::MergeStored { annotations, deleted, unreadable: Vec::new() })
    }

    #[test]
    fn two_tabs_tagging_different_sentences_lose_nothing() {
        let a = toggle(&state().with_session("a"), 0, "claim");
        let b = toggle(&state().with_session("b"), 2, "quote");
        let a2 = merged(&a, &b);
        let b2 = merged(&b, &a2);
        assert_eq!((labels(&a2, 0), labels(&a2, 2)), (vec!["claim".to_string()], vec!["quote".to_string()]));
        assert_eq!(saved(&a2).0, saved(&b2).0, "both tabs agree");
        assert_eq!(merged(&a2, &b2).revision, a2.revision, "merging what is already there changes nothing");
    }

    #[test]
    fn a_deletion_in_one_tab_is_not_undone_by_the_other() {
        let a = toggle(&state().with_session("a"), 1, "claim");
        let b = merged(&state().with_session("b"), &a);
        let a_cleared = a.apply(Action::Clear { sentence: 1, now_ms: 1_500 });
        assert_eq!(a_cleared.deleted.len(), 1);
        let b2 = merged(&b, &a_cleared);
        assert!(b2.labels_of(1).is_none(), "the deletion reaches the other tab");
        let a2 = merged(&a_cleared, &b);
        assert!(a2.labels_of(1).is_none(), "the other tab's stale copy does not come back");
    }

    #[test]
    fn the_newer_copy_of_an_annotation_wins_and_same_sentence_tags_join() {
        let a = toggle(&state().with_session("a"), 1, "claim");
        let b = merged(&state().with_session("b"), &a);
        let b_edited = b.apply(Action::Toggle { sentence: 1, label: "quote".into(), now_ms: 9_000 });
        assert_eq!(labels(&merged(&a, &b_edited), 1), ["claim", "quote"]);
        let c = toggle(&state().with_session("c"), 0, "position");
        let d = toggle(&state().with_session("d"), 0, "claim");
        let joined = merged(&c, &d);
        assert_eq!(labels(&joined, 0), ["claim", "position"]);
        assert_eq!(joined.annotations().count(), 1);
    }
}
