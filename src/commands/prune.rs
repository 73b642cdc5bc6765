//! `driftscope prune`: delete old snapshots by retention rules. A dry run unless told
//! to apply; a host's newest snapshot is never deleted.

use std::fmt::Write as _;
use std::io::Write;

use chrono::SecondsFormat;
use color_eyre::eyre::{Result, bail};

use super::{Outcome, emit, warn};
use crate::model::sanitize;
use crate::report::Palette;
use crate::store::prune::{self, HostPlan, Retention};
use crate::store::{Workspace, snapshots_of};

/// Arguments of `driftscope prune`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PruneArgs {
    /// Only this environment's snapshots (every environment's when omitted).
    #[arg(value_name = "ENV")]
    pub environment: Option<String>,
    /// Only this host's snapshots.
    #[arg(long, value_name = "HOST", requires = "environment")]
    pub host: Option<String>,
    /// Keep each host's N newest snapshots.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_last: usize,
    /// Keep the newest snapshot of each of a host's N most recent days (UTC).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_daily: usize,
    /// Keep the newest snapshot of each of a host's N most recent ISO weeks.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub keep_weekly: usize,
    /// Delete the snapshots no rule keeps (without it, only show what would go).
    #[arg(long)]
    pub apply: bool,
}

/// Plans (and with `--apply`, carries out) the pruning, writing every verdict to `out`.
/// Returns [`Outcome::Incomplete`] when some file could not be deleted.
pub fn run(
    workspace: &mut Workspace,
    args: &PruneArgs,
    palette: Palette,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let rules = Retention {
        keep_last: args.keep_last,
        keep_daily: args.keep_daily,
        keep_weekly: args.keep_weekly,
    };
    if rules.is_empty() {
        bail!("say what to keep: --keep-last N, --keep-daily N and/or --keep-weekly N");
    }
    if let Some(env) = &args.environment {
        snapshots_of(workspace, env, args.host.as_deref())?;
    }
    if args.apply && workspace.is_demo() {
        bail!("the demo workspace is read-only");
    }
    let plans = prune::plan(
        &workspace.history,
        args.environment.as_deref(),
        args.host.as_deref(),
        &rules,
    );
    emit(out, &render(&plans, palette))?;
    let doomed: usize = plans.iter().map(|p| p.deleted().count()).sum();
    let kept: usize = plans.iter().map(|p| p.verdicts.len()).sum::<usize>() - doomed;
    if !args.apply {
        let summary = if doomed == 0 {
            format!("Dry run: nothing to delete; {kept} kept.")
        } else {
            format!(
                "Dry run: {doomed} would be deleted, {kept} kept. Run again with --apply to delete them."
            )
        };
        emit(out, &format!("{}\n", palette.dim(&summary)))?;
        return Ok(Outcome::Success);
    }
    let pruned = prune::apply(workspace, &plans)?;
    for failure in &pruned.failures {
        warn(err, failure);
    }
    emit(
        out,
        &format!("Deleted {} snapshots, kept {kept}.\n", pruned.deleted),
    )?;
    Ok(if pruned.failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}

/// One block per host: a summary line, then `keep`/`delete` and the time of each
/// snapshot, newest first, with the rules that keep it.
pub fn render(plans: &[HostPlan], palette: Palette) -> String {
    let mut out = String::new();
    if plans.is_empty() {
        out.push_str("No snapshots.\n");
    }
    for plan in plans {
        let deleted = plan.deleted().count();
        let title = format!(
            "{}/{}: keep {}, delete {deleted}",
            plan.environment,
            plan.host,
            plan.verdicts.len() - deleted
        );
        let _ = writeln!(out, "{}", palette.heading(&sanitize(&title, false)));
        for verdict in &plan.verdicts {
            let time = verdict
                .meta
                .taken_at
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            if verdict.is_kept() {
                let reasons: Vec<String> = verdict.keep.iter().map(ToString::to_string).collect();
                let _ = writeln!(
                    out,
                    "  keep    {time}  {}",
                    palette.dim(&reasons.join(", "))
                );
            } else {
                let _ = writeln!(out, "  {}  {time}", palette.warn("delete"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dry_run_on_the_demo_lists_verdicts_and_deletes_nothing() {
        let mut ws = crate::demo::workspace();
        let before = ws.history.entries.len();
        let args = PruneArgs {
            environment: Some("prod".into()),
            host: Some("prod-web-1".into()),
            keep_last: 2,
            ..PruneArgs::default()
        };
        let mut out = Vec::new();
        let outcome = run(&mut ws, &args, Palette::plain(), &mut out, &mut Vec::new()).unwrap();
        assert_eq!(outcome, Outcome::Success);
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "prod/prod-web-1: keep 2, delete 6");
        assert!(lines[1].starts_with("  keep    ") && lines[1].ends_with("newest, last"));
        assert!(lines[2].ends_with("  last"));
        assert!(lines[3].starts_with("  delete  "));
        assert_eq!(
            lines.last(),
            Some(&"Dry run: 6 would be deleted, 2 kept. Run again with --apply to delete them.")
        );
        assert_eq!(ws.history.entries.len(), before);
    }

    #[test]
    fn rules_are_required_and_the_demo_cannot_be_pruned() {
        let mut ws = crate::demo::workspace();
        let none = PruneArgs::default();
        let err = run(
            &mut ws,
            &none,
            Palette::plain(),
            &mut Vec::new(),
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("say what to keep"), "{err}");
        let apply = PruneArgs {
            keep_last: 1,
            apply: true,
            ..PruneArgs::default()
        };
        let err = run(
            &mut ws,
            &apply,
            Palette::plain(),
            &mut Vec::new(),
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "the demo workspace is read-only");
    }
}
