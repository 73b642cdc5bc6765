//! Host divergence in words, for sides of any width: a side whose hosts disagree reads
//! as its majority first and the hosts that stray from it by name — "497 hosts hold
//! 3.0.13; 3 hold 3.0.11: prod-web-17, prod-web-203, prod-web-404" — with the names and
//! the values capped unless every host is asked for. A side of a few hosts names them all,
//! value by value, as "3.0.13 on web-1, web-2; 3.0.11 on web-3".

use crate::diff::HostGroup;
use crate::diff::hosts::majority;
use crate::model::sanitize;

use super::describe::{RedactionClasses, group_value_summary};

/// How many host names and values a rendering shows for a side whose hosts disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostNames {
    /// Host names listed per value before the rest is counted ("and 12 more").
    pub names: usize,
    /// Values listed before the rest is counted ("and 4 other values on 9 hosts").
    pub values: usize,
}

impl HostNames {
    /// The summary every rendering starts with.
    pub const SUMMARY: HostNames = HostNames {
        names: 5,
        values: 6,
    };

    /// Every host and every value.
    pub const ALL: HostNames = HostNames {
        names: usize::MAX,
        values: usize::MAX,
    };

    /// [`HostNames::ALL`] when `all`, else [`HostNames::SUMMARY`].
    pub fn all_if(all: bool) -> HostNames {
        if all {
            HostNames::ALL
        } else {
            HostNames::SUMMARY
        }
    }

    /// True when a side of `hosts` hosts reads majority first ("497 hosts hold …")
    /// rather than value by value: past the summary's name cap, whatever `self` lists.
    pub fn is_wide(&self, hosts: usize) -> bool {
        hosts > HostNames::SUMMARY.names
    }
}

impl Default for HostNames {
    fn default() -> HostNames {
        HostNames::SUMMARY
    }
}

/// Up to `cap` names joined with `, `, then `and N more`; terminal-safe.
pub fn named(names: &[String], cap: usize) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(cap)
        .map(|n| sanitize(n, false).into_owned())
        .collect();
    let mut out = shown.join(", ");
    if names.len() > cap {
        out.push_str(&format!(" and {} more", names.len() - cap));
    }
    out
}

/// The hosts of `groups` in all.
pub fn host_count(groups: &[HostGroup]) -> usize {
    groups.iter().map(|g| g.hosts.len()).sum()
}

/// Who holds one group's value, for the line after the value: the hosts by name (capped),
/// or, for a wide side's majority larger than the cap, just how many of the side's hosts.
pub fn holders(group: &HostGroup, groups: &[HostGroup], hosts: HostNames) -> String {
    let total = host_count(groups);
    let is_majority = majority(groups).is_some_and(|m| std::ptr::eq(m, group));
    if is_majority && group.hosts.len() > hosts.names {
        return format!("{} of {total} hosts", group.hosts.len());
    }
    named(&group.hosts, hosts.names)
}

/// The values past the cap, in words: `and 4 other values on 9 hosts`; `None` when every
/// value is shown.
pub fn rest_of(groups: &[HostGroup], hosts: HostNames) -> Option<String> {
    let rest = groups.get(hosts.values..).filter(|r| !r.is_empty())?;
    let on = host_count(rest);
    Some(format!(
        "and {} other value{} on {on} host{}",
        rest.len(),
        if rest.len() == 1 { "" } else { "s" },
        if on == 1 { "" } else { "s" },
    ))
}

/// One side's divergence on one line, majority first. A side of more hosts than the
/// summary's name cap reads "497 hosts hold 3.0.13; 3 hold 3.0.11: prod-web-17, …" (or,
/// when every host holds a value of its own and not every value is asked for, "each of
/// the 500 hosts holds a value of its own"); a smaller one "3.0.13 on web-1, web-2;
/// 3.0.11 on web-3". Terminal-safe.
pub fn divergence(groups: &[HostGroup], classes: &RedactionClasses, hosts: HostNames) -> String {
    let total = host_count(groups);
    if hosts.is_wide(total) && groups.len() == total && hosts.values < total {
        return format!("each of the {total} hosts holds a value of its own");
    }
    let mut parts: Vec<String> = Vec::new();
    for (i, group) in groups.iter().take(hosts.values).enumerate() {
        let value = group_value_summary(group, classes);
        if !hosts.is_wide(total) {
            parts.push(format!("{value} on {}", named(&group.hosts, hosts.names)));
            continue;
        }
        let n = group.hosts.len();
        let subject = if i == 0 {
            format!("{n} host{}", if n == 1 { "" } else { "s" })
        } else {
            n.to_string()
        };
        let verb = match (&group.value, n) {
            (None, 1) => "lacks it".to_string(),
            (None, _) => "lack it".to_string(),
            (Some(_), 1) => format!("holds {value}"),
            (Some(_), _) => format!("hold {value}"),
        };
        let is_majority = majority(groups).is_some_and(|m| std::ptr::eq(m, group));
        if is_majority && n > hosts.names {
            parts.push(format!("{subject} {verb}"));
        } else {
            parts.push(format!(
                "{subject} {verb}: {}",
                named(&group.hosts, hosts.names)
            ));
        }
    }
    let mut out = parts.join("; ");
    if let Some(rest) = rest_of(groups, hosts) {
        out.push_str("; ");
        out.push_str(&rest);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    fn group(value: Option<&str>, hosts: impl IntoIterator<Item = String>) -> HostGroup {
        HostGroup {
            value: value.map(Value::string),
            hosts: hosts.into_iter().collect(),
        }
    }

    fn web(numbers: impl IntoIterator<Item = usize>) -> Vec<String> {
        numbers
            .into_iter()
            .map(|i| format!("prod-web-{i}"))
            .collect()
    }

    fn wide() -> Vec<HostGroup> {
        let strays = [17, 203, 404];
        vec![
            group(
                Some("3.0.13"),
                web((1..=500).filter(|i| !strays.contains(i))),
            ),
            group(Some("3.0.11"), web(strays)),
        ]
    }

    #[test]
    fn a_wide_side_reads_as_its_majority_and_the_hosts_that_stray() {
        let line = divergence(&wide(), &RedactionClasses::default(), HostNames::SUMMARY);
        assert_eq!(
            line,
            "497 hosts hold 3.0.13; 3 hold 3.0.11: prod-web-17, prod-web-203, prod-web-404"
        );
    }

    #[test]
    fn names_and_values_past_the_cap_are_counted_and_all_lists_them() {
        let mut groups = vec![group(Some("1.24"), web(1..=480))];
        groups.push(group(Some("1.22"), web(481..=489)));
        for i in 490..=500 {
            groups.push(group(Some(&format!("1.{i}")), web([i])));
        }
        groups.push(group(None, ["prod-db-1".to_string()]));
        let line = divergence(&groups, &RedactionClasses::default(), HostNames::SUMMARY);
        assert!(
            line.starts_with(
                "480 hosts hold 1.24; 9 hold 1.22: prod-web-481, prod-web-482, prod-web-483, \
                 prod-web-484, prod-web-485 and 4 more; 1 holds 1.490: prod-web-490; "
            ),
            "{line}"
        );
        assert!(line.ends_with("; and 8 other values on 8 hosts"), "{line}");
        let all = divergence(&groups, &RedactionClasses::default(), HostNames::ALL);
        assert!(all.contains("prod-web-1, prod-web-2,"), "{all}");
        assert!(all.ends_with("1 lacks it: prod-db-1"), "{all}");
        assert!(!all.contains("more"), "{all}");
    }

    #[test]
    fn hosts_that_each_hold_their_own_value_are_not_listed_one_by_one() {
        let groups: Vec<HostGroup> = (1..=40)
            .map(|i| group(Some(&format!("id-{i}")), web([i])))
            .collect();
        let line = divergence(&groups, &RedactionClasses::default(), HostNames::SUMMARY);
        assert_eq!(line, "each of the 40 hosts holds a value of its own");
        let all = divergence(&groups, &RedactionClasses::default(), HostNames::ALL);
        assert!(
            all.starts_with("1 host holds id-1: prod-web-1; 1 holds id-2"),
            "{all}"
        );
    }

    #[test]
    fn a_small_side_names_every_host_by_value() {
        let groups = [
            group(Some("1.24"), web([1, 2, 3])),
            group(Some("1.22"), web([4])),
        ];
        let line = divergence(&groups, &RedactionClasses::default(), HostNames::SUMMARY);
        assert_eq!(
            line,
            "1.24 on prod-web-1, prod-web-2, prod-web-3; 1.22 on prod-web-4"
        );
    }

    #[test]
    fn holders_count_a_wide_majority_and_name_the_rest() {
        let groups = wide();
        assert_eq!(
            holders(&groups[0], &groups, HostNames::SUMMARY),
            "497 of 500 hosts"
        );
        assert_eq!(
            holders(&groups[1], &groups, HostNames::SUMMARY),
            "prod-web-17, prod-web-203, prod-web-404"
        );
        assert_eq!(rest_of(&groups, HostNames::SUMMARY), None);
    }

    #[test]
    fn a_wide_comparison_reads_majority_first_in_text_and_markdown() {
        use crate::demo::wide::{WideShape, environments};
        use crate::diff::{DiffOptions, Side, compare};
        use crate::report::{Palette, markdown, text};
        let shape = WideShape {
            hosts: 40,
            facts: 60,
            drift_percent: 0,
            outliers: 2,
            strays: 3,
        };
        let (staging, prod) = environments(shape, 3);
        let sides = [
            Side {
                label: "staging".into(),
                snapshots: staging.iter().collect(),
            },
            Side {
                label: "prod".into(),
                snapshots: prod.iter().collect(),
            },
        ];
        let report = compare(&sides, &DiffOptions::default());
        let plain = text::TextOptions::new(Palette::plain());
        let out = text::render(&report, &plain);
        assert!(out.contains("prod     40 hosts disagree:"), "{out}");
        assert!(out.contains("on 38 of 40 hosts"), "{out}");
        assert!(out.contains("on prod-web-11\n"), "{out}");
        assert!(out.contains("on prod-web-18\n"), "{out}");
        assert!(
            !out.contains("on prod-web-1,"),
            "the majority is counted: {out}"
        );
        assert!(
            out.contains("40 hosts disagree, each holding a value of its own:"),
            "{out}"
        );
        let all = text::render(
            &report,
            &text::TextOptions {
                hosts: HostNames::ALL,
                ..plain
            },
        );
        assert!(
            all.contains("on prod-web-1, prod-web-10, prod-web-12,"),
            "{all}"
        );
        assert!(
            all.contains("prod-web-40\n"),
            "every hostname value is listed: {all}"
        );
        let md = markdown::render(&report);
        assert!(md.contains("38 hosts hold "), "{md}");
        assert!(
            md.contains("1 holds 9.0.11: prod-web-11; 1 holds 9.0.18: prod-web-18"),
            "{md}"
        );
    }

    #[test]
    fn host_names_are_made_terminal_safe() {
        let names = vec!["web\u{1b}[2J".to_string(), "b".into(), "c".into()];
        assert_eq!(named(&names, 2), "web^[[2J, b and 1 more");
    }
}
