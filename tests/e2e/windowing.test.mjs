// Windowed rendering of long articles (over 2,000 sentences): only the runs of
// paragraphs near the viewport, and the one holding the focus, are sentence elements;
// the rest is plain text. Everything must still reach every sentence. Behaviour only:
// no timing is asserted here (bigload.bench.mjs measures).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, waitForAttribute, waitUntil, activeSentence } from './helpers.mjs';
import { bigArticle, annotationsFor } from './bigarticle.mjs';

const h = harness();

/** Mounts a widget on `text` in the host page's test area; resolves once it is ready. */
async function mountBig(page, text, { docId, storage = 'local' }) {
  await page.evaluate(([text, docId, storage]) => {
    const el = document.createElement('div');
    el.id = 'big';
    document.body.append(el);
    window.big = window.articleAnnotator.mount(el, { text, docId, storage });
  }, [text, docId, storage]);
  await waitUntil(page, () => {
    const el = document.querySelector('#big');
    return el?.querySelector('.aa-article [data-sentence]') && !el.querySelector('.aa-loading') && !el.querySelector('.aa-host[role="status"]');
  }, null, 'the long article is ready', { timeout: 120_000 });
}

async function openHost() {
  const context = h.keep(await h.browser.newContext({ baseURL: h.server.url, viewport: { width: 1000, height: 800 } }));
  const page = await context.newPage();
  await page.goto('/host/');
  await page.waitForSelector('body[data-host-ready]');
  return page;
}

const rendered = (page) => page.evaluate(() => document.querySelectorAll('#big [data-sentence]').length);
const counts = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('#big .aa-count')].map((c) => [c.dataset.label, Number(c.querySelector('strong')?.textContent)]),
));
const progress = (page) => page.locator('#big .aa-progress').textContent();

describe('windowed rendering of long articles', () => {
  it('up to 2,000 sentences every sentence is an element; past it, the window starts', async () => {
    const page = await openHost();
    const article = bigArticle(400_000);
    const upTo = (n) => article.text.slice(0, article.sentences[n - 1].end);
    await mountBig(page, upTo(2000), { docId: 'at-threshold', storage: 'none' });
    assert.equal(await rendered(page), 2000);
    assert.equal(await page.locator('#big .aa-run').count(), 0, 'no run wrappers: rendered exactly as before');
    await page.evaluate(() => { window.big.destroy(); document.querySelector('#big').remove(); });
    await mountBig(page, upTo(2001), { docId: 'past-threshold', storage: 'none' });
    const n = await rendered(page);
    assert.ok(n > 0 && n < 2001, `a window of the sentences is rendered (${n})`);
    assert.ok(await page.locator('#big .aa-run').count() > 1);
    // The rest is there as text: the article reads in full.
    const text = await page.locator('#big .aa-article').textContent();
    assert.ok(text.includes(article.text.slice(article.sentences[1990].start, article.sentences[1990].end)));
  });

  it('a 5 MB article with 10,000 stored annotations: all of them load, the DOM stays small', async () => {
    const article = bigArticle(5_000_000);
    const list = annotationsFor(article, 10_000);
    const page = await openHost();
    await mountBig(page, article.text, { docId: 'big-5mb' });
    await page.evaluate((items) => window.big.setAnnotations(items), list);
    await waitUntil(page, () => document.querySelector('#big .aa-save-status')?.textContent === 'Saved'
      // Stored in parts (more than 1,000 annotations): the last one is in one of them.
      && Object.keys(localStorage).some((k) => k.endsWith('/big-5mb') && localStorage.getItem(k).includes('bench-9999')), null, 'the annotations are saved', { timeout: 30_000 });
    // A new page load reads them back from storage.
    await page.reload();
    await page.waitForSelector('body[data-host-ready]');
    await mountBig(page, article.text, { docId: 'big-5mb' });
    assert.equal(await progress(page), `10000 of ${article.sentences.length} sentences tagged`);
    assert.deepEqual(await counts(page), { claim: 5000, quote: 5000, position: 2500 });
    const loaded = await page.evaluate(() => window.big.annotations());
    assert.equal(loaded.length, 10_000);
    assert.equal(loaded.filter((a) => a.sentence === null).length, 0, 'no orphans');
    assert.equal(await page.locator('#big .aa-notice').count(), 0, 'no notice (storage is not full)');
    const n = await rendered(page);
    assert.ok(n > 0 && n < 3000, `a bounded number of sentence elements (${n} of ${article.sentences.length})`);
    // Rendered sentences show their stored labels.
    const step = Math.floor(article.sentences.length / 10_000);
    await waitForAttribute(page, `#big [data-sentence="${step}"]`, 'data-labels', 'quote');
    // Scrolling to the middle renders the sentences there, and the DOM stays bounded.
    const middle = await page.evaluate(() => {
      const article = document.querySelector('#big .aa-article');
      window.scrollTo(0, article.getBoundingClientRect().top + window.scrollY + article.scrollHeight / 2);
      return window.scrollY;
    });
    assert.ok(middle > 0);
    await waitUntil(page, () => [...document.querySelectorAll('#big [data-sentence]')].some((s) => {
      const r = s.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    }), null, 'sentences in view are elements after scrolling');
    assert.ok(await rendered(page) < 3000);
  });

  it('keys, the jump list, undo and the API reach sentences far from the window', async () => {
    const page = await openHost();
    const article = bigArticle(1_000_000);
    const last = article.sentences.length - 1;
    await mountBig(page, article.text, { docId: 'big-keys' });
    const labels = (i) => page.evaluate((i) => window.big.annotations().find((a) => a.sentence === i)?.labels ?? [], i);

    // j from the last sentence of the first run moves into the next run.
    const boundary = await page.evaluate(() => {
      const spans = document.querySelectorAll('#big .aa-run[data-run="0"] [data-sentence]');
      return Number(spans[spans.length - 1].dataset.sentence);
    });
    await page.locator(`#big [data-sentence="${boundary}"]`).focus();
    await page.keyboard.press('j');
    await waitUntil(page, (i) => document.activeElement?.dataset.sentence === String(i), boundary + 1, 'j crosses into the next run');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.aa-run').dataset.run), '1');

    // End goes to the last sentence, far down: rendered, focused, taggable.
    await page.keyboard.press('End');
    await waitUntil(page, (i) => document.activeElement?.dataset.sentence === String(i), last, 'End reaches the last sentence');
    await page.keyboard.press('3');
    await waitForAttribute(page, `#big [data-sentence="${last}"]`, 'data-labels', 'position');
    // k goes back one, in the same run.
    await page.keyboard.press('k');
    assert.equal(await activeSentence(page), String(last - 1));

    // Home, then undo: the focus jumps back to the far sentence it untags.
    await page.keyboard.press('Home');
    await waitUntil(page, () => document.activeElement?.dataset.sentence === '0', null, 'Home reaches the first sentence');
    await page.keyboard.press('Control+z');
    await waitUntil(page, (i) => document.activeElement?.dataset.sentence === String(i), last, 'undo jumps to the far sentence');
    await waitForAttribute(page, `#big [data-sentence="${last}"]`, 'data-labels', '');
    await page.keyboard.press('Control+y');
    await waitForAttribute(page, `#big [data-sentence="${last}"]`, 'data-labels', 'position');

    // n from the top finds the first untagged sentence; from the tagged last one, wraps.
    await page.keyboard.press('n');
    await waitUntil(page, () => document.activeElement?.dataset.sentence === '0', null, 'n wraps to the first untagged sentence');

    // The summary's jump list reaches the far tagged sentence and scrolls to it.
    await page.locator('#big .aa-summary > summary').click();
    await page.locator(`#big .aa-jump[data-jump="${last}"]`).click();
    await waitUntil(page, (i) => document.activeElement?.dataset.sentence === String(i), last, 'the jump list focuses the sentence');
    const inView = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    });
    assert.ok(inView, 'and scrolls it into view');

    // The host API: focus(i) renders, focuses and scrolls to any sentence.
    const middle = Math.floor(article.sentences.length / 2);
    await page.evaluate((i) => window.big.focus(i), middle);
    await waitUntil(page, (i) => document.activeElement?.dataset.sentence === String(i), middle, 'focus(i) reaches the middle');
    await page.keyboard.press('1');
    await waitForAttribute(page, `#big [data-sentence="${middle}"]`, 'data-labels', 'claim');
    // Enter opens the note editor on it; the picker opens on a click.
    await page.keyboard.press('Enter');
    await page.locator('#big .aa-note textarea').fill('Far down.');
    await page.locator('#big .aa-note').getByRole('button', { name: 'Save' }).click();
    await waitUntil(page, (i) => window.big.annotations().find((a) => a.sentence === i)?.note === 'Far down.', middle, 'the note is saved');
    await page.locator(`#big [data-sentence="${middle}"]`).click();
    await page.locator('#big .aa-picker button[data-label="quote"]').click();
    await waitForAttribute(page, `#big [data-sentence="${middle}"]`, 'data-labels', 'claim quote');
    const bad = await page.evaluate((n) => [-1, 1.5, n, 'x'].map((v) => { try { window.big.focus(v); return null; } catch (e) { return e.message; } }), article.sentences.length);
    for (const message of bad) assert.match(message, /focus\(sentence\): sentence must be a whole number from 0 to \d+/);

    // Tags far down survive a reload.
    await waitUntil(page, () => document.querySelector('#big .aa-save-status')?.textContent === 'Saved', null, 'saved', { timeout: 10_000 });
    await page.reload();
    await page.waitForSelector('body[data-host-ready]');
    await mountBig(page, article.text, { docId: 'big-keys' });
    assert.deepEqual(await labels(last), ['position']);
    assert.deepEqual(await labels(middle), ['claim', 'quote']);
    await page.evaluate((i) => window.big.focus(i), middle);
    await waitForAttribute(page, `#big [data-sentence="${middle}"]`, 'data-labels', 'claim quote');
    assert.equal(await page.locator(`#big [data-sentence="${middle}"]`).getAttribute('data-note'), '');
  });
});
