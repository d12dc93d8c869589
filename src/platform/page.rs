//! The page the widget is on: its URL, and the fragment the library keeps its place in.

use wasm_bindgen::JsValue;

/// `src` resolved against the page, as the W3C export's target source.
#[cfg_attr(not(feature = "embed"), allow(dead_code))] // data-src is the embed's
pub fn absolute_url(src: &str) -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new_with_base(src, &base).ok().map(|u| u.href())
}

/// The page's URL without its fragment.
pub fn page_url() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(href.split('#').next().unwrap_or(&href).to_owned())
}

/// The page URL's fragment, with its `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Sets the fragment: a new history entry (`push`), or in place of the current one.
/// A sandboxed frame may refuse; the widget works the same without it.
pub fn set_fragment(fragment: &str, push: bool) {
    let Some(window) = web_sys::window() else { return };
    if window.location().hash().ok().as_deref() == Some(fragment) {
        return;
    }
    let Ok(history) = window.history() else { return };
    let url = format!("{}{fragment}", page_url().unwrap_or_default());
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// Calls `on_change` when the reader goes back or forward (or edits the fragment).
pub fn on_fragment_change(on_change: impl Fn() + 'static) -> Vec<gloo_events::EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let on_change = std::rc::Rc::new(on_change);
    let again = on_change.clone();
    vec![
        gloo_events::EventListener::new(&window, "popstate", move |_| on_change()),
        gloo_events::EventListener::new(&window, "hashchange", move |_| again()),
    ]
}
