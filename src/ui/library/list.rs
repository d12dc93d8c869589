//! The library list: every document in this browser, newest first, with open,
//! rename and delete (after a confirmation).

use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::core::codec::table::Table;
use crate::core::i18n::Locale;
use crate::core::store::clock::parse_rfc3339;
use crate::ui::locale::use_locale;
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

/// A moment as the library shows it: in the reader's language (`Locale::date_time`)
/// and time zone (the browser's offset at that moment).
fn when(rfc3339: &str, l: &Locale) -> String {
    if rfc3339.is_empty() {
        return l.t("library.never").to_owned();
    }
    let Some(millis) = parse_rfc3339(rfc3339) else { return rfc3339.to_owned() };
    // getTimezoneOffset counts minutes west of UTC.
    let west = js_sys::Date::new(&JsValue::from_f64(millis as f64)).get_timezone_offset();
    let east = if west.is_finite() { -west as i32 } else { 0 };
    l.date_time(millis, east)
}

/// The list, the storage gauge and the library-wide actions.
#[component(LibraryList)]
pub fn library_list(props: &ListProps) -> Html {
    let l = use_locale();
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
                <meter min="0" max="100" low="70" high="90" optimum="0" value={meter} aria-label={l.t("library.storage_used")}></meter>
                <span>{ usage.describe(&l) }</span>
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
                <h2 id="aa-library-title" class="aa-library-title">{ l.t("library.title") }</h2>
                <div class="aa-actions">
                    <button type="button" class="aa-button" data-action="export-all" title={l.t("library.export_all.title")}
                        onclick={props.on_export_all.reform(|_: MouseEvent| ())}>{ l.t("library.export_all") }</button>
                    <button type="button" class="aa-button" data-action="export-all-csv" title={l.t("library.export_all_csv.title")}
                        onclick={props.on_export_tables.reform(|_: MouseEvent| Table::Csv)}>{ l.t("library.export_all_csv") }</button>
                    <button type="button" class="aa-button" data-action="export-all-jsonl" title={l.t("library.export_all_jsonl.title")}
                        onclick={props.on_export_tables.reform(|_: MouseEvent| Table::Jsonl)}>{ l.t("library.export_all_jsonl") }</button>
                    <button type="button" class="aa-button" data-action="import-all" title={l.t("library.import_all.title")}
                        onclick={props.on_import_all.reform(|_: MouseEvent| ())}>{ l.t("library.import_all") }</button>
                </div>
            </div>
            { usage.unwrap_or_default() }
            if props.entries.is_empty() {
                <p class="aa-empty">{ l.t("library.empty") }</p>
            }
            <ul class="aa-doc-list">
                { for props.entries.iter().map(|entry| {
                    let id = entry.id.clone();
                    let is_open = props.open_id.as_str() == entry.id;
                    let details = l.f(
                        "library.details",
                        &[
                            ("sentences", &entry.sentences.map_or_else(|| l.t("library.sentences_unknown").to_owned(), |n| l.n("library.sentences", n, &[]))),
                            ("tagged", &l.count(entry.tagged)),
                            ("when", &when(&entry.modified, &l)),
                        ],
                    );
                    html! {
                        <li class="aa-doc" key={entry.id.clone()} data-doc-id={entry.id.clone()}>
                            if renaming.as_deref() == Some(entry.id.as_str()) {
                                <form class="aa-rename" onsubmit={rename_done(id.clone())}>
                                    <label class="aa-visually-hidden" for="aa-rename-input">{ l.t("library.rename.new_title") }</label>
                                    <input id="aa-rename-input" class="aa-input" ref={rename_input.clone()} value={entry.title.clone()} maxlength="200"
                                        onkeydown={{
                                            let renaming = renaming.clone();
                                            Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { renaming.set(None) })
                                        }} />
                                    <button type="submit" class="aa-button aa-primary" data-action="save-title">{ l.t("library.rename.save") }</button>
                                    <button type="button" class="aa-button" data-action="cancel" onclick={{ let r = renaming.clone(); move |_| r.set(None) }}>{ l.t("dialog.cancel") }</button>
                                </form>
                            } else if entry.has_text {
                                <button type="button" class="aa-doc-open" data-action="open" onclick={props.on_open.reform({ let id = id.clone(); move |_: MouseEvent| id.clone() })}>
                                    { &entry.title }
                                </button>
                            } else {
                                <span class="aa-doc-title">{ &entry.title }</span>
                            }
                            if is_open {
                                <span class="aa-doc-badge">{ l.t("library.open_badge") }</span>
                            }
                            <div class="aa-doc-details">
                                if let Some(source) = &entry.source {
                                    <span class="aa-doc-source">{ source }</span>
                                }
                                <span>{ details }</span>
                                if !entry.has_text {
                                    <span>{ l.t("library.text_not_kept") }</span>
                                }
                                if let Some(problem) = &entry.problem {
                                    <span class="aa-doc-problem">{ l.f("library.entry_unreadable", &[("problem", problem)]) }</span>
                                }
                            </div>
                            if confirming.as_deref() == Some(entry.id.as_str()) {
                                <div class="aa-confirm" role="alertdialog" aria-label={l.t("library.delete.confirm_label")}>
                                    <span>{ l.n("library.delete.confirm", entry.tagged, &[("title", &entry.title)]) }</span>
                                    <button type="button" class="aa-button aa-danger" data-action="confirm-delete" onclick={{
                                        let (confirming, on_delete, id) = (confirming.clone(), props.on_delete.clone(), id.clone());
                                        move |_| { confirming.set(None); on_delete.emit(id.clone()); }
                                    }}>{ l.t("library.delete") }</button>
                                    <button type="button" class="aa-button" data-action="keep" onclick={{ let c = confirming.clone(); move |_| c.set(None) }}>{ l.t("library.delete.keep") }</button>
                                </div>
                            } else if renaming.as_deref() != Some(entry.id.as_str()) {
                                <div class="aa-doc-actions">
                                    if entry.has_text {
                                        <button type="button" class="aa-button" data-action="rename" aria-label={l.f("library.rename.label", &[("title", &entry.title)])}
                                            onclick={{ let (r, id) = (renaming.clone(), id.clone()); move |_| r.set(Some(id.clone())) }}>{ l.t("library.rename") }</button>
                                    }
                                    <button type="button" class="aa-button" data-action="delete" aria-label={l.f("library.delete.label", &[("title", &entry.title)])}
                                        onclick={{ let (c, id) = (confirming.clone(), id.clone()); move |_| c.set(Some(id.clone())) }}>{ l.t("library.delete") }</button>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
