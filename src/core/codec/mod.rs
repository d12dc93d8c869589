//! Formats at the edge of the core: the native envelope (storage and export).

pub mod native;
