//! Drift counts in words, shared by the text report and the `check` summary:
//!
//! ```text
//! versions   12 drift (2 critical, 5 high, 3 medium, 2 low) · 140 equal · 3 ignored
//! ```

use std::fmt::Write as _;

use crate::diff::{CategoryCounts, DriftReport, Severity};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
