//! Per-category lists of a report's facts (all, drift only, and the visible ones after
//! the filter), built once per report so that the panes only index into them. Schema
//! facts are grouped by table (or other object), each group under a heading row.

use std::collections::HashMap;

use crate::diff::review::{Review, ReviewFilter, Reviews, StateCounts};
use crate::diff::{Cell, DriftReport, FactDiff};
use crate::model::{Category, SchemaKind, parse_schema_key, schema_group};

use super::filter::FuzzyFilter;

/// A row of a facts list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    /// A fact, by its index in the report.
    Fact(u32),
    /// The heading of a group of schema facts.
    Heading {
        /// The group (see [`FactIndex::group`]).
        group: u32,
        /// Facts of the group in the list.
        facts: u32,
        /// Of those, the ones that drift.
        drift: u32,
    },
}

impl ListRow {
    /// The fact's index in the report, for a fact row.
    pub fn fact(self) -> Option<u32> {
        match self {
            ListRow::Fact(row) => Some(row),
            ListRow::Heading { .. } => None,
        }
    }
}

/// What a group of schema facts describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKind {
    /// A table, with its columns, indexes, constraints, triggers and row estimate.
    Table,
    /// A view or materialized view.
    View,
    /// A sequence.
    Sequence,
    /// An enum type.
    Enum,
    /// A function or procedure.
    Function,
    /// Facts of a whole database: settings, extensions, schemas, migrations.
    Database,
    /// Keys that are not schema keys.
    Other,
}

impl GroupKind {
    /// A word for the heading; `None` where the heading's label says it all.
    pub fn name(self) -> Option<&'static str> {
        match self {
            GroupKind::Table => Some("table"),
            GroupKind::View => Some("view"),
            GroupKind::Sequence => Some("sequence"),
            GroupKind::Enum => Some("enum"),
            GroupKind::Function => Some("function"),
            GroupKind::Database | GroupKind::Other => None,
        }
    }
}

/// A group of schema facts: one table (or view, enum, sequence, function), the facts of
/// a whole database, or facts with keys of no known shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The heading: `public.orders`, `analytics/public.events`, `database`,
    /// `analytics database`, `other`.
    pub label: String,
    /// What it describes.
    pub kind: GroupKind,
    /// Every fact of the group in the report, in list order.
    pub rows: Vec<u32>,
}

/// The group key and kind of a schema fact's key.
fn group_of_key(key: &str) -> (String, GroupKind) {
    let Some(parsed) = parse_schema_key(key) else {
        return ("other".to_string(), GroupKind::Other);
    };
    let kind = match parsed.kind {
        SchemaKind::Table
        | SchemaKind::Column
        | SchemaKind::Index
        | SchemaKind::Constraint
        | SchemaKind::Trigger
        | SchemaKind::Rows => GroupKind::Table,
        SchemaKind::View => GroupKind::View,
        SchemaKind::Sequence => GroupKind::Sequence,
        SchemaKind::Enum => GroupKind::Enum,
        SchemaKind::Function => GroupKind::Function,
        SchemaKind::Setting
        | SchemaKind::Extension
        | SchemaKind::Schema
        | SchemaKind::Migrations => GroupKind::Database,
    };
    match schema_group(key) {
        Some((schema, object)) => (format!("{schema}.{object}"), kind),
        None => match parsed.database {
            Some(db) => (format!("{db} database"), GroupKind::Database),
            None => ("database".to_string(), GroupKind::Database),
        },
    }
}

/// The order of a fact within its group when equal: the object first, then its parts.
fn kind_rank(key: &str) -> u8 {
    match parse_schema_key(key).map(|k| k.kind) {
        Some(SchemaKind::Table | SchemaKind::View | SchemaKind::Sequence) => 0,
        Some(SchemaKind::Enum | SchemaKind::Function) => 0,
        Some(SchemaKind::Column) => 1,
        Some(SchemaKind::Index) => 2,
        Some(SchemaKind::Constraint) => 3,
        Some(SchemaKind::Trigger) => 4,
        Some(SchemaKind::Rows) => 5,
        Some(SchemaKind::Setting) => 6,
        Some(SchemaKind::Extension) => 7,
        Some(SchemaKind::Schema) => 8,
        Some(SchemaKind::Migrations) => 9,
        None => 10,
    }
}

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
    visible: Vec<Vec<ListRow>>,
    visible_facts: Vec<usize>,
    counts: Vec<ReviewCounts>,
    groups: Vec<Group>,
    /// The group of each report row (schema facts only; `u32::MAX` for the others).
    group_of: Vec<u32>,
}

/// The slot of the schema category.
fn schema_slot() -> usize {
    category_slot(Category::Schema)
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
        let (groups, group_of) = group_schema(report, &mut all[schema_slot()]);
        drift[schema_slot()] = all[schema_slot()]
            .iter()
            .copied()
            .filter(|&r| report.facts.get(r as usize).is_some_and(FactDiff::is_drift))
            .collect();
        let mut index = FactIndex {
            visible: Vec::new(),
            visible_facts: Vec::new(),
            all,
            drift,
            counts,
            groups,
            group_of,
        };
        index.refresh(report, false, "");
        index
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
        let filtered: Vec<Vec<u32>> = source
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
        self.visible_facts = filtered.iter().map(Vec::len).collect();
        self.visible = filtered
            .into_iter()
            .enumerate()
            .map(|(slot, rows)| {
                if slot == schema_slot() {
                    self.with_headings(report, &rows)
                } else {
                    rows.into_iter().map(ListRow::Fact).collect()
                }
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

    /// `rows` (grouped already) with a heading before each group.
    fn with_headings(&self, report: &DriftReport, rows: &[u32]) -> Vec<ListRow> {
        let mut out = Vec::with_capacity(rows.len() + rows.len() / 4 + 1);
        let mut heading_at = 0;
        let mut current = None;
        for &row in rows {
            let group = self.group_of.get(row as usize).copied().unwrap_or(u32::MAX);
            if current != Some(group) {
                current = Some(group);
                heading_at = out.len();
                out.push(ListRow::Heading {
                    group,
                    facts: 0,
                    drift: 0,
                });
            }
            let is_drift = report
                .facts
                .get(row as usize)
                .is_some_and(FactDiff::is_drift);
            if let Some(ListRow::Heading { facts, drift, .. }) = out.get_mut(heading_at) {
                *facts += 1;
                *drift += u32::from(is_drift);
            }
            out.push(ListRow::Fact(row));
        }
        out
    }

    /// The visible rows of a category: facts, and for the schema, group headings.
    pub fn visible(&self, category: Category) -> &[ListRow] {
        self.visible
            .get(category_slot(category))
            .map_or(&[], Vec::as_slice)
    }

    /// How many facts (headings aside) a category's visible list holds.
    pub fn visible_fact_count(&self, category: Category) -> usize {
        self.visible_facts
            .get(category_slot(category))
            .copied()
            .unwrap_or(0)
    }

    /// A group of schema facts.
    pub fn group(&self, group: u32) -> Option<&Group> {
        self.groups.get(group as usize)
    }

    /// The group of a schema fact (by its report row).
    pub fn group_of(&self, row: u32) -> Option<u32> {
        self.group_of
            .get(row as usize)
            .copied()
            .filter(|g| *g != u32::MAX)
    }

    /// The counts of a category.
    pub fn counts(&self, category: Category) -> ReviewCounts {
        self.counts
            .get(category_slot(category))
            .copied()
            .unwrap_or_default()
    }
}

/// Groups the schema facts `rows` (in report order) by table or object: groups in the
/// order their first fact appears (worst first), within a group drifting facts in
/// report order, then equal ones by kind (the object, columns, indexes…). Returns the
/// groups and the group of every report row.
fn group_schema(report: &DriftReport, rows: &mut [u32]) -> (Vec<Group>, Vec<u32>) {
    let mut group_of = vec![u32::MAX; report.facts.len()];
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, u32> = HashMap::new();
    for &row in rows.iter() {
        let Some(fact) = report.facts.get(row as usize) else {
            continue;
        };
        let (key, kind) = group_of_key(&fact.key.key);
        let id = *by_key.entry(key.clone()).or_insert_with(|| {
            groups.push(Group {
                label: key,
                kind,
                rows: Vec::new(),
            });
            (groups.len() - 1) as u32
        });
        if let Some(slot) = group_of.get_mut(row as usize) {
            *slot = id;
        }
    }
    rows.sort_by_cached_key(|&row| {
        let fact = report.facts.get(row as usize);
        let equal = fact.is_some_and(|f| !f.is_drift());
        let rank = match fact {
            Some(f) if equal => kind_rank(&f.key.key),
            _ => 0,
        };
        (group_of.get(row as usize).copied(), equal, rank, row)
    });
    for &row in rows.iter() {
        if let Some(group) = group_of
            .get(row as usize)
            .and_then(|&g| groups.get_mut(g as usize))
        {
            group.rows.push(row);
        }
    }
    (groups, group_of)
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
