//! The compared sides of the explorer as references: `ENV` (each host's newest snapshot),
//! `ENV@TIME` (each host's newest snapshot at or before a time) and `ENV/HOST`,
//! `ENV/HOST@TIME` (one host only, picked in a host's timeline). Building them is pure;
//! [`resolve_side`] loads the snapshots a reference names, for the comparison worker.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, SubsecRound, TimeDelta, Utc};
use color_eyre::eyre::{Result, eyre};

use crate::store::{ResolvedSide, SnapshotMeta, TimeSpec, Workspace, compact_time};

/// One side of a comparison: an environment (or one of its hosts) at a point of its
/// timeline, or at its newest snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidePick {
    /// The environment, by index into the workspace's environments.
    pub env: usize,
    /// One host only, when picked in that host's timeline.
    pub host: Option<String>,
    /// The point's time; `None` for the newest snapshots.
    pub at: Option<DateTime<Utc>>,
}

impl SidePick {
    /// The reference the worker resolves: `ENV`, `ENV@TIME`, `ENV/HOST` or
    /// `ENV/HOST@TIME`, where TIME selects the newest snapshots at or before the point.
    pub fn reference(&self, env_name: &str) -> String {
        let mut reference = env_name.to_string();
        if let Some(host) = &self.host {
            reference.push('/');
            reference.push_str(host);
        }
        if let Some(at) = self.at {
            reference.push('@');
            reference.push_str(&reference_time(at));
        }
        reference
    }
}

/// `at` in whole seconds, rounded up so that a snapshot taken at `at` is selected.
pub fn reference_time(at: DateTime<Utc>) -> String {
    let whole = at.trunc_subsecs(0);
    let at = if whole < at {
        whole + TimeDelta::seconds(1)
    } else {
        whole
    };
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A side's label, short for display: `prod@2026-11-21T22:00:15Z` reads
/// `prod@11-21 22:00`; labels without a full time are unchanged.
pub fn short_label(label: &str) -> Cow<'_, str> {
    let Some((name, at)) = label.rsplit_once('@') else {
        return Cow::Borrowed(label);
    };
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => Cow::Owned(format!(
            "{name}@{}",
            t.with_timezone(&Utc).format("%m-%d %H:%M")
        )),
        Err(_) => Cow::Borrowed(label),
    }
}

/// What a reference selects, before any snapshot is read.
struct Selected<'a> {
    env: &'a str,
    host: Option<&'a str>,
    at: Option<DateTime<Utc>>,
}

/// Reads `ENV`, `ENV@TIME`, `ENV/HOST` or `ENV/HOST@TIME`; `None` for a snapshot file or
/// a time that does not read (which [`Workspace::resolve`] then explains).
fn select(reference: &str) -> Option<Selected<'_>> {
    if reference.ends_with(".json") {
        return None;
    }
    let split = reference.find(['/', '@']);
    let env = split.map_or(reference, |i| &reference[..i]);
    let time = |text: &str| TimeSpec::parse(text, Utc::now()).ok().map(|t| t.0);
    match split.map(|i| (reference.as_bytes()[i], &reference[i + 1..])) {
        None => Some(Selected {
            env,
            host: None,
            at: None,
        }),
        Some((b'@', text)) => Some(Selected {
            env,
            host: None,
            at: Some(time(text)?),
        }),
        Some((_, rest)) => {
            // A host name may hold '@'; only a suffix that reads as a time is one.
            let (host, at) = match rest.rsplit_once('@').and_then(|(h, t)| Some((h, time(t)?))) {
                Some((host, at)) => (host, Some(at)),
                None => (rest, None),
            };
            Some(Selected {
                env,
                host: Some(host),
                at,
            })
        }
    }
}

/// The stored snapshots `reference` selects now, without reading them (empty when it
/// selects none, or names a file); a cache of loaded sides is current while they stay
/// the same.
pub fn picked(workspace: &Workspace, reference: &str) -> Vec<SnapshotMeta> {
    let Some(selected) = select(reference.trim()) else {
        return Vec::new();
    };
    workspace
        .history
        .latest(selected.env, selected.at)
        .into_iter()
        .filter(|m| selected.host.is_none_or(|h| m.host == h))
        .cloned()
        .collect()
}

/// Loads the snapshots `reference` names: `ENV/HOST` and `ENV/HOST@TIME` here, anything
/// else through [`Workspace::resolve`]. The side is labelled with the reference.
pub fn resolve_side(workspace: &Workspace, reference: &str) -> Result<ResolvedSide> {
    let reference = reference.trim();
    let scoped = select(reference)
        .filter(|s| s.host.is_some() && !workspace.history.of_environment(s.env).is_empty());
    let Some(Selected {
        env,
        host: Some(host),
        at,
    }) = scoped
    else {
        return workspace.resolve(reference);
    };
    let picked: Vec<_> = workspace
        .history
        .latest(env, at)
        .into_iter()
        .filter(|m| m.host == host)
        .collect();
    if picked.is_empty() {
        return Err(match at {
            Some(at) => eyre!(
                "no snapshot of {env}/{host} at or before {}",
                compact_time(at)
            ),
            None => eyre!("host '{host}' has no snapshots in '{env}'"),
        });
    }
    let snapshots = picked
        .into_iter()
        .map(|meta| workspace.load(meta))
        .collect::<Result<Vec<_>>>()?;
    Ok(ResolvedSide {
        label: reference.to_string(),
        snapshots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn pick(host: Option<&str>, at: Option<DateTime<Utc>>) -> SidePick {
        SidePick {
            env: 0,
            host: host.map(str::to_string),
            at,
        }
    }

    #[test]
    fn references_round_fractions_up_and_name_the_host() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 22, 0, 15).unwrap();
        assert_eq!(
            pick(None, Some(t)).reference("prod"),
            "prod@2026-11-21T22:00:15Z"
        );
        assert_eq!(
            pick(Some("web-1"), Some(t)).reference("prod"),
            "prod/web-1@2026-11-21T22:00:15Z"
        );
        assert_eq!(pick(Some("web-1"), None).reference("prod"), "prod/web-1");
        assert_eq!(pick(None, None).reference("prod"), "prod");
        let later = t + TimeDelta::milliseconds(250);
        assert_eq!(reference_time(later), "2026-11-21T22:00:16Z");
    }

    #[test]
    fn short_labels_keep_the_name_and_the_minute() {
        assert_eq!(short_label("prod@2026-11-21T22:00:15Z"), "prod@11-21 22:00");
        assert_eq!(
            short_label("prod/web-1@2026-11-21T22:00:15Z"),
            "prod/web-1@11-21 22:00"
        );
        assert_eq!(short_label("prod"), "prod");
        assert_eq!(short_label("prod@-2d"), "prod@-2d");
    }

    #[test]
    fn host_references_select_that_hosts_snapshot_only() {
        let ws = crate::demo::workspace();
        let metas: Vec<_> = ws
            .history
            .of_environment("prod")
            .iter()
            .filter(|m| m.host == "prod-web-2")
            .collect();
        let older = metas[metas.len() - 2].taken_at;
        let reference = pick(Some("prod-web-2"), Some(older)).reference("prod");
        let side = resolve_side(&ws, &reference).unwrap();
        assert_eq!(side.label, reference);
        assert_eq!(side.snapshots.len(), 1);
        assert_eq!(
            (side.snapshots[0].host.as_str(), side.snapshots[0].taken_at),
            ("prod-web-2", older)
        );
        let newest = resolve_side(&ws, "prod/prod-web-2").unwrap();
        assert_eq!(
            newest.snapshots[0].taken_at,
            metas[metas.len() - 1].taken_at
        );
        let all = resolve_side(&ws, "prod").unwrap();
        assert_eq!(all.snapshots.len(), 3);
    }

    #[test]
    fn picked_names_the_snapshots_a_reference_selects() {
        let ws = crate::demo::workspace();
        let newest = ws.history.latest("prod", None);
        let of = |r: &str| -> Vec<(String, DateTime<Utc>)> {
            picked(&ws, r)
                .into_iter()
                .map(|m| (m.host, m.taken_at))
                .collect()
        };
        assert_eq!(of("prod").len(), 3);
        assert_eq!(
            of("prod/prod-web-2"),
            [("prod-web-2".to_string(), newest[1].taken_at)]
        );
        let earlier = newest[1].taken_at - TimeDelta::days(1);
        let at = reference_time(earlier);
        assert!(of(&format!("prod@{at}")).iter().all(|(_, t)| *t <= earlier));
        assert_eq!(of(&format!("prod/prod-web-2@{at}")).len(), 1);
        assert!(of("prod@not-a-time").is_empty());
        assert!(of("qa").is_empty());
        assert!(of("old/prod.json").is_empty());
    }

    #[test]
    fn unknown_hosts_and_times_before_the_first_snapshot_are_one_line_errors() {
        let ws = crate::demo::workspace();
        let err = resolve_side(&ws, "prod/web-9").unwrap_err().to_string();
        assert_eq!(err, "host 'web-9' has no snapshots in 'prod'");
        let err = resolve_side(&ws, "prod/prod-web-1@2001-01-01T00:00:00Z")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "no snapshot of prod/prod-web-1 at or before 2001-01-01T00:00Z"
        );
        let err = format!("{:#}", resolve_side(&ws, "qa/web-1").unwrap_err());
        assert!(err.contains("qa") && !err.contains('\n'), "{err}");
    }
}
