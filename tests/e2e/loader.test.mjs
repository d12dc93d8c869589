// End-to-end tests of the loader (web/article-annotator.js): the article readable before
// the wasm arrives (inline and data-src, with the wasm held back), the widget taking
// that text over in place, only the embed build fetched for a page of articles, and the
// swap to the full build when a reader presses Sync (or a widget wants the library),
// with the tags, the handles and the host's listeners all kept, and the interface
// catalogue of a page's language fetched for the embed build (which carries English alone).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, openPage, waitForAttribute, waitUntil } from './helpers.mjs';

const EMBED_WASM = '/pkg/embed/article-annotator_bg.wasm';
const FULL_WASM = '/pkg/article-annotator_bg.wasm';

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>loader</title></head>
<body>
  <h1>Today's news</h1>
  <div id="inline" data-article-annotator data-doc-id="loader-inline">The council met on Monday. It voted twice.
The plan passed. Critics were not pleased.</div>
  <div id="remote" data-article-annotator data-doc-id="loader-remote" data-src="/geneva-peace-plan.txt"></div>
  <script type="module">
    import { mount, widgetFor } from "/article-annotator.js";
    window.aa = { mount, widgetFor };
    document.body.dataset.ready = "";
  </script>
</body>
</html>`;

describe('the loader', { timeout: 180_000 }, () => {
  const h = harness();

  /** A page on the test server at `/loader.html`, the requests it makes recorded. */
  async function open(html = PAGE, { holdWasm = false, width = 1280 } = {}) {
    const s = h.keep(await openPage(h.browser, h.server.url));
    await s.page.setViewportSize({ width, height: 800 });
    s.requested = [];
    s.page.on('request', (request) => s.requested.push(new URL(request.url()).pathname));
    await s.page.route('**/loader.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    if (holdWasm) {
      let release;
      const held = new Promise((resolve) => (release = resolve));
      s.release = release;
      await s.page.route(`**${EMBED_WASM}`, async (route) => {
        await held;
        await route.continue();
      });
    }
    await s.page.goto('/loader.html');
    return s;
  }

  const top = (page, selector) => page.evaluate((sel) => {
    const box = document.querySelector(sel)?.getBoundingClientRect();
    return box ? { top: box.top, left: box.left, width: box.width } : null;
  }, selector);

  it('a phone-wide page: the widget takes the text over in place too', async () => {
    const { page, errors, release } = await open(PAGE, { holdWasm: true, width: 390 });
    await page.waitForSelector('#remote [data-aa-pre] .aa-paragraph');
    const before = [await top(page, '#inline .aa-paragraph'), await top(page, '#remote .aa-paragraph')];
    release();
    await page.waitForSelector('#remote [data-sentence]');
    const after = [await top(page, '#inline .aa-paragraph'), await top(page, '#remote .aa-paragraph')];
    assert.ok(before.every((b, i) => Math.abs(after[i].top - b.top) <= 1.5), `tops ${before.map((b) => b.top)} then ${after.map((a) => a.top)}`);
    assert.deepEqual(errors, []);
  });

  it('shows the text before the wasm arrives, and the widget takes it over in place', async () => {
    const { page, errors, requested, release } = await open(PAGE, { holdWasm: true });
    await page.waitForSelector('#inline [data-aa-pre] .aa-paragraph');
    await page.waitForSelector('#remote [data-aa-pre] .aa-paragraph');
    assert.equal(await page.locator('[data-sentence]').count(), 0, 'no widget yet: the wasm is held back');
    assert.deepEqual(await page.$$eval('#inline .aa-paragraph', (ps) => ps.map((p) => p.textContent)), [
      'The council met on Monday. It voted twice.',
      'The plan passed. Critics were not pleased.',
    ]);
    assert.ok(requested.includes('/geneva-peace-plan.txt'), 'data-src is fetched while the wasm is still on its way');
    const before = { inline: await top(page, '#inline .aa-paragraph'), second: await top(page, '#inline .aa-paragraph:nth-child(2)'), remote: await top(page, '#remote .aa-paragraph') };

    release();
    await page.waitForSelector('#inline [data-sentence]');
    await page.waitForSelector('#remote [data-sentence]');
    assert.equal(await page.locator('[data-aa-pre]').count(), 0, 'the loader text is gone once the widget shows the article');
    const after = { inline: await top(page, '#inline .aa-paragraph'), second: await top(page, '#inline .aa-paragraph:nth-child(2)'), remote: await top(page, '#remote .aa-paragraph') };
    for (const key of Object.keys(before)) {
      assert.ok(Math.abs(after[key].top - before[key].top) <= 1.5, `${key}: the text did not move (top ${before[key].top} then ${after[key].top})`);
      assert.ok(Math.abs(after[key].left - before[key].left) <= 1.5, `${key}: left ${before[key].left} then ${after[key].left}`);
    }
    assert.equal(await page.locator('#inline [data-sentence]').count(), 4);
    assert.ok(!requested.includes(FULL_WASM), 'a page of articles loads the embed build only');

    // Tags work, and the element's own content comes back on destroy.
    await page.locator('#inline [data-sentence="1"]').focus();
    await page.keyboard.press('2');
    await waitForAttribute(page, '#inline [data-sentence="1"]', 'data-labels', 'quote');
    await page.evaluate(() => window.aa.widgetFor(document.getElementById('inline')).destroy());
    assert.equal(await page.locator('#inline').textContent(), 'The council met on Monday. It voted twice.\nThe plan passed. Critics were not pleased.');
    // It stays destroyed: an element added afterwards gets its widget (the page's observer
    // has looked again), the destroyed one does not get one back.
    await page.evaluate(() => {
      const later = document.body.appendChild(document.createElement('div'));
      later.id = 'later';
      later.setAttribute('data-article-annotator', '');
      later.textContent = 'Added afterwards. It gets a widget.';
    });
    await page.waitForSelector('#later [data-sentence="1"]');
    assert.equal(await page.locator('#inline .aa-host').count(), 0, 'the destroyed widget did not come back');
    assert.equal(await page.locator('#inline').getAttribute('data-aa-destroyed'), '');
    // mount() on it is the host asking again.
    await page.evaluate(() => window.aa.mount(document.getElementById('inline'), { text: 'Mounted again. On purpose.', docId: 'loader-again' }));
    await page.waitForSelector('#inline [data-sentence="1"]');
    assert.equal(await page.locator('#inline').getAttribute('data-aa-destroyed'), null);
    assert.deepEqual(errors, []);
  });

  it('a failed data-src fetch still gets the widget’s own message', async () => {
    const html = PAGE.replace('data-src="/geneva-peace-plan.txt"', 'data-src="/no-such-article.txt"');
    const { page } = await open(html);
    await page.waitForSelector('#remote[data-aa-error]');
    assert.match(await page.locator('#remote').textContent(), /no-such-article\.txt/);
    await page.waitForSelector('#inline [data-sentence]');
  });

  it('Sync swaps in the full build: tags, handles and listeners all kept', async () => {
    const s = h.keep(await openPage(h.browser, h.server.url));
    const requested = [];
    s.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const { page, errors } = s;
    await page.goto('/host/');
    await page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
    assert.ok(requested.includes(EMBED_WASM) && !requested.includes(FULL_WASM), `embed build only at first: ${requested.join(' ')}`);
    await page.locator('#widget-geneva [data-sentence="0"]').focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, '#widget-geneva [data-sentence="0"]', 'data-labels', 'claim');
    assert.equal(await page.locator('#widget-geneva [data-action="sync"][data-aa-upgrade]').count(), 1);

    await page.locator('#widget-geneva [data-action="sync"]').click();
    await page.waitForSelector('#widget-geneva .aa-sync', { timeout: 20_000 });
    assert.ok(requested.includes(FULL_WASM), 'the full build was fetched on the press');
    assert.equal(await page.locator('[data-aa-upgrade]').count(), 0, 'the full build holds every widget now');
    assert.equal(await page.getAttribute('#widget-geneva [data-sentence="0"]', 'data-labels'), 'claim', 'the tag made before the swap is there');

    // The handle host.js got from mount() before the swap, and its listeners.
    await page.locator('#widget-library [data-sentence="2"]').focus();
    await page.keyboard.press('2');
    await waitForAttribute(page, '#widget-library [data-sentence="2"]', 'data-labels', 'opinion');
    await waitUntil(page, () => window.hostEvents.some((e) => e.widget === 'library' && e.name === 'change' && e.event.changes.some((c) => c.sentence === 2)), null, "the library widget's listener heard the tag");
    const labels = await page.evaluate(() => window.hostWidgets.library.annotations().map((a) => a.labels));
    assert.deepEqual(labels, [['opinion']]);
    // The auto-mounted widget's listeners follow it too.
    await page.locator('#widget-geneva [data-sentence="3"]').focus();
    await page.keyboard.press('3');
    await waitUntil(page, () => window.hostEvents.some((e) => e.widget === 'geneva' && e.name === 'change' && e.event.changes.some((c) => c.sentence === 3)), null, "the geneva widget's listener heard the tag");
    assert.equal(await page.evaluate(() => window.hostWidgets.geneva.annotations().length), 2);
    assert.deepEqual(errors, []);
  });

  it('the embed build is styled by the loader’s stylesheet; without that file, the full build starts', async () => {
    const styledToolbar = (page) => page.$eval('#inline .aa-toolbar', (t) => getComputedStyle(t).display);
    const normal = await open();
    await normal.page.waitForSelector('#inline [data-sentence]');
    assert.equal(await styledToolbar(normal.page), 'flex', 'the embed build, which has no stylesheet of its own, is styled');
    assert.ok(!normal.requested.includes(FULL_WASM));
    assert.deepEqual(normal.errors, []);

    const s = h.keep(await openPage(h.browser, h.server.url));
    const requested = [];
    s.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await s.page.route('**/loader.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: PAGE }));
    await s.page.route('**/article-annotator.css', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await s.page.goto('/loader.html');
    await s.page.waitForSelector('#inline [data-sentence]', { timeout: 20_000 });
    assert.ok(requested.includes(FULL_WASM), 'the full build, which carries the stylesheet, was started');
    assert.equal(await styledToolbar(s.page), 'flex', 'and the widget is styled');
    // The loader says why on the console; nothing else went wrong.
    assert.deepEqual(s.errors.filter((e) => !/article-annotator\.css/.test(e)), []);
  });

  it('a Ukrainian page: the embed build fetches the Ukrainian catalogue with the wasm and starts in it', async () => {
    const html = PAGE.replace('<html lang="en">', '<html lang="uk">')
      .replace(/(<div id="inline"[^>]*>)[^<]*/, '$1Рада зібралася в понеділок. Вона голосувала двічі.\nПлан ухвалили.');
    const s = h.keep(await openPage(h.browser, h.server.url, {
      // Every word the toolbar's Export JSON button ever shows, from its first render on.
      initScript: () => {
        window.exportWords = [];
        new MutationObserver(() => {
          const word = document.querySelector('#inline .aa-host:not([data-aa-pre]) [data-action="export-json"]')?.textContent;
          if (word && window.exportWords.at(-1) !== word) window.exportWords.push(word);
        }).observe(document, { subtree: true, childList: true, characterData: true });
      },
    }));
    const requested = [];
    s.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await s.page.route('**/loader.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await s.page.goto('/loader.html');
    await s.page.waitForSelector('#inline [data-sentence="2"]', { timeout: 20_000 });
    await s.page.waitForSelector('#remote [data-sentence]', { timeout: 20_000 });
    assert.equal(await s.page.locator('#inline .aa-progress').textContent(), 'Позначено 0 з 3 речень');
    assert.deepEqual(await s.page.evaluate(() => window.exportWords), ['Експорт JSON'], 'Ukrainian from the first render on');
    assert.ok(requested.includes('/catalogues/uk.txt') && requested.includes(EMBED_WASM) && !requested.includes(FULL_WASM), requested.join(' '));
    assert.equal(requested.filter((p) => p.startsWith('/catalogues/')).length, 1, 'one catalogue, once, for both widgets');
    assert.deepEqual(s.errors, []);

    // An English page asks for no catalogue.
    const english = await open();
    await english.page.waitForSelector('#inline [data-sentence]');
    assert.deepEqual(english.requested.filter((p) => p.startsWith('/catalogues/')), []);
    assert.equal(await english.page.locator('#inline [data-action="export-json"]').textContent(), 'Export JSON');
  });

  it('a widget mounted from script in another language changes to it once its catalogue comes, its tags and listeners kept', async () => {
    const s = await open();
    const { page, errors } = s;
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route('**/catalogues/de.txt', async (route) => {
      await held;
      await route.continue();
    });
    await page.waitForSelector('body[data-ready]');
    // One widget that saves to localStorage, one whose host keeps the tags (storage off).
    await page.evaluate(() => {
      window.heard = { stored: [], none: [] };
      window.german = {};
      for (const [name, storage] of [['stored', 'local'], ['none', 'none']]) {
        const el = document.body.appendChild(document.createElement('div'));
        el.id = `german-${name}`;
        window.german[name] = window.aa.mount(el, { text: 'Die Wahl fand am 3. Oktober statt. Danach sprach er. Das war alles.', docId: `loader-de-${name}`, uiLang: 'de', storage });
        window.german[name].on('change', (event) => window.heard[name].push(event.changes.map((c) => c.sentence)));
      }
    });
    // English while the catalogue is on its way: the widgets work.
    for (const name of ['stored', 'none']) {
      await page.locator(`#german-${name} [data-sentence="0"]`).focus();
      await page.keyboard.press('1');
      await waitForAttribute(page, `#german-${name} [data-sentence="0"]`, 'data-labels', 'claim');
      assert.equal(await page.locator(`#german-${name} [data-action="undo"]`).textContent(), 'Undo');
    }
    release();
    for (const name of ['stored', 'none']) {
      await waitUntil(page, (id) => document.querySelector(`#${id} [data-action="undo"]`)?.textContent === 'Rückgängig', `german-${name}`, `${name}: German once the catalogue came`);
      assert.equal(await page.getAttribute(`#german-${name} [data-sentence="0"]`, 'data-labels'), 'claim', `${name}: the tag made in English is there`);
      await page.locator(`#german-${name} [data-sentence="1"]`).focus();
      await page.keyboard.press('2');
      await waitUntil(page, (n) => window.heard[n].some((changes) => changes.includes(1)), name, `${name}: the listener added before the change hears the new tag`);
      assert.deepEqual(await page.evaluate((n) => window.german[n].annotations().map((a) => [a.sentence, a.labels]), name), [[0, ['claim']], [1, ['quote']]], name);
    }
    assert.deepEqual(errors, []);
  });

  it('a catalogue that is not one (an error page served in its place) leaves the widget English, saying why', async () => {
    const html = PAGE.replace('<html lang="en">', '<html lang="fr">');
    const s = h.keep(await openPage(h.browser, h.server.url));
    await s.page.route('**/loader.html', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await s.page.route('**/catalogues/fr.txt', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Page introuvable</title><h1>404</h1>' }));
    await s.page.goto('/loader.html');
    await s.page.waitForSelector('#inline [data-sentence]', { timeout: 20_000 });
    assert.equal(await s.page.locator('#inline [data-action="export-json"]').textContent(), 'Export JSON');
    assert.equal(await s.page.locator('#inline .aa-progress').textContent(), '0 of 4 sentences tagged');
    assert.equal(s.pageErrors.length, 0, s.pageErrors.join('\n'));
    assert.equal(s.errors.length, 1, s.errors.join('\n'));
    assert.match(s.errors[0], /the fr catalogue given is not one of this widget's .* the interface stays English/);
  });

  it('a widget mounted with the library brings in the full build', async () => {
    const html = PAGE.replace('document.body.dataset.ready = "";', 'window.lib = mount(document.body.appendChild(document.createElement("div")), { text: "A library of its own. Second.", docId: "loader-lib", library: true }); document.body.dataset.ready = "";');
    const { page, errors, requested } = await open(html);
    await page.waitForSelector('.aa-library-root', { timeout: 20_000 });
    assert.ok(requested.includes(FULL_WASM));
    assert.equal(await page.evaluate(() => window.lib.docId), 'loader-lib');
    await page.waitForSelector('#inline [data-sentence]');
    assert.deepEqual(errors, []);
  });
});
