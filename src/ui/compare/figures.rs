//! The compare view's table of figures: per label and over whole label sets, each with
//! its reading in plain words, and the pairwise Cohen's kappa.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::agreement::compare::{Comparison, Reading};
use crate::core::i18n::Locale;
use crate::ui::locale::use_locale;

/// The figures of one comparison.
#[derive(Properties, PartialEq, Clone)]
pub struct FiguresProps {
    /// What is compared.
    pub comparison: Rc<Comparison>,
}

/// A coefficient, two decimals; undefined shows as a dash (never "NaN").
pub fn figure(value: Option<f64>, l: &Locale) -> Html {
    match value {
        Some(v) => html! { { l.decimal(v, 2) } },
        None => html! { <span title={l.t("figures.undefined").to_owned()}>{ "—" }</span> },
    }
}

fn percent(value: Option<f64>, l: &Locale) -> String {
    value.map_or_else(|| "—".to_owned(), |v| l.f("figures.percent", &[("percent", &l.decimal(v * 100.0, 0))]))
}

/// A reading in plain words.
pub fn reading_text(reading: Reading, l: &Locale) -> String {
    let alpha = |a: f64| l.decimal(a, 2);
    match reading {
        Reading::Good(a) => l.f("reading.good", &[("alpha", &alpha(a))]),
        Reading::Tentative(a) => l.f("reading.tentative", &[("alpha", &alpha(a))]),
        Reading::Poor(a) if a < 0.0 => l.f("reading.worse", &[("alpha", &alpha(a))]),
        Reading::Poor(a) => l.f("reading.poor", &[("alpha", &alpha(a))]),
        Reading::Full => l.t("reading.full").to_owned(),
        Reading::Unused => l.t("reading.unused").to_owned(),
        Reading::Single => l.t("reading.single").to_owned(),
        Reading::Empty => l.t("reading.empty").to_owned(),
    }
}

fn reading_line(label: &str, reading: Reading, l: &Locale) -> String {
    l.f("reading.line", &[("label", label), ("reading", &reading_text(reading, l))])
}

/// The table.
#[component(Figures)]
pub fn figures(props: &FiguresProps) -> Html {
    let l = use_locale();
    let c = &props.comparison;
    let report = &c.report;
    let names = &report.annotators;
    let pairs: Vec<(usize, usize)> = (0..names.len()).flat_map(|i| (i + 1..names.len()).map(move |j| (i, j))).collect();
    html! {
        <div class="aa-figures">
            <table class="aa-figures-table">
                <caption>{ l.t("figures.caption") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ l.t("figures.label") }</th>
                        <th scope="col"><abbr title={l.t("figures.alpha.title").to_owned()}>{ "α" }</abbr></th>
                        <th scope="col"><abbr title={l.t("figures.fleiss.title").to_owned()}>{ l.t("figures.fleiss") }</abbr></th>
                        <th scope="col">{ l.t("figures.all_agree") }</th>
                        <th scope="col">{ l.t("figures.reading") }</th>
                    </tr>
                </thead>
                <tbody>
                    { for report.labels.iter().map(|(label, f)| html! {
                        <tr data-label={label.clone()}>
                            <th scope="row">{ label }</th>
                            <td>{ figure(f.alpha, &l) }</td>
                            <td>{ figure(f.fleiss_kappa, &l) }</td>
                            <td>{ percent(f.percent, &l) }</td>
                            <td class="aa-reading">{ reading_line(label, c.label_reading(label, f), &l) }</td>
                        </tr>
                    }) }
                    <tr class="aa-figures-overall" data-label="" data-distance="masi">
                        <th scope="row"><abbr title={l.t("figures.masi.title").to_owned()}>{ l.t("figures.masi") }</abbr></th>
                        <td>{ figure(report.overall.alpha_masi, &l) }</td>
                        <td>{ "—" }</td>
                        <td>{ percent(report.overall.percent_exact, &l) }</td>
                        <td class="aa-reading">{ reading_line(l.t("figures.all_labels"), c.overall_reading(report.overall.alpha_masi), &l) }</td>
                    </tr>
                    <tr data-label="" data-distance="jaccard">
                        <th scope="row"><abbr title={l.t("figures.jaccard.title").to_owned()}>{ l.t("figures.jaccard") }</abbr></th>
                        <td>{ figure(report.overall.alpha_jaccard, &l) }</td>
                        <td>{ "—" }</td>
                        <td>{ percent(report.overall.percent_exact, &l) }</td>
                        <td class="aa-reading">{ reading_line(l.t("figures.all_labels"), c.overall_reading(report.overall.alpha_jaccard), &l) }</td>
                    </tr>
                </tbody>
            </table>
            if !pairs.is_empty() {
                <details class="aa-cohen">
                    <summary>{ l.t("figures.cohen") }</summary>
                    <table class="aa-figures-table">
                        <thead>
                            <tr>
                                <th scope="col">{ l.t("figures.annotators") }</th>
                                { for report.labels.iter().map(|(label, _)| html! { <th scope="col">{ label }</th> }) }
                            </tr>
                        </thead>
                        <tbody>
                            { for pairs.iter().map(|&(i, j)| html! {
                                <tr>
                                    <th scope="row">{ format!("{} – {}", names[i], names[j]) }</th>
                                    { for report.labels.iter().map(|(_, f)| html! {
                                        <td>{ figure(f.cohen_kappa.get(i).and_then(|row| row.get(j)).copied().flatten(), &l) }</td>
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            }
        </div>
    }
}
