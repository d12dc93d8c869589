// End-to-end tests of the article's language: segmentation by the rules of the language
// given by mount(el, { lang }), data-lang, or the nearest lang attribute of the page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './helpers.mjs';

const UK = 'Засідання відбулося в м. Київ за участю проф. Коваля. Інше речення.';
const DE = 'Die Wahl fand am 3. Oktober statt. Danach sprach er.';

describe('the article\'s language', { timeout: 120_000 }, () => {
  const h = harness();

  it('segments by the language of the lang option, data-lang, or the nearest lang attribute', async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    const sentences = await page.evaluate(async ([uk, de]) => {
      const ready = (el) => new Promise((resolve) => { const t = setInterval(() => { if (el.querySelector('[data-sentence]')) { clearInterval(t); resolve(); } }, 20); });
      const texts = (el) => [...el.querySelectorAll('[data-sentence]')].map((s) => s.textContent);
      const place = (html) => { const box = document.createElement('div'); box.innerHTML = html; document.body.append(box); return box; };
      const out = {};
      // The lang option.
      const a = place('<div></div>').firstChild;
      window.articleAnnotator.mount(a, { text: de, docId: 'lang-option', lang: 'de', storage: 'none' });
      await ready(a);
      out.option = texts(a);
      // Auto-mount with data-lang.
      const b = place(`<div data-article-annotator data-doc-id="lang-attr" data-storage="none" data-lang="uk">${uk}</div>`).firstChild;
      await ready(b);
      out.dataLang = texts(b);
      // The nearest lang attribute of the page, with a region subtag.
      const cBox = place(`<section lang="uk-UA"><div data-article-annotator data-doc-id="lang-page" data-storage="none">${uk}</div></section>`);
      const cEl = cBox.querySelector('[data-article-annotator]');
      await ready(cEl);
      out.nearest = texts(cEl);
      // The option wins over the page's; an unknown language is English.
      const d = place('<section lang="uk"><div></div></section>').querySelector('div');
      window.articleAnnotator.mount(d, { text: uk, docId: 'lang-unknown', lang: 'sw', storage: 'none' });
      await ready(d);
      out.unknown = texts(d).length;
      return out;
    }, [UK, DE]);
    assert.deepEqual(sentences.option, ['Die Wahl fand am 3. Oktober statt.', 'Danach sprach er.']);
    assert.deepEqual(sentences.dataLang, ['Засідання відбулося в м. Київ за участю проф. Коваля.', 'Інше речення.']);
    assert.deepEqual(sentences.nearest, sentences.dataLang);
    assert.equal(sentences.unknown, 4, 'segmented as English, which splits at "м." and "проф."');
  });

  it('mixed scripts keep their code-point offsets through tagging, storage, a reload and the W3C export', async () => {
    const c = h.keep(await h.browser.newContext({ baseURL: h.server.url }));
    const page = await c.newPage();
    await page.goto('/host/');
    await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
    const text = 'The lab 👩🏽‍🔬 opened today. Cafe\u0301 owners agree.\n会议在日内瓦举行。双方同意停火！\n\u200Fשלום \u200E2026\u200F עולם. Flags 🇺🇦 end here.';
    const mountIt = (t) => page.evaluate(async (t) => {
      let el = document.querySelector('#mixed');
      if (!el) { el = document.createElement('div'); el.id = 'mixed'; document.body.prepend(el); }
      window.mixed = window.articleAnnotator.mount(el, { text: t, docId: 'mixed', lang: 'zh' });
      await new Promise((resolve) => { const w = setInterval(() => { if (el.querySelector('[data-sentence="5"]')) { clearInterval(w); resolve(); } }, 20); });
    }, t);
    await mountIt(text);
    for (const i of [0, 2, 4, 5]) {
      await page.locator(`#mixed [data-sentence="${i}"]`).focus();
      await page.keyboard.press('1');
    }
    await page.evaluate(() => window.mixed.destroy());
    await mountIt(text);
    const got = await page.evaluate((t) => {
      const points = [...t];
      const w3c = JSON.parse(window.mixed.exportJson('w3c')).first.items;
      return {
        native: window.mixed.annotations().map((a) => [a.sentence, points.slice(a.target.position.start, a.target.position.end).join('') === a.target.quote.exact]),
        w3c: w3c.map((item) => {
          const at = item.target.selector.find((s) => s.type === 'TextPositionSelector');
          const quote = item.target.selector.find((s) => s.type === 'TextQuoteSelector');
          return points.slice(at.start, at.end).join('') === quote.exact;
        }),
        labels: [...document.querySelectorAll('#mixed [data-sentence]')].map((s) => s.dataset.labels),
      };
    }, text);
    assert.deepEqual(got.native, [[0, true], [2, true], [4, true], [5, true]]);
    assert.deepEqual(got.w3c, [true, true, true, true]);
    assert.deepEqual(got.labels, ['claim', '', 'claim', '', 'claim', 'claim']);
  });
});
