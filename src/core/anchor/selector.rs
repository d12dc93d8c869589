//! Building the target of a new annotation.

use crate::core::model::{Document, Sentence, Target, TextPosition, TextQuote};

/// Context kept on each side of a quote even when the quote is unique: it lets a
/// later, edited text tell two near-identical sentences apart.
pub const MIN_CONTEXT: usize = 32;

/// Longest context ever stored on one side: past this, the position decides.
const MAX_CONTEXT: usize = 2048;

/// The id every replica gives a new annotation on `sentence` (and the key of its
/// review mark): made from its quote and context, so it names the same sentence in
/// every copy of the text.
pub fn sentence_id(target: &Target) -> String {
    let quote = &target.quote;
    let key = [quote.exact.as_str(), quote.prefix.as_str(), quote.suffix.as_str()].join("\u{1f}");
    format!("s{:016x}", crate::core::text::fnv1a64(key.bytes()))
}

/// The target of an annotation on `sentence`: its exact text, a prefix and a suffix
/// lengthened until no other occurrence of the text has the same context, and its position.
pub fn target_for(doc: &Document, sentence: &Sentence) -> Target {
    let exact = doc.sentence_text(sentence);
    target_among(doc, sentence, doc.text.match_indices(exact).map(|(at, _)| at))
}

/// The targets of annotations on each of `sentences` (indices), as [`target_for`] gives
/// them one by one. Their texts are looked for in one pass over the document: a search of
/// the whole text per sentence made an import of 10,000 annotations take seconds. Each
/// target is made as it is taken (a whole article's quotes at once are megabytes).
pub fn targets_for<'d>(doc: &'d Document, sentences: &'d [usize]) -> impl Iterator<Item = Target> + 'd {
    /// Bytes of a text that pick the texts it may start (shorter texts are searched alone).
    const KEY: usize = 8;
    let key = |bytes: &[u8]| -> Option<u64> { bytes.get(..KEY).and_then(|k| k.try_into().ok()).map(u64::from_le_bytes) };
    // A 65,536-bit filter in front of the map: most places in a text start no sentence's text.
    let bit = |k: u64| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize;
    let all = doc.sentences();
    let texts: Vec<Option<&str>> = sentences.iter().map(|&i| all.get(i).map(|s| doc.sentence_text(s))).collect();
    let mut by_key: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    let mut filter = vec![0u64; 1024];
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (i, text) in texts.iter().enumerate() {
        let Some(text) = text else { continue };
        match key(text.as_bytes()) {
            Some(k) => {
                filter[bit(k) / 64] |= 1 << (bit(k) % 64);
                by_key.entry(k).or_default().push(i);
            }
            None => found[i] = doc.text.match_indices(text).map(|(at, _)| at).collect(),
        }
    }
    let bytes = doc.text.as_bytes();
    if !by_key.is_empty() {
        for at in 0..bytes.len().saturating_sub(KEY - 1) {
            let Some(k) = key(&bytes[at..]) else { break };
            if filter[bit(k) / 64] & (1 << (bit(k) % 64)) == 0 {
                continue;
            }
            for &i in by_key.get(&k).into_iter().flatten() {
                if texts[i].is_some_and(|text| bytes[at..].starts_with(text.as_bytes())) {
                    found[i].push(at);
                }
            }
        }
    }
    sentences
        .iter()
        .zip(found)
        .zip(texts)
        .filter_map(move |((&i, at), text)| {
            let (sentence, len) = (all.get(i)?, text.map_or(0, str::len));
            // As `match_indices` finds them: left to right, none overlapping the one before.
            let mut next = 0;
            let apart = at.into_iter().filter(move |&at| {
                let keep = at >= next;
                if keep {
                    next = at + len.max(1);
                }
                keep
            });
            Some(target_among(doc, sentence, apart))
        })
}

/// The target of `sentence`, told apart from every other place its text occurs
/// (`occurrences`: byte offsets of its text in the document, its own included).
fn target_among(doc: &Document, sentence: &Sentence, occurrences: impl Iterator<Item = usize>) -> Target {
    let exact = doc.sentence_text(sentence);
    let own_byte = sentence.byte_range().start;
    let before = &doc.text[..own_byte];
    let after = &doc.text[own_byte + exact.len()..];

    // For every other occurrence, how far its context agrees with ours on each side.
    // When our side runs out first (the start or end of the text) while agreeing,
    // only that boundary tells the two apart, which a quote selector cannot express:
    // that side counts as agreeing forever, so the other side is lengthened instead.
    let (before_len, after_len) = (sentence.start, doc.len_chars() - sentence.end);
    let agreements: Vec<(usize, usize)> = occurrences
        .filter(|&at| at != own_byte)
        .map(|at| {
            let other_before = &doc.text[..at];
            let other_after = &doc.text[at + exact.len()..];
            let prefix = common_suffix_chars(before, other_before);
            let suffix = common_prefix_chars(after, other_after);
            (
                if prefix == before_len { usize::MAX } else { prefix },
                if suffix == after_len { usize::MAX } else { suffix },
            )
        })
        .collect();
    let (prefix_len, suffix_len) = shortest_distinguishing_context(&agreements);

    let prefix_len = prefix_len.max(MIN_CONTEXT);
    let suffix_len = suffix_len.max(MIN_CONTEXT);
    Target {
        quote: TextQuote {
            exact: exact.to_owned(),
            prefix: last_chars(before, prefix_len).to_owned(),
            suffix: first_chars(after, suffix_len).to_owned(),
        },
        position: TextPosition { start: sentence.start, end: sentence.end },
    }
}

/// Chooses prefix and suffix lengths (in code points) so that every other occurrence
/// differs from ours within the stored prefix or within the stored suffix, with the
/// smallest total length. `agreements[i]` is how many code points occurrence `i`
/// shares with ours before and after the quote.
fn shortest_distinguishing_context(agreements: &[(usize, usize)]) -> (usize, usize) {
    let mut candidates: Vec<usize> = agreements.iter().map(|&(p, _)| p.saturating_add(1).min(MAX_CONTEXT)).collect();
    candidates.push(0);
    candidates
        .into_iter()
        .map(|prefix| {
            let suffix = agreements
                .iter()
                .filter(|&&(p, _)| p >= prefix)
                .map(|&(_, s)| s.saturating_add(1).min(MAX_CONTEXT))
                .max()
                .unwrap_or(0);
            (prefix, suffix)
        })
        .min_by_key(|&(p, s)| (p + s, p))
        .unwrap_or((0, 0))
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take(MAX_CONTEXT).take_while(|(x, y)| x == y).count()
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take(MAX_CONTEXT).take_while(|(x, y)| x == y).count()
}

/// The last `n` code points of `s`.
pub(crate) fn last_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((at, _)) if n > 0 => &s[at..],
        _ if n == 0 => "",
        _ => s,
    }
}

/// The first `n` code points of `s`.
pub(crate) fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_sentence_gets_the_minimum_context() {
        let doc = Document::new("d", "First one here. Second one there.");
        let target = target_for(&doc, &doc.sentences()[1]);
        assert_eq!(target.quote.exact, "Second one there.");
        assert_eq!(target.quote.prefix, "First one here. ");
        assert_eq!(target.quote.suffix, "");
        assert_eq!(target.position, TextPosition { start: 16, end: 33 });
    }

    #[test]
    fn repeated_sentence_context_is_lengthened_until_unique() {
        let filler = "Then a long filler sentence comes along here.";
        let text = format!("Intro one. Same words. {filler} Intro two. Same words. {filler}");
        let doc = Document::new("d", &text);
        let s: Vec<_> = doc.sentences().iter().filter(|s| doc.sentence_text(s) == "Same words.").collect();
        assert_eq!(s.len(), 2);
        let a = target_for(&doc, s[0]);
        let b = target_for(&doc, s[1]);
        assert_ne!((a.quote.prefix.as_str(), a.quote.suffix.as_str()), (b.quote.prefix.as_str(), b.quote.suffix.as_str()));
        // Each context must rule out the other occurrence.
        let other_a = format!("{}{}{}", a.quote.prefix, a.quote.exact, a.quote.suffix);
        assert_eq!(doc.text.matches(&other_a).count(), 1);
        let other_b = format!("{}{}{}", b.quote.prefix, b.quote.exact, b.quote.suffix);
        assert_eq!(doc.text.matches(&other_b).count(), 1);
    }

    #[test]
    fn context_never_relies_on_the_end_of_the_text() {
        // The last sentence's copy differs from it only in what follows: nothing, at the end.
        let doc = Document::new("d", "Other start. Twin here. After one.\nMiddle bit. Twin here. After one.");
        let last_twin = &doc.sentences()[4];
        let t = target_for(&doc, last_twin);
        let whole = format!("{}{}{}", t.quote.prefix, t.quote.exact, t.quote.suffix);
        assert_eq!(doc.text.matches(&whole).count(), 1, "{t:?}");
        // The same for every sentence of the default article, with its five repeated paragraphs.
        let article = Document::new("g", include_str!("../../../assets/geneva-peace-plan.txt"));
        for s in article.sentences() {
            let t = target_for(&article, s);
            let whole = format!("{}{}{}", t.quote.prefix, t.quote.exact, t.quote.suffix);
            assert_eq!(article.text.matches(&whole).count(), 1, "sentence {}", s.index);
        }
    }

    #[test]
    fn targets_in_one_pass_are_the_targets_one_by_one() {
        // Repeats, a text inside a longer sentence, texts shorter than the key, texts
        // that overlap themselves, and the default article's repeated paragraphs.
        let texts = [
            "Intro one. Same words. Filler goes here. Intro two. Same words. Filler goes here.".to_owned(),
            "Yes. He said yes. Yes. Then: Yes. No.\nYes.".to_owned(),
            "Ha ha ha. Ha ha ha ha. Ha ha ha.".to_owned(),
            "Añadió: «Sí». Sí. «Sí». Ещё раз. Ещё раз.".to_owned(),
            include_str!("../../../assets/geneva-peace-plan.txt").to_owned(),
        ];
        for text in &texts {
            let doc = Document::new("d", text);
            let all: Vec<usize> = (0..doc.sentences().len()).collect();
            let one_by_one: Vec<Target> = doc.sentences().iter().map(|s| target_for(&doc, s)).collect();
            assert_eq!(targets_for(&doc, &all).collect::<Vec<_>>(), one_by_one, "{text:?}");
            // Any selection, in any order, repeats and indices past the end included.
            let some = [all.len().saturating_sub(1), 0, all.len() + 3, 0];
            let expected: Vec<Target> = some.iter().filter_map(|&i| doc.sentences().get(i)).map(|s| target_for(&doc, s)).collect();
            assert_eq!(targets_for(&doc, &some).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    #[test]
    fn context_helpers_count_code_points() {
        assert_eq!(last_chars("añb😀", 2), "b😀");
        assert_eq!(last_chars("ab", 5), "ab");
        assert_eq!(last_chars("ab", 0), "");
        assert_eq!(first_chars("😀ñb", 2), "😀ñ");
        assert_eq!(first_chars("ab", 9), "ab");
    }

    #[test]
    fn distinguishing_context_prefers_the_shorter_side() {
        // Occurrence agrees 10 before and 2 after: a 3-char suffix settles it.
        assert_eq!(shortest_distinguishing_context(&[(10, 2)]), (0, 3));
        assert_eq!(shortest_distinguishing_context(&[(1, 50)]), (2, 0));
        assert_eq!(shortest_distinguishing_context(&[]), (0, 0));
    }
}
