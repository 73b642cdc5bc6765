//! Transports: how a compiled probe script reaches a host and its output comes back.
//!
//! Both run the script with `sh -s` in one go and honour a deadline and an output cap.

pub mod jump;
pub mod known_hosts;
pub mod local;
pub mod proxy_command;
pub mod socket;
pub mod ssh;

/// What running a script produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawOutput {
    /// The script's standard output: the frames.
    pub stdout: Vec<u8>,
    /// The script's own standard error (probes' stderr is framed in stdout).
    pub stderr: Vec<u8>,
    /// The script's exit status, when known.
    pub exit_status: Option<i32>,
    /// Notes worth showing the user (e.g. a host key accepted), one line each.
    pub notes: Vec<String>,
}
