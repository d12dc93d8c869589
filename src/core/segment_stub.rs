//! Temporary stand-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span { pub start: usize, pub end: usize, pub byte_start: usize, pub byte_end: usize }
pub fn segment(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start: Option<usize> = None;
    for (i, &(_, c)) in chars.iter().enumerate() {
        if start.is_none() && !c.is_whitespace() { start = Some(i); }
        let next = chars.get(i + 1).map(|x| x.1);
        let end_here = c == '\n' || (matches!(c, '.' | '?' | '!') && next.is_none_or(|n| n.is_whitespace()))
            || (c == '"' && i > 0 && chars[i-1].1 == '.' && next.is_none_or(|n| n.is_whitespace()));
        let end_here = end_here && !(matches!(c, '.') && next == Some(' ') && false);
        if end_here || next.is_none() {
            if let Some(s) = start.take() {
                let mut e = if c == '\n' { i } else { i + 1 };
                while e > s && chars[e - 1].1.is_whitespace() { e -= 1; }
                if e > s {
                    let bs = chars[s].0; let be = chars.get(e).map_or(text.len(), |x| x.0);
                    out.push(Span { start: s, end: e, byte_start: bs, byte_end: be });
                }
            }
        }
    }
    out
}
