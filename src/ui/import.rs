//! The import dialog: what a file holds, what was skipped and why, merge or replace.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
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
    let l = use_locale();
    let preview = &props.preview;
    let format = match preview.format {
        Format::Native => l.t("import.format.native"),
        Format::W3c => l.t("import.format.w3c"),
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
            <h2 id="aa-import-title" class="aa-dialog-title">{ l.f("import.title", &[("name", &props.file_name)]) }</h2>
            <p class="aa-import-summary">
                { l.n("import.found", found, &[("format", format)]) }
                if !preview.problems.is_empty() {
                    { l.n("import.skipped", preview.problems.len(), &[]) }
                }
                { l.t("import.found.end") }
            </p>
            if let Some(id) = other_doc {
                <p class="aa-import-warning">{ l.f("import.other_document", &[("id", id)]) }</p>
            }
            if !preview.problems.is_empty() {
                <ul class="aa-problems" aria-label={l.t("import.skipped_items")}>
                    { for preview.problems.iter().take(50).map(|p| html! {
                        <li><code>{ &p.path }</code>{ ": " }{ &p.message }</li>
                    }) }
                    if preview.problems.len() > 50 {
                        <li>{ l.n("list.more", preview.problems.len() - 50, &[]) }</li>
                    }
                </ul>
            }
            <div class="aa-dialog-actions">
                if found > 0 {
                    <button type="button" class="aa-button aa-primary" data-action="import-confirm" onclick={choose(Some(ImportMode::Merge))}>
                        { if props.have_annotations { l.t("import.merge") } else { l.t("import.import") } }
                    </button>
                    if props.have_annotations {
                        <button type="button" class="aa-button" data-action="import-replace" onclick={choose(Some(ImportMode::Replace))}>{ l.t("import.replace") }</button>
                    }
                }
                <button type="button" class="aa-button" data-action="cancel" onclick={choose(None)}>{ if found > 0 { l.t("dialog.cancel") } else { l.t("dialog.close") } }</button>
            </div>
        </div>
    }
}
