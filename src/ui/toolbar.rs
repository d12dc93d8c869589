//! Counts per label, progress, undo/redo and the export button.

use std::rc::Rc;

use yew::prelude::*;

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
    /// "Saved", "Saving…" or "Not saved" (empty: not stored at all).
    #[prop_or_default]
    pub save_status: AttrValue,
    /// Hides what changes annotations (undo, redo, import) in read-only mode.
    #[prop_or(true)]
    pub editable: bool,
}

/// The bar above the article.
#[component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    html! {
        <div class="aa-toolbar" role="group" aria-label="Annotation summary and actions">
            <div class="aa-counts">
                { for props.labels.iter().zip(&props.counts).enumerate().map(|(i, (label, count))| html! {
                    <span class={classes!("aa-count", format!("aa-label-{i}"))} data-label={label.name.clone()}>
                        <span class="aa-swatch" aria-hidden="true"></span>
                        { &label.name }{ " " }<strong>{ count }</strong>
                    </span>
                }) }
                <span class="aa-progress">{ format!("{} of {} sentences tagged", props.tagged, props.total) }</span>
                if !props.save_status.is_empty() {
                    <span class="aa-save-status" data-status={props.save_status.clone()}>{ props.save_status.clone() }</span>
                }
            </div>
            <div class="aa-actions">
                if props.editable {
                    <button type="button" class="aa-button" data-action="undo" disabled={!props.can_undo} title="Undo (Ctrl+Z)"
                        onclick={props.on_undo.reform(|_: MouseEvent| ())}>{ "Undo" }</button>
                    <button type="button" class="aa-button" data-action="redo" disabled={!props.can_redo} title="Redo (Ctrl+Shift+Z)"
                        onclick={props.on_redo.reform(|_: MouseEvent| ())}>{ "Redo" }</button>
                    <button type="button" class="aa-button" data-action="import" title="Import tags from a JSON file (or drop one on the widget)"
                        onclick={props.on_import.reform(|_: MouseEvent| ())}>{ "Import" }</button>
                }
                <button type="button" class="aa-button" data-action="compare" title="Compare these tags with other annotators' exports (JSON or library files), then settle a gold set"
                    onclick={props.on_compare.reform(|_: MouseEvent| ())}>{ "Compare with…" }</button>
                <button type="button" class="aa-button" data-action="help" aria-label="Keyboard help" title="Keyboard help (?)"
                    onclick={props.on_help.reform(|_: MouseEvent| ())}>{ "?" }</button>
                <button type="button" class="aa-button" data-action="export-csv" title="Download a table for analysis: one row per sentence (CSV, opens in a spreadsheet)"
                    onclick={props.on_export_csv.reform(|_: MouseEvent| ())}>{ "Export CSV" }</button>
                <button type="button" class="aa-button" data-action="export-jsonl" title="Download the same table as JSON Lines (one object per sentence)"
                    onclick={props.on_export_jsonl.reform(|_: MouseEvent| ())}>{ "Export .jsonl" }</button>
                <button type="button" class="aa-button" data-action="export-w3c" title="Download a W3C Web Annotation collection"
                    onclick={props.on_export_w3c.reform(|_: MouseEvent| ())}>{ "Export W3C" }</button>
                <button type="button" class="aa-button aa-primary" data-action="export-json" title="Download the tags as JSON"
                    onclick={props.on_export_json.reform(|_: MouseEvent| ())}>{ "Export JSON" }</button>
            </div>
        </div>
    }
}
