//! The key scheme: every localStorage key the widget writes, and what a key stands for.
//!
//! A document is up to three keys, plus parts when it is stored in parts:
//! - `article-annotator/v1/<id>`: its annotations (the native envelope, or a split head);
//! - `article-annotator/part/<n>/<id>`: part `n` of a split document (`codec::split`);
//! - `article-annotator/doc/<id>`: its library entry;
//! - `article-annotator/text/<id>`: its text;
//! - `article-annotator/backup/<id>[/<n>]`: a stored value that could not be read, kept;
//! - `article-annotator/reviewed/<gold id>`: an adjudicator's review marks (`store::review`);
//! - `article-annotator/sync/<id>`, `team/<id>`, `sync-settings`: team sync's checkpoint,
//!   teammates' annotations as last pulled, and the settings remembered (`core::sync::local`).

/// Every key the widget writes starts with this.
pub const KEY_PREFIX: &str = "article-annotator/";
const ANNOTATIONS: &str = "article-annotator/v1/";
const META: &str = "article-annotator/doc/";
const TEXT: &str = "article-annotator/text/";
const PART: &str = "article-annotator/part/";

/// The key of a document's annotations.
pub fn annotations_key(id: &str) -> String {
    format!("{ANNOTATIONS}{id}")
}

/// The key of a document's library entry.
pub fn meta_key(id: &str) -> String {
    format!("{META}{id}")
}

/// The key of a document's text.
pub fn text_key(id: &str) -> String {
    format!("{TEXT}{id}")
}

/// The key of part `n` of a document stored in parts (`codec::split`).
pub fn part_key(id: &str, n: usize) -> String {
    format!("{PART}{n}/{id}")
}

/// Every stored key of document `id`, among storage's keys, in the order they are
/// written back (text first, so a listed document can always be opened; parts before
/// the head that counts them).
pub fn keys_of<'a>(keys: impl IntoIterator<Item = &'a str>, id: &str) -> Vec<String> {
    let mut found: Vec<(u8, String)> = keys
        .into_iter()
        .filter_map(|key| {
            let (part, of) = parse_key(key)?;
            let rank = match part {
                Part::Text => 0,
                Part::Meta => 1,
                Part::Piece(_) => 2,
                Part::Annotations => 3,
            };
            (of == id).then(|| (rank, key.to_owned()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, key)| key).collect()
}

/// What a key belongs to: one of a document's parts, or something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Its annotations.
    Annotations,
    /// Its library entry.
    Meta,
    /// Its text.
    Text,
    /// Part `n` of its annotations.
    Piece(usize),
}

/// The document id and part a key stands for, if it is one of ours.
pub fn parse_key(key: &str) -> Option<(Part, &str)> {
    let (part, id) = if let Some(id) = key.strip_prefix(ANNOTATIONS) {
        (Part::Annotations, id)
    } else if let Some(id) = key.strip_prefix(META) {
        (Part::Meta, id)
    } else if let Some(id) = key.strip_prefix(TEXT) {
        (Part::Text, id)
    } else if let Some(rest) = key.strip_prefix(PART) {
        let (n, id) = rest.split_once('/')?;
        (Part::Piece(n.parse().ok()?), id)
    } else {
        return None;
    };
    (!id.is_empty()).then_some((part, id))
}

/// The key of a document's sync checkpoint (`core::sync::local`).
pub fn sync_key(id: &str) -> String {
    format!("{KEY_PREFIX}sync/{id}")
}

/// The key of a document's teammates' annotations, as last pulled (`core::sync::local`).
pub fn team_key(id: &str) -> String {
    format!("{KEY_PREFIX}team/{id}")
}

/// The key of the sync settings remembered on this device.
pub const SYNC_SETTINGS_KEY: &str = "article-annotator/sync-settings";

/// The key of a gold set's review marks (`store::review`).
pub fn reviewed_key(gold_id: &str) -> String {
    format!("{KEY_PREFIX}reviewed/{gold_id}")
}

/// Where a document's unreadable stored value is kept, before any other use of its key.
pub fn backup_key(doc_id: &str) -> String {
    format!("{KEY_PREFIX}backup/{doc_id}")
}
