//! The timeline view and the fact history popup: the pure update of every new action and
//! message, screens drawn from a demo workspace at a fixed time, and comparisons of
//! picked points run through the comparison worker's path.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tui_support;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use driftscope::model::{Category, FactKey, Value};
use driftscope::store::{ChangeCache, HistoryEntry, TimelinePoint, Workspace};
use driftscope::tui::fact_history::{FactHistoryRequest, FactHistoryResult};
use driftscope::tui::history_worker::{fact_history_answer, timeline_answer};
use driftscope::tui::state::CompareStatus;
use driftscope::tui::timeline::{Loadable, TimelineRequest};
use driftscope::tui::{
    Action, Effect, Keymap, Mode, Msg, Pane, SidePick, State, update, workspace_info,
};
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tui_support::*;

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    update(state, Msg::Action(action))
}

/// The one timeline request among `effects`.
fn timeline_request(effects: &[Effect]) -> TimelineRequest {
    match effects {
        [Effect::Timeline(request)] => request.clone(),
        other => panic!("expected one timeline request, got {other:?}"),
    }
}

/// The one fact history request among `effects`.
fn history_request(effects: &[Effect]) -> FactHistoryRequest {
    match effects {
        [Effect::FactHistory(request)] => request.clone(),
        other => panic!("expected one fact history request, got {other:?}"),
    }
}

/// The references of the one comparison among `effects`.
fn compared(effects: &[Effect]) -> Vec<(usize, String)> {
    match effects {
        [Effect::Compare(request)] => request
            .sides
            .iter()
            .map(|(i, side)| (*i, side.to_string()))
            .collect(),
        other => panic!("expected one comparison, got {other:?}"),
    }
}

/// The time of point `i`: daily at 22:00 from 14 November.
fn day(i: u32) -> DateTime<Utc> {
    at(14, 22, 0) + chrono::TimeDelta::days(i64::from(i))
}

/// Daily points (see [`day`]): the first has no previous snapshot; point `i` changed `i`
/// facts.
fn points(hosts: &[&str], count: u32) -> Arc<[TimelinePoint]> {
    (0..count)
        .map(|i| TimelinePoint {
            taken_at: day(i),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            changed_since_previous: (i > 0).then_some(i as usize),
            changed_facts: (0..i)
                .map(|k| FactKey::new(Category::Versions, format!("pkg.{k}")))
                .collect(),
            snapshots: Vec::new(),
        })
        .collect()
}

/// A state comparing prod with staging, with prod's timeline open and answered.
fn with_timeline(count: u32) -> State {
    let mut state = loaded(100, 30);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    answer(&mut state, &request, points(&["web-1", "web-2"], count));
    state
}

fn answer(state: &mut State, request: &TimelineRequest, points: Arc<[TimelinePoint]>) {
    update(
        state,
        Msg::Timeline {
            id: request.id,
            result: Ok(points),
        },
    );
}

fn selected_time(state: &State) -> DateTime<Utc> {
    state
        .timeline()
        .and_then(|t| t.selected())
        .map(|p| p.taken_at)
        .expect("a selected point")
}

#[test]
fn open_timeline_asks_for_the_environment_under_the_cursor_or_the_baseline() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Environments;
    state.env_cursor.selected = 2;
    let request = timeline_request(&press_and_collect(&mut state, 't'));
    assert_eq!((request.env.as_str(), request.host), ("staging", None));
    assert_eq!(state.mode(), Mode::Timeline);
    assert!(matches!(
        state.timeline().unwrap().points,
        Loadable::Loading
    ));
    act(&mut state, Action::Back);
    assert_eq!(state.mode(), Mode::Browse);
    assert!(state.timeline().is_none());
    state.focus = Pane::Facts;
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    assert_eq!(
        request.env, "prod",
        "the baseline, outside the environments pane"
    );
    press(&mut state, 't');
    assert_eq!(state.mode(), Mode::Browse, "t closes the timeline again");
}

fn press_and_collect(state: &mut State, key: char) -> Vec<Effect> {
    update(
        state,
        Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char(key),
            KeyModifiers::NONE,
        )),
    )
}

#[test]
fn timeline_answers_fill_the_view_and_stale_ones_are_dropped() {
    let mut state = loaded(80, 24);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    update(
        &mut state,
        Msg::Timeline {
            id: request.id - 1,
            result: Ok(points(&["web-1"], 3)),
        },
    );
    assert!(matches!(
        state.timeline().unwrap().points,
        Loadable::Loading
    ));
    answer(&mut state, &request, points(&["web-1", "web-2"], 3));
    let view = state.timeline().unwrap();
    assert_eq!(view.points().len(), 3);
    assert_eq!(view.hosts, ["web-1", "web-2"]);
    assert_eq!(selected_time(&state), day(2), "the newest comes first");
    // Another environment's timeline fails: the reason is shown.
    let request = timeline_request(&act(&mut state, Action::NextSide));
    update(
        &mut state,
        Msg::Timeline {
            id: request.id,
            result: Err("staging: cannot read".into()),
        },
    );
    let view = state.timeline().unwrap();
    assert_eq!(view.points, Loadable::Failed("staging: cannot read".into()));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("staging: cannot read"), "{text}");
}

#[test]
fn movement_keys_move_through_the_points_newest_first() {
    let mut state = with_timeline(30);
    press(&mut state, 'j');
    assert_eq!(selected_time(&state), day(28));
    act(&mut state, Action::SelectLast);
    assert_eq!(selected_time(&state), day(0));
    let cursor = state.timeline().unwrap().cursor;
    assert!(cursor.offset > 0, "the list scrolled to the oldest point");
    act(&mut state, Action::PageUp);
    assert!(state.timeline().unwrap().cursor.selected < 29);
    press(&mut state, 'g');
    assert_eq!(selected_time(&state), day(29));
    act(&mut state, Action::SelectPrev);
    assert_eq!(state.timeline().unwrap().cursor.selected, 0);
}

#[test]
fn enter_compares_the_point_with_the_newest_snapshots() {
    let mut state = with_timeline(5);
    press(&mut state, 'j');
    press(&mut state, 'j');
    let effects = act(&mut state, Action::DrillIn);
    assert_eq!(
        compared(&effects),
        [
            (1, "prod@2026-11-16T22:00:00Z".to_string()),
            (1, "prod".to_string())
        ]
    );
    assert_eq!(
        (state.mode(), state.timeline().is_none()),
        (Mode::Browse, true)
    );
    assert_eq!(state.status, CompareStatus::Running);
    assert_eq!(state.selection.baseline, 1);
    assert!(state.selection.others.is_empty());
    let [Effect::Compare(request)] = effects.as_slice() else {
        unreachable!()
    };
    let others: Vec<String> = request.others.iter().map(|(_, n)| n.to_string()).collect();
    assert_eq!(
        others,
        ["dev", "staging"],
        "their drift is counted against A"
    );
}

#[test]
fn enter_on_the_newest_point_compares_the_change_before_it() {
    let mut state = with_timeline(5);
    let effects = press_code_collect(&mut state, KeyCode::Enter);
    assert_eq!(
        compared(&effects),
        [
            (1, "prod@2026-11-17T22:00:00Z".to_string()),
            (1, "prod".to_string())
        ]
    );
    let mut single = with_timeline(1);
    assert!(act(&mut single, Action::DrillIn).is_empty());
    assert!(single.notice.as_deref().unwrap().contains("only one point"));
    assert_eq!(single.mode(), Mode::Timeline);
}

fn press_code_collect(state: &mut State, code: KeyCode) -> Vec<Effect> {
    update(
        state,
        Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )),
    )
}

#[test]
fn mark_then_compare_picks_two_points_of_one_environment() {
    let mut state = with_timeline(5);
    for _ in 0..3 {
        press(&mut state, 'j');
    }
    press(&mut state, 'm');
    assert_eq!(
        state.mark,
        Some(SidePick {
            env: 1,
            host: None,
            at: Some(day(1))
        })
    );
    press(&mut state, 'k');
    press(&mut state, 'k');
    let effects = press_and_collect(&mut state, 'c');
    assert_eq!(
        compared(&effects),
        [
            (1, "prod@2026-11-15T22:00:00Z".to_string()),
            (1, "prod@2026-11-17T22:00:00Z".to_string())
        ]
    );
    assert_eq!(state.mark, None, "the mark is used up");
    assert_eq!(state.pinned.as_ref().map(Vec::len), Some(2));
}

#[test]
fn points_of_two_environments_can_be_compared() {
    let mut state = with_timeline(5);
    press(&mut state, 'j');
    press(&mut state, 'm');
    let request = timeline_request(&press_and_collect(&mut state, ']'));
    assert_eq!(request.env, "staging");
    assert!(
        state.mark.is_some(),
        "the mark survives a change of environment"
    );
    answer(&mut state, &request, points(&["stg-1"], 4));
    let effects = act(&mut state, Action::ComparePoints);
    assert_eq!(
        compared(&effects),
        [
            (1, "prod@2026-11-17T22:00:00Z".to_string()),
            (2, "staging@2026-11-17T22:00:00Z".to_string())
        ]
    );
    assert_eq!(state.selection.baseline, 1);
    assert_eq!(state.selection.others, [2]);
}

#[test]
fn compare_without_a_mark_or_with_the_marked_point_explains_why() {
    let mut state = with_timeline(5);
    assert!(act(&mut state, Action::ComparePoints).is_empty());
    assert!(
        state
            .notice
            .as_deref()
            .unwrap()
            .contains("mark a point first")
    );
    act(&mut state, Action::MarkPoint);
    assert!(act(&mut state, Action::ComparePoints).is_empty());
    assert!(state.notice.as_deref().unwrap().contains("marked point"));
    act(&mut state, Action::MarkPoint);
    assert_eq!(state.mark, None, "marking the marked point clears the mark");
    assert_eq!(state.mode(), Mode::Timeline);
}

#[test]
fn tab_cycles_between_all_hosts_and_each_host() {
    let mut state = with_timeline(5);
    let request = timeline_request(&press_code_collect(&mut state, KeyCode::Tab));
    assert_eq!(request.host.as_deref(), Some("web-1"));
    answer(&mut state, &request, points(&["web-1"], 5));
    assert_eq!(state.timeline().unwrap().hosts, ["web-1", "web-2"]);
    let request = timeline_request(&act(&mut state, Action::FocusNextPane));
    assert_eq!(request.host.as_deref(), Some("web-2"));
    let request = timeline_request(&act(&mut state, Action::FocusNextPane));
    assert_eq!(request.host, None);
    let request = timeline_request(&act(&mut state, Action::FocusPrevPane));
    assert_eq!(request.host.as_deref(), Some("web-2"));
}

#[test]
fn points_of_a_hosts_timeline_compare_that_host_only() {
    let mut state = with_timeline(5);
    let request = timeline_request(&act(&mut state, Action::FocusNextPane));
    answer(&mut state, &request, points(&["web-1"], 5));
    press(&mut state, 'j');
    let effects = act(&mut state, Action::DrillIn);
    assert_eq!(
        compared(&effects),
        [
            (1, "prod/web-1@2026-11-17T22:00:00Z".to_string()),
            (1, "prod/web-1".to_string())
        ]
    );
}

#[test]
fn tab_before_the_hosts_are_known_explains_why() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::OpenTimeline);
    assert!(act(&mut state, Action::FocusNextPane).is_empty());
    assert!(state.notice.as_deref().unwrap().contains("hosts"));
}

#[test]
fn prev_side_wraps_to_the_last_environment() {
    let mut state = with_timeline(3);
    state.overlays.timeline_mut().unwrap().env = 0;
    let request = timeline_request(&press_and_collect(&mut state, '['));
    assert_eq!(request.env, "staging");
}

#[test]
fn the_header_shows_each_picked_side_with_its_time() {
    // Before any report: the picked sides as asked for.
    let mut state = State::new(workspace(false), Keymap::embedded().unwrap(), now());
    update(&mut state, Msg::Resize(100, 24));
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    answer(&mut state, &request, points(&["web-1"], 5));
    press(&mut state, 'j');
    press(&mut state, 'j');
    let effects = act(&mut state, Action::DrillIn);
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("◆ prod@11-16 22:00 · prod 09:30 UTC"),
        "{text}"
    );
    assert!(text.contains("prod@11-16 22:00 ⇄ prod"), "{text}");
    // Once the report is there: each side's label and the time of its snapshots.
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected a comparison");
    };
    let mut report = report();
    for (side, (_, side_ref)) in report.sides.iter_mut().zip(&request.sides) {
        side.label = side_ref.to_string();
        if let driftscope::store::SideRef::Environment { env, host, at } = side_ref {
            side.environment = env.clone();
            side.host = host.clone();
            side.at = at.as_ref().map(|t| t.at);
        }
    }
    for host in &mut report.sides[0].hosts {
        host.taken_at = day(2);
    }
    update(
        &mut state,
        Msg::Compared {
            generation: request.generation,
            side_envs: vec![1, 1],
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("◆ prod@11-16 22:00 · prod 08:10 UTC"),
        "{text}"
    );
}

#[test]
fn changing_the_environments_goes_back_to_the_newest_snapshots() {
    let mut state = with_timeline(5);
    act(&mut state, Action::DrillIn);
    assert!(state.pinned.is_some());
    state.focus = Pane::Environments;
    state.env_cursor.selected = 0;
    let effects = act(&mut state, Action::ToggleCompare);
    assert_eq!(state.pinned, None);
    assert_eq!(
        compared(&effects),
        [(1, "prod".to_string()), (0, "dev".to_string())]
    );
}

#[test]
fn help_from_the_timeline_returns_to_it() {
    let mut state = with_timeline(3);
    press(&mut state, '?');
    assert_eq!(state.mode(), Mode::Help);
    press(&mut state, '?');
    assert_eq!(state.mode(), Mode::Timeline);
    assert!(state.timeline().is_some());
}

#[test]
fn points_are_picked_only_in_the_timeline() {
    let mut state = loaded(80, 24);
    assert!(act(&mut state, Action::MarkPoint).is_empty());
    assert!(act(&mut state, Action::ComparePoints).is_empty());
    assert!(state.notice.as_deref().unwrap().contains("press t"));
    assert_eq!(state.mark, None);
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn the_wheel_moves_and_a_click_selects_a_point() {
    let mut state = with_timeline(10);
    update(&mut state, mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(state.timeline().unwrap().cursor.selected, 3);
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    let list = driftscope::tui::timeline::TimelineAreas::of(layout.timeline.unwrap()).list;
    update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            list.x + 4,
            list.y + 5,
        ),
    );
    assert_eq!(state.timeline().unwrap().cursor.selected, 5);
    assert_eq!(state.mode(), Mode::Timeline);
}

/// The selected category's row of `key`, selected.
fn select_fact(state: &mut State, category: Category, key: &str) {
    let slot = Category::ALL.iter().position(|c| *c == category).unwrap();
    state.category_cursor.selected = slot;
    let row = state
        .visible_rows()
        .iter()
        .position(|r| {
            r.fact()
                .is_some_and(|r| state.report().unwrap().facts[r as usize].key.key == key)
        })
        .unwrap();
    state
        .fact_cursors
        .get_mut(driftscope::model::Category::ALL[slot])
        .selected = row;
    state.focus = Pane::Facts;
}

#[test]
fn fact_history_opens_for_the_selected_fact_in_each_compared_environment() {
    let mut state = loaded(80, 24);
    select_fact(&mut state, Category::Versions, "lib.openssl");
    let request = history_request(&press_and_collect(&mut state, 'H'));
    assert_eq!(request.env, "prod");
    assert_eq!(request.key, FactKey::new(Category::Versions, "lib.openssl"));
    assert_eq!(state.mode(), Mode::History);
    let request = history_request(&act(&mut state, Action::NextSide));
    assert_eq!(request.env, "staging");
    let request = history_request(&act(&mut state, Action::PrevSide));
    assert_eq!(request.env, "prod");
    press_code(&mut state, KeyCode::Esc);
    assert_eq!(
        (state.mode(), state.fact_history().is_none()),
        (Mode::Browse, true)
    );
    act(&mut state, Action::FactHistory);
    press(&mut state, 'q');
    assert!(!state.quit, "q closes the popup first");
    assert_eq!(state.mode(), Mode::Browse);
}

fn history_result(entries: Vec<HistoryEntry>) -> FactHistoryResult {
    FactHistoryResult {
        entries: entries.into(),
        snapshots: 12,
    }
}

fn entry(day: u32, hosts: &[&str], value: Option<Value>) -> HistoryEntry {
    HistoryEntry {
        first_seen: at(day, 9, 0),
        last_seen: at(day, 21, 0),
        hosts: hosts.iter().map(|h| h.to_string()).collect(),
        value,
    }
}

#[test]
fn fact_history_answers_are_shown_and_stale_ones_dropped() {
    let mut state = loaded(80, 24);
    select_fact(&mut state, Category::Versions, "lib.openssl");
    let request = history_request(&act(&mut state, Action::FactHistory));
    let entries = vec![entry(10, &["web-1"], Some(Value::version("3.0.11")))];
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id + 1,
            result: Ok(history_result(entries.clone())),
        },
    );
    let view = state.fact_history().unwrap();
    assert!(matches!(view.history, Loadable::Loading));
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id,
            result: Ok(history_result(entries)),
        },
    );
    assert_eq!(state.fact_history().unwrap().entries().len(), 1);
    let request = history_request(&act(&mut state, Action::NextSide));
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id,
            result: Err("staging: no snapshots".into()),
        },
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("staging: no snapshots"), "{text}");
}

#[test]
fn fact_history_needs_a_fact() {
    let mut state = State::new(workspace(false), Keymap::embedded().unwrap(), now());
    assert!(act(&mut state, Action::FactHistory).is_empty());
    assert!(state.notice.as_deref().unwrap().contains("select a fact"));
    assert_eq!(state.mode(), Mode::Browse);
}

#[test]
fn fact_history_scrolls_within_its_entries() {
    let mut state = loaded(80, 24);
    select_fact(&mut state, Category::Versions, "lib.openssl");
    let request = history_request(&act(&mut state, Action::FactHistory));
    let entries: Vec<HistoryEntry> = (0..40)
        .map(|i| {
            entry(
                1 + i % 28,
                &["web-1"],
                Some(Value::version(format!("1.{i}"))),
            )
        })
        .collect();
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id,
            result: Ok(history_result(entries)),
        },
    );
    act(&mut state, Action::SelectNext);
    assert_eq!(state.fact_history().unwrap().scroll, 1);
    act(&mut state, Action::SelectLast);
    let last = state.fact_history().unwrap().scroll;
    assert!(last > 0 && last < 40, "scrolled to {last}");
    act(&mut state, Action::SelectNext);
    assert_eq!(state.fact_history().unwrap().scroll, last);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("1.39"), "the last entry shows:\n{text}");
}

#[test]
fn secrets_in_a_fact_history_show_tokens_never_fingerprints() {
    let mut state = loaded(100, 24);
    select_fact(&mut state, Category::Config, "env.DATABASE_PASSWORD");
    let request = history_request(&act(&mut state, Action::FactHistory));
    let a = Value::Redacted("hmac-sha256:aaaa1111".into());
    let b = Value::Redacted("hmac-sha256:bbbb2222".into());
    let entries = vec![
        entry(10, &["web-1"], Some(a.clone())),
        entry(11, &["web-1"], Some(b)),
        entry(12, &["web-1"], Some(a)),
        entry(13, &["web-1"], Some(Value::Text("a\nb\u{1b}[2J\n".into()))),
        entry(14, &["web-1\u{1b}]0;x"], None),
    ];
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id,
            result: Ok(history_result(entries)),
        },
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(!text.contains("hmac") && !text.contains("aaaa"), "{text}");
    assert!(text.contains("(redacted #1)"), "{text}");
    assert!(text.contains("(redacted #2: changed)"), "{text}");
    assert!(text.contains("(redacted #1: same as before)"), "{text}");
    assert!(text.contains("text #1, 2 lines"), "{text}");
    assert!(text.contains("(absent)"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text}");
}

// ---- The demo at a fixed time: drawn screens and comparisons through the worker path.

/// The demo's snapshots as of the tests' fixed time, stored in a workspace folder.
fn fixed_demo() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("driftscope.toml"),
        driftscope::demo::CONFIG_TOML,
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    for snapshot in driftscope::demo::snapshots_at(now()) {
        ws.store_snapshot(&snapshot).unwrap();
    }
    (dir, ws)
}

#[test]
fn timeline_view() {
    let (_dir, ws) = fixed_demo();
    let mut state = loaded_with(report(), vec![1, 2], 80, 24, true);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    let msg = timeline_answer(&ws, &mut ChangeCache::default(), &request);
    update(&mut state, msg);
    press(&mut state, 'j');
    press(&mut state, 'm');
    press(&mut state, 'j');
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn timeline_view_wide() {
    let (_dir, ws) = fixed_demo();
    let mut state = loaded(130, 30);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    update(
        &mut state,
        timeline_answer(&ws, &mut ChangeCache::default(), &request),
    );
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn fact_history_view() {
    let (_dir, ws) = fixed_demo();
    let mut state = loaded(100, 24);
    select_fact(&mut state, Category::Versions, "lib.openssl");
    let request = history_request(&act(&mut state, Action::FactHistory));
    update(&mut state, fact_history_answer(&ws, &request));
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn a_config_file_history_shows_texts_by_line_count() {
    let (_dir, ws) = fixed_demo();
    let mut state = loaded(100, 24);
    select_fact(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    let request = history_request(&act(&mut state, Action::FactHistory));
    update(&mut state, fact_history_answer(&ws, &request));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("text #1, "), "{text}");
    assert!(
        text.contains("text #2, "),
        "the demo's nginx.conf changed:\n{text}"
    );
}

/// A state on the real demo workspace, its comparison loaded through the worker's path.
fn on_demo(ws: &Workspace) -> State {
    let mut state = State::new(workspace_info(ws), Keymap::embedded().unwrap(), now());
    update(&mut state, Msg::Resize(120, 34));
    let effects = driftscope::tui::update::start(&mut state);
    run_comparison(ws, &mut state, &effects);
    state
}

/// Runs the comparison `effects` ask for, as the worker does, and delivers its report.
fn run_comparison(ws: &Workspace, state: &mut State, effects: &[Effect]) {
    let [Effect::Compare(request)] = effects else {
        panic!("expected one comparison, got {effects:?}");
    };
    let sides: Vec<_> = request.sides.iter().map(|(_, s)| s.clone()).collect();
    let report = driftscope::tui::compare_sides(ws, &sides, true).unwrap();
    update(
        state,
        Msg::Compared {
            generation: request.generation,
            side_envs: request.sides.iter().map(|(i, _)| *i).collect(),
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
}

#[test]
fn comparing_an_earlier_prod_point_with_prod_shows_the_openssl_update() {
    let ws = driftscope::demo::workspace();
    let mut state = on_demo(&ws);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    assert_eq!(request.env, "prod");
    update(
        &mut state,
        timeline_answer(&ws, &mut ChangeCache::default(), &request),
    );
    // The point before the newest: yesterday's run, before the security update.
    press(&mut state, 'j');
    let effects = act(&mut state, Action::DrillIn);
    let sides = compared(&effects);
    assert!(sides[0].1.starts_with("prod@"), "{sides:?}");
    assert_eq!(sides[1].1, "prod");
    run_comparison(&ws, &mut state, &effects);
    assert_eq!(state.status, CompareStatus::Ready);
    let report = state.report().unwrap();
    let openssl = report
        .facts
        .iter()
        .find(|f| f.key == FactKey::new(Category::Versions, "lib.openssl"))
        .expect("lib.openssl drifts");
    assert!(openssl.is_drift());
    assert_eq!(report.sides[0].label, sides[0].1);
    // The explorer shows it: the next drift from the top is in versions.
    act(&mut state, Action::NextDrift);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("lib.openssl"), "{text}");
    assert!(text.contains("◆ prod@"), "{text}");
}

#[test]
fn a_demo_hosts_timeline_compares_that_host_through_the_worker_path() {
    let ws = driftscope::demo::workspace();
    let mut state = on_demo(&ws);
    let mut cache = ChangeCache::default();
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    update(&mut state, timeline_answer(&ws, &mut cache, &request));
    // prod-web-1 got the security update; prod-web-3 (the third host) did not.
    for (tabs, updated) in [(1, true), (3, false)] {
        let mut state = state.clone();
        for _ in 0..tabs {
            let request = timeline_request(&act(&mut state, Action::FocusNextPane));
            update(&mut state, timeline_answer(&ws, &mut cache, &request));
        }
        let effects = act(&mut state, Action::DrillIn);
        let sides = compared(&effects);
        run_comparison(&ws, &mut state, &effects);
        let report = state.report().unwrap();
        assert!(report.sides.iter().all(|s| s.hosts.len() == 1), "{sides:?}");
        let openssl = report
            .facts
            .iter()
            .any(|f| f.key == FactKey::new(Category::Versions, "lib.openssl") && f.is_drift());
        assert_eq!(openssl, updated, "{sides:?}");
    }
}

#[test]
fn points_of_two_demo_environments_compare_through_the_worker_path() {
    let ws = driftscope::demo::workspace();
    let mut state = on_demo(&ws);
    let mut cache = ChangeCache::default();
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    update(&mut state, timeline_answer(&ws, &mut cache, &request));
    act(&mut state, Action::SelectLast);
    act(&mut state, Action::MarkPoint);
    let request = timeline_request(&act(&mut state, Action::NextSide));
    update(&mut state, timeline_answer(&ws, &mut cache, &request));
    let effects = act(&mut state, Action::ComparePoints);
    let sides = compared(&effects);
    assert!(sides[0].1.starts_with("prod@") && sides[1].1.starts_with("staging@"));
    run_comparison(&ws, &mut state, &effects);
    let report = state.report().unwrap();
    let labels: Vec<&str> = report.sides.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, [sides[0].1.as_str(), sides[1].1.as_str()]);
    assert!(report.drift_count() > 0);
    // The oldest prod point is the week-old run: its snapshots are that old.
    let oldest = report.sides[0]
        .hosts
        .iter()
        .map(|h| h.taken_at)
        .max()
        .unwrap();
    let newest_prod = ws.history.latest("prod", None)[0].taken_at;
    assert!(newest_prod - oldest > chrono::TimeDelta::days(6));
}

#[test]
fn every_terminal_size_draws_the_timeline_and_the_history_without_panicking() {
    let mut timeline = with_timeline(12);
    act(&mut timeline, Action::MarkPoint);
    let mut loading = loaded(80, 24);
    act(&mut loading, Action::OpenTimeline);
    let mut history = loaded(80, 24);
    select_fact(&mut history, Category::Versions, "lib.openssl");
    let request = history_request(&act(&mut history, Action::FactHistory));
    let entries = vec![
        entry(10, &["web-1", "web-2"], Some(Value::version("3.0.11"))),
        entry(12, &["web-1"], None),
    ];
    update(
        &mut history,
        Msg::FactHistory {
            id: request.id,
            result: Ok(history_result(entries)),
        },
    );
    let mut states = [timeline, loading, history];
    for width in (0..150).step_by(7) {
        for height in (0..48).step_by(3) {
            for state in &mut states {
                update(state, Msg::Resize(width, height));
                act(state, Action::SelectLast);
                let term = draw(state);
                assert_eq!(term.backend().buffer().area.height, height);
            }
        }
    }
}

#[test]
fn the_wheel_scrolls_the_history_and_a_click_outside_closes_it() {
    let mut state = loaded(80, 24);
    select_fact(&mut state, Category::Versions, "lib.openssl");
    let request = history_request(&act(&mut state, Action::FactHistory));
    let entries: Vec<HistoryEntry> = (0..40)
        .map(|i| {
            entry(
                1 + i % 28,
                &["web-1"],
                Some(Value::version(format!("1.{i}"))),
            )
        })
        .collect();
    update(
        &mut state,
        Msg::FactHistory {
            id: request.id,
            result: Ok(history_result(entries)),
        },
    );
    update(&mut state, mouse(MouseEventKind::ScrollDown, 40, 12));
    assert_eq!(state.fact_history().unwrap().scroll, 3);
    let popup = driftscope::tui::layout::AppLayout::compute(state.area, &state)
        .history
        .unwrap();
    update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            popup.x + 2,
            popup.y + 2,
        ),
    );
    assert_eq!(state.mode(), Mode::History, "a click inside keeps it open");
    update(
        &mut state,
        mouse(MouseEventKind::Down(MouseButton::Left), 0, 0),
    );
    assert_eq!(
        (state.mode(), state.fact_history().is_none()),
        (Mode::Browse, true)
    );
}

#[test]
fn a_long_timeline_draws_only_the_visible_points() {
    let many: Arc<[TimelinePoint]> = (0..5000u32)
        .map(|i| TimelinePoint {
            taken_at: at(1, 0, 0) + chrono::TimeDelta::minutes(i64::from(i) * 15),
            hosts: vec!["web-1".into()],
            changed_since_previous: (i > 0).then_some((i % 7) as usize),
            changed_facts: Vec::new(),
            snapshots: Vec::new(),
        })
        .collect();
    let mut state = loaded(100, 30);
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    answer(&mut state, &request, many);
    act(&mut state, Action::SelectLast);
    let started = std::time::Instant::now();
    let text = screen(&draw(&state)).join("\n");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert!(
        text.contains("2026-11-01 00:00:00"),
        "the oldest point:\n{text}"
    );
    assert!(text.contains("5000 points"), "{text}");
}

#[test]
fn an_open_timeline_is_asked_for_again_when_a_refresh_stored_snapshots() {
    use driftscope::store::{Location, SnapshotMeta};
    use driftscope::tui::EnvSummary;
    use driftscope::tui::refresh::{RefreshEvent, Stored};
    let mut state = loaded(100, 30);
    let effects = act(&mut state, Action::Refresh);
    let [Effect::Refresh(refresh)] = effects.as_slice() else {
        panic!("expected a refresh, got {effects:?}");
    };
    let id = refresh.id;
    let request = timeline_request(&act(&mut state, Action::OpenTimeline));
    answer(&mut state, &request, points(&["web-1"], 3));
    let taken_at = at(20, 11, 0);
    for event in [
        RefreshEvent::Planned {
            id,
            hosts: vec!["prod/web-1".into()],
        },
        RefreshEvent::HostDone {
            id,
            index: 0,
            elapsed: std::time::Duration::from_secs(1),
            outcome: Ok(Stored {
                meta: SnapshotMeta {
                    environment: "prod".into(),
                    host: "web-1".into(),
                    taken_at,
                    fact_count: 10,
                    error_count: 0,
                    location: Location::File("snapshots/prod/web-1/x.json".into()),
                },
                summary: EnvSummary {
                    name: "prod".into(),
                    hosts: 3,
                    latest: Some(taken_at),
                },
            }),
        },
    ] {
        assert!(update(&mut state, Msg::Refresh(event)).is_empty());
    }
    let effects = update(
        &mut state,
        Msg::Refresh(RefreshEvent::Finished { id, error: None }),
    );
    assert!(
        matches!(effects.first(), Some(Effect::Compare(_))),
        "{effects:?}"
    );
    let again = timeline_request(&effects[1..]);
    assert_eq!((again.env.as_str(), again.id > request.id), ("prod", true));
    assert_eq!(state.mode(), Mode::Timeline);
}
