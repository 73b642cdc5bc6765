//! A refresh, run off the UI thread: collects the hosts of the requested environments,
//! stores each snapshot as soon as its host is done, and reports every step as a
//! message. The store is written here, never on the UI thread.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::collect::{self, CollectOptions, HostJob, Progress};
use crate::config::CONFIG_FILE;
use crate::model::Snapshot;
use crate::store::{Location, SnapshotMeta, Workspace};

use super::env_summary;
use super::jobs::{Cancel, Job, Sink, UNAVAILABLE};
use super::message::Msg;
use super::refresh::{RefreshEvent, RefreshRequest, Stored};

/// The refresh job: latest wins; a cancelled refresh (the explorer quits) stops its
/// collection, whose hosts give up and close their connections.
pub struct RefreshJob {
    workspace: Arc<RwLock<Workspace>>,
    options: CollectOptions,
}

impl RefreshJob {
    /// A job refreshing environments of `workspace`, collecting with `options`.
    pub fn new(workspace: Arc<RwLock<Workspace>>, options: CollectOptions) -> RefreshJob {
        RefreshJob { workspace, options }
    }
}

impl Job for RefreshJob {
    type Request = RefreshRequest;

    fn run(&mut self, request: RefreshRequest, cancel: &Cancel, send: &Sink) -> bool {
        let options = CollectOptions {
            cancel: Some(cancel.flag()),
            ..self.options.clone()
        };
        let mut alive = true;
        run(&self.workspace, &request, &options, &mut |msg| {
            alive = send(msg) && !cancel.is_cancelled();
            alive
        });
        alive || cancel.is_cancelled()
    }

    fn failed(&self, request: RefreshRequest, message: String) -> Option<Msg> {
        // The refresh is over; the explorer keeps working on what is stored.
        Some(Msg::Refresh(RefreshEvent::Finished {
            id: request.id,
            error: Some(format!("the refresh stopped unexpectedly: {message}")),
        }))
    }

    fn keep(&self, request: &RefreshRequest) -> RefreshRequest {
        request.clone()
    }
}

/// Runs `request` to the end, blocking: plans the hosts, collects them (a few at a time,
/// each within its timeout), stores every snapshot in `workspace`, and reports each step
/// to `send` as a [`Msg::Refresh`]. Stops early when `send` returns false (the explorer
/// is gone); snapshots already stored stay stored.
///
/// Environments of the request that `driftscope.toml` does not declare are reported as
/// failed hosts of their own; the others are still collected.
pub fn run(
    workspace: &RwLock<Workspace>,
    request: &RefreshRequest,
    options: &CollectOptions,
    send: &mut dyn FnMut(Msg) -> bool,
) {
    let id = request.id;
    let mut emit = |event: RefreshEvent| send(Msg::Refresh(event));
    let planned = match plan(workspace, &request.environments, options) {
        Ok(planned) => planned,
        Err(error) => {
            emit(RefreshEvent::Finished {
                id,
                error: Some(error),
            });
            return;
        }
    };
    let Planned {
        jobs,
        skipped,
        progress,
    } = planned;
    let mut hosts: Vec<String> = jobs.iter().map(HostJob::label).collect();
    let first_skipped = hosts.len();
    hosts.extend(skipped.iter().cloned());
    if !emit(RefreshEvent::Planned { id, hosts }) {
        return;
    }
    for index in first_skipped..first_skipped + skipped.len() {
        let event = RefreshEvent::HostDone {
            id,
            index,
            elapsed: Duration::ZERO,
            outcome: Err(format!("not in {CONFIG_FILE}, so it cannot be collected")),
        };
        if !emit(event) {
            return;
        }
    }
    if let Some(progress) = progress {
        for message in progress {
            let event = match message {
                Progress::Started { index, .. } => RefreshEvent::Started { id, index },
                Progress::Finished {
                    index,
                    elapsed,
                    outcome,
                    ..
                } => RefreshEvent::HostDone {
                    id,
                    index,
                    elapsed,
                    outcome: outcome.and_then(|c| store(workspace, &c.snapshot)),
                },
            };
            if !emit(event) {
                return;
            }
        }
    }
    emit(RefreshEvent::Finished { id, error: None });
}

/// The hosts a refresh collects, and the collection already under way.
struct Planned {
    jobs: Vec<HostJob>,
    /// Requested environments that the configuration does not declare.
    skipped: Vec<String>,
    /// Progress of the collection; `None` when there is nothing to collect.
    progress: Option<std::sync::mpsc::Receiver<Progress>>,
}

fn plan(
    workspace: &RwLock<Workspace>,
    environments: &[String],
    options: &CollectOptions,
) -> Result<Planned, String> {
    let ws = workspace.read().map_err(|_| UNAVAILABLE.to_string())?;
    if ws.is_demo() {
        return Err("the demo workspace is read-only: nothing to collect".into());
    }
    let (known, skipped): (Vec<String>, Vec<String>) = environments
        .iter()
        .cloned()
        .partition(|env| ws.config.environments.contains_key(env));
    if known.is_empty() {
        return Ok(Planned {
            jobs: Vec::new(),
            skipped,
            progress: None,
        });
    }
    let selection = collect::Selection {
        environments: known,
        all: false,
        local: false,
    };
    let root = ws
        .root
        .as_deref()
        .ok_or("the demo workspace is read-only")?;
    let (jobs, progress) = collect::start(root, &ws.config, &selection, options)?;
    Ok(Planned {
        jobs,
        skipped,
        progress: Some(progress),
    })
}

/// Stores `snapshot` and describes what was stored.
fn store(workspace: &RwLock<Workspace>, snapshot: &Snapshot) -> Result<Stored, String> {
    let mut ws = workspace.write().map_err(|_| UNAVAILABLE.to_string())?;
    let path = ws
        .store_snapshot(snapshot)
        .map_err(|e| format!("cannot store the snapshot: {e:#}"))?;
    Ok(Stored {
        meta: SnapshotMeta::of(snapshot, Location::File(path)),
        summary: env_summary(&ws, &snapshot.environment),
    })
}
