//! Saving: coalesced after changes, flushed when the page is hidden or closed, retried
//! while it fails; another tab's save of this document is merged in, and storage is read
//! again when the page comes back.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::core::i18n::Locale;
use crate::ui::bridge::BridgeRef;
use crate::ui::persistence::{self, Loaded};
use crate::ui::saver::{self, SaveStatus, Saver};
use crate::ui::shared::Shared;

/// Saves the state whenever its annotations change (when saving is possible at all);
/// returns where saving stands.
#[hook]
pub fn use_saving(state: UseReducerHandle<Shared>, loaded: Rc<Loaded>, doc_id: String, bridge: BridgeRef, locale: Rc<Locale>) -> SaveStatus {
    let save_status = use_state(|| SaveStatus::Saved);
    let saver = {
        let (save_status, head) = (save_status.clone(), loaded.head.clone());
        use_memo((), move |()| Saver::new(head, Callback::from(move |status: SaveStatus| save_status.set(status)), locale))
    };
    bridge.0.attach_saver(&saver);
    {
        let (saver, state, may_save) = (saver.clone(), state.clone(), loaded.may_save);
        let start = state.0.revision;
        let last_seen = use_mut_ref(move || start);
        use_effect_with(state.0.revision, move |revision| {
            if *last_seen.borrow() != *revision && may_save {
                *last_seen.borrow_mut() = *revision;
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    saver.schedule(state);
                }
            }
        });
    }
    {
        let (saver, dispatcher, may_save) = (saver.clone(), state.dispatcher(), loaded.may_save);
        use_effect_with((), move |()| {
            let listeners = may_save.then(|| page_listeners(&saver, dispatcher, doc_id)).unwrap_or_default();
            move || {
                drop(listeners);
                // The widget is going away: what is pending is written now.
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    saver.flush();
                    saver.stop();
                }
            }
        });
    }
    (*save_status).clone()
}

/// Listeners on the page for this widget's saving: flush when the page is hidden or
/// left, merge when another tab saves the same document, read storage again when the
/// page comes back. Dropping them removes them.
fn page_listeners(saver: &Rc<std::cell::RefCell<Saver>>, dispatcher: UseReducerDispatcher<Shared>, doc_id: String) -> Vec<gloo_events::EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let Some(document) = window.document() else { return Vec::new() };
    let flush_on = |target: &web_sys::EventTarget, event: &'static str| {
        let saver = Rc::downgrade(saver);
        gloo_events::EventListener::new(target, event, move |_| saver::flush(&saver))
    };
    let hidden = {
        let saver = Rc::downgrade(saver);
        let document = document.clone();
        gloo_events::EventListener::new(&document.clone(), "visibilitychange", move |_| {
            if document.visibility_state() == web_sys::VisibilityState::Hidden {
                saver::flush(&saver);
            }
        })
    };
    // Back from the back-forward cache, or visible again after being hidden (possibly
    // frozen): read storage before anything else, for what other writers stored meanwhile.
    let reread_on = |target: &web_sys::EventTarget, event: &'static str, only_when_visible: bool| {
        let (saver, dispatcher, doc_id, document) = (Rc::downgrade(saver), dispatcher.clone(), doc_id.clone(), document.clone());
        gloo_events::EventListener::new(target, event, move |_| {
            if only_when_visible && document.visibility_state() != web_sys::VisibilityState::Visible {
                return;
            }
            if let Some(saver) = saver.upgrade() {
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    let dispatcher = dispatcher.clone();
                    saver.reread(&doc_id, move |merge| dispatcher.dispatch(merge));
                }
            }
        })
    };
    let back = reread_on(&window, "pageshow", false);
    let visible = reread_on(&document, "visibilitychange", true);
    let other_tab = gloo_events::EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
        // Another tab saved this document (its head or one of its parts): merge what it wrote.
        if let Some(action) = event.key().and_then(|key| persistence::merge_from(&doc_id, &key, event.new_value())) {
            dispatcher.dispatch(action);
        }
    });
    vec![flush_on(&window, "pagehide"), hidden, back, visible, other_tab]
}
