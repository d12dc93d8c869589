//! "Export JSON" and "Export W3C": the file, offered for download; a failure becomes a notice.

use yew::prelude::*;

use crate::core::codec::table::{self, Table};
use crate::core::codec::{native, w3c};
use crate::core::i18n::Locale;
use crate::core::time::rfc3339_from_millis;
use crate::platform::{download, now_ms};
use crate::ui::persistence::Notice;
use crate::ui::shared::Shared;

/// The export actions.
pub struct Exports {
    /// Downloads the native JSON (unreadable stored items included).
    pub json: Callback<()>,
    /// Downloads the W3C Web Annotation collection.
    pub w3c: Callback<()>,
    /// Downloads the long table, one row per sentence, as CSV.
    pub csv: Callback<()>,
    /// The same as JSON Lines.
    pub jsonl: Callback<()>,
}

/// The export actions of a widget whose article comes from `source`.
#[hook]
pub fn use_exports(state: UseReducerHandle<Shared>, source: Option<AttrValue>, annotator: AttrValue, notice: UseStateHandle<Option<Notice>>, l: std::rc::Rc<Locale>) -> Exports {
    let offer = move |name: String, mime: &'static str, content: String| {
        if let Err(message) = download::download(&name, mime, &content) {
            notice.set(Some(Notice { text: l.f("notice.export_failed", &[("detail", &message)]), backup: None }));
        }
    };
    let json = {
        let (state, offer) = (state.clone(), offer.clone());
        Callback::from(move |()| {
            let s = &state.0;
            let json = native::encode(&s.doc, s.annotations(), &s.unreadable);
            offer(download::file_name_for(&s.doc.id, "-annotations.json"), "application/json", json);
        })
    };
    let table = |kind: Table, suffix: &'static str, mime: &'static str| {
        let (state, offer, annotator) = (state.clone(), offer.clone(), annotator.clone());
        Callback::from(move |()| {
            let s = &state.0;
            let annotations: Vec<_> = s.annotations().cloned().collect();
            let text = table::reader_table(&[(&*s.doc, &annotations)], &annotator, kind);
            offer(download::file_name_for(&s.doc.id, suffix), mime, text);
        })
    };
    let csv = table(Table::Csv, "-annotations.csv", "text/csv");
    let jsonl = table(Table::Jsonl, "-annotations.jsonl", "application/x-ndjson");
    let w3c = Callback::from(move |()| {
        let s = &state.0;
        let now = rfc3339_from_millis(now_ms());
        let context = w3c::ExportContext { source: source.as_deref(), now: &now };
        let json = w3c::export(&s.doc, s.annotations_placed(), &context);
        offer(download::file_name_for(&s.doc.id, "-w3c.jsonld"), "application/ld+json", json);
    });
    Exports { json, w3c, csv, jsonl }
}
