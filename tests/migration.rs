//! Stored data from older versions: the version is read first, then the data is
//! migrated. `tests/fixtures/envelope-v0.json` is the prototype's shape (version 0).

use std::rc::Rc;

use article_annotator::core::codec::native;
use article_annotator::core::model::{Document, LabelSet};
use article_annotator::core::state::{Action, AppState};

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");
const V0: &str = include_str!("fixtures/envelope-v0.json");

#[test]
fn version_0_is_migrated_and_lands_on_the_same_sentences() {
    let envelope = native::decode(V0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(envelope.read_version, 0);
    assert_eq!(envelope.document.id, "geneva-peace-plan");
    assert_eq!(envelope.annotations.len(), 3);
    assert!(envelope.problems.is_empty());
    assert_eq!(envelope.annotations[1].labels, ["quote", "position"]);
    assert_eq!(envelope.annotations[0].created, "2024-11-25T02:00:00.000Z");

    let doc = Rc::new(Document::new("geneva-peace-plan", ARTICLE));
    let state = AppState::new(doc.clone(), Rc::new(LabelSet::default())).apply(Action::Restore(envelope.annotations));
    let tagged: Vec<(usize, Vec<String>)> =
        (0..24).filter_map(|i| state.labels_of(i).map(|l| (i, l.to_vec()))).collect();
    assert_eq!(
        tagged,
        [(0, vec!["claim".to_string()]), (4, vec!["quote".into(), "position".into()]), (15, vec!["quote".into()])],
        "sentence 15 repeats sentence 4: the stored position tells them apart"
    );

    // Saved again, it is a version 1 envelope that reads back the same.
    let saved = native::encode(&doc, state.annotations(), &[]);
    let again = native::decode(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.read_version, 1);
    assert_eq!(again.annotations, state.annotations().cloned().collect::<Vec<_>>());
}

#[test]
fn a_broken_version_0_tag_is_kept_aside_not_dropped() {
    let broken = V0.replacen("\"labels\": \"claim\"", "\"labels\": \"\"", 1);
    let envelope = native::decode(&broken).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(envelope.annotations.len(), 2);
    assert_eq!(envelope.unreadable.len(), 1);
    assert_eq!(envelope.problems[0].path, "tags[0]");
}
