//! Inter-annotator agreement: how far several readers who tagged the same article agree.
//!
//! [`ratings`] places each annotator's export on the sentences of the article (every
//! sentence is a unit; an annotator's value is the set of labels on it, the empty set
//! included); [`measures`] holds the coefficients, pure maths over a units × annotators
//! matrix; [`Report`] is what the `agreement` example prints (the testing contract in
//! DESIGN.md), checked against NLTK, statsmodels and scikit-learn by
//! `tests/agreement/reference.py` (`cargo xtask test`, step `agreement`).

pub mod compare;
pub mod measures;
pub mod ratings;
pub mod source;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use measures::{cohen_kappa, fleiss_kappa, jaccard_distance, krippendorff_alpha, masi_distance, nominal, percent_agreement};
pub use ratings::{AnnotatorTags, Ratings, SentenceTags};

/// The agreement on one label, its value per unit being present or absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelAgreement {
    /// Krippendorff's alpha, nominal distance.
    pub alpha: Option<f64>,
    /// Fleiss' kappa with two categories, present and absent.
    pub fleiss_kappa: Option<f64>,
    /// Share of sentences on which every annotator agrees.
    pub percent: Option<f64>,
    /// Cohen's kappa for every pair of annotators, `[i][j]` in annotator order; 1.0 on
    /// the diagonal (by convention, even for an annotator who never changes value).
    pub cohen_kappa: Vec<Vec<Option<f64>>>,
}

/// The agreement on whole label sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverallAgreement {
    /// Krippendorff's alpha with the MASI distance.
    pub alpha_masi: Option<f64>,
    /// Krippendorff's alpha with the Jaccard distance.
    pub alpha_jaccard: Option<f64>,
    /// Share of sentences on which every annotator gave exactly the same set.
    pub percent_exact: Option<f64>,
}

/// Everything the `agreement` command prints. `None` serialises as `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Annotator names, in argument order.
    pub annotators: Vec<String>,
    /// Number of sentences (units).
    pub sentences: usize,
    /// Per label, in label-set order (a JSON object keeps that order when written).
    #[serde(serialize_with = "in_order")]
    pub labels: Vec<(String, LabelAgreement)>,
    /// Over label sets.
    pub overall: OverallAgreement,
}

fn in_order<S: Serializer>(labels: &[(String, LabelAgreement)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(labels.len()))?;
    for (name, agreement) in labels {
        map.serialize_entry(name, agreement)?;
    }
    map.end()
}

impl Report {
    /// Computes every figure for `ratings`.
    pub fn of(ratings: &Ratings) -> Self {
        let labels = ratings.labels().into_iter().map(|label| {
            let agreement = label_agreement(&ratings.presence(&label), ratings.annotators.len());
            (label, agreement)
        });
        let sets = ratings.label_sets();
        Self {
            annotators: ratings.annotators.iter().map(|a| a.name.clone()).collect(),
            sentences: ratings.sentences,
            labels: labels.collect(),
            overall: OverallAgreement {
                alpha_masi: krippendorff_alpha(&sets, masi_distance),
                alpha_jaccard: krippendorff_alpha(&sets, jaccard_distance),
                percent_exact: percent_agreement(&sets),
            },
        }
    }

    /// The report as one line of JSON (what the command prints).
    pub fn to_json(&self) -> String {
        // Plain structs of strings and numbers: serialising cannot fail (and JSON
        // has no NaN: every undefined figure is already `None`).
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The agreement on one label from `units[sentence][annotator]` = present.
fn label_agreement(units: &[Vec<Option<bool>>], annotators: usize) -> LabelAgreement {
    let column = |a: usize| -> Vec<Option<bool>> { units.iter().map(|u| u.get(a).copied().flatten()).collect() };
    let columns: Vec<Vec<Option<bool>>> = (0..annotators).map(column).collect();
    let cohen = (0..annotators)
        .map(|i| (0..annotators).map(|j| if i == j { Some(1.0) } else { cohen_kappa(&columns[i], &columns[j]) }).collect())
        .collect();
    let counts: Vec<Vec<usize>> = units
        .iter()
        .map(|u| {
            let present = u.iter().filter(|v| **v == Some(true)).count();
            let absent = u.iter().filter(|v| **v == Some(false)).count();
            vec![absent, present]
        })
        .collect();
    LabelAgreement {
        alpha: krippendorff_alpha(units, nominal),
        fleiss_kappa: fleiss_kappa(&counts),
        percent: percent_agreement(units),
        cohen_kappa: cohen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;
    use crate::core::model::{Annotation, Document};

    fn ratings(text: &str, tags: &[&[(usize, &[&str])]]) -> Ratings {
        let doc = Document::new("d", text);
        let annotators = tags
            .iter()
            .enumerate()
            .map(|(n, list)| {
                let annotations: Vec<Annotation> = list
                    .iter()
                    .map(|&(s, labels)| Annotation {
                        id: format!("{n}-{s}"),
                        labels: labels.iter().map(|l| l.to_string()).collect(),
                        note: None,
                        target: target_for(&doc, &doc.sentences()[s]),
                        created: "t".into(),
                        modified: "t".into(),
                        versions: Default::default(),
                    })
                    .collect();
                AnnotatorTags::place(format!("r{n}"), &doc, &annotations)
            })
            .collect();
        Ratings::new(&doc, annotators)
    }

    const TEXT: &str = "One here. Two there. Three now. Four last.";

    #[test]
    fn unused_label_is_undefined_but_fully_agreed() {
        let r = Report::of(&ratings(TEXT, &[&[(0, &["claim"]), (1, &["quote"])], &[(0, &["claim"]), (2, &["quote"])]]));
        let position = &r.labels.iter().find(|(l, _)| l == "position").map(|(_, a)| a.clone());
        let position = position.as_ref().unwrap_or_else(|| panic!("no position in {r:?}"));
        assert_eq!((position.alpha, position.fleiss_kappa, position.percent), (None, None, Some(1.0)));
        assert_eq!(position.cohen_kappa, vec![vec![Some(1.0), None], vec![None, Some(1.0)]]);
        let claim = &r.labels[0].1;
        assert_eq!((claim.alpha, claim.fleiss_kappa, claim.percent), (Some(1.0), Some(1.0), Some(1.0)));
        assert_eq!(claim.cohen_kappa[0][1], Some(1.0));
        assert_eq!(r.overall.percent_exact, Some(0.5));
    }

    #[test]
    fn one_annotator_has_percent_one_and_nothing_else() {
        let r = Report::of(&ratings(TEXT, &[&[(0, &["claim"])]]));
        let claim = &r.labels[0].1;
        assert_eq!((claim.alpha, claim.fleiss_kappa, claim.percent), (None, None, Some(1.0)));
        assert_eq!(claim.cohen_kappa, vec![vec![Some(1.0)]]);
        assert_eq!(r.overall, OverallAgreement { alpha_masi: None, alpha_jaccard: None, percent_exact: Some(1.0) });
    }

    #[test]
    fn an_article_without_sentences_gives_nulls_and_a_full_cohen_matrix() {
        let r = Report::of(&ratings("  \n ", &[&[], &[]]));
        assert_eq!(r.sentences, 0);
        let claim = &r.labels[0].1;
        assert_eq!((claim.alpha, claim.fleiss_kappa, claim.percent), (None, None, None));
        assert_eq!(claim.cohen_kappa, vec![vec![Some(1.0), None], vec![None, Some(1.0)]]);
        assert_eq!(r.overall, OverallAgreement { alpha_masi: None, alpha_jaccard: None, percent_exact: None });
    }

    #[test]
    fn json_has_the_contract_shape_with_null_for_undefined() {
        let r = Report::of(&ratings(TEXT, &[&[(0, &["claim", "quote"])], &[(0, &["claim"]), (3, &["zeta"])]]));
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap_or_default();
        assert_eq!(json["annotators"], serde_json::json!(["r0", "r1"]));
        assert_eq!(json["sentences"], 4);
        let keys: Vec<&str> = json["labels"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
        for label in ["claim", "quote", "position", "zeta"] {
            assert!(keys.contains(&label), "{keys:?}");
        }
        assert_eq!(json["labels"]["position"]["alpha"], serde_json::Value::Null);
        assert_eq!(json["labels"]["claim"]["cohen_kappa"][0][0], 1.0);
        assert!(json["overall"]["alpha_masi"].is_f64());
        assert!(json["overall"]["percent_exact"].is_f64());
        assert!(!r.to_json().contains("NaN"));
    }
}
