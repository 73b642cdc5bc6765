//! The audit report: what a parity audit decided and what is left, for people (Markdown,
//! a printable HTML page) and programs (JSON, documented in `docs/audit-report.md`).
//!
//! Every rendering has the same parts: the compared sides; a summary per category and
//! review state; the justified differences with their reasons; a remediation checklist
//! with tickets; the drifts still needing review (unreviewed, stale, expired); and the
//! annotations whose difference has gone. [`Audit`] gathers them; the renderers only
//! lay them out and escape.

pub mod html;
pub mod json;
pub mod markdown;

use chrono::{DateTime, Utc};

use crate::diff::policy::{ExpectationRule, Policy};
use crate::diff::review::{ReviewState, Reviews, StateCounts};
use crate::diff::{CategoryCounts, DriftReport, FactDiff};
use crate::model::{Annotation, Category, sanitize};

use super::describe::{RedactionClasses, cell_summary, clip};

/// Characters of a value summary before it is clipped.
const MAX_VALUE: usize = 60;

/// Everything an audit report shows.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    /// The workspace's name.
    pub workspace: &'a str,
    /// When the report was made; it also decides which annotations have expired.
    pub generated_at: DateTime<Utc>,
    /// The comparison.
    pub report: &'a DriftReport,
    /// Its review against `annotations`.
    pub reviews: &'a Reviews,
    /// The annotations `reviews` indexes into.
    pub annotations: &'a [Annotation],
    /// The policy whose expectation rules `reviews` indexes into.
    pub policy: &'a Policy,
}

/// Which part of the report a drift belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Justified by a current annotation.
    Justified,
    /// Marked for remediation by a current annotation.
    Remediate,
    /// Unreviewed, stale or expired.
    NeedsReview,
}

impl Part {
    fn holds(self, state: ReviewState) -> bool {
        match self {
            Part::Justified => state == ReviewState::Justified,
            Part::Remediate => state == ReviewState::Remediate,
            Part::NeedsReview => state.needs_review(),
        }
    }
}

/// One drift with its review.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The drifting fact.
    pub fact: &'a FactDiff,
    /// Its review state.
    pub state: ReviewState,
    /// The annotation behind the state, if any (also for stale and expired ones).
    pub annotation: Option<&'a Annotation>,
    /// The expectation rule that justifies the drift, if one does.
    pub rule: Option<&'a ExpectationRule>,
}

/// One summary row: a category's drift counts and review states.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// The category.
    pub category: Category,
    /// Its fact counts.
    pub counts: CategoryCounts,
    /// Its drifts by review state.
    pub states: StateCounts,
}

impl<'a> Audit<'a> {
    /// Every drift with its review, in report order (worst first).
    pub fn entries(&self) -> Vec<Entry<'a>> {
        self.report
            .facts
            .iter()
            .zip(&self.reviews.facts)
            .enumerate()
            .filter_map(|(index, (fact, review))| {
                review.map(|r| Entry {
                    fact,
                    state: r.state,
                    annotation: r.annotation.and_then(|i| self.annotations.get(i)),
                    rule: self.reviews.rule(index).and_then(|i| self.policy.rule(i)),
                })
            })
            .collect()
    }

    /// The drifts of one part, grouped by category in display order, worst first within
    /// each category.
    pub fn part(&self, part: Part) -> Vec<Entry<'a>> {
        let mut entries: Vec<Entry<'a>> = self
            .entries()
            .into_iter()
            .filter(|e| part.holds(e.state))
            .collect();
        // A stable sort keeps the report's worst-first order within a category.
        entries.sort_by_key(|e| e.fact.key.category);
        entries
    }

    /// Annotations made for exactly these environments whose fact no longer drifts.
    pub fn resolved(&self) -> Vec<&'a Annotation> {
        self.reviews
            .resolved
            .iter()
            .filter_map(|i| self.annotations.get(*i))
            .collect()
    }

    /// One row per category that was compared (had facts or ignored facts).
    pub fn summary(&self) -> Vec<SummaryRow> {
        Category::ALL
            .into_iter()
            .map(|category| SummaryRow {
                category,
                counts: self
                    .report
                    .categories
                    .get(&category)
                    .cloned()
                    .unwrap_or_default(),
                states: self
                    .reviews
                    .by_category
                    .get(&category)
                    .copied()
                    .unwrap_or_default(),
            })
            .filter(|row| row.counts.facts > 0 || row.counts.ignored > 0)
            .collect()
    }

    /// Drifts by state across every category.
    pub fn totals(&self) -> StateCounts {
        self.reviews.total()
    }

    /// The side labels, terminal-safe.
    pub fn labels(&self) -> Vec<String> {
        self.report
            .sides
            .iter()
            .map(|s| sanitize(&s.label, false).into_owned())
            .collect()
    }

    /// `staging vs prod`.
    pub fn title(&self) -> String {
        self.labels().join(" vs ")
    }
}

/// Each side's value of `fact` as a short, safe, single-line summary; redacted values
/// never show their fingerprint.
pub fn values(fact: &FactDiff) -> Vec<String> {
    let classes = RedactionClasses::of(fact);
    let baseline = fact.cells.first();
    fact.cells
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let base = if i == 0 { None } else { baseline };
            clip(&cell_summary(cell, base, &classes), MAX_VALUE).into_owned()
        })
        .collect()
}

/// Text from a person (a reason, an author, a ticket) on one line: runs of whitespace,
/// line breaks included, become one space; control characters are made visible.
pub fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    sanitize(&joined, false).into_owned()
}

/// `justified by rule infra/* (driftscope.toml): "prod is sized for load"`.
pub fn rule_note(rule: &ExpectationRule) -> String {
    format!(
        "justified by rule {} (driftscope.toml): \"{}\"",
        one_line(&rule.pattern),
        one_line(&rule.reason)
    )
}

/// `2026-11-20`.
pub fn day(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d").to_string()
}

/// What is known of a drift's review, in words, without the state's name: `not
/// reviewed yet`; for a stale one `justified by Dana on 2026-11-17 for values that have
/// changed since: "…"`; for an expired one `justified by Sam on 2026-11-12, holding
/// through 2026-11-19: "…"`; otherwise who decided what, when and why.
pub fn review_note(entry: &Entry<'_>) -> String {
    let Some(a) = entry.annotation else {
        return match entry.rule {
            Some(rule) => rule_note(rule),
            None => "not reviewed yet".to_string(),
        };
    };
    let decided = format!(
        "{} by {} on {}",
        a.kind.describe(),
        one_line(&a.author),
        day(a.time)
    );
    let reason = one_line(&a.reason);
    match (entry.state, a.expires) {
        (ReviewState::Stale, _) => {
            format!("{decided} for values that have changed since: \"{reason}\"")
        }
        (ReviewState::Expired, Some(last)) => {
            format!("{decided}, holding through {last}: \"{reason}\"")
        }
        _ => format!("{decided}: \"{reason}\""),
    }
}

/// True for a ticket that is a web link, which renderers may turn into a hyperlink.
pub fn is_web_link(ticket: &str) -> bool {
    let lower = ticket.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !ticket.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The verdict sentence: how many drifts need review, how many are decided.
pub fn verdict(totals: &StateCounts) -> String {
    let total = totals.total();
    if total == 0 {
        return "No drift.".to_string();
    }
    let open = totals.needs_review();
    let open_part = if open == 0 {
        format!("All {total} drifting facts are reviewed")
    } else {
        let parts: Vec<String> = [
            ReviewState::Unreviewed,
            ReviewState::Stale,
            ReviewState::Expired,
        ]
        .iter()
        .filter(|s| totals.get(**s) > 0)
        .map(|s| format!("{} {}", totals.get(*s), s.label()))
        .collect();
        format!(
            "{open} of {total} drifting facts need review ({})",
            parts.join(", ")
        )
    };
    format!(
        "{open_part}; {} justified, {} to remediate.",
        totals.justified, totals.remediate
    )
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::sample_audit;
    use super::*;

    #[test]
    fn parts_split_the_drifts_by_state_and_keep_category_order() {
        let (report, reviews, annotations, now) = sample_audit();
        let audit = Audit {
            policy: &Policy::default(),
            workspace: "shop",
            generated_at: now,
            report: &report,
            reviews: &reviews,
            annotations: &annotations,
        };
        let justified = audit.part(Part::Justified);
        let remediate = audit.part(Part::Remediate);
        let open = audit.part(Part::NeedsReview);
        assert_eq!(
            justified.len() + remediate.len() + open.len(),
            report.drift_count()
        );
        assert!(justified.iter().all(|e| e.annotation.is_some()));
        let categories: Vec<Category> = open.iter().map(|e| e.fact.key.category).collect();
        let mut sorted = categories.clone();
        sorted.sort();
        assert_eq!(categories, sorted);
        assert!(open.iter().any(|e| e.state == ReviewState::Stale));
        assert!(open.iter().any(|e| e.state == ReviewState::Expired));
    }

    #[test]
    fn notes_say_why_a_drift_needs_review() {
        let (report, reviews, annotations, now) = sample_audit();
        let audit = Audit {
            policy: &Policy::default(),
            workspace: "shop",
            generated_at: now,
            report: &report,
            reviews: &reviews,
            annotations: &annotations,
        };
        let notes: Vec<String> = audit
            .part(Part::NeedsReview)
            .iter()
            .map(review_note)
            .collect();
        assert!(notes.contains(&"not reviewed yet".to_string()), "{notes:?}");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("justified by Dana Whitfield on 2026-11-15 for values")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n
                .starts_with("justified by Sam Okafor on 2026-11-12, holding through 2026-11-19")),
            "{notes:?}"
        );
    }

    #[test]
    fn person_text_is_one_safe_line_and_only_web_tickets_are_links() {
        assert_eq!(
            one_line("  two\nlines\tand \u{1b}[2J "),
            "two lines and ^[[2J"
        );
        assert!(is_web_link("https://tickets.example/SHOP-1"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link("SHOP-1"));
        assert!(!is_web_link("https://x.example/a b"));
    }

    #[test]
    fn the_verdict_counts_open_and_decided_drifts() {
        let totals = StateCounts {
            unreviewed: 3,
            justified: 2,
            remediate: 1,
            stale: 1,
            expired: 0,
        };
        assert_eq!(
            verdict(&totals),
            "4 of 7 drifting facts need review (3 unreviewed, 1 stale); 2 justified, 1 to remediate."
        );
        let done = StateCounts {
            justified: 2,
            ..StateCounts::default()
        };
        assert_eq!(
            verdict(&done),
            "All 2 drifting facts are reviewed; 2 justified, 0 to remediate."
        );
        assert_eq!(verdict(&StateCounts::default()), "No drift.");
    }
}
