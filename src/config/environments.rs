//! `[environments]`: each environment's hosts, and the rules for their names.

use serde::Deserialize;

use super::checked::de_hosts;

/// One environment: its hosts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentConfig {
    /// Hosts: `local`, `user@host:port`, or an alias from `~/.ssh/config`.
    #[serde(default, deserialize_with = "de_hosts")]
    pub hosts: Vec<String>,
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
