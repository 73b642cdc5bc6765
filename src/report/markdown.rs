//! The Markdown rendering of a drift report: the sides, a summary table per category,
//! then one table of drifts per category, for tickets, reviews and audit notes.

use std::fmt::Write as _;

use crate::diff::{DriftReport, FactDiff, Severity};
use crate::model::{Category, sanitize};

use super::describe::{
    RedactionClasses, cell_summary_with, describe_comparison, side_hosts, side_times,
};
use super::hosts::HostNames;
use super::summary::total_counts;

/// Escapes text for a table cell: neutralises control characters, then backslash-escapes
/// everything Markdown would interpret (`|` included, so the table keeps its columns).
pub fn escape(text: &str) -> String {
    let text = sanitize(text, false);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '|' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `lines` as a fenced code block (` ```diff `), its fence longer than any run of
/// backticks inside.
pub(crate) fn fenced(info: &str, lines: &[String]) -> String {
    let longest_run = lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest_run + 1).max(3));
    let mut out = format!("{fence}{info}\n");
    for line in lines {
        out.push_str(&sanitize(line, false));
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// Text as an inline code span, with `|` escaped for tables.
pub(crate) fn code(text: &str) -> String {
    let text = sanitize(text, false);
    if text.is_empty() {
        return String::new();
    }
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// Renders `report` as a Markdown document, divergent sides summarised (see
/// [`HostNames::SUMMARY`]).
pub fn render(report: &DriftReport) -> String {
    render_with(report, HostNames::SUMMARY)
}

/// Renders `report` as a Markdown document, naming the hosts of divergent sides as
/// `hosts` says.
pub fn render_with(report: &DriftReport, hosts: HostNames) -> String {
    let mut out = String::new();
    let labels: Vec<String> = report.sides.iter().map(|s| escape(&s.label)).collect();
    let _ = writeln!(out, "# Drift: {}\n", labels.join(" vs "));
    out.push_str("| Side | Hosts | Taken |\n| --- | --- | --- |\n");
    for (index, side) in report.sides.iter().enumerate() {
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

    out.push_str("\n## Summary\n\n");
    out.push_str("| Category | Drift | Critical | High | Medium | Low | Equal | Ignored |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let row = |out: &mut String, name: &str, counts: &crate::diff::CategoryCounts| {
        let n = |s: Severity| counts.by_severity.get(&s).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            counts.drift,
            n(Severity::Critical),
            n(Severity::High),
            n(Severity::Medium),
            n(Severity::Low),
            counts.facts.saturating_sub(counts.drift),
            counts.ignored
        );
    };
    for category in Category::ALL {
        let counts = report
            .categories
            .get(&category)
            .cloned()
            .unwrap_or_default();
        row(&mut out, category.as_str(), &counts);
    }
    row(&mut out, "**total**", &total_counts(report));

    let mut any = false;
    for category in Category::ALL {
        let mut facts: Vec<&FactDiff> = report
            .facts
            .iter()
            .filter(|f| f.key.category == category)
            .collect();
        if facts.is_empty() {
            continue;
        }
        any = true;
        facts.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let _ = writeln!(out, "\n## {category}\n");
        let _ = writeln!(
            out,
            "| Severity | Status | Key | {} | Change |",
            labels.join(" | ")
        );
        let _ = writeln!(
            out,
            "| --- | --- | --- |{} --- |",
            " --- |".repeat(labels.len())
        );
        for fact in &facts {
            write_fact_row(&mut out, fact, &labels, hosts);
        }
        write_text_changes(&mut out, &facts, &labels);
    }
    if !any {
        out.push_str("\nNo drift.\n");
    }
    out
}

/// The changed hunks of each text drift among `facts`, under the table.
fn write_text_changes(out: &mut String, facts: &[&FactDiff], labels: &[String]) {
    for fact in facts {
        for (side, lines) in crate::report::audit::hunks(fact) {
            let from = labels.first().map(String::as_str).unwrap_or("?");
            let to = labels.get(side).map(String::as_str).unwrap_or("?");
            let _ = writeln!(
                out,
                "\n{} ({} → {}):\n",
                code(&fact.key.key),
                escape(from),
                escape(to)
            );
            out.push_str(&fenced("diff", &lines));
        }
    }
}

fn write_fact_row(out: &mut String, fact: &FactDiff, labels: &[String], hosts: HostNames) {
    let classes = RedactionClasses::of(fact);
    let baseline = fact.cells.first();
    let cells: Vec<String> = fact
        .cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let base = if i == 0 { None } else { baseline };
            escape(&cell_summary_with(cell, base, &classes, hosts))
        })
        .collect();
    let several = labels.len() > 2;
    let change: Vec<String> = fact
        .comparisons
        .iter()
        .map(|c| {
            let text = escape(&describe_comparison(&c.comparison));
            match labels.get(c.side) {
                Some(label) if several => format!("{label}: {text}"),
                _ => text,
            }
        })
        .collect();
    let status = if fact.divergent {
        format!("{} (hosts disagree)", fact.status.as_str())
    } else {
        fact.status.as_str().to_string()
    };
    let _ = writeln!(
        out,
        "| {} | {status} | {} | {} | {} |",
        fact.severity.as_str(),
        code(&fact.key.key),
        cells.join(" | "),
        change.join("; ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::sample_report;

    #[test]
    fn escape_protects_table_columns_and_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("*x* _y_"), "\\*x\\* \\_y\\_");
        assert_eq!(escape("esc\u{1b}[2J"), "esc^\\[\\[2J");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("env.LOG_LEVEL"), "`env.LOG_LEVEL`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }

    #[test]
    fn document_has_sides_summary_and_category_tables() {
        let out = render(&sample_report());
        assert!(out.starts_with("# Drift: staging vs prod\n"), "{out}");
        assert!(
            out.contains("| staging (baseline) | 2: web-1, web-2 | 2026-11-20 09:30Z |"),
            "{out}"
        );
        assert!(
            out.contains("| versions | 3 | 1 | 1 | 0 | 1 | 7 | 0 |"),
            "{out}"
        );
        assert!(
            out.contains("| **total** | 10 | 2 | 7 | 0 | 1 | 16 | 2 |"),
            "{out}"
        );
        assert!(out.contains("\n## versions\n\n| Severity | Status | Key | staging | prod | Change |\n| --- | --- | --- | --- | --- | --- |\n"), "{out}");
        assert!(
            out.contains(
                "| critical | differs | `runtime.python` | 3.11.4 | 4.0.1 | newer, major |"
            ),
            "{out}"
        );
        assert!(out.contains("| critical | missing | `index:users_email` | columns=email, unique=true | (absent) |"), "{out}");
        assert!(!out.contains("## services"), "{out}");
    }

    #[test]
    fn every_table_row_has_the_same_number_of_columns() {
        let mut report = sample_report();
        report.facts[0].cells[1] = crate::diff::Cell::Present {
            value: crate::model::Value::string("a|b|c"),
        };
        let out = render(&report);
        for table in out.split("\n\n").filter(|t| t.starts_with("| Severity")) {
            let widths: Vec<usize> = table
                .lines()
                .map(|l| l.replace("\\|", "").matches('|').count())
                .collect();
            assert!(widths.windows(2).all(|w| w[0] == w[1]), "{table}");
        }
    }

    #[test]
    fn redacted_values_hide_the_fingerprint() {
        let out = render(&sample_report());
        assert!(out.contains("(redacted) differs"), "{out}");
        assert!(!out.contains("hmac"), "{out}");
    }
}
