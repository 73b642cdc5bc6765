//! Wording shared by every rendering: names, value summaries, redaction classes.
//!
//! Every string returned here is already passed through [`sanitize`], so it is safe to
//! print on a terminal; renderers add only their own escaping (Markdown) on top.

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use crate::diff::{Cell, Comparison, FactDiff, HostGroup, RowTag, SideInfo, Status};
use crate::model::{Value, sanitize};

use super::hosts::HostNames;

/// A one-character marker of a fact's status: `≠` differs, `∅` missing somewhere,
/// `=` equal.
pub fn status_marker(fact: &FactDiff) -> &'static str {
    match fact.status {
        Status::Equal if !fact.divergent => "=",
        Status::Missing => "∅",
        _ => "≠",
    }
}

/// Cuts `text` to at most `max` characters, ending with `…` when cut.
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(format!("{kept}…"))
}

/// `text` wrapped into lines of at most `width` columns, breaking between words; a word
/// longer than a whole line (a path, a hash) is split, as nothing else would fit. Leading
/// indentation is kept; nothing is dropped, so the lines hold the whole text.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(8))
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .break_words(true);
    let lines: Vec<String> = textwrap::wrap(text, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// Numbers the distinct redacted fingerprints of one fact, in order of first appearance
/// (side order, then host-group order), so renderings can say which sides hold the same
/// secret without ever showing a fingerprint.
#[derive(Debug, Clone, Default)]
pub struct RedactionClasses {
    fingerprints: Vec<String>,
}

impl RedactionClasses {
    /// Collects the redacted values of `fact`'s cells.
    pub fn of(fact: &FactDiff) -> RedactionClasses {
        let mut classes = RedactionClasses::default();
        for cell in &fact.cells {
            match cell {
                Cell::Absent => {}
                Cell::Present { value } => classes.note(value),
                Cell::Divergent { groups } => {
                    for value in groups.iter().filter_map(|g| g.value.as_ref()) {
                        classes.note(value);
                    }
                }
            }
        }
        classes
    }

    fn note(&mut self, value: &Value) {
        if let Value::Redacted(fp) = value {
            if !self.fingerprints.iter().any(|f| f == fp) {
                self.fingerprints.push(fp.clone());
            }
        }
    }

    /// The 1-based class of a fingerprint, if the fact holds it.
    pub fn class(&self, fingerprint: &str) -> Option<usize> {
        self.fingerprints
            .iter()
            .position(|f| f == fingerprint)
            .map(|i| i + 1)
    }

    /// How many distinct fingerprints the fact holds.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// True when the fact holds no redacted value.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// A single-line, terminal-safe summary of one value.
///
/// A redacted value is described against `baseline` (the baseline side's value) as
/// `(redacted) same` or `(redacted) differs`; on the baseline side itself it is just
/// `(redacted)`. Fingerprints never appear.
pub fn value_summary(value: &Value, baseline: Option<&Value>) -> String {
    match (value, baseline) {
        (Value::Redacted(fp), Some(Value::Redacted(base))) => {
            if fp == base {
                "(redacted) same".to_string()
            } else {
                "(redacted) differs".to_string()
            }
        }
        (Value::Redacted(_), Some(_)) => "(redacted) differs".to_string(),
        (Value::Redacted(_), None) => "(redacted)".to_string(),
        (value, _) => sanitize(&value.summary(), false).into_owned(),
    }
}

/// A terminal-safe summary of a host group's value, with redacted values named by class
/// (`(redacted #2)`) and absence as `(absent)`.
pub fn group_value_summary(group: &HostGroup, classes: &RedactionClasses) -> String {
    match &group.value {
        None => "(absent)".to_string(),
        Some(Value::Redacted(fp)) => match classes.class(fp) {
            Some(n) => format!("(redacted #{n})"),
            None => "(redacted)".to_string(),
        },
        Some(value) => sanitize(&value.summary(), false).into_owned(),
    }
}

/// How a collection or record differs from the baseline's, for host groups whose full
/// value is too long to compare by eye: `same as baseline`, `+added −removed` members, or
/// changed `field=value` pairs. `None` when the values are of other or different kinds.
pub fn delta_from_baseline(value: &Value, baseline: &Value) -> Option<String> {
    if value == baseline {
        return Some("same as baseline".to_string());
    }
    let (parts, separator): (Vec<String>, &str) = match (value, baseline) {
        (Value::Set(v) | Value::List(v), Value::Set(b) | Value::List(b)) => {
            let added = v.iter().filter(|m| !b.contains(m)).map(|m| format!("+{m}"));
            let removed = b.iter().filter(|m| !v.contains(m)).map(|m| format!("−{m}"));
            let parts: Vec<String> = added.chain(removed).collect();
            if parts.is_empty() {
                return Some("same members, other order".to_string());
            }
            (parts, " ")
        }
        (Value::Record(v), Value::Record(b)) => {
            let changed = v
                .iter()
                .filter(|(k, val)| b.get(*k) != Some(*val))
                .map(|(k, val)| format!("{k}={val}"));
            let removed = b
                .keys()
                .filter(|k| !v.contains_key(*k))
                .map(|k| format!("−{k}"));
            (changed.chain(removed).collect(), ", ")
        }
        _ => return None,
    };
    Some(sanitize(&parts.join(separator), false).into_owned())
}

/// Up to `cap` names joined with `, `, then `+N more`; terminal-safe.
pub fn name_list(names: &[String], cap: usize) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(cap)
        .map(|n| sanitize(n, false).into_owned())
        .collect();
    if names.len() > cap {
        shown.push(format!("+{} more", names.len() - cap));
    }
    shown.join(", ")
}

/// A single-line, terminal-safe summary of one side's cell. `baseline` is side 0's cell
/// (`None` when summarising side 0 itself). Divergent cells read as their majority and
/// the hosts that stray from it (see [`super::hosts::divergence`]).
///
/// A redacted value is `same` or `differs` against a redacted baseline; when the baseline
/// holds no secret but the fact holds several, it is numbered instead (`(redacted #2)`).
pub fn cell_summary(cell: &Cell, baseline: Option<&Cell>, classes: &RedactionClasses) -> String {
    cell_summary_with(cell, baseline, classes, HostNames::SUMMARY)
}

/// [`cell_summary`], naming the hosts of a divergent cell as `hosts` says (see
/// [`super::hosts::divergence`]).
pub fn cell_summary_with(
    cell: &Cell,
    baseline: Option<&Cell>,
    classes: &RedactionClasses,
    hosts: HostNames,
) -> String {
    match cell {
        Cell::Absent => "(absent)".to_string(),
        Cell::Present {
            value: Value::Redacted(fp),
        } if classes.len() > 1
            && baseline.is_some_and(|b| !matches!(b.value(), Some(Value::Redacted(_)))) =>
        {
            match classes.class(fp) {
                Some(n) => format!("(redacted #{n})"),
                None => "(redacted)".to_string(),
            }
        }
        Cell::Present { value } => value_summary(value, baseline.and_then(Cell::value)),
        Cell::Divergent { groups } => super::hosts::divergence(groups, classes, hosts),
    }
}

/// A short, terminal-safe description of how a side differs from the baseline:
/// `newer, minor`, `+2 −1 members`, `+3 −1 lines`, `fields: port, tls`.
pub fn describe_comparison(comparison: &Comparison) -> String {
    match comparison {
        Comparison::Version { ordering, level } => {
            let direction = match ordering {
                Ordering::Less => "older",
                Ordering::Equal => "same order",
                Ordering::Greater => "newer",
            };
            format!("{direction}, {}", level.as_str())
        }
        Comparison::Text { rows } => {
            let (mut added, mut removed) = (0usize, 0usize);
            for row in rows {
                match row.tag {
                    RowTag::Equal => {}
                    RowTag::Changed => {
                        added += 1;
                        removed += 1;
                    }
                    RowTag::Added => added += 1,
                    RowTag::Removed => removed += 1,
                }
            }
            format!("+{added} −{removed} lines")
        }
        Comparison::Members { added, removed } => {
            format!("+{} −{} members", added.len(), removed.len())
        }
        Comparison::Fields { changes } => {
            let names: Vec<String> = changes.iter().map(|c| c.field.clone()).collect();
            format!("fields: {}", name_list(&names, 4))
        }
    }
}

/// A UTC time as `2026-11-20 09:30Z`.
pub fn short_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%MZ").to_string()
}

/// When a side's snapshots were taken: one time, or the range from oldest to newest.
pub fn side_times(side: &SideInfo) -> String {
    let oldest = side.hosts.iter().map(|h| h.taken_at).min();
    let newest = side.hosts.iter().map(|h| h.taken_at).max();
    match (oldest, newest) {
        (Some(a), Some(b)) if short_time(a) == short_time(b) => short_time(a),
        (Some(a), Some(b)) => format!("{} – {}", short_time(a), short_time(b)),
        _ => "no snapshots".to_string(),
    }
}

/// A side's hosts: `web-1, web-2, +3 more`.
pub fn side_hosts(side: &SideInfo, cap: usize) -> String {
    let names: Vec<String> = side.hosts.iter().map(|h| h.host.clone()).collect();
    name_list(&names, cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ChangeKind, Severity};
    use crate::model::{Category, FactKey};

    fn fact_with(cells: Vec<Cell>) -> FactDiff {
        FactDiff {
            key: FactKey::new(Category::Config, "env.API_TOKEN"),
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Secret,
            cells,
            comparisons: vec![],
        }
    }

    #[test]
    fn redacted_values_say_same_or_differs_and_hide_the_fingerprint() {
        let a = Value::Redacted("hmac-sha256:aaaa".into());
        let b = Value::Redacted("hmac-sha256:bbbb".into());
        assert_eq!(value_summary(&a, None), "(redacted)");
        assert_eq!(value_summary(&a, Some(&a)), "(redacted) same");
        assert_eq!(value_summary(&b, Some(&a)), "(redacted) differs");
    }

    #[test]
    fn redaction_classes_number_fingerprints_in_order_of_appearance() {
        let a = Value::Redacted("hmac-sha256:aaaa".into());
        let b = Value::Redacted("hmac-sha256:bbbb".into());
        let fact = fact_with(vec![
            Cell::Present { value: b.clone() },
            Cell::Divergent {
                groups: vec![
                    HostGroup {
                        value: Some(a.clone()),
                        hosts: vec!["web-1".into()],
                    },
                    HostGroup {
                        value: Some(b.clone()),
                        hosts: vec!["web-2".into()],
                    },
                ],
            },
        ]);
        let classes = RedactionClasses::of(&fact);
        assert_eq!(classes.len(), 2);
        assert_eq!(classes.class("hmac-sha256:bbbb"), Some(1));
        assert_eq!(classes.class("hmac-sha256:aaaa"), Some(2));
        let summary = cell_summary(&fact.cells[1], Some(&fact.cells[0]), &classes);
        assert_eq!(summary, "(redacted #2) on web-1; (redacted #1) on web-2");
        assert!(!summary.contains("aaaa"));
    }

    #[test]
    fn redacted_values_are_numbered_when_the_baseline_has_no_secret() {
        let a = Value::Redacted("hmac-sha256:aaaa".into());
        let b = Value::Redacted("hmac-sha256:bbbb".into());
        let fact = fact_with(vec![
            Cell::Absent,
            Cell::Present { value: a.clone() },
            Cell::Present { value: b.clone() },
        ]);
        let classes = RedactionClasses::of(&fact);
        let base = Some(&fact.cells[0]);
        assert_eq!(
            cell_summary(&fact.cells[1], base, &classes),
            "(redacted #1)"
        );
        assert_eq!(
            cell_summary(&fact.cells[2], base, &classes),
            "(redacted #2)"
        );
        let same = fact_with(vec![Cell::Absent, Cell::Present { value: a.clone() }]);
        let classes = RedactionClasses::of(&same);
        assert_eq!(
            cell_summary(&same.cells[1], Some(&same.cells[0]), &classes),
            "(redacted)"
        );
    }

    #[test]
    fn deltas_show_members_and_fields_against_the_baseline() {
        let base = Value::set(["a", "b", "c"]);
        assert_eq!(
            delta_from_baseline(&Value::set(["a", "c", "d"]), &base).as_deref(),
            Some("+d −b")
        );
        assert_eq!(
            delta_from_baseline(&base, &base).as_deref(),
            Some("same as baseline")
        );
        let rec = Value::record([("state", "active"), ("enabled", "yes")]);
        let other = Value::record([("state", "dead"), ("enabled", "yes")]);
        assert_eq!(
            delta_from_baseline(&other, &rec).as_deref(),
            Some("state=dead")
        );
        assert_eq!(delta_from_baseline(&Value::string("x"), &base), None);
    }

    #[test]
    fn summaries_neutralise_escape_sequences() {
        let v = Value::string("ok\u{1b}[31mred");
        assert_eq!(value_summary(&v, None), "ok^[[31mred");
        let names = vec!["web\u{1b}]0;x\u{7}".to_string()];
        assert_eq!(name_list(&names, 3), "web^[]0;x^G");
    }

    #[test]
    fn name_list_caps_and_counts_the_rest() {
        let names: Vec<String> = (1..=5).map(|i| format!("web-{i}")).collect();
        assert_eq!(name_list(&names, 2), "web-1, web-2, +3 more");
    }

    #[test]
    fn wrap_breaks_between_words_and_keeps_every_character() {
        let text = "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)";
        let lines = wrap(text, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:?}");
        assert_eq!(lines[0], "CREATE INDEX");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words.join(" "), text, "no word is cut or lost");
        let long = "a".repeat(25);
        assert_eq!(wrap(&long, 10).concat(), long);
        assert_eq!(wrap("    indented line", 40), ["    indented line"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn clip_cuts_long_text_with_an_ellipsis() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
    }

    #[test]
    fn comparisons_are_described_briefly() {
        let v = Comparison::Version {
            ordering: Ordering::Greater,
            level: ChangeKind::Minor,
        };
        assert_eq!(describe_comparison(&v), "newer, minor");
        let m = Comparison::Members {
            added: vec!["a".into(), "b".into()],
            removed: vec!["c".into()],
        };
        assert_eq!(describe_comparison(&m), "+2 −1 members");
    }
}
