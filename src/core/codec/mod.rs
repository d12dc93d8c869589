//! Formats at the edge of the core: the native envelope (storage and export) and the
//! W3C Web Annotation adapter. The model does not bend to either.

pub mod native;
pub mod w3c;
