//! Small DOM helpers the components share.

use wasm_bindgen::JsCast;

/// The element of sentence `index` inside `root`.
pub fn sentence_element(root: &web_sys::Element, index: usize) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!("[data-sentence=\"{index}\"]")).ok().flatten()?.dyn_into().ok()
}

/// The sentence index of `target` or of its closest sentence ancestor.
pub fn sentence_index_of(target: Option<web_sys::EventTarget>) -> Option<usize> {
    let element: web_sys::Element = target?.dyn_into().ok()?;
    let sentence = element.closest("[data-sentence]").ok().flatten()?;
    sentence.get_attribute("data-sentence")?.parse().ok()
}

/// Whether the document's focused element is inside `root`.
pub fn focus_is_inside(root: &web_sys::Element) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|active| root.contains(Some(&active)))
}

/// Top-left corner, relative to `root`, just below `element`.
pub fn position_below(root: &web_sys::Element, element: &web_sys::Element) -> (f64, f64) {
    let outer = root.get_bounding_client_rect();
    let inner = element.get_bounding_client_rect();
    (inner.bottom() - outer.top() + 4.0, (inner.left() - outer.left()).max(0.0))
}
