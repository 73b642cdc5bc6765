//! Refreshing the compared environments from the explorer: the pure update steps, the
//! progress panel, and real refreshes (a `local` host, and an SSH host whose key is
//! unknown) driven through the same background code the explorer runs.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;
mod tui_support;

use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use driftscope::collect::CollectOptions;
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::{Location, SnapshotMeta, Workspace};
use driftscope::tui::refresh::{HostStatus, Stored};
use driftscope::tui::state::{CompareStatus, EnvSummary};
use driftscope::tui::{
    Action, Background, Effect, Keymap, Msg, Outcome, Pane, RefreshEvent, State, update,
    workspace_info,
};
use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use tui_support::*;

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    update(state, Msg::Action(action))
}

fn event(state: &mut State, event: RefreshEvent) -> Vec<Effect> {
    update(state, Msg::Refresh(event))
}

/// Starts a refresh on `state` and returns its id.
fn start_refresh(state: &mut State) -> u64 {
    let effects = act(state, Action::Refresh);
    let [Effect::Refresh(request)] = effects.as_slice() else {
        panic!("expected a refresh request, got {effects:?}");
    };
    request.id
}

/// A stored snapshot of `env/host` with `facts` facts, taken at `at`.
fn stored(env: &str, host: &str, hosts: usize, facts: usize, hour: u32) -> Stored {
    let taken_at = at(20, hour, 0);
    Stored {
        meta: SnapshotMeta {
            environment: env.into(),
            host: host.into(),
            taken_at,
            fact_count: facts,
            error_count: 0,
            location: Location::File(format!("snapshots/{env}/{host}/x.json").into()),
        },
        summary: EnvSummary {
            name: env.into(),
            hosts,
            latest: Some(taken_at),
        },
    }
}

const UNKNOWN_KEY: &str = "staging/stg-2: unknown host key ssh-ed25519 SHA256:Zm9vYmFyYmF6; \
    refusing to connect (if this is the right key, run again with --accept-new-host-keys to \
    record it in ~/.ssh/known_hosts)";

/// A refresh of prod and staging in full swing: one host stored, one collecting, one
/// waiting, one refused for an unknown host key.
fn refreshing(width: u16, height: u16) -> State {
    let mut state = loaded(width, height);
    let id = start_refresh(&mut state);
    event(
        &mut state,
        RefreshEvent::Planned {
            id,
            hosts: vec![
                "prod/web-1".into(),
                "prod/web-2".into(),
                "staging/stg-1".into(),
                "staging/stg-2".into(),
            ],
        },
    );
    for index in [0, 1, 3] {
        event(&mut state, RefreshEvent::Started { id, index });
    }
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 0,
            elapsed: Duration::from_millis(1240),
            outcome: Ok(stored("prod", "web-1", 3, 742, 11)),
        },
    );
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 3,
            elapsed: Duration::from_millis(310),
            outcome: Err(UNKNOWN_KEY.into()),
        },
    );
    state
}

// ---- update: messages in, state and effects out ------------------------------------

#[test]
fn the_demo_cannot_be_refreshed_and_says_why() {
    let mut state = loaded_with(report(), vec![1, 2], 80, 24, true);
    let effects = act(&mut state, Action::Refresh);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.refresh.is_none());
    let notice = state.notice.clone().unwrap();
    assert!(notice.contains("demo is read-only"), "{notice}");
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("read-only"), "{text}");
}

#[test]
fn r_asks_to_collect_the_compared_environments_baseline_first() {
    let mut state = loaded(80, 24);
    let effects = update(
        &mut state,
        Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char('r'),
            KeyModifiers::NONE,
        )),
    );
    let [Effect::Refresh(request)] = effects.as_slice() else {
        panic!("expected a refresh request, got {effects:?}");
    };
    assert_eq!(request.environments, ["prod", "staging"]);
    let refresh = state.refresh.as_ref().unwrap();
    assert!(refresh.running && refresh.visible);
    assert_eq!(refresh.id, request.id);
}

#[test]
fn a_second_refresh_waits_for_the_first() {
    let mut state = loaded(80, 24);
    start_refresh(&mut state);
    state.refresh.as_mut().unwrap().visible = false;
    assert!(act(&mut state, Action::Refresh).is_empty());
    assert!(state.notice.as_deref().unwrap().contains("already running"));
    assert!(
        state.refresh.as_ref().unwrap().visible,
        "the panel is shown again"
    );
}

#[test]
fn progress_messages_mark_each_host() {
    let state = refreshing(100, 30);
    let refresh = state.refresh.as_ref().unwrap();
    let statuses: Vec<&HostStatus> = refresh.hosts.iter().map(|h| &h.status).collect();
    assert!(matches!(statuses[0], HostStatus::Done { facts: 742, .. }));
    assert_eq!(statuses[1], &HostStatus::Collecting);
    assert_eq!(statuses[2], &HostStatus::Waiting);
    let HostStatus::Failed { reason, .. } = statuses[3] else {
        panic!("stg-2 should have failed: {:?}", statuses[3]);
    };
    assert!(
        reason.starts_with("unknown host key"),
        "the label is not repeated: {reason}"
    );
    assert!(refresh.running);
    assert_eq!(state.status, CompareStatus::Ready, "no comparison yet");
}

#[test]
fn a_stored_snapshot_updates_the_environment_summary() {
    let state = refreshing(100, 30);
    let prod = &state.workspace.environments[1];
    assert_eq!(prod.name, "prod");
    assert_eq!(prod.latest, Some(at(20, 11, 0)));
    assert_eq!(prod.hosts, 3);
}

#[test]
fn the_end_of_a_refresh_compares_afresh() {
    let mut state = refreshing(100, 30);
    let id = state.refresh.as_ref().unwrap().id;
    let before = state.generation;
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 1,
            elapsed: Duration::from_secs(2),
            outcome: Ok(stored("prod", "web-2", 3, 740, 11)),
        },
    );
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 2,
            elapsed: Duration::from_secs(1),
            outcome: Ok(stored("staging", "stg-1", 2, 700, 11)),
        },
    );
    let effects = event(&mut state, RefreshEvent::Finished { id, error: None });
    let [Effect::Compare(request)] = effects.as_slice() else {
        panic!("expected a comparison, got {effects:?}");
    };
    // A new comparison, and the one the state now waits for (request ids are shared by
    // every kind of background request, so the refresh's own id came in between).
    assert!(request.generation > before);
    assert_eq!(request.generation, state.generation);
    assert_eq!(state.status, CompareStatus::Running);
    let refresh = state.refresh.as_ref().unwrap();
    assert!(!refresh.running);
    assert_eq!(
        state.notice.as_deref(),
        Some("refreshed 3 of 4 hosts; 1 failed")
    );
}

#[test]
fn a_refresh_that_stored_nothing_does_not_compare() {
    let mut state = loaded(80, 24);
    let id = start_refresh(&mut state);
    event(
        &mut state,
        RefreshEvent::Planned {
            id,
            hosts: vec!["prod/web-1".into()],
        },
    );
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 0,
            elapsed: Duration::from_secs(5),
            outcome: Err("prod/web-1: connection timed out".into()),
        },
    );
    assert!(event(&mut state, RefreshEvent::Finished { id, error: None }).is_empty());
    assert_eq!(state.status, CompareStatus::Ready);
}

#[test]
fn a_refresh_that_cannot_start_shows_the_reason() {
    let mut state = loaded(100, 30);
    let id = start_refresh(&mut state);
    let reason = "driftscope.toml: [collect] concurrency must be at least 1";
    let effects = event(
        &mut state,
        RefreshEvent::Finished {
            id,
            error: Some(reason.into()),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(
        state.notice.as_deref(),
        Some(format!("refresh failed: {reason}").as_str())
    );
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("concurrency must be at least 1"), "{text}");
}

#[test]
fn messages_of_another_refresh_are_ignored() {
    let mut state = refreshing(100, 30);
    let before = state.refresh.clone();
    let stale = before.as_ref().unwrap().id + 7;
    let effects = event(
        &mut state,
        RefreshEvent::Finished {
            id: stale,
            error: None,
        },
    );
    assert!(effects.is_empty());
    assert_eq!(state.refresh, before);
}

#[test]
fn back_hides_the_panel_first_and_the_refresh_goes_on() {
    let mut state = refreshing(100, 30);
    state.focus = Pane::Facts;
    act(&mut state, Action::Back);
    assert_eq!(state.focus, Pane::Facts, "back only hid the panel");
    assert!(!state.refresh_panel_shown());
    let text = screen(&draw(&state)).join("\n");
    assert!(!text.contains("Refresh ·"), "{text}");
    assert!(text.contains("refreshing 2/4…"), "{text}");
    let id = state.refresh.as_ref().unwrap().id;
    event(&mut state, RefreshEvent::Started { id, index: 2 });
    assert_eq!(
        state.refresh.as_ref().unwrap().hosts[2].status,
        HostStatus::Collecting
    );
    act(&mut state, Action::Back);
    assert_eq!(state.focus, Pane::Categories);
}

#[test]
fn clicks_on_the_panel_do_not_reach_the_pane_below() {
    let mut state = refreshing(100, 30);
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    let panel = layout.refresh.unwrap();
    let before = (state.focus, state.fact_cursors.clone());
    update(
        &mut state,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: panel.x + 2,
            row: panel.y + 1,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!((state.focus, state.fact_cursors.clone()), before);
}

// ---- the progress panel --------------------------------------------------------------

#[test]
fn progress_panel() {
    let state = refreshing(100, 30);
    let term = draw(&state);
    let text = screen(&term).join("\n");
    assert!(text.contains("--accept-new-host-keys"), "{text}");
    insta::assert_snapshot!(term.backend());
}

#[test]
fn many_hosts_show_the_failed_ones_first_and_count_the_rest() {
    let mut state = loaded(100, 24);
    let id = start_refresh(&mut state);
    let hosts: Vec<String> = (1..=40).map(|i| format!("prod/web-{i:02}")).collect();
    event(&mut state, RefreshEvent::Planned { id, hosts });
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 39,
            elapsed: Duration::from_secs(1),
            outcome: Err("prod/web-40: cannot connect: connection refused".into()),
        },
    );
    let lines = screen(&draw(&state));
    let text = lines.join("\n");
    assert!(text.contains("web-40 failed"), "{text}");
    assert!(text.contains("more"), "{text}");
    let layout = driftscope::tui::layout::AppLayout::compute(state.area, &state);
    assert!(layout.refresh.unwrap().height <= 24 - 3, "fits in the body");
}

#[test]
fn host_text_in_the_panel_is_neutralised() {
    let mut state = loaded(100, 30);
    let id = start_refresh(&mut state);
    event(
        &mut state,
        RefreshEvent::Planned {
            id,
            hosts: vec!["prod/we\u{1b}[2Jb".into()],
        },
    );
    event(
        &mut state,
        RefreshEvent::HostDone {
            id,
            index: 0,
            elapsed: Duration::from_secs(1),
            outcome: Err("prod/web: the probe script failed: \u{1b}]0;pwned\u{7}".into()),
        },
    );
    let term = draw(&state);
    for cell in term.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character reached the screen: {:?}",
            cell.symbol()
        );
    }
    let text = screen(&term).join("\n");
    assert!(text.contains("^[]0;pwned^G"), "{text}");
}

#[test]
fn every_terminal_size_draws_the_panel_without_panicking() {
    let mut state = refreshing(100, 30);
    for width in (0..140).step_by(7) {
        for height in (0..40).step_by(3) {
            update(&mut state, Msg::Resize(width, height));
            let term = draw(&state);
            assert_eq!(term.backend().buffer().area.height, height);
        }
    }
}

// ---- real refreshes through the explorer's background code ---------------------------

/// Feeds every outcome to `update` and performs the effects, until `done` holds.
fn drive(
    state: &mut State,
    background: &Background,
    rx: &Receiver<Outcome>,
    what: &str,
    done: impl Fn(&State) -> bool,
) {
    while !done(state) {
        match rx.recv_timeout(Duration::from_secs(90)) {
            Ok(Outcome::Msg(msg)) => background.perform(update(state, msg)),
            Ok(Outcome::Fatal(message)) => panic!("fatal: {message}"),
            Ok(Outcome::Signal(signal)) => panic!("signal {signal}"),
            Err(e) => panic!("waiting for {what}: {e}; refresh: {:?}", state.refresh),
        }
    }
}

fn comparison_ready(state: &State) -> bool {
    state.status == CompareStatus::Ready && state.loaded.as_ref().is_some_and(|l| l.complete)
}

fn refresh_ended(state: &State) -> bool {
    state.refresh.as_ref().is_some_and(|r| !r.running)
}

/// An old hand-made snapshot, so the environment is listed before any collection.
fn seed(workspace: &mut Workspace, env: &str) {
    let taken_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut snapshot = Snapshot::new(env, "local", taken_at, Source::Local);
    snapshot.insert(Category::Versions, "runtime.seeded", Value::version("1.0"));
    workspace.store_snapshot(&snapshot).unwrap();
}

fn files_under(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

#[test]
fn refreshing_local_hosts_stores_snapshots_and_shows_the_new_report() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.dev]\nhosts = [\"local\"]\n\n[environments.prod]\nhosts = [\"local\"]\n\n\
         [collect]\nhost_timeout = \"60s\"\nskip = [\"packages\"]\n",
    )
    .unwrap();
    let mut workspace = Workspace::open(dir.path()).unwrap();
    seed(&mut workspace, "dev");
    seed(&mut workspace, "prod");
    let workspace = Workspace::open(dir.path()).unwrap();

    let mut state = State::new(
        workspace_info(&workspace),
        Keymap::embedded().unwrap(),
        Utc::now(),
    );
    update(&mut state, Msg::Resize(120, 40));
    let (tx, rx) = mpsc::channel();
    let options = CollectOptions {
        home: Some(home.path().to_path_buf()),
        use_agent: false,
        ..CollectOptions::default()
    };
    let background = Background::new(workspace, tx, options);
    background.perform(driftscope::tui::update::start(&mut state));
    drive(
        &mut state,
        &background,
        &rx,
        "the first comparison",
        comparison_ready,
    );
    let seeded = |state: &State| {
        state
            .report()
            .unwrap()
            .facts
            .iter()
            .any(|f| f.key.key == "runtime.seeded")
    };
    assert!(seeded(&state), "the seeded snapshots are compared first");

    background.perform(act(&mut state, Action::Refresh));
    drive(&mut state, &background, &rx, "the refresh", refresh_ended);
    let refresh = state.refresh.clone().unwrap();
    assert_eq!(refresh.environments, ["prod", "dev"]);
    let labels: Vec<&str> = refresh.hosts.iter().map(|h| h.label.as_str()).collect();
    assert_eq!(labels, ["prod/local", "dev/local"]);
    for host in &refresh.hosts {
        assert!(
            matches!(host.status, HostStatus::Done { facts, .. } if facts > 10),
            "{host:?}"
        );
    }
    assert_eq!(state.notice.as_deref(), Some("refreshed 2 hosts"));

    // The snapshots are on disk and in the shared history.
    for env in ["dev", "prod"] {
        assert_eq!(
            files_under(&dir.path().join("snapshots").join(env).join("local")),
            2,
            "{env}"
        );
        let ws = background.workspace().read().unwrap();
        assert_eq!(ws.history.of_environment(env).len(), 2, "{env}");
    }
    let newest = {
        let ws = background.workspace().read().unwrap();
        ws.history.latest("prod", None)[0].taken_at
    };
    assert!(newest > Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    let prod = state
        .workspace
        .environments
        .iter()
        .find(|e| e.name == "prod")
        .unwrap();
    assert_eq!(prod.latest, Some(newest));

    // The comparison ran again, on the new snapshots.
    drive(
        &mut state,
        &background,
        &rx,
        "the comparison after the refresh",
        comparison_ready,
    );
    let report = state.report().unwrap();
    for side in &report.sides {
        assert_eq!(side.hosts[0].taken_at.date_naive(), newest.date_naive());
        assert!(side.hosts[0].taken_at >= newest - chrono::TimeDelta::seconds(5));
    }
    assert!(!seeded(&state), "the seeded fact is gone from both sides");
    assert!(report.facts.len() > 10, "{} facts", report.facts.len());
}

#[test]
fn an_unknown_host_key_fails_that_host_and_names_the_flag() {
    let Some(sshd) = support::sshd::Sshd::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("driftscope.toml"),
        format!(
            "[environments.dev]\nhosts = [\"local\"]\n\n[environments.prod]\nhosts = [\"{}\"]\n\n\
             [collect]\nconnect_timeout = \"5s\"\nhost_timeout = \"60s\"\nskip = [\"packages\"]\n\n\
             [ssh]\nknown_hosts = \"known_hosts\"\nignore_user_known_hosts = true\n\
             config = \"no_ssh_config\"\nidentity_files = [\"{}\"]\n",
            sshd.entry(),
            sshd.client_key.display()
        ),
    )
    .unwrap();
    let mut workspace = Workspace::open(dir.path()).unwrap();
    seed(&mut workspace, "dev");
    let mut prod = Snapshot::new(
        "prod",
        "seeded",
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        Source::Local,
    );
    prod.insert(Category::Versions, "runtime.seeded", Value::version("1.0"));
    workspace.store_snapshot(&prod).unwrap();
    let workspace = Workspace::open(dir.path()).unwrap();

    let mut state = State::new(
        workspace_info(&workspace),
        Keymap::embedded().unwrap(),
        Utc::now(),
    );
    update(&mut state, Msg::Resize(140, 40));
    let (tx, rx) = mpsc::channel();
    let options = CollectOptions {
        home: Some(home.path().to_path_buf()),
        use_agent: false,
        ..CollectOptions::default()
    };
    let background = Background::new(workspace, tx, options);
    background.perform(driftscope::tui::update::start(&mut state));
    background.perform(act(&mut state, Action::Refresh));
    drive(&mut state, &background, &rx, "the refresh", refresh_ended);

    let refresh = state.refresh.clone().unwrap();
    let by_label = |label: &str| {
        refresh
            .hosts
            .iter()
            .find(|h| h.label.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in {:?}", refresh.hosts))
    };
    assert!(matches!(by_label("dev/").status, HostStatus::Done { .. }));
    let HostStatus::Failed { reason, .. } = &by_label("prod/").status else {
        panic!("prod should fail: {:?}", by_label("prod/"));
    };
    assert!(reason.contains("unknown host key"), "{reason}");
    assert!(reason.contains("--accept-new-host-keys"), "{reason}");
    let prod_snapshots = background
        .workspace()
        .read()
        .unwrap()
        .history
        .of_environment("prod")
        .len();
    assert_eq!(prod_snapshots, 1, "only the seeded prod snapshot");
    let text = screen(&draw(&state)).join("\n");
    assert!(text.contains("unknown host key"), "{text}");
    assert!(text.contains("--accept-new-host-keys"), "{text}");
}
