//! `driftscope demo export DIR`: the embedded demo written out as a real, writable
//! workspace (configuration, snapshot history and annotations), to try justifying,
//! remediating and collecting on.

use std::io::Write;
use std::path::Path;

use clap::Subcommand;
use color_eyre::eyre::{Result, bail, eyre};

use super::{Outcome, emit};
use crate::config::CONFIG_FILE;
use crate::store::{ANNOTATIONS_FILE, SNAPSHOTS_DIR, Workspace, render_annotations, write_atomic};

/// What to do with the demo.
#[derive(Debug, Clone, Subcommand)]
pub enum DemoCommand {
    /// Write the demo as a workspace in DIR (created if missing, refused when it already
    /// holds a workspace), then open it with `driftscope --workspace DIR`.
    Export {
        /// The folder to write the workspace to.
        #[arg(value_name = "DIR")]
        dir: std::path::PathBuf,
    },
}

/// Runs a `demo` command.
pub fn run(command: &DemoCommand, out: &mut dyn Write) -> Result<Outcome> {
    match command {
        DemoCommand::Export { dir } => export(dir, out),
    }
}

/// Writes the demo's configuration, every snapshot of its history and its annotations
/// into `dir`, and the workspace key that collection uses.
fn export(dir: &Path, out: &mut dyn Write) -> Result<Outcome> {
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "{}: already holds a driftscope workspace ({CONFIG_FILE} is there); nothing was \
             changed — choose an empty folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir.join(SNAPSHOTS_DIR))
        .map_err(|e| eyre!("{}: cannot create the folder: {e}", dir.display()))?;
    let demo = crate::demo::workspace();
    let annotations = demo.annotations()?;
    write_atomic(
        &dir.join(ANNOTATIONS_FILE),
        render_annotations(annotations.records()).as_bytes(),
        false,
    )?;
    write_atomic(
        &dir.join(CONFIG_FILE),
        crate::demo::CONFIG_TOML.as_bytes(),
        false,
    )?;
    crate::collect::load_or_create(dir)?;
    let mut workspace = Workspace::open(dir)?;
    let mut stored = 0;
    for meta in &demo.history.entries {
        let snapshot = demo.load(meta)?;
        workspace.store_snapshot(&snapshot)?;
        stored += 1;
    }
    let shown = crate::model::sanitize(&dir.display().to_string(), false).into_owned();
    emit(
        out,
        &format!(
            "Wrote the demo workspace to {shown}: {stored} snapshots, {} annotations\n\
             Explore it with `driftscope --workspace {shown}` (or run `driftscope` there).\n",
            annotations.records().len()
        ),
    )?;
    Ok(Outcome::Success)
}
