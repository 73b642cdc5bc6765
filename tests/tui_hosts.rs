//! The hosts overlay on a test terminal: two environments of 40 hosts each (two outlier
//! hosts apiece); the diff pane summarises a wide side, `o` ranks an environment's hosts
//! worst first, `enter` compares one with its peers, `esc` goes back, then closes; and in
//! tmux, the real binary driven like a person on a workspace of 60-host environments.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod tmux_support;
mod tui_support;

use std::path::Path;
use std::sync::Arc;

use driftscope::config::Config;
use driftscope::demo::wide::{WideShape, environments, host_name, outlier_numbers};
use driftscope::model::Category;
use driftscope::store::Workspace;
use driftscope::tui::hosts::{HostsAnswer, HostsRequest};
use driftscope::tui::hosts_worker::hosts_answer;
use driftscope::tui::{Action, Effect, Keymap, Mode, Msg, Pane, State, update, workspace_info};
use ratatui::crossterm::event::KeyCode;
use tmux_support::{Tmux, can_run, shell_quote};
use tui_support::{draw, now, press_code, screen};

const SHAPE: WideShape = WideShape {
    hosts: 40,
    facts: 60,
    drift_percent: 0,
    outliers: 2,
    strays: 3,
};

fn wide_workspace(shape: WideShape) -> Workspace {
    let (staging, prod) = environments(shape, 3);
    let mut all = staging;
    all.extend(prod);
    Workspace::in_memory(Config::default(), all, Vec::new(), Vec::new())
}

/// The explorer on `ws`, staging against prod, the comparison made as the worker does.
fn explorer(ws: &Workspace) -> State {
    let mut state = State::new(workspace_info(ws), Keymap::embedded().unwrap(), now());
    update(&mut state, Msg::Resize(120, 30));
    let effects = driftscope::tui::update::start(&mut state);
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected one comparison, got {effects:?}");
    };
    let sides: Vec<_> = request.sides.iter().map(|(_, s)| s.clone()).collect();
    let report = driftscope::tui::compare_sides(ws, &sides, false).unwrap();
    update(
        &mut state,
        Msg::Compared {
            generation: request.generation,
            side_envs: request.sides.iter().map(|(i, _)| *i).collect(),
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
    state
}

fn hosts_request(effects: &[Effect]) -> HostsRequest {
    match effects {
        [Effect::Hosts(request)] => request.clone(),
        other => panic!("expected one hosts request, got {other:?}"),
    }
}

/// Opens the hosts of `env` from the environments pane.
fn open_hosts(state: &mut State, env: &str) -> HostsRequest {
    state.focus = Pane::Environments;
    state.env_cursor.selected = state
        .workspace
        .environments
        .iter()
        .position(|e| e.name == env)
        .unwrap();
    hosts_request(&update(state, Msg::Action(Action::OpenHosts)))
}

#[test]
fn the_diff_pane_reads_a_wide_side_as_its_majority_and_its_strays() {
    let ws = wide_workspace(SHAPE);
    let mut state = explorer(&ws);
    let slot = Category::ALL
        .iter()
        .position(|c| *c == Category::Versions)
        .unwrap();
    state.category_cursor.selected = slot;
    state.fact_cursors.get_mut(Category::Versions).selected = 0;
    state.focus = Pane::Diff;
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("40 hosts, 3 values"), "{text}");
    assert!(text.contains("38 of 40 hosts:"), "{text}");
    assert!(text.contains("prod-web-11:"), "{text}");
    assert!(!text.contains("prod-web-1, prod-web-2"), "{text}");
}

#[test]
fn every_host_is_listed_on_demand_one_per_row() {
    let ws = wide_workspace(SHAPE);
    let mut state = explorer(&ws);
    let slot = Category::ALL
        .iter()
        .position(|c| *c == Category::Versions)
        .unwrap();
    state.category_cursor.selected = slot;
    state.fact_cursors.get_mut(Category::Versions).selected = 0;
    state.focus = Pane::Diff;
    update(&mut state, Msg::Action(Action::ToggleAllHosts));
    let rows = screen(&draw(&state));
    let text = rows.join("\n");
    assert!(text.contains("38 hosts:"), "{text}");
    assert!(!text.contains("38 of 40 hosts:"), "{text}");
    let listed = |name: &str| rows.iter().any(|r| r.contains(&format!("    {name} ")));
    assert!(listed("prod-web-1") && listed("prod-web-10"), "{text}");
    // Scrolled to the end, the last majority host and the strays are there too.
    for _ in 0..60 {
        update(&mut state, Msg::Action(Action::SelectNext));
    }
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("    prod-web-9 "), "{text}");
    assert!(text.contains("    prod-web-18 "), "{text}");
    update(&mut state, Msg::Action(Action::ToggleAllHosts));
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("38 of 40 hosts:"),
        "back to the summary: {text}"
    );
}

#[test]
fn hosts_rank_the_outliers_then_one_is_compared_with_its_peers() {
    let ws = wide_workspace(SHAPE);
    let mut state = explorer(&ws);
    let request = open_hosts(&mut state, "prod");
    assert_eq!(request.env, "prod");
    assert_eq!(request.host, None);
    assert_eq!(state.mode(), Mode::Hosts);
    let loading = screen(&draw(&state)).join("\n");
    assert!(loading.contains("ranking the hosts of prod…"), "{loading}");

    let mut loaded = None;
    update(&mut state, hosts_answer(&ws, &mut loaded, &request));
    insta::assert_snapshot!("hosts_ranking", draw(&state).backend());
    let worst = host_name("prod", outlier_numbers(SHAPE)[0]);

    // Enter on the worst host: its peers.
    let peers = hosts_request(&update(&mut state, Msg::Action(Action::DrillIn)));
    assert_eq!(peers.host.as_deref(), Some(worst.as_str()));
    update(&mut state, hosts_answer(&ws, &mut loaded, &peers));
    insta::assert_snapshot!("hosts_peers", draw(&state).backend());
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains(&format!("{worst} vs its peers in prod")),
        "{text}"
    );
    assert!(text.contains("3 facts where"), "{text}");

    // Back to the ranking, the worst host still selected; back again closes.
    press_code(&mut state, KeyCode::Esc);
    assert_eq!(state.mode(), Mode::Hosts);
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains(&format!("▸ {worst}")), "{text}");
    press_code(&mut state, KeyCode::Esc);
    assert_eq!(state.mode(), Mode::Browse);
}

#[test]
fn a_stale_answer_is_dropped_and_the_next_environment_is_ranked() {
    let ws = wide_workspace(SHAPE);
    let mut state = explorer(&ws);
    let first = open_hosts(&mut state, "prod");
    let second = hosts_request(&update(&mut state, Msg::Action(Action::NextSide)));
    assert_eq!(second.env, "staging");
    update(&mut state, hosts_answer(&ws, &mut None, &first));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("ranking the hosts of staging…"), "{text}");
    update(&mut state, hosts_answer(&ws, &mut None, &second));
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("▸ staging-web-18"), "{text}");
    let view = state.hosts_view().unwrap();
    assert!(matches!(
        &view.ranking,
        driftscope::tui::timeline::Loadable::Ready(_)
    ));
}

#[test]
fn a_failed_ranking_is_one_line_in_the_overlay() {
    let ws = wide_workspace(SHAPE);
    let mut state = explorer(&ws);
    let request = open_hosts(&mut state, "prod");
    update(
        &mut state,
        Msg::Hosts {
            id: request.id,
            result: Err("prod: cannot read snapshots/prod/x.json".into()),
        },
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(
        text.contains("prod: cannot read snapshots/prod/x.json"),
        "{text}"
    );
    let answer: Result<HostsAnswer, String> = Err("late".into());
    update(
        &mut state,
        Msg::Hosts {
            id: request.id + 100,
            result: answer,
        },
    );
    assert!(!screen(&draw(&state)).join("\n").contains("late"));
}

#[test]
fn in_a_real_terminal_the_outlier_host_is_found_and_compared_with_its_peers() {
    if !can_run() {
        return;
    }
    let shape = WideShape {
        hosts: 60,
        facts: 100,
        drift_percent: 1,
        outliers: 3,
        strays: 4,
    };
    let dir = tempfile::tempdir().unwrap();
    Workspace::init(dir.path()).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let (staging, prod) = environments(shape, 9);
    for snapshot in staging.iter().chain(&prod) {
        ws.store_snapshot(snapshot).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {work} && env HOME={home} XDG_CONFIG_HOME={home}/.config TERM=xterm-256color \
         {bin}; echo DRIFTSCOPE_EXIT=$?; exec sleep 600",
        work = shell_quote(dir.path()),
        home = shell_quote(home.path()),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start("hosts", 120, 34, &command);
    tmux.wait_for("the comparison", |s| {
        s.contains("Categories") && !s.contains("comparing…")
    });
    // The first compared environment whose hosts disagree on the selected fact.
    tmux.send(&["o"]);
    let worst = host_name("prod", outlier_numbers(shape)[0]);
    let screen = tmux.wait_for("the ranking of prod's hosts", |s| {
        s.contains("Hosts · prod") && s.contains("straying from the majority")
    });
    assert!(screen.contains(&format!("▸ {worst}")), "{screen}");
    assert!(screen.contains("60 hosts, 3 straying"), "{screen}");

    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the worst host against its peers", |s| {
        s.contains("vs its peers in prod") && s.contains("facts where")
    });
    assert!(screen.contains("4 facts where"), "{screen}");
    assert!(screen.contains("of its 59 peers"), "{screen}");

    tmux.send(&["Escape"]);
    tmux.wait_for("the ranking again", |s| s.contains("Hosts · prod"));
    tmux.send(&["o"]);
    tmux.wait_for("the panes again", |s| !s.contains("Hosts · prod"));
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");
}
