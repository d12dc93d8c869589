//! The note editor: a short free-text rationale or source URL for a tagged sentence.

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::state::NOTE_LIMIT;

/// What the editor shows and where its result goes.
#[derive(Properties, PartialEq, Clone)]
pub struct NoteEditorProps {
    /// The sentence it edits.
    pub sentence: usize,
    /// The note as it is.
    pub note: AttrValue,
    /// Where to draw it, relative to the widget: (top, left) in CSS pixels.
    pub at: (f64, f64),
    /// Saves the text (empty removes the note).
    pub on_save: Callback<String>,
    /// Closes without saving.
    pub on_close: Callback<()>,
}

/// A labelled text area with Save and Cancel; Ctrl+Enter saves, Escape cancels.
#[component(NoteEditor)]
pub fn note_editor(props: &NoteEditorProps) -> Html {
    let l = use_locale();
    let area = use_node_ref();
    let node = use_node_ref();
    let length = use_state(|| props.note.chars().count());
    {
        // Placed through the CSSOM (a style attribute would break under a strict CSP).
        let node = node.clone();
        use_effect_with(props.at, move |(top, left)| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let _ = el.style().set_property("top", &format!("{top:.0}px"));
                let _ = el.style().set_property("inset-inline-start", &format!("{left:.0}px"));
            }
        });
    }
    {
        // The text starts as the current note and is the reader's from then on (not
        // re-rendered from props, which would wipe what is being typed); focus goes there.
        let (area, note) = (area.clone(), props.note.clone());
        use_effect_with(props.sentence, move |_| {
            if let Some(area) = area.cast::<web_sys::HtmlTextAreaElement>() {
                area.set_value(&note);
                let _ = area.focus();
            }
        });
    }
    let value = {
        let area = area.clone();
        move || area.cast::<web_sys::HtmlTextAreaElement>().map(|a| a.value()).unwrap_or_default()
    };
    let save = {
        let (on_save, value) = (props.on_save.clone(), value.clone());
        move || on_save.emit(value())
    };
    let onkeydown = {
        let (save, on_close) = (save.clone(), props.on_close.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Typing here must never reach the article's keys.
            e.stop_propagation();
            if e.key() == "Escape" {
                e.prevent_default();
                on_close.emit(());
            } else if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                save();
            }
        })
    };
    let oninput = {
        let (length, value) = (length.clone(), value.clone());
        Callback::from(move |_: InputEvent| length.set(value().chars().count()))
    };
    let id = format!("aa-note-{}", props.sentence);
    html! {
        <div class="aa-note" ref={node} role="group" aria-labelledby={format!("{id}-label")} {onkeydown}>
            <label id={format!("{id}-label")} for={id.clone()} class="aa-note-label">
                { l.f("note.label", &[("n", &(props.sentence + 1).to_string())]) }
            </label>
            <textarea id={id} ref={area} class="aa-note-text" rows="3" maxlength={NOTE_LIMIT.to_string()}
                placeholder={l.t("note.placeholder")} {oninput} />
            <div class="aa-note-actions">
                <span class="aa-note-count" aria-live="polite">{ l.f("note.count", &[("length", &l.count(*length)), ("limit", &l.count(NOTE_LIMIT))]) }</span>
                <button type="button" class="aa-button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ l.t("dialog.cancel") }</button>
                <button type="button" class="aa-button aa-primary" title={l.t("note.save.title")} onclick={Callback::from(move |_: MouseEvent| save())}>
                    { l.t("note.save") }
                </button>
            </div>
        </div>
    }
}
