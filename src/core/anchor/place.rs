//! Finding an annotation's sentence in a text that may have changed since.

use crate::core::model::{Document, Target};

/// Where an annotation landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The stored position still holds the quote.
    Exact(usize),
    /// Found by the quote and its context elsewhere in the text.
    Moved(usize),
    /// Not found: kept aside, never dropped.
    Orphan,
}

impl Placement {
    /// The sentence it landed on, if any.
    pub fn sentence(self) -> Option<usize> {
        match self {
            Placement::Exact(i) | Placement::Moved(i) => Some(i),
            Placement::Orphan => None,
        }
    }
}

/// Finds the sentence `target` belongs to in `doc`: the stored position if the quote
/// is still there; else the occurrence of the quote whose prefix and suffix agree
/// best with the stored ones, nearest the old position on a tie; the match then
/// snaps to the sentence it overlaps most.
pub fn anchor(doc: &Document, target: &Target) -> Placement {
    let quote = &target.quote;
    if quote.exact.is_empty() {
        return Placement::Orphan;
    }
    let pos = target.position;
    if pos.end <= doc.len_chars() && doc.slice(pos.start, pos.end) == quote.exact {
        return doc.sentence_overlapping(pos.start, pos.end).map_or(Placement::Orphan, Placement::Exact);
    }
    best_quote_match(doc, target)
        .and_then(|(start, end)| doc.sentence_overlapping(start, end))
        .map_or(Placement::Orphan, Placement::Moved)
}

/// Start and end (code points) of the best exact occurrence of the quote.
fn best_quote_match(doc: &Document, target: &Target) -> Option<(usize, usize)> {
    let quote = &target.quote;
    let exact_chars = quote.exact.chars().count();
    let mut best: Option<((usize, usize), (usize, usize))> = None; // (score, -distance) , (start,end)
    let mut chars_before = 0;
    let mut last_byte = 0;
    for (at, _) in doc.text.match_indices(quote.exact.as_str()) {
        chars_before += doc.text[last_byte..at].chars().count();
        last_byte = at;
        let before = &doc.text[..at];
        let after = &doc.text[at + quote.exact.len()..];
        let context = common_suffix(before, &quote.prefix) + common_prefix(after, &quote.suffix);
        let distance = chars_before.abs_diff(target.position.start);
        let rank = (context, usize::MAX - distance);
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, (chars_before, chars_before + exact_chars)));
        }
    }
    best.map(|(_, span)| span)
}

fn common_suffix(text: &str, stored: &str) -> usize {
    text.chars().rev().zip(stored.chars().rev()).take_while(|(a, b)| a == b).count()
}

fn common_prefix(text: &str, stored: &str) -> usize {
    text.chars().zip(stored.chars()).take_while(|(a, b)| a == b).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::anchor::target_for;

    fn target_of(doc: &Document, index: usize) -> Target {
        target_for(doc, &doc.sentences()[index])
    }

    #[test]
    fn unchanged_text_anchors_at_the_stored_position() {
        let doc = Document::new("d", "One here. Two there. One here.");
        assert_eq!(anchor(&doc, &target_of(&doc, 2)), Placement::Exact(2));
        assert_eq!(anchor(&doc, &target_of(&doc, 0)), Placement::Exact(0));
    }

    #[test]
    fn inserted_paragraph_moves_annotations_with_their_text() {
        let old = Document::new("d", "Alpha is first. Beta follows.\nGamma ends it.");
        let new = Document::new("d", "A new lead paragraph arrives. It has two sentences.\nAlpha is first. Beta follows.\nGamma ends it.");
        assert_eq!(anchor(&new, &target_of(&old, 1)), Placement::Moved(3));
        assert_eq!(anchor(&new, &target_of(&old, 2)), Placement::Moved(4));
    }

    #[test]
    fn repeated_sentence_keeps_to_its_own_context() {
        let old = Document::new("d", "Intro one. Same words.\nIntro two. Same words.\nEnd.");
        // The first paragraph is deleted: the second copy's tag must stay on the second copy.
        let new = Document::new("d", "Intro two. Same words.\nEnd.");
        assert_eq!(anchor(&new, &target_of(&old, 3)), Placement::Moved(1));
    }

    #[test]
    fn vanished_text_is_an_orphan_not_a_guess() {
        let old = Document::new("d", "Something was said here. Then more.");
        let new = Document::new("d", "A completely different article.");
        assert_eq!(anchor(&new, &target_of(&old, 0)), Placement::Orphan);
    }

    #[test]
    fn empty_quote_never_anchors() {
        let doc = Document::new("d", "Text.");
        let mut target = target_of(&doc, 0);
        target.quote.exact.clear();
        assert_eq!(anchor(&doc, &target), Placement::Orphan);
    }
}
