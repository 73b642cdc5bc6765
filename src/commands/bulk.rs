//! Bulk decisions from the command line: `justify`/`remediate`/`unannotate` with a glob
//! instead of one fact, and `accept` (today's drift as a baseline). Each says how many
//! drifts it will annotate and asks first (or takes `--yes`); each saves in one atomic
//! write, as one batch that can be listed and undone together.

use std::io::{BufRead, IsTerminal, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use color_eyre::eyre::{Result, eyre};

use super::emit;
use crate::diff::bulk::{self, BulkPlan};
use crate::diff::review::AnnotationDraft;
use crate::model::{AnnotationId, AnnotationKind, Category, sanitize};
use crate::store::compare::{Compared, compare};
use crate::store::{AnnotationStore, Workspace};

/// How many facts a confirmation lists by name before counting the rest.
const LISTED: usize = 20;

/// The category a pattern is limited to, when its category part is a plain name.
pub fn pattern_category(pattern: &str) -> Option<Category> {
    let (category, _) = pattern.split_once('/')?;
    if bulk::is_pattern(category) {
        return None;
    }
    category.parse().ok()
}

/// A batch name not yet used in `store`: `KIND-YYYY-MM-DDTHH:MM:SSZ` (`baseline-…`,
/// `justify-…`), with `-2`, `-3`… added when a batch of that name exists already.
pub fn batch_name(kind: &str, now: DateTime<Utc>, store: &AnnotationStore) -> String {
    let base = format!("{kind}-{}", now.to_rfc3339_opts(SecondsFormat::Secs, true));
    let taken = |name: &str| {
        store
            .records()
            .iter()
            .any(|a| a.batch.as_deref() == Some(name))
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .unwrap_or(base)
}

/// Asks `question` on the terminal; without a terminal, refuses with `hint`.
pub fn confirm(question: &str, yes: bool, hint: &str, out: &mut dyn Write) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(eyre!("{hint}"));
    }
    emit(out, &format!("{question} [y/N] "))?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| eyre!("cannot read the answer: {e}"))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Compares `sides` (references as typed, relative times counted back from `now`) for a
/// bulk decision on the facts matching `pattern` (every drift when `None`).
pub fn compare_for(
    workspace: &Workspace,
    sides: &[String],
    pattern: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Compared> {
    let request = super::compare::request(sides, pattern.and_then(pattern_category), false, now)?;
    compare(workspace, &request)
}

/// Plans `draft` for the drifts of `compared` matching `pattern` (all when `None`).
pub fn plan_for(
    compared: &Compared,
    store: &AnnotationStore,
    pattern: Option<&str>,
    draft: &AnnotationDraft,
    author: &str,
    now: DateTime<Utc>,
    batch: &str,
) -> Result<(BulkPlan, usize)> {
    let reviews = compared.review(store.records(), now);
    let rows = match pattern {
        Some(pattern) => {
            bulk::matching_rows(&compared.report, pattern).map_err(|e| eyre!("{e}"))?
        }
        None => (0..compared.report.facts.len())
            .filter(|&i| compared.report.facts[i].is_drift())
            .collect(),
    };
    let plan = bulk::plan(
        &compared.report,
        &reviews,
        &rows,
        draft,
        author,
        now,
        Some(batch),
    )
    .map_err(|e| eyre!("{e}"))?;
    Ok((plan, rows.len()))
}

/// Runs a planned bulk decision: says what it will do, asks, saves in one write.
#[allow(clippy::too_many_arguments)]
pub fn run_plan(
    store: &mut AnnotationStore,
    kind: AnnotationKind,
    plan: BulkPlan,
    matched: usize,
    what: &str,
    batch: &str,
    yes: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let count = plan.annotations.len();
    if count == 0 {
        emit(
            out,
            &format!(
                "nothing to do: {matched} drift{} {what}, every one already reviewed\n",
                plural(matched)
            ),
        )?;
        return Ok(());
    }
    let mut text = format!(
        "{} {count} drift{} {what}",
        match kind {
            AnnotationKind::Justify => "will justify",
            AnnotationKind::Remediate => "will mark for remediation",
        },
        plural(count)
    );
    if plan.already_reviewed > 0 {
        text.push_str(&format!(
            " ({} already reviewed left as they are)",
            plan.already_reviewed
        ));
    }
    text.push_str(":\n");
    for a in plan.annotations.iter().take(LISTED) {
        text.push_str(&format!("  {}\n", sanitize(&a.key.to_string(), false)));
    }
    if count > LISTED {
        text.push_str(&format!("  … and {} more\n", count - LISTED));
    }
    emit(out, &text)?;
    let question = format!("annotate these {count} drift{}?", plural(count));
    let hint = format!(
        "not annotating {count} drift{} without confirmation: add --yes to do it from a script",
        plural(count)
    );
    if !confirm(&question, yes, &hint, out)? {
        emit(out, "nothing annotated\n")?;
        return Ok(());
    }
    let report = store.put_many(plan.annotations)?;
    let mut done = format!(
        "{} {count} drift{} as batch {batch}\n  saved {} (undo with: driftscope accept --undo {batch})\n",
        kind.describe(),
        plural(count),
        store.shown()
    );
    for message in report.messages(store.shown()) {
        done.push_str(&format!("  note: {}\n", sanitize(&message, false)));
    }
    emit(out, &done)
}

/// Removes the annotations for `environments` whose fact matches `pattern`, after
/// saying how many and asking.
pub fn unannotate_matching(
    store: &mut AnnotationStore,
    environments: &std::collections::BTreeSet<String>,
    pattern: &str,
    yes: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let glob = globset::Glob::new(pattern)
        .map_err(|e| eyre!("invalid pattern '{pattern}': {}", e.kind()))?
        .compile_matcher();
    let ids: Vec<AnnotationId> = store
        .records()
        .iter()
        .filter(|a| &a.environments == environments && glob.is_match(a.key.to_string()))
        .map(|a| a.id())
        .collect();
    remove_ids(store, &ids, &format!("matching '{pattern}'"), yes, out)
}

/// Removes the annotations with `ids` after saying how many and asking.
pub fn remove_ids(
    store: &mut AnnotationStore,
    ids: &[AnnotationId],
    what: &str,
    yes: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if ids.is_empty() {
        return Err(eyre!("there is no annotation {what}"));
    }
    let count = ids.len();
    let mut text = format!("will remove {count} annotation{} {what}:\n", plural(count));
    for id in ids.iter().take(LISTED) {
        text.push_str(&format!("  {}\n", sanitize(&id.to_string(), false)));
    }
    if count > LISTED {
        text.push_str(&format!("  … and {} more\n", count - LISTED));
    }
    emit(out, &text)?;
    let hint = format!(
        "not removing {count} annotation{} without confirmation: add --yes to do it from a script",
        plural(count)
    );
    if !confirm(
        &format!("remove these {count} annotation{}?", plural(count)),
        yes,
        &hint,
        out,
    )? {
        emit(out, "nothing removed\n")?;
        return Ok(());
    }
    let report = store.remove_many(ids)?;
    let mut done = format!(
        "removed {count} annotation{}\n  saved {}\n",
        plural(count),
        store.shown()
    );
    for message in report.messages(store.shown()) {
        done.push_str(&format!("  note: {}\n", sanitize(&message, false)));
    }
    emit(out, &done)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_names_are_never_reused() {
        use crate::model::{Annotation, AnnotationKind, Category, FactKey};
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 16, 5, 0).unwrap();
        let empty = AnnotationStore::embedded(Vec::new());
        assert_eq!(
            batch_name("baseline", now, &empty),
            "baseline-2026-11-30T16:05:00Z"
        );
        let record = Annotation {
            key: FactKey::new(Category::Config, "x"),
            environments: ["prod".to_string()].into(),
            kind: AnnotationKind::Justify,
            reason: "r".into(),
            ticket: None,
            expires: None,
            author: "a".into(),
            time: now,
            fingerprint: format!("sha256:{}", "0".repeat(64)),
            values: Default::default(),
            batch: Some("baseline-2026-11-30T16:05:00Z".into()),
        };
        let store = AnnotationStore::embedded(vec![record]);
        assert_eq!(
            batch_name("baseline", now, &store),
            "baseline-2026-11-30T16:05:00Z-2"
        );
    }

    #[test]
    fn a_plain_category_part_limits_the_comparison() {
        assert_eq!(
            pattern_category("versions/package:lib*"),
            Some(Category::Versions)
        );
        assert_eq!(pattern_category("*/env.*"), None);
        assert_eq!(pattern_category("nonsense/x*"), None);
    }

    #[test]
    fn refusing_without_a_terminal_or_yes_names_the_fix() {
        let mut out = Vec::new();
        assert!(confirm("go?", true, "hint", &mut out).unwrap());
        // Tests run without a terminal on standard input.
        if !std::io::stdin().is_terminal() {
            let err = confirm("go?", false, "add --yes", &mut out).unwrap_err();
            assert!(err.to_string().contains("--yes"));
        }
    }
}
