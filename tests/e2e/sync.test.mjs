// End-to-end test of team sync: widgets in separate browser contexts (devices) talk
// HTTP to a real CouchDB-compatible server (pouchdb-server, started by cargo xtask
// test) through a TCP proxy of ours that can cut the network. Devices of one
// annotator converge, live and after offline edits, with no conflicts left on the
// server; deletions travel; a fresh device gets everything; teammates' tags stay
// theirs and show in the compare view; wrong credentials say so; nothing is lost.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { couchRequest, couchServer, USERS } from './couch.mjs';
import { startProxy } from './proxy.mjs';
import { harness, waitUntil } from './helpers.mjs';

const server = couchServer();
const skip = server.skip;
const run = Date.now().toString(36);
const TEXT = 'The talks resume in Geneva. Both sides agree on a ceasefire.\n\nA deal is near, officials said. Nobody confirmed it.';

describe('team sync through CouchDB', { timeout: 240_000, skip }, () => {
  const h = harness();
  let proxy;
  let dbUrl;
  before(async () => {
    const port = Number(new URL(server.url).port);
    proxy = await startProxy(port);
    dbUrl = `${proxy.url.replace(/\/$/, '')}/${server.db}`;
  });
  after(async () => proxy?.close());

  /** A device: a fresh browser context with one widget on document `docId`. */
  async function device(docId, user, { password = USERS[user], annotator = user } = {}) {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const mount = async () => {
      await page.goto('/host/');
      await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
      await page.evaluate(({ text, docId, user, password, annotator, url }) => {
        document.querySelectorAll('[data-article-annotator]').forEach((el) => el.remove());
        const el = document.createElement('div');
        el.id = 'w';
        document.body.prepend(el);
        window.w = window.articleAnnotator.mount(el, { text, docId, annotator, sync: { url, user, password } });
      }, { text: TEXT, docId, user, password, annotator, url: dbUrl });
      await page.waitForSelector('#w [data-sentence="3"]');
    };
    await mount();
    const d = {
      page,
      errors,
      reload: async () => {
        await page.reload();
        await mount();
      },
      tag: async (sentence, key) => {
        await page.locator(`#w [data-sentence="${sentence}"]`).focus();
        await page.keyboard.press(key);
      },
      labels: () => page.$$eval('#w [data-sentence]', (els) => els.map((e) => e.getAttribute('data-labels') || '')),
      status: () => page.evaluate(() => window.w.syncStatus()),
      syncNow: () => page.evaluate(() => window.w.syncNow().then(() => 'ok', (e) => `rejected: ${e.message}`)),
      settle: async () => {
        // Until a round has pushed everything (the state is "synced" with nothing waiting).
        await waitUntil(page, () => { const s = window.w.syncStatus(); return s.state === 'synced' && s.pending === 0; }, null, 'synced with nothing waiting', { timeout: 15_000 });
      },
    };
    return d;
  }

  async function conflictsLeft(docId) {
    const all = await couchRequest(server, 'GET', `${server.db}/_all_docs?include_docs=true&conflicts=true`, { as: server.admin });
    return all.body.rows.filter((r) => r.doc?.document === docId && r.doc._conflicts?.length).map((r) => r.id);
  }

  it('two devices converge, live; a tag appears on the other device without a reload', async () => {
    const doc = `live-${run}`;
    const laptop = await device(doc, 'alice');
    await laptop.tag(0, '1');
    await laptop.settle();
    const phone = await device(doc, 'alice');
    await waitUntil(phone.page, () => document.querySelector('#w [data-sentence="0"]')?.getAttribute('data-labels') === 'claim', null, 'the laptop tag on the phone', { timeout: 15_000 });
    // Live: the phone tags, the laptop (long-polling) shows it.
    await phone.tag(2, '2');
    await waitUntil(laptop.page, () => document.querySelector('#w [data-sentence="2"]')?.getAttribute('data-labels') === 'quote', null, 'the phone tag on the laptop', { timeout: 15_000 });
    await waitUntil(laptop.page, () => document.querySelector('#w .aa-sync-status')?.textContent === 'Synced', null, 'the laptop says Synced', { timeout: 10_000 });
    assert.deepEqual(await laptop.labels(), await phone.labels());
    assert.deepEqual([...laptop.errors, ...phone.errors], []);
  });

  it('offline edits on both sides, one sentence on both, converge with no conflict left; a reload offline keeps everything', async () => {
    const doc = `offline-${run}`;
    const a = await device(doc, 'alice');
    const b = await device(doc, 'alice');
    await a.tag(1, '1');
    await a.settle();
    await b.syncNow();
    await proxy.cut();
    await a.tag(1, '2');
    await a.tag(3, '3');
    await b.tag(1, '3');
    await b.tag(0, '1');
    assert.match(await a.syncNow(), /^rejected: .*cannot be reached/);
    const offline = await a.status();
    assert.equal(offline.state, 'offline');
    assert.equal(offline.pending, 2);
    assert.match(await a.page.locator('.aa-sync-status').textContent(), /^Offline: 2 changes waiting$/);
    await b.reload();
    assert.equal((await b.labels())[0], 'claim', 'a reload while offline keeps the tags (localStorage is the first copy)');
    await proxy.restore();
    assert.equal(await a.syncNow(), 'ok');
    assert.equal(await b.syncNow(), 'ok');
    assert.equal(await a.syncNow(), 'ok');
    // Both devices end with every tag either made, the sentence both tagged with all three labels.
    const want = ['claim', 'claim quote position', '', 'position'];
    for (const d of [a, b]) {
      await waitUntil(d.page, (w) => [...document.querySelectorAll('#w [data-sentence]')].map((e) => e.getAttribute('data-labels') || '').join('|') === w, want.join('|'), `converged on ${want}`, { timeout: 15_000 });
    }
    await a.settle();
    await b.settle();
    assert.deepEqual(await conflictsLeft(doc), []);
  });

  it("the browser going offline and online again: changes wait, then go out at once without syncNow", async () => {
    const doc = `online-${run}`;
    const a = await device(doc, 'alice');
    await a.tag(0, '1');
    await a.settle();
    await a.page.context().setOffline(true);
    await a.tag(2, '3');
    await waitUntil(a.page, () => window.w.syncStatus().state === 'offline', null, 'offline', { timeout: 10_000 });
    assert.match(await a.page.locator('#w .aa-sync-status').textContent(), /^Offline: 1 change waiting$/);
    // Offline long enough for the back-off to grow to 8-16 s, then 16-32 s...
    await a.page.waitForTimeout(25_000);
    // ...then back online: the 'online' event starts a round at once (no back-off wait, no syncNow).
    await a.page.context().setOffline(false);
    await waitUntil(a.page, () => window.w.syncStatus().state !== 'offline', null, 'a round within a second of coming online', { timeout: 1_000 });
    await a.settle();
    const b = await device(doc, 'alice');
    assert.equal(await b.syncNow(), 'ok');
    assert.deepEqual(await b.labels(), ['claim', '', 'position', '']);
  });

  it('a deletion travels, and a third, empty device gets everything', async () => {
    const doc = `delete-${run}`;
    const a = await device(doc, 'alice');
    await a.tag(0, '1');
    await a.tag(2, '2');
    await a.settle();
    const b = await device(doc, 'alice');
    await waitUntil(b.page, () => document.querySelector('#w [data-sentence="2"]')?.getAttribute('data-labels') === 'quote', null, 'the tags on b', { timeout: 15_000 });
    await a.tag(2, '0');
    await waitUntil(b.page, () => !document.querySelector('#w [data-sentence="2"]')?.getAttribute('data-labels'), null, 'the deletion on b', { timeout: 15_000 });
    const c = await device(doc, 'alice');
    assert.equal(await c.syncNow(), 'ok');
    assert.deepEqual(await c.labels(), ['claim', '', '', '']);
  });

  it("a teammate's tags stay theirs and show in the compare view", async () => {
    const doc = `team-${run}`;
    const alice = await device(doc, 'alice');
    const bob = await device(doc, 'bob');
    await alice.tag(0, '1');
    await bob.tag(0, '2');
    await bob.tag(1, '3');
    await alice.settle();
    await bob.settle();
    assert.equal(await alice.syncNow(), 'ok');
    assert.deepEqual(await alice.labels(), ['claim', '', '', ''], "bob's tags are not merged into alice's");
    // Whose tag is whose: the name on hover (and for screen readers), and "everyone's" in the summary.
    await waitUntil(alice.page, () => document.querySelector('#w [data-sentence="1"]')?.getAttribute('title') === 'bob: position', null, "bob's tag on hover", { timeout: 15_000 });
    await waitUntil(alice.page, () => document.querySelector('#w [data-sentence="0"]')?.getAttribute('title') === 'bob: quote', null, "bob's other tag on hover", { timeout: 15_000 });
    assert.match(await alice.page.getAttribute('#w [data-sentence="0"]', 'aria-description'), /also tagged by bob: quote/);
    await alice.page.locator('#w .aa-summary > summary').click();
    await alice.page.selectOption('#w [data-action="whose"]', 'everyone');
    await waitUntil(alice.page, () => document.querySelector('#w .aa-root')?.dataset.aaShow === 'everyone', null, "everyone's tags shown");
    assert.deepEqual(await alice.page.$$eval('#w .aa-jump-team', (e) => e.map((x) => x.textContent)), ['bob: quote']);
    await alice.page.locator('#w [data-action="compare"]').click();
    await alice.page.waitForSelector('#w .aa-compare');
    assert.deepEqual(await alice.page.$$eval('#w .aa-who', (w) => w.map((e) => e.firstChild.textContent)), ['alice', 'bob']);
    const row = alice.page.locator('#w .aa-compare-list > [data-sentence="0"]');
    assert.deepEqual(await row.locator('.aa-cmp-given tr:not(.aa-cmp-gold) td:nth-child(2)').allTextContents(), ['claim', 'quote']);
  });

  it("the library lists the team database's articles, and one opens with the team's tags", async () => {
    const doc = `library-${run}`;
    const alice = await device(doc, 'alice');
    await alice.tag(1, '1');
    await alice.settle();
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    await page.evaluate(({ url, password }) => {
      document.querySelectorAll('[data-article-annotator]').forEach((el) => el.remove());
      const el = document.createElement('div');
      el.id = 'w';
      document.body.prepend(el);
      window.w = window.articleAnnotator.mount(el, { text: 'A library of its own.', library: true, annotator: 'bob', sync: { url, user: 'bob', password } });
    }, { url: dbUrl, password: USERS.bob });
    await page.locator('#w [data-action="library"]').first().click();
    await page.locator('#w [data-action="team-list"]').click();
    const item = page.locator(`#w .aa-team-articles li[data-doc-id="${doc}"]`);
    await item.waitFor({ timeout: 15_000 });
    await item.locator('[data-action="team-open"]').click();
    await page.waitForSelector('#w [data-sentence="3"]');
    assert.equal(await page.locator('#w [data-sentence="0"]').textContent(), 'The talks resume in Geneva.');
    await waitUntil(page, () => document.querySelector('#w [data-sentence="1"]')?.getAttribute('title') === 'alice: claim', null, "alice's tag on bob's copy", { timeout: 15_000 });
  });

  it('a hostile or malformed document on the server is left alone, reported, and shown as text', async () => {
    const doc = `hostile-${run}`;
    const alice = await device(doc, 'alice');
    await alice.tag(0, '1');
    await alice.settle();
    const enc = encodeURIComponent;
    // Written by the admin (the rules would refuse them from a member): a teammate's tag
    // with markup in its note and an unknown label, and a document of this article that is not ours.
    const target = { quote: { exact: 'Nobody confirmed it.', prefix: '', suffix: '' }, position: { start: 93, end: 113 } };
    const hostile = { _id: `ann:${enc(doc)}:bob:x1`, format: 'article-annotator-sync', version: 1, type: 'annotation', document: doc, annotation: 'x1', creator: 'bob',
      labels: ['<img src=x onerror=alert(1)>'], note: '<script>alert(2)</script>', target, created: '2026-12-01T00:00:00Z', modified: '2026-12-01T00:00:00Z', versions: {} };
    const broken = { _id: `ann:${enc(doc)}:bob:x2`, format: 'article-annotator-sync', version: 1, type: 'annotation', document: doc, annotation: 'x2', creator: 'bob', labels: 'claim' };
    for (const body of [hostile, broken]) {
      const put = await couchRequest(server, 'PUT', `${server.db}/${enc(body._id)}`, { as: server.admin, body });
      assert.equal(put.status, 201, JSON.stringify(put.body));
    }
    await waitUntil(alice.page, () => document.querySelector('#w [data-sentence="3"]')?.getAttribute('title')?.startsWith('bob: '), null, "bob's hostile tag", { timeout: 15_000 });
    assert.equal(await alice.page.getAttribute('#w [data-sentence="3"]', 'title'), 'bob: <img src=x onerror=alert(1)>', 'shown as text');
    assert.equal(await alice.page.locator('#w img').count(), 0, 'no markup made it into the page');
    await waitUntil(alice.page, () => [...document.querySelectorAll('#w .aa-notice')].some((n) => n.textContent.includes('was left alone')), null, 'the malformed one reported', { timeout: 15_000 });
    assert.match(await alice.page.locator('#w .aa-notice').first().textContent(), /left alone \(ann:.*:bob:x2: its "modified" is not a string\)/);
    assert.equal((await alice.labels())[0], 'claim');
    assert.deepEqual(alice.errors, []);
  });

  it('a server that answers 500 with HTML, and a network cut in the middle of a push, lose nothing', async () => {
    const doc = `faults-${run}`;
    const a = await device(doc, 'alice');
    await a.tag(0, '1');
    await a.settle();
    // The network hangs (connections accepted, never answered) while a push is under way.
    await proxy.cut({ mode: 'hang' });
    await a.tag(1, '2');
    await a.page.waitForTimeout(800);
    await proxy.cut();
    await proxy.restore();
    assert.equal(await a.syncNow(), 'ok');
    const b = await device(doc, 'alice');
    assert.equal(await b.syncNow(), 'ok');
    assert.deepEqual(await b.labels(), ['claim', 'quote', '', '']);
    // A broken server: 500 with an HTML page.
    const html = http.createServer((req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/html', 'Access-Control-Allow-Origin': req.headers.origin || '*', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': 'authorization, content-type, accept' });
      res.end('<html><body><h1>Internal Server Error</h1></body></html>');
    });
    await new Promise((r) => html.listen(0, '127.0.0.1', r));
    try {
      const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
      const page = await c.newPage();
      await page.goto('/host/');
      await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
      await page.evaluate(async ({ text, url }) => {
        document.querySelectorAll('[data-article-annotator]').forEach((el) => el.remove());
        const el = document.createElement('div');
        el.id = 'w';
        document.body.prepend(el);
        window.w = window.articleAnnotator.mount(el, { text, docId: 'broken-server', annotator: 'alice', sync: { url } });
      }, { text: TEXT, url: `http://127.0.0.1:${html.address().port}/newsroom` });
      await page.waitForSelector('#w [data-sentence="3"]');
      const message = await page.evaluate(() => window.w.syncNow().then(() => 'ok', (e) => e.message));
      assert.match(message, /answered with an error \(HTTP 500: Internal Server Error\)$/);
      assert.equal((await page.evaluate(() => window.w.syncStatus())).state, 'error');
    } finally {
      html.close();
    }
  });

  it('wrong credentials stop with a message that says what to fix, and nothing is lost', async () => {
    const doc = `auth-${run}`;
    const d = await device(doc, 'alice', { password: 'not-the-password' });
    await d.tag(0, '1');
    assert.match(await d.syncNow(), /rejected: .*name or password/);
    const status = await d.status();
    assert.equal(status.state, 'error');
    assert.match(await d.page.locator('.aa-sync-status').textContent(), /^Sync error: the team database refused the name or password/);
    assert.equal((await d.labels())[0], 'claim');
  });
});
