//! How much room the history takes and how it grows: bytes per host per snapshot, and
//! per year at daily and hourly snapshots, plain and compressed.

use std::collections::BTreeSet;

use super::compress::ZSTD_LEVEL;
use super::snapshot_file::{Compression, read_snapshot_bytes, zstd_compress};
use super::{Location, SnapshotMeta, Workspace};

/// Snapshots per year at one snapshot a day.
pub const DAILY_PER_YEAR: u64 = 365;
/// Snapshots per year at one snapshot an hour.
pub const HOURLY_PER_YEAR: u64 = 365 * 24;

/// The storage of one environment's history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvironmentStorage {
    /// The environment.
    pub environment: String,
    /// Hosts with at least one snapshot.
    pub hosts: usize,
    /// Snapshots stored.
    pub snapshots: usize,
    /// Of which compressed.
    pub compressed: usize,
    /// Bytes the snapshot files take (as stored, compressed or not).
    pub stored_bytes: u64,
    /// Bytes of the newest snapshot of each host, as documents (uncompressed).
    pub sample_plain_bytes: u64,
    /// The same snapshots compressed as `driftscope compress` compresses them.
    pub sample_compressed_bytes: u64,
    /// How many newest snapshots were measured (one per host that could be read).
    pub sampled: usize,
}

impl EnvironmentStorage {
    /// Average bytes of one host's snapshot as a document (uncompressed).
    pub fn plain_per_snapshot(&self) -> u64 {
        self.sample_plain_bytes / self.sampled.max(1) as u64
    }

    /// Average bytes of one host's snapshot once compressed.
    pub fn compressed_per_snapshot(&self) -> u64 {
        self.sample_compressed_bytes / self.sampled.max(1) as u64
    }

    /// Bytes a year of snapshots of every host would take at `per_year` snapshots per
    /// host: `(plain, compressed)`.
    pub fn per_year(&self, per_year: u64) -> (u64, u64) {
        let hosts = self.hosts as u64;
        (
            self.plain_per_snapshot() * hosts * per_year,
            self.compressed_per_snapshot() * hosts * per_year,
        )
    }
}

/// The storage of each environment of `workspace` (of `environment` only, when given),
/// sorted by name. Each host's newest snapshot is read and compressed to measure sizes.
pub fn storage(workspace: &Workspace, environment: Option<&str>) -> Vec<EnvironmentStorage> {
    let mut out: Vec<EnvironmentStorage> = Vec::new();
    for env in workspace.history.environments() {
        if environment.is_some_and(|wanted| wanted != env) {
            continue;
        }
        let entries = workspace.history.of_environment(&env);
        let mut report = EnvironmentStorage {
            environment: env.clone(),
            hosts: entries
                .iter()
                .map(|m| m.host.as_str())
                .collect::<BTreeSet<_>>()
                .len(),
            snapshots: entries.len(),
            ..EnvironmentStorage::default()
        };
        for meta in entries {
            let (bytes, compressed) = stored_size(workspace, meta);
            report.stored_bytes += bytes;
            report.compressed += usize::from(compressed);
        }
        for meta in workspace.history.latest(&env, None) {
            if let Some(document) = document_bytes(workspace, meta)
                && let Ok(packed) = zstd_compress(&document, ZSTD_LEVEL)
            {
                report.sample_plain_bytes += document.len() as u64;
                report.sample_compressed_bytes += packed.len() as u64;
                report.sampled += 1;
            }
        }
        out.push(report);
    }
    out
}

/// The bytes a snapshot takes where it is kept, and whether it is compressed.
fn stored_size(workspace: &Workspace, meta: &SnapshotMeta) -> (u64, bool) {
    match &meta.location {
        Location::File(path) => {
            let compressed = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(Compression::of_name)
                .is_some_and(|c| c != Compression::Plain);
            (std::fs::metadata(path).map_or(0, |m| m.len()), compressed)
        }
        Location::Embedded(_) => (
            document_bytes(workspace, meta).map_or(0, |d| d.len() as u64),
            false,
        ),
    }
}

/// A snapshot's document, as it is (or would be) written to a plain file.
fn document_bytes(workspace: &Workspace, meta: &SnapshotMeta) -> Option<Vec<u8>> {
    match &meta.location {
        Location::File(path) => read_snapshot_bytes(path).ok(),
        Location::Embedded(_) => workspace.load(meta).ok().map(|s| s.to_json().into_bytes()),
    }
}
