//! Turning a text into a segmented document without freezing the page: a long one is
//! segmented a piece at a time, yielding to the browser between pieces.

use crate::core::model::{Document, SegmentPieces};
use crate::core::segment::Lang;

/// Articles longer than this (bytes) are segmented a piece at a time between frames.
pub const LONG_ARTICLE: usize = 256 * 1024;
/// Bytes segmented per piece: a millisecond or two of work.
const PIECE: usize = 8 * 1024;
/// Pieces are segmented until this much time has passed, then the browser gets a turn:
/// well under the 50 ms that make a long task, even while the wasm is freshly compiled.
const SLICE_MS: f64 = 20.0;

/// Segments `text`, written in `lang`, as document `id`: at once when it is at most
/// `at_once` bytes long (`LONG_ARTICLE` where a reader waits on it; 0 where nothing
/// does, so that no task is long), else a piece at a time. `progress` hears the share
/// done (0 to 1) between slices; `cancelled` is asked between them too, and ends the
/// work (`None`).
pub async fn document(id: String, text: String, lang: Lang, at_once: usize, progress: impl Fn(f64), cancelled: impl Fn() -> bool) -> Option<Document> {
    if text.len() <= at_once {
        return Some(Document::new_in(id, &text, lang));
    }
    let mut pieces = SegmentPieces::new_in(&text, PIECE, lang);
    drop(text);
    let mut slice = js_sys::Date::now();
    while pieces.step() {
        if js_sys::Date::now() - slice < SLICE_MS {
            continue;
        }
        if cancelled() {
            return None;
        }
        progress(pieces.progress());
        gloo_timers::future::TimeoutFuture::new(0).await;
        slice = js_sys::Date::now();
    }
    // Building the document from its pieces is a task of its own.
    gloo_timers::future::TimeoutFuture::new(0).await;
    (!cancelled()).then(|| pieces.finish(id))
}
