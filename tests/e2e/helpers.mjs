// Shared harness for the end-to-end tests: a static server for the release
// bundle, the system Chromium driven by playwright-core, a fresh browser
// context per test, and error collection.
import { before, after, afterEach } from 'node:test';
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** dist/ of the release build: $AA_DIST (set by `cargo xtask test`), else ../../dist. */
export const DIST = path.resolve(process.env.AA_DIST || path.join(here, '..', '..', 'dist'));

/** The system browser; playwright-core never downloads one. */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Keep Chromium quiet on a closed network, and runnable as root in CI. */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentType(file) {
  return MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Map a request URL to a file under `root`, or null. Decodes %XX, refuses
 * `..` segments, backslashes and NUL; `/` and directories give index.html.
 */
export async function resolveRequest(root, url) {
  const rawPath = url.split(/[?#]/, 1)[0];
  if (!rawPath.startsWith('/')) return null;
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return null;
  let file = path.join(root, ...segments);
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    if (!(await stat(file)).isFile()) return null;
  } catch {
    return null;
  }
  return file;
}

/**
 * Serve `root` on 127.0.0.1, on a free port. Resolves to
 * `{ url, port, close() }`; `url` ends with `/`.
 */
export async function startServer(root = DIST) {
  const server = http.createServer(async (req, res) => {
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    const file = await resolveRequest(root, req.url || '/');
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': contentType(file), 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(500, { ...headers, 'Content-Type': 'text/plain' });
      res.end('read error\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROME_PATH,
    headless: true,
    args: LAUNCH_ARGS,
  });
}

/**
 * A fresh context (so fresh localStorage) and page. `errors` collects
 * uncaught page errors and console errors, each as a readable string;
 * `pageErrors` only the uncaught ones.
 */
export async function openPage(browser, baseURL, { initScript } = {}) {
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  const pageErrors = [];
  page.on('pageerror', (err) => {
    const text = `pageerror: ${err.stack || err.message || err}`;
    pageErrors.push(text);
    errors.push(text);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url || '';
    // Chromium asks for /favicon.ico on its own; the demo need not have one.
    if (where.endsWith('/favicon.ico')) return;
    errors.push(`console.error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  return { context, page, errors, pageErrors };
}

/** Wait until the widget has rendered its sentences. */
export async function waitForWidget(page, { timeout = 20_000 } = {}) {
  await page.waitForSelector('[data-sentence]', { state: 'attached', timeout });
}

/**
 * Wait until `selector`'s attribute equals `expected`; on timeout, fail with
 * the value last seen (clearer than a bare timeout).
 */
export async function waitForAttribute(page, selector, name, expected, { timeout = 5_000 } = {}) {
  try {
    await page.waitForFunction(
      ([sel, attr, want]) => document.querySelector(sel)?.getAttribute(attr) === want,
      [selector, name, expected],
      { timeout },
    );
  } catch {
    const actual = await page.evaluate(
      ([sel, attr]) => document.querySelector(sel)?.getAttribute(attr) ?? null,
      [selector, name],
    );
    throw new Error(`${selector} [${name}]: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Wait until `fn(arg)` in the page is truthy; on timeout, fail with `message`. */
export async function waitUntil(page, fn, arg, message, { timeout = 5_000 } = {}) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch (e) {
    throw new Error(`${message} (after ${timeout} ms): ${e.message.split('\n')[0]}`);
  }
}

/** `data-sentence` of the focused element, or null. */
export function activeSentence(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-sentence') ?? null);
}

/** Click `locator` and return the download it starts, with its parsed JSON. */
export async function downloadJson(page, locator, { timeout = 10_000 } = {}) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), locator.click()]);
  const file = await download.path();
  const text = await readFile(file, 'utf8');
  return { filename: download.suggestedFilename(), text, json: JSON.parse(text) };
}

/** Click `locator` and return the download it starts, as text. */
export async function downloadText(page, locator, { timeout = 10_000 } = {}) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), locator.click()]);
  return { filename: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/**
 * Registers the hooks every browser suite needs (a server on `AA_DIST`, one browser,
 * and closing what each test opened) and returns them: `h.server`, `h.browser`, and
 * `h.keep(contextOrSession)` to have a context closed after the test.
 */
export function harness() {
  const h = { server: null, browser: null, opened: [] };
  h.keep = (item) => {
    h.opened.push(item.context ?? item);
    return item;
  };
  before(async () => {
    h.server = await startServer();
    h.browser = await launchBrowser();
  });
  after(async () => {
    await h.browser?.close();
    await h.server?.close();
  });
  afterEach(async () => {
    while (h.opened.length) await h.opened.pop().close();
  });
  return h;
}
