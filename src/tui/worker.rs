//! The comparison worker: loads the chosen environments' snapshots and compares them
//! off the UI thread. Only the newest request is kept; results go back as messages.
//! Loaded environments are cached until their newest snapshots change (a refresh).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;

use chrono::Utc;

use crate::diff;
use crate::store::{self, SideCache, SideRef, Workspace};

use super::background::{Outcome, panic_text};
use super::message::{CompareRequest, Msg};

type Cache = SideCache;

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
            let mut cache = Cache::default();
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
    compare(workspace, &mut SideCache::default(), names, include_equal)
}

/// Like [`compare_environments`], reusing (and filling) a cache of loaded sides.
fn compare(
    workspace: &Workspace,
    cache: &mut SideCache,
    names: &[&str],
    include_equal: bool,
) -> Result<diff::DriftReport, String> {
    let now = Utc::now();
    let sides = names
        .iter()
        .map(|name| SideRef::parse(name, now))
        .collect::<color_eyre::Result<Vec<_>>>()
        .map_err(|e| format!("{e}"))?;
    let request = store::CompareRequest {
        sides,
        category: None,
        include_equal,
    };
    store::compare::compare_cached(workspace, &request, cache)
        .map(|compared| compared.report)
        .map_err(|e| format!("{e}"))
}
