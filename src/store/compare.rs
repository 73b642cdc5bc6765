//! The one comparison pipeline, for the command line and the explorer alike: resolve
//! each side (in parallel), give every side a distinct label, apply the workspace's
//! ignore rules, compare, and apply its severity policy (`[[severity]]` overrides and
//! `[[rules]]` expectations). Loaded sides may be kept in a [`SideCache`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use color_eyre::eyre::{Result, eyre};

use super::{ResolvedSide, SideRef, SnapshotMeta, Workspace};
use chrono::{DateTime, Utc};

use crate::diff::policy::Policy;
use crate::diff::review::{Reviews, review_with_rules};
use crate::diff::{self, DiffOptions, DriftReport, Side};
use crate::model::{Annotation, Category};

/// What to compare and how.
#[derive(Debug, Clone, Default)]
pub struct CompareRequest {
    /// The sides; the first is the baseline.
    pub sides: Vec<SideRef>,
    /// Compare only this category.
    pub category: Option<Category>,
    /// Keep equal facts in the report.
    pub include_equal: bool,
}

/// A drift report with the environment name of each of its sides, which reviews need
/// (the report's sides carry it too, with the host and time each side names).
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
    /// `report`, whose sides stand for `environments`, with the workspace's severity
    /// policy applied.
    pub(crate) fn under_policy(
        workspace: &Workspace,
        mut report: DriftReport,
        environments: Vec<String>,
    ) -> Result<Compared> {
        let policy = workspace.config.policy()?;
        policy.apply(&mut report, &environments);
        Ok(Compared {
            report,
            environments,
            policy,
        })
    }

    /// Reviews the drift against `annotations` and the expectation rules (a drift a
    /// *may differ* rule allows is justified by it), as of `now`.
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

/// Sides already loaded, by reference; an entry is used while the history entries its
/// reference picks stay the ones it was loaded from (a refresh replaces them).
#[derive(Debug, Default)]
pub struct SideCache {
    entries: HashMap<SideRef, CachedSide>,
}

#[derive(Debug)]
struct CachedSide {
    picked: Vec<SnapshotMeta>,
    side: Arc<ResolvedSide>,
}

/// Resolves the request's sides in `workspace` and compares them.
pub fn compare(workspace: &Workspace, request: &CompareRequest) -> Result<Compared> {
    compare_cached(workspace, request, &mut SideCache::default())
}

/// [`compare`], reusing (and filling) `cache`.
pub fn compare_cached(
    workspace: &Workspace,
    request: &CompareRequest,
    cache: &mut SideCache,
) -> Result<Compared> {
    let resolved = load_sides(workspace, &request.sides, cache)?;
    let mut labels: Vec<String> = resolved.iter().map(|r| r.label.clone()).collect();
    disambiguate(&mut labels);
    let sides: Vec<Side<'_>> = resolved
        .iter()
        .zip(labels)
        .map(|(r, label)| Side {
            label,
            snapshots: r.snapshots.iter().collect(),
        })
        .collect();
    let options = DiffOptions {
        include_equal: request.include_equal,
        category: request.category,
        ignore: workspace.config.ignore_rules()?,
    };
    let mut report = diff::compare(&sides, &options);
    for (info, side) in report.sides.iter_mut().zip(&resolved) {
        info.environment = side.environment.clone();
        info.host = side.host.clone();
        info.at = side.at;
    }
    let environments: Vec<String> = resolved.iter().map(|r| r.environment.clone()).collect();
    Compared::under_policy(workspace, report, environments)
}

/// The resolved sides, in order: from `cache` while current, the others loaded in
/// parallel (parsing snapshots dominates loading: one thread per side). The first
/// failing side's error, in side order, is returned.
fn load_sides(
    workspace: &Workspace,
    refs: &[SideRef],
    cache: &mut SideCache,
) -> Result<Vec<Arc<ResolvedSide>>> {
    let current: Vec<Vec<SnapshotMeta>> = refs.iter().map(|r| workspace.picked(r)).collect();
    let mut missing: Vec<(&SideRef, &Vec<SnapshotMeta>)> = Vec::new();
    for (side, picked) in refs.iter().zip(&current) {
        let fresh = cache.entries.get(side).is_some_and(|c| c.picked == *picked);
        if !fresh && !missing.iter().any(|(r, _)| *r == side) {
            missing.push((side, picked));
        }
    }
    let loaded: Vec<Result<ResolvedSide>> = std::thread::scope(|scope| {
        let handles: Vec<_> = missing
            .iter()
            .map(|(side, _)| scope.spawn(move || workspace.resolve_side(side)))
            .collect();
        handles
            .into_iter()
            .zip(&missing)
            .map(|(handle, (side, _))| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err(eyre!("{side}: loading the snapshots failed")))
            })
            .collect()
    });
    let mut failed = HashMap::new();
    for ((side, picked), result) in missing.into_iter().zip(loaded) {
        match result {
            Ok(resolved) => {
                let cached = CachedSide {
                    picked: picked.clone(),
                    side: Arc::new(resolved),
                };
                cache.entries.insert(side.clone(), cached);
            }
            Err(err) => {
                failed.insert(side, err);
            }
        }
    }
    refs.iter()
        .map(|side| {
            if let Some(err) = failed.remove(side) {
                return Err(err);
            }
            cache
                .entries
                .get(side)
                .map(|c| c.side.clone())
                .ok_or_else(|| eyre!("{side}: not loaded"))
        })
        .collect()
}

/// Makes labels distinct: every label used more than once gets `#1`, `#2`… in order,
/// skipping any suffix that would collide with another label.
pub fn disambiguate(labels: &mut [String]) {
    let original: Vec<String> = labels.to_vec();
    let mut taken: HashSet<String> = original.iter().cloned().collect();
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
