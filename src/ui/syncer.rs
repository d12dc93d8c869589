//! When to sync and what to do with what comes back: runs the core's replication engine
//! (`core::sync::engine`) over `platform::couch`, a round whenever the reader's tags
//! change, a long poll for teammates' in between, back-off after failures, at once
//! when the browser comes online or the host calls `syncNow()`. Every decision about
//! requests and answers is the engine's; this only waits, sends, and hands results on.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::Callback;

use crate::core::i18n::Locale;
use crate::core::store::merge::Record;
use crate::core::sync::backoff::Backoff;
use crate::core::sync::engine::{Article, Effect, Engine, SyncError};
use crate::core::sync::local::{self, Settings, Team};
use crate::core::sync::merge_action;
use crate::core::sync::status::{SyncState, SyncStatus};
use crate::core::time::rfc3339_from_millis;
use crate::platform::couch::{self, Credentials};
use crate::platform::now_ms;
use crate::platform::storage::LocalStorage;
use crate::ui::bridge::{BridgeRef, SyncControl};

/// How long a long poll waits for a change before asking again.
const LONGPOLL_MS: u64 = 25_000;
/// A request that has not finished after this long is given up (a server that hangs,
/// or an endless answer); a long poll gets this much beyond its own wait.
const REQUEST_TIMEOUT_MS: u32 = 30_000;
/// Edits within this time go out in one round.
const COALESCE_MS: u32 = 300;

/// One widget's sync.
pub struct SyncRuntime {
    doc_id: String,
    article: Article,
    bridge: BridgeRef,
    settings: RefCell<Option<Settings>>,
    engine: RefCell<Option<Engine>>,
    status: RefCell<SyncStatus>,
    team: RefCell<Team>,
    /// Bumped when settings change or the widget goes: an older loop stops.
    generation: Cell<u32>,
    woken: Cell<bool>,
    abort: RefCell<Option<web_sys::AbortController>>,
    /// `syncNow()` promises settled by the round under way...
    waiters: RefCell<Vec<(js_sys::Function, js_sys::Function)>>,
    /// ...and those made since it started, settled by the next one.
    queued: RefCell<Vec<(js_sys::Function, js_sys::Function)>>,
    reported: RefCell<Vec<String>>,
    on_status: Callback<SyncStatus>,
    on_team: Callback<Rc<Team>>,
    on_message: Callback<String>,
    locale: Rc<Locale>,
}

impl SyncRuntime {
    /// A runtime for document `doc_id`, off until [`SyncRuntime::configure`].
    pub fn new(doc_id: String, article: Article, bridge: BridgeRef, callbacks: (Callback<SyncStatus>, Callback<Rc<Team>>, Callback<String>), locale: Rc<Locale>) -> Rc<Self> {
        let (on_status, on_team, on_message) = callbacks;
        Rc::new(Self {
            doc_id,
            article,
            bridge,
            settings: RefCell::new(None),
            engine: RefCell::new(None),
            status: RefCell::new(SyncStatus::default()),
            team: RefCell::new(Team::new()),
            generation: Cell::new(0),
            woken: Cell::new(false),
            abort: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
            queued: RefCell::new(Vec::new()),
            reported: RefCell::new(Vec::new()),
            on_status,
            on_team,
            on_message,
            locale,
        })
    }

    /// The status now.
    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// The settings in use, if sync is on.
    pub fn settings(&self) -> Option<Settings> {
        self.settings.borrow().clone()
    }

    /// Starts syncing with `settings` (or stops, with `None`), from the checkpoint and
    /// the teammates' work kept for that database.
    pub fn configure(self: &Rc<Self>, settings: Option<Settings>) {
        self.stop();
        let generation = self.generation.get();
        let Some(settings) = settings else {
            self.set_status(SyncStatus::default());
            return;
        };
        let checkpoint = local::load_checkpoint(&LocalStorage, &self.doc_id, &settings.url);
        let team = local::load_team(&LocalStorage, &self.doc_id, &settings.url);
        *self.engine.borrow_mut() = Some(Engine::new(self.doc_id.clone(), settings.annotator.clone(), checkpoint, Some(self.article.clone())));
        *self.team.borrow_mut() = team.clone();
        *self.settings.borrow_mut() = Some(settings);
        self.on_team.emit(Rc::new(team));
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move { me.run(generation).await });
    }

    /// Stops the loop (settings change, widget destroyed).
    pub fn stop(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.poke();
        let waiting: Vec<_> = self.waiters.borrow_mut().drain(..).chain(self.queued.borrow_mut().drain(..)).collect();
        for (_, reject) in waiting {
            let _ = reject.call1(&JsValue::NULL, &js_sys::Error::new("article-annotator syncNow(): sync was stopped").into());
        }
    }

    /// Something changed (an edit, the network back, `syncNow()`): a round now.
    pub fn poke(&self) {
        self.woken.set(true);
        // What waits is known now (a round starts shortly): the status says so at once.
        if self.settings.borrow().is_some() {
            let status = self.status();
            let state = if status.state == SyncState::Synced { SyncState::Syncing } else { status.state };
            self.set_status(SyncStatus { state, pending: self.pending(), ..status });
        }
        if let Some(abort) = self.abort.borrow_mut().take() {
            abort.abort();
        }
    }

    /// `syncNow()`: resolves after the next round (a pull and a push), rejects with why.
    fn promise_of_next_round(self: Rc<Self>) -> js_sys::Promise {
        let me = self;
        js_sys::Promise::new(&mut |resolve, reject| {
            if me.settings.borrow().is_none() {
                let _ = reject.call1(&JsValue::NULL, &js_sys::Error::new("article-annotator syncNow(): sync is off (no database set)").into());
                return;
            }
            me.queued.borrow_mut().push((resolve, reject));
            me.poke();
        })
    }

    fn set_status(&self, status: SyncStatus) {
        if *self.status.borrow() != status {
            *self.status.borrow_mut() = status.clone();
            self.on_status.emit(status);
        }
    }

    fn records(&self) -> BTreeMap<String, Record> {
        self.bridge.0.with_state(|s| s.records().into_iter().map(|(k, v)| (k.to_owned(), v)).collect()).unwrap_or_default()
    }

    fn pending(&self) -> usize {
        let records = self.records();
        self.engine.borrow().as_ref().map_or(0, |e| e.pending(&records))
    }

    fn credentials(&self) -> (String, Credentials) {
        self.settings.borrow().as_ref().map_or((String::new(), Credentials::None), |s| (s.url.clone(), Credentials::of(s)))
    }

    async fn run(self: Rc<Self>, generation: u32) {
        let mut backoff = Backoff::default();
        let mut started = false;
        let live = |me: &Self| me.generation.get() == generation;
        while live(&self) {
            if started {
                // Coalesce a burst of edits into one round.
                gloo_timers::future::TimeoutFuture::new(COALESCE_MS).await;
            }
            started = true;
            self.woken.set(false);
            self.set_status(SyncStatus { state: SyncState::Syncing, pending: self.pending(), ..self.status() });
            self.start_waiters();
            let mut result = self.round(true).await;
            while result.is_ok() && live(&self) {
                self.finish_round(&Ok(()));
                backoff.reset();
                // Wait for teammates' changes, or for ours.
                match self.longpoll().await {
                    Ok(true) => {
                        self.start_waiters();
                        result = self.round(false).await;
                    }
                    Ok(false) if self.woken.get() => break,
                    Ok(false) => continue,
                    Err(e) => result = Err(e),
                }
            }
            if !live(&self) {
                return;
            }
            let Err(error) = result else { continue };
            self.finish_round(&Err(error.clone()));
            let wait = if error.retryable() { Some(backoff.fail(js_sys::Math::random())) } else { None };
            self.sleep_until_woken(wait, generation).await;
        }
    }

    /// A round starts: the `syncNow()` calls made so far are settled by it.
    fn start_waiters(&self) {
        let queued: Vec<_> = self.queued.borrow_mut().drain(..).collect();
        self.waiters.borrow_mut().extend(queued);
    }

    fn finish_round(&self, result: &Result<(), SyncError>) {
        if let (Some(settings), Some(engine)) = (self.settings.borrow().as_ref(), self.engine.borrow().as_ref()) {
            let _ = local::save_checkpoint(&mut LocalStorage, &self.doc_id, &settings.url, &engine.checkpoint);
        }
        let pending = self.pending();
        let status = match result {
            Ok(()) => SyncStatus { state: SyncState::Synced, pending, last_synced: Some(rfc3339_from_millis(now_ms())), message: None },
            Err(error @ SyncError::Offline(_)) => SyncStatus { state: SyncState::Offline, pending, message: Some(error.message(&self.locale)), ..self.status() },
            Err(error) => SyncStatus { state: SyncState::Error, pending, message: Some(error.message(&self.locale)), ..self.status() },
        };
        self.set_status(status);
        let waiters: Vec<_> = self.waiters.borrow_mut().drain(..).collect();
        for (resolve, reject) in waiters {
            let _ = match result {
                Ok(()) => resolve.call0(&JsValue::NULL),
                Err(error) => reject.call1(&JsValue::NULL, &js_sys::Error::new(&format!("article-annotator syncNow(): {}", error.message(&Locale::english()))).into()),
            };
        }
    }

    /// A round: changes, fetches, pushes, until the engine has nothing more to ask.
    async fn round(&self, start: bool) -> Result<(), SyncError> {
        if start {
            if let Some(engine) = self.engine.borrow_mut().as_mut() {
                engine.start();
            }
        }
        let (url, credentials) = self.credentials();
        loop {
            let records = self.records();
            let request = self.engine.borrow_mut().as_mut().and_then(|e| e.next(&records));
            let Some(request) = request else { return Ok(()) };
            let abort = web_sys::AbortController::new().ok();
            let timer = abort.clone().map(|a| gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || a.abort()));
            let answer = couch::send(&url, &credentials, &request, abort.as_ref().map(|a| a.signal()).as_ref()).await;
            drop(timer);
            let effects = self.engine.borrow_mut().as_mut().map(|e| e.handle(&request, answer)).unwrap_or(Ok(Vec::new()))?;
            let merged = effects.iter().any(|e| matches!(e, Effect::Own(_)));
            self.apply(effects);
            if merged {
                // Let the widget take the merge in before the push reads its records, so
                // that what goes out is the merged record (else one more round sends it).
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
        }
    }

    /// A long poll of the changes: `true` when something of this document changed
    /// (the engine then goes on with the round), `false` when it timed out or was woken.
    async fn longpoll(&self) -> Result<bool, SyncError> {
        if self.woken.get() {
            return Ok(false);
        }
        let (url, credentials) = self.credentials();
        let Some(request) = self.engine.borrow().as_ref().map(|e| e.changes_request(Some(LONGPOLL_MS))) else { return Ok(false) };
        let abort = web_sys::AbortController::new().ok();
        *self.abort.borrow_mut() = abort.clone();
        let timer = abort.clone().map(|a| gloo_timers::callback::Timeout::new(LONGPOLL_MS as u32 + REQUEST_TIMEOUT_MS, move || a.abort()));
        let answer = couch::send(&url, &credentials, &request, abort.as_ref().map(|a| a.signal()).as_ref()).await;
        drop(timer);
        self.abort.borrow_mut().take();
        if self.woken.get() {
            return Ok(false);
        }
        self.engine.borrow_mut().as_mut().map_or(Ok(false), |e| e.handle_longpoll(answer))
    }

    async fn sleep_until_woken(&self, wait_ms: Option<u64>, generation: u32) {
        let until = wait_ms.map(|ms| now_ms() + ms);
        while self.generation.get() == generation && !self.woken.get() && until.is_none_or(|t| now_ms() < t) {
            gloo_timers::future::TimeoutFuture::new(200).await;
        }
    }

    fn apply(&self, effects: Vec<Effect>) {
        let mut team_changed = false;
        for effect in effects {
            match effect {
                Effect::Own(records) => {
                    self.bridge.0.dispatch(merge_action(records), "sync");
                }
                Effect::Team { creator, records } => {
                    local::add_to_team(&mut self.team.borrow_mut(), &creator, records);
                    team_changed = true;
                }
                Effect::Text { .. } => {}
                Effect::Foreign { id, why } => self.report(&id, self.locale.f("sync.notice.foreign", &[("id", &id), ("why", &why)])),
                Effect::Refused { id, reason } => self.report(&id, self.locale.f("sync.notice.refused", &[("reason", &reason)])),
            }
        }
        if team_changed {
            let team = self.team.borrow().clone();
            if let Some(settings) = self.settings.borrow().as_ref() {
                let _ = local::save_team(&mut LocalStorage, &self.doc_id, &settings.url, &team);
            }
            self.on_team.emit(Rc::new(team));
        }
    }

    fn report(&self, id: &str, message: String) {
        if !self.reported.borrow().iter().any(|r| r == id) {
            self.reported.borrow_mut().push(id.to_owned());
            self.on_message.emit(message);
        }
    }
}

impl SyncControl for SyncRuntime {
    fn status(&self) -> SyncStatus {
        SyncRuntime::status(self)
    }

    fn sync_now(self: Rc<Self>) -> js_sys::Promise {
        self.promise_of_next_round()
    }
}
