//! The workspace on disk: discovery, configuration, snapshot history, annotations and
//! atomic writes.
//!
//! A workspace is a folder holding `driftscope.toml` and `snapshots/`. The embedded demo
//! is a workspace too, held in memory, so every command works the same on both.

mod annotations;
mod atomic;
mod config;
mod history;
mod index;
mod paths;
mod refs;
mod workspace;

pub use annotations::{
    ANNOTATIONS_FILE, AnnotationStore, SaveReport, author_name, parse_annotations,
    render_annotations,
};
pub use atomic::write_atomic;
pub use config::{
    CONFIG_FILE, CONFIG_TEMPLATE, Config, EnvironmentConfig, IgnoreConfig, check_environment_name,
};
pub use history::{History, Location, SnapshotMeta, load_snapshot_file};
pub use paths::{path_component, snapshot_file_name};
pub use refs::{ResolvedSide, TIME_FORMS, TimeSpec, compact_time};
pub use workspace::{SNAPSHOTS_DIR, Workspace};
