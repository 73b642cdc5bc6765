//! `driftscope init`: create a workspace in a folder.

use std::io::Write;
use std::path::Path;

use color_eyre::eyre::{Result, bail};

use super::{Outcome, WorkspaceChoice, emit};
use crate::config::CONFIG_FILE;
use crate::store::{SNAPSHOTS_DIR, Workspace};

/// Creates a workspace in `--workspace DIR`, else in `cwd`, refusing when one is
/// already there (nothing is overwritten) and refusing `--demo`, which lives in memory.
pub fn run(choice: &WorkspaceChoice, cwd: &Path, out: &mut dyn Write) -> Result<Outcome> {
    if choice.demo {
        bail!("the demo workspace is built in and cannot be initialised; drop --demo");
    }
    let dir = choice.dir.as_deref().unwrap_or(cwd);
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "a driftscope workspace already exists in {} ({CONFIG_FILE} is there); nothing was changed",
            dir.display()
        );
    }
    Workspace::init(dir)?;
    // The workspace key fingerprints secrets; it lives outside git (see docs/probes.md).
    crate::collect::load_or_create(dir)?;
    let text = format!(
        "Created a driftscope workspace in {}\n  \
         {CONFIG_FILE}   environments, hosts and ignore rules\n  \
         {SNAPSHOTS_DIR}/        snapshot history\n\
         Next: add environments to {CONFIG_FILE}, then compare them with `driftscope diff A B`.\n",
        crate::model::sanitize(&dir.display().to_string(), false)
    );
    emit(out, &text)?;
    Ok(Outcome::Success)
}
