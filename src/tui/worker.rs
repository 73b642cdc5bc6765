//! The comparison worker: loads the chosen environments' snapshots and compares them
//! off the UI thread. Only the newest request is kept; results go back as messages.
//! Loaded environments are cached until their newest snapshots change (a refresh).

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;

use crate::diff::{self, DiffOptions, Side};
use crate::store::{ResolvedSide, SnapshotMeta, Workspace};

use super::background::{Outcome, panic_text};
use super::message::{CompareRequest, Msg};

/// An environment's loaded snapshots and the history entries they were loaded from.
struct Cached {
    picked: Vec<SnapshotMeta>,
    side: Arc<ResolvedSide>,
}

type Cache = HashMap<String, Cached>;

#[derive(Default)]
struct Slot {
    request: Option<CompareRequest>,
    shutdown: bool,
}

/// A handle on the worker thread.
pub struct Worker {
    shared: Arc<(Mutex<Slot>, Condvar)>,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the worker; results go to `tx`.
    pub fn spawn(workspace: Arc<RwLock<Workspace>>, tx: Sender<Outcome>) -> Worker {
        let shared = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
        let thread_shared = shared.clone();
        let handle = std::thread::spawn(move || {
            let mut cache = Cache::new();
            while let Some(request) = next_request(&thread_shared) {
                let work = catch_unwind(AssertUnwindSafe(|| {
                    serve(&workspace, &mut cache, &request, &thread_shared, &tx)
                }));
                match work {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(panic) => {
                        let what = panic_text(panic.as_ref());
                        let _ = tx.send(Outcome::Fatal(format!("comparison failed: {what}")));
                        break;
                    }
                }
            }
        });
        Worker {
            shared,
            handle: Some(handle),
        }
    }

    /// Asks for a comparison, replacing any request not yet started.
    pub fn submit(&self, request: CompareRequest) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            slot.request = Some(request);
            cvar.notify_one();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            slot.shutdown = true;
            cvar.notify_one();
        }
        // A comparison in progress is not interrupted; don't wait for it.
        drop(self.handle.take());
    }
}

fn next_request(shared: &(Mutex<Slot>, Condvar)) -> Option<CompareRequest> {
    let (lock, cvar) = shared;
    let mut slot = lock.lock().ok()?;
    loop {
        if slot.shutdown {
            return None;
        }
        if let Some(request) = slot.request.take() {
            return Some(request);
        }
        slot = cvar.wait(slot).ok()?;
    }
}

fn superseded(shared: &(Mutex<Slot>, Condvar)) -> bool {
    shared
        .0
        .lock()
        .map_or(true, |s| s.shutdown || s.request.is_some())
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
    shared: &(Mutex<Slot>, Condvar),
    tx: &Sender<Outcome>,
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
        if tx.send(Outcome::Msg(msg)).is_err() {
            return false;
        }
        if failed || superseded(shared) {
            return true;
        }
    }
    // Drift counts of the environments outside the comparison, against the baseline.
    let Some((_, baseline)) = request.sides.first() else {
        return true;
    };
    for (env, name) in &request.others {
        if superseded(shared) {
            return true;
        }
        let pair = [baseline.as_str(), name.as_str()];
        if let Ok(report) = compare_locked(workspace, cache, &pair, false) {
            let msg = Msg::EnvDrift {
                generation: request.generation,
                env: *env,
                drift: report.drift_count(),
            };
            if tx.send(Outcome::Msg(msg)).is_err() {
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

/// The history entries `ENV` resolves to now: each host's newest snapshot.
fn picked(workspace: &Workspace, name: &str) -> Vec<SnapshotMeta> {
    workspace
        .history
        .latest(name, None)
        .into_iter()
        .cloned()
        .collect()
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
                    scope.spawn(move || workspace.resolve(name).map_err(|e| format!("{e}"))),
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
