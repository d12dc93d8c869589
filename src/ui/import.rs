//! The import dialog: what a file holds, what was skipped and why, merge or replace.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::codec::{Format, ImportPreview};
use crate::core::state::ImportMode;

/// The preview to show and what to do with it.
#[derive(Properties, PartialEq, Clone)]
pub struct ImportDialogProps {
    /// Name of the file read.
    pub file_name: AttrValue,
    /// What it holds.
    pub preview: Rc<ImportPreview>,
    /// The current document's id (to warn when a native file came from another).
    pub doc_id: AttrValue,
    /// Whether the reader has annotations that a replace would drop.
    pub have_annotations: bool,
    /// Merge, replace, or (None) cancel.
    pub on_choose: Callback<Option<ImportMode>>,
}

/// Lists the outcome of reading a file and offers merge / replace / cancel.
#[component(ImportDialog)]
pub fn import_dialog(props: &ImportDialogProps) -> Html {
    let preview = &props.preview;
    let format = match preview.format {
        Format::Native => "article-annotator JSON",
        Format::W3c => "W3C Web Annotation",
    };
    let found = preview.annotations.len();
    let other_doc = preview.source_document.as_deref().filter(|id| *id != props.doc_id.as_str());
    let choose = |mode: Option<ImportMode>| props.on_choose.reform(move |_: MouseEvent| mode);
    // Keys typed in the dialog must not tag sentences or close things behind it.
    let onkeydown = {
        let on_choose = props.on_choose.clone();
        Callback::from(move |e: KeyboardEvent| {
            e.stop_propagation();
            if e.key() == "Escape" {
                on_choose.emit(None);
            }
        })
    };
    html! {
        <div class="aa-dialog" role="dialog" aria-modal="false" aria-labelledby="aa-import-title" {onkeydown}>
            <h2 id="aa-import-title" class="aa-dialog-title">{ format!("Import “{}”", props.file_name) }</h2>
            <p class="aa-import-summary">
                { format!("{format}: {found} annotation{} can be imported", if found == 1 { "" } else { "s" }) }
                if !preview.problems.is_empty() {
                    { format!(", {} item{} skipped", preview.problems.len(), if preview.problems.len() == 1 { "" } else { "s" }) }
                }
                { "." }
            </p>
            if let Some(id) = other_doc {
                <p class="aa-import-warning">{ format!("This file was exported from another document (“{id}”). Its tags are placed by their quoted text; what is not found here is kept as orphaned.") }</p>
            }
            if !preview.problems.is_empty() {
                <ul class="aa-problems" aria-label="Skipped items">
                    { for preview.problems.iter().take(50).map(|p| html! {
                        <li><code>{ &p.path }</code>{ ": " }{ &p.message }</li>
                    }) }
                    if preview.problems.len() > 50 {
                        <li>{ format!("… and {} more", preview.problems.len() - 50) }</li>
                    }
                </ul>
            }
            <div class="aa-dialog-actions">
                if found > 0 {
                    <button type="button" class="aa-button aa-primary" onclick={choose(Some(ImportMode::Merge))}>
                        { if props.have_annotations { "Merge with mine" } else { "Import" } }
                    </button>
                    if props.have_annotations {
                        <button type="button" class="aa-button" onclick={choose(Some(ImportMode::Replace))}>{ "Replace mine" }</button>
                    }
                }
                <button type="button" class="aa-button" onclick={choose(None)}>{ if found > 0 { "Cancel" } else { "Close" } }</button>
            </div>
        </div>
    }
}
