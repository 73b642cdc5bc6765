//! The audit report in Markdown, for a ticket, a wiki page or a pull request.

use std::fmt::Write as _;

use crate::diff::review::ReviewState;
use crate::model::Annotation;

use super::super::describe::{side_hosts, side_times};
use super::super::markdown::{code, escape};
use super::{Audit, Entry, Part, day, is_web_link, one_line, review_note, values, verdict};

/// Renders `audit` as a Markdown document.
pub fn render(audit: &Audit<'_>) -> String {
    let mut out = String::new();
    let labels: Vec<String> = audit.labels().iter().map(|l| escape(l)).collect();
    let _ = writeln!(out, "# Parity audit: {}\n", labels.join(" vs "));
    let _ = writeln!(
        out,
        "Workspace {} · generated {}\n",
        code(audit.workspace),
        audit.generated_at.format("%Y-%m-%d %H:%MZ")
    );
    out.push_str("| Side | Hosts | Taken |\n| --- | --- | --- |\n");
    for (index, side) in audit.report.sides.iter().enumerate() {
        let baseline = if index == 0 { " (baseline)" } else { "" };
        let _ = writeln!(
            out,
            "| {}{baseline} | {}: {} | {} |",
            labels[index],
            side.hosts.len(),
            escape(&side_hosts(side, 6)),
            escape(&side_times(side))
        );
    }

    summary(&mut out, audit);
    justified(&mut out, audit, &labels);
    checklist(&mut out, audit, &labels);
    needs_review(&mut out, audit, &labels);
    resolved(&mut out, audit);
    out
}

fn summary(out: &mut String, audit: &Audit<'_>) {
    out.push_str("\n## Summary\n\n");
    out.push_str(
        "| Category | Drift | Unreviewed | Stale | Expired | Justified | To remediate |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let row = |out: &mut String, name: &str, drift: usize, s: &crate::diff::review::StateCounts| {
        let _ = writeln!(
            out,
            "| {name} | {drift} | {} | {} | {} | {} | {} |",
            s.unreviewed, s.stale, s.expired, s.justified, s.remediate
        );
    };
    let rows = audit.summary();
    for r in &rows {
        row(out, r.category.as_str(), r.counts.drift, &r.states);
    }
    let drift: usize = rows.iter().map(|r| r.counts.drift).sum();
    row(out, "**total**", drift, &audit.totals());
    let _ = writeln!(out, "\n{}", verdict(&audit.totals()));
}

/// `staging: info · prod: warn`.
fn value_line(entry: &Entry<'_>, labels: &[String]) -> String {
    values(entry.fact)
        .iter()
        .zip(labels)
        .map(|(value, label)| format!("{label}: {}", escape(value)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `Dana Whitfield, 2026-11-18 · ticket OPS-12 · expires after 2027-03-31`.
fn decided_line(a: &Annotation) -> String {
    let mut parts = vec![format!("{}, {}", escape(&one_line(&a.author)), day(a.time))];
    if let Some(ticket) = &a.ticket {
        parts.push(format!("ticket {}", ticket_text(ticket)));
    }
    if let Some(expires) = a.expires {
        parts.push(format!("holds through {expires}"));
    }
    parts.join(" · ")
}

/// A ticket: a web link as an autolink, anything else escaped.
fn ticket_text(ticket: &str) -> String {
    if is_web_link(ticket) && !ticket.contains(['<', '>']) {
        format!("<{ticket}>")
    } else {
        escape(&one_line(ticket))
    }
}

fn heading(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "\n## {title} ({count})\n");
}

fn justified(out: &mut String, audit: &Audit<'_>, labels: &[String]) {
    let entries = audit.part(Part::Justified);
    heading(out, "Justified differences", entries.len());
    if entries.is_empty() {
        out.push_str("None yet.\n");
        return;
    }
    let mut category = None;
    for entry in &entries {
        if category != Some(entry.fact.key.category) {
            if category.is_some() {
                out.push('\n');
            }
            category = Some(entry.fact.key.category);
            let _ = writeln!(out, "### {}\n", entry.fact.key.category);
        }
        let Some(a) = entry.annotation else {
            if let Some(rule) = entry.rule {
                let _ = writeln!(
                    out,
                    "- **{}** — {}  \n  {}",
                    code(&entry.fact.key.key),
                    value_line(entry, labels),
                    escape(&super::rule_note(rule))
                );
            }
            continue;
        };
        let _ = writeln!(
            out,
            "- **{}** — {}  \n  {}  \n  {}",
            code(&entry.fact.key.key),
            value_line(entry, labels),
            escape(&one_line(&a.reason)),
            decided_line(a)
        );
    }
}

fn checklist(out: &mut String, audit: &Audit<'_>, labels: &[String]) {
    let entries = audit.part(Part::Remediate);
    heading(out, "Remediation checklist", entries.len());
    if entries.is_empty() {
        out.push_str("Nothing is marked for remediation.\n");
        return;
    }
    for entry in &entries {
        let Some(a) = entry.annotation else { continue };
        let _ = writeln!(
            out,
            "- [ ] **{}** ({}) — {}  \n  {}  \n  {}",
            code(&entry.fact.key.to_string()),
            entry.fact.severity.as_str(),
            value_line(entry, labels),
            escape(&one_line(&a.reason)),
            decided_line(a)
        );
    }
}

fn needs_review(out: &mut String, audit: &Audit<'_>, labels: &[String]) {
    let entries = audit.part(Part::NeedsReview);
    heading(out, "Needs review", entries.len());
    if entries.is_empty() {
        out.push_str("Every drifting fact is reviewed.\n");
        return;
    }
    let _ = writeln!(out, "| Severity | Fact | {} | Review |", labels.join(" | "));
    let _ = writeln!(out, "| --- | --- |{} --- |", " --- |".repeat(labels.len()));
    for entry in &entries {
        let cells: Vec<String> = values(entry.fact).iter().map(|v| escape(v)).collect();
        let note = match entry.state {
            ReviewState::Unreviewed => escape(&review_note(entry)),
            state => format!("**{}**: {}", state.label(), escape(&review_note(entry))),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {note} |",
            entry.fact.severity.as_str(),
            code(&entry.fact.key.to_string()),
            cells.join(" | ")
        );
    }
}

fn resolved(out: &mut String, audit: &Audit<'_>) {
    let gone = audit.resolved();
    if gone.is_empty() {
        return;
    }
    heading(out, "Resolved annotations", gone.len());
    out.push_str(
        "These facts no longer drift between these environments; their annotations can be \
         removed with `driftscope unannotate`.\n\n",
    );
    for a in gone {
        let _ = writeln!(
            out,
            "- {} — {}: {}",
            code(&a.key.to_string()),
            a.kind.describe(),
            escape(&one_line(&a.reason))
        );
    }
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
    }

    #[test]
    fn the_document_matches_its_snapshot() {
        insta::assert_snapshot!(rendered());
    }

    #[test]
    fn person_text_cannot_inject_markup() {
        let out = rendered();
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("\\<script\\>"), "{out}");
        assert!(!out.contains("<javascript:"), "{out}");
        assert!(!out.contains("hmac"), "{out}");
    }

    #[test]
    fn review_table_rows_keep_their_columns() {
        let out = rendered();
        let table: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.starts_with("| Severity"))
            .take_while(|l| l.starts_with('|'))
            .collect();
        assert!(table.len() > 2, "{out}");
        let widths: Vec<usize> = table
            .iter()
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table:?}");
    }
}
