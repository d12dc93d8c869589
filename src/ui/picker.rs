//! The small label picker that opens on a clicked sentence.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::model::LabelSet;

/// What the picker needs to know.
#[derive(Properties, PartialEq, Clone)]
pub struct PickerProps {
    /// The sentence it acts on.
    pub sentence: usize,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// Names of the labels the sentence has.
    pub active: AttrValue,
    /// Where to draw it, relative to the widget: (top, left) in CSS pixels.
    pub at: (f64, f64),
    /// Whether the labels can be changed (not in read-only mode).
    #[prop_or(true)]
    pub editable: bool,
    /// Toggles a label by name.
    pub on_toggle: Callback<String>,
    /// Opens the note editor (offered on tagged sentences).
    #[prop_or_default]
    pub on_note: Option<Callback<()>>,
    /// Closes the picker.
    pub on_close: Callback<()>,
}

/// Buttons for each label with its key hint, and a close button.
#[component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let l = use_locale();
    // Keep the keyboard focus on the sentence while the mouse uses the picker.
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    // Placed through the CSS object model, not a style attribute, which a strict
    // Content-Security-Policy would refuse.
    let node = use_node_ref();
    // Escape on a picker button closes it (the sentence gets the focus back).
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                on_close.emit(());
            }
        })
    };
    {
        let node = node.clone();
        use_effect_with(props.at, move |(top, left)| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("top", &format!("{top:.0}px"));
                let _ = style.set_property("inset-inline-start", &format!("{left:.0}px"));
            }
        });
    }
    let active: Vec<&str> = props.active.split(' ').collect();
    html! {
        <div
            class="aa-picker"
            role="toolbar"
            aria-label={l.f("picker.label", &[("n", &(props.sentence + 1).to_string())])}
            ref={node}
            onmousedown={keep_focus}
            {onkeydown}
        >
            { for props.labels.iter().enumerate().map(|(i, label)| {
                let pressed = active.contains(&label.name.as_str());
                let name = label.name.clone();
                let onclick = props.on_toggle.reform(move |_: MouseEvent| name.clone());
                html! {
                    <button
                        type="button"
                        class={classes!("aa-picker-label", format!("aa-label-{i}"))}
                        disabled={!props.editable}
                        data-label={label.name.clone()}
                        aria-pressed={pressed.to_string()}
                        title={match label.description_in(&l) {
                            Some(what) => l.f("picker.toggle_described", &[("label", &label.name), ("key", &label.key.to_string()), ("description", &what)]),
                            None => l.f("picker.toggle", &[("label", &label.name), ("key", &label.key.to_string())]),
                        }}
                        {onclick}
                    >
                        <span class="aa-swatch" aria-hidden="true"></span>
                        { &label.name }
                        <kbd aria-hidden="true">{ label.key }</kbd>
                    </button>
                }
            }) }
            if let Some(on_note) = &props.on_note {
                <button type="button" class="aa-picker-note" title={l.t("picker.note.title")}
                    onclick={on_note.reform(|_: MouseEvent| ())}>{ l.t("picker.note") }</button>
            }
            <button type="button" class="aa-picker-close" aria-label={l.t("picker.close")} title={l.t("picker.close.title")}
                onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
        </div>
    }
}
