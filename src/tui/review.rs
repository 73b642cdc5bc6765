//! Reviewing drift in the explorer: the workspace's annotations as the state holds them,
//! the review of the current report (recomputed whenever the report, the annotations or
//! the day change), and the review actions: justify, remediate, clear, undo, filter.
//!
//! Everything here is pure. Reading and saving the annotations file happens in the
//! background (`annotator`); its results arrive as messages.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::diff::policy::Policy;
use crate::diff::review::{AnnotationDraft, ReviewFilter, ReviewState, Reviews, review_with_rules};
use crate::diff::{Cell, DriftReport, FactDiff};
use crate::model::{Annotation, AnnotationId, AnnotationKind};

use super::action::Action;
use super::index::ListRow;
use super::message::Effect;
use super::overlay::Overlay;
use super::prompt::{self, Prompt};
use super::state::{Loaded, Pane, State};
use super::update::{Anchor, Otherwise, refresh_index, reselect};

/// Where the workspace's annotations stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationsStatus {
    /// Being read in the background.
    Loading,
    /// Read; changes can be saved unless read-only.
    Ready,
    /// The file could not be read; the message says why. Nothing can be saved.
    Failed(String),
}

/// The annotations and the review of the current report.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// Where the annotations stand.
    pub status: AnnotationsStatus,
    /// Every annotation of the workspace, as last read or saved.
    pub records: Arc<Vec<Annotation>>,
    /// True when the annotations cannot be changed (the embedded demo).
    pub read_only: bool,
    /// True when this session made a change that can be undone.
    pub can_undo: bool,
    /// The review of the loaded report, parallel to its facts.
    pub reviews: Option<Reviews>,
    /// Which drifts the facts pane shows, by review state.
    pub filter: ReviewFilter,
    /// The day (UTC) `reviews` were made on; expiry depends on it.
    pub reviewed_on: Option<NaiveDate>,
    /// The workspace's expectation rules, read with the annotations.
    pub policy: Arc<Policy>,
    /// Per side of the loaded report, its drift against the baseline.
    pub side_drift: Vec<SideDrift>,
}

/// A compared side's drift against the baseline: the facts where its value differs from
/// the baseline's (or its hosts disagree), and how many of those still need review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SideDrift {
    /// Facts where the side differs from the baseline.
    pub total: usize,
    /// Of those, the ones unreviewed, stale or expired.
    pub needs_review: usize,
}

/// Each side's drift against the baseline in `report` (side 0 counts only its own hosts'
/// disagreements).
pub fn side_drift(report: &DriftReport, reviews: Option<&Reviews>) -> Vec<SideDrift> {
    let mut out = vec![SideDrift::default(); report.sides.len()];
    for (row, fact) in report.facts.iter().enumerate() {
        if !fact.is_drift() {
            continue;
        }
        let open = reviews
            .and_then(|r| r.state(row))
            .is_none_or(ReviewState::needs_review);
        let base = fact.cells.first();
        for (side, cell) in fact.cells.iter().enumerate() {
            let divergent = matches!(cell, Cell::Divergent { .. });
            if divergent || (side > 0 && Some(cell) != base) {
                if let Some(counts) = out.get_mut(side) {
                    counts.total += 1;
                    counts.needs_review += usize::from(open);
                }
            }
        }
    }
    out
}

impl Default for ReviewView {
    fn default() -> Self {
        ReviewView {
            status: AnnotationsStatus::Loading,
            records: Arc::new(Vec::new()),
            read_only: false,
            can_undo: false,
            reviews: None,
            filter: ReviewFilter::All,
            reviewed_on: None,
            side_drift: Vec::new(),
            policy: Arc::new(Policy::default()),
        }
    }
}

impl ReviewView {
    /// The review state of the report's fact at `row`; `None` for an equal fact.
    pub fn state(&self, row: usize) -> Option<ReviewState> {
        self.reviews.as_ref().and_then(|r| r.state(row))
    }

    /// The annotation behind the review of the report's fact at `row`.
    pub fn annotation(&self, row: usize) -> Option<&Annotation> {
        self.reviews
            .as_ref()
            .and_then(|r| r.annotation(row, &self.records))
    }
}

/// The annotations as read from the workspace.
#[derive(Debug, Clone)]
pub struct LoadedAnnotations {
    /// The workspace's expectation rules (and severity overrides): a drift a *may differ*
    /// rule allows is justified by it.
    pub policy: Arc<Policy>,
    /// Every annotation.
    pub records: Arc<Vec<Annotation>>,
    /// True for the embedded demo's, which cannot be changed.
    pub read_only: bool,
}

/// The annotations after a change was saved.
#[derive(Debug, Clone)]
pub struct SavedAnnotations {
    /// Every annotation, as now saved.
    pub records: Arc<Vec<Annotation>>,
    /// True when the session has a change left to undo.
    pub can_undo: bool,
    /// What was done, for the status line (with anything a merge did).
    pub message: String,
}

/// A change of the workspace's annotations, done in the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationChange {
    /// Record a decision about `fact`, a drift between `environments` (one per side).
    Put {
        /// The drift as the user saw it when deciding.
        fact: Box<FactDiff>,
        /// The environment of each side of the comparison.
        environments: Vec<String>,
        /// The decision.
        draft: AnnotationDraft,
    },
    /// Remove the annotation with this identity.
    /// Annotate many drifts with one decision, saved at once (one undo step).
    PutMany {
        /// The drifts, each needing review.
        facts: Vec<FactDiff>,
        /// The compared environments.
        environments: Vec<String>,
        /// The decision.
        draft: AnnotationDraft,
    },
    Remove(AnnotationId),
    /// Take back the newest change of this session.
    Undo,
}

/// The environment of each side of the loaded comparison.
pub fn side_environments(state: &State, loaded: &Loaded) -> Vec<String> {
    loaded
        .report
        .sides
        .iter()
        .enumerate()
        .map(|(side, info)| {
            loaded
                .side_envs
                .get(side)
                .and_then(|&e| state.workspace.environments.get(e))
                .map_or_else(|| info.environment.clone(), |e| e.name.clone())
        })
        .collect()
}

/// Reviews the loaded report against the annotations: counts and visible lists follow.
/// Selections are left to the caller.
pub fn recompute(state: &mut State) {
    let reviews = state.loaded.as_ref().map(|loaded| {
        let environments = side_environments(state, loaded);
        review_with_rules(
            &loaded.report,
            &environments,
            &state.review.records,
            &state.review.policy,
            state.now,
        )
    });
    state.review.reviewed_on = Some(state.now.date_naive());
    state.review.side_drift = state
        .loaded
        .as_ref()
        .map(|l| side_drift(&l.report, reviews.as_ref()))
        .unwrap_or_default();
    state.review.reviews = reviews;
    if let (Some(loaded), Some(reviews)) = (state.loaded.as_mut(), state.review.reviews.as_ref()) {
        loaded.index.apply_reviews(reviews);
    }
    refresh_index(state);
}

/// [`recompute`], keeping each list's selection on the same fact when it is still shown,
/// else at the same position (so the next drift comes up after one is decided).
pub fn refresh(state: &mut State) {
    let selected = state.selected_fact().map(|f| Anchor::Fact(f.key.clone()));
    recompute(state);
    reselect(state, selected.as_ref(), Otherwise::Stay);
}

/// The time passed: reviews are made again when the day changed (expiry).
pub fn on_tick(state: &mut State) {
    if state.review.reviewed_on != Some(state.now.date_naive()) && state.loaded.is_some() {
        refresh(state);
    }
}

/// The annotations were read (or could not be).
pub fn on_loaded(state: &mut State, result: Result<LoadedAnnotations, String>) {
    match result {
        Ok(loaded) => {
            state.review.status = AnnotationsStatus::Ready;
            state.review.records = loaded.records;
            state.review.read_only = loaded.read_only;
            state.review.policy = loaded.policy;
        }
        Err(message) => {
            state.review.status = AnnotationsStatus::Failed(message.clone());
            state.workspace.problems.insert(0, message);
        }
    }
    refresh(state);
}

/// An annotation change was saved (or failed).
pub fn on_saved(state: &mut State, job: u64, result: Result<SavedAnnotations, String>) {
    let from_prompt = state.prompt().is_some_and(|p| p.saving == Some(job));
    match result {
        Ok(saved) => {
            state.review.records = saved.records;
            state.review.can_undo = saved.can_undo;
            let mut message = saved.message;
            if saved.can_undo {
                if let Some(key) = state.keymap.first_key(Action::UndoAnnotation) {
                    message.push_str(&format!(" · {key} undo"));
                }
            }
            state.notice = Some(message);
            if from_prompt {
                prompt::close(state);
            }
            refresh(state);
        }
        Err(message) => match state.overlays.prompt_mut().filter(|_| from_prompt) {
            Some(prompt) => {
                prompt.saving = None;
                prompt.error = Some(message);
            }
            None => state.notice = Some(message),
        },
    }
}

/// The selected drift for a review action, with its row in the report; otherwise a notice
/// saying why there is none.
fn selected_drift(state: &mut State, doing: &str) -> Option<usize> {
    if !matches!(state.focus, Pane::Facts | Pane::Diff) {
        let hint = state
            .keymap
            .first_key(Action::NextDrift)
            .map(|k| format!(" ({k} jumps to the next unreviewed)"))
            .unwrap_or_default();
        state.notice = Some(format!(
            "select a drift in the facts pane to {doing} it{hint}"
        ));
        return None;
    }
    let row = state
        .selected_row()
        .and_then(ListRow::fact)
        .map(|r| r as usize);
    let fact = row.and_then(|r| state.report().and_then(|rep| rep.facts.get(r)));
    match (row, fact) {
        (Some(row), Some(fact)) if fact.is_drift() => Some(row),
        (_, Some(fact)) => {
            state.notice = Some(format!(
                "{} does not drift here: nothing to {doing}",
                fact.key
            ));
            None
        }
        _ => {
            state.notice = Some(format!("no drift selected to {doing}"));
            None
        }
    }
}

/// True when changes cannot be saved; sets a notice saying why.
fn refuse_changes(state: &mut State) -> bool {
    if let AnnotationsStatus::Failed(message) = &state.review.status {
        state.notice = Some(format!("annotations cannot be changed: {message}"));
        return true;
    }
    if is_read_only(state) {
        state.notice = Some(READ_ONLY_NOTICE.to_string());
        return true;
    }
    false
}

/// True when the workspace's annotations cannot be changed (the demo).
pub fn is_read_only(state: &State) -> bool {
    state.workspace.is_demo || state.review.read_only
}

/// What the explorer says when a change is asked for on the read-only demo.
pub const READ_ONLY_NOTICE: &str =
    "the demo workspace is read-only: nothing was saved (driftscope init creates a workspace)";

/// `J` / `R`: opens the reason prompt for the selected drift.
pub fn start_prompt(state: &mut State, kind: AnnotationKind) -> Vec<Effect> {
    let doing = match kind {
        AnnotationKind::Justify => "justify",
        AnnotationKind::Remediate => "remediate",
    };
    if let AnnotationsStatus::Failed(message) = &state.review.status {
        state.notice = Some(format!("annotations cannot be changed: {message}"));
        return Vec::new();
    }
    let Some(row) = selected_drift(state, doing) else {
        return Vec::new();
    };
    let (Some(loaded), Some(fact)) = (
        state.loaded.as_ref(),
        state.report().and_then(|r| r.facts.get(row)),
    ) else {
        return Vec::new();
    };
    let environments = side_environments(state, loaded);
    let existing = state.review.annotation(row);
    let today = state.now.date_naive();
    let prompt = Prompt::open(
        kind,
        fact.clone(),
        environments,
        existing,
        today,
        is_read_only(state),
    );
    state.overlays.push(Overlay::Prompt(Box::new(prompt)));
    Vec::new()
}

/// Enter in the prompt: validates, then asks for the save (or, on the demo, explains).
/// Opens the reason prompt for every drift the facts list shows that needs review: one
/// justification for all of them, the prompt naming how many.
pub fn start_bulk_prompt(state: &mut State) -> Vec<Effect> {
    if let AnnotationsStatus::Failed(message) = &state.review.status {
        state.notice = Some(format!("annotations cannot be changed: {message}"));
        return Vec::new();
    }
    let Some(loaded) = state.loaded.as_ref() else {
        state.notice = Some("nothing is compared yet".into());
        return Vec::new();
    };
    let rows: Vec<usize> = state
        .visible_rows()
        .iter()
        .filter_map(|row| row.fact())
        .map(|r| r as usize)
        .collect();
    let (open, decided): (Vec<usize>, Vec<usize>) = rows
        .into_iter()
        .filter(|r| loaded.report.facts.get(*r).is_some_and(FactDiff::is_drift))
        .partition(|r| state.review.state(*r).is_none_or(ReviewState::needs_review));
    if open.is_empty() {
        state.notice = Some(format!(
            "no drift shown in {} needs review{}",
            state.category(),
            if decided.is_empty() {
                String::new()
            } else {
                format!(" ({} already decided)", decided.len())
            }
        ));
        return Vec::new();
    }
    let facts: Vec<FactDiff> = open
        .iter()
        .filter_map(|r| loaded.report.facts.get(*r).cloned())
        .collect();
    let environments = side_environments(state, loaded);
    let prompt = Prompt::bulk(
        AnnotationKind::Justify,
        facts,
        state.category(),
        decided.len(),
        environments,
        is_read_only(state),
    );
    state.overlays.push(Overlay::Prompt(Box::new(prompt)));
    Vec::new()
}

pub fn submit_prompt(state: &mut State) -> Vec<Effect> {
    let today = state.now.date_naive();
    let job = state.next_request();
    let Some(prompt) = state.overlays.prompt_mut() else {
        return Vec::new();
    };
    if prompt.saving.is_some() {
        return Vec::new();
    }
    let draft = match prompt.draft(today) {
        Ok(draft) => draft,
        Err((field, message)) => {
            prompt.field = field;
            prompt.error = Some(message);
            return Vec::new();
        }
    };
    if prompt.read_only {
        prompt::close(state);
        state.notice = Some(READ_ONLY_NOTICE.to_string());
        return Vec::new();
    }
    prompt.saving = Some(job);
    prompt.error = None;
    let change = if prompt.bulk.is_empty() {
        AnnotationChange::Put {
            fact: prompt.fact.clone(),
            environments: prompt.environments.clone(),
            draft,
        }
    } else {
        AnnotationChange::PutMany {
            facts: prompt.bulk.clone(),
            environments: prompt.environments.clone(),
            draft,
        }
    };
    vec![Effect::Annotate { job, change }]
}

/// `x`: removes the annotation behind the selected drift's review.
pub fn clear(state: &mut State) -> Vec<Effect> {
    let Some(row) = selected_drift(state, "clear") else {
        return Vec::new();
    };
    let Some(id) = state.review.annotation(row).map(Annotation::id) else {
        let key = state
            .report()
            .and_then(|r| r.facts.get(row))
            .map(|f| f.key.to_string())
            .unwrap_or_default();
        state.notice = Some(format!("{key} has no annotation to clear"));
        return Vec::new();
    };
    if refuse_changes(state) {
        return Vec::new();
    }
    vec![Effect::Annotate {
        job: state.next_request(),
        change: AnnotationChange::Remove(id),
    }]
}

/// `u`: takes back the newest annotation change of this session.
pub fn undo(state: &mut State) -> Vec<Effect> {
    if refuse_changes(state) {
        return Vec::new();
    }
    vec![Effect::Annotate {
        job: state.next_request(),
        change: AnnotationChange::Undo,
    }]
}

/// `f`: the next review filter; the selection stays on its fact when still shown.
pub fn cycle_filter(state: &mut State) {
    state.review.filter = state.review.filter.next();
    refresh(state);
    state.notice = Some(match state.review.filter {
        ReviewFilter::All => "showing every drift".to_string(),
        other => format!("showing only {} drift", other.label()),
    });
}

/// True when the report's fact at `row` is a drift that needs a decision (unreviewed,
/// stale or expired); before any review, every drift does.
pub fn needs_review(state: &State, report: &DriftReport, row: u32) -> bool {
    let Some(fact) = report.facts.get(row as usize) else {
        return false;
    };
    if !fact.is_drift() {
        return false;
    }
    match state.review.reviews.as_ref() {
        Some(reviews) => reviews
            .state(row as usize)
            .is_none_or(ReviewState::needs_review),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffOptions, Side, compare};
    use crate::model::{Category, Snapshot, Source, Value};
    use chrono::{TimeZone, Utc};

    #[test]
    fn each_side_counts_its_own_drift_against_the_baseline() {
        let at = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let snapshot = |env: &str, a: &str, b: &str| {
            let mut s = Snapshot::new(env, "h", at, Source::Local);
            s.insert(Category::Config, "env.A", Value::string(a));
            s.insert(Category::Config, "env.B", Value::string(b));
            s
        };
        let prod = snapshot("prod", "1", "1");
        let dev = snapshot("dev", "2", "2");
        let staging = snapshot("staging", "1", "2");
        let sides: Vec<Side<'_>> = [&prod, &dev, &staging]
            .into_iter()
            .map(|s| Side {
                label: s.environment.clone(),
                snapshots: vec![s],
            })
            .collect();
        let report = compare(&sides, &DiffOptions::default());
        let counts = side_drift(&report, None);
        let totals: Vec<(usize, usize)> =
            counts.iter().map(|c| (c.total, c.needs_review)).collect();
        assert_eq!(totals, [(0, 0), (2, 2), (1, 1)]);
    }
}
