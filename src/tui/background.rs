//! The explorer's background work, on the jobs layer: comparisons, timelines, fact
//! histories, host rankings and refreshes (latest wins, cancelled when superseded or on quit) and
//! annotation changes (in order, all saved before the explorer exits). Effects go in;
//! results (and termination signals) come back as [`Outcome`]s on a channel. The runtime
//! and the tests drive the explorer through this same type.

use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};

use crate::collect::CollectOptions;
use crate::store::Workspace;

use super::annotator::{AnnotateJob, AnnotatorRequest};
use super::fact_history::FactHistoryRequest;
use super::history_worker::{FactHistoryJob, TimelineJob};
use super::hosts::HostsRequest;
use super::hosts_worker::HostsJob;
use super::jobs::{self, Policy, Queue};
use super::message::{CompareRequest, Effect, Msg};
use super::refresh::RefreshRequest;
use super::refresh_job::RefreshJob;
use super::timeline::TimelineRequest;
use super::worker::CompareJob;

/// What background work sends to the UI loop.
#[derive(Debug)]
pub enum Outcome {
    /// A message for `update`.
    Msg(Msg),
    /// The work failed beyond recovery (a bug); the explorer must stop.
    Fatal(String),
    /// A termination signal (SIGTERM, SIGHUP, SIGINT) arrived; the explorer must stop.
    Signal(i32),
}

/// Runs the effects `update` asks for, each kind on its own queue.
pub struct Background {
    workspace: Arc<RwLock<Workspace>>,
    compare: Queue<CompareRequest>,
    timeline: Queue<TimelineRequest>,
    history: Queue<FactHistoryRequest>,
    hosts: Queue<HostsRequest>,
    refresh: Queue<RefreshRequest>,
    // Last: dropped after the others, waiting for the saves already asked for.
    annotate: Queue<AnnotatorRequest>,
}

impl Background {
    /// Starts the queues on `workspace` and reads the annotations; every result goes to
    /// `tx`. Refreshes collect with `collect`. Dropping it cancels the running work and
    /// lets the annotation changes already asked for be saved first.
    pub fn new(workspace: Workspace, tx: Sender<Outcome>, collect: CollectOptions) -> Background {
        let workspace = Arc::new(RwLock::new(workspace));
        let send = jobs::sink(tx, Outcome::Msg);
        let compare = CompareJob::new(workspace.clone());
        let annotate = Queue::start(
            "annotations",
            Policy::InOrder,
            AnnotateJob::new(workspace.clone()),
            send.clone(),
        );
        annotate.submit(AnnotatorRequest::Load);
        Background {
            compare: Queue::start("compare", Policy::LatestWins, compare, send.clone()),
            timeline: Queue::start(
                "timeline",
                Policy::LatestWins,
                TimelineJob::new(workspace.clone()),
                send.clone(),
            ),
            history: Queue::start(
                "history",
                Policy::LatestWins,
                FactHistoryJob::new(workspace.clone()),
                send.clone(),
            ),
            hosts: Queue::start(
                "hosts",
                Policy::LatestWins,
                HostsJob::new(workspace.clone()),
                send.clone(),
            ),
            refresh: Queue::start(
                "refresh",
                Policy::LatestWins,
                RefreshJob::new(workspace.clone(), collect),
                send,
            ),
            annotate,
            workspace,
        }
    }

    /// The workspace, shared with the background threads.
    pub fn workspace(&self) -> &Arc<RwLock<Workspace>> {
        &self.workspace
    }

    /// Starts the work of each effect; returns at once.
    pub fn perform(&self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Compare(request) => self.compare.submit(request),
                Effect::Refresh(request) => self.refresh.submit(request),
                Effect::Timeline(request) => self.timeline.submit(request),
                Effect::FactHistory(request) => self.history.submit(request),
                Effect::Hosts(request) => self.hosts.submit(request),
                Effect::Annotate { job, change } => {
                    self.annotate.submit(AnnotatorRequest::Change(job, change))
                }
            }
        }
    }
}
