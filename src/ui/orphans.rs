//! Annotations that could not be placed in this version of the article.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::model::Annotation;

/// The orphans and how to remove one.
#[derive(Properties, PartialEq, Clone)]
pub struct OrphansProps {
    /// The orphaned annotations.
    pub orphans: Vec<Rc<Annotation>>,
    /// Removes the orphan with this id.
    pub on_remove: Callback<String>,
}

/// The "Orphaned" panel: each orphan's labels and quote, and a remove button.
#[component(Orphans)]
pub fn orphans(props: &OrphansProps) -> Html {
    let l = use_locale();
    if props.orphans.is_empty() {
        return html! {};
    }
    html! {
        <section class="aa-orphans" aria-labelledby="aa-orphans-title">
            <h2 id="aa-orphans-title" class="aa-orphans-title">{ l.f("orphans.title", &[("n", &l.count(props.orphans.len()))]) }</h2>
            <p class="aa-orphans-help">
                { l.t("orphans.help") }
            </p>
            <ul class="aa-orphan-list">
                { for props.orphans.iter().map(|a| {
                    let id = a.id.clone();
                    let quote: String = a.target.quote.exact.chars().take(160).collect();
                    let cut = a.target.quote.exact.chars().count() > 160;
                    html! {
                        <li class="aa-orphan" key={a.id.clone()} data-labels={a.labels.join(" ")}>
                            <span class="aa-orphan-labels">{ a.labels.join(", ") }</span>
                            <q class="aa-orphan-quote">{ quote }{ if cut { "…" } else { "" } }</q>
                            <button type="button" class="aa-button" aria-label={l.f("orphans.remove.label", &[("labels", &a.labels.join(", "))])}
                                onclick={props.on_remove.reform(move |_: MouseEvent| id.clone())}>{ l.t("orphans.remove") }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
