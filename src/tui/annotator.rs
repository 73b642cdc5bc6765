//! The annotations worker: reads the workspace's annotations and the author's name when
//! the explorer starts, then saves each change (which may merge with the file on disk)
//! off the UI thread, in the order asked. Results go back as messages.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use chrono::Utc;

use crate::diff::review::annotate;
use crate::model::sanitize;
use crate::store::{AnnotationStore, SaveReport, Workspace};

use super::message::Msg;
use super::review::{AnnotationChange, LoadedAnnotations, SavedAnnotations};
use super::worker::Outcome;

/// A handle on the annotations worker. Dropping it lets the changes already asked for
/// finish, then waits for the thread, so no save is cut short by quitting.
pub struct Annotator {
    jobs: Option<Sender<(u64, AnnotationChange)>>,
    handle: Option<JoinHandle<()>>,
}

impl Annotator {
    /// Starts the worker: it reads the annotations at once; results go to `tx`.
    pub fn spawn(workspace: Arc<Workspace>, tx: Sender<Outcome>) -> Annotator {
        let (jobs, rx) = mpsc::channel();
        let handle = std::thread::spawn(move || serve(&workspace, &rx, &tx));
        Annotator {
            jobs: Some(jobs),
            handle: Some(handle),
        }
    }

    /// Asks for a change; its result comes back as [`Msg::AnnotationsSaved`] with `job`.
    pub fn submit(&self, job: u64, change: AnnotationChange) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send((job, change));
        }
    }
}

impl Drop for Annotator {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn serve(workspace: &Workspace, rx: &Receiver<(u64, AnnotationChange)>, tx: &Sender<Outcome>) {
    let opened = guarded(|| workspace.annotations().map_err(|e| format!("{e}")));
    let author = guarded(|| Ok(workspace.author())).unwrap_or_else(|_| "unknown".to_string());
    let loaded = opened.as_ref().map(|store| LoadedAnnotations {
        records: Arc::new(store.records().to_vec()),
        read_only: store.is_read_only(),
    });
    if tx
        .send(Outcome::Msg(Msg::AnnotationsLoaded(
            loaded.map_err(Clone::clone),
        )))
        .is_err()
    {
        return;
    }
    let mut store = opened;
    while let Ok((job, change)) = rx.recv() {
        let result = match store.as_mut() {
            Ok(store) => guarded(|| apply(store, change, &author)),
            Err(message) => Err(format!("annotations cannot be changed: {message}")),
        };
        if tx
            .send(Outcome::Msg(Msg::AnnotationsSaved { job, result }))
            .is_err()
        {
            return;
        }
    }
}

/// Runs `work`, turning a panic into an error message.
fn guarded<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(format!("annotations: internal error: {what}"))
    })
}

/// Makes one change and saves it; the message says what was done.
fn apply(
    store: &mut AnnotationStore,
    change: AnnotationChange,
    author: &str,
) -> Result<SavedAnnotations, String> {
    let (what, report) = match change {
        AnnotationChange::Put {
            fact,
            environments,
            draft,
        } => {
            let annotation = annotate(&fact, &environments, draft, author, Utc::now())?;
            let what = format!("{} {}", annotation.kind.describe(), annotation.id());
            let report = store.put(annotation).map_err(|e| format!("{e}"))?;
            (what, report)
        }
        AnnotationChange::Remove(id) => {
            let report = store.remove(&id).map_err(|e| format!("{e}"))?;
            (format!("cleared the annotation of {id}"), report)
        }
        AnnotationChange::Undo => {
            let Some(id) = store.next_undo().cloned() else {
                return Ok(saved(
                    store,
                    "nothing to undo".to_string(),
                    &SaveReport::default(),
                ));
            };
            match store.undo().map_err(|e| format!("{e}"))? {
                Some(report) => (format!("undid the last change to {id}"), report),
                None => ("nothing to undo".to_string(), SaveReport::default()),
            }
        }
    };
    Ok(saved(store, what, &report))
}

fn saved(store: &AnnotationStore, what: String, report: &SaveReport) -> SavedAnnotations {
    let mut message = sanitize(&what, false).into_owned();
    for line in report.messages(store.shown()) {
        message.push_str(" · ");
        message.push_str(&line);
    }
    SavedAnnotations {
        records: Arc::new(store.records().to_vec()),
        can_undo: store.can_undo(),
        message,
    }
}
