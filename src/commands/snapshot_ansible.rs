//! `driftscope snapshot --via ansible` (or `via = "ansible"`): collect an environment by
//! running the probe script through `ansible-playbook`, and store one snapshot per host
//! that answered, exactly as a direct collection stores it.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use color_eyre::eyre::{Result, eyre};

use crate::collect::Collector;
use crate::collect::import::Imported;
use crate::collect::via_ansible;
use crate::collect::via_ansible::callback::EventKind;
use crate::collect::via_ansible::fetched::{self, ReadContext};
use crate::collect::via_ansible::playbook::{CLEANUP_TASK, FETCH_TASK, render};
use crate::collect::via_ansible::runner::{self, Launch};
use crate::model::sanitize;
use crate::store::Workspace;

/// How one environment's run went: hosts stored and hosts that failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Hosts whose snapshot was stored.
    pub stored: usize,
    /// Hosts that could not be collected or stored.
    pub failed: usize,
}

/// Collects `environment` through Ansible with `collector`'s probes and redaction;
/// `forks` overrides Ansible's own `--forks`. Progress goes to `progress`, one
/// `stored …`/`failed …` line per host to `out`.
pub fn collect_environment(
    workspace: &mut Workspace,
    root: &Path,
    environment: &str,
    collector: &Collector,
    forks: Option<usize>,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> Result<Tally> {
    let prepared = via_ansible::prepare(
        Some(root),
        &workspace.config.environments,
        environment,
        collector,
    )
    .map_err(|e| eyre!(e))?;
    let launch = Launch {
        program: via_ansible::program(),
        inventory: prepared.inventory.clone(),
        forks,
        args: prepared.ansible_args.clone(),
        dir: Some(root.to_path_buf()),
    };
    let total = prepared.jobs.len();
    writeln!(
        progress,
        "collecting {total} host{} of {environment} through ansible-playbook (inventory {})",
        if total == 1 { "" } else { "s" },
        sanitize(&prepared.inventory_shown.display().to_string(), false)
    )?;
    let text = render(&prepared.plan, &[]);
    let mut running = runner::launch(&text, &launch).map_err(|e| eyre!(e))?;
    let output = running.output();
    let started = Instant::now();
    let context = ReadContext {
        environment,
        redactor: collector.redactor(),
        max_output: collector.settings().max_output.0,
        taken_at: None,
    };
    let mut seen = BTreeSet::new();
    let mut ended: BTreeSet<String> = BTreeSet::new();
    let mut tally = Tally::default();
    let mut done = 0;
    while let Some(event) = running.next_event() {
        let host = event.host.clone();
        let label = sanitize(&format!("{environment}/{host}"), false).into_owned();
        if ended.contains(&host) {
            if event.task == CLEANUP_TASK && event.event == EventKind::Failed {
                super::warn(
                    progress,
                    &format!(
                        "{label}: the temporary folder was left on the host: {}",
                        collector.redactor().line(&event.reason)
                    ),
                );
            }
            continue;
        }
        match event.event {
            EventKind::Start => {
                if seen.insert(host.clone()) {
                    writeln!(progress, "[{done}/{total}] started  {label}")?;
                }
            }
            EventKind::Ok if event.task == FETCH_TASK => {
                done += 1;
                let secs = started.elapsed().as_secs_f64();
                let result =
                    fetched::read_host(&output, &host, prepared.probes_of(&host), &context)
                        .map_err(|e| collector.redactor().line(&e));
                ended.insert(host.clone());
                let step = format!("[{done}/{total}]");
                if store_host(workspace, root, result, &label, &step, secs, out, progress)? {
                    tally.stored += 1;
                } else {
                    tally.failed += 1;
                }
            }
            EventKind::Failed | EventKind::Unreachable => {
                done += 1;
                tally.failed += 1;
                ended.insert(host.clone());
                let what = if event.event == EventKind::Unreachable {
                    "unreachable"
                } else {
                    "failed"
                };
                let reason = collector.redactor().line(&first_line(&event.reason));
                writeln!(progress, "[{done}/{total}] FAILED   {label}")?;
                writeln!(
                    out,
                    "failed {label}: {what} ({}): {}",
                    sanitize(&event.task, false),
                    sanitize(&reason, false)
                )?;
            }
            EventKind::Ok | EventKind::Skipped => {}
        }
    }
    let finished = running.finish().map_err(|e| eyre!(e))?;
    let why = match finished.last_error() {
        Some(line) if !finished.status.success() => collector.redactor().line(line),
        None if !finished.status.success() => {
            format!("ansible-playbook exited with {}", finished.status)
        }
        _ => "the play left it out: a --limit, or a host pattern without it".to_string(),
    };
    let missing: Vec<&str> = prepared
        .jobs
        .iter()
        .map(|j| j.host.as_str())
        .filter(|h| !ended.contains(*h))
        .collect();
    if ended.is_empty() && !finished.status.success() {
        return Err(eyre!(
            "environment '{environment}': ansible-playbook ran no host: {}",
            sanitize(&why, false)
        ));
    }
    for host in missing {
        tally.failed += 1;
        writeln!(
            out,
            "failed {}: ansible-playbook did not run the probe script on it ({})",
            sanitize(&format!("{environment}/{host}"), false),
            sanitize(&why, false)
        )?;
    }
    writeln!(
        progress,
        "{} of {total} host{} of {environment} collected through Ansible",
        tally.stored,
        if total == 1 { "" } else { "s" }
    )?;
    Ok(tally)
}

/// Stores the snapshot read from one host's fetched output, or reports why there is
/// none; true when it was stored. `step` is the `[done/total]` progress prefix.
#[allow(clippy::too_many_arguments)]
fn store_host(
    workspace: &mut Workspace,
    root: &Path,
    read: Result<Imported, String>,
    label: &str,
    step: &str,
    secs: f64,
    out: &mut dyn Write,
    progress: &mut dyn Write,
) -> Result<bool> {
    let imported = match read {
        Ok(imported) => imported,
        Err(reason) => {
            writeln!(progress, "{step} FAILED   {label}")?;
            writeln!(out, "failed {label}: {}", sanitize(&reason, false))?;
            return Ok(false);
        }
    };
    let shown = super::snapshot::HostShown {
        label,
        step,
        timing: &format!("at {secs:.1}s"),
    };
    super::snapshot::store_collected(
        workspace,
        root,
        &imported.snapshot,
        &imported.notes,
        &shown,
        out,
        progress,
    )
}

/// The first non-empty line of `text`, trimmed.
fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no reason given")
        .to_string()
}
