//! Compressing old snapshot files in place: `X.json` becomes `X.json.zst` holding the
//! very same bytes, so the snapshot reads exactly as before (see
//! [`read_snapshot_bytes`](super::read_snapshot_bytes)) in a fraction of the space.
//!
//! The compressed file is written atomically and checked (decompressed and compared
//! byte for byte) before the plain file is removed; an interrupted run leaves both, and
//! readers then use the plain one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::atomic::{WriteError, write_atomic_checked};
use super::snapshot_file::{Compression, read_snapshot_bytes, zstd_compress};
use super::{History, Location, SnapshotMeta};

/// The Zstandard level used: within 4% of the smallest output (level 19) on snapshots,
/// at a tenth of its time.
pub const ZSTD_LEVEL: i32 = 9;

/// The snapshots of `environment` (every one when `None`) and `host` (every host when
/// `None`) taken before `before` that are still plain files.
pub fn compressible<'h>(
    history: &'h History,
    environment: Option<&str>,
    host: Option<&str>,
    before: DateTime<Utc>,
) -> Vec<&'h SnapshotMeta> {
    history
        .entries
        .iter()
        .filter(|m| {
            environment.is_none_or(|env| m.environment == env)
                && host.is_none_or(|h| m.host == h)
                && m.taken_at < before
                && plain_file(m).is_some()
        })
        .collect()
}

/// The plain file behind a snapshot, when it is one.
fn plain_file(meta: &SnapshotMeta) -> Option<&Path> {
    match &meta.location {
        Location::File(path) => {
            let name = path.file_name()?.to_str()?;
            (Compression::of_name(name) == Some(Compression::Plain)).then_some(path.as_path())
        }
        Location::Embedded(_) => None,
    }
}

/// What compressing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compressed {
    /// The compressed file.
    pub path: PathBuf,
    /// Bytes before.
    pub plain_bytes: u64,
    /// Bytes after.
    pub compressed_bytes: u64,
}

/// Compresses the plain snapshot file at `path` into `path.zst` and removes `path`
/// once the compressed file is on disk and reads back as the same bytes. The error is
/// the reason, without the file's name.
pub fn compress_file(path: &Path) -> Result<Compressed, String> {
    let plain = crate::input::read(path, crate::input::DATA_LIMIT)
        .map_err(|e| format!("cannot read: {e}"))?;
    let packed = zstd_compress(&plain, ZSTD_LEVEL).map_err(|e| format!("cannot compress: {e}"))?;
    let mut name = path.as_os_str().to_os_string();
    name.push(Compression::Zstd.suffix());
    let target = PathBuf::from(name);
    match write_atomic_checked(&target, &packed, false) {
        Ok(()) => {}
        // An interrupted earlier run wrote it: it is checked below like a new one.
        Err(WriteError::Exists) => {}
        Err(WriteError::Failed(report)) => return Err(format!("{report}")),
    }
    let back = read_snapshot_bytes(&target)
        .map_err(|e| format!("the compressed file cannot be read back: {e}"))?;
    if back != plain {
        return Err(format!(
            "{} already exists and holds other bytes; remove one of the two",
            target.display()
        ));
    }
    let compressed_bytes = std::fs::metadata(&target)
        .map(|m| m.len())
        .unwrap_or(packed.len() as u64);
    std::fs::remove_file(path).map_err(|e| format!("compressed, but cannot remove it: {e}"))?;
    Ok(Compressed {
        path: target,
        plain_bytes: plain.len() as u64,
        compressed_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Snapshot, Source, Value};
    use chrono::TimeZone;

    fn write_snapshot(dir: &Path) -> (PathBuf, String) {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let mut s = Snapshot::new("prod", "web-1", t, Source::Local);
        s.insert(
            Category::Versions,
            "runtime.python",
            Value::version("3.12.1"),
        );
        let text = s.to_json();
        let path = dir.join("2026-11-20T09-30-00Z.json");
        std::fs::write(&path, &text).unwrap();
        (path, text)
    }

    #[test]
    fn compression_keeps_the_exact_bytes_and_removes_the_plain_file() {
        let dir = tempfile::tempdir().unwrap();
        let (path, text) = write_snapshot(dir.path());
        let done = compress_file(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(done.path, dir.path().join("2026-11-20T09-30-00Z.json.zst"));
        assert_eq!(done.plain_bytes, text.len() as u64);
        assert_eq!(read_snapshot_bytes(&done.path).unwrap(), text.as_bytes());
    }

    #[test]
    fn an_interrupted_run_is_finished_and_a_foreign_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (path, text) = write_snapshot(dir.path());
        let target = dir.path().join("2026-11-20T09-30-00Z.json.zst");
        std::fs::write(&target, zstd_compress(text.as_bytes(), 3).unwrap()).unwrap();
        compress_file(&path).unwrap();
        assert!(!path.exists());

        let (path, _) = write_snapshot(dir.path());
        std::fs::write(&target, zstd_compress(b"other", 3).unwrap()).unwrap();
        let err = compress_file(&path).unwrap_err();
        assert!(
            err.ends_with("holds other bytes; remove one of the two"),
            "{err}"
        );
        assert!(path.exists(), "the plain file stays");
    }
}
