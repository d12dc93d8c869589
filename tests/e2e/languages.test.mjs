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
});
