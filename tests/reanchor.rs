//! Re-anchoring golden tests: the default article is tagged sentence by sentence, then
//! edited the ways real articles change; each annotation must land on the sentence
//! that now holds its text, or become an orphan when that text is gone, never dropped.
//!
//! Run with `--nocapture` to see the per-case tally (the figures in the closing note).

use std::rc::Rc;

use article_annotator::core::codec::native;
use article_annotator::core::model::{Annotation, Document, LabelSet};
use article_annotator::core::state::{Action, AppState};

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");
const LABELS: [&str; 3] = ["claim", "quote", "position"];

/// Every sentence tagged, as stored by a save.
fn tagged_everywhere() -> (Vec<Annotation>, usize) {
    let doc = Rc::new(Document::new("geneva-peace-plan", ARTICLE));
    let n = doc.sentences().len();
    let mut state = AppState::new(doc, Rc::new(LabelSet::default()));
    for i in 0..n {
        state = state.apply(Action::Toggle { sentence: i, label: LABELS[i % 3].into(), now_ms: 1_000 + i as u64 });
    }
    // Through the storage codec, as a reload would.
    let raw = native::encode(&state.doc, state.annotations(), &[]);
    let decoded = native::decode(&raw).unwrap_or_else(|e| panic!("{e}"));
    (decoded.annotations, n)
}

fn paragraphs() -> Vec<String> {
    ARTICLE.lines().map(str::to_owned).collect()
}

/// Where each original sentence's annotation ended up (`None`: orphan), by annotation id.
fn reanchor(edited: &str) -> (Vec<Option<usize>>, AppState) {
    let (annotations, n) = tagged_everywhere();
    let ids: Vec<String> = annotations.iter().map(|a| a.id.clone()).collect();
    let doc = Rc::new(Document::new("geneva-peace-plan", edited));
    let state = AppState::new(doc, Rc::new(LabelSet::default())).apply(Action::Restore(annotations));
    let mut landed = vec![None; n];
    for (sentence, slot) in state.by_sentence.iter().enumerate() {
        if let Some(a) = slot {
            let original = ids.iter().position(|id| *id == a.id).unwrap_or_else(|| panic!("unknown id {}", a.id));
            landed[original] = Some(sentence);
        }
    }
    assert_eq!(state.annotations().count(), n, "every annotation is kept, placed or orphaned");
    (landed, state)
}

fn check(case: &str, edited: &str, expected: impl Fn(usize) -> Option<usize>) {
    let (landed, state) = reanchor(edited);
    let want: Vec<Option<usize>> = (0..landed.len()).map(&expected).collect();
    let right = landed.iter().zip(&want).filter(|(a, b)| a == b).count();
    let orphans = state.orphans.len();
    println!("{case}: {right}/{} annotations where expected ({orphans} orphans)", landed.len());
    for (i, (got, want)) in landed.iter().zip(&want).enumerate() {
        assert_eq!(got, want, "{case}: annotation made on sentence {i}");
    }
    // Placed annotations carry the labels they were made with.
    for (i, got) in landed.iter().enumerate() {
        if let Some(s) = got {
            assert_eq!(state.labels_of(*s).map(<[String]>::to_vec), Some(vec![LABELS[i % 3].to_owned()]), "{case}: labels of {i}");
        }
    }
}

#[test]
fn unchanged_text() {
    check("unchanged", ARTICLE, Some);
}

#[test]
fn paragraph_inserted_at_the_top() {
    let edited = format!("Editor's note: this story was updated with comments from Kyiv.\n{ARTICLE}");
    check("paragraph inserted at the top", &edited, |i| Some(i + 1));
}

#[test]
fn first_paragraph_deleted() {
    let edited = paragraphs()[1..].join("\n");
    check("paragraph deleted", &edited, |i| i.checked_sub(2));
}

#[test]
fn typo_fixed_inside_a_tagged_sentence() {
    let edited = ARTICLE.replacen("to finalize a peace plan", "to finalise a peace plan", 1);
    assert_ne!(edited, ARTICLE);
    check("typo fixed", &edited, Some);
}

#[test]
fn word_inserted_into_one_copy_of_a_repeated_sentence() {
    let edited = ARTICLE.replacen("Russia remains unconvinced", "Russia remains deeply unconvinced", 1);
    check("word inserted", &edited, Some);
}

#[test]
fn paragraphs_reordered() {
    let mut paras = paragraphs();
    paras.swap(3, 4);
    let swapped = |i: usize| match i {
        7 | 8 => Some(i + 2),
        9 | 10 => Some(i - 2),
        _ => Some(i),
    };
    check("paragraphs reordered", &paras.join("\n"), swapped);
}

#[test]
fn repeated_paragraph_removed_leaves_its_twin_alone() {
    let mut paras = paragraphs();
    paras.remove(6); // the repeat of paragraph 2 (sentences 13 to 15)
    check("repeated paragraph removed", &paras.join("\n"), |i| match i {
        13..=15 => None,
        16.. => Some(i - 3),
        _ => Some(i),
    });
}

#[test]
fn whole_text_replaced_by_an_unrelated_article() {
    let other = "The city library reopened on Saturday after a two-year renovation.\n\
        Visitors queued around the block before the doors opened at nine. \
        The new reading room seats two hundred people, and the children's floor has doubled in size.\n\
        Staff said the catalogue would be fully online by spring.";
    check("whole text replaced", other, |_| None);
}
