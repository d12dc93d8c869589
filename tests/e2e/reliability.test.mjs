// End-to-end tests that inject storage faults and hostile input and check that nothing
// is lost and the reader is told: coalesced saves, a tab closed right after a key
// press, a full quota (and the retry once space is freed), two tabs on one document,
// data written by a newer version, and a hostile article.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { downloadJson, harness, openPage, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const KEY = 'article-annotator/v1/geneva-peace-plan';
const sel = (i) => `[data-sentence="${i}"]`;

describe('never losing an annotation', { timeout: 240_000 }, () => {
  const h = harness();

  async function context(initScript) {
    const c = await h.browser.newContext({ baseURL: h.server.url, acceptDownloads: true });
    h.keep(c);
    if (initScript) await c.addInitScript(initScript);
    return c;
  }
  async function demo(c) {
    const page = await c.newPage();
    await page.goto('/');
    await waitForWidget(page);
    return page;
  }
  const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) || 'null'), KEY);
  const status = (page) => page.locator('.aa-save-status').textContent();

  it('coalesces a burst of key presses into few writes, and says when it is saved', async () => {
    const c = await context(() => {
      window.writes = 0;
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key.startsWith('article-annotator/v1/')) window.writes += 1;
        return original.call(this, key, value);
      };
    });
    const page = await demo(c);
    await page.locator(sel(0)).focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press(['1', '2', '3'][i % 3]), await page.keyboard.press('j');
    assert.equal(await status(page), 'Saving…');
    await waitUntil(page, () => document.querySelector('.aa-save-status')?.textContent === 'Saved', null, 'saved');
    const writes = await page.evaluate(() => window.writes);
    assert.ok(writes >= 1 && writes <= 2, `12 key presses, ${writes} writes`);
    assert.equal((await stored(page)).annotations.length, 6);
  });

  it('a tab closed right after a key press keeps that tag', async () => {
    const c = await context();
    const page = await demo(c);
    await page.locator(sel(3)).focus();
    await page.keyboard.press('2');
    await page.close(); // well inside the coalescing delay: pagehide must flush
    const again = await demo(c);
    await waitForAttribute(again, sel(3), 'data-labels', 'quote');
  });

  it('a full quota keeps every tag in memory, says so, and saves once space is freed', async () => {
    const c = await context();
    const page = await demo(c);
    const filled = await page.evaluate(() => {
      const chunk = 'x'.repeat(512 * 1024);
      let n = 0;
      try { for (;;) { localStorage.setItem(`filler-${n}`, chunk); n += 1; } } catch { /* full */ }
      for (let size = 64 * 1024; size >= 16; size /= 2) {
        try { for (;;) { localStorage.setItem(`filler-${n}`, 'y'.repeat(size)); n += 1; } } catch { /* full at this size */ }
      }
      return n;
    });
    assert.ok(filled > 0);
    await page.locator(sel(1)).focus();
    await page.keyboard.press('1');
    await page.keyboard.press('j');
    await page.keyboard.press('3');
    await waitUntil(page, () => /storage for this site is full/.test(document.querySelector('.aa-notice')?.textContent ?? ''), null, 'full quota reported');
    assert.equal(await status(page), 'Not saved');
    assert.match(await page.locator('.aa-notice').textContent(), /use Export JSON to keep them/);
    const { json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.equal(json.annotations.length, 2, 'export still has every tag');
    await page.evaluate(() => { for (const key of Object.keys(localStorage)) if (key.startsWith('filler-')) localStorage.removeItem(key); });
    await waitUntil(page, () => document.querySelector('.aa-save-status')?.textContent === 'Saved', null, 'retried and saved', { timeout: 10_000 });
    assert.equal(await page.locator('.aa-notice').count(), 0, 'the notice goes once saved');
    assert.equal((await stored(page)).annotations.length, 2);
  });

  it('two tabs tagging different sentences at the same moment lose nothing', async () => {
    const c = await context();
    const [a, b] = [await demo(c), await demo(c)];
    await a.locator(sel(0)).focus();
    await b.locator(sel(5)).focus();
    await Promise.all([a.keyboard.press('1'), b.keyboard.press('2')]);
    await Promise.all([a.keyboard.press('j'), b.keyboard.press('j')]);
    await Promise.all([a.keyboard.press('3'), b.keyboard.press('3')]);
    for (const page of [a, b]) {
      await waitForAttribute(page, sel(0), 'data-labels', 'claim', { timeout: 10_000 });
      await waitForAttribute(page, sel(1), 'data-labels', 'position', { timeout: 10_000 });
      await waitForAttribute(page, sel(5), 'data-labels', 'quote', { timeout: 10_000 });
      await waitForAttribute(page, sel(6), 'data-labels', 'position', { timeout: 10_000 });
    }
    // A deletion in one tab reaches the other and is not brought back.
    await b.locator(sel(0)).focus();
    await b.keyboard.press('0');
    await waitForAttribute(a, sel(0), 'data-labels', '', { timeout: 10_000 });
    const reopened = await demo(c);
    for (const [i, labels] of [[0, ''], [1, 'position'], [5, 'quote'], [6, 'position']]) {
      await waitForAttribute(reopened, sel(i), 'data-labels', labels);
    }
  });

  it('data written by a newer version is left untouched, with a message', async () => {
    const newer = JSON.stringify({ format: 'article-annotator', version: 99, document: { id: 'geneva-peace-plan' }, annotations: [{ future: true }] });
    const page = await demo(await context());
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [KEY, newer]);
    await page.reload();
    await waitForWidget(page);
    assert.match(await page.locator('.aa-notice').textContent(), /newer version of this widget \(format 99/);
    await page.locator(sel(2)).focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, sel(2), 'data-labels', 'claim');
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), newer, 'never overwritten');
    assert.equal(await status(page), 'Not saved');
  });

  it('a hostile article renders as text, with offsets in code points', async () => {
    const c = await context();
    const page = await c.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/host/');
    await page.waitForSelector('body[data-host-ready]');
    const hostile = [
      'Click <a href="javascript:window.pwned=1">here</a> now.',
      '<img src=x onerror="window.pwned=2"> loaded? <script>window.pwned=3</script>',
      'Right-to-left \u202Eevil\u202C text and zero\u200Bwidth\u200D joins.',
      'Emoji 👩‍👩‍👧 and combining e\u0301 marks — café.',
    ].join('\n');
    const result = await page.evaluate((text) => {
      const el = document.createElement('div');
      document.querySelector('.sidebar').append(el);
      const widget = window.articleAnnotator.mount(el, { text, docId: 'hostile', storage: 'none' });
      return new Promise((resolve) => setTimeout(() => resolve({
        sentences: [...el.querySelectorAll('[data-sentence]')].map((s) => s.textContent),
        injected: el.querySelectorAll('.aa-article a, .aa-article img, .aa-article script').length,
        widgetId: widget.docId,
      }), 50));
    }, hostile);
    assert.equal(result.injected, 0, 'markup in the text is not markup in the page');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.ok(result.sentences.some((s) => s.includes('<img src=x onerror="window.pwned=2">')));
    assert.equal(result.sentences.join(' ').replace(/\s+/g, ' '), hostile.replace(/\s+/g, ' '), 'every character shown, none added');
    // Tag the emoji sentence and check its offsets against the text, counted in code points.
    const emoji = result.sentences.findIndex((s) => s.startsWith('Emoji'));
    await page.locator(`.sidebar [data-sentence="${emoji}"]`).focus();
    await page.keyboard.press('2');
    const exported = await page.evaluate(() => JSON.parse(window.articleAnnotator.widgetFor(document.querySelector('.sidebar > div:last-child')).exportJson()));
    const a = exported.annotations[0];
    assert.equal([...hostile].slice(a.target.position.start, a.target.position.end).join(''), a.target.quote.exact);
    assert.equal(a.target.quote.exact, result.sentences[emoji]);
    assert.deepEqual(errors, []);
  });
  it('a long article is prepared between frames, shown run by run, windowed, and works', async () => {
    const page = await h.keep(await h.browser.newContext({ baseURL: h.server.url })).newPage();
    await page.goto('/host/');
    await page.waitForSelector('body[data-host-ready]');
    const seen = await page.evaluate(async () => {
      const article = await (await fetch('/geneva-peace-plan.txt')).text();
      const text = Array.from({ length: 330 }, () => article).join('\n'); // about 1 MB
      let frames = 0;
      let counting = true;
      const tick = () => { frames += 1; if (counting) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const el = document.createElement('div');
      el.id = 'long';
      document.body.append(el);
      window.long = window.articleAnnotator.mount(el, { text, docId: 'long', storage: 'none' });
      const statuses = new Set();
      for (let waited = 0; waited < 60_000; waited += 20) {
        await new Promise((r) => setTimeout(r, 20));
        const status = el.querySelector('[role="status"]')?.textContent ?? (el.getAttribute('role') === 'status' ? el.textContent : null);
        if (status) statuses.add(status.replace(/\d+/g, 'N'));
        if (el.querySelector('.aa-article') && !el.querySelector('.aa-loading')) break;
      }
      counting = false;
      return { frames, statuses: [...statuses], sentences: el.querySelectorAll('[data-sentence]').length, size: text.length };
    });
    assert.ok(seen.size > 256 * 1024);
    assert.deepEqual(seen.statuses.sort(), ['Preparing the article… N%', 'Showing N of N paragraphs…'].sort());
    // Over 2,000 sentences the article is windowed: a few runs are sentence elements, the rest text.
    assert.ok(seen.sentences > 0 && seen.sentences < 24 * 330, `a window of the sentences is rendered (${seen.sentences})`);
    assert.ok(seen.frames >= 10, `the page kept drawing frames while the article loaded (${seen.frames})`);
    await page.evaluate(() => window.long.focus(7000));
    await page.keyboard.press('3');
    await waitForAttribute(page, '#long [data-sentence="7000"]', 'data-labels', 'position');
    assert.equal(await page.evaluate(() => window.long.annotations()[0].sentence), 7000);
  });
});

describe('a heavily annotated document is stored in parts', { timeout: 240_000 }, () => {
  const h = harness();
  const SENTENCES = 1_200;
  const PART_SENTENCES = 250; // codec::split::PART_SENTENCES

  // Mounts a 1,200-sentence article on the host page; every sentence tagged "claim"
  // through the API on first use (more than the 1,000 annotations that split a document).
  async function mountBig(page, { tagAll = false } = {}) {
    await page.goto('/host/');
    await page.waitForSelector('body[data-host-ready]');
    await page.evaluate(async ([n, tagAll]) => {
      const text = Array.from({ length: n }, (_, i) => `Sentence number ${i} says something.`).join('\n');
      const el = document.createElement('div');
      el.id = 'big';
      document.body.append(el);
      window.big = window.articleAnnotator.mount(el, { text, docId: 'split-doc' });
      while (!el.querySelector(`[data-sentence="${n - 1}"]`)) await new Promise((r) => setTimeout(r, 20));
      if (tagAll) {
        const now = new Date().toISOString();
        let at = 0;
        const list = [...el.querySelectorAll('[data-sentence]')].map((s) => {
          const exact = s.textContent;
          const start = text.indexOf(exact, at);
          at = start + exact.length;
          return { id: `a-${s.dataset.sentence}`, labels: ['claim'], created: now, modified: now, target: { quote: { exact, prefix: '', suffix: '' }, position: { start, end: at } } };
        });
        window.big.setAnnotations(list);
      }
    }, [SENTENCES, tagAll]);
  }
  const saved = (page) => waitUntil(page, () => document.querySelector('#big .aa-save-status')?.textContent === 'Saved', null, 'saved', { timeout: 15_000 });
  const ourKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('article-annotator/')).sort());

  it('one tag rewrites one part, a reload reads every part, and two tabs merge by part', async () => {
    const c = await h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await mountBig(page, { tagAll: true });
    await waitUntil(page, () => localStorage.getItem('article-annotator/v1/split-doc'), null, 'the tagged article is saved', { timeout: 15_000 });
    await saved(page);
    const parts = Array.from({ length: Math.ceil(SENTENCES / PART_SENTENCES) }, (_, n) => `article-annotator/part/${n}/split-doc`);
    assert.deepEqual(await ourKeys(page), [...parts, 'article-annotator/v1/split-doc']);
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('article-annotator/v1/split-doc')).version), 2);

    await page.evaluate(() => {
      window.writes = [];
      const original = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        if (key.startsWith('article-annotator/')) window.writes.push([key, value.length]);
        return original.call(this, key, value);
      };
    });
    await page.locator('#big [data-sentence="700"]').focus();
    await page.keyboard.press('2');
    await saved(page);
    const writes = await page.evaluate(() => window.writes);
    // The part holding sentence 700, then the head, which names the save: another tab
    // that reads the head before it writes sees that this part changed.
    assert.deepEqual(writes.map(([k]) => k), [`article-annotator/part/${Math.floor(700 / PART_SENTENCES)}/split-doc`, 'article-annotator/v1/split-doc'], 'only the part holding sentence 700, and the head');
    assert.ok(writes[0][1] < 300_000, `a part is small (${writes[0][1]} characters)`);
    assert.ok(writes[1][1] < 2_000, `the head is small (${writes[1][1]} characters)`);

    // A second tab on the same document: each tags a sentence in another part; both end with both.
    const other = await c.newPage();
    await mountBig(other);
    await waitUntil(other, () => window.big.annotations().length === 1200, null, 'every part read on load', { timeout: 15_000 });
    await waitForAttribute(other, '#big [data-sentence="700"]', 'data-labels', 'claim quote');
    await page.locator('#big [data-sentence="3"]').focus();
    await other.locator('#big [data-sentence="1150"]').focus();
    await Promise.all([page.keyboard.press('3'), other.keyboard.press('3')]);
    for (const p of [page, other]) {
      await waitForAttribute(p, '#big [data-sentence="3"]', 'data-labels', 'claim position', { timeout: 10_000 });
      await waitForAttribute(p, '#big [data-sentence="1150"]', 'data-labels', 'claim position', { timeout: 10_000 });
    }
    await saved(page);
    await saved(other);
    const third = await c.newPage();
    await mountBig(third);
    await waitUntil(third, () => window.big.annotations().length === 1200, null, 'all back after a reload', { timeout: 15_000 });
    const labels = await third.evaluate(() => Object.fromEntries(window.big.annotations().filter((a) => [3, 700, 1150].includes(a.sentence)).map((a) => [a.sentence, a.labels.join(' ')])));
    assert.deepEqual(labels, { 3: 'claim position', 700: 'claim quote', 1150: 'claim position' });
  });
});
