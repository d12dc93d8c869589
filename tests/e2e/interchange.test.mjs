// End-to-end tests of the interchange features on the demo page: "Export W3C",
// "Import" (file picker and drag and drop, native and W3C files, merge / replace,
// skipped items listed), bad files, and the "Orphaned" panel.
// The exports are written to $AA_E2E_OUT (default target/e2e) so that `cargo xtask
// test` can check them with the W3C peer validator and the native JSON Schema.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadJson, harness, openPage, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(process.env.AA_E2E_OUT || path.join(here, '..', '..', 'target', 'e2e'));
const sel = (i) => `[data-sentence="${i}"]`;

describe('export W3C, import, orphans', { timeout: 180_000 }, () => {
  const h = harness();
  let tmp;
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-e2e-'));
    await mkdir(OUT, { recursive: true });
  });

  async function open() {
    const s = await openPage(h.browser, h.server.url);
    h.keep(s);
    await s.page.goto('/');
    await waitForWidget(s.page);
    return s;
  }

  async function tag(page, i, keys, expected) {
    await page.locator(sel(i)).focus();
    for (const key of keys) await page.keyboard.press(key);
    await waitForAttribute(page, sel(i), 'data-labels', expected);
  }

  async function importFile(page, file) {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import', exact: true }).click(),
    ]);
    await chooser.setFiles(file);
  }

  async function writeTmp(name, text) {
    const file = path.join(tmp, name);
    await writeFile(file, text);
    return file;
  }

  it('"Export W3C" downloads a collection with tagging bodies and both selectors', async () => {
    const { page, errors } = await open();
    await tag(page, 0, ['1'], 'claim');
    await tag(page, 4, ['2', '3'], 'quote position');
    await tag(page, 15, ['2'], 'quote');
    const { filename, text, json } = await downloadJson(page, page.getByRole('button', { name: 'Export W3C' }));
    await writeFile(path.join(OUT, 'w3c-export.jsonld'), text);
    assert.equal(filename, 'geneva-peace-plan-w3c.jsonld');
    assert.equal(json['@context'], 'http://www.w3.org/ns/anno.jsonld');
    assert.equal(json.type, 'AnnotationCollection');
    assert.equal(json.total, 3);
    const items = json.first.items;
    assert.deepEqual(items.map((a) => a.body.map((b) => b.value)), [['claim'], ['quote', 'position'], ['quote']]);
    for (const a of items) {
      assert.equal(a.type, 'Annotation');
      assert.equal(a.motivation, 'tagging');
      assert.ok(a.body.every((b) => b.type === 'TextualBody' && b.purpose === 'tagging'));
      assert.match(a.target.source, /^http:\/\/127\.0\.0\.1:\d+\/geneva-peace-plan\.txt$/);
      const [quote, position] = a.target.selector;
      assert.equal(quote.type, 'TextQuoteSelector');
      assert.equal(position.type, 'TextPositionSelector');
    }
    const sentence4 = await page.locator(sel(4)).textContent();
    assert.equal(items[1].target.selector[0].exact, sentence4);
    // Sentence 15 repeats sentence 4: the contexts must tell them apart.
    assert.equal(items[2].target.selector[0].exact, sentence4);
    assert.notDeepEqual(
      [items[1].target.selector[0].prefix, items[1].target.selector[0].suffix],
      [items[2].target.selector[0].prefix, items[2].target.selector[0].suffix],
    );
    assert.deepEqual(errors, []);
  });

  it('a native export imported into a fresh browser restores every tag', async () => {
    const first = await open();
    await tag(first.page, 1, ['1'], 'claim');
    await tag(first.page, 13, ['3'], 'position');
    const { text } = await downloadJson(first.page, first.page.getByRole('button', { name: 'Export JSON' }));
    await writeFile(path.join(OUT, 'native-export.json'), text);
    const file = await writeTmp('mine.json', text);

    const second = await open();
    assert.equal(await second.page.locator(sel(1)).getAttribute('data-labels'), '');
    await importFile(second.page, file);
    const dialog = second.page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /article-annotator JSON: 2 annotations can be imported/);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await waitForAttribute(second.page, sel(1), 'data-labels', 'claim');
    await waitForAttribute(second.page, sel(13), 'data-labels', 'position');
    assert.equal(await second.page.locator(sel(2)).getAttribute('data-labels'), '', 'the twin of 13 stays untagged');
    assert.deepEqual(second.errors, []);
  });

  it('a W3C file merges with existing tags, lists skipped items, and undo takes it back', async () => {
    const source = await open();
    await tag(source.page, 0, ['2'], 'quote');
    await tag(source.page, 6, ['1'], 'claim');
    const { json } = await downloadJson(source.page, source.page.getByRole('button', { name: 'Export W3C' }));
    // One broken item: a target with no selector.
    json.first.items.push({ type: 'Annotation', id: 'http://example.org/broken', body: { type: 'TextualBody', purpose: 'tagging', value: 'claim' }, target: 'http://example.org/a' });
    json.total = json.first.items.length;
    const file = await writeTmp('theirs.jsonld', JSON.stringify(json));

    const { page, errors } = await open();
    await tag(page, 0, ['1'], 'claim');
    await importFile(page, file);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const summary = await dialog.textContent();
    assert.match(summary, /W3C Web Annotation: 2 annotations can be imported, 1 item skipped/);
    assert.match(summary, /\$\.first\.items\[2\]: target/);
    await dialog.getByRole('button', { name: 'Merge with mine' }).click();
    await waitForAttribute(page, sel(0), 'data-labels', 'claim quote');
    await waitForAttribute(page, sel(6), 'data-labels', 'claim');
    await page.locator(sel(0)).focus();
    await page.keyboard.press('Control+z');
    await waitForAttribute(page, sel(0), 'data-labels', 'claim');
    await waitForAttribute(page, sel(6), 'data-labels', '');
    assert.deepEqual(errors, []);
  });

  it('"Replace mine" drops the current tags for the imported ones', async () => {
    const source = await open();
    await tag(source.page, 3, ['3'], 'position');
    const { text } = await downloadJson(source.page, source.page.getByRole('button', { name: 'Export JSON' }));
    const file = await writeTmp('replace.json', text);
    const { page } = await open();
    await tag(page, 0, ['1'], 'claim');
    await importFile(page, file);
    await page.getByRole('dialog').getByRole('button', { name: 'Replace mine' }).click();
    await waitForAttribute(page, sel(3), 'data-labels', 'position');
    await waitForAttribute(page, sel(0), 'data-labels', '');
  });

  it('bad files get a clear message and change nothing', async () => {
    const { page, errors } = await open();
    await tag(page, 2, ['1'], 'claim');
    const cases = [
      ['broken.json', '{"format": "article-annot', /cannot be imported: not valid JSON/],
      ['other.json', '{"hello": "world"}', /cannot be imported: not an article-annotator file/],
      ['binary.json', Buffer.from([0, 159, 146, 150, 255, 1, 2]), /cannot be imported/],
    ];
    for (const [name, content, message] of cases) {
      await importFile(page, await writeTmp(name, content));
      await waitUntil(page, (re) => new RegExp(re).test(document.querySelector('.aa-notice')?.textContent ?? ''), message.source, `notice for ${name}`);
      assert.match(await page.locator('.aa-notice').textContent(), /Nothing was changed/);
      assert.equal(await page.getByRole('dialog').count(), 0);
    }
    // A 50 MB file is refused before it is read, without hanging the page.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Import', exact: true }).click(),
    ]);
    await chooser.setFiles(await writeTmp('huge.json', Buffer.alloc(50 * 1024 * 1024, 32)));
    await waitUntil(page, () => /"huge\.json" is 50\.0 MB; files over 10 MB are not imported/.test(document.querySelector('.aa-notice')?.textContent ?? ''), null, 'huge file refused');
    assert.equal(await page.locator(sel(2)).getAttribute('data-labels'), 'claim');
    assert.deepEqual(errors, []);
  });

  it('a file dropped on the widget is read like a picked one', async () => {
    const source = await open();
    await tag(source.page, 5, ['2'], 'quote');
    const { text } = await downloadJson(source.page, source.page.getByRole('button', { name: 'Export JSON' }));
    const { page } = await open();
    await page.evaluate((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped.json', { type: 'application/json' }));
      const root = document.querySelector('.aa-root');
      root.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
      root.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
    }, text);
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /dropped\.json/);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await waitForAttribute(page, sel(5), 'data-labels', 'quote');
  });

  it('tags whose text is gone are listed as orphaned, exported, and removed only by the reader', async () => {
    const { page, errors } = await open();
    const orphan = {
      format: 'article-annotator', version: 1,
      document: { id: 'another-article', fingerprint: 'fnv1a64:0', length: 60 },
      annotations: [{
        id: 'gone-1', labels: ['claim'],
        target: { quote: { exact: 'The mayor promised free buses for every student by June.', prefix: '', suffix: '' }, position: { start: 0, end: 57 } },
        created: '2026-11-01T10:00:00.000Z', modified: '2026-11-01T10:00:00.000Z',
      }],
    };
    await importFile(page, await writeTmp('orphan.json', JSON.stringify(orphan)));
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /exported from another document/);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const panel = page.getByRole('region', { name: /Orphaned/ });
    await panel.waitFor();
    assert.match(await panel.textContent(), /Orphaned \(1\).*free buses/s);
    // Kept through a reload and in the export.
    await page.reload();
    await waitForWidget(page);
    await panel.waitFor();
    const { json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
    assert.deepEqual(json.annotations.map((a) => a.id), ['gone-1']);
    await panel.getByRole('button', { name: /Remove orphaned claim tag/ }).click();
    await waitUntil(page, () => !document.querySelector('.aa-orphans'), null, 'orphan panel gone');
    assert.deepEqual(errors, []);
  });
});
