//! Atomic file writes: temp file in the same folder, fsync, rename, fsync the folder.
//!
//! A reader sees either the old file or the complete new one, never a half-written file;
//! after a failure the temp file is gone and an existing target is untouched.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use color_eyre::eyre::{Report, Result, eyre};

/// Why an atomic write failed.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// The target exists and overwriting was not allowed.
    Exists,
    /// Any other failure, described in one line naming the file.
    Failed(Report),
}

/// Writes `contents` to `path` atomically. With `overwrite` false, an existing file is
/// never replaced and the call fails instead.
pub fn write_atomic(path: &Path, contents: &[u8], overwrite: bool) -> Result<()> {
    write_atomic_checked(path, contents, overwrite).map_err(|err| match err {
        WriteError::Exists => eyre!("{}: already exists; not overwriting it", path.display()),
        WriteError::Failed(report) => report,
    })
}

/// [`write_atomic`], telling an existing target apart from other failures.
pub(crate) fn write_atomic_checked(
    path: &Path,
    contents: &[u8],
    overwrite: bool,
) -> Result<(), WriteError> {
    let failed =
        |what: &str, err: io::Error| WriteError::Failed(eyre!("{}: {what}: {err}", path.display()));
    let file_name = path
        .file_name()
        .ok_or_else(|| WriteError::Failed(eyre!("{}: not a file path", path.display())))?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !overwrite && path.symlink_metadata().is_ok() {
        return Err(WriteError::Exists);
    }

    // A hidden name ending in `.tmp`, so a leftover from a crash is never taken for data.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // Temporary files are private by default; the result should be as readable as
        // the file it replaces, or as an ordinary new file (these are shared in git).
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| failed("cannot create a temporary file beside it", e))?;
    // From here on, dropping `temp` on an early return deletes the temporary file.
    temp.write_all(contents)
        .map_err(|e| failed("cannot write", e))?;
    temp.as_file()
        .sync_all()
        .map_err(|e| failed("cannot flush to disk", e))?;

    let persisted = if overwrite {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    if let Err(err) = persisted {
        // `err.file` is the temporary file; dropping it removes it.
        let exists = err.error.kind() == io::ErrorKind::AlreadyExists;
        drop(err.file);
        return Err(if exists && !overwrite {
            WriteError::Exists
        } else {
            failed("cannot move into place", err.error)
        });
    }
    sync_dir(dir).map_err(|e| failed("written, but its folder could not be flushed", e))
}

/// Flushes a folder's entries (the rename) to disk where the platform supports it.
fn sync_dir(dir: &Path) -> io::Result<()> {
    if cfg!(unix) {
        match File::open(dir).and_then(|d| d.sync_all()) {
            // Some file systems cannot sync a folder; the rename itself has happened.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
                ) =>
            {
                Ok(())
            }
            other => other,
        }
    } else {
        Ok(())
    }
}
