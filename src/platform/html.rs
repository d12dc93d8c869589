//! The readable text of an HTML page: parsed by the browser's `DOMParser` into a
//! document of its own (never inserted into the page, so nothing in it runs or loads),
//! then walked; the core's `Readable` keeps the paragraphs.

use wasm_bindgen::JsCast;

use crate::core::intake::{Readable, BLOCK_ELEMENTS, SKIPPED_ELEMENTS};

/// What an HTML page holds for a reader.
pub struct PageText {
    /// Its readable text, paragraphs separated by blank lines.
    pub text: String,
    /// Its `<title>`, or its first heading.
    pub title: Option<String>,
}

/// Parses `html` and keeps its readable text: the `<article>` (else `<main>`, else the
/// body), without scripts, styles, navigation, forms and other furniture.
pub fn readable_text(html: &str) -> Result<PageText, String> {
    let parser = web_sys::DomParser::new().map_err(|_| "the browser cannot parse HTML here".to_owned())?;
    let doc = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| "the HTML could not be parsed".to_owned())?;
    let pick = |selector: &str| doc.query_selector(selector).ok().flatten();
    let root: Option<web_sys::Node> = pick("article").or_else(|| pick("main")).or_else(|| pick("body")).map(Into::into);
    let mut readable = Readable::default();
    if let Some(root) = root {
        walk(&root, &mut readable);
    }
    let clean = |s: String| Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
    let title = pick("title").and_then(|t| t.text_content()).and_then(clean).or_else(|| pick("h1").and_then(|h| h.text_content()).and_then(clean));
    Ok(PageText { text: readable.finish(), title })
}

/// Depth-first over `node`, with an explicit stack (deeply nested markup cannot overflow it).
fn walk(node: &web_sys::Node, out: &mut Readable) {
    enum Step {
        Enter(web_sys::Node),
        Leave,
    }
    let mut stack = vec![Step::Enter(node.clone())];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave => {
                out.block();
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.node_type() {
            web_sys::Node::TEXT_NODE => out.text(&node.node_value().unwrap_or_default()),
            web_sys::Node::ELEMENT_NODE => {
                let Some(element) = node.dyn_ref::<web_sys::Element>() else { continue };
                let name = element.local_name();
                if SKIPPED_ELEMENTS.contains(&name.as_str()) || element.has_attribute("hidden") || element.get_attribute("aria-hidden").as_deref() == Some("true") {
                    continue;
                }
                if name == "br" {
                    out.line_break();
                    continue;
                }
                let block = BLOCK_ELEMENTS.contains(&name.as_str());
                if block {
                    out.block();
                    stack.push(Step::Leave);
                }
                let children = node.child_nodes();
                for index in (0..children.length()).rev() {
                    if let Some(child) = children.item(index) {
                        stack.push(Step::Enter(child));
                    }
                }
            }
            _ => {}
        }
    }
}
