//! Counts per label, progress, undo/redo and the export button.

use std::rc::Rc;

use yew::prelude::*;

use super::locale::use_locale;
use crate::core::model::LabelSet;

/// The numbers and handlers the toolbar shows.
#[derive(Properties, PartialEq, Clone)]
pub struct ToolbarProps {
    /// The labels on offer.
    pub labels: Rc<LabelSet>,
    /// Sentences carrying each label, in label-set order.
    pub counts: Vec<usize>,
    /// Sentences with at least one label.
    pub tagged: usize,
    /// All sentences.
    pub total: usize,
    /// Whether undo / redo have anything to do.
    pub can_undo: bool,
    /// See `can_undo`.
    pub can_redo: bool,
    /// Undo, redo, export (native, W3C), import.
    pub on_undo: Callback<()>,
    /// See `on_undo`.
    pub on_redo: Callback<()>,
    /// See `on_undo`.
    pub on_export_json: Callback<()>,
    /// See `on_undo`.
    pub on_export_w3c: Callback<()>,
    /// See `on_undo`.
    pub on_import: Callback<()>,
    /// Downloads the table for analysis, CSV.
    pub on_export_csv: Callback<()>,
    /// The same, JSON Lines.
    pub on_export_jsonl: Callback<()>,
    /// Opens the keyboard help.
    pub on_help: Callback<()>,
    /// "Compare with…": chooses other annotators' exports and opens the compare view.
    pub on_compare: Callback<()>,
    /// "Saved", "Saving…" or "Not saved" in the reader's language (empty: not stored at all).
    #[prop_or_default]
    pub save_status: AttrValue,
    /// The same as a stable code (`saved`, `saving`, `not-saved`), for `data-status`.
    #[prop_or_default]
    pub save_code: AttrValue,
    /// What team sync says ("Synced", "Offline: 2 changes waiting"; empty: off).
    #[prop_or_default]
    pub sync_text: AttrValue,
    /// The sync state as the status object names it (`synced`, `offline`, …).
    #[prop_or_default]
    pub sync_state: AttrValue,
    /// Opens the Sync panel.
    pub on_sync: Callback<()>,
    /// Hides what changes annotations (undo, redo, import) in read-only mode.
    #[prop_or(true)]
    pub editable: bool,
}

/// The bar above the article.
#[component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let l = use_locale();
    let upgrade = (!crate::ui::FULL).then_some(AttrValue::Static(""));
    html! {
        <div class="aa-toolbar" role="group" aria-label={l.t("toolbar.label")}>
            <div class="aa-counts">
                { for props.labels.iter().zip(&props.counts).enumerate().map(|(i, (label, count))| html! {
                    <span class={classes!("aa-count", format!("aa-label-{i}"))} data-label={label.name.clone()}>
                        <span class="aa-swatch" aria-hidden="true"></span>
                        { &label.name }{ " " }<strong>{ count }</strong>
                    </span>
                }) }
                <span class="aa-progress">{ l.n("toolbar.progress", props.total, &[("tagged", &l.count(props.tagged))]) }</span>
                if !props.save_status.is_empty() {
                    <span class="aa-save-status" data-status={props.save_code.clone()}>{ props.save_status.clone() }</span>
                }
                if !props.sync_text.is_empty() {
                    <span class="aa-sync-status" data-sync-state={props.sync_state.clone()} role="status">{ props.sync_text.clone() }</span>
                }
            </div>
            <div class="aa-actions">
                if props.editable {
                    <button type="button" class="aa-button" data-action="undo" disabled={!props.can_undo} title={l.t("toolbar.undo.title")}
                        onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ l.t("toolbar.undo") }</button>
                    <button type="button" class="aa-button" data-action="redo" disabled={!props.can_redo} title={l.t("toolbar.redo.title")}
                        onclick={props.on_redo.reform(|_: MouseEvent| ())}>{ l.t("toolbar.redo") }</button>
                    <button type="button" class="aa-button" data-action="import" title={l.t("toolbar.import.title")}
                        onclick={props.on_import.reform(|_: MouseEvent| ())}>{ l.t("toolbar.import") }</button>
                }
                // Setting up sync and adjudicating write (to the team database, to a gold set):
                // not in a read-only widget.
                // The embed build has neither: its loader takes the click and swaps in the full build.
                if props.editable {
                    <button type="button" class="aa-button" data-action="sync" title={l.t("toolbar.sync.title")} data-aa-upgrade={upgrade.clone()}
                        onclick={props.on_sync.reform(|_: MouseEvent| ())}>{ l.t("toolbar.sync") }</button>
                    <button type="button" class="aa-button" data-action="compare" title={l.t("toolbar.compare.title")} data-aa-upgrade={upgrade}
                        onclick={props.on_compare.reform(|_: MouseEvent| ())}>{ l.t("toolbar.compare") }</button>
                }
                <button type="button" class="aa-button" data-action="help" aria-label={l.t("toolbar.help")} title={l.t("toolbar.help.title")}
                    onclick={props.on_help.reform(|_: MouseEvent| ())}>{ "?" }</button>
                <button type="button" class="aa-button" data-action="export-csv" title={l.t("toolbar.export_csv.title")}
                    onclick={props.on_export_csv.reform(|_: MouseEvent| ())}>{ l.t("toolbar.export_csv") }</button>
                <button type="button" class="aa-button" data-action="export-jsonl" title={l.t("toolbar.export_jsonl.title")}
                    onclick={props.on_export_jsonl.reform(|_: MouseEvent| ())}>{ l.t("toolbar.export_jsonl") }</button>
                <button type="button" class="aa-button" data-action="export-w3c" title={l.t("toolbar.export_w3c.title")}
                    onclick={props.on_export_w3c.reform(|_: MouseEvent| ())}>{ l.t("toolbar.export_w3c") }</button>
                <button type="button" class="aa-button aa-primary" data-action="export-json" title={l.t("toolbar.export_json.title")}
                    onclick={props.on_export_json.reform(|_: MouseEvent| ())}>{ l.t("toolbar.export_json") }</button>
            </div>
        </div>
    }
}
