//! Reviewing drift in the explorer: the reason prompt's flow through the pure `update`
//! (open, type, move between fields, validation, cancel, the save effect and its result),
//! clearing, undo, the review filter, `n`/`N` over drift that needs review, and snapshots
//! of the markers, the open prompt and an annotation in the diff pane.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tui_support;

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use driftscope::diff::DriftReport;
use driftscope::diff::review::{AnnotationDraft, ReviewFilter, ReviewState, annotate};
use driftscope::model::{Annotation, AnnotationKind, Category};
use driftscope::tui::index::ListRow;
use driftscope::tui::prompt::PromptField;
use driftscope::tui::review::{
    AnnotationChange, AnnotationsStatus, LoadedAnnotations, READ_ONLY_NOTICE, SavedAnnotations,
};
use driftscope::tui::{Action, Effect, Mode, Msg, Pane, State, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

const ENVS: [&str; 2] = ["prod", "staging"];

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    update(state, Msg::Action(action))
}

fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(state: &mut State, c: char) -> Vec<Effect> {
    update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        let effects = key(state, KeyCode::Char(c));
        assert!(effects.is_empty());
    }
}

fn selected_key(state: &State) -> Option<String> {
    state.selected_fact().map(|f| f.key.to_string())
}

/// Puts the facts pane's cursor on `key` of `category`.
fn select(state: &mut State, category: Category, key: &str) {
    let slot = Category::ALL.iter().position(|c| *c == category).unwrap();
    state.category_cursor.selected = slot;
    let pos = state
        .visible_rows()
        .iter()
        .position(|row| {
            row.fact()
                .is_some_and(|r| state.report().unwrap().facts[r as usize].key.key == key)
        })
        .unwrap_or_else(|| panic!("{key} is not visible"));
    state
        .fact_cursors
        .get_mut(driftscope::model::Category::ALL[slot])
        .selected = pos;
    state.focus = Pane::Facts;
}

fn row_of(state: &State, key: &str) -> usize {
    state
        .report()
        .unwrap()
        .facts
        .iter()
        .position(|f| f.key.key == key)
        .unwrap()
}

fn review_of(state: &State, key: &str) -> Option<ReviewState> {
    state.review.state(row_of(state, key))
}

fn environments() -> Vec<String> {
    ENVS.iter().map(|s| s.to_string()).collect()
}

/// An annotation of `key` made now on `report`'s values.
fn annotation(
    report: &DriftReport,
    key: &str,
    kind: AnnotationKind,
    reason: &str,
    ticket: Option<&str>,
    expires: Option<NaiveDate>,
) -> Annotation {
    let fact = report.facts.iter().find(|f| f.key.key == key).unwrap();
    let draft = AnnotationDraft {
        kind,
        reason: reason.into(),
        ticket: ticket.map(Into::into),
        expires,
    };
    annotate(
        fact,
        &environments(),
        draft,
        "Dana Whitfield",
        at(18, 9, 30),
    )
    .unwrap()
}

/// LOG_LEVEL justified (ticket, expiry ahead), DATABASE_PASSWORD to remediate,
/// runtime.python stale (made for other values), lib.openssl expired.
fn annotations_in_every_state() -> Vec<Annotation> {
    let report = report();
    let today = now().date_naive();
    let mut stale_report = report.clone();
    let python = stale_report
        .facts
        .iter_mut()
        .find(|f| f.key.key == "runtime.python")
        .unwrap();
    python.cells[1] = driftscope::diff::Cell::Present {
        value: driftscope::model::Value::version("3.10.0"),
    };
    vec![
        annotation(
            &report,
            "env.LOG_LEVEL",
            AnnotationKind::Justify,
            "Staging logs at debug to trace the checkout flow; prod stays at warn to keep the log volume down.",
            Some("OPS-12"),
            Some(today + Duration::days(30)),
        ),
        annotation(
            &report,
            "env.DATABASE_PASSWORD",
            AnnotationKind::Remediate,
            "Rotate the staging password",
            None,
            None,
        ),
        annotation(
            &stale_report,
            "runtime.python",
            AnnotationKind::Justify,
            "Staging tries the new Python first",
            None,
            None,
        ),
        annotation(
            &report,
            "lib.openssl",
            AnnotationKind::Justify,
            "Patch level lags until the next image",
            None,
            Some(today - Duration::days(1)),
        ),
    ]
}

fn load(state: &mut State, records: Vec<Annotation>, read_only: bool) {
    update(
        state,
        Msg::AnnotationsLoaded(Ok(LoadedAnnotations {
            policy: Default::default(),
            records: Arc::new(records),
            read_only,
        })),
    );
}

/// A state comparing prod with staging, annotations read (none), `width`×`height`.
fn ready(width: u16, height: u16) -> State {
    let mut state = loaded(width, height);
    load(&mut state, Vec::new(), false);
    state
}

/// The save effect of a list of effects.
fn the_change(effects: &[Effect]) -> (u64, AnnotationChange) {
    match effects {
        [Effect::Annotate { job, change }] => (*job, change.clone()),
        other => panic!("expected one annotation change, got {other:?}"),
    }
}

#[test]
fn justify_opens_the_prompt_for_the_selected_drift() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let effects = key(&mut state, KeyCode::Char('J'));
    assert!(effects.is_empty());
    assert_eq!(state.mode(), Mode::Prompt);
    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.kind, AnnotationKind::Justify);
    assert_eq!(prompt.fact.key.to_string(), "config/env.LOG_LEVEL");
    assert_eq!(prompt.environments, environments());
    assert_eq!(prompt.field, PromptField::Reason);
    assert!(!prompt.read_only);

    key(&mut state, KeyCode::Esc);
    press(&mut state, 'R');
    assert_eq!(
        state.prompt().map(|p| p.kind),
        Some(AnnotationKind::Remediate)
    );
}

#[test]
fn review_keys_need_a_drift_selected_in_the_facts_or_diff_pane() {
    let mut state = ready(80, 24);
    state.focus = Pane::Categories;
    press(&mut state, 'J');
    assert_eq!(state.mode(), Mode::Browse);
    assert!(state.notice.as_deref().unwrap().contains("facts pane"));

    // An equal fact, shown with all facts, has nothing to decide.
    act(&mut state, Action::ToggleShowAll);
    select(&mut state, Category::Config, "env.TZ");
    press(&mut state, 'J');
    assert_eq!(state.mode(), Mode::Browse);
    assert!(
        state.notice.as_deref().unwrap().contains("does not drift"),
        "{:?}",
        state.notice
    );
}

#[test]
fn typing_edits_the_field_in_focus_and_tab_moves_between_fields() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    // Keys bound to actions are text in the prompt: q, j, n do not quit or move.
    type_text(&mut state, "quiet jobs need debug");
    assert_eq!(state.mode(), Mode::Prompt);
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "OPS-9");
    key(&mut state, KeyCode::Down);
    type_text(&mut state, "2027-01-31");
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.prompt().unwrap().field, PromptField::Reason);
    key(&mut state, KeyCode::BackTab);
    assert_eq!(state.prompt().unwrap().field, PromptField::Expires);
    key(&mut state, KeyCode::Backspace);
    key(&mut state, KeyCode::Up);
    ctrl(&mut state, 'u');
    type_text(&mut state, "OPS-10");

    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.reason.value(), "quiet jobs need debug");
    assert_eq!(prompt.ticket.value(), "OPS-10");
    assert_eq!(prompt.expires.value(), "2027-01-3");
    assert!(!state.quit);
}

#[test]
fn ctrl_w_deletes_the_last_word() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "keep it so ");
    ctrl(&mut state, 'w');
    assert_eq!(state.prompt().unwrap().reason.value(), "keep it ");
}

#[test]
fn an_empty_reason_is_refused_inline_and_nothing_is_saved() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "   ");
    key(&mut state, KeyCode::Tab);
    let effects = key(&mut state, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(state.mode(), Mode::Prompt);
    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.error.as_deref(), Some("a reason is required"));
    assert_eq!(prompt.field, PromptField::Reason, "back on the reason");

    type_text(&mut state, "x");
    assert_eq!(state.prompt().unwrap().error, None, "typing clears it");
}

#[test]
fn a_bad_or_past_expiry_is_refused_inline() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "temporary");
    key(&mut state, KeyCode::BackTab);
    type_text(&mut state, "next friday");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(effects.is_empty());
    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.field, PromptField::Expires);
    assert!(
        prompt.error.as_deref().unwrap().contains("use YYYY-MM-DD"),
        "{:?}",
        prompt.error
    );

    ctrl(&mut state, 'u');
    type_text(&mut state, "2026-11-19");
    assert!(key(&mut state, KeyCode::Enter).is_empty());
    let error = state.prompt().unwrap().error.clone().unwrap();
    assert!(error.contains("in the past"), "{error}");
}

#[test]
fn esc_cancels_and_saves_nothing() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "never mind");
    let effects = key(&mut state, KeyCode::Esc);
    assert!(effects.is_empty());
    assert_eq!(state.mode(), Mode::Browse);
    assert!(state.prompt().is_none());
    assert_eq!(
        state.notice.as_deref(),
        Some("cancelled: nothing was saved")
    );
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Unreviewed)
    );
}

#[test]
fn enter_asks_for_the_save_with_the_typed_decision() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'R');
    type_text(&mut state, "  staging must log at warn too  ");
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "   ");
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "2026-12-01");
    let (job, change) = the_change(&key(&mut state, KeyCode::Enter));
    let AnnotationChange::Put {
        fact,
        environments: envs,
        draft,
    } = change
    else {
        panic!("expected a put");
    };
    assert_eq!(fact.key.to_string(), "config/env.LOG_LEVEL");
    assert_eq!(envs, environments());
    assert_eq!(
        draft,
        AnnotationDraft {
            kind: AnnotationKind::Remediate,
            reason: "staging must log at warn too".into(),
            ticket: None,
            expires: NaiveDate::from_ymd_opt(2026, 12, 1),
        }
    );
    // The prompt stays, saving, until the result arrives; keys wait meanwhile.
    assert_eq!(state.mode(), Mode::Prompt);
    assert_eq!(state.prompt().unwrap().saving, Some(job));
    type_text(&mut state, "zz");
    assert!(
        key(&mut state, KeyCode::Enter).is_empty(),
        "one save at a time"
    );
    assert_eq!(state.prompt().unwrap().expires.value(), "2026-12-01");
}

#[test]
fn the_saved_result_closes_the_prompt_and_the_drift_shows_justified() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let counts_before = state
        .loaded
        .as_ref()
        .unwrap()
        .index
        .counts(Category::Config);
    assert_eq!(counts_before.needs_review(), 3);
    press(&mut state, 'J');
    type_text(&mut state, "debug on staging on purpose");
    let (job, _) = the_change(&key(&mut state, KeyCode::Enter));

    let record = annotation(
        state.report().unwrap(),
        "env.LOG_LEVEL",
        AnnotationKind::Justify,
        "debug on staging on purpose",
        None,
        None,
    );
    update(
        &mut state,
        Msg::AnnotationsSaved {
            job,
            result: Ok(SavedAnnotations {
                records: Arc::new(vec![record]),
                can_undo: true,
                message: "justified config/env.LOG_LEVEL on prod, staging".into(),
            }),
        },
    );
    assert_eq!(state.mode(), Mode::Browse);
    assert!(state.prompt().is_none());
    assert_eq!(
        state.notice.as_deref(),
        Some("justified config/env.LOG_LEVEL on prod, staging · u undo")
    );
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Justified)
    );
    let counts = state
        .loaded
        .as_ref()
        .unwrap()
        .index
        .counts(Category::Config);
    assert_eq!((counts.needs_review(), counts.states.justified), (2, 1));
    assert_eq!(
        selected_key(&state).as_deref(),
        Some("config/env.LOG_LEVEL"),
        "the selection stays on the fact"
    );
}

#[test]
fn a_failed_save_keeps_the_prompt_with_the_error() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "because");
    let (job, _) = the_change(&key(&mut state, KeyCode::Enter));
    update(
        &mut state,
        Msg::AnnotationsSaved {
            job,
            result: Err("annotations.toml: cannot write: disk full".into()),
        },
    );
    assert_eq!(state.mode(), Mode::Prompt);
    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.saving, None);
    assert_eq!(
        prompt.error.as_deref(),
        Some("annotations.toml: cannot write: disk full")
    );
    assert_eq!(prompt.reason.value(), "because", "what was typed is kept");
    // Enter tries again.
    let (again, _) = the_change(&key(&mut state, KeyCode::Enter));
    assert!(again > job);
}

#[test]
fn the_prompt_starts_from_an_annotation_of_the_same_kind() {
    let mut state = ready(80, 24);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    let prompt = state.prompt().unwrap();
    assert!(prompt.reason.value().starts_with("Staging logs at debug"));
    assert_eq!(prompt.ticket.value(), "OPS-12");
    assert_eq!(prompt.expires.value(), "2026-12-20");
    assert!(
        prompt
            .current
            .as_deref()
            .unwrap()
            .contains("justified by Dana Whitfield")
    );
    key(&mut state, KeyCode::Esc);

    press(&mut state, 'R');
    let prompt = state.prompt().unwrap();
    assert_eq!((prompt.reason.value(), prompt.ticket.value()), ("", ""));
}

#[test]
fn an_annotation_made_for_fewer_environments_is_named_in_the_prompt() {
    // prod, dev and staging; dev holds staging's value, so the prod–staging decision holds.
    let two = report();
    let record = annotation(
        &two,
        "env.LOG_LEVEL",
        AnnotationKind::Justify,
        "debug below prod",
        None,
        None,
    );
    let mut three = two.clone();
    three.facts.retain(|f| f.key.key == "env.LOG_LEVEL");
    let staging = three.sides[1].clone();
    let mut dev = staging.clone();
    dev.label = "dev".into();
    three.sides.insert(1, dev);
    let cell = three.facts[0].cells[1].clone();
    three.facts[0].cells.insert(1, cell);
    let mut state = loaded_with(three, vec![1, 0, 2], 80, 24, false);
    load(&mut state, vec![record], false);
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Justified)
    );
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    let prompt = state.prompt().unwrap();
    assert_eq!(prompt.environments, ["prod", "dev", "staging"]);
    assert_eq!(
        prompt.current.as_deref(),
        Some("applies now: justified by Dana Whitfield on 2026-11-18, made for prod, staging")
    );
    assert_eq!(prompt.reason.value(), "debug below prod");
}

#[test]
fn on_the_demo_the_prompt_says_it_is_read_only_and_saves_nothing() {
    let mut state = loaded_with(report(), vec![1, 2], 80, 24, true);
    load(&mut state, Vec::new(), true);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    assert!(state.prompt().unwrap().read_only);
    key(&mut state, KeyCode::Enter);
    assert_eq!(
        state.prompt().unwrap().error.as_deref(),
        Some("a reason is required"),
        "the fields are still checked"
    );
    type_text(&mut state, "trying it out");
    let effects = key(&mut state, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(state.mode(), Mode::Browse);
    assert_eq!(state.notice.as_deref(), Some(READ_ONLY_NOTICE));

    assert!(act(&mut state, Action::UndoAnnotation).is_empty());
    assert_eq!(state.notice.as_deref(), Some(READ_ONLY_NOTICE));
}

#[test]
fn clear_removes_the_annotation_behind_the_review() {
    let mut state = ready(80, 24);
    let records = annotations_in_every_state();
    let expected = records[0].id();
    load(&mut state, records, false);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let (_, change) = the_change(&press_x(&mut state));
    assert_eq!(change, AnnotationChange::Remove(expected));

    select(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    assert!(press_x(&mut state).is_empty());
    assert_eq!(
        state.notice.as_deref(),
        Some("config/file:/etc/nginx/nginx.conf has no annotation to clear")
    );
}

fn press_x(state: &mut State) -> Vec<Effect> {
    key(state, KeyCode::Char('x'))
}

#[test]
fn undo_asks_to_take_back_the_last_change() {
    let mut state = ready(80, 24);
    let (job, change) = the_change(&key(&mut state, KeyCode::Char('u')));
    assert_eq!(change, AnnotationChange::Undo);
    update(
        &mut state,
        Msg::AnnotationsSaved {
            job,
            result: Ok(SavedAnnotations {
                records: Arc::new(Vec::new()),
                can_undo: false,
                message: "nothing to undo".into(),
            }),
        },
    );
    assert_eq!(state.notice.as_deref(), Some("nothing to undo"));
}

#[test]
fn every_review_state_is_computed_from_the_annotations() {
    let mut state = ready(80, 24);
    load(&mut state, annotations_in_every_state(), false);
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Justified)
    );
    assert_eq!(
        review_of(&state, "env.DATABASE_PASSWORD"),
        Some(ReviewState::Remediate)
    );
    assert_eq!(
        review_of(&state, "runtime.python"),
        Some(ReviewState::Stale)
    );
    assert_eq!(review_of(&state, "lib.openssl"), Some(ReviewState::Expired));
    assert_eq!(
        review_of(&state, "file:/etc/nginx/nginx.conf"),
        Some(ReviewState::Unreviewed)
    );
    assert_eq!(
        review_of(&state, "env.TZ"),
        None,
        "equal facts have no review"
    );
    let config = state
        .loaded
        .as_ref()
        .unwrap()
        .index
        .counts(Category::Config);
    assert_eq!(
        (
            config.states.unreviewed,
            config.states.justified,
            config.states.remediate
        ),
        (1, 1, 1)
    );
    let versions = state
        .loaded
        .as_ref()
        .unwrap()
        .index
        .counts(Category::Versions);
    assert_eq!((versions.states.stale, versions.states.expired), (1, 1));
    assert_eq!(versions.needs_review(), 2, "stale and expired need review");
}

#[test]
fn a_justification_expires_when_the_day_passes() {
    let mut state = ready(80, 24);
    let today = now().date_naive();
    let report = report();
    let last_day = annotation(
        &report,
        "env.LOG_LEVEL",
        AnnotationKind::Justify,
        "until today",
        None,
        Some(today),
    );
    load(&mut state, vec![last_day], false);
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Justified)
    );
    update(&mut state, Msg::Tick(now() + Duration::hours(11)));
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Justified)
    );
    update(&mut state, Msg::Tick(now() + Duration::hours(13)));
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Expired)
    );
}

#[test]
fn next_and_prev_drift_visit_only_drift_that_needs_review() {
    let mut state = ready(80, 24);
    load(&mut state, annotations_in_every_state(), false);
    let mut seen = Vec::new();
    for _ in 0..8 {
        act(&mut state, Action::NextDrift);
        seen.push(selected_key(&state).unwrap());
    }
    assert_eq!(
        &seen[..7],
        &[
            "versions/lib.openssl",
            "config/file:/etc/nginx/nginx.conf",
            "schema/column:public.users.email",
            "network/resolvers",
            "infra/memory.total",
            "services/unit:nginx.service",
            "versions/runtime.python",
        ],
        "justified and to-remediate drift is skipped; stale and expired are not"
    );
    assert_eq!(seen[7], "versions/lib.openssl");
    act(&mut state, Action::PrevDrift);
    assert_eq!(
        selected_key(&state).as_deref(),
        Some("versions/runtime.python")
    );
}

#[test]
fn the_review_filter_cycles_and_narrows_the_facts() {
    let mut state = ready(80, 24);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let visible = |state: &State| -> Vec<String> {
        state
            .visible_rows()
            .iter()
            .filter_map(|row| row.fact())
            .map(|r| state.report().unwrap().facts[r as usize].key.key.clone())
            .collect()
    };
    assert_eq!(visible(&state).len(), 3);

    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Unreviewed);
    assert_eq!(visible(&state), ["file:/etc/nginx/nginx.conf"]);
    assert_eq!(
        state.notice.as_deref(),
        Some("showing only unreviewed drift")
    );
    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Justified);
    assert_eq!(visible(&state), ["env.LOG_LEVEL"]);
    assert_eq!(
        selected_key(&state).as_deref(),
        Some("config/env.LOG_LEVEL")
    );
    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Remediate);
    assert_eq!(visible(&state), ["env.DATABASE_PASSWORD"]);
    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::All);
    assert_eq!(visible(&state).len(), 3);

    // The filter holds across the fuzzy filter and a new report.
    press(&mut state, 'f');
    act(&mut state, Action::StartFilter);
    type_text(&mut state, "nginx");
    key(&mut state, KeyCode::Enter);
    assert_eq!(visible(&state), ["file:/etc/nginx/nginx.conf"]);
    act(&mut state, Action::Back);
    state.category_cursor.selected = 0;
    assert_eq!(visible(&state), ["runtime.python", "lib.openssl"]);
}

#[test]
fn deciding_under_the_unreviewed_filter_moves_on_to_the_next_drift() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.DATABASE_PASSWORD");
    press(&mut state, 'f');
    assert_eq!(
        selected_key(&state).as_deref(),
        Some("config/env.DATABASE_PASSWORD")
    );
    press(&mut state, 'J');
    type_text(&mut state, "different secrets per environment");
    let (job, _) = the_change(&key(&mut state, KeyCode::Enter));
    let record = annotation(
        state.report().unwrap(),
        "env.DATABASE_PASSWORD",
        AnnotationKind::Justify,
        "different secrets per environment",
        None,
        None,
    );
    update(
        &mut state,
        Msg::AnnotationsSaved {
            job,
            result: Ok(SavedAnnotations {
                records: Arc::new(vec![record]),
                can_undo: true,
                message: "justified".into(),
            }),
        },
    );
    assert_eq!(state.visible_rows().len(), 2);
    assert_eq!(
        selected_key(&state).as_deref(),
        Some("config/env.LOG_LEVEL")
    );
}

#[test]
fn unreadable_annotations_are_reported_and_refuse_changes() {
    let mut state = loaded(80, 24);
    update(
        &mut state,
        Msg::AnnotationsLoaded(Err(
            "annotations.toml: line 3: missing field `reason`".into()
        )),
    );
    assert!(matches!(state.review.status, AnnotationsStatus::Failed(_)));
    assert_eq!(
        state.workspace.problems.first().map(String::as_str),
        Some("annotations.toml: line 3: missing field `reason`")
    );
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    assert!(press_j(&mut state).is_empty());
    assert_eq!(state.mode(), Mode::Browse);
    assert!(state.notice.as_deref().unwrap().contains("line 3"));
    assert_eq!(
        review_of(&state, "env.LOG_LEVEL"),
        Some(ReviewState::Unreviewed)
    );
}

fn press_j(state: &mut State) -> Vec<Effect> {
    key(state, KeyCode::Char('J'))
}

#[test]
fn the_mouse_does_nothing_while_the_prompt_is_open() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    update(
        &mut state,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 2,
            row: 5,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!((state.mode(), state.focus), (Mode::Prompt, Pane::Facts));
}

// Snapshots.

#[test]
fn facts_show_review_markers() {
    let mut state = ready(140, 30);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Versions, "runtime.python");
    let term = draw(&state);
    let text = screen(&term).join("\n");
    for marker in ["! ≠ high runtime.python", "⊘ ≠ med  lib.openssl"] {
        assert!(text.contains(marker), "{marker}\n{text}");
    }
    insta::assert_snapshot!(term.backend());
}

#[test]
fn config_facts_show_justified_remediate_and_unreviewed() {
    let mut state = ready(140, 30);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let text = screen(&draw(&state)).join("\n");
    for marker in [
        "• ≠ high file:/etc/nginx/nginx.conf",
        "✗ ≠ high env.DATABASE_PASSWORD",
        "✓ ≠ high env.LOG_LEVEL",
    ] {
        assert!(text.contains(marker), "{marker}\n{text}");
    }
}

#[test]
fn prompt_open() {
    let mut state = ready(80, 24);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    type_text(&mut state, "Staging logs at debug on purpose");
    key(&mut state, KeyCode::Tab);
    key(&mut state, KeyCode::Tab);
    type_text(&mut state, "someday");
    key(&mut state, KeyCode::Enter);
    let term = draw(&state);
    let text = screen(&term).join("\n");
    assert!(
        text.contains("Justify config/env.LOG_LEVEL on prod, staging"),
        "{text}"
    );
    assert!(text.contains("'someday' is not a date"), "{text}");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn prompt_on_the_demo() {
    let mut state = loaded_with(report(), vec![1, 2], 80, 24, true);
    load(&mut state, Vec::new(), true);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'R');
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn diff_shows_the_annotation() {
    let mut state = ready(80, 24);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    state.focus = Pane::Diff;
    let term = draw(&state);
    let text = screen(&term).join("\n");
    for part in [
        "✓ justified by Dana Whitfield on 2026-11-18 09:30 UTC",
        "ticket OPS-12 · holds through 2026-12-20",
        "Staging logs at debug",
        "warn",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
    insta::assert_snapshot!(term.backend());
}

#[test]
fn diff_says_stale_and_expired() {
    let mut state = ready(100, 30);
    load(&mut state, annotations_in_every_state(), false);
    select(&mut state, Category::Versions, "runtime.python");
    state.focus = Pane::Diff;
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("! stale: values changed since justified by Dana Whitfield on 2026-11-18"),
        "{text}"
    );
    select(&mut state, Category::Versions, "lib.openssl");
    state.focus = Pane::Diff;
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("⊘ expired: justified by Dana Whitfield"),
        "{text}"
    );
    assert!(text.contains("expired: held through 2026-11-19"), "{text}");
}

#[test]
fn the_diff_scrolls_to_its_last_row_below_an_annotation() {
    use driftscope::diff::{Comparison, RowTag, TextLine, TextRow};
    let mut report = report();
    let nginx = report
        .facts
        .iter_mut()
        .find(|f| f.key.key == "file:/etc/nginx/nginx.conf")
        .unwrap();
    let rows = (1..=40)
        .map(|n| {
            let line = TextLine {
                number: n,
                text: format!("line {n};"),
                changed: Vec::new(),
            };
            TextRow {
                tag: RowTag::Equal,
                left: Some(line.clone()),
                right: Some(line),
            }
        })
        .collect();
    nginx.comparisons[0].comparison = Comparison::Text { rows };
    let record = annotation(
        &report,
        "file:/etc/nginx/nginx.conf",
        AnnotationKind::Justify,
        "Staging serves its own host name; the worker count follows the machine size.",
        Some("OPS-3"),
        None,
    );
    let mut state = loaded_with(report, vec![1, 2], 80, 24, false);
    load(&mut state, vec![record], false);
    select(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    state.focus = Pane::Diff;
    act(&mut state, Action::SelectLast);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("ticket OPS-3"), "{text}");
    assert!(
        text.contains("line 40;"),
        "the last row is reachable:\n{text}"
    );
}

#[test]
fn categories_count_drift_to_review_and_show_every_state() {
    let mut state = ready(80, 30);
    load(&mut state, annotations_in_every_state(), false);
    state.category_cursor.selected = 0;
    state.focus = Pane::Categories;
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("versions      2      2"), "{text}");
    assert!(text.contains("config        1      3"), "{text}");
    assert!(text.contains("versions !1 ⊘1"), "{text}");
    assert!(text.contains("all      •5 ✓1 ✗1 !1 ⊘1"), "{text}");
}

#[test]
fn help_lists_the_review_keys_and_markers() {
    let mut state = ready(80, 110);
    act(&mut state, Action::ToggleHelp);
    let text = screen(&draw(&state)).join("\n");
    for part in [
        "J                justify the drift, with a reason  justify",
        "R                mark the drift to remediate, with a reason  remediate",
        "x                clear the drift's annotation  clear_annotation",
        "u                undo the last annotation change  undo_annotation",
        "f                cycle the review filter  cycle_review_filter",
        "Reason prompt (after J or R)",
        "• unreviewed  ✓ justified  ✗ to remediate  ! stale  ⊘ expired",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
}

#[test]
fn the_prompt_draws_at_every_terminal_size() {
    for (width, height) in [(20, 6), (30, 8), (40, 10), (50, 14), (80, 24), (200, 60)] {
        let mut state = ready(120, 40);
        load(&mut state, annotations_in_every_state(), false);
        select(&mut state, Category::Config, "env.LOG_LEVEL");
        press(&mut state, 'J');
        type_text(&mut state, &"a long reason that goes on ".repeat(10));
        update(&mut state, Msg::Resize(width, height));
        let text = screen(&draw(&state)).join("\n");
        if width >= 30 && height >= 8 {
            assert!(text.contains("reason"), "{width}×{height}:\n{text}");
        }
    }
}

#[test]
fn the_footer_offers_justify_and_remediate_in_the_facts_pane() {
    let mut state = ready(80, 24);
    state.focus = Pane::Facts;
    let text = screen(&draw(&state)).join("\n");
    let footer = text.lines().last().unwrap();
    assert!(
        footer.contains("J justify") && footer.contains("R remediate"),
        "{footer}"
    );
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    press(&mut state, 'J');
    let text = screen(&draw(&state)).join("\n");
    let footer = text.lines().last().unwrap();
    assert!(
        footer.contains("enter save") && footer.contains("esc cancel"),
        "{footer}"
    );
}

/// What the facts pane lists: group headings as `# label`, facts by key.
fn listed(state: &State) -> Vec<String> {
    let loaded = state.loaded.as_ref().unwrap();
    state
        .visible_rows()
        .iter()
        .map(|row| match *row {
            ListRow::Fact(r) => loaded.report.facts[r as usize].key.key.clone(),
            ListRow::Heading { group, .. } => {
                format!("# {}", loaded.index.group(group).unwrap().label)
            }
        })
        .collect()
}

/// The schema report with `column:public.orders.status` justified and
/// `extension:hstore` to remediate.
fn schema_reviewed() -> State {
    let mut state = schema_state(120, 34);
    let report = state.report().unwrap().clone();
    let records = vec![
        annotation(
            &report,
            "column:public.orders.status",
            AnnotationKind::Justify,
            "the new status ships next week",
            None,
            None,
        ),
        annotation(
            &report,
            "extension:hstore",
            AnnotationKind::Remediate,
            "drop it in prod",
            None,
            None,
        ),
    ];
    load(&mut state, records, false);
    state
}

#[test]
fn schema_drift_keeps_its_headings_under_the_review_filter() {
    let mut state = schema_reviewed();
    let all = listed(&state);
    assert!(all.contains(&"# public.orders".to_string()), "{all:?}");
    assert!(all.contains(&"column:public.orders.status".to_string()));

    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Unreviewed);
    let unreviewed = listed(&state);
    assert!(unreviewed.contains(&"# public.orders".to_string()));
    assert!(!unreviewed.contains(&"column:public.orders.status".to_string()));
    assert!(!unreviewed.contains(&"extension:hstore".to_string()));
    assert!(unreviewed.contains(&"column:public.orders.refunded_at".to_string()));

    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Justified);
    assert_eq!(
        listed(&state),
        ["# public.orders", "column:public.orders.status"]
    );
    press(&mut state, 'f');
    assert_eq!(state.review.filter, ReviewFilter::Remediate);
    assert_eq!(listed(&state), ["# database", "extension:hstore"]);
}

#[test]
fn next_drift_in_the_schema_skips_headings_and_decided_drift() {
    let mut state = schema_reviewed();
    let mut seen = Vec::new();
    for _ in 0..8 {
        act(&mut state, Action::NextDrift);
        seen.push(state.selected_fact().unwrap().key.key.clone());
    }
    assert_eq!(
        &seen[..7],
        [
            "column:public.orders.refunded_at",
            "index:public.orders.orders_customer_id_idx",
            "column:public.orders.total_cents",
            "rows:public.orders",
            "migrations:rails",
            "enum:public.order_status",
            "column:public.users.locale",
        ]
    );
    assert_eq!(seen[7], seen[0], "wrapped around");
    act(&mut state, Action::PrevDrift);
    assert_eq!(
        state.selected_fact().unwrap().key.key,
        "column:public.users.locale"
    );
}

#[test]
fn justify_on_a_schema_heading_asks_for_a_drift() {
    let mut state = schema_reviewed();
    let heading = listed(&state)
        .iter()
        .position(|l| l == "# public.orders")
        .unwrap();
    state.fact_cursor_mut().selected = heading;
    let effects = press_j(&mut state);
    assert!(effects.is_empty());
    assert_eq!(state.mode(), Mode::Browse);
    assert_eq!(
        state.notice.as_deref(),
        Some("no drift selected to justify")
    );
}

#[test]
fn a_drift_a_rule_allows_is_justified_by_that_rule_in_the_explorer() {
    use driftscope::diff::policy::{Expectation, ExpectationRule, Policy};
    let rule = ExpectationRule {
        pattern: "config/env.LOG_LEVEL".into(),
        environments: Default::default(),
        expect: Expectation::MayDiffer,
        reason: "staging logs at debug for the testers".into(),
    };
    let policy = Policy::new(&[], &[rule]).unwrap();
    let mut state = loaded(120, 40);
    update(
        &mut state,
        Msg::AnnotationsLoaded(Ok(LoadedAnnotations {
            policy: Arc::new(policy),
            records: Arc::new(Vec::new()),
            read_only: false,
        })),
    );
    select(&mut state, Category::Config, "env.LOG_LEVEL");
    let row = state.selected_row().and_then(|r| r.fact()).unwrap() as usize;
    assert_eq!(state.review.state(row), Some(ReviewState::Justified));
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("✓ justified by rule config/env.LOG_LEVEL"),
        "{text}"
    );
    assert!(
        text.contains("staging logs at debug for the testers"),
        "{text}"
    );
}

#[test]
fn one_key_justifies_every_drift_the_list_shows_after_naming_the_count() {
    let mut state = ready(120, 40);
    state.category_cursor.selected = 1; // config
    state.focus = Pane::Facts;
    let shown: Vec<String> = state
        .visible_rows()
        .iter()
        .filter_map(|r| r.fact())
        .map(|r| state.report().unwrap().facts[r as usize].key.to_string())
        .collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    press(&mut state, 'A');
    assert_eq!(state.mode(), Mode::Prompt);
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("Justify 3 drifts shown in config on prod, staging"),
        "{text}"
    );
    assert!(text.contains("justify all 3"), "{text}");
    for c in "known differences".chars() {
        press(&mut state, c);
    }
    let effects = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let [Effect::Annotate { change, .. }] = effects.as_slice() else {
        panic!("expected one annotation change, got {effects:?}");
    };
    let driftscope::tui::review::AnnotationChange::PutMany {
        facts,
        environments,
        draft,
    } = change
    else {
        panic!("expected a bulk change, got {change:?}");
    };
    let keys: Vec<String> = facts.iter().map(|f| f.key.to_string()).collect();
    assert_eq!(keys, shown);
    assert_eq!(environments, &["prod".to_string(), "staging".to_string()]);
    assert_eq!(draft.reason, "known differences");
}
