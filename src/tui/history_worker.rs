//! The history jobs: timelines and fact histories, computed off the UI thread since both
//! read snapshot files (latest wins for each). A [`ChangeCache`] lives as long as the
//! timeline job, so a timeline asked for again diffs only new snapshot pairs.

use std::sync::{Arc, RwLock};

use super::fact_history::{FactHistoryRequest, FactHistoryResult};
use super::jobs::{Cancel, Job, Sink, UNAVAILABLE};
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
        let workspace = self.read().map_err(|_| UNAVAILABLE.to_string())?;
        Ok(f(&workspace))
    }
}

/// The timeline job: latest wins; its [`ChangeCache`] lives as long as the explorer.
pub struct TimelineJob<W> {
    workspace: Arc<W>,
    cache: ChangeCache,
}

impl<W: WorkspaceAccess> TimelineJob<W> {
    /// A job computing timelines in `workspace`.
    pub fn new(workspace: Arc<W>) -> TimelineJob<W> {
        TimelineJob {
            workspace,
            cache: ChangeCache::default(),
        }
    }
}

impl<W: WorkspaceAccess> Job for TimelineJob<W> {
    type Request = TimelineRequest;

    fn run(&mut self, request: TimelineRequest, _cancel: &Cancel, send: &Sink) -> bool {
        let cache = &mut self.cache;
        let msg = self
            .workspace
            .with(|ws| timeline_answer(ws, cache, &request))
            .unwrap_or_else(|message| Msg::Timeline {
                id: request.id,
                result: Err(message),
            });
        send(msg)
    }

    fn failed(&self, request: TimelineRequest, message: String) -> Option<Msg> {
        Some(Msg::Timeline {
            id: request.id,
            result: Err(format!("reading the history failed: {message}")),
        })
    }

    fn keep(&self, request: &TimelineRequest) -> TimelineRequest {
        request.clone()
    }
}

/// The fact history job: latest wins.
pub struct FactHistoryJob<W> {
    workspace: Arc<W>,
}

impl<W: WorkspaceAccess> FactHistoryJob<W> {
    /// A job reading fact histories in `workspace`.
    pub fn new(workspace: Arc<W>) -> FactHistoryJob<W> {
        FactHistoryJob { workspace }
    }
}

impl<W: WorkspaceAccess> Job for FactHistoryJob<W> {
    type Request = FactHistoryRequest;

    fn run(&mut self, request: FactHistoryRequest, _cancel: &Cancel, send: &Sink) -> bool {
        let msg = self
            .workspace
            .with(|ws| fact_history_answer(ws, &request))
            .unwrap_or_else(|message| Msg::FactHistory {
                id: request.id,
                result: Err(message),
            });
        send(msg)
    }

    fn failed(&self, request: FactHistoryRequest, message: String) -> Option<Msg> {
        Some(Msg::FactHistory {
            id: request.id,
            result: Err(format!("reading the history failed: {message}")),
        })
    }

    fn keep(&self, request: &FactHistoryRequest) -> FactHistoryRequest {
        request.clone()
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
    use crate::tui::jobs::{Policy, Queue};
    use std::sync::mpsc;
    use std::time::Duration;

    struct Worker {
        timeline: Queue<TimelineRequest>,
        history: Queue<FactHistoryRequest>,
    }

    impl Worker {
        fn submit_timeline(&self, request: TimelineRequest) {
            self.timeline.submit(request);
        }

        fn submit_fact_history(&self, request: FactHistoryRequest) {
            self.history.submit(request);
        }
    }

    fn worker() -> (Worker, mpsc::Receiver<Msg>) {
        let (tx, rx) = mpsc::channel();
        let send = crate::tui::jobs::sink(tx, |msg| msg);
        let workspace = Arc::new(crate::demo::workspace());
        let worker = Worker {
            timeline: Queue::start(
                "timeline",
                Policy::LatestWins,
                TimelineJob::new(workspace.clone()),
                send.clone(),
            ),
            history: Queue::start(
                "history",
                Policy::LatestWins,
                FactHistoryJob::new(workspace),
                send,
            ),
        };
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
