// A big article for the load benchmark (bigload.bench.mjs) and the big-article
// end-to-end tests: deterministic, ASCII only (so string indices are code points),
// and every sentence distinct (each names its own item number), so an annotation's
// quote needs no more than the minimum context and stored data stays small.

const SUBJECTS = ['The council', 'A spokesperson', 'The court', 'Negotiators', 'The ministry', 'Delegates', 'Officials', 'The auditor'];
const VERBS = ['said', 'confirmed', 'denied', 'argued', 'reported', 'warned'];
const CLAUSES = ['the budget would rise', 'the talks had stalled', 'the rules would change', 'the water supply was at risk',
  'the vote would go ahead', 'nobody had been told', 'figures were missing', 'the deal was holding', 'schools would reopen',
  'prices had doubled'];
const TAILS = ['', '', '', ' on Tuesday', ' after a long meeting', ', although some disagreed'];

/** A deterministic pseudo-random generator (xorshift32). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

/**
 * An article of about `bytes` bytes: `{ text, sentences: [{ start, end }], paragraphs }`,
 * offsets in code points. Paragraphs hold 2 to 9 sentences, one per line.
 */
export function bigArticle(bytes, seed = 7) {
  const pick = rng(seed);
  const parts = [];
  const sentences = [];
  let length = 0;
  let paragraphs = 0;
  let item = 0;
  while (length < bytes) {
    const count = 2 + pick(8);
    for (let s = 0; s < count; s += 1) {
      item += 1;
      const clauses = pick(4) === 0 ? 2 : 1;
      let sentence = `${SUBJECTS[pick(SUBJECTS.length)]} ${VERBS[pick(VERBS.length)]} in item ${item} that ${CLAUSES[pick(CLAUSES.length)]}`;
      if (clauses > 1) sentence += ` and ${CLAUSES[pick(CLAUSES.length)]}`;
      sentence += `${TAILS[pick(TAILS.length)]}.`;
      if (s > 0) {
        parts.push(' ');
        length += 1;
      }
      sentences.push({ start: length, end: length + sentence.length });
      parts.push(sentence);
      length += sentence.length;
    }
    parts.push('\n');
    length += 1;
    paragraphs += 1;
  }
  return { text: parts.join(''), sentences, paragraphs };
}

const LABEL_SETS = [['claim'], ['quote'], ['position'], ['claim', 'quote']];

/**
 * `count` annotations spread evenly over the article (as `setAnnotations` takes them):
 * labels cycle through claim, quote, position and claim + quote; every 50th has a note.
 */
export function annotationsFor(article, count) {
  const step = Math.max(1, Math.floor(article.sentences.length / count));
  const list = [];
  for (let n = 0; n < count && n * step < article.sentences.length; n += 1) {
    const { start, end } = article.sentences[n * step];
    const annotation = {
      id: `bench-${n}`,
      labels: LABEL_SETS[n % LABEL_SETS.length],
      target: {
        quote: {
          exact: article.text.slice(start, end),
          prefix: article.text.slice(Math.max(0, start - 32), start),
          suffix: article.text.slice(end, end + 32),
        },
        position: { start, end },
      },
      created: '2026-11-20T10:00:00.000Z',
      modified: '2026-11-20T10:00:00.000Z',
    };
    if (n % 50 === 0) annotation.note = `Note ${n}: check this against the minutes.`;
    list.push(annotation);
  }
  return list;
}
