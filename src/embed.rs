//! Mounting widgets in a host page: auto-mount on `[data-article-annotator]` and the `mount` export.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

use crate::core::model::{Document, LabelSet};
use crate::ui::{Annotator, AnnotatorProps};

/// Marks an element that already holds a widget, so it is never mounted twice.
const MOUNTED: &str = "data-aa-mounted";

/// Runs when the module loads: mounts a widget on every `[data-article-annotator]` element.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(found) = document.query_selector_all("[data-article-annotator]") else { return };
    for index in 0..found.length() {
        if let Some(element) = found.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            auto_mount(element, index);
        }
    }
}

fn auto_mount(element: web_sys::Element, index: u32) {
    if element.has_attribute(MOUNTED) {
        return;
    }
    let _ = element.set_attribute(MOUNTED, "");
    let doc_id = element
        .get_attribute("data-doc-id")
        .filter(|id| !id.trim().is_empty())
        .unwrap_or_else(|| default_doc_id(index));
    match element.get_attribute("data-src").filter(|s| !s.trim().is_empty()) {
        Some(src) => {
            element.set_text_content(Some("Loading the article…"));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch_text(&src).await {
                    Ok(text) => {
                        let handle = render(&element, &doc_id, &text, absolute_url(&src));
                        std::mem::forget(handle); // auto-mounted widgets live as long as the page
                    }
                    Err(message) => {
                        element.set_text_content(Some(&format!("The article could not be loaded from \"{src}\": {message}.")));
                        let _ = element.set_attribute("data-aa-error", "");
                    }
                }
            });
        }
        None => {
            let text = element.text_content().unwrap_or_default();
            std::mem::forget(render(&element, &doc_id, &text, page_url()));
        }
    }
}

/// The page URL (without query or fragment) plus the widget's position on the page.
fn default_doc_id(index: u32) -> String {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    format!("{path}#{index}")
}

/// `src` resolved against the page, as the W3C export's target source.
fn absolute_url(src: &str) -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new_with_base(src, &base).ok().map(|u| u.href())
}

/// The page's URL without its fragment.
fn page_url() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(href.split('#').next().unwrap_or(&href).to_owned())
}

async fn fetch_text(src: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let describe = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(src)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(describe)?;
    if !response.ok() {
        return Err(format!("the server answered {} {}", response.status(), response.status_text()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(describe)?).await.map_err(describe)?;
    text.as_string().ok_or_else(|| "the response is not text".to_owned())
}

fn render(element: &web_sys::Element, doc_id: &str, text: &str, source: Option<String>) -> AppHandle<Annotator> {
    element.set_text_content(None);
    let props = AnnotatorProps {
        doc: Rc::new(Document::new(doc_id, text)),
        labels: Rc::new(LabelSet::default()),
        source: source.map(Into::into),
    };
    yew::Renderer::<Annotator>::with_root_and_props(element.clone(), props).render()
}

/// A mounted widget, as the host page's JavaScript sees it.
#[wasm_bindgen]
pub struct WidgetHandle {
    app: Option<AppHandle<Annotator>>,
    element: web_sys::Element,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget and everything it added to the element.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        let _ = self.element.remove_attribute(MOUNTED);
        self.element.set_text_content(None);
    }
}

/// Mounts a widget on `element`. `options`: `{ text: string, docId?: string, source?: string }`.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<WidgetHandle, JsError> {
    let get = |name: &str| js_sys::Reflect::get(&options, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    let text = get("text").ok_or_else(|| JsError::new("mount(element, options): options.text must be the article text (a string)"))?;
    if element.has_attribute(MOUNTED) {
        return Err(JsError::new("mount(element, options): this element already holds a widget; call destroy() on it first"));
    }
    let doc_id = get("docId").filter(|id| !id.trim().is_empty()).unwrap_or_else(|| default_doc_id(0));
    let _ = element.set_attribute(MOUNTED, "");
    let app = render(&element, &doc_id, &text, get("source").or_else(page_url));
    Ok(WidgetHandle { app: Some(app), element })
}
