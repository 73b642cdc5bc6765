//! Alignment and classification of facts across sides.
//!
//! Every host's facts are already sorted (category, then key), so all hosts of all
//! sides are aligned by one k-way merge: linear in the number of facts times hosts.
//! A fact that every host holds with one value is settled by an equality check alone;
//! only drifting facts (or equal ones, when asked for) are built into the report.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::collections::btree_map;
use std::ops::Range;

use super::comparison::against_baseline;
use super::severity::{Rating, priority, rate_fact};
use super::version::Scheme;
use super::{
    CategoryCounts, Cell, DiffOptions, DriftReport, FactDiff, HostGroup, HostInfo, Side,
    SideComparison, SideInfo, Status,
};
use crate::model::{Category, FactKey, Snapshot, Value};

#[cfg(test)]
mod tests;

/// Compares two or more sides; side 0 is the baseline.
///
/// Facts come out worst first: severity, then the severity ladder's rung, the kind of
/// change, missing before differing, then category and key (see `severity::priority`). See [`DriftReport`] for what each part holds.
pub fn compare(sides: &[Side<'_>], options: &DiffOptions) -> DriftReport {
    let facts: usize = sides
        .iter()
        .flat_map(|side| &side.snapshots)
        .map(|host| host.fact_count())
        .sum();
    compare_threaded(sides, options, facts >= PARALLEL_FACTS)
}

/// [`compare`], with each category on its own thread when `threaded`: the same report
/// either way.
fn compare_threaded(sides: &[Side<'_>], options: &DiffOptions, threaded: bool) -> DriftReport {
    let layout = Layout::new(sides);
    let wanted: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| options.category.is_none_or(|only| only == *c))
        .collect();
    let compared: Vec<(CategoryCounts, Vec<FactDiff>)> = if threaded {
        // Categories are independent: compare them on as many threads.
        std::thread::scope(|scope| {
            let handles: Vec<_> = wanted
                .iter()
                .map(|&category| {
                    let layout = &layout;
                    scope.spawn(move || compare_category(layout, category, options))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    } else {
        wanted
            .iter()
            .map(|&category| compare_category(&layout, category, options))
            .collect()
    };

    let mut categories: BTreeMap<Category, CategoryCounts> = Category::ALL
        .into_iter()
        .map(|c| (c, CategoryCounts::default()))
        .collect();
    let mut facts = Vec::with_capacity(compared.iter().map(|(_, f)| f.len()).sum());
    for (category, (counts, category_facts)) in wanted.into_iter().zip(compared) {
        categories.insert(category, counts);
        facts.extend(category_facts);
    }

    facts.sort_by(priority);
    DriftReport {
        sides: layout.side_infos(sides),
        facts,
        categories,
    }
}

/// The fewest facts (all hosts together) worth comparing on one thread per category.
const PARALLEL_FACTS: usize = 20_000;

/// Compares one category of every host: its counts, and the facts to report.
fn compare_category(
    layout: &Layout<'_>,
    category: Category,
    options: &DiffOptions,
) -> (CategoryCounts, Vec<FactDiff>) {
    let mut counts = CategoryCounts::default();
    let mut facts = Vec::new();
    let mut key_buffer = String::new();
    merge_category(&layout.hosts, category, |key, values| {
        if options
            .ignore
            .matches_parts(category.as_str(), key, &mut key_buffer)
        {
            counts.ignored += 1;
            return;
        }
        counts.facts += 1;
        if all_equal(values) && !options.include_equal {
            return;
        }
        let fact = layout.diff_fact(FactKey::new(category, key), values);
        if fact.is_drift() {
            counts.drift += 1;
            *counts.by_severity.entry(fact.severity).or_default() += 1;
        }
        if fact.is_drift() || options.include_equal {
            facts.push(fact);
        }
    });
    (counts, facts)
}

/// A host's package manager, as its `versions/packages.manager` fact names it.
fn package_manager(host: &Snapshot) -> Option<&str> {
    match host
        .facts
        .get(&Category::Versions)?
        .get("packages.manager")?
    {
        Value::Scalar(crate::model::Scalar::String(name)) => Some(name.as_str()),
        _ => None,
    }
}

/// True when every host holds the fact, all with the same value.
fn all_equal(values: &[Option<&Value>]) -> bool {
    match values.split_first() {
        Some((Some(first), rest)) => rest
            .iter()
            .all(|v| v.is_some_and(|v| std::ptr::eq(v, *first) || v == *first)),
        _ => false,
    }
}

/// Walks one category of every host in key order, calling `visit` once per key with
/// each host's value (`None` where the host lacks the key).
pub(super) fn merge_category<'a>(
    hosts: &[&'a Snapshot],
    category: Category,
    mut visit: impl FnMut(&'a str, &[Option<&'a Value>]),
) {
    let mut iters: Vec<btree_map::Iter<'a, String, Value>> = hosts
        .iter()
        .map(|h| h.facts.get(&category).map(|m| m.iter()).unwrap_or_default())
        .collect();
    let mut heads: Vec<Option<(&'a String, &'a Value)>> =
        iters.iter_mut().map(Iterator::next).collect();
    let mut values: Vec<Option<&'a Value>> = vec![None; hosts.len()];
    loop {
        // One pass finds the smallest key and which hosts hold it: each key is
        // compared once, which matters when the walk is bound by memory.
        let mut min: Option<&'a String> = None;
        for (h, head) in heads.iter().enumerate() {
            let Some((key, value)) = *head else {
                values[h] = None;
                continue;
            };
            match min.map(|m| key.cmp(m)) {
                None | Some(Ordering::Less) => {
                    min = Some(key);
                    values[..h].fill(None);
                    values[h] = Some(value);
                }
                Some(Ordering::Equal) => values[h] = Some(value),
                Some(Ordering::Greater) => values[h] = None,
            }
        }
        let Some(min) = min else {
            return;
        };
        for ((head, iter), value) in heads.iter_mut().zip(&mut iters).zip(&values) {
            if value.is_some() {
                *head = iter.next();
            }
        }
        visit(min, &values);
    }
}

/// The hosts of all sides in one list, and which slice of it each side owns.
struct Layout<'a> {
    hosts: Vec<&'a Snapshot>,
    sides: Vec<Range<usize>>,
    /// Each host's package manager (its `versions/packages.manager` fact), if known.
    managers: Vec<Option<&'a str>>,
}

impl<'a> Layout<'a> {
    fn new(sides: &[Side<'a>]) -> Layout<'a> {
        let mut hosts = Vec::new();
        let mut ranges = Vec::with_capacity(sides.len());
        for side in sides {
            let start = hosts.len();
            hosts.extend(side.snapshots.iter().copied());
            ranges.push(start..hosts.len());
        }
        let managers = hosts.iter().map(|h| package_manager(h)).collect();
        Layout {
            hosts,
            sides: ranges,
            managers,
        }
    }

    /// The version scheme of a fact: the one its holders recorded when they agree,
    /// else by its key and the package manager of the hosts holding it (plain when
    /// they disagree).
    fn scheme(&self, key: &FactKey, values: &[Option<&Value>]) -> Scheme {
        if key.category != Category::Versions {
            return Scheme::Plain;
        }
        let mut recorded = values
            .iter()
            .zip(&self.hosts)
            .filter(|(v, _)| v.is_some())
            .map(|(_, host)| host.scheme_of(&key.key));
        if let Some(Some(first)) = recorded.next() {
            if recorded.all(|r| r == Some(first)) {
                if let Some(scheme) = Scheme::from_name(first) {
                    return scheme;
                }
            }
        }
        let mut holders = values
            .iter()
            .zip(&self.managers)
            .filter(|(v, _)| v.is_some())
            .map(|(_, m)| *m);
        let first = holders.next().flatten();
        let manager = if holders.all(|m| m == first) {
            first
        } else {
            None
        };
        Scheme::for_fact(&key.key, manager)
    }

    fn side_infos(&self, sides: &[Side<'_>]) -> Vec<SideInfo> {
        sides
            .iter()
            .map(|side| SideInfo {
                label: side.label.clone(),
                environment: side
                    .snapshots
                    .first()
                    .map_or_else(String::new, |s| s.environment.clone()),
                host: None,
                at: None,
                hosts: side
                    .snapshots
                    .iter()
                    .map(|s| HostInfo {
                        host: s.host.clone(),
                        taken_at: s.taken_at,
                    })
                    .collect(),
            })
            .collect()
    }

    /// Builds the full diff of one fact from every host's value.
    fn diff_fact(&self, key: FactKey, values: &[Option<&Value>]) -> FactDiff {
        let cells: Vec<Cell> = self
            .sides
            .iter()
            .map(|range| self.cell(range.clone(), &values[range.clone()]))
            .collect();

        let divergent = cells.iter().any(|c| matches!(c, Cell::Divergent { .. }));
        // Two or more sides holding exactly the same cells (the same hosts with the same
        // values, as when an environment is compared with its own past) do not drift,
        // even when their hosts disagree among themselves: nothing changed between them.
        // The disagreement stays visible through `divergent`.
        if cells.len() >= 2 && cells.windows(2).all(|pair| pair[0] == pair[1]) {
            return FactDiff {
                key,
                status: Status::Equal,
                divergent,
                severity: Rating::NONE.severity,
                change: Rating::NONE.change,
                cells,
                comparisons: Vec::new(),
            };
        }

        let mut distinct: Vec<Option<&Value>> = Vec::new();
        for v in values {
            if !distinct.contains(v) {
                distinct.push(*v);
            }
        }
        let scheme = self.scheme(&key, values);
        let mut rating = Rating::NONE;
        for (i, a) in distinct.iter().enumerate() {
            for b in &distinct[i + 1..] {
                rating = rating.worse(rate_fact(&key, scheme, *a, *b));
            }
        }

        let status = if cells.iter().any(|c| matches!(c, Cell::Absent)) {
            Status::Missing
        } else if divergent || distinct.len() > 1 {
            Status::Differs
        } else {
            Status::Equal
        };

        let comparisons = match cells.first().and_then(Cell::value) {
            Some(base) => cells
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(side, cell)| {
                    let other = cell.value().filter(|o| *o != base)?;
                    let comparison = against_baseline(base, other, scheme)?;
                    Some(SideComparison { side, comparison })
                })
                .collect(),
            None => Vec::new(),
        };

        FactDiff {
            key,
            status,
            divergent,
            severity: rating.severity,
            change: rating.change,
            cells,
            comparisons,
        }
    }

    /// One side's cell from its hosts' values (`hosts` are indices into `self.hosts`).
    fn cell(&self, hosts: Range<usize>, values: &[Option<&Value>]) -> Cell {
        if values.iter().all(Option::is_none) {
            return Cell::Absent;
        }
        if all_equal(values)
            && let Some(Some(value)) = values.first()
        {
            return Cell::Present {
                value: (*value).clone(),
            };
        }
        let mut groups: Vec<(Option<&Value>, Vec<String>)> = Vec::new();
        for (host, value) in hosts.zip(values) {
            let name = self.hosts[host].host.clone();
            match groups.iter_mut().find(|(v, _)| v == value) {
                Some((_, names)) => names.push(name),
                None => groups.push((*value, vec![name])),
            }
        }
        for (_, names) in &mut groups {
            names.sort();
        }
        // Largest group first, ties by first host name; hosts lacking the fact last.
        groups.sort_by(|(va, a), (vb, b)| {
            va.is_none()
                .cmp(&vb.is_none())
                .then(b.len().cmp(&a.len()))
                .then_with(|| a.cmp(b))
        });
        Cell::Divergent {
            groups: groups
                .into_iter()
                .map(|(value, hosts)| HostGroup {
                    value: value.cloned(),
                    hosts,
                })
                .collect(),
        }
    }
}
