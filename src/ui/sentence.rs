//! One sentence of the article: a focusable span carrying its labels.

use yew::prelude::*;

use super::locale::use_locale;

/// How many times a sentence component has rendered, in debug builds only (the browser
/// tests read it to prove that a tag re-renders one sentence; release builds carry no counter).
#[cfg(debug_assertions)]
static RENDERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Sentence renders so far, across every widget of the page (debug builds only).
#[cfg(debug_assertions)]
pub fn render_count() -> u64 {
    RENDERS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Everything a sentence shows. Plain values only, so an unchanged sentence is not re-rendered.
#[derive(Properties, PartialEq, Clone)]
pub struct SentenceProps {
    /// 0-based index, the `data-sentence` value.
    pub index: usize,
    /// The sentence text.
    pub text: AttrValue,
    /// Label names in label-set order, space separated (the `data-labels` value).
    pub labels: AttrValue,
    /// Class of the first label (`aa-label-N`), which carries its colour and line style.
    pub label_class: Option<AttrValue>,
    /// Whether this is the roving tab stop.
    pub focused: bool,
    /// Whether the filter leaves it out (shown faded).
    #[prop_or_default]
    pub dimmed: bool,
    /// Whether its annotation carries a note.
    #[prop_or_default]
    pub has_note: bool,
    /// Teammates' tags on it, in words ("bob: quote"), when team sync is on.
    #[prop_or_default]
    pub team: Option<AttrValue>,
}

/// Renders one sentence. Clicks, focus and keys are handled by the article, by delegation.
#[component(SentenceView)]
pub fn sentence_view(props: &SentenceProps) -> Html {
    #[cfg(debug_assertions)]
    RENDERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let l = use_locale();
    let tagged = !props.labels.is_empty();
    // The sentence's own text is its accessible name; its number and labels are its description.
    let number = (props.index + 1).to_string();
    let mut description = match (tagged, props.has_note) {
        (true, true) => l.f("sentence.tagged_noted", &[("n", &number), ("labels", &props.labels)]),
        (true, false) => l.f("sentence.tagged", &[("n", &number), ("labels", &props.labels)]),
        (false, _) => l.f("sentence.untagged", &[("n", &number)]),
    };
    if let Some(team) = &props.team {
        description = l.f("sentence.team", &[("description", &description), ("team", team)]);
    }
    html! {
        <span
            class={classes!("aa-sentence", tagged.then_some("aa-tagged"), props.dimmed.then_some("aa-dim"), props.label_class.clone())}
            data-note={props.has_note.then_some("")}
            data-sentence={props.index.to_string()}
            data-labels={props.labels.clone()}
            data-team={props.team.clone()}
            title={props.team.clone()}
            tabindex={if props.focused { "0" } else { "-1" }}
            role="button"
            aria-description={description}
        >
            { props.text.clone() }
        </span>
    }
}
