//! The link between a mounted widget and the host page's JavaScript: the handle reads
//! the latest state and dispatches actions through it, and the widget emits `change`
//! and `select` events through it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::UseReducerHandle;

use super::shared::Shared;
use crate::core::state::Action;

/// Shared by one widget's root component and every JavaScript handle on it.
#[derive(Default)]
pub struct Bridge {
    state: RefCell<Option<UseReducerHandle<Shared>>>,
    listeners: RefCell<Vec<(String, js_sys::Function)>>,
    /// Where the next change comes from, when not from the reader ("api", "import").
    next_source: RefCell<Option<&'static str>>,
    /// The widget's pending write, flushed when the host destroys the widget.
    saver: RefCell<std::rc::Weak<RefCell<super::saver::Saver>>>,
    /// A sentence to give the keyboard focus and scroll to once it is rendered (a
    /// windowed article renders a far sentence only after the focus moved to it).
    reveal: std::cell::Cell<Option<usize>>,
    /// The widget's team sync, when it has rendered.
    sync: RefCell<Option<std::rc::Weak<dyn SyncControl>>>,
}

/// What the handle asks of a widget's team sync (`ui::syncer` implements it).
pub trait SyncControl {
    /// Where sync stands.
    fn status(&self) -> crate::core::sync::status::SyncStatus;
    /// A Promise of the next round.
    fn sync_now(self: Rc<Self>) -> js_sys::Promise;
}

/// A [`Bridge`] as a component property: equal only to itself.
#[derive(Clone, Default)]
pub struct BridgeRef(pub Rc<Bridge>);

impl PartialEq for BridgeRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The events a host can listen to.
pub const EVENTS: [&str; 3] = ["change", "select", "sync"];

impl Bridge {
    /// Called by the root component on every render with its current state.
    pub(super) fn attach(&self, state: UseReducerHandle<Shared>) {
        *self.state.borrow_mut() = Some(state);
    }

    /// Runs `f` on the current state, if the widget has rendered.
    pub fn with_state<T>(&self, f: impl FnOnce(&crate::core::state::AppState) -> T) -> Option<T> {
        self.state.borrow().as_ref().map(|handle| f(&handle.0))
    }

    /// Dispatches an action on behalf of the host (`source` names it in the change event).
    pub fn dispatch(&self, action: Action, source: &'static str) -> bool {
        let state = self.state.borrow();
        let Some(handle) = state.as_ref() else { return false };
        *self.next_source.borrow_mut() = Some(source);
        handle.dispatch(action);
        true
    }

    /// Moves the focus to sentence `index`, gives it the keyboard focus and scrolls it
    /// into view: at once when it is rendered inside `within`, else when it has been.
    pub fn reveal(&self, within: &web_sys::Element, index: usize) -> bool {
        let state = self.state.borrow();
        let Some(handle) = state.as_ref() else { return false };
        self.reveal.set(Some(index));
        let handle = handle.clone();
        drop(state);
        handle.dispatch(Action::Focus(index));
        if self.reveal.get() == Some(index) {
            if let Some(element) = crate::platform::dom::sentence_element(within, index) {
                self.reveal.set(None);
                crate::platform::dom::focus_and_show(&element);
            }
        }
        true
    }

    /// Whether sentence `index` waits to be revealed (and forgets it if so).
    pub(super) fn take_reveal(&self, index: usize) -> bool {
        let waiting = self.reveal.get() == Some(index);
        if waiting {
            self.reveal.set(None);
        }
        waiting
    }

    /// Where the change being reported came from, and forgets it.
    pub(super) fn take_source(&self) -> &'static str {
        self.next_source.borrow_mut().take().unwrap_or("user")
    }

    /// Adds a listener.
    pub fn on(&self, event: &str, callback: js_sys::Function) {
        self.listeners.borrow_mut().push((event.to_owned(), callback));
    }

    /// Whether anyone listens to `event` (a payload nobody hears is not built).
    pub fn has_listener(&self, event: &str) -> bool {
        self.listeners.borrow().iter().any(|(e, _)| e == event)
    }

    /// Removes a listener (the same function object given to `on`).
    pub fn off(&self, event: &str, callback: &js_sys::Function) {
        self.listeners.borrow_mut().retain(|(e, f)| !(e == event && f == callback));
    }

    /// Calls every listener of `event` with `payload`. A listener that throws is
    /// reported on the console and does not stop the others or the widget.
    pub(super) fn emit(&self, event: &str, payload: &JsValue) {
        let listeners: Vec<js_sys::Function> =
            self.listeners.borrow().iter().filter(|(e, _)| e == event).map(|(_, f)| f.clone()).collect();
        for listener in listeners {
            if let Err(error) = listener.call1(&JsValue::NULL, payload) {
                web_sys::console::error_2(&JsValue::from_str(&format!("article-annotator: a \"{event}\" listener threw:")), &error);
            }
        }
    }

    /// Called by the root component with its sync runtime.
    pub(super) fn attach_sync(&self, runtime: std::rc::Weak<dyn SyncControl>) {
        *self.sync.borrow_mut() = Some(runtime);
    }

    fn sync_control(&self) -> Option<Rc<dyn SyncControl>> {
        self.sync.borrow().as_ref().and_then(std::rc::Weak::upgrade)
    }

    /// Where sync stands (off when the widget has not rendered).
    pub fn sync_status(&self) -> crate::core::sync::status::SyncStatus {
        self.sync_control().map(|r| r.status()).unwrap_or_default()
    }

    /// `syncNow()`: a Promise of the next round (rejected when sync is off).
    pub fn sync_now(&self) -> js_sys::Promise {
        match self.sync_control() {
            Some(runtime) => runtime.sync_now(),
            None => js_sys::Promise::reject(&js_sys::Error::new("article-annotator syncNow(): the widget has not started yet (its article is still being prepared); call it again once it has rendered").into()),
        }
    }

    /// Tells `sync` listeners the new status.
    pub(super) fn emit_sync(&self, status: &crate::core::sync::status::SyncStatus) {
        if self.has_listener("sync") {
            if let Ok(payload) = status_js(status) {
                self.emit("sync", &payload);
            }
        }
    }

    /// Called by the root component with its saver.
    pub(super) fn attach_saver(&self, saver: &Rc<RefCell<super::saver::Saver>>) {
        *self.saver.borrow_mut() = Rc::downgrade(saver);
    }

    /// Writes what is pending now (before the widget is destroyed).
    pub fn flush(&self) {
        super::saver::flush(&self.saver.borrow());
    }

    /// Whether every tag is in storage (after `flush`: false when the write failed).
    pub fn all_saved(&self) -> bool {
        super::saver::is_clean(&self.saver.borrow())
    }

    /// Forgets the state and every listener (on destroy).
    pub fn clear(&self) {
        self.state.borrow_mut().take();
        self.listeners.borrow_mut().clear();
    }
}

/// The status object as a plain JavaScript object.
fn status_js(status: &crate::core::sync::status::SyncStatus) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(status).map_err(|e| JsValue::from_str(&e.to_string()))?;
    js_sys::JSON::parse(&text)
}
