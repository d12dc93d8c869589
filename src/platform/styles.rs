//! The widget's CSS, adopted as constructed stylesheets: no `<style>` or `style=""` in
//! the page, so a strict Content-Security-Policy (`style-src 'self'`) does not block
//! it, and a host page needs no stylesheet link.

use wasm_bindgen::{JsCast, JsValue};

use crate::core::model::LabelSet;

/// The widget's stylesheet, compiled into the full build (and so into the Yew component).
/// The embed build leaves it out: the loader that starts it has adopted
/// `article-annotator.css` before the wasm starts, and marks the document so.
#[cfg(feature = "full")]
const BASE_CSS: Option<&str> = Some(include_str!("../../styles/article-annotator.css"));
#[cfg(not(feature = "full"))]
const BASE_CSS: Option<&str> = None;

/// Marks the document once the base sheet is adopted.
const ADOPTED_MARK: &str = "data-aa-styles";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn adopt(sheet: &web_sys::CssStyleSheet) -> Result<(), JsValue> {
    let document = document().ok_or("no document")?;
    let sheets = document.adopted_style_sheets();
    sheets.push(sheet);
    document.set_adopted_style_sheets(&sheets);
    Ok(())
}

/// Adopts the base stylesheet into the document, once.
pub fn ensure_base() {
    let Some(root) = document().and_then(|d| d.document_element()) else { return };
    let Some(css) = BASE_CSS.filter(|_| !root.has_attribute(ADOPTED_MARK)) else { return };
    let adopted = web_sys::CssStyleSheet::new().and_then(|sheet| {
        sheet.replace_sync(css)?;
        adopt(&sheet)
    });
    if adopted.is_ok() {
        let _ = root.set_attribute(ADOPTED_MARK, "");
    }
}

thread_local! {
    static NEXT_SCOPE: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A fresh widget number for the page (`data-aa-widget`), which scopes a widget's label
/// rules: mounted widgets and components draw from the one counter, so they never share.
pub fn new_scope() -> u32 {
    NEXT_SCOPE.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}

/// One widget's label colours and line styles, as rules scoped to that widget.
/// Returns the sheet so it can be dropped on destroy.
pub fn adopt_labels(widget: u32, labels: &LabelSet) -> Option<web_sys::CssStyleSheet> {
    let sheet = web_sys::CssStyleSheet::new().ok()?;
    let css: String = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            format!(
                ".aa-root[data-aa-widget=\"{widget}\"] .aa-label-{i} {{ --aa-label-color: {}; --aa-label-line: {}; }}\n",
                label.color, label.line
            )
        })
        .collect();
    sheet.replace_sync(&css).ok()?;
    adopt(&sheet).ok()?;
    Some(sheet)
}

/// Removes a sheet adopted by [`adopt_labels`].
pub fn drop_sheet(sheet: &web_sys::CssStyleSheet) {
    let Some(document) = document() else { return };
    let sheets = document.adopted_style_sheets();
    let kept = js_sys::Array::new();
    for item in sheets.iter() {
        if item.dyn_ref::<web_sys::CssStyleSheet>() != Some(sheet) {
            kept.push(&item);
        }
    }
    document.set_adopted_style_sheets(&kept);
}
