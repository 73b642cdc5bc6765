//! `driftscope diff`: compare two or more sides and print the report.

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr};

use chrono::{DateTime, Utc};

use super::{Outcome, emit};
use crate::diff::review::ReviewState;
use crate::report::hosts::HostNames;
use crate::report::{self, Format, Palette, text::TextOptions};
use crate::store::Workspace;
use crate::store::compare::{CompareRequest, compare};

/// Compares `request`'s sides in `workspace` and writes the report to `out` in `format`,
/// naming the hosts of sides whose hosts disagree as `hosts` says.
/// With `unreviewed`, only the drifts that still need a decision are shown (reviewed
/// against the annotations and the expectation rules as of `now`; counts stay whole).
/// Succeeds whether or not there is drift.
pub fn run(
    workspace: &Workspace,
    request: &CompareRequest,
    unreviewed: Option<DateTime<Utc>>,
    format: Format,
    hosts: HostNames,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let compared = compare(workspace, request)?;
    let mut report = match unreviewed {
        Some(now) => {
            let store = workspace.annotations()?;
            let reviews = compared.review(store.records(), now);
            let mut report = compared.report;
            let keep: Vec<bool> = (0..report.facts.len())
                .map(|i| reviews.state(i).is_some_and(ReviewState::needs_review))
                .collect();
            let mut flags = keep.into_iter();
            report.facts.retain(|_| flags.next().unwrap_or(false));
            report
        }
        None => compared.report,
    };
    let report = &mut report;
    let rendered = match format {
        Format::Text => report::text::render(
            report,
            &TextOptions {
                hosts,
                ..TextOptions::new(palette)
            },
        ),
        Format::Json => report::json::render(report).wrap_err("cannot write the JSON report")?,
        Format::Markdown => report::markdown::render_with(report, hosts),
    };
    emit(out, &rendered)?;
    Ok(Outcome::Success)
}
