//! Bulk decisions: one justify or remediate for many drifts at once (a glob on the
//! command line, every drift a filter shows in the explorer, or a whole baseline).
//! Pure: plans the annotations; saving them in one atomic write is the store's work
//! (`AnnotationStore::put_many`).

use chrono::{DateTime, Utc};
use globset::Glob;

use super::DriftReport;
use super::review::{AnnotationDraft, Reviews, annotate};
use crate::model::Annotation;

/// The annotations a bulk decision will save, and what it leaves alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkPlan {
    /// One annotation per drift that needed review, in report order.
    pub annotations: Vec<Annotation>,
    /// Drifts among the chosen ones that are already reviewed (a current annotation or
    /// an expectation rule): left as they are.
    pub already_reviewed: usize,
}

/// Plans `draft` for the facts at `rows` of `report` (indices into `report.facts`, as
/// `reviews` was made for): each drift that needs review gets an annotation for the
/// comparison's environments, made by `author` at `time`, in `batch` when given.
/// Equal facts and rows out of range are skipped. Fails when the reason is blank.
pub fn plan(
    report: &DriftReport,
    reviews: &Reviews,
    rows: &[usize],
    draft: &AnnotationDraft,
    author: &str,
    time: DateTime<Utc>,
    batch: Option<&str>,
) -> Result<BulkPlan, String> {
    if draft.reason.trim().is_empty() {
        return Err("a reason is required".to_string());
    }
    let mut annotations = Vec::new();
    let mut already_reviewed = 0;
    for &row in rows {
        let (Some(fact), Some(state)) = (report.facts.get(row), reviews.state(row)) else {
            continue;
        };
        if !state.needs_review() {
            already_reviewed += 1;
            continue;
        }
        let mut annotation = annotate(fact, &reviews.environments, draft.clone(), author, time)?;
        annotation.batch = batch.map(str::to_string);
        annotations.push(annotation);
    }
    Ok(BulkPlan {
        annotations,
        already_reviewed,
    })
}

/// The rows of `report`'s drifts whose `category/key` matches the glob `pattern`
/// (`*` also matches `/`). The error names a bad pattern.
pub fn matching_rows(report: &DriftReport, pattern: &str) -> Result<Vec<usize>, String> {
    let glob = Glob::new(pattern)
        .map_err(|e| format!("invalid pattern '{pattern}': {}", e.kind()))?
        .compile_matcher();
    Ok(report
        .facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_drift() && glob.is_match(f.key.to_string()))
        .map(|(i, _)| i)
        .collect())
}

/// True when a fact argument is a glob pattern rather than one `CATEGORY/KEY`.
pub fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::review::review;
    use crate::diff::{DiffOptions, Side, compare};
    use crate::model::{AnnotationKind, Category, Snapshot, Source, Value};
    use chrono::TimeZone;

    fn snapshot(env: &str, facts: &[(&str, &str)]) -> Snapshot {
        let mut s = Snapshot::new(env, format!("{env}-1"), Utc::now(), Source::Local);
        for (key, version) in facts {
            s.insert(Category::Versions, *key, Value::version(*version));
        }
        s
    }

    #[test]
    fn plans_one_annotation_per_drift_needing_review_and_counts_the_rest() {
        let staging = snapshot(
            "staging",
            &[
                ("package:libfoo", "1.0"),
                ("package:libbar", "2.0"),
                ("package:zlib", "1"),
            ],
        );
        let prod = snapshot(
            "prod",
            &[
                ("package:libfoo", "1.1"),
                ("package:libbar", "2.1"),
                ("package:zlib", "2"),
            ],
        );
        let sides = [
            Side {
                label: "staging".into(),
                snapshots: vec![&staging],
            },
            Side {
                label: "prod".into(),
                snapshots: vec![&prod],
            },
        ];
        let report = compare(&sides, &DiffOptions::default());
        let envs = vec!["staging".to_string(), "prod".to_string()];
        let time = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        let rows = matching_rows(&report, "versions/package:lib*").unwrap();
        assert_eq!(rows.len(), 2);
        let draft = AnnotationDraft {
            kind: AnnotationKind::Justify,
            reason: "libraries follow the OS".into(),
            ticket: None,
            expires: None,
        };
        let reviews = review(&report, &envs, &[], time);
        let planned = plan(&report, &reviews, &rows, &draft, "Dana", time, Some("b1")).unwrap();
        assert_eq!(planned.annotations.len(), 2);
        assert_eq!(planned.already_reviewed, 0);
        assert!(
            planned
                .annotations
                .iter()
                .all(|a| a.batch.as_deref() == Some("b1"))
        );
        // Once saved, the same plan finds them reviewed.
        let reviews = review(&report, &envs, &planned.annotations, time);
        let again = plan(&report, &reviews, &rows, &draft, "Dana", time, None).unwrap();
        assert!(again.annotations.is_empty());
        assert_eq!(again.already_reviewed, 2);
        assert!(plan_blank_reason_fails(&report, &reviews, &rows, time));
    }

    fn plan_blank_reason_fails(
        report: &DriftReport,
        reviews: &Reviews,
        rows: &[usize],
        time: DateTime<Utc>,
    ) -> bool {
        let draft = AnnotationDraft {
            kind: AnnotationKind::Remediate,
            reason: "  ".into(),
            ticket: None,
            expires: None,
        };
        plan(report, reviews, rows, &draft, "Dana", time, None).is_err()
    }

    #[test]
    fn patterns_are_told_from_single_facts() {
        assert!(is_pattern("versions/package:lib*"));
        assert!(!is_pattern("config/env.LOG_LEVEL"));
    }
}
