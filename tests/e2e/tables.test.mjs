// End-to-end test of the tables for analysis: "Export CSV" and "Export JSONL" download
// one row per sentence for the reader (named by data-annotator / the annotator option),
// consistent with "Export JSON". The files are kept for the `formats` step, which reads
// them with Python's csv and json modules (tests/e2e/check_tables.py).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadJson, downloadText, harness, waitForAttribute, waitForWidget } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = process.env.AA_E2E_OUT || path.join(here, '..', '..', 'target', 'e2e');

describe('tables for analysis', { timeout: 120_000 }, () => {
  const h = harness();

  it('Export CSV and Export JSONL give one row per sentence, as Export JSON has them', async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url, acceptDownloads: true }));
    const page = await c.newPage();
    await page.goto('/');
    await waitForWidget(page);
    await page.locator('[data-sentence="0"]').focus();
    await page.keyboard.press('1');
    await page.locator('[data-sentence="2"]').focus();
    await page.keyboard.press('2');
    await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await page.locator('.aa-note textarea').fill('Checked, "twice"\nsee the wire');
    await page.keyboard.press('Control+Enter');
    await waitForAttribute(page, '[data-sentence="2"]', 'data-labels', 'quote position');
    const csv = await downloadText(page, page.locator('[data-action="export-csv"]'));
    const jsonl = await downloadText(page, page.locator('[data-action="export-jsonl"]'));
    const native = await downloadJson(page, page.locator('[data-action="export-json"]'));
    assert.equal(csv.filename, 'geneva-peace-plan-annotations.csv');
    assert.equal(jsonl.filename, 'geneva-peace-plan-annotations.jsonl');
    assert.ok(csv.text.startsWith('\ufeffdocument,sentence,start,end,text,labels,note,annotator,modified\r\n'), csv.text.slice(0, 80));
    assert.ok(csv.text.includes('"Checked, ""twice""\nsee the wire"'), 'a note with a comma, quotes and a line break is one quoted cell');
    const rows = jsonl.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.equal(rows.length, 24);
    assert.deepEqual(rows.filter((r) => r.labels.length).map((r) => [r.sentence, r.labels, r.annotator]), [[0, ['claim'], 'reader'], [2, ['quote', 'position'], 'reader']]);
    for (const a of native.json.annotations) {
      const row = rows.find((r) => r.start === a.target.position.start);
      assert.deepEqual(row?.labels, a.labels, `the row of ${a.target.quote.exact.slice(0, 30)}…`);
    }
    await mkdir(OUT, { recursive: true });
    await writeFile(path.join(OUT, 'table-export.csv'), csv.text);
    await writeFile(path.join(OUT, 'table-export.jsonl'), jsonl.text);
    await writeFile(path.join(OUT, 'table-native.json'), native.text);
  });
});
