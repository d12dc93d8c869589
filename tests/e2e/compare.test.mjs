// End-to-end test of the compare view and adjudication: two annotators tag the article
// in their own browsers and export; a reviewer opens "Compare with…" on both files, sees
// the disagreements first with the agreement figures, moves between disagreements from
// the keyboard, settles final labels (accept, edit, reviewed), and exports the gold set,
// which is saved (a reload keeps it) and never merged into the reviewer's own tags.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeSentence, downloadJson, downloadText, harness, openPage, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = process.env.AA_E2E_OUT || path.join(here, '..', '..', 'target', 'e2e');

/** Tags sentences in a fresh browser context and returns the "Export JSON" text. */
async function annotate(h, tags) {
  const { page } = h.keep(await openPage(h.browser, h.server.url));
  await page.goto('/');
  await waitForWidget(page);
  for (const [sentence, keys] of tags) {
    await page.locator(`[data-sentence="${sentence}"]`).focus();
    for (const key of keys) await page.keyboard.press(key);
  }
  const last = tags[tags.length - 1];
  await waitUntil(page, (s) => document.querySelector(`[data-sentence="${s}"]`)?.hasAttribute('data-labels'), last[0], 'last tag shown');
  return (await downloadJson(page, page.locator('[data-action="export-json"]'))).text;
}

const listed = (page) => page.$$eval('.aa-compare-list > [data-sentence]', (rows) => rows.map((r) => Number(r.dataset.sentence)));

describe('compare view and adjudication', { timeout: 180_000 }, () => {
  const h = harness();

  it('compares files, reads the figures, moves by keys, and keeps a gold set', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'aa-compare-'));
    // alice: 0 claim, 1 quote, 2 position; bob: 0 claim, 1 claim, 3 quote.
    await writeFile(path.join(dir, 'alice.json'), await annotate(h, [[0, ['1']], [1, ['2']], [2, ['3']]]));
    await writeFile(path.join(dir, 'bob.json'), await annotate(h, [[0, ['1']], [1, ['1']], [3, ['2']]]));
    await writeFile(path.join(dir, 'broken.json'), '{"format": "article-annotator", "version": 1, "annotations": 7');

    const { page, errors } = h.keep(await openPage(h.browser, h.server.url));
    await page.goto('/');
    await waitForWidget(page);
    // The reviewer has tagged sentence 0 as a claim too.
    await page.locator('[data-sentence="0"]').focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, '[data-sentence="0"]', 'data-labels', 'claim');
    await waitUntil(page, () => localStorage.getItem('article-annotator/v1/geneva-peace-plan'), null, 'own tags saved');
    const own = await page.evaluate(() => localStorage.getItem('article-annotator/v1/geneva-peace-plan'));

    const chooser = page.waitForEvent('filechooser');
    await page.locator('[data-action="compare"]').click();
    await (await chooser).setFiles(['alice.json', 'bob.json', 'broken.json'].map((f) => path.join(dir, f)));
    await page.waitForSelector('.aa-compare');
    assert.equal(await page.locator('.aa-article').isVisible(), false, 'the compare view replaces the article');
    const notice = await page.locator('.aa-notice').first().textContent();
    assert.match(notice, /“broken\.json” cannot be compared: .*Nothing was changed\./);
    assert.deepEqual(await page.$$eval('.aa-who', (w) => w.map((e) => e.firstChild.textContent)), ['reader', 'alice', 'bob']);
    assert.match(await page.locator('.aa-compare-count').textContent(), /^3 annotators · 3 of 24 sentences disagree · 0 reviewed$/);
    assert.deepEqual(await listed(page), [1, 2, 3], 'only the disagreements are listed, in text order');

    // Figures: per label, a number or a dash, and a reading in words; never NaN.
    const figures = await page.locator('.aa-figures').textContent();
    assert.ok(!figures.includes('NaN'), figures);
    const claim = await page.locator('.aa-figures-table tr[data-label="claim"] .aa-reading').textContent();
    assert.match(claim, /^claim: (good|tentative|poor) agreement \(alpha 0\.\d\d\)|^claim: worse than chance/);
    // Sentence 1: claim by reader? no; alice quote, bob claim; reader nothing.
    const row1 = page.locator('.aa-compare-list > [data-sentence="1"]');
    assert.deepEqual(await row1.locator('.aa-cmp-given tr:not(.aa-cmp-gold) td:nth-child(2)').allTextContents(), ['no labels', 'quote', 'claim']);

    // Keys: n and p move from disagreement to disagreement (wrapping).
    await row1.focus();
    await page.keyboard.press('n');
    assert.equal(await activeSentence(page), '2');
    await page.keyboard.press('n');
    assert.equal(await activeSentence(page), '3');
    await page.keyboard.press('n');
    assert.equal(await activeSentence(page), '1', 'wraps to the first disagreement');
    await page.keyboard.press('p');
    assert.equal(await activeSentence(page), '3');
    await page.keyboard.press('k');
    assert.equal(await activeSentence(page), '2');

    // Adjudicate sentence 1: accept alice's (quote), add claim by key, mark reviewed.
    await row1.getByRole('button', { name: "Accept alice's labels for sentence 2" }).click();
    await waitForAttribute(page, '[data-sentence="1"] .aa-cmp-toggle.aa-label-1', 'aria-pressed', 'true');
    await row1.focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, '[data-sentence="1"] .aa-cmp-toggle.aa-label-0', 'aria-pressed', 'true');
    await page.keyboard.press('r');
    await waitForAttribute(page, '.aa-compare-list > [data-sentence="1"]', 'data-reviewed', '');
    assert.match(await page.locator('.aa-compare-count').textContent(), /· 1 reviewed$/);
    // Sentence 3: join all (bob's quote).
    await page.locator('.aa-compare-list > [data-sentence="3"]').getByRole('button', { name: 'Join all labels for sentence 4' }).click();
    await waitForAttribute(page, '[data-sentence="3"] .aa-cmp-toggle.aa-label-1', 'aria-pressed', 'true');

    const agreed = page.locator('[data-action="compare-agreed"]');
    assert.equal(await agreed.textContent(), 'Show the 21 sentences where everyone agrees');
    await mkdir(OUT, { recursive: true });
    await page.locator('.aa-root').screenshot({ path: path.join(OUT, 'compare.png') });

    const gold = await downloadJson(page, page.locator('[data-action="export-gold-json"]'));
    assert.equal(gold.filename, 'geneva-peace-plan-gold-annotations.json');
    const goldTags = gold.json.annotations.map((a) => [a.target.quote.exact.slice(0, 20), a.labels]).sort();
    assert.equal(gold.json.annotations.length, 2);
    assert.deepEqual(gold.json.annotations.map((a) => a.labels.join(' ')).sort(), ['claim quote', 'quote'], JSON.stringify(goldTags));

    const wide = await downloadText(page, page.locator('[data-action="export-wide-csv"]'));
    assert.equal(wide.filename, 'geneva-peace-plan-compare.csv');
    const header = wide.text.slice(1, wide.text.indexOf('\r\n'));
    assert.equal(header, 'document,sentence,start,end,text,reader,alice,bob,gold');
    await writeFile(path.join(OUT, 'compare-wide.csv'), wide.text);
    // The figures as shown, for the formats step to check against the agreement command.
    const shown = await page.$$eval('.aa-figures-table:first-of-type tbody tr', (rows) => Object.fromEntries(rows.map((r) => [
      r.dataset.distance || r.dataset.label, [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent.trim())])));
    await writeFile(path.join(OUT, 'compare-figures.json'), JSON.stringify(shown));
    await writeFile(path.join(OUT, 'compare-gold.json'), gold.text);
    for (const f of ['alice.json', 'bob.json']) await writeFile(path.join(OUT, `compare-${f}`), await readFile(path.join(dir, f)));
    await writeFile(path.join(OUT, 'compare-reader.json'), (await downloadJson(page, page.locator('[data-action="export-json"]'))).text);

    // Escape goes back to the article; the reviewer's own tags are as they were.
    await page.locator('.aa-compare-list > [data-sentence="1"]').focus();
    await page.keyboard.press('Escape');
    await page.waitForSelector('.aa-compare', { state: 'detached' });
    assert.equal(await page.locator('.aa-article').isVisible(), true);
    await page.waitForTimeout(700);
    assert.equal(await page.evaluate(() => localStorage.getItem('article-annotator/v1/geneva-peace-plan')), own, 'nothing was merged into the own tags');

    // A reload keeps the gold set and its review marks.
    await page.reload();
    await waitForWidget(page);
    const again = page.waitForEvent('filechooser');
    await page.locator('[data-action="compare"]').click();
    await (await again).setFiles(['alice.json', 'bob.json'].map((f) => path.join(dir, f)));
    await page.waitForSelector('.aa-compare-list > [data-sentence="1"][data-reviewed]');
    await waitForAttribute(page, '[data-sentence="1"] .aa-cmp-toggle.aa-label-0', 'aria-pressed', 'true');
    assert.deepEqual(errors, []);
  });
});
