//! `driftscope.toml`: environments, hosts and ignore rules.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The configuration file's name at a workspace's root.
pub const CONFIG_FILE: &str = "driftscope.toml";

/// A workspace's configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Environments by name.
    #[serde(default)]
    pub environments: BTreeMap<String, EnvironmentConfig>,
    /// Facts to leave out of comparisons.
    #[serde(default)]
    pub ignore: IgnoreConfig,
    /// `[collect]`: concurrency, timeouts and what the built-in probes look at.
    #[serde(default)]
    pub collect: crate::collect::CollectConfig,
    /// `[ssh]`: known hosts, SSH client configuration, identities.
    #[serde(default)]
    pub ssh: crate::collect::SshConfig,
    /// `[[probes]]`: the user's own probes.
    #[serde(default)]
    pub probes: Vec<crate::collect::ProbeConfig>,
    /// `[secrets]`: keys always redacted.
    #[serde(default)]
    pub secrets: crate::collect::SecretsConfig,
}

/// One environment: its hosts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentConfig {
    /// Hosts: `local`, `user@host:port`, or an alias from `~/.ssh/config`.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// A one-line description.
    #[serde(default)]
    pub description: Option<String>,
}

/// Ignore rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreConfig {
    /// `category/key` glob patterns, e.g. `infra/uptime`, `*/boot_time*`.
    #[serde(default)]
    pub facts: Vec<String>,
}
