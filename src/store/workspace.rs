//! Finding, opening and creating workspaces.

use std::path::{Path, PathBuf};

use color_eyre::eyre::Result;

use super::{Config, History, ResolvedSide};
use crate::model::Snapshot;

/// The snapshot folder's name at a workspace's root.
pub const SNAPSHOTS_DIR: &str = "snapshots";

/// An opened workspace: on disk, or the embedded demo.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The workspace folder; `None` for the embedded demo.
    pub root: Option<PathBuf>,
    /// Its configuration.
    pub config: Config,
    /// Its snapshot history.
    pub history: History,
}

impl Workspace {
    /// Walks up from `start` to the first folder holding `driftscope.toml`.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let _ = start;
        todo!("discover")
    }

    /// Opens the workspace at `root`: reads its config and indexes its history.
    pub fn open(root: &Path) -> Result<Workspace> {
        let _ = root;
        todo!("open")
    }

    /// The embedded demo workspace.
    pub fn demo() -> Workspace {
        todo!("demo")
    }

    /// Creates a workspace in `dir`: a commented `driftscope.toml` and `snapshots/`.
    pub fn init(dir: &Path) -> Result<PathBuf> {
        let _ = dir;
        todo!("init")
    }

    /// A short name for headers: the folder's name, or `demo`.
    pub fn name(&self) -> String {
        todo!("name")
    }

    /// Loads the snapshot behind a history entry.
    pub fn load(&self, meta: &super::SnapshotMeta) -> Result<Snapshot> {
        let _ = meta;
        todo!("load")
    }

    /// Resolves `ENV`, `ENV@TIME` or a snapshot file path to one comparison side.
    pub fn resolve(&self, reference: &str) -> Result<ResolvedSide> {
        let _ = reference;
        todo!("resolve")
    }

    /// Stores a new snapshot in the history (atomically, never overwriting).
    pub fn store_snapshot(&mut self, snapshot: &Snapshot) -> Result<PathBuf> {
        let _ = snapshot;
        todo!("store")
    }
}
