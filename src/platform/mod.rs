//! The browser edge: storage, downloads, the clock, fetching, DOM look-ups.
//!
//! Every call into the browser that can fail returns a typed error here, so the UI
//! can tell the reader what happened instead of panicking.

pub mod couch;
pub mod dom;
pub mod download;
pub mod fetch;
pub mod files;
pub mod html;
pub mod page;
pub mod storage;
pub mod styles;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// A short random tag that keeps annotation ids unique across tabs and devices.
pub fn session_tag() -> String {
    let n = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{n:08x}")
}
