//! W3C export of the default article, written to `target/w3c/` for the peer validator
//! (`cargo xtask test` runs `../shared/peer-suites/w3c-annotation-model/validate.py` on it).

use std::rc::Rc;

use article_annotator::core::codec::w3c::{export, import, ExportContext};
use article_annotator::core::model::{Document, LabelSet};
use article_annotator::core::state::{Action, AppState};

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");

fn tagged_state() -> AppState {
    let doc = Rc::new(Document::new("geneva-peace-plan", ARTICLE));
    let mut state = AppState::new(doc, Rc::new(LabelSet::default()));
    for (sentence, label) in [(0, "claim"), (4, "quote"), (4, "position"), (15, "quote"), (23, "claim")] {
        state = state.apply(Action::Toggle { sentence, label: label.into(), now_ms: 1_795_638_896_789 });
    }
    state
}

#[test]
fn export_of_the_default_article_round_trips_and_is_written_for_the_validator() {
    let state = tagged_state();
    let context = ExportContext { source: Some("http://127.0.0.1/geneva-peace-plan.txt"), now: "2026-11-25T20:00:00.000Z" };
    let raw = export(&state.doc, state.annotations().map(|a| (a, true)), &context);
    let back = import(&raw, &state.doc, "2026-11-25T20:00:00.000Z").unwrap_or_else(|e| panic!("{e}"));
    // W3C carries no version stamps (they are for our merge); everything else round-trips.
    let unversioned = state.annotations().cloned().map(|a| article_annotator::core::model::Annotation { versions: Default::default(), ..a }).collect::<Vec<_>>();
    assert_eq!(back.annotations, unversioned);
    let restored = AppState::new(state.doc.clone(), state.labels.clone()).apply(Action::Restore(back.annotations));
    for i in 0..state.doc.sentences().len() {
        assert_eq!(restored.labels_of(i), state.labels_of(i), "sentence {i}");
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/w3c");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("native-test-export.json"), raw).unwrap_or_else(|e| panic!("{e}"));
}
