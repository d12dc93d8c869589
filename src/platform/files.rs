//! Reading a file the reader picked or dropped.

use wasm_bindgen::JsCast;

use crate::core::i18n::Locale;

/// Reads `file` as UTF-8 text, refusing files over `limit` bytes before reading them;
/// why not, in the reader's language.
pub async fn read_text(file: web_sys::File, limit: usize, l: &Locale) -> Result<String, String> {
    let size = file.size();
    let name = file.name();
    if size > limit as f64 {
        return Err(l.f("file.too_large", &[("name", &name), ("size", &l.decimal(size / 1_048_576.0, 1)), ("limit", &l.number(limit / 1_048_576))]));
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| l.f("file.unreadable", &[("name", &name), ("detail", &format!("{e:?}"))]))?;
    text.as_string().ok_or_else(|| l.f("file.not_text", &[("name", &name)]))
}

/// The first file of a drop, if any.
pub fn dropped_file(event: &web_sys::DragEvent) -> Option<web_sys::File> {
    event.data_transfer()?.files()?.get(0)
}

/// The first file chosen in an `<input type="file">`, clearing the input so the same file can be chosen again.
pub fn picked_file(event: &web_sys::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

/// Every file chosen in an `<input type="file" multiple>`, clearing the input.
pub fn picked_files(event: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return Vec::new() };
    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// Reads `file`'s bytes, refusing files over `limit` bytes before reading them (the
/// size is returned as the error, for the caller's message).
pub async fn read_bytes(file: &web_sys::File, limit: usize) -> Result<Vec<u8>, ReadError> {
    if file.size() > limit as f64 {
        return Err(ReadError::TooLarge(file.size() as usize));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| ReadError::Failed(e.as_string()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Why a file's bytes could not be read.
pub enum ReadError {
    /// Over the limit (its size in bytes).
    TooLarge(usize),
    /// The browser could not read it (with its reason, when it gave one).
    Failed(Option<String>),
}

/// Whether a file looks like annotations (JSON) rather than an article, by its name or type.
pub fn is_annotation_file(file: &web_sys::File) -> bool {
    let name = file.name().to_ascii_lowercase();
    name.ends_with(".json") || name.ends_with(".jsonld") || file.type_().contains("json")
}
