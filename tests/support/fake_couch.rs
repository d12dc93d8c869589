//! An in-memory fake of the part of CouchDB's HTTP API the sync engine uses: revision
//! trees with conflicting leaves, `_changes` (`style=all_docs`, `since`, `limit`),
//! `_all_docs` with `keys` (`include_docs`, `conflicts`), a document's `open_revs`, and
//! `_bulk_docs` (a `_rev` must name a leaf, else `conflict`). Faults can be injected.
//! It answers the engine's `Request`s with `Response`s, as the browser's fetch would.

#![allow(dead_code)]

use std::collections::BTreeMap;

use article_annotator::core::sync::engine::{Request, Response};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
struct Leaf {
    rev: String,
    body: Value,
    deleted: bool,
}

/// A fault the next requests meet.
#[derive(Debug, Clone)]
pub enum Fault {
    /// No answer (network cut).
    Offline,
    /// An HTTP status with a body (e.g. 500 with HTML).
    Status(u16, String),
    /// `_bulk_docs` answers `conflict` for every document (someone else keeps writing).
    ConflictStorm,
    /// The server gets the request and applies it (a `_bulk_docs` is written), but the
    /// answer is lost: the connection is cut before it arrives.
    LostAnswer,
}

/// The fake server (one database).
#[derive(Debug, Default)]
pub struct FakeCouch {
    docs: BTreeMap<String, Vec<Leaf>>,
    seqs: BTreeMap<String, u64>,
    seq: u64,
    counter: u64,
    /// Faults for the next requests, in order.
    pub faults: Vec<Fault>,
    /// Ids whose writes are `forbidden` (as a `validate_doc_update` would say).
    pub forbidden: Vec<String>,
    /// Requests answered.
    pub requests: usize,
    /// Bytes sent and received.
    pub bytes: usize,
}

fn generation(rev: &str) -> u64 {
    rev.split_once('-').and_then(|(n, _)| n.parse().ok()).unwrap_or(0)
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query(path: &str) -> (String, BTreeMap<String, String>) {
    let (base, q) = path.split_once('?').unwrap_or((path, ""));
    let params = q.split('&').filter(|p| !p.is_empty()).filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_owned(), decode(v))).collect();
    (decode(base), params)
}

fn ok(body: Value) -> Response {
    Response { status: 200, body: body.to_string() }
}

impl FakeCouch {
    fn winner(leaves: &[Leaf]) -> Option<&Leaf> {
        let live = leaves.iter().filter(|l| !l.deleted);
        let best = |a: &&Leaf, b: &&Leaf| (generation(&a.rev), &a.rev).cmp(&(generation(&b.rev), &b.rev));
        live.clone().max_by(best).or_else(|| leaves.iter().max_by(best))
    }

    fn next_rev(&mut self, generation: u64) -> String {
        self.counter += 1;
        format!("{generation}-{:032x}", self.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn touch(&mut self, id: &str) {
        self.seq += 1;
        self.seqs.insert(id.to_owned(), self.seq);
    }

    /// The winning body of `id` with `_id` and `_rev`, if any and not deleted.
    pub fn get(&self, id: &str) -> Option<Value> {
        let leaf = Self::winner(self.docs.get(id)?)?;
        (!leaf.deleted).then(|| leaf.body.clone())
    }

    /// Every document id with its number of live leaves.
    pub fn leaves(&self) -> BTreeMap<String, usize> {
        self.docs.iter().map(|(id, l)| (id.clone(), l.iter().filter(|l| !l.deleted).count())).collect()
    }

    /// Writes `body` as a new leaf of `id` beside the others (what replication from
    /// another server with `new_edits=false` makes: a conflict).
    pub fn inject_leaf(&mut self, id: &str, mut body: Value) {
        let rev = self.next_rev(1);
        body["_id"] = Value::from(id);
        body["_rev"] = Value::from(rev.as_str());
        self.docs.entry(id.to_owned()).or_default().push(Leaf { rev, body, deleted: false });
        self.touch(id);
    }

    /// Writes `body` as an ordinary update (a teammate's client, an admin).
    pub fn put(&mut self, mut body: Value) -> String {
        let id = body["_id"].as_str().unwrap_or_default().to_owned();
        let leaves = self.docs.entry(id.clone()).or_default();
        let gen = FakeCouch::winner(leaves).map_or(0, |l| generation(&l.rev));
        let parent = FakeCouch::winner(leaves).map(|l| l.rev.clone());
        let rev = self.next_rev(gen + 1);
        body["_rev"] = Value::from(rev.as_str());
        let leaves = self.docs.entry(id.clone()).or_default();
        leaves.retain(|l| Some(&l.rev) != parent.as_ref());
        leaves.push(Leaf { rev: rev.clone(), body, deleted: false });
        self.touch(&id);
        rev
    }

    /// Answers one request (`None`: no answer, the network is cut).
    pub fn answer(&mut self, request: &Request) -> Result<Response, String> {
        self.requests += 1;
        self.bytes += request.path.len() + request.body.as_ref().map_or(0, String::len);
        let fault = (!self.faults.is_empty()).then(|| self.faults.remove(0));
        let response = match fault {
            Some(Fault::Offline) => return Err("Failed to fetch".into()),
            Some(Fault::LostAnswer) => {
                let _ = self.serve(request);
                return Err("the connection was cut before the answer arrived".into());
            }
            Some(Fault::Status(status, body)) => Response { status, body },
            Some(Fault::ConflictStorm) if request.path.starts_with("_bulk_docs") => {
                let docs: Value = serde_json::from_str(request.body.as_deref().unwrap_or("{}")).unwrap_or(Value::Null);
                let ids: Vec<Value> = docs["docs"].as_array().cloned().unwrap_or_default().iter().map(|d| json!({ "id": d["_id"], "error": "conflict", "reason": "Document update conflict." })).collect();
                ok(Value::from(ids))
            }
            _ => self.serve(request),
        };
        self.bytes += response.body.len();
        Ok(response)
    }

    fn serve(&mut self, request: &Request) -> Response {
        let (base, params) = query(&request.path);
        let body: Value = request.body.as_deref().and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
        match (request.method, base.as_str()) {
            ("GET", "_changes") => self.changes(&params),
            ("POST", "_all_docs") => self.all_docs(&body, &params),
            ("GET", "_all_docs") => self.all_docs_range(&params),
            ("POST", "_bulk_docs") => self.bulk_docs(&body),
            ("GET", id) if params.contains_key("open_revs") => self.open_revs(id, &params["open_revs"]),
            _ => Response { status: 404, body: json!({"error": "not_found", "reason": "missing"}).to_string() },
        }
    }

    fn changes(&self, params: &BTreeMap<String, String>) -> Response {
        let since: u64 = params.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
        let limit: usize = params.get("limit").and_then(|s| s.parse().ok()).unwrap_or(usize::MAX);
        let mut changed: Vec<(&u64, &String)> = self.seqs.iter().map(|(id, s)| (s, id)).filter(|(s, _)| **s > since).collect();
        changed.sort();
        let total = changed.len();
        let shown: Vec<_> = changed.into_iter().take(limit).collect();
        let last = shown.last().map_or(since, |(s, _)| **s);
        let results: Vec<Value> = shown
            .iter()
            .map(|(seq, id)| {
                let leaves = &self.docs[*id];
                let mut change = json!({ "seq": seq, "id": id, "changes": leaves.iter().map(|l| json!({"rev": l.rev})).collect::<Vec<_>>() });
                if FakeCouch::winner(leaves).is_some_and(|w| w.deleted) {
                    change["deleted"] = Value::Bool(true);
                }
                change
            })
            .collect();
        ok(json!({ "results": results, "last_seq": last, "pending": total - results.len() }))
    }

    fn doc_with_conflicts(&self, id: &str, conflicts: bool) -> Option<Value> {
        let leaves = self.docs.get(id)?;
        let winner = FakeCouch::winner(leaves)?;
        if winner.deleted {
            return None;
        }
        let mut doc = winner.body.clone();
        if conflicts {
            let others: Vec<&String> = leaves.iter().filter(|l| !l.deleted && l.rev != winner.rev).map(|l| &l.rev).collect();
            if !others.is_empty() {
                doc["_conflicts"] = json!(others);
            }
        }
        Some(doc)
    }

    fn all_docs(&self, body: &Value, params: &BTreeMap<String, String>) -> Response {
        let conflicts = params.get("conflicts").map(String::as_str) == Some("true");
        let rows: Vec<Value> = body["keys"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(Value::as_str)
            .map(|id| match (self.docs.get(id), self.doc_with_conflicts(id, conflicts)) {
                (Some(_), Some(doc)) => json!({ "id": id, "key": id, "value": {"rev": doc["_rev"]}, "doc": doc }),
                (Some(leaves), None) => json!({ "id": id, "key": id, "value": {"rev": FakeCouch::winner(leaves).map(|l| l.rev.clone()), "deleted": true}, "doc": null }),
                (None, _) => json!({ "key": id, "error": "not_found" }),
            })
            .collect();
        ok(json!({ "total_rows": self.docs.len(), "rows": rows }))
    }

    /// `_all_docs` between `startkey` and `endkey` (JSON strings), with the docs.
    fn all_docs_range(&self, params: &BTreeMap<String, String>) -> Response {
        let key = |name: &str| params.get(name).and_then(|k| serde_json::from_str::<String>(k).ok());
        let (start, end) = (key("startkey").unwrap_or_default(), key("endkey").unwrap_or_else(|| "\u{fff0}".into()));
        let rows: Vec<Value> = self
            .docs
            .keys()
            .filter(|id| id.as_str() >= start.as_str() && id.as_str() <= end.as_str())
            .filter_map(|id| self.doc_with_conflicts(id, false).map(|doc| json!({ "id": id, "key": id, "value": {"rev": doc["_rev"]}, "doc": doc })))
            .collect();
        ok(json!({ "total_rows": self.docs.len(), "rows": rows }))
    }

    fn open_revs(&self, id: &str, revs: &str) -> Response {
        let wanted: Vec<String> = serde_json::from_str(revs).unwrap_or_default();
        let Some(leaves) = self.docs.get(id) else { return Response { status: 404, body: json!({"error": "not_found"}).to_string() } };
        let found: Vec<Value> = wanted
            .iter()
            .map(|rev| match leaves.iter().find(|l| &l.rev == rev) {
                Some(l) if l.deleted => json!({ "ok": { "_id": id, "_rev": rev, "_deleted": true } }),
                Some(l) => json!({ "ok": l.body }),
                None => json!({ "missing": rev }),
            })
            .collect();
        ok(Value::from(found))
    }

    fn bulk_docs(&mut self, body: &Value) -> Response {
        let mut results = Vec::new();
        for doc in body["docs"].as_array().cloned().unwrap_or_default() {
            let id = doc["_id"].as_str().unwrap_or_default().to_owned();
            if self.forbidden.contains(&id) {
                results.push(json!({ "id": id, "error": "forbidden", "reason": "Only the annotator may write their annotations." }));
                continue;
            }
            let based_on = doc.get("_rev").and_then(Value::as_str).map(str::to_owned);
            let deleted = doc.get("_deleted") == Some(&Value::Bool(true));
            let leaves = self.docs.entry(id.clone()).or_default();
            let parent = match &based_on {
                Some(rev) => leaves.iter().position(|l| &l.rev == rev),
                None => None,
            };
            let accepted = match (&based_on, parent) {
                (Some(_), Some(_)) => true,
                (Some(_), None) => false,
                // A new document, or one whose every leaf is deleted.
                (None, _) => leaves.iter().all(|l| l.deleted),
            };
            if !accepted {
                results.push(json!({ "id": id, "error": "conflict", "reason": "Document update conflict." }));
                continue;
            }
            let gen = parent.map_or_else(|| leaves.iter().map(|l| generation(&l.rev)).max().unwrap_or(0), |p| generation(&leaves[p].rev));
            if let Some(p) = parent {
                leaves.remove(p);
            } else {
                leaves.retain(|l| !l.deleted);
            }
            let rev = self.next_rev(gen + 1);
            let mut stored = doc.clone();
            stored["_rev"] = Value::from(rev.as_str());
            if let Some(map) = stored.as_object_mut() {
                map.remove("_conflicts");
            }
            self.docs.entry(id.clone()).or_default().push(Leaf { rev: rev.clone(), body: stored, deleted });
            self.touch(&id);
            results.push(json!({ "id": id, "rev": rev, "ok": true }));
        }
        ok(Value::from(results))
    }
}
