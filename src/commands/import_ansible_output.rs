//! `driftscope import ansible-output DIR --env ENV`: the output the playbook of
//! `driftscope ansible-playbook` fetched (`DIR/<inventory name>/output`), read as
//! `snapshot --via ansible` reads it: same host names, probe lists and redaction.

use std::path::Path;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use crate::collect::import::ImportResult;
use crate::collect::redact::Redactor;
use crate::collect::via_ansible::fetched::{self, ReadContext};
use crate::collect::via_ansible::{self, Prepared};
use crate::collect::{CollectOptions, Collector, WorkspaceKey};
use crate::config::{CONFIG_FILE, CollectSettings};
use crate::store::Workspace;

/// Reads every host's output under `dir` into snapshots of `environment`.
pub fn import(
    workspace: &Workspace,
    key: WorkspaceKey,
    redactor: &Redactor,
    dir: &Path,
    environment: &str,
    taken_at: Option<DateTime<Utc>>,
) -> Result<ImportResult> {
    let settings = CollectSettings::from_config(&workspace.config);
    let collector = Collector::new(
        workspace.root.as_deref(),
        &settings,
        key,
        &CollectOptions::default(),
    )
    .map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?;
    // An environment collected through Ansible gives each host its own probe list; any
    // other runs every host's list (a mismatch is reported per host).
    let prepared: Option<Prepared> = via_ansible::prepare(
        workspace.root.as_deref(),
        &workspace.config.environments,
        environment,
        &collector,
    )
    .ok();
    let context = ReadContext {
        environment,
        redactor,
        max_output: settings.collect.max_output.0,
        taken_at,
    };
    let hosts = fetched::hosts_in(dir).map_err(|e| eyre!(e))?;
    if hosts.is_empty() {
        return Err(eyre!(
            "{}: no host output found (expected DIR/<host>/output as the playbook of \
             `driftscope ansible-playbook` fetches it)",
            dir.display()
        ));
    }
    let mut result = ImportResult::default();
    for host in hosts {
        let probes = match &prepared {
            Some(p) => p.probes_of(&host),
            None => collector.probes(),
        };
        match fetched::read_host(dir, &host, probes, &context) {
            Ok(imported) => result.imported.push(imported),
            Err(e) => result.problems.push(e),
        }
    }
    Ok(result)
}
