//! The help overlay: every key, in one place.

use yew::prelude::*;

use super::locale::use_locale;
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
    let l = use_locale();
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
        .map(|label| {
            let what = match label.description_in(&l) {
                Some(what) => l.f("help.toggle_described", &[("label", &label.name), ("description", &what)]),
                None => l.f("help.toggle", &[("label", &label.name)]),
            };
            (label.key.to_string(), what)
        })
        .collect();
    let fixed = [
        ("0", l.t("help.key.clear")),
        (l.t("help.keys.next"), l.t("help.key.next")),
        (l.t("help.keys.previous"), l.t("help.key.previous")),
        ("Home / End", l.t("help.key.first_last")),
        ("n", l.t("help.key.untagged")),
        ("Enter", l.t("help.key.enter")),
        (l.t("help.keys.space"), l.t("help.key.space")),
        ("Ctrl+Enter", l.t("help.key.save_note")),
        ("Escape", l.t("help.key.escape")),
        ("Ctrl+Z", l.t("help.key.undo")),
        (l.t("help.keys.redo"), l.t("help.key.redo")),
        ("?", l.t("help.key.help")),
    ];
    keys.extend(fixed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    html! {
        <div class="aa-help-backdrop">
            <div class="aa-help" role="dialog" aria-modal="true" aria-labelledby="aa-help-title" {onkeydown}>
                <h2 id="aa-help-title" class="aa-dialog-title">{ l.t("help.title") }</h2>
                <p class="aa-help-intro">{ l.t("help.intro") }</p>
                <table class="aa-help-keys">
                    <caption class="aa-visually-hidden">{ l.t("help.caption") }</caption>
                    <tbody>
                        { for keys.iter().map(|(key, what)| html! {
                            <tr><th scope="row"><kbd>{ key }</kbd></th><td>{ what }</td></tr>
                        }) }
                    </tbody>
                </table>
                <button type="button" class="aa-button aa-primary" ref={close} onclick={props.on_close.reform(|_: MouseEvent| ())}>{ l.t("help.close") }</button>
            </div>
        </div>
    }
}
