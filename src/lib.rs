//! article-annotator: tag the sentences of an article as claim, quote or position.
//!
//! `core` is the whole behaviour as pure Rust, tested natively. The browser shell
//! (`platform`, `ui`, `embed`) exists only on wasm32 and stays thin.
//!
//! Three ways in: host pages load the module and mark elements (`embed`, the default
//! `embed` feature: auto-mounting, `mount`, `widgetFor`); Yew apps render
//! [`ArticleAnnotator`] (with `default-features = false` they leave the embed out).

pub mod core;

#[cfg(all(target_arch = "wasm32", feature = "embed"))]
mod embed;
#[cfg(target_arch = "wasm32")]
mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(all(target_arch = "wasm32", feature = "embed"))]
pub use embed::{mount, widget_for, WidgetHandle};
#[cfg(target_arch = "wasm32")]
pub use ui::{ArticleAnnotator, ArticleAnnotatorProps};
