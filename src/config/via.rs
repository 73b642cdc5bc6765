//! `via` and `ansible_args` of an environment: which engine collects its hosts.

use serde::Deserialize;

/// The engine that runs the probe script on an environment's hosts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// driftscope's own SSH client (or this machine for `local`).
    #[default]
    Ssh,
    /// `ansible-playbook` against the environment's Ansible inventory.
    Ansible,
}

impl Via {
    /// The name used in `driftscope.toml` and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Ssh => "ssh",
            Via::Ansible => "ansible",
        }
    }
}
