//! The schema category in the explorer: facts grouped under a heading per table (or
//! other object), and a table's columns side by side in the diff pane.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tui_support;

use driftscope::tui::index::ListRow;
use driftscope::tui::{Action, Effect, Msg, Pane, State, update};
use tui_support::*;

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    update(state, Msg::Action(action))
}

/// What the facts pane lists: headings as `# label`, facts by key.
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

fn selected(state: &State) -> String {
    match state.selected_fact() {
        Some(f) => f.key.key.clone(),
        None => format!("# {}", state.selected_group().unwrap().label),
    }
}

/// Selects the row listed as `name` (see `listed`).
fn select(state: &mut State, name: &str) {
    let pos = listed(state)
        .iter()
        .position(|l| l == name)
        .unwrap_or_else(|| panic!("{name} is not listed: {:?}", listed(state)));
    state.fact_cursor_mut().selected = pos;
}

// ---- the grouped list ------------------------------------------------------------------

#[test]
fn drifting_schema_facts_are_grouped_under_their_table_worst_first() {
    let state = schema_state(120, 34);
    assert_eq!(
        listed(&state),
        [
            "# public.orders",
            "column:public.orders.refunded_at",
            "index:public.orders.orders_customer_id_idx",
            "column:public.orders.status",
            "column:public.orders.total_cents",
            "rows:public.orders",
            // A migration applied on one side only is critical, so the database's
            // group (worst: critical) comes before the enum's (worst: high).
            "# database",
            "migrations:rails",
            "extension:hstore",
            "# public.order_status",
            "enum:public.order_status",
            "# public.users",
            "column:public.users.locale",
        ]
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("Facts · schema · 9 drift"),
        "headings are not counted:\n{text}"
    );
}

#[test]
fn equal_facts_follow_the_drift_of_their_group_object_first() {
    let mut state = schema_state(120, 34);
    act(&mut state, Action::ToggleShowAll);
    let list = listed(&state);
    let users = list.iter().position(|l| l == "# public.users").unwrap();
    assert_eq!(
        &list[users..users + 6],
        [
            "# public.users",
            "column:public.users.locale",
            "table:public.users",
            "column:public.users.email",
            "column:public.users.id",
            "rows:public.users",
        ]
    );
    assert_eq!(list.last().unwrap(), "view:public.order_totals");
}

#[test]
fn keys_that_are_not_schema_keys_get_a_group_of_their_own() {
    let mut report = schema_report();
    let mut odd = report.facts[0].clone();
    odd.key.key = "migrations".into();
    report.facts.push(odd);
    let mut state = loaded_with(report, vec![1, 2], 120, 34, false);
    state.category_cursor.selected = 2;
    let list = listed(&state);
    let other = list.iter().position(|l| l == "# other").unwrap();
    assert_eq!(list[other + 1], "migrations");
}

// ---- moving around -------------------------------------------------------------------

#[test]
fn j_and_k_walk_through_headings_and_facts() {
    let mut state = schema_state(120, 34);
    assert_eq!(selected(&state), "# public.orders");
    act(&mut state, Action::SelectNext);
    assert_eq!(selected(&state), "column:public.orders.refunded_at");
    for _ in 0..5 {
        act(&mut state, Action::SelectNext);
    }
    assert_eq!(selected(&state), "# database");
    act(&mut state, Action::SelectPrev);
    assert_eq!(selected(&state), "rows:public.orders");
    act(&mut state, Action::SelectLast);
    assert_eq!(selected(&state), "column:public.users.locale");
}

#[test]
fn next_and_prev_drift_skip_the_headings() {
    let mut state = schema_state(120, 34);
    let mut seen = Vec::new();
    for _ in 0..10 {
        act(&mut state, Action::NextDrift);
        seen.push(selected(&state));
    }
    assert_eq!(
        &seen[..9],
        [
            "column:public.orders.refunded_at",
            "index:public.orders.orders_customer_id_idx",
            "column:public.orders.status",
            "column:public.orders.total_cents",
            "rows:public.orders",
            "migrations:rails",
            "extension:hstore",
            "enum:public.order_status",
            "column:public.users.locale",
        ]
    );
    assert_eq!(seen[9], seen[0], "wrapped around");
    act(&mut state, Action::PrevDrift);
    assert_eq!(selected(&state), "column:public.users.locale");
    act(&mut state, Action::PrevDrift);
    assert_eq!(
        selected(&state),
        "enum:public.order_status",
        "across a heading"
    );
}

#[test]
fn next_drift_skips_equal_facts_and_headings_when_all_are_shown() {
    let mut state = schema_state(120, 34);
    act(&mut state, Action::ToggleShowAll);
    select(&mut state, "rows:public.orders");
    act(&mut state, Action::NextDrift);
    assert_eq!(selected(&state), "migrations:rails");
}

#[test]
fn the_filter_keeps_the_headings_of_matching_facts() {
    let mut state = schema_state(120, 34);
    act(&mut state, Action::ToggleShowAll);
    act(&mut state, Action::StartFilter);
    for c in "refunded".chars() {
        press(&mut state, c);
    }
    assert_eq!(
        listed(&state),
        ["# public.orders", "column:public.orders.refunded_at"]
    );
    assert_eq!(selected(&state), "# public.orders");
    for _ in 0.."refunded".len() {
        press_code(&mut state, ratatui::crossterm::event::KeyCode::Backspace);
    }
    for c in "email".chars() {
        press(&mut state, c);
    }
    assert_eq!(
        listed(&state),
        ["# public.users", "column:public.users.email"]
    );
}

#[test]
fn filter_matches_are_highlighted_in_the_shortened_keys() {
    use driftscope::tui::theme::Role;
    let mut state = schema_state(120, 34);
    act(&mut state, Action::StartFilter);
    for c in "refund".chars() {
        press(&mut state, c);
    }
    let theme = driftscope::tui::Theme::default();
    let term = draw_with(&state, &theme);
    let lines = screen(&term);
    let y = lines
        .iter()
        .position(|l| l.contains("column refunded_at"))
        .unwrap();
    let start = lines[y][..lines[y].find("refunded_at").unwrap()]
        .chars()
        .count() as u16;
    let buffer = term.backend().buffer();
    let filter_fg = theme.style(Role::Filter).fg.unwrap();
    let lit: Vec<bool> = (0..8)
        .map(|i| buffer[(start + i, y as u16)].fg == filter_fg)
        .collect();
    assert_eq!(lit, [true, true, true, true, true, true, false, false]);
}

#[test]
fn the_selected_heading_survives_showing_all_facts() {
    let mut state = schema_state(120, 34);
    select(&mut state, "# public.users");
    act(&mut state, Action::ToggleShowAll);
    assert_eq!(selected(&state), "# public.users");
    act(&mut state, Action::ToggleShowAll);
    assert_eq!(selected(&state), "# public.users");
}

#[test]
fn drill_in_opens_a_table_heading_but_not_the_database_heading() {
    let mut state = schema_state(100, 30);
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Diff);
    state.focus = Pane::Facts;
    select(&mut state, "# database");
    act(&mut state, Action::DrillIn);
    assert_eq!(state.focus, Pane::Facts);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("database: 6 facts"), "{text}");
}

#[test]
fn the_diff_pane_scrolls_over_the_fact_and_its_table() {
    let mut state = schema_state(100, 16);
    act(&mut state, Action::ToggleShowAll);
    select(&mut state, "column:public.orders.status");
    state.focus = Pane::Diff;
    act(&mut state, Action::SelectLast);
    // 4 fields, a blank, the title and 5 columns; the pane shows fewer rows.
    let content = driftscope::tui::view::diffcontent::content(&state);
    assert_eq!(content.height(), 11);
    // At this width two columns' long defaults take two rows each.
    let content = content.rows_in(98);
    assert_eq!(content, 13);
    let last = state.diff.scroll;
    assert!(last > 0 && last < content, "scrolled to {last}");
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("refunded_at"),
        "the last column shows:\n{text}"
    );
    act(&mut state, Action::PageDown);
    assert_eq!(state.diff.scroll, last);
}

// ---- the table view ------------------------------------------------------------------

#[test]
fn grouped_list() {
    let mut state = schema_state(120, 34);
    act(&mut state, Action::ToggleShowAll);
    select(&mut state, "column:public.orders.status");
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn table_view() {
    let mut state = schema_state(100, 24);
    act(&mut state, Action::ToggleShowAll);
    act(&mut state, Action::DrillIn);
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn table_view_below_a_column() {
    let mut state = schema_state(100, 24);
    act(&mut state, Action::ToggleShowAll);
    select(&mut state, "column:public.orders.total_cents");
    state.focus = Pane::Diff;
    insta::assert_snapshot!(draw(&state).backend());
}

#[test]
fn changed_fields_are_highlighted_and_missing_columns_marked() {
    use driftscope::tui::theme::Role;
    let mut state = schema_state(160, 30);
    act(&mut state, Action::ToggleShowAll);
    act(&mut state, Action::DrillIn);
    let theme = driftscope::tui::Theme::default();
    let term = draw_with(&state, &theme);
    let lines = screen(&term);
    let buffer = term.backend().buffer();
    let style_of = |row: &str, text: &str| {
        let y = lines.iter().position(|l| l.contains(row)).unwrap();
        let x = lines[y][..lines[y].rfind(text).unwrap()].chars().count() as u16;
        buffer[(x, y as u16)].fg
    };
    let fg = |role: Role| theme.style(role).fg.unwrap_or(ratatui::style::Color::Reset);
    let changed = fg(Role::Changed);
    let plain = fg(Role::Text);
    // total_cents: staging lost NOT NULL and its default; the type is the same.
    assert_eq!(style_of("total_cents", "nullable"), changed);
    assert_eq!(style_of("total_cents", "no default"), changed);
    assert_eq!(style_of("total_cents", "integer nullable"), plain);
    // status: another type and default.
    assert_eq!(style_of("status", "character varying(20)"), changed);
    // refunded_at: absent from staging.
    assert_eq!(style_of("refunded_at", "absent"), fg(Role::Missing));
}

#[test]
fn the_drift_only_report_says_equal_columns_are_still_loading() {
    let mut drift_only = schema_report();
    drift_only.facts.retain(|f| f.is_drift());
    let mut state = schema_state(100, 24);
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![1, 2],
            result: Ok(std::sync::Arc::new(drift_only)),
            complete: false,
        },
    );
    act(&mut state, Action::DrillIn);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("equal columns are still loading"), "{text}");
    assert!(!text.contains("customer_id"), "{text}");
}

#[test]
fn every_terminal_size_draws_the_schema_views_without_panicking() {
    let mut states = Vec::new();
    for name in [
        "# public.orders",
        "column:public.orders.status",
        "# database",
    ] {
        for focus in [Pane::Facts, Pane::Diff] {
            let mut state = schema_state(100, 30);
            act(&mut state, Action::ToggleShowAll);
            select(&mut state, name);
            state.focus = focus;
            states.push(state);
        }
    }
    for width in (0..150).step_by(7) {
        for height in (0..40).step_by(3) {
            for state in &mut states {
                update(state, Msg::Resize(width, height));
                let term = draw(state);
                assert_eq!(term.backend().buffer().area.width, width);
            }
        }
    }
}
