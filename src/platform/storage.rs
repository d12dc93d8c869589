//! localStorage, with every failure mode turned into a [`StorageError`].

use thiserror::Error;
use wasm_bindgen::{JsCast, JsValue};

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StorageError {
    /// The browser refuses access (private mode, sandboxed iframe, cookie settings).
    #[error("the browser blocks storage on this page ({0})")]
    Blocked(String),
    /// The origin's storage is full.
    #[error("the browser's storage for this site is full")]
    Full,
    /// Any other failure while writing.
    #[error("the browser refused to save ({0})")]
    Failed(String),
}

/// The storage key of a document's annotations.
pub fn key_for(doc_id: &str) -> String {
    crate::core::library::annotations_key(doc_id)
}

/// The key under which an unreadable stored value is kept before starting clean.
pub fn backup_key_for(doc_id: &str) -> String {
    format!("article-annotator/backup/{doc_id}")
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

fn local_storage() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Blocked("no window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError::Blocked("localStorage is not available".into())),
        Err(e) => Err(StorageError::Blocked(describe(&e))),
    }
}

/// Reads a key; `Ok(None)` when it is absent.
pub fn read(key: &str) -> Result<Option<String>, StorageError> {
    local_storage()?.get_item(key).map_err(|e| StorageError::Blocked(describe(&e)))
}

/// Writes a key.
pub fn write(key: &str, value: &str) -> Result<(), StorageError> {
    local_storage()?.set_item(key, value).map_err(|e| {
        let quota = e.dyn_ref::<web_sys::DomException>().is_some_and(|d| {
            d.name() == "QuotaExceededError" || d.name() == "NS_ERROR_DOM_QUOTA_REACHED"
        });
        if quota {
            StorageError::Full
        } else {
            StorageError::Failed(describe(&e))
        }
    })
}

/// Every key and value stored for this origin (the library reads its documents from them).
pub fn entries() -> Result<Vec<(String, String)>, StorageError> {
    let storage = local_storage()?;
    let count = storage.length().map_err(|e| StorageError::Blocked(describe(&e)))?;
    let mut items = Vec::with_capacity(count as usize);
    for index in 0..count {
        let Some(key) = storage.key(index).map_err(|e| StorageError::Blocked(describe(&e)))? else { continue };
        if let Some(value) = storage.get_item(&key).map_err(|e| StorageError::Blocked(describe(&e)))? {
            items.push((key, value));
        }
    }
    Ok(items)
}

/// Removes a key (absent keys are fine).
pub fn remove(key: &str) -> Result<(), StorageError> {
    local_storage()?.remove_item(key).map_err(|e| StorageError::Failed(describe(&e)))
}
