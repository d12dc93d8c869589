// The team database's rules against the real test server (pouchdb-server, as
// `cargo xtask test` starts it; or any CouchDB 3 named by AA_COUCH_URL and
// prepared by `cargo xtask couch`): who may write what, and how refusals read.
//
// What pouchdb-server enforces: TOOLCHAIN.md says it does not enforce a
// database's _security members against anonymous requests. Seen here, that
// holds only when _security was PUT without `Content-Type: application/json`
// (its body is then not read, and the database stays open to everyone);
// `cargo xtask couch` sends the header, and then pouchdb-server refuses
// anonymous clients and non-members with 401 (CouchDB 3: 401 and 403), as the
// last tests check. Our validate_doc_update checks login and membership for
// writes anyway, so a database with a wrong _security still refuses them
// (tests/e2e/couch-validate.test.mjs). Reads depend on _security alone.
// What the test double still does not do: it is 4.2.0 from 2019, not CouchDB 3
// (no JWT, `filter=_selector` crashes it, a PUT /db by a non-admin can crash it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { couchServer, couchRequest } from './couch.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sync', 'good');
const example = (name) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));
const server = couchServer();
if (server.skip) console.log(server.skip);
const skip = server.skip || false;

/** A fresh document id per run, so that the test may run twice against one server. */
const run = `r${Date.now().toString(36)}`;
const annotation = (creator, id, fields = {}) => {
  const doc = { ...example('annotation.json'), creator, annotation: id, document: `doc-${run}`, ...fields };
  doc._id = `ann:${encodeURIComponent(doc.document)}:${encodeURIComponent(doc.creator)}:${encodeURIComponent(doc.annotation)}`;
  return doc;
};
const put = (doc, as) => couchRequest(server, 'PUT', `${server.db}/${encodeURIComponent(doc._id)}`, { as, body: doc });
const refused = (answer, pattern) => {
  assert.equal(answer.status, 403, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'forbidden');
  assert.match(answer.body.reason, pattern);
};

before(async () => {
  if (skip) return;
  const ddoc = await couchRequest(server, 'GET', `${server.db}/_design/article-annotator`, { as: server.admin });
  assert.equal(ddoc.status, 200, `the database ${server.db} was prepared by cargo xtask couch: ${JSON.stringify(ddoc.body)}`);
});

test('alice writes and updates her own annotation', { skip }, async () => {
  const doc = annotation('alice', 'a-1');
  const first = await put(doc, 'alice');
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const second = await put({ ...doc, _rev: first.body.rev, labels: ['quote'] }, 'alice');
  assert.equal(second.status, 201, JSON.stringify(second.body));
});

test("alice cannot write bob's annotation", { skip }, async () => {
  refused(await put(annotation('bob', 'a-2'), 'alice'), /each annotator writes only their own annotations: "creator" is "bob" but you are logged in as "alice"/);
});

test('a document that is not ours is refused', { skip }, async () => {
  refused(await put({ _id: `note-${run}`, hello: 'world' }, 'alice'), /not an article-annotator document: "format" must be "article-annotator-sync"/);
  const malformed = annotation('alice', 'a-3', { labels: 'claim' });
  refused(await put(malformed, 'alice'), /"labels" must be an array/);
});

test('deletions are marker documents; only the annotator deletes a revision (resolving a conflict)', { skip }, async () => {
  const doc = annotation('alice', 'a-4');
  const created = await put(doc, 'alice');
  assert.equal(created.status, 201);
  const path = `${server.db}/${encodeURIComponent(doc._id)}`;
  refused(await couchRequest(server, 'DELETE', `${path}?rev=${created.body.rev}`, { as: 'bob' }), /never deleted but by their annotator/);
  refused(await put({ _id: doc._id, _rev: created.body.rev, _deleted: true }, 'bob'), /never deleted/);
  const marker = await put({ ...doc, _rev: created.body.rev, labels: [], deleted: true }, 'alice');
  assert.equal(marker.status, 201, `the marker document is the way: ${JSON.stringify(marker.body)}`);
});

test('dana (adjudicator) writes the gold set, alice cannot', { skip }, async () => {
  const gold = annotation('gold', 'a-5');
  assert.equal((await put(gold, 'dana')).status, 201);
  refused(await put(annotation('gold', 'a-6'), 'alice'), /only adjudicators \(role "adjudicator"\) may write the gold set/);
});

test('any member writes an article text', { skip }, async () => {
  const text = { ...example('text.json'), document: `doc-${run}`, _id: `text:doc-${run}` };
  assert.equal((await put(text, 'carol')).status, 201);
});

test('the admin writes anything, and may delete', { skip }, async () => {
  const doc = { _id: `admin-${run}`, anything: true };
  const created = await put(doc, server.admin);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const gone = await couchRequest(server, 'DELETE', `${server.db}/${doc._id}?rev=${created.body.rev}`, { as: server.admin });
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
});

test('a wrong password gets 401', { skip }, async () => {
  const answer = await put(annotation('alice', 'a-7'), { name: 'alice', password: 'not-her-password' });
  assert.equal(answer.status, 401, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'unauthorized');
});

test('anonymous clients and non-members can neither read nor write', { skip }, async () => {
  const doc = annotation('eve', 'a-8');
  const anonymous = await put(doc, null);
  assert.equal(anonymous.status, 401, JSON.stringify(anonymous.body));
  assert.equal((await couchRequest(server, 'GET', `${server.db}/_all_docs`)).status, 401, 'anonymous read');
  // eve is logged in but no member: CouchDB 3 answers 403, pouchdb-server 401.
  const eve = await put(doc, 'eve');
  assert.ok(eve.status === 401 || eve.status === 403, `${eve.status} ${JSON.stringify(eve.body)}`);
  const read = await couchRequest(server, 'GET', `${server.db}/_all_docs`, { as: 'eve' });
  assert.ok(read.status === 401 || read.status === 403, `${read.status} ${JSON.stringify(read.body)}`);
});

test('members cannot write design documents', { skip }, async () => {
  const answer = await put({ _id: '_design/evil', validate_doc_update: 'function () {}' }, 'alice');
  assert.ok(answer.status === 401 || answer.status === 403, `${answer.status} ${JSON.stringify(answer.body)}`);
});
