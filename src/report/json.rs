//! The `driftscope-diff` JSON document, version 1, for programs (documented in
//! `docs/diff-json.md`).
//!
//! Fields appear in a fixed order and maps are sorted, so the same report always gives
//! the same bytes. Redacted fingerprints are never written: each is replaced by a token
//! (`#1`, `#2`…) that is equal for equal values of the same fact, so a reader can still
//! tell which sides hold the same secret.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::diff::{
    CategoryCounts, Cell, ChangeKind, DriftReport, FactDiff, HostGroup, Severity, SideComparison,
    SideInfo, Status,
};
use crate::model::{Category, Value};

use super::describe::RedactionClasses;
use super::summary::total_counts;

/// The document's `format` identifier.
pub const FORMAT_ID: &str = "driftscope-diff";
/// The document's format version.
pub const FORMAT_VERSION: u32 = 1;

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

/// Renders `report` as a pretty-printed `driftscope-diff` document ending in a newline.
///
/// Characters JSON allows raw but a terminal might obey (DEL, C1 controls, bidi
/// overrides) are written as `\uXXXX` escapes, which decode to the same text.
pub fn render(report: &DriftReport) -> serde_json::Result<String> {
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
pub(crate) fn finish(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::sample_report;

    fn document() -> serde_json::Value {
        serde_json::from_str(&render(&sample_report()).unwrap()).unwrap()
    }

    #[test]
    fn document_has_the_documented_top_level_fields() {
        let doc = document();
        assert_eq!(doc["format"], "driftscope-diff");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["sides"][0]["label"], "staging");
        assert_eq!(doc["sides"][0]["hosts"][1]["host"], "web-2");
        assert_eq!(
            doc["sides"][1]["hosts"][0]["taken_at"],
            "2026-11-21T08:00:00Z"
        );
        assert_eq!(doc["totals"]["drift"], 10);
        assert_eq!(doc["totals"]["equal"], 16);
        assert_eq!(doc["facts"].as_array().unwrap().len(), 10);
    }

    #[test]
    fn summary_has_every_category_with_all_severities() {
        let doc = document();
        let summary = doc["summary"].as_object().unwrap();
        assert_eq!(summary.len(), Category::ALL.len());
        let versions = &summary["versions"];
        assert_eq!(versions["facts"], 10);
        assert_eq!(versions["drift"], 3);
        assert_eq!(versions["equal"], 7);
        assert_eq!(versions["by_severity"]["critical"], 1);
        assert_eq!(versions["by_severity"]["medium"], 0);
        assert_eq!(summary["infra"]["ignored"], 2);
    }

    #[test]
    fn facts_carry_category_key_and_comparisons() {
        let doc = document();
        let python = &doc["facts"][0];
        assert_eq!(python["category"], "versions");
        assert_eq!(python["key"], "runtime.python");
        assert_eq!(python["status"], "differs");
        assert_eq!(python["severity"], "critical");
        assert_eq!(python["change"], "major");
        assert_eq!(python["cells"][1]["state"], "present");
        assert_eq!(python["cells"][1]["value"]["version"], "4.0.1");
        assert_eq!(python["comparisons"][0]["side"], 1);
        assert_eq!(python["comparisons"][0]["kind"], "version");
        assert_eq!(python["comparisons"][0]["ordering"], "newer");
        assert_eq!(python["comparisons"][0]["level"], "major");
    }

    #[test]
    fn fingerprints_are_replaced_by_class_tokens() {
        let text = render(&sample_report()).unwrap();
        assert!(!text.contains("hmac-sha256"), "{text}");
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let token = doc["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == "env.API_TOKEN")
            .unwrap();
        assert_eq!(token["cells"][0]["value"]["redacted"], "#1");
        assert_eq!(token["cells"][1]["value"]["redacted"], "#2");
    }

    #[test]
    fn output_is_deterministic_and_terminal_safe() {
        let mut report = sample_report();
        report.sides[1].label = "prod\u{9b}31m\u{1b}[2J".into();
        let a = render(&report).unwrap();
        assert_eq!(a, render(&report).unwrap());
        assert!(!a.chars().any(|c| c.is_control() && c != '\n'), "{a}");
        let doc: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(doc["sides"][1]["label"], "prod\u{9b}31m\u{1b}[2J");
    }
}
