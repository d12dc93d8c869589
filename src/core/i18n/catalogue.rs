//! A catalogue file read into a map: `key = text` lines, `#` comment lines, blank
//! lines ignored, `\n` in a text a line break (and `\\` a backslash).
//!
//! Parsing never fails: a line that is not `key = text` is reported (the catalogue
//! test fails on it) and left out, so a translator's slip costs one string, which then
//! falls back to English, never the widget.

use std::collections::HashMap;

/// One language's texts by key.
#[derive(Debug, Default)]
pub struct Catalogue {
    texts: HashMap<String, String>,
}

impl Catalogue {
    /// Reads a catalogue file, keeping what is well formed.
    pub fn parse(source: &str) -> Self {
        let texts = entries(source).into_iter().filter_map(Result::ok).collect();
        Self { texts }
    }

    /// The text of `key`, if this catalogue has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// Every key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }
}

/// A line that is neither a comment, blank, nor `key = text`: its number (1-based) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// The line as written.
    pub text: String,
}

/// Every entry of a catalogue file in order, each `(key, text)` or the line that is not one.
/// The catalogue test uses this to report malformed lines and repeated keys.
pub fn entries(source: &str) -> Vec<Result<(String, String), BadLine>> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        })
        .map(|(number, line)| {
            let bad = || BadLine { line: number + 1, text: line.to_owned() };
            let (key, text) = line.split_once('=').ok_or_else(bad)?;
            let key = key.trim();
            if !is_key(key) {
                return Err(bad());
            }
            Ok((key.to_owned(), unescape(text.trim())))
        })
        .collect()
}

/// Lowercase dotted words (`toolbar.export_json`), optionally with a plural form
/// (`library.deleted[few]`).
pub fn is_key(key: &str) -> bool {
    let (base, form) = match key.split_once('[') {
        Some((base, rest)) => (base, rest.strip_suffix(']').map(Some).unwrap_or(Some(""))),
        None => (key, None),
    };
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let form_ok = form.is_none_or(|f| matches!(f, "one" | "few" | "many" | "other"));
    base.split('.').all(word) && form_ok
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_escapes_and_bad_lines() {
        let source = "# a comment\n\ntoolbar.undo = Undo\n  help.intro =  Two\\nlines \\\\ kept  \nnot a line\nBad.Key = x\nx[one] = one\nx[some] = no\n";
        let all = entries(source);
        assert_eq!(all[0], Ok(("toolbar.undo".into(), "Undo".into())));
        assert_eq!(all[1], Ok(("help.intro".into(), "Two\nlines \\ kept".into())));
        assert_eq!(all[2], Err(BadLine { line: 5, text: "not a line".into() }));
        assert!(all[3].is_err(), "keys are lowercase");
        assert_eq!(all[4], Ok(("x[one]".into(), "one".into())));
        assert!(all[5].is_err(), "only CLDR forms");
        let catalogue = Catalogue::parse(source);
        assert_eq!(catalogue.get("toolbar.undo"), Some("Undo"));
        assert_eq!(catalogue.get("not"), None);
        assert_eq!(catalogue.keys().count(), 3);
    }

    #[test]
    fn a_text_may_hold_an_equals_sign() {
        assert_eq!(entries("a.b = x = y"), [Ok(("a.b".into(), "x = y".into()))]);
    }
}
