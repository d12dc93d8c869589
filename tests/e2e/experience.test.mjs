// End-to-end tests of the annotating experience on the demo page: every key, the
// note editor, the help overlay, the summary and filter, the live region, focus
// management, touch-sized targets, the 360 px layout, and axe-core audits (zero
// violations) fresh, tagged, with the picker, the note editor and the help open, and
// in the dark theme.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeSentence, downloadJson, harness, openPage, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const sel = (i) => `[data-sentence="${i}"]`;

describe('the annotating experience', { timeout: 240_000 }, () => {
  const h = harness();

  async function open({ colorScheme = 'light', viewport = { width: 1100, height: 900 } } = {}) {
    const s = await openPage(h.browser, h.server.url);
    h.keep(s);
    await s.page.emulateMedia({ colorScheme });
    await s.page.setViewportSize(viewport);
    await s.page.goto('/');
    await waitForWidget(s.page);
    return s;
  }

  async function press(page, ...keys) {
    for (const key of keys) await page.keyboard.press(key);
  }

  async function focused(page) {
    return Number(await activeSentence(page));
  }

  async function audit(page, state) {
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`));
    assert.deepEqual(violations, [], `axe violations with ${state}`);
  }

  it('moves with j, k, arrows, Home, End and n', async () => {
    const { page } = await open();
    await page.locator(sel(0)).focus();
    await press(page, 'j', 'j', 'ArrowDown');
    assert.equal(await focused(page), 3);
    await press(page, 'k', 'ArrowUp');
    assert.equal(await focused(page), 1);
    await press(page, 'End');
    assert.equal(await focused(page), 23);
    await press(page, 'Home');
    assert.equal(await focused(page), 0);
    // n skips tagged sentences.
    await press(page, '1', 'j', '2', 'Home', 'n');
    assert.equal(await focused(page), 2);
    // One tab stop for the whole article: the roving tabindex follows the focus.
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('[data-sentence][tabindex="0"]')].map((e) => e.dataset.sentence)), ['2']);
  });

  it('toggles, clears, undoes and redoes with keys, and announces each change', async () => {
    const { page } = await open();
    await page.locator(sel(5)).focus();
    await press(page, '1', '3');
    await waitForAttribute(page, sel(5), 'data-labels', 'claim position');
    assert.equal(await page.locator('.aa-live').textContent(), 'Sentence 6 tagged claim, position');
    await press(page, '0');
    await waitForAttribute(page, sel(5), 'data-labels', '');
    assert.equal(await page.locator('.aa-live').textContent(), 'Sentence 6 untagged');
    await press(page, 'Control+z');
    await waitForAttribute(page, sel(5), 'data-labels', 'claim position');
    await press(page, 'Control+Shift+Z');
    await waitForAttribute(page, sel(5), 'data-labels', '');
  });

  it('Enter opens the note editor; the note is saved, shown, kept over a reload and exported', async () => {
    const { page, errors } = await open();
    await page.locator(sel(3)).focus();
    await press(page, 'Enter');
    assert.equal(await page.locator('.aa-picker').count(), 1, 'Enter on an untagged sentence offers the labels');
    await press(page, 'Escape', '2', 'Enter');
    const note = page.getByRole('textbox', { name: 'Note on sentence 4' });
    await note.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
    // Keys typed in the note never tag or move.
    await page.keyboard.type('Source: https://example.org/wire 123 jk0');
    assert.equal(await page.locator(sel(3)).getAttribute('data-labels'), 'quote');
    await press(page, 'Control+Enter');
    await waitUntil(page, () => !document.querySelector('.aa-note'), null, 'editor closes on save');
    assert.equal(await focused(page), 3, 'focus returns to the sentence');
    assert.equal(await page.locator(sel(3)).getAttribute('data-note'), '');
    assert.match(await page.locator(sel(3)).getAttribute('aria-description'), /tagged quote, with a note/);
    await page.reload();
    await waitForWidget(page);
    const { json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.equal(json.annotations[0].note, 'Source: https://example.org/wire 123 jk0');
    // Escape in the editor cancels.
    await page.locator(sel(3)).focus();
    await press(page, 'Enter');
    await page.keyboard.type(' more');
    await press(page, 'Escape');
    await waitUntil(page, () => !document.querySelector('.aa-note'), null, 'editor closes on Escape');
    assert.equal(await focused(page), 3);
    const { json: again } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.equal(again.annotations[0].note, 'Source: https://example.org/wire 123 jk0');
    assert.deepEqual(errors, []);
  });

  it('the picker works from the keyboard too, and Escape gives the focus back', async () => {
    const { page } = await open();
    await page.locator(sel(8)).focus();
    await press(page, 'Space');
    const picker = page.getByRole('toolbar', { name: 'Labels for sentence 9' });
    await picker.waitFor();
    await press(page, 'Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.label), 'claim', 'Tab reaches the picker');
    await press(page, 'Tab', 'Enter');
    await waitForAttribute(page, sel(8), 'data-labels', 'quote');
    await press(page, 'Escape');
    await waitUntil(page, () => !document.querySelector('.aa-picker'), null, 'picker closes');
    assert.equal(await focused(page), 8, 'focus is back on the sentence');
  });

  it('? opens the help, which holds the focus and gives it back', async () => {
    const { page } = await open();
    await page.locator(sel(7)).focus();
    await press(page, '?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /n.*next untagged sentence/s);
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Close');
    await press(page, 'Tab', 'Tab', '1');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Close', 'Tab stays in the dialog');
    assert.equal(await page.locator(sel(7)).getAttribute('data-labels'), '', 'keys do not reach the article behind it');
    await press(page, 'Escape');
    await waitUntil(page, () => !document.querySelector('.aa-help'), null, 'help closes');
    assert.equal(await focused(page), 7);
    await page.getByRole('button', { name: 'Keyboard help' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await waitUntil(page, () => !document.querySelector('.aa-help'), null, 'help closes by button');
  });

  it('the summary counts, filters and jumps to sentences', async () => {
    const { page } = await open();
    await page.locator(sel(1)).focus();
    await press(page, '1', 'j', 'j', '2', 'j', '1', '3');
    await waitForAttribute(page, sel(4), 'data-labels', 'claim position');
    assert.match(await page.locator('.aa-progress').textContent(), /^3 of 24 sentences tagged$/);
    assert.match(await page.locator('.aa-count[data-label="claim"]').textContent(), /claim\s*2/);
    await page.getByText('Summary and filter').click();
    const jumps = page.locator('.aa-jump');
    assert.deepEqual(await jumps.evaluateAll((b) => b.map((e) => e.dataset.jump)), ['1', '3', '4']);
    await page.getByRole('combobox', { name: 'Which sentences to show' }).selectOption('label:claim');
    assert.deepEqual(await jumps.evaluateAll((b) => b.map((e) => e.dataset.jump)), ['1', '4']);
    assert.equal(await page.locator('.aa-sentence.aa-dim').count(), 22, 'the others are quieted');
    await page.getByRole('combobox', { name: 'Which sentences to show' }).selectOption('untagged');
    assert.equal(await jumps.count(), 21);
    await jumps.nth(20).click();
    assert.equal(await focused(page), 23, 'a click jumps to the sentence');
  });

  it('on a 360 px touch screen: tap to select, touch-sized targets, nothing overflows', async () => {
    const context = await h.browser.newContext({ baseURL: h.server.url, hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });
    h.keep({ context });
    const page = await context.newPage();
    await page.goto('/');
    await waitForWidget(page);
    await page.locator(sel(2)).tap();
    const sizes = await page.locator('.aa-picker button').evaluateAll((b) => b.map((e) => [e.getBoundingClientRect().width, e.getBoundingClientRect().height]));
    assert.ok(sizes.length >= 4);
    for (const [w, h] of sizes) assert.ok(w >= 44 && h >= 44, `picker target ${w}x${h} is at least 44 px`);
    await page.locator('.aa-picker button[data-label="claim"]').tap();
    await waitForAttribute(page, sel(2), 'data-labels', 'claim');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow}px)`);
    const pickerRight = await page.locator('.aa-picker').evaluate((e) => e.getBoundingClientRect().right);
    assert.ok(pickerRight <= 360, `the picker fits the screen (right edge ${pickerRight})`);
  });

  it('axe-core finds no violation: fresh, tagged, picker, note, help, summary, library views, dark', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const { page } = await open({ colorScheme });
      await audit(page, `${colorScheme}: fresh`);
      await page.locator(sel(0)).focus();
      await press(page, '1', 'j', '2', '3', 'j', '3');
      await audit(page, `${colorScheme}: tagged`);
      await page.locator(sel(3)).click();
      await audit(page, `${colorScheme}: picker open`);
      await press(page, 'Escape');
      await page.locator(sel(1)).focus();
      await press(page, 'Enter');
      await page.keyboard.type('A rationale.');
      await audit(page, `${colorScheme}: note editor open`);
      await press(page, 'Escape');
      await press(page, '?');
      await audit(page, `${colorScheme}: help open`);
      await press(page, 'Escape');
      await page.getByText('Summary and filter').click();
      await audit(page, `${colorScheme}: summary open`);
      await page.getByRole('button', { name: 'New article', exact: true }).click();
      await audit(page, `${colorScheme}: new article dialog`);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      await page.getByRole('button', { name: 'Library', exact: true }).click();
      await page.waitForSelector('.aa-library');
      await audit(page, `${colorScheme}: library list`);
      await page.getByRole('button', { name: /^Delete/ }).first().click();
      await audit(page, `${colorScheme}: library, confirming a deletion`);
      await page.getByRole('button', { name: 'Keep it', exact: true }).click();
      await page.getByRole('button', { name: /^Rename/ }).first().click();
      await audit(page, `${colorScheme}: library, renaming`);
    }
  });
});
