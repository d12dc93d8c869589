//! Approximate matching of a quote against the sentences of an edited text.
//!
//! Annotations are about sentences, so the fuzzy step compares the stored quote with
//! whole sentences: a trigram index proposes a few candidates cheaply, and each is
//! scored by edit-distance similarity of the quote, of the prefix and suffix against
//! the candidate's surroundings, and by distance from the old position (weights in
//! the spirit of Hypothesis's `match-quote`).

use std::collections::HashMap;

use super::selector::MIN_CONTEXT;
use crate::core::model::{Document, Target};

/// Below this quote similarity (1 - edits / length) a candidate is never taken.
pub const MIN_QUOTE_SIMILARITY: f64 = 0.6;
/// Below this combined score the annotation becomes an orphan.
pub const MIN_SCORE: f64 = 0.7;

/// How many candidates the trigram index hands to the exact scorer.
const CANDIDATES: usize = 6;

const WEIGHT_QUOTE: f64 = 50.0;
const WEIGHT_PREFIX: f64 = 20.0;
const WEIGHT_SUFFIX: f64 = 20.0;
const WEIGHT_POSITION: f64 = 2.0;

/// Trigram postings of every sentence of one document, built once and reused for
/// every annotation anchored in it.
#[derive(Debug, Default)]
pub struct SentenceIndex {
    postings: HashMap<u64, Vec<u32>>,
    trigram_counts: Vec<u32>,
}

fn trigrams(text: &str) -> Vec<u64> {
    let folded: Vec<char> = text.chars().flat_map(char::to_lowercase).filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<u64> = folded
        .windows(3)
        .map(|w| (u64::from(w[0] as u32) << 42) | (u64::from(w[1] as u32) << 21) | u64::from(w[2] as u32))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl SentenceIndex {
    /// Indexes the sentences of `doc`.
    pub fn new(doc: &Document) -> Self {
        let mut index = Self::default();
        for sentence in doc.sentences() {
            let grams = trigrams(doc.sentence_text(sentence));
            index.trigram_counts.push(grams.len() as u32);
            for gram in grams {
                index.postings.entry(gram).or_default().push(sentence.index as u32);
            }
        }
        index
    }

    /// Sentences sharing the most trigrams with `quote` (Dice coefficient), best first.
    fn candidates(&self, quote: &str) -> Vec<usize> {
        let grams = trigrams(quote);
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for gram in &grams {
            for &sentence in self.postings.get(gram).map_or(&[][..], Vec::as_slice) {
                *shared.entry(sentence).or_default() += 1;
            }
        }
        let mut ranked: Vec<(f64, usize)> = shared
            .into_iter()
            .map(|(sentence, n)| {
                let total = grams.len() + self.trigram_counts[sentence as usize] as usize;
                (2.0 * f64::from(n) / total.max(1) as f64, sentence as usize)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().take(CANDIDATES).map(|(_, s)| s).collect()
    }
}

/// 1 - (Levenshtein distance / length of the longer), over code points; 1.0 for two empty strings.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    1.0 - row[b.len()] as f64 / longest as f64
}

/// A sentence that may be where an annotation belongs now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The sentence.
    pub sentence: usize,
    /// Weighted score in 0..=1 of quote, prefix, suffix and position.
    pub score: f64,
    /// Whether the text around the sentence agrees with the stored prefix and suffix as
    /// far as the text goes (the start or end of the text may cut a context short).
    /// Contexts are stored just long enough to tell repeated sentences apart, so a
    /// full match identifies the very copy that was annotated.
    pub full_context: bool,
}

/// Scores sentence `i` as the new home of `target`, given how similar its text is to the quote.
pub fn score_sentence(doc: &Document, target: &Target, i: usize, quote_similarity: f64) -> Candidate {
    let quote = &target.quote;
    let sentence = &doc.sentences()[i];
    let prefix_len = quote.prefix.chars().count();
    let suffix_len = quote.suffix.chars().count();
    let before = doc.slice(sentence.start.saturating_sub(prefix_len), sentence.start);
    let after = doc.slice(sentence.end, sentence.end + suffix_len);
    let full_context = context_agrees(quote, before, after);
    let (p, s) = if full_context {
        (1.0, 1.0)
    } else {
        (near_similarity(&quote.prefix, before, true), near_similarity(&quote.suffix, after, false))
    };
    let distance = sentence.start.abs_diff(target.position.start) as f64;
    let position = 1.0 - (distance / doc.len_chars().max(1) as f64).min(1.0);
    let score = (WEIGHT_QUOTE * quote_similarity + WEIGHT_PREFIX * p + WEIGHT_SUFFIX * s + WEIGHT_POSITION * position)
        / (WEIGHT_QUOTE + WEIGHT_PREFIX + WEIGHT_SUFFIX + WEIGHT_POSITION);
    Candidate { sentence: i, score, full_context }
}

/// Context compared for scoring: the part nearest the quote, which matters most and
/// keeps the cost bounded however long a stored context grew.
const NEAR_CONTEXT: usize = 64;

/// [`similarity`] of the `NEAR_CONTEXT` code points of two contexts nearest the quote
/// (their ends for a prefix, their starts for a suffix).
fn near_similarity(stored: &str, found: &str, is_prefix: bool) -> f64 {
    let near = |s: &str| -> String {
        if is_prefix {
            let mut tail: Vec<char> = s.chars().rev().take(NEAR_CONTEXT).collect();
            tail.reverse();
            tail.into_iter().collect()
        } else {
            s.chars().take(NEAR_CONTEXT).collect()
        }
    };
    similarity(&near(stored), &near(found))
}

/// Whether `before` and `after` are the stored prefix and suffix.
///
/// A context cut short by the start or end of the text still agrees if the stored one
/// is no longer than the minimum padding: then nothing in it was needed to tell copies
/// apart. A longer stored context was lengthened precisely to reach a distinguishing
/// character (sometimes the end of the text itself), so it must be there in full.
pub fn context_agrees(quote: &crate::core::model::TextQuote, before: &str, after: &str) -> bool {
    let agrees = |stored: &str, found: &str, cut_ok: bool| stored == found || (cut_ok && found.len() < stored.len());
    agrees(&quote.prefix, before, quote.prefix.ends_with(before) && quote.prefix.chars().count() <= MIN_CONTEXT)
        && agrees(&quote.suffix, after, quote.suffix.starts_with(after) && quote.suffix.chars().count() <= MIN_CONTEXT)
}

/// Sentences that approximately match the quote, above [`MIN_QUOTE_SIMILARITY`], scored.
pub fn fuzzy_candidates(doc: &Document, index: &SentenceIndex, target: &Target) -> Vec<Candidate> {
    index
        .candidates(&target.quote.exact)
        .into_iter()
        .filter_map(|i| {
            let q = similarity(&target.quote.exact, doc.sentence_text(&doc.sentences()[i]));
            (q >= MIN_QUOTE_SIMILARITY).then(|| score_sentence(doc, target, i, q))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;

    #[test]
    fn similarity_counts_edits() {
        assert_eq!(similarity("kitten", "kitten"), 1.0);
        assert!((similarity("kitten", "sitting") - (1.0 - 3.0 / 7.0)).abs() < 1e-9);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("abc", ""), 0.0);
    }

    #[test]
    fn proposes_the_sentence_with_a_fixed_typo() {
        let old = Document::new("d", "The goverment said on Monday that taxes would rise. Others disagreed.");
        let new = Document::new("d", "The government said on Monday that taxes would rise. Others disagreed.");
        let index = SentenceIndex::new(&new);
        let got = fuzzy_candidates(&new, &index, &target_for(&old, &old.sentences()[0]));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].sentence, 0);
        assert!(got[0].full_context && got[0].score > 0.95, "{got:?}");
    }

    #[test]
    fn unrelated_text_gives_no_candidate() {
        let old = Document::new("d", "The government said on Monday that taxes would rise.");
        let new = Document::new("d", "Cats sleep for most of the day. Dogs do not.");
        let index = SentenceIndex::new(&new);
        assert!(fuzzy_candidates(&new, &index, &target_for(&old, &old.sentences()[0])).is_empty());
    }
}
