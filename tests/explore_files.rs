//! The explorer opened on snapshot files and on a folder of snapshots, outside any
//! workspace, in a real terminal (tmux).

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

mod tmux_support;

use tmux_support::{Tmux, can_run, shell_quote};

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `driftscope ARGS` in `dir` inside tmux; the shell stays after it exits.
fn start(name: &str, dir: &Path, args: &str) -> Tmux {
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {dir} && env HOME={dir} XDG_CONFIG_HOME={dir}/.config TERM=xterm-256color \
         {bin} {args}; echo DRIFTSCOPE_EXIT=$?; exec sh",
        dir = shell_quote(dir),
        bin = shell_quote(bin),
    );
    Tmux::start(name, 120, 34, &command)
}

#[test]
fn named_files_open_with_the_first_as_baseline() {
    if !can_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("staging-web-1.json"), dir.path().join("stg.json")).unwrap();
    std::fs::copy(fixture("prod-web-1.json"), dir.path().join("prod.json")).unwrap();
    let tmux = start("files", dir.path(), "stg.json prod.json");
    let screen = tmux.wait_for("the comparison of the two files", |s| {
        s.contains("stg.json, prod.json") && s.contains("◆ staging") && s.contains("Categories")
    });
    assert!(
        !screen.contains("DEMO"),
        "files are not the demo:\n{screen}"
    );
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");
}

#[test]
fn a_folder_of_snapshots_opens_as_history() {
    if !can_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("from-a-colleague");
    std::fs::create_dir(&folder).unwrap();
    for name in [
        "staging-web-1.json",
        "prod-web-1.json",
        "prod-web-1-earlier.json",
    ] {
        std::fs::copy(fixture(name), folder.join(name)).unwrap();
    }
    let tmux = start("folder", dir.path(), "from-a-colleague");
    let screen = tmux.wait_for("the folder's environments", |s| {
        s.contains("from-a-colleague") && s.contains("◆ prod") && s.contains("staging")
    });
    assert!(!screen.contains("DEMO"), "{screen}");
    tmux.send(&["q"]);
    tmux.wait_for("the exit", |s| s.contains("DRIFTSCOPE_EXIT=0"));
}
