//! `driftscope import`: turn other tools' output (the probe script's, Ansible facts,
//! osquery results) into stored snapshots.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};

use super::{Outcome, warn};
use crate::collect::catalogue;
use crate::collect::import::{self, ImportContext, Imported, Tool};
use crate::collect::load_or_create;
use crate::collect::redact::Redactor;
use crate::config::{CONFIG_FILE, CollectSettings, check_environment_name};
use crate::model::{Snapshot, sanitize};
use crate::store::{TimeSpec, Workspace};

/// Arguments of `driftscope import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Whose output: raw (from `driftscope probe-script`), ansible (facts), osquery, or
    /// ansible-output (what the playbook of `driftscope ansible-playbook` fetched).
    #[arg(value_enum, value_name = "TOOL")]
    pub tool: Tool,
    /// Files to import; for ansible and osquery also folders (a fact cache, a --tree
    /// folder, a folder of osquery table files).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The environment the imported hosts belong to.
    #[arg(long, value_name = "ENV")]
    pub env: String,
    /// The host name to use instead of the one the input gives (inputs of one host).
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// The time to file the snapshots under instead of the one the input gives
    /// (when it gives none, the file's modification time is used).
    #[arg(long, value_name = "TIME")]
    pub taken_at: Option<String>,
}

/// Imports every file, storing one snapshot per host; reports problems on `err` and
/// what was stored on `out`.
///
/// Returns [`Outcome::Incomplete`] when some file or host could not be imported but
/// others were; fails when nothing could be.
pub fn run(
    workspace: &mut Workspace,
    args: &ImportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let Some(root) = workspace.root.clone() else {
        return Err(eyre!(
            "the demo workspace is read-only; create a workspace with `driftscope init` to import snapshots"
        ));
    };
    check_environment_name(&args.env).map_err(|e| eyre!("--env: {e}"))?;
    let taken_at = args
        .taken_at
        .as_deref()
        .map(|t| TimeSpec::parse(t, Utc::now()).map_err(|e| eyre!("--taken-at: {e}")))
        .transpose()?
        .map(|t| t.0);
    let settings = CollectSettings::from_config(&workspace.config);
    let key = load_or_create(&root)?;
    let redactor =
        Redactor::new(key.clone(), &settings.secrets).map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?;
    let probes = match args.tool {
        Tool::Raw | Tool::AnsibleOutput => {
            catalogue::plan_probes(&settings).map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?
        }
        _ => Vec::new(),
    };
    let context = ImportContext {
        environment: args.env.clone(),
        host: args.host.clone(),
        taken_at,
        redactor: &redactor,
        probes: &probes,
    };
    let mut stored = 0;
    let mut unchanged = 0;
    let mut failures: Vec<String> = Vec::new();
    for file in &args.files {
        let result = match args.tool {
            Tool::AnsibleOutput => super::import_ansible_output::import(
                workspace,
                key.clone(),
                &redactor,
                file,
                &args.env,
                taken_at,
            ),
            _ => import::import(args.tool, file, &context),
        };
        let result = match result {
            Ok(result) => result,
            Err(e) => {
                failures.push(format!("{e}"));
                continue;
            }
        };
        failures.extend(result.problems);
        for Imported { snapshot, notes } in result.imported {
            for note in notes {
                let _ = writeln!(err, "note: {}", sanitize(&note, false));
            }
            let label = sanitize(
                &format!("{}/{}", snapshot.environment, snapshot.host),
                false,
            )
            .into_owned();
            if let Some(existing) = already_stored(workspace, &snapshot) {
                unchanged += 1;
                writeln!(out, "unchanged {label}: already stored as {existing}")?;
                continue;
            }
            match workspace.store_snapshot(&snapshot) {
                Ok(path) => {
                    stored += 1;
                    let shown = path.strip_prefix(&root).unwrap_or(&path);
                    writeln!(
                        out,
                        "stored {label} {} ({} facts, {} errors)",
                        sanitize(&shown.display().to_string(), false),
                        snapshot.fact_count(),
                        snapshot.errors.len()
                    )?;
                }
                Err(e) => failures.push(format!("{label}: cannot store: {e}")),
            }
        }
    }
    if stored == 0 && unchanged == 0 {
        if let Some((last, others)) = failures.split_last() {
            for failure in others {
                warn(err, failure);
            }
            return Err(eyre!("{last}"));
        }
        return Err(eyre!("nothing to import"));
    }
    for failure in &failures {
        warn(err, failure);
    }
    Ok(if failures.is_empty() {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}

/// The stored snapshot `snapshot` would repeat (same host, time, source and facts), so
/// importing the same output twice stores it once.
fn already_stored(workspace: &Workspace, snapshot: &Snapshot) -> Option<String> {
    workspace
        .history
        .of_environment(&snapshot.environment)
        .iter()
        .filter(|m| m.host == snapshot.host && m.taken_at == snapshot.taken_at)
        .find(|m| {
            workspace.load(m).is_ok_and(|s| {
                s.facts == snapshot.facts
                    && s.errors == snapshot.errors
                    && s.source == snapshot.source
            })
        })
        .map(|m| match &m.location {
            crate::store::Location::File(path) => {
                let root = workspace.root.as_deref().unwrap_or(path);
                sanitize(
                    &path
                        .strip_prefix(root)
                        .unwrap_or(path)
                        .display()
                        .to_string(),
                    false,
                )
                .into_owned()
            }
            crate::store::Location::Embedded(i) => format!("demo snapshot #{i}"),
        })
}
