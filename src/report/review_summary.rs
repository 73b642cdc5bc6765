//! The `check` summary with review states: per category, the drift counts and how many
//! drifts are unreviewed, justified, to remediate, stale or expired; then a verdict.
//!
//! ```text
//! config     26 drift (1 critical, 25 high) · 29 equal
//!            20 unreviewed · 3 justified · 1 to remediate · 1 stale · 1 expired
//! ```

use std::fmt::Write as _;

use crate::diff::review::{ReviewState, Reviews, StateCounts};
use crate::diff::{CategoryCounts, Cell, DriftReport, FactDiff, Severity};
use crate::model::{Category, sanitize};

use super::Palette;
use super::describe::RedactionClasses;
use super::hosts::{HostNames, divergence, host_count};
use super::summary::{counts_phrase_aligned, sum_counts};

/// The width of the category column, so review lines sit under the counts.
const NAME_WIDTH: usize = 10;

/// `20 unreviewed · 3 justified · 1 stale`: the states with drifts, in display order.
pub fn states_phrase(counts: &StateCounts, palette: Palette) -> String {
    let parts: Vec<String> = ReviewState::ALL
        .iter()
        .filter(|s| counts.get(**s) > 0)
        .map(|s| paint(palette, *s, &format!("{} {}", counts.get(*s), s.label())))
        .collect();
    if parts.is_empty() {
        "nothing to review".to_string()
    } else {
        parts.join(" · ")
    }
}

/// Text in the colour of a review state.
pub fn paint(palette: Palette, state: ReviewState, text: &str) -> String {
    match state {
        ReviewState::Unreviewed => palette.severity(Severity::High, text),
        ReviewState::Justified => palette.added(text),
        ReviewState::Remediate => palette.warn(text),
        ReviewState::Stale | ReviewState::Expired => palette.severity(Severity::Medium, text),
    }
}

/// True when `check` should fail: drift needs review, or (with `strict`) some drift is
/// marked for remediation.
pub fn fails(reviews: &Reviews, only: Option<Category>, strict: bool) -> bool {
    let total = selected_states(reviews, only);
    total.needs_review() > 0 || (strict && total.remediate > 0)
}

fn selected_states(reviews: &Reviews, only: Option<Category>) -> StateCounts {
    let mut total = StateCounts::default();
    for (category, counts) in &reviews.by_category {
        if only.is_none_or(|o| o == *category) {
            total.absorb(counts);
        }
    }
    total
}

/// The `check` output: the compared sides, per category (only `only` when given, else
/// every category that had facts) its drift counts and, when it drifts, its review
/// states; the total; and a verdict line for each reason to fail, or `OK`.
pub fn render(
    report: &DriftReport,
    reviews: &Reviews,
    only: Option<Category>,
    strict: bool,
    palette: Palette,
) -> String {
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
    let rows: Vec<(Category, CategoryCounts, StateCounts)> = Category::ALL
        .into_iter()
        .filter(|c| only.is_none_or(|o| o == *c))
        .map(|c| {
            (
                c,
                report.categories.get(&c).cloned().unwrap_or_default(),
                reviews.by_category.get(&c).copied().unwrap_or_default(),
            )
        })
        .filter(|(c, counts, _)| only == Some(*c) || counts.facts > 0 || counts.ignored > 0)
        .collect();
    let total = sum_counts(rows.iter().map(|(_, counts, _)| counts));
    let mut states = StateCounts::default();
    for (_, _, s) in &rows {
        states.absorb(s);
    }
    let width = total.drift.to_string().len();
    let indent = " ".repeat(NAME_WIDTH + 1);
    for (category, counts, category_states) in &rows {
        let _ = writeln!(
            out,
            "{:<NAME_WIDTH$} {}",
            category.as_str(),
            counts_phrase_aligned(counts, palette, width)
        );
        if counts.drift > 0 {
            let _ = writeln!(out, "{indent}{}", states_phrase(category_states, palette));
        }
    }
    if rows.is_empty() {
        let _ = writeln!(out, "no facts compared");
    }
    let _ = writeln!(
        out,
        "{:<NAME_WIDTH$} {}",
        "total",
        counts_phrase_aligned(&total, palette, width)
    );
    if total.drift > 0 {
        let _ = writeln!(out, "{indent}{}", states_phrase(&states, palette));
    }
    let in_scope = |fact: &FactDiff| only.is_none_or(|o| o == fact.key.category);
    let by_rule = report
        .facts
        .iter()
        .enumerate()
        .filter(|(i, f)| in_scope(f) && reviews.rule(*i).is_some())
        .count();
    if by_rule > 0 {
        let _ = writeln!(
            out,
            "{indent}{by_rule} of them justified by a rule in driftscope.toml"
        );
    }
    write_open_facts(&mut out, report, reviews, &in_scope, palette);
    out.push_str(&verdict(total.drift, &states, strict, palette));
    out
}

/// How many facts needing review `check` lists by name before counting the rest.
pub const LISTED: usize = 50;

/// The facts that need review, worst first, one line each: severity, state and
/// `category/key`; past [`LISTED`], how many more.
fn write_open_facts(
    out: &mut String,
    report: &DriftReport,
    reviews: &Reviews,
    in_scope: &dyn Fn(&FactDiff) -> bool,
    palette: Palette,
) {
    let open: Vec<(&FactDiff, ReviewState)> = report
        .facts
        .iter()
        .enumerate()
        .filter(|(_, f)| in_scope(f))
        .filter_map(|(i, f)| reviews.state(i).map(|s| (f, s)))
        .filter(|(_, s)| s.needs_review())
        .collect();
    if open.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", palette.heading("needs review:"));
    for (fact, state) in open.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "  {}  {:<10}  {}",
            palette.severity(fact.severity, &format!("{:<8}", fact.severity.as_str())),
            state.label(),
            sanitize(&fact.key.to_string(), false)
        );
        write_wide_sides(out, report, fact, palette);
    }
    if open.len() > LISTED {
        let _ = writeln!(
            out,
            "  … and {} more (driftscope diff --unreviewed lists every one)",
            open.len() - LISTED
        );
    }
}

/// Under a fact, one line per side of more than a few hosts that disagree: its majority
/// and the hosts that stray from it (see [`super::hosts::divergence`]).
fn write_wide_sides(out: &mut String, report: &DriftReport, fact: &FactDiff, palette: Palette) {
    let names = HostNames::SUMMARY;
    let classes = RedactionClasses::of(fact);
    for (side, cell) in report.sides.iter().zip(&fact.cells) {
        let Cell::Divergent { groups } = cell else {
            continue;
        };
        if !names.is_wide(host_count(groups)) {
            continue;
        }
        let line = format!(
            "{}: {}",
            sanitize(&side.label, false),
            divergence(groups, &classes, names)
        );
        let _ = writeln!(out, "{:24}{}", "", palette.dim(&line));
    }
}

fn verdict(drift: usize, states: &StateCounts, strict: bool, palette: Palette) -> String {
    if drift == 0 {
        return format!("{}\n", palette.ok("OK: no drift"));
    }
    let facts = |n: usize| if n == 1 { "fact" } else { "facts" };
    let mut out = String::new();
    let open = states.needs_review();
    if open > 0 {
        let parts: Vec<String> = [
            ReviewState::Unreviewed,
            ReviewState::Stale,
            ReviewState::Expired,
        ]
        .iter()
        .filter(|s| states.get(**s) > 0)
        .map(|s| format!("{} {}", states.get(*s), s.label()))
        .collect();
        let verb = if open == 1 { "needs" } else { "need" };
        let _ = writeln!(
            out,
            "{}",
            palette.severity(
                Severity::Critical,
                &format!(
                    "DRIFT: {open} {} {verb} review ({})",
                    facts(open),
                    parts.join(", ")
                )
            )
        );
    }
    if strict && states.remediate > 0 {
        let n = states.remediate;
        let verb = if n == 1 { "is" } else { "are" };
        let _ = writeln!(
            out,
            "{}",
            palette.severity(
                Severity::Critical,
                &format!(
                    "REMEDIATE: {n} {} {verb} marked for remediation (--strict)",
                    facts(n)
                )
            )
        );
    }
    if out.is_empty() {
        let reviewed: Vec<String> = [ReviewState::Justified, ReviewState::Remediate]
            .iter()
            .filter(|s| states.get(**s) > 0)
            .map(|s| format!("{} {}", states.get(*s), s.label()))
            .collect();
        let _ = writeln!(
            out,
            "{}",
            palette.ok(&format!(
                "OK: every drifting fact is reviewed ({})",
                reviewed.join(", ")
            ))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::diff::review::{Review, review};
    use crate::report::testing::sample_report;

    fn reviews_with(states: &[ReviewState]) -> (DriftReport, Reviews) {
        let report = sample_report();
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let environments = vec!["staging".to_string(), "prod".to_string()];
        let mut reviews = review(&report, &environments, &[], now);
        // Assign the given states to the first drifts, recounting by category.
        for (slot, state) in reviews.facts.iter_mut().flatten().zip(states) {
            *slot = Review {
                state: *state,
                annotation: Some(0),
            };
        }
        for counts in reviews.by_category.values_mut() {
            *counts = StateCounts::default();
        }
        for (fact, slot) in report.facts.iter().zip(&reviews.facts) {
            if let Some(r) = slot {
                reviews
                    .by_category
                    .entry(fact.key.category)
                    .or_default()
                    .add(r.state);
            }
        }
        (report, reviews)
    }

    #[test]
    fn categories_with_drift_get_a_line_of_states() {
        let (report, reviews) = reviews_with(&[ReviewState::Justified, ReviewState::Stale]);
        let out = render(&report, &reviews, None, false, Palette::plain());
        assert!(out.starts_with("check: staging vs prod\n"), "{out}");
        assert!(
            out.contains("\ntotal      10 drift (2 critical, 7 high, 1 low) · 16 equal · 2 ignored\n           8 unreviewed · 1 justified · 1 stale\n"),
            "{out}"
        );
        // A category without drift has nothing to review, so no second line.
        assert!(
            out.contains("\ninfra       0 drift · 0 equal · 2 ignored\ntotal"),
            "{out}"
        );
        assert!(
            out.ends_with("DRIFT: 9 facts need review (8 unreviewed, 1 stale)\n"),
            "{out}"
        );
        assert!(fails(&reviews, None, false));
    }

    #[test]
    fn all_reviewed_passes_unless_strict_and_remediations_are_open() {
        let states = [ReviewState::Justified; 9]
            .into_iter()
            .chain([ReviewState::Remediate])
            .collect::<Vec<_>>();
        let (report, reviews) = reviews_with(&states);
        let out = render(&report, &reviews, None, false, Palette::plain());
        assert!(
            out.ends_with("OK: every drifting fact is reviewed (9 justified, 1 to remediate)\n"),
            "{out}"
        );
        assert!(!fails(&reviews, None, false));
        let strict = render(&report, &reviews, None, true, Palette::plain());
        assert!(
            strict.ends_with("REMEDIATE: 1 fact is marked for remediation (--strict)\n"),
            "{strict}"
        );
        assert!(fails(&reviews, None, true));
    }

    #[test]
    fn no_drift_is_ok() {
        let mut report = sample_report();
        report.facts.clear();
        for counts in report.categories.values_mut() {
            counts.drift = 0;
            counts.by_severity.clear();
        }
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let reviews = review(&report, &["a".into(), "b".into()], &[], now);
        let out = render(&report, &reviews, None, true, Palette::plain());
        assert!(out.ends_with("OK: no drift\n"), "{out}");
        assert!(!out.contains("unreviewed"), "{out}");
    }
}
