//! `driftscope completions SHELL`: a shell completion script.

use std::io::Write;

use clap_complete::Shell;
use color_eyre::eyre::Result;

use super::{Outcome, emit};

/// Writes the completion script of `command` for `shell` to `out`.
pub fn run(shell: Shell, command: &mut clap::Command, out: &mut dyn Write) -> Result<Outcome> {
    let mut script = Vec::new();
    let name = command.get_name().to_string();
    clap_complete::generate(shell, command, name, &mut script);
    emit(out, &String::from_utf8_lossy(&script))?;
    Ok(Outcome::Success)
}
