//! The help overlay: every key, in one place.

use yew::prelude::*;

use crate::core::model::LabelSet;

/// The labels (their keys are listed) and how to close.
#[derive(Properties, PartialEq, Clone)]
pub struct HelpProps {
    /// The labels on offer.
    pub labels: std::rc::Rc<LabelSet>,
    /// Closes the overlay.
    pub on_close: Callback<()>,
}

/// A modal dialog listing the keys; focus starts on Close and stays inside until it closes.
#[component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let close = use_node_ref();
    {
        let close = close.clone();
        use_effect_with((), move |()| {
            if let Some(button) = close.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            match e.key().as_str() {
                "Escape" | "?" => {
                    e.prevent_default();
                    on_close.emit(());
                }
                // The dialog's only control keeps the focus: Tab does not leave a modal.
                "Tab" => e.prevent_default(),
                _ => {}
            }
        })
    };
    let mut keys: Vec<(String, String)> = props
        .labels
        .iter()
        .map(|l| (l.key.to_string(), l.description.as_ref().map_or_else(|| format!("toggle the label {}", l.name), |what| format!("toggle the label {}: {what}", l.name))))
        .collect();
    let fixed = [
        ("0", "clear the sentence's labels"),
        ("j or ↓ or →", "next sentence"),
        ("k or ↑ or ←", "previous sentence"),
        ("Home / End", "first / last sentence"),
        ("n", "next untagged sentence"),
        ("Enter", "note on a tagged sentence (labels on an untagged one)"),
        ("Space", "open or close the label picker"),
        ("Ctrl+Enter", "save the note being written"),
        ("Escape", "close what is open"),
        ("Ctrl+Z", "undo"),
        ("Ctrl+Shift+Z or Ctrl+Y", "redo"),
        ("?", "show or hide this help"),
    ];
    keys.extend(fixed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    html! {
        <div class="aa-help-backdrop">
            <div class="aa-help" role="dialog" aria-modal="true" aria-labelledby="aa-help-title" {onkeydown}>
                <h2 id="aa-help-title" class="aa-dialog-title">{ "Keyboard" }</h2>
                <p class="aa-help-intro">{ "Click a sentence, or focus the article and use these keys. Keys never act while you type in a field." }</p>
                <table class="aa-help-keys">
                    <caption class="aa-visually-hidden">{ "Keys and what they do" }</caption>
                    <tbody>
                        { for keys.iter().map(|(key, what)| html! {
                            <tr><th scope="row"><kbd>{ key }</kbd></th><td>{ what }</td></tr>
                        }) }
                    </tbody>
                </table>
                <button type="button" class="aa-button aa-primary" ref={close} onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </div>
    }
}
