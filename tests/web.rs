//! Browser tests of the components (wasm-bindgen-test in headless Chromium):
//! `cargo xtask test` runs them with `cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use article_annotator::{mount, WidgetHandle};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).unwrap_or_else(|| panic!("no document"))
}

fn storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).unwrap_or_else(|| panic!("no localStorage"))
}

/// Lets Yew's scheduler render (it runs after the current task).
async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .unwrap_or_else(|| panic!("no window"))
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

fn host() -> Element {
    let el = document().create_element("div").unwrap_or_else(|e| panic!("{e:?}"));
    document().body().unwrap_or_else(|| panic!("no body")).append_child(&el).unwrap_or_else(|e| panic!("{e:?}"));
    el
}

async fn mounted(doc_id: &str, text: &str) -> (Element, WidgetHandle) {
    let el = host();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"text".into(), &text.into());
    let _ = js_sys::Reflect::set(&options, &"docId".into(), &doc_id.into());
    let handle = mount(el.clone().into(), options.into()).unwrap_or_else(|e| panic!("mount failed: {:?}", JsValue::from(e)));
    settle().await;
    (el, handle)
}

fn sentence(root: &Element, index: usize) -> HtmlElement {
    root.query_selector(&format!("[data-sentence=\"{index}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| panic!("sentence {index} not rendered"))
}

fn labels(root: &Element, index: usize) -> String {
    sentence(root, index).get_attribute("data-labels").unwrap_or_else(|| panic!("no data-labels"))
}

async fn press(target: &HtmlElement, key: &str, ctrl: bool, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap_or_else(|e| panic!("{e:?}"));
    let _ = target.dispatch_event(&event);
    settle().await;
}

fn active_sentence() -> Option<String> {
    document().active_element().and_then(|e| e.get_attribute("data-sentence"))
}

const TEXT: &str = "First sentence here. Second one follows.\nA new paragraph starts.";

#[wasm_bindgen_test]
async fn renders_sentences_and_paragraphs_with_the_contract_attributes() {
    storage().clear().ok();
    let (root, _handle) = mounted("web-render", TEXT).await;
    assert_eq!(root.query_selector_all("[data-sentence]").map(|l| l.length()).unwrap_or(0), 3);
    assert_eq!(root.query_selector_all(".aa-paragraph").map(|l| l.length()).unwrap_or(0), 2);
    assert_eq!(sentence(&root, 1).text_content().as_deref(), Some("Second one follows."));
    assert_eq!(labels(&root, 0), "");
    assert_eq!(sentence(&root, 0).get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(sentence(&root, 2).get_attribute("tabindex").as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
async fn number_keys_toggle_labels_and_zero_clears() {
    storage().clear().ok();
    let (root, _handle) = mounted("web-keys", TEXT).await;
    let s = sentence(&root, 1);
    s.focus().ok();
    press(&s, "1", false, false).await;
    assert_eq!(labels(&root, 1), "claim");
    press(&s, "3", false, false).await;
    press(&s, "2", false, false).await;
    assert_eq!(labels(&root, 1), "claim quote position", "label-set order, not key order");
    press(&s, "1", false, false).await;
    assert_eq!(labels(&root, 1), "quote position");
    press(&s, "0", false, false).await;
    assert_eq!(labels(&root, 1), "");
    let count = root.query_selector(".aa-count[data-label=\"claim\"]").ok().flatten().and_then(|e| e.text_content());
    assert!(count.is_some_and(|t| t.contains('0')));
}

#[wasm_bindgen_test]
async fn j_k_and_arrows_move_the_focus_and_undo_restores() {
    storage().clear().ok();
    let (root, _handle) = mounted("web-move", TEXT).await;
    sentence(&root, 0).focus().ok();
    press(&sentence(&root, 0), "j", false, false).await;
    assert_eq!(active_sentence().as_deref(), Some("1"));
    press(&sentence(&root, 1), "ArrowDown", false, false).await;
    assert_eq!(active_sentence().as_deref(), Some("2"));
    press(&sentence(&root, 2), "k", false, false).await;
    assert_eq!(active_sentence().as_deref(), Some("1"));
    press(&sentence(&root, 1), "2", false, false).await;
    press(&sentence(&root, 1), "z", true, false).await;
    assert_eq!(labels(&root, 1), "");
    press(&sentence(&root, 1), "Z", true, true).await;
    assert_eq!(labels(&root, 1), "quote");
}

#[wasm_bindgen_test]
async fn clicking_opens_the_picker_whose_buttons_toggle() {
    storage().clear().ok();
    let (root, _handle) = mounted("web-click", TEXT).await;
    sentence(&root, 2).click();
    settle().await;
    let button: HtmlElement = root
        .query_selector(".aa-picker button[data-label=\"position\"]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .unwrap_or_else(|| panic!("picker did not open"));
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("false"));
    button.click();
    settle().await;
    assert_eq!(labels(&root, 2), "position");
    press(&sentence(&root, 2), "Escape", false, false).await;
    assert!(root.query_selector(".aa-picker").ok().flatten().is_none());
}

#[wasm_bindgen_test]
async fn tags_are_saved_and_restored_by_a_new_widget() {
    storage().clear().ok();
    let (root, handle) = mounted("web-save", TEXT).await;
    sentence(&root, 0).focus().ok();
    press(&sentence(&root, 0), "1", false, false).await;
    let key = "article-annotator/v1/web-save";
    assert_eq!(storage().get_item(key).ok().flatten(), None, "saves wait for a pause in the changes");
    // Destroying the widget writes what is pending.
    handle.destroy();
    let saved = storage().get_item(key).ok().flatten().unwrap_or_default();
    assert!(saved.contains("\"exact\":\"First sentence here.\""), "stored compact: {saved}");
    assert_eq!(root.child_element_count(), 0, "destroy empties the element");
    let (again, _handle) = mounted("web-save", TEXT).await;
    assert_eq!(labels(&again, 0), "claim");
}

#[wasm_bindgen_test]
async fn corrupt_storage_is_backed_up_and_reported() {
    storage().clear().ok();
    storage().set_item("article-annotator/v1/web-corrupt", "{\"format\": \"article-annot").ok();
    let (root, _handle) = mounted("web-corrupt", TEXT).await;
    let notice = root.query_selector(".aa-notice").ok().flatten().and_then(|e| e.text_content()).unwrap_or_default();
    assert!(notice.contains("could not be read"), "{notice}");
    assert_eq!(
        storage().get_item("article-annotator/backup/web-corrupt").ok().flatten().as_deref(),
        Some("{\"format\": \"article-annot")
    );
    assert_eq!(root.query_selector_all("[data-sentence]").map(|l| l.length()).unwrap_or(0), 3, "still usable");
}

#[wasm_bindgen_test]
async fn hostile_text_renders_as_text() {
    storage().clear().ok();
    let (root, _handle) = mounted("web-hostile", "<img src=x onerror=\"window.pwned=1\"> is here. <script>window.pwned=2</script> Done.").await;
    assert!(root.query_selector("img, script").ok().flatten().is_none());
    assert!(sentence(&root, 0).text_content().unwrap_or_default().starts_with("<img"));
}

#[wasm_bindgen_test]
async fn mount_rejects_missing_text_with_an_error() {
    let el = host();
    let result = mount(el.into(), js_sys::Object::new().into());
    let message = result.err().map(|e| format!("{:?}", JsValue::from(e))).unwrap_or_default();
    assert!(message.contains("options.text"), "{message}");
}

#[wasm_bindgen_test]
async fn read_only_widgets_navigate_and_export_but_never_tag() {
    storage().clear().ok();
    let el = host();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"text".into(), &TEXT.into());
    let _ = js_sys::Reflect::set(&options, &"docId".into(), &"web-readonly".into());
    let _ = js_sys::Reflect::set(&options, &"readOnly".into(), &true.into());
    let _handle = mount(el.clone().into(), options.into()).unwrap_or_else(|e| panic!("{:?}", JsValue::from(e)));
    settle().await;
    let s = sentence(&el, 0);
    s.focus().ok();
    press(&s, "1", false, false).await;
    assert_eq!(labels(&el, 0), "");
    press(&s, "j", false, false).await;
    assert_eq!(active_sentence().as_deref(), Some("1"), "navigation still works");
    sentence(&el, 1).click();
    settle().await;
    assert!(el.query_selector(".aa-picker").ok().flatten().is_none(), "no picker");
    let buttons: Vec<String> = (0..el.query_selector_all(".aa-toolbar button").map(|l| l.length()).unwrap_or(0))
        .filter_map(|i| el.query_selector_all(".aa-toolbar button").ok()?.item(i)?.text_content())
        .collect();
    assert_eq!(buttons, ["?", "Export CSV", "Export .jsonl", "Export W3C", "Export JSON"], "help and exports, nothing that changes tags");
}

/// 60 paragraphs of two sentences: three runs of paragraphs, all shown at once.
fn long_text() -> String {
    (1..=60).map(|p| format!("Paragraph {p} opens here. It closes with this one.\n")).collect()
}

#[wasm_bindgen_test]
async fn a_tag_re_renders_one_sentence_and_a_move_two() {
    use article_annotator::ui::sentence_render_count as renders;
    storage().clear().ok();
    let (root, handle) = mounted("web-render-count", &long_text()).await;
    settle().await;
    assert_eq!(root.query_selector_all("[data-sentence]").map(|l| l.length()).unwrap_or(0), 120);
    let s = sentence(&root, 40);
    s.focus().ok();
    settle().await;
    let before = renders();
    press(&s, "1", false, false).await;
    assert_eq!(labels(&root, 40), "claim");
    assert_eq!(renders() - before, 1, "tagging sentence 40 re-rendered {} sentence components", renders() - before);
    let before = renders();
    press(&s, "2", false, false).await;
    press(&s, "0", false, false).await;
    assert_eq!(labels(&root, 40), "");
    assert_eq!(renders() - before, 2, "two more changes of sentence 40, two renders");
    let before = renders();
    press(&s, "j", false, false).await;
    assert_eq!(active_sentence().as_deref(), Some("41"));
    assert_eq!(renders() - before, 2, "a move changes the tab stop of two sentences, and only theirs");
    handle.destroy();
}
