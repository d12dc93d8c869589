//! How an article is laid out for rendering: its paragraphs in runs and sections, and
//! every sentence's text as a shared string (so rendering never copies the text).

use std::ops::Range;
use std::rc::Rc;

use yew::AttrValue;

use super::chunk::{sentences_of, CHUNKS_PER_SECTION, PARAGRAPHS_PER_CHUNK};
use crate::core::model::Document;
use crate::core::window::{self, Runs};

/// An article's runs of paragraphs, computed once per document.
pub struct Layout {
    /// Runs of paragraphs (each a range of sentence indices).
    pub chunks: Vec<Rc<[Range<usize>]>>,
    /// Sections of runs.
    pub sections: Vec<Rc<[Rc<[Range<usize>]>]>>,
    /// How many paragraphs.
    pub paragraphs: usize,
    /// Every sentence's text.
    pub texts: Rc<Vec<AttrValue>>,
    /// The runs' sentences, for finding a sentence's run.
    pub runs: Runs,
    /// Whether only the runs near the viewport (and the focused one) show sentences.
    pub windowed: bool,
}

impl Layout {
    /// The layout of `doc`.
    pub fn of(doc: &Document) -> Self {
        let paragraphs: Vec<Range<usize>> = doc.paragraphs().collect();
        let chunks: Vec<Rc<[Range<usize>]>> = paragraphs.chunks(PARAGRAPHS_PER_CHUNK).map(Rc::from).collect();
        Self {
            paragraphs: paragraphs.len(),
            sections: chunks.chunks(CHUNKS_PER_SECTION).map(Rc::from).collect(),
            runs: Runs::new(chunks.iter().map(|c| sentences_of(std::slice::from_ref(c)))),
            windowed: window::is_windowed(doc.sentences().len()),
            chunks,
            texts: Rc::new(doc.sentences().iter().map(|s| AttrValue::from(doc.sentence_text(s).to_owned())).collect()),
        }
    }

    /// Characters of each paragraph of run `run` (for its estimated height).
    pub fn run_paragraph_chars(&self, run: usize) -> impl Iterator<Item = usize> + '_ {
        let paragraphs = self.chunks.get(run).map_or(&[][..], |c| &c[..]);
        paragraphs.iter().map(|p| p.clone().map(|i| self.texts.get(i).map_or(0, |t| t.chars().count() + 1)).sum())
    }
}
