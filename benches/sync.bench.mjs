// Team-sync benchmark: widgets of the release build (dist/) in headless Chromium talk to
// the test pouchdb-server through the TCP proxy of the e2e tests (tests/e2e/proxy.mjs),
// which counts HTTP requests and bytes each way. Everything runs on loopback (127.0.0.1),
// so the figures are the widget's and the server's costs, not a network's.
//
//   cargo xtask bench sync                                      (starts the test server itself)
//   cargo xtask with-couch node benches/sync.bench.mjs [--dist DIR] [--annotations 10000]
//                                                      [--edits 1000] [--tags 30] [--no-table]
//
// Needs AA_COUCH_URL, AA_COUCH_ADMIN and AA_COUCH_DB (tests/e2e/couch.mjs), as
// `cargo xtask with-couch` sets them. Progress and a table go to stderr; the figures as
// one `{"summary": {...}}` line on stdout (what `cargo xtask bench sync` reads).
//
// 1. pull: the database is seeded (as admin, `_bulk_docs` in batches of 1,000, straight to
//    the server, not through the proxy) with the article's text document and 10,000
//    annotation documents of annotator `alice` on one generated article of at least 10,000
//    sentences (tests/e2e/bigarticle.mjs: ASCII, every sentence distinct). Each document is
//    what the widget writes (src/core/sync/wire.rs): the id from `sentence_id` (FNV-1a of
//    quote, prefix and suffix), the sentence's exact text with 32 code points of context
//    either side (MIN_CONTEXT: enough, since the sentences are distinct), its code-point
//    position and a version stamp per label. Then a fresh browser context (empty
//    localStorage) mounts a widget on that article with sync on as `alice`; timed from the
//    `mount()` call until the widget says `synced` with nothing pending and
//    `annotations()` holds all 10,000 placed on their sentences (then one more frame).
//    Requests and bytes: everything through the proxy in that time (CORS preflights
//    included: the widget's page and the database are different origins, as on a news
//    site); the long poll the widget starts once synced is left out of the count. Bytes
//    are on the wire: pouchdb-server compresses its answers (Chromium asks for gzip), so
//    the decoded size of the answers is given too.
// 2. push: a widget on another article (1,000+ sentences), synced, loses the network
//    (`proxy.cut()`: connections refused), then 1,000 annotations are made at once with
//    `setAnnotations` (the handle has no batch of key presses; one call is 1,000 new
//    annotations to push). Once it says `offline` with 1,000 pending, the network comes
//    back and `syncNow()` is called; timed until `synced` with 0 pending.
// 3. latency: two devices (contexts) of `alice` on a third article, both synced and
//    long-polling. 30 times: focus sentence 0, 2, 4, … on device A and press 1, 2 or 3 (in
//    turn), and time from just before the key press (node's clock) until device B's
//    sentence element has the label in `data-labels` (a MutationObserver in B calls back
//    into node). After each tag both devices settle (synced, nothing pending) and 300 ms
//    pass, so each tag starts from idle. Median and p95.
// 4. per tag: the proxy's counts over the 30 tags of (3) (both devices, from the first key
//    press until the last tag settled), divided by 30. A long poll that ends by its own
//    25 s timeout is an idle re-poll; the pages' fetch logs find them (none happen when
//    tags come more often than every 25 s), and they are subtracted from the requests.
import { cp, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser } from '../tests/e2e/helpers.mjs';
import { couchRequest, couchServer, USERS } from '../tests/e2e/couch.mjs';
import { startProxy } from '../tests/e2e/proxy.mjs';
import { bigArticle, annotationsFor } from '../tests/e2e/bigarticle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const DIST = path.resolve(option('dist', path.join(here, '..', 'dist')));
const PULL = Number(option('annotations', 10_000));
const EDITS = Number(option('edits', 1_000));
const TAGS = Number(option('tags', 30));
const TABLE = !args.includes('--no-table');
const USER = 'alice';
const LONGPOLL_TIMEOUT_MS = 25_000; // src/ui/syncer.rs LONGPOLL_MS
const SEED_BATCH = 1_000;
const log = (...a) => console.error('sync bench:', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- documents as the widget writes them -----------------------------------------

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
/** FNV-1a, 64 bits, over the UTF-8 bytes of `text`, as 16 hex digits (src/core/text.rs). */
function fnv1a64(text) {
  let hash = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  return hash.toString(16).padStart(16, '0');
}
/** The annotation id every replica gives a sentence's annotation (anchor::sentence_id). */
const sentenceId = ({ quote }) => `s${fnv1a64([quote.exact, quote.prefix, quote.suffix].join('\u001f'))}`;

/** `count` annotations on the article's first sentences, ids as the widget makes them. */
function widgetAnnotations(article, count) {
  return annotationsFor(article, count).map((a) => ({ ...a, id: sentenceId(a.target) }));
}

/** The article with at least `sentences` sentences (bigarticle.mjs makes ~77 bytes each). */
function articleOf(sentences) {
  for (let bytes = sentences * 76; ; bytes = Math.ceil(bytes * 1.02)) {
    const article = bigArticle(bytes);
    if (article.sentences.length >= sentences) return article;
  }
}

const enc = encodeURIComponent;
function annotationDoc(document, creator, a, replica) {
  const millis = Date.parse(a.modified);
  return {
    _id: `ann:${enc(document)}:${enc(creator)}:${enc(a.id)}`,
    format: 'article-annotator-sync',
    version: 1,
    type: 'annotation',
    document,
    annotation: a.id,
    creator,
    labels: a.labels,
    ...(a.note ? { note: a.note } : {}),
    target: a.target,
    created: a.created,
    modified: a.modified,
    versions: {
      set: Object.fromEntries(a.labels.map((l) => [l, `${millis}.0.${replica}`])),
      ...(a.note ? { note: `${millis}.0.${replica}` } : {}),
    },
  };
}
const textDoc = (document, text) => ({
  _id: `text:${enc(document)}`, format: 'article-annotator-sync', version: 1, type: 'text', document, text, fingerprint: `fnv1a64:${fnv1a64(text)}`,
});

async function seed(server, docs) {
  for (let i = 0; i < docs.length; i += SEED_BATCH) {
    const batch = docs.slice(i, i + SEED_BATCH);
    const answer = await couchRequest(server, 'POST', `${server.db}/_bulk_docs`, { as: server.admin, body: { docs: batch } });
    const failed = Array.isArray(answer.body) ? answer.body.filter((r) => r.error) : [answer.body];
    if (answer.status !== 201 || failed.length) throw new Error(`seeding: HTTP ${answer.status}, ${failed.length} refused: ${JSON.stringify(failed[0]).slice(0, 300)}`);
  }
}

// ---- pages -------------------------------------------------------------------------

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sync bench</title>
<script type="module">import { mount } from "/article-annotator.js"; window.aaMount = mount;</script>
</head><body><div id="w"></div></body></html>`;

/**
 * Installed before the page's scripts: every fetch with its start and end (the end when
 * its body was read, as the widget reads every answer with text()), for finding idle
 * long polls and the time spent waiting on the network.
 */
function instrument() {
  const fetches = (window.__fetches = []);
  const byResponse = new WeakMap();
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    const entry = { url: input instanceof Request ? input.url : String(input), start: performance.now(), end: null };
    fetches.push(entry);
    const answer = fetch.call(this, input, init);
    answer.then((r) => byResponse.set(r, entry), () => { entry.end = performance.now(); });
    return answer;
  };
  const text = Response.prototype.text;
  Response.prototype.text = function () {
    const entry = byResponse.get(this);
    const body = text.call(this);
    if (entry) body.then((t) => { entry.end = performance.now(); entry.chars = t.length; }, () => { entry.end = performance.now(); });
    return body;
  };
}

/** A device: a fresh context (empty localStorage) with the bench page loaded. */
async function device(browser, baseURL) {
  const context = await browser.newContext({ baseURL });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/sync-bench.html');
  await page.waitForFunction(() => window.aaMount, null, { timeout: 30_000 });
  return { context, page, errors };
}

/** Mounts the widget with sync on (not waiting for anything). */
function mountScript() {
  return ({ text, docId, url, user, password }) => {
    const el = document.getElementById('w');
    window.w = window.aaMount(el, { text, docId, annotator: user, sync: { url, user, password } });
    return true;
  };
}

async function settled(page, { timeout = 60_000, pending = 0 } = {}) {
  await page.waitForFunction((p) => { const s = window.w.syncStatus(); return s.state === 'synced' && s.pending === p; }, pending, { timeout, polling: 50 });
}

/** Requests of the proxy's log by kind. */
function kinds(requests) {
  const count = { preflight: 0, changes: 0, longpoll: 0, all_docs: 0, bulk_docs: 0, other: 0 };
  for (const { method, url } of requests) {
    if (method === 'OPTIONS') count.preflight += 1;
    else if (url.includes('/_changes') && url.includes('feed=longpoll')) count.longpoll += 1;
    else if (url.includes('/_changes')) count.changes += 1;
    else if (url.includes('/_all_docs')) count.all_docs += 1;
    else if (url.includes('/_bulk_docs')) count.bulk_docs += 1;
    else count.other += 1;
  }
  return count;
}
const notLongpoll = (r) => !r.url.includes('feed=longpoll');

/** Milliseconds during which at least one of `fetches` was open (one not ended yet: until `to`), within [from, to]. */
function busy(fetches, from, to) {
  const spans = fetches.map((f) => [Math.max(from, f.start), Math.min(to, f.end ?? to)]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [start, end] = [null, null];
  for (const [a, b] of spans) {
    if (end === null || a > end) {
      if (end !== null) total += end - start;
      [start, end] = [a, b];
    } else end = Math.max(end, b);
  }
  return end === null ? total : total + end - start;
}

function quantile(sorted, q) {
  if (!sorted.length) return null;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}

// ---- the three runs ----------------------------------------------------------------

async function pull(ctx) {
  const docId = `sync-bench-pull-${ctx.run}`;
  const article = articleOf(PULL);
  const annotations = widgetAnnotations(article, PULL);
  const docs = [textDoc(docId, article.text), ...annotations.map((a) => annotationDoc(docId, USER, a, 'b3nch5ed'))];
  log(`pull: seeding ${docs.length} documents (${annotations.length} annotations on a ${article.sentences.length}-sentence, ${article.text.length}-byte article)`);
  const seedStart = performance.now();
  await seed(ctx.server, docs);
  log(`pull: seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const d = await device(ctx.browser, ctx.web.url);
  ctx.opened.push(d.context);
  ctx.proxy.resetStats();
  log('pull: a fresh device mounts the widget');
  await d.page.evaluate(({ text, docId, url, user, password, want }) => {
    const t0 = performance.now();
    window.__pull = { t0, first: null, shown: null, count: null };
    const seen = new MutationObserver(() => {
      if (document.querySelector('#w [data-sentence]')) {
        window.__pull.first = performance.now();
        seen.disconnect();
      }
    });
    seen.observe(document.getElementById('w'), { childList: true, subtree: true });
    const w = window.aaMount(document.getElementById('w'), { text, docId, annotator: user, sync: { url, user, password } });
    window.w = w;
    // Outside the widget's own call stack: count, then wait for the frame that shows it.
    const check = () => setTimeout(() => {
      if (window.__pull.shown !== null) return;
      const s = w.syncStatus();
      if (s.state !== 'synced' || s.pending !== 0) return;
      const placed = w.annotations().filter((a) => a.sentence !== null).length;
      window.__pull.count = placed;
      if (placed < want) return;
      requestAnimationFrame(() => setTimeout(() => { window.__pull.shown = performance.now(); }));
    });
    w.on('sync', check);
    // In case "synced" was reached between events (and as a fallback), look every 500 ms.
    window.__pullPoll = setInterval(check, 500);
  }, { text: article.text, docId, url: ctx.dbUrl, user: USER, password: USERS[USER], want: annotations.length });
  await d.page.waitForFunction(() => window.__pull.shown !== null, null, { timeout: 600_000, polling: 100 });
  const stats = { ...ctx.proxy.stats, log: [...ctx.proxy.stats.log] };
  const r = await d.page.evaluate(() => { clearInterval(window.__pullPoll); return { ...window.__pull, fetches: window.__fetches }; });
  const shownLabels = await d.page.$$eval('#w [data-sentence]', (els) => els.filter((e) => e.getAttribute('data-labels')).length);
  if (!shownLabels) throw new Error('pull: no rendered sentence shows a label');
  const requests = stats.log.filter(notLongpoll);
  const seconds = (r.shown - r.t0) / 1000;
  const ours = r.fetches.filter((f) => f.url.startsWith(ctx.dbUrl) && f.start >= r.t0 && f.start <= r.shown);
  const waiting = busy(ours, r.t0, r.shown) / 1000;
  // What the answers hold once decoded (the test server compresses them on the wire).
  const answerChars = ours.reduce((n, f) => n + (f.chars ?? 0), 0);
  log(`pull: ${r.count} annotations placed and synced after ${seconds.toFixed(2)} s (first sentence at ${((r.first - r.t0) / 1000).toFixed(2)} s), ` +
    `${requests.length} requests ${JSON.stringify(kinds(requests))}, ${stats.bytesDown} bytes down (answers ${answerChars} characters decoded), ${stats.bytesUp} up; ` +
    `waiting on the network ${waiting.toFixed(2)} s`);
  if (d.errors.length) throw new Error(`pull: page errors: ${d.errors.join('; ')}`);
  await d.context.close();
  return {
    pull_annotations: r.count,
    pull_article_sentences: article.sentences.length,
    pull_article_bytes: article.text.length,
    pull_seconds: seconds,
    pull_first_sentence_seconds: (r.first - r.t0) / 1000,
    pull_network_wait_seconds: waiting,
    pull_requests: requests.length,
    pull_preflights: kinds(requests).preflight,
    pull_bytes_down: stats.bytesDown,
    pull_answer_chars: answerChars,
    pull_bytes_up: stats.bytesUp,
  };
}

async function push(ctx) {
  const docId = `sync-bench-push-${ctx.run}`;
  const article = articleOf(Math.ceil(EDITS * 1.2));
  const list = widgetAnnotations(article, EDITS);
  const d = await device(ctx.browser, ctx.web.url);
  ctx.opened.push(d.context);
  await d.page.evaluate(mountScript(), { text: article.text, docId, url: ctx.dbUrl, user: USER, password: USERS[USER] });
  await d.page.waitForSelector('#w [data-sentence="0"]', { timeout: 60_000 });
  await settled(d.page, { timeout: 120_000 });
  log(`push: synced on a ${article.sentences.length}-sentence article; the network goes`);
  await ctx.proxy.cut();
  await d.page.waitForFunction(() => window.w.syncStatus().state === 'offline', null, { timeout: 30_000, polling: 50 });
  await d.page.evaluate((l) => window.w.setAnnotations(l), list);
  await d.page.waitForFunction((n) => { const s = window.w.syncStatus(); return s.state === 'offline' && s.pending === n; }, list.length, { timeout: 30_000, polling: 50 });
  // The failed round is over and the widget waits out its back-off.
  await sleep(500);
  log(`push: offline with ${list.length} changes waiting; the network comes back, syncNow()`);
  ctx.proxy.resetStats();
  await ctx.proxy.restore();
  const r = await d.page.evaluate(() => new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    const check = () => setTimeout(() => {
      const s = window.w.syncStatus();
      if (!done && s.state === 'synced' && s.pending === 0) {
        done = true;
        resolve({ ms: performance.now() - t0, t0, end: performance.now() });
      }
    });
    window.w.on('sync', check);
    // A rejection (a round that failed) is not the end: the widget retries; give up after 2 minutes.
    window.w.syncNow().then(check, (e) => { window.__pushError = e.message; });
    setTimeout(() => done || resolve({ error: `not synced after 2 minutes (${window.__pushError || JSON.stringify(window.w.syncStatus())})` }), 120_000);
  }));
  if (r.error) throw new Error(`push: ${r.error}`);
  const stats = { ...ctx.proxy.stats, log: [...ctx.proxy.stats.log] };
  const fetches = await d.page.evaluate(() => window.__fetches);
  const waiting = busy(fetches.filter((f) => f.url.startsWith(ctx.dbUrl)), r.t0, r.end) / 1000;
  const requests = stats.log.filter(notLongpoll);
  const server = await couchRequest(ctx.server, 'POST', `${ctx.server.db}/_all_docs`, { as: ctx.server.admin, body: { keys: list.map((a) => `ann:${enc(docId)}:${enc(USER)}:${enc(a.id)}`) } });
  const stored = server.body.rows.filter((row) => row.value && !row.error).length;
  log(`push: ${stored}/${list.length} on the server after ${(r.ms / 1000).toFixed(2)} s, ${requests.length} requests ${JSON.stringify(kinds(requests))}, ` +
    `${stats.bytesUp} bytes up, ${stats.bytesDown} down; waiting on the network ${waiting.toFixed(2)} s`);
  if (stored !== list.length) throw new Error(`push: the server holds ${stored} of the ${list.length} annotations`);
  if (d.errors.length) throw new Error(`push: page errors: ${d.errors.join('; ')}`);
  await d.context.close();
  return {
    push_edits: list.length,
    push_seconds: r.ms / 1000,
    push_network_wait_seconds: waiting,
    push_requests: requests.length,
    push_preflights: kinds(requests).preflight,
    push_bytes_up: stats.bytesUp,
    push_bytes_down: stats.bytesDown,
  };
}

async function latency(ctx) {
  const docId = `sync-bench-live-${ctx.run}`;
  const article = articleOf(2 * TAGS + 4);
  const devices = [];
  for (let i = 0; i < 2; i += 1) {
    const d = await device(ctx.browser, ctx.web.url);
    ctx.opened.push(d.context);
    await d.page.evaluate(mountScript(), { text: article.text, docId, url: ctx.dbUrl, user: USER, password: USERS[USER] });
    await d.page.waitForSelector(`#w [data-sentence="${2 * TAGS}"]`, { timeout: 60_000 });
    await settled(d.page, { timeout: 120_000 });
    devices.push(d);
  }
  const [a, b] = devices;
  let onSeen = () => {};
  await b.page.exposeFunction('__benchSeen', () => onSeen(performance.now()));
  await b.page.evaluate(() => {
    const root = document.getElementById('w');
    new MutationObserver(() => {
      const want = window.__watch;
      if (!want) return;
      const labels = (root.querySelector(`[data-sentence="${want.sentence}"]`)?.getAttribute('data-labels') || '').split(' ');
      if (labels.includes(want.label)) {
        window.__watch = null;
        window.__benchSeen();
      }
    }).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-labels'] });
  });
  await sleep(500);
  log(`latency: two devices on a ${article.sentences.length}-sentence article, ${TAGS} tags`);
  const KEYS = [['1', 'claim'], ['2', 'quote'], ['3', 'position']];
  const times = [];
  const windowStart = await Promise.all(devices.map((d) => d.page.evaluate(() => performance.now())));
  ctx.proxy.resetStats();
  for (let i = 0; i < TAGS; i += 1) {
    const sentence = 2 * i;
    const [key, label] = KEYS[i % KEYS.length];
    await a.page.locator(`#w [data-sentence="${sentence}"]`).focus();
    await b.page.evaluate((w) => { window.__watch = w; }, { sentence, label });
    let timer;
    const arrived = new Promise((resolve, reject) => {
      onSeen = resolve;
      timer = setTimeout(() => reject(new Error(`latency: tag ${i} (${label} on sentence ${sentence}) did not reach device B in 30 s`)), 30_000);
    });
    const t0 = performance.now();
    await a.page.keyboard.press(key);
    const seen = await arrived;
    clearTimeout(timer);
    onSeen = () => {};
    times.push(seen - t0);
    await settled(a.page, { timeout: 30_000 });
    await settled(b.page, { timeout: 30_000 });
    await sleep(300);
  }
  const stats = { ...ctx.proxy.stats, log: [...ctx.proxy.stats.log] };
  const fetchLogs = await Promise.all(devices.map((d) => d.page.evaluate(() => window.__fetches)));
  // Long polls begun in the window that ended by the server's timeout (no tag ended them).
  const idle = fetchLogs.reduce((n, fetches, i) => n + fetches.filter((f) => f.start >= windowStart[i] && f.url.includes('feed=longpoll') && f.end !== null && f.end - f.start >= LONGPOLL_TIMEOUT_MS - 500).length, 0);
  const sorted = [...times].sort((x, y) => x - y);
  const k = kinds(stats.log);
  const requests = stats.log.length - idle;
  log(`latency: median ${quantile(sorted, 0.5).toFixed(0)} ms, p95 ${quantile(sorted, 0.95).toFixed(0)} ms (min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)}); ` +
    `${stats.log.length} requests ${JSON.stringify(k)} (${idle} idle re-polls), ${stats.bytesUp} bytes up, ${stats.bytesDown} down`);
  for (const d of devices) if (d.errors.length) throw new Error(`latency: page errors: ${d.errors.join('; ')}`);
  for (const d of devices) await d.context.close();
  return {
    tags: TAGS,
    tag_median_ms: quantile(sorted, 0.5),
    tag_p95_ms: quantile(sorted, 0.95),
    tag_min_ms: sorted[0],
    tag_max_ms: sorted.at(-1),
    tag_requests: requests,
    tag_idle_repolls: idle,
    per_tag_requests: requests / TAGS,
    per_tag_preflights: k.preflight / TAGS,
    per_tag_longpolls: k.longpoll / TAGS,
    per_tag_bytes_up: stats.bytesUp / TAGS,
    per_tag_bytes_down: stats.bytesDown / TAGS,
    per_tag_bytes: (stats.bytesUp + stats.bytesDown) / TAGS,
  };
}

// ---- main --------------------------------------------------------------------------

function table(s) {
  const n = (v, d = 0) => (v === null || v === undefined || Number.isNaN(v) ? '-' : Number(v).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
  const kb = (v) => `${n(v / 1024, 1)} KB`;
  return [
    `team sync on loopback (${s.cores} cores, ${s.cpu}, load ${s.load_average_1min} at start; ${s.chromium}; pouchdb-server in memory)`,
    `  fresh device pulls ${n(s.pull_annotations)} annotations (${n(s.pull_article_sentences)}-sentence article): ${n(s.pull_seconds, 1)} s ` +
      `(first sentence ${n(s.pull_first_sentence_seconds, 1)} s, waiting on the network ${n(s.pull_network_wait_seconds, 1)} s), ` +
      `${n(s.pull_requests)} requests (${n(s.pull_preflights)} CORS preflights), ${kb(s.pull_bytes_down)} down (${kb(s.pull_answer_chars)} decoded), ${kb(s.pull_bytes_up)} up`,
    `  ${n(s.push_edits)} offline edits pushed: ${n(s.push_seconds, 1)} s (waiting on the network ${n(s.push_network_wait_seconds, 1)} s), ` +
      `${n(s.push_requests)} requests (${n(s.push_preflights)} CORS preflights), ${kb(s.push_bytes_up)} up`,
    `  tag on device A to label on device B: median ${n(s.tag_median_ms)} ms, p95 ${n(s.tag_p95_ms)} ms (${n(s.tags)} tags)`,
    `  per tag, both devices: ${n(s.per_tag_requests, 1)} requests (${n(s.per_tag_preflights, 1)} preflights, ${n(s.per_tag_longpolls, 1)} long polls), ` +
      `${n(s.per_tag_bytes)} bytes (${n(s.per_tag_bytes_up)} up, ${n(s.per_tag_bytes_down)} down); ${n(s.tag_idle_repolls)} idle re-polls left out`,
  ].join('\n');
}

async function main() {
  const server = couchServer();
  if (server.skip) throw new Error('no AA_COUCH_URL: run `cargo xtask bench sync`, or `cargo xtask with-couch node benches/sync.bench.mjs`');
  try {
    await stat(path.join(DIST, 'pkg', 'article-annotator_bg.wasm'));
  } catch {
    throw new Error(`${DIST} holds no release build (pkg/article-annotator_bg.wasm): \`cargo xtask build\` makes it`);
  }
  // A copy of the build, so that a rebuild of dist/ while this runs cannot pull it away.
  const copy = await mkdtemp(path.join(os.tmpdir(), 'aa-sync-bench-'));
  await cp(DIST, copy, { recursive: true });
  await writeFile(path.join(copy, 'sync-bench.html'), PAGE);
  const summary = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() ?? null,
    load_average_1min: Number(os.loadavg()[0].toFixed(2)),
  };
  const ctx = { server, run: Date.now().toString(36), opened: [] };
  ctx.web = await startServer(copy);
  ctx.proxy = await startProxy(Number(new URL(server.url).port));
  ctx.dbUrl = `${ctx.proxy.url}${server.db}`;
  ctx.browser = await launchBrowser();
  summary.chromium = `Chromium ${ctx.browser.version()}`;
  log(`${summary.cores} cores (${summary.cpu}), load ${summary.load_average_1min}; all on loopback: widget ${ctx.web.url}, proxy ${ctx.proxy.url} -> pouchdb-server ${server.url}`);
  const started = performance.now();
  try {
    Object.assign(summary, await pull(ctx));
    Object.assign(summary, await push(ctx));
    Object.assign(summary, await latency(ctx));
  } finally {
    for (const c of ctx.opened) await c.close().catch(() => {});
    await ctx.browser.close();
    await ctx.proxy.close();
    await ctx.web.close();
    await rm(copy, { recursive: true, force: true });
  }
  summary.total_seconds = (performance.now() - started) / 1000;
  if (TABLE) console.error(`\n${table(summary)}\n`);
  const { chromium, cpu, ...numbers } = summary;
  console.log(JSON.stringify({ summary: numbers, machine: { cpu, chromium, network: 'loopback (127.0.0.1)' } }));
}

main().catch((e) => {
  console.error(`sync bench: FAILED: ${e.stack || e}`);
  process.exit(1);
});
