//! The storage the store works over: four calls, so that every storage sequence is
//! plain code, tested natively against [`Memory`]. The browser's localStorage is the
//! other implementation (`platform::storage`).

use std::collections::BTreeMap;

use crate::core::i18n::Locale;

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KvError {
    /// The browser refuses access (private mode, sandboxed iframe, cookie settings).
    Blocked(String),
    /// The origin's storage is full.
    Full,
    /// Any other failure while writing.
    Failed(String),
}

impl KvError {
    /// What happened, in the reader's language (the browser's own detail as it gave it).
    pub fn describe(&self, l: &Locale) -> String {
        match self {
            KvError::Blocked(why) => l.f("storage.blocked", &[("detail", why)]),
            KvError::Full => l.t("storage.full").to_owned(),
            KvError::Failed(why) => l.f("storage.failed", &[("detail", why)]),
        }
    }
}

impl std::fmt::Display for KvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(&Locale::english()))
    }
}

impl std::error::Error for KvError {}

/// A string key-value store.
pub trait KeyValue {
    /// The value of `key`; `Ok(None)` when it is absent.
    fn get(&self, key: &str) -> Result<Option<String>, KvError>;
    /// Sets `key` to `value`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError>;
    /// Removes `key` (an absent key is fine).
    fn remove(&mut self, key: &str) -> Result<(), KvError>;
    /// Every key.
    fn keys(&self) -> Result<Vec<String>, KvError>;
}

/// An in-memory store with an optional quota in characters (keys and values), like
/// localStorage's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// What it holds.
    pub items: BTreeMap<String, String>,
    /// Most characters it holds (`None`: no limit).
    pub quota: Option<usize>,
}

impl Memory {
    fn used_without(&self, key: &str) -> usize {
        self.items.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.chars().count() + v.chars().count()).sum()
    }
}

impl KeyValue for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, KvError> {
        Ok(self.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), KvError> {
        if let Some(quota) = self.quota {
            if self.used_without(key) + key.chars().count() + value.chars().count() > quota {
                return Err(KvError::Full);
            }
        }
        self.items.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), KvError> {
        self.items.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, KvError> {
        Ok(self.items.keys().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_keeps_to_its_quota() {
        let mut m = Memory { quota: Some(10), ..Memory::default() };
        assert_eq!(m.set("a", "12345"), Ok(()));
        assert_eq!(m.set("b", "123456"), Err(KvError::Full));
        assert_eq!(m.set("a", "123456789"), Ok(()), "replacing a value counts the new one only");
        assert_eq!(m.keys(), Ok(vec!["a".to_owned()]));
        assert_eq!(m.remove("a").and_then(|()| m.get("a")), Ok(None));
    }
}
