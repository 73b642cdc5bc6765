//! Ansible as the collection engine: the very probe script a direct collection runs,
//! run by `ansible-playbook` over the environment's Ansible inventory, with Ansible's
//! own forks, connection settings, become and vault.
//!
//! driftscope plans the environment's hosts from the inventory (for host names and each
//! host's probe list), generates a standalone playbook ([`playbook`]) that copies the
//! script, runs it and fetches its output byte for byte, runs it with a callback that
//! prints each host event as a JSON line ([`callback`], [`runner`]), and reads each
//! fetched output with the parsers and redaction of a direct collection ([`fetched`]).

pub mod callback;
pub mod fetched;
pub mod playbook;
pub mod runner;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::inventory::{HostJob, Selection, plan_hosts_at};
use super::probe::Probe;
use super::run::Collector;
use super::script::{self, plan_digest};
use crate::config::{CONFIG_FILE, EnvironmentConfig};
use playbook::PlaybookPlan;

/// The environment variable naming the `ansible-playbook` to run (default: the one on
/// `PATH`).
pub const PROGRAM_VARIABLE: &str = "DRIFTSCOPE_ANSIBLE_PLAYBOOK";

/// The `ansible-playbook` to run: [`PROGRAM_VARIABLE`], else `ansible-playbook`.
pub fn program() -> PathBuf {
    std::env::var_os(PROGRAM_VARIABLE)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("ansible-playbook"))
}

/// One environment's collection through Ansible, ready to run.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The environment.
    pub environment: String,
    /// The hosts driftscope reads in the inventory, in inventory order.
    pub jobs: Vec<HostJob>,
    /// The inventory, as Ansible is given it.
    pub inventory: PathBuf,
    /// The inventory as written in `driftscope.toml`, for messages.
    pub inventory_shown: PathBuf,
    /// What the playbook runs where.
    pub plan: PlaybookPlan,
    /// The extra `ansible-playbook` arguments configured for the environment.
    pub ansible_args: Vec<String>,
    base: Vec<Probe>,
    probes: BTreeMap<String, Vec<Probe>>,
}

impl Prepared {
    /// The probes `host` ran: its planned list, or every host's for a host the
    /// inventory gave Ansible but not driftscope.
    pub fn probes_of(&self, host: &str) -> &[Probe] {
        self.probes.get(host).unwrap_or(&self.base)
    }
}

/// Prepares `name`'s collection through Ansible in the workspace at `root`: its hosts,
/// each host's probes and the playbook plan. Fails with one line naming the environment
/// and the fix when it has no inventory or lists hosts outside it.
pub fn prepare(
    root: Option<&Path>,
    environments: &BTreeMap<String, EnvironmentConfig>,
    name: &str,
    collector: &Collector,
) -> Result<Prepared, String> {
    let selection = Selection {
        environments: vec![name.to_string()],
        ..Selection::default()
    };
    // Unknown environments get the planner's message, which lists the known ones.
    let jobs = plan_hosts_at(root, environments, &selection)?.jobs;
    let env = environments.get(name).cloned().unwrap_or_default();
    let Some(inventory_shown) = env.inventory.clone() else {
        return Err(format!(
            "environment '{name}': collecting through Ansible needs an Ansible inventory; add \
             inventory = \"FILE\" under [environments.{name}] in {CONFIG_FILE}"
        ));
    };
    if !env.hosts.is_empty() {
        return Err(format!(
            "environment '{name}': hosts listed in {CONFIG_FILE} cannot be collected through \
             Ansible; move them into the inventory {}, or collect the environment with \
             via = \"ssh\"",
            inventory_shown.display()
        ));
    }
    let inventory = match root {
        Some(root) if inventory_shown.is_relative() => root.join(&inventory_shown),
        _ => inventory_shown.clone(),
    };
    let timeout = collector.settings().probe_timeout;
    let base = collector.probes().to_vec();
    let mut scripts = vec![script::compile(&base, timeout).text];
    let mut digests = vec![plan_digest(&base)];
    let mut script_of = BTreeMap::new();
    let mut probes = BTreeMap::new();
    for job in &jobs {
        let own = collector.probes_to_run(job);
        let digest = plan_digest(&own);
        let index = match digests.iter().position(|d| *d == digest) {
            Some(index) => index,
            None => {
                scripts.push(script::compile(&own, timeout).text);
                digests.push(digest);
                scripts.len() - 1
            }
        };
        if index != 0 {
            script_of.insert(job.host.clone(), index);
        }
        probes.insert(job.host.clone(), own);
    }
    Ok(Prepared {
        environment: name.to_string(),
        jobs,
        inventory,
        inventory_shown,
        plan: PlaybookPlan {
            hosts: env.inventory_group.unwrap_or_else(|| "all".to_string()),
            scripts,
            script_of,
            host_timeout: collector.settings().host_timeout,
        },
        ansible_args: env.ansible_args,
        base,
        probes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::key::WorkspaceKey;
    use crate::collect::run::CollectOptions;
    use crate::config::Config;

    fn config(text: &str) -> Config {
        Config::parse(text, "driftscope.toml").unwrap()
    }

    fn collector(config: &Config) -> Collector {
        let settings = crate::config::CollectSettings::from_config(config);
        Collector::new(
            None,
            &settings,
            WorkspaceKey::from_bytes([1; 32]),
            &CollectOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn hosts_that_run_other_probes_get_their_own_script() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("prod.ini"),
            "[web]\nweb-1 ansible_host=10.0.0.1\nweb-2 ansible_host=10.0.0.2\n",
        )
        .unwrap();
        let config = config(
            "[environments.prod]\ninventory = \"prod.ini\"\ninventory_group = \"web\"\n\
             sudo = [\"web-2\"]\nvia = \"ansible\"\nansible_args = [\"--become\"]\n\
             [[probes]]\nname = \"fw\"\ncategory = \"network\"\ncommand = \"nft list ruleset\"\n\
             parser = \"text\"\nneeds_root = true\n",
        );
        let prepared = prepare(
            Some(dir.path()),
            &config.environments,
            "prod",
            &collector(&config),
        )
        .unwrap();
        let hosts: Vec<&str> = prepared.jobs.iter().map(|j| j.host.as_str()).collect();
        assert_eq!(hosts, ["web-1", "web-2"]);
        assert_eq!(prepared.plan.hosts, "web");
        assert_eq!(prepared.plan.scripts.len(), 2);
        assert_eq!(
            prepared.plan.script_of,
            BTreeMap::from([("web-2".to_string(), 1)])
        );
        assert!(prepared.plan.scripts[1].contains("sudo -n"));
        assert!(!prepared.plan.scripts[0].contains("sudo -n"));
        assert_eq!(prepared.ansible_args, ["--become"]);
        assert_eq!(prepared.inventory, dir.path().join("prod.ini"));
        assert_eq!(
            plan_digest(prepared.probes_of("web-1")),
            plan_digest(prepared.probes_of("not-planned"))
        );
        assert_ne!(
            plan_digest(prepared.probes_of("web-2")),
            plan_digest(prepared.probes_of("web-1"))
        );
    }

    #[test]
    fn an_environment_without_an_inventory_or_with_listed_hosts_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("prod.ini"), "web-1\n").unwrap();
        let config = config(
            "[environments.dev]\nhosts = [\"local\"]\n\
             [environments.prod]\ninventory = \"prod.ini\"\nhosts = [\"db-1\"]\n",
        );
        let c = collector(&config);
        let err = prepare(Some(dir.path()), &config.environments, "dev", &c).unwrap_err();
        assert_eq!(
            err,
            "environment 'dev': collecting through Ansible needs an Ansible inventory; add \
             inventory = \"FILE\" under [environments.dev] in driftscope.toml"
        );
        let err = prepare(Some(dir.path()), &config.environments, "prod", &c).unwrap_err();
        assert!(
            err.starts_with("environment 'prod': hosts listed in driftscope.toml cannot be collected through Ansible; move them into the inventory prod.ini"),
            "{err}"
        );
        let err = prepare(Some(dir.path()), &config.environments, "qa", &c).unwrap_err();
        assert!(err.starts_with("unknown environment 'qa'"), "{err}");
    }
}
