//! Snapshot history: many snapshots per host over time, never overwritten.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use super::paths::sequence_of;
use crate::model::Snapshot;

/// Where a snapshot is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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

impl SnapshotMeta {
    /// The metadata of an in-memory snapshot kept at `location`.
    pub fn of(snapshot: &Snapshot, location: Location) -> SnapshotMeta {
        SnapshotMeta {
            environment: snapshot.environment.clone(),
            host: snapshot.host.clone(),
            taken_at: snapshot.taken_at,
            fact_count: snapshot.fact_count(),
            error_count: snapshot.errors.len(),
            location,
        }
    }
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
        let mut names: Vec<String> = self
            .entries
            .iter()
            .map(|meta| meta.environment.clone())
            .collect();
        names.dedup();
        names
    }

    /// The newest snapshot of each host of `env` taken at or before `at` (any time when `None`).
    pub fn latest(&self, env: &str, at: Option<DateTime<Utc>>) -> Vec<&SnapshotMeta> {
        let mut newest: Vec<&SnapshotMeta> = Vec::new();
        for meta in self.of_environment(env) {
            if at.is_some_and(|at| meta.taken_at > at) {
                continue;
            }
            // Entries are sorted by host then time, so a later one of the same host wins.
            match newest.last_mut() {
                Some(last) if last.host == meta.host => *last = meta,
                _ => newest.push(meta),
            }
        }
        newest
    }

    /// Every snapshot of `env`, sorted by host then time.
    pub fn of_environment(&self, env: &str) -> &[SnapshotMeta] {
        let start = self
            .entries
            .partition_point(|meta| meta.environment.as_str() < env);
        let len = self.entries[start..]
            .iter()
            .take_while(|meta| meta.environment == env)
            .count();
        &self.entries[start..start + len]
    }

    /// The oldest snapshot of `env`, if any.
    pub fn oldest(&self, env: &str) -> Option<&SnapshotMeta> {
        self.of_environment(env).iter().min_by_key(|m| m.taken_at)
    }

    /// Adds an entry, keeping the order.
    pub fn insert(&mut self, meta: SnapshotMeta) {
        let at = self
            .entries
            .partition_point(|probe| entry_order(probe, &meta) != Ordering::Greater);
        self.entries.insert(at, meta);
    }

    /// Restores the documented order after entries were added in any order.
    pub(crate) fn sort(&mut self) {
        self.entries.sort_by(entry_order);
        self.problems.sort();
    }
}

/// Environment, host, time; snapshots of the same second by their `-N` file suffix.
fn entry_order(a: &SnapshotMeta, b: &SnapshotMeta) -> Ordering {
    a.environment
        .cmp(&b.environment)
        .then_with(|| a.host.cmp(&b.host))
        .then_with(|| a.taken_at.cmp(&b.taken_at))
        .then_with(|| match (&a.location, &b.location) {
            (Location::File(pa), Location::File(pb)) => sequence_of(pa)
                .cmp(&sequence_of(pb))
                .then_with(|| pa.cmp(pb)),
            (Location::Embedded(ia), Location::Embedded(ib)) => ia.cmp(ib),
            (Location::Embedded(_), Location::File(_)) => Ordering::Less,
            (Location::File(_), Location::Embedded(_)) => Ordering::Greater,
        })
}

/// Reads and parses one snapshot file; the error names the file (and line/column).
pub fn load_snapshot_file(path: &Path) -> Result<Snapshot> {
    load_snapshot_named(path, &path.display().to_string())
}

/// Reads and parses one snapshot file; errors start with `shown` (the file's name as the
/// user should see it).
pub(crate) fn load_snapshot_named(path: &Path, shown: &str) -> Result<Snapshot> {
    let text = super::snapshot_file::read_snapshot_text(path)
        .map_err(|e| eyre!("{shown}: cannot read: {e}"))?;
    Snapshot::from_json(&text).map_err(|e| eyre!("{shown}: {e}"))
}
