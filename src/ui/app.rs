//! The root component: owns the state, saves it as an effect, routes keys and clicks.

use std::rc::Rc;

use yew::prelude::*;

use super::persistence::{self, Notice};
use super::picker::Picker;
use super::sentence::SentenceView;
use super::toolbar::Toolbar;
use crate::core::codec::native;
use crate::core::model::{Document, LabelSet};
use crate::core::state::{Action, AppState};
use crate::platform::{dom, download, now_ms};

/// What a host gives a widget.
#[derive(Properties, PartialEq, Clone)]
pub struct AnnotatorProps {
    /// The article, already segmented.
    pub doc: Rc<Document>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
}

/// The widget's state as Yew sees it: the pure core state behind an `Rc`.
#[derive(PartialEq)]
struct Shared(AppState);

impl Reducible for Shared {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.0.apply(action);
        if next == self.0 {
            self
        } else {
            Rc::new(Shared(next))
        }
    }
}

/// The whole widget: toolbar, notices, article and picker.
#[component(Annotator)]
pub fn annotator(props: &AnnotatorProps) -> Html {
    // Storage is read once, when the widget starts.
    let loaded = use_memo(props.doc.clone(), |doc| persistence::load(doc));
    let state = {
        let (doc, labels, loaded) = (props.doc.clone(), props.labels.clone(), loaded.clone());
        use_reducer(move || {
            let fresh = AppState::new(doc, labels);
            let restored = if loaded.annotations.is_empty() {
                fresh
            } else {
                fresh.apply(Action::Restore(loaded.annotations.clone()))
            };
            Shared(restored)
        })
    };
    let notice = use_state(|| loaded.notice.clone());
    let root = use_node_ref();
    let picker_at = use_state(|| (0.0, 0.0));
    let state_now = &state.0;

    // Save whenever the annotations change (not on start: nothing changed yet).
    {
        let (notice, loaded) = (notice.clone(), loaded.clone());
        let start = state_now.revision;
        let last_saved = use_mut_ref(move || start);
        use_effect_with((state.clone(), state_now.revision), move |(state, revision)| {
            if *last_saved.borrow() != *revision && loaded.may_save {
                *last_saved.borrow_mut() = *revision;
                match persistence::save(&state.0.doc, state.0.annotations(), &loaded.unreadable) {
                    Ok(()) => {
                        if notice.as_ref().is_some_and(|n| n.text.starts_with("Saving failed")) {
                            notice.set(None);
                        }
                    }
                    Err(failure) => notice.set(Some(failure)),
                }
            }
        });
    }

    // Keep DOM focus on the focused sentence, but only while the reader works in the article.
    {
        let root = root.clone();
        use_effect_with(state_now.focus, move |focus| {
            if let Some(root) = root.cast::<web_sys::Element>() {
                if dom::focus_is_inside(&root) {
                    if let Some(el) = dom::sentence_element(&root, *focus) {
                        let _ = el.focus();
                    }
                }
            }
        });
    }

    // Place the picker under its sentence.
    {
        let (root, picker_at) = (root.clone(), picker_at.clone());
        use_effect_with(state_now.picker, move |picker| {
            if let (Some(index), Some(root)) = (picker, root.cast::<web_sys::Element>()) {
                if let Some(el) = dom::sentence_element(&root, *index) {
                    picker_at.set(dom::position_below(&root, &el));
                }
            }
        });
    }

    let dispatcher = state.dispatcher();
    let onclick = use_callback(dispatcher.clone(), |e: MouseEvent, dispatcher| {
        match dom::sentence_index_of(e.target()) {
            Some(index) => dispatcher.dispatch(Action::OpenPicker(index)),
            None => dispatcher.dispatch(Action::ClosePicker),
        }
    });
    let onfocusin = use_callback(dispatcher.clone(), |e: FocusEvent, dispatcher| {
        if let Some(index) = dom::sentence_index_of(e.target()) {
            dispatcher.dispatch(Action::Focus(index));
        }
    });
    let onkeydown = {
        let (state, dispatcher) = (state.clone(), dispatcher.clone());
        Callback::from(move |e: KeyboardEvent| {
            if let Some(action) = action_for_key(&e, &state.0) {
                e.prevent_default();
                dispatcher.dispatch(action);
            }
        })
    };
    let on_toggle = {
        let (dispatcher, picker) = (dispatcher.clone(), state_now.picker);
        Callback::from(move |label: String| {
            if let Some(sentence) = picker {
                dispatcher.dispatch(Action::Toggle { sentence, label, now_ms: now_ms() });
            }
        })
    };
    let on_export = {
        let (state, notice, loaded) = (state.clone(), notice.clone(), loaded.clone());
        Callback::from(move |()| {
            let doc = &state.0.doc;
            let json = native::encode(doc, state.0.annotations(), &loaded.unreadable);
            let name = download::file_name_for(&doc.id, "-annotations.json");
            if let Err(message) = download::download(&name, "application/json", &json) {
                notice.set(Some(Notice { text: format!("Export failed: {message}."), backup: None }));
            }
        })
    };

    let labels = &state_now.labels;
    let data_labels = |index: usize| -> AttrValue {
        state_now.labels_of(index).map_or(AttrValue::Static(""), |names| names.join(" ").into())
    };
    let doc = &state_now.doc;

    html! {
        <div class="aa-root" ref={root}>
            <Toolbar
                labels={labels.clone()}
                counts={labels.iter().map(|l| state_now.count(&l.name)).collect::<Vec<_>>()}
                tagged={state_now.tagged()}
                total={doc.sentences().len()}
                can_undo={state_now.can_undo()}
                can_redo={state_now.can_redo()}
                on_undo={dispatcher.to_callback().reform(|()| Action::Undo)}
                on_redo={dispatcher.to_callback().reform(|()| Action::Redo)}
                {on_export}
            />
            { notice_view(notice.as_ref(), &doc.id) }
            if doc.sentences().is_empty() {
                <p class="aa-empty">{ "This article has no text to annotate." }</p>
            }
            <div class="aa-article" role="document" aria-label="Article: click a sentence or use the keys 1, 2, 3 to tag it"
                {onclick} {onfocusin} {onkeydown}>
                { for doc.paragraphs().map(|range| html! {
                    <p class="aa-paragraph">
                        { for range.map(|index| {
                            let sentence = &doc.sentences()[index];
                            let first = state_now.labels_of(index)
                                .and_then(|names| names.first())
                                .and_then(|name| labels.get(name));
                            html! {
                                <>
                                    <SentenceView
                                        key={index}
                                        {index}
                                        text={AttrValue::from(doc.sentence_text(sentence).to_owned())}
                                        labels={data_labels(index)}
                                        color={first.as_ref().map(|l| AttrValue::from(l.color.clone()))}
                                        line={first.as_ref().map(|l| AttrValue::from(l.line.clone()))}
                                        focused={state_now.focus == index}
                                    />
                                    { " " }
                                </>
                            }
                        }) }
                    </p>
                }) }
            </div>
            if let Some(sentence) = state_now.picker {
                <Picker
                    {sentence}
                    labels={labels.clone()}
                    active={data_labels(sentence)}
                    at={*picker_at}
                    {on_toggle}
                    on_close={dispatcher.to_callback().reform(|()| Action::ClosePicker)}
                />
            }
            <div class="aa-live" aria-live="polite">{ announcement(state_now) }</div>
        </div>
    }
}

/// The action a key press asks for, if any. Keys with Alt or Meta are left to the browser.
fn action_for_key(e: &KeyboardEvent, state: &AppState) -> Option<Action> {
    if e.alt_key() || e.meta_key() {
        return None;
    }
    let key = e.key();
    if e.ctrl_key() {
        return match key.as_str() {
            "z" | "Z" if e.shift_key() => Some(Action::Redo),
            "z" | "Z" => Some(Action::Undo),
            "y" | "Y" => Some(Action::Redo),
            _ => None,
        };
    }
    let sentence = state.focus;
    match key.as_str() {
        "j" | "ArrowDown" | "ArrowRight" => Some(Action::Move(1)),
        "k" | "ArrowUp" | "ArrowLeft" => Some(Action::Move(-1)),
        "Home" => Some(Action::Focus(0)),
        "End" => Some(Action::Focus(state.by_sentence.len().saturating_sub(1))),
        "0" => Some(Action::Clear { sentence }),
        "Escape" => Some(Action::ClosePicker),
        "Enter" | " " => Some(if state.picker == Some(sentence) { Action::ClosePicker } else { Action::OpenPicker(sentence) }),
        _ => {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            let label = state.labels.by_key(c)?;
            Some(Action::Toggle { sentence, label: label.name.clone(), now_ms: now_ms() })
        }
    }
}

/// What the live region says about the focused sentence after a change.
fn announcement(state: &AppState) -> String {
    let Some(index) = state.last_changed else { return String::new() };
    match state.labels_of(index) {
        Some(names) => format!("Sentence {} tagged {}", index + 1, names.join(", ")),
        None => format!("Sentence {} untagged", index + 1),
    }
}

fn notice_view(notice: Option<&Notice>, doc_id: &str) -> Html {
    let Some(notice) = notice else { return html! {} };
    let download_backup = notice.backup.clone().map(|raw| {
        let name = download::file_name_for(doc_id, "-backup.json");
        Callback::from(move |_: MouseEvent| {
            let _ = download::download(&name, "application/json", &raw);
        })
    });
    html! {
        <div class="aa-notice" role="status">
            <span>{ &notice.text }</span>
            if let Some(onclick) = download_backup {
                <button type="button" class="aa-button" {onclick}>{ "Download backup" }</button>
            }
        </div>
    }
}
