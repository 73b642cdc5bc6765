//! Snapshot files opened without a workspace folder: files named on the command line,
//! each one side of the comparison, or a folder of snapshots read as a read-only
//! history. Neither has a configuration (so no ignore rules) nor annotations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, eyre};

use super::history::load_snapshot_named;
use super::index::index_snapshots;
use super::{History, Workspace};
use crate::config::check_environment_name;
use crate::model::Snapshot;

/// An empty read-only workspace for comparing snapshot files named by path, where no
/// workspace folder is found.
pub fn for_files() -> Workspace {
    Workspace::detached_with(
        "snapshot files".to_string(),
        History::default(),
        Vec::new(),
        Vec::new(),
    )
}

/// A read-only workspace of the snapshot files at `paths`, each one side of the
/// comparison, the first being the baseline ([`Workspace::sides`]).
///
/// Each file keeps its environment's name unless another file names the same
/// environment; such files are named after the file instead (`prod-monday.json` reads
/// as `prod-monday`), so every file stays a side of its own.
pub fn open_files(paths: &[PathBuf]) -> Result<Workspace> {
    if paths.is_empty() {
        return Err(eyre!("name at least one snapshot file"));
    }
    let mut snapshots = Vec::with_capacity(paths.len());
    for path in paths {
        snapshots.push(load_snapshot_named(path, &path.display().to_string())?);
    }
    let names = side_names(paths, &snapshots);
    for (snapshot, name) in snapshots.iter_mut().zip(&names) {
        snapshot.environment.clone_from(name);
    }
    let label = match paths {
        [_, _, _, _, ..] => format!("{} snapshot files", paths.len()),
        _ => paths
            .iter()
            .map(|p| file_name(p))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let mut sides = Vec::new();
    for name in names {
        if !sides.contains(&name) {
            sides.push(name);
        }
    }
    Ok(Workspace::detached_with(
        label,
        History::default(),
        snapshots,
        sides,
    ))
}

/// A read-only workspace of every snapshot file under `dir` (at any depth), grouped by
/// the environment and host each file names, as a workspace's history is. Files that
/// cannot be read are listed as problems; a folder without any snapshot is an error.
pub fn open_folder(dir: &Path) -> Result<Workspace> {
    if !dir.is_dir() {
        return Err(eyre!("{}: not a folder", dir.display()));
    }
    let history = index_snapshots(None, dir);
    if history.entries.is_empty() {
        let why = history
            .problems
            .first()
            .map_or_else(String::new, |first| format!(" (first problem: {first})"));
        return Err(eyre!(
            "{}: holds no readable snapshot file (*.json){why}",
            dir.display()
        ));
    }
    Ok(Workspace::detached_with(
        file_name(dir),
        history,
        Vec::new(),
        Vec::new(),
    ))
}

/// Each file's environment name: the snapshot's own when unique among the files, else
/// one made from the file's name, distinct from every other.
fn side_names(paths: &[PathBuf], snapshots: &[Snapshot]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for snapshot in snapshots {
        *counts.entry(snapshot.environment.as_str()).or_default() += 1;
    }
    let mut taken: BTreeSet<String> = counts
        .iter()
        .filter(|(_, n)| **n == 1)
        .map(|(name, _)| (*name).to_string())
        .collect();
    paths
        .iter()
        .zip(snapshots)
        .map(|(path, snapshot)| {
            let own = snapshot.environment.as_str();
            if counts.get(own) == Some(&1) && check_environment_name(own).is_ok() {
                return own.to_string();
            }
            let base = stem_name(path);
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(name.clone());
            name
        })
        .collect()
}

/// A file's stem as an environment name: characters a name may not hold become `-`.
fn stem_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .map(|c| {
            if matches!(c, '@' | '/' | '\\') || c.is_whitespace() || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() {
        "file".to_string()
    } else {
        name
    }
}

/// The last component of a path, for labels.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use chrono::TimeZone;

    fn write(dir: &Path, name: &str, env: &str, host: &str, hour: u32) -> PathBuf {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 20, hour, 0, 0)
            .unwrap();
        let snapshot = Snapshot::new(env, host, t, Source::Demo);
        let path = dir.join(name);
        std::fs::write(&path, snapshot.to_json()).unwrap();
        path
    }

    #[test]
    fn files_keep_unique_environment_names_and_rename_shared_ones() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "prod monday.json", "prod", "web-1", 9);
        let b = write(dir.path(), "prod-tuesday.json", "prod", "web-1", 10);
        let c = write(dir.path(), "stg.json", "staging", "web-1", 10);
        let ws = open_files(&[a, b, c]).unwrap();
        assert_eq!(ws.sides, ["prod-monday", "prod-tuesday", "staging"]);
        assert_eq!(
            ws.history.environments(),
            ["prod-monday", "prod-tuesday", "staging"]
        );
        assert!(ws.is_read_only() && !ws.is_demo() && ws.is_detached());
        assert_eq!(ws.name(), "prod monday.json, prod-tuesday.json, stg.json");
        let side = ws.resolve("prod-tuesday").unwrap();
        assert_eq!(side.snapshots[0].host, "web-1");
    }

    #[test]
    fn a_folder_is_a_read_only_history_and_an_empty_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("old")).unwrap();
        write(&dir.path().join("old"), "a.json", "prod", "web-1", 9);
        write(dir.path(), "b.json", "prod", "web-1", 10);
        write(dir.path(), "c.json", "dev", "box", 10);
        let ws = open_folder(dir.path()).unwrap();
        assert_eq!(ws.history.environments(), ["dev", "prod"]);
        assert_eq!(ws.history.entries.len(), 3);
        assert!(ws.sides.is_empty() && ws.is_read_only() && !ws.is_demo());
        let empty = tempfile::tempdir().unwrap();
        let err = open_folder(empty.path()).unwrap_err().to_string();
        assert!(err.contains("holds no readable snapshot file"), "{err}");
    }
}
