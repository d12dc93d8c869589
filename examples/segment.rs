//! Prints the sentences of the text on stdin, one JSON object per line:
//! `{"start": .., "end": .., "text": ..}` with code-point offsets (the testing contract).

use std::io::{Read, Write};

use article_annotator::core::segment::segment;

fn main() {
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut raw) {
        eprintln!("segment: cannot read stdin: {e}");
        std::process::exit(2);
    }
    // Invalid UTF-8 is replaced rather than refused: offsets then count the replacement characters.
    let text = String::from_utf8_lossy(&raw);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for span in segment(&text) {
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
