//! article-annotator: tag the sentences of an article as claim, quote or position.
//!
//! `core` is the whole behaviour as pure Rust, tested natively. The browser shell
//! (`platform`, `ui`, `embed`) exists only on wasm32 and stays thin.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod embed;
#[cfg(target_arch = "wasm32")]
mod platform;
#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub use embed::{mount, widget_for, WidgetHandle};
