//! The default article: exactly 24 sentences, pinned by a golden file, and its repeated paragraphs.

use article_annotator::core::anchor::target_for;
use article_annotator::core::model::Document;
use article_annotator::core::segment::segment;
use serde::Deserialize;

const ARTICLE: &str = include_str!("../assets/geneva-peace-plan.txt");
const GOLDEN: &str = include_str!("fixtures/geneva-peace-plan.sentences.json");

#[derive(Deserialize, Debug, PartialEq)]
struct Expected {
    start: usize,
    end: usize,
    text: String,
}

#[test]
fn segments_into_the_24_golden_sentences() {
    let expected: Vec<Expected> = serde_json::from_str(GOLDEN).unwrap_or_else(|e| panic!("golden file: {e}"));
    let got: Vec<Expected> = segment(ARTICLE)
        .into_iter()
        .map(|s| Expected { start: s.start, end: s.end, text: ARTICLE[s.byte_start..s.byte_end].to_owned() })
        .collect();
    assert_eq!(got.len(), 24);
    assert_eq!(got, expected);
    // Offsets are code points: the text is recovered by counting chars, not bytes.
    for s in &got {
        let by_chars: String = ARTICLE.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(by_chars, s.text);
    }
}

#[test]
fn paragraphs_have_the_documented_shape() {
    let doc = Document::new("geneva-peace-plan", ARTICLE);
    let sizes: Vec<usize> = doc.paragraphs().map(|r| r.len()).collect();
    assert_eq!(sizes, [2, 3, 2, 2, 2, 2, 3, 2, 2, 2, 2]);
    let text = |i: usize| doc.sentence_text(&doc.sentences()[i]);
    assert!(text(4).ends_with("as \"very solid\"."));
    // Paragraphs 7 to 11 repeat paragraphs 2 to 6, sentence for sentence.
    for i in 2..13 {
        assert_eq!(text(i), text(i + 11), "sentence {i} and its repeat");
    }
}

#[test]
fn repeated_sentences_get_distinct_selectors() {
    let doc = Document::new("geneva-peace-plan", ARTICLE);
    for i in 2..13 {
        let a = target_for(&doc, &doc.sentences()[i]);
        let b = target_for(&doc, &doc.sentences()[i + 11]);
        assert_eq!(a.quote.exact, b.quote.exact);
        assert_ne!((a.quote.prefix, a.quote.suffix), (b.quote.prefix, b.quote.suffix), "sentence {i}");
    }
}

#[test]
fn segmenting_a_long_article_in_pieces_equals_segmenting_it_at_once() {
    use article_annotator::core::model::SegmentPieces;
    let long: String = std::iter::repeat_n(ARTICLE, 40).collect::<Vec<_>>().join("\n");
    for piece in [1, 100, 4096] {
        assert_eq!(SegmentPieces::new(&long, piece).finish("g"), Document::new("g", &long), "piece {piece}");
    }
}
