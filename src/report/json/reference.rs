//! The first, straightforward writer of the `driftscope-diff` document: typed structs
//! with cloned cells, pretty-printed to a string, then a pass escaping the characters a
//! terminal might obey. The streaming writer must give exactly its bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::{
    CategoryCounts, Cell, ChangeKind, DriftReport, FactDiff, HostGroup, Severity, SideComparison,
    SideInfo, Status,
};
use crate::model::{Category, Value};
use crate::report::describe::RedactionClasses;
use crate::report::summary::total_counts;

use super::{FORMAT_ID, FORMAT_VERSION};

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    sides: &'a [SideInfo],
    summary: BTreeMap<Category, Counts>,
    totals: Counts,
    facts: Vec<FactOut<'a>>,
}

#[derive(Serialize)]
struct Counts {
    facts: usize,
    drift: usize,
    equal: usize,
    ignored: usize,
    by_severity: BySeverity,
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

#[derive(Serialize)]
struct FactOut<'a> {
    category: Category,
    key: &'a str,
    status: Status,
    divergent: bool,
    severity: Severity,
    change: ChangeKind,
    cells: Vec<Cell>,
    comparisons: &'a [SideComparison],
}

impl Counts {
    fn from(counts: &CategoryCounts) -> Counts {
        let n = |s: Severity| counts.by_severity.get(&s).copied().unwrap_or(0);
        Counts {
            facts: counts.facts,
            drift: counts.drift,
            equal: counts.facts.saturating_sub(counts.drift),
            ignored: counts.ignored,
            by_severity: BySeverity {
                critical: n(Severity::Critical),
                high: n(Severity::High),
                medium: n(Severity::Medium),
                low: n(Severity::Low),
            },
        }
    }
}

/// Replaces a redacted fingerprint by its class token; other values are kept.
fn withhold(value: &Value, classes: &RedactionClasses) -> Value {
    match value {
        Value::Redacted(fp) => Value::Redacted(match classes.class(fp) {
            Some(n) => format!("#{n}"),
            None => "#?".to_string(),
        }),
        other => other.clone(),
    }
}

fn withhold_cell(cell: &Cell, classes: &RedactionClasses) -> Cell {
    match cell {
        Cell::Absent => Cell::Absent,
        Cell::Present { value } => Cell::Present {
            value: withhold(value, classes),
        },
        Cell::Divergent { groups } => Cell::Divergent {
            groups: groups
                .iter()
                .map(|g| HostGroup {
                    value: g.value.as_ref().map(|v| withhold(v, classes)),
                    hosts: g.hosts.clone(),
                })
                .collect(),
        },
    }
}

fn fact_out(fact: &FactDiff) -> FactOut<'_> {
    let classes = RedactionClasses::of(fact);
    FactOut {
        category: fact.key.category,
        key: &fact.key.key,
        status: fact.status,
        divergent: fact.divergent,
        severity: fact.severity,
        change: fact.change,
        cells: fact
            .cells
            .iter()
            .map(|c| withhold_cell(c, &classes))
            .collect(),
        comparisons: &fact.comparisons,
    }
}

/// Renders `report` the straightforward way, as a pretty-printed `driftscope-diff` document ending in a newline.
///
/// Characters JSON allows raw but a terminal might obey (DEL, C1 controls, bidi
/// overrides) are written as `\uXXXX` escapes, which decode to the same text.
pub(super) fn render(report: &DriftReport) -> serde_json::Result<String> {
    let document = Document {
        format: FORMAT_ID,
        version: FORMAT_VERSION,
        sides: &report.sides,
        summary: Category::ALL
            .into_iter()
            .map(|c| {
                let counts = report.categories.get(&c).cloned().unwrap_or_default();
                (c, Counts::from(&counts))
            })
            .collect(),
        totals: Counts::from(&total_counts(report)),
        facts: report.facts.iter().map(fact_out).collect(),
    };
    let text = serde_json::to_string_pretty(&document)?;
    Ok(finish(&text))
}

/// Pretty JSON text as written: characters JSON allows raw but a terminal might obey
/// (DEL, C1 controls, bidi overrides) as `\uXXXX` escapes, and a final newline.
fn finish(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}
