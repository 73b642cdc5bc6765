//! Snapshot history: many snapshots per host over time, never overwritten.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use color_eyre::eyre::Result;

use crate::model::Snapshot;

/// Where a snapshot is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file on disk.
    File(PathBuf),
    /// An entry of the embedded demo, by index.
    Embedded(usize),
}

/// What is known of a stored snapshot without keeping its facts in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotMeta {
    /// Its environment.
    pub environment: String,
    /// Its host.
    pub host: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// How many facts it holds.
    pub fact_count: usize,
    /// How many probe errors it records.
    pub error_count: usize,
    /// Where it is kept.
    pub location: Location,
}

/// All stored snapshots of a workspace, sorted by environment, host, then time.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The snapshots' metadata.
    pub entries: Vec<SnapshotMeta>,
    /// Files that could not be read, each with a one-line reason naming the file.
    pub problems: Vec<String>,
}

impl History {
    /// Environments with at least one snapshot, sorted.
    pub fn environments(&self) -> Vec<String> {
        todo!("history environments")
    }

    /// The newest snapshot of each host of `env` taken at or before `at` (any time when `None`).
    pub fn latest(&self, env: &str, at: Option<DateTime<Utc>>) -> Vec<&SnapshotMeta> {
        let _ = (env, at);
        todo!("history latest")
    }
}

/// Reads and parses one snapshot file; the error names the file (and line/column).
pub fn load_snapshot_file(path: &Path) -> Result<Snapshot> {
    let _ = path;
    todo!("load snapshot file")
}
