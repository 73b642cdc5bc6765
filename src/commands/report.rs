//! `driftscope report`: the audit report of a comparison — what was justified, what is to
//! be remediated, and what still needs review — as Markdown, a printable HTML page or
//! JSON.

use std::io::Write;

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use color_eyre::eyre::{Result, WrapErr};

use super::{Outcome, emit};
use crate::model::Category;
use crate::report::audit::{self, Audit};
use crate::store::Workspace;
use crate::store::compare::compare;

/// Arguments of `report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Sides to compare, the first is the baseline: ENV, ENV@TIME, ENV/HOST[@TIME] or a
    /// snapshot file path.
    #[arg(required = true, num_args = 2.., value_name = "SNAPSHOT")]
    pub references: Vec<String>,
    /// Report only this category: versions, config, schema, network, infra or services.
    #[arg(long, value_name = "CAT")]
    pub category: Option<Category>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Markdown)]
    pub format: AuditFormat,
}

/// Formats of the audit report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Markdown, for a ticket, a wiki or a pull request.
    Markdown,
    /// One self-contained HTML page that prints well.
    Html,
    /// The `driftscope-audit` JSON document.
    Json,
}

/// Compares the sides, reviews every drift against the workspace's annotations as of
/// `now`, and writes the audit report to `out`. Succeeds whatever the review found.
pub fn run(
    workspace: &Workspace,
    args: &ReportArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let request = super::compare::request(&args.references, args.category, false, now)?;
    let compared = compare(workspace, &request)?;
    let store = workspace.annotations()?;
    let reviews = compared.review(store.records(), now);
    let name = workspace.name();
    let audit = Audit {
        workspace: &name,
        generated_at: now,
        report: &compared.report,
        reviews: &reviews,
        annotations: store.records(),
        policy: &compared.policy,
    };
    let text = match args.format {
        AuditFormat::Markdown => audit::markdown::render(&audit),
        AuditFormat::Html => audit::html::render(&audit),
        AuditFormat::Json => {
            audit::json::render(&audit).wrap_err("cannot write the JSON audit report")?
        }
    };
    emit(out, &text)?;
    Ok(Outcome::Success)
}
