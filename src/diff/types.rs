//! The drift report: what the diff engine hands to the TUI and the report writers.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Category, FactKey, Snapshot, Value};

/// One column of a comparison: an environment (one or more hosts) at one point in time.
#[derive(Debug, Clone)]
pub struct Side<'a> {
    /// The label shown for the column, e.g. `prod` or `prod@2026-11-20`.
    pub label: String,
    /// The snapshots of the side's hosts (one per host).
    pub snapshots: Vec<&'a Snapshot>,
}

/// What the report keeps of a side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideInfo {
    /// The column label.
    pub label: String,
    /// The environment the side stands for (that of its snapshots; empty for a side
    /// without any).
    pub environment: String,
    /// One host only, when the side names one (or is one host's snapshot file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The time the side's snapshots were picked at or before, when it names one (a
    /// snapshot file: its own time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// The hosts, with the time of each one's snapshot.
    pub hosts: Vec<HostInfo>,
}

/// A host of a side and when its snapshot was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostInfo {
    /// The host name.
    pub host: String,
    /// The snapshot's time.
    pub taken_at: DateTime<Utc>,
}

/// How the values of a fact relate across the sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Present everywhere with one value; or every side holds exactly the same hosts
    /// with the same values (an environment against its own past, unchanged).
    Equal,
    /// Present everywhere, but not with one value (or some side's hosts disagree, and
    /// the sides are not identical).
    Differs,
    /// Absent from at least one side.
    Missing,
}

/// How bad a difference is. Ordered: `None < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// No difference.
    None,
    /// Cosmetic: build/revision suffixes, whitespace-only text, list order only.
    Low,
    /// A patch-level version difference.
    Medium,
    /// A minor version difference, or changed values, text, members, fields, secrets.
    High,
    /// A major version (or epoch) difference, or a fact missing somewhere.
    Critical,
}

/// What kind of difference drove the severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// No difference.
    None,
    /// The fact is absent from some side.
    Missing,
    /// Versions differ in their epoch or first component.
    Major,
    /// Versions differ in their second component.
    Minor,
    /// Versions differ in a later component or a pre-release tag.
    Patch,
    /// Versions differ only in build metadata or package revision.
    Build,
    /// Scalar values differ.
    Value,
    /// Text differs in content.
    Text,
    /// Text differs only in whitespace.
    Whitespace,
    /// Set or list members differ.
    Members,
    /// A list has the same members in another order.
    Order,
    /// Record fields differ.
    Fields,
    /// Redacted fingerprints differ.
    Secret,
    /// The values are of different kinds (e.g. text on one side, a set on another).
    Kind,
}

/// The value one side holds for a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Cell {
    /// No host of the side has the fact.
    Absent,
    /// Every host of the side has this value.
    Present {
        /// The value.
        value: Value,
    },
    /// The side's hosts disagree.
    Divergent {
        /// Each distinct value (or absence) with the hosts holding it: the largest
        /// group first, ties by first host name, and the hosts lacking the fact last.
        groups: Vec<HostGroup>,
    },
}

impl Cell {
    /// The side's single value, if it has one.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Cell::Present { value } => Some(value),
            _ => None,
        }
    }
}

/// Hosts of one side that share a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostGroup {
    /// The value they hold; `None` when they lack the fact.
    pub value: Option<Value>,
    /// Their names, sorted.
    pub hosts: Vec<String>,
}

/// A line of one side of a text diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextLine {
    /// 1-based line number in that side's text.
    pub number: usize,
    /// The line, without its line ending.
    pub text: String,
    /// Byte ranges of `text` that changed against the other side.
    pub changed: Vec<(usize, usize)>,
}

/// How a side-by-side row relates its two lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowTag {
    /// The same line on both sides.
    Equal,
    /// A line changed between the sides.
    Changed,
    /// A line only the baseline has.
    Removed,
    /// A line only the other side has.
    Added,
}

/// One aligned row of a side-by-side text diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextRow {
    /// How the two lines relate.
    pub tag: RowTag,
    /// The baseline's line, if any.
    pub left: Option<TextLine>,
    /// The other side's line, if any.
    pub right: Option<TextLine>,
}

/// A field of a record that differs between two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field name.
    pub field: String,
    /// The baseline's value of the field.
    pub base: Option<String>,
    /// The other side's value of the field.
    pub other: Option<String>,
}

/// How one side's value differs from the baseline's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparison {
    /// Two versions: which is newer, and at what level they differ.
    Version {
        /// `less` when the other side is older than the baseline.
        #[serde(serialize_with = "ser_ordering")]
        ordering: Ordering,
        /// The level of the difference.
        level: ChangeKind,
    },
    /// Two texts as aligned rows.
    Text {
        /// Side-by-side rows, baseline on the left.
        rows: Vec<TextRow>,
    },
    /// Two sets or lists: members only on one side.
    Members {
        /// Members the other side has and the baseline lacks.
        added: Vec<String>,
        /// Members the baseline has and the other side lacks.
        removed: Vec<String>,
    },
    /// Two records: the fields that differ.
    Fields {
        /// Changed, added and removed fields, sorted by name.
        changes: Vec<FieldChange>,
    },
}

fn ser_ordering<S: serde::Serializer>(o: &Ordering, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match o {
        Ordering::Less => "older",
        Ordering::Equal => "same",
        Ordering::Greater => "newer",
    })
}

/// A comparison of a side against the baseline (side 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideComparison {
    /// The index of the compared side in [`DriftReport::sides`].
    pub side: usize,
    /// How it differs from the baseline.
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// One fact aligned across all sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactDiff {
    /// Category and key.
    #[serde(serialize_with = "ser_key")]
    pub key: FactKey,
    /// How the values relate.
    pub status: Status,
    /// True when some side's hosts disagree among themselves.
    pub divergent: bool,
    /// How bad the worst difference is.
    pub severity: Severity,
    /// What kind of difference drove the severity.
    pub change: ChangeKind,
    /// One cell per side, in side order.
    pub cells: Vec<Cell>,
    /// Each non-baseline side that holds a value differing from the baseline's.
    pub comparisons: Vec<SideComparison>,
}

fn ser_key<S: serde::Serializer>(k: &FactKey, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(k)
}

impl FactDiff {
    /// True when the fact differs between the sides, is missing somewhere, or diverges
    /// within a side. Sides holding identical cells never drift (see [`Status::Equal`]);
    /// a single side drifts when its hosts disagree.
    pub fn is_drift(&self) -> bool {
        self.status != Status::Equal
    }
}

/// Counts for one category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CategoryCounts {
    /// Facts compared (not counting ignored ones).
    pub facts: usize,
    /// Facts that drift.
    pub drift: usize,
    /// Facts matched by an ignore rule, left out of the comparison.
    pub ignored: usize,
    /// Drifting facts by severity.
    pub by_severity: BTreeMap<Severity, usize>,
}

/// The result of comparing two or more sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriftReport {
    /// The compared sides; side 0 is the baseline.
    pub sides: Vec<SideInfo>,
    /// Compared facts, worst first (drift only, unless equal facts were asked for).
    pub facts: Vec<FactDiff>,
    /// Counts per category, for every category.
    pub categories: BTreeMap<Category, CategoryCounts>,
}

impl DriftReport {
    /// The number of drifting facts across all categories.
    pub fn drift_count(&self) -> usize {
        self.categories.values().map(|c| c.drift).sum()
    }
}

/// Options of a comparison.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Keep equal facts in [`DriftReport::facts`] too.
    pub include_equal: bool,
    /// Compare only this category.
    pub category: Option<Category>,
    /// Facts to leave out of the comparison (they are counted as ignored).
    pub ignore: super::IgnoreRules,
}

impl Status {
    /// The lowercase name used in reports and the JSON document.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Equal => "equal",
            Status::Differs => "differs",
            Status::Missing => "missing",
        }
    }
}

impl Severity {
    /// The lowercase name used in reports and the JSON document.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl ChangeKind {
    /// The lowercase name used in reports and the JSON document.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::None => "none",
            ChangeKind::Missing => "missing",
            ChangeKind::Major => "major",
            ChangeKind::Minor => "minor",
            ChangeKind::Patch => "patch",
            ChangeKind::Build => "build",
            ChangeKind::Value => "value",
            ChangeKind::Text => "text",
            ChangeKind::Whitespace => "whitespace",
            ChangeKind::Members => "members",
            ChangeKind::Order => "order",
            ChangeKind::Fields => "fields",
            ChangeKind::Secret => "secret",
            ChangeKind::Kind => "kind",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_name<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    #[test]
    fn names_match_the_json_document() {
        for s in [Status::Equal, Status::Differs, Status::Missing] {
            assert_eq!(s.as_str(), serde_name(s));
        }
        for s in [
            Severity::None,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ] {
            assert_eq!(s.as_str(), serde_name(s));
        }
        use ChangeKind::*;
        for c in [
            None, Missing, Major, Minor, Patch, Build, Value, Text, Whitespace, Members, Order,
            Fields, Secret, Kind,
        ] {
            assert_eq!(c.as_str(), serde_name(c));
        }
    }
}
