//! Importing a file: picked or dropped, read and previewed, then merged or replaced by
//! the reader's choice. Dropped files that are not annotation files go elsewhere (the
//! library opens them as articles).

use std::rc::Rc;

use yew::prelude::*;

use crate::core::codec::{self, ImportPreview};
use crate::core::i18n::Locale;
use crate::core::state::{Action, ImportMode};
use crate::core::time::rfc3339_from_millis;
use crate::platform::{files, now_ms};
use crate::ui::bridge::BridgeRef;
use crate::ui::persistence::Notice;
use crate::ui::shared::Shared;

/// A file read for import, waiting for the reader's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingImport {
    /// Its name.
    pub file_name: AttrValue,
    /// What it holds.
    pub preview: Rc<ImportPreview>,
}

/// The import's state and actions.
pub struct FileImport {
    /// The file waiting for a choice, if any.
    pub pending: Option<PendingImport>,
    /// The hidden file input "Import" clicks.
    pub input: NodeRef,
    /// "Import": opens the file chooser.
    pub open: Callback<()>,
    /// The file input's change.
    pub picked: Callback<Event>,
    /// A drop on the widget.
    pub dropped: Callback<DragEvent>,
    /// The reader's choice in the dialog (`None`: cancel).
    pub choose: Callback<Option<ImportMode>>,
}

/// File import for a widget (`editable`: dropping does something at all).
#[hook]
pub fn use_file_import(state: UseReducerHandle<Shared>, notice: UseStateHandle<Option<Notice>>, bridge: BridgeRef, on_other_file: Option<Callback<web_sys::File>>, editable: bool, l: Rc<Locale>) -> FileImport {
    let pending = use_state(|| None::<PendingImport>);
    let input = use_node_ref();
    let read_file = {
        let (state, notice, pending, l) = (state.clone(), notice.clone(), pending.clone(), l.clone());
        Callback::from(move |file: web_sys::File| {
            let (doc, notice, pending, l) = (state.0.doc.clone(), notice.clone(), pending.clone(), l.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                let result = files::read_text(file, codec::MAX_IMPORT_BYTES, &l).await.and_then(|raw| {
                    codec::read_import(&raw, &doc, &rfc3339_from_millis(now_ms())).map_err(|e| l.f("import.cannot", &[("name", &name), ("detail", &e.describe(&l))]))
                });
                match result {
                    Ok(preview) => pending.set(Some(PendingImport { file_name: name.into(), preview: Rc::new(preview) })),
                    Err(message) => notice.set(Some(Notice { text: l.f("notice.nothing_changed", &[("message", &message)]), backup: None })),
                }
            });
        })
    };
    let open = super::file_chooser(&input);
    let picked = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = files::picked_file(&e) {
                read_file.emit(file);
            }
        })
    };
    let dropped = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        let Some(file) = files::dropped_file(&e).filter(|_| editable) else { return };
        match &on_other_file {
            Some(other) if !files::is_annotation_file(&file) => other.emit(file),
            _ => read_file.emit(file),
        }
        e.stop_propagation();
    });
    let choose = {
        let pending = pending.clone();
        Callback::from(move |mode: Option<ImportMode>| {
            if let (Some(mode), Some(waiting)) = (mode, pending.as_ref()) {
                let count = waiting.preview.annotations.len();
                bridge.0.dispatch(Action::Import { annotations: waiting.preview.annotations.clone(), mode, now_ms: now_ms() }, "import");
                notice.set(Some(Notice { text: l.n("import.done", count, &[("name", &waiting.file_name)]), backup: None }));
            }
            pending.set(None);
        })
    };
    FileImport { pending: (*pending).clone(), input, open, picked, dropped, choose }
}
