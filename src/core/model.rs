//! The data the widget works on: a document split into sentences, labels, annotations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::i18n::Locale;
use super::store::clock::Stamp;

use super::segment::{segment_in, Lang, Span};
use super::text::{fingerprint, normalize, CharIndex};

/// One label a reader can put on a sentence. Labels are data, so a host can bring its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The name stored in annotations and shown on the badge, e.g. `claim`.
    pub name: String,
    /// The key that toggles it on the focused sentence, e.g. `1`.
    pub key: char,
    /// CSS colour of its highlight.
    pub color: String,
    /// Non-colour cue: the underline style (`solid`, `double`, `dashed`, `dotted`, `wavy`).
    pub line: String,
    /// What the label means: the annotation guideline the picker, the help and the
    /// Guidelines panel show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Label {
    /// What the label means, as the reader sees it: a default label's own description
    /// in the interface's language, a host's description as the host wrote it.
    pub fn description_in(&self, l: &Locale) -> Option<String> {
        let own = self.description.as_deref()?;
        let english = Locale::english();
        let shown = match self.name.as_str() {
            "claim" if own == english.t("label.claim.description") => l.t("label.claim.description"),
            "quote" if own == english.t("label.quote.description") => l.t("label.quote.description"),
            "position" if own == english.t("label.position.description") => l.t("label.position.description"),
            _ => own,
        };
        Some(shown.to_owned())
    }
}

/// The labels of one widget, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSet {
    labels: Vec<Label>,
}

impl Default for LabelSet {
    /// claim / quote / position on keys 1, 2, 3, described in English (the data); the
    /// reader sees each description in the interface's language ([`Label::description_in`]).
    fn default() -> Self {
        let english = Locale::english();
        let label = |name: &str, key, color: &str, line: &str, description: &str| Label {
            name: name.to_owned(),
            key,
            color: color.to_owned(),
            line: line.to_owned(),
            description: Some(description.to_owned()),
        };
        Self {
            labels: vec![
                label("claim", '1', "#b45309", "solid", english.t("label.claim.description")),
                label("quote", '2', "#1d4ed8", "double", english.t("label.quote.description")),
                label("position", '3', "#7e22ce", "dashed", english.t("label.position.description")),
            ],
        }
    }
}

impl LabelSet {
    /// A label set from validated labels (see [`crate::core::options::parse_labels`]).
    pub fn new(labels: Vec<Label>) -> Self {
        Self { labels }
    }

    /// The labels in display order.
    pub fn iter(&self) -> impl Iterator<Item = &Label> {
        self.labels.iter()
    }

    /// The label a key toggles, if any.
    pub fn by_key(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == key)
    }

    /// Whether `name` is one of these labels.
    pub fn contains(&self, name: &str) -> bool {
        self.labels.iter().any(|l| l.name == name)
    }

    /// Position of a label in display order (unknown labels sort last).
    pub fn rank(&self, name: &str) -> usize {
        self.labels.iter().position(|l| l.name == name).unwrap_or(usize::MAX)
    }

    /// Puts `names` in display order (unknown names last, alphabetically) and drops repeats.
    pub fn sort(&self, names: &mut Vec<String>) {
        names.sort_by(|a, b| (self.rank(a), a).cmp(&(self.rank(b), b)));
        names.dedup();
    }

    /// The label called `name`.
    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }
}

/// One sentence: code points `start..end` of the document text, no surrounding whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// 0-based position in the document.
    pub index: usize,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    byte_start: usize,
    byte_end: usize,
}

impl Sentence {
    /// UTF-8 byte range of the sentence in the document text.
    pub(crate) fn byte_range(&self) -> std::ops::Range<usize> {
        self.byte_start..self.byte_end
    }
}

/// An article, normalised and split into sentences and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Where its annotations are stored: from the host, else from the page.
    pub id: String,
    /// The normalised text; every offset points into it.
    pub text: String,
    /// [`fingerprint`] of `text`.
    pub fingerprint: String,
    sentences: Vec<Sentence>,
    /// Index of the first sentence of each paragraph.
    paragraph_starts: Vec<usize>,
    chars: CharIndex,
}

impl Document {
    /// Normalises and segments `text` (as English).
    pub fn new(id: impl Into<String>, text: &str) -> Self {
        Self::new_in(id, text, Lang::ENGLISH)
    }

    /// Normalises and segments `text`, written in `lang`.
    pub fn new_in(id: impl Into<String>, text: &str, lang: Lang) -> Self {
        let text = normalize(text);
        let spans = segment_in(&text, lang);
        Self::from_spans(id, text, spans)
    }

    /// A document from normalised text and its sentence spans, segmented beforehand
    /// (for instance piece by piece with [`SegmentPieces`], so a long article does not
    /// block the page).
    pub fn from_spans(id: impl Into<String>, text: String, spans: Vec<Span>) -> Self {
        let sentences: Vec<Sentence> = spans
            .into_iter()
            .enumerate()
            .map(|(index, Span { start, end, byte_start, byte_end })| Sentence {
                index,
                start,
                end,
                byte_start,
                byte_end,
            })
            .collect();
        let paragraph_starts = paragraph_starts(&text, &sentences);
        Self {
            id: id.into(),
            fingerprint: fingerprint(&text),
            chars: CharIndex::new(&text),
            text,
            sentences,
            paragraph_starts,
        }
    }

    /// The sentences in order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// The text of one sentence.
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.text[sentence.byte_start..sentence.byte_end]
    }

    /// Paragraphs as ranges of sentence indices: a line break between two sentences starts a new one.
    pub fn paragraphs(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let ends = self.paragraph_starts.iter().skip(1).copied().chain([self.sentences.len()]);
        self.paragraph_starts.iter().copied().zip(ends).map(|(a, b)| a..b)
    }

    /// Length of the text in code points.
    pub fn len_chars(&self) -> usize {
        self.chars.len_chars()
    }

    /// The text between two code-point offsets (clamped).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.chars.slice(&self.text, start, end)
    }

    /// The code-point offset of byte offset `at` (a char boundary), in O(log n + sentence length).
    pub fn char_offset_of_byte(&self, at: usize) -> usize {
        let i = self.sentences.partition_point(|s| s.byte_start <= at);
        let (byte_base, char_base) = match i.checked_sub(1).map(|i| &self.sentences[i]) {
            Some(s) => (s.byte_start, s.start),
            None => (0, 0),
        };
        char_base + self.text.get(byte_base..at).map_or(0, |t| t.chars().count())
    }

    /// The sentence that overlaps `start..end` most, if any overlaps it at all.
    pub fn sentence_overlapping(&self, start: usize, end: usize) -> Option<usize> {
        let first = self.sentences.partition_point(|s| s.end <= start);
        self.sentences[first..]
            .iter()
            .take_while(|s| s.start < end.max(start + 1))
            .map(|s| (s.end.min(end.max(start + 1)).saturating_sub(s.start.max(start)), s.index))
            .max_by_key(|&(overlap, index)| (overlap, std::cmp::Reverse(index)))
            .filter(|&(overlap, _)| overlap > 0)
            .map(|(_, index)| index)
    }
}

/// Segments a long text a piece at a time. A line break always ends a sentence, so
/// pieces cut at line breaks segment exactly as the whole text does (a property test
/// checks it); each call to [`SegmentPieces::step`] does about `piece` bytes of work.
pub struct SegmentPieces {
    text: String,
    lang: Lang,
    piece: usize,
    byte: usize,
    chars: usize,
    spans: Vec<Span>,
}

impl SegmentPieces {
    /// Starts on `text` (normalised here, English), `piece` bytes at a time.
    pub fn new(text: &str, piece: usize) -> Self {
        Self::new_in(text, piece, Lang::ENGLISH)
    }

    /// Starts on `text` (normalised here), written in `lang`, `piece` bytes at a time.
    pub fn new_in(text: &str, piece: usize, lang: Lang) -> Self {
        Self { text: normalize(text), lang, piece: piece.max(1), byte: 0, chars: 0, spans: Vec::new() }
    }

    /// Segments the next piece; false once the whole text is done.
    pub fn step(&mut self) -> bool {
        if self.byte >= self.text.len() {
            return false;
        }
        let rest = &self.text[self.byte..];
        // Cut after the first line break past `piece` bytes (or take the rest).
        let mut cut = rest.len();
        if rest.len() > self.piece {
            let mut at = self.piece;
            while !rest.is_char_boundary(at) {
                at += 1;
            }
            cut = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        }
        let chunk = &rest[..cut];
        for span in segment_in(chunk, self.lang) {
            self.spans.push(Span {
                start: span.start + self.chars,
                end: span.end + self.chars,
                byte_start: span.byte_start + self.byte,
                byte_end: span.byte_end + self.byte,
            });
        }
        self.chars += chunk.chars().count();
        self.byte += cut;
        self.byte < self.text.len()
    }

    /// How far it got, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.text.is_empty() { 1.0 } else { self.byte as f64 / self.text.len() as f64 }
    }

    /// The document, once every piece is done (the rest is segmented now if not).
    pub fn finish(mut self, id: impl Into<String>) -> Document {
        while self.step() {}
        Document::from_spans(id, self.text, self.spans)
    }
}

fn paragraph_starts(text: &str, sentences: &[Sentence]) -> Vec<usize> {
    let mut starts = Vec::new();
    for (i, pair) in sentences.windows(2).enumerate() {
        if text[pair[0].byte_end..pair[1].byte_start].contains('\n') {
            starts.push(i + 1);
        }
    }
    if !sentences.is_empty() {
        starts.insert(0, 0);
    }
    starts
}

/// Where an annotation points: the quote (with enough context to be unique) and the position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct Target {
    /// The quoted text and its context.
    pub quote: TextQuote,
    /// Code-point offsets when the annotation was made or last anchored.
    pub position: TextPosition,
}

/// W3C-style text quote: `exact` with some `prefix` and `suffix` around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct TextQuote {
    /// Exactly the annotated text.
    pub exact: String,
    /// Text just before it.
    #[serde(default)]
    pub prefix: String,
    /// Text just after it.
    #[serde(default)]
    pub suffix: String,
}

/// Code-point range `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct TextPosition {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// Deleted annotations by id. Never capped: a forgotten deletion could come back.
pub type Tombstones = BTreeMap<String, Tombstone>;

/// A deleted annotation: what the merge needs to know so that an older copy of it,
/// saved by another tab or device, does not come back (see `store::merge`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct Tombstone {
    /// The id of the annotation that was deleted.
    pub id: String,
    /// When (RFC 3339 UTC), for people; the merge orders by `versions`.
    pub at: String,
    /// The versions of its labels and note as of the deletion. Empty in files written
    /// before version stamps: then everything up to `at` counts as deleted.
    #[serde(default, skip_serializing_if = "Versions::is_empty")]
    pub versions: Versions,
    /// A note written after the deletion, by a replica that had not seen it (kept so
    /// that every replica merges to the same thing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The version of each part of an annotation, for the merge: each label present or
/// removed as of a stamp, the note as of a stamp, and a floor below which everything
/// was cleared. Labels and note are last-writer-wins registers under the stamp order,
/// so two replicas that tag different labels on one sentence keep both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct Versions {
    /// Everything stamped at or before this was cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Stamp>,
    /// Labels present, each with the stamp of the change that set it.
    #[serde(default, skip_serializing_if = "Registers::is_empty")]
    pub set: Registers,
    /// Labels removed, each with the stamp of the change that removed it.
    #[serde(default, skip_serializing_if = "Registers::is_empty")]
    pub unset: Registers,
    /// The stamp of the last change of the note (set or removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Stamp>,
}

/// Label names with a stamp each, as a JSON object. Kept as a list sorted by name: an
/// annotation has a handful of labels, and a tree map per type of entry would bring its
/// own copy of the tree code into the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registers(Vec<(String, Stamp)>);

impl Registers {
    fn find(&self, label: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(name, _)| name.as_str().cmp(label))
    }

    /// The stamp of `label`.
    pub fn get(&self, label: &str) -> Option<&Stamp> {
        self.find(label).ok().map(|i| &self.0[i].1)
    }

    /// Whether `label` has a stamp.
    pub fn contains_key(&self, label: &str) -> bool {
        self.find(label).is_ok()
    }

    /// Sets the stamp of `label`.
    pub fn insert(&mut self, label: String, stamp: Stamp) {
        match self.find(&label) {
            Ok(i) => self.0[i].1 = stamp,
            Err(i) => self.0.insert(i, (label, stamp)),
        }
    }

    /// Forgets `label`.
    pub fn remove(&mut self, label: &str) {
        if let Ok(i) = self.find(label) {
            self.0.remove(i);
        }
    }

    /// The labels, in name order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(name, _)| name)
    }

    /// The stamps, in label-name order.
    pub fn values(&self) -> impl Iterator<Item = &Stamp> {
        self.0.iter().map(|(_, stamp)| stamp)
    }

    /// How many labels.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Stamp)> for Registers {
    fn from_iter<I: IntoIterator<Item = (String, Stamp)>>(items: I) -> Self {
        let mut out = Registers::default();
        for (label, stamp) in items {
            out.insert(label, stamp);
        }
        out
    }
}

impl Serialize for Registers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, stamp)| (name, stamp)))
    }
}

impl<'de> Deserialize<'de> for Registers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Registers;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of label names and version stamps")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Registers, M::Error> {
                let mut out = Registers::default();
                while let Some((label, stamp)) = map.next_entry::<String, Stamp>()? {
                    out.insert(label, stamp);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Registers {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Registers".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let stamp = generator.subschema_for::<Stamp>();
        schemars::json_schema!({ "type": "object", "additionalProperties": stamp })
    }
}

impl Versions {
    /// Whether nothing is recorded (data from before version stamps).
    pub fn is_empty(&self) -> bool {
        self.floor.is_none() && self.set.is_empty() && self.unset.is_empty() && self.note.is_none()
    }

    /// Every stamp recorded.
    pub fn stamps(&self) -> impl Iterator<Item = &Stamp> {
        self.floor.iter().chain(self.set.values()).chain(self.unset.values()).chain(self.note.iter())
    }
}

/// A reader's tags on one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
pub struct Annotation {
    /// Unique within the document, stable across edits and re-anchoring.
    pub id: String,
    /// The label names, a set kept in label-set order; never empty while the annotation exists.
    pub labels: Vec<String>,
    /// The reader's free-text note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What it is about.
    pub target: Target,
    /// RFC 3339 UTC time of creation.
    pub created: String,
    /// RFC 3339 UTC time of the last change.
    pub modified: String,
    /// The version of each label and of the note, for the merge. Empty in files written
    /// before version stamps: then every label and the note date from `modified`.
    #[serde(default, skip_serializing_if = "Versions::is_empty")]
    pub versions: Versions,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_follow_line_breaks() {
        let doc = Document::new("d", "One. Two.\nThree.\n\nFour. Five.");
        let paras: Vec<_> = doc.paragraphs().collect();
        assert_eq!(paras, vec![0..2, 2..3, 3..5]);
        assert_eq!(doc.sentence_text(&doc.sentences()[2]), "Three.");
    }

    #[test]
    fn empty_document_has_no_paragraphs() {
        let doc = Document::new("d", "  \n ");
        assert!(doc.sentences().is_empty());
        assert_eq!(doc.paragraphs().count(), 0);
    }

    #[test]
    fn overlap_picks_the_sentence_with_most_shared_text() {
        let doc = Document::new("d", "Alpha beta. Gamma delta epsilon.");
        assert_eq!(doc.sentence_overlapping(0, 11), Some(0));
        assert_eq!(doc.sentence_overlapping(8, 30), Some(1));
        assert_eq!(doc.sentence_overlapping(11, 12), None);
    }

    proptest::proptest! {
        #[test]
        fn segmenting_in_pieces_equals_segmenting_at_once(
            text in "([A-Za-z]{1,8}[ .!?\"'()]{0,2}|1\\. |a\\) |U\\.S\\. |Mr\\. |\n|\n\n|é|😀){0,80}",
            piece in 1usize..40,
        ) {
            let whole = Document::new("d", &text);
            let pieces = SegmentPieces::new(&text, piece).finish("d");
            proptest::prop_assert_eq!(whole, pieces);
        }
    }

    #[test]
    fn a_document_is_segmented_in_its_language_whole_or_in_pieces() {
        let texts = |doc: &Document| doc.sentences().iter().map(|s| doc.sentence_text(s).to_owned()).collect::<Vec<_>>();
        let lang = |code: &str| Lang::from_code(code).unwrap_or(Lang::ENGLISH);
        let uk = "Засідання відбулося в м. Київ за участю проф. Коваля. Інше речення.";
        assert_eq!(Document::new("d", uk).sentences().len(), 4, "English splits at \"м.\" and \"проф.\"");
        assert_eq!(texts(&Document::new_in("d", uk, lang("uk"))), ["Засідання відбулося в м. Київ за участю проф. Коваля.", "Інше речення."]);
        let de = "Die Wahl fand am 3. Oktober statt. Danach sprach er.\nZweiter Absatz.";
        assert_eq!(Document::new("d", de).sentences().len(), 4, "English splits at the ordinal");
        assert_eq!(texts(&Document::new_in("d", de, lang("de"))), ["Die Wahl fand am 3. Oktober statt.", "Danach sprach er.", "Zweiter Absatz."]);
        assert_eq!(SegmentPieces::new_in(de, 10, lang("de")).finish("d"), Document::new_in("d", de, lang("de")));
    }

    #[test]
    fn byte_offsets_convert_to_code_points_anywhere() {
        let text = "Ж€ one. 😀 two.\n  é\u{301} three.";
        let doc = Document::new("d", text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(doc.char_offset_of_byte(byte), chars, "byte {byte}");
        }
    }

    #[test]
    fn labels_order_by_label_set() {
        let set = LabelSet::default();
        let mut names: Vec<String> = ["zeta", "position", "claim", "position"].iter().map(|s| s.to_string()).collect();
        set.sort(&mut names);
        assert_eq!(names, ["claim", "position", "zeta"]);
        assert_eq!(set.by_key('2').map(|l| l.name.as_str()), Some("quote"));
    }
}
