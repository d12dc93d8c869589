//! Small DOM helpers the components share.

use wasm_bindgen::JsCast;

/// The element of sentence `index` inside `root`.
pub fn sentence_element(root: &web_sys::Element, index: usize) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!("[data-sentence=\"{index}\"]")).ok().flatten()?.dyn_into().ok()
}

/// Gives `element` the keyboard focus and scrolls it into view (to the bottom edge when
/// it is below, as reading down the article does).
pub fn focus_and_show(element: &web_sys::HtmlElement) {
    let _ = element.focus();
    element.scroll_into_view_with_bool(false);
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

/// Whether no element has the focus (the document's body has it, or nothing).
pub fn focus_is_nowhere() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    match (document.active_element(), document.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *body.unchecked_ref::<web_sys::Element>(),
        (Some(_), None) => false,
    }
}

/// Top-left corner, relative to `root`, just below `element`.
pub fn position_below(root: &web_sys::Element, element: &web_sys::Element) -> (f64, f64) {
    let outer = root.get_bounding_client_rect();
    let inner = element.get_bounding_client_rect();
    // From the inline-start edge: the right one when the widget reads right to left.
    let rtl = root.closest("[dir]").ok().flatten().and_then(|e| e.get_attribute("dir")).is_some_and(|d| d.eq_ignore_ascii_case("rtl"));
    let start = if rtl { outer.right() - inner.right() } else { inner.left() - outer.left() };
    (inner.bottom() - outer.top() + 4.0, start.max(0.0))
}

/// How many characters of the article's font fit on one of `element`'s lines.
pub fn chars_per_line(element: &web_sys::Element, char_width_em: f64) -> usize {
    let font_px = web_sys::window()
        .and_then(|w| w.get_computed_style(element).ok().flatten())
        .and_then(|style| style.get_property_value("font-size").ok())
        // Whole pixels are precise enough, and integer parsing is far smaller in wasm than f64's.
        .and_then(|size| size.split(['.', 'p']).next().and_then(|px| px.parse::<u32>().ok()))
        .filter(|px| *px > 0)
        .unwrap_or(16);
    ((f64::from(element.client_width()) / (f64::from(font_px) * char_width_em)) as usize).max(1)
}

/// Reports which runs of a windowed article (`.aa-run[data-run]` elements) are near the
/// viewport: within one viewport's height above or below it, in whatever scrolls the
/// widget (the page, or a scrolling element of the host's). Stops when dropped.
pub struct NearObserver {
    observer: web_sys::IntersectionObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
    /// How many runs are observed (runs are only ever appended, in order).
    observed: std::cell::Cell<u32>,
}

impl NearObserver {
    /// An observer calling `on_change` with `(run, near)` pairs whenever runs come near or go.
    pub fn new(on_change: impl Fn(Vec<(usize, bool)>) + 'static) -> Option<Self> {
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let changes = entries
                .iter()
                .filter_map(|entry| entry.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                .filter_map(|entry| {
                    let run = entry.target().get_attribute("data-run")?.parse().ok()?;
                    Some((run, entry.is_intersecting()))
                })
                .collect();
            on_change(changes);
        });
        let init = web_sys::IntersectionObserverInit::new();
        init.set_root_margin("100% 0px 100% 0px");
        let observer = web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init).ok()?;
        Some(Self { observer, _callback: callback, observed: std::cell::Cell::new(0) })
    }

    /// Starts observing the runs inside `article` not observed yet, giving each the
    /// height `estimate_em(run)` (in em) until it has been laid out once (through the CSS
    /// object model: no style attribute is written as markup).
    pub fn observe_new(&self, article: &web_sys::Element, estimate_em: impl Fn(usize) -> f64) {
        let Ok(runs) = article.query_selector_all(".aa-run") else { return };
        for i in self.observed.get()..runs.length() {
            if let Some(run) = runs.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                if let Some(index) = run.get_attribute("data-run").and_then(|r| r.parse().ok()) {
                    let _ = run.style().set_property("contain-intrinsic-size", &format!("auto {:.1}em", estimate_em(index)));
                }
                self.observer.observe(&run);
            }
        }
        self.observed.set(runs.length());
    }
}

impl Drop for NearObserver {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
