//! The library: every document annotated in this browser, as pure logic over the
//! key/value pairs of storage. The shell reads the pairs and writes what this
//! module decides; nothing here touches a browser.
//!
//! A document is up to three keys (the key scheme itself is `store::keys`):
//! - `article-annotator/v1/<id>`: its annotations (the native envelope);
//! - `article-annotator/doc/<id>`: what the library shows about it ([`DocMeta`], JSON);
//! - `article-annotator/text/<id>`: its text, verbatim, so it can be opened again.
//!
//! Documents annotated by other widgets on this origin have only the first key: they
//! are listed (and exported) too, but cannot be opened from the library.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::codec::split;
use super::i18n::Locale;
use super::percent::{percent_decode, percent_encode};
use super::text;

pub use super::store::keys::{annotations_key, keys_of, meta_key, parse_key, part_key, text_key, Part, KEY_PREFIX};

/// What the library keeps about a document besides its text and annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct DocMeta {
    /// The title the reader sees (and may rename).
    pub title: String,
    /// Where the article comes from (its URL), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it entered the library (RFC 3339 UTC).
    pub added: String,
    /// How many sentences it has.
    pub sentences: usize,
}

/// One line of the library list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The document id.
    pub id: String,
    /// Its title (the id when the library has none).
    pub title: String,
    /// Its source URL, if known.
    pub source: Option<String>,
    /// Its sentences, when the library knows them.
    pub sentences: Option<usize>,
    /// How many annotations it has (tagged sentences and orphans).
    pub tagged: usize,
    /// The last change: the newest annotation or deletion, else when it was added.
    pub modified: String,
    /// Whether its text is stored, so it can be opened.
    pub has_text: bool,
    /// Characters of storage its keys take.
    pub chars: usize,
    /// Why its annotations could not be read, if they could not.
    pub problem: Option<String>,
}

#[derive(Default)]
struct Parts<'a> {
    annotations: Option<&'a str>,
    meta: Option<&'a str>,
    text: Option<&'a str>,
    pieces: Vec<(usize, &'a str)>,
    chars: usize,
}

/// The library list from storage's key/value pairs: one entry per document, newest first.
pub fn entries<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Entry> {
    let mut docs: BTreeMap<&str, Parts> = BTreeMap::new();
    for (key, value) in items {
        let Some((part, id)) = parse_key(key) else { continue };
        let parts = docs.entry(id).or_default();
        parts.chars += key.chars().count() + value.chars().count();
        match part {
            Part::Annotations => parts.annotations = Some(value),
            Part::Meta => parts.meta = Some(value),
            Part::Text => parts.text = Some(value),
            Part::Piece(n) => parts.pieces.push((n, value)),
        }
    }
    let mut list: Vec<Entry> = docs
        .into_iter()
        .filter(|(_, parts)| parts.annotations.is_some() || parts.text.is_some())
        .map(|(id, parts)| entry_of(id, &parts))
        .collect();
    // Newest first, as times ("…:00Z" sorts after "…:00.5Z" as text).
    let time = |e: &Entry| super::store::clock::parse_rfc3339(&e.modified);
    list.sort_by(|a, b| time(b).cmp(&time(a)).then_with(|| b.modified.cmp(&a.modified)).then_with(|| a.title.cmp(&b.title)));
    list
}

fn entry_of(id: &str, parts: &Parts) -> Entry {
    let meta = parts.meta.and_then(|raw| serde_json::from_str::<DocMeta>(raw).ok());
    let (mut tagged, mut modified, mut problem) = (0, String::new(), None);
    if let Some(raw) = parts.annotations {
        let keys: Vec<(String, &str)> = parts.pieces.iter().map(|(n, raw)| (part_key(id, *n), *raw)).chain([(annotations_key(id), raw)]).collect();
        let items: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        match split::read_stored(&items, id).unwrap_or(Err(super::error::DecodeError::NotOurs)) {
            Ok(envelope) => {
                tagged = envelope.annotations.len() + envelope.unreadable.len();
                let times = envelope.annotations.iter().map(|a| &a.modified).chain(envelope.deleted.values().map(|t| &t.at));
                // As times, not strings ("…:00Z" sorts after "…:00.5Z" as text).
                modified = times.max_by_key(|t| (super::store::clock::parse_rfc3339(t), t.as_str())).cloned().unwrap_or_default();
            }
            Err(error) => problem = Some(error.to_string()),
        }
    }
    if let Some(meta) = &meta {
        if super::store::clock::parse_rfc3339(&meta.added) > super::store::clock::parse_rfc3339(&modified) {
            modified = meta.added.clone();
        }
    }
    Entry {
        id: id.to_owned(),
        title: meta.as_ref().map_or_else(|| id.to_owned(), |m| m.title.clone()),
        source: meta.as_ref().and_then(|m| m.source.clone()),
        sentences: meta.as_ref().map(|m| m.sentences),
        tagged,
        modified,
        has_text: parts.text.is_some(),
        chars: parts.chars,
        problem,
    }
}

/// The id of a document the host gave no id for: derived from its text, so opening
/// the same text again finds its annotations.
pub fn id_for_text(text: &str) -> String {
    let print = text::fingerprint(&text::normalize(text));
    let hex = print.rsplit(':').next().unwrap_or(&print);
    format!("text-{hex}")
}

/// Longest title made from the text itself.
const TITLE_CHARS: usize = 80;

/// A title for an article the reader did not name: its first line, shortened at a
/// word; `None` for a text without a word (the caller names it, in the reader's
/// language or by its id).
pub fn title_from_text(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut title = String::new();
    for word in words {
        let extra = usize::from(!title.is_empty()) + word.chars().count();
        if title.chars().count() + extra > TITLE_CHARS {
            title.push('…');
            return Some(title);
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    (!title.is_empty()).then_some(title)
}

/// [`title_from_text`], else "Untitled article" in the reader's language.
pub fn title_or_untitled(text: &str, l: &Locale) -> String {
    title_from_text(text).unwrap_or_else(|| l.t("library.untitled").to_owned())
}

/// A title as the reader typed it: whitespace collapsed; `None` when blank.
pub fn clean_title(input: &str) -> Option<String> {
    let title = input.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then(|| title.chars().take(200).collect())
}

/// A source URL as the reader typed it: blank is none; otherwise an absolute http(s)
/// URL, else why not, in the reader's language.
pub fn clean_source(input: &str, l: &Locale) -> Result<Option<String>, String> {
    let url = input.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !url.chars().any(char::is_whitespace) => Ok(Some(url.to_owned())),
        _ => Err(l.f("library.source.not_web", &[("url", url)])),
    }
}

/// About how many characters Chromium lets an origin keep in localStorage.
pub const QUOTA_CHARS: usize = 5_000_000;

/// How full storage is, from the library's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Characters the widget's keys take.
    pub ours: usize,
    /// Characters every key of this origin takes (ours included).
    pub all: usize,
}

/// How worried the reader should be about storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageLevel {
    /// Plenty of room.
    Fine,
    /// Past 70 %: time to export and tidy up.
    Warning,
    /// Past 90 %: saving may fail soon.
    Critical,
}

impl Usage {
    /// Measures storage from its key/value pairs.
    pub fn of<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut usage = Usage { ours: 0, all: 0 };
        for (key, value) in items {
            let chars = key.chars().count() + value.chars().count();
            usage.all += chars;
            if key.starts_with(KEY_PREFIX) {
                usage.ours += chars;
            }
        }
        usage
    }

    /// The share of the quota in use, in percent (everything on the origin counts).
    pub fn percent(&self) -> f64 {
        self.all as f64 * 100.0 / QUOTA_CHARS as f64
    }

    /// How full it is.
    pub fn level(&self) -> UsageLevel {
        match self.percent() {
            p if p >= 90.0 => UsageLevel::Critical,
            p if p >= 70.0 => UsageLevel::Warning,
            _ => UsageLevel::Fine,
        }
    }

    /// One line for the reader, figures written the way the language writes them.
    pub fn describe(&self, l: &Locale) -> String {
        let line = l.f(
            "library.usage",
            &[("used", &l.number(self.ours)), ("quota", &l.number(QUOTA_CHARS)), ("percent", &l.decimal(self.percent(), 0))],
        );
        match self.level() {
            UsageLevel::Fine => line,
            UsageLevel::Warning => format!("{line} {}", l.t("library.usage.warning")),
            UsageLevel::Critical => format!("{line} {}", l.t("library.usage.critical")),
        }
    }
}

/// The share of the quota an article's text may bring the origin to: the rest is
/// kept for annotations, so storing a text never leaves them no room.
const TEXT_LIMIT_PERCENT: usize = 60;

impl Usage {
    /// Whether a text of `chars` characters (under `key`) may be stored.
    pub fn has_room_for_text(&self, key: &str, chars: usize) -> bool {
        (self.all + key.chars().count() + chars) * 100 <= QUOTA_CHARS * TEXT_LIMIT_PERCENT
    }
}

/// Where the reader is, as the page URL's fragment says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The library list.
    Library,
    /// A document, and perhaps a focused sentence.
    Document {
        /// The document id.
        id: String,
        /// The focused sentence.
        sentence: Option<usize>,
    },
}

/// Reads a fragment such as `#aa-doc=text-12ab&s=4` or `#aa-library`; `None` for anything else.
pub fn parse_route(fragment: &str) -> Option<Route> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment == "aa-library" {
        return Some(Route::Library);
    }
    let mut id = None;
    let mut sentence = None;
    for pair in fragment.split('&') {
        if let Some(value) = pair.strip_prefix("aa-doc=") {
            id = percent_decode(value).filter(|v| !v.is_empty());
        } else if let Some(value) = pair.strip_prefix("s=") {
            sentence = value.parse().ok();
        }
    }
    id.map(|id| Route::Document { id, sentence })
}

/// The fragment for a route (the inverse of [`parse_route`]).
pub fn route_fragment(route: &Route) -> String {
    match route {
        Route::Library => "#aa-library".to_owned(),
        Route::Document { id, sentence: None } => format!("#aa-doc={}", percent_encode(id)),
        Route::Document { id, sentence: Some(s) } => format!("#aa-doc={}&s={s}", percent_encode(id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(modified: &str) -> String {
        let doc = crate::core::model::Document::new("d", "One. Two.");
        format!(
            r#"{{"format":"article-annotator","version":1,"document":{{"id":"d","fingerprint":"{}","length":9}},"annotations":[{{"id":"a1","labels":["claim"],"target":{{"quote":{{"exact":"One."}},"position":{{"start":0,"end":4}}}},"created":"{modified}","modified":"{modified}"}}]}}"#,
            doc.fingerprint
        )
    }

    #[test]
    fn keys_round_trip() {
        assert_eq!(parse_key(&annotations_key("a/b")), Some((Part::Annotations, "a/b")));
        assert_eq!(parse_key(&meta_key("x")), Some((Part::Meta, "x")));
        assert_eq!(parse_key(&text_key("x")), Some((Part::Text, "x")));
        assert_eq!(parse_key("article-annotator/backup/x"), None);
        assert_eq!(parse_key("article-annotator/v1/"), None);
        assert_eq!(parse_key("other"), None);
    }

    #[test]
    fn entries_join_parts_and_sort_newest_first() {
        let older = envelope("2026-01-01T00:00:00.000Z");
        let newer = envelope("2026-03-01T00:00:00.000Z");
        let meta = serde_json::to_string(&DocMeta { title: "Pasted".into(), source: Some("https://x.example/a".into()), added: "2026-02-01T00:00:00.000Z".into(), sentences: 2 }).unwrap();
        let items = [(annotations_key("old"), older),
            (annotations_key("new"), newer),
            (meta_key("pasted"), meta),
            (text_key("pasted"), "One. Two.".to_owned()),
            ("article-annotator/backup/old".to_owned(), "junk".to_owned()),
            ("unrelated".to_owned(), "x".to_owned()),
            (meta_key("ghost"), "{}".to_owned())];
        let list = entries(items.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let ids: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["new", "pasted", "old"], "newest first; a meta without text or annotations is not a document");
        assert_eq!(list[0].tagged, 1);
        assert_eq!(list[0].title, "new");
        assert!(!list[0].has_text);
        assert_eq!(list[1].title, "Pasted");
        assert_eq!(list[1].sentences, Some(2));
        assert_eq!(list[1].tagged, 0);
        assert!(list[1].has_text);
        assert_eq!(list[1].source.as_deref(), Some("https://x.example/a"));
    }

    #[test]
    fn a_corrupt_envelope_is_listed_with_its_problem() {
        let items = [(annotations_key("bad"), "{not json".to_owned())];
        let list = entries(items.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(list.len(), 1);
        assert!(list[0].problem.as_deref().is_some_and(|p| p.contains("JSON")));
    }

    #[test]
    fn text_ids_ignore_line_endings_and_differ_by_text() {
        assert_eq!(id_for_text("A.\r\nB."), id_for_text("A.\nB."));
        assert_ne!(id_for_text("A."), id_for_text("B."));
        assert!(id_for_text("A.").starts_with("text-"));
    }

    #[test]
    fn titles() {
        assert_eq!(title_from_text("\n\n  Geneva talks   resume \nBody.").as_deref(), Some("Geneva talks resume"));
        assert_eq!(title_or_untitled("   ", &Locale::english()), "Untitled article");
        assert_eq!(title_or_untitled("   ", &Locale::new("uk")), "Стаття без назви");
        let long = "word ".repeat(40);
        let title = title_from_text(&long).unwrap_or_default();
        assert!(title.ends_with('…') && title.chars().count() <= TITLE_CHARS + 1, "{title}");
        assert_eq!(clean_title("  a \n b "), Some("a b".into()));
        assert_eq!(clean_title(" \t"), None);
    }

    #[test]
    fn sources_must_be_web_addresses() {
        let clean = |s: &str| clean_source(s, &Locale::english());
        assert_eq!(clean(" "), Ok(None));
        assert_eq!(clean(" https://news.example/a?b=1 "), Ok(Some("https://news.example/a?b=1".into())));
        assert_eq!(clean("javascript:alert(1)"), Err("\"javascript:alert(1)\" is not a web address: the source must start with https:// or http://".into()));
        assert!(clean("news.example").is_err());
        assert!(clean("https://").is_err());
        assert!(clean("https://a b").is_err());
    }

    #[test]
    fn usage_levels_and_wording() {
        let big = "x".repeat(QUOTA_CHARS * 3 / 4);
        let items = [("article-annotator/v1/a", big.as_str()), ("other", "12345")];
        let usage = Usage::of(items);
        assert_eq!(usage.ours, "article-annotator/v1/a".len() + big.len());
        assert_eq!(usage.all, usage.ours + 10);
        assert_eq!(usage.level(), UsageLevel::Warning);
        let en = Locale::english();
        assert_eq!(
            usage.describe(&en),
            format!(
                "The library uses {} of about 5,000,000 characters of this browser's storage for this site (75 % full). Storage is filling up: use \"Export all\" to keep a copy, then delete documents you no longer need.",
                en.number(usage.ours)
            )
        );
        assert!(usage.describe(&Locale::new("uk")).contains("5\u{a0}000\u{a0}000"));
        assert_eq!(Usage::of([("k", "v")]).level(), UsageLevel::Fine);
        assert!(!usage.has_room_for_text("t", 10), "past 60 % no text is stored");
        let empty = Usage::of([]);
        assert!(empty.has_room_for_text("t", QUOTA_CHARS / 2));
        assert!(!empty.has_room_for_text("t", QUOTA_CHARS * 2 / 3));
    }

    #[test]
    fn routes_round_trip() {
        for route in [
            Route::Library,
            Route::Document { id: "text-00ff".into(), sentence: None },
            Route::Document { id: "a/b#c&d=é".into(), sentence: Some(12) },
        ] {
            assert_eq!(parse_route(&route_fragment(&route)), Some(route.clone()), "{route:?}");
        }
        assert_eq!(parse_route(""), None);
        assert_eq!(parse_route("#top"), None);
        assert_eq!(parse_route("#aa-doc=%zz"), None);
        assert_eq!(parse_route("#aa-doc=x&s=nope"), Some(Route::Document { id: "x".into(), sentence: None }));
    }
}
