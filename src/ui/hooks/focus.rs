//! Keeping the keyboard focus on the focused sentence, and placing an overlay under it.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use crate::platform::dom;
use crate::ui::bridge::BridgeRef;

/// Keeps DOM focus on sentence `focus`, but only while the reader works in the article
/// (the focus is inside it, or was until a re-render took its element away), or when
/// the sentence was asked for (a jump, the API) before it was rendered. A sentence
/// focused from the start (a link to it) is scrolled into view once. Returns the flag
/// that says whether the reader works in the article (the root's focus handlers set it).
#[hook]
pub fn use_dom_focus(root: NodeRef, bridge: BridgeRef, focus: usize, initial_focus: Option<usize>) -> Rc<Cell<bool>> {
    {
        let root = root.clone();
        use_effect_with((), move |()| {
            if let (Some(index), Some(root)) = (initial_focus, root.cast::<web_sys::Element>()) {
                if let Some(el) = dom::sentence_element(&root, index) {
                    el.scroll_into_view_with_bool(true);
                }
            }
        });
    }
    let working = use_memo((), |()| Cell::new(false));
    {
        let working = working.clone();
        use_effect_with(focus, move |focus| {
            let revealing = bridge.0.take_reveal(*focus);
            if let Some(root) = root.cast::<web_sys::Element>() {
                let inside = dom::focus_is_inside(&root) || (working.get() && dom::focus_is_nowhere());
                if let Some(el) = dom::sentence_element(&root, *focus).filter(|_| revealing || inside) {
                    if revealing {
                        dom::focus_and_show(&el);
                    } else {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    working
}

/// Where an overlay (the picker, the note editor) goes: under sentence `sentence`.
#[hook]
pub fn use_position_below(root: NodeRef, sentence: Option<usize>) -> (f64, f64) {
    let at = use_state(|| (0.0, 0.0));
    {
        let at = at.clone();
        use_effect_with(sentence, move |sentence| {
            if let (Some(index), Some(root)) = (sentence, root.cast::<web_sys::Element>()) {
                if let Some(el) = dom::sentence_element(&root, *index) {
                    at.set(dom::position_below(&root, &el));
                }
            }
        });
    }
    *at
}
