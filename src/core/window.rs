//! Windowed rendering of long articles, as pure logic: which runs of paragraphs are
//! rendered sentence by sentence, and which as plain text.
//!
//! A long article is cut into runs of paragraphs. Past [`WINDOW_ABOVE`] sentences, only
//! the runs near the viewport and the runs holding the focused sentence (or an open
//! picker or note) are rendered as sentence elements; every other run is its paragraphs'
//! plain text, which keeps the page's height, find-in-page and reading order, at a
//! fraction of the elements. The browser side reports which runs are near the viewport;
//! this module decides what that means.

use std::ops::Range;

/// Articles with more sentences than this are windowed; up to it, every sentence is an element.
pub const WINDOW_ABOVE: usize = 2_000;

/// At most this many runs near the viewport are rendered in full: a page that shows the
/// whole widget at once (no scrolling) still gets a bounded number of elements.
pub const MAX_NEAR_RUNS: usize = 24;

/// Line height and paragraph gap of the article, in em (as in the widget's stylesheet).
const LINE_EM: f64 = 1.75;
const PARAGRAPH_GAP_EM: f64 = 1.1;
/// The average width of a character of the article's font, in em.
pub const CHAR_WIDTH_EM: f64 = 0.46;

/// The estimated height, in em of the article's font, of paragraphs holding these
/// numbers of characters, at `chars_per_line`: what a run that was never laid out
/// takes on the page (the browser replaces it with the measured height once it was).
pub fn estimated_height_em(paragraph_chars: impl IntoIterator<Item = usize>, chars_per_line: usize) -> f64 {
    paragraph_chars.into_iter().map(|n| LINE_EM * n.div_ceil(chars_per_line.max(1)).max(1) as f64 + PARAGRAPH_GAP_EM).sum()
}

/// Whether an article of `sentences` sentences is windowed.
pub fn is_windowed(sentences: usize) -> bool {
    sentences > WINDOW_ABOVE
}

/// The runs of an article: consecutive, non-empty ranges of sentence indices.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Runs {
    /// The first sentence of every run, increasing.
    starts: Vec<usize>,
    /// One past the last sentence of the last run.
    end: usize,
}

impl Runs {
    /// Runs from their sentence ranges, in order. Empty ranges (runs of empty
    /// paragraphs) are kept, so run numbers match the ranges given.
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Self {
        let mut starts = Vec::new();
        let mut end = 0;
        for range in ranges {
            starts.push(range.start.max(end));
            end = range.end.max(end);
        }
        Self { starts, end }
    }

    /// How many runs there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there are no runs.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The sentences of run `run` (empty when out of range).
    pub fn sentences(&self, run: usize) -> Range<usize> {
        match self.starts.get(run) {
            Some(&start) => start..self.starts.get(run + 1).copied().unwrap_or(self.end),
            None => self.end..self.end,
        }
    }

    /// The run holding sentence `sentence`, if any.
    pub fn run_of(&self, sentence: usize) -> Option<usize> {
        if sentence >= self.end {
            return None;
        }
        // The last run starting at or before the sentence (a run of empty paragraphs
        // shares its start with the next one, which is the one holding it).
        self.starts.partition_point(|&s| s <= sentence).checked_sub(1)
    }
}

/// The runs to render in full, in order: the run of each `pinned` sentence (the focused
/// one, the one under an open picker or note editor), and the runs `near` the viewport,
/// at most [`MAX_NEAR_RUNS`] of them (those closest to the first pinned run when more
/// are near, as when the host page shows the whole widget without scrolling).
pub fn full_runs(runs: &Runs, near: &[usize], pinned: &[usize]) -> Vec<usize> {
    let pinned_runs: Vec<usize> = pinned.iter().filter_map(|&s| runs.run_of(s)).collect();
    let mut full: Vec<usize> = near.iter().copied().filter(|&r| r < runs.len()).collect();
    if full.len() > MAX_NEAR_RUNS {
        let centre = pinned_runs.first().copied().unwrap_or(0);
        full.sort_unstable_by_key(|&r| (r.abs_diff(centre), r));
        full.truncate(MAX_NEAR_RUNS);
    }
    full.extend(pinned_runs);
    full.sort_unstable();
    full.dedup();
    full
}

/// Records that run `run` came near the viewport (`near`) or left it, in `set` (sorted,
/// no repeats). Returns whether `set` changed.
pub fn note_near(set: &mut Vec<usize>, run: usize, near: bool) -> bool {
    match (set.binary_search(&run), near) {
        (Err(at), true) => {
            set.insert(at, run);
            true
        }
        (Ok(at), false) => {
            set.remove(at);
            true
        }
        _ => false,
    }
}

/// What the widget shows after `tick` ticks of its first rendering (tick 0 is the first
/// render): whether its toolbar and its panels (summary, guidelines) are there, and how
/// many of the article's `total` runs, `step` more per tick. At once, the first render
/// holds all of that with one run. Staged (a widget taking over the loader's text,
/// unseen until its article is there), the work is spread so that no task is long while
/// the wasm's code runs for the first time: the widget's state alone, then the toolbar,
/// then the panels, then the runs. Done when `ticks_left` says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// The toolbar is rendered.
    pub toolbar: bool,
    /// The summary and guidelines are rendered.
    pub panels: bool,
    /// Runs of paragraphs rendered.
    pub runs: usize,
}

/// Ticks a staged rendering takes before its first run.
const LEAD: usize = 3;

/// The [`Stage`] at `tick`.
pub fn stage(tick: usize, total: usize, step: usize, staged: bool) -> Stage {
    let step = step.max(1);
    let lead = if staged { LEAD } else { 0 };
    let runs = match tick.checked_sub(lead) {
        Some(after) => 1 + after.saturating_mul(step),
        None => 0,
    };
    Stage { toolbar: !staged || tick >= 1, panels: !staged || tick >= 2, runs: runs.min(total) }
}

/// Whether another tick is due after `tick`.
pub fn ticks_left(tick: usize, total: usize, step: usize, staged: bool) -> bool {
    let now = stage(tick, total, step, staged);
    !now.panels || now.runs < total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_rendering_at_once_and_staged() {
        let all = |runs| Stage { toolbar: true, panels: true, runs };
        // At once: everything and one run, then `step` more per tick.
        assert_eq!(stage(0, 5, 1, false), all(1));
        assert_eq!(stage(2, 5, 1, false), all(3));
        assert_eq!(stage(9, 5, 1, false), all(5));
        assert!(ticks_left(3, 5, 1, false) && !ticks_left(4, 5, 1, false));
        // Staged: the state alone, the toolbar, the panels, then the runs.
        let staged: Vec<Stage> = (0..6).map(|t| stage(t, 4, 2, true)).collect();
        assert_eq!(staged, [
            Stage { toolbar: false, panels: false, runs: 0 },
            Stage { toolbar: true, panels: false, runs: 0 },
            all(0),
            all(1),
            all(3),
            all(4),
        ]);
        assert!(ticks_left(4, 4, 2, true) && !ticks_left(5, 4, 2, true));
        // An empty article: done once the panels are there.
        assert!(ticks_left(1, 0, 1, true) && !ticks_left(2, 0, 1, true));
        assert!(!ticks_left(0, 0, 1, false));
        // A step of 0 is taken as 1.
        assert_eq!(stage(3, 9, 0, false).runs, 4);
    }

    fn runs() -> Runs {
        // Four runs: 0..3, 3..3 (empty paragraphs only), 3..10, 10..12.
        Runs::new([0..3, 3..3, 3..10, 10..12])
    }

    #[test]
    fn windowing_starts_past_the_threshold() {
        assert!(!is_windowed(0));
        assert!(!is_windowed(WINDOW_ABOVE));
        assert!(is_windowed(WINDOW_ABOVE + 1));
    }

    #[test]
    fn every_sentence_belongs_to_the_run_whose_range_holds_it() {
        let r = runs();
        assert_eq!(r.len(), 4);
        for run in 0..r.len() {
            for sentence in r.sentences(run) {
                assert_eq!(r.run_of(sentence), Some(run), "sentence {sentence}");
            }
        }
        assert_eq!(r.run_of(12), None);
        assert_eq!(r.sentences(1), 3..3);
        assert_eq!(r.sentences(9), 12..12);
    }

    #[test]
    fn no_runs_hold_nothing() {
        let r = Runs::new([]);
        assert!(r.is_empty());
        assert_eq!(r.run_of(0), None);
        assert!(full_runs(&r, &[0, 1], &[0]).is_empty());
    }

    #[test]
    fn the_focused_run_is_rendered_wherever_the_viewport_is() {
        let r = runs();
        assert_eq!(full_runs(&r, &[0], &[11]), vec![0, 3]);
        assert_eq!(full_runs(&r, &[], &[5, 5, 11]), vec![2, 3]);
        assert_eq!(full_runs(&r, &[2, 3], &[5]), vec![2, 3]);
        // Runs reported near but gone (a shorter article) are ignored.
        assert_eq!(full_runs(&r, &[2, 40], &[]), vec![2]);
    }

    #[test]
    fn near_runs_are_bounded_around_the_focus() {
        let r = Runs::new((0..100).map(|i| i * 10..i * 10 + 10));
        let everything: Vec<usize> = (0..100).collect();
        let full = full_runs(&r, &everything, &[505]);
        assert_eq!(full.len(), MAX_NEAR_RUNS);
        assert!(full.contains(&50));
        assert!(full.windows(2).all(|w| w[0] < w[1]), "in order");
        assert!(full.iter().all(|&run| run.abs_diff(50) <= MAX_NEAR_RUNS / 2));
    }

    #[test]
    fn the_near_set_stays_sorted_and_reports_changes() {
        let mut set = Vec::new();
        assert!(note_near(&mut set, 5, true));
        assert!(note_near(&mut set, 2, true));
        assert!(!note_near(&mut set, 5, true), "already near");
        assert!(note_near(&mut set, 9, true));
        assert_eq!(set, vec![2, 5, 9]);
        assert!(note_near(&mut set, 5, false));
        assert!(!note_near(&mut set, 7, false), "was not near");
        assert_eq!(set, vec![2, 9]);
    }

    #[test]
    fn heights_grow_with_lines_and_paragraphs() {
        let one_line = estimated_height_em([10], 60);
        assert!((one_line - (LINE_EM + PARAGRAPH_GAP_EM)).abs() < 1e-9);
        assert!((estimated_height_em([0], 60) - one_line).abs() < 1e-9, "an empty paragraph still takes a line");
        assert!((estimated_height_em([121], 60) - (3.0 * LINE_EM + PARAGRAPH_GAP_EM)).abs() < 1e-9);
        assert!((estimated_height_em([10, 10], 60) - 2.0 * one_line).abs() < 1e-9);
        assert!(estimated_height_em([600], 30) > estimated_height_em([600], 60), "narrower is taller");
        assert!(estimated_height_em([600], 0).is_finite());
    }

    #[test]
    fn ranges_that_overlap_are_made_consecutive() {
        let r = Runs::new([0..5, 3..8]);
        assert_eq!(r.sentences(0), 0..5);
        assert_eq!(r.sentences(1), 5..8);
        assert_eq!(r.run_of(4), Some(0));
    }
}
