//! "New article": paste a text (or fetch it from its address), with an optional title
//! and source URL.

use yew::prelude::*;

use crate::core::intake::Kind;
use crate::core::library::{clean_source, clean_title};
use crate::platform::{fetch, html};
use crate::ui::locale::use_locale;

/// What the reader entered, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArticle {
    /// The article text.
    pub text: String,
    /// Its title, if the reader gave one.
    pub title: Option<String>,
    /// Its source URL, if given.
    pub source: Option<String>,
}

/// Where the dialog sends its result.
#[derive(Properties, PartialEq, Clone)]
pub struct NewArticleProps {
    /// The entered article.
    pub on_add: Callback<NewArticle>,
    /// Closes the dialog without adding.
    pub on_cancel: Callback<()>,
}

fn value_of(node: &NodeRef) -> String {
    if let Some(input) = node.cast::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(area) = node.cast::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

/// The text of a fetched page: HTML becomes its readable text (and title).
fn page_text(body: &str, content_type: Option<&str>) -> Result<(String, Option<String>), String> {
    let is_html = content_type.is_some_and(|t| t.contains("html"))
        || crate::core::intake::decode_file("page", body.as_bytes()).is_ok_and(|f| f.kind == Kind::Html);
    if is_html {
        let page = html::readable_text(body)?;
        Ok((page.text, page.title))
    } else {
        Ok((body.to_owned(), None))
    }
}

/// The dialog. Keys typed in it never reach the article behind it.
#[component(NewArticleDialog)]
pub fn new_article_dialog(props: &NewArticleProps) -> Html {
    let l = *use_locale();
    let (title, source, text) = (use_node_ref(), use_node_ref(), use_node_ref());
    let error = use_state(|| None::<String>);
    let fetching = use_state(|| false);
    {
        let text = text.clone();
        use_effect_with((), move |()| {
            if let Some(area) = text.cast::<web_sys::HtmlElement>() {
                let _ = area.focus();
            }
        });
    }
    let onsubmit = {
        let (title, source, text, error, on_add) = (title.clone(), source.clone(), text.clone(), error.clone(), props.on_add.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = value_of(&text);
            if body.trim().is_empty() {
                error.set(Some(l.t("new.no_text").to_owned()));
                return;
            }
            match clean_source(&value_of(&source), &l) {
                Ok(source) => on_add.emit(NewArticle { text: body, title: clean_title(&value_of(&title)), source }),
                Err(problem) => error.set(Some(problem)),
            }
        })
    };
    let on_fetch = {
        let (title, source, text, error, fetching) = (title.clone(), source.clone(), text.clone(), error.clone(), fetching.clone());
        Callback::from(move |_: MouseEvent| {
            let url = match clean_source(&value_of(&source), &l) {
                Ok(Some(url)) => url,
                Ok(None) => return error.set(Some(l.t("new.no_source").to_owned())),
                Err(problem) => return error.set(Some(problem)),
            };
            let (title, text, error, fetching) = (title.clone(), text.clone(), error.clone(), fetching.clone());
            fetching.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch::fetch_text(&url).await.and_then(|(body, kind)| page_text(&body, kind.as_deref()));
                fetching.set(false);
                match result {
                    Ok((body, _)) if body.trim().is_empty() => error.set(Some(l.f("new.fetch.empty", &[("url", &url)]))),
                    Ok((body, page_title)) => {
                        if let Some(area) = text.cast::<web_sys::HtmlTextAreaElement>() {
                            area.set_value(&body);
                        }
                        if let (Some(field), Some(page_title)) = (title.cast::<web_sys::HtmlInputElement>(), page_title) {
                            if field.value().trim().is_empty() {
                                field.set_value(&page_title);
                            }
                        }
                    }
                    Err(reason) => error.set(Some(l.f("new.fetch.failed", &[("url", &url), ("reason", &reason)]))),
                }
            });
        })
    };
    let onkeydown = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() == "Escape" {
                on_cancel.emit(());
            }
        })
    };
    html! {
        <div class="aa-dialog aa-new-article" role="dialog" aria-labelledby="aa-new-title" {onkeydown}>
          <form {onsubmit}>
            <h2 id="aa-new-title" class="aa-dialog-title">{ l.t("library.new_article") }</h2>
            <label class="aa-field">
                <span>{ l.t("new.text") }</span>
                <textarea class="aa-input aa-new-text" ref={text} rows="10" placeholder={l.t("new.text.placeholder")} />
            </label>
            <label class="aa-field">
                <span>{ l.t("new.title") }</span>
                <input class="aa-input aa-new-title-input" ref={title} type="text" maxlength="200" placeholder={l.t("new.title.placeholder")} />
            </label>
            <div class="aa-field">
                <label for="aa-new-source">{ l.t("new.source") }</label>
                <div class="aa-inline">
                    <input id="aa-new-source" class="aa-input aa-new-source" ref={source} type="url" placeholder="https://…" />
                    <button type="button" class="aa-button" onclick={on_fetch} disabled={*fetching} data-action="fetch" title={l.t("new.fetch.title")}>
                        { if *fetching { l.t("new.fetching") } else { l.t("new.fetch") } }
                    </button>
                </div>
            </div>
            if let Some(message) = &*error {
                <p class="aa-field-error" role="alert">{ message }</p>
            }
            <div class="aa-dialog-actions">
                <button type="submit" class="aa-button aa-primary" data-action="add-article">{ l.t("new.add") }</button>
                <button type="button" class="aa-button" data-action="cancel" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ l.t("dialog.cancel") }</button>
            </div>
          </form>
        </div>
    }
}
