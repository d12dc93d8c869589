// Load benchmark of a big article: a 5 MB article with 10,000 stored annotations,
// auto-mounted from `data-src` on a plain page, in headless Chromium.
//
//   node tests/e2e/bigload.bench.mjs [--dist DIR] [--runs 3] [--mb 5] [--annotations 10000]
//                                    [--json FILE] [--shot FILE]
//
// Per run, from navigation: the time the first sentence appears, the time the widget is
// ready (the article prepared and shown, no loading line left), and every long task
// (PerformanceObserver 'longtask', > 50 ms) until 1.5 s after ready. Then three phases
// after the load, each with its long tasks: `scroll` (40 jumps through the article),
// `keys` (j then 1, ten times, with the time from keydown to the sentence's
// data-labels changing), `jump` (the summary's jump list to its last entry).
// The annotations are made by the widget itself (setAnnotations, then exportJson) on a
// first page, and put in localStorage before each measured navigation.
// Prints one JSON line per run and a summary (median of runs); `cargo xtask bench bigload` runs it.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { DIST, contentType, resolveRequest, launchBrowser } from './helpers.mjs';
import { bigArticle, annotationsFor } from './bigarticle.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const dist = option('dist', DIST);
const runs = Number(option('runs', 3));
const megabytes = Number(option('mb', 5));
const annotationCount = Number(option('annotations', 10_000));
const jsonOut = option('json', null);
const shot = option('shot', null);

const DOC_ID = 'bigload';
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bigload</title>
<script type="module">import { widgetFor } from "/article-annotator.js"; window.widgetFor = widgetFor;</script>
</head><body>
<div id="widget" data-article-annotator data-doc-id="${DOC_ID}" data-src="/bigload/article.txt"></div>
</body></html>`;

// Installed before the page's own scripts: long tasks, first sentence, ready.
const INSTRUMENT = () => {
  const bench = { longtasks: [], frames: [], firstSentence: null, ready: null };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // Long animation frames (> 50 ms from a frame's first task to its paint) also count
  // the style and layout work of rendering, which long tasks leave out.
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.frames.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
  const seen = new MutationObserver(() => {
    if (bench.firstSentence === null && document.querySelector('[data-sentence]')) {
      bench.firstSentence = performance.now();
      seen.disconnect();
    }
  });
  seen.observe(document, { childList: true, subtree: true });
  const poll = setInterval(() => {
    const host = document.querySelector('#widget');
    if (host?.querySelector('.aa-article') && !host.querySelector('.aa-loading') && !host.querySelector('.aa-host[role="status"]')) {
      bench.ready = performance.now();
      clearInterval(poll);
    }
  }, 20);
};

function serve(article) {
  const extra = { '/bigload/': ['text/html; charset=utf-8', PAGE], '/bigload/article.txt': ['text/plain; charset=utf-8', article] };
  const server = http.createServer(async (req, res) => {
    const url = (req.url || '/').split('?')[0];
    const headers = { 'Cache-Control': 'no-store' };
    if (extra[url]) {
      const [type, body] = extra[url];
      res.writeHead(200, { ...headers, 'Content-Type': type });
      res.end(body);
      return;
    }
    const file = await resolveRequest(dist, url);
    if (!file) {
      res.writeHead(404, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': contentType(file) });
    res.end(await readFile(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const summarise = (tasks) => ({
  count: tasks.length,
  max: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
  total: Math.round(tasks.reduce((a, t) => a + t.duration, 0)),
});

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The stored envelope of the annotations, as the widget itself writes it. */
async function seed(browser, base, list) {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/bigload/');
  await page.waitForFunction(() => window.widgetFor?.(document.querySelector('#widget')), null, { timeout: 120_000, polling: 200 });
  await page.evaluate((items) => window.widgetFor(document.querySelector('#widget')).setAnnotations(items), list);
  const placed = await page.evaluate(() => window.widgetFor(document.querySelector('#widget')).annotations().filter((a) => a.sentence !== null).length);
  const envelope = await page.evaluate(() => window.widgetFor(document.querySelector('#widget')).exportJson());
  await context.close();
  if (placed !== list.length) throw new Error(`seeding placed ${placed} of ${list.length} annotations`);
  // Compact: the export is indented, which puts 10,000 annotations over Chromium's
  // localStorage quota (5 M characters per origin).
  return JSON.stringify(JSON.parse(envelope));
}

/** Long tasks that started after `since` (page time). */
const tasksSince = (page, since) => page.evaluate((t) => window.__bench.longtasks.filter((e) => e.start >= t), since);
/** Long animation frames that started after `since` (page time). */
const framesSince = (page, since) => page.evaluate((t) => window.__bench.frames.filter((e) => e.start >= t), since);
const now = (page) => page.evaluate(() => performance.now());

async function measure(browser, base, envelope, run) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1200, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  // Storage first (on the same origin), then the measured navigation.
  await page.goto('/host/frame.html');
  await page.evaluate(([key, value]) => { localStorage.clear(); localStorage.setItem(key, value); }, [`article-annotator/v1/${DOC_ID}`, envelope]);
  await page.goto('/bigload/');
  await page.waitForFunction(() => window.__bench.ready !== null, null, { timeout: 300_000, polling: 100 });
  await page.waitForTimeout(1500);
  const load = await page.evaluate(() => ({ ...window.__bench }));
  const counts = await page.evaluate(() => [...document.querySelectorAll('#widget .aa-count strong, #widget .aa-progress')].map((e) => e.textContent));
  const dom = await page.evaluate(() => ({
    sentences: document.querySelectorAll('[data-sentence]').length,
    elements: document.querySelectorAll('#widget *').length,
  }));

  // Scroll: 40 jumps spread over the article, as when dragging the scroll bar.
  let since = await now(page);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let i = 1; i <= 40; i += 1) {
    await page.evaluate((y) => window.scrollTo(0, y), Math.round((height * i) / 41));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(500);
  const scroll = await tasksSince(page, since);
  const scrollFrames = await framesSince(page, since);
  if (shot && run === 0) {
    await page.evaluate((y) => window.scrollTo(0, y), Math.round(height / 2));
    await page.waitForTimeout(800);
    await page.screenshot({ path: shot });
  }

  // Keys: focus a sentence in view, then j and 1, ten times.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.locator('[data-sentence="3"]').focus();
  await page.evaluate(() => {
    window.__keys = [];
    const article = document.querySelector('#widget .aa-article');
    article.addEventListener('keydown', (e) => { window.__keyAt = e.timeStamp; }, { capture: true });
    new MutationObserver((records) => {
      if (records.some((r) => r.attributeName === 'data-labels') && window.__keyAt !== undefined) {
        window.__keys.push(performance.now() - window.__keyAt);
        window.__keyAt = undefined;
      }
    }).observe(article, { attributes: true, subtree: true, attributeFilter: ['data-labels'] });
  });
  since = await now(page);
  for (let i = 0; i < 10; i += 1) {
    await page.keyboard.press('j');
    await page.waitForTimeout(50);
    const before = await page.evaluate(() => window.__keys.length);
    await page.keyboard.press('1');
    await page.waitForFunction((n) => window.__keys.length > n, before, { timeout: 30_000 });
  }
  await page.waitForTimeout(500);
  const keyTasks = await tasksSince(page, since);
  const keyFrames = await framesSince(page, since);
  const keyLatencies = await page.evaluate(() => window.__keys);

  // Jump: open the summary, jump to its last entry.
  since = await now(page);
  let jump = null;
  const summary = page.locator('#widget .aa-summary > summary');
  if (await summary.count()) {
    await summary.click();
    const entries = page.locator('#widget .aa-jump');
    const n = await entries.count();
    if (n) {
      await entries.nth(n - 1).click();
      await page.waitForTimeout(800);
      jump = { entries: n, focused: await page.evaluate(() => document.activeElement?.getAttribute('data-sentence') ?? null) };
    }
  }
  const jumpTasks = await tasksSince(page, since);
  const jumpFrames = await framesSince(page, since);
  await context.close();

  const loadTasks = load.longtasks.filter((t) => t.start <= load.ready + 1500);
  const loadFrames = load.frames.filter((t) => t.start <= load.ready + 1500);
  return {
    run,
    first_sentence_ms: Math.round(load.firstSentence),
    ready_ms: Math.round(load.ready),
    load: summarise(loadTasks),
    load_frames: summarise(loadFrames),
    dom,
    counts,
    scroll: summarise(scroll),
    scroll_frames: summarise(scrollFrames),
    keys: { ...summarise(keyTasks), median_latency_ms: Math.round(median(keyLatencies)), max_latency_ms: Math.round(Math.max(...keyLatencies)) },
    key_frames: summarise(keyFrames),
    jump: { ...summarise(jumpTasks), ...jump },
    jump_frames: summarise(jumpFrames),
  };
}

const article = bigArticle(megabytes * 1_000_000);
const list = annotationsFor(article, annotationCount);
const server = await serve(article.text);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await launchBrowser();
try {
  const envelope = await seed(browser, base, list);
  console.error(`bigload: ${article.text.length} bytes, ${article.sentences.length} sentences, ${article.paragraphs} paragraphs, ${list.length} annotations (${envelope.length} bytes stored)`);
  const results = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await measure(browser, base, envelope, run);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const pick = (f) => median(results.map(f));
  const summary = {
    bytes: article.text.length,
    sentences: article.sentences.length,
    annotations: list.length,
    runs,
    first_sentence_ms: pick((r) => r.first_sentence_ms),
    ready_ms: pick((r) => r.ready_ms),
    load_longest_task_ms: pick((r) => r.load.max),
    load_long_tasks: pick((r) => r.load.count),
    load_longest_frame_ms: pick((r) => r.load_frames.max),
    load_long_frames: pick((r) => r.load_frames.count),
    scroll_longest_task_ms: pick((r) => r.scroll.max),
    scroll_long_tasks: pick((r) => r.scroll.count),
    scroll_longest_frame_ms: pick((r) => r.scroll_frames.max),
    scroll_long_frames: pick((r) => r.scroll_frames.count),
    key_median_latency_ms: pick((r) => r.keys.median_latency_ms),
    key_longest_task_ms: pick((r) => r.keys.max),
    key_longest_frame_ms: pick((r) => r.key_frames.max),
    jump_longest_task_ms: pick((r) => r.jump.max),
    jump_longest_frame_ms: pick((r) => r.jump_frames.max),
    dom_sentences: pick((r) => r.dom.sentences),
  };
  console.log(JSON.stringify({ summary }));
  if (jsonOut) await writeFile(jsonOut, JSON.stringify({ summary, results }, null, 2));
} finally {
  await browser.close();
  server.close();
}
