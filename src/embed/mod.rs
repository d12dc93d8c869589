//! Mounting widgets in a host page: auto-mount on `[data-article-annotator]` (now and
//! whenever such an element is added), the `mount` export, and clean destruction.

mod handle;
mod head_start;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

use crate::core::i18n::{self, Language, Locale};
use crate::core::model::{Document, LabelSet};
use crate::core::options::{parse_options, MountOptions, StorageMode};
use crate::core::segment::Lang;
use crate::platform::{fetch, page, styles};
use crate::ui::bridge::{Bridge, BridgeRef};
use crate::ui::locale::ui_locale;
use crate::ui::prepare;
use crate::ui::{Annotator, AnnotatorProps, Library, LibraryProps, Preloaded, DEFAULT_ANNOTATOR};
use yew::{AttrValue, Callback};

pub use handle::{mount, widget_for, WidgetHandle};

/// Marks an element that holds a widget, so it is never mounted twice.
const MOUNTED: &str = "data-aa-mounted";
const SELECTOR: &str = "[data-article-annotator]";
/// A toolbar action to press once the widget is mounted (set by the loader, see `open_asked`).
const OPEN: &str = "data-aa-open";
/// Marks an element whose widget the host destroyed (`handle.destroy()`): the page's
/// observer leaves it as it is; `mount()` on it, or the attribute removed, gives it one again.
const DESTROYED: &str = "data-aa-destroyed";
/// Hides a widget rendered before its article (`Launch::staged`).
const WAITING: &str = "data-aa-waiting";
/// Asks the loader for the full build (a widget with the library or sync, mounted by the embed build).
const UPGRADE: &str = "article-annotator:upgrade";
/// Asks the loader for the interface catalogue named by [`WANTS_LANGUAGE`] (the embed build's widget
/// speaks English until [`provide_catalogue`] brings it).
const CATALOGUE: &str = "article-annotator:catalogue";
/// The language code of the catalogue a widget waits for.
const WANTS_LANGUAGE: &str = "data-aa-wants-ui-lang";
/// How long an auto-mounted widget waits for that catalogue before it starts in English
/// (it changes language when the catalogue comes later).
const CATALOGUE_WAIT_MS: u32 = 2000;

/// What the widget needs to render once its article is ready.
struct Launch {
    labels: Rc<LabelSet>,
    source: Option<String>,
    read_only: bool,
    storage: StorageMode,
    title: Option<String>,
    library: bool,
    lang: Lang,
    lang_code: Option<String>,
    annotator: Option<String>,
    locale: Rc<Locale>,
    sync: Option<crate::core::options::SyncOptions>,
    /// The widget takes over the loader's text and nothing waits for it: it renders in
    /// stages, a task each, its article last (see `AnnotatorProps::on_article`).
    staged: bool,
}

/// The Yew app a widget runs: one article, or the library around it.
enum App {
    Single(AppHandle<Annotator>),
    Library(AppHandle<Library>),
}

/// One mounted widget and everything it added to the page.
pub struct Widget {
    id: u32,
    doc_id: String,
    host: web_sys::Element,
    container: web_sys::Element,
    app: RefCell<Option<App>>,
    launch: RefCell<Option<Launch>>,
    /// The article's URL (the W3C target source), for exports through the API too.
    source: Option<String>,
    destroyed: Cell<bool>,
    /// Its article is on the page: from then on `widgetFor` gives its handle, whose
    /// methods all work (an auto-mounted widget prepares and renders in several tasks).
    shown: Rc<Cell<bool>>,
    bridge: Rc<Bridge>,
    label_sheet: Option<web_sys::CssStyleSheet>,
    /// The host element's own children (its inline article text), put back on destroy.
    original: web_sys::DocumentFragment,
    /// What storage holds, when read before the first render.
    preloaded: Preloaded,
    /// The interface's language, while this build lacks its catalogue (it speaks English).
    wanted: Cell<Option<Language>>,
    /// What the annotator was rendered with, to render it again in the reader's language.
    props: RefCell<Option<AnnotatorProps>>,
}

thread_local! {
    static WIDGETS: RefCell<Vec<Rc<Widget>>> = const { RefCell::new(Vec::new()) };
    /// Set once the page is handed over to another build: nothing more is mounted here.
    static HANDED_OVER: Cell<bool> = const { Cell::new(false) };
    /// Interface languages whose catalogue could not be had (not fetched, or not one):
    /// their widgets speak English without asking again.
    static UNAVAILABLE: RefCell<Vec<Language>> = const { RefCell::new(Vec::new()) };
    static OBSERVER: RefCell<Option<(web_sys::MutationObserver, Closure<dyn FnMut(js_sys::Array)>)>> = const { RefCell::new(None) };
}

/// Gives this build an interface catalogue it does not carry (`catalogues/<code>.txt`, as
/// the loader fetched it), and renders each widget that waits for it again in that
/// language (its tags written first; its undo history starts afresh). `null`: the loader
/// could not fetch it, and those widgets stop waiting and stay English. Throws, and they
/// stay English, when `code` names no language of the widget's or the text is not its
/// catalogue. Nothing changes when the build has the language already.
#[wasm_bindgen(js_name = provideCatalogue)]
pub fn provide_catalogue(code: &str, text: Option<String>) -> Result<(), JsValue> {
    let language = Language::from_tag(code).ok_or_else(|| JsValue::from_str(&format!("article-annotator: the widget has no interface language \"{code}\"")))?;
    let outcome = text.map(|text| i18n::provide(language, text));
    let speaks = language.available();
    if !speaks {
        UNAVAILABLE.with(|u| {
            let mut unavailable = u.borrow_mut();
            if !unavailable.contains(&language) {
                unavailable.push(language);
            }
        });
    }
    let waiting: Vec<Rc<Widget>> = WIDGETS.with(|w| w.borrow().iter().filter(|w| w.wanted.get() == Some(language)).cloned().collect());
    for widget in waiting {
        widget.wanted.set(None);
        let _ = widget.host.remove_attribute(WANTS_LANGUAGE);
        if speaks {
            widget.relocalise(language);
        }
    }
    match outcome {
        Some(Err(problem)) => Err(JsValue::from_str(&problem)),
        _ => Ok(()),
    }
}

/// Runs when the module loads: mounts on every `[data-article-annotator]` element and
/// keeps watching the page for more.
#[wasm_bindgen(start)]
pub fn start() {
    styles::ensure_base();
    scan();
    observe();
}

/// Hands the page over to another build of the widget (the loader swapping in the full
/// build): stops watching the page, then destroys every widget, each writing its pending
/// tags first and giving its element back its own content. The other build's observer
/// mounts the auto-mounted elements again; the loader mounts the others.
#[wasm_bindgen(js_name = handOver)]
pub fn hand_over() {
    HANDED_OVER.with(|h| h.set(true));
    if let Some((observer, _callback)) = OBSERVER.with(|o| o.borrow_mut().take()) {
        observer.disconnect();
    }
    WIDGETS.with(|w| w.borrow().clone()).into_iter().for_each(|w| w.destroy());
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Mounts every unmounted `[data-article-annotator]` element and destroys widgets whose element left the page.
fn scan() {
    WIDGETS.with(|w| w.borrow().iter().filter(|w| !w.host.is_connected()).cloned().collect::<Vec<_>>())
        .into_iter()
        .for_each(|w| w.destroy());
    let Some(found) = document().and_then(|d| d.query_selector_all(SELECTOR).ok()) else { return };
    for index in 0..found.length() {
        if let Some(element) = found.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
            if !element.has_attribute(MOUNTED) && !element.has_attribute(DESTROYED) {
                auto_mount(element);
            }
        }
    }
}

fn observe() {
    let Some(body) = document().and_then(|d| d.body()) else { return };
    // Changes inside a widget (its own rendering) are not the page adding or removing hosts.
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(|records: js_sys::Array| {
        // A render brings thousands of records, most on a few parents: each parent is
        // looked up once.
        let mut inside: Option<web_sys::Node> = None;
        let outside_widgets = records.iter().any(|record| {
            let Some(target) = record.dyn_into::<web_sys::MutationRecord>().ok().and_then(|r| r.target()) else { return true };
            if inside.as_ref().is_some_and(|known| known.is_same_node(Some(&target))) {
                return false;
            }
            let element = target.clone().dyn_into::<web_sys::Element>().ok();
            let in_widget = element.is_some_and(|e| e.closest(".aa-host").ok().flatten().is_some());
            if in_widget {
                inside = Some(target);
            }
            !in_widget
        });
        if outside_widgets {
            scan();
        }
    });
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let init = web_sys::MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    if observer.observe_with_options(&body, &init).is_ok() {
        OBSERVER.with(|o| *o.borrow_mut() = Some((observer, callback)));
    }
}

/// The options an auto-mounted element gives through its attributes.
fn options_from_attributes(element: &web_sys::Element, text: String, source: Option<String>) -> Value {
    let attr = |name: &str| element.get_attribute(name).filter(|v| !v.trim().is_empty());
    let mut options = json!({ "text": text });
    if let Some(id) = attr("data-doc-id") {
        options["docId"] = Value::from(id);
    }
    if let Some(source) = source {
        options["source"] = Value::from(source);
    }
    if element.has_attribute("data-read-only") {
        options["readOnly"] = Value::from(true);
    }
    if element.has_attribute("data-library") {
        options["library"] = Value::from(true);
    }
    if let Some(title) = attr("data-title") {
        options["title"] = Value::from(title);
    }
    if let Some(storage) = attr("data-storage") {
        options["storage"] = Value::from(storage);
    }
    if let Some(url) = attr("data-sync-url") {
        options["sync"] = serde_json::json!({ "url": url });
    }
    if let Some(annotator) = attr("data-annotator") {
        options["annotator"] = Value::from(annotator);
    }
    if let Some(lang) = attr("data-lang") {
        options["lang"] = Value::from(lang);
    }
    if let Some(ui_lang) = attr("data-ui-lang") {
        options["uiLang"] = Value::from(ui_lang);
    }
    if let Some(labels) = attr("data-labels-json") {
        options["labels"] = serde_json::from_str(&labels).unwrap_or(Value::from(labels));
    }
    options
}

fn auto_mount(element: web_sys::Element) {
    let _ = element.set_attribute(MOUNTED, "");
    let finish = move |element: web_sys::Element, text: String, source: Option<String>| {
        let _ = element.remove_attribute(MOUNTED);
        if HANDED_OVER.with(Cell::get) {
            // Its text came after the page went to another build: the element is left
            // as it was (its content is back, a change that build's observer sees).
            return;
        }
        match parse_options(&options_from_attributes(&element, text, source)) {
            Ok(options) => {
                if let Err(problem) = Widget::create(element.clone(), options, Render::InTasks) {
                    show_error(&element, &problem);
                }
            }
            Err(problems) => show_error(&element, &format!("article-annotator: {}", problems.join("; "))),
        }
    };
    if let Some(text) = head_start::text(&element) {
        // The loader fetched (or read) the text while the wasm was loading, and may
        // already show it: no "Loading…" line in between.
        wasm_bindgen_futures::spawn_local(async move {
            // A task of its own, apart from the wasm's start (compiled, instantiated, this
            // scan): the text (a long one is copied into the wasm's memory) and the options.
            gloo_timers::future::TimeoutFuture::new(0).await;
            match text.await {
                Some(text) => {
                    let source = data_src(&element).map_or_else(page::page_url, |src| page::absolute_url(&src));
                    finish(element, text, source);
                }
                // Its fetch failed: fetched again here, which says why in the reader's language.
                None => load(element, finish),
            }
        });
        return;
    }
    load(element, finish);
}

/// The interface's language when this build lacks its catalogue (the embed build carries
/// English alone): the widget speaks English until the loader provides it.
fn missing_language(ui_lang: Option<&str>, article_lang: Option<&str>) -> Option<Language> {
    ui_lang.or(article_lang).and_then(Language::from_tag).filter(|language| !language.available())
}

/// Where the element's article is to be fetched from (`data-src`), if anywhere.
fn data_src(element: &web_sys::Element) -> Option<String> {
    element.get_attribute("data-src").filter(|s| !s.trim().is_empty())
}

/// The article text by the element's own means: `data-src` fetched, else its content.
fn load(element: web_sys::Element, finish: impl FnOnce(web_sys::Element, String, Option<String>) + 'static) {
    match data_src(&element) {
        Some(src) => {
            let original = element.text_content().unwrap_or_default();
            // Before the options are read: the language the element's attributes name.
            let attr = |name: &str| element.get_attribute(name).filter(|v| !v.trim().is_empty());
            let l = ui_locale(attr("data-ui-lang").as_deref(), article_lang(&element, attr("data-lang").as_deref()).as_deref());
            element.set_text_content(Some(l.t("embed.loading")));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::fetch_text(&src).await {
                    Ok((text, _)) => {
                        element.set_text_content(Some(&original));
                        finish(element, text, page::absolute_url(&src));
                    }
                    Err(message) => show_error(&element, &l.f("embed.load_failed", &[("src", &src), ("detail", &message)])),
                }
            });
        }
        None => {
            let text = element.text_content().unwrap_or_default();
            finish(element, text, page::page_url());
        }
    }
}

/// Shows a problem in place of a widget (as text, never markup).
fn show_error(element: &web_sys::Element, message: &str) {
    element.set_text_content(Some(message));
    let _ = element.set_attribute("data-aa-error", "");
    let _ = element.set_attribute(MOUNTED, "");
}

/// The article's language code: the host's (`lang` option, `data-lang`), else the
/// nearest `lang` attribute of the page. It is segmented by that language's rules (a
/// tag's primary subtag: "uk-UA" is Ukrainian; none, or one without rules: English).
fn article_lang(host: &web_sys::Element, given: Option<&str>) -> Option<String> {
    let nearest = || host.closest("[lang]").ok().flatten().and_then(|e| e.get_attribute("lang"));
    given.map(str::to_owned).or_else(nearest).filter(|code| !code.trim().is_empty())
}

/// The id of a document whose host names none: the page's path plus the element, by its
/// `id` attribute, else by its place among the page's widget elements in document order.
/// So the same element on the same page finds its tags again when it is mounted again
/// (a single-page app, a re-added element); a counter of mounts would not.
fn default_doc_id(host: &web_sys::Element, document: &web_sys::Document) -> String {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    let own = host.id();
    if !own.is_empty() {
        return format!("{path}#{own}");
    }
    let mut before = 0;
    if let Ok(hosts) = document.query_selector_all(&format!("{SELECTOR}, [{MOUNTED}]")) {
        for i in 0..hosts.length() {
            let Some(other) = hosts.item(i) else { continue };
            let precedes = other.compare_document_position(host) & web_sys::Node::DOCUMENT_POSITION_FOLLOWING != 0;
            if precedes && !other.is_same_node(Some(host)) {
                before += 1;
            }
        }
    }
    format!("{path}#{before}")
}

/// When a widget's article is segmented and first rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Render {
    /// Both in the call (`mount()`: the host may use the widget at once); a long
    /// article is still prepared between frames.
    Now,
    /// Each in a task of its own (an auto-mounted element: nothing waits for it), so
    /// neither makes the page's load one long task.
    InTasks,
}

impl Widget {
    /// Renders a widget into `host` and registers it.
    pub fn create(host: web_sys::Element, options: MountOptions, when: Render) -> Result<Rc<Widget>, String> {
        if host.has_attribute(MOUNTED) {
            return Err("this element already holds a widget; call destroy() on it first".into());
        }
        let document = document().ok_or("no document")?;
        styles::ensure_base();
        let id = styles::new_scope();
        let doc_id = options.doc_id.clone().unwrap_or_else(|| default_doc_id(&host, &document));
        // Two live widgets writing one document would each take the other's work for a
        // stale copy: the second is refused, saying how to tell them apart.
        if WIDGETS.with(|w| w.borrow().iter().any(|other| other.is_live() && other.doc_id == doc_id)) {
            return Err(format!(
                "another widget on this page already shows document \"{doc_id}\": give each widget its own data-doc-id (or docId), or destroy() the other first"
            ));
        }
        let lang_code = article_lang(&host, options.lang.as_deref());
        let lang = lang_code.as_deref().map_or(Lang::ENGLISH, |code| Lang::resolve(code).lang);
        let locale = Rc::new(ui_locale(options.ui_lang.as_deref(), lang_code.as_deref()));
        let wanted = missing_language(options.ui_lang.as_deref(), lang_code.as_deref()).filter(|l| !UNAVAILABLE.with(|u| u.borrow().contains(l)));
        // Right to left by the language the host names, else by the text (a page's own
        // lang, often "en", says little about an article quoted in it): the widget mirrors.
        let dir = crate::core::text::direction(options.lang.as_deref(), &options.text);
        // The host's own content (an inline article) is kept aside and put back on destroy;
        // when the loader shows the text already, it has set it aside, and its text stays
        // until the widget's first render replaces it in the same frame.
        let pre_shown = head_start::shown(&host);
        let original = match head_start::original(&host) {
            Some(original) if pre_shown => original,
            set_aside => {
                let original = document.create_document_fragment();
                if let Some(set_aside) = set_aside {
                    let _ = original.append_child(&set_aside);
                }
                head_start::remove(&host);
                while let Some(child) = host.first_child() {
                    original.append_child(&child).map_err(|e| format!("{e:?}"))?;
                }
                original
            }
        };
        let container = document.create_element("div").map_err(|e| format!("{e:?}"))?;
        let _ = container.set_attribute("class", "aa-host");
        let _ = container.set_attribute("dir", dir.attribute());
        host.append_child(&container).map_err(|e| format!("{e:?}"))?;
        let _ = host.set_attribute(MOUNTED, "");
        let _ = host.remove_attribute(DESTROYED);
        let MountOptions { text, labels, source, read_only, storage, title, library, annotator, sync, .. } = options;
        // As documented: without a source, the article is the page it is on.
        let source = source.or_else(page::page_url);
        let labels = Rc::new(labels);
        let launch = Launch { labels: labels.clone(), source: source.clone(), read_only, storage, title, library, lang, lang_code, annotator, locale: locale.clone(), sync, staged: pre_shown && when == Render::InTasks };
        let widget = Rc::new(Widget {
            id,
            doc_id: doc_id.clone(),
            host,
            container,
            app: RefCell::new(None),
            launch: RefCell::new(Some(launch)),
            source,
            destroyed: Cell::new(false),
            shown: Rc::default(),
            bridge: Rc::new(Bridge::default()),
            label_sheet: styles::adopt_labels(id, &labels),
            original,
            preloaded: Preloaded::default(),
            wanted: Cell::new(wanted),
            props: RefCell::new(None),
        });
        WIDGETS.with(|w| w.borrow_mut().push(widget.clone()));
        if let Some(language) = wanted {
            // Heard by the loader (capture phase), which fetches it and provides it.
            let _ = widget.host.set_attribute(WANTS_LANGUAGE, language.code());
            if let Ok(event) = web_sys::Event::new(CATALOGUE) {
                let _ = widget.host.dispatch_event(&event);
            }
        }
        if text.len() <= prepare::LONG_ARTICLE && when == Render::Now {
            widget.render(Document::new_in(doc_id, &text, lang));
        } else {
            // A long article, or any auto-mounted one, is segmented between frames, so
            // the page stays responsive: no task of the load is long.
            let at_once = if when == Render::Now { prepare::LONG_ARTICLE } else { 0 };
            let preparing = widget.clone();
            let _ = widget.container.set_attribute("role", "status");
            wasm_bindgen_futures::spawn_local(async move {
                if when == Render::InTasks {
                    // The options were read in this task: the segmenting starts in the next.
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
                // Over the loader's text, the progress is for assistive technology only.
                let progress = |share: f64| {
                    let line = locale.f("embed.preparing", &[("percent", &locale.decimal(share * 100.0, 0))]);
                    if pre_shown {
                        let _ = preparing.container.set_attribute("aria-label", &line);
                    } else {
                        preparing.container.set_text_content(Some(&line));
                    }
                };
                let Some(doc) = prepare::document(doc_id, text, lang, at_once, progress, || preparing.destroyed.get()).await else { return };
                // The catalogue of its language, when the loader is still fetching it: a
                // moment is waited for it, so that the widget starts in that language.
                let mut waited = 0;
                while preparing.wanted.get().is_some() && waited < CATALOGUE_WAIT_MS && !preparing.destroyed.get() {
                    gloo_timers::future::TimeoutFuture::new(20).await;
                    waited += 20;
                }
                // Each of the last steps is a task of its own: what storage holds for the
                // document (the library reads it on its first render), then the first render.
                gloo_timers::future::TimeoutFuture::new(0).await;
                let launch = preparing.launch.borrow().as_ref().map(|l| (l.storage, l.library, l.locale.clone()));
                let Some((mode, library, locale)) = launch.filter(|_| !preparing.destroyed.get()) else { return };
                if !library {
                    preparing.preloaded.read(&doc, mode, &locale);
                    gloo_timers::future::TimeoutFuture::new(0).await;
                }
                if !preparing.destroyed.get() {
                    let _ = preparing.container.remove_attribute("role");
                    let _ = preparing.container.remove_attribute("aria-label");
                    preparing.container.set_text_content(None);
                    preparing.render(doc);
                }
            });
        }
        Ok(widget)
    }

    /// Renders the widget on its prepared article.
    fn render(&self, doc: Document) {
        let Some(launch) = self.launch.borrow_mut().take() else { return };
        let syncs = !crate::ui::FULL && crate::ui::hooks::initial_settings(launch.sync.as_ref(), "").is_some();
        let props = AnnotatorProps {
            doc: Rc::new(doc),
            labels: launch.labels,
            source: launch.source.map(Into::into),
            read_only: launch.read_only,
            storage: launch.storage,
            widget: self.id,
            lang: launch.lang_code.map(Into::into),
            locale: launch.locale,
            annotator: launch.annotator.map_or(AttrValue::Static(DEFAULT_ANNOTATOR), Into::into),
            bridge: BridgeRef(self.bridge.clone()),
            sync: launch.sync,
            title: launch.title.clone().map(Into::into),
            initial_focus: None,
            on_focus: None,
            on_change: None,
            on_other_file: None,
            preloaded: self.preloaded.clone(),
            on_article: None,
        };
        let root = self.container.clone();
        // The embed build has no library: it shows the article alone, and its loader
        // swaps in the full build, which shows the library around it.
        if !crate::ui::FULL && (launch.library || syncs) {
            // The library and team sync are the full build's: heard by the loader in its
            // capture phase, this swaps it in. Meanwhile the article is there to tag.
            if let Ok(event) = web_sys::Event::new(UPGRADE) {
                let _ = self.host.dispatch_event(&event);
            }
        }
        // Rendered in one go: shown now, and the loader's text goes in a microtask after
        // Yew's first render (queued by `render()`), both before the next frame, so the
        // text gives way to the same text with no frame in between.
        let show_at_once = || {
            self.shown.set(true);
            let host = self.host.clone();
            wasm_bindgen_futures::spawn_local(async move { head_start::remove(&host) });
        };
        if !launch.library {
            *self.props.borrow_mut() = Some(props.clone());
        }
        let app = if launch.library && crate::ui::FULL {
            show_at_once();
            let props = LibraryProps { article: props, title: launch.title.map(Into::into), lang: launch.lang };
            App::Library(yew::Renderer::<Library>::with_root_and_props(root, props).render())
        } else if launch.staged {
            let host = self.host.clone();
            // Out of sight until its article is there; then it shows, and the loader's text
            // goes, in that one task.
            let _ = self.container.set_attribute(WAITING, "");
            let (container, shown) = (self.container.clone(), self.shown.clone());
            let on_article = Callback::from(move |()| {
                shown.set(true);
                let _ = container.remove_attribute(WAITING);
                head_start::remove(&host);
            });
            App::Single(yew::Renderer::<Annotator>::with_root_and_props(root, AnnotatorProps { on_article: Some(on_article), ..props }).render())
        } else {
            show_at_once();
            App::Single(yew::Renderer::<Annotator>::with_root_and_props(root, props).render())
        };
        *self.app.borrow_mut() = Some(app);
        self.open_asked();
    }

    /// The widget in `language`, now that its catalogue is here: before its first render
    /// it starts in it; after, the annotator is rendered again, with its tags: pending ones
    /// are written first and read back, or, with storage off, carried over from memory.
    /// Should a write fail (storage full or blocked), it stays English rather than risk one.
    fn relocalise(&self, language: Language) {
        let locale = Rc::new(Locale::of(language));
        if let Some(launch) = self.launch.borrow_mut().as_mut() {
            launch.locale = locale;
            return;
        }
        if self.destroyed.get() || !matches!(*self.app.borrow(), Some(App::Single(_))) {
            return;
        }
        let Some(props) = self.props.borrow_mut().take() else { return };
        let preloaded = if props.storage == StorageMode::None {
            self.bridge.with_state(Preloaded::carried)
        } else {
            self.bridge.flush();
            self.bridge.all_saved().then(Preloaded::default)
        };
        let Some(preloaded) = preloaded else {
            *self.props.borrow_mut() = Some(props);
            return;
        };
        if let Some(App::Single(app)) = self.app.borrow_mut().take() {
            app.destroy();
        }
        // Rendered in one go once its article shows (else as it began: out of sight, the
        // loader's text in its place, until the article is there).
        let on_article = if self.shown.get() { None } else { props.on_article.clone() };
        let props = AnnotatorProps { locale, preloaded, on_article, ..props };
        *self.props.borrow_mut() = Some(props.clone());
        *self.app.borrow_mut() = Some(App::Single(yew::Renderer::<Annotator>::with_root_and_props(self.container.clone(), props).render()));
    }

    /// What the reader asked for before the loader swapped in this build (the attribute
    /// `data-aa-open`, a toolbar action: "compare", "sync"): pressed for them once the
    /// widget is there, so one press does it. Their press still counts as the page's user
    /// activation for a file chooser for a few seconds.
    fn open_asked(&self) {
        let Some(action) = self.host.get_attribute(OPEN) else { return };
        let _ = self.host.remove_attribute(OPEN);
        let container = self.container.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // After the first render's commit.
            gloo_timers::future::TimeoutFuture::new(0).await;
            let selector = format!("[data-action=\"{}\"]", action.replace(['"', '\\'], ""));
            if let Some(button) = container.query_selector(&selector).ok().flatten().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                button.click();
            }
        });
    }

    /// Removes the widget: its DOM, its listeners (they live on its container), its
    /// label styles, the host's listeners on it; the host's own content comes back.
    pub fn destroy(&self) {
        if self.destroyed.replace(true) {
            return;
        }
        // Pending tags are written before anything goes.
        self.bridge.flush();
        match self.app.borrow_mut().take() {
            Some(App::Single(app)) => app.destroy(),
            Some(App::Library(app)) => app.destroy(),
            None => {}
        }
        self.container.remove();
        if let Some(sheet) = &self.label_sheet {
            styles::drop_sheet(sheet);
        }
        self.bridge.clear();
        let _ = self.host.append_child(&self.original);
        let _ = self.host.remove_attribute(MOUNTED);
        WIDGETS.with(|w| w.borrow_mut().retain(|other| other.id != self.id));
    }

    /// Destroyed by the host: its element is marked first, so that the page's observer,
    /// seeing the element's content come back, does not mount it again.
    pub fn let_go(&self) {
        if self.is_live() {
            let _ = self.host.set_attribute(DESTROYED, "");
        }
        self.destroy();
    }

    fn is_live(&self) -> bool {
        !self.destroyed.get()
    }

    /// The registered widget whose host is `element`, once it shows its article.
    fn on(element: &web_sys::Element) -> Option<Rc<Widget>> {
        WIDGETS.with(|w| w.borrow().iter().find(|w| &w.host == element && w.shown.get()).cloned())
    }
}
