//! `driftscope.toml`: environments, hosts and ignore rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use color_eyre::eyre::{Result, eyre};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use crate::diff::IgnoreRules;

/// The configuration file's name at a workspace's root.
pub const CONFIG_FILE: &str = "driftscope.toml";

/// The commented example configuration written by `driftscope init`.
pub const CONFIG_TEMPLATE: &str = include_str!("template.toml");

/// A workspace's configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Environments by name.
    #[serde(default, deserialize_with = "de_environments")]
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
    /// `[[databases]]`: PostgreSQL databases whose schema is collected.
    #[serde(default)]
    pub databases: Vec<crate::collect::DatabaseConfig>,
}

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

/// Ignore rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreConfig {
    /// `category/key` glob patterns, e.g. `infra/uptime`, `*/boot_time*`.
    #[serde(default, deserialize_with = "de_patterns")]
    pub facts: Vec<String>,
}

impl Config {
    /// Parses configuration text. `origin` names the file in errors, which read
    /// `origin: line L, column C: message`.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let message = err.message().trim_end().replace('\n', "; ");
            match err.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start);
                    eyre!("{origin}: line {line}, column {column}: {message}")
                }
                None => eyre!("{origin}: {message}"),
            }
        })?;
        config.check_duplicate_hosts(origin)?;
        let environments: Vec<&str> = config.environments.keys().map(String::as_str).collect();
        crate::collect::schema::config::check_all(&config.databases, Some(&environments))
            .map_err(|e| eyre!("{origin}: {e}"))?;
        Ok(config)
    }

    /// Reads and parses a configuration file; errors name the file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = crate::input::read_to_string(path, crate::input::SETTINGS_LIMIT)
            .map_err(|e| eyre!("{}: cannot read: {e}", path.display()))?;
        Config::parse(&text, &path.display().to_string())
    }

    /// The compiled ignore rules.
    pub fn ignore_rules(&self) -> Result<IgnoreRules> {
        IgnoreRules::new(&self.ignore.facts)
            .map_err(|e| eyre!("{CONFIG_FILE}: [ignore] facts: {e}"))
    }

    fn check_duplicate_hosts(&self, origin: &str) -> Result<()> {
        for (name, env) in &self.environments {
            let mut seen = BTreeSet::new();
            if let Some(host) = env.hosts.iter().find(|h| !seen.insert(h.as_str())) {
                return Err(eyre!(
                    "{origin}: environment '{name}' lists host '{host}' twice"
                ));
            }
        }
        Ok(())
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
fn check_host(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("a host may not be empty".to_string());
    }
    if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("host {host:?} may not contain whitespace"));
    }
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A string checked while parsing, so errors point at its line and column.
struct Checked<const KIND: u8>(String);

const ENV_NAME: u8 = 0;
const HOST: u8 = 1;
const PATTERN: u8 = 2;

impl<'de, const KIND: u8> Deserialize<'de> for Checked<KIND> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let checked = match KIND {
            ENV_NAME => check_environment_name(&text),
            HOST => check_host(&text),
            _ => IgnoreRules::new(std::slice::from_ref(&text))
                .map(drop)
                .map_err(|e| format!("ignore pattern {text:?}: {e}")),
        };
        checked.map(|()| Checked(text)).map_err(D::Error::custom)
    }
}

impl<const KIND: u8> PartialEq for Checked<KIND> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<const KIND: u8> Eq for Checked<KIND> {}

impl<const KIND: u8> PartialOrd for Checked<KIND> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<const KIND: u8> Ord for Checked<KIND> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

fn de_environments<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, EnvironmentConfig>, D::Error> {
    let raw = BTreeMap::<Checked<ENV_NAME>, EnvironmentConfig>::deserialize(d)?;
    Ok(raw.into_iter().map(|(k, v)| (k.0, v)).collect())
}

fn de_hosts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw = Vec::<Checked<HOST>>::deserialize(d)?;
    Ok(raw.into_iter().map(|h| h.0).collect())
}

fn de_patterns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let raw = Vec::<Checked<PATTERN>>::deserialize(d)?;
    Ok(raw.into_iter().map(|p| p.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses() {
        let config = Config::parse(CONFIG_TEMPLATE, CONFIG_FILE).unwrap();
        assert_eq!(
            config.environments.keys().collect::<Vec<_>>(),
            ["dev", "prod", "staging"]
        );
        assert_eq!(config.environments["dev"].hosts, ["local"]);
        assert!(config.ignore.facts.contains(&"infra/uptime".to_string()));
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\ncdé\nx", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé\nx", 3), (2, 1));
        assert_eq!(line_column("ab\ncdé\nx", 8), (3, 1));
        assert_eq!(line_column("ab\ncdé\nx", 5), (2, 3));
        assert_eq!(line_column("ab\ncdé\nx", 7), (2, 4));
        assert_eq!(line_column("ab\ncdé\nx", 99), (3, 2));
    }

    #[test]
    fn bad_environment_name_points_at_the_key() {
        let text = "[environments.prod]\nhosts = []\n\n[environments.\"web prod\"]\n";
        let err = Config::parse(text, "driftscope.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("driftscope.toml: line 4, column 15: "),
            "{err}"
        );
        assert!(err.contains("may not contain"), "{err}");
    }

    #[test]
    fn environment_names_are_checked() {
        assert!(check_environment_name("prod-eu.1").is_ok());
        for bad in ["", "a@b", "a/b", "a b", "a\tb", "a\\b"] {
            assert!(check_environment_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hosts_are_checked() {
        let err = Config::parse("[environments.dev]\nhosts = [\"local\", \"\"]\n", "x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.toml: line 2, column "), "{err}");
        assert!(err.contains("may not be empty"), "{err}");
        let err = Config::parse("[environments.dev]\nhosts = [\"a\", \"a\"]\n", "x.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "x.toml: environment 'dev' lists host 'a' twice");
    }
}
