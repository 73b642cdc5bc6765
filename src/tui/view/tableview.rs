//! The schema category's table view, as data: a table's columns side by side, one row
//! per column and one cell per environment, each cell the column's type, nullability,
//! default… with the fields that differ from the baseline's in the changed role and
//! missing columns in the missing role. Built from the report's `column:` facts.

use std::collections::BTreeMap;

use crate::diff::{Cell, DriftReport, FactDiff};
use crate::model::{SchemaKind, Value, parse_schema_key};

use super::diffview::Styled;
use super::markers::status_marker;
use crate::tui::index::{Group, GroupKind};
use crate::tui::theme::Role;

/// Fields shown in every cell that has them, in this order.
const SHOWN: [&str; 6] = [
    "type",
    "nullable",
    "default",
    "generated",
    "identity",
    "collation",
];

/// One column of the table across the environments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnLine {
    /// The column's name, as in its key.
    pub name: String,
    /// The column fact's status marker (`≠`, `∅`, `=`, `≋`).
    pub marker: Styled,
    /// True for the column whose fact is selected.
    pub selected: bool,
    /// Per side, the pieces of its cell.
    pub cells: Vec<Vec<Styled>>,
}

/// A table's columns side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableView {
    /// `schema.table`, as the group heading says.
    pub label: String,
    /// The columns: by position in the baseline, then those the baseline lacks.
    pub columns: Vec<ColumnLine>,
    /// How many columns differ somewhere.
    pub changed: usize,
    /// True while the report holds only drifting facts (equal columns still loading).
    pub partial: bool,
}

impl TableView {
    /// Rows the view takes in the diff pane, title line included.
    pub fn height(&self) -> usize {
        1 + self.columns.len() + usize::from(self.partial)
    }

    /// The title line: `columns of public.orders · 9 · 2 differ`.
    pub fn title(&self) -> Vec<Styled> {
        let mut title = vec![
            Styled {
                text: format!("columns of {}", self.label),
                role: Role::Header,
            },
            Styled {
                text: format!(" · {}", self.columns.len()),
                role: Role::Dim,
            },
        ];
        if self.changed > 0 {
            title.push(Styled {
                text: format!(" · {} differ", self.changed),
                role: Role::Changed,
            });
        }
        title
    }
}

/// The columns of `group` in `report`, with the column of report row `selected`
/// marked; `None` when the group is not a table or the report holds none of its
/// columns. `complete` says whether the report holds equal facts too.
pub fn build(
    report: &DriftReport,
    group: &Group,
    selected: Option<u32>,
    complete: bool,
) -> Option<TableView> {
    if group.kind != GroupKind::Table {
        return None;
    }
    let mut columns: Vec<((u32, u32), ColumnLine)> = group
        .rows
        .iter()
        .filter_map(|&row| {
            let fact = report.facts.get(row as usize)?;
            let key = parse_schema_key(&fact.key.key)?;
            if key.kind != SchemaKind::Column {
                return None;
            }
            let (marker, role) = status_marker(fact);
            let line = ColumnLine {
                name: key.item.unwrap_or(key.name).to_string(),
                marker: Styled {
                    text: marker.to_string(),
                    role,
                },
                selected: selected == Some(row),
                cells: cells(fact),
            };
            Some((order(fact), line))
        })
        .collect();
    if columns.is_empty() {
        return None;
    }
    columns.sort_by(|(a, la), (b, lb)| a.cmp(b).then_with(|| la.name.cmp(&lb.name)));
    let changed = columns.iter().filter(|(_, c)| c.marker.text != "=").count();
    Some(TableView {
        label: group.label.clone(),
        columns: columns.into_iter().map(|(_, c)| c).collect(),
        changed,
        partial: !complete,
    })
}

fn fields(cell: Option<&Cell>) -> Option<&BTreeMap<String, String>> {
    match cell.and_then(Cell::value) {
        Some(Value::Record(fields)) => Some(fields),
        _ => None,
    }
}

/// Sorts by the baseline's position; columns the baseline lacks come after, by the
/// position of the first side that has them.
fn order(fact: &FactDiff) -> (u32, u32) {
    let position = |cell: Option<&Cell>| {
        fields(cell)
            .and_then(|f| f.get("position"))
            .and_then(|p| p.parse::<u32>().ok())
    };
    match position(fact.cells.first()) {
        Some(p) => (0, p),
        None => (
            1,
            fact.cells
                .iter()
                .find_map(|c| position(Some(c)))
                .unwrap_or(u32::MAX),
        ),
    }
}

fn styled(text: impl Into<String>, role: Role) -> Styled {
    Styled {
        text: text.into(),
        role,
    }
}

/// A field as a cell shows it: `not null`, `default now()`, `#3`…
fn describe(field: &str, value: &str) -> String {
    match field {
        "type" => value.to_string(),
        "nullable" if value == "true" => "nullable".into(),
        "nullable" if value == "false" => "not null".into(),
        "default" | "generated" | "identity" => format!("{field} {value}"),
        "collation" => format!("collate {value}"),
        "position" => format!("#{value}"),
        "comment" => format!("comment '{value}'"),
        _ => format!("{field}={value}"),
    }
}

/// A field the baseline has and this side lacks: `no default`.
fn lacking(field: &str) -> String {
    match field {
        "collation" => "default collation".into(),
        "identity" => "no identity".into(),
        _ => format!("no {field}"),
    }
}

fn cells(fact: &FactDiff) -> Vec<Vec<Styled>> {
    let base = fields(fact.cells.first());
    fact.cells
        .iter()
        .enumerate()
        .map(|(side, cell)| match cell {
            Cell::Absent => vec![styled("absent", Role::Missing)],
            Cell::Divergent { groups } => {
                vec![styled(
                    format!("hosts disagree ({} variants)", groups.len()),
                    Role::Divergent,
                )]
            }
            Cell::Present { value } => match value {
                Value::Record(mine) => record_cell(mine, if side == 0 { None } else { base }),
                other => {
                    let role = if side == 0 || fact.cells.first() == Some(cell) {
                        Role::Text
                    } else {
                        Role::Changed
                    };
                    vec![styled(other.summary(), role)]
                }
            },
        })
        .collect()
}

/// One side's cell: the shown fields, then any other field that differs from `base`
/// (`None` for the baseline itself, or when the baseline lacks the column).
fn record_cell(
    mine: &BTreeMap<String, String>,
    base: Option<&BTreeMap<String, String>>,
) -> Vec<Styled> {
    let differs = |field: &str| base.is_some_and(|b| b.get(field) != mine.get(field));
    let mut pieces = Vec::new();
    for field in SHOWN {
        match mine.get(field) {
            Some(value) => {
                let role = if differs(field) {
                    Role::Changed
                } else {
                    Role::Text
                };
                pieces.push(styled(describe(field, value), role));
            }
            None if differs(field) => pieces.push(styled(lacking(field), Role::Changed)),
            None => {}
        }
    }
    let others = mine
        .keys()
        .chain(base.into_iter().flat_map(|b| b.keys()))
        .filter(|f| !SHOWN.contains(&f.as_str()))
        .collect::<std::collections::BTreeSet<_>>();
    for field in others {
        if !differs(field) {
            continue;
        }
        let text = match mine.get(field.as_str()) {
            Some(value) => describe(field, value),
            None => lacking(field),
        };
        pieces.push(styled(text, Role::Changed));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn cells_mark_the_fields_that_differ_from_the_baseline() {
        let base = record(&[
            ("type", "integer"),
            ("nullable", "false"),
            ("default", "0"),
            ("position", "3"),
        ]);
        let other = record(&[
            ("type", "bigint"),
            ("nullable", "false"),
            ("position", "4"),
            ("comment", "cents"),
        ]);
        let cell = record_cell(&other, Some(&base));
        let shown: Vec<(&str, Role)> = cell.iter().map(|s| (s.text.as_str(), s.role)).collect();
        assert_eq!(
            shown,
            [
                ("bigint", Role::Changed),
                ("not null", Role::Text),
                ("no default", Role::Changed),
                ("comment 'cents'", Role::Changed),
                ("#4", Role::Changed),
            ]
        );
        let baseline = record_cell(&base, None);
        let texts: Vec<&str> = baseline.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["integer", "not null", "default 0"]);
    }
}
