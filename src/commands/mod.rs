//! The command-line commands: each glues the store, the diff engine and a renderer.
//!
//! Commands write their normal output to `out` and warnings to `err`, and return an
//! [`Outcome`]; turning that into an exit code is left to the binary.

pub mod accept;
pub mod annotate;
pub mod ansible_playbook;
pub mod bulk;
pub mod check;
pub mod compare;
pub mod completions;
pub mod demo;
pub mod diff;
pub mod history;
pub mod hosts;
pub mod import;
pub mod import_ansible_output;
pub mod init;
pub mod log;
pub mod probe_script;
pub mod prune;
pub mod report;
pub mod snapshot;
pub mod snapshot_ansible;
pub mod timeline;
pub mod workspace;

use std::io::{self, Write};

use color_eyre::eyre::{Result, WrapErr};

pub use workspace::{
    WorkspaceChoice, open_for_comparison, open_paths, open_workspace, open_workspace_or_demo,
};

/// How a command ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; for `check`, no drift.
    Success,
    /// `check` found drift.
    Drift,
    /// `snapshot` could not collect every host (the others were stored).
    Incomplete,
}

/// Writes `text` to `out`. A reader that went away (a closed pipe, as with `| head`) is
/// not an error: the output was simply not wanted any more.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.wrap_err("cannot write the output"),
    }
}

/// The most characters of one warning or error line: messages quote bad input, which can
/// be any size, and a line should stay a line.
pub const MESSAGE_LIMIT: usize = 500;

/// Writes one `warning: …` line to `err`, neutralising control characters and cutting
/// it to [`MESSAGE_LIMIT`] characters.
pub fn warn(err: &mut dyn Write, message: &str) {
    let message = crate::model::excerpt(message, MESSAGE_LIMIT);
    let line = format!("warning: {}\n", crate::model::sanitize(&message, false));
    // A warning that cannot be written has nowhere else to go.
    let _ = err.write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        assert!(emit(&mut ClosedPipe, "text").is_ok());
    }

    #[test]
    fn warnings_are_one_neutralised_line() {
        let mut err = Vec::new();
        warn(&mut err, "bad file x\u{1b}[2J\nsecond");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "warning: bad file x^[[2J^Jsecond\n"
        );
    }
}
