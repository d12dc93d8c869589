//! The compare view: several annotators' tags on this article side by side, the
//! sentences where they disagree first, the agreement figures with their reading, and
//! the adjudication of a gold set (accept, join or edit, then mark reviewed).
//!
//! The logic is in `core::agreement::compare`; the gold set is kept by `use_gold`.
//! This component renders and dispatches.

mod figures;
mod row;

use std::rc::Rc;

use yew::prelude::*;

use crate::core::agreement::compare::{compare_key, CompareKey, Comparison};
use crate::core::agreement::AnnotatorTags;
use crate::core::model::{Annotation, Document, LabelSet};
use crate::core::options::StorageMode;
use crate::core::state::Action;
use crate::core::codec::table;
use crate::platform::{download, now_ms};
use crate::ui::hooks::{use_exports, use_gold, Other};
use crate::ui::locale::use_locale;
use crate::ui::persistence::Notice;
use crate::ui::saver::SaveStatus;
use figures::Figures;
use row::CompareRow;

/// What the compare view is given.
#[derive(Properties, PartialEq, Clone)]
pub struct CompareProps {
    /// The article.
    pub doc: Rc<Document>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The reader's own name and tags (compared too when there are any).
    pub own: (AttrValue, Rc<Vec<Annotation>>),
    /// The other annotators, from files.
    pub others: Rc<Vec<Other>>,
    /// Teammates from the team database (when sync is on), compared after the files.
    #[prop_or_default]
    pub team: Rc<Vec<Other>>,
    /// Where the gold set is kept.
    pub storage: StorageMode,
    /// The article's URL, for the W3C export.
    #[prop_or_default]
    pub source: Option<AttrValue>,
    /// "Add files…".
    pub on_add: Callback<()>,
    /// Drops another annotator (by its place in `others`).
    pub on_remove: Callback<usize>,
    /// Back to the article.
    pub on_close: Callback<()>,
}

fn texts_len(doc: &Document) -> usize {
    doc.sentences().len()
}

/// The view.
#[component(Compare)]
pub fn compare(props: &CompareProps) -> Html {
    // The embed build leaves the view out (its loader swaps in the full build first).
    if !crate::ui::FULL {
        return Html::default();
    }
    let comparison = use_memo((props.doc.clone(), props.own.clone(), props.others.clone(), props.team.clone()), |(doc, (own_name, own), others, team)| {
        let mut annotators = Vec::new();
        if !own.is_empty() {
            annotators.push(AnnotatorTags::place(own_name.as_str(), doc, own));
        }
        annotators.extend(others.iter().chain(team.iter()).map(|o| AnnotatorTags::place(o.name.as_str(), doc, &o.annotations)));
        Rc::new(Comparison::new(doc, annotators))
    });
    let comparison: Rc<Comparison> = (*comparison).clone();
    let l = use_locale();
    let gold = use_gold(props.doc.clone(), props.labels.clone(), props.storage, l.clone());
    let notice = use_state(|| None::<Notice>);
    let exports = use_exports(gold.state.clone(), props.source.clone(), AttrValue::Static("gold"), notice.clone(), l.clone());
    let wide = {
        let (comparison, gold_state, notice, l) = (comparison.clone(), gold.state.clone(), notice.clone(), l.clone());
        let doc = props.doc.clone();
        Callback::from(move |_: MouseEvent| {
            // Every annotator's column, then the gold set's.
            let gold_annotations: Vec<Annotation> = gold_state.0.annotations().cloned().collect();
            let mut ratings = comparison.ratings.clone();
            ratings.annotators.push(AnnotatorTags::place("gold", &doc, &gold_annotations));
            let text = table::wide_csv(&doc, &ratings);
            if let Err(message) = download::download(&download::file_name_for(&doc.id, "-compare.csv"), "text/csv", &text) {
                notice.set(Some(Notice { text: l.f("notice.export_failed", &[("detail", &message)]), backup: None }));
            }
        })
    };
    let show_agreed = use_state(|| false);
    let order = comparison.order();
    let disagreements = comparison.disagreements();
    let listed: Vec<usize> = if *show_agreed { order.clone() } else { order.iter().copied().take(disagreements).collect() };
    let current = use_state(|| order.first().copied().unwrap_or(0));
    let list = use_node_ref();
    let move_focus = use_mut_ref(|| false);
    {
        let (list, move_focus) = (list.clone(), move_focus.clone());
        use_effect_with(*current, move |sentence| {
            if std::mem::take(&mut *move_focus.borrow_mut()) {
                let selector = format!("[data-sentence=\"{sentence}\"]");
                if let Some(row) = list.cast::<web_sys::Element>().and_then(|l| l.query_selector(&selector).ok().flatten()) {
                    if let Ok(row) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(row) {
                        let _ = row.focus();
                        row.scroll_into_view_with_bool(false);
                    }
                }
            }
        });
    }
    let gold_now = &gold.state.0;
    let set_labels = {
        let dispatcher = gold.state.dispatcher();
        move |sentence: usize| dispatcher.to_callback().reform(move |labels: Vec<String>| Action::SetLabels { sentence, labels, now_ms: now_ms() })
    };
    let onkeydown = {
        let (comparison, current, listed, labels, gold_state, mark, reviewed, on_close, move_focus) =
            (comparison.clone(), current.clone(), listed.clone(), props.labels.clone(), gold.state.clone(), gold.mark.clone(), gold.reviewed.clone(), props.on_close.clone(), move_focus.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.alt_key() || e.meta_key() {
                return;
            }
            let Some(key) = compare_key(&e.key(), &labels) else { return };
            let at = *current;
            let go = |to: Option<usize>| {
                if let Some(to) = to {
                    *move_focus.borrow_mut() = true;
                    current.set(to);
                }
            };
            let gold_labels = gold_state.0.labels_of(at).map(<[String]>::to_vec).unwrap_or_default();
            let set = |labels: Vec<String>| gold_state.dispatch(Action::SetLabels { sentence: at, labels, now_ms: now_ms() });
            match key {
                CompareKey::Disagreement(forward) => go(comparison.next_disagreement(at, forward)),
                CompareKey::Row(forward) => {
                    let place = listed.iter().position(|&s| s == at);
                    let next = match (place, forward) {
                        (Some(p), true) => listed.get(p + 1).copied(),
                        (Some(p), false) => p.checked_sub(1).and_then(|p| listed.get(p).copied()),
                        (None, _) => listed.first().copied(),
                    };
                    go(next);
                }
                CompareKey::Toggle(label) => {
                    let mut next = gold_labels.clone();
                    if next.contains(&label) {
                        next.retain(|l| *l != label);
                    } else {
                        next.push(label);
                    }
                    set(next);
                }
                CompareKey::Join => set(comparison.joined(at, &labels)),
                CompareKey::Clear => set(Vec::new()),
                CompareKey::Reviewed => mark.emit((at, !reviewed.get(at).copied().unwrap_or(false))),
                CompareKey::Close => on_close.emit(()),
            }
            e.prevent_default();
        })
    };
    let names: Rc<Vec<AttrValue>> = Rc::new(comparison.report.annotators.iter().map(|n| AttrValue::from(n.clone())).collect());
    let own_compared = !props.own.1.is_empty();
    let reviewed_count = gold.reviewed.iter().filter(|r| **r).count();
    let gold_status = match &gold.save_status {
        SaveStatus::Saved => l.t("compare.gold.saved"),
        SaveStatus::Pending => l.t("compare.gold.saving"),
        SaveStatus::Failed(_) => l.t("compare.gold.not_saved"),
    };
    let count = [
        l.n("compare.annotators", names.len(), &[]),
        l.n("compare.disagree", texts_len(&props.doc), &[("disagree", &l.count(disagreements))]),
        l.n("compare.reviewed", reviewed_count, &[]),
    ]
    .join(" · ");
    let doc = &props.doc;
    let texts: Vec<&str> = doc.sentences().iter().map(|s| doc.sentence_text(s)).collect();
    html! {
        <section class="aa-compare" aria-labelledby="aa-compare-title">
            <div class="aa-compare-head">
                <h2 class="aa-compare-title" id="aa-compare-title">{ l.t("compare.title") }</h2>
                <p class="aa-compare-count" role="status">
                    { count }
                </p>
                <ul class="aa-compare-who" aria-label={l.t("compare.who.label").to_owned()}>
                    { for names.iter().enumerate().map(|(i, name)| {
                        let other = if own_compared { i.checked_sub(1) } else { Some(i) };
                        // Teammates come from the database: not removable here.
                        let from_file = other.filter(|n| *n < props.others.len());
                        let own = other.is_none();
                        html! {
                            <li class="aa-who">
                                { name }
                                if own { <span class="aa-who-own">{ " " }{ l.t("compare.who.own") }</span> }
                                if let Some(n) = from_file {
                                    <button type="button" class="aa-who-remove" aria-label={l.f("compare.who.remove", &[("name", name)])}
                                        onclick={props.on_remove.reform(move |_: MouseEvent| n)}>{ "×" }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
                <div class="aa-compare-actions">
                    <button type="button" class="aa-button" data-action="compare-add" onclick={props.on_add.reform(|_: MouseEvent| ())}>{ l.t("compare.add") }</button>
                    <button type="button" class="aa-button" data-action="export-wide-csv" title={l.t("compare.export_wide.title").to_owned()}
                        onclick={wide}>{ l.t("compare.export_wide") }</button>
                    <button type="button" class="aa-button" data-action="export-gold-csv" title={l.t("compare.export_gold_csv.title").to_owned()}
                        onclick={exports.csv.reform(|_: MouseEvent| ())}>{ l.t("compare.export_gold_csv") }</button>
                    <button type="button" class="aa-button" data-action="export-gold-json" title={l.t("compare.export_gold_json.title").to_owned()}
                        onclick={exports.json.reform(|_: MouseEvent| ())}>{ l.t("compare.export_gold_json") }</button>
                    <button type="button" class="aa-button aa-primary" data-action="compare-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ l.t("compare.close") }</button>
                    if props.storage == StorageMode::Local {
                        <span class="aa-save-status">{ gold_status }</span>
                    }
                </div>
            </div>
            { for [gold.notice.as_ref(), notice.as_ref()].into_iter().flatten().map(|n| html! { <div class="aa-notice" role="status"><span>{ &n.text }</span></div> }) }
            if names.len() < 2 {
                <p class="aa-compare-hint">{ l.t("compare.hint") }</p>
            }
            <Figures comparison={comparison.clone()} />
            <p class="aa-compare-keys">
                { l.t("compare.keys.intro") }{ " " }<kbd>{ "n" }</kbd>{ " / " }<kbd>{ "p" }</kbd>{ " " }{ l.t("compare.keys.disagreement") }{ ", " }
                <kbd>{ "↓" }</kbd>{ " " }<kbd>{ "↑" }</kbd>{ " " }{ l.t("compare.keys.sentence") }{ ", " }
                { for props.labels.iter().map(|label| html! { <><kbd>{ label.key }</kbd>{ " " }</> }) }{ l.t("compare.keys.toggle") }{ ", " }
                <kbd>{ "u" }</kbd>{ " " }{ l.t("compare.keys.join") }{ ", " }<kbd>{ "0" }</kbd>{ " " }{ l.t("compare.keys.clear") }{ ", " }
                <kbd>{ "r" }</kbd>{ " " }{ l.t("compare.keys.reviewed") }{ ", " }<kbd>{ "Esc" }</kbd>{ " " }{ l.t("compare.keys.back") }{ "." }
            </p>
            if disagreements == 0 && !*show_agreed {
                <p class="aa-compare-none">{ l.t("compare.none") }</p>
            }
            <ol class="aa-compare-list" ref={list} {onkeydown} aria-label={l.t("compare.list.label").to_owned()}>
                { for listed.iter().map(|&s| {
                    let given: Vec<Vec<String>> = (0..names.len()).map(|a| comparison.labels_of(a, s).to_vec()).collect();
                    let on_current = { let current = current.clone(); Callback::from(move |()| if *current != s { current.set(s) }) };
                    html! {
                        <CompareRow
                            key={s}
                            sentence={s}
                            text={AttrValue::from(texts.get(s).copied().unwrap_or_default().to_owned())}
                            labels={props.labels.clone()}
                            names={names.clone()}
                            {given}
                            gold={gold_now.labels_of(s).map(<[String]>::to_vec).unwrap_or_default()}
                            reviewed={gold.reviewed.get(s).copied().unwrap_or(false)}
                            disagree={comparison.disagree.get(s).copied().unwrap_or(false)}
                            current={*current == s}
                            on_set={set_labels(s)}
                            on_reviewed={gold.mark.reform(move |on| (s, on))}
                            {on_current}
                        />
                    }
                }) }
            </ol>
            if texts.len() > disagreements {
                <button type="button" class="aa-button aa-compare-more" data-action="compare-agreed" aria-expanded={show_agreed.to_string()}
                    onclick={{ let show = show_agreed.clone(); Callback::from(move |_: MouseEvent| show.set(!*show)) }}>
                    { if *show_agreed { l.n("compare.agreed.hide", texts.len() - disagreements, &[]) } else { l.n("compare.agreed.show", texts.len() - disagreements, &[]) } }
                </button>
            }
        </section>
    }
}
