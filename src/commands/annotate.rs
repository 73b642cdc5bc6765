//! `driftscope justify`, `remediate` and `unannotate`: record or clear a decision about
//! one drift from the command line, for scripts and for people without the explorer.

use std::io::Write;

use chrono::{DateTime, Utc};
use clap::Args;
use color_eyre::eyre::{Result, eyre};

use super::{Outcome, emit};
use crate::config::CONFIG_FILE;
use crate::diff::bulk;
use crate::diff::review::{AnnotationDraft, annotate};
use crate::model::{
    AnnotationId, AnnotationKind, Category, FactKey, join_environments, parse_expiry, sanitize,
};
use crate::store::SideRef;
use crate::store::compare::{CompareRequest, compare};
use crate::store::{AnnotationStore, SaveReport, Workspace};

/// Arguments of `justify` and `remediate`.
#[derive(Debug, Clone, Args)]
pub struct AnnotateArgs {
    /// The compared sides (two or more: ENV, ENV@TIME or a snapshot file), then the
    /// drifting fact as CATEGORY/KEY, e.g. `staging prod config/env.LOG_LEVEL`, or a glob
    /// such as `versions/package:lib*` to annotate every matching drift that needs review.
    #[arg(required = true, num_args = 3.., value_names = ["SIDE", "SIDE", "CATEGORY/KEY"])]
    pub targets: Vec<String>,
    /// Why (required): the documentation of this difference.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// A ticket number or link.
    #[arg(long, value_name = "TICKET")]
    pub ticket: Option<String>,
    /// The last day the decision holds (YYYY-MM-DD, UTC); after it the drift counts as
    /// unreviewed again.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
    /// With a glob instead of one fact: annotate every matching drift without asking.
    #[arg(long)]
    pub yes: bool,
}

/// Arguments of `unannotate`.
#[derive(Debug, Clone, Args)]
pub struct UnannotateArgs {
    /// The sides the annotation was made for (ENV, ENV@TIME or a snapshot file; only
    /// their environment names matter), then the fact as CATEGORY/KEY or a glob.
    #[arg(required = true, num_args = 2.., value_names = ["SIDE", "CATEGORY/KEY"])]
    pub targets: Vec<String>,
    /// With a glob: remove every matching annotation without asking.
    #[arg(long)]
    pub yes: bool,
}

/// Parses `CATEGORY/KEY`; the key may itself contain `/`.
pub fn parse_fact(text: &str) -> Result<FactKey> {
    let (category, key) = text
        .split_once('/')
        .ok_or_else(|| eyre!("'{text}' is not CATEGORY/KEY (e.g. config/env.LOG_LEVEL)"))?;
    let category: Category = category.parse().map_err(|e| eyre!("in '{text}': {e}"))?;
    if key.is_empty() {
        return Err(eyre!("'{text}' has no key after the category"));
    }
    Ok(FactKey::new(category, key))
}

/// Splits `SIDE… CATEGORY/KEY` into the sides and the fact.
fn split_targets(targets: &[String]) -> Result<(&[String], FactKey)> {
    match targets.split_last() {
        Some((fact, sides)) if !sides.is_empty() => Ok((sides, parse_fact(fact)?)),
        _ => Err(eyre!("give the sides, then the fact as CATEGORY/KEY")),
    }
}

/// Records a `kind` decision about one drift and saves it in the workspace's annotations
/// file; prints what was recorded (and anything merged from the file) to `out`.
///
/// Fails, changing nothing, on the demo, for a fact that does not drift between the
/// sides, for a blank reason, or for an expiry day already past.
pub fn run(
    workspace: &Workspace,
    kind: AnnotationKind,
    args: &AnnotateArgs,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let mut store = workspace.annotations()?;
    store.check_writable()?;
    if let Some((pattern, sides)) = args.targets.split_last()
        && !sides.is_empty()
        && bulk::is_pattern(pattern)
    {
        return run_matching(workspace, &mut store, kind, args, sides, pattern, now, out);
    }
    let (sides, key) = split_targets(&args.targets)?;
    let expires = args
        .expires
        .as_deref()
        .map(|text| parse_expiry(text, now.date_naive()))
        .transpose()
        .map_err(|e| eyre!("--expires: {e}"))?;
    let request = CompareRequest {
        sides: super::compare::parse_sides(sides, now)?,
        category: Some(key.category),
        include_equal: true,
    };
    let compared = compare(workspace, &request)?;
    let labels: Vec<&str> = compared
        .report
        .sides
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    let between = labels.join(" and ");
    let Some(fact) = compared.report.facts.iter().find(|f| f.key == key) else {
        let ignored = workspace
            .config
            .ignore_rules()
            .is_ok_and(|rules| rules.matches(&key));
        return Err(if ignored {
            eyre!("{key} is ignored by {CONFIG_FILE}'s ignore.facts, so it never drifts")
        } else {
            eyre!("there is no fact {key} in {between}")
        });
    };
    if !fact.is_drift() {
        return Err(eyre!(
            "{key} does not drift between {between}: every side holds the same value"
        ));
    }
    let draft = AnnotationDraft {
        kind,
        reason: args.reason.clone(),
        ticket: args.ticket.clone(),
        expires,
    };
    let annotation = annotate(
        fact,
        &compared.environments,
        draft,
        &workspace.author(),
        now,
    )
    .map_err(|e| eyre!("{e}"))?;
    let id = annotation.id();
    let replaced = store.find(&id).cloned();
    let report = store.put(annotation.clone())?;

    let mut text = format!(
        "{} {}: {}\n",
        kind.describe(),
        sanitize(&id.to_string(), false),
        sanitize(&annotation.reason, false)
    );
    if let Some(old) = replaced {
        text.push_str(&format!(
            "  replaces the earlier annotation ({} by {}, {})\n",
            old.kind,
            sanitize(&old.author, false),
            old.time.format("%Y-%m-%d")
        ));
    }
    text.push_str(&saved_line(&store, &annotation.author, &report));
    emit(out, &text)?;
    Ok(Outcome::Success)
}

/// `justify`/`remediate` with a glob: every matching drift that needs review, in one
/// batch, after saying how many and asking (or `--yes`).
#[allow(clippy::too_many_arguments)]
fn run_matching(
    workspace: &Workspace,
    store: &mut AnnotationStore,
    kind: AnnotationKind,
    args: &AnnotateArgs,
    sides: &[String],
    pattern: &str,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let expires = args
        .expires
        .as_deref()
        .map(|text| parse_expiry(text, now.date_naive()))
        .transpose()
        .map_err(|e| eyre!("--expires: {e}"))?;
    let compared = super::bulk::compare_for(workspace, sides, Some(pattern), now)?;
    let draft = AnnotationDraft {
        kind,
        reason: args.reason.clone(),
        ticket: args.ticket.clone(),
        expires,
    };
    let batch = super::bulk::batch_name(kind.as_str(), now, store);
    let (plan, matched) = super::bulk::plan_for(
        &compared,
        store,
        Some(pattern),
        &draft,
        &workspace.author(),
        now,
        &batch,
    )?;
    if matched == 0 {
        let labels: Vec<&str> = compared
            .report
            .sides
            .iter()
            .map(|s| s.label.as_str())
            .collect();
        return Err(eyre!(
            "no drift between {} matches '{}'",
            labels.join(" and "),
            sanitize(pattern, false)
        ));
    }
    super::bulk::run_plan(
        store,
        kind,
        plan,
        matched,
        &format!("matching '{}'", sanitize(pattern, false)),
        &batch,
        args.yes,
        out,
    )?;
    Ok(Outcome::Success)
}

/// Removes the annotation of a fact for the sides' environments and saves the file.
pub fn run_unannotate(
    workspace: &Workspace,
    args: &UnannotateArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let mut store = workspace.annotations()?;
    store.check_writable()?;
    if let Some((pattern, sides)) = args.targets.split_last()
        && !sides.is_empty()
        && bulk::is_pattern(pattern)
    {
        let environments = sides
            .iter()
            .map(|side| environment_of(workspace, side))
            .collect::<Result<_>>()?;
        super::bulk::unannotate_matching(&mut store, &environments, pattern, args.yes, out)?;
        return Ok(Outcome::Success);
    }
    let (sides, key) = split_targets(&args.targets)?;
    let environments = sides
        .iter()
        .map(|side| environment_of(workspace, side))
        .collect::<Result<_>>()?;
    let id = AnnotationId { key, environments };
    let Some(existing) = store.find(&id).cloned() else {
        let others: Vec<String> = store
            .records()
            .iter()
            .filter(|a| a.key == id.key)
            .map(|a| join_environments(&a.environments))
            .collect();
        let hint = if others.is_empty() {
            String::new()
        } else {
            format!(" (it has one on {})", others.join("; on "))
        };
        return Err(eyre!("there is no annotation for {id}{hint}"));
    };
    let report = store.remove(&id)?;
    let mut text = format!(
        "removed the annotation for {} ({}, {})\n",
        sanitize(&id.to_string(), false),
        existing.kind.describe(),
        sanitize(&existing.reason, false)
    );
    text.push_str(&saved_line(&store, "", &report));
    emit(out, &text)?;
    Ok(Outcome::Success)
}

/// The environment a side reference names: a snapshot file's, or the one it names.
fn environment_of(workspace: &Workspace, reference: &str) -> Result<String> {
    match SideRef::parse(reference, Utc::now())? {
        SideRef::File(path) => Ok(workspace.load_file(&path)?.environment),
        SideRef::Environment { env, .. } if env.is_empty() => {
            Err(eyre!("'{}' names no environment", reference.trim()))
        }
        SideRef::Environment { env, .. } => Ok(env),
    }
}

/// `saved in annotations.toml as Dana` plus a line per merge note.
fn saved_line(store: &AnnotationStore, author: &str, report: &SaveReport) -> String {
    let mut text = if author.is_empty() {
        format!("  saved {}\n", store.shown())
    } else {
        format!(
            "  saved in {} as {}\n",
            store.shown(),
            sanitize(author, false)
        )
    };
    for message in report.messages(store.shown()) {
        text.push_str(&format!("  note: {}\n", sanitize(&message, false)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_category_then_key_and_keys_may_hold_slashes() {
        assert_eq!(
            parse_fact("config/file:/etc/nginx/nginx.conf").unwrap(),
            FactKey::new(Category::Config, "file:/etc/nginx/nginx.conf")
        );
        let err = parse_fact("env.LOG_LEVEL").unwrap_err().to_string();
        assert!(err.contains("CATEGORY/KEY"), "{err}");
        let err = parse_fact("confg/x").unwrap_err().to_string();
        assert!(err.contains("unknown category 'confg'"), "{err}");
        assert!(parse_fact("config/").is_err());
    }
}
