//! From annotators' exports to the matrix the measures work on: sentences × annotators,
//! each cell the set of labels that annotator put on that sentence.
//!
//! Each export's annotations are placed on the sentences of the article with the
//! anchoring module's [`Anchorer::anchor_all`], the same placement the widget uses on
//! load: by position checked against the quote, else re-anchored by the quote and its
//! context, else fuzzily; what cannot be placed is an orphan, reported and not counted.
//! The labels of several annotations that land on one sentence are joined.

use std::collections::BTreeSet;

use crate::core::anchor::{Anchorer, Placement};
use crate::core::model::{Annotation, Document, LabelSet};

/// What one annotator put on one sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceTags {
    /// The labels, in label-set order (default labels first, others alphabetically), no repeats.
    pub labels: Vec<String>,
    /// The notes of the annotations on it, in export order.
    pub notes: Vec<String>,
    /// The latest `modified` time among those annotations (RFC 3339 strings compare in time order).
    pub modified: Option<String>,
}

/// One annotator's work placed on the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotatorTags {
    /// The annotator's name (the command uses the file stem).
    pub name: String,
    /// One entry per sentence of the article, untagged sentences included.
    pub sentences: Vec<SentenceTags>,
    /// Annotations that found no sentence: reported, not counted.
    pub orphans: Vec<Annotation>,
    /// How many annotations were placed somewhere other than their stored position
    /// (the export was made on a different version of the text).
    pub moved: usize,
}

impl AnnotatorTags {
    /// Places `annotations` on the sentences of `doc`.
    pub fn place(name: impl Into<String>, doc: &Document, annotations: &[Annotation]) -> Self {
        let labels = LabelSet::default();
        let targets: Vec<_> = annotations.iter().map(|a| &a.target).collect();
        let placements = Anchorer::new(doc).anchor_all(&targets);
        let mut sentences = vec![SentenceTags::default(); doc.sentences().len()];
        let mut orphans = Vec::new();
        let mut moved = 0;
        for (annotation, placement) in annotations.iter().zip(placements) {
            let Some(tags) = placement.sentence().and_then(|i| sentences.get_mut(i)) else {
                orphans.push(annotation.clone());
                continue;
            };
            moved += usize::from(!matches!(placement, Placement::Exact(_)));
            tags.labels.extend(annotation.labels.iter().cloned());
            labels.sort(&mut tags.labels);
            tags.notes.extend(annotation.note.iter().filter(|n| !n.is_empty()).cloned());
            if tags.modified.as_deref().is_none_or(|m| m < annotation.modified.as_str()) {
                tags.modified = Some(annotation.modified.clone());
            }
        }
        Self { name: name.into(), sentences, orphans, moved }
    }
}

/// The matrix: every sentence of the article is a unit, every annotator gives it a
/// value (the set of its labels, the empty set included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratings {
    /// The annotators, in the order given.
    pub annotators: Vec<AnnotatorTags>,
    /// How many sentences (units) the article has.
    pub sentences: usize,
}

impl Ratings {
    /// The ratings of several annotators on one document (each placed already).
    pub fn new(doc: &Document, annotators: Vec<AnnotatorTags>) -> Self {
        Self { annotators, sentences: doc.sentences().len() }
    }

    /// Every label anyone used, plus the default labels (so that an unused default
    /// label shows, with its undefined coefficients), in label-set order.
    pub fn labels(&self) -> Vec<String> {
        let mut names: Vec<String> = LabelSet::default().iter().map(|l| l.name.clone()).collect();
        for annotator in &self.annotators {
            names.extend(annotator.sentences.iter().flat_map(|s| s.labels.iter().cloned()));
        }
        LabelSet::default().sort(&mut names);
        names
    }

    /// `units[sentence][annotator]`: the set of labels.
    pub fn label_sets(&self) -> Vec<Vec<Option<BTreeSet<&str>>>> {
        (0..self.sentences)
            .map(|s| {
                self.annotators
                    .iter()
                    .map(|a| a.sentences.get(s).map(|t| t.labels.iter().map(String::as_str).collect()))
                    .collect()
            })
            .collect()
    }

    /// `units[sentence][annotator]`: whether that annotator put `label` on that sentence.
    pub fn presence(&self, label: &str) -> Vec<Vec<Option<bool>>> {
        (0..self.sentences)
            .map(|s| {
                self.annotators
                    .iter()
                    .map(|a| a.sentences.get(s).map(|t| t.labels.iter().any(|l| l == label)))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;

    fn annotation(doc: &Document, id: &str, sentence: usize, labels: &[&str], modified: &str) -> Annotation {
        Annotation {
            id: id.into(),
            labels: labels.iter().map(|s| s.to_string()).collect(),
            note: Some(format!("note {id}")),
            target: target_for(doc, &doc.sentences()[sentence]),
            created: "2026-12-01T00:00:00.000Z".into(),
            modified: modified.into(),
            versions: Default::default(),
        }
    }

    #[test]
    fn labels_of_annotations_on_one_sentence_are_joined() {
        let doc = Document::new("d", "One here. Two there. Three now.");
        let list = [
            annotation(&doc, "a", 1, &["quote"], "2026-12-01T00:00:01.000Z"),
            annotation(&doc, "b", 1, &["claim", "quote"], "2026-12-01T00:00:03.000Z"),
            annotation(&doc, "c", 2, &["position"], "2026-12-01T00:00:02.000Z"),
        ];
        let tags = AnnotatorTags::place("ann", &doc, &list);
        assert_eq!(tags.sentences.len(), 3);
        assert_eq!(tags.sentences[0], SentenceTags::default());
        assert_eq!(tags.sentences[1].labels, ["claim", "quote"]);
        assert_eq!(tags.sentences[1].notes, ["note a", "note b"]);
        assert_eq!(tags.sentences[1].modified.as_deref(), Some("2026-12-01T00:00:03.000Z"));
        assert_eq!((tags.orphans.len(), tags.moved), (0, 0));
    }

    #[test]
    fn an_export_of_an_edited_text_is_re_anchored_and_orphans_are_kept_apart() {
        let old = Document::new("d", "Alpha is first. Beta follows. Gone sentence here.");
        let new = Document::new("d", "A new lead arrives. Alpha is first. Beta follows.");
        let list = [
            annotation(&old, "a", 1, &["claim"], "t"),
            annotation(&old, "b", 2, &["quote"], "t"),
        ];
        let tags = AnnotatorTags::place("ann", &new, &list);
        assert_eq!(tags.sentences[2].labels, ["claim"]);
        assert_eq!(tags.moved, 1);
        assert_eq!(tags.orphans.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["b"]);
        assert!(tags.sentences.iter().all(|s| !s.labels.contains(&"quote".to_string())));
    }

    #[test]
    fn matrix_has_every_sentence_and_the_default_labels() {
        let doc = Document::new("d", "One here. Two there.");
        let a = AnnotatorTags::place("a", &doc, &[annotation(&doc, "x", 0, &["zeta", "claim"], "t")]);
        let b = AnnotatorTags::place("b", &doc, &[]);
        let ratings = Ratings::new(&doc, vec![a, b]);
        assert_eq!(ratings.labels(), ["claim", "quote", "position", "zeta"]);
        let sets = ratings.label_sets();
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0][0].as_ref().map(|s| s.len()), Some(2));
        assert_eq!(sets[1][1], Some(BTreeSet::new()));
        assert_eq!(ratings.presence("claim"), vec![vec![Some(true), Some(false)], vec![Some(false), Some(false)]]);
    }
}
