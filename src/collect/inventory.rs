//! The inventory: which hosts to collect, and how to reach each one.
//!
//! A host is written `local`, `user@host:port` (user and port optional, IPv6 in
//! brackets), or an alias from the SSH client configuration, whose `HostName`, `User`,
//! `Port` and `IdentityFile` are honoured. Directives that would change where or how
//! the connection goes and that this collector cannot honour (`ProxyJump`,
//! `ProxyCommand`, `HostKeyAlias`, `Match`, …) give an error instead of a silently
//! different connection.

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use ssh2_config::{ParseRule, SshConfig as SshClientConfig};

use crate::config::EnvironmentConfig;

/// The host entry that means "this machine".
pub const LOCAL: &str = "local";

/// Directives of the SSH client configuration that this collector refuses to ignore.
const REFUSED_DIRECTIVES: &[&str] = &[
    "proxyjump",
    "proxycommand",
    "hostkeyalias",
    "remotecommand",
    "match",
    "knownhostscommand",
    "pkcs11provider",
    "securitykeyprovider",
];

/// How to reach a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This machine, without SSH.
    Local,
    /// Over SSH; the entry as written (resolved when the host is collected).
    Ssh(String),
}

/// One host to collect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostJob {
    /// The environment the snapshot belongs to.
    pub environment: String,
    /// The host's name within the environment (the entry without its user).
    pub host: String,
    /// How to reach it.
    pub target: Target,
}

impl HostJob {
    /// `env/host`, for progress lines and errors.
    pub fn label(&self) -> String {
        format!("{}/{}", self.environment, self.host)
    }
}

/// Which environments the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Environments named on the command line.
    pub environments: Vec<String>,
    /// Every configured environment.
    pub all: bool,
    /// Collect this machine instead: as environment `local`, or as the named ones.
    pub local: bool,
}

/// The hosts to collect for `selection`, in a stable order.
///
/// Fails with one line naming an unknown or empty environment.
pub fn plan(
    environments: &BTreeMap<String, EnvironmentConfig>,
    selection: &Selection,
) -> Result<Vec<HostJob>, String> {
    let local_job = |env: &str| HostJob {
        environment: env.to_string(),
        host: LOCAL.to_string(),
        target: Target::Local,
    };
    if selection.local {
        if selection.environments.is_empty() {
            return Ok(vec![local_job(LOCAL)]);
        }
        for env in &selection.environments {
            check_env_name(env)?;
        }
        return Ok(dedup(
            selection
                .environments
                .iter()
                .map(|e| local_job(e))
                .collect(),
        ));
    }
    let names: Vec<String> = if selection.all {
        environments.keys().cloned().collect()
    } else if selection.environments.is_empty() {
        return Err("name the environments to collect, or use --all or --local".into());
    } else {
        selection.environments.clone()
    };
    if names.is_empty() {
        return Err("driftscope.toml declares no environments".into());
    }
    let mut jobs = Vec::new();
    for name in &names {
        let Some(env) = environments.get(name) else {
            let known: Vec<&str> = environments.keys().map(String::as_str).collect();
            return Err(format!(
                "unknown environment '{name}' (driftscope.toml declares: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        if env.hosts.is_empty() {
            return Err(format!(
                "environment '{name}' has no hosts in driftscope.toml"
            ));
        }
        for entry in &env.hosts {
            let entry = entry.trim();
            if entry == LOCAL {
                jobs.push(local_job(name));
            } else {
                let host = parse_entry(entry).map_err(|e| format!("environment '{name}': {e}"))?;
                let host_name = match host.port {
                    Some(port) => format!("{}:{port}", bracket(&host.host)),
                    None => host.host.clone(),
                };
                jobs.push(HostJob {
                    environment: name.clone(),
                    host: host_name,
                    target: Target::Ssh(entry.to_string()),
                });
            }
        }
    }
    Ok(dedup(jobs))
}

fn dedup(jobs: Vec<HostJob>) -> Vec<HostJob> {
    let mut out: Vec<HostJob> = Vec::with_capacity(jobs.len());
    for job in jobs {
        if !out
            .iter()
            .any(|j| j.environment == job.environment && j.host == job.host)
        {
            out.push(job);
        }
    }
    out
}

fn check_env_name(name: &str) -> Result<(), String> {
    crate::config::check_environment_name(name)
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// A host entry split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The user, when written.
    pub user: Option<String>,
    /// The host name, address or alias (IPv6 without brackets).
    pub host: String,
    /// The port, when written.
    pub port: Option<u16>,
}

/// Splits `[ssh://][user@]host[:port]` (IPv6 as `[addr]:port`).
pub fn parse_entry(entry: &str) -> Result<Entry, String> {
    let rest = entry.strip_prefix("ssh://").unwrap_or(entry);
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(format!(
            "'{entry}' is not a host (expected user@host:port or an alias)"
        ));
    }
    let (user, hostport) = match rest.rsplit_once('@') {
        Some((u, _)) if u.contains(':') => {
            let name = u.split(':').next().unwrap_or_default();
            return Err(format!(
                "the entry for user '{name}' holds a password (user:password@host); \
                 driftscope signs in with keys only, so remove it"
            ));
        }
        Some((u, h)) if !u.is_empty() => (Some(u.to_string()), h),
        Some(_) => return Err(format!("'{entry}' has an empty user")),
        None => (None, rest),
    };
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (addr, after) = inner
            .split_once(']')
            .ok_or_else(|| format!("'{entry}' has an unclosed '['"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(format!("'{entry}' has text after ']'")),
        };
        (addr.to_string(), port)
    } else if hostport.matches(':').count() > 1 {
        (hostport.to_string(), None)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    if host.is_empty() {
        return Err(format!("'{entry}' has an empty host"));
    }
    let port = port
        .map(|p| {
            p.parse::<u16>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("'{entry}' has a bad port '{p}'"))
        })
        .transpose()?;
    Ok(Entry { user, host, port })
}

/// Everything needed to open an SSH connection to one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// The entry as written in `driftscope.toml`.
    pub entry: String,
    /// The host name or address to connect to (after `HostName`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The user to log in as.
    pub user: String,
    /// Identity files named by the SSH configuration, in order.
    pub identity_files: Vec<PathBuf>,
}

impl SshTarget {
    /// `user@host:port`, for messages.
    pub fn display(&self) -> String {
        format!("{}@{}:{}", self.user, bracket(&self.host), self.port)
    }
}

/// A parsed SSH client configuration, or why it could not be read.
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    parsed: Option<SshClientConfig>,
    path: Option<PathBuf>,
    error: Option<String>,
}

impl ClientConfig {
    /// Reads the SSH client configuration at `path`; a missing file is an empty config.
    pub fn load(path: Option<&Path>) -> ClientConfig {
        let Some(path) = path else {
            return ClientConfig::default();
        };
        let file = match crate::input::open(path, crate::input::SETTINGS_LIMIT) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return ClientConfig::default();
            }
            Err(e) => {
                return ClientConfig {
                    error: Some(format!("{}: {e}", path.display())),
                    ..ClientConfig::default()
                };
            }
        };
        let rules = ParseRule::ALLOW_UNKNOWN_FIELDS | ParseRule::ALLOW_UNSUPPORTED_FIELDS;
        match SshClientConfig::default().parse(&mut BufReader::new(file), rules) {
            Ok(parsed) => ClientConfig {
                parsed: Some(parsed),
                path: Some(path.to_path_buf()),
                error: None,
            },
            Err(e) => ClientConfig {
                error: Some(format!("{}: {e}", path.display())),
                ..ClientConfig::default()
            },
        }
    }

    /// Resolves an entry: the configuration's `HostName`, `User`, `Port` and
    /// `IdentityFile` apply unless the entry itself names a user or port.
    pub fn resolve(&self, entry: &str, default_user: &str) -> Result<SshTarget, String> {
        if let Some(err) = &self.error {
            return Err(format!("cannot read the SSH configuration {err}"));
        }
        let parts = parse_entry(entry)?;
        let mut target = SshTarget {
            entry: entry.to_string(),
            host: parts.host.clone(),
            port: parts.port.unwrap_or(22),
            user: parts
                .user
                .clone()
                .unwrap_or_else(|| default_user.to_string()),
            identity_files: Vec::new(),
        };
        let Some(parsed) = &self.parsed else {
            return Ok(target);
        };
        let params = parsed.query(&parts.host);
        let path = self.path.as_deref().map(Path::display);
        let path = path.map(|p| p.to_string()).unwrap_or_default();
        for (field, args) in params
            .unsupported_fields
            .iter()
            .chain(params.ignored_fields.iter())
        {
            let lower = field.to_ascii_lowercase();
            let is_none = args.len() == 1 && args[0].eq_ignore_ascii_case("none");
            if REFUSED_DIRECTIVES.contains(&lower.as_str()) && !is_none {
                return Err(format!(
                    "{path}: '{field}' applies to '{}' but is not supported; \
                     connect directly or give the real address in driftscope.toml",
                    parts.host
                ));
            }
        }
        if let Some(name) = params.host_name {
            target.host = name;
        }
        if parts.port.is_none() {
            if let Some(port) = params.port {
                target.port = port;
            }
        }
        if parts.user.is_none() {
            if let Some(user) = params.user {
                target.user = user;
            }
        }
        target.identity_files = params.identity_file.unwrap_or_default();
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs(list: &[(&str, &[&str])]) -> BTreeMap<String, EnvironmentConfig> {
        list.iter()
            .map(|(name, hosts)| {
                (
                    name.to_string(),
                    EnvironmentConfig {
                        hosts: hosts.iter().map(|h| h.to_string()).collect(),
                        description: None,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn entries_parse_users_hosts_ports_and_ipv6() {
        let e = parse_entry("deploy@web-1.example.com:2222").unwrap();
        assert_eq!(
            (e.user.as_deref(), e.host.as_str(), e.port),
            (Some("deploy"), "web-1.example.com", Some(2222))
        );
        let e = parse_entry("prod-web").unwrap();
        assert_eq!((e.user, e.host.as_str(), e.port), (None, "prod-web", None));
        let e = parse_entry("root@[::1]:22").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("::1", Some(22)));
        assert_eq!(parse_entry("fe80::1").unwrap().host, "fe80::1");
        assert_eq!(parse_entry("ssh://a@b:3").unwrap().port, Some(3));
        assert!(parse_entry("host:0").is_err());
        assert!(parse_entry("host:http").is_err());
        assert!(parse_entry("@host").is_err());
        assert!(parse_entry("a b").is_err());
        let err = parse_entry("deploy:hunter2@web-1").unwrap_err();
        assert!(
            err.contains("password") && !err.contains("hunter2"),
            "{err}"
        );
    }

    #[test]
    fn plan_selects_environments_and_names_hosts_without_users() {
        let e = envs(&[
            ("prod", &["deploy@web-1:2222", "web-2"]),
            ("dev", &["local"]),
        ]);
        let jobs = plan(
            &e,
            &Selection {
                environments: vec!["prod".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let labels: Vec<String> = jobs.iter().map(HostJob::label).collect();
        assert_eq!(labels, ["prod/web-1:2222", "prod/web-2"]);
        assert_eq!(jobs[0].target, Target::Ssh("deploy@web-1:2222".into()));
        let all = plan(
            &e,
            &Selection {
                all: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(all[0].label(), "dev/local");
        assert_eq!(all[0].target, Target::Local);
    }

    #[test]
    fn plan_local_collects_this_machine() {
        let e = envs(&[]);
        let jobs = plan(
            &e,
            &Selection {
                local: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            jobs,
            vec![HostJob {
                environment: "local".into(),
                host: "local".into(),
                target: Target::Local
            }]
        );
        let jobs = plan(
            &e,
            &Selection {
                local: true,
                environments: vec!["dev".into()],
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(jobs[0].label(), "dev/local");
        assert!(
            plan(
                &e,
                &Selection {
                    local: true,
                    environments: vec!["../x".into()],
                    ..Default::default()
                }
            )
            .is_err()
        );
    }

    #[test]
    fn plan_errors_name_the_problem() {
        let e = envs(&[("prod", &[]), ("dev", &["local"])]);
        let err = plan(
            &e,
            &Selection {
                environments: vec!["stage".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err,
            "unknown environment 'stage' (driftscope.toml declares: dev, prod)"
        );
        let err = plan(
            &e,
            &Selection {
                environments: vec!["prod".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("'prod' has no hosts"));
        assert!(
            plan(&e, &Selection::default())
                .unwrap_err()
                .contains("--all")
        );
    }

    fn client_config(text: &str) -> (tempfile::TempDir, ClientConfig) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, text).unwrap();
        let cfg = ClientConfig::load(Some(&path));
        (dir, cfg)
    }

    #[test]
    fn aliases_resolve_host_name_user_port_and_identity() {
        let (_d, cfg) = client_config(
            "Host prod-web\n  HostName 10.0.0.5\n  User deploy\n  Port 2200\n  IdentityFile /keys/prod\n\nHost *\n  User nobody\n",
        );
        let t = cfg.resolve("prod-web", "me").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.user.as_str()),
            ("10.0.0.5", 2200, "deploy")
        );
        assert_eq!(t.identity_files, vec![PathBuf::from("/keys/prod")]);
        assert_eq!(t.display(), "deploy@10.0.0.5:2200");
        let t = cfg.resolve("admin@prod-web:22", "me").unwrap();
        assert_eq!((t.port, t.user.as_str()), (22, "admin"));
        let t = cfg.resolve("other", "me").unwrap();
        assert_eq!((t.host.as_str(), t.user.as_str()), ("other", "nobody"));
    }

    #[test]
    fn proxy_jump_is_a_clear_error() {
        let (_d, cfg) = client_config("Host inner\n  HostName 10.1.1.1\n  ProxyJump bastion\n");
        let err = cfg.resolve("inner", "me").unwrap_err();
        assert!(err.to_lowercase().contains("proxyjump"), "{err}");
        assert!(err.contains("not supported"), "{err}");
        assert!(cfg.resolve("elsewhere", "me").is_ok());
    }

    #[test]
    fn a_missing_config_file_is_empty() {
        let cfg = ClientConfig::load(Some(Path::new("/nonexistent/ssh/config")));
        assert_eq!(cfg.resolve("h", "me").unwrap().host, "h");
    }
}
