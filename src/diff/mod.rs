//! The diff engine: pure functions from snapshots to a [`DriftReport`]. No I/O.
//!
//! Sides (environments, each with one or more hosts) are aligned by (category, key);
//! every fact gets a status, a severity and, where it helps, a detailed comparison
//! against the baseline (side 0): version ordering, side-by-side text rows, set members
//! or record fields. `review` adds each drift's annotation state.

pub mod bulk;
mod comparison;
mod engine;
pub mod expiry;
pub mod hosts;
mod ignore;
pub mod policy;
pub mod review;
pub mod severity;
pub mod text;
mod types;
pub mod version;

pub use engine::compare;
pub use ignore::IgnoreRules;
pub use types::*;
