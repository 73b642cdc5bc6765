//! `driftscope diff`: compare two or more sides and print the report.

use std::io::{self, BufWriter, Write};

use color_eyre::eyre::{Result, WrapErr};

use chrono::{DateTime, Utc};

use super::{Outcome, emit};
use crate::diff::review::ReviewState;
use crate::report::hosts::HostNames;
use crate::report::{self, Format, Palette, text::TextOptions};
use crate::store::Workspace;
use crate::store::compare::{CompareRequest, SideCache, compare_cached};

/// Compares `request`'s sides in `workspace` and writes the report to `out` in `format`,
/// naming the hosts of sides whose hosts disagree as `hosts` says.
/// With `unreviewed`, only the drifts that still need a decision are shown (reviewed
/// against the annotations and the expectation rules as of `now`; counts stay whole).
/// Succeeds whether or not there is drift.
///
/// The loaded snapshots and the report are not freed: the command is the last thing
/// the process does, and freeing millions of small allocations one by one would only
/// delay its exit.
pub fn run(
    workspace: &Workspace,
    request: &CompareRequest,
    unreviewed: Option<DateTime<Utc>>,
    format: Format,
    hosts: HostNames,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let mut sides = SideCache::default();
    let compared = compare_cached(workspace, request, &mut sides)?;
    std::mem::forget(sides);
    let report = match unreviewed {
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
    let result = write_report(&report, format, hosts, palette, out);
    std::mem::forget(report);
    result?;
    Ok(Outcome::Success)
}

/// Writes `report` to `out` in `format`; a reader that stops reading early (a closed
/// pipe) is not an error.
fn write_report(
    report: &crate::diff::DriftReport,
    format: Format,
    hosts: HostNames,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<()> {
    let rendered = match format {
        Format::Text => report::text::render(
            report,
            &TextOptions {
                hosts,
                ..TextOptions::new(palette)
            },
        ),
        Format::Json => {
            // The document is streamed in small pieces: buffer them.
            let mut buffered = BufWriter::with_capacity(1 << 16, out);
            let written = report::json::write(report, &mut buffered)
                .and_then(|()| buffered.flush().map_err(serde_json::Error::io));
            return match written {
                Err(e) if e.io_error_kind() == Some(io::ErrorKind::BrokenPipe) => Ok(()),
                other => other.wrap_err("cannot write the JSON report"),
            };
        }
        Format::Markdown => report::markdown::render_with(report, hosts),
    };
    emit(out, &rendered)
}
