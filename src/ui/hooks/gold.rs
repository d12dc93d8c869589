//! The gold set an adjudicator makes in the compare view: an annotation set of its own
//! (document id `<id>~gold`), kept by the same reducer and saved by the same saver as
//! the reader's tags, plus the review marks (`core::store::review`).

use std::rc::Rc;

use yew::prelude::*;

use crate::core::agreement::compare::gold_id;
use crate::core::anchor::{sentence_id, target_for};
use crate::core::i18n::Locale;
use crate::core::model::{Document, LabelSet};
use crate::core::options::StorageMode;
use crate::core::state::{Action, AppState};
use crate::core::store::review::{self, Marks, ReviewError};
use crate::platform::session_tag;
use crate::platform::storage::LocalStorage;
use crate::ui::bridge::BridgeRef;
use crate::ui::hooks::use_saving;
use crate::ui::persistence::{self, Notice};
use crate::ui::saver::SaveStatus;
use crate::ui::shared::Shared;

/// The gold set and its review marks.
pub struct Gold {
    /// The gold annotations (an `AppState` on the same text).
    pub state: UseReducerHandle<Shared>,
    /// Where saving the gold annotations stands.
    pub save_status: SaveStatus,
    /// What storage said when the gold set was read, if anything.
    pub notice: Option<Notice>,
    /// Per sentence: reviewed or not.
    pub reviewed: Rc<Vec<bool>>,
    /// Marks sentence N reviewed (`true`) or not.
    pub mark: Callback<(usize, bool)>,
}

/// The gold set of `doc`, read from storage (unless `storage` is `None`) and saved as it changes.
#[hook]
pub fn use_gold(doc: Rc<Document>, labels: Rc<LabelSet>, storage: StorageMode, l: Rc<Locale>) -> Gold {
    let gold_doc = use_memo(doc.clone(), |doc| {
        let mut gold = (**doc).clone();
        gold.id = gold_id(&doc.id);
        Rc::new(gold)
    });
    let loaded = {
        let l = l.clone();
        use_memo((gold_doc.clone(), storage), move |(doc, mode)| persistence::load(doc, *mode, &l))
    };
    let state = {
        let (doc, loaded) = ((*gold_doc).clone(), loaded.clone());
        use_reducer(move || {
            let fresh = AppState::new(doc, labels).with_session(session_tag()).with_deleted(loaded.deleted.values().cloned()).with_unreadable(loaded.unreadable.clone());
            Shared(if loaded.annotations.is_empty() { fresh } else { fresh.apply(Action::Restore(loaded.annotations.clone())) })
        })
    };
    // The gold set talks to no host page: a bridge of its own.
    let bridge = use_memo((), |()| BridgeRef::default());
    let save_status = use_saving(state.clone(), loaded.clone(), gold_doc.id.clone(), (*bridge).clone(), l.clone());
    let ids = use_memo(doc.clone(), |doc| doc.sentences().iter().map(|s| sentence_id(&target_for(doc, s))).collect::<Vec<_>>());
    let marks_notice = use_state(|| None::<Notice>);
    let marks = {
        let (id, notice, l) = (gold_doc.id.clone(), marks_notice.clone(), l.clone());
        use_state(move || match storage {
            StorageMode::None => Marks::default(),
            StorageMode::Local => review::load(&LocalStorage, &id).unwrap_or_else(|error| {
                notice.set(Some(review_notice(&error, &l)));
                Marks::default()
            }),
        })
    };
    let reviewed = Rc::new(ids.iter().map(|id| marks.is_reviewed(id)).collect::<Vec<_>>());
    let mark = {
        let (marks, ids, id, notice) = (marks.clone(), ids.clone(), gold_doc.id.clone(), marks_notice.clone());
        let l = l.clone();
        Callback::from(move |(sentence, on): (usize, bool)| {
            let Some(key) = ids.get(sentence) else { return };
            let mut next = (*marks).clone();
            next.set(key, on, crate::platform::now_ms());
            if storage == StorageMode::Local {
                match review::save(&mut LocalStorage, &id, &next) {
                    Ok(stored) => next = stored,
                    Err(error) => notice.set(Some(review_notice(&error, &l))),
                }
            }
            marks.set(next);
        })
    };
    let notice = (*marks_notice).clone().or_else(|| loaded.notice.clone());
    Gold { state, save_status, notice, reviewed, mark }
}

fn review_notice(error: &ReviewError, l: &Locale) -> Notice {
    let text = match error {
        ReviewError::Storage(why) => l.f("gold.marks.not_saved", &[("why", &why.to_string())]),
        ReviewError::Unreadable => l.t("gold.marks.unreadable").to_owned(),
    };
    Notice { text, backup: None }
}
