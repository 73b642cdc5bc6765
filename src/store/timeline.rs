//! The timeline of an environment, or of one of its hosts: its stored snapshots in time
//! order, with how many facts changed since the snapshot before, so bursts of change
//! stand out.
//!
//! For a whole environment, snapshots taken together (one collection run) make one
//! point: a run ends at a gap of more than [`RUN_GAP`] or when a host comes round again.
//! A point's change count is the number of distinct facts that changed on any of its
//! hosts against that host's previous snapshot, found with [`crate::diff::compare`]
//! under the workspace's ignore rules. Only metadata is kept in memory; snapshots are
//! loaded two at a time, and a [`ChangeCache`] lets a caller that asks again (the
//! explorer, after a new snapshot arrives) diff only the new pairs.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use color_eyre::eyre::{Result, eyre};

use super::selection::snapshots_of;
use super::{Location, SnapshotMeta, Workspace};
use crate::config::CONFIG_FILE;
use crate::diff::{self, DiffOptions, IgnoreRules, Side};
use crate::model::{FactKey, Snapshot};

/// The longest quiet gap inside one collection run of an environment.
pub const RUN_GAP: TimeDelta = TimeDelta::minutes(10);

/// One point of a timeline: the snapshots of one collection run (or, for one host, one
/// snapshot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinePoint {
    /// The newest snapshot time of the point: `ENV@` this time selects the environment
    /// as it was once the point's snapshots were all taken.
    pub taken_at: DateTime<Utc>,
    /// The hosts snapshotted at this point, sorted.
    pub hosts: Vec<String>,
    /// How many distinct facts changed on the point's hosts since each one's previous
    /// snapshot; `None` when none of them had a previous snapshot.
    pub changed_since_previous: Option<usize>,
    /// Those facts, sorted.
    pub changed_facts: Vec<FactKey>,
    /// The point's snapshots, one per host, in host order.
    pub snapshots: Vec<SnapshotMeta>,
}

impl TimelinePoint {
    /// The reference (`prod@2026-11-20T09:30:05Z`) that selects `environment` as it was
    /// at this point, for [`Workspace::resolve`] and the command line.
    pub fn reference(&self, environment: &str) -> String {
        format!(
            "{environment}@{}",
            self.taken_at.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    }
}

/// Facts that changed between two stored snapshots, remembered by their locations.
///
/// Snapshots are immutable, so an entry stays true for as long as the ignore rules it
/// was computed under; a cache used with other rules forgets its entries.
#[derive(Debug, Clone, Default)]
pub struct ChangeCache {
    ignore: Vec<String>,
    pairs: HashMap<(Location, Location), Arc<[FactKey]>>,
}

impl ChangeCache {
    /// How many snapshot pairs are remembered.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The timeline of `env`, or of its host `host`, oldest point first.
///
/// Fails when the environment (or host) has no snapshots, when a snapshot cannot be
/// read, or on a bad ignore pattern; each error names the environment, file or setting.
pub fn timeline(
    workspace: &Workspace,
    env: &str,
    host: Option<&str>,
) -> Result<Vec<TimelinePoint>> {
    timeline_cached(workspace, env, host, &mut ChangeCache::default())
}

/// [`timeline`], reusing and filling `cache` so that only new snapshot pairs are diffed.
pub fn timeline_cached(
    workspace: &Workspace,
    env: &str,
    host: Option<&str>,
    cache: &mut ChangeCache,
) -> Result<Vec<TimelinePoint>> {
    let metas = snapshots_of(workspace, env, host)?;
    let ignore = IgnoreRules::new(&workspace.config.ignore.facts)
        .map_err(|e| eyre!("{CONFIG_FILE}: ignore.facts: {e}"))?;
    if cache.ignore != ignore.patterns() {
        cache.pairs.clear();
        cache.ignore = ignore.patterns().to_vec();
    }
    let changes = changes_per_snapshot(workspace, &metas, &ignore, cache)?;
    let groups = if host.is_some() {
        metas.iter().map(|m| vec![*m]).collect()
    } else {
        group_runs(&metas)
    };
    Ok(groups
        .into_iter()
        .map(|mut group| {
            group.sort_by(|a, b| a.host.cmp(&b.host));
            let mut any_previous = false;
            let mut changed: BTreeSet<FactKey> = BTreeSet::new();
            for meta in &group {
                if let Some(Some(keys)) = changes.get(&meta.location) {
                    any_previous = true;
                    changed.extend(keys.iter().cloned());
                }
            }
            TimelinePoint {
                taken_at: group.iter().map(|m| m.taken_at).max().unwrap_or_default(),
                hosts: group.iter().map(|m| m.host.clone()).collect(),
                changed_since_previous: any_previous.then_some(changed.len()),
                changed_facts: changed.into_iter().collect(),
                snapshots: group.into_iter().cloned().collect(),
            }
        })
        .collect())
}

/// Groups snapshots into collection runs, oldest first.
fn group_runs<'m>(metas: &[&'m SnapshotMeta]) -> Vec<Vec<&'m SnapshotMeta>> {
    let runs = run_numbers(metas, |m| (m.host.as_str(), m.taken_at));
    let mut grouped: Vec<Vec<&SnapshotMeta>> =
        vec![Vec::new(); runs.iter().max().map_or(0, |n| n + 1)];
    for (meta, run) in metas.iter().zip(runs) {
        grouped[run].push(meta);
    }
    grouped
}

/// The collection run of each item (given in any order), numbered from 0 in time
/// order. A run ends at a gap of more than [`RUN_GAP`] or when a host comes round again.
pub(crate) fn run_numbers<'a, T>(
    items: &'a [T],
    key: impl Fn(&'a T) -> (&'a str, DateTime<Utc>),
) -> Vec<usize> {
    let mut order: Vec<(usize, &str, DateTime<Utc>)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (host, time) = key(item);
            (i, host, time)
        })
        .collect();
    order.sort_by(|a, b| a.2.cmp(&b.2).then(a.1.cmp(b.1)));
    let mut numbers = vec![0; items.len()];
    let mut run = 0;
    let mut run_hosts: HashSet<&str> = HashSet::new();
    let mut last: Option<DateTime<Utc>> = None;
    for (i, host, time) in order {
        let joins = last.is_some_and(|last| time - last <= RUN_GAP) && !run_hosts.contains(&host);
        if !joins && last.is_some() {
            run += 1;
            run_hosts.clear();
        }
        run_hosts.insert(host);
        last = Some(time);
        numbers[i] = run;
    }
    numbers
}

/// For every snapshot, the facts changed since its host's previous snapshot (`None` for
/// a host's first). `metas` are sorted by host, then time.
fn changes_per_snapshot(
    workspace: &Workspace,
    metas: &[&SnapshotMeta],
    ignore: &IgnoreRules,
    cache: &mut ChangeCache,
) -> Result<HashMap<Location, Option<Arc<[FactKey]>>>> {
    let mut changes = HashMap::with_capacity(metas.len());
    // The newer snapshot of the last pair diffed, which is the older one of the next.
    let mut loaded: Option<(Location, Snapshot)> = None;
    for (i, meta) in metas.iter().enumerate() {
        let previous = i
            .checked_sub(1)
            .map(|p| metas[p])
            .filter(|p| p.host == meta.host);
        let Some(previous) = previous else {
            changes.insert(meta.location.clone(), None);
            continue;
        };
        let pair = (previous.location.clone(), meta.location.clone());
        if let Some(keys) = cache.pairs.get(&pair) {
            changes.insert(meta.location.clone(), Some(Arc::clone(keys)));
            continue;
        }
        let before = match loaded.take() {
            Some((location, snapshot)) if location == previous.location => snapshot,
            _ => workspace.load(previous)?,
        };
        let after = workspace.load(meta)?;
        let keys: Arc<[FactKey]> = changed_facts(&before, &after, ignore).into();
        cache.pairs.insert(pair, Arc::clone(&keys));
        changes.insert(meta.location.clone(), Some(keys));
        loaded = Some((meta.location.clone(), after));
    }
    Ok(changes)
}

/// The facts whose value differs between `before` and `after`, or that only one holds.
pub fn changed_facts(before: &Snapshot, after: &Snapshot, ignore: &IgnoreRules) -> Vec<FactKey> {
    let sides = [
        Side {
            label: "before".into(),
            snapshots: vec![before],
        },
        Side {
            label: "after".into(),
            snapshots: vec![after],
        },
    ];
    let options = DiffOptions {
        ignore: ignore.clone(),
        ..DiffOptions::default()
    };
    let mut keys: Vec<FactKey> = diff::compare(&sides, &options)
        .facts
        .into_iter()
        .map(|fact| fact.key)
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Source, Value};
    use chrono::TimeZone;

    fn at(day: u32, minute: u32, second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 9, minute, second)
            .unwrap()
    }

    fn meta(host: &str, taken_at: DateTime<Utc>) -> SnapshotMeta {
        SnapshotMeta {
            environment: "prod".into(),
            host: host.into(),
            taken_at,
            fact_count: 0,
            error_count: 0,
            location: Location::Embedded(0),
        }
    }

    #[test]
    fn runs_split_at_gaps_and_when_a_host_comes_round_again() {
        let metas = [
            meta("a", at(20, 0, 0)),
            meta("a", at(20, 5, 0)),
            meta("b", at(20, 0, 3)),
            meta("b", at(21, 0, 0)),
            meta("c", at(20, 9, 0)),
        ];
        let refs: Vec<&SnapshotMeta> = metas.iter().collect();
        let runs: Vec<Vec<(&str, DateTime<Utc>)>> = group_runs(&refs)
            .into_iter()
            .map(|run| run.iter().map(|m| (m.host.as_str(), m.taken_at)).collect())
            .collect();
        assert_eq!(
            runs,
            vec![
                vec![("a", at(20, 0, 0)), ("b", at(20, 0, 3))],
                vec![("a", at(20, 5, 0)), ("c", at(20, 9, 0))],
                vec![("b", at(21, 0, 0))],
            ]
        );
    }

    #[test]
    fn changed_facts_counts_changes_additions_and_removals_not_ignored_ones() {
        let mut before = Snapshot::new("prod", "a", at(20, 0, 0), Source::Demo);
        before.insert(Category::Versions, "kernel", Value::version("6.1"));
        before.insert(Category::Versions, "same", Value::version("1"));
        before.insert(Category::Infra, "uptime", Value::string("1d"));
        before.insert(Category::Config, "gone", Value::string("x"));
        let mut after = before.clone();
        after.insert(Category::Versions, "kernel", Value::version("6.2"));
        after.insert(Category::Infra, "uptime", Value::string("2d"));
        after.insert(Category::Network, "new", Value::string("y"));
        after.facts.get_mut(&Category::Config).unwrap().clear();
        let ignore = IgnoreRules::new(&["infra/uptime".to_string()]).unwrap();
        let keys: Vec<String> = changed_facts(&before, &after, &ignore)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(keys, ["versions/kernel", "config/gone", "network/new"]);
    }
}
