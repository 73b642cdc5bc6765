//! Finding, opening and creating workspaces.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use super::atomic::{WriteError, write_atomic, write_atomic_checked};
use super::history::load_snapshot_named;
use super::index::index_snapshots_cached;
use super::index_cache::cache_path;
use super::paths::{display_path, snapshot_path};
use super::refs::compact_time;
use super::snapshot_file::Compression;
use super::{History, Location, ResolvedSide, SideRef, SnapshotMeta};
use crate::config::{CONFIG_FILE, CONFIG_TEMPLATE, Config};
use crate::model::{
    Annotation, FORMAT_ID, FORMAT_VERSION, OLDEST_FORMAT_VERSION, Snapshot, is_readable_version,
};

/// The snapshot folder's name at a workspace's root.
pub const SNAPSHOTS_DIR: &str = "snapshots";

/// How many snapshots of one host in the same second are kept (`-2` … `-N` suffixes).
const MAX_SAME_SECOND: u32 = 1000;

/// The `.gitignore` a new workspace starts with.
const GITIGNORE: &str = "# Temporary files of interrupted saves; driftscope removes them.\n.*.tmp\n\
     # Local to this machine (workspace key, index cache): never commit.\n/.driftscope/\n";

/// The age past which a temporary file in a snapshot folder is a crashed run's leftover.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// An opened workspace: on disk, or the embedded demo.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace folder; `None` for the embedded demo.
    pub root: Option<PathBuf>,
    /// Its configuration.
    pub config: Config,
    /// Its snapshot history.
    pub history: History,
    /// The demo's snapshots, which [`Location::Embedded`] indexes.
    embedded: Embedded,
    /// The demo's built-in annotations (none for a workspace on disk, whose annotations
    /// are read from its file by [`Workspace::annotations`]).
    pub(super) embedded_annotations: Arc<Vec<Annotation>>,
    /// The name of a workspace of snapshot files opened without a workspace folder;
    /// `None` for a workspace folder and for the demo.
    pub(super) label: Option<String>,
    /// Environments to compare first, in order, the first being the baseline (snapshot
    /// files named on the command line); empty when the explorer chooses.
    pub sides: Vec<String>,
}

/// Snapshots held in memory; shown by count only, as they can be large.
#[derive(Clone, Default)]
struct Embedded(Arc<Vec<Snapshot>>);

impl fmt::Debug for Embedded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} embedded snapshots", self.0.len())
    }
}

impl Workspace {
    /// Walks up from `start` to the first folder holding `driftscope.toml`.
    ///
    /// A relative `start` is taken from the current folder, so `.` walks up too.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        start
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
            .map(Path::to_path_buf)
    }

    /// Opens the workspace at `root`: reads its config and indexes its history.
    ///
    /// Snapshot files that cannot be read do not fail the call: each becomes a line in
    /// [`History::problems`].
    pub fn open(root: &Path) -> Result<Workspace> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let config = Config::load(&root.join(CONFIG_FILE))?;
        let snapshots = root.join(SNAPSHOTS_DIR);
        let history = if snapshots.is_dir() {
            index_snapshots_cached(&root, &snapshots, &cache_path(&root)).0
        } else {
            History::default()
        };
        Ok(Workspace {
            root: Some(root),
            config,
            history,
            embedded: Embedded::default(),
            embedded_annotations: Arc::default(),
            label: None,
            sides: Vec::new(),
        })
    }

    /// A read-only workspace held in memory, such as the embedded demo: `snapshots`
    /// make its history, `annotations` are its built-in annotations, and `problems` are
    /// listed in [`History::problems`] (a configuration that did not parse, say).
    pub fn in_memory(
        config: Config,
        snapshots: Vec<Snapshot>,
        annotations: Vec<Annotation>,
        problems: Vec<String>,
    ) -> Workspace {
        let mut history = History {
            entries: snapshots
                .iter()
                .enumerate()
                .map(|(i, snapshot)| SnapshotMeta::of(snapshot, Location::Embedded(i)))
                .collect(),
            problems,
        };
        history.sort();
        Workspace {
            root: None,
            config,
            history,
            embedded: Embedded(Arc::new(snapshots)),
            embedded_annotations: Arc::new(annotations),
            label: None,
            sides: Vec::new(),
        }
    }

    /// A read-only workspace of snapshot files, without a workspace folder: no
    /// configuration, so no ignore rules, and no annotations. `label` names it in
    /// headers; see [`super::detached`] for how files and folders become one.
    pub(super) fn detached_with(
        label: String,
        history: History,
        snapshots: Vec<Snapshot>,
        sides: Vec<String>,
    ) -> Workspace {
        let mut workspace =
            Workspace::in_memory(Config::default(), snapshots, Vec::new(), Vec::new());
        if !history.entries.is_empty() || !history.problems.is_empty() {
            workspace.history = history;
        }
        workspace.label = Some(label);
        workspace.sides = sides;
        workspace
    }

    /// Creates a workspace in `dir`: a commented `driftscope.toml` and `snapshots/`.
    ///
    /// Refuses when `dir` already holds a `driftscope.toml`. Returns the config's path.
    pub fn init(dir: &Path) -> Result<PathBuf> {
        let config_path = dir.join(CONFIG_FILE);
        if config_path.exists() {
            return Err(eyre!(
                "{}: already exists; this folder is already a driftscope workspace",
                config_path.display()
            ));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| eyre!("{}: cannot create the folder: {e}", dir.display()))?;
        let snapshots = dir.join(SNAPSHOTS_DIR);
        std::fs::create_dir_all(&snapshots)
            .map_err(|e| eyre!("{}: cannot create the folder: {e}", snapshots.display()))?;
        let keep = snapshots.join(".gitkeep");
        if !keep.exists() {
            write_atomic(&keep, b"", false)?;
        }
        // Interrupted saves can leave `.NAME.*.tmp` files; later saves remove them, and
        // git never offers them for a commit meanwhile.
        extend_gitignore(&dir.join(".gitignore"))?;
        write_atomic(&config_path, CONFIG_TEMPLATE.as_bytes(), false)?;
        Ok(config_path)
    }

    /// A short name for headers: the folder's name, the snapshot files' label, or `demo`.
    pub fn name(&self) -> String {
        if let Some(label) = &self.label {
            return label.clone();
        }
        match &self.root {
            Some(root) => root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => "demo".to_string(),
        }
    }

    /// True for the embedded demo, which cannot be written to.
    pub fn is_demo(&self) -> bool {
        self.root.is_none() && self.label.is_none()
    }

    /// True when nothing can be written: the demo, or snapshot files opened without a
    /// workspace folder.
    pub fn is_read_only(&self) -> bool {
        self.root.is_none()
    }

    /// True for snapshot files opened without a workspace folder (no ignore rules, no
    /// annotations).
    pub fn is_detached(&self) -> bool {
        self.label.is_some()
    }

    /// Loads the snapshot behind a history entry.
    pub fn load(&self, meta: &SnapshotMeta) -> Result<Snapshot> {
        match &meta.location {
            Location::File(path) => self.load_file(path),
            Location::Embedded(i) => self.embedded.0.get(*i).cloned().ok_or_else(|| {
                eyre!(
                    "demo snapshot #{i} of {}/{} does not exist",
                    meta.environment,
                    meta.host
                )
            }),
        }
    }

    /// Loads a snapshot file; errors name it relative to the workspace when inside it.
    pub fn load_file(&self, path: &Path) -> Result<Snapshot> {
        load_snapshot_named(path, &display_path(self.root.as_deref(), path))
    }

    /// Resolves a reference as typed (see [`SideRef::parse`]) to one comparison side.
    pub fn resolve(&self, reference: &str) -> Result<ResolvedSide> {
        self.resolve_at(reference, Utc::now())
    }

    /// [`Workspace::resolve`] with relative times (`-2d`) counted back from `now`.
    pub fn resolve_at(&self, reference: &str, now: DateTime<Utc>) -> Result<ResolvedSide> {
        self.resolve_side(&SideRef::parse(reference, now)?)
    }

    /// The snapshots of `env` at `time`, or an error saying why there are none.
    pub(super) fn pick(
        &self,
        env: &str,
        time: Option<DateTime<Utc>>,
    ) -> Result<Vec<&SnapshotMeta>> {
        let configured = self.config.environments.contains_key(env);
        let Some(oldest) = self.history.oldest(env) else {
            if configured {
                return Err(eyre!(
                    "environment '{env}' has no snapshots yet; run `driftscope snapshot {env}`"
                ));
            }
            return Err(eyre!(
                "unknown environment '{env}' ({})",
                self.known_environments()
            ));
        };
        let picked = self.history.latest(env, time);
        if picked.is_empty() {
            let at = time.map_or_else(String::new, compact_time);
            return Err(eyre!(
                "no snapshot of '{env}' at or before {at}; the oldest is from {}",
                compact_time(oldest.taken_at)
            ));
        }
        Ok(picked)
    }

    /// `known: dev, prod` or a hint when there are none.
    fn known_environments(&self) -> String {
        let mut names: Vec<String> = self.config.environments.keys().cloned().collect();
        names.extend(self.history.environments());
        names.sort();
        names.dedup();
        if names.is_empty() {
            format!("none are configured; add one to {CONFIG_FILE}")
        } else {
            format!("known: {}", names.join(", "))
        }
    }

    /// Stores a new snapshot in the history (atomically, never overwriting).
    ///
    /// The file is `snapshots/<env>/<host>/<time>.json`; a second snapshot of the same
    /// host in the same second gets a `-2` suffix, a third `-3`, and so on.
    pub fn store_snapshot(&mut self, snapshot: &Snapshot) -> Result<PathBuf> {
        let Some(root) = self.root.clone() else {
            return Err(eyre!("the demo workspace is read-only"));
        };
        check_storable(snapshot)?;
        let snapshots_dir = root.join(SNAPSHOTS_DIR);
        let path_for = |sequence| {
            snapshot_path(
                &snapshots_dir,
                &snapshot.environment,
                &snapshot.host,
                snapshot.taken_at,
                sequence,
            )
        };
        let first = path_for(1);
        let folder = first.parent().unwrap_or(&snapshots_dir);
        std::fs::create_dir_all(folder).map_err(|e| {
            eyre!(
                "{}: cannot create the folder: {e}",
                display_path(Some(&root), folder)
            )
        })?;
        // Snapshot writes take a moment; a temporary file this old was left by a killed run.
        super::save_lock::remove_leftover_temps(folder, ".", LEFTOVER_AGE);
        let text = snapshot.to_json();
        for sequence in 1..=MAX_SAME_SECOND {
            let path = path_for(sequence);
            // A compressed file of that name holds an older snapshot of the same second.
            if has_compressed_copy(&path) {
                continue;
            }
            match write_atomic_checked(&path, text.as_bytes(), false) {
                Ok(()) => {
                    self.history
                        .insert(SnapshotMeta::of(snapshot, Location::File(path.clone())));
                    return Ok(path);
                }
                Err(WriteError::Exists) => continue,
                Err(WriteError::Failed(report)) => return Err(report),
            }
        }
        Err(eyre!(
            "{}: already holds {MAX_SAME_SECOND} snapshots taken at {}",
            display_path(Some(&root), folder),
            compact_time(snapshot.taken_at)
        ))
    }
}

/// Writes the workspace's `.gitignore`, or adds the lines it lacks to an existing one.
fn extend_gitignore(path: &Path) -> Result<()> {
    let existing = match crate::input::read_to_string(path, crate::input::SETTINGS_LIMIT) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return write_atomic(path, GITIGNORE.as_bytes(), false);
        }
        Err(e) => return Err(eyre!("{}: cannot read: {e}", path.display())),
    };
    let present: Vec<&str> = existing.lines().map(str::trim).collect();
    let mut text = existing.clone();
    for line in GITIGNORE.lines() {
        if line.starts_with('#') || present.contains(&line) {
            continue;
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(line);
        text.push('\n');
    }
    if text != existing {
        write_atomic(path, text.as_bytes(), true)?;
    }
    Ok(())
}

/// True when `path` (a plain snapshot file's) exists compressed.
fn has_compressed_copy(path: &Path) -> bool {
    [Compression::Zstd, Compression::Gzip].into_iter().any(|c| {
        let mut name = path.as_os_str().to_os_string();
        name.push(c.suffix());
        Path::new(&name).symlink_metadata().is_ok()
    })
}

/// Refuses snapshots that could not be read back or filed.
fn check_storable(snapshot: &Snapshot) -> Result<()> {
    if snapshot.format != FORMAT_ID || !is_readable_version(u64::from(snapshot.version)) {
        return Err(eyre!(
            "snapshot of {}/{} has format '{}' version {}; only '{FORMAT_ID}' versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION} are stored",
            snapshot.environment,
            snapshot.host,
            snapshot.format,
            snapshot.version
        ));
    }
    if snapshot.environment.is_empty() || snapshot.host.is_empty() {
        return Err(eyre!(
            "snapshot has an empty environment or host name ('{}'/'{}')",
            snapshot.environment,
            snapshot.host
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    /// A workspace shaped like the demo (no folder), with one embedded snapshot.
    fn in_memory() -> Workspace {
        let t = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 20, 9, 30, 0).unwrap();
        let snapshot = Snapshot::new("prod", "web-1", t, Source::Demo);
        let mut history = History {
            entries: vec![SnapshotMeta::of(&snapshot, Location::Embedded(0))],
            problems: Vec::new(),
        };
        history.sort();
        Workspace {
            root: None,
            config: Config::default(),
            history,
            embedded: Embedded(Arc::new(vec![snapshot])),
            embedded_annotations: Arc::default(),
            label: None,
            sides: Vec::new(),
        }
    }

    #[test]
    fn the_demo_is_read_only_and_named_demo() {
        let mut ws = in_memory();
        let snapshot = ws.load(&ws.history.entries[0].clone()).unwrap();
        let err = ws.store_snapshot(&snapshot).unwrap_err().to_string();
        assert_eq!(err, "the demo workspace is read-only");
        assert_eq!(ws.history.entries.len(), 1);
        assert_eq!(ws.name(), "demo");
        assert!(ws.is_demo());
    }

    #[test]
    fn embedded_snapshots_resolve_like_files() {
        let ws = in_memory();
        let side = ws.resolve("prod@2026-11-20").unwrap();
        assert_eq!(side.label, "prod@2026-11-20");
        assert_eq!(side.snapshots[0].host, "web-1");
        let err = format!("{:#}", ws.resolve("prod@2026-11-19").unwrap_err());
        assert!(
            err.contains("the oldest is from 2026-11-20T09:30Z"),
            "{err}"
        );
    }
}
