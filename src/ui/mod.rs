//! Yew components: they render [`AppState`](crate::core::state::AppState) and dispatch actions, nothing more.

mod app;
mod chunk;
mod compare;
mod component;
mod guidelines;
mod help;
pub(crate) mod hooks;
mod layout;
pub(crate) mod locale;
mod shared;
mod note;
mod summary;
mod sync_panel;
pub mod bridge;
mod events;
mod import;
mod library;
pub mod prepare;
mod orphans;
mod persistence;
mod saver;
pub mod syncer;
mod picker;
mod sentence;
mod toolbar;

/// Whether this build carries the library, the compare view and team sync (the `full`
/// feature). The embed build (`dist/pkg/embed/`) does not: there they render nothing
/// and sync does not start, the toolbar's Sync and Compare buttons carry
/// `data-aa-upgrade` so that the loader (`web/article-annotator.js`) swaps in the full
/// build before they act, and a widget that would show the library or sync asks the
/// loader for it (`embed::Widget::render`).
pub const FULL: bool = cfg!(feature = "full");

pub use app::{Annotator, AnnotatorProps, Preloaded, DEFAULT_ANNOTATOR};
pub use component::{ArticleAnnotator, ArticleAnnotatorProps};
pub use library::{Library, LibraryProps};
pub use events::{annotations as annotations_js, to_js};
#[cfg(debug_assertions)]
pub use sentence::render_count as sentence_render_count;
