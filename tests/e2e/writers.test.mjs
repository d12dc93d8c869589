// End-to-end tests of "many writers, nothing lost": two tabs (two pages of one browser
// context), a tab whose clock is hours slow, a stale tab that never heard the other's
// saves, a frozen tab, a widget mounted again, two widgets on one document, a full quota
// when a backup is due, exportJson() with items this version cannot read, a newer
// version arriving later, a corrupt value found on every load, localStorage.clear()
// elsewhere, and W3C items without ids imported twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const KEY = 'article-annotator/v1/geneva-peace-plan';
const sel = (i) => `[data-sentence="${i}"]`;
const HOURS = 3_600_000;

/** An init script that moves this page's clock by `shift` milliseconds. */
function shiftClock(shift) {
  const Real = Date;
  class Shifted extends Real {
    constructor(...args) {
      super(...(args.length ? args : [Real.now() + shift]));
    }
    static now() {
      return Real.now() + shift;
    }
  }
  globalThis.Date = Shifted;
}

/** An init script for a stale page: it never hears another tab's saves. */
function deaf() {
  window.addEventListener('storage', (event) => event.stopImmediatePropagation(), true);
}

describe('many writers, nothing lost', { timeout: 240_000 }, () => {
  const h = harness();

  async function context() {
    return h.keep(await h.browser.newContext({ baseURL: h.server.url }));
  }
  async function demo(c, initScript, arg) {
    const page = await c.newPage();
    if (initScript) await page.addInitScript(initScript, arg);
    await page.goto('/');
    await waitForWidget(page);
    return page;
  }
  const saved = (page) => waitUntil(page, () => document.querySelector('.aa-save-status')?.textContent === 'Saved', null, 'saved', { timeout: 10_000 });
  async function press(page, sentence, key) {
    await page.locator(sel(sentence)).focus();
    await page.keyboard.press(key);
  }

  it('an undone deletion comes back in the other tab, and after a reload', async () => {
    const c = await context();
    const a = await demo(c);
    const b = await demo(c);
    await press(a, 0, '1');
    await waitForAttribute(b, sel(0), 'data-labels', 'claim');
    await press(a, 0, '0');
    await waitForAttribute(b, sel(0), 'data-labels', '');
    await a.keyboard.press('Control+z');
    await waitForAttribute(a, sel(0), 'data-labels', 'claim');
    // Before, the restored tag kept its tombstone: b dropped it again, and it was gone after a reload.
    await waitForAttribute(b, sel(0), 'data-labels', 'claim');
    await saved(a);
    await saved(b);
    const fresh = await demo(c);
    await waitForAttribute(fresh, sel(0), 'data-labels', 'claim');
  });

  it('tabs whose clocks are hours off still order edits by what they have seen', async () => {
    const c = await context();
    const a = await demo(c);
    const slow = await demo(c, shiftClock, -3 * HOURS);
    const fast = await demo(c, shiftClock, 3 * HOURS);
    assert.ok(await slow.evaluate(() => Date.now()) < Date.now() - 2 * HOURS, 'the init script moved the clock');
    // The slow tab adds a label to a tag it has seen: by its wall clock, three hours before the tag.
    await press(a, 3, '1');
    await waitForAttribute(slow, sel(3), 'data-labels', 'claim');
    await press(slow, 3, '2');
    for (const p of [a, slow, fast]) await waitForAttribute(p, sel(3), 'data-labels', 'claim quote');
    // A fast tab's tag does not win every merge forever: a later edit by a normal clock stands.
    await press(fast, 5, '2');
    await waitForAttribute(a, sel(5), 'data-labels', 'quote');
    await press(a, 5, '1');
    for (const p of [a, slow, fast]) await waitForAttribute(p, sel(5), 'data-labels', 'claim quote');
    // And the slow tab removes a tag it has seen.
    await press(slow, 3, '1');
    for (const p of [a, slow, fast]) await waitForAttribute(p, sel(3), 'data-labels', 'quote');
    for (const p of [a, slow, fast]) await saved(p);
    const fresh = await demo(c);
    await waitForAttribute(fresh, sel(3), 'data-labels', 'quote');
    await waitForAttribute(fresh, sel(5), 'data-labels', 'claim quote');
  });

  it('a stale tab that never heard the other tab reads storage before it writes', async () => {
    const c = await context();
    const stale = await demo(c, deaf);
    const other = await demo(c);
    await press(other, 1, '1');
    await saved(other);
    // The stale tab knows nothing of that tag...
    assert.equal(await stale.locator(sel(1)).getAttribute('data-labels'), '');
    await press(stale, 2, '2');
    await saved(stale);
    // ...but its save read storage first: the other tab's tag is merged in, not overwritten.
    await waitForAttribute(stale, sel(1), 'data-labels', 'claim');
    const fresh = await demo(c);
    await waitForAttribute(fresh, sel(1), 'data-labels', 'claim');
    await waitForAttribute(fresh, sel(2), 'data-labels', 'quote');
  });

  it('a frozen tab, thawed, keeps the work done meanwhile elsewhere', async () => {
    const c = await context();
    const frozen = await demo(c);
    const cdp = await c.newCDPSession(frozen);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    const other = await demo(c);
    await press(other, 4, '3');
    await saved(other);
    await other.close();
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await press(frozen, 6, '1');
    await saved(frozen);
    await waitForAttribute(frozen, sel(4), 'data-labels', 'position');
    const fresh = await demo(c);
    await waitForAttribute(fresh, sel(4), 'data-labels', 'position');
    await waitForAttribute(fresh, sel(6), 'data-labels', 'claim');
  });

  async function host(c) {
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    return page;
  }

  it('a widget mounted again on the same element finds its tags (no docId given)', async () => {
    const c = await context();
    const page = await host(c);
    const labels = await page.evaluate(async () => {
      const el = document.createElement('div');
      document.body.append(el);
      const text = 'First sentence here. Second sentence here.';
      let handle = window.articleAnnotator.mount(el, { text });
      const ready = () => new Promise((resolve) => { const t = setInterval(() => { if (el.querySelector('[data-sentence="1"]')) { clearInterval(t); resolve(); } }, 20); });
      await ready();
      el.querySelector('[data-sentence="1"]').focus();
      el.querySelector('[data-sentence="1"]').dispatchEvent(new KeyboardEvent('keydown', { key: '2', bubbles: true }));
      await new Promise((r) => setTimeout(r, 50));
      handle.destroy();
      handle = window.articleAnnotator.mount(el, { text });
      await ready();
      return el.querySelector('[data-sentence="1"]').dataset.labels;
    });
    assert.equal(labels, 'quote');
  });

  it('a second live widget on one document is refused with an Error that says why', async () => {
    const c = await context();
    const page = await host(c);
    const message = await page.evaluate(() => {
      const make = () => { const el = document.createElement('div'); document.body.append(el); return el; };
      window.articleAnnotator.mount(make(), { text: 'One. Two.', docId: 'twice' });
      try {
        window.articleAnnotator.mount(make(), { text: 'One. Two.', docId: 'twice' });
        return null;
      } catch (e) {
        return `${e instanceof Error} ${e.message}`;
      }
    });
    assert.match(message ?? '', /^true .*already shows document "twice"/);
  });

  it('a corrupt value that cannot be backed up (quota full) is never written over', async () => {
    const c = await context();
    const page = await demo(c);
    await page.evaluate((key) => {
      localStorage.clear();
      localStorage.setItem(key, '{"format": "article-annotator", corrupt');
      const chunk = 'x'.repeat(512 * 1024);
      let n = 0;
      try { for (;;) { localStorage.setItem(`filler-${n}`, chunk); n += 1; } } catch { /* full */ }
      for (let size = 64 * 1024; size >= 1; size = Math.floor(size / 2)) {
        try { for (;;) { localStorage.setItem(`filler-${n}`, 'y'.repeat(size)); n += 1; } } catch { /* full at this size */ }
      }
    }, KEY);
    await page.reload();
    await waitForWidget(page);
    await waitUntil(page, () => document.body.textContent.includes('could not be backed up'), null, 'the reader is told', { timeout: 10_000 });
    await press(page, 0, '1');
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), '{"format": "article-annotator", corrupt');
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('/backup/')).length), 0);
  });

  it('exportJson() keeps the stored items this version cannot read, as Export JSON does', async () => {
    const c = await context();
    const page = await host(c);
    const exported = await page.evaluate(async () => {
      const text = 'Alpha sentence. Beta sentence.';
      localStorage.setItem('article-annotator/v1/unread', JSON.stringify({
        format: 'article-annotator', version: 1,
        document: { id: 'unread', fingerprint: 'x', length: 30 },
        annotations: [{ id: 'from-the-future', shape: 'unknown' }],
      }));
      const el = document.createElement('div');
      document.body.append(el);
      const handle = window.articleAnnotator.mount(el, { text, docId: 'unread' });
      await new Promise((resolve) => { const t = setInterval(() => { if (el.querySelector('[data-sentence]')) { clearInterval(t); resolve(); } }, 20); });
      return JSON.parse(handle.exportJson()).annotations;
    });
    assert.deepEqual(exported, [{ id: 'from-the-future', shape: 'unknown' }]);
  });

  it('a newer version written by another page later is never written over', async () => {
    const c = await context();
    const page = await demo(c);
    await press(page, 0, '1');
    await saved(page);
    const other = await c.newPage();
    await other.goto('/host/');
    const newer = JSON.stringify({ format: 'article-annotator', version: 99, document: { id: 'geneva-peace-plan' }, annotations: [] });
    await other.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, newer]);
    await press(page, 1, '2');
    await waitUntil(page, () => document.querySelector('.aa-save-status')?.textContent === 'Not saved', null, 'the save is refused', { timeout: 10_000 });
    assert.match(await page.locator('.aa-notice').last().textContent(), /newer version/);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), newer);
  });

  it('a corrupt value is backed up once, however often the page loads', async () => {
    const c = await context();
    const page = await demo(c);
    await page.evaluate((key) => { localStorage.clear(); localStorage.setItem(key, '{"format": "article-annotator", corrupt'); }, KEY);
    for (let i = 0; i < 3; i += 1) {
      await page.reload();
      await waitForWidget(page);
    }
    const backups = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('/backup/')));
    assert.deepEqual(backups, ['article-annotator/backup/geneva-peace-plan']);
  });

  it('localStorage.clear() on another page loses nothing this page holds', async () => {
    const c = await context();
    const page = await demo(c);
    await press(page, 0, '1');
    await press(page, 1, '2');
    await saved(page);
    const other = await c.newPage();
    await other.goto('/host/');
    await other.evaluate(() => localStorage.clear());
    await press(page, 2, '3');
    await saved(page);
    const fresh = await demo(c);
    for (const [i, labels] of [[0, 'claim'], [1, 'quote'], [2, 'position']]) await waitForAttribute(fresh, sel(i), 'data-labels', labels);
  });

  it('W3C items without ids, imported twice, are one annotation each', async () => {
    const c = await context();
    const page = await host(c);
    const counts = await page.evaluate(async () => {
      const el = document.createElement('div');
      document.body.append(el);
      const handle = window.articleAnnotator.mount(el, { text: 'Alpha sentence. Beta sentence.', docId: 'idless', storage: 'none' });
      await new Promise((resolve) => { const t = setInterval(() => { if (el.querySelector('[data-sentence]')) { clearInterval(t); resolve(); } }, 20); });
      const item = (exact, label) => ({ type: 'Annotation', motivation: 'tagging', body: [{ type: 'TextualBody', purpose: 'tagging', value: label }], target: { selector: [{ type: 'TextQuoteSelector', exact }] } });
      const file = (items) => JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', first: { type: 'AnnotationPage', items } });
      handle.importJson(file([item('Alpha sentence.', 'claim')]), 'merge');
      handle.importJson(file([item('Alpha sentence.', 'claim')]), 'merge');
      const once = handle.annotations().length;
      handle.importJson(file([item('Beta sentence.', 'quote')]), 'merge');
      return [once, handle.annotations().length];
    });
    assert.deepEqual(counts, [1, 2]);
  });
});
