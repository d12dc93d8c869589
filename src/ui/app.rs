//! The root component: owns the state and composes the hooks that act on it (saving,
//! host events, rendering in steps, focus, import and export); it renders the toolbar,
//! the article and the overlays, and turns keys and clicks into actions.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bridge::BridgeRef;
use super::chunk::{sentences_of, RunView, Section, CHUNKS_PER_SECTION};
use super::compare::Compare;
use super::guidelines::Guidelines;
use super::help::Help;
use super::hooks::{use_compare_files, use_sync, use_dom_focus, use_exports, use_file_import, use_host_events, use_near_runs, use_position_below, use_progressive, use_saving};
use super::import::ImportDialog;
use super::layout::Layout;
use super::note::NoteEditor;
use super::orphans::Orphans;
use super::persistence::{self, Notice};
use super::picker::Picker;
use super::saver::SaveStatus;
use super::shared::Shared;
use super::summary::{Entry, Summary, LIST_LIMIT};
use super::sync_panel::SyncPanel;
use super::toolbar::Toolbar;
use crate::core::i18n::Locale;
use crate::core::model::{Annotation, Document, LabelSet};
use crate::core::options::StorageMode;
use crate::core::state::{Action, AppState, Filter};
use crate::core::view::{self, KeyPress, Saving};
use crate::core::window;
use crate::platform::{dom, download, now_ms, session_tag};

/// The annotator's name in exports when the host names none.
pub const DEFAULT_ANNOTATOR: &str = "reader";

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
    /// The article's language code, for its element's `lang` (screen readers read it in
    /// that language; the widget's own words are in `locale`'s).
    #[prop_or_default]
    pub lang: Option<AttrValue>,
    /// The interface's language (`uiLang`, else the article's, else English).
    #[prop_or_default]
    pub locale: Rc<Locale>,
    /// Who annotates: the name in the tables of "Export CSV" and "Export JSONL".
    #[prop_or(AttrValue::Static(DEFAULT_ANNOTATOR))]
    pub annotator: AttrValue,
    /// The link to the host page's JavaScript.
    #[prop_or_default]
    pub bridge: BridgeRef,
    /// The team database set by the host (`options.sync`, `data-sync-url`).
    #[prop_or_default]
    pub sync: Option<crate::core::options::SyncOptions>,
    /// The article's title (written with its text to the team database).
    #[prop_or_default]
    pub title: Option<AttrValue>,
    /// The sentence to focus when the widget starts (from the page URL in the library).
    #[prop_or_default]
    pub initial_focus: Option<usize>,
    /// Hears every change of the focused sentence (the library keeps it in the URL).
    #[prop_or_default]
    pub on_focus: Option<Callback<usize>>,
    /// Hears every annotation (orphans included) after each change of them, and once
    /// on start when storage held some (the Yew component's `on_change`).
    #[prop_or_default]
    pub on_change: Option<Callback<Vec<Annotation>>>,
    /// Takes dropped files that are not annotation files (the library opens them as articles).
    #[prop_or_default]
    pub on_other_file: Option<Callback<web_sys::File>>,
    /// What storage holds for the article, when read before the widget renders (a long
    /// article reads it in a task of its own); else the first render reads it.
    #[prop_or_default]
    pub preloaded: Preloaded,
    /// Heard once the article's first run is rendered. When set, the widget renders in
    /// stages, a task each, so that none is long: its state, the toolbar, the summary
    /// and guidelines, then the article (a widget taking over the loader's text, which
    /// stays until then; see `core::window::stage`).
    #[prop_or_default]
    pub on_article: Option<Callback<()>>,
}

/// Stored annotations read ahead of the first render, taken by it (not copied).
#[derive(Clone, Default)]
pub struct Preloaded(Rc<std::cell::RefCell<Option<persistence::Loaded>>>);

impl Preloaded {
    /// Reads what storage holds for `doc` now (notices in the reader's language).
    pub fn read(&self, doc: &Document, mode: StorageMode, l: &Locale) {
        *self.0.borrow_mut() = Some(persistence::load(doc, mode, l));
    }

    /// The tags of a widget's state as they are in memory, for a widget rendered again
    /// when storage is off (the host keeps the tags): nothing is read, nothing is lost.
    pub fn carried(state: &crate::core::state::AppState) -> Self {
        let loaded = persistence::Loaded {
            annotations: state.annotations().cloned().collect(),
            deleted: (*state.deleted).clone(),
            unreadable: (*state.unreadable).clone(),
            ..persistence::Loaded::default()
        };
        Preloaded(Rc::new(std::cell::RefCell::new(Some(loaded))))
    }
}

impl PartialEq for Preloaded {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The whole widget: toolbar, notices, article and picker.
#[component(Annotator)]
pub fn annotator(props: &AnnotatorProps) -> Html {
    // Storage is read once, when the widget starts.
    let preloaded = props.preloaded.0.borrow_mut().take();
    let l = props.locale.clone();
    let loaded = {
        let l = l.clone();
        use_memo((props.doc.clone(), props.storage), move |(doc, mode)| preloaded.unwrap_or_else(|| persistence::load(doc, *mode, &l)))
    };
    let state = {
        let (doc, labels, loaded, initial_focus) = (props.doc.clone(), props.labels.clone(), loaded.clone(), props.initial_focus);
        use_reducer(move || {
            let fresh = AppState::new(doc, labels).with_session(session_tag()).with_deleted(loaded.deleted.values().cloned()).with_unreadable(loaded.unreadable.clone());
            let restored = if loaded.annotations.is_empty() { fresh } else { fresh.apply(Action::Restore(loaded.annotations.clone())) };
            Shared(match initial_focus {
                Some(sentence) if sentence < restored.by_sentence.len() => restored.apply(Action::Focus(sentence)),
                _ => restored,
            })
        })
    };
    let notice = use_state(|| loaded.notice.clone());
    let root = use_node_ref();
    let article = use_node_ref();
    let state_now = &state.0;
    props.bridge.0.attach(state.clone());
    let editable = !props.read_only;
    // The article's runs of paragraphs and sentence texts, computed once per document.
    let layout = use_memo(props.doc.clone(), |doc| Layout::of(doc));
    let stage = use_progressive(layout.clone(), props.on_article.is_some());
    let shown_chunks = stage.runs;
    {
        // Before the effects that read the article's layout (the windowed runs' heights).
        let on_article = props.on_article.clone();
        use_effect_with(stage.panels && (shown_chunks > 0 || layout.chunks.is_empty()), move |there| {
            if let Some(heard) = on_article.filter(|_| *there) {
                heard.emit(());
            }
        });
    }
    let near = use_near_runs(layout.clone(), article.clone(), shown_chunks);
    let save_status = use_saving(state.clone(), loaded.clone(), props.doc.id.clone(), props.bridge.clone(), l.clone());
    use_host_events(state.clone(), props.bridge.clone(), props.on_focus.clone(), props.on_change.clone());
    let working = use_dom_focus(root.clone(), props.bridge.clone(), state_now.focus, props.initial_focus);
    let picker_at = use_position_below(root.clone(), state_now.picker.or(state_now.note_editor));
    let exports = use_exports(state.clone(), props.source.clone(), props.annotator.clone(), notice.clone(), l.clone());
    let import = use_file_import(state.clone(), notice.clone(), props.bridge.clone(), props.on_other_file.clone(), editable, l.clone());
    let sync = use_sync(state.clone(), props.bridge.clone(), props.sync.clone(), props.annotator.clone(), props.title.clone(), notice.clone(), l.clone());
    let sync_open = use_state(|| false);
    let compare = use_compare_files(props.doc.clone(), props.annotator.clone(), notice.clone(), l.clone());
    // Teammates' tags in words per sentence (hover, screen readers, "everyone's tags").
    let team_words = use_memo((props.doc.clone(), sync.team.clone()), |(doc, team)| {
        Rc::new(crate::core::sync::local::team_by_sentence(doc, team).into_iter().map(|w| w.map(AttrValue::from)).collect::<Vec<_>>())
    });
    let everyone = use_state(|| false);
    // Teammates' live annotations from the team database, as annotators to compare.
    let team = use_memo(sync.team.clone(), |team| {
        Rc::new(team.iter().map(|(name, records)| crate::ui::hooks::Other { name: name.clone().into(), annotations: Rc::new(records.annotations.clone()) }).collect::<Vec<_>>())
    });
    // The reader's tags as one annotator of the compare view: copied only while it is open
    // (not on every tag).
    let own = {
        let state = state.clone();
        use_memo((state.0.revision, compare.open), move |(_, open)| Rc::new(if *open { state.0.annotations().cloned().collect::<Vec<_>>() } else { Vec::new() }))
    };

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
            let key = e.key();
            let press = KeyPress { key: &key, ctrl: e.ctrl_key(), shift: e.shift_key(), alt_or_meta: e.alt_key() || e.meta_key() };
            if let Some(action) = view::action_for_key(press, &state.0, now_ms()).filter(|a| editable || view::allowed_when_read_only(a)) {
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
    let on_jump = {
        let (root, bridge) = (root.clone(), props.bridge.clone());
        Callback::from(move |sentence: usize| {
            if let Some(root) = root.cast::<web_sys::Element>() {
                bridge.0.reveal(&root, sentence);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());

    let labels = &state_now.labels;
    let filtering = state_now.filter != Filter::Tagged;
    let (matching, entries) = view::summary(state_now, LIST_LIMIT);
    let summary_entries = Rc::new(entries.into_iter().map(|e| Entry { sentence: e.sentence, labels: e.labels.into(), excerpt: e.excerpt.into() }).collect::<Vec<_>>());
    let data_labels = |index: usize| -> AttrValue { state_now.labels_of(index).map_or(AttrValue::Static(""), |names| names.join(" ").into()) };
    let doc = &state_now.doc;
    // Windowed: the runs shown as sentences (near the viewport, or holding the focus, the picker or the note editor).
    let full_runs = layout.windowed.then(|| {
        let pinned: Vec<usize> = [Some(state_now.focus), state_now.picker, state_now.note_editor].into_iter().flatten().collect();
        window::full_runs(&layout.runs, &near.borrow(), &pinned)
    });
    let saving = match save_status {
        SaveStatus::Saved => Saving::Saved,
        SaveStatus::Pending => Saving::Pending,
        SaveStatus::Failed(_) => Saving::Failed,
    };

    let host_keeps_them = props.storage == StorageMode::None;
    html! {
        <ContextProvider<Rc<Locale>> context={l.clone()}>
        <div class="aa-root" data-aa-show={everyone.then_some("everyone")} data-aa-widget={props.widget.to_string()} data-aa-readonly={props.read_only.then_some("")} ref={root.clone()} ondrop={import.dropped} {ondragover}>
            if stage.toolbar {
                <Toolbar
                    labels={labels.clone()}
                    counts={labels.iter().map(|l| state_now.count(&l.name)).collect::<Vec<_>>()}
                    tagged={state_now.tagged()}
                    total={doc.sentences().len()}
                    can_undo={state_now.can_undo()}
                    can_redo={state_now.can_redo()}
                    on_undo={dispatcher.to_callback().reform(|()| Action::Undo { now_ms: now_ms() })}
                    on_redo={dispatcher.to_callback().reform(|()| Action::Redo { now_ms: now_ms() })}
                    on_export_json={exports.json}
                    on_export_w3c={exports.w3c}
                    on_export_csv={exports.csv}
                    on_export_jsonl={exports.jsonl}
                    on_import={import.open}
                    on_help={dispatcher.to_callback().reform(|()| Action::ToggleHelp)}
                    on_compare={if team.is_empty() { compare.choose.clone() } else { compare.show.reform(|()| true) }}
                    on_sync={{ let open = sync_open.clone(); Callback::from(move |()| open.set(!*open)) }}
                    sync_text={AttrValue::from(sync.status.text(&l))}
                    sync_state={AttrValue::from(serde_json::to_value(sync.status.state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())}
                    save_status={AttrValue::Static(view::save_status_text(saving, loaded.may_save, host_keeps_them, &l))}
                    save_code={AttrValue::Static(view::save_status(saving, loaded.may_save, host_keeps_them))}
                    {editable}
                />
            }
            <input type="file" class="aa-file-input" ref={import.input} tabindex="-1" aria-hidden="true"
                accept=".json,.jsonld,application/json,application/ld+json" onchange={import.picked} />
            <input type="file" class="aa-file-input" ref={compare.input.clone()} tabindex="-1" aria-hidden="true" multiple=true
                accept=".json,application/json" onchange={compare.picked.clone()} data-input="compare" />
            if let Some(pending) = import.pending.as_ref() {
                <ImportDialog
                    file_name={pending.file_name.clone()}
                    preview={pending.preview.clone()}
                    doc_id={AttrValue::from(doc.id.clone())}
                    have_annotations={state_now.annotations().next().is_some()}
                    on_choose={import.choose}
                />
            }
            { notice_view(notice.as_ref(), &doc.id, &l) }
            if let SaveStatus::Failed(failure) = &save_status {
                { notice_view(Some(failure), &doc.id, &l) }
            }
            if *sync_open {
                <SyncPanel
                    settings={sync.settings.clone()}
                    annotator={props.annotator.clone()}
                    status={sync.status.clone()}
                    on_configure={sync.configure.clone()}
                    on_sync_now={sync.now.clone()}
                    on_close={{ let open = sync_open.clone(); Callback::from(move |()| open.set(false)) }}
                />
            }
            if compare.open {
                <Compare
                    doc={props.doc.clone()}
                    labels={labels.clone()}
                    own={(props.annotator.clone(), (*own).clone())}
                    others={compare.others.clone()}
                    team={(*team).clone()}
                    storage={props.storage}
                    source={props.source.clone()}
                    on_add={compare.choose.clone()}
                    on_remove={compare.remove.clone()}
                    on_close={compare.show.reform(|()| false)}
                />
            }
            <div class="aa-main" hidden={compare.open}>
            if stage.panels {
                <Summary
                    labels={labels.clone()}
                    filter={state_now.filter.clone()}
                    entries={summary_entries}
                    matching={matching}
                    on_filter={dispatcher.to_callback().reform(Action::SetFilter)}
                    everyone={(!sync.team.is_empty()).then_some(*everyone)}
                    on_everyone={{ let everyone = everyone.clone(); Callback::from(move |on: bool| everyone.set(on)) }}
                    team={(*team_words).clone()}
                    on_jump={on_jump}
                />
                <Guidelines labels={labels.clone()} />
            }
            if doc.sentences().is_empty() {
                <p class="aa-empty">{ l.t("article.empty") }</p>
            }
            <div class="aa-article" role="document" aria-label={l.t("article.label")}
                lang={props.lang.clone()} ref={article} {onclick} {onfocusin} {onfocusout} {onkeydown}>
                { for layout.sections.iter().enumerate().take_while(|(n, _)| n * CHUNKS_PER_SECTION < shown_chunks).map(|(n, chunks)| {
                    let sentences = sentences_of(chunks);
                    let first_run = n * CHUNKS_PER_SECTION;
                    html! {
                        <Section
                            key={n}
                            chunks={chunks.clone()}
                            shown={(shown_chunks - first_run).min(chunks.len())}
                            {first_run}
                            full={full_runs.as_ref().map(|full| full.iter().copied().filter(|r| (first_run..first_run + chunks.len()).contains(r)).collect::<Vec<_>>())}
                            view={RunView {
                                texts: layout.texts.clone(),
                                labels: labels.clone(),
                                annotations: state_now.by_sentence.clone(),
                                focus: sentences.contains(&state_now.focus).then_some(state_now.focus),
                                filter: filtering.then(|| state_now.filter.clone()),
                                team: (*team_words).clone(),
                                sentences,
                            }}
                        />
                    }
                }) }
            </div>
            if shown_chunks < layout.chunks.len() {
                <p class="aa-loading" role="status">
                    { l.n("article.showing", layout.paragraphs, &[("shown", &l.count(layout.chunks.iter().take(shown_chunks).map(|c| c.len()).sum::<usize>()))]) }
                </p>
            }
            if let Some(sentence) = state_now.picker {
                <Picker
                    {sentence}
                    labels={labels.clone()}
                    active={data_labels(sentence)}
                    at={picker_at}
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
                    at={picker_at}
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
            </div>
            <div class="aa-live" aria-live="polite">{ view::announcement(state_now, &l) }</div>
        </div>
        </ContextProvider<Rc<Locale>>>
    }
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

fn notice_view(notice: Option<&Notice>, doc_id: &str, l: &Locale) -> Html {
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
                <button type="button" class="aa-button" {onclick}>{ l.t("notice.download_backup") }</button>
            }
        </div>
    }
}
