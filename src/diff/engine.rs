//! Alignment and classification of facts across sides.

use super::{DiffOptions, DriftReport, Side};

/// Compares two or more sides; side 0 is the baseline.
pub fn compare(sides: &[Side<'_>], options: &DiffOptions) -> DriftReport {
    let _ = (sides, options);
    todo!("diff engine")
}
