// End-to-end tests of the interface language: a Ukrainian article gets a Ukrainian
// interface (toolbar, help, picker, live-region announcements, counts with the right
// plural form), buttons are found by data-action in any language, uiLang overrides the
// article's language, and an English page is exactly as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { harness, waitForAttribute, waitUntil } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DOCS = path.join(here, '..', '..', 'docs');

const UK = [
  'Уряд оголосив про новий план відбудови енергетичної інфраструктури.',
  'За словами прем’єр-міністра, «до кінця року буде відновлено щонайменше 70\u00a0% потужностей».',
  'Опозиція вимагає оприлюднити повний кошторис програми.',
  'Експерти зазначають, що торік на ремонт мереж витратили 12 млрд грн.',
].join(' ') + '\nМіська рада Києва підтримала ініціативу. «Ми готові співпрацювати з усіма партнерами», — сказав міський голова.';
// 21 sentences: Ukrainian writes "з 21 речення" (one), not "речень".
const UK_21 = Array.from({ length: 21 }, (_, i) => `Це речення номер ${i + 1} у статті.`).join(' ');
const EN = 'The council voted on Monday. "It is a good day," the mayor said. Critics want the full budget published.';

// A catalogue key shown instead of its text would look like one of these.
const KEY = /\b(toolbar|save|article|sentence|view|picker|label|note|help|guidelines|summary|list|orphans|dialog|import|notice|storage|decode|file|intake|embed|library|new|date)\.[a-z_]+/;

/** Every text, title, label and description a widget shows. */
function shownWords(page, selector) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const words = [root.innerText];
    for (const el of root.querySelectorAll('*')) {
      for (const name of ['title', 'aria-label', 'aria-description', 'placeholder']) {
        if (el.hasAttribute(name)) words.push(el.getAttribute(name));
      }
    }
    return words.join('\n');
  }, selector);
}

async function hostPage(h) {
  const c = h.keep(await h.browser.newContext({ baseURL: h.server.url, viewport: { width: 1000, height: 800 } }));
  const page = await c.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/host/');
  await page.waitForFunction(() => window.articleAnnotator?.mount, null, { timeout: 20_000 });
  await page.evaluate(() => document.querySelectorAll('[data-article-annotator]').forEach((el) => el.remove()));
  return { page, errors };
}

describe('the interface language', { timeout: 120_000 }, () => {
  const h = harness();

  it('a Ukrainian article (data-lang="uk") gets a Ukrainian interface, found by data-action', async () => {
    const { page, errors } = await hostPage(h);
    await page.evaluate(({ uk, uk21 }) => {
      const add = (id, text, attrs) => {
        const el = document.createElement('div');
        el.id = id;
        el.dataset.articleAnnotator = '';
        Object.assign(el.dataset, attrs);
        el.textContent = text;
        document.body.prepend(el);
      };
      add('many', uk21, { docId: 'uk-21', lang: 'uk', storage: 'none' });
      add('uk', uk, { docId: 'uk-news', lang: 'uk', storage: 'none' });
    }, { uk: UK, uk21: UK_21 });
    await page.waitForSelector('#uk [data-sentence="5"]');
    await page.waitForSelector('#many [data-sentence="20"]');

    // Toolbar words, found by their stable data-action.
    const word = (action) => page.locator(`#uk .aa-toolbar [data-action="${action}"]`).textContent();
    assert.equal(await word('export-json'), 'Експорт JSON');
    assert.equal(await word('export-w3c'), 'Експорт W3C');
    assert.equal(await word('undo'), 'Скасувати');
    assert.equal(await word('redo'), 'Повторити');
    assert.equal(await word('import'), 'Імпорт');
    assert.equal(await page.locator('#uk [data-action="help"]').getAttribute('aria-label'), 'Довідка з клавіатури');
    assert.equal(await page.locator('#uk .aa-toolbar').getAttribute('aria-label'), 'Підсумок анотацій і дії');
    // The accessible name is the Ukrainian word (the English one names nothing here).
    assert.equal(await page.locator('#uk').getByRole('button', { name: 'Експорт JSON' }).count(), 1);
    assert.equal(await page.locator('#uk').getByRole('button', { name: 'Export JSON' }).count(), 0);

    // Counts with the plural form: 6 sentences (many), 21 sentences (one).
    assert.equal(await page.locator('#uk .aa-progress').textContent(), 'Позначено 0 з 6 речень');
    assert.equal(await page.locator('#many .aa-progress').textContent(), 'Позначено 0 з 21 речення');

    // Tagging is announced in Ukrainian; label names stay as they are (data).
    await page.locator('#uk [data-sentence="0"]').focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, '#uk [data-sentence="0"]', 'data-labels', 'claim');
    await waitUntil(page, () => document.querySelector('#uk .aa-live')?.textContent === 'Речення 1 позначено: claim', null, 'announced in Ukrainian');
    assert.equal(await page.locator('#uk [data-sentence="0"]').getAttribute('aria-description'), 'Речення 1, позначки: claim');
    await page.keyboard.press('j');
    await page.keyboard.press('2');
    await page.keyboard.press('j');
    await page.keyboard.press('3');
    await page.keyboard.press('j');
    await page.keyboard.press('1');
    await waitForAttribute(page, '#uk [data-sentence="3"]', 'data-labels', 'claim');
    assert.equal(await page.locator('#uk .aa-progress').textContent(), 'Позначено 4 з 6 речень');
    await page.keyboard.press('0');
    await waitUntil(page, () => document.querySelector('#uk .aa-live')?.textContent === 'З речення 4 знято позначки', null, 'untagged in Ukrainian');
    await page.keyboard.press('1');

    // The help dialog and the default labels' descriptions.
    await page.keyboard.press('?');
    const help = page.locator('#uk .aa-help');
    await help.waitFor();
    assert.equal(await help.locator('h2').textContent(), 'Клавіатура');
    assert.match(await help.textContent(), /поставити чи зняти позначку claim: Твердження про факт, яке можна перевірити/);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // The picker on a clicked sentence, with a Ukrainian name.
    await page.locator('#uk [data-sentence="4"]').click();
    const picker = page.locator('#uk .aa-picker');
    await picker.waitFor();
    assert.equal(await picker.getAttribute('aria-label'), 'Позначки для речення 5');
    assert.equal(await picker.locator('[data-label="quote"]').getAttribute('title'), 'Поставити чи зняти «quote» (клавіша 2): Цитата: чиїсь слова, передані прямо чи непрямо, із зазначенням, хто їх сказав.');

    // No catalogue key instead of a word; no button's text overflows it.
    const words = await shownWords(page, '#uk');
    assert.doesNotMatch(words, KEY);
    const overflowing = await page.evaluate(() => [...document.querySelectorAll('#uk button')].filter((b) => b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1).map((b) => b.textContent));
    assert.deepEqual(overflowing, []);
    await mkdir(DOCS, { recursive: true });
    await page.locator('#uk').screenshot({ path: path.join(DOCS, 'ukrainian.png') });
    assert.deepEqual(errors, []);
  });

  it('uiLang "en" keeps an English interface on a Ukrainian article; data-ui-lang="uk" gives an English article a Ukrainian one', async () => {
    const { page, errors } = await hostPage(h);
    await page.evaluate(({ uk, en }) => {
      const a = document.createElement('div');
      a.id = 'uk-en';
      document.body.prepend(a);
      window.articleAnnotator.mount(a, { text: uk, docId: 'ui-en', lang: 'uk', uiLang: 'en', storage: 'none' });
      const b = document.createElement('div');
      b.id = 'en-uk';
      b.dataset.articleAnnotator = '';
      b.dataset.docId = 'ui-uk';
      b.dataset.storage = 'none';
      b.dataset.uiLang = 'uk-UA';
      b.textContent = en;
      document.body.prepend(b);
    }, { uk: UK, en: EN });
    await page.waitForSelector('#uk-en [data-sentence="5"]');
    await page.waitForSelector('#en-uk [data-sentence="2"]');
    assert.equal(await page.locator('#uk-en .aa-article').getAttribute('lang'), 'uk', 'the article is still Ukrainian');
    assert.equal(await page.locator('#uk-en').getByRole('button', { name: 'Export JSON' }).count(), 1);
    assert.equal(await page.locator('#uk-en .aa-progress').textContent(), '0 of 6 sentences tagged');
    assert.equal(await page.locator('#en-uk [data-action="export-json"]').textContent(), 'Експорт JSON');
    assert.equal(await page.locator('#en-uk .aa-progress').textContent(), 'Позначено 0 з 3 речень');
    // An invalid uiLang is a developer's mistake: an Error in English, naming the option.
    const message = await page.evaluate(() => {
      try {
        window.articleAnnotator.mount(document.createElement('div'), { text: 'A.', uiLang: 'Ukrainian' });
        return null;
      } catch (e) {
        return e.message;
      }
    });
    assert.match(message, /options\.uiLang must be a language tag/);
    assert.deepEqual(errors, []);
  });

  it('an English page is unchanged: the same words, names, titles and announcements', async () => {
    const { page, errors } = await hostPage(h);
    await page.evaluate((en) => {
      const el = document.createElement('div');
      el.id = 'en';
      el.dataset.articleAnnotator = '';
      el.dataset.docId = 'en-page';
      el.dataset.storage = 'none';
      el.textContent = en;
      document.body.prepend(el);
    }, EN);
    await page.waitForSelector('#en [data-sentence="2"]');
    const toolbar = await page.evaluate(() => [...document.querySelectorAll('#en .aa-toolbar button')].map((b) => [b.dataset.action, b.textContent, b.title, b.getAttribute('aria-label')]));
    assert.deepEqual(toolbar, [
      ['undo', 'Undo', 'Undo (Ctrl+Z)', null],
      ['redo', 'Redo', 'Redo (Ctrl+Shift+Z)', null],
      ['import', 'Import', 'Import tags from a JSON file (or drop one on the widget)', null],
      ['sync', 'Sync…', 'Share these tags with a team through a CouchDB database', null],
      ['compare', 'Compare with…', "Compare these tags with other annotators' exports (JSON or library files), then settle a gold set", null],
      ['help', '?', 'Keyboard help (?)', 'Keyboard help'],
      ['export-csv', 'Export CSV', 'Download a table for analysis: one row per sentence (CSV, opens in a spreadsheet)', null],
      ['export-jsonl', 'Export .jsonl', 'Download the same table as JSON Lines (one object per sentence)', null],
      ['export-w3c', 'Export W3C', 'Download a W3C Web Annotation collection', null],
      ['export-json', 'Export JSON', 'Download the tags as JSON', null],
    ]);
    assert.equal(await page.locator('#en .aa-toolbar').getAttribute('aria-label'), 'Annotation summary and actions');
    assert.equal(await page.locator('#en .aa-article').getAttribute('aria-label'), 'Article: click a sentence or use the keys 1, 2, 3 to tag it');
    assert.equal(await page.locator('#en .aa-progress').textContent(), '0 of 3 sentences tagged');
    await page.locator('#en [data-sentence="1"]').focus();
    await page.keyboard.press('1');
    await page.keyboard.press('3');
    await waitUntil(page, () => document.querySelector('#en .aa-live')?.textContent === 'Sentence 2 tagged claim, position', null, 'announced');
    assert.equal(await page.locator('#en [data-sentence="1"]').getAttribute('aria-description'), 'Sentence 2, tagged claim position');
    assert.equal(await page.locator('#en .aa-progress').textContent(), '1 of 3 sentences tagged');
    await page.keyboard.press('?');
    assert.equal(await page.locator('#en .aa-help h2').textContent(), 'Keyboard');
    assert.match(await page.locator('#en .aa-help').textContent(), /toggle the label claim: A statement of fact that could be checked/);
    assert.doesNotMatch(await shownWords(page, '#en'), KEY);
    assert.deepEqual(errors, []);
  });
});
