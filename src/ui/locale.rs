//! The reader's language for every component: the roots (the annotator, the library)
//! provide a `Locale` as a Yew context, and components take their words from
//! [`use_locale`].

use std::rc::Rc;

use yew::prelude::*;

use crate::core::i18n::Locale;

/// The locale the nearest root provides (English when a component is rendered alone).
#[hook]
pub fn use_locale() -> Rc<Locale> {
    use_context::<Rc<Locale>>().unwrap_or_default()
}

/// The interface's language: `uiLang` (`data-ui-lang`, the component's `ui_lang`), else
/// the article's, else English.
pub fn ui_locale(ui_lang: Option<&str>, article_lang: Option<&str>) -> Locale {
    ui_lang.or(article_lang).map_or_else(Locale::english, Locale::new)
}
