//! The comparison job: loads the chosen environments' snapshots and compares them off
//! the UI thread (latest wins: a new request cancels the one running); results go back
//! as messages.
//! Loaded environments are cached until their newest snapshots change (a refresh).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::diff::{self, DiffOptions, Side};
use crate::store::{ResolvedSide, SnapshotMeta, Workspace};

use super::jobs::{Cancel, Job, Sink};
use super::message::{CompareRequest, Msg};
use super::sides::resolve_side;

/// An environment's loaded snapshots and the history entries they were loaded from.
struct Cached {
    picked: Vec<SnapshotMeta>,
    side: Arc<ResolvedSide>,
}

type Cache = HashMap<String, Cached>;

/// The comparison job: latest wins, with the loaded sides cached between requests.
pub struct CompareJob {
    workspace: Arc<RwLock<Workspace>>,
    cache: Cache,
}

impl CompareJob {
    /// A job comparing in `workspace`.
    pub fn new(workspace: Arc<RwLock<Workspace>>) -> CompareJob {
        CompareJob {
            workspace,
            cache: Cache::new(),
        }
    }
}

impl Job for CompareJob {
    type Request = CompareRequest;

    fn run(&mut self, request: CompareRequest, cancel: &Cancel, send: &Sink) -> bool {
        serve(&self.workspace, &mut self.cache, &request, cancel, send)
    }

    fn failed(&self, request: CompareRequest, message: String) -> Option<Msg> {
        Some(Msg::Compared {
            generation: request.generation,
            side_envs: request.sides.iter().map(|(i, _)| *i).collect(),
            result: Err(format!("comparison failed: {message}")),
            complete: true,
        })
    }

    fn keep(&self, request: &CompareRequest) -> CompareRequest {
        request.clone()
    }
}

/// Compares under the workspace's read lock (a refresh may be storing snapshots).
fn compare_locked(
    workspace: &RwLock<Workspace>,
    cache: &mut Cache,
    names: &[&str],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    let ws = workspace
        .read()
        .map_err(|_| "the workspace is unavailable after an earlier failure".to_string())?;
    compare(&ws, cache, names, include_equal)
}

/// Runs one request; false when the UI is gone.
fn serve(
    workspace: &RwLock<Workspace>,
    cache: &mut Cache,
    request: &CompareRequest,
    cancel: &Cancel,
    send: &Sink,
) -> bool {
    let names: Vec<&str> = request.sides.iter().map(|(_, n)| n.as_str()).collect();
    // Drift first, for a fast first screen; then the full report with equal facts.
    for complete in [false, true] {
        let result = compare_locked(workspace, cache, &names, complete).map(Arc::new);
        let failed = result.is_err();
        let msg = Msg::Compared {
            generation: request.generation,
            side_envs: request.sides.iter().map(|(i, _)| *i).collect(),
            result,
            complete,
        };
        if !send(msg) {
            return false;
        }
        if failed || cancel.is_cancelled() {
            return true;
        }
    }
    // Drift counts of the environments outside the comparison, against the baseline.
    let Some((_, baseline)) = request.sides.first() else {
        return true;
    };
    for (env, name) in &request.others {
        if cancel.is_cancelled() {
            return true;
        }
        let pair = [baseline.as_str(), name.as_str()];
        if let Ok(report) = compare_locked(workspace, cache, &pair, false) {
            let msg = Msg::EnvDrift {
                generation: request.generation,
                env: *env,
                drift: report.drift_count(),
            };
            if !send(msg) {
                return false;
            }
        }
    }
    true
}

/// Loads each environment's newest snapshots (in parallel) and compares them, baseline
/// first; equal facts are kept in the report when `include_equal`.
pub fn compare_environments(
    workspace: &Workspace,
    names: &[&str],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    compare(workspace, &mut Cache::new(), names, include_equal)
}

/// The history entries a side's reference (`ENV`, `ENV@TIME`…) resolves to now.
fn picked(workspace: &Workspace, name: &str) -> Vec<SnapshotMeta> {
    super::sides::picked(workspace, name)
}

/// Like [`compare_environments`], reusing (and filling) a cache of loaded sides.
fn compare(
    workspace: &Workspace,
    cache: &mut Cache,
    names: &[&str],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    let current: HashMap<&str, Vec<SnapshotMeta>> =
        names.iter().map(|n| (*n, picked(workspace, n))).collect();
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| {
            cache
                .get(*n)
                .is_none_or(|c| Some(&c.picked) != current.get(n))
        })
        .collect();
    // Parsing snapshots dominates loading: one thread per side.
    let loaded: Vec<(&str, Result<ResolvedSide, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = missing
            .iter()
            .map(|name| {
                let name = *name;
                (
                    name,
                    scope.spawn(move || resolve_side(workspace, name).map_err(|e| format!("{e}"))),
                )
            })
            .collect();
        handles
            .into_iter()
            .map(|(name, h)| {
                let result = h
                    .join()
                    .unwrap_or_else(|_| Err(format!("{name}: loading the snapshots failed")));
                (name, result)
            })
            .collect()
    });
    for (name, result) in loaded {
        let cached = Cached {
            picked: current.get(name).cloned().unwrap_or_default(),
            side: Arc::new(result?),
        };
        cache.insert(name.to_string(), cached);
    }
    let mut resolved = Vec::with_capacity(names.len());
    for name in names {
        let side = cache
            .get(*name)
            .map(|c| c.side.clone())
            .ok_or_else(|| format!("{name}: not loaded"))?;
        resolved.push(side);
    }
    let sides: Vec<Side<'_>> = resolved
        .iter()
        .map(|r| Side {
            label: r.label.clone(),
            snapshots: r.snapshots.iter().collect(),
        })
        .collect();
    let ignore = workspace
        .config
        .ignore_rules()
        .map_err(|e| format!("{e}"))?;
    let options = DiffOptions {
        include_equal,
        category: None,
        ignore,
    };
    Ok(diff::compare(&sides, &options))
}
