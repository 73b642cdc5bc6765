//! End to end: the real binary in tmux on a workspace whose environments are declared but
//! never collected. The explorer lists them as never collected and says how to collect
//! them; `r` collects them with the progress panel, and they are then compared.
//!
//! Skips (with a printed reason) when tmux is missing, unless DRIFTSCOPE_REQUIRE_SERVICES
//! is set, in which case it fails.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

mod tmux_support;

use tmux_support::{Tmux, can_run, shell_quote};

#[test]
fn declared_environments_are_listed_and_r_collects_them() {
    if !can_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("fresh");
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    std::fs::create_dir_all(&root).unwrap();
    let init = std::process::Command::new(bin)
        .arg("init")
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(init.status.success(), "{init:?}");
    // Two environments of this machine, so that both can be collected here.
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.dev]\nhosts = [\"local\"]\n\n[environments.qa]\nhosts = [\"local\"]\n",
    )
    .unwrap();
    let command = format!(
        "cd {root} && env TERM=xterm-256color {bin}; echo DRIFTSCOPE_EXIT=$?; exec sleep 600",
        root = shell_quote(&root),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start("fresh-e2e", 120, 34, &command);
    let screen = tmux.wait_for("the declared environments", |s| {
        s.contains("never collected: dev, qa")
    });
    assert!(screen.contains("dev           0    — never"), "{screen}");
    assert!(screen.contains("qa            0    — never"), "{screen}");
    assert!(screen.contains("press r to collect them now"), "{screen}");

    tmux.send(&["r"]);
    let screen = tmux.wait_for("the refresh to end", |s| s.contains("refreshed 2 hosts"));
    assert!(screen.contains("dev/local"), "{screen}");
    assert!(screen.contains("qa/local"), "{screen}");
    tmux.send(&["Escape"]);
    let screen = tmux.wait_for("the comparison", |s| {
        s.contains("Categories") && !s.contains("never collected") && !s.contains("comparing…")
    });
    assert!(
        !screen.contains(" never"),
        "both are collected now:\n{screen}"
    );
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");
    for env in ["dev", "qa"] {
        let folder = root.join("snapshots").join(env).join("local");
        let stored = std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(stored, 1, "one snapshot of {env}/local");
    }
}
