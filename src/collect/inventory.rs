//! The inventory: which hosts to collect, and how to reach each one.
//!
//! A host is written `local`, `user@host:port` (user and port optional, IPv6 in
//! brackets), or an alias from the SSH client configuration (resolved as `ssh` does;
//! see [`super::ssh_config`]). An entry may hold numeric ranges, `web-[01:50].prod`,
//! expanded into one host each ([`expand_ranges`]).

use std::collections::BTreeMap;

use crate::config::{CONFIG_FILE, EnvironmentConfig};

/// The host entry that means "this machine".
pub const LOCAL: &str = "local";

/// How to reach a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This machine, without SSH.
    Local,
    /// Over SSH; the entry as written (resolved when the host is collected).
    Ssh(String),
    /// Over SSH with settings given outside the SSH config (`jump` in
    /// `driftscope.toml`, an Ansible inventory's variables).
    SshWith {
        /// The entry as written.
        entry: String,
        /// What applies on top of the SSH configuration.
        options: EntryOptions,
    },
}

/// Connection settings a host entry carries besides the SSH configuration's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryOptions {
    /// Jump hosts, first to last, as OpenSSH's `ProxyJump` (`ops@bastion,inner`);
    /// replaces any proxy of the SSH configuration.
    pub jump: Option<String>,
    /// A proxy command (OpenSSH's `ProxyCommand`, `%h %p %r` expanded).
    pub proxy_command: Option<String>,
    /// An identity file tried before the configured ones.
    pub identity_file: Option<std::path::PathBuf>,
}

impl Target {
    /// The SSH entry, unless the host is this machine.
    pub fn ssh_entry(&self) -> Option<&str> {
        match self {
            Target::Local => None,
            Target::Ssh(entry) | Target::SshWith { entry, .. } => Some(entry),
        }
    }
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

/// The hosts to collect, and the environments left out with the reason why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The hosts, in a stable order.
    pub jobs: Vec<HostJob>,
    /// One line per environment `--all` left out (it declares no hosts).
    pub warnings: Vec<String>,
}

/// The hosts to collect for `selection`, in a stable order; inventory paths are
/// taken relative to the current folder (see [`plan_at`]).
///
/// Fails with one line naming an unknown or empty environment. See [`plan_hosts`] for
/// the environments `--all` leaves out.
pub fn plan(
    environments: &BTreeMap<String, EnvironmentConfig>,
    selection: &Selection,
) -> Result<Vec<HostJob>, String> {
    plan_at(None, environments, selection)
}

/// The hosts to collect for `selection` in the workspace at `root` (inventory paths
/// are relative to it), in a stable order.
///
/// Fails with one line naming an unknown or empty environment, or a bad inventory.
pub fn plan_at(
    root: Option<&std::path::Path>,
    environments: &BTreeMap<String, EnvironmentConfig>,
    selection: &Selection,
) -> Result<Vec<HostJob>, String> {
    plan_hosts_at(root, environments, selection).map(|plan| plan.jobs)
}

/// [`plan_hosts_at`] with inventory paths relative to the current folder.
pub fn plan_hosts(
    environments: &BTreeMap<String, EnvironmentConfig>,
    selection: &Selection,
) -> Result<Plan, String> {
    plan_hosts_at(None, environments, selection)
}

/// The hosts to collect for `selection` in the workspace at `root` (inventory paths are
/// relative to it):
///
/// - named environments: their hosts (listed, or from an Ansible inventory); one that
///   declares none is an error saying how to add them;
/// - `--all`: every environment that declares hosts; the others become warnings;
/// - `--local` alone: this machine, under every environment that lists `local` among
///   its hosts, or under an environment named `local` when none does;
/// - `--local` with names: this machine, under each environment named.
pub fn plan_hosts_at(
    root: Option<&std::path::Path>,
    environments: &BTreeMap<String, EnvironmentConfig>,
    selection: &Selection,
) -> Result<Plan, String> {
    let local_job = |env: &str| HostJob {
        environment: env.to_string(),
        host: LOCAL.to_string(),
        target: Target::Local,
    };
    if selection.local {
        let names: Vec<String> = if selection.environments.is_empty() {
            let declaring: Vec<String> = environments
                .iter()
                .filter(|(_, env)| env.hosts.iter().any(|h| h.host.trim() == LOCAL))
                .map(|(name, _)| name.clone())
                .collect();
            if declaring.is_empty() {
                vec![LOCAL.to_string()]
            } else {
                declaring
            }
        } else {
            selection.environments.clone()
        };
        for env in &names {
            check_env_name(env)?;
        }
        return Ok(Plan {
            jobs: dedup(names.iter().map(|e| local_job(e)).collect()),
            warnings: Vec::new(),
        });
    }
    let names: Vec<String> = if selection.all {
        environments.keys().cloned().collect()
    } else if selection.environments.is_empty() {
        return Err("name the environments to collect, or use --all or --local".into());
    } else {
        selection.environments.clone()
    };
    if names.is_empty() {
        return Err(format!(
            "{CONFIG_FILE} declares no environments; add one, such as \
             [environments.dev] with hosts = [\"local\"]"
        ));
    }
    let mut jobs = Vec::new();
    let mut warnings = Vec::new();
    for name in &names {
        let Some(env) = environments.get(name) else {
            let known: Vec<&str> = environments.keys().map(String::as_str).collect();
            return Err(format!(
                "unknown environment '{name}' ({CONFIG_FILE} declares: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        if env.hosts.is_empty() && env.inventory.is_none() {
            let why = no_hosts(name);
            if selection.all {
                warnings.push(format!("skipped {why}"));
                continue;
            }
            return Err(why);
        }
        // (inventory name, entry, options)
        let mut entries: Vec<(Option<String>, String, EntryOptions)> = Vec::new();
        for written in &env.hosts {
            // The entry's own jump hosts replace the environment's.
            let options = EntryOptions {
                jump: written.jump.clone().or_else(|| env.jump.clone()),
                ..EntryOptions::default()
            };
            let expanded = expand_ranges(written.host.trim())
                .map_err(|e| format!("environment '{name}': {e}"))?;
            entries.extend(expanded.into_iter().map(|e| (None, e, options.clone())));
        }
        if let Some(file) = &env.inventory {
            let path = match root {
                Some(root) if file.is_relative() => root.join(file),
                _ => file.clone(),
            };
            let hosts = super::ansible_inventory::load(&path, file, env.inventory_group.as_deref())
                .map_err(|e| format!("environment '{name}': {e}"))?;
            for host in hosts {
                let mut options = host.options;
                if options.jump.is_none() && options.proxy_command.is_none() {
                    options.jump = env.jump.clone();
                }
                entries.push((Some(host.name), host.entry, options));
            }
        }
        for (named, entry, options) in &entries {
            if entry == LOCAL {
                let mut job = local_job(name);
                if let Some(host) = named {
                    job.host = host.clone();
                }
                jobs.push(job);
            } else {
                let host = parse_entry(entry).map_err(|e| format!("environment '{name}': {e}"))?;
                let host_name = match (named, host.port) {
                    (Some(n), _) => n.clone(),
                    (None, Some(port)) => format!("{}:{port}", bracket(&host.host)),
                    (None, None) => host.host.clone(),
                };
                let target = if *options == EntryOptions::default() {
                    Target::Ssh(entry.clone())
                } else {
                    Target::SshWith {
                        entry: entry.clone(),
                        options: options.clone(),
                    }
                };
                jobs.push(HostJob {
                    environment: name.clone(),
                    host: host_name,
                    target,
                });
            }
        }
    }
    if jobs.is_empty() {
        return Err(format!(
            "no environment in {CONFIG_FILE} declares hosts; add some, such as hosts = [\"local\"] \
             under [environments.{}]",
            names[0]
        ));
    }
    Ok(Plan {
        jobs: dedup(jobs),
        warnings,
    })
}

/// Why an environment cannot be collected when it declares no hosts, and the fix.
fn no_hosts(name: &str) -> String {
    format!(
        "environment '{name}' has no hosts: add them under [environments.{name}] in \
         {CONFIG_FILE}, such as hosts = [\"local\"] or hosts = [\"deploy@web-1:22\"]"
    )
}

/// The most hosts one entry may expand to.
pub const MAX_RANGE_HOSTS: usize = 10_000;

/// Expands numeric ranges in an entry: `web-[01:03].prod` gives `web-01.prod`,
/// `web-02.prod`, `web-03.prod`. The start's width sets the zero padding; several
/// ranges multiply. Brackets holding anything but `digits:digits` (an IPv6 address)
/// are kept as written.
pub fn expand_ranges(entry: &str) -> Result<Vec<String>, String> {
    let mut out = vec![String::new()];
    let mut rest = entry;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|i| open + i) else {
            break;
        };
        let inside = &rest[open + 1..close];
        let range = inside.split_once(':').filter(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        });
        let Some((from, to)) = range else {
            for text in &mut out {
                text.push_str(&rest[..=close]);
            }
            rest = &rest[close + 1..];
            continue;
        };
        let bad = || format!("'{entry}' has a bad range [{inside}]");
        let start: u64 = from.parse().map_err(|_| bad())?;
        let end: u64 = to.parse().map_err(|_| bad())?;
        if end < start {
            return Err(format!(
                "'{entry}': the range [{inside}] ends before it starts"
            ));
        }
        let count = usize::try_from(end - start + 1).unwrap_or(usize::MAX);
        if count.saturating_mul(out.len()) > MAX_RANGE_HOSTS {
            return Err(format!(
                "'{entry}' expands to more than {MAX_RANGE_HOSTS} hosts"
            ));
        }
        let width = if from.len() > 1 && from.starts_with('0') {
            from.len()
        } else {
            0
        };
        let prefix = &rest[..open];
        let mut next = Vec::with_capacity(out.len() * count);
        for text in &out {
            for n in start..=end {
                next.push(format!("{text}{prefix}{n:0width$}"));
            }
        }
        out = next;
        rest = &rest[close + 1..];
    }
    for text in &mut out {
        text.push_str(rest);
    }
    Ok(out)
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

pub use super::ssh_config::{ClientConfig, SshTarget};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::HostEntry;

    fn envs(list: &[(&str, &[&str])]) -> BTreeMap<String, EnvironmentConfig> {
        list.iter()
            .map(|(name, hosts)| {
                (
                    name.to_string(),
                    EnvironmentConfig {
                        hosts: hosts.iter().map(|h| HostEntry::plain(*h)).collect(),
                        ..EnvironmentConfig::default()
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
    fn ranges_expand_with_zero_padding_and_multiply() {
        assert_eq!(
            expand_ranges("web-[01:03].prod").unwrap(),
            ["web-01.prod", "web-02.prod", "web-03.prod"]
        );
        assert_eq!(
            expand_ranges("r[1:2]-n[8:10]").unwrap(),
            ["r1-n8", "r1-n9", "r1-n10", "r2-n8", "r2-n9", "r2-n10"]
        );
        assert_eq!(expand_ranges("root@[::1]:22").unwrap(), ["root@[::1]:22"]);
        assert_eq!(expand_ranges("plain").unwrap(), ["plain"]);
        assert!(expand_ranges("w[5:1]").unwrap_err().contains("ends before"));
        assert!(
            expand_ranges("w[0:99999]")
                .unwrap_err()
                .contains("more than")
        );
        let e = envs(&[("prod", &["web-[1:2]"])]);
        let jobs = plan(
            &e,
            &Selection {
                environments: vec!["prod".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let labels: Vec<String> = jobs.iter().map(HostJob::label).collect();
        assert_eq!(labels, ["prod/web-1", "prod/web-2"]);
    }

    #[test]
    fn a_host_entry_s_own_jump_hosts_replace_the_environment_s() {
        let config = crate::config::Config::parse(
            "[environments.prod]\njump = 'ops@bastion'\nhosts = [\n  'web-1',\n  \
             { host = 'db-[1:2]', jump = 'ops@bastion,db-jump:2222' },\n  \
             { host = 'edge', jump = 'none' },\n]\n",
            "driftscope.toml",
        )
        .unwrap();
        let jobs = plan(
            &config.environments,
            &Selection {
                environments: vec!["prod".into()],
                ..Default::default()
            },
        )
        .unwrap();
        let jumps: Vec<(String, Option<String>)> = jobs
            .iter()
            .map(|j| {
                let jump = match &j.target {
                    Target::SshWith { options, .. } => options.jump.clone(),
                    _ => None,
                };
                (j.host.clone(), jump)
            })
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            jumps,
            [
                ("web-1".to_string(), some("ops@bastion")),
                ("db-1".to_string(), some("ops@bastion,db-jump:2222")),
                ("db-2".to_string(), some("ops@bastion,db-jump:2222")),
                ("edge".to_string(), some("none")),
            ]
        );
    }

    #[test]
    fn a_bad_host_table_is_an_error_at_its_line() {
        let err = crate::config::Config::parse(
            "[environments.prod]\nhosts = [\n  { host = 'db-1', jmp = 'x' },\n]\n",
            "driftscope.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("driftscope.toml: line 3, column "), "{err}");
        assert!(err.contains("unknown field `jmp`"), "{err}");
        let err = crate::config::Config::parse(
            "[environments.prod]\nhosts = [{ host = 'db-1', jump = 'a,,b' }]\n",
            "driftscope.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not a list of jump hosts"), "{err}");
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

    #[test]
    fn plan_all_skips_environments_without_hosts_with_a_warning() {
        let e = envs(&[("empty", &[]), ("dev", &["local"])]);
        let all = plan_hosts(
            &e,
            &Selection {
                all: true,
                ..Default::default()
            },
        )
        .unwrap();
        let labels: Vec<String> = all.jobs.iter().map(HostJob::label).collect();
        assert_eq!(labels, ["dev/local"]);
        assert_eq!(all.warnings.len(), 1);
        assert!(
            all.warnings[0].contains("'empty' has no hosts")
                && all.warnings[0].contains("[environments.empty]"),
            "{:?}",
            all.warnings
        );
        let none = envs(&[("empty", &[])]);
        let err = plan(
            &none,
            &Selection {
                all: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(err.contains("declares hosts"), "{err}");
    }

    #[test]
    fn plan_local_alone_uses_the_environments_that_declare_local() {
        let e = envs(&[
            ("dev", &["local"]),
            ("ci", &["local", "web-9"]),
            ("prod", &["web-1"]),
        ]);
        let local = Selection {
            local: true,
            ..Default::default()
        };
        let labels: Vec<String> = plan(&e, &local)
            .unwrap()
            .iter()
            .map(HostJob::label)
            .collect();
        assert_eq!(labels, ["ci/local", "dev/local"]);
        let undeclared = envs(&[("prod", &["web-1"])]);
        let labels: Vec<String> = plan(&undeclared, &local)
            .unwrap()
            .iter()
            .map(HostJob::label)
            .collect();
        assert_eq!(labels, ["local/local"]);
    }
}
