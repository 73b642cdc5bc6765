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
