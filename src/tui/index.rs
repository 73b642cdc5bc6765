//! Per-category lists of a report's facts (all, drift only, and the visible ones after
//! the filter), built once per report so that the panes only index into them.

use crate::diff::review::{Review, ReviewFilter, Reviews, StateCounts};
use crate::diff::{Cell, DriftReport};
use crate::model::Category;

use super::filter::FuzzyFilter;

/// Counts for one category: facts, drift, and drift by review state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    /// Facts compared.
    pub facts: usize,
    /// Facts that drift.
    pub drift: usize,
    /// The drifts by review state (all unreviewed until reviews are applied).
    pub states: StateCounts,
}

impl ReviewCounts {
    /// Drifts that need a decision: unreviewed, stale or expired.
    pub fn needs_review(&self) -> usize {
        self.states.needs_review()
    }
}

/// Row indexes (into [`DriftReport::facts`]) per category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactIndex {
    all: Vec<Vec<u32>>,
    drift: Vec<Vec<u32>>,
    visible: Vec<Vec<u32>>,
    counts: Vec<ReviewCounts>,
}

/// The position of a category in [`Category::ALL`].
pub fn category_slot(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or(0)
}

impl FactIndex {
    /// Indexes `report`; the visible lists start as drift only, unfiltered.
    pub fn build(report: &DriftReport) -> FactIndex {
        let n = Category::ALL.len();
        let mut all = vec![Vec::new(); n];
        let mut drift = vec![Vec::new(); n];
        let mut counts = vec![ReviewCounts::default(); n];
        for (i, fact) in report.facts.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let slot = category_slot(fact.key.category);
            all[slot].push(i);
            if fact.is_drift() {
                drift[slot].push(i);
                counts[slot].states.unreviewed += 1;
            }
        }
        for (slot, c) in counts.iter_mut().enumerate() {
            let from_report = report.categories.get(&Category::ALL[slot]);
            c.drift = drift[slot].len();
            c.facts = from_report.map_or(all[slot].len(), |r| r.facts.max(all[slot].len()));
        }
        FactIndex {
            visible: drift.clone(),
            all,
            drift,
            counts,
        }
    }

    /// Recomputes the visible lists: drift only unless `show_all`, then the fuzzy `filter`.
    pub fn refresh(&mut self, report: &DriftReport, show_all: bool, filter: &str) {
        self.refresh_reviewed(report, show_all, filter, None, ReviewFilter::All);
    }

    /// [`FactIndex::refresh`], then only the facts whose review passes `review_filter`.
    /// Without `reviews` every drift counts as unreviewed.
    pub fn refresh_reviewed(
        &mut self,
        report: &DriftReport,
        show_all: bool,
        filter: &str,
        reviews: Option<&Reviews>,
        review_filter: ReviewFilter,
    ) {
        let mut fuzzy = FuzzyFilter::new(filter);
        let source = if show_all { &self.all } else { &self.drift };
        let passes_review = |i: u32| {
            if review_filter == ReviewFilter::All {
                return true;
            }
            let review = match reviews {
                Some(r) => r.facts.get(i as usize).copied().flatten(),
                None => report
                    .facts
                    .get(i as usize)
                    .filter(|f| f.is_drift())
                    .map(|_| Review::UNREVIEWED),
            };
            review_filter.matches(review.as_ref())
        };
        self.visible = source
            .iter()
            .map(|rows| {
                rows.iter()
                    .copied()
                    .filter(|&i| passes_review(i))
                    .filter(|&i| {
                        fuzzy.is_empty()
                            || report
                                .facts
                                .get(i as usize)
                                .is_some_and(|f| fuzzy.matches(&f.key.key))
                    })
                    .collect()
            })
            .collect();
    }

    /// Takes the review-state counts of every category from `reviews`.
    pub fn apply_reviews(&mut self, reviews: &Reviews) {
        for (slot, counts) in self.counts.iter_mut().enumerate() {
            counts.states = Category::ALL
                .get(slot)
                .and_then(|c| reviews.by_category.get(c))
                .copied()
                .unwrap_or_default();
        }
    }

    /// The visible rows of a category.
    pub fn visible(&self, category: Category) -> &[u32] {
        self.visible
            .get(category_slot(category))
            .map_or(&[], Vec::as_slice)
    }

    /// The counts of a category.
    pub fn counts(&self, category: Category) -> ReviewCounts {
        self.counts
            .get(category_slot(category))
            .copied()
            .unwrap_or_default()
    }
}

/// For each side of `report`, the number of facts whose value on that side differs from
/// the baseline's (or whose hosts disagree). Side 0 counts its own divergences.
pub fn drift_per_side(report: &DriftReport) -> Vec<usize> {
    let mut counts = vec![0; report.sides.len()];
    for fact in report.facts.iter().filter(|f| f.is_drift()) {
        let base = fact.cells.first();
        for (side, cell) in fact.cells.iter().enumerate() {
            let divergent = matches!(cell, Cell::Divergent { .. });
            if divergent || (side > 0 && Some(cell) != base) {
                if let Some(c) = counts.get_mut(side) {
                    *c += 1;
                }
            }
        }
    }
    counts
}
