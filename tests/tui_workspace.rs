//! The explorer on the embedded demo workspace, without a terminal: what it shows of the
//! workspace, and the comparisons its worker runs.

mod tui_support;

use std::sync::Arc;

use driftscope::tui::{
    Action, Keymap, Msg, Pane, State, compare_environments, update, workspace_info,
};

#[test]
fn demo_workspace_info_lists_environments_with_hosts_and_times() {
    let workspace = driftscope::demo::workspace();
    let info = workspace_info(&workspace);
    assert!(info.is_demo);
    let names: Vec<&str> = info.environments.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["dev", "prod", "staging"]);
    for env in &info.environments {
        assert!(env.hosts >= 1, "{} has no hosts", env.name);
        assert!(env.latest.is_some(), "{} has no snapshot time", env.name);
    }
}

#[test]
fn drift_only_and_complete_comparisons_agree_on_drift() {
    let workspace = driftscope::demo::workspace();
    let drift = compare_environments(&workspace, &["prod", "staging"], false).unwrap();
    let full = compare_environments(&workspace, &["prod", "staging"], true).unwrap();
    assert!(drift.drift_count() > 0);
    assert_eq!(drift.drift_count(), full.drift_count());
    assert!(drift.facts.iter().all(|f| f.is_drift()));
    assert!(full.facts.len() > drift.facts.len());
}

#[test]
fn unknown_environment_is_a_one_line_error() {
    let workspace = driftscope::demo::workspace();
    let err = compare_environments(&workspace, &["prod", "qa"], false).unwrap_err();
    assert!(err.contains("qa"), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn demo_reaches_a_config_file_text_diff_by_keys() {
    let workspace = driftscope::demo::workspace();
    let mut state = State::new(
        workspace_info(&workspace),
        Keymap::embedded().unwrap(),
        tui_support::now(),
    );
    let effects = driftscope::tui::update::start(&mut state);
    let [driftscope::tui::Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected a comparison request");
    };
    let sides: Vec<_> = request.sides.iter().map(|(_, s)| s.clone()).collect();
    assert_eq!(sides[0].to_string(), "prod", "prod is the baseline");
    let report = driftscope::tui::compare_sides(&workspace, &sides, true).unwrap();
    update(&mut state, Msg::Resize(120, 40));
    update(
        &mut state,
        Msg::Compared {
            generation: request.generation,
            side_envs: request.sides.iter().map(|(i, _)| *i).collect(),
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
    update(&mut state, Msg::Action(Action::FocusNextPane));
    update(&mut state, Msg::Action(Action::SelectNext));
    update(&mut state, Msg::Action(Action::DrillIn));
    update(&mut state, Msg::Action(Action::StartFilter));
    for c in "nginx/nginx".chars() {
        tui_support::press(&mut state, c);
    }
    tui_support::press_code(&mut state, ratatui::crossterm::event::KeyCode::Enter);
    update(&mut state, Msg::Action(Action::DrillIn));
    assert_eq!(state.focus, Pane::Diff);
    let text = tui_support::screen(&tui_support::draw(&state)).join("\n");
    assert!(
        text.contains("› config › file:/etc/nginx/nginx.conf"),
        "{text}"
    );
    assert!(text.contains("worker_processes"), "{text}");
}
