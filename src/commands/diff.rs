//! `driftscope diff`: compare two or more sides and print the report.

use std::io::Write;

use color_eyre::eyre::{Result, WrapErr};

use super::{Outcome, emit};
use crate::report::{self, Format, Palette, text::TextOptions};
use crate::store::Workspace;
use crate::store::compare::{CompareRequest, compare};

/// Compares `request`'s sides in `workspace` and writes the report to `out` in `format`.
/// Succeeds whether or not there is drift.
pub fn run(
    workspace: &Workspace,
    request: &CompareRequest,
    format: Format,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let report = compare(workspace, request)?.report;
    let rendered = match format {
        Format::Text => report::text::render(&report, &TextOptions::new(palette)),
        Format::Json => report::json::render(&report).wrap_err("cannot write the JSON report")?,
        Format::Markdown => report::markdown::render(&report),
    };
    emit(out, &rendered)?;
    Ok(Outcome::Success)
}
