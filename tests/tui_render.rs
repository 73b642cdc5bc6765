//! Snapshot tests of the explorer's main screens on a test terminal.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tui_support;

use driftscope::model::Category;
use driftscope::tui::{Action, Msg, Pane, update};
use tui_support::*;

fn go_to(state: &mut driftscope::tui::State, category: Category, key: &str) {
    let slot = Category::ALL.iter().position(|c| *c == category).unwrap();
    state.category_cursor.selected = slot;
    let pos = state
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
        .selected = pos;
    state.focus = Pane::Diff;
}

#[test]
fn overview() {
    let state = loaded_with(report(), vec![1, 2], 80, 24, true);
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn overview_wide() {
    let mut state = loaded(140, 30);
    go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    state.focus = Pane::Facts;
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn text_diff() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn version_diff() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Versions, "runtime.python");
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn redacted_value() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Config, "env.DATABASE_PASSWORD");
    let term = draw(&state);
    let text = screen(&term).join("\n");
    assert!(text.contains("differs"));
    assert!(!text.contains("aaaa1111") && !text.contains("bbbb2222"));
    insta::assert_snapshot!(term.backend());
}

#[test]
fn filter_active() {
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1;
    update(&mut state, Msg::Action(Action::StartFilter));
    for c in "ngx".chars() {
        press(&mut state, c);
    }
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn help() {
    let mut state = loaded(80, 24);
    update(&mut state, Msg::Action(Action::ToggleHelp));
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn small_terminal() {
    let mut state = loaded(50, 14);
    state.focus = Pane::Facts;
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn tiny_terminal() {
    let state = loaded(24, 6);
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn escape_sequences_from_snapshots_are_neutralised() {
    let mut state = loaded(200, 30);
    go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    let term = draw(&state);
    let buffer = term.backend().buffer();
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    let text = screen(&term).join("\n");
    assert!(text.contains("^[[2Jstaging^[]0;pwned^G"), "{text}");
}

#[test]
fn changed_characters_are_highlighted_within_the_line() {
    use driftscope::tui::theme::Role;
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    let theme = driftscope::tui::Theme::default();
    let term = draw_with(&state, &theme);
    let lines = screen(&term);
    let y = lines
        .iter()
        .position(|l| l.contains("worker_processes 8"))
        .unwrap();
    let x = lines[y].find("worker_processes 8").unwrap();
    // Byte offsets equal char offsets in this ASCII row, except for the border glyph.
    let col = lines[y][..x].chars().count() as u16;
    let buffer = term.backend().buffer();
    let digit = &buffer[(col + 17, y as u16)];
    assert_eq!(digit.symbol(), "8");
    assert_eq!(digit.style().bg, theme.style(Role::RemovedEmphasis).bg);
    let plain = &buffer[(col, y as u16)];
    assert_eq!(plain.style().fg, theme.style(Role::Removed).fg);
    assert_ne!(plain.style().bg, theme.style(Role::RemovedEmphasis).bg);
}

#[test]
fn set_members_show_added_and_removed() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Network, "resolvers");
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("+ 192.168.1.1"), "{text}");
    assert!(text.contains("- 10.0.0.3"), "{text}");
}

#[test]
fn records_show_field_by_field() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Schema, "column:public.users.email");
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn divergent_hosts_are_listed() {
    let mut state = loaded(80, 24);
    go_to(&mut state, Category::Infra, "memory.total");
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("stg-1:") && text.contains("stg-2:"), "{text}");
    assert!(text.contains("8 GiB"), "{text}");
}

#[test]
fn three_sides_text_diff_switches_the_other_side() {
    let mut state = loaded_with(report_three_sides(), vec![1, 0, 2], 100, 20, false);
    go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
    let first = screen(&draw(&state)).join("\n");
    assert!(first.contains("worker_processes 1;"), "{first}");
    update(&mut state, Msg::Action(Action::NextSide));
    let second = screen(&draw(&state)).join("\n");
    assert!(second.contains("worker_processes 2;"), "{second}");
    assert!(second.contains("prod ⇄ staging (2/2)"), "{second}");
}

#[test]
fn no_color_theme_draws_without_colors() {
    use ratatui::style::Color;
    let state = loaded(80, 24);
    let theme = driftscope::tui::Theme::resolve(None, true).unwrap();
    let term = draw_with(&state, &theme);
    for cell in term.backend().buffer().content() {
        assert!(matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset));
    }
}

#[test]
fn comparing_placeholder_before_the_report_arrives() {
    let mut state = driftscope::tui::State::new(
        workspace(true),
        driftscope::tui::Keymap::embedded().unwrap(),
        now(),
    );
    driftscope::tui::update::start(&mut state);
    update(&mut state, Msg::Resize(80, 24));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("comparing…"), "{text}");
}

#[test]
fn large_report_draws_only_visible_rows() {
    // 50,000 facts in one category: drawing must not depend on the list's length.
    let mut report = report();
    let template = report.facts[1].clone();
    for i in 0..50_000 {
        let mut f = template.clone();
        f.key.key = format!("pkg.{i:05}");
        report.facts.push(f);
    }
    let mut state = loaded_with(report, vec![1, 2], 80, 24, false);
    state.focus = Pane::Facts;
    update(&mut state, Msg::Action(Action::SelectLast));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("pkg.49999"), "{text}");
}

#[test]
fn every_terminal_size_draws_without_panicking() {
    let mut states = Vec::new();
    for focus in Pane::ALL {
        let mut state = loaded(80, 24);
        go_to(&mut state, Category::Config, "file:/etc/nginx/nginx.conf");
        state.focus = focus;
        states.push(state);
    }
    let mut help = loaded(80, 24);
    update(&mut help, Msg::Action(Action::ToggleHelp));
    states.push(help);
    let mut filtering = loaded(80, 24);
    update(&mut filtering, Msg::Action(Action::StartFilter));
    press(&mut filtering, 'x');
    states.push(filtering);
    for width in (0..150).step_by(3) {
        for height in (0..48).step_by(2) {
            for state in &mut states {
                update(state, Msg::Resize(width, height));
                let term = draw(state);
                assert_eq!(term.backend().buffer().area.width, width);
            }
        }
    }
}

#[test]
fn unreadable_snapshot_files_are_reported_in_the_header() {
    let mut info = workspace(false);
    info.problems = vec!["snapshots/prod/web-9/x.json: line 2, column 1: expected value".into()];
    let mut state =
        driftscope::tui::State::new(info, driftscope::tui::Keymap::embedded().unwrap(), now());
    update(&mut state, Msg::Resize(120, 24));
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("⚠ snapshots/prod/web-9/x.json: line 2"),
        "{text}"
    );
}

#[test]
fn empty_and_single_environment_workspaces_draw_a_hint() {
    for count in [0, 1] {
        let mut info = workspace(false);
        info.environments.truncate(count);
        let mut state =
            driftscope::tui::State::new(info, driftscope::tui::Keymap::embedded().unwrap(), now());
        let effects = driftscope::tui::update::start(&mut state);
        assert!(
            effects.is_empty(),
            "nothing to compare with {count} environments"
        );
        update(&mut state, Msg::Resize(80, 24));
        for action in [Action::SelectNext, Action::ToggleCompare, Action::NextDrift] {
            update(&mut state, Msg::Action(action));
        }
        let text = screen(&draw(&state)).join("\n");
        assert!(text.contains("choose"), "{count} environments:\n{text}");
    }
}

#[test]
fn filter_matches_are_highlighted_in_the_keys() {
    use driftscope::tui::theme::Role;
    let mut state = loaded(80, 24);
    state.category_cursor.selected = 1;
    update(&mut state, Msg::Action(Action::StartFilter));
    for c in "LOG".chars() {
        press(&mut state, c);
    }
    let theme = driftscope::tui::Theme::default();
    let term = draw_with(&state, &theme);
    let lines = screen(&term);
    let y = lines
        .iter()
        .position(|l| l.contains("env.LOG_LEVEL"))
        .unwrap();
    let x = lines[y][..lines[y].find("LOG_LEVEL").unwrap()]
        .chars()
        .count() as u16;
    let buffer = term.backend().buffer();
    let filter_fg = theme.style(Role::Filter).fg;
    let lit: Vec<bool> = (0..9)
        .map(|i| buffer[(x + i, y as u16)].fg == filter_fg.unwrap())
        .collect();
    assert_eq!(
        lit,
        [true, true, true, false, false, false, false, false, false]
    );
}
