// End-to-end test of the Yew component in a Yew app of its own (examples/yew-app):
// the article renders as sentences, a key tags one, and the app's own markup shows the
// count it heard through the component's typed `on_change` callback.
//
// The app's build is named by AA_YEW_APP_DIST (`cargo xtask test` builds it into
// target/yew-app/dist and always sets it): a folder missing there is a failure. Run
// alone without the variable, the suite is skipped with a notice.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser, openPage, startServer, waitForAttribute, waitForWidget } from './helpers.mjs';

const given = process.env.AA_YEW_APP_DIST;
const DIST = given ? path.resolve(given) : null;
const skip = given
  ? false
  : 'skipped: no AA_YEW_APP_DIST (run through cargo xtask test, or build examples/yew-app with trunk and name its dist folder)';

describe('the Yew component in a Yew app', { timeout: 120_000, skip }, () => {
  let server;
  let browser;
  before(async () => {
    if (!existsSync(path.join(DIST, 'index.html'))) {
      throw new Error(`AA_YEW_APP_DIST=${DIST} holds no index.html: the Yew app was not built (see the yew-app build in cargo xtask test's output)`);
    }
    server = await startServer(DIST);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the article as sentences, tags one with a key, and the app counts the tag', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      await page.goto('/');
      await waitForWidget(page);
      const sentences = await page.locator('[data-sentence]').count();
      assert.ok(sentences >= 6, `expected the article's sentences, found ${sentences}`);
      assert.equal(await page.locator('.aa-article .aa-paragraph').count(), 2, "the app's two paragraphs");
      // The widget's own stylesheet applies (a plain Yew app links none).
      const adopted = await page.evaluate(() => document.adoptedStyleSheets.length);
      assert.ok(adopted >= 2, `expected the widget's base and label sheets, found ${adopted}`);
      assert.equal(await page.locator('#tag-count').getAttribute('data-tags'), '0');

      await page.locator('[data-sentence="1"]').focus();
      await page.keyboard.press('2');
      await waitForAttribute(page, '[data-sentence="1"]', 'data-labels', 'quote');
      await waitForAttribute(page, '#tag-count', 'data-tags', '1');
      assert.equal(await page.locator('#tag-count').textContent(), 'Tags so far: 1');

      await page.keyboard.press('1');
      await waitForAttribute(page, '[data-sentence="1"]', 'data-labels', 'claim quote');
      await waitForAttribute(page, '#tag-count', 'data-tags', '2');
      // The label rules scoped to this widget colour the tagged sentence.
      const color = await page.locator('[data-sentence="1"]').evaluate((el) => getComputedStyle(el).getPropertyValue('--aa-label-color').trim());
      assert.notEqual(color, '', 'the tagged sentence has no label colour');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
