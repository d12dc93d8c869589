//! The pure core: everything the widget does that can be tested without a browser.
//!
//! Nothing under `core` may use web-sys, wasm-bindgen, js-sys, gloo or yew
//! (checked by `tests/architecture.rs`).

pub mod agreement;
pub mod anchor;
pub mod base64;
pub mod codec;
pub mod error;
pub mod i18n;
pub mod intake;
pub mod library;
pub mod model;
pub mod options;
pub mod percent;
pub mod segment;
pub mod state;
pub mod store;
pub mod sync;
pub mod text;
pub mod time;
pub mod view;
pub mod window;
