//! Anchoring: from a sentence to a selector that can find it again, and back.
//!
//! Pure string logic over the document text, in the spirit of Hypothesis's
//! `match-quote`: no DOM, every case unit-tested.

pub mod fuzzy;
mod place;
mod selector;

pub use place::{anchor, Anchorer, Placement};
pub use selector::{sentence_id, target_for, targets_for, MIN_CONTEXT};
