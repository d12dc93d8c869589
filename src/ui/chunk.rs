//! A run of paragraphs rendered as one component, so that a change re-renders only
//! the run that holds it, and a long article can appear run by run.
//!
//! In a windowed article (see `core::window`) every run is wrapped in an element the
//! page's viewport is observed against, and is rendered either in full (sentence
//! elements) or light (its paragraphs' plain text).

use std::ops::Range;
use std::rc::Rc;

use yew::prelude::*;

use super::sentence::SentenceView;
use crate::core::model::{Annotation, LabelSet};
use crate::core::state::Filter;

/// Paragraphs per run: small enough to render within a frame.
pub const PARAGRAPHS_PER_CHUNK: usize = 24;

/// What a run or a section needs besides its paragraphs: the same for both, and
/// compared the same way (pointers first; only its own sentences when the list changed).
#[derive(Clone)]
pub struct RunView {
    /// Every sentence's text, shared by all runs.
    pub texts: Rc<Vec<AttrValue>>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The annotation on every sentence of the article (shared with the state: no copy).
    pub annotations: Rc<Vec<Option<Rc<Annotation>>>>,
    /// Its sentences (indices into `annotations`).
    pub sentences: Range<usize>,
    /// The focused sentence, if it is among them.
    pub focus: Option<usize>,
    /// The filter, when one is set (quieting the sentences it leaves out).
    pub filter: Option<Filter>,
    /// Per sentence, teammates' tags in words (team sync), shared by all runs.
    pub team: Rc<Vec<Option<AttrValue>>>,
}

impl RunView {
    /// The same view, narrowed to `sentences` (a run within a section).
    fn narrowed(&self, sentences: Range<usize>) -> Self {
        Self { focus: self.focus.filter(|f| sentences.contains(f)), sentences, ..self.clone() }
    }
}

impl PartialEq for RunView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.texts, &other.texts)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && Rc::ptr_eq(&self.team, &other.team)
            && self.focus == other.focus
            && self.filter == other.filter
            && self.sentences == other.sentences
            && (Rc::ptr_eq(&self.annotations, &other.annotations)
                || self.annotations.get(self.sentences.clone()).zip(other.annotations.get(other.sentences.clone())).is_some_and(|(a, b)| {
                    a.iter().zip(b).all(|(a, b)| match (a, b) {
                        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                        (None, None) => true,
                        _ => false,
                    })
                }))
    }
}

/// One run: its paragraphs and what they show.
#[derive(Properties, Clone)]
pub struct ChunkProps {
    /// Its paragraphs, as ranges of sentence indices.
    pub paragraphs: Rc<[Range<usize>]>,
    /// What it shows.
    pub view: RunView,
    /// In a windowed article, the run's number (its wrapper's `data-run`).
    #[prop_or_default]
    pub run: Option<usize>,
    /// In a windowed article, whether it is rendered as plain text.
    #[prop_or_default]
    pub light: bool,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.paragraphs, &other.paragraphs)
            && self.run == other.run
            && self.light == other.light
            // Plain text shows no labels, focus or filter: only the texts matter.
            && if self.light { Rc::ptr_eq(&self.view.texts, &other.view.texts) } else { self.view == other.view }
    }
}

/// Renders its paragraphs: their sentences, or (light) their plain text, wrapped in a
/// `div.aa-run` when windowed.
#[component(Chunk)]
pub fn chunk(props: &ChunkProps) -> Html {
    let content = if props.light { light_paragraphs(props) } else { sentence_paragraphs(props) };
    match props.run {
        Some(run) => html! { <div class="aa-run" data-run={run.to_string()}>{ content }</div> },
        None => content,
    }
}

/// Each paragraph as one text: the sentences joined by a space, as the full rendering shows them.
fn light_paragraphs(props: &ChunkProps) -> Html {
    let texts = &props.view.texts;
    html! {
        { for props.paragraphs.iter().map(|range| {
            let text: Vec<&str> = range.clone().filter_map(|i| texts.get(i)).map(|t| t.as_str()).collect();
            html! { <p class="aa-paragraph">{ text.join(" ") }</p> }
        }) }
    }
}

/// Each paragraph with one element per sentence.
fn sentence_paragraphs(props: &ChunkProps) -> Html {
    html! {
        { for props.paragraphs.iter().map(|range| html! {
            <p class="aa-paragraph">
                { for range.clone().map(|index| {
                    let view = &props.view;
                    let annotation = view.annotations.get(index).and_then(Option::as_ref);
                    let names = annotation.map(|a| a.labels.as_slice());
                    let label_class = names
                        .and_then(|n| n.first())
                        .map(|name| view.labels.rank(name))
                        .filter(|&rank| rank != usize::MAX)
                        .map(|rank| AttrValue::from(format!("aa-label-{rank}")));
                    html! {
                        <>
                            <SentenceView
                                key={index}
                                {index}
                                text={view.texts.get(index).cloned().unwrap_or_default()}
                                labels={names.map_or(AttrValue::Static(""), |n| AttrValue::from(n.join(" ")))}
                                {label_class}
                                focused={view.focus == Some(index)}
                                dimmed={view.filter.as_ref().is_some_and(|f| !f.accepts(names))}
                                has_note={annotation.is_some_and(|a| a.note.is_some())}
                                team={view.team.get(index).cloned().flatten()}
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
    /// What it shows.
    pub view: RunView,
    /// The number of its first run in the article.
    #[prop_or_default]
    pub first_run: usize,
    /// In a windowed article, the runs of the section rendered in full (article
    /// numbers, in order); the others are light. `None`: not windowed, all in full.
    #[prop_or_default]
    pub full: Option<Vec<usize>>,
}

impl PartialEq for SectionProps {
    fn eq(&self, other: &Self) -> bool {
        let all_light = self.full.as_ref().is_some_and(Vec::is_empty);
        Rc::ptr_eq(&self.chunks, &other.chunks)
            && self.shown == other.shown
            && self.first_run == other.first_run
            && self.full == other.full
            && if all_light { Rc::ptr_eq(&self.view.texts, &other.view.texts) } else { self.view == other.view }
    }
}

/// The sentence range of some runs of paragraphs.
pub fn sentences_of(chunks: &[Rc<[Range<usize>]>]) -> Range<usize> {
    let start = chunks.first().and_then(|c| c.first()).map_or(0, |r| r.start);
    let end = chunks.last().and_then(|c| c.last()).map_or(start, |r| r.end);
    start..end
}

/// Renders the shown runs of a section.
#[component(Section)]
pub fn section(props: &SectionProps) -> Html {
    html! {
        { for props.chunks.iter().take(props.shown).enumerate().map(|(n, paragraphs)| {
            let run = props.first_run + n;
            html! {
                <Chunk
                    key={n}
                    paragraphs={paragraphs.clone()}
                    view={props.view.narrowed(sentences_of(std::slice::from_ref(paragraphs)))}
                    run={props.full.is_some().then_some(run)}
                    light={props.full.as_ref().is_some_and(|full| !full.contains(&run))}
                />
            }
        }) }
    }
}
