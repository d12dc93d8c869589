//! localStorage behind the store's key-value trait, with every failure mode turned
//! into a [`StorageError`].

use wasm_bindgen::{JsCast, JsValue};

use crate::core::store::kv::KeyValue;
pub use crate::core::store::kv::KvError as StorageError;

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

/// This origin's localStorage, as the store sees it.
pub struct LocalStorage;

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        read(key)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        write(key, value)
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        remove(key)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        let storage = local_storage()?;
        let count = storage.length().map_err(|e| StorageError::Blocked(describe(&e)))?;
        let mut keys = Vec::with_capacity(count as usize);
        for index in 0..count {
            if let Some(key) = storage.key(index).map_err(|e| StorageError::Blocked(describe(&e)))? {
                keys.push(key);
            }
        }
        Ok(keys)
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

/// Removes a key (absent keys are fine).
pub fn remove(key: &str) -> Result<(), StorageError> {
    local_storage()?.remove_item(key).map_err(|e| StorageError::Failed(describe(&e)))
}
