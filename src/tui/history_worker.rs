//! The history worker: computes timelines and reads fact histories off the UI thread,
//! since both read snapshot files. Only the newest request of each kind is kept; answers
//! go back as messages. A [`ChangeCache`] lives as long as the worker, so a timeline
//! asked for again (another host, back to an environment) diffs only new snapshot pairs.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;

use super::background::panic_text;
use super::fact_history::{FactHistoryRequest, FactHistoryResult};
use super::message::Msg;
use super::timeline::TimelineRequest;
use crate::store::{ChangeCache, Workspace, fact_history, snapshots_of, timeline_cached};

/// Read access to the workspace, shared with the UI loop.
pub trait WorkspaceAccess: Send + Sync + 'static {
    /// Runs `f` on the workspace; fails when the workspace cannot be had.
    fn with<R>(&self, f: impl FnOnce(&Workspace) -> R) -> Result<R, String>;
}

impl WorkspaceAccess for Workspace {
    fn with<R>(&self, f: impl FnOnce(&Workspace) -> R) -> Result<R, String> {
        Ok(f(self))
    }
}

impl WorkspaceAccess for RwLock<Workspace> {
    fn with<R>(&self, f: impl FnOnce(&Workspace) -> R) -> Result<R, String> {
        let workspace = self
            .read()
            .map_err(|_| "the workspace is unavailable after an earlier failure".to_string())?;
        Ok(f(&workspace))
    }
}

/// One piece of work.
enum Job {
    Timeline(TimelineRequest),
    FactHistory(FactHistoryRequest),
}

#[derive(Default)]
struct Slot {
    timeline: Option<TimelineRequest>,
    fact_history: Option<FactHistoryRequest>,
    shutdown: bool,
}

type Shared = Arc<(Mutex<Slot>, Condvar)>;

/// A handle on the history worker's thread.
pub struct HistoryWorker {
    shared: Shared,
    handle: Option<JoinHandle<()>>,
}

impl HistoryWorker {
    /// Starts the worker; `send` delivers each answer and returns false once the UI is
    /// gone, which stops the worker.
    pub fn spawn<W: WorkspaceAccess>(
        workspace: Arc<W>,
        send: impl Fn(Msg) -> bool + Send + 'static,
    ) -> HistoryWorker {
        let shared: Shared = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
        let thread_shared = shared.clone();
        let handle = std::thread::spawn(move || {
            let mut cache = ChangeCache::default();
            while let Some(job) = next_job(&thread_shared) {
                let msg = serve(workspace.as_ref(), &mut cache, job);
                if !send(msg) {
                    break;
                }
            }
        });
        HistoryWorker {
            shared,
            handle: Some(handle),
        }
    }

    /// Asks for a timeline, replacing any timeline request not yet started.
    pub fn submit_timeline(&self, request: TimelineRequest) {
        self.with_slot(|slot| slot.timeline = Some(request));
    }

    /// Asks for a fact's history, replacing any history request not yet started.
    pub fn submit_fact_history(&self, request: FactHistoryRequest) {
        self.with_slot(|slot| slot.fact_history = Some(request));
    }

    fn with_slot(&self, f: impl FnOnce(&mut Slot)) {
        let (lock, cvar) = &*self.shared;
        if let Ok(mut slot) = lock.lock() {
            f(&mut slot);
            cvar.notify_one();
        }
    }
}

impl Drop for HistoryWorker {
    fn drop(&mut self) {
        self.with_slot(|slot| slot.shutdown = true);
        // Work in progress is not interrupted; don't wait for it.
        drop(self.handle.take());
    }
}

/// The next job (a history first: it is quick and answers a popup), or `None` on shutdown.
fn next_job(shared: &Shared) -> Option<Job> {
    let (lock, cvar) = &**shared;
    let mut slot = lock.lock().ok()?;
    loop {
        if slot.shutdown {
            return None;
        }
        if let Some(request) = slot.fact_history.take() {
            return Some(Job::FactHistory(request));
        }
        if let Some(request) = slot.timeline.take() {
            return Some(Job::Timeline(request));
        }
        slot = cvar.wait(slot).ok()?;
    }
}

/// Does one job; a panic becomes the job's error rather than stopping the explorer.
fn serve<W: WorkspaceAccess>(workspace: &W, cache: &mut ChangeCache, job: Job) -> Msg {
    let work = catch_unwind(AssertUnwindSafe(|| {
        workspace.with(|ws| match &job {
            Job::Timeline(request) => timeline_answer(ws, cache, request),
            Job::FactHistory(request) => fact_history_answer(ws, request),
        })
    }));
    match flatten(work) {
        Ok(msg) => msg,
        Err(message) => match job {
            Job::Timeline(request) => Msg::Timeline {
                id: request.id,
                result: Err(message),
            },
            Job::FactHistory(request) => Msg::FactHistory {
                id: request.id,
                result: Err(message),
            },
        },
    }
}

/// A caught panic or a failed workspace access as a one-line error.
fn flatten(work: std::thread::Result<Result<Msg, String>>) -> Result<Msg, String> {
    match work {
        Ok(answer) => answer,
        Err(panic) => Err(format!(
            "reading the history failed: {}",
            panic_text(panic.as_ref())
        )),
    }
}

/// Computes the timeline `request` asks for, reusing and filling `cache`.
pub fn timeline_answer(
    workspace: &Workspace,
    cache: &mut ChangeCache,
    request: &TimelineRequest,
) -> Msg {
    let result = timeline_cached(workspace, &request.env, request.host.as_deref(), cache)
        .map(Arc::from)
        .map_err(|e| format!("{e:#}"));
    Msg::Timeline {
        id: request.id,
        result,
    }
}

/// Reads the fact history `request` asks for.
pub fn fact_history_answer(workspace: &Workspace, request: &FactHistoryRequest) -> Msg {
    let result = fact_history(workspace, &request.env, None, &request.key)
        .and_then(|entries| {
            let snapshots = snapshots_of(workspace, &request.env, None)?.len();
            Ok(FactHistoryResult {
                entries: Arc::from(entries),
                snapshots,
            })
        })
        .map_err(|e| format!("{e:#}"));
    Msg::FactHistory {
        id: request.id,
        result,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, FactKey};
    use std::sync::mpsc;
    use std::time::Duration;

    fn worker() -> (HistoryWorker, mpsc::Receiver<Msg>) {
        let (tx, rx) = mpsc::channel();
        let worker = HistoryWorker::spawn(Arc::new(crate::demo::workspace()), move |msg| {
            tx.send(msg).is_ok()
        });
        (worker, rx)
    }

    #[test]
    fn the_worker_answers_timelines_and_histories_with_their_ids() {
        let (worker, rx) = worker();
        worker.submit_timeline(TimelineRequest {
            id: 7,
            env: "prod".into(),
            host: None,
        });
        let Msg::Timeline { id, result } = rx.recv_timeout(Duration::from_secs(30)).unwrap() else {
            panic!("expected a timeline");
        };
        assert_eq!(id, 7);
        assert_eq!(result.unwrap().len(), 8);
        worker.submit_fact_history(FactHistoryRequest {
            id: 8,
            env: "prod".into(),
            key: FactKey::new(Category::Versions, "lib.openssl"),
        });
        let Msg::FactHistory { id, result } = rx.recv_timeout(Duration::from_secs(30)).unwrap()
        else {
            panic!("expected a fact history");
        };
        assert_eq!(id, 8);
        let result = result.unwrap();
        assert_eq!(result.entries.len(), 2);
        assert_eq!(result.snapshots, 24);
    }

    #[test]
    fn unknown_environments_are_one_line_errors() {
        let (worker, rx) = worker();
        worker.submit_timeline(TimelineRequest {
            id: 1,
            env: "qa".into(),
            host: None,
        });
        let Msg::Timeline { result, .. } = rx.recv_timeout(Duration::from_secs(30)).unwrap() else {
            panic!("expected a timeline");
        };
        let err = result.unwrap_err();
        assert!(err.contains("qa") && !err.contains('\n'), "{err}");
    }

    #[test]
    fn a_locked_workspace_is_read_the_same_way() {
        let locked = RwLock::new(crate::demo::workspace());
        let request = FactHistoryRequest {
            id: 3,
            env: "prod".into(),
            key: FactKey::new(Category::Versions, "lib.openssl"),
        };
        let msg = locked.with(|ws| fact_history_answer(ws, &request)).unwrap();
        assert!(matches!(
            msg,
            Msg::FactHistory {
                id: 3,
                result: Ok(_)
            }
        ));
    }
}
