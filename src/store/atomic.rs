//! Atomic file writes: temp file in the same folder, fsync, rename, fsync the folder.

use std::path::Path;

use color_eyre::eyre::Result;

/// Writes `contents` to `path` atomically. With `overwrite` false, an existing file is
/// never replaced and the call fails instead.
pub fn write_atomic(path: &Path, contents: &[u8], overwrite: bool) -> Result<()> {
    let _ = (path, contents, overwrite);
    todo!("atomic write")
}
