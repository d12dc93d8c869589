// End-to-end tests of the library (issue 10), on the demo page as a reader uses it:
// paste an article, tag it, switch documents, reload, delete and undo, export all,
// clear storage, import all; open files (text, Markdown, HTML, by picker and by drop);
// links to a document and a sentence; and every bad input refused with a message
// and nothing changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { downloadJson, harness, waitForAttribute, waitForWidget, waitUntil } from './helpers.mjs';

const sel = (i) => `[data-sentence="${i}"]`;
const PASTED = `Ministers meet in Oslo to sign the fisheries accord.

"We have waited ten years for this," said the delegate from Iceland. Critics say the quotas are too generous.

The accord takes effect in March.`;

describe('a library of annotated documents', { timeout: 300_000 }, () => {
  const h = harness();

  async function demo(path = '/') {
    const context = await h.browser.newContext({ baseURL: h.server.url, acceptDownloads: true });
    h.keep(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(path);
    await waitForWidget(page);
    return { context, page, errors };
  }
  const button = (page, name) => page.getByRole('button', { name, exact: true });
  const ourKeys = (page) =>
    page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('article-annotator/'))
        .sort()
        .map((k) => [k, localStorage.getItem(k)]),
    );
  async function paste(page, text, { title = '', source = '' } = {}) {
    await button(page, 'New article').click();
    await page.locator('.aa-new-text').fill(text);
    if (title) await page.locator('.aa-new-title-input').fill(title);
    if (source) await page.locator('.aa-new-source').fill(source);
    await button(page, 'Add article').click();
  }
  async function showLibrary(page) {
    await button(page, 'Library').click();
    await page.waitForSelector('.aa-library');
  }
  const docRow = (page, title) => page.locator('.aa-doc', { hasText: title });
  const saved = (page) => waitUntil(page, () => document.querySelector('.aa-save-status')?.textContent === 'Saved', null, 'saved');

  it('paste, tag, switch away and back, reload: the tags and the place are kept', async () => {
    const { page, errors } = await demo();
    await paste(page, PASTED, { title: 'Oslo accord', source: 'https://news.example/oslo' });
    await page.waitForFunction(() => document.querySelector('.aa-open-title')?.textContent === 'Oslo accord');
    assert.equal(await page.locator('[data-sentence]').count(), 4);
    await page.locator(sel(1)).focus();
    await page.keyboard.press('2');
    await page.keyboard.press('j');
    await page.keyboard.press('1');
    await saved(page);
    // The URL names the document and the focused sentence.
    await page.waitForFunction(() => /#aa-doc=text-[0-9a-f]+&s=2$/.test(location.hash));

    await showLibrary(page);
    assert.match(page.url(), /#aa-library$/);
    const row = docRow(page, 'Oslo accord');
    await assert.doesNotReject(row.waitFor());
    assert.match(await row.textContent(), /4 sentences · 2 tagged/);
    assert.match(await row.textContent(), /news\.example\/oslo/);
    assert.match(await docRow(page, 'Geneva').textContent(), /24 sentences · 0 tagged/);
    // Newest first: the pasted article was changed last.
    assert.match(await page.locator('.aa-doc').first().textContent(), /Oslo accord/);

    await docRow(page, 'Geneva').locator('.aa-doc-open').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-sentence]').length === 24);
    await page.locator(sel(0)).focus();
    await page.keyboard.press('3');
    await saved(page);

    // Back goes to the library, back again to the pasted article with its tags.
    await page.goBack();
    await page.waitForSelector('.aa-library');
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('[data-sentence]').length === 4);
    await waitForAttribute(page, sel(1), 'data-labels', 'quote');
    await waitForAttribute(page, sel(2), 'data-labels', 'claim');

    // Reload keeps the open document and the focused sentence.
    await page.locator(sel(3)).focus();
    await page.waitForFunction(() => location.hash.endsWith('&s=3'));
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('[data-sentence]').length === 4);
    assert.equal(await page.locator('.aa-open-title').textContent(), 'Oslo accord');
    await waitForAttribute(page, sel(2), 'data-labels', 'claim');
    await waitUntil(page, () => document.querySelector('.aa-sentence.aa-focused, [data-sentence][tabindex="0"]')?.getAttribute('data-sentence') === '3', null, 'sentence 3 focused after reload');

    // Opening the same text again finds its tags instead of making a copy.
    await paste(page, PASTED.replace(/\n/g, '\r\n'));
    await page.locator('.aa-notice', { hasText: 'already' }).waitFor();
    await waitForAttribute(page, sel(1), 'data-labels', 'quote');
    await showLibrary(page);
    assert.equal(await docRow(page, 'Oslo accord').count(), 1);
    assert.deepEqual(errors, []);
  });

  it('rename, delete with a confirmation, and undo', async () => {
    const { page } = await demo();
    await paste(page, PASTED);
    await page.locator(sel(0)).focus();
    await page.keyboard.press('1');
    await saved(page);
    await showLibrary(page);
    const row = docRow(page, 'Ministers meet in Oslo');
    await row.getByRole('button', { name: /^Rename/ }).click();
    await page.locator('.aa-rename input').fill('Fisheries accord');
    await page.keyboard.press('Enter');
    await docRow(page, 'Fisheries accord').waitFor();
    const before = await ourKeys(page);

    await docRow(page, 'Fisheries accord').getByRole('button', { name: /^Delete/ }).click();
    await page.locator('.aa-confirm', { hasText: 'Delete “Fisheries accord” and its 1 tag?' }).waitFor();
    await page.locator('.aa-confirm').getByRole('button', { name: 'Keep it' }).click();
    assert.equal(await docRow(page, 'Fisheries accord').count(), 1, 'keeping it keeps it');
    await docRow(page, 'Fisheries accord').getByRole('button', { name: /^Delete/ }).click();
    await page.locator('.aa-confirm').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('.aa-undo-delete', { hasText: 'Deleted “Fisheries accord”' }).waitFor();
    assert.equal(await docRow(page, 'Fisheries accord').count(), 0);
    assert.ok((await ourKeys(page)).length < before.length, 'its keys are gone');

    await page.locator('.aa-undo-delete').getByRole('button', { name: 'Undo' }).click();
    await docRow(page, 'Fisheries accord').waitFor();
    assert.deepEqual(await ourKeys(page), before, 'undo puts back every key as it was');
    await docRow(page, 'Fisheries accord').locator('.aa-doc-open').click();
    await waitForAttribute(page, sel(0), 'data-labels', 'claim');
  });

  it('export all, clear storage, import all: everything is back, and importing again changes nothing', async () => {
    const { page } = await demo();
    await page.locator(sel(4)).focus();
    await page.keyboard.press('2');
    await saved(page);
    await paste(page, PASTED, { title: 'Oslo accord', source: 'https://news.example/oslo' });
    await page.waitForFunction(() => document.querySelectorAll('[data-sentence]').length === 4);
    await page.locator(sel(0)).focus();
    await page.keyboard.press('3');
    await page.locator('.aa-open-title').click(); // leave the article; the tag is saved on the way out
    await saved(page);
    await showLibrary(page);
    const before = await ourKeys(page);
    const exported = await downloadJson(page, button(page, 'Export all'));
    assert.match(exported.filename, /^article-annotator-library-\d{4}-\d{2}-\d{2}\.json$/);
    assert.equal(exported.json.format, 'article-annotator-library');
    assert.equal(exported.json.documents.length, 2);
    const dir = await mkdtemp(path.join(tmpdir(), 'aa-library-'));
    const file = path.join(dir, exported.filename);
    await writeFile(file, exported.text);

    await page.evaluate(() => localStorage.clear());
    await page.reload();
    // The URL still says "library": the reload shows the list, not an article.
    await page.waitForFunction(() => location.hash === '#aa-library' && document.querySelector('.aa-library'));
    assert.equal(await page.locator('.aa-doc').count(), 1, 'only the host article is left');

    await page.setInputFiles('.aa-library-file', file);
    const dialog = page.locator('.aa-library-import');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /1 document added, 1 merged \(1 new tag, 0 updated\)/);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('.aa-notice', { hasText: 'Imported' }).waitFor();
    const after = await ourKeys(page);
    assert.deepEqual(after.map(([k]) => k), before.map(([k]) => k));
    for (const [key, value] of before) {
      const now = after.find(([k]) => k === key)[1];
      if (key.includes('/v1/')) {
        const ids = (v) => JSON.parse(v).annotations.map((a) => [a.id, a.labels.join(' '), a.modified]);
        assert.deepEqual(ids(now), ids(value), key);
      } else if (key.includes('/doc/')) {
        const { added, ...rest } = JSON.parse(now);
        const { added: _, ...was } = JSON.parse(value);
        assert.deepEqual(rest, was, key);
      } else {
        assert.equal(now, value, key);
      }
    }
    await docRow(page, 'Oslo accord').locator('.aa-doc-open').click();
    await waitForAttribute(page, sel(0), 'data-labels', 'position');
    await showLibrary(page);
    await docRow(page, 'Geneva').locator('.aa-doc-open').click();
    await waitForAttribute(page, sel(4), 'data-labels', 'quote');

    // The same file again: nothing to do, and the reader is told so.
    await showLibrary(page);
    await page.setInputFiles('.aa-library-file', file);
    await page.locator('.aa-notice', { hasText: 'in your library already' }).waitFor();
  });

  it('opens text, Markdown and HTML files by picker and by drop; HTML keeps only its readable text', async () => {
    const { page } = await demo();
    await page.evaluate(() => (window.pwned = 0));
    const html = `<!doctype html><html><head><title>Port strike ends</title><style>p{color:red}</style>
      <script>window.pwned = 1</script></head><body><nav>Home | World | Sport</nav>
      <article><h1>Port strike ends</h1><p>Dock workers returned on Monday.   The union called it a <b>victory</b>.</p>
      <img src="x" onerror="window.pwned = 2"><p>Shipping resumes today.</p><script>window.pwned = 3</script></article>
      <footer>© Example News</footer></body></html>`;
    await page.setInputFiles('.aa-article-file', { name: 'strike.html', mimeType: 'text/html', buffer: Buffer.from(html) });
    await page.waitForFunction(() => document.querySelector('.aa-open-title')?.textContent === 'Port strike ends');
    const texts = await page.locator('[data-sentence]').allTextContents();
    assert.deepEqual(texts, ['Port strike ends', 'Dock workers returned on Monday.', 'The union called it a victory.', 'Shipping resumes today.']);
    assert.equal(await page.locator('.aa-paragraph').count(), 3, 'heading and two paragraphs');
    assert.equal(await page.evaluate(() => window.pwned), 0, 'nothing in the file ran');

    await page.setInputFiles('.aa-article-file', { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Budget vote\n\nThe **council** approved the [budget](https://x.example).\n') });
    await page.waitForFunction(() => document.querySelector('.aa-open-title')?.textContent === 'Budget vote');
    assert.deepEqual(await page.locator('[data-sentence]').allTextContents(), ['Budget vote', 'The council approved the budget.']);

    // Dropped on the widget (a text file: an article, not an annotation import).
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['Bridge reopens after repairs. Traffic is light.'], 'bridge.txt', { type: 'text/plain' }));
      document.querySelector('.aa-article').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelector('.aa-open-title')?.textContent === 'Bridge reopens after repairs. Traffic is light.');
    assert.equal(await page.locator('[data-sentence]').count(), 2);
    await showLibrary(page);
    assert.equal(await page.locator('.aa-doc').count(), 4);
  });

  it('refuses bad files with a clear message and changes nothing', async () => {
    const { page } = await demo();
    await page.locator(sel(0)).focus();
    await page.keyboard.press('1');
    await saved(page);
    const before = await ourKeys(page);
    const dir = await mkdtemp(path.join(tmpdir(), 'aa-bad-'));
    const big = path.join(dir, 'huge.txt');
    await writeFile(big, Buffer.alloc(50 * 1024 * 1024, 'a'));
    const cases = [
      [{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) }, /“empty\.txt” is empty/],
      [{ name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]) }, /not a text file/],
      [big, /“huge\.txt” is 50\.0 MB; articles over 10 MB are not opened/],
      [{ name: 'latin1.txt', mimeType: 'text/plain', buffer: Buffer.from('Caf\xe9 au lait. Cr\xe8me br\xfbl\xe9e.', 'latin1') }, /not UTF-8 text .*Latin-1/],
      [{ name: 'shell.html', mimeType: 'text/html', buffer: Buffer.from('<html><head><script>x()</script></head><body><nav>Menu</nav><div><img src=a></div></body></html>') }, /holds no readable text, only markup/],
    ];
    for (const [file, message] of cases) {
      await page.setInputFiles('.aa-article-file', file);
      const notice = page.locator('.aa-notice-error', { hasText: message });
      await notice.waitFor({ timeout: 15_000 });
      assert.match(await notice.textContent(), /Nothing was changed/);
      await notice.getByRole('button', { name: 'Dismiss' }).click();
    }
    assert.deepEqual(await ourKeys(page), before, 'storage is exactly as it was');
    assert.equal(await page.locator('[data-sentence]').count(), 24, 'the open article stays open');
    await waitForAttribute(page, sel(0), 'data-labels', 'claim');

    // A single article's export is not a library: the reader is pointed to the right button.
    const single = await downloadJson(page, button(page, 'Export JSON'));
    await showLibrary(page);
    await page.setInputFiles('.aa-library-file', { name: single.filename, mimeType: 'application/json', buffer: Buffer.from(single.text) });
    await page.locator('.aa-notice-error', { hasText: 'one article' }).waitFor();
    assert.deepEqual(await ourKeys(page), before);
    // And a New article with nothing in it, or a source that is not a web address, is refused in the dialog.
    await button(page, 'New article').click();
    await button(page, 'Add article').click();
    await page.locator('.aa-field-error', { hasText: 'Paste the article' }).waitFor();
    await page.locator('.aa-new-text').fill('Some text.');
    await page.locator('.aa-new-source').fill('javascript:alert(1)');
    await button(page, 'Add article').click();
    await page.locator('.aa-field-error', { hasText: 'not a web address' }).waitFor();
    await button(page, 'Cancel').click();
    assert.deepEqual(await ourKeys(page), before);
  });

  it('shows how much storage the library uses and warns well before the quota', async () => {
    const { page } = await demo();
    await showLibrary(page);
    assert.match(await page.locator('.aa-usage').textContent(), /The library uses [\d,]+ of about 5,000,000 characters/);
    assert.equal(await page.locator('.aa-usage-warning').count(), 0);
    await page.evaluate(() => localStorage.setItem('someone-else', 'x'.repeat(3_700_000)));
    await button(page, 'Back to the article').click();
    await showLibrary(page);
    await page.locator('.aa-usage-warning', { hasText: 'Storage is filling up' }).waitFor();
  });

  it('a link to a sentence of the host article focuses it', async () => {
    const { page } = await demo('/#aa-doc=geneva-peace-plan&s=5');
    await waitForAttribute(page, sel(5), 'tabindex', '0');
    await page.locator(sel(5)).focus();
    await page.keyboard.press('j');
    await page.waitForFunction(() => location.hash === '#aa-doc=geneva-peace-plan&s=6');
  });

  it('a link to a document that is not in this browser says so and shows the host article', async () => {
    const { page } = await demo('/#aa-doc=text-0123456789abcdef&s=2');
    await page.locator('.aa-notice-error', { hasText: 'not kept in this browser' }).waitFor();
    assert.equal(await page.locator('[data-sentence]').count(), 24);
  });
});
