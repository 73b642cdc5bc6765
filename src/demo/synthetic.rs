//! Synthetic snapshots of any size, for benchmarks and scale tests.

use crate::model::Snapshot;

/// Two snapshots (`a`, `b`) of `facts` facts each, of every value kind, where about
/// `drift_percent` percent of the facts differ. Deterministic for a given `seed`.
pub fn pair(facts: usize, drift_percent: u32, seed: u64) -> (Snapshot, Snapshot) {
    let _ = (facts, drift_percent, seed);
    todo!("synthetic snapshots")
}
