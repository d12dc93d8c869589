//! Sentence segmentation of news text.
//!
//! Rule-based on purpose: the widget must segment the same article the same
//! way every time, in the browser, with no model to download. The rules follow
//! the "Golden Rules" of Pragmatic Segmenter / pySBD, written afresh as one
//! left-to-right pass per line over code points with small, bounded
//! lookbehind and lookahead windows, so the cost stays linear in the text.
//!
//! A line break always ends a sentence: in scraped articles a line is a
//! paragraph, a headline or a byline, none of which continues on the next line.
//!
//! [`segment`] applies the English rules; [`segment_in`] those of a [`Lang`]
//! (29 languages, by ISO 639-1 code). The pass is the same for all: what
//! differs is data in `lang.rs` (abbreviations, sentence openers, which marks
//! end sentences, ordinal dots, how quotations pair and whether they are kept
//! whole). The full stops of scripts that have their own (CJK 。！？, Devanagari
//! । ॥, Arabic ؟ and Urdu ۔, Armenian ։, Ethiopic ። ፧, Burmese ။) end
//! sentences in every language, English included.

/// One sentence: `start..end` in Unicode code points and `byte_start..byte_end` in UTF-8 bytes, into the text given.
///
/// Both units are kept because the rest of the app stores code points (what
/// W3C selectors count) while Rust slices the text by bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First code point of the sentence.
    pub start: usize,
    /// One past the last code point of the sentence.
    pub end: usize,
    /// Byte offset of `start`, so the text can be sliced without re-counting.
    pub byte_start: usize,
    /// Byte offset of `end`.
    pub byte_end: usize,
}

mod lang;

pub use lang::{Lang, Resolved};
use lang::{Rules, Words};

/// Splits `text` into sentences, in order, without overlap; no span starts or ends with whitespace; every non-whitespace char is inside some span; empty/whitespace-only text gives no spans.
///
/// English rules; [`segment_in`] takes the language. Never panics: every
/// window into the text is bounds-checked, so arbitrary pasted input is safe.
pub fn segment(text: &str) -> Vec<Span> {
    segment_in(text, Lang::ENGLISH)
}

/// Splits `text` into sentences by the rules of `lang`, with the guarantees of [`segment`].
pub fn segment_in(text: &str, lang: Lang) -> Vec<Span> {
    let rules = lang.rules();
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    let mut line_start = 0;
    for idx in 0..=chars.len() {
        if idx == chars.len() || is_line_break(chars[idx]) {
            segment_line(&chars[line_start..idx], line_start, rules, &mut spans);
            line_start = idx + 1;
        }
    }
    attach_byte_offsets(text, &mut spans);
    spans
}

/// Fills in byte offsets in one forward walk; spans are sorted, so this is linear.
fn attach_byte_offsets(text: &str, spans: &mut [Span]) {
    let mut walker = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut cp = 0;
    let mut byte = walker.next().unwrap_or(text.len());
    let mut advance_to = |target: usize| -> usize {
        while cp < target {
            byte = walker.next().unwrap_or(text.len());
            cp += 1;
        }
        byte
    };
    for span in spans.iter_mut() {
        span.byte_start = advance_to(span.start);
        span.byte_end = advance_to(span.end);
    }
}

/// Segments one line (no line-break characters inside), appending its sentences.
fn segment_line(line: &[char], base: usize, rules: &'static Rules, out: &mut Vec<Span>) {
    if line.iter().all(|c| c.is_whitespace()) {
        return;
    }
    let cx = Line {
        chars: line,
        rules,
        marks: if rules.quotations_whole {
            quotation_marks(line)
        } else {
            Vec::new()
        },
    };
    let markers = find_list_markers(line, rules.numbered_nouns);
    let mut cuts = find_sentence_ends(&cx, &markers);
    cuts.extend_from_slice(&markers.cuts);
    cuts.push(0);
    cuts.push(line.len());
    cuts.sort_unstable();
    cuts.dedup();
    for pair in cuts.windows(2) {
        let (mut s, mut e) = (pair[0], pair[1]);
        while s < e && line[s].is_whitespace() {
            s += 1;
        }
        while e > s && line[e - 1].is_whitespace() {
            e -= 1;
        }
        if s < e {
            out.push(Span {
                start: base + s,
                end: base + e,
                byte_start: 0,
                byte_end: 0,
            });
        }
    }
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

/// Paragraph separators: every one of them ends a sentence.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Characters that may close a quotation or parenthesis right after a terminator
/// and so belong to the sentence that ends there.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '】'
            | '〉'
            | '》'
    )
}

/// Characters that may open the next sentence before its first letter.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '„'
            | '«'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '「'
            | '『'
            | '（'
    )
}

/// Bullets start a new list item, hence a new sentence, wherever they stand.
fn is_bullet(c: char) -> bool {
    matches!(c, '•' | '‣' | '⁃' | '◦' | '▪' | '●' | '■')
}

/// Terminators that, unlike the period, are never part of an abbreviation.
fn is_strong_terminator(c: char) -> bool {
    matches!(
        c,
        '?' | '!' | '‼' | '⁇' | '⁈' | '⁉' | '؟' | '۔' | '।' | '॥' | '։'
    )
}

/// Full stops of scripts written without spaces between sentences (CJK,
/// Ethiopic, Burmese): they end a sentence even with no space after them.
fn is_unspaced_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡' | '።' | '፧' | '፨' | '။')
}

/// One line being segmented, with its language and what is known of its quotations.
struct Line<'a> {
    chars: &'a [char],
    rules: &'static Rules,
    /// Per code point (and one past the end): `OPENS`, `CLOSES` and `INSIDE`
    /// flags from [`quotation_marks`]; empty unless the language keeps quotations whole.
    marks: Vec<u8>,
}

/// The mark opens a quotation or bracket that is closed later in the line.
const OPENS: u8 = 1;
/// The mark closes a quotation or bracket opened earlier in the line.
const CLOSES: u8 = 2;
/// A cut before this position would fall inside a quotation kept whole.
const INSIDE: u8 = 4;

impl Line<'_> {
    fn has_mark(&self, at: usize, flag: u8) -> bool {
        self.marks.get(at).is_some_and(|m| m & flag != 0)
    }

    /// Closes a quotation or bracket, by its shape or by its pairing.
    fn is_closer(&self, at: usize) -> bool {
        self.chars.get(at).is_some_and(|&c| is_closer(c)) || self.has_mark(at, CLOSES)
    }

    /// Opens a quotation or bracket, by its shape or by its pairing.
    fn is_opener(&self, at: usize) -> bool {
        self.chars.get(at).is_some_and(|&c| is_opener(c)) || self.has_mark(at, OPENS)
    }

    fn is_strong_terminator(&self, c: char) -> bool {
        is_strong_terminator(c) || self.rules.extra_terminators.contains(&c)
    }

    fn is_terminator(&self, c: char) -> bool {
        (c == '.' && self.rules.period)
            || c == '…'
            || self.is_strong_terminator(c)
            || is_unspaced_terminator(c)
    }
}

/// Longest quotation or bracket kept whole, in code points; a longer one is a
/// passage of its own and is split inside like any text.
const MAX_KEPT_WHOLE: usize = 400;
/// Deepest nesting of quotations and brackets followed.
const MAX_NESTING: usize = 16;

/// Each mark that opens a quotation or bracket, and the marks that may close it.
const QUOTE_PAIRS: &[(char, &str)] = &[
    ('(', ")"),
    ('[', "]"),
    ('{', "}"),
    ('"', "\""),
    ('“', "”"),
    ('”', "”"),
    ('„', "“”"),
    ('‘', "’"),
    ('‚', "‘’"),
    ('«', "»"),
    ('»', "«"),
    ('‹', "›"),
    ('›', "‹"),
    ('「', "」"),
    ('『', "』"),
    ('《', "》"),
    ('〈', "〉"),
    ('（', "）"),
    ('【', "】"),
];

/// The marks that close a quotation or bracket opened by `c`, if `c` opens one.
fn closers_for(c: char) -> Option<&'static str> {
    QUOTE_PAIRS.iter().find(|p| p.0 == c).map(|p| p.1)
}

/// Pairs the quotation marks and brackets of a line, each closing the latest
/// open one of its kind, so that "“" closes „ in German and "«" closes » in
/// Danish. Straight and curly marks that can also be apostrophes or inner
/// marks ('"' in ד"ר, "’" in l’Avv) open only before a word and close only
/// after one. Marks the quotations within `MAX_KEPT_WHOLE` as `INSIDE`.
fn quotation_marks(line: &[char]) -> Vec<u8> {
    let mut marks = vec![0u8; line.len() + 1];
    let mut depth = vec![0i32; line.len() + 2];
    let mut open: Vec<(usize, &'static str)> = Vec::new();
    for (i, &c) in line.iter().enumerate() {
        let ambiguous = matches!(c, '"' | '”' | '‘' | '’');
        let prev_word = i > 0 && line[i - 1].is_alphanumeric();
        let next = line.get(i + 1).copied();
        let next_word = next.is_some_and(char::is_alphanumeric);
        if let Some(&(s, closers)) = open.last() {
            if closers.contains(c) && !(ambiguous && next_word) {
                open.pop();
                marks[s] |= OPENS;
                marks[i] |= CLOSES;
                if i - s < MAX_KEPT_WHOLE {
                    depth[s + 1] += 1;
                    depth[i + 1] -= 1;
                }
                continue;
            }
        }
        if let Some(closers) = closers_for(c) {
            let can_open = !ambiguous || (!prev_word && next.is_some_and(|n| !n.is_whitespace()));
            if can_open && open.len() < MAX_NESTING {
                open.push((i, closers));
            }
        }
    }
    let mut level = 0;
    for (mark, d) in marks.iter_mut().zip(&depth) {
        level += d;
        if level > 0 {
            *mark |= INSIDE;
        }
    }
    marks
}

/// Punctuation that shows the text after a terminator continues the same sentence.
fn is_continuation(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | ')' | ']' | '}' | '%' | '-' | '–' | '—' | '&'
    )
}

// ---------------------------------------------------------------------------
// Word lists (in `lang`): sorted and lowercase so that lookup is a binary search.
// ---------------------------------------------------------------------------

/// Longer than any listed word, so longer words are rejected without a lookup.
const MAX_LISTED_WORD: usize = 12;

/// Case-insensitive lookup through a stack buffer: no allocation per period.
fn in_list(list: Words, word: &[char]) -> bool {
    if word.len() > MAX_LISTED_WORD {
        return false;
    }
    let mut buf = ['\0'; MAX_LISTED_WORD];
    for (slot, &c) in buf.iter_mut().zip(word) {
        *slot = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => return false, // expands when lowercased: no listed word does
            }
        };
    }
    list.contains(&buf[..word.len()])
}

// ---------------------------------------------------------------------------
// Numbered, lettered and bulleted lists
// ---------------------------------------------------------------------------

/// What the list pass found in one line.
#[derive(Debug, Default)]
struct ListMarkers {
    /// Positions where a list item (hence a sentence) starts.
    cuts: Vec<usize>,
    /// Periods that belong to a marker ("2." in "2. The second item"), sorted.
    periods: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    Number,
    Lower,
    Upper,
}

#[derive(Debug, Clone, Copy)]
struct MarkerCandidate {
    token: usize,
    start: usize,
    kind: MarkerKind,
    value: u32,
    period: Option<usize>,
}

/// Longest marker token, "⁃(12)." and the like; longer tokens are skipped.
const MAX_MARKER_LEN: usize = 7;

/// Finds list markers ("1.", "2.)", "3)", "(a)", "• 9.") that form a run of
/// consecutive numbers or letters in the line, or that open the line.
///
/// A lone "2." is ambiguous ("in 2. place" vs a list), so only a sequence
/// (or the start of a paragraph) makes a marker.
fn find_list_markers(line: &[char], numbered_nouns: Words) -> ListMarkers {
    let mut markers = ListMarkers::default();
    let tokens = tokenize(line);
    let mut candidates: Vec<MarkerCandidate> = Vec::new();
    for (t, &(s, e)) in tokens.iter().enumerate() {
        if is_bullet(line[s]) {
            markers.cuts.push(s);
        }
        let has_next_token = t + 1 < tokens.len();
        if t > 0 && !has_next_token {
            continue;
        }
        let after_numbered_noun = t > 0 && {
            let (ps, pe) = tokens[t - 1];
            in_list(numbered_nouns, trim_to_letters(&line[ps..pe]))
        };
        if after_numbered_noun {
            continue;
        }
        if let Some((kind, value, period)) = parse_marker(&line[s..e], t == 0) {
            candidates.push(MarkerCandidate {
                token: t,
                start: s,
                kind,
                value,
                period: period.map(|p| s + p),
            });
        }
    }
    if candidates.is_empty() {
        return markers;
    }
    // Chain each candidate to the previous one of its kind when it counts on by one.
    let mut chain_of = vec![0usize; candidates.len()];
    let mut chains: Vec<(u32, MarkerKind, usize)> = Vec::new(); // (first value, kind, length)
    let mut last_of_kind: [Option<usize>; 3] = [None; 3];
    for (ci, c) in candidates.iter().enumerate() {
        let slot = c.kind as usize;
        let linked = last_of_kind[slot].filter(|&pi| {
            let p = &candidates[pi];
            p.value + 1 == c.value && c.token > p.token + 1
        });
        match linked {
            Some(pi) => {
                chain_of[ci] = chain_of[pi];
                chains[chain_of[pi]].2 += 1;
            }
            None => {
                chain_of[ci] = chains.len();
                chains.push((c.value, c.kind, 1));
            }
        }
        last_of_kind[slot] = Some(ci);
    }
    for (ci, c) in candidates.iter().enumerate() {
        let (first, kind, len) = chains[chain_of[ci]];
        let in_list = match kind {
            MarkerKind::Number => len >= 2,
            MarkerKind::Lower => len >= 2 && first == 'a' as u32,
            MarkerKind::Upper => len >= 3 && first == 'A' as u32,
        };
        if !(in_list || c.token == 0) {
            continue;
        }
        if c.token > 0 {
            let (ps, pe) = tokens[c.token - 1];
            let after_lone_bullet = pe == ps + 1 && is_bullet(line[ps]);
            markers
                .cuts
                .push(if after_lone_bullet { ps } else { c.start });
        }
        if let Some(p) = c.period {
            markers.periods.push(p);
        }
    }
    markers.cuts.sort_unstable();
    markers
}

/// The token without punctuation around its letters ("(Chapter," -> "Chapter").
fn trim_to_letters(mut token: &[char]) -> &[char] {
    while let [c, rest @ ..] = token {
        if c.is_alphabetic() {
            break;
        }
        token = rest;
    }
    while let [rest @ .., c] = token {
        if c.is_alphabetic() {
            break;
        }
        token = rest;
    }
    token
}

/// Whitespace-separated tokens of a line, as `start..end` pairs.
fn tokenize(line: &[char]) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if line[i].is_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        while i < line.len() && !line[i].is_whitespace() {
            i += 1;
        }
        tokens.push((s, i));
    }
    tokens
}

/// Reads a marker token: optional bullet, optional "(" (line start only), 1-2 digits or one ASCII
/// letter (or a short roman numeral at line start), then ".", ".)" or ")".
/// Returns the kind, the value and the offset of its period, if any.
fn parse_marker(tok: &[char], at_line_start: bool) -> Option<(MarkerKind, u32, Option<usize>)> {
    if tok.len() > MAX_MARKER_LEN {
        return None;
    }
    let mut p = 0;
    if tok.first().is_some_and(|&c| is_bullet(c)) {
        p += 1;
    }
    let paren = tok.get(p) == Some(&'(');
    if paren {
        if !at_line_start {
            // Inside prose "(a) apples and (b) pears" enumerates within one sentence.
            return None;
        }
        p += 1;
    }
    let body_start = p;
    while p < tok.len() && tok[p].is_ascii_alphanumeric() {
        p += 1;
    }
    let body = &tok[body_start..p];
    let suffix = &tok[p..];
    let period = match suffix {
        ['.'] | ['.', ')'] if !paren => Some(p),
        [')'] => None,
        _ => return None,
    };
    let (kind, value) = if (1..=2).contains(&body.len()) && body.iter().all(|c| c.is_ascii_digit())
    {
        let value = body
            .iter()
            .fold(0u32, |v, c| v * 10 + c.to_digit(10).unwrap_or(0));
        (MarkerKind::Number, value)
    } else if body.len() == 1 && body[0].is_ascii_lowercase() {
        (MarkerKind::Lower, body[0] as u32)
    } else if body.len() == 1 && body[0].is_ascii_uppercase() {
        (MarkerKind::Upper, body[0] as u32)
    } else if at_line_start
        && !body.is_empty()
        && body.len() <= 4
        && body.iter().all(|c| matches!(c, 'I' | 'V' | 'X'))
    {
        // Section numbers ("II. Background") only count where a heading can be.
        (MarkerKind::Upper, 0)
    } else {
        return None;
    };
    Some((kind, value, period))
}

// ---------------------------------------------------------------------------
// Terminators
// ---------------------------------------------------------------------------

/// What follows a terminator, after the quotes and brackets that close its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Nothing but whitespace up to the end of the line.
    End,
    /// A non-space character follows directly: the terminator is inside a
    /// token (a URL, a decimal, "Jr.'s", "mean...see").
    Glued,
    /// A lowercase letter: the sentence goes on ("she said.").
    Lower,
    /// A capitalised word beginning at this index.
    Upper(usize),
    /// A word of a script without case (CJK, Arabic, ...) beginning at this index.
    Caseless(usize),
    Digit,
    /// Punctuation that continues a sentence (",", ";", ")", dashes).
    Continuation,
    /// Anything else: symbols, currency, bullets.
    Other,
}

/// Where a sentence ending at a terminator would be cut, and what comes next.
#[derive(Debug, Clone, Copy)]
struct Lookahead {
    cut: usize,
    next: Next,
}

/// Longest run of opening quotes/brackets looked through to find the next letter.
const MAX_OPENERS: usize = 8;
/// Longest citation mark read as part of a sentence end ("[13]", "[a]").
const MAX_CITATION: usize = 4;

/// The end of a citation mark ("[13]") starting at `at`, if one does.
fn citation_end(line: &[char], at: usize) -> Option<usize> {
    if line.get(at) != Some(&'[') {
        return None;
    }
    let body = line[at + 1..]
        .iter()
        .take(MAX_CITATION + 1)
        .take_while(|c| c.is_alphanumeric())
        .count();
    ((1..=MAX_CITATION).contains(&body) && line.get(at + 1 + body) == Some(&']'))
        .then_some(at + body + 2)
}

/// Past the closers of a sentence ending at `after`: closing quotes and
/// brackets, and where the language has them, citation marks and a paired
/// closer after a space (French « … »).
fn skip_closers(cx: &Line, after: usize) -> usize {
    let line = cx.chars;
    let mut j = after;
    loop {
        let before = j;
        while j < line.len() && cx.is_closer(j) {
            j += 1;
        }
        if cx.rules.citations {
            while let Some(end) = citation_end(line, j) {
                j = end;
            }
        }
        if cx.rules.quotations_whole {
            let mut t = j;
            while t < line.len() && line[t].is_whitespace() {
                t += 1;
            }
            if t > j && cx.has_mark(t, CLOSES) {
                j = t;
            }
        }
        if j == before {
            return j;
        }
    }
}

/// Looks past the closers glued to a terminator ending at `after`, then past
/// whitespace and openers, at the first character of the next token.
fn look_ahead(cx: &Line, after: usize) -> Lookahead {
    let line = cx.chars;
    let mut j = skip_closers(cx, after);
    let cut = j;
    if j >= line.len() {
        return Lookahead {
            cut,
            next: Next::End,
        };
    }
    if !line[j].is_whitespace() {
        return Lookahead {
            cut,
            next: Next::Glued,
        };
    }
    while j < line.len() && line[j].is_whitespace() {
        j += 1;
    }
    if j >= line.len() {
        return Lookahead {
            cut,
            next: Next::End,
        };
    }
    let mut k = j;
    while k < line.len() && k - j < MAX_OPENERS && cx.is_opener(k) {
        k += 1;
    }
    let next = match line.get(k) {
        None => Next::Other,
        Some(&c) if c.is_lowercase() => Next::Lower,
        Some(&c) if c.is_uppercase() => Next::Upper(k),
        Some(&c) if c.is_alphabetic() => Next::Caseless(k),
        Some(&c) if c.is_numeric() => Next::Digit,
        Some(&c) if k == j && is_continuation(c) => Next::Continuation,
        Some(_) => Next::Other,
    };
    Lookahead { cut, next }
}

/// Longest word read after a terminator for the word-list checks.
const MAX_NEXT_WORD: usize = 20;

/// The word (letters only) starting at `start`.
fn word_at(line: &[char], start: usize) -> &[char] {
    let mut end = start;
    while end < line.len() && end - start < MAX_NEXT_WORD && line[end].is_alphabetic() {
        end += 1;
    }
    &line[start..end]
}

/// Finds the cut positions after sentence-ending terminators in one line.
fn find_sentence_ends(cx: &Line, markers: &ListMarkers) -> Vec<usize> {
    let line = cx.chars;
    let mut cuts: Vec<usize> = Vec::new();
    let mut marker_periods = markers.periods.iter().copied().peekable();
    let mut marker_cuts = markers.cuts.iter().copied().peekable();
    let mut last_marker_cut = 0;
    let mut i = 0;
    while i < line.len() {
        if !cx.is_terminator(line[i]) {
            i += 1;
            continue;
        }
        let mut run_end = i;
        while run_end < line.len() && cx.is_terminator(line[run_end]) {
            run_end += 1;
        }
        while marker_periods.next_if(|&p| p < i).is_some() {}
        while let Some(c) = marker_cuts.next_if(|&c| c <= i) {
            last_marker_cut = c;
        }
        let sentence_start = last_marker_cut.max(cuts.last().copied().unwrap_or(0));
        let marker_period = marker_periods.peek() == Some(&i);
        let (cut, resume) = decide_run(cx, i, run_end, sentence_start, marker_period);
        // Inside a quotation kept whole, only its close may end the sentence.
        if let Some(cut) = cut.filter(|&c| !cx.has_mark(c, INSIDE)) {
            cuts.push(cut);
        }
        i = resume;
    }
    cuts
}

/// Decides the run of terminators `i..run_end`: where it cuts, if it does,
/// and where the scan goes on.
fn decide_run(
    cx: &Line,
    i: usize,
    run_end: usize,
    sentence_start: usize,
    marker_period: bool,
) -> (Option<usize>, usize) {
    let line = cx.chars;
    let run = &line[i..run_end];
    let cut = if run.iter().any(|&c| is_unspaced_terminator(c)) {
        let cut = look_ahead(cx, run_end).cut;
        // 「行きます。」と言った: a quotation the sentence goes on after, glued.
        let quoted_inside = cx.rules.quotations_whole
            && cut > run_end
            && line.get(cut).is_some_and(|c| c.is_alphabetic());
        (!quoted_inside).then_some(cut)
    } else if run.iter().any(|&c| cx.is_strong_terminator(c)) {
        let la = look_ahead(cx, run_end);
        (!matches!(la.next, Next::Glued | Next::Lower | Next::Continuation)).then_some(la.cut)
    } else if run == ['.'] {
        if marker_period {
            return (None, run_end);
        }
        if let Some(spaced_end) = spaced_ellipsis_end(cx, i) {
            return (decide_spaced_ellipsis(cx, i, spaced_end), spaced_end);
        }
        let la = look_ahead(cx, run_end);
        period_ends_sentence(cx, i, la.next, sentence_start).then_some(la.cut)
    } else {
        decide_ellipsis(cx, i, run_end)
    };
    (cut, run_end)
}

/// Decides an unspaced ellipsis ("...", "....", "…"): it ends a sentence only
/// before a capital, and never as an editorial elision "[...]".
fn decide_ellipsis(cx: &Line, start: usize, end: usize) -> Option<usize> {
    let line = cx.chars;
    let bracketed = start > 0
        && matches!(line[start - 1], '[' | '(')
        && line.get(end).is_some_and(|&c| matches!(c, ']' | ')'));
    if bracketed {
        return None;
    }
    let la = look_ahead(cx, end);
    matches!(la.next, Next::Upper(_) | Next::Caseless(_) | Next::End).then_some(la.cut)
}

/// If a period at `i` starts a spaced ellipsis (". . ."), returns its end.
/// Where the language wants it strict, a space must stand between every two
/// dots, so "raak. ...en" is a period, then an ellipsis opening the next sentence.
fn spaced_ellipsis_end(cx: &Line, i: usize) -> Option<usize> {
    let line = cx.chars;
    let strict = cx.rules.strict_spaced_ellipsis;
    let mut dots = 1;
    let mut j = i + 1;
    while j + 1 < line.len() && line[j] == ' ' && line[j + 1] == '.' {
        if strict && line.get(j + 2) == Some(&'.') {
            break;
        }
        j += 2;
        dots += 1;
        while j < line.len() && line[j] == '.' {
            j += 1;
            dots += 1;
        }
    }
    (dots >= 3).then_some(j)
}

/// Decides a spaced ellipsis. Three dots mark an omission inside a sentence;
/// four mark an omission at its end. Glued to a word, the first of four is
/// that sentence's own period and the other three open the next sentence
/// ("compounds. . . . The practice" -> "compounds." | ". . . The practice").
fn decide_spaced_ellipsis(cx: &Line, start: usize, end: usize) -> Option<usize> {
    let line = cx.chars;
    let dots = line[start..end].iter().filter(|&&c| c == '.').count();
    if dots < 4 {
        return None;
    }
    let la = look_ahead(cx, end);
    let new_sentence = matches!(la.next, Next::Upper(_) | Next::Caseless(_));
    let glued_to_word = start > 0 && !line[start - 1].is_whitespace() && !cx.is_opener(start - 1);
    if glued_to_word {
        new_sentence.then_some(start + 1)
    } else {
        (new_sentence || la.next == Next::End).then_some(la.cut)
    }
}

/// What the word before a period says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordBefore {
    /// An ordinary word, number, URL or address.
    Plain,
    /// A title or similar that precedes a name ("Dr.").
    Prepositive,
    /// An abbreviation that ends a sentence before a capital only ("Co.").
    General,
    /// A single capital, taken as an initial ("Jonas E. Smith").
    Initial,
    /// A single capital after a lowercase word: an initial ("said J. Smith")
    /// or a label ("plan B."); only a typical sentence opener tells them apart.
    LabelOrInitial,
    /// A word that is an abbreviation before a number only ("No. 5").
    Number,
    /// Letters with inner periods ("U.S.", "E.U.", "Ph.D.").
    MultiPeriod,
    /// "a.m." / "p.m.".
    Time,
}

/// Longest token looked at behind a period; anything longer is a plain word.
const MAX_WORD_BEFORE: usize = 48;
/// Longest stretch looked at behind a token for the previous word or the clause start.
const MAX_LOOKBEHIND: usize = 80;

/// Decides whether a lone period at `i` ends a sentence.
fn period_ends_sentence(cx: &Line, i: usize, next: Next, sentence_start: usize) -> bool {
    let (line, rules) = (cx.chars, cx.rules);
    match next {
        Next::End => return true,
        Next::Glued => return rules.glued_sentences && is_glued_sentence_end(line, i),
        Next::Lower | Next::Continuation => return false,
        _ => {}
    }
    let Some(mut word_start) = word_start_before(line, i) else {
        return true;
    };
    if rules.elision {
        word_start = after_elision(line, word_start, i);
    }
    let before_word = matches!(next, Next::Upper(_) | Next::Caseless(_));
    let whole_token =
        word_start == 0 || line[word_start - 1].is_whitespace() || cx.is_opener(word_start - 1);
    if rules.ordinal_dots && before_word && whole_token && is_ordinal(&line[word_start..i]) {
        return false;
    }
    match classify_word(cx, word_start, i) {
        WordBefore::Plain => true,
        WordBefore::Prepositive | WordBefore::Initial => false,
        WordBefore::General => match next {
            Next::Digit => false,
            Next::Upper(k) | Next::Caseless(k) if rules.abbreviation_needs_starter => {
                starts_sentence(cx, k)
            }
            // "Acme Inc. (“Company A”)", "see Fig. ??" (a reference not yet resolved):
            // a bracket or a lone run of question marks after an abbreviation goes on.
            Next::Other => !continues_after_abbreviation(line, i),
            _ => true,
        },
        WordBefore::Number => next != Next::Digit,
        WordBefore::MultiPeriod | WordBefore::LabelOrInitial => match next {
            Next::Upper(k) => starts_sentence(cx, k),
            Next::Caseless(k) => !rules.abbreviation_needs_starter || starts_sentence(cx, k),
            _ => false,
        },
        WordBefore::Time => match next {
            Next::Upper(k) => {
                !in_list(rules.time_qualifiers, word_at(line, k))
                    && !is_fronted_phrase(line, sentence_start, word_start, rules)
            }
            Next::Digit => false,
            _ => true,
        },
    }
}

/// Whether the token after the period at `i` is an opening parenthesis or nothing but
/// question marks.
fn continues_after_abbreviation(line: &[char], i: usize) -> bool {
    let rest = line.get(i + 1..).unwrap_or(&[]);
    let Some(start) = rest.iter().position(|c| !c.is_whitespace()) else { return false };
    let token: Vec<char> = rest[start..].iter().take_while(|c| !c.is_whitespace()).copied().collect();
    token.first() == Some(&'(') || token.iter().all(|&c| c == '?')
}

/// Whether the word at `k`, after an abbreviation or initial, opens a new
/// sentence: it is one of the language's typical sentence openers. Where the
/// list decides alone, a single letter with a period is another initial
/// ("В. В. Путин": "В" is also the preposition "in").
fn starts_sentence(cx: &Line, k: usize) -> bool {
    let word = word_at(cx.chars, k);
    if cx.rules.abbreviation_needs_starter && word.len() == 1 && cx.chars.get(k + 1) == Some(&'.') {
        return false;
    }
    in_list(cx.rules.starters, word)
}

/// Longest number read as an ordinal before its period ("100. Geburtstag").
const MAX_ORDINAL_DIGITS: usize = 3;
/// Longest roman numeral read as an ordinal ("XVIII.").
const MAX_ROMAN: usize = 5;

/// "3", "12", "XII": a number that, with a period, is an ordinal where the
/// language writes them so. One roman letter is left to the initials' rule.
fn is_ordinal(word: &[char]) -> bool {
    let digits =
        (1..=MAX_ORDINAL_DIGITS).contains(&word.len()) && word.iter().all(char::is_ascii_digit);
    let roman =
        (2..=MAX_ROMAN).contains(&word.len()) && word.iter().all(|c| matches!(c, 'I' | 'V' | 'X'));
    digits || roman
}

/// The start of the word after an elided article or preposition ("l'Avv" ->
/// "Avv", "dell’Ing" -> "Ing"), or `start` when there is none.
fn after_elision(line: &[char], start: usize, end: usize) -> usize {
    (start..end)
        .rev()
        .find(|&p| {
            matches!(line[p], '\'' | '’') && line.get(p + 1).is_some_and(|c| c.is_alphabetic())
        })
        .map_or(start, |p| p + 1)
        .min(end)
}

/// "жағдайы.XVIII ғасырдың": a period glued between a lowercase word and a
/// capitalised word of two letters or more is a missing space, unless the
/// token looks like an address (another period, "/", "@" or ":" around it).
fn is_glued_sentence_end(line: &[char], i: usize) -> bool {
    let before = i >= 2 && line[i - 1].is_lowercase() && line[i - 2].is_alphabetic();
    let next = word_at(line, i + 1);
    if !before || next.len() < 2 || !next[0].is_uppercase() {
        return false;
    }
    let address_mark = |c: &char| matches!(c, '.' | '/' | '@' | ':' | '_');
    let Some(start) = word_start_before(line, i) else {
        return false;
    };
    let after = i + 1 + next.len();
    let continues_address = line
        .get(after)
        .is_some_and(|c| matches!(c, '/' | '@' | '_'))
        || (line.get(after) == Some(&'.')
            && line.get(after + 1).is_some_and(|c| c.is_alphanumeric()));
    !line[start..i].iter().any(address_mark) && !continues_address
}

/// Start of the token that ends at `end`, after its leading punctuation
/// ("(Prof." -> "Prof"); `None` when there is no such word or it is too long
/// to be anything but a plain word.
fn word_start_before(line: &[char], end: usize) -> Option<usize> {
    let mut s = end;
    while s > 0 && !line[s - 1].is_whitespace() {
        if end - s >= MAX_WORD_BEFORE {
            return None;
        }
        s -= 1;
    }
    while s < end && !line[s].is_alphanumeric() {
        s += 1;
    }
    (s < end).then_some(s)
}

fn classify_word(cx: &Line, start: usize, end: usize) -> WordBefore {
    let (line, rules) = (cx.chars, cx.rules);
    let word = &line[start..end];
    if let [c] = word {
        if c.is_uppercase() {
            return match (*c == 'I', previous_word_is_lowercase(line, start)) {
                // "you and I." is the pronoun; "Albert I. Jones" an initial.
                (true, true) => WordBefore::Plain,
                (false, true) => WordBefore::LabelOrInitial,
                (_, false) => WordBefore::Initial,
            };
        }
        if c.is_lowercase() {
            return WordBefore::General;
        }
        // A caseless letter: only the word lists know it ("د." for doctor).
    }
    if in_list(rules.titles, word) {
        WordBefore::Prepositive
    } else if in_list(rules.times, word) {
        WordBefore::Time
    } else if in_list(rules.abbreviations, word) {
        WordBefore::General
    } else if in_list(rules.numbers, word) {
        WordBefore::Number
    } else if is_caseless_initial(word, rules.caseless_initial_len) {
        WordBefore::Initial
    } else if is_multi_period_abbreviation(word) {
        WordBefore::MultiPeriod
    } else {
        WordBefore::Plain
    }
}

/// "കെ", "കെ.പി": the last piece is a short word of a caseless script, an initial.
fn is_caseless_initial(word: &[char], max_len: usize) -> bool {
    let last = word.rsplit(|&c| c == '.').next().unwrap_or(word);
    (1..=max_len).contains(&last.len())
        && last
            .iter()
            .all(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
}

/// "U.S", "E.U", "Ph.D": one- or two-letter pieces joined by periods.
fn is_multi_period_abbreviation(word: &[char]) -> bool {
    let mut pieces = 0;
    for piece in word.split(|&c| c == '.') {
        if piece.is_empty() || piece.len() > 2 || !piece.iter().all(|c| c.is_alphabetic()) {
            return false;
        }
        pieces += 1;
    }
    pieces >= 2
}

/// Whether the word before the token at `token_start` starts in lowercase.
fn previous_word_is_lowercase(line: &[char], token_start: usize) -> bool {
    let floor = token_start.saturating_sub(MAX_LOOKBEHIND);
    let mut e = token_start;
    while e > floor && !line[e - 1].is_whitespace() {
        e -= 1; // the rest of this token's leading punctuation
    }
    while e > floor && line[e - 1].is_whitespace() {
        e -= 1;
    }
    let mut s = e;
    while s > floor && !line[s - 1].is_whitespace() {
        s -= 1;
    }
    line[s..e]
        .iter()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_lowercase())
}

/// Whether the clause from `sentence_start` up to the time at `time_start` is
/// only a short fronted time phrase ("At 5 a.m."), which cannot be a sentence.
fn is_fronted_phrase(
    line: &[char],
    sentence_start: usize,
    time_start: usize,
    rules: &Rules,
) -> bool {
    if time_start < sentence_start || time_start - sentence_start > MAX_LOOKBEHIND {
        return false;
    }
    let tokens = tokenize(&line[sentence_start..time_start]);
    if tokens.is_empty() || tokens.len() > 3 {
        return false;
    }
    let (s, e) = tokens[0];
    in_list(
        rules.fronted_prepositions,
        trim_to_letters(&line[sentence_start + s..sentence_start + e]),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn rupees_references_and_brackets_after_an_abbreviation_go_on() {
        assert_eq!(sentences_in("en", "I will be paid Rs. 3520 in total. Thanks."), ["I will be paid Rs. 3520 in total.", "Thanks."]);
        assert_eq!(sentences_in("en", "As shown in Fig. ?? the curve rises. Next."), ["As shown in Fig. ?? the curve rises.", "Next."]);
        assert_eq!(sentences_in("en", "It is Acme Inc. (the maker). It grew."), ["It is Acme Inc. (the maker).", "It grew."]);
        assert_eq!(sentences_in("ru", "It closed in 1898 г. В 1854 году дом продан. Потом снесён."), ["It closed in 1898 г. В 1854 году дом продан.", "Потом снесён."]);
    }

    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text)
            .iter()
            .map(|s| &text[s.byte_start..s.byte_end])
            .collect()
    }

    fn assert_sentences(text: &str, expected: &[&str]) {
        assert_eq!(sentences(text), expected, "segmenting {text:?}");
    }

    fn assert_one(text: &str) {
        assert_sentences(text, &[text]);
    }

    /// The invariants every caller relies on, for any input.
    fn check_invariants(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
        let chars: Vec<char> = text.chars().collect();
        let mut prev_end = 0;
        let mut covered = vec![false; chars.len()];
        for sp in spans {
            prop_assert!(sp.start < sp.end, "empty span {:?}", sp);
            prop_assert!(sp.start >= prev_end, "overlap or disorder at {:?}", sp);
            prop_assert!(sp.end <= chars.len());
            prop_assert!(!chars[sp.start].is_whitespace() && !chars[sp.end - 1].is_whitespace());
            prop_assert!(
                text.is_char_boundary(sp.byte_start) && text.is_char_boundary(sp.byte_end)
            );
            prop_assert_eq!(text[..sp.byte_start].chars().count(), sp.start);
            prop_assert_eq!(text[..sp.byte_end].chars().count(), sp.end);
            for c in covered.iter_mut().take(sp.end).skip(sp.start) {
                *c = true;
            }
            prev_end = sp.end;
        }
        for (k, c) in chars.iter().enumerate() {
            prop_assert!(
                covered[k] || c.is_whitespace(),
                "char {} ({:?}) not covered",
                k,
                c
            );
        }
        Ok(())
    }

    #[test]
    fn word_lists_are_sorted_lowercase_and_unique() {
        for lang in Lang::all() {
            let r = lang.rules();
            for list in [
                r.titles,
                r.abbreviations,
                r.numbers,
                r.times,
                r.starters,
                r.time_qualifiers,
                r.numbered_nouns,
                r.fronted_prepositions,
            ] {
                let words = list;
                let list: Vec<&str> = words.iter().collect();
                assert_eq!(
                    words.0,
                    list.join(" "),
                    "{}: one space between words",
                    r.code
                );
                for w in &list {
                    let chars: Vec<char> = w.chars().collect();
                    assert!(words.contains(&chars), "{}: {w} not found", r.code);
                }
                for pair in list.windows(2) {
                    assert!(
                        pair[0] < pair[1],
                        "{}: {:?} before {:?}",
                        r.code,
                        pair[0],
                        pair[1]
                    );
                }
                for w in list {
                    assert_eq!(w.to_lowercase(), *w, "{}", r.code);
                    assert!(w.chars().count() <= MAX_LISTED_WORD, "{}: {w}", r.code);
                }
            }
        }
    }

    #[test]
    fn word_lists_are_binary_searched() {
        let find =
            |list: &'static str, w: &str| Words(list).contains(&w.chars().collect::<Vec<_>>());
        assert!(!find("", "a"));
        assert!(!find("", ""));
        assert!(find("mr", "mr") && !find("mr", "m") && !find("mr", "mrs"));
        let list = "a ab abc b dr п.н.э проф ул ἀ";
        for w in list.split(' ') {
            assert!(find(list, w), "{w}");
        }
        for w in ["", "aa", "abcd", "c", "d", "drs", "проф.", "ум", "zz", "ἀἀ"] {
            assert!(!find(list, w), "{w}");
        }
    }

    #[test]
    fn empty_and_blank_text_give_no_spans() {
        assert!(segment("").is_empty());
        assert!(segment(" \n\t \r\n ").is_empty());
    }

    #[test]
    fn default_article_has_24_sentences() {
        // The project's own verbatim copy, so the test runs in a fresh clone too.
        let article = include_str!("../../../assets/geneva-peace-plan.txt");
        let got = sentences(article);
        assert_eq!(got.len(), 24, "{got:#?}");
        assert!(got[4].ends_with("as \"very solid\"."));
    }

    #[test]
    fn article_paragraph_with_quotes() {
        assert_sentences(
            "Kyiv is ready to \"move forward\" with a framework. However, points remain. Yermak described them as \"very solid\".",
            &[
                "Kyiv is ready to \"move forward\" with a framework.",
                "However, points remain.",
                "Yermak described them as \"very solid\".",
            ],
        );
    }

    #[test]
    fn newline_always_ends_a_sentence() {
        assert_sentences(
            "Peace talks in Geneva\nBy Jane Doe, Reuters\nTalks went on. They ended.",
            &[
                "Peace talks in Geneva",
                "By Jane Doe, Reuters",
                "Talks went on.",
                "They ended.",
            ],
        );
        assert_sentences("Mr.\nSmith", &["Mr.", "Smith"]);
        assert_sentences("One.\r\nTwo.", &["One.", "Two."]);
    }

    #[test]
    fn titles_and_honorifics() {
        for t in [
            "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Sen.", "Gov.", "Rep.", "Prof.", "St.",
        ] {
            assert_one(&format!("Yesterday {t} Smith spoke in Paris."));
        }
        assert_one("He met Lt. Col. Jones and Sgt. Miller.");
    }

    #[test]
    fn initials() {
        assert_one("The book was written by J. R. R. Tolkien in England.");
        assert_one("My name is Jonas E. Smith.");
        assert_one("President George W. Bush spoke.");
    }

    #[test]
    fn single_capitals_after_lowercase_words() {
        assert_sentences(
            "Take vitamin C. The dose is small.",
            &["Take vitamin C.", "The dose is small."],
        );
        assert_one("The report was written by J. Smith in Kyiv.");
    }

    #[test]
    fn numbers_after_nouns_are_not_list_markers() {
        assert_sentences(
            "Chapter 1. The start. Chapter 2. The end.",
            &["Chapter 1.", "The start.", "Chapter 2.", "The end."],
        );
    }

    #[test]
    fn pronoun_i_versus_initial() {
        assert_sentences(
            "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
            &[
                "We make a good team, you and I.",
                "Did you see Albert I. Jones yesterday?",
            ],
        );
    }

    #[test]
    fn country_abbreviations() {
        assert_one("The U.S. Government and the U.K. Foreign Office agreed.");
        assert_one("The U.N. Security Council met.");
        assert_sentences(
            "Sanctions came from the U.S. The E.U. followed.",
            &["Sanctions came from the U.S.", "The E.U. followed."],
        );
        assert_one("I have lived in the U.S. for 20 years.");
    }

    #[test]
    fn months_and_dates() {
        assert_one("The vote is on Jan. 15 in Kyiv.");
        assert_one("It happened on Sept. 3, 2024, in Geneva.");
        assert_one("Talks resumed Dec. 1 after a pause.");
    }

    #[test]
    fn clock_times() {
        assert_one("The meeting starts at 9 a.m. and ends at 5 p.m. on Monday.");
        assert_one("Polls close at 8 p.m. Sunday in most states.");
        assert_sentences(
            "He left the bank at 6 P.M. Mr. Smith then went to the store.",
            &[
                "He left the bank at 6 P.M.",
                "Mr. Smith then went to the store.",
            ],
        );
        assert_sentences(
            "At 5 a.m. Mr. Smith went to the bank. He left.",
            &["At 5 a.m. Mr. Smith went to the bank.", "He left."],
        );
    }

    #[test]
    fn numbers_money_percentages_ordinals() {
        assert_one("Aid rose 3.5% to $1.2bn this year.");
        assert_sentences(
            "She has $100.00. It is in her bag.",
            &["She has $100.00.", "It is in her bag."],
        );
        assert_sentences(
            "Inflation hit 3.5%. Prices rose.",
            &["Inflation hit 3.5%.", "Prices rose."],
        );
        assert_sentences(
            "He finished 2nd. His rival was 3rd.",
            &["He finished 2nd.", "His rival was 3rd."],
        );
        assert_one("Turn to p. 55 and see No. 10 and Fig. 3 there.");
    }

    #[test]
    fn company_abbreviations() {
        assert_one("They closed the deal with Pitt, Briggs & Co. at noon.");
        assert_sentences(
            "Shares of Acme Inc. It fell.",
            &["Shares of Acme Inc.", "It fell."],
        );
        assert_one("That is JFK Jr.'s book.");
    }

    #[test]
    fn numbered_and_lettered_lists() {
        assert_sentences(
            "1. The first item 2. The second item",
            &["1. The first item", "2. The second item"],
        );
        assert_sentences(
            "1) The first item. 2) The second item.",
            &["1) The first item.", "2) The second item."],
        );
        assert_sentences(
            "a. The first item b. The second item",
            &["a. The first item", "b. The second item"],
        );
        assert_sentences("• 9. One • 10. Two", &["• 9. One", "• 10. Two"]);
        assert_sentences(
            "1. First point\n2. Second point",
            &["1. First point", "2. Second point"],
        );
        assert_sentences("Intro.\n3. The third", &["Intro.", "3. The third"]);
        assert_one("Look at (a) apples and (b) pears.");
        assert_sentences(
            "(1) First step.\n(2) Second step.",
            &["(1) First step.", "(2) Second step."],
        );
    }

    #[test]
    fn quotations_inside_and_outside() {
        assert_sentences(
            "She said, \"This is great.\" She left.",
            &["She said, \"This is great.\"", "She left."],
        );
        assert_one("She turned to him, \"This is great.\" she said.");
        assert_sentences(
            "He said “we will win.” Then he left.",
            &["He said “we will win.”", "Then he left."],
        );
        assert_sentences(
            "It was ‘final.’ Nobody argued.",
            &["It was ‘final.’", "Nobody argued."],
        );
        assert_one("\"We will go,\" he said.");
        assert_one("\"Stop!\" she said.");
        assert_one("“Why now?” he asked.");
        assert_sentences(
            "He paused. \"Next,\" he said.",
            &["He paused.", "\"Next,\" he said."],
        );
        assert_sentences(
            "He called it \"a failure\". Others agreed.",
            &["He called it \"a failure\".", "Others agreed."],
        );
    }

    #[test]
    fn question_and_exclamation_marks() {
        assert_sentences(
            "What is it? It is a plan!",
            &["What is it?", "It is a plan!"],
        );
        assert_sentences("Hello?! Is that you?", &["Hello?!", "Is that you?"]);
        assert_one("She works at Yahoo! in the accounting department.");
        assert_sentences(
            "He asked \"Why?\" Nobody knew.",
            &["He asked \"Why?\"", "Nobody knew."],
        );
    }

    #[test]
    fn parentheses() {
        assert_one("He teaches science (He worked as an engineer.) at the university.");
        assert_sentences(
            "He left (as expected). Then she spoke.",
            &["He left (as expected).", "Then she spoke."],
        );
        assert_sentences(
            "(See page 5.) The next point.",
            &["(See page 5.)", "The next point."],
        );
    }

    #[test]
    fn ellipses() {
        assert_one("I wasn’t really ... well, what I mean...see . . . what I'm saying");
        assert_sentences(
            "I never meant that.... She left.",
            &["I never meant that....", "She left."],
        );
        assert_sentences("He waited… Then he left.", &["He waited…", "Then he left."]);
        assert_sentences(
            "He waited... Then he left.",
            &["He waited...", "Then he left."],
        );
        assert_sentences(
            "the end . . . . Next one.",
            &["the end . . . .", "Next one."],
        );
        assert_sentences(
            "into compounds. . . . The practice was not abandoned. . . .",
            &[
                "into compounds.",
                ". . . The practice was not abandoned. . . .",
            ],
        );
        assert_one("\"Bohr [...] used the analogy [...]\" (Smith 55).");
    }

    #[test]
    fn dashes() {
        assert_one("The plan — drafted in Geneva — was revised.");
        assert_one("The plan—drafted in Geneva—was revised.");
    }

    #[test]
    fn urls_emails_and_file_names() {
        assert_sentences(
            "See https://www.example.com/a/b.html. Then write to jane.doe@example.com. Thanks.",
            &[
                "See https://www.example.com/a/b.html.",
                "Then write to jane.doe@example.com.",
                "Thanks.",
            ],
        );
        assert_sentences(
            "Open report.pdf. It is short.",
            &["Open report.pdf.", "It is short."],
        );
        assert_one("The file report.pdf is short.");
    }

    #[test]
    fn non_latin_scripts() {
        assert_sentences(
            "Это тест. Второе предложение.",
            &["Это тест.", "Второе предложение."],
        );
        assert_sentences(
            "Αυτό είναι ένα τεστ. Δεύτερη πρόταση.",
            &["Αυτό είναι ένα τεστ.", "Δεύτερη πρόταση."],
        );
        assert_sentences(
            "Él llegó ayer. Ésta es la última.",
            &["Él llegó ayer.", "Ésta es la última."],
        );
        assert_sentences("你好。我很好。", &["你好。", "我很好。"]);
        assert_sentences("¿Qué pasa? ¡Nada!", &["¿Qué pasa?", "¡Nada!"]);
    }

    #[test]
    fn offsets_count_code_points() {
        let text = "Çà va. Ünïcödé ✓.";
        let spans = segment(text);
        assert_eq!(spans.len(), 2);
        assert_eq!((spans[1].start, spans[1].end), (7, 17));
        assert_eq!(&text[spans[1].byte_start..spans[1].byte_end], "Ünïcödé ✓.");
    }

    #[test]
    fn long_inputs_do_not_blow_up() {
        let dots = ". ".repeat(50_000);
        check_invariants(&dots, &segment(&dots)).unwrap();
        let quotes = format!("a.{}", "\"".repeat(100_000));
        check_invariants(&quotes, &segment(&quotes)).unwrap();
        let word = format!("{}. Next", "x".repeat(100_000));
        assert_eq!(segment(&word).len(), 2);
    }

    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(vec![
                'a', 'b', 'I', 'A', 'S', 'U', 'm', 'p', '1', '2', '9', '0', ' ', ' ', '\n', '\r', '\t',
                '.', '.', '?', '!', '…', '"', '\'', '“', '”', '‘', '’', '(', ')', '[', ']', ',', '-',
                '—', '•', '⁃', '$', '%', '@', '/', 'é', 'Ж', 'ж', 'Ω', '中', '。', '\u{A0}', '\u{2028}',
                '\u{200B}', '🙂',
            ]),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #[test]
        fn invariants_hold_for_tricky_text(chars in prop::collection::vec(tricky_char(), 0..120)) {
            let text: String = chars.into_iter().collect();
            check_invariants(&text, &segment(&text))?;
        }

        #[test]
        fn invariants_hold_for_any_text(chars in prop::collection::vec(any::<char>(), 0..80)) {
            let text: String = chars.into_iter().collect();
            check_invariants(&text, &segment(&text))?;
        }

        #[test]
        fn invariants_hold_for_word_salad(words in prop::collection::vec(prop::sample::select(vec![
            "Mr.", "U.S.", "a.m.", "1.", "2.)", "3)", "a.", "b.", "•", "...", ". . .", "…", "\"Hi.\"",
            "said.", "He", "the", "Co.", "I.", "?!", "“Yes,”", "(see", "it.)", "\n", "Это", "тест.",
        ]), 0..40)) {
            let text = words.join(" ");
            check_invariants(&text, &segment(&text))?;
        }

        #[test]
        fn invariants_hold_in_every_language(
            lang in prop::sample::select(Lang::all().collect::<Vec<_>>()),
            chars in prop::collection::vec(multilingual_char(), 0..120),
        ) {
            let text: String = chars.into_iter().collect();
            check_invariants(&text, &segment_in(&text, lang))?;
        }

        #[test]
        fn invariants_hold_for_any_text_in_every_language(
            lang in prop::sample::select(Lang::all().collect::<Vec<_>>()),
            chars in prop::collection::vec(any::<char>(), 0..80),
        ) {
            let text: String = chars.into_iter().collect();
            check_invariants(&text, &segment_in(&text, lang))?;
        }

        #[test]
        fn invariants_hold_for_multilingual_word_salad(
            lang in prop::sample::select(Lang::all().collect::<Vec<_>>()),
            words in prop::collection::vec(prop::sample::select(vec![
                "3.", "XII.", "z.", "B.", "г.", "В.", "ул.", "l'Avv.", "„Ja.“", "»Nein!«", "«Oui.»",
                "« Non. »", "「はい。」", "《书！》", "¿Qué?", "¡Ya!", "։", "Ինչ:", "τι;", "है।", "؟",
                "ەے۔", "ቀን።", "လဲ။", "കെ.", "ഡോ.", ".[13]", "жағдайы.XVIII", ". ...en", "No.", "\"",
                "(", ")", "Das", "в", "Это", "\n", "1.", "2.",
            ]), 0..40),
        ) {
            let text = words.join(" ");
            check_invariants(&text, &segment_in(&text, lang))?;
        }
    }

    fn multilingual_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => tricky_char(),
            3 => prop::sample::select(vec![
                '„', '“', '”', '‚', '‘', '’', '«', '»', '‹', '›', '「', '」', '『', '』', '《', '》', '（',
                '）', '[', ']', '¿', '¡', '։', ':', ';', '\u{37E}', '।', '॥', '؟', '۔', '،', '።', '፧',
                '။', '…', '.', '.', 'В', 'г', 'X', 'I', 'V', '3', 'ഡ', 'ോ', 'ա', 'Ա', 'α', 'ا', '\'',
            ]),
        ]
    }

    // -----------------------------------------------------------------------
    // Languages
    // -----------------------------------------------------------------------

    fn sentences_in<'t>(code: &str, text: &'t str) -> Vec<&'t str> {
        let lang = Lang::from_code(code).unwrap_or_else(|| panic!("no language {code}"));
        segment_in(text, lang)
            .iter()
            .map(|s| &text[s.byte_start..s.byte_end])
            .collect()
    }

    fn assert_in(code: &str, text: &str, expected: &[&str]) {
        assert_eq!(
            sentences_in(code, text),
            expected,
            "segmenting {text:?} in {code}"
        );
    }

    fn assert_one_in(code: &str, text: &str) {
        assert_in(code, text, &[text]);
    }

    #[test]
    fn language_codes() {
        let code = |c: &str| Lang::from_code(c).map(Lang::code);
        assert_eq!(code("de"), Some("de"));
        assert_eq!(code(" DE "), Some("de"));
        assert_eq!(code("pt-BR"), Some("pt"));
        assert_eq!(code("uk_UA"), Some("uk"));
        assert_eq!(code("xx"), None);
        assert_eq!(code(""), None);
        assert_eq!(code("-"), None);
        assert_eq!(Lang::default(), Lang::ENGLISH);
        assert_eq!(Lang::ENGLISH.code(), "en");
        let ru = Lang::resolve("ru");
        assert!(!ru.fell_back && ru.lang.code() == "ru");
        let unknown = Lang::resolve("sw");
        assert!(unknown.fell_back && unknown.lang == Lang::ENGLISH);
        let codes: Vec<&str> = Lang::all().map(Lang::code).collect();
        for wanted in [
            "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "bg", "da", "el", "ar",
            "fa", "hi", "ur", "mr", "hy", "kk", "zh", "ja", "am", "sk", "my", "fi", "he", "ml",
            "pa",
        ] {
            assert_eq!(
                codes.iter().filter(|&&c| c == wanted).count(),
                1,
                "{wanted}"
            );
        }
        assert_eq!(codes[0], "en");
    }

    #[test]
    fn english_in_is_segment() {
        let article = include_str!("../../../assets/geneva-peace-plan.txt");
        assert_eq!(segment_in(article, Lang::ENGLISH), segment(article));
        // English keeps its own rules: no ordinal dots, no quotation pairing.
        assert_sentences(
            "He finished 3. Then he left.",
            &["He finished 3.", "Then he left."],
        );
    }

    #[test]
    fn ordinal_dots() {
        assert_one_in("de", "Was geschah am 3. Oktober 1990 in Berlin?");
        assert_one_in("de", "Der 100. Geburtstag wird gefeiert.");
        assert_one_in("pl", "Urodził się 1. maja w Krakowie.");
        assert_one_in("sk", "Ide o príslušníkov XII. Pluku špeciálneho určenia.");
        assert_one_in("fi", "Lista julkaistiin 3. lokakuuta 2007.");
        // A year, or a number after a sign, is no ordinal.
        assert_in(
            "de",
            "Das war 2012. Dann kam die Wende.",
            &["Das war 2012.", "Dann kam die Wende."],
        );
        assert_in("de", "Um 0.3 %11. Der Rest.", &["Um 0.3 %11.", "Der Rest."]);
        // Languages without ordinal dots end the sentence there.
        assert_in(
            "fr",
            "Il est arrivé 3. Puis il est parti.",
            &["Il est arrivé 3.", "Puis il est parti."],
        );
    }

    #[test]
    fn abbreviations_end_a_sentence_only_before_a_sentence_opener() {
        assert_one_in("ru", "Виктор посещал г. Волгоград неоднократно.");
        assert_in(
            "ru",
            "Компания основана в 1998 г. Потом она выросла.",
            &["Компания основана в 1998 г.", "Потом она выросла."],
        );
        assert_one_in("ru", "Уважаемый проф. Семенов приехал.");
        assert_one_in("uk", "Ми живемо в м. Київ на вул. Лесі Українки.");
        assert_one_in("uk", "Зустріч відбудеться о 10 год. 30 хв.");
        assert_one_in("de", "Wir brauchen Getränke, z. B. Wasser, Saft, Bier usw.");
        assert_one_in("de", "Wir trafen Dr. med. Meyer in der Stadt.");
        assert_one_in("es", "Buenos días, soy el Lic. Naser Pastoriza.");
        assert_one_in("es", "El corredor No. 103 llegó cuarto.");
        assert_one_in("it", "Nel tribunale, l'Avv. Fabrizi ha urlato.");
        assert_one_in("it", "È presente l’Ing. Mengozzi?");
        assert_one_in("bg", "Той живее на ул. Витоша.");
        assert_in(
            "da",
            "Jeg bor i E.U. Hvad med dig?",
            &["Jeg bor i E.U.", "Hvad med dig?"],
        );
        assert_one_in("el", "Ο Δρ. Παπαδόπουλος έφτασε.");
    }

    #[test]
    fn initials_in_other_languages() {
        assert_one_in("ru", "Вчера В. В. Путин выступил с речью.");
        assert_one_in("ru", "Вчера выступил В. В. Путин.");
        assert_one_in(
            "uk",
            "Т. Г. Шевченко народився 9 березня 1814 р. в с. Моринці.",
        );
        assert_one_in("ru", "Дом, где родился Л.Н.Толстой, стоит там.");
        assert_one_in("ml", "ഇത് മി. കെ. പി. മോഹനൻ");
        assert_one_in("ml", "ഇത് പ്രൊ. കെ.പി. മോഹനൻ");
        assert_in("ml", "ഇത് ഡോ. ശിവൻ. ഇദ്ദേഹമാണ്", &["ഇത് ഡോ. ശിവൻ.", "ഇദ്ദേഹമാണ്"]);
    }

    #[test]
    fn quotation_styles() {
        assert_in(
            "de",
            "Sie flüsterte: „Und auch keine Lust.“ Wir haben 1.000.000 Euro.",
            &[
                "Sie flüsterte: „Und auch keine Lust.“",
                "Wir haben 1.000.000 Euro.",
            ],
        );
        assert_in(
            "de",
            "»Wirklich?« »Ja, absolut!«",
            &["»Wirklich?«", "»Ja, absolut!«"],
        );
        assert_one_in(
            "sk",
            "„Prieskumy beriem na ľahkú váhu. V podstate ma to nezaujíma,“ reagoval.",
        );
        assert_in(
            "fr",
            "Il a dit : « Je pars. » Puis il est parti.",
            &["Il a dit : « Je pars. »", "Puis il est parti."],
        );
        assert_in(
            "ru",
            "Он сказал: «Я приду. Ждите». Потом ушёл.",
            &["Он сказал: «Я приду. Ждите».", "Потом ушёл."],
        );
        assert_in(
            "zh",
            "我们去看《摔跤吧！爸爸》好吗？好！",
            &["我们去看《摔跤吧！爸爸》好吗？", "好！"],
        );
        assert_one_in("ja", "彼は「行きます。」と言った。");
        assert_one_in("kk", "(«Айқын», 23 сəуір 2010 жыл. № 70).");
        assert_one_in("it", "\"Ei fu. Siccome immobile [...]\" (Manzoni).");
        // A gershayim inside a word opens no quotation.
        assert_in(
            "he",
            "ד\"ר כהן אמר: \"מצב החולה יציב.\" בינתיים הוא הלך.",
            &["ד\"ר כהן אמר: \"מצב החולה יציב.\"", "בינתיים הוא הלך."],
        );
        // An unclosed quotation keeps nothing whole.
        assert_in("de", "„Wir gehen. Sofort.", &["„Wir gehen.", "Sofort."]);
        // A long passage in quotation marks is split inside like any text.
        let long = format!("„{} Ende.“", "Das ist ein Satz. ".repeat(30));
        assert!(sentences_in("de", &long).len() > 1);
    }

    #[test]
    fn inverted_marks() {
        assert_in(
            "es",
            "¿Qué hora es? ¡Ya es tarde!",
            &["¿Qué hora es?", "¡Ya es tarde!"],
        );
        assert_in(
            "es",
            "¡Hola Srta. Ledesma! ¿Cómo está?",
            &["¡Hola Srta. Ledesma!", "¿Cómo está?"],
        );
    }

    #[test]
    fn cjk_full_stops_need_no_space() {
        assert_in(
            "ja",
            "これはペンです。それはマーカーです。",
            &["これはペンです。", "それはマーカーです。"],
        );
        assert_in(
            "ja",
            "それは何ですか？ペンですか？",
            &["それは何ですか？", "ペンですか？"],
        );
        assert_in("zh", "你好。我很好！谢谢", &["你好。", "我很好！", "谢谢"]);
        assert_one_in("ja", "引き下げ幅は３．２９％以上だ。");
    }

    #[test]
    fn danda_and_arabic_stops() {
        assert_in(
            "hi",
            "यह सच है। वह नहीं जानता॥",
            &["यह सच है।", "वह नहीं जानता॥"],
        );
        assert_in("pa", "ਉਹ ਆਇਆ। ਉਹ ਗਿਆ।", &["ਉਹ ਆਇਆ।", "ਉਹ ਗਿਆ।"]);
        assert_in(
            "mr",
            "आज दसरा आहे. आज शुभ दिवस आहे.",
            &["आज दसरा आहे.", "आज शुभ दिवस आहे."],
        );
        assert_in("ar", "ماذا حدث؟ طرح الكثير.", &["ماذا حدث؟", "طرح الكثير."]);
        assert_in(
            "fa",
            "شما کجایی هستید؟ من از تهران هستم.",
            &["شما کجایی هستید؟", "من از تهران هستم."],
        );
        assert_in(
            "ur",
            "ميرا نام ___ ەے۔ میں حالا",
            &["ميرا نام ___ ەے۔", "میں حالا"],
        );
    }

    #[test]
    fn armenian_greek_ethiopic_and_burmese_stops() {
        assert_in(
            "hy",
            "Ի՞նչ ես մտածում: Ոչինչ:",
            &["Ի՞նչ ես մտածում:", "Ոչինչ:"],
        );
        assert_in(
            "hy",
            "Բարև Ձեզ։ Ես գնում եմ։",
            &["Բարև Ձեզ։", "Ես գնում եմ։"],
        );
        // The Armenian period is no full stop, and a time is no colon stop.
        assert_one_in("hy", "Տրամաբանությունը հետևյալն է. պարզություն և աշխատանք:");
        assert_one_in("hy", "Ժամը 15:00-ին:");
        assert_in(
            "el",
            "Πού είναι; Τις Κυριακές.",
            &["Πού είναι;", "Τις Κυριακές."],
        );
        assert_in("el", "Πού είναι\u{37E} Εδώ.", &["Πού είναι\u{37E}", "Εδώ."]);
        // Elsewhere ";" goes on.
        assert_one_in("fr", "Il pleut ; Paul reste.");
        assert_in(
            "am",
            "እንደምን አለህ፧መልካም ቀን።እባክሽ",
            &["እንደምን አለህ፧", "መልካም ቀን።", "እባክሽ"],
        );
        assert_one_in("am", "ጥር ፮ ቀን ዓ.ም. ሻርጌ ተወለዱ።");
        assert_in(
            "my",
            "နာမည္ဘယ္လိုေခၚလဲ။၇ွင္ေနေကာင္းလား။",
            &["နာမည္ဘယ္လိုေခၚလဲ။", "၇ွင္ေနေကာင္းလား။"],
        );
    }

    #[test]
    fn citations_glued_ends_and_spaced_ellipses() {
        assert_in(
            "pt",
            "Os oficiais mantinham a disciplina.[13] Na Marinha, isso resultou.[14][15]",
            &[
                "Os oficiais mantinham a disciplina.[13]",
                "Na Marinha, isso resultou.[14][15]",
            ],
        );
        assert_in(
            "kk",
            "Ресейдiң жағдайы.XVIII ғасырдың нәрсе.",
            &["Ресейдiң жағдайы.", "XVIII ғасырдың нәрсе."],
        );
        // Addresses and abbreviations stay glued.
        assert_one_in("de", "Siehe www.example.De/Seite und e.V. heute.");
        assert_one_in("de", "Schreiben Sie an info@verein.De bitte.");
        assert_in(
            "nl",
            "81 procent was raak. ...en toen barste de hel los.",
            &["81 procent was raak.", "...en toen barste de hel los."],
        );
        // English keeps "[1]" glued and reads ". ..." as a spaced ellipsis.
        assert_one("It rose.[1] Then");
    }

    #[test]
    fn long_inputs_do_not_blow_up_in_any_language() {
        let inputs = [
            "(".repeat(50_000),
            "\"a ".repeat(30_000),
            format!("„{}“", "x. Y ".repeat(20_000)),
            "。".repeat(50_000),
            "3. ".repeat(30_000),
        ];
        for lang in Lang::all() {
            for text in &inputs {
                check_invariants(text, &segment_in(text, lang)).unwrap();
            }
        }
    }
}
