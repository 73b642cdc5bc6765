//! Reading the files driftscope is given, within bounds: regular files only, up to a size
//! limit, so a symbolic link to `/dev/zero`, a FIFO or a huge file becomes a clear error
//! instead of unbounded memory or a read that never ends.
//!
//! Every file driftscope reads — configuration, snapshots, annotations, imports, keymap,
//! themes, the workspace key — goes through [`read`] or [`read_to_string`]. Errors are
//! `io::Error`s so callers keep telling a missing file apart (`NotFound`).

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The most driftscope reads from a data file: a snapshot, an import, another tool's output.
pub const DATA_LIMIT: u64 = 256 * 1024 * 1024;
/// The most driftscope reads from a settings file: `driftscope.toml`, the annotations file,
/// a keymap, a theme, the SSH client configuration.
pub const SETTINGS_LIMIT: u64 = 16 * 1024 * 1024;

/// The bytes of the regular file at `path` (symbolic links followed), failing when it is
/// anything else or larger than `limit` bytes.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut file = open(path, limit)?;
    // Sized for the whole file up front: no regrowing (and copying) on the way.
    let expected = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0) + 1);
    // The file may grow after the check: never read more than the limit allows.
    file.by_ref().take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// The text of the regular file at `path`, as [`read`] and failing when it is not UTF-8.
pub fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    utf8_text(read(path, limit)?)
}

/// `bytes` as text, failing with the line of the first byte that is not UTF-8.
pub fn utf8_text(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (line {line})"),
        )
    })
}

/// Opens `path` for reading once it is known to be a regular file within `limit`.
pub fn open(path: &Path, limit: u64) -> io::Result<File> {
    // `stat` first: opening a FIFO would block until a writer comes.
    check(&std::fs::metadata(path)?, limit)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path change into a FIFO between the check and the open, the open
        // must still not block; the check below then refuses it.
        use std::os::unix::fs::OpenOptionsExt;
        // The flag's bits fit an `i32` on every platform (it is a C `int`).
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    check(&file.metadata()?, limit)?;
    Ok(file)
}

fn check(meta: &std::fs::Metadata, limit: u64) -> io::Result<()> {
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "not a regular file (it is {}); driftscope reads only regular files",
                kind_of(meta)
            ),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    Ok(())
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "larger than the {} MiB driftscope reads from such a file",
            limit / (1024 * 1024)
        ),
    )
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a plain file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "hello").unwrap();
        assert_eq!(read(&path, 5).unwrap(), b"hello");
        assert_eq!(read_to_string(&path, 100).unwrap(), "hello");
    }

    #[test]
    fn files_over_the_limit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "hello!").unwrap();
        let err = read(&path, 5).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let err = read(&zero, DATA_LIMIT).unwrap_err();
        assert!(err.to_string().contains("a device"), "{err}");

        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read(&fifo, DATA_LIMIT).unwrap_err();
        assert!(err.to_string().contains("a FIFO"), "{err}");

        let err = read(dir.path(), DATA_LIMIT).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
    }

    #[test]
    fn missing_files_stay_not_found() {
        let err = read(Path::new("/no/such/file"), 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn text_that_is_not_utf8_names_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"a\nb\n\xff").unwrap();
        let err = read_to_string(&path, 100).unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
