//! The root component: owns the state, saves it as an effect, routes keys and clicks.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bridge::BridgeRef;
use super::events;
use super::help::Help;
use super::import::ImportDialog;
use super::note::NoteEditor;
use super::summary::{Entry, Summary, LIST_LIMIT};
use super::orphans::Orphans;
use super::persistence::{self, Notice};
use super::saver::{SaveStatus, Saver};
use super::picker::Picker;
use super::chunk::{sentences_of, RunView, Section, CHUNKS_PER_SECTION, PARAGRAPHS_PER_CHUNK};
use super::toolbar::Toolbar;
use crate::core::codec::{self, native, w3c, ImportPreview};
use crate::core::model::{Document, LabelSet};
use crate::core::options::StorageMode;
use crate::core::state::{Action, AppState, Filter, ImportMode};
use crate::core::time::rfc3339_from_millis;
use crate::core::window::{self, Runs};
use crate::platform::{dom, download, files, now_ms, session_tag};

/// Light runs (plain text) added per tick while a windowed article appears.
const LIGHT_RUNS_PER_TICK: usize = 16;

/// What a host gives a widget.
#[derive(Properties, PartialEq, Clone)]
pub struct AnnotatorProps {
    /// The article, already segmented.
    pub doc: Rc<Document>,
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// The article's URL, named as the target source in W3C exports.
    #[prop_or_default]
    pub source: Option<AttrValue>,
    /// Reading and exporting only: no tagging, undo or import.
    #[prop_or_default]
    pub read_only: bool,
    /// Where annotations are kept.
    #[prop_or_default]
    pub storage: StorageMode,
    /// The widget's number on the page (scopes its label styles).
    #[prop_or_default]
    pub widget: u32,
    /// The link to the host page's JavaScript.
    #[prop_or_default]
    pub bridge: BridgeRef,
    /// The sentence to focus when the widget starts (from the page URL in the library).
    #[prop_or_default]
    pub initial_focus: Option<usize>,
    /// Hears every change of the focused sentence (the library keeps it in the URL).
    #[prop_or_default]
    pub on_focus: Option<Callback<usize>>,
    /// Takes dropped files that are not annotation files (the library opens them as articles).
    #[prop_or_default]
    pub on_other_file: Option<Callback<web_sys::File>>,
    /// What storage holds for the article, when read before the widget renders (a long
    /// article reads it in a task of its own); else the first render reads it.
    #[prop_or_default]
    pub preloaded: Preloaded,
}

/// Stored annotations read ahead of the first render, taken by it (not copied).
#[derive(Clone, Default)]
pub struct Preloaded(Rc<std::cell::RefCell<Option<persistence::Loaded>>>);

impl Preloaded {
    /// Reads what storage holds for `doc` now.
    pub fn read(&self, doc: &Document, mode: StorageMode) {
        *self.0.borrow_mut() = Some(persistence::load(doc, mode));
    }
}

impl PartialEq for Preloaded {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// How the article is laid out for rendering: its paragraphs in runs, and every
/// sentence's text as a shared string (so rendering never copies the text).
struct Layout {
    chunks: Vec<Rc<[std::ops::Range<usize>]>>,
    sections: Vec<Rc<[Rc<[std::ops::Range<usize>]>]>>,
    paragraphs: usize,
    texts: Rc<Vec<AttrValue>>,
    /// The runs' sentences, for finding a sentence's run.
    runs: Runs,
    /// Whether only the runs near the viewport (and the focused one) show sentences.
    windowed: bool,
}

impl Layout {
    fn of(doc: &Document) -> Self {
        let paragraphs: Vec<std::ops::Range<usize>> = doc.paragraphs().collect();
        let chunks: Vec<Rc<[std::ops::Range<usize>]>> = paragraphs.chunks(PARAGRAPHS_PER_CHUNK).map(Rc::from).collect();
        Self {
            paragraphs: paragraphs.len(),
            sections: chunks.chunks(CHUNKS_PER_SECTION).map(Rc::from).collect(),
            runs: Runs::new(chunks.iter().map(|c| sentences_of(std::slice::from_ref(c)))),
            windowed: window::is_windowed(doc.sentences().len()),
            chunks,
            texts: Rc::new(doc.sentences().iter().map(|s| AttrValue::from(doc.sentence_text(s).to_owned())).collect()),
        }
    }
}

/// A file read for import, waiting for the reader's choice.
#[derive(Debug, Clone, PartialEq)]
struct PendingImport {
    file_name: AttrValue,
    preview: Rc<ImportPreview>,
}

/// The widget's state as Yew sees it: the pure core state behind an `Rc`.
#[derive(PartialEq)]
pub struct Shared(pub AppState);

impl Reducible for Shared {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = self.0.apply(action);
        if next.differs_from(&self.0) {
            Rc::new(Shared(next))
        } else {
            self
        }
    }
}

/// The whole widget: toolbar, notices, article and picker.
#[component(Annotator)]
pub fn annotator(props: &AnnotatorProps) -> Html {
    // Storage is read once, when the widget starts.
    let preloaded = props.preloaded.0.borrow_mut().take();
    let loaded = use_memo((props.doc.clone(), props.storage), move |(doc, mode)| preloaded.unwrap_or_else(|| persistence::load(doc, *mode)));
    let state = {
        let (doc, labels, loaded, initial_focus) = (props.doc.clone(), props.labels.clone(), loaded.clone(), props.initial_focus);
        use_reducer(move || {
            let fresh = AppState::new(doc, labels).with_session(session_tag()).with_deleted(loaded.deleted.values().cloned()).with_unreadable(loaded.unreadable.clone());
            let restored = if loaded.annotations.is_empty() {
                fresh
            } else {
                fresh.apply(Action::Restore(loaded.annotations.clone()))
            };
            let focused = match initial_focus {
                Some(sentence) if sentence < restored.by_sentence.len() => restored.apply(Action::Focus(sentence)),
                _ => restored,
            };
            Shared(focused)
        })
    };
    let notice = use_state(|| loaded.notice.clone());
    let root = use_node_ref();
    let picker_at = use_state(|| (0.0, 0.0));
    let pending_import = use_state(|| None::<PendingImport>);
    let file_input = use_node_ref();
    let state_now = &state.0;
    props.bridge.0.attach(state.clone());
    // The article's runs of paragraphs and sentence texts, computed once per document.
    let layout = use_memo(props.doc.clone(), |doc| Layout::of(doc));
    // A long article appears run by run, a few per tick, so the page never freezes for
    // long (light runs, plain text, are cheap: more of them per tick).
    let step = if layout.windowed { LIGHT_RUNS_PER_TICK } else { 2 };
    let shown_chunks = use_state(|| layout.chunks.len().min(if layout.windowed { 1 } else { 4 }));
    {
        let (shown_chunks, total) = (shown_chunks.clone(), layout.chunks.len());
        let timer = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
        use_effect_with(*shown_chunks, move |shown| {
            let shown = *shown;
            if shown < total {
                *timer.borrow_mut() = Some(gloo_timers::callback::Timeout::new(0, move || shown_chunks.set((shown + step).min(total))));
            }
            move || drop(timer.borrow_mut().take())
        });
    }
    // A windowed article: the runs near the viewport, as an IntersectionObserver reports them.
    let article = use_node_ref();
    let near = use_mut_ref(Vec::<usize>::new);
    let near_observer = use_mut_ref(|| None::<dom::NearObserver>);
    {
        let (near, slot, article, rerender, windowed, layout) =
            (near.clone(), near_observer.clone(), article.clone(), use_force_update(), layout.windowed, layout.clone());
        use_effect_with(*shown_chunks, move |_| {
            if windowed {
                let mut slot = slot.borrow_mut();
                if slot.is_none() {
                    *slot = dom::NearObserver::new(move |changes| {
                        let mut set = near.borrow_mut();
                        let mut changed = false;
                        for (run, is_near) in changes {
                            changed |= window::note_near(&mut set, run, is_near);
                        }
                        drop(set);
                        if changed {
                            rerender.force_update();
                        }
                    });
                }
                if let (Some(observer), Some(article)) = (slot.as_ref(), article.cast::<web_sys::Element>()) {
                    let per_line = dom::chars_per_line(&article, window::CHAR_WIDTH_EM);
                    observer.observe_new(&article, |run| {
                        let paragraphs = layout.chunks.get(run).map_or(&[][..], |c| &c[..]);
                        let chars = paragraphs.iter().map(|p| p.clone().map(|i| layout.texts.get(i).map_or(0, |t| t.chars().count() + 1)).sum());
                        window::estimated_height_em(chars, per_line)
                    });
                }
            }
        });
        let near_observer = near_observer.clone();
        use_effect_with((), move |()| move || drop(near_observer.borrow_mut().take()));
    }
    let editable = !props.read_only;

    // Saving: coalesced after changes, flushed when the page is hidden or closed, retried
    // while it fails; another tab's save of this document is merged in.
    // A failed save shows its notice for as long as the status is Failed: derived, so a
    // later successful save takes it away with nothing to clear.
    let save_status = use_state(|| SaveStatus::Saved);
    let saver = {
        let (save_status, head) = (save_status.clone(), loaded.head.clone());
        use_memo((), move |()| Saver::new(head, Callback::from(move |status: SaveStatus| save_status.set(status))))
    };
    props.bridge.0.attach_saver(&saver);
    {
        let (saver, state, loaded) = (saver.clone(), state.clone(), loaded.clone());
        let start = state_now.revision;
        let last_seen = use_mut_ref(move || start);
        use_effect_with(state_now.revision, move |revision| {
            if *last_seen.borrow() != *revision && loaded.may_save {
                *last_seen.borrow_mut() = *revision;
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    saver.schedule(state);
                }
            }
        });
    }
    {
        let (saver, dispatcher, loaded, doc_id) = (saver.clone(), state.dispatcher(), loaded.clone(), props.doc.id.clone());
        use_effect_with((), move |()| {
            let listeners = loaded.may_save.then(|| page_listeners(&saver, dispatcher, doc_id)).unwrap_or_default();
            move || {
                drop(listeners);
                // The widget is going away: what is pending is written now.
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    saver.flush();
                    saver.stop();
                }
            }
        });
    }

    // Tell the host page what changed, sentence by sentence (not on start).
    {
        let bridge = props.bridge.clone();
        let previous = use_mut_ref(|| state_now.by_sentence.clone());
        let previous_orphans = use_mut_ref(|| state_now.orphans.clone());
        let state = state.clone();
        use_effect_with(state_now.revision, move |_| {
            let s = &state.0;
            let mut before = previous.borrow_mut();
            // The list is shared until a tag changes: the same pointer means no sentence changed.
            // With no listener there is nobody to tell.
            let changed: Vec<usize> = if Rc::ptr_eq(&before, &s.by_sentence) || !bridge.0.has_listener("change") {
                Vec::new()
            } else {
                (0..s.by_sentence.len())
                    .filter(|&i| match (before.get(i).and_then(Option::as_ref), s.by_sentence[i].as_ref()) {
                        (Some(a), Some(b)) => !Rc::ptr_eq(a, b),
                        (None, None) => false,
                        _ => true,
                    })
                    .collect()
            };
            let orphans_changed = {
                let old = previous_orphans.borrow();
                old.len() != s.orphans.len() || old.iter().zip(&s.orphans).any(|(a, b)| !Rc::ptr_eq(a, b))
            };
            *before = s.by_sentence.clone();
            *previous_orphans.borrow_mut() = s.orphans.clone();
            let source = bridge.0.take_source();
            if (!changed.is_empty() || orphans_changed) && bridge.0.has_listener("change") {
                bridge.0.emit("change", &events::change(s, &changed, source));
            }
        });
    }
    {
        let (bridge, state, on_focus) = (props.bridge.clone(), state.clone(), props.on_focus.clone());
        let first = use_mut_ref(|| true);
        use_effect_with(state_now.focus, move |focus| {
            if std::mem::replace(&mut *first.borrow_mut(), false) {
                return;
            }
            bridge.0.emit("select", &events::select(&state.0, *focus));
            if let Some(on_focus) = &on_focus {
                on_focus.emit(*focus);
            }
        });
    }
    // A sentence focused from the start (a link to it) is scrolled into view once.
    {
        let (root, initial_focus) = (root.clone(), props.initial_focus);
        use_effect_with((), move |()| {
            if let (Some(index), Some(root)) = (initial_focus, root.cast::<web_sys::Element>()) {
                if let Some(el) = dom::sentence_element(&root, index) {
                    el.scroll_into_view_with_bool(true);
                }
            }
        });
    }

    // Keep DOM focus on the focused sentence, but only while the reader works in the
    // article (the focus is inside it, or was until a re-render took its element away),
    // or when the sentence was asked for (a jump, the API) before it was rendered.
    let working = use_memo((), |()| std::cell::Cell::new(false));
    {
        let (root, bridge, working) = (root.clone(), props.bridge.clone(), working.clone());
        use_effect_with(state_now.focus, move |focus| {
            let revealing = bridge.0.take_reveal(*focus);
            if let Some(root) = root.cast::<web_sys::Element>() {
                let inside = dom::focus_is_inside(&root) || (working.get() && dom::focus_is_nowhere());
                if let Some(el) = dom::sentence_element(&root, *focus).filter(|_| revealing || inside) {
                    if revealing {
                        dom::focus_and_show(&el);
                    } else {
                        let _ = el.focus();
                    }
                }
            }
        });
    }

    // Place the picker (or the note editor) under its sentence.
    {
        let (root, picker_at) = (root.clone(), picker_at.clone());
        use_effect_with(state_now.picker.or(state_now.note_editor), move |picker| {
            if let (Some(index), Some(root)) = (picker, root.cast::<web_sys::Element>()) {
                if let Some(el) = dom::sentence_element(&root, *index) {
                    picker_at.set(dom::position_below(&root, &el));
                }
            }
        });
    }

    let dispatcher = state.dispatcher();
    let onclick = use_callback((dispatcher.clone(), editable), |e: MouseEvent, (dispatcher, editable)| {
        match dom::sentence_index_of(e.target()) {
            Some(index) if *editable => dispatcher.dispatch(Action::OpenPicker(index)),
            Some(index) => dispatcher.dispatch(Action::Focus(index)),
            None => dispatcher.dispatch(Action::ClosePicker),
        }
    });
    let onfocusin = use_callback((dispatcher.clone(), working.clone()), |e: FocusEvent, (dispatcher, working)| {
        working.set(true);
        if let Some(index) = dom::sentence_index_of(e.target()) {
            dispatcher.dispatch(Action::Focus(index));
        }
    });
    let onfocusout = use_callback((working.clone(), root.clone()), |e: FocusEvent, (working, root)| {
        // Focus going somewhere else ends the reader's work in the article; focus lost
        // to nothing (an element re-rendered under it) does not.
        let elsewhere = e.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if let (Some(node), Some(root)) = (elsewhere, root.cast::<web_sys::Element>()) {
            working.set(root.contains(Some(&node)));
        }
    });
    let onkeydown = {
        let (state, dispatcher) = (state.clone(), dispatcher.clone());
        Callback::from(move |e: KeyboardEvent| {
            let allowed = |action: &Action| {
                editable
                    || matches!(action, Action::Move(_) | Action::Focus(_) | Action::NextUntagged | Action::ToggleHelp | Action::CloseOverlay)
            };
            if let Some(action) = action_for_key(&e, &state.0).filter(allowed) {
                e.prevent_default();
                dispatcher.dispatch(action);
            }
        })
    };
    let on_toggle = {
        let (dispatcher, picker) = (dispatcher.clone(), state_now.picker);
        Callback::from(move |label: String| {
            if let Some(sentence) = picker {
                dispatcher.dispatch(Action::Toggle { sentence, label, now_ms: now_ms() });
            }
        })
    };
    let offer = {
        let notice = notice.clone();
        move |name: String, mime: &'static str, content: String| {
            if let Err(message) = download::download(&name, mime, &content) {
                notice.set(Some(Notice { text: format!("Export failed: {message}."), backup: None }));
            }
        }
    };
    let on_export_json = {
        let (state, offer) = (state.clone(), offer.clone());
        Callback::from(move |()| {
            let doc = &state.0.doc;
            let json = native::encode(doc, state.0.annotations(), &state.0.unreadable);
            offer(download::file_name_for(&doc.id, "-annotations.json"), "application/json", json);
        })
    };
    let on_export_w3c = {
        let (state, source) = (state.clone(), props.source.clone());
        Callback::from(move |()| {
            let s = &state.0;
            let now = rfc3339_from_millis(now_ms());
            let context = w3c::ExportContext { source: source.as_deref(), now: &now };
            let json = w3c::export(&s.doc, s.annotations_placed(), &context);
            offer(download::file_name_for(&s.doc.id, "-w3c.jsonld"), "application/ld+json", json);
        })
    };
    // Reading a picked or dropped file, then showing what it holds.
    let read_file = {
        let (state, notice, pending_import) = (state.clone(), notice.clone(), pending_import.clone());
        Callback::from(move |file: web_sys::File| {
            let (doc, notice, pending_import) = (state.0.doc.clone(), notice.clone(), pending_import.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let result = files::read_text(file, codec::MAX_IMPORT_BYTES).await.and_then(|raw| {
                    codec::read_import(&raw, &doc, &rfc3339_from_millis(now_ms()))
                        .map_err(|e| format!("\"{name}\" cannot be imported: {e}"))
                });
                match result {
                    Ok(preview) => pending_import.set(Some(PendingImport { file_name: name.into(), preview: Rc::new(preview) })),
                    Err(message) => notice.set(Some(Notice { text: format!("{message}. Nothing was changed."), backup: None })),
                }
            });
        })
    };
    let on_import = {
        let file_input = file_input.clone();
        Callback::from(move |()| {
            if let Some(input) = file_input.cast::<web_sys::HtmlElement>() {
                input.click();
            }
        })
    };
    let on_file_picked = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::picked_file(&e) {
                read_file.emit(file);
            }
        })
    };
    let ondrop = {
        let on_other_file = props.on_other_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let Some(file) = files::dropped_file(&e).filter(|_| editable) else { return };
            match &on_other_file {
                Some(other) if !files::is_annotation_file(&file) => other.emit(file),
                _ => read_file.emit(file),
            }
            e.stop_propagation();
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_choose_import = {
        let (pending_import, notice, props_bridge) = (pending_import.clone(), notice.clone(), props.bridge.clone());
        Callback::from(move |mode: Option<ImportMode>| {
            if let (Some(mode), Some(pending)) = (mode, pending_import.as_ref()) {
                let count = pending.preview.annotations.len();
                props_bridge.0.dispatch(Action::Import { annotations: pending.preview.annotations.clone(), mode, now_ms: now_ms() }, "import");
                notice.set(Some(Notice {
                    text: format!(
                        "Imported {count} annotation{} from “{}”. Tags whose text is not in this article are listed under Orphaned. Undo takes the import back.",
                        if count == 1 { "" } else { "s" },
                        pending.file_name
                    ),
                    backup: None,
                }));
            }
            pending_import.set(None);
        })
    };

    let labels = &state_now.labels;
    let filtering = state_now.filter != Filter::Tagged;
    let matching = (0..state_now.by_sentence.len()).filter(|&i| state_now.matches(i)).count();
    let summary_entries = Rc::new(
        (0..state_now.by_sentence.len())
            .filter(|&i| state_now.matches(i))
            .take(LIST_LIMIT)
            .map(|i| {
                let text = state_now.doc.sentence_text(&state_now.doc.sentences()[i]);
                let mut excerpt: String = text.chars().take(90).collect();
                if text.chars().count() > 90 {
                    excerpt.push('…');
                }
                Entry { sentence: i, labels: state_now.labels_of(i).map(|l| l.join(" ")).unwrap_or_default().into(), excerpt: excerpt.into() }
            })
            .collect::<Vec<_>>(),
    );
    let on_jump = {
        let (root, bridge) = (root.clone(), props.bridge.clone());
        Callback::from(move |sentence: usize| {
            if let Some(root) = root.cast::<web_sys::Element>() {
                bridge.0.reveal(&root, sentence);
            }
        })
    };
    let data_labels = |index: usize| -> AttrValue {
        state_now.labels_of(index).map_or(AttrValue::Static(""), |names| names.join(" ").into())
    };
    let doc = &state_now.doc;
    // Windowed: the runs shown as sentences (near the viewport, or holding the focus, the picker or the note editor).
    let full_runs = layout.windowed.then(|| {
        let pinned: Vec<usize> = [Some(state_now.focus), state_now.picker, state_now.note_editor].into_iter().flatten().collect();
        window::full_runs(&layout.runs, &near.borrow(), &pinned)
    });

    html! {
        <div class="aa-root" data-aa-widget={props.widget.to_string()} data-aa-readonly={props.read_only.then_some("")} ref={root.clone()} {ondrop} {ondragover}>
            <Toolbar
                labels={labels.clone()}
                counts={labels.iter().map(|l| state_now.count(&l.name)).collect::<Vec<_>>()}
                tagged={state_now.tagged()}
                total={doc.sentences().len()}
                can_undo={state_now.can_undo()}
                can_redo={state_now.can_redo()}
                on_undo={dispatcher.to_callback().reform(|()| Action::Undo { now_ms: now_ms() })}
                on_redo={dispatcher.to_callback().reform(|()| Action::Redo { now_ms: now_ms() })}
                {on_export_json}
                {on_export_w3c}
                {on_import}
                on_help={dispatcher.to_callback().reform(|()| Action::ToggleHelp)}
                save_status={match (&*save_status, loaded.may_save) {
                    (_, false) => AttrValue::Static(if props.storage == StorageMode::None { "" } else { "Not saved" }),
                    (SaveStatus::Saved, _) => AttrValue::Static("Saved"),
                    (SaveStatus::Pending, _) => AttrValue::Static("Saving…"),
                    (SaveStatus::Failed(_), _) => AttrValue::Static("Not saved"),
                }}
                {editable}
            />
            <input type="file" class="aa-file-input" ref={file_input} tabindex="-1" aria-hidden="true"
                accept=".json,.jsonld,application/json,application/ld+json" onchange={on_file_picked} />
            if let Some(pending) = pending_import.as_ref() {
                <ImportDialog
                    file_name={pending.file_name.clone()}
                    preview={pending.preview.clone()}
                    doc_id={AttrValue::from(doc.id.clone())}
                    have_annotations={state_now.annotations().next().is_some()}
                    on_choose={on_choose_import}
                />
            }
            { notice_view(notice.as_ref(), &doc.id) }
            if let SaveStatus::Failed(failure) = &*save_status {
                { notice_view(Some(failure), &doc.id) }
            }
            <Summary
                labels={labels.clone()}
                filter={state_now.filter.clone()}
                entries={summary_entries}
                matching={matching}
                on_filter={dispatcher.to_callback().reform(Action::SetFilter)}
                on_jump={on_jump}
            />
            if doc.sentences().is_empty() {
                <p class="aa-empty">{ "This article has no text to annotate." }</p>
            }
            <div class="aa-article" role="document" aria-label="Article: click a sentence or use the keys 1, 2, 3 to tag it"
                ref={article} {onclick} {onfocusin} {onfocusout} {onkeydown}>
                { for layout.sections.iter().enumerate().take_while(|(n, _)| n * CHUNKS_PER_SECTION < *shown_chunks).map(|(n, chunks)| {
                    let sentences = sentences_of(chunks);
                    let first_run = n * CHUNKS_PER_SECTION;
                    html! {
                        <Section
                            key={n}
                            chunks={chunks.clone()}
                            shown={(*shown_chunks - first_run).min(chunks.len())}
                            {first_run}
                            full={full_runs.as_ref().map(|full| full.iter().copied().filter(|r| (first_run..first_run + chunks.len()).contains(r)).collect::<Vec<_>>())}
                            view={RunView {
                                texts: layout.texts.clone(),
                                labels: labels.clone(),
                                annotations: state_now.by_sentence.clone(),
                                focus: sentences.contains(&state_now.focus).then_some(state_now.focus),
                                filter: filtering.then(|| state_now.filter.clone()),
                                sentences,
                            }}
                        />
                    }
                }) }
            </div>
            if *shown_chunks < layout.chunks.len() {
                <p class="aa-loading" role="status">
                    { format!("Showing {} of {} paragraphs…", layout.chunks.iter().take(*shown_chunks).map(|c| c.len()).sum::<usize>(), layout.paragraphs) }
                </p>
            }
            if let Some(sentence) = state_now.picker {
                <Picker
                    {sentence}
                    labels={labels.clone()}
                    active={data_labels(sentence)}
                    at={*picker_at}
                    {editable}
                    {on_toggle}
                    on_note={(editable && state_now.labels_of(sentence).is_some()).then(|| dispatcher.to_callback().reform(move |()| Action::OpenNote(sentence)))}
                    on_close={back_to_sentence(&root, sentence, dispatcher.to_callback().reform(|()| Action::ClosePicker))}
                />
            }
            if let Some(sentence) = state_now.note_editor {
                <NoteEditor
                    key={sentence}
                    {sentence}
                    note={state_now.by_sentence.get(sentence).and_then(|a| a.as_ref()).and_then(|a| a.note.clone()).unwrap_or_default()}
                    at={*picker_at}
                    on_save={back_to_sentence(&root, sentence, dispatcher.to_callback().reform(move |note: String| Action::SetNote { sentence, note, now_ms: now_ms() }))}
                    on_close={back_to_sentence(&root, sentence, dispatcher.to_callback().reform(|()| Action::CloseOverlay))}
                />
            }
            if state_now.help {
                <Help labels={labels.clone()} on_close={back_to_sentence(&root, state_now.focus, dispatcher.to_callback().reform(|()| Action::CloseOverlay))} />
            }
            <Orphans
                orphans={state_now.orphans.clone()}
                on_remove={dispatcher.to_callback().reform(|id| Action::RemoveOrphan { id, now_ms: now_ms() })}
            />
            <div class="aa-live" aria-live="polite">{ announcement(state_now) }</div>
        </div>
    }
}

/// The action a key press asks for, if any. Keys with Alt or Meta are left to the browser.
fn action_for_key(e: &KeyboardEvent, state: &AppState) -> Option<Action> {
    if e.alt_key() || e.meta_key() {
        return None;
    }
    let key = e.key();
    if e.ctrl_key() {
        return match key.as_str() {
            "z" | "Z" if e.shift_key() => Some(Action::Redo { now_ms: now_ms() }),
            "z" | "Z" => Some(Action::Undo { now_ms: now_ms() }),
            "y" | "Y" => Some(Action::Redo { now_ms: now_ms() }),
            _ => None,
        };
    }
    let sentence = state.focus;
    match key.as_str() {
        "j" | "ArrowDown" | "ArrowRight" => Some(Action::Move(1)),
        "k" | "ArrowUp" | "ArrowLeft" => Some(Action::Move(-1)),
        "Home" => Some(Action::Focus(0)),
        "End" => Some(Action::Focus(state.by_sentence.len().saturating_sub(1))),
        "0" => Some(Action::Clear { sentence, now_ms: now_ms() }),
        "Escape" => Some(Action::CloseOverlay),
        "n" => Some(Action::NextUntagged),
        "?" => Some(Action::ToggleHelp),
        "Enter" if state.labels_of(sentence).is_some() => Some(Action::OpenNote(sentence)),
        "Enter" | " " => Some(if state.picker == Some(sentence) { Action::ClosePicker } else { Action::OpenPicker(sentence) }),
        _ => {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { return None };
            let label = state.labels.by_key(c)?;
            Some(Action::Toggle { sentence, label: label.name.clone(), now_ms: now_ms() })
        }
    }
}

/// Listeners on the page for this widget's saving: flush when the page is hidden or
/// left, merge when another tab saves the same document. Dropping them removes them.
fn page_listeners(saver: &Rc<std::cell::RefCell<Saver>>, dispatcher: UseReducerDispatcher<Shared>, doc_id: String) -> Vec<gloo_events::EventListener> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let Some(document) = window.document() else { return Vec::new() };
    let flush_on = |target: &web_sys::EventTarget, event: &'static str| {
        let saver = Rc::downgrade(saver);
        gloo_events::EventListener::new(target, event, move |_| super::saver::flush(&saver))
    };
    let hidden = {
        let saver = Rc::downgrade(saver);
        let document = document.clone();
        gloo_events::EventListener::new(&document.clone(), "visibilitychange", move |_| {
            if document.visibility_state() == web_sys::VisibilityState::Hidden {
                super::saver::flush(&saver);
            }
        })
    };
    // Back from the back-forward cache, or visible again after being hidden (possibly
    // frozen): read storage before anything else, for what other writers stored meanwhile.
    let reread_on = |target: &web_sys::EventTarget, event: &'static str, only_when_visible: bool| {
        let (saver, dispatcher, doc_id, document) = (Rc::downgrade(saver), dispatcher.clone(), doc_id.clone(), document.clone());
        gloo_events::EventListener::new(target, event, move |_| {
            if only_when_visible && document.visibility_state() != web_sys::VisibilityState::Visible {
                return;
            }
            if let Some(saver) = saver.upgrade() {
                if let Ok(mut saver) = saver.try_borrow_mut() {
                    let dispatcher = dispatcher.clone();
                    saver.reread(&doc_id, move |merge| dispatcher.dispatch(merge));
                }
            }
        })
    };
    let back = reread_on(&window, "pageshow", false);
    let visible = reread_on(&document, "visibilitychange", true);
    let other_tab = gloo_events::EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
        // Another tab saved this document (its head or one of its parts): merge what it wrote.
        if let Some(action) = event.key().and_then(|key| persistence::merge_from(&doc_id, &key, event.new_value())) {
            dispatcher.dispatch(action);
        }
    });
    vec![flush_on(&window, "pagehide"), hidden, back, visible, other_tab]
}

/// `callback`, then the keyboard focus back on sentence `index` (when a note editor or
/// the help overlay closes, focus returns to where the reader was).
fn back_to_sentence<T: 'static>(root: &NodeRef, index: usize, callback: Callback<T>) -> Callback<T> {
    let root = root.clone();
    Callback::from(move |value: T| {
        callback.emit(value);
        if let Some(el) = root.cast::<web_sys::Element>().and_then(|r| dom::sentence_element(&r, index)) {
            let _ = el.focus();
        }
    })
}

/// What the live region says about the focused sentence after a change.
fn announcement(state: &AppState) -> String {
    let Some(index) = state.last_changed else { return String::new() };
    match state.labels_of(index) {
        Some(names) => format!("Sentence {} tagged {}", index + 1, names.join(", ")),
        None => format!("Sentence {} untagged", index + 1),
    }
}

fn notice_view(notice: Option<&Notice>, doc_id: &str) -> Html {
    let Some(notice) = notice else { return html! {} };
    let download_backup = notice.backup.clone().map(|raw| {
        let name = download::file_name_for(doc_id, "-backup.json");
        Callback::from(move |_: MouseEvent| {
            let _ = download::download(&name, "application/json", &raw);
        })
    });
    html! {
        <div class="aa-notice" role="status">
            <span>{ &notice.text }</span>
            if let Some(onclick) = download_backup {
                <button type="button" class="aa-button" {onclick}>{ "Download backup" }</button>
            }
        </div>
    }
}
