//! The explorer's background work: comparisons on the worker thread, timelines and fact
//! histories on the history worker, annotation changes on the annotations thread,
//! refreshes on threads of their own. Effects go in; results (and termination signals) come back as
//! [`Outcome`]s on a channel.
//! The runtime and the tests drive the explorer through this same type.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::Sender;
use std::sync::{Arc, RwLock};

use crate::collect::CollectOptions;
use crate::store::Workspace;

use super::annotator::Annotator;
use super::history_worker::HistoryWorker;
use super::message::{Effect, Msg};
use super::refresh::{RefreshEvent, RefreshRequest};
use super::refresh_job;
use super::worker::Worker;

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

/// Runs the effects `update` asks for.
pub struct Background {
    workspace: Arc<RwLock<Workspace>>,
    worker: Worker,
    history: HistoryWorker,
    annotator: Annotator,
    tx: Sender<Outcome>,
    collect: CollectOptions,
}

impl Background {
    /// Starts the comparison, history and annotations workers on `workspace`; every
    /// result goes to `tx`. Refreshes collect with `collect`. Dropping it lets the
    /// annotation changes already asked for be saved first.
    pub fn new(workspace: Workspace, tx: Sender<Outcome>, collect: CollectOptions) -> Background {
        let workspace = Arc::new(RwLock::new(workspace));
        let worker = Worker::spawn(workspace.clone(), tx.clone());
        let history_tx = tx.clone();
        let history = HistoryWorker::spawn(workspace.clone(), move |msg| {
            history_tx.send(Outcome::Msg(msg)).is_ok()
        });
        let annotator = Annotator::spawn(workspace.clone(), tx.clone());
        Background {
            workspace,
            worker,
            history,
            annotator,
            tx,
            collect,
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
                Effect::Compare(request) => self.worker.submit(request),
                Effect::Refresh(request) => self.spawn_refresh(request),
                Effect::Timeline(request) => self.history.submit_timeline(request),
                Effect::FactHistory(request) => self.history.submit_fact_history(request),
                Effect::Annotate { job, change } => self.annotator.submit(job, change),
            }
        }
    }

    fn spawn_refresh(&self, request: RefreshRequest) {
        let workspace = self.workspace.clone();
        let tx = self.tx.clone();
        let options = self.collect.clone();
        std::thread::spawn(move || {
            let work = catch_unwind(AssertUnwindSafe(|| {
                refresh_job::run(&workspace, &request, &options, &mut |msg| {
                    tx.send(Outcome::Msg(msg)).is_ok()
                });
            }));
            if let Err(panic) = work {
                // The refresh is over; the explorer keeps working on what is stored.
                let what = panic_text(panic.as_ref());
                let event = RefreshEvent::Finished {
                    id: request.id,
                    error: Some(format!("the refresh stopped unexpectedly: {what}")),
                };
                let _ = tx.send(Outcome::Msg(Msg::Refresh(event)));
            }
        });
    }
}

/// The message of a caught panic.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
