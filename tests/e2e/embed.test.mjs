// End-to-end tests of embedding, on the realistic host page examples/host/ (served at
// /host/): two widgets (one from markup, one from script with its own labels), the
// JavaScript API and its errors, events, destroy(), widgets added and removed later,
// style isolation both ways, a strict Content-Security-Policy and an iframe.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { harness, openPage, waitForAttribute, waitUntil } from './helpers.mjs';

const G = '#widget-geneva';
const L = '#widget-library';
const sel = (widget, i) => `${widget} [data-sentence="${i}"]`;
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-src 'self'";

describe('embedding in a host page', { timeout: 180_000 }, () => {
  const h = harness();

  async function openHost({ csp } = {}) {
    const s = await openPage(h.browser, h.server.url, {
      initScript: () => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
      },
    });
    h.keep(s);
    if (csp) {
      await s.page.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        if ((headers['content-type'] || '').startsWith('text/html')) headers['content-security-policy'] = csp;
        await route.fulfill({ response, headers });
      });
    }
    await s.page.goto('/host/');
    await s.page.waitForSelector('body[data-host-ready]', { timeout: 20_000 });
    return s;
  }

  const labels = (page, widget, i) => page.locator(sel(widget, i)).getAttribute('data-labels');

  it('renders both widgets, each with its own labels, and the host hears their events', async () => {
    const { page, errors } = await openHost();
    assert.equal(await page.locator(`${G} [data-sentence]`).count(), 24);
    assert.equal(await page.locator(`${L} [data-sentence]`).count(), 6);
    assert.equal(await page.locator(`${L} .aa-count[data-label="checkable"]`).count(), 1);
    assert.equal(await page.locator(`${L} .aa-count[data-label="claim"]`).count(), 0);

    await page.locator(sel(G, 0)).focus();
    await page.keyboard.press('1');
    await waitForAttribute(page, sel(G, 0), 'data-labels', 'claim');
    await page.locator(sel(L, 2)).focus();
    await page.keyboard.press('2');
    await waitForAttribute(page, sel(L, 2), 'data-labels', 'opinion');
    // Keys went only to the widget that had the focus.
    assert.equal(await labels(page, L, 0), '');
    assert.equal(await labels(page, G, 2), '');

    const events = await page.evaluate(() => window.hostEvents.map(({ widget, name, event }) => ({ widget, name, event })));
    const geneva = events.find((e) => e.widget === 'geneva' && e.name === 'change');
    assert.equal(geneva.event.source, 'user');
    assert.deepEqual(geneva.event.changes.map((c) => [c.sentence, c.labels]), [[0, ['claim']]]);
    assert.equal(geneva.event.changes[0].annotation.target.position.start, 0);
    assert.equal(geneva.event.tagged, 1);
    const select = events.find((e) => e.widget === 'library' && e.name === 'select');
    assert.equal(select.event.sentence, 2);
    assert.match(select.event.text, /^"We have waited a long time for this," said Mayor Ana Ruiz\.$/);
    assert.equal(await page.locator('#event-log li').count(), events.length);
    assert.deepEqual(errors, []);
  });

  it('typing in the host page never tags anything', async () => {
    const { page } = await openHost();
    await page.locator('#newsletter-email').click();
    await page.keyboard.type('1230jk23');
    await page.locator('#search-box').click();
    await page.keyboard.type('123');
    assert.equal(await page.locator('#newsletter-email').inputValue(), '1230jk23');
    const tagged = await page.locator('[data-sentence]:not([data-labels=""])').count();
    assert.equal(tagged, 0);
  });

  it('the API reads, sets, exports and imports, and explains every misuse', async () => {
    const { page, errors } = await openHost();
    const result = await page.evaluate(() => {
      const { library } = window.hostWidgets;
      const out = {};
      out.docId = library.docId;
      out.before = library.annotations().length;
      const w3c = JSON.parse(library.exportJson('w3c'));
      out.w3cType = w3c.type;
      // Tag through the UI's model: set two annotations by quote, read them back.
      const geneva = window.hostWidgets.geneva;
      out.genevaNative = JSON.parse(geneva.exportJson()).format;
      const text = document.querySelector('#widget-library [data-sentence="4"]').textContent;
      library.setAnnotations([{ id: 'api-1', labels: ['checkable'], target: { quote: { exact: text, prefix: '', suffix: '' }, position: { start: 0, end: 0 } }, created: '2026-11-25T00:00:00Z', modified: '2026-11-25T00:00:00Z' }]);
      out.after = library.annotations().map((a) => [a.id, a.sentence, a.labels]);
      out.w3cSource = JSON.parse(library.exportJson('w3c')).first.items[0].target.source;
      const summary = library.importJson(geneva.exportJson('native'), 'merge');
      out.importSummary = summary;
      const errorOf = (f) => { try { f(); return null; } catch (e) { return `${e instanceof Error} ${e.message}`; } };
      const { mount } = window.articleAnnotator;
      out.errors = [
        errorOf(() => mount(document.body, {})),
        errorOf(() => mount('nope', { text: 'x' })),
        errorOf(() => mount(document.createElement('div'), { text: 'x', labels: [{ name: 'a b', key: '0', color: 'red;' }], storage: 'cloud' })),
        errorOf(() => mount(document.getElementById('widget-library'), { text: 'x' })),
        errorOf(() => library.on('bogus', () => {})),
        errorOf(() => library.on('change', 42)),
        errorOf(() => library.exportJson('xml')),
        errorOf(() => library.importJson('{"format": "article-annot')),
        errorOf(() => library.setAnnotations([{ id: 1 }])),
      ];
      out.stillOne = library.annotations().length;
      return out;
    });
    assert.equal(result.docId, 'host-library');
    assert.equal(result.before, 0);
    assert.equal(result.w3cType, 'AnnotationCollection');
    assert.equal(result.genevaNative, 'article-annotator');
    assert.deepEqual(result.after, [['api-1', 4, ['checkable']]]);
    assert.match(result.w3cSource, /^http:\/\/127\.0\.0\.1:\d+\/host\/$/, 'the API export names the article source, as the toolbar export does');
    assert.deepEqual(result.importSummary, { format: 'native', imported: 0, skipped: [] });
    await waitForAttribute(page, sel(L, 4), 'data-labels', 'checkable');
    const [noText, notElement, badLabels, twice, badEvent, badCallback, badFormat, badImport, badSet] = result.errors;
    assert.match(noText, /^true article-annotator mount\(element, options\): options\.text is required/);
    assert.match(notElement, /element must be a DOM element/);
    for (const problem of [/labels\[0\]\.name must be one word/, /labels\[0\]\.key "0" is taken/, /labels\[0\]\.color must be a CSS colour/, /options\.storage must be "local" or "none"/]) {
      assert.match(badLabels, problem, 'every problem is named at once');
    }
    assert.match(twice, /already holds a widget/);
    assert.match(badEvent, /unknown event "bogus" \(events: change, select, sync\)/);
    assert.match(badCallback, /callback must be a function/);
    assert.match(badFormat, /format must be "native" or "w3c", not "xml"/);
    assert.match(badImport, /nothing was imported: not valid JSON/);
    assert.match(badSet, /nothing was changed: list\[0\]/);
    assert.equal(result.stillOne, 1, 'failed calls changed nothing');
    const apiChange = await page.evaluate(() => window.hostEvents.find((e) => e.widget === 'library' && e.name === 'change')?.event);
    assert.equal(apiChange.source, 'api');
    assert.deepEqual(errors, []);
  });

  it('destroy() removes the widget, its listeners and styles, and gives the element its content back', async () => {
    const { page, context } = await openHost();
    const cdp = await context.newCDPSession(page);
    async function listeners(expression) {
      const { result } = await cdp.send('Runtime.evaluate', { expression });
      const { listeners: found } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId, depth: -1, pierce: true });
      return found.length;
    }
    await page.evaluate(() => {
      const el = document.createElement('div');
      el.id = 'temporary';
      el.textContent = 'A short article. It has two sentences.';
      document.querySelector('.sidebar').append(el);
    });
    const before = {
      element: await listeners("document.getElementById('temporary')"),
      window: await listeners('window'),
      document: await listeners('document'),
      sheets: await page.evaluate(() => document.adoptedStyleSheets.length),
    };
    await page.evaluate(() => {
      const el = document.getElementById('temporary');
      window.temporary = window.articleAnnotator.mount(el, { text: el.textContent, docId: 'temporary', storage: 'none' });
    });
    await page.waitForSelector('#temporary [data-sentence="1"]');
    await page.locator('#temporary [data-sentence="0"]').click();
    await page.keyboard.press('1');
    await waitForAttribute(page, '#temporary [data-sentence="0"]', 'data-labels', 'claim');
    assert.ok((await listeners("document.getElementById('temporary')")) > before.element, 'the widget listens while mounted');
    await page.evaluate(() => window.temporary.destroy());
    const after = {
      element: await listeners("document.getElementById('temporary')"),
      window: await listeners('window'),
      document: await listeners('document'),
      sheets: await page.evaluate(() => document.adoptedStyleSheets.length),
    };
    assert.deepEqual(after, before);
    assert.equal(await page.evaluate(() => document.getElementById('temporary').innerHTML), 'A short article. It has two sentences.');
    const afterCall = await page.evaluate(() => { try { window.temporary.annotations(); return 'no error'; } catch (e) { return e.message; } });
    assert.match(afterCall, /destroyed/);
    assert.equal(await page.evaluate(() => localStorage.getItem('article-annotator/v1/temporary')), null, 'storage "none" wrote nothing');
  });

  it('mounts on elements added later, reports a missing article, and lets go of removed ones', async () => {
    const { page } = await openHost();
    await page.evaluate(() => {
      const late = document.createElement('div');
      late.id = 'late';
      late.dataset.articleAnnotator = '';
      late.dataset.docId = 'late';
      late.textContent = 'Added after load. Still annotated.';
      const missing = document.createElement('div');
      missing.id = 'missing';
      missing.dataset.articleAnnotator = '';
      missing.dataset.src = 'no-such-article.txt';
      document.querySelector('.sidebar').append(late, missing);
    });
    await page.waitForSelector('#late [data-sentence="1"]');
    await waitUntil(page, () => /could not be loaded from "no-such-article\.txt": the server answered 404/.test(document.getElementById('missing').textContent), null, 'missing article reported');
    assert.equal(await page.evaluate(() => Boolean(window.articleAnnotator.widgetFor(document.getElementById('late')))), true);
    await page.evaluate(() => { window.lateElement = document.getElementById('late'); window.lateElement.remove(); });
    await waitUntil(page, () => !window.articleAnnotator.widgetFor(window.lateElement), null, 'removed element is let go');
  });

  it('host styles do not reach into the widget, and the widget does not touch the host', async () => {
    const { page } = await openHost();
    const widget = await page.evaluate(() => {
      const style = (q) => getComputedStyle(document.querySelector(q));
      return {
        buttonTransform: style('#widget-geneva .aa-button').textTransform,
        buttonBackground: style('#widget-geneva .aa-button').backgroundColor,
        sentenceBorder: style('#widget-geneva .aa-sentence').borderBottomStyle,
        paragraphFont: style('#widget-geneva .aa-paragraph').fontSize,
        paragraphSpacing: style('#widget-geneva .aa-paragraph').letterSpacing,
      };
    });
    assert.deepEqual(widget, {
      buttonTransform: 'none',
      buttonBackground: 'rgb(255, 255, 255)',
      sentenceBorder: 'none',
      paragraphFont: '18px',
      paragraphSpacing: 'normal',
    });
    // The host's own elements look the same with and without the widget's styles.
    const host = await page.evaluate(() => {
      const probe = () => ['.newsletter button', '.byline', 'h1', '#search-box', '.masthead', 'body'].map((q) => {
        const s = getComputedStyle(document.querySelector(q));
        return [q, s.color, s.backgroundColor, s.font, s.margin, s.padding, s.textTransform, s.boxSizing].join('|');
      });
      const withWidget = probe();
      const sheets = document.adoptedStyleSheets;
      document.adoptedStyleSheets = [];
      const without = probe();
      document.adoptedStyleSheets = sheets;
      return { withWidget, without };
    });
    assert.deepEqual(host.withWidget, host.without);
  });

  it('works under a strict Content-Security-Policy (no inline script or style, no eval)', async () => {
    const { page, errors } = await openHost({ csp: STRICT_CSP });
    await page.locator(sel(G, 3)).click();
    await page.getByRole('toolbar', { name: 'Labels for sentence 4' }).getByRole('button', { name: /quote/ }).click();
    await waitForAttribute(page, sel(G, 3), 'data-labels', 'quote');
    // The label colour arrives (through adopted stylesheets, which CSP allows).
    const color = await page.evaluate(() => getComputedStyle(document.querySelector('#widget-geneva [data-sentence="3"]')).getPropertyValue('--aa-label-color').trim());
    assert.equal(color, '#1d4ed8');
    assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(errors.filter((e) => !e.includes('favicon')), []);
  });

  it('works inside an iframe', async () => {
    const s = await openPage(h.browser, h.server.url);
    h.keep(s);
    await s.page.goto('/host/frame.html');
    const frame = s.page.frameLocator('#frame');
    await frame.locator(sel(G, 5)).waitFor({ timeout: 20_000 });
    await frame.locator(sel(G, 5)).focus();
    await s.page.keyboard.press('3');
    await s.page.keyboard.press('j');
    await s.page.keyboard.press('1');
    await waitForAttribute(s.page.frame({ url: /index\.html$/ }), sel(G, 5), 'data-labels', 'position');
    await waitForAttribute(s.page.frame({ url: /index\.html$/ }), sel(G, 6), 'data-labels', 'claim');
    assert.deepEqual(s.errors.filter((e) => !e.includes('favicon')), []);
  });
});
