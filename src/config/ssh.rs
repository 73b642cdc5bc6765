//! `[ssh]`: how SSH connections are made and host keys checked.

use std::path::PathBuf;

use serde::Deserialize;

/// `[ssh]`: how SSH connections are made and host keys checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SshConfig {
    /// The workspace's own known-hosts file, relative to the workspace root. It is
    /// checked before `~/.ssh/known_hosts`, and accepted keys are written to it.
    pub known_hosts: Option<PathBuf>,
    /// Leave `~/.ssh/known_hosts` out of host key checks.
    pub ignore_user_known_hosts: bool,
    /// An SSH client configuration to read instead of `~/.ssh/config`.
    pub config: Option<PathBuf>,
    /// Identity files tried after the agent, before those named by the SSH config.
    pub identity_files: Vec<PathBuf>,
    /// The user to log in as when neither the target nor the SSH config names one.
    pub user: Option<String>,
}
