//! The summary: which sentences carry which labels, filtered, each a jump to its sentence.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::model::LabelSet;
use crate::core::state::Filter;

/// One listed sentence.
#[derive(Clone, PartialEq)]
pub struct Entry {
    /// Its index.
    pub sentence: usize,
    /// Its labels, space separated.
    pub labels: AttrValue,
    /// The start of its text.
    pub excerpt: AttrValue,
}

/// What the summary lists.
#[derive(Properties, PartialEq, Clone)]
pub struct SummaryProps {
    /// The labels on offer (the filter's choices).
    pub labels: Rc<LabelSet>,
    /// The current filter.
    pub filter: Filter,
    /// The matching sentences (at most `LIST_LIMIT`).
    pub entries: Rc<Vec<Entry>>,
    /// How many match in all.
    pub matching: usize,
    /// Changes the filter.
    pub on_filter: Callback<Filter>,
    /// Jumps to a sentence.
    pub on_jump: Callback<usize>,
    /// With teammates' tags at hand (team sync): whether everyone's are shown.
    #[prop_or_default]
    pub everyone: Option<bool>,
    /// Shows everyone's tags (`true`) or only mine.
    #[prop_or_default]
    pub on_everyone: Callback<bool>,
    /// Per sentence, teammates' tags in words.
    #[prop_or_default]
    pub team: Rc<Vec<Option<AttrValue>>>,
}

/// Most entries listed at once; the rest are counted.
pub const LIST_LIMIT: usize = 200;

/// A disclosure with the filter and the list of matching sentences.
#[component(Summary)]
pub fn summary(props: &SummaryProps) -> Html {
    let l = use_locale();
    let onchange = {
        let on_filter = props.on_filter.clone();
        Callback::from(move |e: Event| {
            let value = e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            on_filter.emit(match value.as_str() {
                "" => Filter::Tagged,
                "untagged" => Filter::Untagged,
                name => Filter::Label(name.trim_start_matches("label:").to_owned()),
            });
        })
    };
    let selected = match &props.filter {
        Filter::Tagged => String::new(),
        Filter::Untagged => "untagged".to_owned(),
        Filter::Label(name) => format!("label:{name}"),
    };
    html! {
        <details class="aa-summary">
            <summary>{ l.t("summary.title") }</summary>
            <div class="aa-summary-body">
                <label class="aa-filter">
                    { l.t("summary.show") }{ " " }
                    <select {onchange} aria-label={l.t("summary.filter")}>
                        <option value="" selected={selected.is_empty()}>{ l.t("summary.all_tagged") }</option>
                        { for props.labels.iter().map(|label| {
                            let value = format!("label:{}", label.name);
                            let is_selected = selected == value;
                            html! { <option selected={is_selected} {value}>{ l.f("summary.tagged_with", &[("label", &label.name)]) }</option> }
                        }) }
                        <option value="untagged" selected={selected == "untagged"}>{ l.t("summary.untagged") }</option>
                    </select>
                </label>
                if let Some(everyone) = props.everyone {
                    <label class="aa-filter">
                        { l.t("summary.whose") }{ " " }
                        <select data-action="whose" onchange={props.on_everyone.reform(|e: Event| e.target_dyn_into::<web_sys::HtmlSelectElement>().is_some_and(|s| s.value() == "everyone"))}>
                            <option value="mine" selected={!everyone}>{ l.t("summary.mine") }</option>
                            <option value="everyone" selected={everyone}>{ l.t("summary.everyone") }</option>
                        </select>
                    </label>
                }
                <p class="aa-summary-count">{ l.n("summary.matching", props.matching, &[]) }</p>
                <ol class="aa-summary-list">
                    { for props.entries.iter().map(|entry| {
                        let sentence = entry.sentence;
                        html! {
                            <li key={sentence}>
                                <button type="button" class="aa-jump" data-jump={sentence.to_string()}
                                    onclick={props.on_jump.reform(move |_: MouseEvent| sentence)}>
                                    <span class="aa-jump-number">{ sentence + 1 }</span>
                                    if !entry.labels.is_empty() {
                                        <span class="aa-jump-labels">{ entry.labels.clone() }</span>
                                    }
                                    <span class="aa-jump-text">{ entry.excerpt.clone() }</span>
                                    if props.everyone == Some(true) {
                                        if let Some(team) = props.team.get(sentence).cloned().flatten() {
                                            <span class="aa-jump-team">{ team }</span>
                                        }
                                    }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
                if props.matching > props.entries.len() {
                    <p class="aa-summary-more">{ l.n("list.more", props.matching - props.entries.len(), &[]) }</p>
                }
            </div>
        </details>
    }
}
