//! Snapshot files on disk: which names are snapshots, and their bytes, whether the file
//! is plain (`.json`) or compressed (`.json.zst`, `.json.gz`).
//!
//! Every reader of a snapshot file (indexing, loading, one fact's history, folders and
//! files opened without a workspace) goes through [`read_snapshot_bytes`], so a
//! compressed snapshot reads exactly as the plain file it was made from.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::input::DATA_LIMIT;

/// How a snapshot file's bytes are stored, told by the end of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// `NAME.json`: the document itself.
    Plain,
    /// `NAME.json.zst`: Zstandard.
    Zstd,
    /// `NAME.json.gz`: gzip.
    Gzip,
}

impl Compression {
    /// The compression of a file named `name`, or `None` when the name is not a
    /// snapshot file's.
    pub fn of_name(name: &str) -> Option<Compression> {
        if name.ends_with(".json") {
            Some(Compression::Plain)
        } else if name.ends_with(".json.zst") {
            Some(Compression::Zstd)
        } else if name.ends_with(".json.gz") {
            Some(Compression::Gzip)
        } else {
            None
        }
    }

    /// The suffix this compression adds after `.json` (empty for plain files).
    pub fn suffix(self) -> &'static str {
        match self {
            Compression::Plain => "",
            Compression::Zstd => ".zst",
            Compression::Gzip => ".gz",
        }
    }
}

/// True when `path` is named like a snapshot file (`.json`, `.json.zst`, `.json.gz`).
pub fn is_snapshot_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(Compression::of_name)
        .is_some()
}

/// The plain name a compressed snapshot file was made from (`X.json.zst` → `X.json`);
/// the path itself for a plain file.
pub fn plain_path(path: &Path) -> PathBuf {
    let text = path.to_string_lossy();
    for suffix in [".zst", ".gz"] {
        if let Some(stripped) = text.strip_suffix(suffix)
            && stripped.ends_with(".json")
        {
            return PathBuf::from(stripped);
        }
    }
    path.to_path_buf()
}

/// The document bytes of the snapshot file at `path`, decompressed when its name says
/// it is compressed; never more than the data limit, compressed or not.
///
/// Errors are `io::Error`s without the file's name, as [`crate::input::read`] gives them.
pub fn read_snapshot_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match Compression::of_name(name) {
        Some(Compression::Zstd) => {
            let file = crate::input::open(path, DATA_LIMIT)?;
            let decoder = zstd::stream::read::Decoder::new(file)?;
            read_limited(decoder, "Zstandard")
        }
        Some(Compression::Gzip) => {
            let file = crate::input::open(path, DATA_LIMIT)?;
            read_limited(flate2::read::GzDecoder::new(file), "gzip")
        }
        _ => crate::input::read(path, DATA_LIMIT),
    }
}

/// The document of the snapshot file at `path` as text (see [`read_snapshot_bytes`]),
/// failing when it is not UTF-8.
pub fn read_snapshot_text(path: &Path) -> io::Result<String> {
    crate::input::utf8_text(read_snapshot_bytes(path)?)
}

/// Reads a decoder to its end, within the data limit.
fn read_limited(decoder: impl Read, format: &str) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    decoder
        .take(DATA_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not valid {format} data: {e}"),
            )
        })?;
    if bytes.len() as u64 > DATA_LIMIT {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "decompresses to more than the {} MiB driftscope reads from a snapshot",
                DATA_LIMIT / (1024 * 1024)
            ),
        ));
    }
    Ok(bytes)
}

/// `bytes` compressed with Zstandard at `level` (3 is a good default).
pub fn zstd_compress(bytes: &[u8], level: i32) -> io::Result<Vec<u8>> {
    zstd::bulk::compress(bytes, level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const DOC: &str = "{\"format\": \"driftscope-snapshot\"}\n";

    #[test]
    fn names_tell_the_compression() {
        assert_eq!(Compression::of_name("a.json"), Some(Compression::Plain));
        assert_eq!(Compression::of_name("a.json.zst"), Some(Compression::Zstd));
        assert_eq!(Compression::of_name("a.json.gz"), Some(Compression::Gzip));
        assert_eq!(Compression::of_name("a.zst"), None);
        assert_eq!(Compression::of_name("a.json.bak"), None);
        assert_eq!(
            plain_path(Path::new("s/2026-11-20T09-30-00Z.json.zst")),
            Path::new("s/2026-11-20T09-30-00Z.json")
        );
        assert_eq!(plain_path(Path::new("s/a.json")), Path::new("s/a.json"));
        assert_eq!(plain_path(Path::new("s/a.zst")), Path::new("s/a.zst"));
    }

    #[test]
    fn compressed_files_read_as_the_plain_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.json");
        std::fs::write(&plain, DOC).unwrap();
        let zst = dir.path().join("b.json.zst");
        std::fs::write(&zst, zstd_compress(DOC.as_bytes(), 3).unwrap()).unwrap();
        let gz = dir.path().join("c.json.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(DOC.as_bytes()).unwrap();
        std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
        for path in [&plain, &zst, &gz] {
            assert_eq!(
                read_snapshot_bytes(path).unwrap(),
                DOC.as_bytes(),
                "{path:?}"
            );
            assert_eq!(read_snapshot_text(path).unwrap(), DOC, "{path:?}");
        }
    }

    #[test]
    fn corrupt_compressed_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let zst = dir.path().join("a.json.zst");
        std::fs::write(&zst, DOC).unwrap();
        let err = read_snapshot_bytes(&zst).unwrap_err();
        assert!(
            err.to_string().starts_with("not valid Zstandard data"),
            "{err}"
        );
        let gz = dir.path().join("a.json.gz");
        std::fs::write(&gz, DOC).unwrap();
        let err = read_snapshot_bytes(&gz).unwrap_err();
        assert!(err.to_string().starts_with("not valid gzip data"), "{err}");
    }
}
