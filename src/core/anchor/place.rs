//! Finding annotations' sentences in a text that may have changed since.
//!
//! Two passes over all the annotations of a document. The first places what is
//! certain: the stored position still holds the quote, or an exact occurrence of the
//! quote has exactly the stored context (contexts are stored just long enough to tell
//! repeated sentences apart, so that identifies the annotated copy). Those sentences
//! are then taken. The second pass places the rest among the sentences not taken:
//! exact occurrences with a partial context and approximate matches, best pairs
//! first, ranked by whether the context matches in full, then by score; one sentence
//! holds at most one annotation; below the thresholds of [`super::fuzzy`] an
//! annotation becomes an orphan. A repeated paragraph that disappears thus leaves its
//! tags as orphans instead of piling them onto its twin.

use std::cell::OnceCell;

use super::fuzzy::{context_agrees, fuzzy_candidates, score_sentence, Candidate, SentenceIndex, MIN_SCORE};

/// An exact occurrence of a quote: the sentence it snaps to, and whether the stored
/// context agrees with the text around the quote there.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    sentence: usize,
    full_context: bool,
}
use crate::core::model::{Document, Target};

/// Where an annotation landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The stored position still holds the quote.
    Exact(usize),
    /// Found by the quote and its context elsewhere in the text.
    Moved(usize),
    /// Found by an approximate match: the sentence or its surroundings were edited.
    Fuzzy(usize),
    /// Not found: kept aside, never dropped.
    Orphan,
}

impl Placement {
    /// The sentence it landed on, if any.
    pub fn sentence(self) -> Option<usize> {
        match self {
            Placement::Exact(i) | Placement::Moved(i) | Placement::Fuzzy(i) => Some(i),
            Placement::Orphan => None,
        }
    }
}

/// Anchors targets in one document, building the fuzzy index only if some target needs it.
pub struct Anchorer<'d> {
    doc: &'d Document,
    index: OnceCell<SentenceIndex>,
}

impl<'d> Anchorer<'d> {
    /// An anchorer over `doc`.
    pub fn new(doc: &'d Document) -> Self {
        Self { doc, index: OnceCell::new() }
    }

    /// Places every target (see the module documentation); one placement per target, in order.
    pub fn anchor_all(&self, targets: &[&Target]) -> Vec<Placement> {
        // Occurrences of a quote are searched for only when its position no longer holds
        // it: on an unchanged text, anchoring costs one comparison per annotation.
        let mut exact: Vec<Option<Vec<Occurrence>>> = vec![None; targets.len()];
        let mut placements: Vec<Option<Placement>> = Vec::with_capacity(targets.len());
        for (i, target) in targets.iter().enumerate() {
            let placement = self.at_position(target).or_else(|| {
                let occurrences = self.occurrences(target);
                let placement = self.by_full_context(target, &occurrences);
                exact[i] = Some(occurrences);
                placement
            });
            placements.push(placement);
        }
        let mut taken = vec![false; self.doc.sentences().len()];
        for sentence in placements.iter().flatten().filter_map(|p| p.sentence()) {
            taken[sentence] = true;
        }
        // Second pass: every (annotation, sentence) pair worth considering, best first.
        let mut pairs: Vec<(usize, Candidate, bool)> = Vec::new();
        for (which, target) in targets.iter().enumerate().filter(|(i, _)| placements[*i].is_none()) {
            let occurrences = exact[which].take().unwrap_or_else(|| self.occurrences(target));
            pairs.extend(self.uncertain_candidates(target, &occurrences).into_iter().map(|(c, exact)| (which, c, exact)));
        }
        pairs.sort_by(|(_, a, a_exact), (_, b, b_exact)| {
            (b.full_context, b.score, b_exact).partial_cmp(&(a.full_context, a.score, a_exact)).unwrap_or(std::cmp::Ordering::Equal)
        });
        for (which, candidate, exact) in pairs {
            if placements[which].is_none() && !taken[candidate.sentence] {
                taken[candidate.sentence] = true;
                placements[which] = Some(if exact { Placement::Moved(candidate.sentence) } else { Placement::Fuzzy(candidate.sentence) });
            }
        }
        placements.into_iter().map(|p| p.unwrap_or(Placement::Orphan)).collect()
    }

    /// Places one target on its own (no other annotation competes for its sentence).
    pub fn anchor(&self, target: &Target) -> Placement {
        self.anchor_all(&[target])[0]
    }

    /// The first certainty: the stored position still holds the quote (an empty quote is an orphan).
    fn at_position(&self, target: &Target) -> Option<Placement> {
        let doc = self.doc;
        let quote = &target.quote;
        if quote.exact.trim().is_empty() {
            return Some(Placement::Orphan);
        }
        let pos = target.position;
        if pos.start < pos.end && pos.end <= doc.len_chars() && doc.slice(pos.start, pos.end) == quote.exact {
            return doc.sentence_overlapping(pos.start, pos.end).map(Placement::Exact);
        }
        None
    }

    /// The second certainty: an exact occurrence with the full stored context (nearest the old position).
    fn by_full_context(&self, target: &Target, exact: &[Occurrence]) -> Option<Placement> {
        let doc = self.doc;
        let pos = target.position;
        exact
            .iter()
            .filter(|c| c.full_context)
            .min_by_key(|c| doc.sentences()[c.sentence].start.abs_diff(pos.start))
            .map(|c| Placement::Moved(c.sentence))
    }

    /// Exact occurrences (flagged `true`; the quote itself is proof enough) and
    /// approximate matches above the score threshold.
    fn uncertain_candidates(&self, target: &Target, exact: &[Occurrence]) -> Vec<(Candidate, bool)> {
        // Scored only here, for the few targets the first pass could not place.
        let exact = exact.iter().map(|o| {
            let mut candidate = score_sentence(self.doc, target, o.sentence, 1.0);
            candidate.full_context = o.full_context;
            (candidate, true)
        });
        let index = self.index.get_or_init(|| SentenceIndex::new(self.doc));
        let fuzzy = fuzzy_candidates(self.doc, index, target).into_iter().filter(|c| c.score >= MIN_SCORE).map(|c| (c, false));
        exact.chain(fuzzy).collect()
    }

    /// Every sentence holding an exact occurrence of the quote (snapped by overlap),
    /// with whether the context around the quote agrees.
    fn occurrences(&self, target: &Target) -> Vec<Occurrence> {
        let doc = self.doc;
        let quote = &target.quote;
        let (exact_chars, prefix_chars, suffix_chars) =
            (quote.exact.chars().count(), quote.prefix.chars().count(), quote.suffix.chars().count());
        let mut out: Vec<Occurrence> = Vec::new();
        for (at, _) in doc.text.match_indices(quote.exact.as_str()) {
            let chars_before = doc.char_offset_of_byte(at);
            let end = chars_before + exact_chars;
            let Some(sentence) = doc.sentence_overlapping(chars_before, end) else { continue };
            if out.iter().any(|o| o.sentence == sentence) {
                continue;
            }
            let before = doc.slice(chars_before.saturating_sub(prefix_chars), chars_before);
            let after = doc.slice(end, end + suffix_chars);
            out.push(Occurrence { sentence, full_context: context_agrees(quote, before, after) });
        }
        out
    }
}

/// Anchors one target in `doc` (see [`Anchorer::anchor`]).
pub fn anchor(doc: &Document, target: &Target) -> Placement {
    Anchorer::new(doc).anchor(target)
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
    fn removed_copy_does_not_pile_onto_its_twin() {
        let old = Document::new("d", "Lead text here. Same words here.\nMiddle part now. Same words here.\nEnd.");
        let new = Document::new("d", "Lead text here. Same words here.\nEnd.");
        let first = target_of(&old, 1);
        let second = target_of(&old, 3);
        let placed = Anchorer::new(&new).anchor_all(&[&first, &second]);
        assert_eq!(placed, [Placement::Exact(1), Placement::Orphan]);
    }

    #[test]
    fn edited_copy_is_preferred_over_its_intact_twin() {
        let para = "Officials met on Monday. Russia remains unconvinced by the plan.";
        let old = Document::new("d", &format!("Start.\n{para}\nBetween.\n{para}\nEnd."));
        let edited = para.replace("remains", "remains deeply");
        let new = Document::new("d", &format!("Start.\n{edited}\nBetween.\n{para}\nEnd."));
        assert_eq!(anchor(&new, &target_of(&old, 2)), Placement::Fuzzy(2));
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
