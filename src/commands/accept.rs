//! `driftscope accept`: today's drift as the baseline, in one command with one reason.
//! Every drift that needs review is justified in one batch; `--list` shows the batches
//! in the annotations file and `--undo BATCH` removes one batch's decisions together.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use clap::Args;
use color_eyre::eyre::{Result, eyre};

use super::bulk::{batch_name, compare_for, plan_for, remove_ids, run_plan};
use super::{Outcome, emit};
use crate::diff::review::AnnotationDraft;
use crate::model::{Annotation, AnnotationId, AnnotationKind, join_environments, sanitize};
use crate::store::Workspace;

/// Arguments of `accept`.
#[derive(Debug, Clone, Args)]
pub struct AcceptArgs {
    /// The compared sides (two or more: ENV, ENV@TIME or a snapshot file).
    #[arg(value_name = "SIDE")]
    pub sides: Vec<String>,
    /// Why today's drift is accepted (required when accepting).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// A ticket number or link.
    #[arg(long, value_name = "TICKET")]
    pub ticket: Option<String>,
    /// List the batches of decisions in the annotations file.
    #[arg(long, conflicts_with_all = ["sides", "reason", "undo", "ticket"])]
    pub list: bool,
    /// Remove every decision of this batch (as `--list` names it).
    #[arg(long, value_name = "BATCH", conflicts_with_all = ["sides", "reason", "ticket"])]
    pub undo: Option<String>,
    /// Do it without asking.
    #[arg(long)]
    pub yes: bool,
}

/// Accepts, lists or undoes, as `args` say.
pub fn run(
    workspace: &Workspace,
    args: &AcceptArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let mut store = workspace.annotations()?;
    if args.list {
        emit(out, &list_batches(store.records()))?;
        return Ok(Outcome::Success);
    }
    store.check_writable()?;
    if let Some(batch) = &args.undo {
        let ids: Vec<AnnotationId> = store
            .records()
            .iter()
            .filter(|a| a.batch.as_deref() == Some(batch.as_str()))
            .map(Annotation::id)
            .collect();
        remove_ids(
            &mut store,
            &ids,
            &format!("in batch {}", sanitize(batch, false)),
            args.yes,
            out,
        )?;
        return Ok(Outcome::Success);
    }
    if args.sides.len() < 2 {
        return Err(eyre!(
            "give the sides to accept (e.g. `driftscope accept staging prod --reason TEXT`), or --list, or --undo BATCH"
        ));
    }
    let reason = args
        .reason
        .as_deref()
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| eyre!("--reason is required: say why today's drift is accepted"))?;
    let compared = compare_for(workspace, &args.sides, None, now)?;
    let draft = AnnotationDraft {
        kind: AnnotationKind::Justify,
        reason: reason.to_string(),
        ticket: args.ticket.clone(),
        expires: None,
    };
    let batch = batch_name("baseline", now, &store);
    let (plan, matched) = plan_for(
        &compared,
        &store,
        None,
        &draft,
        &workspace.author(),
        now,
        &batch,
    )?;
    let between = compared
        .report
        .sides
        .iter()
        .map(|s| s.label.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    run_plan(
        &mut store,
        AnnotationKind::Justify,
        plan,
        matched,
        &format!("between {}", sanitize(&between, false)),
        &batch,
        args.yes,
        out,
    )?;
    Ok(Outcome::Success)
}

/// One line per batch: name, decisions, environments, author and reason.
fn list_batches(records: &[Annotation]) -> String {
    let mut batches: BTreeMap<&str, Vec<&Annotation>> = BTreeMap::new();
    for a in records {
        if let Some(batch) = &a.batch {
            batches.entry(batch).or_default().push(a);
        }
    }
    if batches.is_empty() {
        return "no batches: every annotation was made on its own\n".to_string();
    }
    let mut out = String::new();
    for (name, members) in batches {
        let first = members[0];
        out.push_str(&format!(
            "{}  {} decision{} on {} by {}: {}\n",
            sanitize(name, false),
            members.len(),
            if members.len() == 1 { "" } else { "s" },
            sanitize(&join_environments(&first.environments), false),
            sanitize(&first.author, false),
            sanitize(&first.reason, false)
        ));
    }
    out
}
