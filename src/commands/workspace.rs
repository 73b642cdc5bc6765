//! Choosing the workspace a command works on: `--workspace`, `--demo`, or the nearest
//! workspace above the current folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, bail};

use super::warn;
use crate::store::{SideRef, Workspace, detached};

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

/// The workspace a comparison of `references` runs in: the chosen one, as
/// [`open_workspace`] finds it; or, when there is none and every reference is a
/// snapshot file, no workspace at all, which a `note:` line on `err` says (the files are
/// then compared as they are, without ignore rules or annotations).
pub fn open_for_comparison(
    choice: &WorkspaceChoice,
    cwd: &Path,
    references: &[SideRef],
    err: &mut dyn Write,
) -> Result<Workspace> {
    let all_files = !references.is_empty()
        && references
            .iter()
            .all(|side| matches!(side, SideRef::File(_)));
    if all_files && find(choice, cwd) == Found::Nothing {
        // A note that cannot be written has nowhere else to go.
        let _ = writeln!(
            err,
            "note: no driftscope workspace here: the files are compared as they are, \
             without ignore rules or annotations"
        );
        return Ok(detached::for_files());
    }
    open_workspace(choice, cwd, err)
}

/// What the explorer opens for paths named on the command line: one folder (a
/// workspace when it holds `driftscope.toml`, else a read-only history of the snapshot
/// files in it), or snapshot files, each one side, the first the baseline.
pub fn open_paths(paths: &[PathBuf], err: &mut dyn Write) -> Result<Workspace> {
    for path in paths {
        if !path.exists() {
            bail!(
                "'{}' is neither a command nor a snapshot file or folder; see `driftscope --help`",
                path.display()
            );
        }
    }
    let workspace = match paths {
        [dir] if dir.is_dir() => {
            if dir.join(crate::config::CONFIG_FILE).is_file() {
                Workspace::open(dir)?
            } else {
                detached::open_folder(dir)?
            }
        }
        _ => {
            if let Some(dir) = paths.iter().find(|p| p.is_dir()) {
                bail!(
                    "{}: a folder; open one folder alone, or name snapshot files",
                    dir.display()
                );
            }
            detached::open_files(paths)?
        }
    };
    for problem in &workspace.history.problems {
        warn(err, problem);
    }
    Ok(workspace)
}
