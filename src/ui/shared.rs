//! The widget's state as Yew holds it: the pure core state behind an `Rc`, reduced by
//! the core's reducer. Its own module, so that the root, the bridge to the host page and
//! the saver all use it without importing one another.

use std::rc::Rc;

use yew::Reducible;

use crate::core::state::{Action, AppState};

/// The state of one widget.
#[derive(PartialEq)]
pub struct Shared(pub AppState);

impl Reducible for Shared {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.0.apply(action);
        if next.differs_from(&self.0) {
            Rc::new(Shared(next))
        } else {
            self
        }
    }
}
