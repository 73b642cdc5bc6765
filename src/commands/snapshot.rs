//! `driftscope snapshot`: collect hosts and store one snapshot per host.

use std::io::Write;
use std::sync::Arc;

use color_eyre::eyre::{Result, eyre};

use super::Outcome;
use crate::collect::{self, CollectOptions, Collector, Progress, Selection};
use crate::config::{CONFIG_FILE, CollectSettings, Via};
use crate::model::sanitize;
use crate::store::Workspace;

/// Arguments of `driftscope snapshot`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SnapshotArgs {
    /// Environments to collect, as named in driftscope.toml.
    #[arg(value_name = "ENV")]
    pub environments: Vec<String>,
    /// Collect every environment that declares hosts (the others are skipped with a
    /// warning).
    #[arg(long, conflicts_with_all = ["environments", "local"])]
    pub all: bool,
    /// Collect this machine, without SSH: under each ENV given, else under every
    /// environment whose hosts list `local`, else as environment `local`.
    #[arg(long)]
    pub local: bool,
    /// Accept and record unknown SSH host keys (a changed key is always refused).
    #[arg(long)]
    pub accept_new_host_keys: bool,
    /// How many hosts to collect at once (default: `[collect] concurrency`, 8).
    #[arg(long, short = 'j', value_name = "N")]
    pub concurrency: Option<usize>,
    /// Do not ask the SSH agent; use identity files only.
    #[arg(long)]
    pub no_agent: bool,
    /// The engine that runs the probe script: ssh (driftscope's own) or ansible
    /// (`ansible-playbook` over the environment's inventory); default: each
    /// environment's `via` setting, else ssh.
    #[arg(long, value_enum, value_name = "ENGINE", conflicts_with = "local")]
    pub via: Option<Via>,
}

/// Collects the selected hosts, stores a snapshot for each one that answered, and
/// reports progress to `progress` and the results to `out`.
///
/// Returns [`Outcome::Success`] only when every host was collected, else
/// [`Outcome::Incomplete`]; a configuration problem is an
/// error naming the setting.
pub fn run(
    workspace: &mut Workspace,
    args: &SnapshotArgs,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> Result<Outcome> {
    let Some(root) = workspace.root.clone() else {
        return Err(eyre!(
            "the demo workspace is read-only; create a workspace with `driftscope init` to collect snapshots"
        ));
    };
    let (through_ansible, direct) = split_by_engine(workspace, args);
    if through_ansible.is_empty() {
        let selection = Selection {
            environments: args.environments.clone(),
            all: args.all,
            local: args.local,
        };
        return collect_directly(workspace, &root, &selection, args, out, progress);
    }
    if args.all {
        for name in skipped_by_all(workspace) {
            super::warn(
                progress,
                &format!(
                    "skipped environment '{name}' has no hosts: add them under \
                     [environments.{name}] in {CONFIG_FILE}, or an inventory"
                ),
            );
        }
    }
    let key = collect::load_or_create(&root)?;
    let settings = CollectSettings::from_config(&workspace.config);
    let collector = Collector::new(Some(&root), &settings, key, &options(args))
        .map_err(|e| eyre!("{}: {e}", CONFIG_FILE))?;
    let mut incomplete = false;
    for env in &through_ansible {
        let tally = super::snapshot_ansible::collect_environment(
            workspace,
            &root,
            env,
            &collector,
            args.concurrency,
            out,
            progress,
        )?;
        incomplete |= tally.failed > 0;
    }
    if !direct.is_empty() {
        let selection = Selection {
            environments: direct,
            ..Selection::default()
        };
        if collect_directly(workspace, &root, &selection, args, out, progress)? != Outcome::Success
        {
            incomplete = true;
        }
    }
    Ok(if incomplete {
        Outcome::Incomplete
    } else {
        Outcome::Success
    })
}

/// The command-line choices of a collection.
fn options(args: &SnapshotArgs) -> CollectOptions {
    CollectOptions {
        accept_new_host_keys: args.accept_new_host_keys,
        use_agent: !args.no_agent,
        concurrency: args.concurrency,
        ..CollectOptions::default()
    }
}

/// The environments asked for, split into those collected through Ansible (`--via
/// ansible`, or `via = "ansible"` without `--via ssh`) and the others. With `--all`,
/// environments that declare no hosts and no inventory are in neither list (see
/// [`skipped_by_all`]).
fn split_by_engine(workspace: &Workspace, args: &SnapshotArgs) -> (Vec<String>, Vec<String>) {
    if args.local {
        return (Vec::new(), Vec::new());
    }
    let environments = &workspace.config.environments;
    let names: Vec<String> = if args.all {
        let skipped = skipped_by_all(workspace);
        environments
            .keys()
            .filter(|name| !skipped.contains(name))
            .cloned()
            .collect()
    } else {
        args.environments.clone()
    };
    names.into_iter().partition(|name| {
        let configured = environments.get(name).and_then(|env| env.via);
        args.via.or(configured) == Some(Via::Ansible)
    })
}

/// The environments `--all` leaves out: no hosts and no inventory.
fn skipped_by_all(workspace: &Workspace) -> Vec<String> {
    workspace
        .config
        .environments
        .iter()
        .filter(|(_, env)| env.hosts.is_empty() && env.inventory.is_none())
        .map(|(name, _)| name.clone())
        .collect()
}

/// Collects `selection` with driftscope's own SSH client (or locally).
fn collect_directly(
    workspace: &mut Workspace,
    root: &std::path::Path,
    selection: &Selection,
    args: &SnapshotArgs,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> Result<Outcome> {
    let root = root.to_path_buf();
    let plan = collect::plan_hosts_at(
        workspace.root.as_deref(),
        &workspace.config.environments,
        selection,
    )
    .map_err(|e| eyre!(e))?;
    for warning in &plan.warnings {
        super::warn(progress, warning);
    }
    let jobs = plan.jobs;
    let key = collect::load_or_create(&root)?;
    let settings = CollectSettings::from_config(&workspace.config);
    let collector = Collector::new(Some(&root), &settings, key, &options(args))
        .map_err(|e| eyre!("{}: {e}", CONFIG_FILE))?;
    let collector = Arc::new(collector);
    let total = jobs.len();
    writeln!(
        progress,
        "collecting {total} host{} ({} at a time)",
        if total == 1 { "" } else { "s" },
        collector.concurrency().min(total)
    )?;
    let mut done = 0;
    let mut failed = 0;
    for message in collector.spawn(jobs) {
        match message {
            Progress::Started { label, .. } => {
                writeln!(
                    progress,
                    "[{done}/{total}] started  {}",
                    sanitize(&label, false)
                )?;
            }
            Progress::Finished {
                label,
                elapsed,
                outcome,
                ..
            } => {
                done += 1;
                let label = sanitize(&label, false).into_owned();
                let secs = elapsed.as_secs_f64();
                match outcome {
                    Ok(collected) => {
                        let shown = HostShown {
                            label: &label,
                            step: &format!("[{done}/{total}]"),
                            timing: &format!("in {secs:.1}s"),
                        };
                        if !store_collected(
                            workspace,
                            &root,
                            &collected.snapshot,
                            &collected.notes,
                            &shown,
                            out,
                            progress,
                        )? {
                            failed += 1;
                        }
                    }
                    Err(reason) => {
                        failed += 1;
                        let reason = sanitize(&reason, false);
                        writeln!(
                            progress,
                            "[{done}/{total}] FAILED   {label} after {secs:.1}s"
                        )?;
                        writeln!(out, "failed {reason}")?;
                    }
                }
            }
        }
    }
    // Every host reports back unless a collection thread died; that is an error, never
    // a success.
    if done < total {
        return Err(eyre!(
            "{} of {total} host{} never reported back: a collection thread failed (an \
             internal error); {} stored",
            total - done,
            if total == 1 { "" } else { "s" },
            done - failed
        ));
    }
    writeln!(
        progress,
        "{} of {total} host{} collected",
        total - failed,
        if total == 1 { "" } else { "s" }
    )?;
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Incomplete
    })
}

/// How one host's outcome is named on the progress lines.
pub(super) struct HostShown<'a> {
    /// The host's label, already sanitized.
    pub label: &'a str,
    /// The `[done/total]` progress prefix.
    pub step: &'a str,
    /// When it finished, e.g. `in 1.2s`.
    pub timing: &'a str,
}

/// Prints a collected snapshot's notes and stores it in `workspace`, reporting the
/// outcome on `progress` and `out` (the stored path relative to `root`); true when it was
/// stored. Direct and Ansible collections both report through it.
pub(super) fn store_collected(
    workspace: &mut Workspace,
    root: &std::path::Path,
    snap: &crate::model::Snapshot,
    notes: &[String],
    shown: &HostShown<'_>,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> Result<bool> {
    let HostShown {
        label,
        step,
        timing,
    } = shown;
    for note in notes {
        writeln!(progress, "          {}", sanitize(note, false))?;
    }
    match workspace.store_snapshot(snap) {
        Ok(path) => {
            writeln!(
                progress,
                "{step} ok       {label} {timing}: {} facts, {} probe error{}",
                snap.fact_count(),
                snap.errors.len(),
                if snap.errors.len() == 1 { "" } else { "s" },
            )?;
            let shown = path.strip_prefix(root).unwrap_or(&path);
            writeln!(
                out,
                "stored {label} {}",
                sanitize(&shown.display().to_string(), false)
            )?;
            Ok(true)
        }
        Err(e) => {
            writeln!(progress, "{step} FAILED   {label}: cannot store: {e}")?;
            writeln!(out, "failed {label}: cannot store: {e}")?;
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn workspace() -> Workspace {
        let config = Config::parse(
            "[environments.dev]\nhosts = [\"local\"]\n\
             [environments.prod]\ninventory = \"prod.ini\"\nvia = \"ansible\"\n\
             [environments.staging]\ninventory = \"staging.ini\"\n\
             [environments.empty]\n",
            "driftscope.toml",
        )
        .unwrap();
        Workspace::in_memory(config, Vec::new(), Vec::new(), Vec::new())
    }

    fn split(args: SnapshotArgs) -> (Vec<String>, Vec<String>) {
        split_by_engine(&workspace(), &args)
    }

    #[test]
    fn each_environment_goes_by_its_setting_unless_the_flag_says_otherwise() {
        let named = |via| SnapshotArgs {
            environments: vec!["prod".into(), "staging".into()],
            via,
            ..SnapshotArgs::default()
        };
        assert_eq!(
            split(named(None)),
            (vec!["prod".into()], vec!["staging".into()])
        );
        assert_eq!(
            split(named(Some(Via::Ansible))),
            (vec!["prod".into(), "staging".into()], vec![])
        );
        assert_eq!(
            split(named(Some(Via::Ssh))),
            (vec![], vec!["prod".into(), "staging".into()])
        );
        let all = SnapshotArgs {
            all: true,
            ..SnapshotArgs::default()
        };
        assert_eq!(
            split(all),
            (vec!["prod".into()], vec!["dev".into(), "staging".into()])
        );
        assert_eq!(skipped_by_all(&workspace()), ["empty"]);
        let local = SnapshotArgs {
            local: true,
            ..SnapshotArgs::default()
        };
        assert_eq!(split(local), (vec![], vec![]));
    }
}
