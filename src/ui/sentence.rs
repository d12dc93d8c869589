//! One sentence of the article: a focusable span carrying its labels.

use yew::prelude::*;

/// Everything a sentence shows. Plain values only, so an unchanged sentence is not re-rendered.
#[derive(Properties, PartialEq, Clone)]
pub struct SentenceProps {
    /// 0-based index, the `data-sentence` value.
    pub index: usize,
    /// The sentence text.
    pub text: AttrValue,
    /// Label names in label-set order, space separated (the `data-labels` value).
    pub labels: AttrValue,
    /// Colour of the first label, for the highlight.
    pub color: Option<AttrValue>,
    /// Underline style of the first label (the non-colour cue).
    pub line: Option<AttrValue>,
    /// Whether this is the roving tab stop.
    pub focused: bool,
}

/// Renders one sentence. Clicks, focus and keys are handled by the article, by delegation.
#[component(SentenceView)]
pub fn sentence_view(props: &SentenceProps) -> Html {
    let style = props.color.as_ref().map(|color| {
        let line = props.line.as_deref().unwrap_or("solid");
        AttrValue::from(format!("--aa-label-color: {color}; --aa-label-line: {line};"))
    });
    let tagged = !props.labels.is_empty();
    let name = if tagged {
        format!("Sentence {}, tagged {}", props.index + 1, props.labels)
    } else {
        format!("Sentence {}, untagged", props.index + 1)
    };
    html! {
        <span
            class={classes!("aa-sentence", tagged.then_some("aa-tagged"))}
            data-sentence={props.index.to_string()}
            data-labels={props.labels.clone()}
            tabindex={if props.focused { "0" } else { "-1" }}
            role="button"
            aria-label={name}
            {style}
        >
            { props.text.clone() }
        </span>
    }
}
