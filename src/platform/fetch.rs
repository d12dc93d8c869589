//! Fetching an article's text from a URL.

use wasm_bindgen::{JsCast, JsValue};

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// The text at `src` and its content type. Fails with a reason when the network, the
/// server or the browser's cross-origin rules say no.
pub async fn fetch_text(src: &str) -> Result<(String, Option<String>), String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(src)).await.map_err(describe)?;
    let response: web_sys::Response = response.dyn_into().map_err(describe)?;
    if !response.ok() {
        return Err(format!("the server answered {} {}", response.status(), response.status_text()));
    }
    let content_type = response.headers().get("content-type").ok().flatten();
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(describe)?).await.map_err(describe)?;
    let text = text.as_string().ok_or_else(|| "the response is not text".to_owned())?;
    Ok((text, content_type))
}
