//! End to end: the real binary in tmux on the embedded demo. Navigate to a config file
//! drift, check the side-by-side rows are on screen, quit, check the terminal is restored;
//! and check it is restored too when the explorer panics or is sent SIGTERM or SIGHUP.
//!
//! Skips (with a printed reason) when tmux is missing, unless DRIFTSCOPE_REQUIRE_SERVICES
//! is set, in which case it fails.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

mod tmux_support;

use tmux_support::{Tmux, can_run, shell_quote};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 34;

/// True when a line holds two side-by-side cells that both show `text` after a line number.
fn side_by_side_row(screen: &str, text: &str) -> bool {
    let numbered = |cell: &str| {
        cell.trim_start()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    };
    screen.lines().any(|line| {
        let cells: Vec<&str> = line.split(['│', '┃']).collect();
        cells
            .windows(2)
            .any(|pair| pair.iter().all(|c| c.contains(text) && numbered(c)))
    })
}

/// Asserts that the terminal is out of every mode the explorer turns on.
fn assert_restored(tmux: &Tmux) {
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "left the alternate screen"
    );
    assert_eq!(
        tmux.display("#{mouse_any_flag}"),
        "0",
        "mouse capture is off"
    );
    assert_eq!(tmux.display("#{cursor_flag}"), "1", "the cursor is visible");
    // Raw mode is off: the line discipline echoes and translates newlines again.
    tmux.type_text("echo typed-after-exit");
    tmux.send(&["Enter"]);
    tmux.wait_for("the shell to run a command", |s| {
        s.lines().any(|l| l.trim() == "typed-after-exit")
    });
}

/// The demo in tmux, in a shell that writes the explorer's process id to `pid_file`
/// and, once it exits, prints its status and starts an interactive shell.
fn start_demo(name: &str, pid_file: &Path) -> (Tmux, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let inner = format!(
        "echo $$ > {pid}; exec env HOME={home} XDG_CONFIG_HOME={home}/.config \
         TERM=xterm-256color {bin} --demo",
        pid = shell_quote(pid_file),
        home = shell_quote(home.path()),
        bin = shell_quote(bin),
    );
    let command = format!(
        "cd {home} && sh -c {inner}; echo DRIFTSCOPE_EXIT=$?; exec sh",
        home = shell_quote(home.path()),
        inner = shell_quote(Path::new(&inner)),
    );
    let tmux = Tmux::start(name, WIDTH, HEIGHT, &command);
    tmux.wait_for("the demo overview", |s| {
        s.contains("DEMO DATA") && s.contains("Categories")
    });
    assert_eq!(tmux.display("#{alternate_on}"), "1");
    (tmux, home)
}

#[test]
fn a_panic_restores_the_terminal() {
    if !can_run() || !cfg!(debug_assertions) {
        // Release builds ignore DRIFTSCOPE_TEST_PANIC.
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {home} && env HOME={home} TERM=xterm-256color RUST_BACKTRACE=0 RUST_LIB_BACKTRACE=0 \
         DRIFTSCOPE_TEST_PANIC=1 \
         {bin} --demo; echo DRIFTSCOPE_EXIT=$?; exec sh",
        home = shell_quote(home.path()),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start("panic", WIDTH, HEIGHT, &command);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=101"), "{screen}");
    assert!(
        screen.contains("panicking after the first frame"),
        "the panic message is shown on the normal screen:\n{screen}"
    );
    assert_restored(&tmux);
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    if !can_run() {
        return;
    }
    for (signal, status) in [("TERM", 143), ("HUP", 129)] {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let (tmux, _home) = start_demo(&format!("sig{signal}"), &pid_file);
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let out = Command::new("kill")
            .args([&format!("-{signal}"), pid.trim()])
            .output()
            .unwrap();
        assert!(out.status.success(), "kill: {out:?}");
        let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
        assert!(
            screen.contains(&format!("DRIFTSCOPE_EXIT={status}")),
            "SIG{signal}: {screen}"
        );
        assert!(!screen.contains("Categories"), "SIG{signal}: {screen}");
        assert_restored(&tmux);
    }
}

#[test]
fn demo_config_file_diff_side_by_side_then_quit_restores_the_terminal() {
    if !can_run() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {work} && env HOME={home} XDG_CONFIG_HOME={home}/.config TERM=xterm-256color \
         {bin}; echo DRIFTSCOPE_EXIT=$?; exec sh",
        work = shell_quote(work.path()),
        home = shell_quote(home.path()),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start("e2e", WIDTH, HEIGHT, &command);

    let screen = tmux.wait_for("the demo overview", |s| {
        s.contains("DEMO DATA") && s.contains("Categories") && !s.contains("comparing…")
    });
    assert!(
        screen.contains("driftscope init"),
        "demo hint missing:\n{screen}"
    );
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "1",
        "runs on the alternate screen"
    );

    // Categories → config → facts, filter to the nginx main config, open its diff.
    tmux.send(&["Tab", "j", "Enter", "/"]);
    tmux.type_text("nginx/nginx");
    tmux.send(&["Enter"]);
    tmux.wait_for("the filtered fact", |s| {
        s.contains("file:/etc/nginx/nginx.conf")
    });
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the side-by-side rows", |s| {
        side_by_side_row(s, "user www-data;")
    });
    assert!(
        screen.contains("› config › file:/etc/nginx/nginx.conf"),
        "breadcrumbs:\n{screen}"
    );
    assert!(side_by_side_row(&screen, "pid /run/nginx.pid;"), "{screen}");

    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");
    assert!(
        !screen.contains("Categories"),
        "the explorer is off the screen:\n{screen}"
    );
    assert_restored(&tmux);
}

/// Starts the binary on the demo in its own tmux server named after `name`; `None` (with
/// a printed reason) when tmux is missing and not required.
fn launch(name: &str) -> Option<(Tmux, tempfile::TempDir, tempfile::TempDir)> {
    if !can_run() {
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let command = format!(
        "cd {work} && env HOME={home} XDG_CONFIG_HOME={home}/.config TERM=xterm-256color \
         {bin}; echo DRIFTSCOPE_EXIT=$?; exec sleep 600",
        work = shell_quote(work.path()),
        home = shell_quote(home.path()),
        bin = shell_quote(bin),
    );
    let tmux = Tmux::start(&format!("e2e-{name}"), WIDTH, HEIGHT, &command);
    Some((tmux, home, work))
}

#[test]
fn demo_timeline_two_points_show_the_drift_between_them() {
    let Some((tmux, _home, _work)) = launch("timeline") else {
        return;
    };
    tmux.wait_for("the demo overview", |s| {
        s.contains("DEMO DATA") && s.contains("Categories") && !s.contains("comparing…")
    });

    // prod's timeline: the newest point first, the first snapshot last.
    tmux.send(&["t"]);
    let screen = tmux.wait_for("prod's timeline", |s| {
        s.contains("Timeline · prod · all hosts") && s.contains("first snapshot")
    });
    assert!(screen.contains("8 points, 24 snapshots"), "{screen}");

    // Mark the point before the newest as A, go back to the newest and compare.
    tmux.send(&["j", "m", "k", "c"]);
    let screen = tmux.wait_for("the two points compared", |s| {
        s.contains("◆ prod@") && !s.contains("comparing…") && !s.contains("Timeline ·")
    });
    assert!(
        screen.contains("lib.openssl"),
        "the security update:\n{screen}"
    );
    assert!(screen.contains("Facts · versions · 5 drift"), "{screen}");

    tmux.send(&["q"]);
    let screen = tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT="));
    assert!(screen.contains("DRIFTSCOPE_EXIT=0"), "{screen}");
}

#[test]
fn the_filter_finds_a_fact_in_another_category_and_its_long_value_reads_in_full() {
    if !can_run() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (tmux, _home) = start_demo("filter-wrap", &dir.path().join("pid"));
    // From the versions category, a key only the schema category holds.
    tmux.send(&["/"]);
    tmux.type_text("customer_id_idx");
    let screen = tmux.wait_for("the other category's match", |s| {
        s.contains("0 match · elsewhere:")
    });
    assert!(screen.contains("Facts · versions"), "{screen}");
    tmux.send(&["Enter"]);
    tmux.wait_for("the schema category", |s| {
        s.contains("Facts · schema") && s.contains("index orders_customer_i")
    });
    // Below the table's heading, the index; the diff pane, full width: the whole
    // definition, wrapped, down to its last word.
    tmux.send(&["j"]);
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the index definition", |s| {
        s.contains("Diff · index:public.orders.orders_customer_id_idx")
    });
    // The prod column, row by row from the definition's first line, holds every word.
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("definition") && l.contains("CREATE INDEX"))
        .unwrap_or_else(|| panic!("no definition row:\n{screen}"));
    let column = lines[first].find("CREATE INDEX").unwrap();
    let prod: String = lines[first..first + 4]
        .iter()
        .map(|l| {
            let cell: String = l
                .chars()
                .skip(l[..column].chars().count())
                .take(30)
                .collect();
            cell.trim().to_string()
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        prod, "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)",
        "the definition is shown whole:\n{screen}"
    );
    tmux.send(&["q"]);
    tmux.wait_for("the exit status", |s| s.contains("DRIFTSCOPE_EXIT=0"));
}
