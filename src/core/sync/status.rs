//! Where sync stands, as the handle's `syncStatus()` reports it and the toolbar says it.

use serde::Serialize;

use crate::core::i18n::Locale;

/// The state in one word (the testing contract's values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SyncState {
    /// No database set.
    #[default]
    Off,
    /// A round is under way.
    Syncing,
    /// Everything is on the server and the server's is here.
    Synced,
    /// The server cannot be reached: changes wait.
    Offline,
    /// The server said no (credentials, permissions, no database) or is broken.
    Error,
}

/// The status object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// The state.
    pub state: SyncState,
    /// The reader's changes not on the server yet.
    pub pending: usize,
    /// When the last round ended well (RFC 3339), if ever.
    pub last_synced: Option<String>,
    /// Why, for offline and error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl SyncStatus {
    /// What the toolbar says (empty when sync is off).
    pub fn text(&self, l: &Locale) -> String {
        match self.state {
            SyncState::Off => String::new(),
            SyncState::Syncing => l.t("sync.status.syncing").to_owned(),
            SyncState::Synced if self.pending > 0 => l.n("sync.status.synced_waiting", self.pending, &[]),
            SyncState::Synced => l.t("sync.status.synced").to_owned(),
            SyncState::Offline => l.n("sync.status.offline", self.pending, &[]),
            SyncState::Error => l.f("sync.status.error", &[("why", self.message.as_deref().unwrap_or("?"))]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toolbar_says_the_state_in_words() {
        let l = Locale::english();
        let status = |state, pending, message: Option<&str>| SyncStatus { state, pending, last_synced: None, message: message.map(Into::into) }.text(&l);
        assert_eq!(status(SyncState::Off, 0, None), "");
        assert_eq!(status(SyncState::Synced, 0, None), "Synced");
        assert_eq!(status(SyncState::Syncing, 3, None), "Syncing…");
        assert_eq!(status(SyncState::Offline, 1, None), "Offline: 1 change waiting");
        assert_eq!(status(SyncState::Offline, 4, None), "Offline: 4 changes waiting");
        assert_eq!(status(SyncState::Error, 0, Some("bad password")), "Sync error: bad password");
        let json = serde_json::to_value(SyncStatus { state: SyncState::Synced, pending: 0, last_synced: Some("t".into()), message: None }).unwrap_or_default();
        assert_eq!(json, serde_json::json!({ "state": "synced", "pending": 0, "lastSynced": "t" }));
    }
}
