//! [`ArticleAnnotator`]: the widget as a Yew component, for Rust apps built with Yew.
//!
//! Thin on purpose: it prepares what the embed prepares for a mounted widget (the
//! article segmented by its language, the interface's locale, the base stylesheet and
//! the label rules adopted as constructed stylesheets) and renders the same
//! [`Annotator`].

use std::rc::Rc;

use yew::prelude::*;

use super::app::{Annotator, DEFAULT_ANNOTATOR};
use super::locale::ui_locale;
use crate::core::library::id_for_text;
use crate::core::model::{Annotation, Document, LabelSet};
use crate::core::options::parse_labels;
use crate::core::segment::Lang;
use crate::core::text::direction;
use crate::platform::styles;

/// What a Yew app gives the annotator.
#[derive(Properties, PartialEq, Clone)]
pub struct ArticleAnnotatorProps {
    /// The article: plain text, paragraphs separated by blank lines.
    pub text: AttrValue,
    /// Where its annotations are kept in localStorage; default: one derived from the
    /// text, so the same text finds its tags again.
    #[prop_or_default]
    pub doc_id: Option<AttrValue>,
    /// The labels on offer (1 to 9; checked as `mount` checks `options.labels`, and
    /// every problem shown in place of the widget); default: claim, quote, position.
    #[prop_or_default]
    pub labels: Option<Rc<LabelSet>>,
    /// Reading, navigating and exporting only.
    #[prop_or_default]
    pub read_only: bool,
    /// The article's language code (`"de"`): sentences are segmented by its rules and
    /// it is the interface's language unless `ui_lang` says otherwise; default: English.
    #[prop_or_default]
    pub lang: Option<AttrValue>,
    /// The interface's language tag (`"uk"`, `"en"`) when it differs from the article's.
    #[prop_or_default]
    pub ui_lang: Option<AttrValue>,
    /// Who annotates: the name in exports; default: "reader".
    #[prop_or(AttrValue::Static(DEFAULT_ANNOTATOR))]
    pub annotator: AttrValue,
    /// Every annotation (orphans included) after each change of the tags, and once on
    /// start when storage held some.
    #[prop_or_default]
    pub on_change: Callback<Vec<Annotation>>,
    /// The focused sentence's index (`data-sentence`) whenever another one takes the focus.
    #[prop_or_default]
    pub on_select: Callback<usize>,
}

/// The article and its labels as the annotator takes them, prepared once per change.
struct Prepared {
    doc: Rc<Document>,
    labels: Rc<LabelSet>,
    /// The widget's number on the page, scoping its label rules.
    scope: u32,
    /// Its label rules, removed from the page when this is dropped.
    _sheet: LabelSheet,
    dir: &'static str,
    lang: Option<AttrValue>,
}

/// A label stylesheet adopted by the document for as long as it is held.
struct LabelSheet(Option<web_sys::CssStyleSheet>);

impl Drop for LabelSheet {
    fn drop(&mut self) {
        if let Some(sheet) = &self.0 {
            styles::drop_sheet(sheet);
        }
    }
}

/// The article annotator as a Yew component: the article as focusable sentences, tagged
/// from the keyboard or the mouse, saved in localStorage, exported as JSON. See the
/// README's "A Yew component".
///
/// ```ignore
/// html! { <ArticleAnnotator text={article} doc_id="council-vote" {on_change} /> }
/// ```
#[component(ArticleAnnotator)]
pub fn article_annotator(props: &ArticleAnnotatorProps) -> Html {
    let checked = use_memo(props.labels.clone(), |labels| match labels {
        None => Ok(Rc::new(LabelSet::default())),
        Some(labels) => checked_labels(labels).map(Rc::new),
    });
    let prepared = use_memo((props.text.clone(), props.doc_id.clone(), props.lang.clone(), (*checked).clone()), |(text, doc_id, lang, labels)| {
        let labels = labels.as_ref().ok()?.clone();
        styles::ensure_base();
        let scope = styles::new_scope();
        let id = doc_id.as_ref().map_or_else(|| id_for_text(text), |id| id.to_string());
        let segmenting = lang.as_deref().map_or(Lang::ENGLISH, |code| Lang::resolve(code).lang);
        Some(Prepared {
            doc: Rc::new(Document::new_in(id, text, segmenting)),
            _sheet: LabelSheet(styles::adopt_labels(scope, &labels)),
            labels,
            scope,
            dir: direction(lang.as_deref(), text).attribute(),
            lang: lang.clone(),
        })
    });
    let locale = use_memo((props.ui_lang.clone(), props.lang.clone()), |(ui_lang, lang)| Rc::new(ui_locale(ui_lang.as_deref(), lang.as_deref())));
    let Some(prepared) = prepared.as_ref() else {
        let problems = checked.as_ref().as_ref().err().map(|p| p.join("; ")).unwrap_or_default();
        return html! { <div class="aa-host" data-aa-error="">{ format!("article-annotator: {problems}") }</div> };
    };
    html! {
        <div class="aa-host" dir={prepared.dir}>
            <Annotator
                // A new article, or new labels, is a new widget (its state starts from them).
                key={prepared.scope}
                doc={prepared.doc.clone()}
                labels={prepared.labels.clone()}
                read_only={props.read_only}
                widget={prepared.scope}
                lang={prepared.lang.clone()}
                locale={(*locale).clone()}
                annotator={props.annotator.clone()}
                on_focus={props.on_select.clone()}
                on_change={props.on_change.clone()}
            />
        </div>
    }
}

/// `labels` checked by the rules `mount` applies to `options.labels` (the colours end up
/// in CSS), every problem reported.
fn checked_labels(labels: &LabelSet) -> Result<LabelSet, Vec<String>> {
    let specs = labels.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>().map_err(|e| vec![e.to_string()])?;
    parse_labels(&serde_json::Value::Array(specs))
}
