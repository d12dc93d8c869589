//! Bringing an article in: the bytes of a file the reader opened, checked and turned
//! into text, or refused with a reason the reader can act on. HTML is parsed by the
//! browser (the shell walks the parsed tree and feeds [`Readable`]); everything else
//! happens here.

use super::i18n::Locale;

/// Largest article file the library opens (the widget handles 5 MB articles).
pub const MAX_ARTICLE_BYTES: usize = 10 * 1024 * 1024;

/// Why a file cannot become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeError {
    /// Nothing in it.
    Empty {
        /// The file name.
        name: String,
    },
    /// Too big to open.
    TooLarge {
        /// The file name.
        name: String,
        /// Its size in tenths of a megabyte.
        size_mb: TenthsMb,
        /// The limit in megabytes.
        limit_mb: usize,
    },
    /// Not text at all.
    Binary {
        /// The file name.
        name: String,
    },
    /// Text in an encoding other than UTF-8.
    NotUtf8 {
        /// The file name.
        name: String,
        /// Where the first unreadable byte is.
        offset: usize,
    },
    /// Markup, but no readable text in it.
    OnlyMarkup {
        /// The file name.
        name: String,
    },
}

impl IntakeError {
    /// What went wrong, in the reader's language, figures written as it writes them.
    pub fn describe(&self, l: &Locale) -> String {
        match self {
            IntakeError::Empty { name } => l.f("intake.empty", &[("name", name)]),
            IntakeError::TooLarge { name, size_mb, limit_mb } => {
                l.f("intake.too_large", &[("name", name), ("size", &l.decimal(size_mb.0 as f64 / 10.0, 1)), ("limit", &l.number(*limit_mb))])
            }
            IntakeError::Binary { name } => l.f("intake.binary", &[("name", name)]),
            IntakeError::NotUtf8 { name, offset } => l.f("intake.not_utf8", &[("name", name), ("offset", &offset.to_string())]),
            IntakeError::OnlyMarkup { name } => l.f("intake.only_markup", &[("name", name)]),
        }
    }
}

impl std::fmt::Display for IntakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(&Locale::english()))
    }
}

impl std::error::Error for IntakeError {}

/// A size in tenths of a megabyte (`123` is 12.3 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenthsMb(pub usize);

/// How a file's text is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text, kept as it is.
    Text,
    /// Markdown: markup signs are dropped.
    Markdown,
    /// HTML: the browser parses it, the readable text is kept.
    Html,
}

/// A file's text, decoded, and how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileText {
    /// The decoded text (HTML still as markup).
    pub text: String,
    /// How to read it.
    pub kind: Kind,
    /// The file name without its extension, a title for it.
    pub stem: String,
}

/// Checks and decodes a file's bytes: size, emptiness, binary data, encoding
/// (UTF-8, with or without a byte-order mark, or UTF-16 with one).
pub fn decode_file(name: &str, bytes: &[u8]) -> Result<FileText, IntakeError> {
    let named = || name.to_owned();
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(IntakeError::TooLarge {
            name: named(),
            size_mb: TenthsMb(bytes.len() * 10 / 1_048_576),
            limit_mb: MAX_ARTICLE_BYTES / 1_048_576,
        });
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        utf8(name, rest, 3)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(name, rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(name, rest, u16::from_be_bytes)?
    } else {
        if looks_binary(bytes) {
            return Err(IntakeError::Binary { name: named() });
        }
        utf8(name, bytes, 0)?
    };
    if text.trim().is_empty() {
        return Err(IntakeError::Empty { name: named() });
    }
    let lower = name.to_ascii_lowercase();
    let head = text.trim_start().get(..text.trim_start().len().min(64)).unwrap_or("").to_ascii_lowercase();
    let kind = if lower.ends_with(".html") || lower.ends_with(".htm") || head.starts_with("<!doctype html") || head.starts_with("<html") {
        Kind::Html
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Kind::Markdown
    } else {
        Kind::Text
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_owned();
    Ok(FileText { text, kind, stem })
}

fn utf8(name: &str, bytes: &[u8], skipped: usize) -> Result<String, IntakeError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => Err(IntakeError::NotUtf8 { name: name.to_owned(), offset: skipped + error.valid_up_to() }),
    }
}

fn utf16(name: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, IntakeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(IntakeError::Binary { name: name.to_owned() });
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]])).collect();
    String::from_utf16(&units).map_err(|_| IntakeError::Binary { name: name.to_owned() })
}

/// Binary data: a NUL byte, or many control characters, in the first 8 KB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C)).count();
    control * 20 > head.len().max(1)
}

/// Markdown as plain text: heading, quote and list signs, emphasis, code fences,
/// images and link targets are dropped; paragraphs stay as they are.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = Vec::new();
    for line in markdown.lines() {
        let mut line = line.trim_end();
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('#') {
            let rest = rest.trim_start_matches('#');
            if rest.starts_with(' ') || rest.is_empty() {
                line = rest.trim();
            }
        } else if let Some(rest) = trimmed.strip_prefix("> ").or_else(|| (trimmed == ">").then_some("")) {
            line = rest;
        } else if let Some(rest) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")).or_else(|| trimmed.strip_prefix("+ ")) {
            line = rest;
        }
        if line.chars().all(|c| matches!(c, '-' | '*' | '_' | '=' | ' ')) && line.chars().filter(|c| !c.is_whitespace()).count() >= 3 {
            line = "";
        }
        out.push(inline_markdown(line));
    }
    out.join("\n")
}

fn inline_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find(['[', '*', '`', '!', '_']) {
        out.push_str(&rest[..at]);
        let here = &rest[at..];
        if let Some((label, after)) = link(here) {
            if !here.starts_with('!') {
                out.push_str(label);
            }
            rest = after;
        } else if let Some(after) = here.strip_prefix("**").or_else(|| here.strip_prefix("__")) {
            rest = after;
        } else if let Some(after) = here.strip_prefix('`') {
            rest = after;
        } else {
            out.push_str(&here[..1]);
            rest = &here[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `[label](target)` or `![alt](target)` at the start of `s`: the label and what follows.
fn link(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix('!').unwrap_or(s);
    let inner = s.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    if label.contains('[') {
        return None;
    }
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    Some((label, &after[end + 1..]))
}

/// Builds readable text from a walk over parsed HTML: text runs and block edges.
/// Whitespace inside a block collapses to single spaces; blocks become paragraphs
/// (separated by a blank line); a `<br>` is a line break.
#[derive(Debug, Default)]
pub struct Readable {
    blocks: Vec<String>,
    current: String,
}

impl Readable {
    /// A text run.
    pub fn text(&mut self, text: &str) {
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 && !self.current.ends_with([' ', '\n']) && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
    }

    /// The edge of a block element (`p`, `div`, `h1`, `li`…).
    pub fn block(&mut self) {
        let block = std::mem::take(&mut self.current);
        let block = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        if !block.is_empty() {
            self.blocks.push(block);
        }
    }

    /// A line break.
    pub fn line_break(&mut self) {
        let trimmed = self.current.trim_end().len();
        self.current.truncate(trimmed);
        if !self.current.is_empty() {
            self.current.push('\n');
        }
    }

    /// The text, paragraphs separated by blank lines.
    pub fn finish(mut self) -> String {
        self.block();
        self.blocks.join("\n\n")
    }
}

/// Elements whose content is never article text.
pub const SKIPPED_ELEMENTS: [&str; 16] = [
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select", "svg", "iframe", "object", "canvas", "head",
];

/// Elements that start and end a paragraph.
pub const BLOCK_ELEMENTS: [&str; 24] = [
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "figure", "figcaption", "table", "tr", "dd", "dt", "hr", "address",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_why() {
        assert!(matches!(decode_file("a.txt", b""), Err(IntakeError::Empty { .. })));
        assert!(matches!(decode_file("a.txt", b" \n\t "), Err(IntakeError::Empty { .. })));
        assert!(matches!(decode_file("a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(IntakeError::Binary { .. })));
        let latin1 = b"Caf\xe9 au lait.";
        let error = decode_file("menu.txt", latin1).unwrap_err();
        assert_eq!(error, IntakeError::NotUtf8 { name: "menu.txt".into(), offset: 3 });
        assert!(error.to_string().contains("UTF-8"));
        let big = IntakeError::TooLarge { name: "b.txt".into(), size_mb: TenthsMb(123), limit_mb: 10 };
        assert_eq!(big.to_string(), "“b.txt” is 12.3 MB; articles over 10 MB are not opened");
        assert_eq!(big.describe(&Locale::new("uk")), "Файл «b.txt» має 12,3 МБ; статті понад 10 МБ не відкриваються");
        let big = vec![b'a'; MAX_ARTICLE_BYTES + 1];
        assert!(matches!(decode_file("big.txt", &big), Err(IntakeError::TooLarge { .. })));
    }

    #[test]
    fn encodings_with_a_byte_order_mark_are_read() {
        assert_eq!(decode_file("a.txt", b"\xEF\xBB\xBFHello.").map(|f| f.text), Ok("Hello.".into()));
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Hé.".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_file("a.txt", &le).map(|f| f.text), Ok("Hé.".into()));
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Hé.".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_file("a.txt", &be).map(|f| f.text), Ok("Hé.".into()));
    }

    #[test]
    fn kinds_follow_the_name_or_the_content() {
        let kind = |name: &str, text: &str| decode_file(name, text.as_bytes()).map(|f| (f.kind, f.stem));
        assert_eq!(kind("story.md", "# A"), Ok((Kind::Markdown, "story".into())));
        assert_eq!(kind("story.HTML", "<p>A</p>"), Ok((Kind::Html, "story".into())));
        assert_eq!(kind("saved", "  <!DOCTYPE html><p>A</p>"), Ok((Kind::Html, "saved".into())));
        assert_eq!(kind("notes.txt", "A. B."), Ok((Kind::Text, "notes".into())));
    }

    #[test]
    fn markdown_keeps_the_words() {
        let md = "# Talks resume\n\n> \"We agree,\" said **Ms. Lee**.\n\n- See [the plan](https://x.example/p) ![map](m.png)\n\n---\n```\ncode\n```\nA `term` and snake_case_name.";
        assert_eq!(
            markdown_to_text(md),
            "Talks resume\n\n\"We agree,\" said Ms. Lee.\n\nSee the plan \n\n\ncode\nA term and snake_case_name."
        );
    }

    #[test]
    fn readable_text_collapses_whitespace_and_keeps_paragraphs() {
        let mut r = Readable::default();
        r.block();
        r.text("  Geneva\n   talks ");
        r.text("resume.");
        r.block();
        r.block();
        r.text("Line one.");
        r.line_break();
        r.text(" Line two. ");
        r.block();
        assert_eq!(r.finish(), "Geneva talks resume.\n\nLine one.\nLine two.");
        assert_eq!(Readable::default().finish(), "");
    }
}
