//! The workspace on disk: discovery, snapshot history, annotations and atomic writes.
//!
//! A workspace is a folder holding `driftscope.toml` (read through [`crate::config`]) and
//! `snapshots/`. The embedded demo is a workspace too, held in memory
//! ([`Workspace::in_memory`], which the demo module uses), so every command works
//! the same on both.

mod annotations;
mod atomic;
pub mod compare;
pub mod detached;
pub mod fact_history;
mod fact_reader;
mod history;
mod index;
mod paths;
pub mod peers;
pub mod prune;
mod refs;
mod save_lock;
mod selection;
mod side_ref;
pub mod timeline;
mod workspace;

pub use annotations::{
    ANNOTATIONS_FILE, AnnotationStore, SaveReport, author_name, parse_annotations,
    render_annotations,
};
pub use atomic::write_atomic;
pub use compare::{CompareRequest, Compared, SideCache};
pub use fact_history::{HistoryEntry, Observation, fact_history, history_of};
pub use fact_reader::{fact_in, read_fact};
pub use history::{History, Location, SnapshotMeta, load_snapshot_file};
pub use index::snapshot_counts;
pub use paths::{path_component, snapshot_file_name};
pub use prune::{HostPlan, KeepReason, Retention, Verdict};
pub use refs::{ResolvedSide, TIME_FORMS, TimeSpec, compact_time};
pub use selection::snapshots_of;
pub use side_ref::{SideRef, SideTime};
pub use timeline::{ChangeCache, TimelinePoint, timeline, timeline_cached};
pub use workspace::{SNAPSHOTS_DIR, Workspace};
