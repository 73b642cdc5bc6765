//! One environment's hosts against each other: how far each host strays from its
//! environment's majority, and one host compared with its peers (the rest of its
//! environment), with the workspace's ignore rules and severity policy applied, as the
//! comparison pipeline applies them.

use color_eyre::eyre::{Result, eyre};

use super::compare::Compared;
use super::{ResolvedSide, SideRef, Workspace};
use crate::diff::hosts::{self, Strays};
use crate::diff::{DiffOptions, IgnoreRules};
use crate::model::{Category, Snapshot};

/// An environment's hosts, worst straying first.
#[derive(Debug, Clone)]
pub struct HostRanking {
    /// The environment side as typed (`prod`, `prod@2026-11-20`).
    pub label: String,
    /// Every host with its count of facts that stray from the majority, worst first,
    /// and the facts with no majority.
    pub strays: Strays,
}

/// The environment side of `side` (its host, if it names one, dropped) and the host it
/// names. A snapshot file is refused: it holds one host only.
pub fn split_host(side: &SideRef) -> Result<(SideRef, Option<String>)> {
    match side {
        SideRef::Environment { env, host, at } => Ok((
            SideRef::Environment {
                env: env.clone(),
                host: None,
                at: at.clone(),
            },
            host.clone(),
        )),
        SideRef::File(path) => Err(eyre!(
            "{}: a snapshot file holds one host; name an environment (ENV or ENV@TIME) to \
             compare its hosts",
            crate::model::sanitize(&path.display().to_string(), false)
        )),
    }
}

/// Loads the hosts of the environment `side` names (its newest snapshots, or those at
/// its time).
pub fn load_environment(workspace: &Workspace, side: &SideRef) -> Result<ResolvedSide> {
    let (environment, _) = split_host(side)?;
    workspace.resolve_side(&environment)
}

/// Ranks the hosts of `resolved` by how far each strays from their majority.
pub fn rank_hosts(
    workspace: &Workspace,
    resolved: &ResolvedSide,
    category: Option<Category>,
) -> Result<HostRanking> {
    let snapshots: Vec<&Snapshot> = resolved.snapshots.iter().collect();
    let options = options(workspace.config.ignore_rules()?, category);
    Ok(HostRanking {
        label: resolved.label.clone(),
        strays: hosts::strays(&snapshots, &options),
    })
}

/// Compares `host` of `resolved` with its peers: the facts on which it strays from
/// their majority, the peers as the baseline. Fails, naming the known hosts, when the
/// environment has no such host, and when it has no other host to compare with.
pub fn compare_with_peers(
    workspace: &Workspace,
    resolved: &ResolvedSide,
    host: &str,
    category: Option<Category>,
) -> Result<Compared> {
    let snapshots: Vec<&Snapshot> = resolved.snapshots.iter().collect();
    let env = &resolved.environment;
    if snapshots.len() < 2 && snapshots.iter().any(|s| s.host == host) {
        return Err(eyre!(
            "{}/{}: the environment has no other host to compare it with",
            crate::model::sanitize(env, false),
            crate::model::sanitize(host, false)
        ));
    }
    let options = options(workspace.config.ignore_rules()?, category);
    let Some(mut report) = hosts::compare_with_peers(&snapshots, host, &resolved.label, &options)
    else {
        let mut names: Vec<&str> = snapshots.iter().map(|s| s.host.as_str()).collect();
        names.sort_unstable();
        let mut known =
            crate::model::sanitize(&names[..names.len().min(10)].join(", "), false).into_owned();
        if names.len() > 10 {
            known.push_str(&format!(" and {} more", names.len() - 10));
        }
        return Err(eyre!(
            "{}: no host '{}' in this environment (hosts: {known})",
            crate::model::sanitize(&resolved.label, false),
            crate::model::sanitize(host, false)
        ));
    };
    for info in &mut report.sides {
        info.environment = env.clone();
        info.at = resolved.at;
    }
    if let Some(info) = report.sides.get_mut(1) {
        info.host = Some(host.to_string());
    }
    Compared::under_policy(workspace, report, vec![env.clone(), env.clone()])
}

fn options(ignore: IgnoreRules, category: Option<Category>) -> DiffOptions {
    DiffOptions {
        include_equal: false,
        category,
        ignore,
    }
}
