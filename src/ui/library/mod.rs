//! The library around the annotator: bring an article in (paste, open or drop a file,
//! fetch), list every document annotated in this browser, open, rename, delete with
//! undo, export and import them all, and keep the open document and focused sentence
//! in the page URL. What to do is decided by `core::library` and `core::codec::library`;
//! this component reads storage, renders, and writes what they decide.

mod list;
mod new_article;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app::{Annotator, AnnotatorProps};
use super::prepare;
use crate::core::codec::{self, library as file, split};
use crate::core::error::DecodeError;
use crate::core::intake::{self, IntakeError, Kind, MAX_ARTICLE_BYTES};
use crate::core::library::{self, DocMeta, Route, Usage};
use crate::core::model::Document;
use crate::core::time::rfc3339_from_millis;
use crate::platform::files::{self, ReadError};
use crate::platform::{download, html, now_ms, page, storage};
use list::LibraryList;
use new_article::{NewArticle, NewArticleDialog};

/// The host's article and how to show it, plus its title for the library.
#[derive(Properties, PartialEq, Clone)]
pub struct LibraryProps {
    /// The host's article (shown first) and everything the annotator needs.
    pub article: AnnotatorProps,
    /// The host's title for its article.
    #[prop_or_default]
    pub title: Option<AttrValue>,
}

/// The document on screen.
#[derive(Clone, PartialEq)]
struct Open {
    doc: Rc<Document>,
    source: Option<AttrValue>,
    focus: Option<usize>,
    /// What the bar shows (read when the document is opened, or renamed).
    title: String,
}

/// A message above the article or the list.
#[derive(Clone, PartialEq)]
struct Message {
    text: String,
    error: bool,
}

impl Message {
    fn info(text: impl Into<String>) -> Option<Self> {
        Some(Self { text: text.into(), error: false })
    }
    fn error(text: impl Into<String>) -> Option<Self> {
        Some(Self { text: text.into(), error: true })
    }
}

/// A deleted document, kept for a few seconds so the reader can undo.
#[derive(Clone, PartialEq)]
struct Deleted {
    title: String,
    values: Vec<(String, String)>,
}

/// A library file read and planned, waiting for the reader's go-ahead.
#[derive(Clone, PartialEq)]
struct PendingImport {
    file_name: String,
    plan: Rc<file::ImportPlan>,
}

/// How long "Undo" stays after a deletion.
const UNDO_MS: u32 = 10_000;

fn pairs(items: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    items.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// A stored value as the library's import reads it: a document stored in parts is
/// read whole, as one envelope.
fn stored_whole(items: &[(String, String)], key: &str) -> Option<String> {
    let raw = items.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())?;
    let whole = match library::parse_key(key) {
        Some((library::Part::Annotations, id)) => split::whole_envelope(&pairs(items).collect::<Vec<_>>(), id),
        _ => None,
    };
    Some(whole.unwrap_or(raw))
}

/// A document's library entry, if it has a readable one.
fn read_meta(id: &str) -> Option<DocMeta> {
    storage::read(&library::meta_key(id)).ok().flatten().and_then(|raw| serde_json::from_str(&raw).ok())
}

/// The title a document is shown by: its entry's, else its first line.
fn title_of(doc: &Document) -> String {
    read_meta(&doc.id).map_or_else(|| library::title_from_text(&doc.text), |m| m.title)
}

/// Keeps a text in the library with its entry: the text only when there is room
/// for it (annotations come first), the entry always. What went wrong, if anything.
fn remember(doc: &Document, title: &str, source: Option<&str>, replace_text: bool) -> Result<(), String> {
    let text_key = library::text_key(&doc.id);
    let stored_text = storage::read(&text_key).map_err(|e| e.to_string())?;
    let old_meta = read_meta(&doc.id);
    let mut problem = None;
    if stored_text.is_none() || (replace_text && stored_text.as_deref() != Some(doc.text.as_str())) {
        // Only a text about to be written needs the whole of storage measured.
        let items = storage::entries().map_err(|e| e.to_string())?;
        let usage = Usage::of(pairs(&items).filter(|(k, _)| *k != text_key));
        if usage.has_room_for_text(&text_key, doc.text.chars().count()) {
            storage::write(&text_key, &doc.text).map_err(|e| e.to_string())?;
        } else {
            problem = Some("its text is too long to keep in this browser's storage next to your tags, so the library lists it but cannot reopen it: keep its file".to_owned());
        }
    }
    let meta = DocMeta {
        title: old_meta.as_ref().map_or_else(|| title.to_owned(), |m| m.title.clone()),
        source: source.map(str::to_owned).or_else(|| old_meta.as_ref().and_then(|m| m.source.clone())),
        added: old_meta.as_ref().map_or_else(|| rfc3339_from_millis(now_ms()), |m| m.added.clone()),
        sentences: doc.sentences().len(),
    };
    if old_meta.as_ref() != Some(&meta) {
        storage::write(&library::meta_key(&doc.id), &serde_json::to_string(&meta).unwrap_or_default()).map_err(|e| e.to_string())?;
    }
    problem.map_or(Ok(()), Err)
}

/// The whole library widget.
#[component(Library)]
pub fn library_view(props: &LibraryProps) -> Html {
    let host = props.article.doc.clone();
    let host_source = props.article.source.clone();
    let host_title = props.title.as_ref().map_or_else(|| library::title_from_text(&host.text), |t| t.to_string());
    let message = use_state(|| None::<Message>);
    // The host's article joins the library when the widget starts.
    {
        let (host, title, source, message) = (host.clone(), host_title.clone(), host_source.clone(), message.clone());
        use_effect_with((), move |()| {
            if let Err(problem) = remember(&host, &title, source.as_deref(), true) {
                message.set(Message::info(format!("This article is not kept in the library: {problem}.")));
            }
        });
    }
    let open = use_state(|| {
        // A link to a sentence of the host's article focuses it from the start.
        let focus = match library::parse_route(&page::fragment()) {
            Some(Route::Document { id, sentence }) if id == host.id => sentence,
            _ => None,
        };
        Open { doc: host.clone(), source: host_source.clone(), focus, title: host_title.clone() }
    });
    let list_visible = use_state(|| false);
    let preparing = use_state(|| None::<String>);
    let adding = use_state(|| false);
    let list_revision = use_state(|| 0u32);
    let deleted = use_state(|| None::<Deleted>);
    let undo_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let url_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let pending_import = use_state(|| None::<PendingImport>);
    let article_input = use_node_ref();
    let library_input = use_node_ref();
    // The latest open id, for listeners made once.
    let current = use_mut_ref(String::new);
    *current.borrow_mut() = open.doc.id.clone();
    let bridge = props.article.bridge.clone();

    // Opening a document: its text from storage, segmented without freezing the page.
    let open_doc = {
        let (open, list_visible, preparing, message, host, host_source, host_title) =
            (open.clone(), list_visible.clone(), preparing.clone(), message.clone(), host.clone(), host_source.clone(), host_title.clone());
        Callback::from(move |(id, focus, push): (String, Option<usize>, bool)| {
            page::set_fragment(&library::route_fragment(&Route::Document { id: id.clone(), sentence: focus }), push);
            if id == host.id {
                open.set(Open { doc: host.clone(), source: host_source.clone(), focus, title: host_title.clone() });
                list_visible.set(false);
                return;
            }
            let text = match storage::read(&library::text_key(&id)) {
                Ok(Some(text)) => text,
                Ok(None) => return message.set(Message::error(format!("The article “{id}” is not kept in this browser's library."))),
                Err(error) => return message.set(Message::error(format!("The library cannot be read: {error}."))),
            };
            let meta = read_meta(&id);
            let title = meta.as_ref().map_or_else(|| library::title_from_text(&text), |m| m.title.clone());
            let (open, list_visible, preparing) = (open.clone(), list_visible.clone(), preparing.clone());
            let source = meta
                .and_then(|m| m.source)
                .or_else(|| page::page_url().map(|url| format!("{url}{}", library::route_fragment(&Route::Document { id: id.clone(), sentence: None }))));
            preparing.set(Some(format!("Opening “{title}”…")));
            wasm_bindgen_futures::spawn_local(async move {
                let progress = |share: f64| preparing.set(Some(format!("Opening “{title}”… {:.0}%", share * 100.0)));
                if let Some(doc) = prepare::document(id, text, progress, || false).await {
                    open.set(Open { doc: Rc::new(doc), source: source.map(Into::into), focus, title });
                    list_visible.set(false);
                }
                preparing.set(None);
            });
        })
    };

    // Adding a text: it is stored (when there is room) and opened; the same text again
    // finds its id, so its tags come back.
    let add_text = {
        let (open_doc, message, preparing, adding) = (open_doc.clone(), message.clone(), preparing.clone(), adding.clone());
        Callback::from(move |article: NewArticle| {
            let id = library::id_for_text(&article.text);
            let known = storage::read(&library::text_key(&id)).ok().flatten().is_some();
            adding.set(false);
            if known {
                message.set(Message::info("You have this article in your library already: it opens with your tags."));
                return open_doc.emit((id, None, true));
            }
            let title = article.title.clone().unwrap_or_else(|| library::title_from_text(&article.text));
            let (open_doc, message, preparing) = (open_doc.clone(), message.clone(), preparing.clone());
            preparing.set(Some(format!("Preparing “{title}”…")));
            wasm_bindgen_futures::spawn_local(async move {
                let progress = |share: f64| preparing.set(Some(format!("Preparing “{title}”… {:.0}%", share * 100.0)));
                let Some(doc) = prepare::document(id.clone(), article.text, progress, || false).await else { return };
                preparing.set(None);
                if doc.sentences().is_empty() {
                    return message.set(Message::error("That text has no sentences to annotate. Nothing was added."));
                }
                match remember(&doc, &title, article.source.as_deref(), false) {
                    Ok(()) => {
                        message.set(Message::info(format!("“{title}” is in your library: {} sentences.", doc.sentences().len())));
                        open_doc.emit((id, None, true));
                    }
                    Err(problem) => message.set(Message::error(format!("“{title}” could not be added: {problem}. Nothing was changed."))),
                }
            });
        })
    };

    // A file picked or dropped: checked, decoded, HTML and Markdown made readable.
    let open_file = {
        let (add_text, message) = (add_text.clone(), message.clone());
        Callback::from(move |file: web_sys::File| {
            let (add_text, message) = (add_text.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let bytes = match files::read_bytes(&file, MAX_ARTICLE_BYTES).await {
                    Ok(bytes) => bytes,
                    Err(ReadError::TooLarge(size)) => {
                        let error = IntakeError::TooLarge { name, size_mb: intake::TenthsMb(size * 10 / 1_048_576), limit_mb: MAX_ARTICLE_BYTES / 1_048_576 };
                        return message.set(Message::error(format!("{error}. Nothing was changed.")));
                    }
                    Err(ReadError::Failed(reason)) => return message.set(Message::error(format!("“{name}” could not be read ({reason}). Nothing was changed."))),
                };
                let decoded = intake::decode_file(&name, &bytes).and_then(|f| {
                    let (text, title) = match f.kind {
                        Kind::Text => (f.text, None),
                        Kind::Markdown => (intake::markdown_to_text(&f.text), None),
                        Kind::Html => html::readable_text(&f.text).map(|p| (p.text, p.title)).map_err(|_| IntakeError::OnlyMarkup { name: name.clone() })?,
                    };
                    if text.trim().is_empty() {
                        return Err(if f.kind == Kind::Text { IntakeError::Empty { name: name.clone() } } else { IntakeError::OnlyMarkup { name: name.clone() } });
                    }
                    Ok((text, title))
                });
                match decoded {
                    Ok((text, title)) => add_text.emit(NewArticle { text, title, source: None }),
                    Err(error) => message.set(Message::error(format!("{error}. Nothing was changed."))),
                }
            });
        })
    };

    // Back and forward (and links to a document or sentence) move between documents.
    {
        let (open_doc, list_visible, current, host) = (open_doc.clone(), list_visible.clone(), current.clone(), host.clone());
        use_effect_with((), move |()| {
            let follow = move || match library::parse_route(&page::fragment()) {
                Some(Route::Library) => list_visible.set(true),
                Some(Route::Document { id, sentence }) if id != *current.borrow() => open_doc.emit((id, sentence, false)),
                Some(Route::Document { .. }) => list_visible.set(false),
                None if *current.borrow() != host.id => open_doc.emit((host.id.clone(), None, false)),
                None => list_visible.set(false),
            };
            follow();
            let listeners = page::on_fragment_change(follow);
            move || drop(listeners)
        });
    }
    // Another tab's change to the library shows in the list.
    {
        let list_revision = list_revision.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "storage", move |event| {
                    let ours = event
                        .dyn_ref::<web_sys::StorageEvent>()
                        .is_some_and(|e| e.key().is_none_or(|k| k.starts_with(library::KEY_PREFIX)));
                    if ours {
                        list_revision.set(*list_revision + 1);
                    }
                })
            });
            move || drop(listener)
        });
    }

    let show_list = {
        let (list_visible, list_revision, bridge) = (list_visible.clone(), list_revision.clone(), bridge.clone());
        Callback::from(move |()| {
            bridge.0.flush();
            page::set_fragment(&library::route_fragment(&Route::Library), true);
            list_revision.set(*list_revision + 1);
            list_visible.set(true);
        })
    };
    let back_to_article = {
        let (open_doc, open) = (open_doc.clone(), open.clone());
        Callback::from(move |()| open_doc.emit((open.doc.id.clone(), None, true)))
    };
    let on_focus = {
        let (url_timer, id) = (url_timer.clone(), open.doc.id.clone());
        use_callback(id, move |sentence: usize, id| {
            // The URL follows the focus a moment later, so fast key presses do not flood the history API.
            let fragment = library::route_fragment(&Route::Document { id: id.clone(), sentence: Some(sentence) });
            *url_timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(300, move || page::set_fragment(&fragment, false)));
        })
    };
    let on_rename = {
        let (list_revision, message, open) = (list_revision.clone(), message.clone(), open.clone());
        Callback::from(move |(id, title): (String, String)| {
            let Some(title) = library::clean_title(&title) else { return };
            let key = library::meta_key(&id);
            let Some(mut meta) = read_meta(&id) else { return message.set(Message::error("This document cannot be renamed: its library entry is missing.")) };
            meta.title = title;
            if let Err(error) = storage::write(&key, &serde_json::to_string(&meta).unwrap_or_default()) {
                message.set(Message::error(format!("Renaming failed: {error}.")));
            } else if open.doc.id == id {
                open.set(Open { title: title_of(&open.doc), ..(*open).clone() });
            }
            list_revision.set(*list_revision + 1);
        })
    };
    let on_delete = {
        let (deleted, undo_timer, list_revision, message, open, host, host_source, host_title) = (
            deleted.clone(),
            undo_timer.clone(),
            list_revision.clone(),
            message.clone(),
            open.clone(),
            host.clone(),
            host_source.clone(),
            host_title.clone(),
        );
        Callback::from(move |id: String| {
            let items = storage::entries().unwrap_or_default();
            let keys = library::keys_of(items.iter().map(|(k, _)| k.as_str()), &id);
            let values: Vec<(String, String)> = items.into_iter().filter(|(k, _)| keys.contains(k)).collect();
            let title = values
                .iter()
                .find(|(k, _)| *k == library::meta_key(&id))
                .and_then(|(_, raw)| serde_json::from_str::<DocMeta>(raw).ok())
                .map_or_else(|| id.clone(), |m| m.title);
            if let Some(error) = keys.iter().find_map(|k| storage::remove(k).err()) {
                message.set(Message::error(format!("Deleting failed: {error}.")));
            }
            if open.doc.id == id && id != host.id {
                open.set(Open { doc: host.clone(), source: host_source.clone(), focus: None, title: host_title.clone() });
            }
            deleted.set(Some(Deleted { title, values }));
            let deleted = deleted.clone();
            *undo_timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(UNDO_MS, move || deleted.set(None)));
            list_revision.set(*list_revision + 1);
        })
    };
    let on_undo_delete = {
        let (deleted, list_revision, message) = (deleted.clone(), list_revision.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(gone) = &*deleted {
                if let Some(error) = gone.values.iter().find_map(|(k, v)| storage::write(k, v).err()) {
                    message.set(Message::error(format!("“{}” could not be restored: {error}.", gone.title)));
                }
            }
            deleted.set(None);
            list_revision.set(*list_revision + 1);
        })
    };
    let on_export_all = {
        let (message, bridge) = (message.clone(), bridge.clone());
        Callback::from(move |()| {
            bridge.0.flush();
            let result = storage::entries().map_err(|e| e.to_string()).and_then(|items| {
                let documents = file::documents_of(pairs(&items));
                let now = rfc3339_from_millis(now_ms());
                let name = format!("article-annotator-library-{}.json", now.get(..10).unwrap_or("export"));
                download::download(&name, "application/json", &file::encode(&documents, &now)).map(|()| documents.len())
            });
            match result {
                Ok(count) => message.set(Message::info(format!("Exported {count} document{} with their texts and tags.", if count == 1 { "" } else { "s" }))),
                Err(error) => message.set(Message::error(format!("Export all failed: {error}."))),
            }
        })
    };
    let read_library_file = {
        let (message, pending_import, labels) = (message.clone(), pending_import.clone(), props.article.labels.clone());
        Callback::from(move |picked: web_sys::File| {
            let (message, pending_import, labels) = (message.clone(), pending_import.clone(), labels.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = picked.name();
                let raw = match files::read_text(picked, file::MAX_LIBRARY_BYTES).await {
                    Ok(raw) => raw,
                    Err(problem) => return message.set(Message::error(format!("{problem}. Nothing was changed."))),
                };
                match file::decode(&raw) {
                    Ok(decoded) => {
                        let items = storage::entries().unwrap_or_default();
                        let plan = file::plan_import(decoded, |key| stored_whole(&items, key), &labels, &rfc3339_from_millis(now_ms()));
                        if plan.changes_anything() || !plan.problems.is_empty() {
                            pending_import.set(Some(PendingImport { file_name: name, plan: Rc::new(plan) }));
                        } else {
                            message.set(Message::info(format!("Everything in “{name}” is in your library already. Nothing was changed.")));
                        }
                    }
                    Err(DecodeError::NotOurs) if codec::native::decode(&raw).is_ok() => message.set(Message::error(format!(
                        "“{name}” holds one article's tags, not a library: open that article and use Import in its toolbar. Nothing was changed."
                    ))),
                    Err(error) => message.set(Message::error(format!("“{name}” cannot be imported as a library: {error}. Nothing was changed."))),
                }
            });
        })
    };
    let on_confirm_import = {
        let (pending_import, message, list_revision) = (pending_import.clone(), message.clone(), list_revision.clone());
        Callback::from(move |go: bool| {
            if let (true, Some(pending)) = (go, &*pending_import) {
                let total = pending.plan.writes.len();
                let failed = pending.plan.writes.iter().enumerate().find_map(|(n, (k, v))| storage::write(k, v).err().map(|e| (n, e)));
                // A document written whole again no longer needs the parts it was stored in;
                // one whose write did not happen keeps them (its head still counts them).
                let written = &pending.plan.writes[..failed.as_ref().map_or(total, |(n, _)| *n)];
                let keys: Vec<String> = storage::entries().unwrap_or_default().into_iter().map(|(k, _)| k).collect();
                for (key, _) in written {
                    let Some((library::Part::Annotations, id)) = library::parse_key(key) else { continue };
                    for stale in library::keys_of(keys.iter().map(String::as_str), id) {
                        if matches!(library::parse_key(&stale), Some((library::Part::Piece(_), _))) {
                            let _ = storage::remove(&stale);
                        }
                    }
                }
                let counts = summary_of(&pending.plan);
                message.set(match failed {
                    None => Message::info(format!("Imported “{}”: {counts}.", pending.file_name)),
                    Some((done, error)) => Message::error(format!(
                        "The import stopped: {error}. {done} of {total} items were written (each whole, nothing half-written); free some space (delete or export documents) and import again: what is already here is merged, not doubled."
                    )),
                });
                list_revision.set(*list_revision + 1);
            }
            pending_import.set(None);
        })
    };
    let click = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |()| {
            if let Some(input) = input.cast::<web_sys::HtmlElement>() {
                input.click();
            }
        })
    };
    let on_article_picked = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::picked_file(&e) {
                open_file.emit(file);
            }
        })
    };
    let on_library_picked = {
        let read_library_file = read_library_file.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::picked_file(&e) {
                read_library_file.emit(file);
            }
        })
    };
    let ondrop = {
        let (open_file, read_library_file, list_visible) = (open_file.clone(), read_library_file.clone(), list_visible.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(dropped) = files::dropped_file(&e) else { return };
            if *list_visible && files::is_annotation_file(&dropped) {
                read_library_file.emit(dropped);
            } else {
                open_file.emit(dropped);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());

    // The list is read from storage only while it is shown.
    let listing = use_memo((*list_visible, *list_revision), |(visible, _)| {
        if !*visible {
            return Ok((Rc::new(Vec::new()), None));
        }
        storage::entries().map(|items| (Rc::new(library::entries(pairs(&items))), Some(Usage::of(pairs(&items)))))
    });
    let title_of_open = open.title.clone();

    html! {
        <div class="aa-library-root" {ondrop} {ondragover}>
            <nav class="aa-library-bar" aria-label="Articles">
                if *list_visible {
                    <button type="button" class="aa-button" onclick={back_to_article.reform(|_: MouseEvent| ())}>{ "Back to the article" }</button>
                } else {
                    <button type="button" class="aa-button" onclick={show_list.reform(|_: MouseEvent| ())}>{ "Library" }</button>
                }
                <button type="button" class="aa-button" onclick={{ let adding = adding.clone(); move |_: MouseEvent| adding.set(true) }}>{ "New article" }</button>
                <button type="button" class="aa-button" title="Open a .txt, .md or .html file (or drop it here)"
                    onclick={click(&article_input).reform(|_: MouseEvent| ())}>{ "Open file…" }</button>
                if !*list_visible {
                    <span class="aa-open-title" title={title_of_open.clone()}>{ title_of_open }</span>
                }
            </nav>
            <input type="file" class="aa-file-input aa-article-file" ref={article_input} tabindex="-1" aria-hidden="true"
                accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html" onchange={on_article_picked} />
            <input type="file" class="aa-file-input aa-library-file" ref={library_input.clone()} tabindex="-1" aria-hidden="true"
                accept=".json,application/json" onchange={on_library_picked} />
            if let Some(message_now) = &*message {
                <div class={classes!("aa-notice", message_now.error.then_some("aa-notice-error"))} role={if message_now.error { "alert" } else { "status" }}>
                    <span>{ &message_now.text }</span>
                    <button type="button" class="aa-button" onclick={{ let m = message.clone(); move |_: MouseEvent| m.set(None) }}>{ "Dismiss" }</button>
                </div>
            }
            if let Some(gone) = &*deleted {
                <div class="aa-notice aa-undo-delete" role="status">
                    <span>{ format!("Deleted “{}”.", gone.title) }</span>
                    <button type="button" class="aa-button aa-primary" onclick={on_undo_delete}>{ "Undo" }</button>
                </div>
            }
            if *adding {
                <NewArticleDialog on_add={add_text} on_cancel={{ let adding = adding.clone(); Callback::from(move |()| adding.set(false)) }} />
            }
            if let Some(pending) = &*pending_import {
                { import_preview(pending, on_confirm_import) }
            }
            if let Some(status) = &*preparing {
                <p class="aa-loading" role="status">{ status }</p>
            }
            if *list_visible {
                { match &*listing {
                    Ok((entries, usage)) => html! {
                        <LibraryList
                            entries={entries.clone()}
                            usage={*usage}
                            open_id={AttrValue::from(open.doc.id.clone())}
                            on_open={open_doc.reform(|id: String| (id, None, true))}
                            {on_rename}
                            {on_delete}
                            {on_export_all}
                            on_import_all={click(&library_input)}
                        />
                    },
                    Err(error) => html! {
                        <p class="aa-notice aa-notice-error" role="alert">{ format!("The library is unavailable: {error}. Articles you add stay open on this page only; use Export JSON to keep their tags.") }</p>
                    },
                } }
            } else {
                <Annotator
                    key={open.doc.id.clone()}
                    doc={open.doc.clone()}
                    labels={props.article.labels.clone()}
                    source={open.source.clone()}
                    read_only={props.article.read_only}
                    storage={props.article.storage}
                    widget={props.article.widget}
                    bridge={bridge.clone()}
                    initial_focus={open.focus}
                    on_focus={Some(on_focus)}
                    on_other_file={Some(open_file)}
                />
            }
        </div>
    }
}

/// "2 added, 1 merged (3 new tags, 1 updated), 1 unchanged".
fn summary_of(plan: &file::ImportPlan) -> String {
    let mut added = 0;
    let (mut merged, mut new, mut updated, mut unchanged) = (0, 0, 0, 0);
    for doc in &plan.documents {
        match doc.outcome {
            file::Outcome::Added => added += 1,
            file::Outcome::Merged { new: n, updated: u } => {
                merged += 1;
                new += n;
                updated += u;
            }
            file::Outcome::Unchanged | file::Outcome::LeftAlone => unchanged += 1,
        }
    }
    format!("{added} document{} added, {merged} merged ({new} new tag{}, {updated} updated), {unchanged} unchanged", if added == 1 { "" } else { "s" }, if new == 1 { "" } else { "s" })
}

fn import_preview(pending: &PendingImport, on_choose: Callback<bool>) -> Html {
    let plan = &pending.plan;
    let line = |doc: &file::DocumentPlan| {
        let what = match doc.outcome {
            file::Outcome::Added => "new: added".to_owned(),
            file::Outcome::Merged { new, updated } => format!("merged: {new} new tag{}, {updated} updated by a newer version in the file", if new == 1 { "" } else { "s" }),
            file::Outcome::Unchanged => "already here: unchanged".to_owned(),
            file::Outcome::LeftAlone => "its saved tags here cannot be read: left alone".to_owned(),
        };
        let text = if doc.text_differs { " (the file has another text under this id: yours is kept)" } else { "" };
        html! { <li data-doc-id={doc.id.clone()}><strong>{ &doc.title }</strong>{ format!(": {what}{text}") }</li> }
    };
    let onkeydown = {
        let on_choose = on_choose.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() == "Escape" {
                on_choose.emit(false);
            }
        })
    };
    html! {
        <div class="aa-dialog aa-library-import" role="dialog" aria-labelledby="aa-library-import-title" {onkeydown}>
            <h2 id="aa-library-import-title" class="aa-dialog-title">{ format!("Import library “{}”", pending.file_name) }</h2>
            <p class="aa-import-summary">{ format!("{}. Your newer work is never replaced: for each tag, the newer version wins.", summary_of(plan)) }</p>
            <ul class="aa-import-documents">{ for plan.documents.iter().map(line) }</ul>
            if !plan.problems.is_empty() {
                <ul class="aa-problems" aria-label="Skipped items">
                    { for plan.problems.iter().take(50).map(|p| html! { <li><code>{ &p.path }</code>{ ": " }{ &p.message }</li> }) }
                </ul>
            }
            <div class="aa-dialog-actions">
                if plan.changes_anything() {
                    <button type="button" class="aa-button aa-primary" onclick={on_choose.reform(|_: MouseEvent| true)}>{ "Import" }</button>
                }
                <button type="button" class="aa-button" onclick={on_choose.reform(|_: MouseEvent| false)}>{ "Cancel" }</button>
            </div>
        </div>
    }
}
