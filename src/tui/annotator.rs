//! The annotations job: reads the workspace's annotations and the author's name when the
//! explorer starts, then saves each change (which may merge with the file on disk) off
//! the UI thread, in the order asked. Results go back as messages.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, RwLock};

use chrono::Utc;

use crate::diff::review::annotate;
use crate::model::sanitize;
use crate::store::{AnnotationStore, SaveReport, Workspace};

use super::jobs::{Cancel, Job, Sink, UNAVAILABLE, panic_text};
use super::message::Msg;
use super::review::{AnnotationChange, LoadedAnnotations, SavedAnnotations};

/// What the annotations job is asked to do.
#[derive(Debug, Clone)]
pub enum AnnotatorRequest {
    /// Read the annotations and the author's name (first, when the explorer starts).
    Load,
    /// Make a change and save it; its answer carries `job`.
    Change(u64, AnnotationChange),
}

/// The annotations job: in order, so every change asked for is saved, quitting included.
pub struct AnnotateJob {
    workspace: Arc<RwLock<Workspace>>,
    store: Result<AnnotationStore, String>,
    author: String,
}

impl AnnotateJob {
    /// A job changing the annotations of `workspace` (read by a [`AnnotatorRequest::Load`]).
    pub fn new(workspace: Arc<RwLock<Workspace>>) -> AnnotateJob {
        AnnotateJob {
            workspace,
            store: Err("the annotations are not read yet".to_string()),
            author: "unknown".to_string(),
        }
    }

    /// Reads the annotations and the author, under the read lock: later changes go
    /// through the store, not the workspace.
    fn load(&mut self) -> Result<LoadedAnnotations, String> {
        let (opened, author, policy) = match self.workspace.read() {
            Ok(workspace) => (
                guarded(|| workspace.annotations().map_err(|e| format!("{e}"))),
                guarded(|| Ok(workspace.author())).unwrap_or_else(|_| "unknown".to_string()),
                guarded(|| workspace.config.policy().map_err(|e| format!("{e}"))),
            ),
            Err(_) => (
                Err(UNAVAILABLE.to_string()),
                "unknown".to_string(),
                Err(UNAVAILABLE.to_string()),
            ),
        };
        let loaded = match (&opened, &policy) {
            (Ok(store), Ok(policy)) => Ok(LoadedAnnotations {
                policy: Arc::new(policy.clone()),
                records: Arc::new(store.records().to_vec()),
                read_only: store.is_read_only(),
            }),
            (Err(message), _) | (_, Err(message)) => Err(message.clone()),
        };
        self.store = opened;
        self.author = author;
        loaded
    }
}

impl Job for AnnotateJob {
    type Request = AnnotatorRequest;

    fn run(&mut self, request: AnnotatorRequest, _cancel: &Cancel, send: &Sink) -> bool {
        match request {
            AnnotatorRequest::Load => {
                let loaded = self.load();
                send(Msg::AnnotationsLoaded(loaded))
            }
            AnnotatorRequest::Change(job, change) => {
                let result = match self.store.as_mut() {
                    Ok(store) => guarded(|| apply(store, change, &self.author)),
                    Err(message) => Err(format!("annotations cannot be changed: {message}")),
                };
                send(Msg::AnnotationsSaved { job, result })
            }
        }
    }

    fn failed(&self, request: AnnotatorRequest, message: String) -> Option<Msg> {
        let message = format!("annotations: internal error: {message}");
        Some(match request {
            AnnotatorRequest::Load => Msg::AnnotationsLoaded(Err(message)),
            AnnotatorRequest::Change(job, _) => Msg::AnnotationsSaved {
                job,
                result: Err(message),
            },
        })
    }

    fn keep(&self, request: &AnnotatorRequest) -> AnnotatorRequest {
        request.clone()
    }
}

/// Runs `work`, turning a panic into an error message.
fn guarded<T>(work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic_text(panic.as_ref());
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
        AnnotationChange::PutMany {
            facts,
            environments,
            draft,
        } => {
            let now = Utc::now();
            let annotations = facts
                .iter()
                .map(|fact| annotate(fact, &environments, draft.clone(), author, now))
                .collect::<Result<Vec<_>, String>>()?;
            let what = format!(
                "{} {} drifts on {}",
                draft.kind.describe(),
                annotations.len(),
                environments.join(", ")
            );
            let report = store.put_many(annotations).map_err(|e| format!("{e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::review::AnnotationDraft;
    use crate::diff::{Cell, ChangeKind, FactDiff, Severity, Status};
    use crate::model::{AnnotationKind, Category, FactKey, Value};

    fn drift() -> FactDiff {
        FactDiff {
            key: FactKey::new(Category::Config, "env.WORKERS"),
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Value,
            cells: vec![
                Cell::Present {
                    value: Value::string("8"),
                },
                Cell::Present {
                    value: Value::string("2"),
                },
            ],
            comparisons: Vec::new(),
        }
    }

    fn put(reason: &str) -> AnnotationChange {
        AnnotationChange::Put {
            fact: Box::new(drift()),
            environments: vec!["prod".into(), "staging".into()],
            draft: AnnotationDraft {
                kind: AnnotationKind::Justify,
                reason: reason.into(),
                ticket: Some("OPS-1".into()),
                expires: None,
            },
        }
    }

    #[test]
    fn put_clear_and_undo_save_the_file_and_say_what_was_done() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.toml");
        let mut store = AnnotationStore::open(&path, "annotations.toml").unwrap();

        let saved = apply(&mut store, put("prod is sized for load"), "Test Author").unwrap();
        assert_eq!(
            saved.message,
            "justified config/env.WORKERS on prod, staging"
        );
        assert!(saved.can_undo);
        assert_eq!(saved.records.len(), 1);
        assert_eq!(saved.records[0].author, "Test Author");
        let file = std::fs::read_to_string(&path).unwrap();
        assert!(
            file.contains("reason = \"prod is sized for load\""),
            "{file}"
        );

        let id = saved.records[0].id();
        let cleared = apply(&mut store, AnnotationChange::Remove(id), "Test Author").unwrap();
        assert_eq!(
            cleared.message,
            "cleared the annotation of config/env.WORKERS on prod, staging"
        );
        assert!(cleared.records.is_empty());

        let undone = apply(&mut store, AnnotationChange::Undo, "Test Author").unwrap();
        assert_eq!(
            undone.message,
            "undid the last change to config/env.WORKERS on prod, staging"
        );
        assert_eq!(undone.records.len(), 1);
        apply(&mut store, AnnotationChange::Undo, "Test Author").unwrap();
        let nothing = apply(&mut store, AnnotationChange::Undo, "Test Author").unwrap();
        assert_eq!(nothing.message, "nothing to undo");
        assert!(!nothing.can_undo);
    }

    #[test]
    fn a_bulk_change_saves_every_drift_and_undoes_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.toml");
        let mut store = AnnotationStore::open(&path, "annotations.toml").unwrap();
        let mut other = drift();
        other.key = FactKey::new(Category::Config, "env.MODE");
        let change = AnnotationChange::PutMany {
            facts: vec![drift(), other],
            environments: vec!["prod".into(), "staging".into()],
            draft: AnnotationDraft {
                kind: AnnotationKind::Justify,
                reason: "known differences".into(),
                ticket: None,
                expires: None,
            },
        };
        let saved = apply(&mut store, change, "Test Author").unwrap();
        assert_eq!(saved.message, "justified 2 drifts on prod, staging");
        assert_eq!(saved.records.len(), 2);
        let file = std::fs::read_to_string(&path).unwrap();
        assert_eq!(file.matches("reason = \"known differences\"").count(), 2);
        let undone = apply(&mut store, AnnotationChange::Undo, "Test Author").unwrap();
        assert!(
            undone.records.is_empty(),
            "one undo takes back the whole batch"
        );
    }

    #[test]
    fn a_merge_with_changes_on_disk_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("annotations.toml");
        let mut store = AnnotationStore::open(&path, "annotations.toml").unwrap();
        let mut other = AnnotationStore::open(&path, "annotations.toml").unwrap();
        let mut elsewhere = drift();
        elsewhere.key = FactKey::new(Category::Config, "env.MODE");
        let change = AnnotationChange::Put {
            fact: Box::new(elsewhere),
            environments: vec!["prod".into(), "staging".into()],
            draft: AnnotationDraft {
                kind: AnnotationKind::Remediate,
                reason: "align".into(),
                ticket: None,
                expires: None,
            },
        };
        apply(&mut other, change, "Someone Else").unwrap();

        let saved = apply(&mut store, put("sized for load"), "Test Author").unwrap();
        assert!(
            saved
                .message
                .contains("annotations.toml had changed on disk; merged: 1 record taken"),
            "{}",
            saved.message
        );
        assert_eq!(saved.records.len(), 2);
    }

    #[test]
    fn the_demo_store_refuses_changes() {
        let mut store = AnnotationStore::embedded(Vec::new());
        let err = apply(&mut store, put("x"), "Test Author").unwrap_err();
        assert!(err.contains("read-only"), "{err}");
        let blank = apply(
            &mut AnnotationStore::embedded(Vec::new()),
            put("  "),
            "Test Author",
        )
        .unwrap_err();
        assert_eq!(blank, "a reason is required");
    }
}
