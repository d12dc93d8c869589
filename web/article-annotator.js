// article-annotator: the module a page loads. Importing it mounts a widget on every
// [data-article-annotator] element (and on those added later), and exports `mount` and
// `widgetFor` for pages that drive widgets from script. Types: article-annotator.d.ts.
//
// Two builds sit beside this file: pkg/embed/ (the annotator alone: what a page that
// embeds an article needs) and pkg/ (the full build: also the library, the compare view
// and team sync). The embed build loads unless the page shows the library or syncs; the
// first time a reader presses Compare or Sync, or a widget asks for the library or sync,
// the full build is loaded and takes every widget over (their tags are saved first; the undo
// history starts afresh). Handles this module returns keep working across the swap.
//
// While the wasm is on its way, each element's article is already shown as the widget
// will show it (its text fetched from data-src in parallel, or read from the element),
// and the widget takes that text over in place.

const TEXT = "__articleAnnotatorText";
const ORIGINAL = "__articleAnnotatorOriginal";
const SELECTOR = "[data-article-annotator]";
// The head start shows this much of an article: a few screens, never a long task.
const SHOWN_CHARS = 12000;

// Literal paths, so that a bundler finds and copies each part.
const BUILDS = {
  embed: {
    bindings: () => import("./pkg/embed/article-annotator.js"),
    wasm: () => new URL("./pkg/embed/article-annotator_bg.wasm", import.meta.url),
  },
  full: {
    bindings: () => import("./pkg/article-annotator.js"),
    wasm: () => new URL("./pkg/article-annotator_bg.wasm", import.meta.url),
  },
};

// The interface's words besides English: the full build carries them; for the embed build
// the one a widget speaks is fetched (the elements' on the page now, at once, in parallel
// with the wasm; any other when a widget asks for it).
const CATALOGUES = {
  uk: () => new URL("./catalogues/uk.txt", import.meta.url),
  de: () => new URL("./catalogues/de.txt", import.meta.url),
  fr: () => new URL("./catalogues/fr.txt", import.meta.url),
  es: () => new URL("./catalogues/es.txt", import.meta.url),
};
const catalogues = {}; // code -> Promise of its text, or null when it could not be fetched
function catalogue(code) {
  catalogues[code] ??= fetch(CATALOGUES[code]())
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`answered ${response.status}`))))
    .catch((problem) => {
      console.error(`article-annotator: the ${code} interface catalogue could not be loaded (${problem.message}); the widget stays English`);
      return null;
    });
  return catalogues[code];
}
// As the widget chooses it: uiLang, else the article's language, else the page's (primary subtag).
function uiLanguageOf(element) {
  const given = (value) => (typeof value === "string" && value.trim() !== "" ? value : null);
  const tag = given(element.getAttribute("data-ui-lang")) ?? given(element.getAttribute("data-lang")) ?? given(element.closest("[lang]")?.getAttribute("lang"));
  const code = tag?.trim().split(/[-_]/)[0].toLowerCase();
  return code && Object.hasOwn(CATALOGUES, code) ? code : null;
}
// Given to the build (null: not fetched, and its widgets stop waiting for it).
function provide(bindings, code, text) {
  try {
    bindings.provideCatalogue(code, text);
  } catch (problem) {
    console.error(problem);
  }
}

// The full build from the start when the page shows the library or syncs (a server named
// on an element, or remembered on this device from the Sync panel).
const SYNC_SETTINGS = "article-annotator/sync-settings";
function remembersSync() {
  try {
    return Boolean(JSON.parse(localStorage.getItem(SYNC_SETTINGS) ?? "null")?.url);
  } catch {
    return false; // no storage here (a sandboxed frame), or not ours
  }
}
const wantsFull = () => document.querySelector(`${SELECTOR}:is([data-library], [data-sync-url])`) !== null || remembersSync();
let activeName = wantsFull() ? "full" : "embed";

// The wasm is fetched at once, in parallel with the article texts and the bindings. It
// is compiled (while it streams in, when served as application/wasm) and started once
// the articles' texts are on screen (`shownFirst`): on a machine with few cores the
// compile would slow the texts' own fetching and first frame.
function compile(url, before) {
  const fetched = fetch(url);
  return Promise.all([fetched, before]).then(([response]) => {
    if (!response.ok) throw new Error(`article-annotator: ${url} answered ${response.status}`);
    const streams = typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type")?.startsWith("application/wasm");
    return streams ? WebAssembly.compileStreaming(response) : response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  });
}
const started = {};
function start(name, before = Promise.resolve()) {
  if (!started[name]) {
    const module = compile(BUILDS[name].wasm(), before);
    // The embed build waits for the catalogues the page's elements speak, so that their
    // widgets start in their language.
    const words = name === "embed" ? Promise.all(asked.map(async (code) => [code, await catalogue(code)])) : [];
    started[name] = Promise.all([BUILDS[name].bindings(), module, words]).then(async ([bindings, module, words]) => {
      // Compiled (the engine's last step of that is on this thread): started in a task of its own.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await bindings.default({ module_or_path: module });
      for (const [code, text] of words) provide(bindings, code, text);
      return bindings;
    });
  }
  return started[name];
}

// ---- the head start --------------------------------------------------------------

// The widget's stylesheet, adopted now rather than when the wasm starts (the full build
// then finds it adopted: the document is marked as it marks it itself; the embed build
// has no copy of its own). False when it could not be fetched.
const styled = fetch(new URL("./article-annotator.css", import.meta.url))
  .then((response) => (response.ok ? response.text() : null))
  .then((css) => {
    if (document.documentElement.hasAttribute("data-aa-styles")) return true;
    if (css === null) return false;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.documentElement.setAttribute("data-aa-styles", "");
    return true;
  })
  .catch(() => false);

// Each element's text as this module got it, so a second build takes over without
// fetching it again.
const texts = new WeakMap();

function textOf(element) {
  const src = element.getAttribute("data-src");
  if (src === null || src.trim() === "") return Promise.resolve(element.textContent ?? "");
  // A failed fetch gives null: the widget fetches again and says why, in the reader's language.
  return fetch(src)
    .then((response) => (response.ok ? response.text() : null))
    .catch(() => null);
}

// The widget gets the text only once it is shown (or cannot be): so it always finds the
// loader's text in place, and takes it over, however the downloads race.
function headStart(element) {
  if (element.hasAttribute("data-aa-mounted") || texts.has(element)) return;
  const text = Promise.all([textOf(element), styled]).then(([text, styled]) => {
    const widgetThere = element.querySelector(":scope > .aa-host") !== null || element.hasAttribute("data-aa-error");
    if (text && styled && !widgetThere) show(element, text);
    return text;
  });
  texts.set(element, text);
  element[TEXT] = text;
  return text;
}

// The article as the widget lays it out: a paragraph per line, in the widget's frame,
// below the widget's toolbar, summary and guidelines. Those are built as the widget
// builds them (its English words, the element's labels) so that the article sits where
// the widget will put it, and kept invisible: they work only once the widget is there.
function show(element, text) {
  const original = document.createDocumentFragment();
  while (element.firstChild) original.appendChild(element.firstChild);
  element[ORIGINAL] = original;
  const add = (parent, tag, className, text) => {
    const node = parent.appendChild(document.createElement(tag));
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const host = add(element, "div", "aa-host aa-pre");
  host.setAttribute("data-aa-pre", "");
  host.setAttribute("aria-busy", "true");
  const root = add(host, "div", "aa-root");
  const { names, described } = labelsOf(element);
  const toolbar = add(root, "div", "aa-toolbar");
  const counts = add(toolbar, "div", "aa-counts");
  names.forEach((name, i) => {
    const count = add(counts, "span", `aa-count aa-label-${i}`);
    add(count, "span", "aa-swatch");
    count.append(`${name} `);
    add(count, "strong", "", "0");
  });
  add(counts, "span", "aa-progress", "0 of 0 sentences tagged");
  add(counts, "span", "aa-save-status", "Saved");
  const actions = add(toolbar, "div", "aa-actions");
  const editable = element.hasAttribute("data-read-only") ? [] : ["Undo", "Redo", "Import", "Sync…", "Compare with…"];
  const buttons = [...editable, "?", "Export CSV", "Export .jsonl", "Export W3C", "Export JSON"];
  buttons.forEach((words, i) => {
    add(actions, "button", i === buttons.length - 1 ? "aa-button aa-primary" : "aa-button", words).disabled = true;
  });
  const main = add(root, "div", "aa-main");
  add(add(main, "details", "aa-summary"), "summary", "", "Summary and filter");
  if (described) add(add(main, "details", "aa-guidelines"), "summary", "", "Guidelines");
  const article = add(main, "div", "aa-article");
  let shown = 0;
  for (const line of text.split("\n")) {
    const words = line.trim();
    if (words === "") continue;
    add(article, "p", "aa-paragraph", words);
    shown += words.length;
    if (shown > SHOWN_CHARS) break;
  }
}

// The element's label names (`data-labels-json`, else the three defaults) and whether any
// has a description (the widget then shows its guidelines).
function labelsOf(element) {
  try {
    const list = JSON.parse(element.getAttribute("data-labels-json") ?? "null");
    if (Array.isArray(list) && list.length > 0) {
      return { names: list.map((label) => String(label?.name ?? "")), described: list.some((label) => label?.description) };
    }
  } catch {
    // the widget says what is wrong with it
  }
  return { names: ["claim", "quote", "position"], described: true };
}

const elements = [...document.querySelectorAll(SELECTOR)];
const asked = activeName === "embed" ? [...new Set(elements.map(uiLanguageOf).filter(Boolean))] : [];
const heads = elements.map(headStart).filter(Boolean);

// Once every text is shown (or has failed), the frame that paints them; a hidden page
// draws no frames, so at most a moment is waited for one.
const frame = () => new Promise((resolve) => {
  const done = () => resolve();
  requestAnimationFrame(() => setTimeout(done, 0));
  setTimeout(done, 100);
});
const shownFirst = Promise.allSettled(heads).then(frame);
// The embed build carries no stylesheet of its own: it starts once this module has
// adopted article-annotator.css. Should that file not come, the full build (which
// carries the sheet) is started instead, so that a widget never shows unstyled.
const ready = Promise.all([shownFirst, styled]).then(([, styled]) => {
  if (!styled && activeName === "embed") {
    console.error("article-annotator: article-annotator.css could not be loaded; starting the full build, which carries it");
    activeName = "full";
  }
  return start(activeName);
});
start(activeName, shownFirst);

// ---- one handle per element, whichever build holds it -------------------------------

const records = new Map(); // element -> { options (null: auto-mounted), listeners, handle }
let active = null; // the bindings of the build that holds the widgets

function handleFor(element) {
  const known = records.get(element);
  if (known) return known.handle;
  // Widgets whose element left the page are gone (the page's observer destroyed them):
  // their records go too, so a page that mounts many widgets keeps no stale ones.
  for (const [other] of records) {
    if (!other.isConnected && !active?.widgetFor(other)) records.delete(other);
  }
  const record = { options: null, listeners: [], handle: null, real: null, of: null };
  // The widget's handle in the build that holds it now.
  const current = () => {
    if (record.of !== active || !record.real) {
      record.real = active?.widgetFor(element) ?? null;
      record.of = active;
    }
    if (!record.real) throw new Error("article-annotator: this widget was destroyed");
    return record.real;
  };
  record.handle = new Proxy(Object.create(null), {
    get(_, name) {
      if (typeof name === "symbol" || name === "then") return undefined; // not a promise
      if (name === "on" || name === "off") {
        return (event, callback) => {
          current()[name](event, callback);
          if (name === "on") record.listeners.push([event, callback]);
          else record.listeners = record.listeners.filter(([e, c]) => e !== event || c !== callback);
        };
      }
      if (name === "destroy") {
        return () => {
          records.delete(element);
          active?.widgetFor(element)?.destroy();
        };
      }
      const real = current();
      const value = real[name];
      return typeof value === "function" ? value.bind(real) : value;
    },
  });
  records.set(element, record);
  return record.handle;
}

export function mount(element, options) {
  if (!active) throw new Error("article-annotator: not loaded yet (await the import first)");
  const real = active.mount(element, options); // throws as documented
  const handle = handleFor(element);
  const record = records.get(element);
  Object.assign(record, { options, listeners: [], real, of: active });
  if ((options?.library || options?.sync) && activeName === "embed") upgrade();
  return handle;
}

export function widgetFor(element) {
  if (!active?.widgetFor(element)) return undefined;
  return handleFor(element);
}

// ---- the swap to the full build ----------------------------------------------------

let upgrading = null;

function upgrade(host, action) {
  if (host && action) host.setAttribute("data-aa-open", action);
  if (activeName === "full") return upgrading ?? Promise.resolve();
  upgrading ??= start("full").then(swap).catch((problem) => {
    // The embed build keeps the page (nothing was handed over): a later press tries again.
    upgrading = null;
    delete started.full;
    console.error("article-annotator: the full build could not be loaded:", problem);
  });
  return upgrading;
}

function swap(full) {
  const embed = active;
  // The full build mounts what the page marks up as the embed build lets go of it.
  document.querySelectorAll(`${SELECTOR}[data-aa-mounted]`).forEach((element) => {
    if (texts.has(element)) element[TEXT] = texts.get(element);
  });
  embed.handOver();
  active = full;
  activeName = "full";
  for (const [element, record] of records) {
    if (record.options && element.isConnected && !full.widgetFor(element)) {
      try {
        full.mount(element, record.options);
      } catch (problem) {
        console.error(problem);
      }
    }
  }
  // The auto-mounted ones come once their text resolves: their listeners follow them.
  const pending = [...records].filter(([, record]) => record.listeners.length > 0);
  const until = performance.now() + 5000;
  const attach = () => {
    for (let i = pending.length - 1; i >= 0; i--) {
      const [element, record] = pending[i];
      const real = full.widgetFor(element);
      if (real) {
        for (const [event, callback] of record.listeners) real.on(event, callback);
        pending.splice(i, 1);
      }
    }
    if (pending.length > 0 && performance.now() < until) requestAnimationFrame(attach);
  };
  attach();
}

// Compare and Sync are in the full build: the embed build's buttons say so, and a press
// on one swaps the full build in and then presses it there.
function pressed(event) {
  if (activeName !== "embed") return;
  const button = event.target instanceof Element ? event.target.closest("[data-aa-upgrade]") : null;
  const host = button?.closest("[data-aa-mounted]");
  if (!button || !host) return;
  event.preventDefault();
  event.stopPropagation();
  upgrade(host, button.getAttribute("data-action") ?? "");
}
document.addEventListener("click", pressed, true);
// A pointer on its way to such a button fetches the full build ahead of the press.
const ahead = (event) => {
  if (activeName === "embed" && event.target instanceof Element && event.target.closest("[data-aa-upgrade]")) start("full");
};
document.addEventListener("pointerover", ahead, true);
document.addEventListener("focusin", ahead, true);
// A widget mounted by the embed build that wants the library.
document.addEventListener("article-annotator:upgrade", () => upgrade(), true);
// One that speaks a language whose catalogue the embed build has not been given.
document.addEventListener(
  "article-annotator:catalogue",
  (event) => {
    const code = event.target instanceof Element ? event.target.getAttribute("data-aa-wants-ui-lang") : null;
    if (code && Object.hasOwn(CATALOGUES, code)) Promise.all([started.embed, catalogue(code)]).then(([bindings, text]) => provide(bindings, code, text));
  },
  true,
);

active = await ready;
if (activeName === "embed" && wantsFull()) upgrade();
