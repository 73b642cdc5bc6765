//! End to end: the real binary in tmux on a workspace whose staging and prod differ in one
//! fact. Jump to the drift, justify it with a typed reason, quit, and find
//! `driftscope check` counting it as justified.
//!
//! Skips (with a printed reason) when tmux is missing, unless DRIFTSCOPE_REQUIRE_SERVICES
//! is set, in which case it fails.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

mod tmux_support;

use tmux_support::{Tmux, can_run, shell_quote};

use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Scalar, Snapshot, Source, Value};
use driftscope::store::{ANNOTATIONS_FILE, Workspace};

/// A workspace in `root` whose staging and prod differ only in `config/env.WORKERS`.
fn workspace(root: &Path) {
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.staging]\nhosts = [\"s1\"]\n\n[environments.prod]\nhosts = [\"p1\"]\n",
    )
    .unwrap();
    let mut workspace = Workspace::open(root).unwrap();
    for (env, host, workers) in [("staging", "s1", 2), ("prod", "p1", 8)] {
        let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
        let mut s = Snapshot::new(env, host, t, Source::Local);
        s.insert(
            Category::Config,
            "env.WORKERS",
            Value::Scalar(Scalar::from(workers as i64)),
        );
        s.insert(Category::Config, "env.MODE", Value::string("web"));
        workspace.store_snapshot(&s).unwrap();
    }
}

#[test]
fn justify_a_drift_with_a_typed_reason_then_check_counts_it_justified() {
    if !can_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop");
    workspace(&root);
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let gitconfig = dir.path().join("test.gitconfig");
    std::fs::write(&gitconfig, "[user]\n\tname = Test Author\n").unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {root} && env HOME={home} XDG_CONFIG_HOME={home}/.config TERM=xterm-256color \
         GIT_CONFIG_GLOBAL={git} GIT_CONFIG_NOSYSTEM=1 {bin}; echo DRIFTSCOPE_EXIT=$?; \
         exec sleep 600",
        root = shell_quote(&root),
        home = shell_quote(&home),
        git = shell_quote(&gitconfig),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start("review-e2e", 110, 32, &command);

    tmux.wait_for("the overview", |s| {
        s.contains("Categories") && s.contains("prod ⇄ staging") && !s.contains("comparing…")
    });
    // The only drift needs review: `n` selects it.
    tmux.send(&["n"]);
    tmux.wait_for("the drift, unreviewed", |s| {
        s.contains("• ≠ high env.WORKERS")
    });
    tmux.send(&["J"]);
    tmux.wait_for("the reason prompt", |s| {
        s.contains("Justify config/env.WORKERS on prod, staging")
    });
    tmux.type_text("prod is sized for load");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the saved justification", |s| {
        s.contains("justified config/env.WORKERS on prod, staging")
    });
    assert!(screen.contains("✓ ≠ high env.WORKERS"), "{screen}");
    assert!(
        screen.contains("✓ justified by Test Author"),
        "the diff pane shows the annotation:\n{screen}"
    );
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");

    let file = std::fs::read_to_string(root.join(ANNOTATIONS_FILE)).unwrap();
    assert!(
        file.contains("reason = \"prod is sized for load\""),
        "{file}"
    );
    assert!(file.contains("author = \"Test Author\""), "{file}");

    let check = Command::new(bin)
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .args(["check", "staging", "prod"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("OK: every drifting fact is reviewed (1 justified)\n"),
        "{stdout}"
    );
}
