//! Text as the widget sees it: one normalisation, code-point offsets, a fingerprint.
//!
//! Offsets everywhere in the core are Unicode code points (what W3C selectors and
//! Apache Annotator count), never UTF-8 bytes or UTF-16 units. Conversion to UTF-16
//! happens only at the DOM edge.

/// Normalises line endings to `\n`, the only change the widget makes to an article.
///
/// Offsets are counted in the normalised text, so a host that passes the same
/// article with Windows line endings still finds its annotations.
pub fn normalize(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A stable, cheap hash of the text, stored with the annotations to notice an edited article.
///
/// FNV-1a over the UTF-8 bytes: not cryptographic, which is fine, since it only
/// decides whether re-anchoring is needed, and re-anchoring checks quotes anyway.
pub fn fingerprint(text: &str) -> String {
    format!("fnv1a64:{:016x}", fnv1a64(text.bytes()))
}

/// FNV-1a, 64 bits, over a byte sequence.
pub fn fnv1a64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Maps code-point offsets to byte offsets in one text, in O(log n) per lookup.
///
/// Only the byte offset of every 64th code point is kept, so the index costs an
/// eighth of a byte per character instead of eight bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharIndex {
    checkpoints: Vec<usize>,
    len_chars: usize,
    len_bytes: usize,
}

const STRIDE: usize = 64;

impl CharIndex {
    /// Builds the index of `text`.
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut len_chars = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(byte);
            }
            len_chars = i + 1;
        }
        Self { checkpoints, len_chars, len_bytes: text.len() }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Byte offset of code point `char_offset` (clamped to the end of the text).
    pub fn byte_of(&self, text: &str, char_offset: usize) -> usize {
        if char_offset >= self.len_chars {
            return self.len_bytes;
        }
        let base = self.checkpoints[char_offset / STRIDE];
        let rest = char_offset % STRIDE;
        text[base..].char_indices().nth(rest).map_or(self.len_bytes, |(b, _)| base + b)
    }

    /// The text between two code-point offsets (clamped, never panics).
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        let end = end.min(self.len_chars);
        let start = start.min(end);
        &text[self.byte_of(text, start)..self.byte_of(text, end)]
    }
}

/// Number of code points in `s`.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Which way an article reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu and their neighbours).
    Rtl,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub fn attribute(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Languages written right to left (ISO 639-1 and -2 codes).
const RTL_LANGUAGES: &[&str] = &["ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"];

/// The direction of an article: its language's when one is given (a tag's primary
/// subtag: "ar-EG" is Arabic), else that of the first letter with a direction of its own
/// (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms read right to left).
pub fn direction(lang: Option<&str>, text: &str) -> Direction {
    if let Some(code) = lang {
        let primary = code.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if !primary.is_empty() {
            return if RTL_LANGUAGES.contains(&primary.as_str()) { Direction::Rtl } else { Direction::Ltr };
        }
    }
    let rtl = |c: char| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF);
    text.chars()
        .find(|&c| c.is_alphabetic() && !(c as u32 >= 0x0300 && (c as u32) < 0x0370))
        .map_or(Direction::Ltr, |c| if rtl(c) { Direction::Rtl } else { Direction::Ltr })
}

#[cfg(test)]
mod tests {

    #[test]
    fn direction_comes_from_the_language_else_the_first_letter() {
        assert_eq!(direction(Some("ar"), "Hello"), Direction::Rtl);
        assert_eq!(direction(Some("he-IL"), ""), Direction::Rtl);
        assert_eq!(direction(Some("uk"), "مرحبا"), Direction::Ltr, "a language given wins");
        assert_eq!(direction(None, "  «مرحبا» world"), Direction::Rtl);
        assert_eq!(direction(None, "123 \u{200f}שלום"), Direction::Rtl, "marks and digits have no direction of their own");
        assert_eq!(direction(None, "Привіт, مرحبا"), Direction::Ltr);
        assert_eq!(direction(None, "1234 ..."), Direction::Ltr);
        assert_eq!(direction(Some(""), "مرحبا"), Direction::Rtl);
        assert_eq!(Direction::Rtl.attribute(), "rtl");
    }
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalize_turns_crlf_and_cr_into_lf() {
        assert_eq!(normalize("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize("plain"), "plain");
    }

    #[test]
    fn fingerprint_differs_on_one_character() {
        assert_ne!(fingerprint("Hello world."), fingerprint("Hello world!"));
        assert_eq!(fingerprint("same"), fingerprint("same"));
        assert!(fingerprint("").starts_with("fnv1a64:"));
    }

    #[test]
    fn slices_by_code_points_across_multibyte_text() {
        let text = "Ж€😀 e\u{301}x";
        let index = CharIndex::new(text);
        assert_eq!(index.len_chars(), 7);
        assert_eq!(index.slice(text, 2, 3), "😀");
        assert_eq!(index.slice(text, 4, 6), "e\u{301}");
        assert_eq!(index.slice(text, 6, 99), "x");
        assert_eq!(index.slice(text, 9, 3), "");
    }

    proptest! {
        #[test]
        fn byte_of_agrees_with_char_indices(text in "\\PC{0,300}", pick in 0usize..400) {
            let index = CharIndex::new(&text);
            let expected = text.char_indices().nth(pick).map_or(text.len(), |(b, _)| b);
            prop_assert_eq!(index.byte_of(&text, pick), expected);
            prop_assert_eq!(index.len_chars(), text.chars().count());
        }
    }
}
