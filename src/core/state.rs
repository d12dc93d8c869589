//! The widget's state and the pure reducer that changes it.
//!
//! Every change a reader makes is an [`Action`]; [`AppState::apply`] returns the
//! next state and never touches the browser. Saving is an effect at the UI root
//! that watches [`AppState::revision`].

use std::rc::Rc;

use super::anchor::fuzzy::context_agrees;
use super::anchor::{target_for, Anchorer, Placement};
use super::model::{Annotation, Document, LabelSet, Target, TextPosition, Tombstone};
use super::time::rfc3339_from_millis;

/// What a reader (or the host, or storage) asks the widget to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Toggles one label on a sentence.
    Toggle { sentence: usize, label: String, now_ms: u64 },
    /// Removes every label from a sentence.
    Clear { sentence: usize },
    /// Moves the focus to a sentence.
    Focus(usize),
    /// Moves the focus by `n` sentences (negative: backwards), clamped.
    Move(isize),
    /// Opens the label picker on a sentence (and focuses it).
    OpenPicker(usize),
    /// Closes the label picker.
    ClosePicker,
    /// Undoes the last change to the annotations.
    Undo,
    /// Redoes the last undone change.
    Redo,
    /// Replaces every annotation with stored ones, anchoring each in the current text
    /// (loading: clears the undo history).
    Restore(Vec<Annotation>),
    /// Brings in annotations from a file, anchoring each; undoable as one step.
    Import { annotations: Vec<Annotation>, mode: ImportMode, now_ms: u64 },
    /// Deletes an orphaned annotation (only the reader does this); undoable.
    RemoveOrphan(String),
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
    /// Merges what another tab saved: per annotation, the newer copy wins; a deletion
    /// wins over the copy it deleted; nothing either side made is lost.
    MergeStored { annotations: Vec<Annotation>, deleted: Vec<Tombstone> },
}

/// Most tombstones kept: enough for tabs to agree on recent deletions.
const TOMBSTONE_LIMIT: usize = 500;

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
    /// Annotations deleted here recently (saved with them, for merging with other tabs).
    pub deleted: Vec<Tombstone>,
    /// Bumped on every change to the annotations, so that effects know when to save.
    pub revision: u64,
    /// The sentence the reader changed last (for the screen-reader announcement).
    pub last_changed: Option<usize>,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
    next_id: u64,
    session: String,
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
            deleted: Vec::new(),
            revision: 0,
            last_changed: None,
            undo: Vec::new(),
            redo: Vec::new(),
            next_id: 0,
            session: String::new(),
        }
    }

    /// Starts with the tombstones storage held, so a merge knows what was deleted here.
    pub fn with_deleted(mut self, deleted: Vec<Tombstone>) -> Self {
        self.deleted = deleted;
        self
    }

    /// Sets a tag (random, from the shell) that makes this session's annotation ids
    /// unique across tabs and devices, so that merging files never confuses two annotations.
    pub fn with_session(mut self, tag: impl Into<String>) -> Self {
        self.session = tag.into();
        self
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
            Action::Clear { sentence } => {
                if next.by_sentence.get(sentence).is_some_and(Option::is_some) {
                    next.commit(sentence, None);
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
            Action::MergeStored { annotations, deleted } => next.merge_stored(annotations, deleted),
            Action::Undo => next.step_history(true),
            Action::Redo => next.step_history(false),
            Action::Restore(annotations) => next.restore(annotations),
            Action::Import { annotations, mode, now_ms } => next.import(annotations, mode, now_ms),
            Action::RemoveOrphan(id) => {
                if let Some(gone) = next.orphans.iter().find(|a| a.id == id).cloned() {
                    let before = next.snapshot();
                    next.bury(&gone);
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
        if current.note == note {
            self.note_editor = None;
            return;
        }
        let mut changed = Annotation::clone(current);
        changed.note = note;
        changed.modified = rfc3339_from_millis(now_ms);
        self.note_editor = None;
        self.commit(sentence, Some(Rc::new(changed)));
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
        let now = rfc3339_from_millis(now_ms);
        let after = match &self.by_sentence[sentence] {
            Some(current) => {
                let mut changed = Annotation::clone(current);
                if changed.labels.iter().any(|l| l == label) {
                    changed.labels.retain(|l| l != label);
                } else {
                    changed.labels.push(label.to_owned());
                    self.labels.sort(&mut changed.labels);
                }
                changed.modified = now;
                (!changed.labels.is_empty()).then_some(changed)
            }
            None => {
                let id = format!("{now_ms:x}-{}{:x}", self.session, self.next_id);
                self.next_id += 1;
                Some(Annotation {
                    id,
                    labels: vec![label.to_owned()],
                    note: None,
                    target: target_for(&self.doc, &self.doc.sentences()[sentence]),
                    created: now.clone(),
                    modified: now,
                })
            }
        };
        self.commit(sentence, after.map(Rc::new));
    }

    /// Remembers that `annotation` was deleted, as of the version that was deleted, so
    /// that a copy of that version saved by another tab is not merged back in.
    fn bury(&mut self, annotation: &Annotation) {
        self.deleted.retain(|t| t.id != annotation.id);
        self.deleted.push(Tombstone { id: annotation.id.clone(), at: annotation.modified.clone() });
        if self.deleted.len() > TOMBSTONE_LIMIT {
            self.deleted.remove(0);
        }
    }

    fn commit(&mut self, sentence: usize, after: Option<Rc<Annotation>>) {
        let before = std::mem::replace(&mut Rc::make_mut(&mut self.by_sentence)[sentence], after.clone());
        if let (Some(gone), None) = (&before, &after) {
            let gone = Rc::clone(gone);
            self.bury(&gone);
        }
        self.remember(Edit::Sentence { sentence, before, after });
        self.focus = sentence;
        self.last_changed = Some(sentence);
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

    fn step_history(&mut self, undo: bool) {
        let popped = if undo { self.undo.pop() } else { self.redo.pop() };
        let Some(edit) = popped else { return };
        match &edit {
            Edit::Sentence { sentence, before, after } => {
                let (from, to) = if undo { (after, before) } else { (before, after) };
                if let (Some(gone), None) = (from, to) {
                    let gone = Rc::clone(gone);
                    self.bury(&gone);
                }
                if let Some(slot) = Rc::make_mut(&mut self.by_sentence).get_mut(*sentence) {
                    *slot = to.clone();
                    self.focus = *sentence;
                    self.last_changed = Some(*sentence);
                }
            }
            Edit::All { before, after } => {
                let snapshot = if undo { before } else { after };
                self.by_sentence = snapshot.by_sentence.clone();
                self.orphans = snapshot.orphans.clone();
                self.last_changed = None;
            }
        }
        if undo {
            self.redo.push(edit);
        } else {
            self.undo.push(edit);
        }
        self.revision += 1;
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

    fn restore(&mut self, annotations: Vec<Annotation>) {
        self.by_sentence = Rc::new(vec![None; self.doc.sentences().len()]);
        self.orphans.clear();
        self.last_changed = None;
        self.undo.clear();
        self.redo.clear();
        for (annotation, placement) in self.anchor_incoming(annotations) {
            match placement {
                Placement::Exact(sentence) => self.place(sentence, annotation, false),
                Placement::Moved(sentence) | Placement::Fuzzy(sentence) => self.place(sentence, annotation, true),
                Placement::Orphan => {}
            }
        }
        self.next_id = self.annotations().count() as u64;
        self.revision += 1;
    }

    fn merge_stored(&mut self, stored: Vec<Annotation>, deleted: Vec<Tombstone>) {
        let before = self.snapshot();
        let buried_at = |tombs: &[Tombstone], id: &str| tombs.iter().find(|t| t.id == id).map(|t| t.at.clone());
        // Theirs deletes mine only if it deleted the very version (or a later one) I have.
        for sentence in 0..self.by_sentence.len() {
            if let Some(mine) = &self.by_sentence[sentence] {
                let gone = buried_at(&deleted, &mine.id).is_some_and(|at| at >= mine.modified);
                if gone && !stored.iter().any(|a| a.id == mine.id) {
                    Rc::make_mut(&mut self.by_sentence)[sentence] = None;
                }
            }
        }
        self.orphans.retain(|mine| {
            let gone = buried_at(&deleted, &mine.id).is_some_and(|at| at >= mine.modified);
            !gone || stored.iter().any(|a| a.id == mine.id)
        });
        let mut incoming = Vec::new();
        for theirs in stored {
            let mine = self.by_sentence.iter().flatten().chain(&self.orphans).find(|a| a.id == theirs.id).cloned();
            match mine {
                Some(mine) if theirs.modified > mine.modified => {
                    // The newer copy of one annotation: it takes the place of mine.
                    let mut theirs = theirs;
                    self.labels.sort(&mut theirs.labels);
                    let theirs = Rc::new(theirs);
                    for slot in Rc::make_mut(&mut self.by_sentence).iter_mut().filter(|s| s.as_ref().is_some_and(|a| a.id == mine.id)) {
                        *slot = Some(Rc::clone(&theirs));
                    }
                    for orphan in self.orphans.iter_mut().filter(|a| a.id == mine.id) {
                        *orphan = Rc::clone(&theirs);
                    }
                }
                Some(_) => {}
                None if buried_at(&self.deleted, &theirs.id).is_some_and(|at| at >= theirs.modified) => {}
                None => incoming.push(theirs),
            }
        }
        for (theirs, placement) in self.anchor_incoming(incoming) {
            let Some(sentence) = placement.sentence() else { continue };
            let merged = match Rc::make_mut(&mut self.by_sentence)[sentence].take() {
                // Both tabs tagged this sentence: one annotation with both label sets, the newer id.
                Some(mine) => {
                    let (mut keep, other) = if theirs.modified > mine.modified { (theirs, Annotation::clone(&mine)) } else { (Annotation::clone(&mine), theirs) };
                    keep.labels.extend(other.labels.iter().cloned());
                    self.labels.sort(&mut keep.labels);
                    if keep.note.is_none() {
                        keep.note = other.note.clone();
                    }
                    self.bury(&other);
                    keep
                }
                None => theirs,
            };
            Rc::make_mut(&mut self.by_sentence)[sentence] = Some(Rc::new(merged));
        }
        for tomb in deleted {
            if !self.deleted.iter().any(|t| t.id == tomb.id && t.at >= tomb.at) {
                self.deleted.retain(|t| t.id != tomb.id);
                self.deleted.push(tomb);
            }
        }
        if self.deleted.len() > TOMBSTONE_LIMIT {
            let excess = self.deleted.len() - TOMBSTONE_LIMIT;
            self.deleted.drain(..excess);
        }
        if self.snapshot() != before {
            // Another tab's changes arrived: the local undo history no longer describes this state.
            self.undo.clear();
            self.redo.clear();
            self.last_changed = None;
            self.revision += 1;
        }
    }

    fn import(&mut self, annotations: Vec<Annotation>, mode: ImportMode, now_ms: u64) {
        let before = self.snapshot();
        let now = rfc3339_from_millis(now_ms);
        let mut incoming = annotations;
        match mode {
            ImportMode::Replace => {
                let gone: Vec<Rc<Annotation>> = self.by_sentence.iter().flatten().chain(&self.orphans).cloned().collect();
                for annotation in gone.iter().filter(|a| !incoming.iter().any(|i| i.id == a.id)) {
                    self.bury(annotation);
                }
                self.by_sentence = Rc::new(vec![None; self.doc.sentences().len()]);
                self.orphans.clear();
            }
            ImportMode::Merge => {
                // An annotation already here (same id) is not imported twice.
                let known: Vec<&str> = self.annotations().map(|a| a.id.as_str()).collect();
                incoming.retain(|a| !known.contains(&a.id.as_str()));
            }
        }
        let doc = Rc::clone(&self.doc);
        for (mut annotation, placement) in self.anchor_incoming(incoming) {
            let Some(sentence) = placement.sentence() else { continue };
            annotation.target = target_for(&doc, &doc.sentences()[sentence]);
            let current = self.by_sentence[sentence].clone();
            Rc::make_mut(&mut self.by_sentence)[sentence] = Some(Rc::new(match &current {
                Some(mine) => {
                    let mut merged = Annotation::clone(mine);
                    merged.labels.extend(annotation.labels);
                    self.labels.sort(&mut merged.labels);
                    if merged.note.is_none() {
                        merged.note = annotation.note;
                    }
                    merged.modified = now.clone();
                    merged
                }
                None => annotation,
            }));
        }
        if self.snapshot() != before {
            self.commit_all(before);
        }
    }

    /// Puts a restored annotation on its sentence. A sentence already holding one (two
    /// stored annotations claiming the same text) leaves the newcomer an orphan: shown
    /// and kept, never merged away. A moved annotation gets a target from the current text.
    fn place(&mut self, sentence: usize, mut annotation: Annotation, moved: bool) {
        if self.by_sentence[sentence].is_some() {
            self.orphans.push(Rc::new(annotation));
            return;
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
        assert_eq!(s.apply(Action::Clear { sentence: 0 }).revision, 0);
    }

    #[test]
    fn clear_removes_all_labels() {
        let s = toggle(&toggle(&state(), 0, "claim"), 0, "quote");
        let s = s.apply(Action::Clear { sentence: 0 });
        assert!(s.labels_of(0).is_none());
        assert_eq!(s.tagged(), 0);
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let s = toggle(&toggle(&state(), 0, "claim"), 2, "quote");
        let s = s.apply(Action::Undo);
        assert!(s.labels_of(2).is_none());
        assert_eq!(labels(&s, 0), ["claim"]);
        assert_eq!(s.focus, 2);
        let s = s.apply(Action::Undo).apply(Action::Undo);
        assert_eq!(s.tagged(), 0);
        let s = s.apply(Action::Redo);
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
        let undone = merged.apply(Action::Undo);
        assert_eq!(labels(&undone, 0), ["claim"]);
        assert!(undone.labels_of(2).is_none());
        let replaced = mine.apply(Action::Import { annotations: theirs, mode: ImportMode::Replace, now_ms: 5_000 });
        assert_eq!(labels(&replaced, 0), ["quote"]);
        assert_eq!(labels(&replaced.apply(Action::Undo), 0), ["claim"]);
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
        let removed = s.apply(Action::RemoveOrphan(id));
        assert!(removed.orphans.is_empty());
        assert_eq!(removed.apply(Action::Undo).orphans.len(), 1);
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
        assert_eq!(s.apply(Action::Undo).by_sentence[1].as_ref().and_then(|a| a.note.clone()), None);
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
        (s.annotations().cloned().collect(), s.deleted.clone())
    }

    fn merged(into: &AppState, from: &AppState) -> AppState {
        let (annotations, deleted) = saved(from);
        into.apply(Action::MergeStored { annotations, deleted })
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
        let a_cleared = a.apply(Action::Clear { sentence: 1 });
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
