//! The index cache: what indexing learnt of each snapshot file, kept in
//! `.driftscope/index.cache` so opening a workspace of 100,000 snapshots reads only the
//! files that are new or changed.
//!
//! Each entry is valid only while its file's size, modification time, change time and
//! inode are those recorded; a file that differs in any is read again, and a file gone
//! is dropped. The cache is never trusted over the files, and never a reason to fail: a
//! missing, unreadable, corrupt or foreign cache is rebuilt, and a cache that cannot be
//! written (a read-only workspace) is done without.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;

/// The cache file's path relative to the workspace root (inside the git-ignored
/// local folder, next to the workspace key).
pub const INDEX_CACHE_FILE: &str = ".driftscope/index.cache";

/// The first bytes of a cache file: its kind and layout version.
const MAGIC: &[u8] = b"driftscope-index-cache 1\n";

/// The most read from a cache file.
const CACHE_LIMIT: u64 = 1024 * 1024 * 1024;

/// Files changed this recently may change again within the clock's resolution without
/// their times showing it, so they are not cached (they are read again next time).
const SETTLE: Duration = Duration::from_secs(2);

/// What tells a file's version apart: if any of these differ, the file has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i128,
    /// Status change time (Unix), nanoseconds since the epoch; 0 where unknown.
    pub changed: i128,
    /// Inode number (Unix); 0 where unknown.
    pub inode: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let modified = meta.modified().map_or(0, nanos_since_epoch);
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Stamp {
            size: meta.len(),
            modified,
            changed,
            inode,
        }
    }

    /// True when the file changed within [`SETTLE`] of `now`.
    fn is_settled(&self, now: i128) -> bool {
        let settle = SETTLE.as_nanos() as i128;
        self.modified.max(self.changed) < now - settle
    }
}

fn nanos_since_epoch(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// What indexing made of one file: its metadata, or why it is not a readable snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CachedOutcome {
    /// A snapshot.
    Snapshot {
        /// Its environment.
        environment: String,
        /// Its host.
        host: String,
        /// When it was taken: seconds since the epoch.
        taken_secs: i64,
        /// … and nanoseconds.
        taken_nanos: u32,
        /// How many facts it holds.
        facts: u64,
        /// How many probe errors it records.
        errors: u64,
    },
    /// Not a readable snapshot: the reason, without the file's name.
    Problem(String),
}

/// One file's cached entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct CachedFile {
    /// Its path relative to the snapshot folder, `/`-separated.
    path: String,
    stamp: Stamp,
    outcome: CachedOutcome,
}

/// The cache as stored.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheDoc {
    /// The version of driftscope that wrote it: another version's verdicts may differ.
    program: String,
    files: Vec<CachedFile>,
}

/// The cache as loaded: entries by relative path, taken out as they are used.
#[derive(Debug, Default)]
pub struct IndexCache {
    files: HashMap<String, (Stamp, CachedOutcome)>,
    /// Why the stored cache was not used, when it was not.
    pub rebuilt: Option<String>,
}

impl IndexCache {
    /// Loads the cache at `path`; any doubt (missing, unreadable, corrupt, another
    /// version's) gives an empty cache with the reason in [`IndexCache::rebuilt`].
    pub fn load(path: &Path) -> IndexCache {
        match read_doc(path) {
            Ok(doc) => IndexCache {
                files: doc
                    .files
                    .into_iter()
                    .map(|f| (f.path, (f.stamp, f.outcome)))
                    .collect(),
                rebuilt: None,
            },
            Err(why) => IndexCache {
                files: HashMap::new(),
                rebuilt: Some(why),
            },
        }
    }

    /// The cached outcome for `relative` when the file still has `stamp`; the entry is
    /// taken out either way, so what remains at the end are files gone.
    pub fn take(&mut self, relative: &str, stamp: &Stamp) -> Option<CachedOutcome> {
        let (cached, outcome) = self.files.remove(relative)?;
        (cached == *stamp).then_some(outcome)
    }

    /// How many entries were not taken: files no longer there.
    pub fn remaining(&self) -> usize {
        self.files.len()
    }
}

fn read_doc(path: &Path) -> Result<CacheDoc, String> {
    let bytes = crate::input::read(path, CACHE_LIMIT).map_err(|e| format!("cannot read: {e}"))?;
    let body = bytes
        .strip_prefix(MAGIC)
        .ok_or_else(|| "not an index cache of this layout".to_string())?;
    let doc: CacheDoc = postcard::from_bytes(body).map_err(|e| format!("corrupt: {e}"))?;
    if doc.program != env!("CARGO_PKG_VERSION") {
        return Err(format!("written by driftscope {}", doc.program));
    }
    Ok(doc)
}

/// The entries of a cache being written.
#[derive(Debug, Default)]
pub struct CacheWriter {
    files: Vec<CachedFile>,
    now: i128,
}

impl CacheWriter {
    /// An empty cache, to be written now.
    pub fn new() -> CacheWriter {
        CacheWriter {
            files: Vec::new(),
            now: nanos_since_epoch(SystemTime::now()),
        }
    }

    /// Records one file; a file changed in the last moments is left out (see [`SETTLE`]).
    pub fn add(&mut self, relative: String, stamp: Stamp, outcome: CachedOutcome) {
        if stamp.is_settled(self.now) {
            self.files.push(CachedFile {
                path: relative,
                stamp,
                outcome,
            });
        }
    }

    /// Writes the cache to `path` atomically, creating its folder with a `.gitignore`
    /// that keeps it out of git; the reason when it could not be written.
    pub fn write(self, path: &Path) -> Result<(), String> {
        let doc = CacheDoc {
            program: env!("CARGO_PKG_VERSION").to_string(),
            files: self.files,
        };
        let mut bytes = MAGIC.to_vec();
        let body = postcard::to_allocvec(&doc).map_err(|e| e.to_string())?;
        bytes.extend_from_slice(&body);
        if let Some(folder) = path.parent() {
            ensure_ignored_folder(folder)?;
        }
        write_atomic(path, &bytes, true).map_err(|e| e.to_string())
    }
}

/// Creates the local folder if needed, with a `.gitignore` that ignores all of it.
fn ensure_ignored_folder(folder: &Path) -> Result<(), String> {
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let ignore = folder.join(".gitignore");
    if !ignore.exists() {
        write_atomic(
            &ignore,
            b"# Local to this machine: never commit.\n*\n",
            false,
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The cache file of the workspace at `root`.
pub fn cache_path(root: &Path) -> PathBuf {
    root.join(INDEX_CACHE_FILE)
}

/// Prints a note about the cache on standard error when `DRIFTSCOPE_DEBUG` is set.
pub fn debug_note(note: &str) {
    if std::env::var_os("DRIFTSCOPE_DEBUG").is_some() {
        eprintln!("driftscope: index cache: {note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> CachedOutcome {
        CachedOutcome::Snapshot {
            environment: "prod".into(),
            host: "web-1".into(),
            taken_secs: 1_800_000_000,
            taken_nanos: 5,
            facts: 12,
            errors: 1,
        }
    }

    fn stamp() -> Stamp {
        Stamp {
            size: 10,
            modified: 1,
            changed: 2,
            inode: 3,
        }
    }

    #[test]
    fn a_written_cache_loads_and_matches_only_the_same_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path());
        let mut writer = CacheWriter::new();
        writer.add("prod/web-1/a.json".into(), stamp(), outcome());
        writer.add(
            "prod/web-1/b.json".into(),
            stamp(),
            CachedOutcome::Problem("x".into()),
        );
        writer.write(&path).unwrap();
        let ignore = std::fs::read_to_string(dir.path().join(".driftscope/.gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");

        let mut cache = IndexCache::load(&path);
        assert_eq!(cache.rebuilt, None);
        assert_eq!(cache.take("prod/web-1/a.json", &stamp()), Some(outcome()));
        let touched = Stamp {
            changed: 4,
            ..stamp()
        };
        assert_eq!(cache.take("prod/web-1/b.json", &touched), None);
        assert_eq!(cache.take("prod/web-1/c.json", &stamp()), None);
        assert_eq!(cache.remaining(), 0);
    }

    #[test]
    fn recently_changed_files_are_not_cached() {
        let mut writer = CacheWriter::new();
        let fresh = Stamp {
            modified: writer.now,
            ..stamp()
        };
        writer.add("a.json".into(), fresh, outcome());
        writer.add("b.json".into(), stamp(), outcome());
        let kept: Vec<&str> = writer.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(kept, ["b.json"]);
    }

    #[test]
    fn doubtful_caches_are_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.cache");
        assert!(
            IndexCache::load(&path)
                .rebuilt
                .unwrap()
                .starts_with("cannot read")
        );
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(
            IndexCache::load(&path).rebuilt.unwrap(),
            "not an index cache of this layout"
        );
        let mut truncated = MAGIC.to_vec();
        truncated.extend_from_slice(&[5, b'0']);
        std::fs::write(&path, &truncated).unwrap();
        assert!(
            IndexCache::load(&path)
                .rebuilt
                .unwrap()
                .starts_with("corrupt")
        );
        let other = CacheDoc {
            program: "0.0.0-other".into(),
            files: Vec::new(),
        };
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&postcard::to_allocvec(&other).unwrap());
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            IndexCache::load(&path).rebuilt.unwrap(),
            "written by driftscope 0.0.0-other"
        );
    }
}
