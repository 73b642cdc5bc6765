//! Where snapshots live on disk: safe folder names and time-stamped file names.
//!
//! `snapshots/<environment>/<host>/<UTC time>[-N].json`, e.g.
//! `snapshots/prod/deploy@10.0.0.5%3A22/2026-11-20T09-30-00Z.json`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

/// Turns an environment or host name into one safe, readable path component.
///
/// ASCII letters, digits and `-`, `_`, `.`, `@`, `+` are kept; every other byte becomes
/// `%XX` (as in URLs), and so does a leading `.`. The mapping is one-to-one, so distinct
/// names never share a folder, and the result is never empty, `.`, `..` or hidden, and
/// never contains a separator.
pub fn path_component(name: &str) -> String {
    if name.is_empty() {
        return "%".to_string();
    }
    let mut out = String::with_capacity(name.len());
    for (i, byte) in name.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'@' | b'+')
            || (byte == b'.' && i > 0);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The file name for a snapshot taken at `taken_at`: `2026-11-20T09-30-00Z.json`, or with
/// a `-N` suffix (`…Z-2.json`) for the N-th snapshot of the same second.
pub fn snapshot_file_name(taken_at: DateTime<Utc>, sequence: u32) -> String {
    let stamp = taken_at.format("%Y-%m-%dT%H-%M-%SZ");
    if sequence <= 1 {
        format!("{stamp}.json")
    } else {
        format!("{stamp}-{sequence}.json")
    }
}

/// The path of a snapshot file under the snapshots folder.
pub fn snapshot_path(
    snapshots_dir: &Path,
    environment: &str,
    host: &str,
    taken_at: DateTime<Utc>,
    sequence: u32,
) -> PathBuf {
    snapshots_dir
        .join(path_component(environment))
        .join(path_component(host))
        .join(snapshot_file_name(taken_at, sequence))
}

/// The `-N` suffix of a snapshot file name (1 when there is none), used to order
/// snapshots of the same second.
pub fn sequence_of(path: &Path) -> u32 {
    super::snapshot_file::plain_path(path)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .and_then(|stem| stem.rsplit_once("Z-"))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

/// `path` relative to `root` when it lies inside it, for messages; as given otherwise.
pub fn display_path(root: Option<&Path>, path: &Path) -> String {
    root.and_then(|root| path.strip_prefix(root).ok())
        .filter(|relative| !relative.as_os_str().is_empty())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn components_are_safe_readable_and_distinct() {
        assert_eq!(path_component("prod"), "prod");
        assert_eq!(path_component("web-1.example.com"), "web-1.example.com");
        assert_eq!(path_component("deploy@10.0.0.5:22"), "deploy@10.0.0.5%3A22");
        assert_eq!(path_component(".."), "%2E.");
        assert_eq!(path_component("."), "%2E");
        assert_eq!(path_component("a/b"), "a%2Fb");
        assert_eq!(path_component("a\\b"), "a%5Cb");
        assert_eq!(path_component("a%3Ab"), "a%253Ab");
        assert_ne!(path_component("a:b"), path_component("a_b"));
        assert_eq!(path_component("é"), "%C3%A9");
        assert_eq!(path_component(""), "%");
    }

    #[test]
    fn file_names_carry_time_and_sequence() {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        assert_eq!(snapshot_file_name(t, 1), "2026-11-20T09-30-00Z.json");
        assert_eq!(snapshot_file_name(t, 3), "2026-11-20T09-30-00Z-3.json");
        assert_eq!(sequence_of(Path::new("a/2026-11-20T09-30-00Z-3.json")), 3);
        assert_eq!(sequence_of(Path::new("a/2026-11-20T09-30-00Z.json")), 1);
        assert_eq!(
            sequence_of(Path::new("a/2026-11-20T09-30-00Z-3.json.zst")),
            3
        );
        assert_eq!(
            sequence_of(Path::new("a/2026-11-20T09-30-00Z-4.json.gz")),
            4
        );
        assert_eq!(sequence_of(Path::new("a/custom-name.json")), 1);
    }

    #[test]
    fn display_is_relative_inside_the_root() {
        let root = Path::new("/ws");
        assert_eq!(
            display_path(Some(root), Path::new("/ws/snapshots/a.json")),
            Path::new("snapshots/a.json").display().to_string()
        );
        assert_eq!(display_path(Some(root), Path::new("/x.json")), "/x.json");
        assert_eq!(display_path(None, Path::new("x.json")), "x.json");
    }
}
