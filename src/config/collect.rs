//! `[collect]`: concurrency, timeouts and what the built-in probes look at; and
//! [`CollectSettings`], every collection setting of a workspace as one value.

use std::time::Duration;

use serde::Deserialize;

use super::{ByteSize, Config, DatabaseConfig, ProbeConfig, SecretsConfig, SshConfig, SudoRules};

/// `[collect]`: how hosts are collected and what the built-in probes look at.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CollectConfig {
    /// How many hosts are collected at the same time.
    pub concurrency: usize,
    /// The longest wait for a TCP connection and the SSH handshake.
    #[serde(deserialize_with = "super::timeouts::connect_timeout")]
    pub connect_timeout: Duration,
    /// The longest a whole host may take, connection included.
    #[serde(deserialize_with = "super::timeouts::host_timeout")]
    pub host_timeout: Duration,
    /// The longest one probe may run on the host (needs `timeout` there).
    #[serde(deserialize_with = "super::timeouts::probe_timeout")]
    pub probe_timeout: Duration,
    /// Built-in probes to leave out, by name (see `docs/probes.md`).
    pub skip: Vec<String>,
    /// Files whose contents are kept as text facts (`file:<path>`).
    pub files: Vec<String>,
    /// Environment files (`KEY=value` lines) whose entries become `env.<KEY>` facts.
    pub env_files: Vec<String>,
    /// Extra sysctl keys to read, beyond the built-in selection.
    pub sysctl: Vec<String>,
    /// PEM certificate files to describe (`cert:<path>`).
    pub cert_files: Vec<String>,
    /// `host:port` TLS endpoints whose certificates are described (`cert:<host:port>`).
    pub cert_endpoints: Vec<String>,
    /// The most probe output taken from one host (`"64 MiB"`); beyond it the host
    /// fails instead of memory growing.
    pub max_output: ByteSize,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            concurrency: 8,
            connect_timeout: Duration::from_secs(5),
            host_timeout: Duration::from_secs(60),
            probe_timeout: Duration::from_secs(20),
            skip: Vec::new(),
            files: Vec::new(),
            env_files: Vec::new(),
            sysctl: Vec::new(),
            cert_files: Vec::new(),
            cert_endpoints: Vec::new(),
            max_output: ByteSize(64 * 1024 * 1024),
        }
    }
}

/// All collection settings of a workspace, as one value.
#[derive(Debug, Clone, Default)]
pub struct CollectSettings {
    /// `[collect]`.
    pub collect: CollectConfig,
    /// `[ssh]`.
    pub ssh: SshConfig,
    /// `[[probes]]`.
    pub probes: Vec<ProbeConfig>,
    /// `[secrets]`.
    pub secrets: SecretsConfig,
    /// `[[databases]]`: databases whose schema is collected.
    pub databases: Vec<DatabaseConfig>,
    /// Which hosts of which environments run root probes through `sudo -n`.
    pub sudo: SudoRules,
}

impl CollectSettings {
    /// The collection settings of a workspace configuration.
    pub fn from_config(config: &Config) -> CollectSettings {
        CollectSettings {
            collect: config.collect.clone(),
            ssh: config.ssh.clone(),
            probes: config.probes.clone(),
            secrets: config.secrets.clone(),
            databases: config.databases.clone(),
            sudo: SudoRules::from_environments(&config.environments),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ParserKind, ProbeConfig};
    use crate::model::Category;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        collect: CollectConfig,
        #[serde(default)]
        probes: Vec<ProbeConfig>,
    }

    #[test]
    fn durations_and_probes_parse_from_toml() {
        let doc: Doc = toml::from_str(
            r#"
            [collect]
            concurrency = 3
            connect_timeout = "1500ms"
            host_timeout = "2m"
            files = ["/etc/nginx/nginx.conf"]

            [[probes]]
            name = "app.version"
            category = "versions"
            command = "cat /opt/app/VERSION"
            parser = "version"
            "#,
        )
        .unwrap();
        assert_eq!(doc.collect.concurrency, 3);
        assert_eq!(doc.collect.connect_timeout, Duration::from_millis(1500));
        assert_eq!(doc.collect.host_timeout, Duration::from_secs(120));
        assert_eq!(doc.collect.probe_timeout, Duration::from_secs(20));
        assert_eq!(doc.probes[0].category, Category::Versions);
        assert_eq!(doc.probes[0].parser, ParserKind::Version);
    }

    #[test]
    fn unknown_fields_and_parsers_are_rejected() {
        assert!(toml::from_str::<Doc>("[collect]\nconcurency = 3\n").is_err());
        let bad = "[[probes]]\nname='x'\ncategory='config'\ncommand='true'\nparser='yaml'\n";
        assert!(toml::from_str::<Doc>(bad).is_err());
    }
}
