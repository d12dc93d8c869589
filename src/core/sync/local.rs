//! What team sync keeps in this browser: per document, the checkpoint (so a reload
//! does not pull everything again) and the teammates' annotations as last pulled (so
//! they show offline); and the settings the reader chose to remember on this device.
//! Each is tied to the database URL: another database starts afresh.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::engine::Checkpoint;
use crate::core::model::{Annotation, Tombstone};
use crate::core::store::keys::{sync_key, team_key, SYNC_SETTINGS_KEY};
use crate::core::store::kv::{KeyValue, KvError};
use crate::core::store::merge::{join, Record};

/// The sync settings: where, who, and how to sign in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The database URL (`https://host:5984/newsroom`).
    pub url: String,
    /// The annotator's name (the `creator` of their documents).
    pub annotator: String,
    /// CouchDB user name, if signing in with a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The password (kept in storage only when `remember`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// A bearer token instead of a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Keep the credentials on this device.
    #[serde(default)]
    pub remember: bool,
}

#[derive(Serialize, Deserialize)]
struct StoredCheckpoint {
    url: String,
    checkpoint: Checkpoint,
}

/// One teammate's records on a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRecords {
    /// Their annotations.
    #[serde(default)]
    pub annotations: Vec<Annotation>,
    /// Their deletions.
    #[serde(default)]
    pub deleted: Vec<Tombstone>,
}

/// Every teammate's records on a document, by annotator name.
pub type Team = BTreeMap<String, TeamRecords>;

#[derive(Serialize, Deserialize)]
struct StoredTeam {
    url: String,
    team: Team,
}

/// Per sentence of `doc`, who else tagged it and with what ("bob: quote · carol:
/// claim"), placed the way the widget places annotations; `None` where nobody did.
pub fn team_by_sentence(doc: &crate::core::model::Document, team: &Team) -> Vec<Option<String>> {
    let mut words: Vec<Vec<String>> = vec![Vec::new(); doc.sentences().len()];
    for (creator, records) in team {
        let placed = crate::core::agreement::AnnotatorTags::place(creator.as_str(), doc, &records.annotations);
        for (sentence, tags) in placed.sentences.iter().enumerate() {
            if !tags.labels.is_empty() {
                words[sentence].push(format!("{creator}: {}", tags.labels.join(" ")));
            }
        }
    }
    words.into_iter().map(|w| (!w.is_empty()).then(|| w.join(" · "))).collect()
}

/// Joins `records` into teammate `creator`'s, with the one merge.
pub fn add_to_team(team: &mut Team, creator: &str, records: Vec<Record>) {
    let entry = team.entry(creator.to_owned()).or_default();
    let mut by_id: BTreeMap<String, Record> = entry.annotations.drain(..).map(|a| (a.id.clone(), Record::Live(a))).collect();
    for t in entry.deleted.drain(..) {
        by_id.insert(t.id.clone(), Record::Dead(t));
    }
    for record in records {
        let merged = match by_id.get(record.id()) {
            Some(known) => join(known, &record),
            None => record,
        };
        by_id.insert(merged.id().to_owned(), merged);
    }
    for record in by_id.into_values() {
        match record {
            Record::Live(a) => entry.annotations.push(a),
            Record::Dead(t) => entry.deleted.push(t),
        }
    }
}

/// The checkpoint kept for `doc_id` on database `url` (none, or another database's: empty).
pub fn load_checkpoint(kv: &impl KeyValue, doc_id: &str, url: &str) -> Checkpoint {
    kv.get(&sync_key(doc_id))
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str::<StoredCheckpoint>(&raw).ok())
        .filter(|s| s.url == url)
        .map(|s| s.checkpoint)
        .unwrap_or_default()
}

/// Keeps the checkpoint of `doc_id` on `url`.
pub fn save_checkpoint(kv: &mut impl KeyValue, doc_id: &str, url: &str, checkpoint: &Checkpoint) -> Result<(), KvError> {
    let stored = StoredCheckpoint { url: url.to_owned(), checkpoint: checkpoint.clone() };
    kv.set(&sync_key(doc_id), &serde_json::to_string(&stored).unwrap_or_default())
}

/// The teammates' records kept for `doc_id` from `url`.
pub fn load_team(kv: &impl KeyValue, doc_id: &str, url: &str) -> Team {
    kv.get(&team_key(doc_id))
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str::<StoredTeam>(&raw).ok())
        .filter(|s| s.url == url)
        .map(|s| s.team)
        .unwrap_or_default()
}

/// Keeps the teammates' records of `doc_id` from `url`.
pub fn save_team(kv: &mut impl KeyValue, doc_id: &str, url: &str, team: &Team) -> Result<(), KvError> {
    let stored = StoredTeam { url: url.to_owned(), team: team.clone() };
    kv.set(&team_key(doc_id), &serde_json::to_string(&stored).unwrap_or_default())
}

/// The settings remembered on this device, if any.
pub fn load_settings(kv: &impl KeyValue) -> Option<Settings> {
    kv.get(SYNC_SETTINGS_KEY).ok().flatten().and_then(|raw| serde_json::from_str(&raw).ok())
}

/// Remembers `settings` on this device: the password and token only when the reader
/// asked to (`remember`); forgetting removes them.
pub fn save_settings(kv: &mut impl KeyValue, settings: &Settings) -> Result<(), KvError> {
    let mut kept = settings.clone();
    if !kept.remember {
        kept.password = None;
        kept.token = None;
    }
    kv.set(SYNC_SETTINGS_KEY, &serde_json::to_string(&kept).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::kv::Memory;

    #[test]
    fn checkpoints_and_teams_belong_to_their_database() {
        let mut kv = Memory::default();
        let mut cp = Checkpoint::default();
        cp.since = Some(serde_json::json!("12-abc"));
        assert_eq!(save_checkpoint(&mut kv, "d", "http://a/db", &cp), Ok(()));
        assert_eq!(load_checkpoint(&kv, "d", "http://a/db"), cp);
        assert_eq!(load_checkpoint(&kv, "d", "http://b/db"), Checkpoint::default());
        let mut team = Team::new();
        add_to_team(&mut team, "bob", vec![Record::Dead(Tombstone { id: "x".into(), at: "t".into(), versions: Default::default(), note: None })]);
        assert_eq!(save_team(&mut kv, "d", "http://a/db", &team), Ok(()));
        assert_eq!(load_team(&kv, "d", "http://a/db"), team);
        assert!(load_team(&kv, "d", "http://b/db").is_empty());
        kv.items.insert(sync_key("e"), "{broken".into());
        assert_eq!(load_checkpoint(&kv, "e", "http://a/db"), Checkpoint::default());
    }

    #[test]
    fn teammates_are_listed_per_sentence() {
        use crate::core::anchor::target_for;
        use crate::core::model::Document;
        let doc = Document::new("d", "One here. Two there. Three.");
        let tag = |id: &str, s: usize, labels: &[&str]| Annotation {
            id: id.into(),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            note: None,
            target: target_for(&doc, &doc.sentences()[s]),
            created: "t".into(),
            modified: "t".into(),
            versions: Default::default(),
        };
        let mut team = Team::new();
        team.insert("bob".into(), TeamRecords { annotations: vec![tag("a", 0, &["quote"]), tag("b", 2, &["claim", "quote"])], deleted: vec![] });
        team.insert("carol".into(), TeamRecords { annotations: vec![tag("c", 0, &["claim"])], deleted: vec![] });
        assert_eq!(team_by_sentence(&doc, &team), [Some("bob: quote · carol: claim".into()), None, Some("bob: claim quote".into())]);
        assert_eq!(team_by_sentence(&doc, &Team::new()), [None, None, None]);
    }

    #[test]
    fn credentials_are_kept_only_when_asked() {
        let mut kv = Memory::default();
        let settings = Settings { url: "u".into(), annotator: "olena".into(), user: Some("olena".into()), password: Some("pw".into()), token: None, remember: false };
        assert_eq!(save_settings(&mut kv, &settings), Ok(()));
        let kept = load_settings(&kv).unwrap_or_default();
        assert_eq!((kept.user.as_deref(), kept.password), (Some("olena"), None));
        let remembered = Settings { remember: true, ..settings };
        assert_eq!(save_settings(&mut kv, &remembered), Ok(()));
        assert_eq!(load_settings(&kv), Some(remembered));
    }
}
