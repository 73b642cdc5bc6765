//! Retention: which stored snapshots to keep, per host, and deleting the rest.
//!
//! Rules work as in common backup tools. `keep_last N` keeps each host's N newest
//! snapshots; `keep_daily N` keeps the newest snapshot of each of the host's N most
//! recent days that have one (UTC days); `keep_weekly N` the same for ISO weeks. A
//! snapshot kept by any rule is kept, and a host's newest snapshot is always kept.

use std::fmt;

use chrono::Datelike;
use color_eyre::eyre::{Result, eyre};

use super::paths::display_path;
use super::{History, Location, SnapshotMeta, Workspace};

/// How many snapshots each rule keeps, per host; 0 turns a rule off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// The newest N snapshots.
    pub keep_last: usize,
    /// The newest snapshot of each of the N most recent days.
    pub keep_daily: usize,
    /// The newest snapshot of each of the N most recent ISO weeks.
    pub keep_weekly: usize,
}

impl Retention {
    /// True when no rule is on, so only each host's newest snapshot would survive.
    pub fn is_empty(&self) -> bool {
        self.keep_last == 0 && self.keep_daily == 0 && self.keep_weekly == 0
    }
}

/// Why a snapshot is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeepReason {
    /// It is the host's newest snapshot.
    Newest,
    /// Among the newest `keep_last`.
    Last,
    /// The newest of its day, within `keep_daily`.
    Daily,
    /// The newest of its week, within `keep_weekly`.
    Weekly,
}

impl fmt::Display for KeepReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeepReason::Newest => "newest",
            KeepReason::Last => "last",
            KeepReason::Daily => "daily",
            KeepReason::Weekly => "weekly",
        })
    }
}

/// The verdict on one snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The snapshot.
    pub meta: SnapshotMeta,
    /// Why it is kept; empty when it is to be deleted.
    pub keep: Vec<KeepReason>,
}

impl Verdict {
    /// True when the snapshot is kept.
    pub fn is_kept(&self) -> bool {
        !self.keep.is_empty()
    }
}

/// The verdicts for one host's snapshots, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPlan {
    /// The environment.
    pub environment: String,
    /// The host.
    pub host: String,
    /// One verdict per snapshot, newest first.
    pub verdicts: Vec<Verdict>,
}

impl HostPlan {
    /// The snapshots to delete.
    pub fn deleted(&self) -> impl Iterator<Item = &SnapshotMeta> {
        self.verdicts
            .iter()
            .filter(|v| !v.is_kept())
            .map(|v| &v.meta)
    }
}

/// Decides, per host, what `rules` keep of the snapshots of `environment` (every
/// environment when `None`) and `host` (every host when `None`).
pub fn plan(
    history: &History,
    environment: Option<&str>,
    host: Option<&str>,
    rules: &Retention,
) -> Vec<HostPlan> {
    let mut plans: Vec<HostPlan> = Vec::new();
    let chosen = history.entries.iter().filter(|m| {
        environment.is_none_or(|env| m.environment == env) && host.is_none_or(|h| m.host == h)
    });
    // Entries are sorted by environment, host, then time.
    let mut groups: Vec<Vec<&SnapshotMeta>> = Vec::new();
    for meta in chosen {
        match groups.last_mut() {
            Some(group)
                if group[0].environment == meta.environment && group[0].host == meta.host =>
            {
                group.push(meta);
            }
            _ => groups.push(vec![meta]),
        }
    }
    for group in groups {
        plans.push(plan_host(&group, rules));
    }
    plans
}

/// The verdicts for one host's snapshots, given oldest first.
fn plan_host(metas: &[&SnapshotMeta], rules: &Retention) -> HostPlan {
    let mut verdicts: Vec<Verdict> = metas
        .iter()
        .rev()
        .map(|m| Verdict {
            meta: (*m).clone(),
            keep: Vec::new(),
        })
        .collect();
    if let Some(newest) = verdicts.first_mut() {
        newest.keep.push(KeepReason::Newest);
    }
    for verdict in verdicts.iter_mut().take(rules.keep_last) {
        verdict.keep.push(KeepReason::Last);
    }
    keep_newest_per_period(&mut verdicts, rules.keep_daily, KeepReason::Daily, |m| {
        let day = m.taken_at.date_naive();
        (day.year(), day.ordinal())
    });
    keep_newest_per_period(&mut verdicts, rules.keep_weekly, KeepReason::Weekly, |m| {
        let week = m.taken_at.iso_week();
        (week.year(), week.week())
    });
    HostPlan {
        environment: metas
            .first()
            .map(|m| m.environment.clone())
            .unwrap_or_default(),
        host: metas.first().map(|m| m.host.clone()).unwrap_or_default(),
        verdicts,
    }
}

/// Marks the newest snapshot of each of the `count` most recent periods (verdicts are
/// newest first).
fn keep_newest_per_period(
    verdicts: &mut [Verdict],
    count: usize,
    reason: KeepReason,
    period: impl Fn(&SnapshotMeta) -> (i32, u32),
) {
    let mut last_period = None;
    let mut kept = 0;
    for verdict in verdicts.iter_mut() {
        if kept == count {
            break;
        }
        let this = period(&verdict.meta);
        if last_period != Some(this) {
            last_period = Some(this);
            verdict.keep.push(reason);
            kept += 1;
        }
    }
}

/// What [`apply`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Snapshots deleted.
    pub deleted: usize,
    /// Files that could not be deleted, each with a one-line reason naming the file.
    pub failures: Vec<String>,
}

/// Deletes the snapshots `plans` do not keep, and drops them from the workspace's
/// history. A file that cannot be deleted is reported and the others still go.
pub fn apply(workspace: &mut Workspace, plans: &[HostPlan]) -> Result<Pruned> {
    if workspace.is_demo() {
        return Err(eyre!("the demo workspace is read-only"));
    }
    let mut pruned = Pruned::default();
    for plan in plans {
        // Never delete a host's newest snapshot, whatever the plan says.
        let newest = plan.verdicts.first().map(|v| &v.meta.location);
        for meta in plan.deleted() {
            if Some(&meta.location) == newest {
                continue;
            }
            let Location::File(path) = &meta.location else {
                continue;
            };
            let shown = display_path(workspace.root.as_deref(), path);
            match std::fs::remove_file(path) {
                Ok(()) => {
                    pruned.deleted += 1;
                    workspace
                        .history
                        .entries
                        .retain(|entry| entry.location != meta.location);
                }
                Err(e) => pruned.failures.push(format!("{shown}: cannot delete: {e}")),
            }
        }
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};
    use std::path::PathBuf;

    fn meta(host: &str, taken_at: DateTime<Utc>) -> SnapshotMeta {
        SnapshotMeta {
            environment: "prod".into(),
            host: host.into(),
            taken_at,
            fact_count: 1,
            error_count: 0,
            location: Location::File(PathBuf::from(format!("{host}/{taken_at}.json"))),
        }
    }

    /// Two snapshots a day (09:00 and 21:00) for `days` days from 2026-11-01.
    fn history(days: u32) -> History {
        let mut history = History::default();
        for d in 1..=days {
            for h in [9, 21] {
                let t = Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
                history.insert(meta("web-1", t));
            }
        }
        history
    }

    fn kept_times(plan: &HostPlan) -> Vec<String> {
        plan.verdicts
            .iter()
            .filter(|v| v.is_kept())
            .map(|v| v.meta.taken_at.format("%d %H").to_string())
            .collect()
    }

    #[test]
    fn keep_last_keeps_the_newest_n() {
        let rules = Retention {
            keep_last: 3,
            ..Retention::default()
        };
        let plans = plan(&history(5), None, None, &rules);
        assert_eq!(plans.len(), 1);
        assert_eq!(kept_times(&plans[0]), ["05 21", "05 09", "04 21"]);
        assert_eq!(plans[0].deleted().count(), 7);
    }

    #[test]
    fn keep_daily_keeps_the_newest_of_each_recent_day() {
        let rules = Retention {
            keep_daily: 3,
            ..Retention::default()
        };
        let plans = plan(&history(5), Some("prod"), Some("web-1"), &rules);
        assert_eq!(kept_times(&plans[0]), ["05 21", "04 21", "03 21"]);
        assert_eq!(
            plans[0].verdicts[0].keep,
            [KeepReason::Newest, KeepReason::Daily]
        );
    }

    #[test]
    fn keep_weekly_uses_iso_weeks_and_rules_add_up() {
        // 2026-11-01 is a Sunday: days 1, 2–8 and 9–14 fall in three ISO weeks.
        let rules = Retention {
            keep_last: 1,
            keep_weekly: 3,
            ..Retention::default()
        };
        let plans = plan(&history(14), None, None, &rules);
        assert_eq!(kept_times(&plans[0]), ["14 21", "08 21", "01 21"]);
        assert_eq!(
            plans[0].verdicts[0].keep,
            [KeepReason::Newest, KeepReason::Last, KeepReason::Weekly]
        );
    }

    #[test]
    fn without_rules_only_the_newest_survives_and_hosts_are_separate() {
        let mut history = history(2);
        let t = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
        history.insert(meta("web-2", t));
        let rules = Retention::default();
        assert!(rules.is_empty());
        let plans = plan(&history, None, None, &rules);
        assert_eq!(plans.len(), 2);
        assert_eq!(kept_times(&plans[0]), ["02 21"]);
        assert_eq!(plans[1].host, "web-2");
        assert_eq!(kept_times(&plans[1]), ["01 00"]);
        assert!(plan(&history, Some("staging"), None, &rules).is_empty());
    }
}
