//! The diff pane's content for one fact, as data: aligned text rows, a grid of values
//! (versions, records, scalars, secrets) or per-side lists (set members, host groups).
//! Built from the report on demand; rendering only lays it out.

use crate::report::hosts::{HostNames, holders, host_count, rest_of};
use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::diff::{Cell, ChangeKind, Comparison, FactDiff, RowTag, Severity, TextLine, TextRow};
use crate::model::Value;

use crate::tui::theme::Role;

/// A piece of text and the role that styles it. Text is raw: sanitise before drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Styled {
    /// The text.
    pub text: String,
    /// Its role.
    pub role: Role,
}

fn styled(text: impl Into<String>, role: Role) -> Styled {
    Styled {
        text: text.into(),
        role,
    }
}

/// One row of a grid: a label, then one cell per side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    /// What the row shows (`version`, a field name…).
    pub label: String,
    /// One cell per side.
    pub cells: Vec<Styled>,
}

/// What the diff pane shows below its headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffBody<'a> {
    /// The baseline and side `other` as aligned text rows.
    Text {
        /// The side on the right (1-based; the baseline is on the left).
        other: usize,
        /// The rows.
        rows: Cow<'a, [TextRow]>,
    },
    /// Labelled rows with one cell per side.
    Grid {
        /// The rows.
        rows: Vec<GridRow>,
    },
    /// A free list per side.
    Lists {
        /// One list per side.
        columns: Vec<Vec<Styled>>,
    },
}

impl DiffBody<'_> {
    /// The number of rows the body needs.
    pub fn height(&self) -> usize {
        match self {
            DiffBody::Text { rows, .. } => rows.len(),
            DiffBody::Grid { rows } => rows.len(),
            DiffBody::Lists { columns } => columns.iter().map(Vec::len).max().unwrap_or(0),
        }
    }
}

/// The severity of a single side's version difference.
pub fn level_severity(level: ChangeKind) -> Severity {
    match level {
        ChangeKind::None => Severity::None,
        ChangeKind::Major | ChangeKind::Missing => Severity::Critical,
        ChangeKind::Minor => Severity::High,
        ChangeKind::Patch => Severity::Medium,
        ChangeKind::Build | ChangeKind::Whitespace | ChangeKind::Order => Severity::Low,
        _ => Severity::High,
    }
}

/// The role that colours a severity.
pub fn severity_role(severity: Severity) -> Role {
    match severity {
        Severity::Critical => Role::SeverityCritical,
        Severity::High => Role::SeverityHigh,
        Severity::Medium => Role::SeverityMedium,
        Severity::Low => Role::SeverityLow,
        Severity::None => Role::Equal,
    }
}

/// The body for `fact`; text diffs put side `other` (1-based) beside the baseline.
pub fn build(fact: &FactDiff, other: usize) -> DiffBody<'_> {
    build_with(fact, other, false)
}

/// [`build`], listing every host, one per row, where a side's hosts disagree when
/// `all_hosts`, else the majority and the first few others.
pub fn build_with(fact: &FactDiff, other: usize, all_hosts: bool) -> DiffBody<'_> {
    if fact
        .cells
        .iter()
        .any(|c| matches!(c, Cell::Divergent { .. }))
    {
        return host_groups(fact, all_hosts);
    }
    let kinds: BTreeSet<&str> = fact
        .cells
        .iter()
        .filter_map(Cell::value)
        .map(Value::kind)
        .collect();
    if kinds.len() > 1 {
        return mixed_kinds(fact);
    }
    match kinds.first().copied() {
        Some("text") => text(fact, other),
        Some("version") => versions(fact),
        Some("set" | "list") => members(fact),
        Some("record") => records(fact),
        Some("redacted") => secrets(fact),
        _ => scalars(fact),
    }
}

fn comparison(fact: &FactDiff, side: usize) -> Option<&Comparison> {
    fact.comparisons
        .iter()
        .find(|c| c.side == side)
        .map(|c| &c.comparison)
}

fn base_value(fact: &FactDiff) -> Option<&Value> {
    fact.cells.first().and_then(Cell::value)
}

fn text(fact: &FactDiff, other: usize) -> DiffBody<'_> {
    let other = other.clamp(1, fact.cells.len().saturating_sub(1).max(1));
    if let Some(Comparison::Text { rows }) = comparison(fact, other) {
        return DiffBody::Text {
            other,
            rows: Cow::Borrowed(rows),
        };
    }
    fn as_text(cell: Option<&Cell>) -> Option<&str> {
        match cell.and_then(Cell::value) {
            Some(Value::Text(t)) => Some(t.as_str()),
            _ => None,
        }
    }
    let base = as_text(fact.cells.first());
    let right = as_text(fact.cells.get(other));
    let lines = |t: &str| -> Vec<TextLine> {
        t.lines()
            .enumerate()
            .map(|(i, l)| TextLine {
                number: i + 1,
                text: l.to_string(),
                changed: Vec::new(),
            })
            .collect()
    };
    let rows = match (base, right) {
        (Some(a), Some(b)) if a == b => lines(a)
            .into_iter()
            .map(|l| TextRow {
                tag: RowTag::Equal,
                left: Some(l.clone()),
                right: Some(l),
            })
            .collect(),
        (a, b) => {
            let removed = a
                .map(lines)
                .unwrap_or_default()
                .into_iter()
                .map(|l| TextRow {
                    tag: RowTag::Removed,
                    left: Some(l),
                    right: None,
                });
            let added = b
                .map(lines)
                .unwrap_or_default()
                .into_iter()
                .map(|l| TextRow {
                    tag: RowTag::Added,
                    left: None,
                    right: Some(l),
                });
            removed.chain(added).collect()
        }
    };
    DiffBody::Text {
        other,
        rows: Cow::Owned(rows),
    }
}

fn absent() -> Styled {
    styled("absent", Role::Missing)
}

/// Each side's value summary: plain where it matches the baseline, changed otherwise.
fn value_cells(fact: &FactDiff) -> Vec<Styled> {
    let base = base_value(fact);
    fact.cells
        .iter()
        .enumerate()
        .map(|(side, cell)| match cell.value() {
            None => absent(),
            Some(v) if side == 0 || Some(v) == base => styled(v.summary(), Role::Text),
            Some(v) => styled(v.summary(), Role::Changed),
        })
        .collect()
}

fn versions(fact: &FactDiff) -> DiffBody<'_> {
    let base = base_value(fact);
    let values = value_cells(fact);
    let verdicts = fact
        .cells
        .iter()
        .enumerate()
        .map(|(side, cell)| {
            if side == 0 {
                return styled("—", Role::Dim);
            }
            match (cell.value(), comparison(fact, side)) {
                (None, _) => absent(),
                (_, Some(Comparison::Version { ordering, level })) => {
                    let direction = match ordering {
                        std::cmp::Ordering::Less => "older",
                        std::cmp::Ordering::Equal => "same",
                        std::cmp::Ordering::Greater => "newer",
                    };
                    let severity = level_severity(*level);
                    styled(
                        format!("{direction} · {} · {}", level.as_str(), severity.as_str()),
                        severity_role(severity),
                    )
                }
                (Some(v), _) if Some(v) == base => styled("same", Role::Equal),
                (Some(_), _) if base.is_none() => styled("only here", Role::Missing),
                (Some(_), _) => styled("differs", Role::Changed),
            }
        })
        .collect();
    DiffBody::Grid {
        rows: vec![
            GridRow {
                label: "version".into(),
                cells: values,
            },
            GridRow {
                label: "vs baseline".into(),
                cells: verdicts,
            },
        ],
    }
}

fn members(fact: &FactDiff) -> DiffBody<'_> {
    let list = |v: Option<&Value>| -> Option<Vec<String>> {
        match v {
            Some(Value::Set(m) | Value::List(m)) => Some(m.clone()),
            _ => None,
        }
    };
    let base = list(base_value(fact));
    let columns = fact
        .cells
        .iter()
        .enumerate()
        .map(|(side, cell)| {
            let mine = list(cell.value());
            let Some(mine) = mine else {
                return vec![absent()];
            };
            if side == 0 {
                let mut col = vec![styled(format!("{} members", mine.len()), Role::Dim)];
                col.extend(mine.into_iter().map(|m| styled(m, Role::Text)));
                return col;
            }
            let Some(base) = &base else {
                return mine
                    .into_iter()
                    .map(|m| styled(format!("+ {m}"), Role::Added))
                    .collect();
            };
            let (added, removed) = match comparison(fact, side) {
                Some(Comparison::Members { added, removed }) => (added.clone(), removed.clone()),
                _ => (
                    mine.iter().filter(|m| !base.contains(m)).cloned().collect(),
                    base.iter().filter(|m| !mine.contains(m)).cloned().collect(),
                ),
            };
            if added.is_empty() && removed.is_empty() {
                return if &mine == base {
                    vec![styled("same as baseline", Role::Equal)]
                } else {
                    vec![styled("same members, other order", Role::Changed)]
                };
            }
            let shared = mine.len().saturating_sub(added.len());
            let mut col = vec![styled(format!("{shared} shared"), Role::Dim)];
            col.extend(
                added
                    .into_iter()
                    .map(|m| styled(format!("+ {m}"), Role::Added)),
            );
            col.extend(
                removed
                    .into_iter()
                    .map(|m| styled(format!("- {m}"), Role::Removed)),
            );
            col
        })
        .collect();
    DiffBody::Lists { columns }
}

fn records(fact: &FactDiff) -> DiffBody<'_> {
    fn record(v: Option<&Value>) -> Option<&std::collections::BTreeMap<String, String>> {
        match v {
            Some(Value::Record(r)) => Some(r),
            _ => None,
        }
    }
    let base = record(base_value(fact));
    let fields: BTreeSet<&String> = fact
        .cells
        .iter()
        .filter_map(|c| record(c.value()))
        .flat_map(|r| r.keys())
        .collect();
    let rows = fields
        .into_iter()
        .map(|field| {
            let base_field = base.and_then(|b| b.get(field));
            let cells = fact
                .cells
                .iter()
                .enumerate()
                .map(|(side, cell)| {
                    let Some(r) = record(cell.value()) else {
                        return absent();
                    };
                    match r.get(field) {
                        None => styled("—", Role::Missing),
                        Some(v) if side == 0 || Some(v) == base_field => {
                            styled(v.clone(), Role::Text)
                        }
                        Some(v) if base_field.is_none() => styled(v.clone(), Role::Added),
                        Some(v) => styled(v.clone(), Role::Changed),
                    }
                })
                .collect();
            GridRow {
                label: field.clone(),
                cells,
            }
        })
        .collect();
    DiffBody::Grid { rows }
}

fn secrets(fact: &FactDiff) -> DiffBody<'_> {
    let base = base_value(fact);
    let cells = fact
        .cells
        .iter()
        .enumerate()
        .map(|(side, cell)| match cell.value() {
            None => absent(),
            Some(_) if side == 0 => styled("secret (hidden)", Role::Dim),
            Some(_) if base.is_none() => styled("only here", Role::Missing),
            Some(v) if Some(v) == base => styled("same", Role::Equal),
            Some(_) => styled("differs", Role::Changed),
        })
        .collect();
    DiffBody::Grid {
        rows: vec![GridRow {
            label: "value".into(),
            cells,
        }],
    }
}

fn scalars(fact: &FactDiff) -> DiffBody<'_> {
    let cells = value_cells(fact);
    DiffBody::Grid {
        rows: vec![GridRow {
            label: "value".into(),
            cells,
        }],
    }
}

fn mixed_kinds(fact: &FactDiff) -> DiffBody<'_> {
    let kind_row = fact
        .cells
        .iter()
        .map(|c| match c.value() {
            None => absent(),
            Some(v) => styled(v.kind(), Role::Changed),
        })
        .collect();
    let value_row = fact
        .cells
        .iter()
        .map(|c| match c.value() {
            None => absent(),
            Some(v) => styled(v.summary(), Role::Text),
        })
        .collect();
    DiffBody::Grid {
        rows: vec![
            GridRow {
                label: "kind".into(),
                cells: kind_row,
            },
            GridRow {
                label: "value".into(),
                cells: value_row,
            },
        ],
    }
}

/// Lists, per side, the hosts that agree with each other and what they hold: summarised
/// (see [`HostNames::SUMMARY`]), or with `all`, every value and every host on a row.
fn host_groups(fact: &FactDiff, all: bool) -> DiffBody<'_> {
    // Secrets are told apart by a variant letter, never by their fingerprint.
    let mut secrets: Vec<String> = Vec::new();
    let mut describe = |v: Option<&Value>| -> Styled {
        match v {
            None => absent(),
            Some(Value::Redacted(fingerprint)) => {
                let n = match secrets.iter().position(|s| s == fingerprint) {
                    Some(n) => n,
                    None => {
                        secrets.push(fingerprint.clone());
                        secrets.len() - 1
                    }
                };
                let letter = char::from(b'A' + (n % 26) as u8);
                styled(format!("secret variant {letter}"), Role::Text)
            }
            Some(v) => styled(v.summary(), Role::Text),
        }
    };
    let columns = fact
        .cells
        .iter()
        .map(|cell| match cell {
            Cell::Absent => vec![absent()],
            Cell::Present { value } => vec![styled("all hosts:", Role::Dim), describe(Some(value))],
            Cell::Divergent { groups } => {
                // A wide side reads as its majority and the hosts that stray from it,
                // names and values capped; the hosts overlay lists every host.
                let names = HostNames::SUMMARY;
                let total = host_count(groups);
                let heading = if names.is_wide(total) {
                    format!("{total} hosts, {} values", groups.len())
                } else {
                    format!("{} variants", groups.len())
                };
                let mut col = vec![styled(heading, Role::Divergent)];
                if all {
                    for g in groups {
                        let n = g.hosts.len();
                        col.push(styled(
                            format!("{n} host{}:", if n == 1 { "" } else { "s" }),
                            Role::Divergent,
                        ));
                        let mut d = describe(g.value.as_ref());
                        d.text = format!("  {}", d.text);
                        col.push(d);
                        col.extend(
                            g.hosts
                                .iter()
                                .map(|h| styled(format!("    {h}"), Role::Dim)),
                        );
                    }
                    return col;
                }
                for g in groups.iter().take(names.values) {
                    col.push(styled(
                        format!("{}:", holders(g, groups, names)),
                        Role::Divergent,
                    ));
                    let mut d = describe(g.value.as_ref());
                    d.text = format!("  {}", d.text);
                    col.push(d);
                }
                if let Some(rest) = rest_of(groups, names) {
                    col.push(styled(rest, Role::Dim));
                }
                col
            }
        })
        .collect();
    DiffBody::Lists { columns }
}

/// Where each changed hunk of text rows starts: `(row, column)`, the row of its first
/// changed line and the character column of its first change (for scrolling sideways).
pub fn hunks(rows: &[TextRow]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut in_hunk = false;
    for (i, row) in rows.iter().enumerate() {
        let changed = row.tag != RowTag::Equal;
        if changed && !in_hunk {
            let column = [row.left.as_ref(), row.right.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|line| {
                    let (start, _) = line.changed.first()?;
                    Some(
                        line.text
                            .get(..*start)
                            .map_or(*start, |s| s.chars().count()),
                    )
                })
                .min()
                .unwrap_or(0);
            out.push((i, column));
        }
        in_hunk = changed;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_start_at_runs_of_changed_rows_with_their_first_change() {
        let line = |number: usize, text: &str, changed: &[(usize, usize)]| TextLine {
            number,
            text: text.into(),
            changed: changed.to_vec(),
        };
        let long = format!("{}é = 8;", "x".repeat(40));
        let row =
            |tag, left: Option<TextLine>, right: Option<TextLine>| TextRow { tag, left, right };
        let rows = vec![
            row(
                RowTag::Equal,
                Some(line(1, "a", &[])),
                Some(line(1, "a", &[])),
            ),
            row(
                RowTag::Changed,
                Some(line(2, &long, &[(46, 47)])),
                Some(line(2, &long, &[(46, 47)])),
            ),
            row(RowTag::Removed, Some(line(3, "b", &[])), None),
            row(
                RowTag::Equal,
                Some(line(4, "c", &[])),
                Some(line(3, "c", &[])),
            ),
            row(RowTag::Added, None, Some(line(4, "d", &[]))),
        ];
        // Byte 46 is after the two-byte `é`: character 45.
        assert_eq!(hunks(&rows), [(1, 45), (4, 0)]);
    }
}
