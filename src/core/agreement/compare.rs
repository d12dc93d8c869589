//! The compare view's logic, pure: several annotators' labels per sentence, the
//! sentences where they disagree first, a plain-words reading of each figure, and the
//! moves from one disagreement to the next. The widget only renders this.

use super::{AnnotatorTags, LabelAgreement, Ratings, Report};
use crate::core::model::{Document, LabelSet};

/// Krippendorff's rule of thumb: from this alpha on, data are reliable.
pub const GOOD_ALPHA: f64 = 0.8;
/// From this alpha up to [`GOOD_ALPHA`], only tentative conclusions may be drawn.
pub const TENTATIVE_ALPHA: f64 = 0.667;

/// The document id of the gold set adjudicated for document `doc_id`: its own
/// annotation set, stored, merged and exported like any other.
pub fn gold_id(doc_id: &str) -> String {
    format!("{doc_id}~gold")
}

/// Several annotators' work on one article, compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The annotators' labels per sentence.
    pub ratings: Ratings,
    /// Every figure (the `agreement` command's report).
    pub report: Report,
    /// Per sentence: whether the annotators gave it different label sets.
    pub disagree: Vec<bool>,
}

impl Comparison {
    /// Compares `annotators` (each placed on `doc` already).
    pub fn new(doc: &Document, annotators: Vec<AnnotatorTags>) -> Self {
        let ratings = Ratings::new(doc, annotators);
        let report = Report::of(&ratings);
        let disagree = ratings
            .label_sets()
            .iter()
            .map(|sets| sets.windows(2).any(|pair| pair[0] != pair[1]))
            .collect();
        Self { ratings, report, disagree }
    }

    /// How many sentences the annotators disagree on.
    pub fn disagreements(&self) -> usize {
        self.disagree.iter().filter(|d| **d).count()
    }

    /// The sentences in the order the view lists them: disagreements first, each group
    /// in text order.
    pub fn order(&self) -> Vec<usize> {
        let (mut first, rest): (Vec<usize>, Vec<usize>) = (0..self.disagree.len()).partition(|&s| self.disagree[s]);
        first.extend(rest);
        first
    }

    /// The next disagreement after `from` in text order (`forward`), or before it,
    /// wrapping around; `None` when there is none (or only `from` itself).
    pub fn next_disagreement(&self, from: usize, forward: bool) -> Option<usize> {
        let n = self.disagree.len();
        (1..n)
            .map(|step| if forward { (from + step) % n } else { (from + n - step % n) % n })
            .find(|&s| self.disagree[s])
    }

    /// What annotator `a` put on sentence `s` (empty when nothing, or out of range).
    pub fn labels_of(&self, a: usize, s: usize) -> &[String] {
        self.ratings.annotators.get(a).and_then(|t| t.sentences.get(s)).map_or(&[], |t| t.labels.as_slice())
    }

    /// Every label any annotator put on sentence `s`, in label-set order.
    pub fn joined(&self, s: usize, labels: &LabelSet) -> Vec<String> {
        let mut all: Vec<String> = (0..self.ratings.annotators.len()).flat_map(|a| self.labels_of(a, s).to_vec()).collect();
        labels.sort(&mut all);
        all
    }

    /// Whether anyone put `label` anywhere.
    pub fn used(&self, label: &str) -> bool {
        self.ratings.annotators.iter().any(|a| a.sentences.iter().any(|s| s.labels.iter().any(|l| l == label)))
    }

    /// The reading of one label's figures.
    pub fn label_reading(&self, label: &str, figures: &LabelAgreement) -> Reading {
        reading(figures.alpha, self.ratings.annotators.len(), self.ratings.sentences, self.used(label))
    }

    /// The reading of an alpha over whole label sets (`report.overall`, MASI or Jaccard).
    pub fn overall_reading(&self, alpha: Option<f64>) -> Reading {
        let used = self.ratings.annotators.iter().any(|a| a.sentences.iter().any(|s| !s.labels.is_empty()));
        reading(alpha, self.ratings.annotators.len(), self.ratings.sentences, used)
    }
}

/// What a key does in the compare view's sentence list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareKey {
    /// The next (or, `false`, the previous) sentence where annotators disagree.
    Disagreement(bool),
    /// The next (or previous) sentence in the list.
    Row(bool),
    /// Toggles a label in the final (gold) labels.
    Toggle(String),
    /// The final labels become every label anyone gave.
    Join,
    /// The final labels are cleared.
    Clear,
    /// Marks the sentence reviewed, or not.
    Reviewed,
    /// Back to the article.
    Close,
}

/// The compare view's action for `key` (`KeyboardEvent.key`; keys with Ctrl, Alt or
/// Meta are left to the browser).
pub fn compare_key(key: &str, labels: &LabelSet) -> Option<CompareKey> {
    Some(match key {
        "n" => CompareKey::Disagreement(true),
        "p" | "N" => CompareKey::Disagreement(false),
        "j" | "ArrowDown" => CompareKey::Row(true),
        "k" | "ArrowUp" => CompareKey::Row(false),
        "u" => CompareKey::Join,
        "0" => CompareKey::Clear,
        "r" => CompareKey::Reviewed,
        "Escape" => CompareKey::Close,
        other => {
            let mut chars = other.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            CompareKey::Toggle(labels.by_key(c)?.name.clone())
        }
    })
}

/// What an alpha means, in plain words (Krippendorff's thresholds, 2004: reliable from
/// 0.800, tentative conclusions from 0.667, not reliable below).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// Alpha at least [`GOOD_ALPHA`].
    Good(f64),
    /// Alpha from [`TENTATIVE_ALPHA`] up to [`GOOD_ALPHA`].
    Tentative(f64),
    /// Alpha below [`TENTATIVE_ALPHA`] (negative: worse than chance).
    Poor(f64),
    /// Alpha undefined because every value is the same: everyone agrees on every sentence.
    Full,
    /// Nobody used the label: nothing to agree on.
    Unused,
    /// One annotator (or none): nothing to compare.
    Single,
    /// The article has no sentence.
    Empty,
}

/// The reading of `alpha` among `annotators` on `sentences` units.
pub fn reading(alpha: Option<f64>, annotators: usize, sentences: usize, used: bool) -> Reading {
    match alpha {
        _ if annotators < 2 => Reading::Single,
        _ if sentences == 0 => Reading::Empty,
        _ if !used => Reading::Unused,
        Some(a) if a >= GOOD_ALPHA => Reading::Good(a),
        Some(a) if a >= TENTATIVE_ALPHA => Reading::Tentative(a),
        Some(a) => Reading::Poor(a),
        None => Reading::Full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;
    use crate::core::model::Annotation;

    const TEXT: &str = "One here. Two there. Three now. Four last.";

    fn tags(doc: &Document, name: &str, list: &[(usize, &[&str])]) -> AnnotatorTags {
        let annotations: Vec<Annotation> = list
            .iter()
            .map(|&(s, labels)| Annotation {
                id: format!("{name}{s}"),
                labels: labels.iter().map(|l| l.to_string()).collect(),
                note: None,
                target: target_for(doc, &doc.sentences()[s]),
                created: "t".into(),
                modified: "t".into(),
                versions: Default::default(),
            })
            .collect();
        AnnotatorTags::place(name, doc, &annotations)
    }

    fn compare(lists: &[&[(usize, &[&str])]]) -> Comparison {
        let doc = Document::new("d", TEXT);
        let annotators = lists.iter().enumerate().map(|(n, l)| tags(&doc, &format!("r{n}"), l)).collect();
        Comparison::new(&doc, annotators)
    }

    #[test]
    fn disagreements_come_first_and_moves_wrap() {
        let c = compare(&[&[(0, &["claim"]), (2, &["quote"])], &[(0, &["claim"]), (1, &["quote"]), (2, &["claim"])]]);
        assert_eq!(c.disagree, [false, true, true, false]);
        assert_eq!(c.disagreements(), 2);
        assert_eq!(c.order(), [1, 2, 0, 3]);
        assert_eq!(c.next_disagreement(0, true), Some(1));
        assert_eq!(c.next_disagreement(1, true), Some(2));
        assert_eq!(c.next_disagreement(2, true), Some(1), "wraps");
        assert_eq!(c.next_disagreement(1, false), Some(2), "wraps backwards");
        assert_eq!(c.next_disagreement(3, false), Some(2));
        assert_eq!(c.joined(2, &LabelSet::default()), ["claim", "quote"]);
        assert_eq!(c.labels_of(1, 1), ["quote"]);
        assert!(c.labels_of(5, 1).is_empty() && c.labels_of(0, 99).is_empty());
    }

    #[test]
    fn no_disagreement_means_no_move() {
        let c = compare(&[&[(0, &["claim"])], &[(0, &["claim"])]]);
        assert_eq!(c.disagreements(), 0);
        assert_eq!(c.next_disagreement(0, true), None);
        assert_eq!(c.next_disagreement(3, false), None);
    }

    #[test]
    fn an_empty_set_differs_from_a_label() {
        let c = compare(&[&[(3, &["position"])], &[]]);
        assert_eq!(c.disagree, [false, false, false, true]);
        assert_eq!(c.next_disagreement(3, true), None, "the only disagreement is where we are");
    }

    #[test]
    fn keys_move_between_disagreements_and_edit_the_final_labels() {
        let labels = LabelSet::default();
        assert_eq!(compare_key("n", &labels), Some(CompareKey::Disagreement(true)));
        assert_eq!(compare_key("p", &labels), Some(CompareKey::Disagreement(false)));
        assert_eq!(compare_key("ArrowDown", &labels), Some(CompareKey::Row(true)));
        assert_eq!(compare_key("k", &labels), Some(CompareKey::Row(false)));
        assert_eq!(compare_key("1", &labels), Some(CompareKey::Toggle("claim".into())));
        assert_eq!(compare_key("3", &labels), Some(CompareKey::Toggle("position".into())));
        assert_eq!(compare_key("u", &labels), Some(CompareKey::Join));
        assert_eq!(compare_key("r", &labels), Some(CompareKey::Reviewed));
        assert_eq!(compare_key("0", &labels), Some(CompareKey::Clear));
        assert_eq!(compare_key("Escape", &labels), Some(CompareKey::Close));
        assert_eq!(compare_key("9", &labels), None);
        assert_eq!(compare_key("Enter", &labels), None);
    }

    #[test]
    fn readings_follow_krippendorffs_thresholds() {
        assert_eq!(reading(Some(0.81), 2, 4, true), Reading::Good(0.81));
        assert_eq!(reading(Some(0.8), 3, 4, true), Reading::Good(0.8));
        assert_eq!(reading(Some(0.7), 2, 4, true), Reading::Tentative(0.7));
        assert_eq!(reading(Some(0.5), 2, 4, true), Reading::Poor(0.5));
        assert_eq!(reading(Some(-0.2), 2, 4, true), Reading::Poor(-0.2));
        assert_eq!(reading(None, 2, 4, true), Reading::Full);
        assert_eq!(reading(None, 2, 4, false), Reading::Unused);
        assert_eq!(reading(Some(0.9), 1, 4, true), Reading::Single);
        assert_eq!(reading(None, 2, 0, false), Reading::Empty);
    }

    #[test]
    fn figures_are_read_per_label_and_overall() {
        let c = compare(&[&[(0, &["claim"]), (1, &["claim"])], &[(0, &["claim"]), (1, &["claim"])]]);
        let figures = |label: &str| c.report.labels.iter().find(|(l, _)| l == label).map(|(_, f)| f.clone());
        let claim = figures("claim").unwrap_or_else(|| panic!("no claim"));
        assert_eq!(claim.alpha, Some(1.0));
        assert_eq!(c.label_reading("claim", &claim), Reading::Good(1.0));
        let quote = figures("quote").unwrap_or_else(|| panic!("no quote"));
        assert_eq!(c.label_reading("quote", &quote), Reading::Unused);
        assert_eq!(c.overall_reading(c.report.overall.alpha_masi), Reading::Good(1.0));
        let single = compare(&[&[(0, &["claim"])]]);
        assert_eq!(single.overall_reading(single.report.overall.alpha_jaccard), Reading::Single);
    }
}
