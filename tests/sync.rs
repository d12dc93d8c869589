//! Team sync's logic against an in-memory fake of CouchDB: devices of one annotator
//! converge, teammates' work stays theirs, conflicts are merged with the one merge and
//! leave no `_conflicts`, deletions travel, and every fault is a message, never a loss.

mod support;

use std::collections::BTreeMap;
use std::rc::Rc;

use article_annotator::core::i18n::Locale;
use article_annotator::core::model::{Document, LabelSet};
use article_annotator::core::state::{Action, AppState};
use article_annotator::core::store::merge::Record;
use article_annotator::core::sync::engine::{read_texts, texts_request, Article, Checkpoint, Effect, Engine, SyncError};
use article_annotator::core::sync::{merge_action, wire};
use serde_json::json;
use support::fake_couch::{Fault, FakeCouch};

const TEXT: &str = "The talks resume in Geneva. Both sides agree on a ceasefire.\nA deal is near, officials said. Nobody confirmed it.";
const DOC: &str = "/news/geneva#0";

/// One device: a widget's state and its replication engine.
struct Device {
    state: AppState,
    engine: Engine,
    team: BTreeMap<String, BTreeMap<String, Record>>,
    effects: Vec<Effect>,
}

impl Device {
    fn new(creator: &str, replica: &str) -> Self {
        let doc = Rc::new(Document::new(DOC, TEXT));
        let article = Article { text: doc.text.clone(), fingerprint: doc.fingerprint.clone(), title: Some("Geneva".into()), lang: None };
        Self {
            state: AppState::new(doc, Rc::new(LabelSet::default())).with_session(replica.to_owned()),
            engine: Engine::new(DOC, creator, Checkpoint::default(), Some(article)),
            team: BTreeMap::new(),
            effects: Vec::new(),
        }
    }

    fn tag(&mut self, sentence: usize, label: &str, now_ms: u64) {
        self.state = self.state.apply(Action::Toggle { sentence, label: label.into(), now_ms });
    }

    fn labels(&self) -> Vec<Vec<String>> {
        (0..self.state.by_sentence.len()).map(|s| self.state.labels_of(s).map(<[String]>::to_vec).unwrap_or_default()).collect()
    }

    /// One round against `server`, the effects applied as the widget applies them.
    fn sync(&mut self, server: &mut FakeCouch) -> Result<(), SyncError> {
        self.engine.start();
        let mut guard = 0;
        loop {
            let records = self.state.records();
            let Some(request) = self.engine.next(&records) else { return Ok(()) };
            let answer = server.answer(&request);
            for effect in self.engine.handle(&request, answer)? {
                self.apply(effect);
            }
            guard += 1;
            assert!(guard < 200, "a round that does not end");
        }
    }

    fn apply(&mut self, effect: Effect) {
        match &effect {
            Effect::Own(records) => self.state = self.state.apply(merge_action(records.clone())),
            Effect::Team { creator, records } => {
                let theirs = self.team.entry(creator.clone()).or_default();
                for r in records {
                    theirs.insert(r.id().to_owned(), r.clone());
                }
            }
            _ => {}
        }
        self.effects.push(effect);
    }

    fn pending(&self) -> usize {
        self.engine.pending(&self.state.records())
    }
}

fn no_conflicts(server: &FakeCouch) {
    let many: Vec<_> = server.leaves().into_iter().filter(|(_, n)| *n > 1).collect();
    assert!(many.is_empty(), "documents with conflicting leaves left: {many:?}");
}

#[test]
fn two_devices_converge_and_a_third_empty_one_gets_everything() {
    let mut server = FakeCouch::default();
    let (mut laptop, mut phone) = (Device::new("olena", "laptop"), Device::new("olena", "phone"));
    laptop.tag(0, "claim", 1_000);
    laptop.tag(2, "quote", 1_100);
    assert_eq!(laptop.pending(), 2);
    laptop.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(laptop.pending(), 0, "everything pushed");
    assert!(server.get(&wire::text_doc_id(DOC)).is_some(), "the text is on the server for teammates");
    phone.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(phone.labels(), laptop.labels());
    let mut fresh = Device::new("olena", "tablet");
    fresh.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(fresh.labels(), laptop.labels());
    assert!(fresh.effects.iter().any(|e| matches!(e, Effect::Text { text } if text == &laptop.state.doc.text)));
    no_conflicts(&server);
}

#[test]
fn offline_edits_on_both_sides_converge_and_one_sentence_keeps_both_labels() {
    let mut server = FakeCouch::default();
    let (mut a, mut b) = (Device::new("olena", "a"), Device::new("olena", "b"));
    a.tag(1, "claim", 1_000);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    b.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    // Both offline: each edits; sentence 1 on both sides (one annotation, one document).
    a.tag(1, "quote", 2_000);
    a.tag(3, "position", 2_100);
    b.tag(1, "position", 2_050);
    b.tag(0, "claim", 2_200);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    b.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.labels(), b.labels());
    assert_eq!(a.labels()[1], ["claim", "quote", "position"]);
    assert_eq!((a.pending(), b.pending()), (0, 0));
    no_conflicts(&server);
}

#[test]
fn deletions_travel_as_marker_documents() {
    let mut server = FakeCouch::default();
    let (mut a, mut b) = (Device::new("olena", "a"), Device::new("olena", "b"));
    a.tag(2, "claim", 1_000);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    b.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(b.labels()[2], ["claim"]);
    a.state = a.state.apply(Action::Clear { sentence: 2, now_ms: 5_000 });
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    let id = wire::annotation_doc_id(DOC, "olena", a.state.deleted.keys().next().map(String::as_str).unwrap_or_default());
    let marker = server.get(&id).unwrap_or_else(|| panic!("no marker document {id}"));
    assert_eq!(marker["deleted"], true);
    b.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(b.labels()[2].is_empty(), "{:?}", b.labels());
}

#[test]
fn teammates_work_stays_theirs() {
    let mut server = FakeCouch::default();
    let (mut olena, mut bob) = (Device::new("olena", "o"), Device::new("bob", "b"));
    olena.tag(0, "claim", 1_000);
    bob.tag(0, "quote", 1_000);
    olena.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    bob.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    olena.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(olena.labels()[0], ["claim"], "bob's quote is not merged into olena's tags");
    assert_eq!(bob.labels()[0], ["quote"]);
    let bobs: Vec<&Record> = olena.team.get("bob").map(|m| m.values().collect()).unwrap_or_default();
    assert!(matches!(bobs.as_slice(), [Record::Live(a)] if a.labels == ["quote"]), "{bobs:?}");
    assert!(bob.team.get("olena").is_some_and(|m| m.len() == 1));
}

#[test]
fn a_replicated_conflict_is_merged_and_its_losing_leaf_deleted() {
    let mut server = FakeCouch::default();
    let mut a = Device::new("olena", "a");
    a.tag(1, "claim", 1_000);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    // Another server's copy, replicated in: the same annotation with a quote added.
    let mut other = Device::new("olena", "z");
    other.state = other.state.apply(merge_action(a.state.records().into_values().collect()));
    other.tag(1, "quote", 3_000);
    let id = a.state.annotations().next().map(|x| x.id.clone()).unwrap_or_default();
    let record = other.state.records().remove(id.as_str()).unwrap_or_else(|| panic!("no record"));
    server.inject_leaf(&wire::annotation_doc_id(DOC, "olena", &id), wire::record_doc(DOC, "olena", &record));
    assert_eq!(server.leaves().values().max(), Some(&2));
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.labels()[1], ["claim", "quote"]);
    no_conflicts(&server);
    let mut fresh = Device::new("olena", "f");
    fresh.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(fresh.labels()[1], ["claim", "quote"]);
}

#[test]
fn faults_are_errors_with_messages_and_nothing_is_lost() {
    let mut server = FakeCouch::default();
    let mut a = Device::new("olena", "a");
    a.tag(0, "claim", 1_000);
    server.faults = vec![Fault::Offline];
    assert!(matches!(a.sync(&mut server), Err(SyncError::Offline(_))));
    server.faults = vec![Fault::Status(500, "<html><body>Internal Server Error</body></html>".into())];
    let err = a.sync(&mut server).err().unwrap_or_else(|| panic!("a 500 passed"));
    assert!(err.retryable() && err.message(&Locale::english()).ends_with("(HTTP 500: Internal Server Error)"), "{}", err.message(&Locale::english()));
    server.faults = vec![Fault::Status(401, json!({"error": "unauthorized", "reason": "Name or password is incorrect."}).to_string())];
    let err = a.sync(&mut server).err().unwrap_or_else(|| panic!("a 401 passed"));
    assert!(!err.retryable() && err.message(&Locale::english()).contains("Name or password is incorrect"), "{}", err.message(&Locale::english()));
    server.faults = vec![Fault::Status(200, "not json at all".into())];
    assert!(matches!(a.sync(&mut server), Err(SyncError::Server(m)) if m.contains("not JSON")));
    server.faults = vec![Fault::Status(404, json!({"error": "not_found", "reason": "Database does not exist."}).to_string())];
    assert_eq!(a.sync(&mut server), Err(SyncError::NoDatabase));
    assert_eq!(a.pending(), 1, "the tag still waits");
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.pending(), 0);
}

#[test]
fn a_storm_of_conflicts_ends_the_round_and_the_next_one_pushes() {
    let mut server = FakeCouch::default();
    let mut a = Device::new("olena", "a");
    a.tag(0, "claim", 1_000);
    server.faults = vec![Fault::ConflictStorm; 40].into_iter().enumerate().map(|(i, f)| if i == 0 { Fault::Status(200, json!({"results": [], "last_seq": 0}).to_string()) } else { f }).collect();
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.pending(), 1, "nothing written, nothing lost");
    server.faults.clear();
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(a.pending(), 0);
}

#[test]
fn forbidden_documents_and_foreign_ones_are_reported_and_left_alone() {
    let mut server = FakeCouch::default();
    let mut a = Device::new("olena", "a");
    a.tag(0, "claim", 1_000);
    let id = a.state.annotations().next().map(|x| wire::annotation_doc_id(DOC, "olena", &x.id)).unwrap_or_default();
    server.forbidden.push(id.clone());
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(a.effects.iter().any(|e| matches!(e, Effect::Refused { id: i, reason } if *i == id && reason.contains("Only the annotator"))));
    let requests = server.requests;
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(server.requests - requests, 1, "a refused document is not pushed again until it changes (one _changes only)");
    // Documents under this article's ids that are not ours, or malformed.
    server.put(json!({ "_id": wire::annotation_doc_id(DOC, "mallory", "x"), "hello": "<script>alert(1)</script>" }));
    let mut bad = wire::record_doc(DOC, "bob", &a.state.records().into_values().next().unwrap_or_else(|| panic!("no record")));
    bad["labels"] = json!("claim");
    server.put(bad);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    let foreign: Vec<&str> = a.effects.iter().filter_map(|e| if let Effect::Foreign { why, .. } = e { Some(why.as_str()) } else { None }).collect();
    assert_eq!(foreign.len(), 2, "{foreign:?}");
    assert_eq!(a.labels()[0], ["claim"]);
}

#[test]
fn a_long_changes_feed_is_read_in_pages() {
    let mut server = FakeCouch::default();
    let mut writer = Device::new("olena", "w");
    for s in 0..4 {
        writer.tag(s, "claim", 1_000 + s as u64);
    }
    writer.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    // Many other articles' changes before and after ours.
    for n in 0..1_200 {
        server.put(json!({ "_id": format!("ann:other{n}:x:y"), "format": "x" }));
    }
    let mut reader = Device::new("olena", "r");
    reader.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(reader.labels(), writer.labels());
    writer.tag(3, "quote", 9_000);
    writer.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    reader.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(reader.labels(), writer.labels());
}

#[test]
fn the_library_lists_the_team_articles() {
    let mut server = FakeCouch::default();
    let mut a = Device::new("olena", "a");
    a.tag(0, "claim", 1_000);
    a.sync(&mut server).unwrap_or_else(|e| panic!("{e:?}"));
    server.put(json!({ "_id": "text:broken", "format": "article-annotator-sync", "version": 1, "type": "text" }));
    let texts = read_texts(server.answer(&texts_request())).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!((texts[0].document.as_str(), texts[0].title.as_deref()), (DOC, Some("Geneva")));
    assert_eq!(texts[0].text, a.state.doc.text);
    server.faults = vec![Fault::Status(401, json!({"reason": "Name or password is incorrect."}).to_string())];
    assert!(matches!(read_texts(server.answer(&texts_request())), Err(SyncError::Unauthorized(_))));
}
