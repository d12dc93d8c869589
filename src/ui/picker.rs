//! The small label picker that opens on a clicked sentence.

use std::rc::Rc;

use yew::prelude::*;

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
    /// Toggles a label by name.
    pub on_toggle: Callback<String>,
    /// Closes the picker.
    pub on_close: Callback<()>,
}

/// Buttons for each label with its key hint, and a close button.
#[component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    // Keep the keyboard focus on the sentence while the mouse uses the picker.
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    let (top, left) = props.at;
    let active: Vec<&str> = props.active.split(' ').collect();
    html! {
        <div
            class="aa-picker"
            role="toolbar"
            aria-label={format!("Labels for sentence {}", props.sentence + 1)}
            style={format!("top: {top:.0}px; left: {left:.0}px;")}
            onmousedown={keep_focus}
        >
            { for props.labels.iter().map(|label| {
                let pressed = active.contains(&label.name.as_str());
                let name = label.name.clone();
                let onclick = props.on_toggle.reform(move |_: MouseEvent| name.clone());
                html! {
                    <button
                        type="button"
                        class="aa-picker-label"
                        data-label={label.name.clone()}
                        aria-pressed={pressed.to_string()}
                        title={format!("Toggle {} (key {})", label.name, label.key)}
                        style={format!("--aa-label-color: {}; --aa-label-line: {};", label.color, label.line)}
                        {onclick}
                    >
                        <span class="aa-swatch" aria-hidden="true"></span>
                        { &label.name }
                        <kbd aria-hidden="true">{ label.key }</kbd>
                    </button>
                }
            }) }
            <button type="button" class="aa-picker-close" aria-label="Close labels" title="Close (Escape)"
                onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "×" }</button>
        </div>
    }
}
