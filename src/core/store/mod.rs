//! Everything about keeping annotations when more than one writer has them: the
//! version clock, the one merge, and (over a small key-value trait) every storage
//! sequence. Pure: the browser's localStorage is one implementation of the trait,
//! in `platform/`.

pub mod clock;
pub mod merge;
pub mod document;
pub mod keys;
pub mod kv;
pub mod library;
pub mod review;
