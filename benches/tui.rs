//! Drawing speed of the explorer with 100,000 facts loaded, and the time from launch to
//! the first frame with two 100,000-fact snapshots on disk.
//!
//! Run with `cargo bench --bench tui`. Targets: a frame in at most 5 ms; launch to first
//! frame in at most 300 ms.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use driftscope::demo::synthetic;
use driftscope::diff::{self, DiffOptions, DriftReport, Side};
use driftscope::model::{Category, Snapshot, Value};
use driftscope::store::Workspace;
use driftscope::tui::{
    Keymap, Msg, Pane, State, Theme, compare_environments, render, update, workspace_info,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const FACTS: usize = 100_000;
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

fn pair() -> (Snapshot, Snapshot) {
    let (mut a, mut b) = synthetic::pair(FACTS, 5, 42);
    a.environment = "prod".into();
    b.environment = "staging".into();
    (a, b)
}

fn compare(a: &Snapshot, b: &Snapshot) -> DriftReport {
    let sides = [
        Side {
            label: a.environment.clone(),
            snapshots: vec![a],
        },
        Side {
            label: b.environment.clone(),
            snapshots: vec![b],
        },
    ];
    let options = DiffOptions {
        include_equal: true,
        ..DiffOptions::default()
    };
    diff::compare(&sides, &options)
}

fn info(a: &Snapshot, b: &Snapshot) -> driftscope::tui::WorkspaceInfo {
    driftscope::tui::WorkspaceInfo {
        name: "bench".into(),
        is_demo: false,
        environments: [a, b]
            .iter()
            .map(|s| driftscope::tui::EnvSummary {
                name: s.environment.clone(),
                hosts: 1,
                latest: Some(s.taken_at),
            })
            .collect(),
        problems: Vec::new(),
    }
}

/// A state with `report` loaded, comparing environment 0 (baseline) with 1.
fn state_with(info: driftscope::tui::WorkspaceInfo, report: DriftReport) -> State {
    let mut state = State::new(
        info,
        Keymap::embedded().expect("embedded keymap"),
        chrono::Utc::now(),
    );
    state.selection.baseline = 0;
    state.selection.others = vec![1];
    driftscope::tui::update::start(&mut state);
    update(&mut state, Msg::Resize(WIDTH, HEIGHT));
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs: vec![0, 1],
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
    state
}

/// Selects the category with the most facts, shows all of them, and puts the cursor on
/// its first drifting text fact (or the middle of the list).
fn busiest_view(state: &mut State) {
    let report = state.report().expect("loaded").clone();
    let busiest = Category::ALL
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| report.categories.get(c).map_or(0, |n| n.facts))
        .map_or(0, |(i, _)| i);
    state.category_cursor.selected = busiest;
    update(state, Msg::Action(driftscope::tui::Action::ToggleShowAll));
    state.focus = Pane::Facts;
    let visible = state.visible_rows().to_vec();
    let text = visible.iter().position(|row| {
        let Some(r) = row.fact() else {
            return false;
        };
        let f = &report.facts[r as usize];
        f.is_drift()
            && matches!(
                f.cells.first().and_then(|c| c.value()),
                Some(Value::Text(_))
            )
    });
    let cursor = state.fact_cursors.get_mut(Category::ALL[busiest]);
    cursor.selected = text.unwrap_or(visible.len() / 2);
    cursor.offset = cursor.selected.saturating_sub(10);
}

fn frame(c: &mut Criterion) {
    let (a, b) = pair();
    let report = compare(&a, &b);
    let mut state = state_with(info(&a, &b), report);
    busiest_view(&mut state);
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    c.bench_function("frame: facts + diff panes, 100k facts", |bench| {
        bench.iter(|| {
            terminal
                .draw(|f| {
                    black_box(render(f, &state, &theme));
                })
                .expect("draw");
        })
    });
    c.bench_function("update: move the selection, 100k facts", |bench| {
        bench.iter(|| {
            update(&mut state, Msg::Action(driftscope::tui::Action::SelectNext));
            update(&mut state, Msg::Action(driftscope::tui::Action::SelectPrev));
        })
    });
    c.bench_function("update: filter keystroke over 100k facts", |bench| {
        bench.iter(|| {
            update(
                &mut state,
                Msg::Action(driftscope::tui::Action::StartFilter),
            );
            for key in ['k', 'e', 'y'] {
                update(
                    &mut state,
                    Msg::Key(ratatui::crossterm::event::KeyEvent::from(
                        ratatui::crossterm::event::KeyCode::Char(key),
                    )),
                );
            }
            update(
                &mut state,
                Msg::Key(ratatui::crossterm::event::KeyEvent::from(
                    ratatui::crossterm::event::KeyCode::Esc,
                )),
            );
        })
    });
}

fn launch(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    Workspace::init(dir.path()).expect("init workspace");
    let (a, b) = pair();
    {
        let mut workspace = Workspace::open(dir.path()).expect("open");
        workspace.store_snapshot(&a).expect("store a");
        workspace.store_snapshot(&b).expect("store b");
    }
    let theme = Theme::default();
    let mut group = c.benchmark_group("launch");
    group.sample_size(10);
    group.bench_function(
        "open + load + compare + first frame, 2 x 100k facts",
        |bench| {
            // What the explorer does before its first frame with data (the drift-only
            // report comes first); freeing it all afterwards is not part of the launch.
            bench.iter_with_large_drop(|| {
                let workspace = Workspace::open(dir.path()).expect("open");
                let info = workspace_info(&workspace);
                let report =
                    compare_environments(&workspace, &["prod", "staging"], false).expect("compare");
                let state = state_with(info, report);
                let mut terminal =
                    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
                terminal
                    .draw(|f| {
                        black_box(render(f, &state, &theme));
                    })
                    .expect("draw");
                (workspace, state)
            })
        },
    );
    // The stages of the launch, to see where the time goes.
    group.bench_function("stage: open the workspace (index history)", |bench| {
        bench.iter(|| black_box(Workspace::open(dir.path()).expect("open")))
    });
    let workspace = Workspace::open(dir.path()).expect("open");
    group.bench_function("stage: load both sides", |bench| {
        bench.iter_with_large_drop(|| {
            (
                workspace.resolve("prod").expect("prod"),
                workspace.resolve("staging").expect("staging"),
            )
        })
    });
    let a = workspace.resolve("prod").expect("prod");
    let b = workspace.resolve("staging").expect("staging");
    group.bench_function("stage: compare (equal facts kept)", |bench| {
        bench.iter_with_large_drop(|| compare(&a.snapshots[0], &b.snapshots[0]))
    });
    group.bench_function("stage: compare (drift only)", |bench| {
        bench.iter_with_large_drop(|| {
            let sides = [
                Side {
                    label: "prod".into(),
                    snapshots: vec![&a.snapshots[0]],
                },
                Side {
                    label: "staging".into(),
                    snapshots: vec![&b.snapshots[0]],
                },
            ];
            diff::compare(&sides, &DiffOptions::default())
        })
    });
    let report = compare(&a.snapshots[0], &b.snapshots[0]);
    let info = workspace_info(&workspace);
    group.bench_function(
        "stage: index the report and draw the first frame",
        |bench| {
            bench.iter_batched(
                || report.clone(),
                |report| {
                    let state = state_with(info.clone(), report);
                    let mut terminal =
                        Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
                    terminal
                        .draw(|f| {
                            black_box(render(f, &state, &theme));
                        })
                        .expect("draw");
                    state
                },
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, frame, launch);
criterion_main!(benches);
