//! The history of one fact: each value it held over time, and when it was first and
//! last seen, so "when did this start?" has an answer.
//!
//! Each host's snapshots are walked in time order; a run of snapshots holding the same
//! value (or lacking the fact) is one stretch. Stretches of different hosts with the
//! same value that overlap in time are one entry, holding all their hosts. Only the
//! asked-for fact is read from each snapshot file.

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use super::fact_reader::read_fact;
use super::paths::display_path;
use super::selection::snapshots_of;
use super::timeline::run_numbers;
use super::{Location, Workspace};
use crate::model::{FactKey, Value};

/// One value a fact held, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The time of the first snapshot that showed this value.
    pub first_seen: DateTime<Utc>,
    /// The time of the last snapshot that showed it (before it changed, or the newest).
    pub last_seen: DateTime<Utc>,
    /// The hosts that held it then, sorted.
    pub hosts: Vec<String>,
    /// The value; `None` while the snapshots lacked the fact.
    pub value: Option<Value>,
}

/// What one snapshot said about a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The snapshot's host.
    pub host: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// The fact's value in it, if it had the fact.
    pub value: Option<Value>,
}

/// The history of `key` in `env` (on `host` only, when given), oldest entry first.
///
/// Fails when the environment or host has no snapshots, or a snapshot file cannot be
/// read (naming the file).
pub fn fact_history(
    workspace: &Workspace,
    env: &str,
    host: Option<&str>,
    key: &FactKey,
) -> Result<Vec<HistoryEntry>> {
    let metas = snapshots_of(workspace, env, host)?;
    let mut observations = Vec::with_capacity(metas.len());
    for meta in metas {
        let value = match &meta.location {
            Location::File(path) => read_fact(path, key)
                .map_err(|why| eyre!("{}: {why}", display_path(workspace.root.as_deref(), path)))?,
            Location::Embedded(_) => workspace.load(meta)?.get(key.category, &key.key).cloned(),
        };
        observations.push(Observation {
            host: meta.host.clone(),
            taken_at: meta.taken_at,
            value,
        });
    }
    Ok(history_of(observations))
}

/// Folds observations (in any order) into history entries, sorted by first and then
/// last sighting.
///
/// Stretches of different hosts overlap when they share a collection run (see
/// [`crate::store::timeline`]), so hosts collected seconds apart still make one entry.
pub fn history_of(observations: Vec<Observation>) -> Vec<HistoryEntry> {
    let runs = run_numbers(&observations, |o| (o.host.as_str(), o.taken_at));
    let mut observations: Vec<(usize, Observation)> = runs.into_iter().zip(observations).collect();
    observations.sort_by(|(_, a), (_, b)| a.host.cmp(&b.host).then(a.taken_at.cmp(&b.taken_at)));
    // Per host, maximal runs of one value.
    let mut stretches: Vec<Stretch> = Vec::new();
    for (run, obs) in observations {
        match stretches.last_mut() {
            Some(last) if last.entry.hosts[0] == obs.host && last.entry.value == obs.value => {
                last.entry.last_seen = obs.taken_at;
                last.runs.1 = run;
            }
            _ => stretches.push(Stretch {
                runs: (run, run),
                entry: HistoryEntry {
                    first_seen: obs.taken_at,
                    last_seen: obs.taken_at,
                    hosts: vec![obs.host],
                    value: obs.value,
                },
            }),
        }
    }
    // Per value, stretches that overlap become one entry.
    stretches.sort_by(|a, b| {
        a.runs
            .0
            .cmp(&b.runs.0)
            .then(a.entry.hosts.cmp(&b.entry.hosts))
    });
    let mut merged: Vec<Stretch> = Vec::new();
    for stretch in stretches {
        let open = merged
            .iter_mut()
            .rev()
            .find(|m| m.entry.value == stretch.entry.value && stretch.runs.0 <= m.runs.1);
        match open {
            Some(into) => {
                into.runs.1 = into.runs.1.max(stretch.runs.1);
                let entry = &mut into.entry;
                entry.first_seen = entry.first_seen.min(stretch.entry.first_seen);
                entry.last_seen = entry.last_seen.max(stretch.entry.last_seen);
                for host in stretch.entry.hosts {
                    if let Err(at) = entry.hosts.binary_search(&host) {
                        entry.hosts.insert(at, host);
                    }
                }
            }
            None => merged.push(stretch),
        }
    }
    let mut entries: Vec<HistoryEntry> = merged.into_iter().map(|m| m.entry).collect();
    entries.sort_by(|a, b| {
        a.first_seen
            .cmp(&b.first_seen)
            .then(a.last_seen.cmp(&b.last_seen))
    });
    entries
}

/// An entry in the making, with the collection runs it spans.
struct Stretch {
    runs: (usize, usize),
    entry: HistoryEntry,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap()
    }

    fn obs(host: &str, d: u32, value: Option<&str>) -> Observation {
        Observation {
            host: host.into(),
            taken_at: day(d),
            value: value.map(Value::version),
        }
    }

    fn entry(first: u32, last: u32, hosts: &[&str], value: Option<&str>) -> HistoryEntry {
        HistoryEntry {
            first_seen: day(first),
            last_seen: day(last),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            value: value.map(Value::version),
        }
    }

    #[test]
    fn a_change_on_some_hosts_starts_a_new_entry() {
        let history = history_of(vec![
            obs("b", 1, Some("1.0")),
            obs("a", 1, Some("1.0")),
            obs("a", 2, Some("1.0")),
            obs("b", 2, Some("1.0")),
            obs("a", 3, Some("1.1")),
            obs("b", 3, Some("1.0")),
            obs("a", 4, Some("1.1")),
            obs("b", 4, Some("1.0")),
        ]);
        assert_eq!(
            history,
            vec![
                entry(1, 4, &["a", "b"], Some("1.0")),
                entry(3, 4, &["a"], Some("1.1")),
            ]
        );
    }

    #[test]
    fn a_value_that_comes_back_after_a_gap_is_a_new_entry() {
        let history = history_of(vec![
            obs("a", 1, Some("1.0")),
            obs("a", 2, None),
            obs("a", 3, Some("1.0")),
        ]);
        assert_eq!(
            history,
            vec![
                entry(1, 1, &["a"], Some("1.0")),
                entry(2, 2, &["a"], None),
                entry(3, 3, &["a"], Some("1.0")),
            ]
        );
        assert!(history_of(Vec::new()).is_empty());
    }
}
