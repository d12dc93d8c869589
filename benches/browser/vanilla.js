// The vanilla-JS reference for `cargo xtask bench browser`: what a competent developer
// would write by hand to do the widget's core job, with no framework and no wasm.
// It renders the same article DOM (paragraphs of focusable sentence spans with
// data-sentence / data-labels, the same classes, so the same stylesheet applies),
// handles the same keys (1/2/3 toggle, 0 clears, j/k and arrows move), shows the
// label counts and a live announcement, and saves the same JSON envelope to
// localStorage, coalesced (400 ms after the last change) and flushed on pagehide.
//
// It is written to be fast, not to lose: one DocumentFragment render, one span
// updated per key, one JSON.stringify per save. It does less than the widget
// (no undo, picker, notes, summary, import, re-anchoring, other-tab merging), and
// its segmenter only handles what the benchmark feeds it (see bench.mjs).

const LABELS = [
  { name: 'claim', key: '1' },
  { name: 'quote', key: '2' },
  { name: 'position', key: '3' },
];
const COALESCE_MS = 400;
const CONTEXT = 32;

/** Paragraphs (split at line breaks) of sentences (ended by . ! or ? before a space). */
function segment(text) {
  const sentences = [];
  const paragraphs = [];
  const re = /[^\s][^.!?]*[.!?]+(?=\s|$)/g;
  let offset = 0;
  for (const line of text.split('\n')) {
    const first = sentences.length;
    for (const m of line.matchAll(re)) {
      sentences.push({ start: offset + m.index, end: offset + m.index + m[0].length });
    }
    if (sentences.length > first) paragraphs.push([first, sentences.length]);
    offset += line.length + 1;
  }
  return { sentences, paragraphs };
}

/** FNV-1a (32 bits) of the text, to tell an edited article from the one tagged. */
function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return 'fnv1a32:' + (h >>> 0).toString(16).padStart(8, '0');
}

function description(index, labels) {
  return labels.length ? `Sentence ${index + 1}, tagged ${labels.join(' ')}` : `Sentence ${index + 1}, untagged`;
}

/** Mounts the reference widget on `host`. Returns a small handle for the benchmark. */
export function mount(host, { text, docId }) {
  const { sentences, paragraphs } = segment(text);
  const key = `article-annotator/v1/${docId}`;
  const doc = { id: docId, fingerprint: fingerprint(text), length: text.length };
  // Per sentence: null, or { id, labels, created, modified }.
  const tags = new Array(sentences.length).fill(null);
  const counts = new Map(LABELS.map((l) => [l.name, 0]));
  const spans = new Array(sentences.length);
  let focus = 0;
  let timer = 0;
  let dirty = false;

  host.classList.add('aa-host');
  const root = document.createElement('div');
  root.className = 'aa-root';
  const toolbar = document.createElement('div');
  toolbar.className = 'aa-toolbar';
  const countEls = new Map();
  for (const l of LABELS) {
    const c = document.createElement('span');
    c.className = 'aa-count';
    const strong = document.createElement('strong');
    strong.textContent = '0';
    c.append(`${l.name} `, strong);
    countEls.set(l.name, strong);
    toolbar.append(c);
  }
  const status = document.createElement('span');
  status.className = 'aa-save-status';
  status.textContent = 'Saved';
  toolbar.append(status);
  const article = document.createElement('div');
  article.className = 'aa-article';
  article.setAttribute('role', 'document');
  const live = document.createElement('div');
  live.className = 'aa-live';
  live.setAttribute('aria-live', 'polite');

  const frag = document.createDocumentFragment();
  for (const [from, to] of paragraphs) {
    const p = document.createElement('p');
    p.className = 'aa-paragraph';
    for (let i = from; i < to; i++) {
      const s = sentences[i];
      const span = document.createElement('span');
      span.className = 'aa-sentence';
      span.dataset.sentence = i;
      span.dataset.labels = '';
      span.tabIndex = i === 0 ? 0 : -1;
      span.setAttribute('role', 'button');
      span.setAttribute('aria-description', description(i, []));
      span.textContent = text.slice(s.start, s.end);
      spans[i] = span;
      p.append(span, ' ');
    }
    frag.append(p);
  }
  article.append(frag);
  root.append(toolbar, article, live);
  host.replaceChildren(root);

  function paint(i) {
    const labels = tags[i] ? tags[i].labels : [];
    const span = spans[i];
    span.dataset.labels = labels.join(' ');
    span.className = labels.length
      ? `aa-sentence aa-tagged aa-label-${LABELS.findIndex((l) => l.name === labels[0])}`
      : 'aa-sentence';
    span.setAttribute('aria-description', description(i, labels));
  }

  function setLabels(i, labels, now) {
    const before = tags[i] ? tags[i].labels : [];
    for (const l of before) counts.set(l, counts.get(l) - 1);
    for (const l of labels) counts.set(l, counts.get(l) + 1);
    if (labels.length === 0) tags[i] = null;
    else if (tags[i]) Object.assign(tags[i], { labels, modified: now });
    else tags[i] = { id: `${now.toString(36)}-${i}`, labels, created: now, modified: now };
    paint(i);
  }

  function changed(i) {
    for (const [name, el] of countEls) el.textContent = String(counts.get(name));
    const labels = tags[i] ? tags[i].labels : [];
    live.textContent = labels.length ? `Sentence ${i + 1} tagged ${labels.join(', ')}` : `Sentence ${i + 1} untagged`;
    dirty = true;
    status.textContent = 'Saving…';
    clearTimeout(timer);
    timer = setTimeout(flush, COALESCE_MS);
  }

  function toggle(i, name) {
    const current = tags[i] ? tags[i].labels : [];
    const next = current.includes(name)
      ? current.filter((l) => l !== name)
      : LABELS.map((l) => l.name).filter((l) => l === name || current.includes(l));
    setLabels(i, next, Date.now());
    changed(i);
  }

  function annotation(i) {
    const t = tags[i];
    const s = sentences[i];
    return {
      id: t.id,
      labels: t.labels,
      target: {
        quote: {
          exact: text.slice(s.start, s.end),
          prefix: text.slice(Math.max(0, s.start - CONTEXT), s.start),
          suffix: text.slice(s.end, s.end + CONTEXT),
        },
        position: { start: s.start, end: s.end },
      },
      created: new Date(t.created).toISOString(),
      modified: new Date(t.modified).toISOString(),
    };
  }

  function flush() {
    clearTimeout(timer);
    if (!dirty) return;
    const annotations = [];
    for (let i = 0; i < tags.length; i++) if (tags[i]) annotations.push(annotation(i));
    try {
      localStorage.setItem(key, JSON.stringify({ format: 'article-annotator', version: 1, document: doc, annotations }));
      dirty = false;
      status.textContent = 'Saved';
    } catch {
      status.textContent = 'Not saved';
    }
  }

  function moveTo(i) {
    if (i < 0 || i >= spans.length || i === focus) return;
    spans[focus].tabIndex = -1;
    focus = i;
    spans[i].tabIndex = 0;
    spans[i].focus();
  }

  article.addEventListener('keydown', (e) => {
    if (e.altKey || e.metaKey || e.ctrlKey) return;
    const label = LABELS.find((l) => l.key === e.key);
    if (label) toggle(focus, label.name);
    else if (e.key === '0') {
      if (tags[focus]) {
        setLabels(focus, [], Date.now());
        changed(focus);
      }
    } else if (e.key === 'j' || e.key === 'ArrowDown' || e.key === 'ArrowRight') moveTo(focus + 1);
    else if (e.key === 'k' || e.key === 'ArrowUp' || e.key === 'ArrowLeft') moveTo(focus - 1);
    else return;
    e.preventDefault();
  });
  article.addEventListener('focusin', (e) => {
    const i = Number(e.target.dataset?.sentence);
    if (Number.isInteger(i) && i !== focus) {
      spans[focus].tabIndex = -1;
      focus = i;
      spans[i].tabIndex = 0;
    }
  });
  article.addEventListener('click', (e) => {
    const span = e.target.closest?.('[data-sentence]');
    if (span) span.focus();
  });
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
  });

  return {
    /** Tags every sentence with `name` at once (the benchmark's 10,000 annotations). */
    tagAll(name) {
      const now = Date.now();
      for (let i = 0; i < tags.length; i++) setLabels(i, [name], now);
      changed(0);
    },
  };
}
