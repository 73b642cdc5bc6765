//! The `driftscope-audit` JSON document, version 1, for programs (documented in
//! `docs/audit-report.md`).
//!
//! Fields appear in a fixed order, every optional field is present (as `null` when
//! empty), and the same audit always gives the same bytes. Values are the same short,
//! redaction-safe summaries the other renderings show: a secret's fingerprint never
//! appears.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::diff::review::StateCounts;
use crate::diff::{Severity, Status};
use crate::model::{Annotation, AnnotationKind, Category};

use super::super::json::finish;
use super::{Audit, values};

/// The document's `format` identifier.
pub const FORMAT_ID: &str = "driftscope-audit";
/// The document's format version.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    workspace: &'a str,
    generated_at: String,
    sides: Vec<SideOut<'a>>,
    summary: BTreeMap<Category, Counts>,
    totals: Counts,
    facts: Vec<FactOut<'a>>,
    resolved: Vec<AnnotationOut<'a>>,
}

#[derive(Serialize)]
struct SideOut<'a> {
    label: &'a str,
    environment: &'a str,
    hosts: Vec<HostOut<'a>>,
}

#[derive(Serialize)]
struct HostOut<'a> {
    host: &'a str,
    taken_at: String,
}

#[derive(Serialize)]
struct Counts {
    drift: usize,
    needs_review: usize,
    unreviewed: usize,
    stale: usize,
    expired: usize,
    justified: usize,
    remediate: usize,
}

impl Counts {
    fn new(drift: usize, states: &StateCounts) -> Counts {
        Counts {
            drift,
            needs_review: states.needs_review(),
            unreviewed: states.unreviewed,
            stale: states.stale,
            expired: states.expired,
            justified: states.justified,
            remediate: states.remediate,
        }
    }
}

#[derive(Serialize)]
struct FactOut<'a> {
    category: Category,
    key: &'a str,
    severity: Severity,
    status: Status,
    divergent: bool,
    state: &'static str,
    values: Vec<ValueOut<'a>>,
    annotation: Option<AnnotationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<RuleOut<'a>>,
}

/// The expectation rule that justifies a drift.
#[derive(Serialize)]
struct RuleOut<'a> {
    facts: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct ValueOut<'a> {
    side: &'a str,
    value: String,
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    category: Category,
    key: &'a str,
    environments: Vec<&'a str>,
    kind: AnnotationKind,
    reason: &'a str,
    ticket: Option<&'a str>,
    expires: Option<String>,
    author: &'a str,
    time: String,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn annotation_out(a: &Annotation) -> AnnotationOut<'_> {
    AnnotationOut {
        category: a.key.category,
        key: &a.key.key,
        environments: a.environments.iter().map(String::as_str).collect(),
        kind: a.kind,
        reason: &a.reason,
        ticket: a.ticket.as_deref(),
        expires: a.expires.map(|d| d.to_string()),
        author: &a.author,
        time: time(a.time),
    }
}

/// Renders `audit` as a pretty-printed `driftscope-audit` document ending in a newline.
pub fn render(audit: &Audit<'_>) -> serde_json::Result<String> {
    let labels: Vec<&str> = audit
        .report
        .sides
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    let sides = audit
        .report
        .sides
        .iter()
        .enumerate()
        .map(|(i, side)| SideOut {
            label: &side.label,
            environment: audit.reviews.environments.get(i).map_or("", String::as_str),
            hosts: side
                .hosts
                .iter()
                .map(|h| HostOut {
                    host: &h.host,
                    taken_at: time(h.taken_at),
                })
                .collect(),
        })
        .collect();
    let summary = Category::ALL
        .into_iter()
        .map(|c| {
            let drift = audit.report.categories.get(&c).map_or(0, |n| n.drift);
            let states = audit
                .reviews
                .by_category
                .get(&c)
                .copied()
                .unwrap_or_default();
            (c, Counts::new(drift, &states))
        })
        .collect();
    let facts = audit
        .entries()
        .into_iter()
        .map(|entry| FactOut {
            category: entry.fact.key.category,
            key: &entry.fact.key.key,
            severity: entry.fact.severity,
            status: entry.fact.status,
            divergent: entry.fact.divergent,
            state: entry.state.as_str(),
            values: values(entry.fact)
                .into_iter()
                .zip(&labels)
                .map(|(value, side)| ValueOut { side, value })
                .collect(),
            annotation: entry.annotation.map(annotation_out),
            rule: entry.rule.map(|r| RuleOut {
                facts: &r.pattern,
                reason: &r.reason,
            }),
        })
        .collect();
    let document = Document {
        format: FORMAT_ID,
        version: FORMAT_VERSION,
        workspace: audit.workspace,
        generated_at: time(audit.generated_at),
        sides,
        summary,
        totals: Counts::new(audit.report.drift_count(), &audit.totals()),
        facts,
        resolved: audit.resolved().into_iter().map(annotation_out).collect(),
    };
    Ok(finish(&serde_json::to_string_pretty(&document)?))
}

#[cfg(test)]
mod tests {
    use super::super::testing::sample_audit;
    use super::*;

    fn rendered() -> String {
        let (report, reviews, annotations, now) = sample_audit();
        render(&Audit {
            policy: &crate::diff::policy::Policy::default(),
            workspace: "shop",
            generated_at: now,
            report: &report,
            reviews: &reviews,
            annotations: &annotations,
        })
        .unwrap()
    }

    #[test]
    fn the_document_matches_its_snapshot() {
        insta::assert_snapshot!(rendered());
    }

    #[test]
    fn the_document_has_the_documented_fields() {
        let doc: serde_json::Value = serde_json::from_str(&rendered()).unwrap();
        assert_eq!(doc["format"], "driftscope-audit");
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["generated_at"], "2026-11-22T12:00:00Z");
        assert_eq!(doc["sides"][1]["environment"], "prod");
        assert_eq!(doc["totals"]["drift"], 10);
        assert_eq!(doc["totals"]["needs_review"], 6);
        assert_eq!(doc["summary"]["config"]["stale"], 1);
        let facts = doc["facts"].as_array().unwrap();
        assert_eq!(facts.len(), 10);
        let stale = facts
            .iter()
            .find(|f| f["state"] == "stale")
            .expect("a stale fact");
        assert_eq!(stale["annotation"]["kind"], "justify");
        assert_eq!(stale["annotation"]["environments"][0], "prod");
        let open = facts.iter().find(|f| f["state"] == "unreviewed").unwrap();
        assert!(open["annotation"].is_null());
        assert_eq!(doc["resolved"][0]["key"], "kernel");
    }

    #[test]
    fn rendering_is_stable_and_hides_fingerprints() {
        let out = rendered();
        assert_eq!(out, rendered());
        assert!(!out.contains("hmac"), "{out}");
        assert!(!out.contains("sha256:"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }
}
