//! The workspace key: 32 random bytes that key the fingerprints of secret values.
//!
//! Kept in `.driftscope/key` (mode 0600) inside the workspace, next to a `.gitignore`
//! that keeps the whole folder out of git. Snapshots never contain it. A team that wants
//! to compare secrets across machines shares this file out of band.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, WrapErr, eyre};

/// The folder, relative to the workspace root, that holds local-only files.
pub const LOCAL_DIR: &str = ".driftscope";
/// The key file's name inside [`LOCAL_DIR`].
pub const KEY_FILE: &str = "key";

/// The most read from a key file (a key is 65 bytes).
const KEY_FILE_LIMIT: u64 = 4096;

/// The length of a workspace key in bytes.
const KEY_LEN: usize = 32;

/// A workspace key. Its `Debug` form never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct WorkspaceKey([u8; KEY_LEN]);

impl std::fmt::Debug for WorkspaceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WorkspaceKey(..)")
    }
}

impl WorkspaceKey {
    /// A key from raw bytes (tests and callers holding a shared key).
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> WorkspaceKey {
        WorkspaceKey(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// A fresh random key.
    pub fn generate() -> Result<WorkspaceKey> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes).map_err(|e| eyre!("cannot get random bytes: {e}"))?;
        Ok(WorkspaceKey(bytes))
    }
}

/// The key file's path for the workspace at `root`.
pub fn key_path(root: &Path) -> PathBuf {
    root.join(LOCAL_DIR).join(KEY_FILE)
}

/// Reads the workspace key, creating it (and the git-ignored folder) when missing.
pub fn load_or_create(root: &Path) -> Result<WorkspaceKey> {
    let path = key_path(root);
    match crate::input::read_to_string(&path, KEY_FILE_LIMIT) {
        Ok(text) => parse_key(&text).wrap_err_with(|| format!("{}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(root, &path),
        Err(err) => Err(eyre!("{}: {err}", path.display())),
    }
}

fn parse_key(text: &str) -> Result<WorkspaceKey> {
    let bytes =
        hex::decode(text.trim()).map_err(|_| eyre!("the workspace key is not hexadecimal"))?;
    let bytes: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
        eyre!(
            "the workspace key must be {KEY_LEN} bytes ({} hex digits)",
            KEY_LEN * 2
        )
    })?;
    Ok(WorkspaceKey(bytes))
}

fn create(root: &Path, path: &Path) -> Result<WorkspaceKey> {
    let dir = root.join(LOCAL_DIR);
    fs::create_dir_all(&dir).wrap_err_with(|| format!("cannot create {}", dir.display()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "# Local to this machine: never commit.\n*\n")
            .wrap_err_with(|| format!("cannot write {}", ignore.display()))?;
    }
    let key = WorkspaceKey::generate()?;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(format!("{}\n", hex::encode(key.as_bytes())).as_bytes())
                .and_then(|()| file.sync_all())
                .wrap_err_with(|| format!("cannot write {}", path.display()))?;
            Ok(key)
        }
        // Another process created it first: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = crate::input::read_to_string(path, KEY_FILE_LIMIT)
                .wrap_err_with(|| format!("cannot read {}", path.display()))?;
            parse_key(&text).wrap_err_with(|| format!("{}", path.display()))
        }
        Err(err) => Err(eyre!("cannot create {}: {err}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_created_private_git_ignored_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(dir.path()).unwrap();
        let second = load_or_create(dir.path()).unwrap();
        assert_eq!(first, second);
        let ignore = fs::read_to_string(dir.path().join(".driftscope/.gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(key_path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(format!("{first:?}"), "WorkspaceKey(..)");
    }

    #[test]
    fn a_damaged_key_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(LOCAL_DIR)).unwrap();
        fs::write(key_path(dir.path()), "not hex").unwrap();
        let err = format!("{:#}", load_or_create(dir.path()).unwrap_err());
        assert!(err.contains(".driftscope/key"), "{err}");
        assert!(err.contains("hexadecimal"), "{err}");
    }
}
