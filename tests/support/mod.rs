//! Test support shared by integration tests.

pub mod fake_couch;
pub mod rng;
