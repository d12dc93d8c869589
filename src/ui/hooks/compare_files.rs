//! "Compare with…": other annotators' exports, read for the compare view and kept
//! apart from the reader's own tags (nothing is merged into them).

use std::rc::Rc;

use yew::prelude::*;

use crate::core::agreement::source::{annotator_name, read_annotator_file};
use crate::core::codec::MAX_IMPORT_BYTES;
use crate::core::i18n::Locale;
use crate::core::model::{Annotation, Document};
use crate::platform::files;
use crate::ui::persistence::Notice;

/// One other annotator's work, from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Other {
    /// The annotator's name: the file's name without its extension (made unique).
    pub name: AttrValue,
    /// What the file holds for this article.
    pub annotations: Rc<Vec<Annotation>>,
}

/// The files compared and the actions on them.
pub struct CompareFiles {
    /// The annotators read so far, in the order chosen.
    pub others: Rc<Vec<Other>>,
    /// Whether the compare view is open.
    pub open: bool,
    /// The hidden file input "Compare with…" clicks.
    pub input: NodeRef,
    /// Opens the file chooser.
    pub choose: Callback<()>,
    /// The file input's change: reads every file chosen, then opens the view.
    pub picked: Callback<Event>,
    /// Drops annotator N from the comparison.
    pub remove: Callback<usize>,
    /// Opens (`true`) or closes the view.
    pub show: Callback<bool>,
}

/// "Compare with…" for the article `doc`; `own` is the reader's annotator name.
#[hook]
pub fn use_compare_files(doc: Rc<Document>, own: AttrValue, notice: UseStateHandle<Option<Notice>>, l: Rc<Locale>) -> CompareFiles {
    // The embed build reads no files for comparing: its loader swaps in the full build
    // when "Compare with…" is pressed. (Every render of a build takes the same path.)
    if !crate::ui::FULL {
        return CompareFiles { others: Rc::default(), open: false, input: NodeRef::default(), choose: Callback::noop(), picked: Callback::noop(), remove: Callback::noop(), show: Callback::noop() };
    }
    let others = use_state(|| Rc::new(Vec::<Other>::new()));
    let open = use_state(|| false);
    let input = use_node_ref();
    let choose = super::file_chooser(&input);
    let picked = {
        let (others, open) = (others.clone(), open.clone());
        Callback::from(move |e: Event| {
            let chosen = files::picked_files(&e);
            if chosen.is_empty() {
                return;
            }
            let (doc, others, open, notice, own, l) = (doc.clone(), others.clone(), open.clone(), notice.clone(), own.clone(), l.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut list: Vec<Other> = others.as_ref().clone();
                let mut messages = Vec::new();
                for file in chosen {
                    let file_name = file.name();
                    let read = files::read_text(file, MAX_IMPORT_BYTES, &l).await.and_then(|raw| read_annotator_file(&raw, &doc).map_err(|e| e.to_string()));
                    match read {
                        Ok(read) => {
                            let taken: Vec<&str> = std::iter::once(own.as_str()).chain(list.iter().map(|o| o.name.as_str())).collect();
                            let name = annotator_name(&file_name, &taken);
                            messages.extend(read.warnings.iter().map(|w| l.f("compare.file.warning", &[("file", &file_name), ("warning", w)])));
                            list.push(Other { name: name.into(), annotations: Rc::new(read.annotations) });
                        }
                        Err(why) => messages.push(l.f("compare.file.refused", &[("file", &file_name), ("why", &why)])),
                    }
                }
                notice.set((!messages.is_empty()).then(|| Notice { text: messages.join(" "), backup: None }));
                others.set(Rc::new(list));
                open.set(true);
            });
        })
    };
    let remove = {
        let others = others.clone();
        Callback::from(move |n: usize| {
            let mut list = others.as_ref().clone();
            if n < list.len() {
                list.remove(n);
                others.set(Rc::new(list));
            }
        })
    };
    let show = {
        let open = open.clone();
        Callback::from(move |on: bool| open.set(on))
    };
    CompareFiles { others: (*others).clone(), open: *open, input, choose, picked, remove, show }
}
