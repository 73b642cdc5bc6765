//! `driftscope check`: the CI drift gate. One summary line per category, and an outcome
//! that says whether anything drifts.

use std::io::Write;

use color_eyre::eyre::Result;

use super::compare::{CompareRequest, compare};
use super::{Outcome, emit};
use crate::report::{Palette, summary};
use crate::store::Workspace;

/// Compares `request`'s sides, writes the per-category summary to `out`, and returns
/// [`Outcome::Drift`] when any fact drifts.
pub fn run(
    workspace: &Workspace,
    request: &CompareRequest,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let report = compare(workspace, request)?;
    emit(out, &summary::render(&report, request.category, palette))?;
    Ok(if report.drift_count() > 0 {
        Outcome::Drift
    } else {
        Outcome::Success
    })
}
