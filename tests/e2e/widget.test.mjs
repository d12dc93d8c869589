// End-to-end tests of the demo page `/` (doc id `geneva-peace-plan`) in the
// release bundle, written against the UI contract in DESIGN.md:
//   [data-sentence] (focusable) with [data-labels] in label-set order,
//   .aa-paragraph, .aa-picker with button[data-label][aria-pressed],
//   keys 1/2/3/0, j/k/arrows, Ctrl+Z / Ctrl+Shift+Z, .aa-count[data-label],
//   an "Export JSON" button, .aa-notice when storage is blocked.
// Every test gets a fresh browser context, hence a fresh localStorage.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import {
  DIST,
  activeSentence,
  downloadJson,
  launchBrowser,
  openPage,
  startServer,
  waitForAttribute,
  waitForWidget,
  waitUntil,
} from './helpers.mjs';

const DOC_ID = 'geneva-peace-plan';
const STORAGE_KEY = `article-annotator/v1/${DOC_ID}`;
const EXPORT_NAME = `${DOC_ID}-annotations.json`;
const SENTENCES = 24;
const PARAGRAPHS = 11;
const LABELS = ['claim', 'quote', 'position'];

const sel = (i) => `[data-sentence="${i}"]`;

const BLOCK_STORAGE = () => {
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
};

describe('article-annotator demo page', { timeout: 180_000 }, () => {
  let server;
  let browser;
  let s; // { context, page, errors, pageErrors } of the current test

  before(async () => {
    try {
      await access(path.join(DIST, 'index.html'));
    } catch {
      throw new Error(`${DIST}/index.html not found: run \`cargo xtask build\` (or set AA_DIST)`);
    }
    server = await startServer(DIST);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async () => {
    await s?.context.close();
    s = undefined;
  });

  /** Open `/` in a fresh context and wait for the sentences. */
  async function open(options) {
    s = await openPage(browser, server.url, options);
    await s.page.goto('/');
    await waitForWidget(s.page);
    return s.page;
  }

  const labelsOf = (page, i) => page.locator(sel(i)).getAttribute('data-labels');

  async function focusSentence(page, i) {
    await page.locator(sel(i)).focus();
    assert.equal(await activeSentence(page), String(i), `sentence ${i} takes the focus`);
  }

  /** Focus sentence `i` and press `keys` in turn, then wait for `expected` labels. */
  async function tagWithKeys(page, i, keys, expected) {
    await focusSentence(page, i);
    for (const key of keys) await page.keyboard.press(key);
    await waitForAttribute(page, sel(i), 'data-labels', expected);
  }

  function assertNoErrors() {
    assert.deepEqual(s.errors, [], `page errors or console errors:\n${s.errors.join('\n')}`);
  }

  it('renders the 24 sentences of the demo article in 11 paragraphs, untagged', async () => {
    const page = await open();
    assert.equal(await page.locator('[data-sentence]').count(), SENTENCES);
    assert.equal(await page.locator('.aa-paragraph').count(), PARAGRAPHS);
    const info = await page.$$eval('[data-sentence]', (els) =>
      els.map((el) => ({
        index: el.getAttribute('data-sentence'),
        labels: el.getAttribute('data-labels'),
        focusable: el.hasAttribute('tabindex'),
        text: el.textContent,
      })),
    );
    info.forEach((x, i) => {
      assert.equal(x.index, String(i), 'sentences in document order, 0-based');
      assert.equal(x.labels, '', `sentence ${i} starts untagged`);
      assert.ok(x.focusable, `sentence ${i} is focusable (has a tabindex)`);
      assert.ok(x.text.trim().length > 0, `sentence ${i} has text`);
    });
    // Paragraphs 7-11 repeat paragraphs 2-6: sentences 2..12 come again as 13..23.
    for (let i = 2; i <= 12; i++) assert.equal(info[i + 11].text, info[i].text, `sentence ${i + 11} repeats ${i}`);
    assertNoErrors();
  });

  it('clicking a sentence focuses it and opens the picker, whose buttons toggle labels; Escape closes it', async () => {
    const page = await open();
    await page.locator(sel(3)).click();
    assert.equal(await activeSentence(page), '3');
    const picker = page.locator('.aa-picker');
    await picker.waitFor({ state: 'visible', timeout: 5_000 });
    for (const label of LABELS) {
      assert.equal(await picker.locator(`button[data-label="${label}"]`).getAttribute('aria-pressed'), 'false');
    }

    await picker.locator('button[data-label="quote"]').click();
    await waitForAttribute(page, sel(3), 'data-labels', 'quote');
    await waitForAttribute(page, '.aa-picker button[data-label="quote"]', 'aria-pressed', 'true');
    assert.equal(await picker.locator('button[data-label="claim"]').getAttribute('aria-pressed'), 'false');

    await picker.locator('button[data-label="claim"]').click();
    await waitForAttribute(page, sel(3), 'data-labels', 'claim quote'); // label-set order, not click order
    await picker.locator('button[data-label="quote"]').click();
    await waitForAttribute(page, sel(3), 'data-labels', 'claim');
    await waitForAttribute(page, '.aa-picker button[data-label="quote"]', 'aria-pressed', 'false');

    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden', timeout: 5_000 });
    assert.equal(await labelsOf(page, 3), 'claim', 'closing keeps the labels');
    assert.equal(await labelsOf(page, 2), '', 'other sentences untouched');
    assertNoErrors();
  });

  it('keys 1/2/3 toggle claim/quote/position and 0 clears', async () => {
    const page = await open();
    await tagWithKeys(page, 0, ['3'], 'position');
    await tagWithKeys(page, 0, ['1'], 'claim position');
    await tagWithKeys(page, 0, ['2'], 'claim quote position');
    await tagWithKeys(page, 0, ['3'], 'claim quote');
    await tagWithKeys(page, 0, ['0'], '');
    await tagWithKeys(page, 5, ['2'], 'quote');
    assert.equal(await labelsOf(page, 0), '');
    assertNoErrors();
  });

  it('j/ArrowDown and k/ArrowUp move the focus between sentences', async () => {
    const page = await open();
    await focusSentence(page, 0);
    const expectActive = async (i, why) => {
      await waitUntil(page, (want) => document.activeElement?.getAttribute('data-sentence') === want, String(i), why);
    };
    await page.keyboard.press('j');
    await expectActive(1, 'j moves to sentence 1');
    await page.keyboard.press('ArrowDown');
    await expectActive(2, 'ArrowDown moves to sentence 2');
    await page.keyboard.press('j');
    await expectActive(3, 'j moves to sentence 3');
    await page.keyboard.press('k');
    await expectActive(2, 'k moves back to sentence 2');
    await page.keyboard.press('ArrowUp');
    await expectActive(1, 'ArrowUp moves back to sentence 1');
    // Keys act on the newly focused sentence.
    await page.keyboard.press('1');
    await waitForAttribute(page, sel(1), 'data-labels', 'claim');
    assert.equal(await labelsOf(page, 0), '');
    assertNoErrors();
  });

  it('Ctrl+Z undoes the last change and Ctrl+Shift+Z redoes it', async () => {
    const page = await open();
    await tagWithKeys(page, 0, ['1'], 'claim');
    await tagWithKeys(page, 1, ['2'], 'quote');

    await page.keyboard.press('Control+z');
    await waitForAttribute(page, sel(1), 'data-labels', '');
    assert.equal(await labelsOf(page, 0), 'claim', 'one undo takes back one change');
    await page.keyboard.press('Control+z');
    await waitForAttribute(page, sel(0), 'data-labels', '');

    await page.keyboard.press('Control+Shift+Z');
    await waitForAttribute(page, sel(0), 'data-labels', 'claim');
    assert.equal(await labelsOf(page, 1), '', 'one redo replays one change');
    await page.keyboard.press('Control+Shift+Z');
    await waitForAttribute(page, sel(1), 'data-labels', 'quote');
    assertNoErrors();
  });

  it('the toolbar counts the sentences carrying each label', async () => {
    const page = await open();
    const count = (label) => page.locator(`.aa-count[data-label="${label}"]`);
    const expectCount = async (label, n) => {
      await waitUntil(
        page,
        ([l, want]) => {
          const el = document.querySelector(`.aa-count[data-label="${l}"]`);
          return !!el && new RegExp(`(^|\\D)${want}(\\D|$)`).test(el.textContent);
        },
        [label, n],
        `.aa-count[data-label="${label}"] shows ${n}: "${await count(label).textContent().catch(() => null)}"`,
      );
    };
    for (const label of LABELS) await expectCount(label, 0);
    await tagWithKeys(page, 0, ['1'], 'claim');
    await tagWithKeys(page, 1, ['1'], 'claim');
    await tagWithKeys(page, 2, ['2'], 'quote');
    await tagWithKeys(page, 3, ['1', '3'], 'claim position');
    await expectCount('claim', 3);
    await expectCount('quote', 1);
    await expectCount('position', 1);
    await tagWithKeys(page, 3, ['0'], '');
    await expectCount('claim', 2);
    await expectCount('position', 0);
    assertNoErrors();
  });

  it('keeps the labels across a reload (localStorage)', async () => {
    const page = await open();
    await tagWithKeys(page, 0, ['1'], 'claim');
    await tagWithKeys(page, 7, ['2', '3'], 'quote position');
    await waitUntil(
      page,
      (key) => {
        const raw = localStorage.getItem(key);
        if (!raw) return false;
        try {
          return (JSON.parse(raw).annotations || []).length === 2;
        } catch {
          return false;
        }
      },
      STORAGE_KEY,
      `localStorage[${STORAGE_KEY}] holds the two annotations`,
    );
    await page.reload();
    await waitForWidget(page);
    await waitForAttribute(page, sel(0), 'data-labels', 'claim');
    await waitForAttribute(page, sel(7), 'data-labels', 'quote position');
    assert.equal(await page.locator('[data-sentence][data-labels=""]').count(), SENTENCES - 2);
    assertNoErrors();
  });

  it('Export JSON downloads the native envelope, anchored by quote and code-point position', async () => {
    const page = await open();
    // 2 and 13 are the same sentence in repeated paragraphs; 20 repeats 9.
    const tagged = { 0: ['claim'], 2: ['quote', 'position'], 13: ['claim'], 9: ['position'], 20: ['position'] };
    for (const [i, labels] of Object.entries(tagged)) {
      await tagWithKeys(page, Number(i), labels.map((l) => String(LABELS.indexOf(l) + 1)), labels.join(' '));
    }

    const article = await page.evaluate(async () => (await fetch('/geneva-peace-plan.txt')).text());
    const text = article.replace(/\r\n?/g, '\n'); // the one documented normalisation
    const sentences = await page.$$eval('[data-sentence]', (els) => els.map((el) => el.textContent));
    // Expected code-point offsets: the sentences cover the text in order.
    const offsets = [];
    let cursor = 0;
    for (const [i, sentence] of sentences.entries()) {
      const at = text.indexOf(sentence, cursor);
      assert.ok(at >= 0, `sentence ${i} is found in the article text after offset ${cursor}`);
      cursor = at + sentence.length;
      const start = [...text.slice(0, at)].length;
      offsets.push({ start, end: start + [...sentence].length });
    }

    const { filename, json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.equal(filename, EXPORT_NAME);
    assert.equal(json.format, 'article-annotator');
    assert.equal(json.version, 1);
    assert.equal(json.document?.id, DOC_ID);
    assert.equal(typeof json.document?.fingerprint, 'string');
    assert.ok(json.document.fingerprint.length > 0, 'document.fingerprint is set');
    assert.ok(Array.isArray(json.annotations));
    assert.equal(json.annotations.length, Object.keys(tagged).length);

    const codePoints = [...text];
    const byStart = new Map(json.annotations.map((a) => [a.target?.position?.start, a]));
    const ids = new Set();
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    for (const [key, labels] of Object.entries(tagged)) {
      const i = Number(key);
      const a = byStart.get(offsets[i].start);
      assert.ok(a, `an annotation starts at sentence ${i}'s offset ${offsets[i].start}`);
      assert.ok(a.id !== undefined && a.id !== null && a.id !== '', `annotation ${i} has an id`);
      ids.add(JSON.stringify(a.id));
      // A set: the contract fixes the order of data-labels, not of this array.
      assert.ok(Array.isArray(a.labels), `labels of sentence ${i} is an array`);
      assert.deepEqual([...a.labels].sort(), [...labels].sort(), `labels of sentence ${i}`);
      assert.equal(a.target.quote.exact, sentences[i], `exact of sentence ${i}`);
      assert.equal(typeof a.target.quote.prefix, 'string');
      assert.equal(typeof a.target.quote.suffix, 'string');
      assert.deepEqual(
        { start: a.target.position.start, end: a.target.position.end },
        offsets[i],
        `code-point position of sentence ${i}`,
      );
      assert.equal(codePoints.slice(a.target.position.start, a.target.position.end).join(''), a.target.quote.exact);
      // The context really surrounds the quote in the text.
      const before = codePoints.slice(0, a.target.position.start).join('');
      const afterText = codePoints.slice(a.target.position.end).join('');
      assert.ok(before.endsWith(a.target.quote.prefix), `prefix of sentence ${i} precedes it`);
      assert.ok(afterText.startsWith(a.target.quote.suffix), `suffix of sentence ${i} follows it`);
      for (const field of ['created', 'modified']) {
        assert.match(String(a[field]), iso, `${field} of sentence ${i} is ISO-8601`);
        assert.ok(!Number.isNaN(Date.parse(a[field])), `${field} of sentence ${i} parses`);
      }
    }
    assert.equal(ids.size, Object.keys(tagged).length, 'annotation ids are distinct');

    // Repeated paragraphs: same exact, but prefix/suffix tell them apart.
    for (const [a, b] of [[2, 13], [9, 20]]) {
      const x = byStart.get(offsets[a].start).target.quote;
      const y = byStart.get(offsets[b].start).target.quote;
      assert.equal(x.exact, y.exact, `sentences ${a} and ${b} have the same text`);
      assert.notDeepEqual(
        [x.prefix, x.suffix],
        [y.prefix, y.suffix],
        `sentences ${a} and ${b} get distinct quote contexts`,
      );
    }
    assertNoErrors();
  });

  it('with localStorage blocked it still renders, says tags are not saved, tags and exports', async () => {
    const page = await open({ initScript: BLOCK_STORAGE });
    assert.equal(await page.locator('[data-sentence]').count(), SENTENCES);
    const notice = page.locator('.aa-notice');
    await notice.first().waitFor({ state: 'visible', timeout: 5_000 });
    const message = (await notice.allTextContents()).join(' ');
    assert.match(
      message,
      /(not|n['’]t)\s+(be\s+)?(saved|stored|kept)|will be lost|lost when|(this|the) page only|only (in|on|for) this (page|tab|session)|in memory/i,
      `.aa-notice says the tags are not saved: "${message}"`,
    );
    await tagWithKeys(page, 4, ['1'], 'claim');
    await tagWithKeys(page, 5, ['3'], 'position');
    const { filename, json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.equal(filename, EXPORT_NAME);
    assert.equal(json.document?.id, DOC_ID);
    assert.deepEqual(json.annotations.map((a) => a.labels).sort(), [['claim'], ['position']]);
    // Console messages about the blocked storage are fine; a crash is not.
    assert.deepEqual(s.pageErrors, [], `uncaught page errors:\n${s.pageErrors.join('\n')}`);
  });

  it('a typical session (click, picker, keys, export) logs no page or console error', async () => {
    const page = await open();
    await page.locator(sel(1)).click();
    await page.locator('.aa-picker button[data-label="position"]').click();
    await waitForAttribute(page, sel(1), 'data-labels', 'position');
    await page.keyboard.press('Escape');
    await tagWithKeys(page, 6, ['2'], 'quote');
    await page.keyboard.press('j');
    await page.keyboard.press('Control+z');
    await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    await page.reload();
    await waitForWidget(page);
    await page.waitForTimeout(300);
    assertNoErrors();
  });
});
