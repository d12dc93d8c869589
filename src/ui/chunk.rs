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
    /// The annotation of each of its sentences, from its first sentence on.
    pub annotations: Rc<[Option<Rc<Annotation>>]>,
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
            && self.annotations.len() == other.annotations.len()
            && self.annotations.iter().zip(other.annotations.iter()).all(|(a, b)| match (a, b) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            })
    }
}

/// Renders its paragraphs and their sentences.
#[component(Chunk)]
pub fn chunk(props: &ChunkProps) -> Html {
    let first = props.paragraphs.first().map_or(0, |r| r.start);
    html! {
        { for props.paragraphs.iter().map(|range| html! {
            <p class="aa-paragraph">
                { for range.clone().map(|index| {
                    let annotation = props.annotations.get(index - first).and_then(Option::as_ref);
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
