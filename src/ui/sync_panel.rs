//! The Sync panel: the team database's URL, the reader's name, and how to sign in; the
//! credentials are kept in memory unless the reader ticks "remember on this device".

use yew::prelude::*;

use crate::core::options::is_database_url;
use crate::core::sync::local::Settings;
use crate::core::sync::status::SyncStatus;
use crate::ui::locale::use_locale;

/// What the panel shows and does.
#[derive(Properties, PartialEq, Clone)]
pub struct SyncPanelProps {
    /// The settings in use, if sync is on.
    pub settings: Option<Settings>,
    /// The reader's name when nothing is set yet.
    pub annotator: AttrValue,
    /// Where sync stands.
    pub status: SyncStatus,
    /// Connect (`Some`) or disconnect (`None`).
    pub on_configure: Callback<Option<Settings>>,
    /// Sync now.
    pub on_sync_now: Callback<()>,
    /// Close the panel.
    pub on_close: Callback<()>,
}

fn value_of(e: &InputEvent) -> String {
    e.target_dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// The panel.
#[component(SyncPanel)]
pub fn sync_panel(props: &SyncPanelProps) -> Html {
    // The embed build leaves the panel out (its loader swaps in the full build first).
    if !crate::ui::FULL {
        return Html::default();
    }
    let l = use_locale();
    let start = props.settings.clone().unwrap_or_else(|| Settings { annotator: props.annotator.to_string(), ..Settings::default() });
    let form = use_state(move || start);
    let problem = use_state(|| None::<String>);
    let field = |set: fn(&mut Settings, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*form).clone();
            set(&mut next, value_of(&e));
            form.set(next);
        })
    };
    let remember = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let on = e.target_dyn_into::<web_sys::HtmlInputElement>().is_some_and(|i| i.checked());
            form.set(Settings { remember: on, ..(*form).clone() });
        })
    };
    let connect = {
        let (form, problem, on_configure, l) = (form.clone(), problem.clone(), props.on_configure.clone(), l.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut s = (*form).clone();
            s.url = s.url.trim().trim_end_matches('/').to_owned();
            s.annotator = s.annotator.trim().to_owned();
            let empty_to_none = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
            s.user = empty_to_none(s.user);
            s.password = empty_to_none(s.password);
            s.token = empty_to_none(s.token);
            if !is_database_url(&s.url) {
                problem.set(Some(l.t("sync.panel.bad_url").to_owned()));
            } else if s.annotator.is_empty() {
                problem.set(Some(l.t("sync.panel.no_name").to_owned()));
            } else {
                problem.set(None);
                on_configure.emit(Some(s));
            }
        })
    };
    let f = &*form;
    let on = props.settings.is_some();
    html! {
        <form class="aa-dialog aa-sync" aria-labelledby="aa-sync-title" onsubmit={connect}>
            <h2 class="aa-dialog-title" id="aa-sync-title">{ l.t("sync.panel.title") }</h2>
            <p class="aa-import-summary">{ l.t("sync.panel.intro") }</p>
            <label class="aa-field">
                <span>{ l.t("sync.panel.url") }</span>
                <input type="url" name="url" value={f.url.clone()} placeholder="https://couch.example.org/newsroom" oninput={field(|s, v| s.url = v)} />
            </label>
            <label class="aa-field">
                <span>{ l.t("sync.panel.name") }</span>
                <input type="text" name="annotator" value={f.annotator.clone()} oninput={field(|s, v| s.annotator = v)} />
            </label>
            <label class="aa-field">
                <span>{ l.t("sync.panel.user") }</span>
                <input type="text" name="user" autocomplete="username" value={f.user.clone().unwrap_or_default()} oninput={field(|s, v| s.user = Some(v))} />
            </label>
            <label class="aa-field">
                <span>{ l.t("sync.panel.password") }</span>
                <input type="password" name="password" autocomplete="current-password" value={f.password.clone().unwrap_or_default()} oninput={field(|s, v| s.password = Some(v))} />
            </label>
            <label class="aa-field">
                <span>{ l.t("sync.panel.token") }</span>
                <input type="password" name="token" value={f.token.clone().unwrap_or_default()} oninput={field(|s, v| s.token = Some(v))} />
            </label>
            <label class="aa-check">
                <input type="checkbox" name="remember" checked={f.remember} onchange={remember} />
                { l.t("sync.panel.remember") }
            </label>
            if let Some(problem) = problem.as_ref() {
                <p class="aa-import-warning" role="alert">{ problem }</p>
            }
            if on {
                <p class="aa-import-summary" role="status" data-sync-state={serde_json::to_value(props.status.state).ok().and_then(|v| v.as_str().map(str::to_owned))}>
                    { props.status.text(&l) }
                </p>
            }
            <div class="aa-dialog-actions">
                <button type="submit" class="aa-button aa-primary" data-action="sync-connect">{ l.t("sync.panel.connect") }</button>
                if on {
                    <button type="button" class="aa-button" data-action="sync-now" onclick={props.on_sync_now.reform(|_: MouseEvent| ())}>{ l.t("sync.panel.now") }</button>
                    <button type="button" class="aa-button" data-action="sync-disconnect" onclick={props.on_configure.reform(|_: MouseEvent| None)}>{ l.t("sync.panel.disconnect") }</button>
                }
                <button type="button" class="aa-button" data-action="sync-close" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ l.t("sync.panel.close") }</button>
            </div>
        </form>
    }
}
