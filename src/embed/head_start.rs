//! The loader's head start (`web/article-annotator.js`): while the wasm is on its way,
//! the loader fetches each widget element's text (or reads it inline) and shows it as
//! the widget's article will show it, in a `[data-aa-pre]` block. Three expando
//! properties on the host element hand its work to the widget, each taken once:
//!
//! - `__articleAnnotatorText`: a Promise of the article text;
//! - `__articleAnnotatorOriginal`: the element's own children, set aside when the text
//!   was shown (put back when the widget is destroyed, as its own content always is);
//! - the `[data-aa-pre]` block itself, removed in the task that renders the widget.
//!
//! When the loader swaps in the full build (`handOver`), it sets the text again from its
//! own record, so the next build takes over without fetching it again.

use wasm_bindgen::{JsCast, JsValue};

const TEXT: &str = "__articleAnnotatorText";
const ORIGINAL: &str = "__articleAnnotatorOriginal";
const SHOWN: &str = ":scope > [data-aa-pre]";

/// Takes the property `name` of `element`.
fn take(element: &web_sys::Element, name: &str) -> Option<JsValue> {
    let key = JsValue::from_str(name);
    let value = js_sys::Reflect::get(element, &key).ok().filter(|v| !v.is_undefined() && !v.is_null())?;
    let _ = js_sys::Reflect::delete_property(element, &key);
    Some(value)
}

/// The text the loader got for `element`, if it started on it: `None` from the future
/// when its fetch failed (or what came was not text).
pub fn text(element: &web_sys::Element) -> Option<impl std::future::Future<Output = Option<String>>> {
    let promise = take(element, TEXT)?.dyn_into::<js_sys::Promise>().ok()?;
    Some(async move { wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_string() })
}

/// The element's own content when the loader set it aside (its text is shown instead).
pub fn original(element: &web_sys::Element) -> Option<web_sys::DocumentFragment> {
    take(element, ORIGINAL)?.dyn_into::<web_sys::DocumentFragment>().ok()
}

/// Whether the loader's text is shown in `element`.
pub fn shown(element: &web_sys::Element) -> bool {
    element.query_selector(SHOWN).ok().flatten().is_some()
}

/// Removes the loader's text once the widget is rendered.
pub fn remove(element: &web_sys::Element) {
    while let Some(block) = element.query_selector(SHOWN).ok().flatten() {
        block.remove();
    }
}
