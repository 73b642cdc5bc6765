//! Wide environments: the value most of a side's hosts hold, how far each host of an
//! environment strays from its environment's majority, and one host compared with its
//! peers (the rest of its environment). Pure; no I/O.

use std::collections::BTreeMap;

use super::engine::merge_category;
use super::{CategoryCounts, Cell, DiffOptions, DriftReport, FactDiff, HostGroup, Side, compare};
use crate::model::{Category, FactKey, Snapshot, Value};

/// How many stray facts each [`HostStray`] names as examples.
pub const STRAY_EXAMPLES: usize = 3;

/// The group holding more hosts than any other group of a divergent cell (hosts lacking
/// the fact count as a group), or `None` when two groups tie for the most.
pub fn majority(groups: &[HostGroup]) -> Option<&HostGroup> {
    let most = groups.iter().map(|g| g.hosts.len()).max()?;
    let mut largest = groups.iter().filter(|g| g.hosts.len() == most);
    let first = largest.next()?;
    largest.next().is_none().then_some(first)
}

/// How far one host of an environment strays from the environment's majority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostStray {
    /// The host name.
    pub host: String,
    /// Facts on which the host holds another value than most hosts of its environment
    /// (or lacks a fact most hold, or holds one most lack).
    pub strays: usize,
    /// The facts the host holds.
    pub facts: usize,
    /// The first few stray facts, in category and key order.
    pub examples: Vec<FactKey>,
}

/// The hosts of one environment ranked by how far each strays from the majority.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strays {
    /// Every host, worst first (ties by host name).
    pub hosts: Vec<HostStray>,
    /// Facts on which the hosts disagree with no majority (two values tie for the most
    /// hosts): they count against no host.
    pub split: usize,
    /// The first few of those, in category and key order.
    pub split_examples: Vec<FactKey>,
}

/// Every host of one environment (`hosts`, one snapshot each) with the number of facts
/// on which it strays from the environment's majority, worst first (ties by host name).
///
/// A fact counts against each host that does not hold the majority's value; a fact on
/// which two values tie for the most hosts has no majority and counts against no one
/// (it is counted in [`Strays::split`]). Facts the options' ignore rules match, or
/// outside its category, are not counted.
pub fn strays(hosts: &[&Snapshot], options: &DiffOptions) -> Strays {
    let mut split = 0;
    let mut split_examples = Vec::new();
    let mut out: Vec<HostStray> = hosts
        .iter()
        .map(|h| HostStray {
            host: h.host.clone(),
            strays: 0,
            facts: 0,
            examples: Vec::new(),
        })
        .collect();
    let mut key_buffer = String::new();
    let mut tally: Vec<(Option<&Value>, usize)> = Vec::new();
    for category in Category::ALL {
        if options.category.is_some_and(|only| only != category) {
            continue;
        }
        merge_category(hosts, category, |key, values| {
            if options
                .ignore
                .matches_parts(category.as_str(), key, &mut key_buffer)
            {
                return;
            }
            for (stray, value) in out.iter_mut().zip(values) {
                stray.facts += usize::from(value.is_some());
            }
            if held_alike(values) {
                return;
            }
            tally.clear();
            for value in values {
                match tally.iter_mut().find(|(v, _)| v == value) {
                    Some((_, count)) => *count += 1,
                    None => tally.push((*value, 1)),
                }
            }
            let most = tally.iter().map(|(_, n)| *n).max().unwrap_or(0);
            let mut leaders = tally.iter().filter(|(_, n)| *n == most);
            let (Some((leader, _)), None) = (leaders.next(), leaders.next()) else {
                split += 1;
                if split_examples.len() < STRAY_EXAMPLES {
                    split_examples.push(FactKey::new(category, key));
                }
                return;
            };
            for (stray, value) in out.iter_mut().zip(values) {
                if value != leader {
                    stray.strays += 1;
                    if stray.examples.len() < STRAY_EXAMPLES {
                        stray.examples.push(FactKey::new(category, key));
                    }
                }
            }
        });
    }
    out.sort_by(|a, b| b.strays.cmp(&a.strays).then_with(|| a.host.cmp(&b.host)));
    Strays {
        hosts: out,
        split,
        split_examples,
    }
}

/// True when every host holds the fact with one value, or none holds it.
fn held_alike(values: &[Option<&Value>]) -> bool {
    match values.split_first() {
        Some((first, rest)) => rest.iter().all(|v| match (v, first) {
            (Some(v), Some(f)) => std::ptr::eq(*v, *f) || v == f,
            (None, None) => true,
            _ => false,
        }),
        None => true,
    }
}

/// Compares the host named `host` of one environment (`hosts`, one snapshot each) with
/// its peers, the environment's other hosts: the peers are the baseline (labelled
/// `{label} peers`), the host the other side (`{label}/{host}`). Only the facts on which
/// the host strays from its peers' majority are kept; counts follow. `None` when no
/// snapshot of `hosts` is the host's.
pub fn compare_with_peers(
    hosts: &[&Snapshot],
    host: &str,
    label: &str,
    options: &DiffOptions,
) -> Option<DriftReport> {
    let target = hosts.iter().find(|s| s.host == host)?;
    let peers: Vec<&Snapshot> = hosts.iter().copied().filter(|s| s.host != host).collect();
    let sides = [
        Side {
            label: format!("{label} peers"),
            snapshots: peers,
        },
        Side {
            label: host_label(label, host),
            snapshots: vec![target],
        },
    ];
    let options = DiffOptions {
        include_equal: false,
        ..options.clone()
    };
    let mut report = compare(&sides, &options);
    report.facts.retain(strays_from_peers);
    recount(&mut report);
    Some(report)
}

/// The reference of one host of the environment side `label`: `prod/web-17`, or
/// `prod/web-17@2026-11-20` for `prod@2026-11-20`.
pub fn host_label(label: &str, host: &str) -> String {
    match label.split_once('@') {
        Some((env, time)) => format!("{env}/{host}@{time}"),
        None => format!("{label}/{host}"),
    }
}

/// True when the host (side 1) holds a value the peers' (side 0) majority does not. A
/// fact on which the peers have no majority (two values tie for the most peers) is not
/// kept, as [`strays`] counts it against no host.
fn strays_from_peers(fact: &FactDiff) -> bool {
    let host = match fact.cells.get(1) {
        Some(Cell::Present { value }) => Some(value),
        Some(Cell::Absent) => None,
        // Side 1 is one host: it never diverges.
        Some(Cell::Divergent { .. }) | None => return true,
    };
    match fact.cells.first() {
        Some(Cell::Present { value }) => host != Some(value),
        Some(Cell::Absent) => host.is_some(),
        Some(Cell::Divergent { groups }) => {
            majority(groups).is_some_and(|m| m.value.as_ref() != host)
        }
        None => true,
    }
}

/// Recomputes each category's drift counts from the facts the report keeps.
fn recount(report: &mut DriftReport) {
    let mut drift: BTreeMap<Category, CategoryCounts> = BTreeMap::new();
    for fact in report.facts.iter().filter(|f| f.is_drift()) {
        let counts = drift.entry(fact.key.category).or_default();
        counts.drift += 1;
        *counts.by_severity.entry(fact.severity).or_default() += 1;
    }
    for (category, counts) in &mut report.categories {
        let kept = drift.remove(category).unwrap_or_default();
        counts.drift = kept.drift;
        counts.by_severity = kept.by_severity;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use chrono::{TimeZone, Utc};

    fn host(name: &str, facts: &[(&str, &str)]) -> Snapshot {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
        let mut s = Snapshot::new("prod", name, t, Source::Demo);
        for (key, value) in facts {
            s.insert(Category::Versions, *key, Value::string(*value));
        }
        s
    }

    fn group(value: Option<&str>, hosts: &[&str]) -> HostGroup {
        HostGroup {
            value: value.map(Value::string),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
        }
    }

    #[test]
    fn the_majority_is_the_one_largest_group_and_a_tie_has_none() {
        let groups = [group(Some("a"), &["1", "2"]), group(None, &["3", "4", "5"])];
        assert_eq!(majority(&groups), Some(&groups[1]));
        let tie = [group(Some("a"), &["1"]), group(Some("b"), &["2"])];
        assert_eq!(majority(&tie), None);
    }

    #[test]
    fn hosts_are_ranked_by_the_facts_where_they_leave_the_majority() {
        let common = [("openssl", "3.0.13"), ("nginx", "1.24")];
        let mut hosts: Vec<Snapshot> = (1..=6)
            .map(|i| host(&format!("web-{i}"), &common))
            .collect();
        hosts[2] = host("web-3", &[("openssl", "3.0.11"), ("nginx", "1.22")]);
        hosts[4] = host(
            "web-5",
            &[("openssl", "3.0.11"), ("nginx", "1.24"), ("x", "1")],
        );
        let refs: Vec<&Snapshot> = hosts.iter().collect();
        let ranked = strays(&refs, &DiffOptions::default()).hosts;
        let names: Vec<(&str, usize)> =
            ranked.iter().map(|s| (s.host.as_str(), s.strays)).collect();
        assert_eq!(
            names,
            [
                ("web-3", 2),
                ("web-5", 2),
                ("web-1", 0),
                ("web-2", 0),
                ("web-4", 0),
                ("web-6", 0)
            ]
        );
        assert_eq!(ranked[1].facts, 3);
        let examples: Vec<String> = ranked[1].examples.iter().map(|k| k.to_string()).collect();
        assert_eq!(examples, ["versions/openssl", "versions/x"]);
    }

    #[test]
    fn a_tie_counts_against_no_host() {
        let hosts = [host("a", &[("k", "1")]), host("b", &[("k", "2")])];
        let refs: Vec<&Snapshot> = hosts.iter().collect();
        let ranked = strays(&refs, &DiffOptions::default());
        assert!(ranked.hosts.iter().all(|s| s.strays == 0));
        assert_eq!(ranked.split, 1);
        assert_eq!(ranked.split_examples[0].to_string(), "versions/k");
    }

    #[test]
    fn a_host_against_its_peers_keeps_only_where_it_leaves_their_majority() {
        let hosts = [
            host(
                "web-1",
                &[("openssl", "3.0.13"), ("nginx", "1.24"), ("id", "1")],
            ),
            host(
                "web-2",
                &[("openssl", "3.0.13"), ("nginx", "1.22"), ("id", "2")],
            ),
            host(
                "web-3",
                &[("openssl", "3.0.13"), ("nginx", "1.24"), ("id", "3")],
            ),
            host(
                "web-4",
                &[("openssl", "3.0.11"), ("nginx", "1.24"), ("id", "4")],
            ),
        ];
        let refs: Vec<&Snapshot> = hosts.iter().collect();
        let report = compare_with_peers(&refs, "web-4", "prod", &DiffOptions::default()).unwrap();
        let keys: Vec<String> = report.facts.iter().map(|f| f.key.to_string()).collect();
        assert_eq!(
            keys,
            ["versions/openssl"],
            "nginx: web-4 holds the peers' majority; id: the peers have none"
        );
        assert_eq!(report.drift_count(), 1);
        assert_eq!(report.sides[0].label, "prod peers");
        assert_eq!(report.sides[1].label, "prod/web-4");
        assert_eq!(report.sides[0].hosts.len(), 3);
        assert!(compare_with_peers(&refs, "web-9", "prod", &DiffOptions::default()).is_none());
        assert_eq!(host_label("prod@-1d", "web-4"), "prod/web-4@-1d");
    }
}
