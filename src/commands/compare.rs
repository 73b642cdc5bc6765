//! Turning snapshot references into a drift report: resolve each reference, give every
//! side a distinct label, apply the workspace's ignore rules, compare.

use color_eyre::eyre::{Result, eyre};

use chrono::{DateTime, Utc};

use crate::diff::policy::Policy;
use crate::diff::review::{Reviews, review_with_rules};
use crate::diff::{self, DiffOptions, DriftReport, IgnoreRules, Side};
use crate::model::Annotation;
use crate::model::Category;
use crate::store::{CONFIG_FILE, ResolvedSide, Workspace};

/// What to compare and how.
#[derive(Debug, Clone, Default)]
pub struct CompareRequest {
    /// Snapshot references (`ENV`, `ENV@TIME` or a file path); the first is the baseline.
    pub references: Vec<String>,
    /// Compare only this category.
    pub category: Option<Category>,
    /// Keep equal facts in the report.
    pub include_equal: bool,
}

/// A drift report with the environment name of each of its sides, which reviews need.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The comparison, with the workspace's severity policy applied.
    pub report: DriftReport,
    /// Each side's environment name, in side order.
    pub environments: Vec<String>,
    /// The workspace's severity overrides and expectation rules.
    pub policy: Policy,
}

impl Compared {
    /// Reviews the drift against `annotations` and the expectation rules, as of `now`.
    pub fn review(&self, annotations: &[Annotation], now: DateTime<Utc>) -> Reviews {
        review_with_rules(
            &self.report,
            &self.environments,
            annotations,
            &self.policy,
            now,
        )
    }
}

/// Resolves the request's references in `workspace` and compares them.
pub fn compare(workspace: &Workspace, request: &CompareRequest) -> Result<DriftReport> {
    compare_sides(workspace, request).map(|compared| compared.report)
}

/// [`compare`], keeping each side's environment name too.
pub fn compare_sides(workspace: &Workspace, request: &CompareRequest) -> Result<Compared> {
    if request.references.len() < 2 {
        return Err(eyre!("a comparison needs at least two snapshot references"));
    }
    let mut resolved: Vec<ResolvedSide> = request
        .references
        .iter()
        // The store's errors already name the reference, file or environment at fault.
        .map(|reference| workspace.resolve(reference))
        .collect::<Result<_>>()?;
    let mut labels: Vec<String> = resolved.iter().map(|r| r.label.clone()).collect();
    disambiguate(&mut labels);
    for (side, label) in resolved.iter_mut().zip(labels) {
        side.label = label;
    }
    let ignore = IgnoreRules::new(&workspace.config.ignore.facts)
        .map_err(|e| eyre!("{CONFIG_FILE}: ignore.facts: {e}"))?;
    let sides: Vec<Side<'_>> = resolved
        .iter()
        .map(|r| Side {
            label: r.label.clone(),
            snapshots: r.snapshots.iter().collect(),
        })
        .collect();
    let options = DiffOptions {
        include_equal: request.include_equal,
        category: request.category,
        ignore,
    };
    let policy = workspace.config.policy()?;
    let environments = diff::review::side_environments(&sides);
    let mut report = diff::compare(&sides, &options);
    policy.apply(&mut report, &environments);
    Ok(Compared {
        report,
        environments,
        policy,
    })
}

/// Makes labels distinct: every label used more than once gets `#1`, `#2`… in order,
/// skipping any suffix that would collide with another label.
pub fn disambiguate(labels: &mut [String]) {
    let original: Vec<String> = labels.to_vec();
    let mut taken: std::collections::HashSet<String> = original.iter().cloned().collect();
    for i in 0..labels.len() {
        let duplicates = original.iter().filter(|l| **l == original[i]).count();
        if duplicates < 2 {
            continue;
        }
        let mut n = original[..i].iter().filter(|l| **l == original[i]).count() + 1;
        let mut candidate = format!("{}#{n}", original[i]);
        while taken.contains(&candidate) {
            n += 1;
            candidate = format!("{}#{n}", original[i]);
        }
        taken.insert(candidate.clone());
        labels[i] = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(input: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        disambiguate(&mut v);
        v
    }

    #[test]
    fn distinct_labels_are_kept() {
        assert_eq!(labels(&["staging", "prod"]), ["staging", "prod"]);
    }

    #[test]
    fn repeated_labels_are_numbered() {
        assert_eq!(
            labels(&["prod", "staging", "prod"]),
            ["prod#1", "staging", "prod#2"]
        );
    }

    #[test]
    fn numbering_skips_labels_already_in_use() {
        assert_eq!(labels(&["a", "a", "a#2"]), ["a#1", "a#3", "a#2"]);
    }
}
