//! `driftscope ansible-playbook ENV`: print the playbook `snapshot --via ansible` runs,
//! for teams that run it themselves (AWX, Tower, cron) and import the fetched output
//! later with `driftscope import ansible-output DIR --env ENV`.

use std::io::Write;

use color_eyre::eyre::{Result, eyre};

use super::{Outcome, emit};
use crate::collect::script::plan_digest;
use crate::collect::via_ansible::playbook::{DEFAULT_OUTPUT, render};
use crate::collect::via_ansible::{self, Prepared};
use crate::collect::{CollectOptions, Collector, WorkspaceKey};
use crate::config::{CONFIG_FILE, CollectSettings};
use crate::store::Workspace;

/// Arguments of `driftscope ansible-playbook`.
#[derive(Debug, Clone, clap::Args)]
pub struct AnsiblePlaybookArgs {
    /// The environment whose inventory the playbook runs on.
    #[arg(value_name = "ENV")]
    pub environment: String,
}

/// The environment's collection, planned as `snapshot --via ansible` plans it.
pub fn prepare(workspace: &Workspace, environment: &str) -> Result<Prepared> {
    let settings = CollectSettings::from_config(&workspace.config);
    // Printing runs no probe and redacts nothing: the workspace key is not needed.
    let collector = Collector::new(
        workspace.root.as_deref(),
        &settings,
        WorkspaceKey::from_bytes([0; 32]),
        &CollectOptions::default(),
    )
    .map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?;
    via_ansible::prepare(
        workspace.root.as_deref(),
        &workspace.config.environments,
        environment,
        &collector,
    )
    .map_err(|e| eyre!(e))
}

/// The playbook for `environment`, with a header saying how to run it and import what
/// it fetches.
pub fn playbook_text(workspace: &Workspace, environment: &str) -> Result<String> {
    let prepared = prepare(workspace, environment)?;
    let probes = prepared.probes_of("");
    let header = vec![
        format!(
            "driftscope collection playbook for environment {environment}: {} probes (plan {}), \
             {} script{}, on the hosts of {}.",
            probes.len(),
            plan_digest(probes),
            prepared.plan.scripts.len(),
            if prepared.plan.scripts.len() == 1 {
                ""
            } else {
                "s"
            },
            prepared.plan.hosts,
        ),
        "It only reads: on each host it runs the script in a private temporary folder,".into(),
        "removed afterwards, and fetches the output byte for byte into".into(),
        format!(
            "DIR/<inventory name>/output (default DIR: {DEFAULT_OUTPUT} next to the playbook)."
        ),
        String::new(),
        format!(
            "Run:    ansible-playbook -i {} driftscope.yml -e driftscope_output=DIR",
            prepared.inventory_shown.display()
        ),
        format!("Import: driftscope import ansible-output DIR --env {environment}"),
        String::new(),
        format!(
            "Print it again after changing the probes in {CONFIG_FILE}: output of another probe \
             list is refused."
        ),
    ];
    Ok(render(&prepared.plan, &header))
}

/// Writes the playbook to `out`.
pub fn run(
    workspace: &Workspace,
    args: &AnsiblePlaybookArgs,
    out: &mut dyn Write,
) -> Result<Outcome> {
    emit(out, &playbook_text(workspace, &args.environment)?)?;
    Ok(Outcome::Success)
}
