//! Choosing the workspace a command works on: `--workspace`, `--demo`, or the nearest
//! workspace above the current folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, bail};

use super::warn;
use crate::store::Workspace;

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceChoice {
    /// `--workspace DIR`.
    pub dir: Option<PathBuf>,
    /// `--demo`.
    pub demo: bool,
}

/// Where the chosen workspace lives, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Dir(PathBuf),
    Demo,
    Nothing,
}

fn find(choice: &WorkspaceChoice, cwd: &Path) -> Found {
    if let Some(dir) = &choice.dir {
        return Found::Dir(dir.clone());
    }
    if choice.demo {
        return Found::Demo;
    }
    match Workspace::discover(cwd) {
        Some(root) => Found::Dir(root),
        None => Found::Nothing,
    }
}

/// Opens the chosen workspace: `--workspace DIR`, else the demo with `--demo`, else the
/// nearest one above `cwd`. Snapshot files it could not read are reported on `err` as
/// warnings; the rest of the workspace stays usable.
pub fn open_workspace(
    choice: &WorkspaceChoice,
    cwd: &Path,
    err: &mut dyn Write,
) -> Result<Workspace> {
    let workspace = match find(choice, cwd) {
        Found::Dir(root) => Workspace::open(&root)?,
        Found::Demo => crate::demo::workspace(),
        Found::Nothing => bail!(
            "no driftscope workspace in {} or its parents — run `driftscope init` to create one, \
             or add --demo to explore the embedded demo",
            cwd.display()
        ),
    };
    for problem in &workspace.history.problems {
        warn(err, problem);
    }
    Ok(workspace)
}

/// Like [`open_workspace`], but falls back to the embedded demo when no workspace is
/// found: what the interactive explorer opens with no options.
pub fn open_workspace_or_demo(
    choice: &WorkspaceChoice,
    cwd: &Path,
    err: &mut dyn Write,
) -> Result<Workspace> {
    if find(choice, cwd) == Found::Nothing {
        return Ok(crate::demo::workspace());
    }
    open_workspace(choice, cwd, err)
}
