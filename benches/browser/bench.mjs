// Browser benchmark of the release build against the vanilla-JS reference page
// (vanilla.js), in headless Chromium driven through the DevTools protocol
// (playwright-core, the system browser, no network beyond a loopback server).
//
//   node benches/browser/bench.mjs [--dist dist] [--out results.json] [--sizes 24,1000,10000]
//                                  [--rounds 3] [--presses 40] [--saves 10]
//
// Writes the whole result as JSON to --out (else stdout), and prints one flat JSON line
// per figure and size on stdout ({"size", "figure", "ours", "vanilla"}); progress goes
// to stderr. `cargo xtask bench browser` runs it and prints the table. The figures:
//
// - Articles are generated (deterministic): paragraphs of 1 to 5 plain sentences that
//   end with ". " and contain no abbreviation, so that our segmenter and the vanilla
//   page's one-line splitter find the same sentences; each run checks that both pages
//   rendered exactly N `[data-sentence]` elements. Both pages fetch the raw text and
//   segment it themselves.
// - first_sentence_ms: from navigation start to the first animation frame in which the
//   article's first words are on screen: a `[data-sentence]` element, or a paragraph of
//   the loader's head start (`[data-aa-pre] .aa-paragraph`: the text, shown while the
//   wasm loads). Downloads, compiling and the article fetch are included: a reader
//   waits for all of it.
// - first_tag_ms: to the first frame with a `[data-sentence]` element: from then on a
//   sentence can be tagged (on the vanilla page the two are the same frame).
// - all_rendered_ms: to the first frame in which the last sentence exists and no
//   `.aa-loading` progress line is shown (the widget renders long articles run by run).
//   A widget that never puts every sentence in the DOM (windowing) reports null.
// - window_rendered_ms: to the first frame of the first screen as it stays: no
//   `.aa-loading` line, and the number of `[data-sentence]` elements that then holds for
//   10 frames and 300 ms (the widget marks no "window done"; its IntersectionObserver
//   widens the window a frame or two after a run is laid out). Past 2,000 sentences the
//   widget renders the runs near the viewport (about 135 sentence elements at 10,000):
//   that is what a reader waits for. A page that renders whole holds once all is
//   rendered, so there it equals all_rendered_ms. window_sentences: that count.
//   Each load waits for this (at most 120 s: a page that gets there in neither way
//   fails the run), never for "all rendered", which windowing never gives.
// - load_longest_task_ms: the longest main-thread task (PerformanceObserver longtask,
//   tasks over 50 ms) from navigation until all rendered (windowed: until the window
//   has held, the 300 ms included).
// - tag_ms / move_ms: key press (the event's timeStamp) to the end of the next frame
//   (a message posted from the next requestAnimationFrame callback runs after that
//   frame's style, layout and paint), for `1` on the focused sentence and for `j`.
//   (Headless Chromium still produces frames at about 60 Hz, so up to 16.7 ms of
//   waiting for the frame can be part of any one figure; medians over many presses
//   and the interleaving keep the comparison fair.)
// - tag_all_ms: every sentence tagged in one call of the page's API (ours:
//   setAnnotations with a list of every sentence; vanilla: its own tagAll), timed with
//   performance.now() around the call: a host importing a whole article's tags.
// - save_ms: main-thread time of one save with every sentence tagged: after a tag,
//   a synthetic `pagehide` makes both pages write at once, and the dispatch is timed
//   with performance.now(); a save after which storage holds what it held before did
//   not write (the quota was full): it is counted in saves_not_written, not timed.
// - stored_chars_per_annotation: characters (localStorage counts UTF-16 units) of the
//   stored value and key, divided by the number of annotations.
// - wasm_memory_bytes / js_heap_bytes: after everything above, after a forced garbage
//   collection: the wasm instance's linear memory (buffer length) and the DevTools
//   `Runtime.getHeapUsage` used size (V8 heap plus, where reported, the embedder heap
//   that holds DOM objects).

import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(path.join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('playwright-core');

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const DIST = path.resolve(option('dist', path.join(root, 'dist')));
const SIZES = option('sizes', '24,1000,10000').split(',').map(Number);
const ROUNDS = Number(option('rounds', '3'));
const PRESSES = Number(option('presses', '40'));
const SAVES = Number(option('saves', '10'));
const CHROME = process.env.CHROME_PATH || '/usr/bin/chromium';
const started = Date.now();
const log = (...a) => console.error(`bench [${((Date.now() - started) / 1000).toFixed(0)} s]:`, ...a);

// ---- articles ----------------------------------------------------------------

const WORDS = ('minister talks government ceasefire border officials agreement troops city week ' +
  'plan proposal security council region leaders statement report meeting sanctions vote ' +
  'election reform budget parliament committee court ruling investigation economy prices ' +
  'energy supply talks delegation envoy summit capital province residents forces attack ' +
  'negotiators framework terms deal support opposition party spokesman analysts markets ' +
  'said told added warned announced insisted denied confirmed argued suggested expected ' +
  'would could should might will new former senior local national foreign public key ' +
  'the a of in on for with after before during against between over under about').split(' ');

/** A deterministic article of exactly `n` sentences (xorshift32, seeded by n). */
export function article(n) {
  let x = 2463534242 ^ n;
  const rand = (k) => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % k;
  };
  const paragraphs = [];
  let made = 0;
  while (made < n) {
    const count = Math.min(n - made, 1 + rand(5));
    const sentences = [];
    for (let s = 0; s < count; s++) {
      const len = 10 + rand(20);
      const words = [];
      for (let w = 0; w < len; w++) words.push(WORDS[rand(WORDS.length)]);
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      // A number makes each sentence unique, as news sentences are.
      words.splice(1 + rand(len - 1), 0, String(made + s + 1));
      sentences.push(words.join(' ') + '.');
    }
    paragraphs.push(sentences.join(' '));
    made += count;
  }
  return paragraphs.join('\n\n') + '\n';
}

// ---- server ------------------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.txt': 'text/plain; charset=utf-8', '.json': 'application/json' };

async function serve(articles) {
  const server = http.createServer(async (req, res) => {
    const url = decodeURIComponent((req.url || '/').split('?')[0]);
    let file = null;
    let body = null;
    const m = url.match(/^\/bench\/article-(\d+)\.txt$/);
    if (m && articles.has(Number(m[1]))) body = Buffer.from(articles.get(Number(m[1])));
    else if (url === '/bench/article-annotator.css') file = path.join(root, 'styles', 'article-annotator.css');
    else if (/^\/bench\/[\w.-]+$/.test(url)) file = path.join(here, url.slice('/bench/'.length));
    else if (/^\/[\w./-]+$/.test(url) && !url.includes('..')) file = path.join(DIST, url);
    try {
      if (body === null) body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file || '.txt')] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

// ---- in-page instrumentation ----------------------------------------------------

/** Installed before any page script: load milestones, long tasks, key-to-frame times. */
function instrument() {
  const n = Number(new URLSearchParams(location.search).get('n'));
  const b = (window.__bench = { n, first: null, firstTag: null, all: null, window: null, windowSentences: null, longtasks: [], presses: [] });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The first screen: the first frame with no progress line and the sentence-element
  // count that then holds for STABLE_FRAMES frames and STABLE_MS (the widget sets no
  // "window done" mark; its IntersectionObserver widens the window a frame or two after
  // a run is laid out). `window` is that first frame's time, not the end of the wait.
  const STABLE_FRAMES = 10;
  const STABLE_MS = 300;
  let since = null;
  let count = -1;
  let frames = 0;
  const watch = (t) => {
    if (b.first === null && document.querySelector('[data-sentence], [data-aa-pre] .aa-paragraph')) b.first = t;
    if (b.firstTag === null && document.querySelector('[data-sentence]')) b.firstTag = t;
    if (b.all === null && b.firstTag !== null && document.querySelector(`[data-sentence="${n - 1}"]`) && !document.querySelector('.aa-loading')) {
      b.all = t;
    }
    const now = b.firstTag !== null && !document.querySelector('.aa-loading') ? document.querySelectorAll('[data-sentence]').length : -1;
    if (now !== count) {
      count = now;
      since = t;
      frames = 0;
    } else if (count > 0 && ++frames >= STABLE_FRAMES && t - since >= STABLE_MS) {
      b.window = since;
      b.windowSentences = count;
      return;
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  addEventListener('keydown', (e) => {
    const rec = { key: e.key, t0: e.timeStamp, t1: null };
    b.presses.push(rec);
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { rec.t1 = performance.now(); };
      ch.port2.postMessage(0);
    });
  }, true);
}

// ---- one measured page load ------------------------------------------------------

const quantile = (xs, q) => {
  const s = xs.filter((x) => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (xs) => quantile(xs, 0.5);

async function lastPress(page) {
  await page.waitForFunction(() => {
    const p = window.__bench.presses;
    return p.length > 0 && p[p.length - 1].t1 !== null;
  }, null, { polling: 'raf', timeout: 30000 });
  return page.evaluate(() => {
    const p = window.__bench.presses[window.__bench.presses.length - 1];
    return p.t1 - p.t0;
  });
}

async function measure(browser, base, kind, n) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await page.goto(`${base}/bench/${kind}.html?n=${n}`);
  // Until the first screen holds (a page that renders whole holds once all is rendered):
  // a windowed article never has every sentence as an element, so waiting for that
  // would only wait out the timeout.
  await page.waitForFunction(() => window.__bench.window !== null, null, { timeout: 120000, polling: 200 });
  const load = await page.evaluate(() => {
    const b = window.__bench;
    // Long tasks until all rendered, or for a windowed article until its window held.
    const until = b.all ?? performance.now();
    const tasks = b.longtasks.filter((t) => t.start <= until);
    return {
      first_sentence_ms: b.first,
      first_tag_ms: b.firstTag,
      all_rendered_ms: b.all,
      window_rendered_ms: b.window,
      window_sentences: b.windowSentences,
      windowed: document.querySelector('.aa-run') !== null,
      load_longest_task_ms: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      rendered_sentences: document.querySelectorAll('[data-sentence]').length,
    };
  });
  if (load.all_rendered_ms !== null && load.rendered_sentences !== n) {
    throw new Error(`${kind}: ${load.rendered_sentences} sentences rendered, expected ${n}`);
  }
  if (load.all_rendered_ms === null && !(load.windowed && load.rendered_sentences > 0 && load.rendered_sentences < n)) {
    throw new Error(`${kind}: neither all ${n} sentences nor a window rendered (${load.rendered_sentences} sentence elements)`);
  }
  delete load.windowed;
  await page.waitForTimeout(500);

  // Tagging and moving: `1` then `j`, PRESSES times, from the first sentence.
  await page.focus('[data-sentence="0"]');
  const tag = [];
  const move = [];
  for (let i = 0; i < PRESSES; i++) {
    await page.keyboard.press('1');
    tag.push(await lastPress(page));
    await page.keyboard.press('j');
    move.push(await lastPress(page));
  }
  const tagged = await page.evaluate((count) => {
    let ok = 0;
    for (let i = 0; i < count; i++) {
      if (document.querySelector(`[data-sentence="${i}"]`)?.dataset.labels === 'claim') ok++;
    }
    return ok;
  }, Math.min(PRESSES, n));
  if (tagged !== Math.min(PRESSES, n)) throw new Error(`${kind}: ${tagged} of ${Math.min(PRESSES, n)} pressed sentences carry the tag`);
  await page.waitForTimeout(600);

  // Every sentence tagged at once through the page's API (timed: a host importing a
  // whole article's tags), then single saves timed.
  const tagAll = await page.evaluate(async () => {
    const t = performance.now();
    await window.__page.tagAll('claim');
    return performance.now() - t;
  });
  // Ours by its toolbar's count (a windowed article has only some sentences as elements);
  // the vanilla page, which has every sentence in the DOM and no count, by its elements.
  await page.waitForFunction(
    (n) => document.querySelector('.aa-progress')?.textContent.startsWith(`${n} of `) || document.querySelectorAll('[data-labels="claim"]').length === n,
    n,
    { timeout: 120000, polling: 200 },
  );
  await page.waitForTimeout(1000);
  const saves = [];
  let unsaved = 0;
  for (let i = 0; i < SAVES; i++) {
    await page.keyboard.press('2');
    await lastPress(page);
    const ms = await page.evaluate(() => {
      // Every key of ours, since a document stored in parts rewrites only some of them.
      const snapshot = () => Object.keys(localStorage).filter((k) => k.startsWith('article-annotator/')).sort().map((k) => [k, localStorage.getItem(k)]);
      const before = snapshot();
      const t = performance.now();
      dispatchEvent(new Event('pagehide'));
      const ms = performance.now() - t;
      const after = snapshot();
      const changed = after.length !== before.length || after.some(([k, v], i) => before[i][0] !== k || before[i][1] !== v);
      return changed ? ms : null;
    });
    if (ms !== null) saves.push(ms);
    else unsaved++;
  }
  const stored = await page.evaluate(() => {
    let chars = 0;
    let annotations = 0;
    for (const k of Object.keys(localStorage)) {
      if (!k.startsWith('article-annotator/')) continue;
      const v = localStorage.getItem(k);
      chars += k.length + v.length;
      try {
        annotations += JSON.parse(v).annotations.length;
      } catch { /* not an envelope */ }
    }
    return { chars, annotations };
  });

  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('Performance.enable');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const wasm = await page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
  await context.close();
  if (errors.length) throw new Error(`${kind}: page errors: ${errors.join('; ')}`);
  return {
    ...load,
    tag_ms: tag,
    move_ms: move,
    save_ms: saves,
    tag_all_ms: tagAll,
    saves_not_written: unsaved,
    stored_chars: stored.chars,
    stored_annotations: stored.annotations,
    stored_chars_per_annotation: stored.annotations ? stored.chars / stored.annotations : null,
    wasm_memory_bytes: wasm,
    js_heap_bytes: heap.usedSize + (heap.embedderHeapUsedSize ?? 0),
    v8_heap_bytes: heap.usedSize,
    dom_nodes: metrics.Nodes ?? null,
  };
}

/** Rounds of one size, pooled: medians of per-load figures, quantiles of all presses. */
function summarise(runs) {
  const pool = (k) => runs.flatMap((r) => r[k]);
  const med = (k) => median(runs.map((r) => r[k]));
  return {
    runs: runs.length,
    first_sentence_ms: med('first_sentence_ms'),
    first_tag_ms: med('first_tag_ms'),
    all_rendered_ms: runs.some((r) => r.all_rendered_ms === null) ? null : med('all_rendered_ms'),
    window_rendered_ms: med('window_rendered_ms'),
    window_sentences: med('window_sentences'),
    load_longest_task_ms: med('load_longest_task_ms'),
    tag_median_ms: median(pool('tag_ms')),
    tag_p95_ms: quantile(pool('tag_ms'), 0.95),
    tag_presses: pool('tag_ms').length,
    move_median_ms: median(pool('move_ms')),
    move_p95_ms: quantile(pool('move_ms'), 0.95),
    tag_all_ms: med('tag_all_ms'),
    save_median_ms: median(pool('save_ms')),
    save_p95_ms: quantile(pool('save_ms'), 0.95),
    saves: pool('save_ms').length,
    // Saves after which storage held the same as before: the write failed (a full quota).
    saves_not_written: runs.reduce((sum, r) => sum + r.saves_not_written, 0),
    stored_annotations: med('stored_annotations'),
    stored_chars: med('stored_chars'),
    stored_chars_per_annotation: med('stored_chars_per_annotation'),
    wasm_memory_bytes: med('wasm_memory_bytes'),
    js_heap_bytes: med('js_heap_bytes'),
    v8_heap_bytes: med('v8_heap_bytes'),
    memory_bytes: median(runs.map((r) => r.wasm_memory_bytes + r.js_heap_bytes)),
    dom_nodes: med('dom_nodes'),
  };
}

async function main() {
  const articles = new Map(SIZES.map((n) => [n, article(n)]));
  const server = await serve(articles);
  const browser = await chromium.launch({
    executablePath: CHROME,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  const result = { browser: browser.version(), rounds: ROUNDS, presses_per_run: PRESSES, sizes: [] };
  try {
    // One discarded load of each page first: the browser's own start-up is nobody's cost.
    for (const kind of ['ours', 'vanilla']) await measure(browser, server.url, kind, SIZES[0]);
    for (const n of SIZES) {
      const runs = { ours: [], vanilla: [] };
      for (let r = 0; r < ROUNDS; r++) {
        // Interleaved, alternating which page goes first.
        for (const kind of r % 2 === 0 ? ['ours', 'vanilla'] : ['vanilla', 'ours']) {
          log(`${n} sentences, round ${r + 1}/${ROUNDS}: ${kind}`);
          runs[kind].push(await measure(browser, server.url, kind, n));
        }
      }
      result.sizes.push({ sentences: n, article_bytes: Buffer.byteLength(articles.get(n)), ours: summarise(runs.ours), vanilla: summarise(runs.vanilla) });
    }
  } finally {
    await browser.close();
    server.close();
  }
  const out = option('out', null);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (out) await writeFile(out, JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  for (const s of result.sizes) {
    for (const figure of Object.keys(s.ours)) {
      // Spaced as xtask's line reader expects ("key": value).
      console.log(JSON.stringify({ size: s.sentences, figure, ours: s.ours[figure], vanilla: s.vanilla[figure] }).replaceAll('":', '": ').replaceAll(',"', ', "'));
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error('bench: failed:', e);
    process.exit(1);
  });
}
