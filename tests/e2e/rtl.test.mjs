// End-to-end tests of a right-to-left article: the widget takes its direction from the
// language the host names or from the text, mirrors (toolbar, badges, picker), keeps
// keys and code-point offsets as they are, and passes axe-core.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness, waitForAttribute } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const OUT = process.env.AA_E2E_OUT || path.join(here, '..', '..', 'target', 'e2e');
const AR = 'أعلن الرئيس عن خطة جديدة للسلام. وقال المتحدث إن المحادثات ستستمر في جنيف؟ نعم، ستبدأ الجولة التالية غداً.\nرحب الوزراء بالخطة.';

describe('right to left', { timeout: 120_000 }, () => {
  const h = harness();

  it('an Arabic article reads right to left, mirrors, keeps keys and offsets, and passes axe', async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url, viewport: { width: 900, height: 700 } }));
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    await page.evaluate((text) => {
      document.querySelectorAll('[data-article-annotator]').forEach((el) => el.remove());
      const named = document.createElement('div');
      named.id = 'named';
      named.dataset.articleAnnotator = '';
      named.dataset.docId = 'rtl-named';
      named.dataset.lang = 'ar';
      named.dataset.storage = 'none';
      named.textContent = text;
      // No language given: the direction comes from the text (the page says lang="en").
      const guessed = document.createElement('div');
      guessed.id = 'guessed';
      guessed.dataset.articleAnnotator = '';
      guessed.dataset.docId = 'rtl-guessed';
      guessed.dataset.storage = 'none';
      guessed.textContent = text;
      document.body.prepend(named, guessed);
    }, AR);
    await page.waitForSelector('#named [data-sentence="3"]');
    await page.waitForSelector('#guessed [data-sentence="3"]');
    for (const id of ['named', 'guessed']) {
      assert.equal(await page.locator(`#${id} .aa-host`).getAttribute('dir'), 'rtl', id);
    }
    assert.equal(await page.locator('#named .aa-article').getAttribute('lang'), 'ar');
    // The toolbar's buttons carry a stable data-action in any language and direction.
    const actions = await page.evaluate(() => [...document.querySelectorAll('#named .aa-toolbar [data-action]')].map((b) => b.dataset.action));
    assert.deepEqual(actions.sort(), ['compare', 'export-csv', 'export-json', 'export-jsonl', 'export-w3c', 'help', 'import', 'redo', 'sync', 'undo']);
    // Mirrored: the toolbar runs from the right, so Undo (first) is right of Export JSON (last).
    const x = async (action) => (await page.locator(`#named [data-action="${action}"]`).boundingBox()).x;
    assert.ok((await x('undo')) > (await x('export-json')), 'the toolbar is mirrored');
    // Keys and offsets are as in any language: code points into the text.
    await page.locator('#named [data-sentence="1"]').focus();
    await page.keyboard.press('1');
    await page.keyboard.press('j');
    await page.keyboard.press('2');
    await waitForAttribute(page, '#named [data-sentence="1"]', 'data-labels', 'claim');
    await waitForAttribute(page, '#named [data-sentence="2"]', 'data-labels', 'quote');
    const positions = await page.evaluate(() => window.articleAnnotator.widgetFor(document.querySelector('#named')).annotations().map((a) => [a.sentence, a.target.position.start, a.target.position.end, a.target.quote.exact]));
    assert.deepEqual(positions, [[1, 33, 74, 'وقال المتحدث إن المحادثات ستستمر في جنيف؟'], [2, 75, 106, 'نعم، ستبدأ الجولة التالية غداً.']]);
    await page.locator('#named [data-sentence="3"]').click();
    await page.waitForSelector('#named .aa-picker');
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector('#named'))).violations.map((v) => `${v.id}: ${v.help}`));
    assert.deepEqual(violations, []);
    await page.locator('#named').screenshot({ path: path.join(OUT, 'rtl.png') });
  });
});
