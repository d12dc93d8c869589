//! Telling the host page what changed: `change` (the sentences whose tags changed, not
//! on start) and `select` (the focused sentence), the library's focus callback, and a
//! Rust host's `on_change` (every annotation, after each change and on start).

use std::rc::Rc;

use yew::prelude::*;

use crate::core::model::Annotation;
use crate::ui::bridge::BridgeRef;
use crate::ui::events;
use crate::ui::shared::Shared;

/// Emits the host events for each change of the state.
#[hook]
pub fn use_host_events(state: UseReducerHandle<Shared>, bridge: BridgeRef, on_focus: Option<Callback<usize>>, on_change: Option<Callback<Vec<Annotation>>>) {
    {
        let bridge = bridge.clone();
        let previous = use_mut_ref(|| state.0.by_sentence.clone());
        let previous_orphans = use_mut_ref(|| state.0.orphans.clone());
        let started = use_mut_ref(|| false);
        let state = state.clone();
        use_effect_with(state.0.revision, move |_| {
            let s = &state.0;
            let starting = !std::mem::replace(&mut *started.borrow_mut(), true);
            let mut before = previous.borrow_mut();
            let tags_changed = !Rc::ptr_eq(&before, &s.by_sentence);
            // The list is shared until a tag changes: the same pointer means no sentence changed.
            // With no listener there is nobody to tell.
            let changed: Vec<usize> = if !tags_changed || !bridge.0.has_listener("change") {
                Vec::new()
            } else {
                (0..s.by_sentence.len())
                    .filter(|&i| match (before.get(i).and_then(Option::as_ref), s.by_sentence[i].as_ref()) {
                        (Some(a), Some(b)) => !Rc::ptr_eq(a, b),
                        (None, None) => false,
                        _ => true,
                    })
                    .collect()
            };
            let orphans_changed = {
                let old = previous_orphans.borrow();
                old.len() != s.orphans.len() || old.iter().zip(&s.orphans).any(|(a, b)| !Rc::ptr_eq(a, b))
            };
            *before = s.by_sentence.clone();
            *previous_orphans.borrow_mut() = s.orphans.clone();
            let source = bridge.0.take_source();
            if (!changed.is_empty() || orphans_changed) && bridge.0.has_listener("change") {
                bridge.0.emit("change", &events::change(s, &changed, source));
            }
            if let Some(on_change) = &on_change {
                if tags_changed || orphans_changed || (starting && s.annotations().next().is_some()) {
                    on_change.emit(s.annotations().cloned().collect());
                }
            }
        });
    }
    let first = use_mut_ref(|| true);
    let focus = state.0.focus;
    use_effect_with(focus, move |focus| {
        if std::mem::replace(&mut *first.borrow_mut(), false) {
            return;
        }
        bridge.0.emit("select", &events::select(&state.0, *focus));
        if let Some(on_focus) = &on_focus {
            on_focus.emit(*focus);
        }
    });
}
