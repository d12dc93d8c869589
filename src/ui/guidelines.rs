//! The Guidelines panel: what each label means, with its key and its colour, so that
//! every annotator of a team tags by the same rules.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::model::LabelSet;

/// What the panel lists.
#[derive(Properties, PartialEq, Clone)]
pub struct GuidelinesProps {
    /// The labels on offer, with their descriptions.
    pub labels: Rc<LabelSet>,
}

/// The labels and their guidelines, folded away until opened. Nothing is shown when
/// no label has a description.
#[component(Guidelines)]
pub fn guidelines(props: &GuidelinesProps) -> Html {
    let l = use_locale();
    if props.labels.iter().all(|l| l.description.is_none()) {
        return html! {};
    }
    html! {
        <details class="aa-guidelines">
            <summary>{ l.t("guidelines.title") }</summary>
            <dl class="aa-guidelines-list">
                { for props.labels.iter().enumerate().map(|(i, label)| html! {
                    <div class="aa-guideline" data-label={label.name.clone()}>
                        <dt>
                            <span class={classes!("aa-swatch", format!("aa-label-{i}"))} aria-hidden="true"></span>
                            { &label.name }{ " " }<kbd>{ label.key }</kbd>
                        </dt>
                        <dd>{ label.description_in(&l).unwrap_or_default() }</dd>
                    </div>
                }) }
            </dl>
        </details>
    }
}
