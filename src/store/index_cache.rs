//! The index cache: what indexing learnt of each snapshot file, kept in
//! `.driftscope/index.cache` so opening a workspace of 100,000 snapshots reads only the
//! files that are new or changed.
//!
//! Each entry is valid only while its file's size, modification time, change time and
//! inode are those recorded; a file that differs in any is read again, and a file gone
//! is dropped. The cache is never trusted over the files, and never a reason to fail: a
//! missing, unreadable, corrupt or foreign cache is rebuilt, and a cache that cannot be
//! written (a read-only workspace) is done without.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;

/// The cache file's path relative to the workspace root (inside the git-ignored
/// local folder, next to the workspace key).
pub const INDEX_CACHE_FILE: &str = ".driftscope/index.cache";

/// The first bytes of a cache file: its kind and layout version.
const MAGIC: &[u8] = b"driftscope-index-cache 3\n";

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
/// Text is borrowed from the loaded cache where it can be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CachedOutcome<'a> {
    /// A snapshot.
    Snapshot {
        /// Its environment.
        #[serde(borrow)]
        environment: Cow<'a, str>,
        /// Its host.
        #[serde(borrow)]
        host: Cow<'a, str>,
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
    Problem(#[serde(borrow)] Cow<'a, str>),
}

/// One file's cached entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFile<'a> {
    /// Its name in its folder.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// Its stamp when it was read.
    pub stamp: Stamp,
    /// What was read.
    #[serde(borrow)]
    pub outcome: CachedOutcome<'a>,
}

/// One folder's cached files, sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFolder<'a> {
    /// Its path relative to the snapshot folder, `/`-separated (empty for the folder
    /// itself).
    #[serde(borrow)]
    pub path: Cow<'a, str>,
    /// Its files, sorted by name.
    #[serde(borrow)]
    pub files: Vec<CachedFile<'a>>,
}

/// The cache as stored: folders sorted by path.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheDoc<'a> {
    /// The version of driftscope that wrote it: another version's verdicts may differ.
    #[serde(borrow)]
    program: Cow<'a, str>,
    #[serde(borrow)]
    folders: Vec<CachedFolder<'a>>,
}

/// A loaded cache, borrowing from the bytes read ([`read_cache`]).
#[derive(Debug, Default)]
pub struct IndexCache<'a> {
    folders: Vec<CachedFolder<'a>>,
    /// Why the stored cache was not used, when it was not.
    pub rebuilt: Option<String>,
}

/// The bytes of the cache file at `path`; empty when it cannot be read.
pub fn read_cache(path: &Path) -> Result<Vec<u8>, String> {
    crate::input::read(path, CACHE_LIMIT).map_err(|e| format!("cannot read: {e}"))
}

impl<'a> IndexCache<'a> {
    /// The cache held in `bytes` (as [`read_cache`] read them, or its error); any doubt
    /// (unreadable, corrupt, another version's) gives an empty cache with the reason in
    /// [`IndexCache::rebuilt`].
    pub fn parse(bytes: &'a Result<Vec<u8>, String>) -> IndexCache<'a> {
        match bytes
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|b| parse_doc(b))
        {
            Ok(doc) => IndexCache {
                folders: doc.folders,
                rebuilt: None,
            },
            Err(why) => IndexCache {
                folders: Vec::new(),
                rebuilt: Some(why),
            },
        }
    }

    /// The cached files of the folder at `relative`, sorted by name.
    pub fn folder(&self, relative: &str) -> Option<&[CachedFile<'a>]> {
        let at = self
            .folders
            .binary_search_by(|f| f.path.as_ref().cmp(relative))
            .ok()?;
        Some(&self.folders[at].files)
    }

    /// How many files the cache holds.
    pub fn total(&self) -> usize {
        self.folders.iter().map(|f| f.files.len()).sum()
    }
}

fn parse_doc(bytes: &[u8]) -> Result<CacheDoc<'_>, String> {
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
pub struct CacheWriter<'a> {
    folders: Vec<CachedFolder<'a>>,
    now: i128,
}

impl<'a> CacheWriter<'a> {
    /// An empty cache, to be written now.
    pub fn new() -> CacheWriter<'a> {
        CacheWriter {
            folders: Vec::new(),
            now: nanos_since_epoch(SystemTime::now()),
        }
    }

    /// Records one file of the folder at `folder`; a file changed in the last moments
    /// is left out (see [`SETTLE`]).
    pub fn add(&mut self, folder: &str, name: &str, stamp: Stamp, outcome: CachedOutcome<'a>) {
        if !stamp.is_settled(self.now) {
            return;
        }
        if self.folders.last().is_none_or(|f| f.path != folder) {
            self.folders.push(CachedFolder {
                path: Cow::Owned(folder.to_string()),
                files: Vec::new(),
            });
        }
        if let Some(last) = self.folders.last_mut() {
            last.files.push(CachedFile {
                name: Cow::Owned(name.to_string()),
                stamp,
                outcome,
            });
        }
    }

    /// Writes the cache to `path` atomically, creating its folder with a `.gitignore`
    /// that keeps it out of git; the reason when it could not be written.
    pub fn write(mut self, path: &Path) -> Result<(), String> {
        // Lookups search by folder path and file name.
        for folder in &mut self.folders {
            folder.files.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.folders.sort_by(|a, b| a.path.cmp(&b.path));
        let doc = CacheDoc {
            program: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
            folders: self.folders,
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

    fn outcome() -> CachedOutcome<'static> {
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
        writer.add(
            "prod/web-1",
            "b.json",
            stamp(),
            CachedOutcome::Problem("x".into()),
        );
        writer.add("prod/web-1", "a.json", stamp(), outcome());
        writer.add("dev/box", "a.json", stamp(), outcome());
        writer.write(&path).unwrap();
        let ignore = std::fs::read_to_string(dir.path().join(".driftscope/.gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");

        let bytes = read_cache(&path);
        let cache = IndexCache::parse(&bytes);
        assert_eq!(cache.rebuilt, None);
        assert_eq!(cache.total(), 3);
        let files = cache.folder("prod/web-1").unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_ref()).collect();
        assert_eq!(names, ["a.json", "b.json"], "sorted by name");
        assert_eq!((files[0].stamp, &files[0].outcome), (stamp(), &outcome()));
        assert_eq!(files[1].outcome, CachedOutcome::Problem("x".into()));
        assert!(cache.folder("prod/web-2").is_none());
        assert_eq!(cache.folder("dev/box").unwrap().len(), 1);
    }

    #[test]
    fn recently_changed_files_are_not_cached() {
        let mut writer = CacheWriter::new();
        let fresh = Stamp {
            modified: writer.now,
            ..stamp()
        };
        writer.add("", "a.json", fresh, outcome());
        writer.add("", "b.json", stamp(), outcome());
        let kept: Vec<&str> = writer.folders[0]
            .files
            .iter()
            .map(|f| f.name.as_ref())
            .collect();
        assert_eq!(kept, ["b.json"]);
    }

    #[test]
    fn doubtful_caches_are_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.cache");
        let rebuilt = |path: &Path| IndexCache::parse(&read_cache(path)).rebuilt.unwrap();
        assert!(rebuilt(&path).starts_with("cannot read"));
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(rebuilt(&path), "not an index cache of this layout");
        let mut truncated = MAGIC.to_vec();
        truncated.extend_from_slice(&[5, b'0']);
        std::fs::write(&path, &truncated).unwrap();
        assert!(rebuilt(&path).starts_with("corrupt"));
        let other = CacheDoc {
            program: "0.0.0-other".into(),
            folders: Vec::new(),
        };
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&postcard::to_allocvec(&other).unwrap());
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(rebuilt(&path), "written by driftscope 0.0.0-other");
    }
}
