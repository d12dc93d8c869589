//! When annotations are written: coalesced after a burst of changes, flushed at once
//! when the page is hidden or closed, retried while storage is full, and merged when
//! another tab saves the same document.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::{Interval, Timeout};
use yew::{Callback, UseReducerHandle};

use super::shared::Shared;
use super::persistence::{self, Notice};
use crate::core::i18n::Locale;
use crate::core::codec::split::Written;

/// Quiet time after the last change before writing: a burst of keys is one write.
pub const COALESCE_MS: u32 = 400;
/// How often a failed save is tried again (space may have been freed).
pub const RETRY_MS: u32 = 3000;

/// What the save indicator says.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Everything is in storage.
    Saved,
    /// Changes are waiting to be written.
    Pending,
    /// The last write failed; it is being retried.
    Failed(Notice),
}

/// The pending write of one widget.
pub struct Saver {
    latest: Option<UseReducerHandle<Shared>>,
    dirty: bool,
    coalesce: Option<Timeout>,
    retry: Option<Interval>,
    on_status: Callback<SaveStatus>,
    me: Weak<RefCell<Saver>>,
    /// What the last successful write stored, so the next one writes only what changed.
    written: Written,
    /// The reader's language, for the notice when a save fails.
    locale: Rc<Locale>,
}

impl Saver {
    /// A saver that reports its status through `on_status`; `head` is the stored head
    /// as loaded.
    pub fn new(head: Option<String>, on_status: Callback<SaveStatus>, locale: Rc<Locale>) -> Rc<RefCell<Saver>> {
        Rc::new_cyclic(|me| {
            RefCell::new(Saver {
                latest: None,
                dirty: false,
                coalesce: None,
                retry: None,
                on_status,
                me: me.clone(),
                written: Written::found(head),
                locale,
            })
        })
    }

    /// Notes a change; the write happens after [`COALESCE_MS`] without another one.
    pub fn schedule(&mut self, state: UseReducerHandle<Shared>) {
        self.latest = Some(state);
        self.dirty = true;
        self.on_status.emit(SaveStatus::Pending);
        let me = self.me.clone();
        self.coalesce = Some(Timeout::new(COALESCE_MS, move || flush(&me)));
    }

    /// Writes now, if anything is waiting. The save reads storage first and merges what
    /// another writer put there; that merge is handed to the state as well.
    pub fn flush(&mut self) {
        self.coalesce = None;
        if !self.dirty {
            return;
        }
        let Some(handle) = &self.latest else { return };
        match persistence::save(&handle.0, &self.written, &self.locale) {
            Ok(outcome) => {
                let merge = match outcome {
                    persistence::Outcome::Written(written) => {
                        self.written = written;
                        None
                    }
                    persistence::Outcome::Merged(written, merge) => {
                        self.written = written;
                        Some(merge)
                    }
                };
                self.dirty = false;
                self.retry = None;
                self.on_status.emit(SaveStatus::Saved);
                if let Some(merge) = merge {
                    handle.dispatch(merge);
                }
            }
            Err(notice) => {
                self.on_status.emit(SaveStatus::Failed(notice));
                if self.retry.is_none() {
                    let me = self.me.clone();
                    self.retry = Some(Interval::new(RETRY_MS, move || flush(&me)));
                }
            }
        }
    }

    /// Reads storage again (the page is back from the back-forward cache, or visible
    /// after a while) and hands what another writer stored to the state.
    pub fn reread(&mut self, doc_id: &str, dispatch: impl Fn(crate::core::state::Action)) {
        if let Some((merge, found)) = persistence::reread(doc_id, &self.written) {
            self.written = found;
            dispatch(merge);
        }
    }

    /// Stops every timer (the widget is going away, after a last flush).
    pub fn stop(&mut self) {
        self.coalesce = None;
        self.retry = None;
    }
}

/// Whether everything the saver behind `me` was given is in storage (nothing waits, and
/// no write failed); true when there is no saver (storage is off).
pub fn is_clean(me: &Weak<RefCell<Saver>>) -> bool {
    me.upgrade().is_none_or(|saver| saver.try_borrow().is_ok_and(|saver| !saver.dirty))
}

/// Flushes the saver behind `me`, if it still exists.
pub fn flush(me: &Weak<RefCell<Saver>>) {
    if let Some(saver) = me.upgrade() {
        if let Ok(mut saver) = saver.try_borrow_mut() {
            saver.flush();
        }
    }
}
