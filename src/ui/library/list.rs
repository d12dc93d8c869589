//! The library list: every document in this browser, newest first, with open,
//! rename and delete (after a confirmation).

use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::core::codec::table::Table;
use crate::core::library::{Entry, Usage, UsageLevel};

/// What the list shows and what it can ask for.
#[derive(Properties, PartialEq, Clone)]
pub struct ListProps {
    /// The documents, newest first.
    pub entries: Rc<Vec<Entry>>,
    /// How full storage is (`None` when storage cannot be read).
    pub usage: Option<Usage>,
    /// The id of the open document.
    pub open_id: AttrValue,
    /// Opens a document.
    pub on_open: Callback<String>,
    /// Renames a document: (id, new title).
    pub on_rename: Callback<(String, String)>,
    /// Deletes a document (already confirmed).
    pub on_delete: Callback<String>,
    /// Downloads the whole library.
    pub on_export_all: Callback<()>,
    /// Downloads every article's tags as one table for analysis.
    pub on_export_tables: Callback<Table>,
    /// Asks for a library file to import.
    pub on_import_all: Callback<()>,
}

/// A date and time as the reader's browser writes them.
fn when(rfc3339: &str) -> String {
    if rfc3339.is_empty() {
        return "never".into();
    }
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    String::from(date.to_locale_string("default", &options))
}

/// The list, the storage gauge and the library-wide actions.
#[component(LibraryList)]
pub fn library_list(props: &ListProps) -> Html {
    let renaming = use_state(|| None::<String>);
    let confirming = use_state(|| None::<String>);
    let rename_input = use_node_ref();
    {
        let rename_input = rename_input.clone();
        use_effect_with((*renaming).clone(), move |renaming| {
            if renaming.is_some() {
                if let Some(input) = rename_input.cast::<web_sys::HtmlInputElement>() {
                    let _ = input.focus();
                    input.select();
                }
            }
        });
    }
    let usage = props.usage.map(|usage| {
        let class = match usage.level() {
            UsageLevel::Fine => "aa-usage",
            UsageLevel::Warning => "aa-usage aa-usage-warning",
            UsageLevel::Critical => "aa-usage aa-usage-critical",
        };
        let meter = format!("{:.0}", usage.percent().min(100.0));
        html! {
            <div class={class}>
                <meter min="0" max="100" low="70" high="90" optimum="0" value={meter} aria-label="Storage used"></meter>
                <span>{ usage.describe() }</span>
            </div>
        }
    });
    let rename_done = {
        let (renaming, on_rename, input) = (renaming.clone(), props.on_rename.clone(), rename_input.clone());
        move |id: String| {
            let renaming = renaming.clone();
            let on_rename = on_rename.clone();
            let input = input.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if let Some(field) = input.cast::<web_sys::HtmlInputElement>() {
                    on_rename.emit((id.clone(), field.value()));
                }
                renaming.set(None);
            })
        }
    };
    html! {
        <section class="aa-library" aria-labelledby="aa-library-title">
            <div class="aa-library-head">
                <h2 id="aa-library-title" class="aa-library-title">{ "Your articles" }</h2>
                <div class="aa-actions">
                    <button type="button" class="aa-button" data-action="export-all" title="Download every article with its text and tags as one JSON file"
                        onclick={props.on_export_all.reform(|_: MouseEvent| ())}>{ "Export all" }</button>
                    <button type="button" class="aa-button" data-action="export-all-csv" title="Download one table of every article's sentences and tags (CSV)"
                        onclick={props.on_export_tables.reform(|_: MouseEvent| Table::Csv)}>{ "Table of all: CSV" }</button>
                    <button type="button" class="aa-button" data-action="export-all-jsonl" title="The same table as JSON Lines"
                        onclick={props.on_export_tables.reform(|_: MouseEvent| Table::Jsonl)}>{ "Table of all: .jsonl" }</button>
                    <button type="button" class="aa-button" data-action="import-all" title="Restore or merge a library file made by Export all"
                        onclick={props.on_import_all.reform(|_: MouseEvent| ())}>{ "Import library…" }</button>
                </div>
            </div>
            { usage.unwrap_or_default() }
            if props.entries.is_empty() {
                <p class="aa-empty">{ "No articles yet. Use New article to paste one, or open (or drop) a .txt, .md or .html file." }</p>
            }
            <ul class="aa-doc-list">
                { for props.entries.iter().map(|entry| {
                    let id = entry.id.clone();
                    let is_open = props.open_id.as_str() == entry.id;
                    let details = format!(
                        "{} · {} tagged · changed {}",
                        entry.sentences.map_or_else(|| "sentences unknown".to_owned(), |n| format!("{n} sentence{}", if n == 1 { "" } else { "s" })),
                        entry.tagged,
                        when(&entry.modified),
                    );
                    html! {
                        <li class="aa-doc" key={entry.id.clone()} data-doc-id={entry.id.clone()}>
                            if renaming.as_deref() == Some(entry.id.as_str()) {
                                <form class="aa-rename" onsubmit={rename_done(id.clone())}>
                                    <label class="aa-visually-hidden" for="aa-rename-input">{ "New title" }</label>
                                    <input id="aa-rename-input" class="aa-input" ref={rename_input.clone()} value={entry.title.clone()} maxlength="200"
                                        onkeydown={{
                                            let renaming = renaming.clone();
                                            Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { renaming.set(None) })
                                        }} />
                                    <button type="submit" class="aa-button aa-primary">{ "Save" }</button>
                                    <button type="button" class="aa-button" onclick={{ let r = renaming.clone(); move |_| r.set(None) }}>{ "Cancel" }</button>
                                </form>
                            } else if entry.has_text {
                                <button type="button" class="aa-doc-open" onclick={props.on_open.reform({ let id = id.clone(); move |_: MouseEvent| id.clone() })}>
                                    { &entry.title }
                                </button>
                            } else {
                                <span class="aa-doc-title">{ &entry.title }</span>
                            }
                            if is_open {
                                <span class="aa-doc-badge">{ "open" }</span>
                            }
                            <div class="aa-doc-details">
                                if let Some(source) = &entry.source {
                                    <span class="aa-doc-source">{ source }</span>
                                }
                                <span>{ details }</span>
                                if !entry.has_text {
                                    <span>{ "Its text is not kept in this browser: open it from its page or file." }</span>
                                }
                                if let Some(problem) = &entry.problem {
                                    <span class="aa-doc-problem">{ format!("Its saved tags cannot be read ({problem}); Export all keeps them as they are.") }</span>
                                }
                            </div>
                            if confirming.as_deref() == Some(entry.id.as_str()) {
                                <div class="aa-confirm" role="alertdialog" aria-label="Confirm deletion">
                                    <span>{ format!("Delete “{}” and its {} tag{}?", entry.title, entry.tagged, if entry.tagged == 1 { "" } else { "s" }) }</span>
                                    <button type="button" class="aa-button aa-danger" onclick={{
                                        let (confirming, on_delete, id) = (confirming.clone(), props.on_delete.clone(), id.clone());
                                        move |_| { confirming.set(None); on_delete.emit(id.clone()); }
                                    }}>{ "Delete" }</button>
                                    <button type="button" class="aa-button" onclick={{ let c = confirming.clone(); move |_| c.set(None) }}>{ "Keep it" }</button>
                                </div>
                            } else if renaming.as_deref() != Some(entry.id.as_str()) {
                                <div class="aa-doc-actions">
                                    if entry.has_text {
                                        <button type="button" class="aa-button" aria-label={format!("Rename “{}”", entry.title)}
                                            onclick={{ let (r, id) = (renaming.clone(), id.clone()); move |_| r.set(Some(id.clone())) }}>{ "Rename" }</button>
                                    }
                                    <button type="button" class="aa-button" aria-label={format!("Delete “{}”", entry.title)}
                                        onclick={{ let (c, id) = (confirming.clone(), id.clone()); move |_| c.set(Some(id.clone())) }}>{ "Delete" }</button>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
