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
