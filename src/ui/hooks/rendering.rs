//! Rendering a long article in steps (a few runs of paragraphs per tick, so the page
//! never freezes for long) and, windowed, only the runs near the viewport as sentences.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::core::window;
use crate::platform::dom;
use crate::ui::layout::Layout;

/// Light runs (plain text) added per tick while a windowed article appears.
const LIGHT_RUNS_PER_TICK: usize = 3;

/// What is shown so far (see `core::window::stage`): at once, the panels and one run
/// in the first render; staged, the toolbar alone, then the panels, then the runs;
/// then more runs after each tick until all are.
#[hook]
pub fn use_progressive(layout: Rc<Layout>, staged: bool) -> window::Stage {
    // Light runs, plain text, are cheap: more of them per tick. A run of sentences (24
    // paragraphs) is more than a screen, and rendering one takes about 20 ms while the
    // wasm is fresh (baseline-compiled): one per tick keeps every task short.
    let step = if layout.windowed { LIGHT_RUNS_PER_TICK } else { 1 };
    let total = layout.chunks.len();
    let tick = use_state(|| 0usize);
    {
        let tick = tick.clone();
        let timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
        use_effect_with(*tick, move |now| {
            let now = *now;
            if window::ticks_left(now, total, step, staged) {
                *timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(0, move || tick.set(now + 1)));
            }
            move || drop(timer.borrow_mut().take())
        });
    }
    window::stage(*tick, total, step, staged)
}

/// A windowed article: the runs near the viewport, as an IntersectionObserver reports
/// them (a change re-renders the root).
#[hook]
pub fn use_near_runs(layout: Rc<Layout>, article: NodeRef, shown: usize) -> Rc<RefCell<Vec<usize>>> {
    let near = use_mut_ref(Vec::<usize>::new);
    let near_observer = use_mut_ref(|| None::<dom::NearObserver>);
    {
        let (near, slot, rerender) = (near.clone(), near_observer.clone(), use_force_update());
        use_effect_with(shown, move |_| {
            if layout.windowed {
                let mut slot = slot.borrow_mut();
                if slot.is_none() {
                    *slot = dom::NearObserver::new(move |changes| {
                        let mut set = near.borrow_mut();
                        let mut changed = false;
                        for (run, is_near) in changes {
                            changed |= window::note_near(&mut set, run, is_near);
                        }
                        drop(set);
                        if changed {
                            rerender.force_update();
                        }
                    });
                }
                if let (Some(observer), Some(article)) = (slot.as_ref(), article.cast::<web_sys::Element>()) {
                    let per_line = dom::chars_per_line(&article, window::CHAR_WIDTH_EM);
                    observer.observe_new(&article, |run| window::estimated_height_em(layout.run_paragraph_chars(run), per_line));
                }
            }
        });
    }
    use_effect_with((), move |()| move || drop(near_observer.borrow_mut().take()));
    near
}
