//! The replication of one document with the team database, as a pure machine: it says
//! which HTTP request to make next and what an answer means; the browser shell makes
//! the requests (`platform::couch`) and the tests answer them with an in-memory fake.
//!
//! A round:
//! 1. **Changes** since the checkpoint (`_changes`, ids and revisions only, `limit`ed);
//!    the ids of this document's annotations and text whose revision we do not know
//!    are fetched.
//! 2. **Fetch** them (`_all_docs` with `keys`, `include_docs`, `conflicts`). Our own
//!    annotations (another device of ours) are merged into the reader's state, teammates'
//!    go to the team view, what is not ours is reported and left alone. A document with
//!    `_conflicts` has its leaves fetched (3), merged with the one merge, and (when it is
//!    ours) written back with the losing leaves deleted.
//! 4. **Push** every own record whose document differs from what the server has, each
//!    with the `_rev` it is based on (`_bulk_docs`); a `conflict` is fetched, merged and
//!    pushed again (a bounded number of times per round); `forbidden` is reported and
//!    not retried until the record changes.
//!
//! Then the round is done: the caller waits on a long poll of `_changes` for the next.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::core::i18n::Locale;
use super::wire::{self, content_key, read_doc, record_doc, text_doc, Remote};
use crate::core::store::merge::{join, Record};

/// Changes read per request.
pub const CHANGES_LIMIT: usize = 500;
/// Documents written per `_bulk_docs`.
pub const PUSH_BATCH: usize = 200;
/// Pushes of one round after conflicts, before the round gives up until the next.
pub const PUSH_ATTEMPTS: usize = 6;
/// The largest answer read (a server sending more is treated as broken).
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// An HTTP request, relative to the database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path and query after the database URL and a slash (`_changes?since=0`).
    pub path: String,
    /// A JSON body.
    pub body: Option<String>,
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// Why a round stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// No answer at all (network down, server unreachable, request cut).
    Offline(String),
    /// 401: the name, password or token is wrong.
    Unauthorized(String),
    /// 403: this user may not read or write the database.
    Forbidden(String),
    /// 404: no such database.
    NoDatabase,
    /// Anything else: a 5xx, an answer that is not the JSON expected.
    Server(String),
}

impl SyncError {
    /// Whether trying again later may help (not for credentials or a missing database,
    /// which need the reader or the admin).
    pub fn retryable(&self) -> bool {
        matches!(self, SyncError::Offline(_) | SyncError::Server(_))
    }

    /// The message for the reader, in their language.
    pub fn message(&self, l: &Locale) -> String {
        match self {
            SyncError::Offline(why) => l.f("sync.error.offline", &[("why", why)]),
            SyncError::Unauthorized(why) => l.f("sync.error.unauthorized", &[("why", why)]),
            SyncError::Forbidden(why) => l.f("sync.error.forbidden", &[("why", why)]),
            SyncError::NoDatabase => l.t("sync.error.no_database").to_owned(),
            SyncError::Server(why) => l.f("sync.error.server", &[("why", why)]),
        }
    }
}

/// What this replica remembers of the server between rounds (and reloads): the
/// checkpoint and the revision and content of each of this document's documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// `last_seq` of the last changes read (opaque: a number or a string).
    #[serde(default)]
    pub since: Option<Value>,
    /// Per server id: the revision we know and the content it holds.
    #[serde(default)]
    pub known: BTreeMap<String, Known>,
    /// Per server id: the content the server refused (not retried until it changes).
    #[serde(default)]
    pub refused: BTreeMap<String, String>,
}

/// A server document as last seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// Its `_rev`.
    pub rev: String,
    /// Its content (`wire::content_key`).
    pub content: String,
}

/// What an answer means for the widget.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Our own records from the server (another device): merge them into the state.
    Own(Vec<Record>),
    /// A teammate's records.
    Team {
        /// Who.
        creator: String,
        /// Their records on this document.
        records: Vec<Record>,
    },
    /// The article's text as the server has it.
    Text {
        /// The text.
        text: String,
    },
    /// A server document that is not ours or is malformed: left alone, reported.
    Foreign {
        /// Its id.
        id: String,
        /// Why.
        why: String,
    },
    /// The server refused to store one of our documents.
    Refused {
        /// Its id.
        id: String,
        /// The server's reason.
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Changes,
    Fetch,
    Leaves(String),
    Push,
    Done,
}

/// The article this replica syncs, as the text document wants it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The text.
    pub text: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its title, if known.
    pub title: Option<String>,
    /// Its language, if known.
    pub lang: Option<String>,
}

/// The replication of `document` for annotator `creator`.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The document id.
    pub document: String,
    /// The reader's annotator name.
    pub creator: String,
    /// What is remembered between rounds.
    pub checkpoint: Checkpoint,
    article: Option<Article>,
    phase: Phase,
    to_fetch: BTreeSet<String>,
    conflicted: Vec<(String, Vec<String>)>,
    pushes: usize,
    /// Per server id, the last record seen and its document's content (serialised once).
    contents: RefCell<BTreeMap<String, (Record, String)>>,
    sent: BTreeMap<String, String>,
    pending_deletes: Vec<Value>,
    more_changes: bool,
    /// `last_seq` of the changes read this round: it becomes the checkpoint only once
    /// what they listed is fetched, so a round cut before that reads them again.
    seen_since: Option<Value>,
}

impl Engine {
    /// A replica of `document` for `creator`, starting from `checkpoint`; `article`, when
    /// given, is written to the server if it is not there (teammates can then open it).
    pub fn new(document: impl Into<String>, creator: impl Into<String>, checkpoint: Checkpoint, article: Option<Article>) -> Self {
        Self {
            document: document.into(),
            creator: creator.into(),
            checkpoint,
            article,
            phase: Phase::Done,
            to_fetch: BTreeSet::new(),
            conflicted: Vec::new(),
            pushes: 0,
            contents: RefCell::new(BTreeMap::new()),
            sent: BTreeMap::new(),
            pending_deletes: Vec::new(),
            more_changes: false,
            seen_since: None,
        }
    }

    /// Starts a round.
    pub fn start(&mut self) {
        self.phase = Phase::Changes;
        self.pushes = 0;
        self.to_fetch.clear();
        self.conflicted.clear();
        self.seen_since = None;
    }

    /// Whether a round is under way.
    pub fn busy(&self) -> bool {
        self.phase != Phase::Done
    }

    fn text_id(&self) -> String {
        wire::text_doc_id(&self.document)
    }

    fn ours(&self, id: &str) -> bool {
        id.starts_with(&wire::annotation_prefix(&self.document)) || id == self.text_id()
    }

    /// Whether the server lacks a document with `content` under `id` (it holds another, or
    /// none), and has not refused that very content.
    fn lacks(&self, id: &str, content: &str) -> bool {
        self.checkpoint.known.get(id).is_none_or(|k| k.content != content) && self.checkpoint.refused.get(id).is_none_or(|r| r != content)
    }

    /// Whether `record`'s document is one the server lacks. Its content is serialised
    /// only when the record changed since the last call (a tag costs one document's
    /// serialisation, not every annotation's).
    fn lacks_record(&self, record: &Record) -> bool {
        let id = wire::annotation_doc_id(&self.document, &self.creator, record.id());
        let mut contents = self.contents.borrow_mut();
        if !contents.get(&id).is_some_and(|(seen, _)| seen == record) {
            let content = content_key(&record_doc(&self.document, &self.creator, record));
            contents.insert(id.clone(), (record.clone(), content));
        }
        contents.get(&id).is_some_and(|(_, content)| self.lacks(&id, content))
    }

    /// With its `_rev` (the revision it is based on), when the server has one.
    fn based_on_known(&self, mut doc: Value) -> Value {
        let rev = doc.get("_id").and_then(Value::as_str).and_then(|id| self.checkpoint.known.get(id)).map(|k| k.rev.clone());
        if let Some(rev) = rev {
            doc["_rev"] = Value::from(rev);
        }
        doc
    }

    /// The documents the server should hold for `records` (the reader's own, by id), with
    /// the text when it is to be written, each with the `_rev` it is based on; those the
    /// server already holds as they are, or refused as they are, are left out.
    fn outgoing<K>(&self, records: &BTreeMap<K, Record>) -> Vec<Value> {
        let mut docs: Vec<Value> = records
            .values()
            .filter(|r| self.lacks_record(r))
            .map(|r| self.based_on_known(record_doc(&self.document, &self.creator, r)))
            .collect();
        if let Some(article) = &self.article {
            let text = text_doc(&self.document, &article.text, &article.fingerprint, article.title.as_deref(), article.lang.as_deref());
            if !self.checkpoint.known.contains_key(&self.text_id()) && self.lacks(&self.text_id(), &content_key(&text)) {
                docs.push(text);
            }
        }
        docs
    }

    /// How many of the reader's records (by id) the server does not hold yet.
    pub fn pending<K>(&self, records: &BTreeMap<K, Record>) -> usize {
        records.values().filter(|r| self.lacks_record(r)).count()
    }

    /// The next request of the round, or `None` when the round is done.
    pub fn next<K>(&mut self, records: &BTreeMap<K, Record>) -> Option<Request> {
        loop {
            match self.phase.clone() {
                Phase::Changes => return Some(self.changes_request(None)),
                Phase::Fetch if self.to_fetch.is_empty() => self.phase = Phase::Push,
                Phase::Fetch => {
                    let keys: Vec<&String> = self.to_fetch.iter().collect();
                    return Some(Request {
                        method: "POST",
                        path: "_all_docs?include_docs=true&conflicts=true".into(),
                        body: Some(json!({ "keys": keys }).to_string()),
                    });
                }
                Phase::Leaves(id) => {
                    let revs = self.conflicted.iter().find(|(i, _)| *i == id).map(|(_, r)| r.clone()).unwrap_or_default();
                    let path = format!("{}?open_revs={}", wire::encode_component(&id), wire::encode_component(&json!(revs).to_string()));
                    return Some(Request { method: "GET", path, body: None });
                }
                Phase::Push => {
                    // What the changes listed is fetched (and its conflicts merged).
                    self.keep_since();
                    if self.more_changes {
                        self.phase = Phase::Changes;
                        continue;
                    }
                    let docs = self.outgoing(records);
                    if (docs.is_empty() && self.pending_deletes.is_empty()) || self.pushes >= PUSH_ATTEMPTS {
                        self.phase = Phase::Done;
                        return None;
                    }
                    self.pushes += 1;
                    let mut batch: Vec<Value> = std::mem::take(&mut self.pending_deletes);
                    batch.extend(docs.into_iter().take(PUSH_BATCH));
                    self.sent = batch
                        .iter()
                        .filter(|d| d.get("_deleted").is_none())
                        .filter_map(|d| Some((d.get("_id").and_then(Value::as_str)?.to_owned(), content_key(d))))
                        .collect();
                    return Some(Request { method: "POST", path: "_bulk_docs".into(), body: Some(json!({ "docs": batch }).to_string()) });
                }
                Phase::Done => return None,
            }
        }
    }

    /// The `_changes` request; `longpoll_ms` waits for the next change that long.
    pub fn changes_request(&self, longpoll_ms: Option<u64>) -> Request {
        let since = self.checkpoint.since.as_ref().map_or_else(|| "0".to_owned(), |s| s.as_str().map_or_else(|| s.to_string(), str::to_owned));
        let mut path = format!("_changes?style=all_docs&limit={CHANGES_LIMIT}&since={}", wire::encode_component(&since));
        if let Some(ms) = longpoll_ms {
            path.push_str(&format!("&feed=longpoll&timeout={ms}"));
        }
        Request { method: "GET", path, body: None }
    }

    /// What `response` to `request` means; the round goes on with [`Engine::next`].
    pub fn handle(&mut self, request: &Request, response: Result<Response, String>) -> Result<Vec<Effect>, SyncError> {
        let response = response.map_err(SyncError::Offline)?;
        if response.body.len() > MAX_ANSWER_BYTES {
            return Err(SyncError::Server(format!("an answer of {} MB", response.body.len() / 1_048_576)));
        }
        let reason = || couch_reason(&response.body);
        match response.status {
            200..=299 => {}
            401 => return Err(SyncError::Unauthorized(reason())),
            403 if !request.path.starts_with("_bulk_docs") => return Err(SyncError::Forbidden(reason())),
            404 if request.path.starts_with("_changes") => return Err(SyncError::NoDatabase),
            status => return Err(SyncError::Server(format!("HTTP {status}: {}", reason()))),
        }
        let body: Value = serde_json::from_str(&response.body).map_err(|_| SyncError::Server(format!("an answer that is not JSON ({})", snippet(&response.body))))?;
        if request.path.starts_with("_changes") {
            self.on_changes(&body)
        } else if request.path.starts_with("_all_docs") {
            self.on_docs(&body)
        } else if request.path.starts_with("_bulk_docs") {
            self.on_pushed(&body)
        } else {
            self.on_leaves(&body)
        }
    }

    /// What a long poll's answer says: `true` when something of this document changed,
    /// and the round that takes it in goes on with [`Engine::next`]; `false`, poll again.
    pub fn handle_longpoll(&mut self, response: Result<Response, String>) -> Result<bool, SyncError> {
        self.start();
        let request = self.changes_request(Some(0));
        self.handle(&request, response)?;
        let relevant = !self.to_fetch.is_empty() || self.more_changes;
        if !relevant {
            self.phase = Phase::Done;
            self.keep_since();
        }
        Ok(relevant)
    }

    /// The changes read this round need not be read again.
    fn keep_since(&mut self) {
        if let Some(seq) = self.seen_since.take() {
            self.checkpoint.since = Some(seq);
        }
    }

    fn on_changes(&mut self, body: &Value) -> Result<Vec<Effect>, SyncError> {
        let results = body.get("results").and_then(Value::as_array).ok_or_else(|| SyncError::Server("a _changes answer without results".into()))?;
        for change in results {
            let Some(id) = change.get("id").and_then(Value::as_str) else { continue };
            if !self.ours(id) {
                continue;
            }
            let revs: Vec<&str> = change.get("changes").and_then(Value::as_array).map(|c| c.iter().filter_map(|r| r.get("rev").and_then(Value::as_str)).collect()).unwrap_or_default();
            let known = self.checkpoint.known.get(id).map(|k| k.rev.as_str());
            if revs.len() > 1 || revs.first().copied() != known {
                self.to_fetch.insert(id.to_owned());
            }
        }
        if let Some(last) = body.get("last_seq") {
            self.seen_since = Some(last.clone());
        }
        let pending = body.get("pending").and_then(Value::as_u64).unwrap_or(0);
        self.more_changes = pending > 0 || results.len() >= CHANGES_LIMIT;
        self.phase = Phase::Fetch;
        Ok(Vec::new())
    }

    fn on_docs(&mut self, body: &Value) -> Result<Vec<Effect>, SyncError> {
        let rows = body.get("rows").and_then(Value::as_array).ok_or_else(|| SyncError::Server("an _all_docs answer without rows".into()))?;
        let mut docs = Vec::new();
        for row in rows {
            let Some(id) = row.get("key").and_then(Value::as_str).or_else(|| row.get("id").and_then(Value::as_str)) else { continue };
            self.to_fetch.remove(id);
            match row.get("doc") {
                Some(doc) if doc.is_object() => {
                    let conflicts: Vec<String> = doc.get("_conflicts").and_then(Value::as_array).map(|c| c.iter().filter_map(|r| r.as_str().map(str::to_owned)).collect()).unwrap_or_default();
                    if !conflicts.is_empty() {
                        let mut revs = conflicts;
                        revs.extend(doc.get("_rev").and_then(Value::as_str).map(str::to_owned));
                        self.conflicted.push((id.to_owned(), revs));
                    }
                    docs.push(doc.clone());
                }
                // Deleted on the server by CouchDB's own means (not ours: we mark
                // deletions in a document), or gone: what we knew of it no longer holds.
                _ => {
                    self.checkpoint.known.remove(id);
                }
            }
        }
        self.to_fetch.clear();
        let effects = self.take_docs(&docs);
        self.phase = self.conflicted.first().map_or(Phase::Push, |(id, _)| Phase::Leaves(id.clone()));
        Ok(effects)
    }

    /// Reads server documents: remembers their revisions and says what they mean.
    fn take_docs(&mut self, docs: &[Value]) -> Vec<Effect> {
        let mut own = Vec::new();
        let mut team: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        let mut effects = Vec::new();
        for doc in docs {
            let (Some(id), Some(rev)) = (doc.get("_id").and_then(Value::as_str), doc.get("_rev").and_then(Value::as_str)) else { continue };
            match read_doc(doc) {
                Remote::Record { document, creator, record } if document == self.document => {
                    if creator == self.creator {
                        own.push(record);
                    } else {
                        team.entry(creator).or_default().push(record);
                    }
                }
                Remote::Text { document, text, .. } if document == self.document => effects.push(Effect::Text { text }),
                Remote::Foreign { id, why } => effects.push(Effect::Foreign { id, why }),
                _ => effects.push(Effect::Foreign { id: id.to_owned(), why: "another document's data under this document's id".into() }),
            }
            self.checkpoint.known.insert(id.to_owned(), Known { rev: rev.to_owned(), content: content_key(doc) });
        }
        if !own.is_empty() {
            effects.insert(0, Effect::Own(own));
        }
        effects.extend(team.into_iter().map(|(creator, records)| Effect::Team { creator, records }));
        effects
    }

    fn on_leaves(&mut self, body: &Value) -> Result<Vec<Effect>, SyncError> {
        let Some((id, _)) = (!self.conflicted.is_empty()).then(|| self.conflicted.remove(0)) else {
            self.phase = Phase::Push;
            return Ok(Vec::new());
        };
        let leaves: Vec<Value> = body.as_array().map(|a| a.iter().filter_map(|l| l.get("ok")).filter(|d| d.get("_deleted") != Some(&Value::Bool(true))).cloned().collect()).unwrap_or_default();
        let mut merged: Option<(String, String, Record)> = None;
        let mut revs = Vec::new();
        let mut foreign = Vec::new();
        for leaf in &leaves {
            let rev = leaf.get("_rev").and_then(Value::as_str).unwrap_or_default().to_owned();
            revs.push(rev.clone());
            match read_doc(leaf) {
                Remote::Record { document, creator, record } if document == self.document => {
                    merged = Some(match merged {
                        None => (creator, rev, record),
                        Some((c, winner, so_far)) => (c, winner, join(&so_far, &record)),
                    });
                }
                Remote::Foreign { id, why } => foreign.push(Effect::Foreign { id, why }),
                _ => {}
            }
        }
        let mut effects = foreign;
        if let Some((creator, _, record)) = merged {
            let winner = couch_winner(&revs).unwrap_or_default();
            if creator == self.creator {
                // Ours: the merge goes to the state and is pushed on the winning leaf;
                // the other leaves are deleted (only their revisions: the merge holds
                // everything they held).
                let losers: Vec<Value> = revs.iter().filter(|r| **r != winner).map(|r| json!({ "_id": id, "_rev": r, "_deleted": true })).collect();
                self.checkpoint.known.insert(id.clone(), Known { rev: winner, content: String::new() });
                self.pending_deletes.extend(losers);
                effects.push(Effect::Own(vec![record]));
            } else {
                effects.push(Effect::Team { creator, records: vec![record] });
            }
        }
        self.phase = self.conflicted.first().map_or(Phase::Push, |(id, _)| Phase::Leaves(id.clone()));
        Ok(effects)
    }

    fn on_pushed(&mut self, body: &Value) -> Result<Vec<Effect>, SyncError> {
        let results = body.as_array().ok_or_else(|| SyncError::Server("a _bulk_docs answer that is not a list".into()))?;
        let sent: BTreeMap<String, String> = std::mem::take(&mut self.sent);
        let mut effects = Vec::new();
        for result in results {
            let Some(id) = result.get("id").and_then(Value::as_str) else { continue };
            if let Some(rev) = result.get("rev").and_then(Value::as_str).filter(|_| result.get("error").is_none()) {
                if let Some(content) = sent.get(id) {
                    self.checkpoint.known.insert(id.to_owned(), Known { rev: rev.to_owned(), content: content.clone() });
                    self.checkpoint.refused.remove(id);
                }
                continue;
            }
            let error = result.get("error").and_then(Value::as_str).unwrap_or("unknown");
            let reason = result.get("reason").and_then(Value::as_str).unwrap_or(error).to_owned();
            match error {
                "conflict" => {
                    self.to_fetch.insert(id.to_owned());
                }
                "forbidden" | "unauthorized" => {
                    if let Some(content) = sent.get(id) {
                        self.checkpoint.refused.insert(id.to_owned(), content.clone());
                    }
                    effects.push(Effect::Refused { id: id.to_owned(), reason });
                }
                _ => effects.push(Effect::Refused { id: id.to_owned(), reason }),
            }
        }
        self.phase = if self.to_fetch.is_empty() { Phase::Push } else { Phase::Fetch };
        Ok(effects)
    }
}

/// An article on the team database, as the library lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamText {
    /// Its document id.
    pub document: String,
    /// Its text.
    pub text: String,
    /// Its title, if given.
    pub title: Option<String>,
}

/// The request for every article text on the team database (`text:` ids).
pub fn texts_request() -> Request {
    let start = wire::encode_component("\"text:\"");
    let end = wire::encode_component("\"text:\u{fff0}\"");
    Request { method: "GET", path: format!("_all_docs?include_docs=true&startkey={start}&endkey={end}"), body: None }
}

/// The articles in the answer to [`texts_request`]; documents that are not ours are left out.
pub fn read_texts(response: Result<Response, String>) -> Result<Vec<TeamText>, SyncError> {
    let response = response.map_err(SyncError::Offline)?;
    match response.status {
        200..=299 => {}
        401 => return Err(SyncError::Unauthorized(couch_reason(&response.body))),
        403 => return Err(SyncError::Forbidden(couch_reason(&response.body))),
        404 => return Err(SyncError::NoDatabase),
        status => return Err(SyncError::Server(format!("HTTP {status}: {}", couch_reason(&response.body)))),
    }
    let body: Value = serde_json::from_str(&response.body).map_err(|_| SyncError::Server(format!("an answer that is not JSON ({})", snippet(&response.body))))?;
    let rows = body.get("rows").and_then(Value::as_array).ok_or_else(|| SyncError::Server("an _all_docs answer without rows".into()))?;
    Ok(rows
        .iter()
        .filter_map(|row| match read_doc(row.get("doc")?) {
            Remote::Text { document, text, title, .. } => Some(TeamText { document, text, title }),
            _ => None,
        })
        .collect())
}

/// CouchDB's winning revision among leaves: the highest generation, then the greatest
/// revision id (as text).
pub fn couch_winner(revs: &[String]) -> Option<String> {
    let generation = |r: &String| r.split_once('-').and_then(|(n, _)| n.parse::<u64>().ok()).unwrap_or(0);
    revs.iter().max_by(|a, b| (generation(a), a.as_str()).cmp(&(generation(b), b.as_str()))).cloned()
}

/// CouchDB's `reason` (or `error`) from an error answer, else the start of the body.
fn couch_reason(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("reason").or_else(|| v.get("error")).and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| snippet(body))
}

/// The start of an answer's text for a message: markup (an HTML error page) dropped,
/// white space collapsed, at most 80 characters.
fn snippet(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => text.push(' '),
            c => text.push(c),
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let text: String = words.join(" ").chars().take(80).collect();
    if text.is_empty() { "an empty answer".into() } else { text }
}
