//! Prints the sentences of the text on stdin, one JSON object per line:
//! `{"start": .., "end": .., "text": ..}` with code-point offsets (the testing contract).
//!
//! Usage: `segment [--lang CODE]`. CODE is an ISO 639-1 code ("de", "ru", ...;
//! "pt-BR" is read as "pt"); without `--lang` the text is segmented as English.
//! A well-formed code the segmenter has no rules for (two or three ASCII
//! letters, e.g. "sw") falls back to English with a note on stderr; anything
//! else (an unknown option, a missing or malformed code) is a usage error:
//! a message on stderr and exit status 2.

use std::io::{Read, Write};

use article_annotator::core::segment::{segment_in, Lang};

const USAGE: &str = "usage: segment [--lang CODE] < TEXT (CODE: ISO 639-1, e.g. de)";

/// The language asked for on the command line, or a usage error.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Lang, String> {
    let mut lang = Lang::ENGLISH;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let code = match arg.as_str() {
            "--lang" => args.next().ok_or("--lang needs a code")?,
            other => match other.strip_prefix("--lang=") {
                Some(code) => code.to_string(),
                None => return Err(format!("unknown argument {other:?}")),
            },
        };
        let primary = code.split(['-', '_']).next().unwrap_or("");
        let well_formed =
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
        if !well_formed {
            return Err(format!("--lang {code:?} is not a language code"));
        }
        let resolved = Lang::resolve(&code);
        if resolved.fell_back {
            eprintln!("segment: no rules for language {code:?}; segmenting as English");
        }
        lang = resolved.lang;
    }
    Ok(lang)
}

fn main() {
    let lang = match parse_args(std::env::args().skip(1)) {
        Ok(lang) => lang,
        Err(e) => {
            eprintln!("segment: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut raw) {
        eprintln!("segment: cannot read stdin: {e}");
        std::process::exit(2);
    }
    // Invalid UTF-8 is replaced rather than refused: offsets then count the replacement characters.
    let text = String::from_utf8_lossy(&raw);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for span in segment_in(&text, lang) {
        let line = serde_json::json!({
            "start": span.start,
            "end": span.end,
            "text": &text[span.byte_start..span.byte_end],
        });
        if writeln!(out, "{line}").is_err() {
            std::process::exit(1);
        }
    }
    let _ = out.flush();
}
