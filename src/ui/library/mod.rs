//! The library around the annotator: bring an article in (paste, open or drop a file,
//! fetch), list every document annotated in this browser, open, rename, delete with
//! undo, export and import them all, and keep the open document and focused sentence
//! in the page URL. What to do is decided by `core::library` and `core::codec::library`,
//! storage is read and written by `core::store::library`; what the library shows is a
//! [`Screen`] with a reducer of its own. This component renders it and dispatches.

mod list;
mod new_article;
mod screen;
mod team;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app::{Annotator, AnnotatorProps};
use super::prepare;
use crate::core::codec::table::{self, Table};
use crate::core::codec::{self, library as file};
use crate::core::model::{Annotation, Document};
use crate::core::error::DecodeError;
use crate::core::i18n::Locale;
use crate::core::intake::{self, IntakeError, Kind, MAX_ARTICLE_BYTES};
use crate::core::library::{self, Route};
use crate::core::segment::Lang;
use crate::core::store::library::{self as store, RenameError};
use crate::core::time::rfc3339_from_millis;
use crate::platform::files::{self, ReadError};
use crate::platform::storage::LocalStorage;
use crate::platform::{download, html, now_ms, page};
use list::LibraryList;
use new_article::{NewArticle, NewArticleDialog};
use screen::{Change, Message, Open, PendingImport, Screen};
use team::TeamList;

/// The host's article and how to show it, plus its title for the library.
#[derive(Properties, PartialEq, Clone)]
pub struct LibraryProps {
    /// The host's article (shown first) and everything the annotator needs.
    pub article: AnnotatorProps,
    /// The host's title for its article.
    #[prop_or_default]
    pub title: Option<AttrValue>,
    /// The language the articles brought in are segmented in (the host's).
    #[prop_or_default]
    pub lang: Lang,
}

/// How long "Undo" stays after a deletion.
const UNDO_MS: u32 = 10_000;

fn now() -> String {
    rfc3339_from_millis(now_ms())
}

/// The whole library widget.
#[component(Library)]
pub fn library_view(props: &LibraryProps) -> Html {
    // A copy (two pointers and a tag), so every closure below simply captures it.
    let l: Locale = *props.article.locale;
    let host = props.article.doc.clone();
    let host_source = props.article.source.clone();
    let host_title = props.title.as_ref().map_or_else(|| library::title_or_untitled(&host.text, &l), |t| t.to_string());
    let host_open = {
        let (host, host_source, host_title) = (host.clone(), host_source.clone(), host_title.clone());
        move |focus: Option<usize>| Open { doc: host.clone(), source: host_source.clone(), focus, title: host_title.clone() }
    };
    let screen = {
        let host_open = host_open.clone();
        let host_id = host.id.clone();
        use_reducer(move || {
            // A link to a sentence of the host's article focuses it from the start.
            let focus = match library::parse_route(&page::fragment()) {
                Some(Route::Document { id, sentence }) if id == host_id => sentence,
                _ => None,
            };
            Screen { open: host_open(focus), list_visible: false, preparing: None, adding: false, list_revision: 0, deleted: None, pending_import: None, message: None }
        })
    };
    let say = {
        let screen = screen.dispatcher();
        move |message: Message| screen.dispatch(Change::Say(Some(message)))
    };
    // The host's article joins the library when the widget starts.
    {
        let (host, title, source, say) = (host.clone(), host_title.clone(), host_source.clone(), say.clone());
        use_effect_with((), move |()| {
            if let Err(problem) = store::remember(&mut LocalStorage, &host, &title, source.as_deref(), true, &now()) {
                say(Message::info(l.f("library.not_kept", &[("problem", &problem.describe(&l))])));
            }
        });
    }
    let undo_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let url_timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let article_input = use_node_ref();
    let library_input = use_node_ref();
    // The latest open id, for listeners made once.
    let current = use_mut_ref(String::new);
    *current.borrow_mut() = screen.open.doc.id.clone();
    let bridge = props.article.bridge.clone();
    let dispatch = screen.dispatcher();
    let lang = props.lang;

    // Opening a document: its text from storage, segmented without freezing the page.
    let open_doc = {
        let (dispatch, say, host, host_open) = (dispatch.clone(), say.clone(), host.clone(), host_open.clone());
        Callback::from(move |(id, focus, push): (String, Option<usize>, bool)| {
            page::set_fragment(&library::route_fragment(&Route::Document { id: id.clone(), sentence: focus }), push);
            if id == host.id {
                return dispatch.dispatch(Change::Opened(host_open(focus)));
            }
            let text = match store::text(&LocalStorage, &id) {
                Ok(Some(text)) => text,
                Ok(None) => return say(Message::error(l.f("library.not_in_library", &[("id", &id)]))),
                Err(error) => return say(Message::error(l.f("library.unreadable", &[("error", &error.describe(&l))]))),
            };
            let entry = store::meta(&LocalStorage, &id);
            let title = entry.as_ref().map_or_else(|| library::title_or_untitled(&text, &l), |m| m.title.clone());
            let source = entry
                .and_then(|m| m.source)
                .or_else(|| page::page_url().map(|url| format!("{url}{}", library::route_fragment(&Route::Document { id: id.clone(), sentence: None }))));
            dispatch.dispatch(Change::Preparing(Some(l.f("library.opening", &[("title", &title)]))));
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let progress = |share: f64| dispatch.dispatch(Change::Preparing(Some(l.f("library.opening.progress", &[("title", &title), ("percent", &l.decimal(share * 100.0, 0))]))));
                if let Some(doc) = prepare::document(id, text, lang, prepare::LONG_ARTICLE, progress, || false).await {
                    dispatch.dispatch(Change::Opened(Open { doc: Rc::new(doc), source: source.map(Into::into), focus, title }));
                }
                dispatch.dispatch(Change::Preparing(None));
            });
        })
    };

    // A text kept under `id` (when there is room) and opened, segmented without freezing
    // the page; `announce`: a new article, whose emptiness is refused and whose adding is said.
    let keep_and_open = {
        let (open_doc, say, dispatch) = (open_doc.clone(), say.clone(), dispatch.clone());
        Callback::from(move |(id, text, title, source, announce): (String, String, String, Option<String>, bool)| {
            let (open_doc, say, dispatch) = (open_doc.clone(), say.clone(), dispatch.clone());
            dispatch.dispatch(Change::Preparing(Some(l.f("library.preparing", &[("title", &title)]))));
            wasm_bindgen_futures::spawn_local(async move {
                let progress = |share: f64| dispatch.dispatch(Change::Preparing(Some(l.f("library.preparing.progress", &[("title", &title), ("percent", &l.decimal(share * 100.0, 0))]))));
                let Some(doc) = prepare::document(id.clone(), text, lang, prepare::LONG_ARTICLE, progress, || false).await else { return };
                dispatch.dispatch(Change::Preparing(None));
                if announce && doc.sentences().is_empty() {
                    return say(Message::error(l.t("library.no_sentences")));
                }
                match store::remember(&mut LocalStorage, &doc, &title, source.as_deref(), false, &now()) {
                    Ok(()) => {
                        if announce {
                            say(Message::info(l.n("library.added", doc.sentences().len(), &[("title", &title)])));
                        }
                        open_doc.emit((id, None, true));
                    }
                    Err(problem) => say(Message::error(l.f("library.not_added", &[("title", &title), ("problem", &problem.describe(&l))]))),
                }
            });
        })
    };

    // Adding a text: it is stored (when there is room) and opened; the same text again
    // finds its id, so its tags come back.
    let add_text = {
        let (open_doc, say, dispatch, keep_and_open) = (open_doc.clone(), say.clone(), dispatch.clone(), keep_and_open.clone());
        Callback::from(move |article: NewArticle| {
            let id = library::id_for_text(&article.text);
            let known = store::text(&LocalStorage, &id).ok().flatten().is_some();
            dispatch.dispatch(Change::Adding(false));
            if known {
                say(Message::info(l.t("library.known")));
                return open_doc.emit((id, None, true));
            }
            let title = article.title.clone().unwrap_or_else(|| library::title_or_untitled(&article.text, &l));
            keep_and_open.emit((id, article.text, title, article.source, true));
        })
    };

    // An article of the team database: its text kept here under its own id (so that its
    // tags sync with the team's), then opened.
    let open_team = {
        let open_doc = open_doc.clone();
        Callback::from(move |article: crate::core::sync::engine::TeamText| {
            let id = article.document.clone();
            if store::text(&LocalStorage, &id).ok().flatten().is_some() {
                return open_doc.emit((id, None, true));
            }
            let title = article.title.clone().unwrap_or_else(|| library::title_or_untitled(&article.text, &l));
            keep_and_open.emit((id, article.text, title, None, false));
        })
    };
    let team_settings = crate::ui::hooks::initial_settings(props.article.sync.as_ref(), &props.article.annotator);

    // A file picked or dropped: checked, decoded, HTML and Markdown made readable.
    let open_file = {
        let (add_text, say) = (add_text.clone(), say.clone());
        Callback::from(move |file: web_sys::File| {
            let (add_text, say) = (add_text.clone(), say.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let bytes = match files::read_bytes(&file, MAX_ARTICLE_BYTES).await {
                    Ok(bytes) => bytes,
                    Err(ReadError::TooLarge(size)) => {
                        let error = IntakeError::TooLarge { name, size_mb: intake::TenthsMb(size * 10 / 1_048_576), limit_mb: MAX_ARTICLE_BYTES / 1_048_576 };
                        return say(Message::error(l.f("notice.nothing_changed", &[("message", &error.describe(&l))])));
                    }
                    Err(ReadError::Failed(reason)) => {
                        let reason = reason.unwrap_or_else(|| l.t("file.browser_refused").to_owned());
                        return say(Message::error(l.f("library.file_unreadable", &[("name", &name), ("reason", &reason)])));
                    }
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
                    Err(error) => say(Message::error(l.f("notice.nothing_changed", &[("message", &error.describe(&l))]))),
                }
            });
        })
    };

    // Back and forward (and links to a document or sentence) move between documents.
    {
        let (open_doc, dispatch, current, host) = (open_doc.clone(), dispatch.clone(), current.clone(), host.clone());
        use_effect_with((), move |()| {
            let follow = move || match library::parse_route(&page::fragment()) {
                Some(Route::Library) => dispatch.dispatch(Change::ShowList),
                Some(Route::Document { id, sentence }) if id != *current.borrow() => open_doc.emit((id, sentence, false)),
                Some(Route::Document { .. }) => dispatch.dispatch(Change::HideList),
                None if *current.borrow() != host.id => open_doc.emit((host.id.clone(), None, false)),
                None => dispatch.dispatch(Change::HideList),
            };
            follow();
            let listeners = page::on_fragment_change(follow);
            move || drop(listeners)
        });
    }
    // Another tab's change to the library shows in the list.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "storage", move |event| {
                    let ours = event
                        .dyn_ref::<web_sys::StorageEvent>()
                        .is_some_and(|e| e.key().is_none_or(|k| k.starts_with(library::KEY_PREFIX)));
                    if ours {
                        dispatch.dispatch(Change::StorageChanged);
                    }
                })
            });
            move || drop(listener)
        });
    }

    let show_list = {
        let (dispatch, bridge) = (dispatch.clone(), bridge.clone());
        Callback::from(move |()| {
            bridge.0.flush();
            page::set_fragment(&library::route_fragment(&Route::Library), true);
            dispatch.dispatch(Change::ShowList);
        })
    };
    let back_to_article = {
        let (open_doc, id) = (open_doc.clone(), screen.open.doc.id.clone());
        Callback::from(move |()| open_doc.emit((id.clone(), None, true)))
    };
    let on_focus = {
        let (url_timer, id) = (url_timer.clone(), screen.open.doc.id.clone());
        use_callback(id, move |sentence: usize, id| {
            // The URL follows the focus a moment later, so fast key presses do not flood the history API.
            let fragment = library::route_fragment(&Route::Document { id: id.clone(), sentence: Some(sentence) });
            *url_timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(300, move || page::set_fragment(&fragment, false)));
        })
    };
    let on_rename = {
        let (dispatch, say) = (dispatch.clone(), say.clone());
        Callback::from(move |(id, title): (String, String)| match store::rename(&mut LocalStorage, &id, &title) {
            Ok(entry) => dispatch.dispatch(Change::Renamed { id, title: entry.title }),
            Err(RenameError::EmptyTitle) => {}
            Err(RenameError::NoEntry) => say(Message::error(l.t("library.rename.no_entry"))),
            Err(RenameError::Storage(error)) => say(Message::error(l.f("library.rename.failed", &[("error", &error.describe(&l))]))),
        })
    };
    let on_delete = {
        let (dispatch, say, undo_timer, open_id, host_id, host_open) = (dispatch.clone(), say.clone(), undo_timer.clone(), screen.open.doc.id.clone(), host.id.clone(), host_open.clone());
        Callback::from(move |id: String| {
            let (gone, failed) = store::delete(&mut LocalStorage, &id);
            if let Some(error) = failed {
                say(Message::error(l.f("library.delete.failed", &[("error", &error.describe(&l))])));
            }
            if open_id == id && id != host_id {
                dispatch.dispatch(Change::Opened(host_open(None)));
                dispatch.dispatch(Change::ShowList);
            }
            dispatch.dispatch(Change::Deleted(Some(Rc::new(gone))));
            let dispatch = dispatch.clone();
            *undo_timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(UNDO_MS, move || dispatch.dispatch(Change::Deleted(None))));
        })
    };
    let on_undo_delete = {
        let (dispatch, say, deleted) = (dispatch.clone(), say.clone(), screen.deleted.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(gone) = &deleted {
                if let Err(error) = store::undo_delete(&mut LocalStorage, gone) {
                    say(Message::error(l.f("library.restore.failed", &[("title", &gone.title), ("error", &error.describe(&l))])));
                }
            }
            dispatch.dispatch(Change::Deleted(None));
        })
    };
    let on_export_all = {
        let (say, bridge) = (say.clone(), bridge.clone());
        Callback::from(move |()| {
            bridge.0.flush();
            let result = store::documents(&LocalStorage).map_err(|e| e.describe(&l)).and_then(|documents| {
                let now = now();
                let name = format!("article-annotator-library-{}.json", now.get(..10).unwrap_or("export"));
                download::download(&name, "application/json", &file::encode(&documents, &now)).map(|()| documents.len())
            });
            match result {
                Ok(count) => say(Message::info(l.n("library.exported", count, &[]))),
                Err(error) => say(Message::error(l.f("library.export_all.failed", &[("error", &error)]))),
            }
        })
    };
    let on_export_tables = {
        let (say, bridge, annotator) = (say.clone(), bridge.clone(), props.article.annotator.clone());
        Callback::from(move |kind: Table| {
            bridge.0.flush();
            let (suffix, mime) = match kind {
                Table::Csv => ("csv", "text/csv"),
                Table::Jsonl => ("jsonl", "application/x-ndjson"),
            };
            let result = store::annotated_texts(&mut LocalStorage, lang).map_err(|e| e.describe(&l)).and_then(|documents| {
                let refs: Vec<(&Document, &[Annotation])> = documents.iter().map(|(doc, annotations)| (doc, annotations.as_slice())).collect();
                let text = table::reader_table(&refs, &annotator, kind);
                let name = format!("article-annotator-library-{}.{suffix}", now().get(..10).unwrap_or("export"));
                download::download(&name, mime, &text).map(|()| documents.len())
            });
            match result {
                Ok(count) => say(Message::info(l.n("library.exported_table", count, &[]))),
                Err(error) => say(Message::error(l.f("library.export.failed", &[("error", &error)]))),
            }
        })
    };
    let read_library_file = {
        let (say, dispatch, labels) = (say.clone(), dispatch.clone(), props.article.labels.clone());
        Callback::from(move |picked: web_sys::File| {
            let (say, dispatch, labels) = (say.clone(), dispatch.clone(), labels.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = picked.name();
                let raw = match files::read_text(picked, file::MAX_LIBRARY_BYTES, &l).await {
                    Ok(raw) => raw,
                    Err(problem) => return say(Message::error(l.f("notice.nothing_changed", &[("message", &problem)]))),
                };
                match file::decode(&raw) {
                    Ok(decoded) => match store::plan_import(&LocalStorage, decoded, &labels, &now()) {
                        Ok(plan) if plan.changes_anything() || !plan.problems.is_empty() => {
                            dispatch.dispatch(Change::Pending(Some(PendingImport { file_name: name, plan: Rc::new(plan) })));
                        }
                        Ok(_) => say(Message::info(l.f("library.import.nothing_new", &[("name", &name)]))),
                        Err(error) => say(Message::error(l.f("library.import.unreadable", &[("error", &error.describe(&l))]))),
                    },
                    Err(DecodeError::NotOurs) if codec::native::decode(&raw).is_ok() => say(Message::error(l.f("library.import.single", &[("name", &name)]))),
                    Err(error) => say(Message::error(l.f("library.import.cannot", &[("name", &name), ("error", &error.describe(&l))]))),
                }
            });
        })
    };
    let on_confirm_import = {
        let (dispatch, say, pending) = (dispatch.clone(), say.clone(), screen.pending_import.clone());
        Callback::from(move |go: bool| {
            if let (true, Some(pending)) = (go, &pending) {
                let applied = store::apply_import(&mut LocalStorage, &pending.plan);
                say(match applied.stopped {
                    None => Message::info(l.f("library.import.done", &[("name", &pending.file_name), ("summary", &summary_of(&pending.plan, &l))])),
                    Some(error) => Message::error(l.n(
                        "library.import.stopped",
                        applied.total,
                        &[("error", &error.describe(&l)), ("written", &l.count(applied.written))],
                    )),
                });
                dispatch.dispatch(Change::StorageChanged);
            }
            dispatch.dispatch(Change::Pending(None));
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
        let (open_file, read_library_file, list_visible) = (open_file.clone(), read_library_file.clone(), screen.list_visible);
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(dropped) = files::dropped_file(&e) else { return };
            if list_visible && files::is_annotation_file(&dropped) {
                read_library_file.emit(dropped);
            } else {
                open_file.emit(dropped);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());

    // The list is read from storage only while it is shown.
    let listing = use_memo((screen.list_visible, screen.list_revision), |(visible, _)| {
        if !*visible {
            return Ok((Rc::new(Vec::new()), None));
        }
        store::listing(&LocalStorage).map(|(entries, usage)| (Rc::new(entries), Some(usage)))
    });
    let title_of_open = screen.open.title.clone();
    let open = &screen.open;

    html! {
        <ContextProvider<Rc<Locale>> context={props.article.locale.clone()}>
        <div class="aa-library-root" {ondrop} {ondragover}>
            <nav class="aa-library-bar" aria-label={l.t("library.bar")}>
                if screen.list_visible {
                    <button type="button" class="aa-button" data-action="back-to-article" onclick={back_to_article.reform(|_: MouseEvent| ())}>{ l.t("library.back") }</button>
                } else {
                    <button type="button" class="aa-button" data-action="library" onclick={show_list.reform(|_: MouseEvent| ())}>{ l.t("library.library") }</button>
                }
                <button type="button" class="aa-button" data-action="new-article" onclick={dispatch.to_callback().reform(|_: MouseEvent| Change::Adding(true))}>{ l.t("library.new_article") }</button>
                <button type="button" class="aa-button" data-action="open-file" title={l.t("library.open_file.title")}
                    onclick={click(&article_input).reform(|_: MouseEvent| ())}>{ l.t("library.open_file") }</button>
                if !screen.list_visible {
                    <span class="aa-open-title" title={title_of_open.clone()}>{ title_of_open }</span>
                }
            </nav>
            <input type="file" class="aa-file-input aa-article-file" ref={article_input} tabindex="-1" aria-hidden="true"
                accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html" onchange={on_article_picked} />
            <input type="file" class="aa-file-input aa-library-file" ref={library_input.clone()} tabindex="-1" aria-hidden="true"
                accept=".json,application/json" onchange={on_library_picked} />
            if let Some(message_now) = &screen.message {
                <div class={classes!("aa-notice", message_now.error.then_some("aa-notice-error"))} role={if message_now.error { "alert" } else { "status" }}>
                    <span>{ &message_now.text }</span>
                    <button type="button" class="aa-button" data-action="dismiss" onclick={dispatch.to_callback().reform(|_: MouseEvent| Change::Say(None))}>{ l.t("library.dismiss") }</button>
                </div>
            }
            if let Some(gone) = &screen.deleted {
                <div class="aa-notice aa-undo-delete" role="status">
                    <span>{ l.f("library.deleted", &[("title", &gone.title)]) }</span>
                    <button type="button" class="aa-button aa-primary" data-action="undo-delete" onclick={on_undo_delete}>{ l.t("library.undo_delete") }</button>
                </div>
            }
            if screen.adding {
                <NewArticleDialog on_add={add_text} on_cancel={dispatch.to_callback().reform(|()| Change::Adding(false))} />
            }
            if let Some(pending) = &screen.pending_import {
                { import_preview(pending, on_confirm_import, &l) }
            }
            if let Some(status) = &screen.preparing {
                <p class="aa-loading" role="status">{ status }</p>
            }
            if screen.list_visible {
                { match &*listing {
                    Ok((entries, usage)) => html! { <>
                        <LibraryList
                            entries={entries.clone()}
                            usage={*usage}
                            open_id={AttrValue::from(open.doc.id.clone())}
                            on_open={open_doc.reform(|id: String| (id, None, true))}
                            {on_rename}
                            {on_delete}
                            {on_export_all}
                            {on_export_tables}
                            on_import_all={click(&library_input)}
                        />
                        if let Some(settings) = team_settings.clone() {
                            <TeamList {settings} on_open={open_team.clone()} />
                        }
                    </> },
                    Err(error) => html! {
                        <p class="aa-notice aa-notice-error" role="alert">{ l.f("library.unavailable", &[("error", &error.describe(&l))]) }</p>
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
                    lang={props.article.lang.clone()}
                    locale={props.article.locale.clone()}
                    annotator={props.article.annotator.clone()}
                    sync={props.article.sync.clone()}
                    title={Some(AttrValue::from(open.title.clone()))}
                    bridge={bridge.clone()}
                    initial_focus={open.focus}
                    on_focus={Some(on_focus)}
                    on_other_file={Some(open_file)}
                />
            }
        </div>
        </ContextProvider<Rc<Locale>>>
    }
}

/// "2 documents added, 1 merged (3 new tags, 1 updated), 1 unchanged".
fn summary_of(plan: &file::ImportPlan, l: &Locale) -> String {
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
    l.f(
        "library.import.summary",
        &[
            ("added", &l.n("library.import.added", added, &[])),
            ("merged", &l.f("library.import.merged", &[("n", &l.count(merged))])),
            ("new_tags", &l.n("library.import.new_tags", new, &[])),
            ("updated", &l.f("library.import.updated", &[("n", &l.count(updated))])),
            ("unchanged", &l.f("library.import.unchanged", &[("n", &l.count(unchanged))])),
        ],
    )
}

fn import_preview(pending: &PendingImport, on_choose: Callback<bool>, l: &Locale) -> Html {
    let plan = &pending.plan;
    let line = |doc: &file::DocumentPlan| {
        let what = match doc.outcome {
            file::Outcome::Added => l.t("library.import.line.added").to_owned(),
            file::Outcome::Merged { new, updated } => l.n("library.import.line.merged", new, &[("updated", &l.count(updated))]),
            file::Outcome::Unchanged => l.t("library.import.line.unchanged").to_owned(),
            file::Outcome::LeftAlone => l.t("library.import.line.left_alone").to_owned(),
        };
        let text = if doc.text_differs { l.f("library.import.line.text_differs", &[("what", &what)]) } else { l.f("library.import.line", &[("what", &what)]) };
        html! { <li data-doc-id={doc.id.clone()}><strong>{ &doc.title }</strong>{ text }</li> }
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
            <h2 id="aa-library-import-title" class="aa-dialog-title">{ l.f("library.import.title", &[("name", &pending.file_name)]) }</h2>
            <p class="aa-import-summary">{ l.f("library.import.preview", &[("summary", &summary_of(plan, l))]) }</p>
            <ul class="aa-import-documents">{ for plan.documents.iter().map(line) }</ul>
            if !plan.problems.is_empty() {
                <ul class="aa-problems" aria-label={l.t("import.skipped_items")}>
                    { for plan.problems.iter().take(50).map(|p| html! { <li><code>{ &p.path }</code>{ ": " }{ &p.message }</li> }) }
                </ul>
            }
            <div class="aa-dialog-actions">
                if plan.changes_anything() {
                    <button type="button" class="aa-button aa-primary" data-action="import-confirm" onclick={on_choose.reform(|_: MouseEvent| true)}>{ l.t("import.import") }</button>
                }
                <button type="button" class="aa-button" data-action="cancel" onclick={on_choose.reform(|_: MouseEvent| false)}>{ l.t("dialog.cancel") }</button>
            </div>
        </div>
    }
}
