//! Property tests of the two formats: native export then import gives the same
//! annotations; W3C export then import gives the same labels on the same sentences.

use std::rc::Rc;

use article_annotator::core::anchor::target_for;
use article_annotator::core::codec::{native, w3c};
use article_annotator::core::model::{Annotation, Document, LabelSet};
use article_annotator::core::state::{Action, AppState};
use proptest::prelude::*;

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");
const NAMES: [&str; 3] = ["claim", "quote", "position"];

fn doc() -> Rc<Document> {
    Rc::new(Document::new("geneva-peace-plan", ARTICLE))
}

/// Annotations on distinct sentences, with any label subset, any note, any id.
fn annotations() -> impl Strategy<Value = Vec<Annotation>> {
    let one = (0usize..24, 1u8..8, proptest::option::of("\\PC{0,40}"), "[^\\s]{1,20}");
    proptest::collection::vec(one, 0..24).prop_map(|raw| {
        let doc = doc();
        let mut seen = Vec::new();
        raw.into_iter()
            .filter(|(sentence, ..)| {
                let fresh = !seen.contains(sentence);
                seen.push(*sentence);
                fresh
            })
            .enumerate()
            .map(|(n, (sentence, mask, note, id))| Annotation {
                id: format!("{id}-{n}"),
                labels: NAMES.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, l)| l.to_string()).collect(),
                note,
                target: target_for(&doc, &doc.sentences()[sentence]),
                created: "2026-11-25T10:00:00.000Z".into(),
                modified: "2026-11-25T10:00:00.000Z".into(),
                versions: Default::default(),
            })
            .collect()
    })
}

fn labels_by_sentence(list: Vec<Annotation>) -> Vec<Option<Vec<String>>> {
    let state = AppState::new(doc(), Rc::new(LabelSet::default())).apply(Action::Restore(list));
    (0..24).map(|i| state.labels_of(i).map(<[String]>::to_vec)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn native_round_trip_is_identity(list in annotations()) {
        let doc = doc();
        let back = native::decode(&native::encode(&doc, &list, &[])).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.annotations, list);
        prop_assert!(back.problems.is_empty());
    }

    #[test]
    fn w3c_round_trip_keeps_labels_on_their_sentences(list in annotations()) {
        let doc = doc();
        let raw = w3c::export(&doc, list.iter().map(|a| (a, true)), &w3c::ExportContext { source: None, now: "2026-11-25T12:00:00Z" });
        let back = w3c::import(&raw, &doc, "2026-11-25T12:00:00Z").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(back.problems.is_empty(), "{:?}", back.problems);
        let notes: Vec<_> = back.annotations.iter().map(|a| a.note.clone().filter(|n| !n.is_empty())).collect();
        let want_notes: Vec<_> = list.iter().map(|a| a.note.clone().filter(|n| !n.is_empty())).collect();
        prop_assert_eq!(notes, want_notes);
        prop_assert_eq!(labels_by_sentence(back.annotations), labels_by_sentence(list));
    }
}
