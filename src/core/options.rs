//! The options a host passes to `mount`, parsed and validated once, at the edge.
//!
//! The shell turns the JavaScript object into JSON and hands it here, so every rule
//! is tested natively and every problem is reported at once, in words a developer
//! understands.

use serde_json::Value;

use super::model::{Label, LabelSet};

/// Where a widget keeps its annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StorageMode {
    /// localStorage, one key per document (the default).
    #[default]
    Local,
    /// Nowhere: the host keeps them (through `annotations()` and the `change` event).
    None,
}

/// Validated options of one widget.
#[derive(Debug, Clone, PartialEq)]
pub struct MountOptions {
    /// The article text.
    pub text: String,
    /// The document id, if the host gave one.
    pub doc_id: Option<String>,
    /// The labels on offer.
    pub labels: LabelSet,
    /// Whether tagging is disabled (reading, navigating and exporting still work).
    pub read_only: bool,
    /// Where annotations are kept.
    pub storage: StorageMode,
    /// The article's URL for the W3C export, if the host gave one.
    pub source: Option<String>,
    /// The article's title (the library lists it by this).
    pub title: Option<String>,
    /// Whether the widget keeps a library of the reader's articles (new, open, list).
    pub library: bool,
    /// The article's language as an ISO 639-1/639-2 code, lowercase ("de"), if the
    /// host gave one; the segmenter falls back to English for a code it has no rules
    /// for (`core::segment::Lang::resolve`).
    pub lang: Option<String>,
    /// Who annotates (the name in exports, and in a team's work), if the host said.
    pub annotator: Option<String>,
    /// The team database to sync with, if the host set one.
    pub sync: Option<SyncOptions>,
    /// The interface's language as a language tag, lowercase ("uk", "uk-ua"), when the
    /// host wants it to differ from the article's (`uiLang`); else the article's.
    pub ui_lang: Option<String>,
}

/// `options.sync`: the team database and how to sign in to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncOptions {
    /// The database URL (http or https).
    pub url: String,
    /// A CouchDB user name.
    pub user: Option<String>,
    /// Its password.
    pub password: Option<String>,
    /// A bearer token instead.
    pub token: Option<String>,
}

/// Reads `options.sync` (or `data-sync-url`), every problem reported.
pub fn parse_sync(value: &Value, problems: &mut Vec<String>) -> Option<SyncOptions> {
    let object = match value {
        Value::Null => return None,
        Value::Object(o) => o,
        _ => {
            problems.push("options.sync must be an object: { url, user?, password?, token? }".into());
            return None;
        }
    };
    let text = |key: &str, problems: &mut Vec<String>| match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(_) => {
            problems.push(format!("options.sync.{key} must be a non-empty string"));
            None
        }
    };
    if let Some(unknown) = object.keys().find(|k| !["url", "user", "password", "token"].contains(&k.as_str())) {
        problems.push(format!("options.sync.{unknown} is not an option (known: url, user, password, token)"));
    }
    let url = text("url", problems);
    let (user, password, token) = (text("user", problems), text("password", problems), text("token", problems));
    if token.is_some() && password.is_some() {
        problems.push("options.sync takes a password or a token, not both".into());
    }
    match url {
        Some(url) if is_database_url(&url) => Some(SyncOptions { url: url.trim_end_matches('/').to_owned(), user, password, token }),
        Some(url) => {
            problems.push(format!("options.sync.url must be a database URL starting with http:// or https:// (such as https://couch.example.org/newsroom), not {url:?}"));
            None
        }
        None => {
            problems.push("options.sync.url is required: the team database's URL".into());
            None
        }
    }
}

/// Whether `url` can be a CouchDB database URL: http(s), a host, a database name.
pub fn is_database_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.and_then(|r| r.split_once('/')).is_some_and(|(host, db)| !host.is_empty() && !db.trim_matches('/').is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// Longest annotator name, in code points.
pub const ANNOTATOR_LIMIT: usize = 100;

/// Every option `mount` takes.
const KNOWN: [&str; 12] = ["text", "docId", "source", "title", "labels", "readOnly", "storage", "library", "lang", "uiLang", "annotator", "sync"];

/// Keys the widget uses for itself, so a label cannot take them.
const RESERVED_KEYS: [char; 5] = ['0', 'j', 'k', 'n', '?'];

/// One line per problem found in the options, all of them, so the host fixes them in one go.
pub fn parse_options(value: &Value) -> Result<MountOptions, Vec<String>> {
    let mut problems = Vec::new();
    let Value::Object(object) = value else {
        return Err(vec!["options must be an object, e.g. { text: \"…\" }".into()]);
    };
    let text = match object.get("text") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => {
            problems.push("options.text must be a string (the article text)".into());
            String::new()
        }
        None => {
            problems.push("options.text is required: the article text (a string)".into());
            String::new()
        }
    };
    let optional_string = |key: &str, problems: &mut Vec<String>| match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(_) => {
            problems.push(format!("options.{key} must be a non-empty string"));
            None
        }
    };
    let doc_id = optional_string("docId", &mut problems);
    let source = optional_string("source", &mut problems);
    let title = optional_string("title", &mut problems);
    let annotator = optional_string("annotator", &mut problems).map(|name| name.trim().to_owned()).filter(|name| {
        let fits = name.chars().count() <= ANNOTATOR_LIMIT && !name.chars().any(char::is_control);
        if !fits {
            problems.push(format!("options.annotator must be a name of at most {ANNOTATOR_LIMIT} characters, without control characters"));
        }
        fits
    });
    let flag = |key: &str, problems: &mut Vec<String>| match object.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            problems.push(format!("options.{key} must be true or false"));
            false
        }
    };
    // A language option: lowercased when `valid`, else a problem saying what it must be.
    let language = |key: &str, valid: fn(&str) -> bool, must_be: &str, problems: &mut Vec<String>| match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(code)) if valid(code) => Some(code.to_ascii_lowercase()),
        Some(other) => {
            problems.push(format!("options.{key} must be {must_be}, not {other}"));
            None
        }
    };
    let lang = language("lang", is_language_code, "a language code of 2 or 3 letters such as \"de\"", &mut problems);
    let ui_lang = language("uiLang", is_language_tag, "a language tag such as \"uk\" or \"uk-UA\"", &mut problems);
    let read_only = flag("readOnly", &mut problems);
    let library = flag("library", &mut problems);
    let storage = match object.get("storage") {
        None | Some(Value::Null) => StorageMode::Local,
        Some(Value::String(s)) if s == "local" => StorageMode::Local,
        Some(Value::String(s)) if s == "none" => StorageMode::None,
        Some(other) => {
            problems.push(format!("options.storage must be \"local\" or \"none\", not {other}"));
            StorageMode::Local
        }
    };
    let labels = match object.get("labels") {
        None | Some(Value::Null) => LabelSet::default(),
        Some(specs) => parse_labels(specs).unwrap_or_else(|mut found| {
            problems.append(&mut found);
            LabelSet::default()
        }),
    };
    let sync = object.get("sync").and_then(|v| parse_sync(v, &mut problems));
    if sync.is_some() && storage == StorageMode::None {
        problems.push("options.sync keeps a copy in this browser's storage first: it cannot be used with storage: \"none\"".into());
    }
    if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        problems.push(format!("options.{unknown} is not an option (known: {})", KNOWN.join(", ")));
    }
    if library && storage == StorageMode::None {
        problems.push("options.library keeps articles in this browser's storage: it cannot be used with storage: \"none\"".into());
    }
    if problems.is_empty() {
        Ok(MountOptions { text, doc_id, labels, read_only, storage, source, title, library, lang, annotator, sync, ui_lang })
    } else {
        Err(problems)
    }
}

/// Labels from `[{ name, key, color, line? }]`, checked: names one word and unique,
/// keys one character, unique and not the widget's own, colours CSS colours.
pub fn parse_labels(specs: &Value) -> Result<LabelSet, Vec<String>> {
    let Value::Array(list) = specs else {
        return Err(vec!["options.labels must be an array of { name, key, color } objects".into()]);
    };
    if list.is_empty() || list.len() > 9 {
        return Err(vec![format!("options.labels must hold 1 to 9 labels, not {}", list.len())]);
    }
    const LINES: [&str; 5] = ["solid", "double", "dashed", "dotted", "wavy"];
    let mut problems = Vec::new();
    let mut labels: Vec<Label> = Vec::new();
    for (i, spec) in list.iter().enumerate() {
        let at = format!("options.labels[{i}]");
        let field = |key: &str| spec.get(key).and_then(Value::as_str).map(str::to_owned);
        let name = field("name").unwrap_or_default();
        if name.is_empty() || name.chars().any(char::is_whitespace) || name.chars().count() > 32 {
            problems.push(format!("{at}.name must be one word of 1 to 32 characters (it appears in data-labels), not {:?}", name));
        } else if labels.iter().any(|l| l.name == name) {
            problems.push(format!("{at}.name \"{name}\" is used twice"));
        }
        let key_text = field("key").unwrap_or_default();
        let mut key_chars = key_text.chars();
        let key = match (key_chars.next(), key_chars.next()) {
            (Some(k), None) if !k.is_whitespace() => {
                if RESERVED_KEYS.contains(&k) {
                    problems.push(format!("{at}.key \"{k}\" is taken by the widget (0 clears, j/k move, n finds untagged, ? shows help)"));
                } else if labels.iter().any(|l| l.key == k) {
                    problems.push(format!("{at}.key \"{k}\" is used twice"));
                }
                k
            }
            _ => {
                problems.push(format!("{at}.key must be a single character, not {key_text:?}"));
                ' '
            }
        };
        let color = field("color").unwrap_or_default();
        if !is_css_color(&color) {
            problems.push(format!("{at}.color must be a CSS colour such as \"#b45309\", \"rgb(180 83 9)\" or \"teal\", not {color:?}"));
        }
        let line = field("line").unwrap_or_else(|| LINES[i % LINES.len()].to_owned());
        if !LINES.contains(&line.as_str()) {
            problems.push(format!("{at}.line must be one of {}, not {line:?}", LINES.join(", ")));
        }
        let description = match spec.get("description") {
            None | Some(Value::Null) => None,
            Some(Value::String(d)) if d.chars().count() <= DESCRIPTION_LIMIT && !d.chars().any(char::is_control) => Some(d.trim().to_owned()).filter(|d| !d.is_empty()),
            Some(_) => {
                problems.push(format!("{at}.description must be a text of at most {DESCRIPTION_LIMIT} characters, without control characters"));
                None
            }
        };
        labels.push(Label { name, key, color, line, description });
    }
    if problems.is_empty() {
        Ok(LabelSet::new(labels))
    } else {
        Err(problems)
    }
}

/// Longest label description (a guideline of a sentence or two), in code points.
pub const DESCRIPTION_LIMIT: usize = 400;

/// An ISO 639 code as hosts write it: 2 or 3 ASCII letters, either case ("de", "DE", "fil").
fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A BCP 47 tag as hosts and pages write it: a language code, then subtags of 1 to 8
/// letters or digits ("uk", "uk-UA", "de_AT" is refused: the separator is a hyphen).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts.next().is_some_and(is_language_code) && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A conservative check: hex, a functional notation with plain arguments, or a keyword.
/// Anything else (quotes, semicolons, `url(`) is refused, since colours end up in CSS.
fn is_css_color(s: &str) -> bool {
    if let Some(hex) = s.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some((function, rest)) = s.split_once('(') {
        return ["rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch"].contains(&function)
            && rest.ends_with(')')
            && rest[..rest.len() - 1].chars().all(|c| c.is_ascii_alphanumeric() || " .,%/-+".contains(c));
    }
    !s.is_empty() && s.len() <= 24 && s.chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_alone_gives_the_defaults() {
        let options = parse_options(&json!({ "text": "One. Two." })).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(options.labels, LabelSet::default());
        assert_eq!((options.read_only, options.storage, options.doc_id), (false, StorageMode::Local, None));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let problems = parse_options(&json!({ "text": 4, "storage": "session", "readOnly": "yes", "colour": 1 })).err().unwrap_or_default();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("options.text"));
        assert!(problems.iter().any(|p| p.contains("options.colour is not an option")));
        assert!(parse_options(&json!("text")).is_err());
    }

    #[test]
    fn custom_labels_are_checked_one_by_one() {
        let good = json!([{ "name": "rumour", "key": "r", "color": "#c00" }, { "name": "fact", "key": "f", "color": "oklch(60% 0.1 200)", "line": "wavy" }]);
        let set = parse_labels(&good).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(set.by_key('f').map(|l| l.line.as_str()), Some("wavy"));
        let bad = json!([
            { "name": "two words", "key": "1", "color": "red" },
            { "name": "b", "key": "j", "color": "red" },
            { "name": "c", "key": "xy", "color": "red;background:url(x)" },
            { "name": "c", "key": "3", "color": "blue", "line": "zigzag" }
        ]);
        let problems = parse_labels(&bad).err().unwrap_or_default();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert!(problems[0].starts_with("options.labels[0].name"));
        assert!(problems[1].contains("taken by the widget"));
        assert!(problems.iter().any(|p| p.contains("labels[3].name \"c\" is used twice")));
        assert!(parse_labels(&json!([])).is_err());
    }

    #[test]
    fn labels_may_carry_a_description_and_the_defaults_have_one() {
        let set = parse_labels(&json!([{ "name": "rumour", "key": "r", "color": "#c00", "description": "  Unverified, from one source. " }, { "name": "fact", "key": "f", "color": "teal" }]));
        let set = set.unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(set.get("rumour").and_then(|l| l.description.as_deref()), Some("Unverified, from one source."));
        assert_eq!(set.get("fact").and_then(|l| l.description.as_deref()), None);
        for bad in [json!(7), json!("x".repeat(401)), json!("a\u{0}b")] {
            let problems = parse_labels(&json!([{ "name": "a", "key": "a", "color": "red", "description": bad }])).err().unwrap_or_default();
            assert!(problems.len() == 1 && problems[0].contains("labels[0].description"), "{problems:?}");
        }
        assert!(LabelSet::default().iter().all(|l| l.description.as_ref().is_some_and(|d| d.len() > 20)));
    }

    #[test]
    fn the_annotator_is_a_short_name() {
        let annotator = |v: Value| parse_options(&json!({ "text": "A.", "annotator": v })).map(|o| o.annotator);
        assert_eq!(annotator(json!("  Olena K. ")), Ok(Some("Olena K.".into())));
        assert_eq!(annotator(json!(null)), Ok(None));
        for bad in [json!(""), json!(3), json!("x".repeat(101)), json!("a\u{7}b")] {
            assert!(annotator(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn sync_takes_a_database_url_and_one_way_to_sign_in() {
        let sync = |v: Value| parse_options(&json!({ "text": "A.", "sync": v })).map(|o| o.sync);
        assert_eq!(sync(json!(null)), Ok(None));
        assert_eq!(
            sync(json!({ "url": "https://couch.example.org/newsroom/", "user": "olena", "password": "pw" })),
            Ok(Some(SyncOptions { url: "https://couch.example.org/newsroom".into(), user: Some("olena".into()), password: Some("pw".into()), token: None }))
        );
        for (bad, says) in [
            (json!("https://x/db"), "must be an object"),
            (json!({ "url": "ftp://x/db" }), "must be a database URL"),
            (json!({ "url": "https://host.only" }), "must be a database URL"),
            (json!({}), "url is required"),
            (json!({ "url": "http://x/db", "password": "a", "token": "b" }), "not both"),
            (json!({ "url": "http://x/db", "pass": "a" }), "sync.pass is not an option"),
        ] {
            let problems = sync(bad.clone()).err().unwrap_or_default();
            assert!(problems.iter().any(|p| p.contains(says)), "{bad}: {problems:?}");
        }
        let with_none = parse_options(&json!({ "text": "A.", "storage": "none", "sync": { "url": "http://x/db" } }));
        assert!(with_none.err().unwrap_or_default().iter().any(|p| p.contains("storage")));
    }

    #[test]
    fn ui_lang_is_a_language_tag() {
        let ui = |v: Value| parse_options(&json!({ "text": "A.", "uiLang": v })).map(|o| o.ui_lang);
        assert_eq!(parse_options(&json!({ "text": "A." })).map(|o| o.ui_lang), Ok(None));
        assert_eq!(ui(json!("en")), Ok(Some("en".into())));
        assert_eq!(ui(json!("uk-UA")), Ok(Some("uk-ua".into())));
        for bad in [json!(""), json!("english"), json!(7), json!("uk-"), json!("uk_UA"), json!("u")] {
            let problems = ui(bad.clone()).err().unwrap_or_default();
            assert!(problems.len() == 1 && problems[0].starts_with("options.uiLang must be"), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn lang_is_a_two_or_three_letter_code() {
        let lang = |v: Value| parse_options(&json!({ "text": "A.", "lang": v })).map(|o| o.lang);
        assert_eq!(parse_options(&json!({ "text": "A." })).map(|o| o.lang), Ok(None));
        assert_eq!(lang(json!(null)), Ok(None));
        assert_eq!(lang(json!("de")), Ok(Some("de".into())));
        assert_eq!(lang(json!("RU")), Ok(Some("ru".into())));
        assert_eq!(lang(json!("fil")), Ok(Some("fil".into())));
        for bad in [json!(""), json!("d"), json!("deut"), json!("de-AT"), json!("d1"), json!("дe"), json!(7), json!(["de"])] {
            let problems = lang(bad.clone()).err().unwrap_or_default();
            assert!(problems.len() == 1 && problems[0].starts_with("options.lang must be"), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn library_needs_storage() {
        let ok = parse_options(&json!({ "text": "A.", "library": true, "title": "Talks" })).map(|o| (o.library, o.title));
        assert_eq!(ok, Ok((true, Some("Talks".into()))));
        let problems = parse_options(&json!({ "text": "A.", "library": "yes" })).err().unwrap_or_default();
        assert_eq!(problems, ["options.library must be true or false"]);
        let problems = parse_options(&json!({ "text": "A.", "library": true, "storage": "none" })).err().unwrap_or_default();
        assert!(problems.len() == 1 && problems[0].contains("storage"), "{problems:?}");
    }
}
