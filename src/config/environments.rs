//! `[environments]`: each environment's hosts, and the rules for their names.

use serde::Deserialize;

use super::checked::de_hosts;

/// One environment: its hosts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentConfig {
    /// Hosts: `local`, `user@host:port`, or an alias from `~/.ssh/config`; each may
    /// name its own jump hosts (`{ host = "db-1", jump = "ops@bastion,inner" }`).
    #[serde(default, deserialize_with = "de_hosts")]
    pub hosts: Vec<HostEntry>,
    /// A one-line description.
    #[serde(default)]
    pub description: Option<String>,
    /// Jump hosts for every host of the environment, first to last, as OpenSSH's
    /// `ProxyJump` (`ops@bastion:22,inner`); replaces any proxy of the SSH config.
    #[serde(default)]
    pub jump: Option<String>,
    /// Run the probes that need root through `sudo -n`: `true` for every host, or a
    /// list of host globs.
    #[serde(default)]
    pub sudo: Option<super::SudoSetting>,
    /// An Ansible inventory (INI or YAML, relative to the workspace) whose hosts join
    /// the environment's.
    #[serde(default)]
    pub inventory: Option<std::path::PathBuf>,
    /// The inventory group to take (default `all`).
    #[serde(default)]
    pub inventory_group: Option<String>,
    /// The engine that collects the hosts: `ssh` (default) or `ansible`.
    #[serde(default)]
    pub via: Option<super::Via>,
    /// Extra arguments for `ansible-playbook` when collecting through Ansible
    /// (`--forks`, `--become`, `--vault-password-file`…).
    #[serde(default)]
    pub ansible_args: Vec<String>,
}

/// One entry of an environment's `hosts`: `"web-1"`, or a table
/// `{ host = "db-1", jump = "ops@bastion,inner" }` whose jump hosts replace the
/// environment's `jump` for that entry (`jump = "none"` connects directly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    /// The entry as written: `local`, `user@host:port`, an alias, or a range.
    pub host: String,
    /// The entry's own jump hosts, as OpenSSH's `ProxyJump`.
    pub jump: Option<String>,
}

impl HostEntry {
    /// A plain entry, without its own jump hosts.
    pub fn plain(host: impl Into<String>) -> HostEntry {
        HostEntry {
            host: host.into(),
            jump: None,
        }
    }
}

/// Checks an environment name: not empty, no `@`, `/`, `\` or whitespace, no control
/// characters. Names are typed on the command line, where `@` starts a time.
pub fn check_environment_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an environment name may not be empty".to_string());
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '@' | '/' | '\\') || c.is_whitespace() || c.is_control())
    {
        let shown = if c.is_whitespace() || c.is_control() {
            format!("{:?}", c)
        } else {
            format!("'{c}'")
        };
        return Err(format!(
            "environment name {name:?} may not contain {shown} (no '@', '/', '\\' or whitespace)"
        ));
    }
    Ok(())
}

/// Checks a host entry: not empty, no whitespace or control characters.
pub(super) fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("a host may not be empty".to_string());
    }
    if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("host {host:?} may not contain whitespace"));
    }
    Ok(())
}

/// Checks a host entry's `jump`: a comma-separated list of hosts, or `none`.
pub(super) fn check_jump(jump: &str) -> Result<(), String> {
    if jump.split(',').any(|hop| check_host(hop).is_err()) {
        return Err(format!(
            "jump {jump:?} is not a list of jump hosts (write \"user@bastion:22,inner\", or \"none\")"
        ));
    }
    Ok(())
}
