//! A run of paragraphs rendered as one component, so that a change re-renders only
//! the run that holds it, and a long article can appear run by run.

use std::ops::Range;
use std::rc::Rc;

use yew::prelude::*;

use super::sentence::SentenceView;
use crate::core::model::{Annotation, LabelSet};
use crate::core::state::Filter;

/// Paragraphs per run: small enough to render within a frame.
pub const PARAGRAPHS_PER_CHUNK: usize = 24;

/// What one run shows. Equal (so not re-rendered) unless one of its own sentences changed.
#[derive(Properties, Clone)]
pub struct ChunkProps {
    /// Its paragraphs, as ranges of sentence indices.
    pub paragraphs: Rc<[Range<usize>]>,
    /// Every sentence's text, shared by all runs.
    pub texts: Rc<Vec<AttrValue>>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The annotation on every sentence of the article (shared with the state: no copy).
    pub annotations: Rc<Vec<Option<Rc<Annotation>>>>,
    /// Its sentences (indices into `annotations`).
    pub sentences: Range<usize>,
    /// The focused sentence, if it is in this run.
    pub focus: Option<usize>,
    /// The filter, when one is set (quieting the sentences it leaves out).
    pub filter: Option<Filter>,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.paragraphs, &other.paragraphs)
            && Rc::ptr_eq(&self.texts, &other.texts)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && self.focus == other.focus
            && self.filter == other.filter
            && self.sentences == other.sentences
            // Unchanged annotations: one pointer comparison; else only this run's sentences.
            && same_annotations(&self.annotations, &other.annotations, &self.sentences)
    }
}

/// Renders its paragraphs and their sentences.
#[component(Chunk)]
pub fn chunk(props: &ChunkProps) -> Html {
    html! {
        { for props.paragraphs.iter().map(|range| html! {
            <p class="aa-paragraph">
                { for range.clone().map(|index| {
                    let annotation = props.annotations.get(index).and_then(Option::as_ref);
                    let names = annotation.map(|a| a.labels.as_slice());
                    let label_class = names
                        .and_then(|n| n.first())
                        .map(|name| props.labels.rank(name))
                        .filter(|&rank| rank != usize::MAX)
                        .map(|rank| AttrValue::from(format!("aa-label-{rank}")));
                    html! {
                        <>
                            <SentenceView
                                key={index}
                                {index}
                                text={props.texts.get(index).cloned().unwrap_or_default()}
                                labels={names.map_or(AttrValue::Static(""), |n| AttrValue::from(n.join(" ")))}
                                {label_class}
                                focused={props.focus == Some(index)}
                                dimmed={props.filter.as_ref().is_some_and(|f| !f.accepts(names))}
                                has_note={annotation.is_some_and(|a| a.note.is_some())}
                            />
                            { " " }
                        </>
                    }
                }) }
            </p>
        }) }
    }
}

/// Runs per section: the root renders sections, a section its runs, so that a change
/// is found by comparing a few dozen components at each level, not thousands.
pub const CHUNKS_PER_SECTION: usize = 32;

/// A section of runs. Equal (so skipped) unless one of its own sentences changed.
#[derive(Properties, Clone)]
pub struct SectionProps {
    /// Its runs of paragraphs.
    pub chunks: Rc<[Rc<[Range<usize>]>]>,
    /// How many of its runs are shown yet (a long article appears run by run).
    pub shown: usize,
    /// Every sentence's text, shared by all runs.
    pub texts: Rc<Vec<AttrValue>>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The annotation on every sentence of the article.
    pub annotations: Rc<Vec<Option<Rc<Annotation>>>>,
    /// Its sentences.
    pub sentences: Range<usize>,
    /// The focused sentence, if it is in this section.
    pub focus: Option<usize>,
    /// The filter, when one is set.
    pub filter: Option<Filter>,
}

/// The sentence range of some runs of paragraphs.
pub fn sentences_of(chunks: &[Rc<[Range<usize>]>]) -> Range<usize> {
    let start = chunks.first().and_then(|c| c.first()).map_or(0, |r| r.start);
    let end = chunks.last().and_then(|c| c.last()).map_or(start, |r| r.end);
    start..end
}

fn same_annotations(a: &Rc<Vec<Option<Rc<Annotation>>>>, b: &Rc<Vec<Option<Rc<Annotation>>>>, range: &Range<usize>) -> bool {
    Rc::ptr_eq(a, b)
        || a.get(range.clone()).zip(b.get(range.clone())).is_some_and(|(a, b)| {
            a.iter().zip(b).all(|(a, b)| match (a, b) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            })
        })
}

impl PartialEq for SectionProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.chunks, &other.chunks)
            && self.shown == other.shown
            && Rc::ptr_eq(&self.texts, &other.texts)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && self.focus == other.focus
            && self.filter == other.filter
            && self.sentences == other.sentences
            && same_annotations(&self.annotations, &other.annotations, &self.sentences)
    }
}

/// Renders the shown runs of a section.
#[component(Section)]
pub fn section(props: &SectionProps) -> Html {
    html! {
        { for props.chunks.iter().take(props.shown).enumerate().map(|(n, paragraphs)| {
            let sentences = sentences_of(std::slice::from_ref(paragraphs));
            html! {
                <Chunk
                    key={n}
                    paragraphs={paragraphs.clone()}
                    texts={props.texts.clone()}
                    labels={props.labels.clone()}
                    annotations={props.annotations.clone()}
                    focus={props.focus.filter(|f| sentences.contains(f))}
                    filter={props.filter.clone()}
                    {sentences}
                />
            }
        }) }
    }
}
