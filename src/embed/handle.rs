//! The JavaScript API: `mount(element, options)` and the handle it returns.
//!
//! Every error a host can cause comes back as a JavaScript `Error` whose message says
//! what to change; nothing a host passes can make the module panic.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::Widget;
use crate::core::codec::{self, native, w3c, Format};
use crate::core::model::Annotation;
use crate::core::options::parse_options;
use crate::core::state::{Action, ImportMode};
use crate::core::time::rfc3339_from_millis;
use crate::platform::now_ms;
use crate::ui::bridge::EVENTS;
use crate::ui::{annotations_js, to_js};

/// A mounted widget, as the host page's JavaScript sees it.
#[wasm_bindgen]
pub struct WidgetHandle {
    widget: Rc<Widget>,
}

/// The annotations of `setAnnotations(list)`, or what is wrong with the list (every bad
/// item named). The list's JSON text is gone when this returns: for a whole article's
/// tags it is megabytes, freed before the reducer makes its own copies, so the widget's
/// memory does not grow by it.
fn read_list(list: &JsValue) -> Result<Vec<Annotation>, String> {
    // Read straight into annotations when the list is well formed (a `Value` tree of
    // 10,000 annotations would take tens of MB); item by item only to say what is wrong.
    let text = (!list.is_undefined()).then(|| js_sys::JSON::stringify(list).ok()).flatten().and_then(|t| t.as_string());
    let direct = text.as_deref().and_then(|t| serde_json::from_str::<Vec<Annotation>>(t).ok());
    let mut problems = Vec::new();
    let annotations = match direct {
        Some(list) => list,
        None => {
            let Some(Value::Array(items)) = text.as_deref().and_then(|t| serde_json::from_str(t).ok()) else {
                return Err("list must be an array of annotations".into());
            };
            let mut annotations = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match serde_json::from_value::<Annotation>(item) {
                    Ok(a) => annotations.push(a),
                    Err(e) => problems.push(format!("list[{i}]: {e}")),
                }
            }
            annotations
        }
    };
    for (i, a) in annotations.iter().enumerate() {
        if a.labels.is_empty() || a.target.quote.exact.is_empty() {
            problems.push(format!("list[{i}]: needs at least one label and target.quote.exact"));
        }
    }
    if problems.is_empty() {
        Ok(annotations)
    } else {
        Err(format!("nothing was changed: {}", problems.join("; ")))
    }
}

fn error(method: &str, message: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("article-annotator {method}: {message}"))
}

/// A JavaScript value as JSON (functions and `undefined` are dropped, as JSON.stringify does).
fn json_of(value: &JsValue) -> Option<Value> {
    if value.is_undefined() {
        return None;
    }
    let text = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// Mounts a widget on `element`.
///
/// `options`: `{ text: string, docId?: string, source?: string, labels?: [{ name, key, color, line? }],
/// readOnly?: boolean, storage?: "local" | "none" }`.
#[wasm_bindgen]
pub fn mount(element: JsValue, options: JsValue) -> Result<WidgetHandle, JsError> {
    let element: web_sys::Element =
        element.dyn_into().map_err(|_| error("mount(element, options)", "element must be a DOM element"))?;
    let value = json_of(&options).ok_or_else(|| error("mount(element, options)", "options must be an object, e.g. { text: \"…\" }"))?;
    let options = parse_options(&value).map_err(|problems| error("mount(element, options)", problems.join("; ")))?;
    let widget = Widget::create(element, options, super::Render::Now).map_err(|e| error("mount(element, options)", e))?;
    Ok(WidgetHandle { widget })
}

/// The handle of the widget mounted on `element` (for auto-mounted ones), once it shows
/// its article, or `undefined`.
#[wasm_bindgen(js_name = widgetFor)]
pub fn widget_for(element: JsValue) -> Option<WidgetHandle> {
    let element: web_sys::Element = element.dyn_into().ok()?;
    Widget::on(&element).map(|widget| WidgetHandle { widget })
}

#[wasm_bindgen]
impl WidgetHandle {
    fn live(&self, method: &str) -> Result<(), JsError> {
        if self.widget.is_live() {
            Ok(())
        } else {
            Err(error(method, "this widget was destroyed"))
        }
    }

    /// Where team sync stands: `{ state: "off"|"syncing"|"synced"|"offline"|"error", pending, lastSynced, message? }`.
    #[wasm_bindgen(js_name = syncStatus)]
    pub fn sync_status(&self) -> Result<JsValue, JsError> {
        self.live("syncStatus()")?;
        let status = serde_json::to_value(self.widget.bridge.sync_status()).unwrap_or(Value::Null);
        Ok(crate::ui::to_js(&status))
    }

    /// Syncs now: a Promise that resolves after one pull and one push, and rejects with
    /// an Error saying why (sync off, offline, refused).
    #[wasm_bindgen(js_name = syncNow)]
    pub fn sync_now(&self) -> Result<js_sys::Promise, JsError> {
        self.live("syncNow()")?;
        Ok(self.widget.bridge.sync_now())
    }

    /// The document id (the storage key suffix).
    #[wasm_bindgen(getter, js_name = docId)]
    pub fn doc_id(&self) -> String {
        self.widget.doc_id.clone()
    }

    /// Every annotation as plain objects: placed ones with their `sentence` index, then orphans (`sentence: null`).
    pub fn annotations(&self) -> Result<JsValue, JsError> {
        self.live("annotations()")?;
        self.widget.bridge.with_state(annotations_js).ok_or_else(|| error("annotations()", "the widget has not rendered yet"))
    }

    /// Replaces every annotation with `list` (objects as `annotations()` returns them),
    /// placing each by its quote. One undo step; a `change` event with source "api".
    #[wasm_bindgen(js_name = setAnnotations)]
    pub fn set_annotations(&self, list: JsValue) -> Result<(), JsError> {
        const METHOD: &str = "setAnnotations(list)";
        self.live(METHOD)?;
        let annotations = read_list(&list).map_err(|problem| error(METHOD, problem))?;
        let action = Action::Import { annotations, mode: ImportMode::Replace, now_ms: now_ms() };
        if self.widget.bridge.dispatch(action, "api") {
            Ok(())
        } else {
            Err(error(METHOD, "the widget has not rendered yet"))
        }
    }

    /// Moves the focus to sentence `sentence` (its 0-based index, as in `data-sentence`),
    /// gives it the keyboard focus and scrolls it into view; in a long article it is
    /// rendered first. A `select` event follows when the focus moved.
    pub fn focus(&self, sentence: JsValue) -> Result<(), JsError> {
        const METHOD: &str = "focus(sentence)";
        self.live(METHOD)?;
        let total = self.widget.bridge.with_state(|s| s.doc.sentences().len()).ok_or_else(|| error(METHOD, "the widget has not rendered yet"))?;
        if total == 0 {
            return Err(error(METHOD, "the article has no sentences"));
        }
        let index = sentence
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < total as f64)
            .ok_or_else(|| error(METHOD, format!("sentence must be a whole number from 0 to {}", total.saturating_sub(1))))?;
        self.widget.bridge.reveal(&self.widget.container, index as usize);
        Ok(())
    }

    /// The annotations as a file's text: `"native"` (default) or `"w3c"`.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, format: Option<String>) -> Result<String, JsError> {
        const METHOD: &str = "exportJson(format)";
        self.live(METHOD)?;
        let format = format.unwrap_or_else(|| "native".into());
        let exported = self.widget.bridge.with_state(|s| match format.as_str() {
            // The same file as the toolbar's "Export JSON", unreadable items included.
            "native" => Ok(native::encode(&s.doc, s.annotations(), &s.unreadable)),
            "w3c" => {
                let now = rfc3339_from_millis(now_ms());
                let context = w3c::ExportContext { source: self.widget.source.as_deref(), now: &now };
                Ok(w3c::export(&s.doc, s.annotations_placed(), &context))
            }
            other => Err(error(METHOD, format!("format must be \"native\" or \"w3c\", not \"{other}\""))),
        });
        exported.unwrap_or_else(|| Err(error(METHOD, "the widget has not rendered yet")))
    }

    /// Imports a native or W3C file's text; `mode` `"merge"` (default) or `"replace"`.
    /// Returns `{ format, imported, skipped: [{ path, message }] }`; throws, changing
    /// nothing, when the text is not a file of either format.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(&self, text: String, mode: Option<String>) -> Result<JsValue, JsError> {
        const METHOD: &str = "importJson(text, mode)";
        self.live(METHOD)?;
        let mode = match mode.as_deref() {
            None | Some("merge") => ImportMode::Merge,
            Some("replace") => ImportMode::Replace,
            Some(other) => return Err(error(METHOD, format!("mode must be \"merge\" or \"replace\", not \"{other}\""))),
        };
        let preview = self
            .widget
            .bridge
            .with_state(|s| codec::read_import(&text, &s.doc, &rfc3339_from_millis(now_ms())))
            .ok_or_else(|| error(METHOD, "the widget has not rendered yet"))?
            .map_err(|e| error(METHOD, format!("nothing was imported: {e}")))?;
        let summary = serde_json::json!({
            "format": match preview.format { Format::Native => "native", Format::W3c => "w3c" },
            "imported": preview.annotations.len(),
            "skipped": preview.problems.iter().map(|p| serde_json::json!({ "path": p.path, "message": p.message })).collect::<Vec<_>>(),
        });
        if !preview.annotations.is_empty() {
            self.widget.bridge.dispatch(Action::Import { annotations: preview.annotations, mode, now_ms: now_ms() }, "api");
        }
        Ok(to_js(&summary))
    }

    /// Calls `callback(payload)` on `event`: `"change"` or `"select"`.
    pub fn on(&self, event: String, callback: JsValue) -> Result<(), JsError> {
        const METHOD: &str = "on(event, callback)";
        self.live(METHOD)?;
        if !EVENTS.contains(&event.as_str()) {
            return Err(error(METHOD, format!("unknown event \"{event}\" (events: {})", EVENTS.join(", "))));
        }
        let callback: js_sys::Function = callback.dyn_into().map_err(|_| error(METHOD, "callback must be a function"))?;
        self.widget.bridge.on(&event, callback);
        Ok(())
    }

    /// Removes a listener added with `on`.
    pub fn off(&self, event: String, callback: JsValue) {
        if let Ok(callback) = callback.dyn_into::<js_sys::Function>() {
            self.widget.bridge.off(&event, &callback);
        }
    }

    /// Removes the widget, its listeners and styles; the element gets its own content back
    /// and keeps it (an auto-mounted element is marked `data-aa-destroyed`, which the
    /// page's observer respects). Calling it twice is harmless.
    pub fn destroy(&self) {
        self.widget.let_go();
    }
}
