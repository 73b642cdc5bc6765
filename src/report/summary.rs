//! The `check` summary: one line of counts per category, a total and a verdict.
//!
//! ```text
//! versions   12 drift (2 critical, 5 high, 3 medium, 2 low) · 140 equal · 3 ignored
//! ```

use std::fmt::Write as _;

use crate::diff::{CategoryCounts, DriftReport, Severity};
use crate::model::{Category, sanitize};

use super::Palette;

/// Severities from worst to mildest, the order counts are listed in.
const WORST_FIRST: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

/// The counts of every category added up.
pub fn total_counts(report: &DriftReport) -> CategoryCounts {
    sum_counts(report.categories.values())
}

pub(crate) fn sum_counts<'a>(all: impl IntoIterator<Item = &'a CategoryCounts>) -> CategoryCounts {
    let mut total = CategoryCounts::default();
    for counts in all {
        total.facts += counts.facts;
        total.drift += counts.drift;
        total.ignored += counts.ignored;
        for (severity, n) in &counts.by_severity {
            *total.by_severity.entry(*severity).or_default() += n;
        }
    }
    total
}

/// `12 drift (2 critical, 5 high) · 140 equal · 3 ignored`: severities with no drift and
/// a zero ignored count are left out.
pub fn counts_phrase(counts: &CategoryCounts, palette: Palette) -> String {
    counts_phrase_aligned(counts, palette, 0)
}

pub(crate) fn counts_phrase_aligned(
    counts: &CategoryCounts,
    palette: Palette,
    width: usize,
) -> String {
    let mut out = format!("{:>width$} drift", counts.drift);
    let parts: Vec<String> = WORST_FIRST
        .iter()
        .filter_map(|s| {
            let n = counts.by_severity.get(s).copied().unwrap_or(0);
            (n > 0).then(|| palette.severity(*s, &format!("{n} {}", s.as_str())))
        })
        .collect();
    if !parts.is_empty() {
        let _ = write!(out, " ({})", parts.join(", "));
    }
    let _ = write!(
        out,
        " · {} equal",
        counts.facts.saturating_sub(counts.drift)
    );
    if counts.ignored > 0 {
        let _ = write!(out, " · {} ignored", counts.ignored);
    }
    out
}

/// The `check` output: the compared sides, one line per category (only `only` when
/// given, else every category that had facts), the total and a verdict.
pub fn render(report: &DriftReport, only: Option<Category>, palette: Palette) -> String {
    let mut out = String::new();
    let labels: Vec<String> = report
        .sides
        .iter()
        .map(|s| sanitize(&s.label, false).into_owned())
        .collect();
    let _ = writeln!(
        out,
        "{}",
        palette.heading(&format!("check: {}", labels.join(" vs ")))
    );
    let rows: Vec<(Category, CategoryCounts)> = Category::ALL
        .into_iter()
        .filter(|c| only.is_none_or(|o| o == *c))
        .map(|c| (c, report.categories.get(&c).cloned().unwrap_or_default()))
        .filter(|(c, counts)| only == Some(*c) || counts.facts > 0 || counts.ignored > 0)
        .collect();
    let total = sum_counts(rows.iter().map(|(_, counts)| counts));
    let width = total.drift.to_string().len();
    for (category, counts) in &rows {
        let _ = writeln!(
            out,
            "{:<10} {}",
            category.as_str(),
            counts_phrase_aligned(counts, palette, width)
        );
    }
    if rows.is_empty() {
        let _ = writeln!(out, "no facts compared");
    }
    let _ = writeln!(
        out,
        "{:<10} {}",
        "total",
        counts_phrase_aligned(&total, palette, width)
    );
    if total.drift == 0 {
        let _ = writeln!(out, "{}", palette.ok("OK: no drift"));
    } else {
        let noun = if total.drift == 1 {
            "fact drifts"
        } else {
            "facts drift"
        };
        let _ = writeln!(
            out,
            "{}",
            palette.severity(
                Severity::Critical,
                &format!("DRIFT: {} {noun}", total.drift)
            )
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::sample_report;

    #[test]
    fn phrase_lists_severities_worst_first_and_skips_zeros() {
        let mut counts = CategoryCounts {
            facts: 152,
            drift: 12,
            ignored: 3,
            ..Default::default()
        };
        counts.by_severity.insert(Severity::Low, 2);
        counts.by_severity.insert(Severity::Critical, 2);
        counts.by_severity.insert(Severity::High, 5);
        counts.by_severity.insert(Severity::Medium, 3);
        assert_eq!(
            counts_phrase(&counts, Palette::plain()),
            "12 drift (2 critical, 5 high, 3 medium, 2 low) · 140 equal · 3 ignored"
        );
        let quiet = CategoryCounts {
            facts: 40,
            ..Default::default()
        };
        assert_eq!(
            counts_phrase(&quiet, Palette::plain()),
            "0 drift · 40 equal"
        );
    }

    #[test]
    fn check_summary_has_a_line_per_category_with_facts_and_a_total() {
        let out = render(&sample_report(), None, Palette::plain());
        assert!(out.starts_with("check: staging vs prod\n"), "{out}");
        assert!(
            out.contains("versions    3 drift (1 critical, 1 high, 1 low) · 7 equal\n"),
            "{out}"
        );
        assert!(
            out.contains("infra       0 drift · 0 equal · 2 ignored\n"),
            "{out}"
        );
        assert!(!out.contains("services"), "{out}");
        assert!(
            out.contains(
                "total      10 drift (2 critical, 7 high, 1 low) · 16 equal · 2 ignored\n"
            ),
            "{out}"
        );
        assert!(out.ends_with("DRIFT: 10 facts drift\n"), "{out}");
    }

    #[test]
    fn check_summary_for_one_category_shows_only_it() {
        let out = render(&sample_report(), Some(Category::Services), Palette::plain());
        assert!(out.contains("services   0 drift · 0 equal\n"), "{out}");
        assert!(!out.contains("versions"), "{out}");
    }

    #[test]
    fn a_report_without_drift_says_ok() {
        let mut report = sample_report();
        report.facts.clear();
        for counts in report.categories.values_mut() {
            counts.drift = 0;
            counts.by_severity.clear();
        }
        let out = render(&report, None, Palette::plain());
        assert!(out.ends_with("OK: no drift\n"), "{out}");
    }
}
