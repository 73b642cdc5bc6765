//! Review states: which annotation applies to each drift, and whether it still holds.
//!
//! Pure functions of a [`DriftReport`], the environment name of each of its sides, the
//! workspace's annotations and the current time. No I/O.
//!
//! # Which annotation applies
//!
//! A comparison's *environments* are the distinct environment names of its sides:
//! `staging prod` and `staging@2026-11-20 prod` both compare `{prod, staging}`, and
//! `prod@-1d prod` compares `{prod}`. An annotation whose environments are
//!
//! - exactly the comparison's applies to the fact's drift;
//! - a strict subset of them (an annotation made on `staging prod`, seen while comparing
//!   `dev staging prod`) applies only when it accounts for the whole drift: every side's
//!   value also occurs on a side of the annotation's environments (so `dev` equals
//!   `staging` or `prod`); otherwise the drift is something the annotation never saw;
//! - anything else does not apply.
//!
//! When several apply, a current one (neither stale nor expired) wins over others; then
//! an exact match over a subset, a larger subset over a smaller, a newer over an older.
//!
//! # Justified by rule
//!
//! With [`review_with_rules`], a drift that needs review (no current annotation) but is
//! matched by a *may differ* expectation rule of the workspace's policy is justified by
//! that rule: [`Reviews::rules`] names it. An explicit annotation always wins over a
//! rule, and a *must equal* rule never justifies.
//!
//! # Stale and expired
//!
//! An annotation is *stale* when the [`fingerprint`] of the values its environments now
//! hold differs from the one it was made for, and *expired* after its expiry day. Both
//! count as unreviewed: the drift needs a fresh decision. Stale wins over expired.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use sha2::{Digest, Sha256};

use super::policy::{Expectation, Policy};
use super::{Cell, DriftReport, FactDiff, Side};
use crate::model::{Annotation, AnnotationKind, Category, FINGERPRINT_PREFIX, FactKey, Value};

/// A drift's review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewState {
    /// No annotation applies.
    Unreviewed,
    /// A current annotation says the difference is intentional.
    Justified,
    /// A current annotation says the difference must be fixed.
    Remediate,
    /// An annotation applies, but the values changed since it was made.
    Stale,
    /// An annotation applies, but its expiry day is over.
    Expired,
}

impl ReviewState {
    /// Every state, in display order.
    pub const ALL: [ReviewState; 5] = [
        ReviewState::Unreviewed,
        ReviewState::Justified,
        ReviewState::Remediate,
        ReviewState::Stale,
        ReviewState::Expired,
    ];

    /// True for the states that need a decision: unreviewed, stale and expired.
    pub fn needs_review(self) -> bool {
        matches!(
            self,
            ReviewState::Unreviewed | ReviewState::Stale | ReviewState::Expired
        )
    }

    /// The lowercase name used in JSON: `unreviewed`, `justified`, `remediate`, `stale`,
    /// `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Unreviewed => "unreviewed",
            ReviewState::Justified => "justified",
            ReviewState::Remediate => "remediate",
            ReviewState::Stale => "stale",
            ReviewState::Expired => "expired",
        }
    }

    /// How the state reads in prose: `unreviewed`, `justified`, `to remediate`, …
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::Remediate => "to remediate",
            other => other.as_str(),
        }
    }
}

/// The review of one drifting fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// Its state.
    pub state: ReviewState,
    /// The index (in the annotations given to [`review`]) of the annotation behind the
    /// state; `None` when unreviewed.
    pub annotation: Option<usize>,
}

impl Review {
    /// The review of a fact no annotation applies to.
    pub const UNREVIEWED: Review = Review {
        state: ReviewState::Unreviewed,
        annotation: None,
    };
}

/// How many drifts are in each review state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Drifts no annotation applies to.
    pub unreviewed: usize,
    /// Drifts justified by a current annotation.
    pub justified: usize,
    /// Drifts marked for remediation by a current annotation.
    pub remediate: usize,
    /// Drifts whose annotation is stale.
    pub stale: usize,
    /// Drifts whose annotation has expired.
    pub expired: usize,
}

impl StateCounts {
    /// The count of one state.
    pub fn get(&self, state: ReviewState) -> usize {
        match state {
            ReviewState::Unreviewed => self.unreviewed,
            ReviewState::Justified => self.justified,
            ReviewState::Remediate => self.remediate,
            ReviewState::Stale => self.stale,
            ReviewState::Expired => self.expired,
        }
    }

    /// Counts one more drift in `state`.
    pub fn add(&mut self, state: ReviewState) {
        let slot = match state {
            ReviewState::Unreviewed => &mut self.unreviewed,
            ReviewState::Justified => &mut self.justified,
            ReviewState::Remediate => &mut self.remediate,
            ReviewState::Stale => &mut self.stale,
            ReviewState::Expired => &mut self.expired,
        };
        *slot += 1;
    }

    /// Counts one drift fewer in `state` (never below zero).
    pub fn remove(&mut self, state: ReviewState) {
        let slot = match state {
            ReviewState::Unreviewed => &mut self.unreviewed,
            ReviewState::Justified => &mut self.justified,
            ReviewState::Remediate => &mut self.remediate,
            ReviewState::Stale => &mut self.stale,
            ReviewState::Expired => &mut self.expired,
        };
        *slot = slot.saturating_sub(1);
    }

    /// Adds another set of counts to these.
    pub fn absorb(&mut self, other: &StateCounts) {
        self.unreviewed += other.unreviewed;
        self.justified += other.justified;
        self.remediate += other.remediate;
        self.stale += other.stale;
        self.expired += other.expired;
    }

    /// Drifts needing a decision: unreviewed, stale and expired.
    pub fn needs_review(&self) -> usize {
        self.unreviewed + self.stale + self.expired
    }

    /// Every drift counted.
    pub fn total(&self) -> usize {
        ReviewState::ALL.iter().map(|s| self.get(*s)).sum()
    }
}

/// The review of a whole drift report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviews {
    /// The environment name of each side, in side order.
    pub environments: Vec<String>,
    /// One entry per fact of the report, in report order: the review of a drift, `None`
    /// for an equal fact (present when equal facts were asked for).
    pub facts: Vec<Option<Review>>,
    /// Drifts by state, for every category.
    pub by_category: BTreeMap<Category, StateCounts>,
    /// Drifts by state, per side: the drifts in which that side takes part (its hosts
    /// disagree, or its value differs from another side's).
    pub by_side: Vec<StateCounts>,
    /// Annotations made for exactly these environments, in compared categories, whose
    /// fact no longer drifts (it is equal now, ignored or gone): indices, in order.
    pub resolved: Vec<usize>,
    /// One entry per fact of the report, in report order: the index (in the policy's
    /// rules) of the expectation rule that justifies the drift, if one does.
    pub rules: Vec<Option<usize>>,
}

impl Reviews {
    /// Drifts by state across every category.
    pub fn total(&self) -> StateCounts {
        let mut total = StateCounts::default();
        for counts in self.by_category.values() {
            total.absorb(counts);
        }
        total
    }

    /// The state of the report's fact at `index`; `None` for an equal fact or an index
    /// out of range.
    pub fn state(&self, index: usize) -> Option<ReviewState> {
        self.facts.get(index).copied().flatten().map(|r| r.state)
    }

    /// The expectation rule (its index in the policy) that justifies the report's fact
    /// at `index`, if one does.
    pub fn rule(&self, index: usize) -> Option<usize> {
        self.rules.get(index).copied().flatten()
    }

    /// The annotation behind the review of the report's fact at `index`, looked up in
    /// the same `annotations` the review was made with.
    pub fn annotation<'a>(
        &self,
        index: usize,
        annotations: &'a [Annotation],
    ) -> Option<&'a Annotation> {
        self.facts
            .get(index)
            .copied()
            .flatten()
            .and_then(|r| r.annotation)
            .and_then(|i| annotations.get(i))
    }
}

/// Which drifts a list shows, by review state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewFilter {
    /// Every fact.
    #[default]
    All,
    /// Drifts needing a decision: unreviewed, stale or expired.
    Unreviewed,
    /// Justified drifts.
    Justified,
    /// Drifts marked for remediation.
    Remediate,
}

impl ReviewFilter {
    /// True when a fact with this review (`None` for an equal fact) passes the filter.
    pub fn matches(self, review: Option<&Review>) -> bool {
        match (self, review) {
            (ReviewFilter::All, _) => true,
            (_, None) => false,
            (ReviewFilter::Unreviewed, Some(r)) => r.state.needs_review(),
            (ReviewFilter::Justified, Some(r)) => r.state == ReviewState::Justified,
            (ReviewFilter::Remediate, Some(r)) => r.state == ReviewState::Remediate,
        }
    }

    /// The next filter in the cycle all → unreviewed → justified → to remediate → all.
    pub fn next(self) -> ReviewFilter {
        match self {
            ReviewFilter::All => ReviewFilter::Unreviewed,
            ReviewFilter::Unreviewed => ReviewFilter::Justified,
            ReviewFilter::Justified => ReviewFilter::Remediate,
            ReviewFilter::Remediate => ReviewFilter::All,
        }
    }

    /// A short name for a status line: `all`, `unreviewed`, `justified`, `to remediate`.
    pub fn label(self) -> &'static str {
        match self {
            ReviewFilter::All => "all",
            ReviewFilter::Unreviewed => "unreviewed",
            ReviewFilter::Justified => "justified",
            ReviewFilter::Remediate => "to remediate",
        }
    }
}

/// What a person decides about one drift, before it becomes an [`Annotation`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationDraft {
    /// Justify or remediate.
    pub kind: AnnotationKind,
    /// Why (required).
    pub reason: String,
    /// A ticket number or link; blank means none.
    pub ticket: Option<String>,
    /// The last day the annotation holds.
    pub expires: Option<NaiveDate>,
}

/// The environment name of each side: that of its snapshots (empty for a side without
/// any); a report's [`SideInfo::environment`](crate::diff::SideInfo) holds the same.
pub fn side_environments(sides: &[Side<'_>]) -> Vec<String> {
    sides
        .iter()
        .map(|side| {
            side.snapshots
                .first()
                .map_or_else(String::new, |s| s.environment.clone())
        })
        .collect()
}

/// Reviews every fact of `report`. `environments` holds each side's environment name
/// (see [`side_environments`]); `now` decides expiry. Linear in facts plus annotations.
pub fn review(
    report: &DriftReport,
    environments: &[String],
    annotations: &[Annotation],
    now: DateTime<Utc>,
) -> Reviews {
    let compared: BTreeSet<&str> = environments.iter().map(String::as_str).collect();
    let mut by_key: HashMap<&FactKey, Vec<usize>> = HashMap::new();
    for (i, annotation) in annotations.iter().enumerate() {
        if is_within(annotation, &compared) {
            by_key.entry(&annotation.key).or_default().push(i);
        }
    }

    let mut by_category: BTreeMap<Category, StateCounts> = Category::ALL
        .into_iter()
        .map(|c| (c, StateCounts::default()))
        .collect();
    let mut by_side = vec![StateCounts::default(); report.sides.len()];
    let mut facts = Vec::with_capacity(report.facts.len());
    let mut drifting: HashSet<&FactKey> = HashSet::new();
    for fact in &report.facts {
        if !fact.is_drift() {
            facts.push(None);
            continue;
        }
        drifting.insert(&fact.key);
        let candidates = by_key.get(&fact.key).map_or(&[][..], Vec::as_slice);
        let review = review_candidates(fact, environments, annotations, candidates, now);
        by_category
            .entry(fact.key.category)
            .or_default()
            .add(review.state);
        for (side, counts) in by_side.iter_mut().enumerate() {
            if takes_part(fact, side) {
                counts.add(review.state);
            }
        }
        facts.push(Some(review));
    }

    let resolved = annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.environments
                .iter()
                .map(String::as_str)
                .eq(compared.iter().copied())
                && report
                    .categories
                    .get(&a.key.category)
                    .is_some_and(|c| c.facts + c.ignored > 0)
                && !drifting.contains(&a.key)
        })
        .map(|(i, _)| i)
        .collect();

    Reviews {
        environments: environments.to_vec(),
        rules: vec![None; facts.len()],
        facts,
        by_category,
        by_side,
        resolved,
    }
}

/// [`review`], then every drift still needing review that a *may differ* rule of
/// `policy` matches is justified by that rule (see the module comment).
pub fn review_with_rules(
    report: &DriftReport,
    environments: &[String],
    annotations: &[Annotation],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Reviews {
    let mut reviews = review(report, environments, annotations, now);
    for (index, fact) in report.facts.iter().enumerate() {
        let Some(Some(current)) = reviews.facts.get(index).copied() else {
            continue;
        };
        if !current.state.needs_review() {
            continue;
        }
        let Some(rule) = policy.rule_for(&fact.key, environments) else {
            continue;
        };
        if policy.rule(rule).map(|r| r.expect) != Some(Expectation::MayDiffer) {
            continue;
        }
        reviews.facts[index] = Some(Review {
            state: ReviewState::Justified,
            annotation: None,
        });
        reviews.rules[index] = Some(rule);
        recount(&mut reviews, fact, current.state, ReviewState::Justified);
    }
    reviews
}

/// Moves one drift of `fact` from state `from` to `to` in every count.
fn recount(reviews: &mut Reviews, fact: &FactDiff, from: ReviewState, to: ReviewState) {
    let moves = |counts: &mut StateCounts| {
        counts.remove(from);
        counts.add(to);
    };
    if let Some(counts) = reviews.by_category.get_mut(&fact.key.category) {
        moves(counts);
    }
    for (side, counts) in reviews.by_side.iter_mut().enumerate() {
        if takes_part(fact, side) {
            moves(counts);
        }
    }
}

/// Reviews one fact against every annotation (for a single fact; [`review`] indexes them
/// by key for whole reports). An equal fact is [`Review::UNREVIEWED`].
pub fn review_fact(
    fact: &FactDiff,
    environments: &[String],
    annotations: &[Annotation],
    now: DateTime<Utc>,
) -> Review {
    if !fact.is_drift() {
        return Review::UNREVIEWED;
    }
    let compared: BTreeSet<&str> = environments.iter().map(String::as_str).collect();
    let candidates: Vec<usize> = annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| a.key == fact.key && is_within(a, &compared))
        .map(|(i, _)| i)
        .collect();
    review_candidates(fact, environments, annotations, &candidates, now)
}

/// Turns a person's decision about a drift into an annotation for the comparison's
/// environments, with the fingerprint of the values they see now.
///
/// Fails, saying why, when the fact does not drift or the reason is blank. The reason and
/// ticket are trimmed; a blank ticket becomes none; `time` is cut to whole seconds.
pub fn annotate(
    fact: &FactDiff,
    environments: &[String],
    draft: AnnotationDraft,
    author: &str,
    time: DateTime<Utc>,
) -> Result<Annotation, String> {
    if !fact.is_drift() {
        return Err(format!("{} does not drift in this comparison", fact.key));
    }
    if environments.len() != fact.cells.len() {
        return Err(format!(
            "{} environment names given for {} sides",
            environments.len(),
            fact.cells.len()
        ));
    }
    let reason = draft.reason.trim();
    if reason.is_empty() {
        return Err("a reason is required".to_string());
    }
    let set: BTreeSet<String> = environments.iter().cloned().collect();
    let author = author.trim();
    Ok(Annotation {
        key: fact.key.clone(),
        fingerprint: fingerprint(fact, environments, &set),
        environments: set,
        kind: draft.kind,
        reason: reason.to_string(),
        ticket: draft
            .ticket
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        expires: draft.expires,
        author: if author.is_empty() { "unknown" } else { author }.to_string(),
        time: time.trunc_subsecs(0),
        values: values_in_words(fact, environments),
        batch: None,
    })
}

/// The longest value description kept in an annotation, in characters.
const VALUE_WORDS: usize = 200;

/// What each environment of the comparison holds for `fact`, in words: a value's
/// summary (secrets as `(redacted)`, texts as their line count), `(absent)`, or each
/// host group's value when the hosts disagree. Sides of one environment with different
/// values are joined with ` | `.
pub fn values_in_words(fact: &FactDiff, environments: &[String]) -> BTreeMap<String, String> {
    let mut words: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (cell, env) in fact.cells.iter().zip(environments) {
        let text = match cell {
            Cell::Absent => "(absent)".to_string(),
            Cell::Present { value } => value.summary(),
            Cell::Divergent { groups } => groups
                .iter()
                .map(|g| {
                    let value = g
                        .value
                        .as_ref()
                        .map_or("(absent)".to_string(), Value::summary);
                    format!("{value} on {}", g.hosts.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        let entry = words.entry(env.clone()).or_default();
        if !entry.contains(&text) {
            entry.push(text);
        }
    }
    words
        .into_iter()
        .map(|(env, texts)| {
            let joined = texts.join(" | ");
            let clipped = if joined.chars().count() > VALUE_WORDS {
                let cut: String = joined.chars().take(VALUE_WORDS - 1).collect();
                format!("{cut}…")
            } else {
                joined
            };
            (env, clipped)
        })
        .collect()
}

/// The fingerprint of the values the sides of environments `of` hold for `fact`:
/// `sha256:` and 64 hex digits.
///
/// The hash covers a canonical text: for each environment of `of` in name order, its
/// name and the distinct values of its sides (a side's value is the sorted set of its
/// hosts' values, an absence included; host names are not part of it). Values are their
/// JSON encodings, so a redacted value contributes only its keyed fingerprint. Side order
/// and host grouping do not change the result.
pub fn fingerprint(fact: &FactDiff, environments: &[String], of: &BTreeSet<String>) -> String {
    let codes = comparison_codes(fact);
    fingerprint_with(fact, &codes, environments, of)
}

/// [`fingerprint`] with the sides' value codes already made.
fn fingerprint_with(
    fact: &FactDiff,
    codes: &[String],
    environments: &[String],
    of: &BTreeSet<String>,
) -> String {
    let mut text = String::from("driftscope-annotation-values/1\n");
    text.push_str(&json(&fact.key.to_string()));
    for env in of {
        let mut cells: Vec<&str> = codes
            .iter()
            .zip(environments)
            .filter(|(_, side_env)| *side_env == env)
            .map(|(code, _)| code.as_str())
            .collect();
        cells.sort_unstable();
        cells.dedup();
        text.push('\n');
        text.push_str(&json(env));
        text.push_str("=[");
        text.push_str(&cells.join(","));
        text.push(']');
    }
    format!(
        "{FINGERPRINT_PREFIX}{}",
        hex::encode(Sha256::digest(text.as_bytes()))
    )
}

/// True when every environment of the annotation is among the compared ones.
fn is_within(annotation: &Annotation, compared: &BTreeSet<&str>) -> bool {
    annotation
        .environments
        .iter()
        .all(|e| compared.contains(e.as_str()))
}

/// Picks the best applicable annotation among `candidates` (indices of annotations on
/// the fact's key whose environments are within the comparison's).
fn review_candidates(
    fact: &FactDiff,
    environments: &[String],
    annotations: &[Annotation],
    candidates: &[usize],
    now: DateTime<Utc>,
) -> Review {
    if candidates.is_empty() {
        return Review::UNREVIEWED;
    }
    let compared: BTreeSet<&str> = environments.iter().map(String::as_str).collect();
    let codes = comparison_codes(fact);
    let mut best: Option<(Rank, Review)> = None;
    for &index in candidates {
        let Some(annotation) = annotations.get(index) else {
            continue;
        };
        let exact = annotation
            .environments
            .iter()
            .map(String::as_str)
            .eq(compared.iter().copied());
        if !exact && !accounts_for_drift(annotation, environments, &codes) {
            continue;
        }
        let now_fingerprint =
            fingerprint_with(fact, &codes, environments, &annotation.environments);
        let state = if now_fingerprint != annotation.fingerprint {
            ReviewState::Stale
        } else if annotation.is_expired(now) {
            ReviewState::Expired
        } else {
            match annotation.kind {
                AnnotationKind::Justify => ReviewState::Justified,
                AnnotationKind::Remediate => ReviewState::Remediate,
            }
        };
        let rank = (
            !state.needs_review(),
            exact,
            annotation.environments.len(),
            annotation.time,
        );
        if best.as_ref().is_none_or(|(b, _)| rank > *b) {
            best = Some((
                rank,
                Review {
                    state,
                    annotation: Some(index),
                },
            ));
        }
    }
    best.map_or(Review::UNREVIEWED, |(_, review)| review)
}

/// How strongly an annotation claims a drift, compared field by field: current (not
/// stale or expired), exact match of environments, number of environments, time made.
type Rank = (bool, bool, usize, DateTime<Utc>);

/// True when every side's value also occurs on a side of the annotation's environments.
fn accounts_for_drift(annotation: &Annotation, environments: &[String], codes: &[String]) -> bool {
    let inside: HashSet<&str> = codes
        .iter()
        .zip(environments)
        .filter(|(_, env)| annotation.environments.contains(*env))
        .map(|(code, _)| code.as_str())
        .collect();
    codes.iter().all(|code| inside.contains(code.as_str()))
}

/// True when side `side` takes part in the fact's drift.
fn takes_part(fact: &FactDiff, side: usize) -> bool {
    let Some(cell) = fact.cells.get(side) else {
        return false;
    };
    matches!(cell, Cell::Divergent { .. }) || fact.cells.iter().any(|other| other != cell)
}

/// Each side's canonical value code, in side order.
fn comparison_codes(fact: &FactDiff) -> Vec<String> {
    fact.cells.iter().map(cell_code).collect()
}

/// A side's value as canonical text: the sorted, distinct JSON encodings of its hosts'
/// values, `null` for an absence.
fn cell_code(cell: &Cell) -> String {
    let mut tokens: Vec<String> = match cell {
        Cell::Absent => vec!["null".to_string()],
        Cell::Present { value } => vec![value_code(value)],
        Cell::Divergent { groups } => groups
            .iter()
            .map(|g| {
                g.value
                    .as_ref()
                    .map_or_else(|| "null".to_string(), value_code)
            })
            .collect(),
    };
    tokens.sort_unstable();
    tokens.dedup();
    format!("[{}]", tokens.join(","))
}

fn value_code(value: &Value) -> String {
    // Serialising a value cannot fail (every map key is a string); the debug form is a
    // deterministic stand-in should it ever.
    serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
}

fn json(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

#[cfg(test)]
mod tests;
