//! `driftscope.toml`, a workspace's configuration: its types, parsing and validation.
//!
//! One file per table: `[environments]`, `[ignore]`, `[collect]`, `[ssh]`,
//! `[[probes]]`, `[secrets]`, `[[databases]]`, `[[severity]]` with `[[rules]]`, and
//! `[certificates]`. Collection reads its part as
//! [`CollectSettings`]; the store reads environments and ignore rules.

mod byte_size;
mod certificates;
mod checked;
mod collect;
pub mod databases;
mod environments;
mod explain;
mod ignore;
mod policy;
mod probes;
mod secrets;
mod ssh;
mod sudo;
pub mod timeouts;
mod via;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use color_eyre::eyre::{Result, eyre};
use serde::Deserialize;

use crate::diff::IgnoreRules;
use checked::de_environments;

pub use byte_size::ByteSize;
pub use certificates::CertificatesConfig;
pub use collect::{CollectConfig, CollectSettings};
pub use databases::{Connection, DatabaseConfig, MigrationsMode};
pub use environments::{EnvironmentConfig, HostEntry, check_environment_name};
pub use ignore::IgnoreConfig;
pub use policy::{RuleConfig, SeverityConfig};
pub use probes::{ParserKind, ProbeConfig};
pub use secrets::SecretsConfig;
pub use ssh::SshConfig;
pub use sudo::{SudoRules, SudoSetting};
pub use via::Via;

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
    pub collect: CollectConfig,
    /// `[ssh]`: known hosts, SSH client configuration, identities.
    #[serde(default)]
    pub ssh: SshConfig,
    /// `[[probes]]`: the user's own probes.
    #[serde(default)]
    pub probes: Vec<ProbeConfig>,
    /// `[secrets]`: keys always redacted.
    #[serde(default)]
    pub secrets: SecretsConfig,
    /// `[[databases]]`: PostgreSQL databases whose schema is collected.
    #[serde(default)]
    pub databases: Vec<DatabaseConfig>,
    /// `[[severity]]`: severity overrides by fact pattern.
    #[serde(default)]
    pub severity: Vec<SeverityConfig>,
    /// `[[rules]]`: what may differ or must be equal between environments.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// `[certificates]`: when a certificate counts as near expiry.
    #[serde(default)]
    pub certificates: CertificatesConfig,
}

impl Config {
    /// Parses configuration text. `origin` names the file in errors, which read
    /// `origin: line L, column C: message`.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let message = err.message().trim_end().replace('\n', "; ");
            let message = explain::explain(text, err.span().map(|s| s.start), &message);
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
        databases::check_all(&config.databases, Some(&environments))
            .map_err(|e| eyre!("{origin}: {e}"))?;
        config.policy()?;
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
            if let Some(host) = env.hosts.iter().find(|h| !seen.insert(h.host.as_str())) {
                let host = &host.host;
                return Err(eyre!(
                    "{origin}: environment '{name}' lists host '{host}' twice"
                ));
            }
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses() {
        let config = Config::parse(CONFIG_TEMPLATE, CONFIG_FILE).unwrap();
        assert_eq!(
            config.environments.keys().collect::<Vec<_>>(),
            ["dev"],
            "only `dev = local` is live; the examples are commented out"
        );
        assert_eq!(
            config.environments["dev"].hosts,
            [HostEntry::plain("local")]
        );
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
