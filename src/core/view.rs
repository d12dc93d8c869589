//! What the widget shows and hears, as pure functions of the state: the action a key
//! asks for, what the live region announces, what the summary lists, and what the save
//! indicator says. The UI components only render these.

use super::i18n::Locale;
use super::state::{Action, AppState};

/// A key press, as the browser reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Control held.
    pub ctrl: bool,
    /// Shift held.
    pub shift: bool,
    /// Alt or Meta held (such keys are left to the browser).
    pub alt_or_meta: bool,
}

/// The action a key press asks for, if any; `now_ms` for the edits it makes.
pub fn action_for_key(press: KeyPress<'_>, state: &AppState, now_ms: u64) -> Option<Action> {
    if press.alt_or_meta {
        return None;
    }
    if press.ctrl {
        return match press.key {
            "z" | "Z" if press.shift => Some(Action::Redo { now_ms }),
            "z" | "Z" => Some(Action::Undo { now_ms }),
            "y" | "Y" => Some(Action::Redo { now_ms }),
            _ => None,
        };
    }
    let sentence = state.focus;
    match press.key {
        "j" | "ArrowDown" | "ArrowRight" => Some(Action::Move(1)),
        "k" | "ArrowUp" | "ArrowLeft" => Some(Action::Move(-1)),
        "Home" => Some(Action::Focus(0)),
        "End" => Some(Action::Focus(state.by_sentence.len().saturating_sub(1))),
        "0" => Some(Action::Clear { sentence, now_ms }),
        "Escape" => Some(Action::CloseOverlay),
        "n" => Some(Action::NextUntagged),
        "?" => Some(Action::ToggleHelp),
        "Enter" if state.labels_of(sentence).is_some() => Some(Action::OpenNote(sentence)),
        "Enter" | " " => Some(if state.picker == Some(sentence) { Action::ClosePicker } else { Action::OpenPicker(sentence) }),
        key => {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            let label = state.labels.by_key(c)?;
            Some(Action::Toggle { sentence, label: label.name.clone(), now_ms })
        }
    }
}

/// Whether a read-only widget does this (moving and reading, never changing).
pub fn allowed_when_read_only(action: &Action) -> bool {
    matches!(action, Action::Move(_) | Action::Focus(_) | Action::NextUntagged | Action::ToggleHelp | Action::CloseOverlay)
}

/// What the live region says about the sentence changed last (label names are data,
/// never translated).
pub fn announcement(state: &AppState, l: &Locale) -> String {
    let Some(index) = state.last_changed else { return String::new() };
    let number = (index + 1).to_string();
    match state.labels_of(index) {
        Some(names) => l.f("view.tagged", &[("n", &number), ("labels", &names.join(", "))]),
        None => l.f("view.untagged", &[("n", &number)]),
    }
}

/// Code points of a sentence the summary shows before cutting it short.
pub const EXCERPT_CHARS: usize = 90;

/// One sentence the summary lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryEntry {
    /// Its index.
    pub sentence: usize,
    /// Its labels, space separated.
    pub labels: String,
    /// The start of its text (with "…" when cut).
    pub excerpt: String,
}

/// The sentences passing the filter: how many, and the first `limit` of them.
pub fn summary(state: &AppState, limit: usize) -> (usize, Vec<SummaryEntry>) {
    let matching = (0..state.by_sentence.len()).filter(|&i| state.matches(i));
    let entries = matching
        .clone()
        .take(limit)
        .map(|i| {
            let text = state.doc.sentence_text(&state.doc.sentences()[i]);
            let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
            if text.chars().count() > EXCERPT_CHARS {
                excerpt.push('…');
            }
            SummaryEntry { sentence: i, labels: state.labels_of(i).map(|l| l.join(" ")).unwrap_or_default(), excerpt }
        })
        .collect();
    (matching.count(), entries)
}

/// Where saving stands, for the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saving {
    /// Everything is in storage.
    Saved,
    /// Changes are waiting.
    Pending,
    /// The last write failed.
    Failed,
}

/// What the save indicator says: nothing when the host keeps the annotations, "Not
/// saved" when saving is off (storage blocked, data from a newer version) or failing.
pub fn save_status_text(saving: Saving, may_save: bool, host_keeps_them: bool, l: &Locale) -> &'static str {
    match save_status(saving, may_save, host_keeps_them) {
        "" => "",
        "saved" => l.t("save.saved"),
        "saving" => l.t("save.saving"),
        _ => l.t("save.not_saved"),
    }
}

/// The same as a stable code for the indicator's `data-status` (`saved`, `saving`,
/// `not-saved`; empty when nothing is stored), the same in every language.
pub fn save_status(saving: Saving, may_save: bool, host_keeps_them: bool) -> &'static str {
    match (saving, may_save) {
        (_, false) if host_keeps_them => "",
        (_, false) | (Saving::Failed, _) => "not-saved",
        (Saving::Saved, _) => "saved",
        (Saving::Pending, _) => "saving",
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::core::model::{Document, LabelSet};
    use crate::core::state::Filter;

    fn state() -> AppState {
        let doc = Document::new("d", &format!("Short one. {} end.\nThird.", "A long sentence ".repeat(8)));
        AppState::new(Rc::new(doc), Rc::new(LabelSet::default()))
    }

    fn key(key: &str) -> KeyPress<'_> {
        KeyPress { key, ctrl: false, shift: false, alt_or_meta: false }
    }

    #[test]
    fn keys_map_to_actions() {
        let s = state();
        assert_eq!(action_for_key(key("2"), &s, 5), Some(Action::Toggle { sentence: 0, label: "quote".into(), now_ms: 5 }));
        assert_eq!(action_for_key(key("j"), &s, 5), Some(Action::Move(1)));
        assert_eq!(action_for_key(key("End"), &s, 5), Some(Action::Focus(2)));
        assert_eq!(action_for_key(key("0"), &s, 5), Some(Action::Clear { sentence: 0, now_ms: 5 }));
        assert_eq!(action_for_key(key("Enter"), &s, 5), Some(Action::OpenPicker(0)), "untagged: the picker");
        let tagged = s.apply(action_for_key(key("1"), &s, 5).unwrap_or(Action::ClosePicker));
        assert_eq!(action_for_key(key("Enter"), &tagged, 5), Some(Action::OpenNote(0)), "tagged: the note");
        assert_eq!(action_for_key(KeyPress { ctrl: true, ..key("z") }, &s, 7), Some(Action::Undo { now_ms: 7 }));
        assert_eq!(action_for_key(KeyPress { ctrl: true, shift: true, ..key("Z") }, &s, 7), Some(Action::Redo { now_ms: 7 }));
        assert_eq!(action_for_key(KeyPress { alt_or_meta: true, ..key("1") }, &s, 5), None, "left to the browser");
        assert_eq!(action_for_key(key("x"), &s, 5), None);
        assert_eq!(action_for_key(key("Tab"), &s, 5), None);
        assert!(allowed_when_read_only(&Action::Move(1)) && !allowed_when_read_only(&Action::Clear { sentence: 0, now_ms: 0 }));
    }

    #[test]
    fn announcements_name_the_sentence_and_its_labels() {
        let (s, en, uk) = (state(), Locale::english(), Locale::new("uk"));
        assert_eq!(announcement(&s, &en), "");
        let s = s.apply(Action::Toggle { sentence: 1, label: "claim".into(), now_ms: 1 }).apply(Action::Toggle { sentence: 1, label: "quote".into(), now_ms: 2 });
        assert_eq!(announcement(&s, &en), "Sentence 2 tagged claim, quote");
        assert_eq!(announcement(&s.apply(Action::Clear { sentence: 1, now_ms: 3 }), &en), "Sentence 2 untagged");
        assert_eq!(announcement(&s, &uk), "Речення 2 позначено: claim, quote", "label names are data");
    }

    #[test]
    fn the_summary_lists_matching_sentences_with_short_excerpts() {
        let s = state().apply(Action::Toggle { sentence: 1, label: "claim".into(), now_ms: 1 }).apply(Action::Toggle { sentence: 2, label: "quote".into(), now_ms: 2 });
        let (count, entries) = summary(&s, 1);
        assert_eq!(count, 2);
        assert_eq!(entries.len(), 1, "at most the limit");
        assert_eq!(entries[0].labels, "claim");
        assert_eq!(entries[0].excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(entries[0].excerpt.ends_with('…'));
        let (untagged, entries) = summary(&s.apply(Action::SetFilter(Filter::Untagged)), 10);
        assert_eq!((untagged, entries[0].excerpt.as_str(), entries[0].labels.as_str()), (1, "Short one.", ""));
    }

    #[test]
    fn the_save_indicator_says_what_happens_to_the_work() {
        let en = Locale::english();
        assert_eq!(save_status_text(Saving::Saved, true, false, &en), "Saved");
        assert_eq!(save_status_text(Saving::Pending, true, false, &en), "Saving…");
        assert_eq!(save_status_text(Saving::Failed, true, false, &en), "Not saved");
        assert_eq!(save_status_text(Saving::Saved, false, false, &en), "Not saved");
        assert_eq!(save_status_text(Saving::Saved, false, true, &en), "", "the host keeps them: nothing to say");
        assert_eq!(save_status_text(Saving::Pending, true, false, &Locale::new("uk")), "Зберігається…");
        assert_eq!(save_status(Saving::Failed, true, false), "not-saved");
    }
}
