//! The comparison job: loads the compared sides' snapshots and compares them off the UI
//! thread, through the store's one comparison pipeline (latest wins: a new request
//! cancels the one running); results go back as messages. Loaded sides are cached until
//! the snapshots they picked change (a refresh).

use std::sync::{Arc, RwLock};

use crate::diff;
use crate::store::{self, SideCache, SideRef, Workspace};

use super::jobs::{Cancel, Job, Sink, UNAVAILABLE};
use super::message::{CompareRequest, Msg};

/// The comparison job, with the sides it loaded cached between requests.
pub struct CompareJob {
    workspace: Arc<RwLock<Workspace>>,
    cache: SideCache,
}

impl CompareJob {
    /// A job comparing in `workspace`.
    pub fn new(workspace: Arc<RwLock<Workspace>>) -> CompareJob {
        CompareJob {
            workspace,
            cache: SideCache::default(),
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
    cache: &mut SideCache,
    sides: &[SideRef],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    let ws = workspace.read().map_err(|_| UNAVAILABLE.to_string())?;
    compare(&ws, cache, sides, include_equal)
}

/// Runs one request; false when the UI is gone.
fn serve(
    workspace: &RwLock<Workspace>,
    cache: &mut SideCache,
    request: &CompareRequest,
    cancel: &Cancel,
    send: &Sink,
) -> bool {
    let sides: Vec<SideRef> = request.sides.iter().map(|(_, s)| s.clone()).collect();
    // Drift first, for a fast first screen; then the full report with equal facts.
    for complete in [false, true] {
        let result = compare_locked(workspace, cache, &sides, complete).map(Arc::new);
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
    for (env, other) in &request.others {
        if cancel.is_cancelled() {
            return true;
        }
        let pair = [baseline.clone(), other.clone()];
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
    let sides: Vec<SideRef> = names
        .iter()
        .map(|name| SideRef::environment(name, None, None))
        .collect();
    compare_sides(workspace, &sides, include_equal)
}

/// Loads the sides' snapshots (in parallel) and compares them, baseline first, as the
/// comparison job does.
pub fn compare_sides(
    workspace: &Workspace,
    sides: &[SideRef],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    compare(workspace, &mut SideCache::default(), sides, include_equal)
}

/// Compares `sides` through the store's pipeline, reusing (and filling) `cache`.
fn compare(
    workspace: &Workspace,
    cache: &mut SideCache,
    sides: &[SideRef],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    let request = store::CompareRequest {
        sides: sides.to_vec(),
        category: None,
        include_equal,
    };
    store::compare::compare_cached(workspace, &request, cache)
        .map(|compared| compared.report)
        .map_err(|e| format!("{e}"))
}
