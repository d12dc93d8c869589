//! The compare view's table of figures: per label and over whole label sets, each with
//! its reading in plain words, and the pairwise Cohen's kappa.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::agreement::compare::{Comparison, Reading};

/// The figures of one comparison.
#[derive(Properties, PartialEq, Clone)]
pub struct FiguresProps {
    /// What is compared.
    pub comparison: Rc<Comparison>,
}

/// A coefficient, two decimals; undefined shows as a dash (never "NaN").
pub fn figure(value: Option<f64>) -> Html {
    match value {
        Some(v) => html! { { format!("{v:.2}") } },
        None => html! { <span title="undefined">{ "—" }</span> },
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{:.0} %", v * 100.0))
}

/// A reading in plain words.
pub fn reading_text(reading: Reading) -> String {
    match reading {
        Reading::Good(a) => format!("good agreement (alpha {a:.2})"),
        Reading::Tentative(a) => format!("tentative agreement (alpha {a:.2}): draw conclusions with care"),
        Reading::Poor(a) if a < 0.0 => format!("worse than chance (alpha {a:.2})"),
        Reading::Poor(a) => format!("poor agreement (alpha {a:.2}): not reliable"),
        Reading::Full => "full agreement (alpha undefined: every annotator gave the same value on every sentence)".to_owned(),
        Reading::Unused => "not used by anyone (alpha undefined)".to_owned(),
        Reading::Single => "one annotator: add another to compare".to_owned(),
        Reading::Empty => "no sentences to compare".to_owned(),
    }
}

/// The table.
#[component(Figures)]
pub fn figures(props: &FiguresProps) -> Html {
    let c = &props.comparison;
    let report = &c.report;
    let names = &report.annotators;
    let pairs: Vec<(usize, usize)> = (0..names.len()).flat_map(|i| (i + 1..names.len()).map(move |j| (i, j))).collect();
    html! {
        <div class="aa-figures">
            <table class="aa-figures-table">
                <caption>{ "Agreement" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Label" }</th>
                        <th scope="col"><abbr title="Krippendorff's alpha">{ "α" }</abbr></th>
                        <th scope="col"><abbr title="Fleiss' kappa">{ "Fleiss κ" }</abbr></th>
                        <th scope="col">{ "All agree" }</th>
                        <th scope="col">{ "Reading" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for report.labels.iter().map(|(label, f)| html! {
                        <tr data-label={label.clone()}>
                            <th scope="row">{ label }</th>
                            <td>{ figure(f.alpha) }</td>
                            <td>{ figure(f.fleiss_kappa) }</td>
                            <td>{ percent(f.percent) }</td>
                            <td class="aa-reading">{ format!("{label}: {}", reading_text(c.label_reading(label, f))) }</td>
                        </tr>
                    }) }
                    <tr class="aa-figures-overall" data-label="" data-distance="masi">
                        <th scope="row"><abbr title="Krippendorff's alpha over whole label sets, MASI distance">{ "All labels (MASI)" }</abbr></th>
                        <td>{ figure(report.overall.alpha_masi) }</td>
                        <td>{ "—" }</td>
                        <td>{ percent(report.overall.percent_exact) }</td>
                        <td class="aa-reading">{ format!("all labels: {}", reading_text(c.overall_reading(report.overall.alpha_masi))) }</td>
                    </tr>
                    <tr data-label="" data-distance="jaccard">
                        <th scope="row"><abbr title="Krippendorff's alpha over whole label sets, Jaccard distance">{ "All labels (Jaccard)" }</abbr></th>
                        <td>{ figure(report.overall.alpha_jaccard) }</td>
                        <td>{ "—" }</td>
                        <td>{ percent(report.overall.percent_exact) }</td>
                        <td class="aa-reading">{ format!("all labels: {}", reading_text(c.overall_reading(report.overall.alpha_jaccard))) }</td>
                    </tr>
                </tbody>
            </table>
            if !pairs.is_empty() {
                <details class="aa-cohen">
                    <summary>{ "Pairwise Cohen's kappa" }</summary>
                    <table class="aa-figures-table">
                        <thead>
                            <tr>
                                <th scope="col">{ "Annotators" }</th>
                                { for report.labels.iter().map(|(label, _)| html! { <th scope="col">{ label }</th> }) }
                            </tr>
                        </thead>
                        <tbody>
                            { for pairs.iter().map(|&(i, j)| html! {
                                <tr>
                                    <th scope="row">{ format!("{} – {}", names[i], names[j]) }</th>
                                    { for report.labels.iter().map(|(_, f)| html! {
                                        <td>{ figure(f.cohen_kappa.get(i).and_then(|row| row.get(j)).copied().flatten()) }</td>
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
