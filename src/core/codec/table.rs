//! Tables for analysis in a spreadsheet, R or pandas: annotators' work on one article,
//! sentence by sentence.
//!
//! - **long** (`long_csv`, `long_jsonl`): one row per sentence and annotator, every
//!   sentence × every annotator, so that an untagged sentence is an explicit empty
//!   label set rather than a missing row. Columns: `document`, `sentence` (0-based),
//!   `start`, `end` (code points), `text`, `labels`, `note`, `annotator`, `modified`.
//!   In CSV `labels` is space separated (label names hold no whitespace) and an absent
//!   note or time is an empty field; in JSONL `labels` is an array and they are `null`.
//!   Several notes on one sentence are joined with a line break.
//! - **wide** (`wide_csv`): one row per sentence, every sentence included:
//!   `document`, `sentence`, `start`, `end`, `text`, then one column per annotator
//!   (headed by its name, in the given order) with its labels, space separated.
//!
//! CSV is RFC 4180: CRLF after every record, a field holding `"`, `,`, CR or LF in
//! double quotes with its quotes doubled; UTF-8 with a byte-order mark, which
//! spreadsheets need to read it as UTF-8. Rows go sentence by sentence, annotators in
//! the given order within a sentence.

use serde::Serialize;

use crate::core::agreement::{AnnotatorTags, Ratings, SentenceTags};
use crate::core::model::{Annotation, Document};

/// The byte-order mark at the start of every CSV file.
pub const BOM: char = '\u{feff}';

/// The header of the long table.
pub const LONG_COLUMNS: [&str; 9] = ["document", "sentence", "start", "end", "text", "labels", "note", "annotator", "modified"];

/// One row of the long table (its JSONL form, field for field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LongRow<'a> {
    /// The document id.
    pub document: &'a str,
    /// 0-based sentence index.
    pub sentence: usize,
    /// First code point of the sentence.
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// The sentence.
    pub text: &'a str,
    /// The annotator's labels on it, in label-set order (empty: none).
    pub labels: &'a [String],
    /// The annotator's notes on it, joined by line breaks.
    pub note: Option<String>,
    /// The annotator.
    pub annotator: &'a str,
    /// When the annotator last changed its tags on this sentence.
    pub modified: Option<&'a str>,
}

/// The long table's rows: every sentence × every annotator.
pub fn long_rows<'a>(doc: &'a Document, ratings: &'a Ratings) -> Vec<LongRow<'a>> {
    static UNTAGGED: SentenceTags = SentenceTags { labels: Vec::new(), notes: Vec::new(), modified: None };
    let mut rows = Vec::with_capacity(doc.sentences().len() * ratings.annotators.len());
    for sentence in doc.sentences() {
        for annotator in &ratings.annotators {
            let tags = annotator.sentences.get(sentence.index).unwrap_or(&UNTAGGED);
            rows.push(LongRow {
                document: &doc.id,
                sentence: sentence.index,
                start: sentence.start,
                end: sentence.end,
                text: doc.sentence_text(sentence),
                labels: &tags.labels,
                note: (!tags.notes.is_empty()).then(|| tags.notes.join("\n")),
                annotator: &annotator.name,
                modified: tags.modified.as_deref(),
            });
        }
    }
    rows
}

/// The long table as CSV.
pub fn long_csv(doc: &Document, ratings: &Ratings) -> String {
    long_csv_all(&[(doc, ratings)])
}

/// The long tables of several documents as one CSV file (one header).
pub fn long_csv_all(sets: &[(&Document, &Ratings)]) -> String {
    let mut out = csv_start(&LONG_COLUMNS);
    for row in sets.iter().flat_map(|(doc, ratings)| long_rows(doc, ratings)) {
        let numbers = [row.sentence, row.start, row.end].map(|n| n.to_string());
        let labels = row.labels.join(" ");
        let fields = [row.document, &numbers[0], &numbers[1], &numbers[2], row.text, &labels, row.note.as_deref().unwrap_or(""), row.annotator, row.modified.unwrap_or("")];
        push_record(&mut out, &fields);
    }
    out
}

/// The long table as JSON Lines: one object per row, each line ending in `\n`.
pub fn long_jsonl(doc: &Document, ratings: &Ratings) -> String {
    long_jsonl_all(&[(doc, ratings)])
}

/// The long tables of several documents as one JSON Lines file.
pub fn long_jsonl_all(sets: &[(&Document, &Ratings)]) -> String {
    sets.iter()
        .flat_map(|(doc, ratings)| long_rows(doc, ratings))
        // A row of strings and numbers always serialises.
        .map(|row| serde_json::to_string(&row).unwrap_or_default() + "\n")
        .collect()
}

/// The wide table as CSV: one row per sentence, one column per annotator.
pub fn wide_csv(doc: &Document, ratings: &Ratings) -> String {
    let mut header: Vec<&str> = LONG_COLUMNS[..5].to_vec();
    header.extend(ratings.annotators.iter().map(|a| a.name.as_str()));
    let mut out = csv_start(&header);
    for sentence in doc.sentences() {
        let mut fields = vec![doc.id.clone(), sentence.index.to_string(), sentence.start.to_string(), sentence.end.to_string(), doc.sentence_text(sentence).to_owned()];
        fields.extend(ratings.annotators.iter().map(|a| a.sentences.get(sentence.index).map(|t| t.labels.join(" ")).unwrap_or_default()));
        push_record(&mut out, &fields);
    }
    out
}

/// Which table format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// The long table as CSV.
    Csv,
    /// The long table as JSON Lines.
    Jsonl,
}

/// One reader's annotations on each of `documents` as a long table: what "Export CSV"
/// and "Export JSONL" download (one document in the widget, every one in the library).
pub fn reader_table(documents: &[(&Document, &[Annotation])], annotator: &str, table: Table) -> String {
    let ratings: Vec<Ratings> = documents.iter().map(|(doc, annotations)| Ratings::new(doc, vec![AnnotatorTags::place(annotator, doc, annotations)])).collect();
    let sets: Vec<(&Document, &Ratings)> = documents.iter().map(|(doc, _)| *doc).zip(&ratings).collect();
    match table {
        Table::Csv => long_csv_all(&sets),
        Table::Jsonl => long_jsonl_all(&sets),
    }
}

fn csv_start(header: &[&str]) -> String {
    let mut out = String::from(BOM);
    push_record(&mut out, header);
    out
}

/// Appends one CSV record and its CRLF.
fn push_record(out: &mut String, fields: &[impl AsRef<str>]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field.as_ref());
    }
    out.push_str("\r\n");
}

/// Appends one CSV field, quoted when it holds a quote, comma, CR or LF.
pub fn push_field(out: &mut String, field: &str) {
    if field.contains(['"', ',', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::agreement::AnnotatorTags;
    use crate::core::anchor::target_for;
    use crate::core::model::Annotation;

    const TEXT: &str = "He said \"no, never\". Then he left.\nA third, with é.";

    fn ratings(doc: &Document) -> Ratings {
        let tag = |s: usize, labels: &[&str], note: Option<&str>| Annotation {
            id: format!("x{s}"),
            labels: labels.iter().map(|l| l.to_string()).collect(),
            note: note.map(str::to_owned),
            target: target_for(doc, &doc.sentences()[s]),
            created: "2026-12-01T10:00:00.000Z".into(),
            modified: "2026-12-01T11:00:00.000Z".into(),
            versions: Default::default(),
        };
        let a = AnnotatorTags::place("ann", doc, &[tag(0, &["quote", "claim"], Some("line one\nline \"two\""))]);
        let b = AnnotatorTags::place("bob", doc, &[tag(2, &["position"], None)]);
        Ratings::new(doc, vec![a, b])
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let mut out = String::new();
        for field in ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""] {
            push_field(&mut out, field);
            out.push('|');
        }
        assert_eq!(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"||");
    }

    #[test]
    fn long_csv_has_every_sentence_for_every_annotator() {
        let doc = Document::new("doc-1", TEXT);
        let csv = long_csv(&doc, &ratings(&doc));
        assert!(csv.starts_with("\u{feff}document,sentence,start,end,text,labels,note,annotator,modified\r\n"));
        let records: Vec<&str> = csv.trim_start_matches(BOM).split("\r\n").collect();
        // Header, 3 sentences × 2 annotators, and the empty string after the last CRLF.
        assert_eq!(records.len(), 1 + 6 + 1, "{csv}");
        assert_eq!(records[1], "doc-1,0,0,20,\"He said \"\"no, never\"\".\",claim quote,\"line one\nline \"\"two\"\"\",ann,2026-12-01T11:00:00.000Z");
        assert_eq!(records[2], "doc-1,0,0,20,\"He said \"\"no, never\"\".\",,,bob,");
        assert_eq!(records[6], "doc-1,2,35,51,\"A third, with é.\",position,,bob,2026-12-01T11:00:00.000Z");
    }

    #[test]
    fn jsonl_is_one_object_per_row_with_nulls_for_nothing() {
        let doc = Document::new("doc-1", TEXT);
        let jsonl = long_jsonl(&doc, &ratings(&doc));
        let rows: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap_or_default()).collect();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0]["labels"], serde_json::json!(["claim", "quote"]));
        assert_eq!(rows[0]["note"], "line one\nline \"two\"");
        assert_eq!(rows[1], serde_json::json!({"document": "doc-1", "sentence": 0, "start": 0, "end": 20, "text": "He said \"no, never\".", "labels": [], "note": null, "annotator": "bob", "modified": null}));
        assert!(jsonl.ends_with('\n'));
    }

    #[test]
    fn wide_csv_has_a_column_per_annotator() {
        let doc = Document::new("doc-1", TEXT);
        let csv = wide_csv(&doc, &ratings(&doc));
        let records: Vec<&str> = csv.trim_start_matches(BOM).split("\r\n").collect();
        assert_eq!(records[0], "document,sentence,start,end,text,ann,bob");
        assert_eq!(records[1], "doc-1,0,0,20,\"He said \"\"no, never\"\".\",claim quote,");
        assert_eq!(records[2], "doc-1,1,21,34,Then he left.,,");
        assert_eq!(records[3], "doc-1,2,35,51,\"A third, with é.\",,position");
    }
}
