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
