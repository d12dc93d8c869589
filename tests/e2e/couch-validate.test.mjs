// The team database's write rules (couch/validate_doc_update.js) as a plain
// function, without a server: the JSON Schema's examples (tests/fixtures/sync/)
// pass or fail here as they do there, each refusal says what to fix, and the
// source is ES5, which is all CouchDB's JavaScript promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(path.join(root, 'couch', 'validate_doc_update.js'), 'utf8');
// eslint-disable-next-line no-eval -- the design document's source is a bare function expression
const validate = (0, eval)(`(${source})`);
const fixtures = path.join(root, 'tests', 'fixtures', 'sync');
const load = (kind, name) => JSON.parse(readFileSync(path.join(fixtures, kind, name), 'utf8'));

const security = { admins: { names: [], roles: [] }, members: { names: [], roles: ['article-annotator'] } };
const member = (name, ...roles) => ({ db: 'newsroom', name, roles: ['article-annotator', ...roles] });

/** The refusal's message, or null when the write is allowed. */
function refusal(doc, user, oldDoc = null, sec = security) {
  try {
    validate(doc, oldDoc, user, sec);
    return null;
  } catch (e) {
    assert.ok(e && typeof e.forbidden === 'string', `throws {forbidden: "..."}, not ${JSON.stringify(e)}`);
    return e.forbidden;
  }
}

/** The user a good example's creator needs. */
const writerOf = (doc) => (doc.creator === 'gold' ? member('dana', 'adjudicator') : member(doc.creator || 'bob'));

test('the source is ES5', (t) => {
  const acornPath = path.join(root, 'target', 'tools', 'pouchdb-server', 'node_modules', 'acorn');
  if (!existsSync(acornPath)) {
    t.skip('acorn not found in target/tools/pouchdb-server (cargo xtask setup installs it with pouchdb-server)');
    return;
  }
  const acorn = createRequire(import.meta.url)(acornPath);
  assert.doesNotThrow(() => acorn.parse(`(${source})`, { ecmaVersion: 5 }), 'couch/validate_doc_update.js must parse as ES5');
});

test('every good example is accepted from its creator', () => {
  const files = readdirSync(path.join(fixtures, 'good'));
  assert.ok(files.length >= 4);
  for (const file of files) {
    const doc = load('good', file);
    assert.equal(refusal(doc, writerOf(doc)), null, file);
  }
});

test('every bad example is refused, with a message naming the field', () => {
  const expected = {
    'deleted-with-labels.json': /deletion marker .* empty "labels"/,
    'labels-missing.json': /"labels" must be an array .* but it is missing/,
    'labels-not-array.json': /"labels" must be an array .* but it is a string/,
    'modified-not-rfc3339.json': /"modified" must be an RFC 3339 date-time/,
    'negative-offset.json': /"target.position.start" must be a whole number >= 0/,
    'quote-without-prefix.json': /"target.quote.prefix" is missing: it must be a string/,
    'text-without-fingerprint.json': /"fingerprint" is missing: it must be a string/,
    'unknown-type.json': /"type" must be "annotation" or "text" \(found "comment"\)/,
    'versions-not-object.json': /"versions" must be an object .* but it is an array/,
    'wrong-format.json': /"format" must be "article-annotator-sync" \(found "article-annotator"\)/,
    'wrong-version.json': /"version" must be 1 \(found 2\)/,
  };
  const files = readdirSync(path.join(fixtures, 'bad')).sort();
  assert.deepEqual(files, Object.keys(expected).sort(), 'each bad example has its expected message here');
  for (const file of files) {
    const doc = load('bad', file);
    const message = refusal(doc, writerOf(doc));
    assert.match(message ?? 'accepted', expected[file], file);
    assert.ok(message.startsWith(`${doc._id}: `), `${file}: the message names the document`);
  }
});

test('who may write what', () => {
  const mine = load('good', 'annotation.json'); // creator alice
  const gold = load('good', 'gold.json');
  const text = load('good', 'text.json');
  assert.equal(refusal({ hello: 'world' }, { name: 'root', roles: ['_admin'] }), null, 'admins write anything');
  assert.match(refusal(mine, member('bob')), /each annotator writes only their own annotations: "creator" is "alice" but you are logged in as "bob"/);
  assert.match(refusal(gold, member('alice')), /only adjudicators \(role "adjudicator"\) may write the gold set/);
  assert.match(refusal(gold, { name: 'gold', roles: ['article-annotator'] }), /only adjudicators/, 'a user named gold is no adjudicator');
  assert.equal(refusal(text, member('carol')), null, 'any member writes texts');
  assert.match(refusal(mine, { name: null, roles: [] }), /log in first/);
  assert.match(refusal(mine, { name: 'alice', roles: [] }), /not a member of this database/);
  assert.equal(refusal(mine, { name: 'alice', roles: [] }, null, { members: { names: ['alice'], roles: [] } }), null, 'members by name');
  assert.equal(refusal(mine, { name: 'alice', roles: [] }, null, {}), null, 'a database without members is open to logged-in users');
  assert.match(refusal({ _id: '_design/x', views: {} }, member('alice')), /design documents are the database admin's/);
});

test('deletions, ids and changes of an existing document are refused', () => {
  const mine = load('good', 'annotation.json');
  const alice = member('alice');
  assert.equal(refusal({ _id: mine._id, _rev: '1-a', _deleted: true }, alice, mine), null, 'the annotator deletes a losing revision of their own (a conflict resolved)');
  assert.match(refusal({ _id: mine._id, _rev: '1-a', _deleted: true }, member('bob'), mine), /never deleted but by their annotator resolving a conflict; .* "deleted": true and empty "labels" \(a marker document\)/);
  assert.match(refusal({ _id: 'text:x', _rev: '1-a', _deleted: true }, alice, { _id: 'text:x', type: 'text' }), /never deleted/);
  assert.match(refusal({ _id: mine._id, _deleted: true }, { name: null, roles: [] }, mine), /log in first/);
  assert.match(refusal({ ...mine, _id: 'ann:x:alice:a-17' }, alice), /_id of this annotation must be "ann:geneva-peace-plan:alice:a-17"/);
  const encoded = load('good', 'annotation-encoded.json');
  assert.match(refusal({ ...encoded, _id: 'ann:Geneva plan/2026 é:Zoë Brandt:a:1' }, member('Zoë Brandt')), /must be "ann:Geneva%20plan%2F2026%20%C3%A9:Zo%C3%AB%20Brandt:a%3A1"/);
  const text = load('good', 'text.json');
  assert.match(refusal({ ...text, _id: 'text:other' }, alice), /_id of this article text must be "text:geneva-peace-plan"/);
  assert.match(refusal({ ...mine, document: 'other' }, alice, mine), /the document of an existing document cannot change \(it was "geneva-peace-plan"\)/);
  const gold = load('good', 'gold.json');
  assert.match(refusal({ ...gold, creator: 'dana' }, member('dana', 'adjudicator'), gold), /the creator of an existing document cannot change \(it was "gold"\)/);
  assert.equal(refusal({ ...mine, labels: ['quote'], _rev: '1-a' }, alice, mine), null, 'an update by its creator');
  assert.equal(refusal({ ...mine, _rev: '2-b' }, alice, { _id: mine._id, _deleted: true }), null, 'writing over a deleted revision');
  assert.match(refusal({ ...mine, target: { ...mine.target, position: { start: 9, end: 3 } } }, alice), /"target.position.end" \(3\) must not be before "start" \(9\)/);
  assert.match(refusal({ ...mine, labels: ['claim', ''] }, alice), /"labels" must hold only non-empty strings; item 1 is empty/);
  assert.match(refusal({ ...mine, note: 5 }, alice), /"note" is optional; when present it must be a string, but it is a number/);
});

test('the adjudicator role can be renamed by cargo xtask couch (one line to replace)', () => {
  const lines = source.split('\n').filter((l) => l === '  var ADJUDICATOR_ROLE = "adjudicator";');
  assert.equal(lines.length, 1, 'xtask/src/couch.rs replaces exactly this line');
});
