//! One sentence in the compare view: who gave which labels, and the final (gold)
//! labels the reviewer sets, with accept, join and reviewed.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::i18n::Locale;
use crate::core::model::LabelSet;
use crate::ui::locale::use_locale;

/// What one row shows and does.
#[derive(Properties, PartialEq, Clone)]
pub struct RowProps {
    /// The sentence's index.
    pub sentence: usize,
    /// Its text.
    pub text: AttrValue,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The annotators' names.
    pub names: Rc<Vec<AttrValue>>,
    /// What each annotator gave, in annotator order.
    pub given: Vec<Vec<String>>,
    /// The final labels.
    pub gold: Vec<String>,
    /// Whether the reviewer marked it reviewed.
    pub reviewed: bool,
    /// Whether the annotators disagree here.
    pub disagree: bool,
    /// Whether it is the row the keys act on (it takes the tab stop).
    pub current: bool,
    /// The final labels become these.
    pub on_set: Callback<Vec<String>>,
    /// Marks it reviewed or not.
    pub on_reviewed: Callback<bool>,
    /// It became the current row.
    pub on_current: Callback<()>,
}

fn badges(labels: &LabelSet, names: &[String], l: &Locale) -> Html {
    if names.is_empty() {
        return html! { <span class="aa-none">{ l.t("row.none") }</span> };
    }
    html! {
        { for names.iter().map(|name| {
            let rank = labels.iter().position(|l| &l.name == name);
            html! { <span class={classes!("aa-badge", rank.map(|i| format!("aa-label-{i}")))}>{ name }</span> }
        }) }
    }
}

/// The row.
#[component(CompareRow)]
pub fn compare_row(props: &RowProps) -> Html {
    let l = use_locale();
    let n = (props.sentence + 1).to_string();
    let n = n.as_str();
    let joined = {
        let mut all: Vec<String> = props.given.iter().flatten().cloned().collect();
        props.labels.sort(&mut all);
        all
    };
    let onfocusin = props.on_current.reform(|_: FocusEvent| ());
    html! {
        <li class={classes!("aa-cmp-row", props.disagree.then_some("aa-cmp-disagree"), props.reviewed.then_some("aa-cmp-reviewed"))}
            data-sentence={props.sentence.to_string()} data-disagree={props.disagree.then_some("")} data-reviewed={props.reviewed.then_some("")}
            tabindex={if props.current { "0" } else { "-1" }} {onfocusin}
            aria-label={match (props.disagree, props.reviewed) {
                (true, false) => l.f("row.label.disagree", &[("n", n)]),
                (false, false) => l.f("row.label.agree", &[("n", n)]),
                (true, true) => l.f("row.label.disagree_reviewed", &[("n", n)]),
                (false, true) => l.f("row.label.agree_reviewed", &[("n", n)]),
            }}>
            <div class="aa-cmp-top">
                <span class="aa-cmp-number">{ l.f("row.sentence", &[("n", n)]) }</span>
                if props.disagree {
                    <span class="aa-cmp-flag">{ l.t("row.flag") }</span>
                }
                <button type="button" class="aa-button aa-cmp-review" data-action="reviewed" aria-pressed={props.reviewed.to_string()}
                    title={l.t("row.mark_reviewed.title").to_owned()} onclick={props.on_reviewed.reform({ let on = !props.reviewed; move |_: MouseEvent| on })}>
                    { if props.reviewed { l.t("row.reviewed") } else { l.t("row.mark_reviewed") } }
                </button>
            </div>
            <p class="aa-cmp-text">{ props.text.clone() }</p>
            <table class="aa-cmp-given">
                <tbody>
                    { for props.names.iter().zip(&props.given).map(|(name, given)| {
                        let set = given.clone();
                        html! {
                            <tr>
                                <th scope="row">{ name }</th>
                                <td>{ badges(&props.labels, given, &l) }</td>
                                <td>
                                    <button type="button" class="aa-button aa-small" data-action="accept"
                                        aria-label={l.f("row.accept.label", &[("name", name), ("n", n)])}
                                        onclick={props.on_set.reform(move |_: MouseEvent| set.clone())}>{ l.t("row.accept") }</button>
                                </td>
                            </tr>
                        }
                    }) }
                    <tr class="aa-cmp-gold">
                        <th scope="row">{ l.t("row.final") }</th>
                        <td>
                            <span class="aa-cmp-toggles" role="group" aria-label={l.f("row.final.label", &[("n", n)])}>
                                { for props.labels.iter().enumerate().map(|(i, label)| {
                                    let on = props.gold.contains(&label.name);
                                    let next: Vec<String> = if on {
                                        props.gold.iter().filter(|l| **l != label.name).cloned().collect()
                                    } else {
                                        props.gold.iter().cloned().chain(std::iter::once(label.name.clone())).collect()
                                    };
                                    html! {
                                        <button type="button" class={classes!("aa-cmp-toggle", format!("aa-label-{i}"))} aria-pressed={on.to_string()}
                                            title={l.f("row.toggle.title", &[("label", &label.name), ("key", &label.key.to_string())])}
                                            onclick={props.on_set.reform(move |_: MouseEvent| next.clone())}>
                                            <span class="aa-swatch" aria-hidden="true"></span>{ &label.name }
                                        </button>
                                    }
                                }) }
                            </span>
                        </td>
                        <td>
                            <button type="button" class="aa-button aa-small" data-action="join" title={l.t("row.join.title").to_owned()}
                                aria-label={l.f("row.join.label", &[("n", n)])}
                                onclick={props.on_set.reform(move |_: MouseEvent| joined.clone())}>{ l.t("row.join") }</button>
                        </td>
                    </tr>
                </tbody>
            </table>
        </li>
    }
}
