// Checks the harness itself (server, browser launch, error collection,
// waitForWidget) against a throw-away site, so a failing widget test can be
// trusted to be about the widget.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  contentType,
  downloadJson,
  launchBrowser,
  openPage,
  startServer,
  waitForAttribute,
  waitForWidget,
} from './helpers.mjs';

/** A raw request, so that `..` reaches the server unnormalised. */
function rawGet(port, urlPath, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>harness</title></head><body>
<button id="dl">Export JSON</button>
<script type="module">
  const params = new URLSearchParams(location.search);
  if (params.has('boom')) {
    console.error('console boom');
    setTimeout(() => { throw new Error('uncaught boom'); }, 0);
  }
  setTimeout(() => {
    const s = document.createElement('span');
    s.dataset.sentence = '0';
    s.dataset.labels = '';
    s.tabIndex = 0;
    s.textContent = 'Hello.';
    s.addEventListener('keydown', (e) => { if (e.key === '1') s.dataset.labels = 'claim'; });
    document.body.append(s);
  }, 300);
  document.getElementById('dl').addEventListener('click', () => {
    const blob = new Blob([JSON.stringify({ ok: true })], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'x-annotations.json';
    a.click();
  });
</script></body></html>`;

describe('harness', () => {
  let dir;
  let server;
  let browser;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'aa-e2e-harness-'));
    const www = path.join(dir, 'www');
    await mkdir(path.join(www, 'sub'), { recursive: true });
    await writeFile(path.join(www, 'index.html'), PAGE);
    await writeFile(path.join(www, 'app_bg.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await writeFile(path.join(www, 'app.js'), 'export default 1;\n');
    await writeFile(path.join(www, 'article.txt'), 'Ünïcode text.\n');
    await writeFile(path.join(www, 'a b.css'), 'body{}');
    await writeFile(path.join(www, 'sub', 'index.html'), 'sub');
    await writeFile(path.join(dir, 'secret.txt'), 'outside the root');
    server = await startServer(www);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('maps extensions to the types browsers require', () => {
    assert.equal(contentType('x/app_bg.wasm'), 'application/wasm');
    assert.equal(contentType('app.js'), 'text/javascript');
    assert.equal(contentType('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentType('a.TXT'), 'text/plain; charset=utf-8');
    assert.equal(contentType('noext'), 'application/octet-stream');
  });

  it('serves files with the right Content-Type and 404s the rest', async () => {
    const cases = [
      ['/', 200, 'text/html; charset=utf-8'],
      ['/index.html?x=1', 200, 'text/html; charset=utf-8'],
      ['/app_bg.wasm', 200, 'application/wasm'],
      ['/app.js', 200, 'text/javascript'],
      ['/article.txt', 200, 'text/plain; charset=utf-8'],
      ['/a%20b.css', 200, 'text/css; charset=utf-8'],
      ['/sub/', 200, 'text/html; charset=utf-8'],
      ['/missing.js', 404],
      ['/../secret.txt', 404],
      ['/sub/../../secret.txt', 404],
      ['/%2e%2e/secret.txt', 404],
      ['/..%2fsecret.txt', 404],
      ['/..%5csecret.txt', 404],
      ['/%zz', 404],
    ];
    for (const [url, status, type] of cases) {
      const res = await rawGet(server.port, url);
      assert.equal(res.status, status, url);
      if (type) assert.equal(res.headers['content-type'], type, url);
      assert.ok(!res.body.toString().includes('outside the root'), url);
    }
    const wasm = await rawGet(server.port, '/app_bg.wasm');
    assert.deepEqual([...wasm.body], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const head = await rawGet(server.port, '/app.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal((await rawGet(server.port, '/', 'POST')).status, 405);
  });

  it('launches Chromium, waits for the widget, collects no errors on a clean page', async () => {
    const { context, page, errors } = await openPage(browser, server.url);
    try {
      await page.goto('/');
      await waitForWidget(page);
      await page.locator('[data-sentence="0"]').focus();
      await page.keyboard.press('1');
      await waitForAttribute(page, '[data-sentence="0"]', 'data-labels', 'claim');
      const wasmOk = await page.evaluate(async () => {
        const r = await fetch('/app_bg.wasm');
        return r.headers.get('content-type') === 'application/wasm' && WebAssembly.validate(await r.arrayBuffer());
      });
      assert.ok(wasmOk, 'the wasm file is served as application/wasm and valid');
      const { filename, json } = await downloadJson(page, page.getByRole('button', { name: 'Export JSON' }));
      assert.equal(filename, 'x-annotations.json');
      assert.deepEqual(json, { ok: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  it('collects page errors and console errors', async () => {
    const { context, page, errors, pageErrors } = await openPage(browser, server.url);
    try {
      await page.goto('/?boom');
      await waitForWidget(page);
      assert.equal(pageErrors.length, 1, errors.join('\n'));
      assert.match(pageErrors[0], /uncaught boom/);
      assert.ok(errors.some((e) => e.includes('console boom')), errors.join('\n'));
    } finally {
      await context.close();
    }
  });

  it('gives each context its own localStorage, and init scripts can block it', async () => {
    const first = await openPage(browser, server.url);
    await first.page.goto('/');
    await first.page.evaluate(() => localStorage.setItem('k', 'v'));
    await first.context.close();

    const blocked = await openPage(browser, server.url, {
      initScript: () => {
        Object.defineProperty(window, 'localStorage', {
          configurable: true,
          get() {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        });
      },
    });
    try {
      await blocked.page.goto('/');
      const seen = await blocked.page.evaluate(() => {
        try {
          window.localStorage.getItem('k');
          return 'no error';
        } catch (e) {
          return e.name;
        }
      });
      assert.equal(seen, 'SecurityError');
    } finally {
      await blocked.context.close();
    }

    const fresh = await openPage(browser, server.url);
    try {
      await fresh.page.goto('/');
      assert.equal(await fresh.page.evaluate(() => localStorage.getItem('k')), null);
    } finally {
      await fresh.context.close();
    }
  });
});
