//! Picking the stored snapshots of one environment, or of one host of it, with errors
//! that say what exists instead.

use color_eyre::eyre::{Result, eyre};

use super::{SnapshotMeta, Workspace};
use crate::model::sanitize;

/// The snapshots of `env` (of `host` only, when given), sorted by host then time.
///
/// Fails, naming what exists, when the environment or the host has no snapshots.
pub fn snapshots_of<'w>(
    workspace: &'w Workspace,
    env: &str,
    host: Option<&str>,
) -> Result<Vec<&'w SnapshotMeta>> {
    let all = workspace.history.of_environment(env);
    if all.is_empty() {
        let mut known = workspace.history.environments();
        known.extend(workspace.config.environments.keys().cloned());
        known.sort();
        known.dedup();
        let env = sanitize(env, false);
        if workspace.config.environments.contains_key(env.as_ref()) {
            return Err(eyre!(
                "environment '{env}' has no snapshots yet; run `driftscope snapshot {env}`"
            ));
        }
        let known = if known.is_empty() {
            "none".to_string()
        } else {
            sanitize(&known.join(", "), false).into_owned()
        };
        return Err(eyre!("unknown environment '{env}' (known: {known})"));
    }
    let Some(host) = host else {
        return Ok(all.iter().collect());
    };
    let picked: Vec<&SnapshotMeta> = all.iter().filter(|m| m.host == host).collect();
    if picked.is_empty() {
        let mut hosts: Vec<&str> = all.iter().map(|m| m.host.as_str()).collect();
        hosts.dedup();
        return Err(eyre!(
            "no snapshots of host '{}' in environment '{}' (its hosts: {})",
            sanitize(host, false),
            sanitize(env, false),
            sanitize(&hosts.join(", "), false)
        ));
    }
    Ok(picked)
}
