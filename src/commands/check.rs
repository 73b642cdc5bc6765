//! `driftscope check`: the CI drift gate. One summary line per category, with the review
//! state of its drifts, and an outcome that says whether any drift still needs a
//! decision (unreviewed, stale or expired), or, with `--strict`, is marked for
//! remediation.

use std::io::Write;

use chrono::{DateTime, Utc};
use color_eyre::eyre::Result;

use super::{Outcome, emit};
use crate::report::{Palette, review_summary};
use crate::store::Workspace;
use crate::store::compare::{CompareRequest, compare};

/// Compares `request`'s sides, reviews the drift against the workspace's annotations as
/// of `now`, writes the per-category summary to `out`, and returns [`Outcome::Drift`]
/// when some drift needs review, or when `strict` and some drift is marked for
/// remediation.
pub fn run(
    workspace: &Workspace,
    request: &CompareRequest,
    strict: bool,
    now: DateTime<Utc>,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let compared = compare(workspace, request)?;
    let store = workspace.annotations()?;
    let reviews = compared.review(store.records(), now);
    emit(
        out,
        &review_summary::render(
            &compared.report,
            &reviews,
            request.category,
            strict,
            palette,
        ),
    )?;
    Ok(
        if review_summary::fails(&reviews, request.category, strict) {
            Outcome::Drift
        } else {
            Outcome::Success
        },
    )
}
