//! Unit tests of the pure `update` function: every action, and every message kind.

mod tui_support;

use std::sync::Arc;

use driftscope::model::Category;
use driftscope::tui::state::CompareStatus;
use driftscope::tui::{Action, Effect, Mode, Msg, Pane, State, update};
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_support::*;

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    update(state, Msg::Action(action))
}

fn selected_key(state: &State) -> Option<String> {
    state.selected_fact().map(|f| f.key.to_string())
}

fn big(width: u16, height: u16) -> State {
    let mut report = report();
    let template = report.facts[1].clone();
    for i in 0..1000 {
        let mut f = template.clone();
        f.key.key = format!("pkg.{i:04}");
        report.facts.push(f);
    }
    let mut state = loaded_with(report, vec![1, 2], width, height, false);
    state.focus = Pane::Facts;
    state
}

#[test]
fn quit_sets_the_quit_flag() {
    let mut state = loaded(80, 24);
    assert!(!state.quit);
    press(&mut state, 'q');
    assert!(state.quit);
}

#[test]
fn toggle_help_opens_and_closes_and_q_closes_help_first() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::ToggleHelp);
    assert_eq!(state.mode(), Mode::Help);
    act(&mut state, Action::ToggleHelp);
    assert_eq!(state.mode(), Mode::Browse);
    press(&mut state, '?');
    press(&mut state, 'q');
    assert_eq!(state.mode(), Mode::Browse);
    assert!(!state.quit);
}

#[test]
fn help_scrolls_with_the_movement_keys() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::ToggleHelp);
    act(&mut state, Action::SelectNext);
    act(&mut state, Action::SelectNext);
    assert_eq!(state.help_scroll(), Some(2));
    act(&mut state, Action::SelectFirst);
    assert_eq!(state.help_scroll(), Some(0));
}

#[test]
fn focus_next_and_prev_pane_cycle() {
    let mut state = loaded(80, 24);
    assert_eq!(state.focus, Pane::Environments);
    act(&mut state, Action::FocusNextPane);
    assert_eq!(state.focus, Pane::Categories);
    act(&mut state, Action::FocusPrevPane);
    act(&mut state, Action::FocusPrevPane);
    assert_eq!(state.focus, Pane::Diff);
    press_code(&mut state, KeyCode::Tab);
    assert_eq!(state.focus, Pane::Environments);
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(state.focus, Pane::Diff);
}

#[test]
fn select_next_and_prev_move_within_bounds() {
    let mut state = loaded(80, 24);
    state.env_cursor.selected = 0;
    act(&mut state, Action::SelectNext);
    assert_eq!(state.env_cursor.selected, 1);
    press(&mut state, 'j');
    press(&mut state, 'j');
    assert_eq!(
        state.env_cursor.selected, 2,
        "stops at the last environment"
    );
    act(&mut state, Action::SelectPrev);
    press(&mut state, 'k');
    press(&mut state, 'k');
    assert_eq!(state.env_cursor.selected, 0);
}

#[test]
fn select_first_and_last_jump_to_the_ends() {
    let mut state = big(80, 24);
    act(&mut state, Action::SelectLast);
    assert_eq!(state.fact_cursor().selected, state.visible_rows().len() - 1);
    assert!(
        state.fact_cursor().offset > 0,
        "the list scrolled to show it"
    );
    press(&mut state, 'g');
    assert_eq!(state.fact_cursor().selected, 0);
    assert_eq!(state.fact_cursor().offset, 0);
}

#[test]
fn page_down_and_up_move_by_a_page() {
    let mut state = big(80, 24);
    act(&mut state, Action::PageDown);
    let page = state.fact_cursor().selected;
    assert!(page >= 5, "moved a page, got {page}");
    act(&mut state, Action::PageDown);
    assert_eq!(state.fact_cursor().selected, 2 * page);
    act(&mut state, Action::PageUp);
    assert_eq!(state.fact_cursor().selected, page);
}

#[test]
fn drill_in_goes_one_pane_deeper() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Categories);
    press_code(&mut state, KeyCode::Enter);
    assert_eq!(state.focus, Pane::Facts);
    press(&mut state, 'l');
    assert_eq!(state.focus, Pane::Diff);
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Diff, "nothing deeper than the diff");
}

#[test]
fn drill_in_needs_a_fact_to_open_the_diff() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Facts;
    act(&mut state, Action::StartFilter);
    for c in "zzzz".chars() {
        press(&mut state, c);
    }
    press_code(&mut state, KeyCode::Enter);
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Facts);
}

#[test]
fn back_goes_one_pane_up_and_clears_a_filter_first() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Diff;
    act(&mut state, Action::Back);
    assert_eq!(state.focus, Pane::Facts);
    state.filter = driftscope::tui::input::TextInput::new("py");
    act(&mut state, Action::Back);
    assert_eq!((state.focus, state.filter.value()), (Pane::Facts, ""));
    press(&mut state, 'h');
    assert_eq!(state.focus, Pane::Categories);
    press_code(&mut state, KeyCode::Esc);
    assert_eq!(state.focus, Pane::Environments);
    act(&mut state, Action::Back);
    assert_eq!(state.focus, Pane::Environments);
}

#[test]
fn next_drift_walks_across_categories_and_wraps() {
    let mut state = loaded(80, 24);
    let mut seen = Vec::new();
    for _ in 0..10 {
        act(&mut state, Action::NextDrift);
        seen.push(selected_key(&state).unwrap());
    }
    assert_eq!(state.focus, Pane::Facts);
    assert_eq!(
        &seen[..9],
        &[
            "versions/lib.openssl",
            "config/file:/etc/nginx/nginx.conf",
            "config/env.DATABASE_PASSWORD",
            "config/env.LOG_LEVEL",
            "schema/column:public.users.email",
            "network/resolvers",
            "infra/memory.total",
            "services/unit:nginx.service",
            "versions/runtime.python",
        ]
    );
    assert_eq!(seen[9], "versions/lib.openssl", "wrapped around");
}

#[test]
fn prev_drift_walks_backwards_and_wraps() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::PrevDrift);
    assert_eq!(selected_key(&state).unwrap(), "services/unit:nginx.service");
    press(&mut state, 'N');
    assert_eq!(selected_key(&state).unwrap(), "infra/memory.total");
}

#[test]
fn next_drift_skips_equal_facts_when_all_are_shown() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::ToggleShowAll);
    state.focus = Pane::Facts;
    state.category_cursor.selected = 0;
    act(&mut state, Action::SelectLast);
    let keys: Vec<_> = (0..3)
        .map(|_| {
            act(&mut state, Action::NextDrift);
            selected_key(&state).unwrap()
        })
        .collect();
    assert!(
        keys.iter()
            .all(|k| !k.contains("os.kernel") && !k.contains("env.TZ"))
    );
}

#[test]
fn next_drift_in_the_diff_pane_keeps_the_diff_focused() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Diff;
    act(&mut state, Action::NextDrift);
    assert_eq!(state.focus, Pane::Diff);
}

#[test]
fn start_filter_narrows_incrementally_and_enter_keeps_it() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1; // config
    press(&mut state, '/');
    assert_eq!((state.mode(), state.focus), (Mode::Filter, Pane::Facts));
    press(&mut state, 'l');
    press(&mut state, 'o');
    press(&mut state, 'g');
    assert_eq!(state.filter.value(), "log");
    assert_eq!(state.visible_rows().len(), 1);
    assert_eq!(selected_key(&state).unwrap(), "config/env.LOG_LEVEL");
    press_code(&mut state, KeyCode::Backspace);
    assert_eq!(state.filter.value(), "lo");
    press_code(&mut state, KeyCode::Enter);
    assert_eq!(state.mode(), Mode::Browse);
    assert_eq!(state.filter.value(), "lo");
    // Letters are actions again once the filter is kept.
    press(&mut state, 'q');
    assert!(state.quit);
}

#[test]
fn esc_in_the_filter_clears_it() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1;
    press(&mut state, '/');
    press(&mut state, 'x');
    press_code(&mut state, KeyCode::Esc);
    assert_eq!((state.mode(), state.filter.value()), (Mode::Browse, ""));
    assert_eq!(state.visible_rows().len(), 3);
}

#[test]
fn toggle_show_all_adds_equal_facts_and_keeps_the_selection() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1;
    state
        .fact_cursors
        .get_mut(driftscope::model::Category::ALL[1])
        .selected = 2; // env.LOG_LEVEL
    let before = selected_key(&state);
    assert_eq!(state.visible_rows().len(), 3);
    act(&mut state, Action::ToggleShowAll);
    assert!(state.show_all);
    assert_eq!(state.visible_rows().len(), 5);
    assert_eq!(selected_key(&state), before);
    press(&mut state, 'a');
    assert_eq!(state.visible_rows().len(), 3);
}

#[test]
fn toggle_compare_adds_and_removes_environments() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Environments;
    state.env_cursor.selected = 0; // dev
    let effects = act(&mut state, Action::ToggleCompare);
    assert_eq!(state.selection.others, vec![0, 2]);
    assert_eq!(state.status, CompareStatus::Running);
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected one compare request, got {effects:?}");
    };
    let names: Vec<String> = request.sides.iter().map(|(_, n)| n.to_string()).collect();
    assert_eq!(names, ["prod", "dev", "staging"]);
    assert_eq!(request.generation, state.generation);
    press(&mut state, ' ');
    assert_eq!(state.selection.others, vec![2]);
}

#[test]
fn toggle_compare_keeps_at_least_two_sides_and_the_baseline() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Environments;
    state.env_cursor.selected = 2; // staging, the only other
    assert!(act(&mut state, Action::ToggleCompare).is_empty());
    assert_eq!(state.selection.others, vec![2]);
    assert!(state.notice.is_some());
    state.env_cursor.selected = 1; // prod, the baseline
    assert!(act(&mut state, Action::ToggleCompare).is_empty());
    assert!(state.selection.contains(1));
}

#[test]
fn toggle_compare_only_works_in_the_environments_pane() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Facts;
    state.env_cursor.selected = 0;
    assert!(act(&mut state, Action::ToggleCompare).is_empty());
    assert_eq!(state.selection.others, vec![2]);
}

#[test]
fn set_baseline_swaps_the_baseline_and_asks_for_a_comparison() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Environments;
    state.env_cursor.selected = 2; // staging
    let effects = act(&mut state, Action::SetBaseline);
    assert_eq!(state.selection.baseline, 2);
    assert_eq!(state.selection.others, vec![1]);
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected one compare request");
    };
    assert_eq!(request.sides[0].1.to_string(), "staging");
    let others: Vec<(usize, String)> = request
        .others
        .iter()
        .map(|(i, s)| (*i, s.to_string()))
        .collect();
    assert_eq!(others, vec![(0, "dev".to_string())]);
}

#[test]
fn next_and_prev_side_cycle_through_the_other_sides() {
    let mut state = loaded_with(report_three_sides(), vec![1, 0, 2], 100, 20, false);
    assert_eq!(state.other_side(), 1);
    act(&mut state, Action::NextSide);
    assert_eq!(state.other_side(), 2);
    press(&mut state, ']');
    assert_eq!(state.other_side(), 1);
    act(&mut state, Action::PrevSide);
    assert_eq!(state.other_side(), 2);
}

#[test]
fn next_side_does_nothing_with_two_sides() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::NextSide);
    assert_eq!(state.other_side(), 1);
}

#[test]
fn scroll_left_and_right_move_the_diff_horizontally() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::ScrollRight);
    press(&mut state, '>');
    assert_eq!(state.diff.hscroll, 16);
    act(&mut state, Action::ScrollLeft);
    assert_eq!(state.diff.hscroll, 8);
    act(&mut state, Action::ScrollLeft);
    act(&mut state, Action::ScrollLeft);
    assert_eq!(state.diff.hscroll, 0);
}

#[test]
fn diff_scroll_stops_at_the_end_of_the_content() {
    let mut text = String::new();
    for i in 0..100 {
        text.push_str(&format!("line {i}\n"));
    }
    let mut report = report();
    report.facts[2].comparisons.clear();
    report.facts[2].cells = vec![
        driftscope::diff::Cell::Present {
            value: driftscope::model::Value::Text(text.clone()),
        };
        2
    ];
    let mut state = loaded_with(report, vec![1, 2], 80, 24, false);
    state.category_cursor.selected = 1;
    state.focus = Pane::Diff;
    act(&mut state, Action::SelectNext);
    assert_eq!(state.diff.scroll, 1);
    act(&mut state, Action::SelectLast);
    let last = state.diff.scroll;
    assert!(last > 70 && last < 100, "scrolled to {last}");
    act(&mut state, Action::PageDown);
    assert_eq!(state.diff.scroll, last);
}

#[test]
fn stale_comparisons_are_ignored() {
    let mut state = loaded(80, 24);
    let old = state.generation;
    state.focus = Pane::Environments;
    state.env_cursor.selected = 0;
    act(&mut state, Action::ToggleCompare);
    update(
        &mut state,
        Msg::Compared {
            generation: old,
            side_envs: vec![1, 2],
            result: Err("late".into()),
            complete: true,
        },
    );
    assert_eq!(state.status, CompareStatus::Running);
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![1, 0, 2],
            result: Ok(Arc::new(report_three_sides())),
            complete: true,
        },
    );
    assert_eq!(state.status, CompareStatus::Ready);
    assert_eq!(state.report().unwrap().sides.len(), 3);
}

#[test]
fn failed_comparisons_are_reported() {
    let mut state = loaded(80, 24);
    state.focus = Pane::Environments;
    state.env_cursor.selected = 2;
    act(&mut state, Action::SetBaseline);
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![2, 1],
            result: Err("snapshots/prod/web-1.json: line 3: bad".into()),
            complete: true,
        },
    );
    assert!(matches!(&state.status, CompareStatus::Failed(m) if m.contains("web-1.json")));
}

#[test]
fn env_drift_counts_arrive_per_environment() {
    let mut state = loaded(80, 24);
    assert_eq!(state.env_drift, vec![None, Some(0), Some(9)]);
    let generation = state.generation;
    update(
        &mut state,
        Msg::EnvDrift {
            generation,
            env: 0,
            drift: 42,
        },
    );
    update(
        &mut state,
        Msg::EnvDrift {
            generation: generation - 1,
            env: 0,
            drift: 7,
        },
    );
    assert_eq!(state.env_drift[0], Some(42));
}

#[test]
fn resize_keeps_the_selection_visible() {
    let mut state = big(80, 40);
    for _ in 0..30 {
        act(&mut state, Action::SelectNext);
    }
    update(&mut state, Msg::Resize(80, 24));
    assert_eq!(state.area.height, 24);
    let cursor = state.fact_cursor();
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    let height = layout.list_height(Pane::Facts, &state);
    assert!(cursor.offset <= cursor.selected && cursor.selected < cursor.offset + height);
}

#[test]
fn tick_updates_the_clock() {
    let mut state = loaded(80, 24);
    update(&mut state, Msg::Tick(at(21, 0, 0)));
    assert_eq!(state.now, at(21, 0, 0));
}

#[test]
fn key_releases_are_ignored() {
    let mut state = loaded(80, 24);
    let mut key = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    key.kind = KeyEventKind::Release;
    update(&mut state, Msg::Key(key));
    assert!(!state.quit);
}

#[test]
fn unbound_keys_do_nothing() {
    let mut state = loaded(80, 24);
    let before = (state.focus, state.env_cursor, state.mode());
    press(&mut state, 'Z');
    assert_eq!(before, (state.focus, state.env_cursor, state.mode()));
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
fn click_focuses_a_pane_and_selects_the_row() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1;
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    let list = layout.list(Pane::Facts, &state).unwrap();
    update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            list.x + 3,
            list.y + 2,
        ),
    );
    assert_eq!(state.focus, Pane::Facts);
    assert_eq!(state.fact_cursor().selected, 2);
    let cats = layout.list(Pane::Categories, &state).unwrap();
    update(
        &mut state,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            cats.x + 1,
            cats.y + 3,
        ),
    );
    assert_eq!(state.focus, Pane::Categories);
    assert_eq!(state.category(), Category::Network);
}

#[test]
fn wheel_scrolls_the_pane_under_the_pointer() {
    let mut state = big(80, 24);
    state.focus = Pane::Environments;
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    let facts = layout.pane(Pane::Facts).unwrap();
    update(
        &mut state,
        mouse(MouseEventKind::ScrollDown, facts.x + 2, facts.y + 2),
    );
    assert_eq!(state.fact_cursor().selected, 3);
    assert_eq!(
        state.focus,
        Pane::Environments,
        "the wheel does not move the focus"
    );
    update(
        &mut state,
        mouse(MouseEventKind::ScrollUp, facts.x + 2, facts.y + 2),
    );
    assert_eq!(state.fact_cursor().selected, 0);
}

#[test]
fn start_picks_prod_as_baseline_and_requests_a_comparison() {
    let mut state = State::new(
        workspace(true),
        driftscope::tui::Keymap::embedded().unwrap(),
        now(),
    );
    assert_eq!(state.selection.baseline, 1);
    let effects = driftscope::tui::update::start(&mut state);
    assert_eq!(effects.len(), 1);
    assert_eq!(state.status, CompareStatus::Running);
}

#[test]
fn help_scroll_stops_at_the_last_line() {
    let mut state = loaded(80, 24);
    act(&mut state, Action::ToggleHelp);
    act(&mut state, Action::SelectLast);
    let last = state.help_scroll().unwrap();
    assert!(last > 0);
    act(&mut state, Action::SelectNext);
    assert_eq!(state.help_scroll(), Some(last));
    act(&mut state, Action::SelectPrev);
    assert_eq!(state.help_scroll(), Some(last - 1));
}

#[test]
fn the_complete_report_replaces_the_drift_only_one_and_keeps_the_selection() {
    let mut drift_only = report();
    drift_only.facts.retain(|f| f.is_drift());
    let mut state = State::new(
        workspace(false),
        driftscope::tui::Keymap::embedded().unwrap(),
        now(),
    );
    state.selection.baseline = 1;
    state.selection.others = vec![2];
    driftscope::tui::update::start(&mut state);
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![1, 2],
            result: Ok(Arc::new(drift_only)),
            complete: false,
        },
    );
    state.category_cursor.selected = 1;
    state
        .fact_cursors
        .get_mut(driftscope::model::Category::ALL[1])
        .selected = 2;
    act(&mut state, Action::ToggleShowAll);
    assert_eq!(state.visible_rows().len(), 3, "equal facts not there yet");
    let before = selected_key(&state);
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![1, 2],
            result: Ok(Arc::new(report())),
            complete: true,
        },
    );
    assert!(state.loaded.as_ref().unwrap().complete);
    assert_eq!(state.visible_rows().len(), 5);
    assert_eq!(selected_key(&state), before);
}

// ---- overlays, text input and the viewport --------------------------------------------

fn press_with(state: &mut State, code: KeyCode, modifiers: KeyModifiers) {
    update(state, Msg::Key(KeyEvent::new(code, modifiers)));
}

#[test]
fn the_filter_edits_at_its_cursor_and_ctrl_w_deletes_a_word() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1; // config
    press(&mut state, '/');
    for c in "env log".chars() {
        press(&mut state, c);
    }
    press_with(&mut state, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(state.filter.value(), "env ");
    press_code(&mut state, KeyCode::Home);
    press(&mut state, 'x');
    assert_eq!(state.filter.value(), "xenv ");
    assert_eq!(state.filter.cursor(), 1, "typed at the cursor");
    press_code(&mut state, KeyCode::Delete);
    assert_eq!(state.filter.value(), "xnv ");
    assert_eq!(
        state.mode(),
        Mode::Filter,
        "editing keys keep the filter open"
    );
}

#[test]
fn a_key_outside_the_text_sections_ends_the_filter_and_acts_in_the_panes() {
    let mut state = loaded(80, 24);
    press(&mut state, '/');
    press(&mut state, 'l');
    press_code(&mut state, KeyCode::Tab);
    assert_eq!(state.mode(), Mode::Browse);
    assert_eq!(state.filter.value(), "l", "the filter is kept");
    assert_eq!(state.focus, Pane::Diff, "tab focused the next pane");
}

#[test]
fn text_editing_keys_are_rebindable_and_ctrl_c_follows_the_quit_binding() {
    let keymap = driftscope::tui::Keymap::embedded()
        .unwrap()
        .with_overrides(
            "[keys]\nctrl-c = \"unbind\"\nctrl-q = \"quit\"\n[input]\nctrl-h = \"delete_prev_word\"\n",
            "test keymap",
        )
        .unwrap();
    let mut state = loaded(80, 24);
    state.keymap = keymap;
    press(&mut state, '/');
    for c in "env log".chars() {
        press(&mut state, c);
    }
    press_with(&mut state, KeyCode::Char('h'), KeyModifiers::CONTROL);
    assert_eq!(state.filter.value(), "env ");
    press_with(&mut state, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!state.quit, "ctrl-c is unbound");
    press_with(&mut state, KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert!(state.quit);
}

#[test]
fn help_opens_over_a_history_and_closing_it_returns_there() {
    let mut state = loaded(100, 30);
    state.focus = Pane::Facts;
    act(&mut state, Action::FactHistory);
    assert_eq!(state.mode(), Mode::History);
    act(&mut state, Action::ToggleHelp);
    assert_eq!(state.mode(), Mode::Help);
    assert!(
        state.fact_history().is_some(),
        "the history stays open below"
    );
    act(&mut state, Action::Quit);
    assert_eq!(state.mode(), Mode::History, "quit closes the help only");
    act(&mut state, Action::Quit);
    assert_eq!(state.mode(), Mode::Browse, "and then the history");
    assert!(!state.quit);
}

#[test]
fn an_overlay_of_a_kind_opens_once() {
    use driftscope::tui::help::HelpView;
    use driftscope::tui::overlay::Overlay;
    let mut state = loaded(80, 24);
    state.overlays.push(Overlay::Help(HelpView { scroll: 3 }));
    state.overlays.push(Overlay::Filter);
    state.overlays.push(Overlay::Help(HelpView::default()));
    let kinds: Vec<Mode> = state.overlays.iter().map(Overlay::mode).collect();
    assert_eq!(kinds, [Mode::Filter, Mode::Help]);
    assert_eq!(state.help_scroll(), Some(0));
}

#[test]
fn the_viewport_is_the_layout_of_the_state_after_every_update() {
    use driftscope::tui::layout::AppLayout;
    let mut state = big(100, 30);
    for msg in [
        Msg::Action(Action::SelectLast),
        Msg::Resize(60, 12),
        Msg::Action(Action::ToggleHelp),
        Msg::Action(Action::PageDown),
        Msg::Resize(140, 40),
        Msg::Action(Action::Back),
        Msg::Action(Action::StartFilter),
    ] {
        update(&mut state, msg);
        assert_eq!(state.viewport, AppLayout::compute(state.area, &state));
        let cursor = state.fact_cursor();
        let height = state.viewport.list_height(Pane::Facts, &state);
        assert!(
            cursor.selected >= cursor.offset && cursor.selected < cursor.offset + height,
            "the selection shows: {cursor:?} in {height} rows"
        );
    }
}

#[test]
fn environments_never_collected_are_left_out_of_comparisons_and_refreshed_by_r() {
    use driftscope::tui::{EnvSummary, Keymap, WorkspaceInfo};
    let info = WorkspaceInfo {
        name: "fresh".into(),
        is_demo: false,
        environments: ["dev", "prod", "staging"]
            .into_iter()
            .map(|name| EnvSummary {
                name: name.into(),
                hosts: usize::from(name != "prod"),
                latest: (name != "prod").then(now),
            })
            .collect(),
        problems: Vec::new(),
        sides: Vec::new(),
    };
    let mut state = State::new(info, Keymap::embedded().unwrap(), now());
    let effects = driftscope::tui::update::start(&mut state);
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected one comparison, got {effects:?}");
    };
    let sides: Vec<(usize, String)> = request
        .sides
        .iter()
        .map(|(i, s)| (*i, s.to_string()))
        .collect();
    assert_eq!(sides, [(0, "dev".to_string()), (2, "staging".to_string())]);
    assert_eq!(
        state.selection.baseline, 1,
        "prod stays the chosen baseline"
    );
    let effects = act(&mut state, Action::Refresh);
    let [Effect::Refresh(refresh)] = effects.as_slice() else {
        panic!("expected a refresh, got {effects:?}");
    };
    assert_eq!(refresh.environments, ["prod", "dev", "staging"]);
}

#[test]
fn next_hunk_jumps_between_the_changes_of_a_text_diff_and_wraps() {
    // Short enough that the diff pane scrolls (the whole text is five rows).
    let mut state = loaded(120, 11);
    act(&mut state, Action::NextDrift);
    act(&mut state, Action::NextDrift);
    assert_eq!(
        selected_key(&state).unwrap(),
        "config/file:/etc/nginx/nginx.conf"
    );
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Diff);
    let max = driftscope::tui::viewport::diff_max_scroll(&state);
    assert!(max > 0, "the pane is shorter than the text");
    // Rows: equal, changed, changed, equal, added: two hunks, at rows 1 and 4.
    press(&mut state, '}');
    assert_eq!(state.diff.scroll, 0, "row 1 with its context above");
    assert_eq!(state.notice.as_deref(), Some("change 1 of 2"));
    press(&mut state, '}');
    assert_eq!(
        state.diff.scroll,
        2.min(max),
        "row 4, two rows of context above"
    );
    assert_eq!(state.notice.as_deref(), Some("change 2 of 2"));
    press(&mut state, '}');
    assert_eq!(
        state.notice.as_deref(),
        Some("change 1 of 2"),
        "wrapped around"
    );
    press(&mut state, '{');
    assert_eq!(state.notice.as_deref(), Some("change 2 of 2"));
}

#[test]
fn next_hunk_outside_a_text_diff_says_so() {
    let mut state = loaded(120, 40);
    act(&mut state, Action::NextDrift);
    assert_eq!(selected_key(&state).unwrap(), "versions/lib.openssl");
    press(&mut state, '}');
    assert_eq!(
        state.notice.as_deref(),
        Some("changes are jumped to in text diffs")
    );
}

#[test]
fn the_filter_searches_every_category_and_goes_where_the_matches_are() {
    let mut state = loaded(120, 40);
    assert_eq!(state.category(), Category::Versions);
    press(&mut state, '/');
    for c in "LOG_LEVEL".chars() {
        press(&mut state, c);
    }
    assert_eq!(state.category(), Category::Versions, "typing stays put");
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("0 match · elsewhere: config"), "{text}");
    press_code(&mut state, KeyCode::Enter);
    assert_eq!(
        state.category(),
        Category::Config,
        "keeping it goes to the match"
    );
    assert_eq!(selected_key(&state).unwrap(), "config/env.LOG_LEVEL");
    // Another match in the category shown keeps it; the others are named.
    let mut state = loaded(120, 40);
    press(&mut state, '/');
    for c in "nginx".chars() {
        press(&mut state, c);
    }
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("elsewhere:"), "{text}");
}

#[test]
fn the_filter_takes_regular_expressions_and_negation() {
    let mut state = loaded(120, 40);
    state.category_cursor.selected = 1; // config
    press(&mut state, '/');
    for c in "/^env\\.(log|database)_/".chars() {
        press(&mut state, c);
    }
    let keys: Vec<String> = state
        .visible_rows()
        .iter()
        .filter_map(|r| r.fact())
        .map(|r| state.report().unwrap().facts[r as usize].key.key.clone())
        .collect();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.iter().all(|k| k.starts_with("env.")), "{keys:?}");
    press_with(&mut state, KeyCode::Char('u'), KeyModifiers::CONTROL);
    for c in "!env.".chars() {
        press(&mut state, c);
    }
    let keys: Vec<String> = state
        .visible_rows()
        .iter()
        .filter_map(|r| r.fact())
        .map(|r| state.report().unwrap().facts[r as usize].key.key.clone())
        .collect();
    assert_eq!(keys, ["file:/etc/nginx/nginx.conf"]);
}
