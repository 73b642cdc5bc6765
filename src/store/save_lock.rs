//! Serialising read → merge → write saves across processes, and clearing the temporary
//! files that interrupted saves leave behind.
//!
//! A save holds an advisory lock (`flock`) on the folder of the file it rewrites, so any
//! number of writers — command-line runs and explorers alike — take turns and each one
//! merges what the previous one wrote. Locking the folder rather than a lock file leaves
//! nothing in the workspace to ignore or commit. The lock is released when the guard is
//! dropped, and by the kernel when a process dies, so a killed save never blocks others.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use color_eyre::eyre::{Result, eyre};

/// How long a save waits for another one to finish before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An exclusive advisory lock on a folder, held until dropped.
#[derive(Debug)]
pub(crate) struct FolderLock {
    _folder: File,
}

impl FolderLock {
    /// Waits (up to 30 seconds) for the exclusive lock on `dir`. `shown` names the file
    /// being saved in messages.
    pub(crate) fn acquire(dir: &Path, shown: &str) -> Result<FolderLock> {
        let folder = File::open(dir)
            .map_err(|e| eyre!("{shown}: cannot open its folder to lock it: {e}"))?;
        let started = Instant::now();
        loop {
            match try_lock(&folder) {
                Ok(true) => return Ok(FolderLock { _folder: folder }),
                Ok(false) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(false) => {
                    return Err(eyre!(
                        "{shown}: another driftscope has been saving it for {}s; nothing was \
                         saved; try again when it is done",
                        LOCK_WAIT.as_secs()
                    ));
                }
                Err(e) => return Err(eyre!("{shown}: cannot lock its folder: {e}")),
            }
        }
    }
}

/// Takes the exclusive `flock` of `file` without waiting: `Ok(false)` when another
/// holder has it. The lock goes with the open file, so closing it (or dying) releases it.
fn try_lock(file: &File) -> std::io::Result<bool> {
    use rustix::fs::{FlockOperation, flock};
    match flock(file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(true),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Locks the folder of `path` for a save and, holding the lock, removes the temporary
/// files earlier saves of `path` left behind when they were killed: while the lock is
/// held no other save is writing one, so every such file is a leftover.
pub(crate) fn lock_for_save(path: &Path, shown: &str) -> Result<FolderLock> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let lock = FolderLock::acquire(dir, shown)?;
    if let Some(name) = path.file_name() {
        remove_leftover_temps(dir, &temp_prefix(name), Duration::ZERO);
    }
    Ok(lock)
}

/// The name prefix of the temporary files an atomic write of `file_name` uses.
pub(crate) fn temp_prefix(file_name: &OsStr) -> String {
    format!(".{}.", file_name.to_string_lossy())
}

/// Removes the temporary files interrupted atomic writes left in `dir` (`.NAME.*.tmp`,
/// see `atomic.rs`) whose name starts with `prefix` and that are at least `min_age` old.
/// Returns how many were removed. Only regular files are touched; errors are ignored (a
/// later run retries).
pub(crate) fn remove_leftover_temps(dir: &Path, prefix: &str, min_age: Duration) -> usize {
    let Ok(listing) = fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in listing.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) && name.ends_with(".tmp")) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let age = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .unwrap_or_default();
        if meta.is_file() && age >= min_age && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), "x").unwrap();
        let other = File::open(dir.path()).unwrap();
        assert!(!try_lock(&other).unwrap());
        drop(first);
        assert!(try_lock(&other).unwrap());
    }

    #[test]
    fn leftover_temps_of_the_file_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".annotations.toml.a1B2c3.tmp",
            ".annotations.toml.zz.tmp",
            "annotations.toml",
            ".other.toml.x.tmp",
            ".annotations.toml.keep",
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        let prefix = temp_prefix(OsStr::new("annotations.toml"));
        let removed = remove_leftover_temps(dir.path(), &prefix, Duration::ZERO);
        assert_eq!(removed, 2);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".annotations.toml.keep",
                ".other.toml.x.tmp",
                "annotations.toml"
            ]
        );
    }

    #[test]
    fn young_temps_are_kept_when_an_age_is_asked() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".a.json.x.tmp"), "x").unwrap();
        let removed = remove_leftover_temps(dir.path(), ".", Duration::from_secs(3600));
        assert_eq!(removed, 0);
    }
}
