// End-to-end test of the annotation guidelines: each label's description, in the
// Guidelines panel, the picker and the keyboard help; a host's own labels bring theirs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harness, waitForWidget } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');

describe('guidelines', { timeout: 120_000 }, () => {
  const h = harness();

  it("the labels' descriptions show in the Guidelines panel, the picker and the help", async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await page.goto('/');
    await waitForWidget(page);
    await page.locator('.aa-guidelines > summary').click();
    const listed = await page.evaluate(() => [...document.querySelectorAll('.aa-guideline')].map((g) => [g.dataset.label, g.querySelector('dd').textContent]));
    assert.deepEqual(listed.map(([name]) => name), ['claim', 'quote', 'position']);
    assert.ok(listed.every(([, what]) => what.length > 20), JSON.stringify(listed));
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector('.aa-root'))).violations.map((v) => `${v.id}: ${v.help}`));
    assert.deepEqual(violations, []);
    await page.locator('[data-sentence="1"]').click();
    const title = await page.locator('.aa-picker [data-label="quote"]').getAttribute('title');
    assert.equal(title, `Toggle quote (key 2): ${listed[1][1]}`);
    await page.keyboard.press('Escape');
    await page.locator('[data-sentence="1"]').focus();
    await page.keyboard.press('?');
    assert.match(await page.locator('.aa-help').textContent(), /toggle the label position: A stance/);
  });

  it("a host's labels bring their own descriptions; without any, there is no panel", async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    const out = await page.evaluate(async () => {
      const make = (labels) => {
        const el = document.createElement('div');
        document.body.prepend(el);
        window.articleAnnotator.mount(el, { text: 'One. Two.', docId: `g-${labels[0].name}`, storage: 'none', labels });
        return el;
      };
      const described = make([{ name: 'rumour', key: 'r', color: '#b91c1c', description: 'Said by one unnamed source.' }, { name: 'fact', key: 'f', color: 'teal' }]);
      const bare = make([{ name: 'plain', key: 'p', color: 'teal' }]);
      await new Promise((r) => setTimeout(r, 300));
      return {
        listed: [...described.querySelectorAll('.aa-guideline')].map((g) => [g.dataset.label, g.querySelector('dd').textContent]),
        bare: bare.querySelectorAll('.aa-guidelines').length,
      };
    });
    assert.deepEqual(out.listed, [['rumour', 'Said by one unnamed source.'], ['fact', '']]);
    assert.equal(out.bare, 0);
  });
});
