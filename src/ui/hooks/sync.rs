//! Team sync for one widget: starts the runtime (`ui::syncer`) with the host's settings
//! or the ones remembered on this device, pokes it when the reader's tags change or the
//! browser comes online, and hands its status and the teammates' work to the root.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::i18n::Locale;
use crate::core::model::Document;
use crate::core::options::SyncOptions;
use crate::core::sync::engine::Article;
use crate::core::sync::local::{self, Settings, Team};
use crate::core::sync::status::SyncStatus;
use crate::platform::storage::LocalStorage;
use crate::ui::bridge::BridgeRef;
use crate::ui::persistence::Notice;
use crate::ui::shared::Shared;
use crate::ui::syncer::SyncRuntime;

/// What the root gets.
pub struct Sync {
    /// Where sync stands.
    pub status: SyncStatus,
    /// The teammates' work on this article.
    pub team: Rc<Team>,
    /// The settings in use (`None`: off).
    pub settings: Option<Settings>,
    /// The Sync panel's Connect (`Some`) and Disconnect (`None`).
    pub configure: Callback<Option<Settings>>,
    /// "Sync now".
    pub now: Callback<()>,
}

/// The settings to start with: the host's (`options.sync`), else those remembered here.
pub fn initial_settings(host: Option<&SyncOptions>, annotator: &str) -> Option<Settings> {
    match host {
        Some(s) => Some(Settings { url: s.url.clone(), annotator: annotator.to_owned(), user: s.user.clone(), password: s.password.clone(), token: s.token.clone(), remember: false }),
        None => local::load_settings(&LocalStorage).filter(|s| !s.url.is_empty()),
    }
}

/// Sync for the widget showing `doc`.
#[hook]
pub fn use_sync(state: UseReducerHandle<Shared>, bridge: BridgeRef, host: Option<SyncOptions>, annotator: AttrValue, title: Option<AttrValue>, notice: UseStateHandle<Option<Notice>>, l: Rc<Locale>) -> Sync {
    // The embed build does not sync: a widget that would (the host names a server, or
    // this device remembers one) asks its loader for the full build (`embed::Widget`).
    if !crate::ui::FULL {
        return Sync { status: SyncStatus::default(), team: Rc::default(), settings: None, configure: Callback::noop(), now: Callback::noop() };
    }
    let status = use_state(SyncStatus::default);
    let team = use_state(|| Rc::new(Team::new()));
    let doc: Rc<Document> = state.0.doc.clone();
    let runtime = {
        let (status, team, notice, bridge) = (status.clone(), team.clone(), notice.clone(), bridge.clone());
        use_memo((), move |()| {
            let article = Article { text: doc.text.clone(), fingerprint: doc.fingerprint.clone(), title: title.map(|t| t.to_string()), lang: None };
            let on_status = {
                let bridge = bridge.clone();
                Callback::from(move |s: SyncStatus| {
                    bridge.0.emit_sync(&s);
                    status.set(s);
                })
            };
            let on_team = Callback::from(move |t: Rc<Team>| team.set(t));
            let on_message = Callback::from(move |text: String| notice.set(Some(Notice { text, backup: None })));
            SyncRuntime::new(doc.id.clone(), article, bridge, (on_status, on_team, on_message), l)
        })
    };
    {
        let control: std::rc::Rc<dyn crate::ui::bridge::SyncControl> = (*runtime).clone();
        bridge.0.attach_sync(Rc::downgrade(&control));
    }
    {
        let runtime = runtime.clone();
        use_effect_with((), move |()| {
            runtime.configure(initial_settings(host.as_ref(), &annotator));
            let online = web_sys::window().map(|w| {
                let runtime = Rc::downgrade(&runtime);
                gloo_events::EventListener::new(&w, "online", move |_| {
                    if let Some(r) = runtime.upgrade() {
                        r.poke();
                    }
                })
            });
            move || {
                drop(online);
                runtime.stop();
            }
        });
    }
    {
        let runtime = runtime.clone();
        use_effect_with(state.0.revision, move |_| {
            if runtime.settings().is_some() {
                runtime.poke();
            }
        });
    }
    let configure = {
        let runtime = runtime.clone();
        Callback::from(move |settings: Option<Settings>| {
            if let Some(s) = &settings {
                let _ = local::save_settings(&mut LocalStorage, s);
            }
            runtime.configure(settings);
        })
    };
    let now = {
        let runtime = runtime.clone();
        Callback::from(move |()| runtime.poke())
    };
    Sync { status: (*status).clone(), team: (*team).clone(), settings: runtime.settings(), configure, now }
}
