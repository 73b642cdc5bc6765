//! End to end: the real binary in tmux on the embedded demo. Navigate to a config file
//! drift, check the side-by-side rows are on screen, quit, check the terminal is restored;
//! and check it is restored too when the explorer panics or is sent SIGTERM or SIGHUP.
//!
//! Skips (with a printed reason) when tmux is missing, unless DRIFTSCOPE_REQUIRE_SERVICES
//! is set, in which case it fails.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 34;

struct Tmux {
    socket: String,
}

impl Tmux {
    /// A tmux server of its own running `command` in session `e2e`, `WIDTH`×`HEIGHT`.
    fn start(name: &str, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("driftscope-{name}-{}", std::process::id()),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &WIDTH.to_string(),
            "-y",
            &HEIGHT.to_string(),
            "sh",
            "-c",
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn send(&self, keys: &[&str]) {
        for key in keys {
            let out = self.run(&["send-keys", "-t", "e2e", key]);
            assert!(out.status.success(), "send-keys {key}: {out:?}");
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    fn type_text(&self, text: &str) {
        let out = self.run(&["send-keys", "-t", "e2e", "-l", text]);
        assert!(out.status.success(), "send-keys -l {text}: {out:?}");
        std::thread::sleep(Duration::from_millis(200));
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", "e2e"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "e2e", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn wait_for(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if test(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

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

/// False (after saying why) when tmux is missing and not required.
fn can_run() -> bool {
    if tmux_available() {
        return true;
    }
    if std::env::var_os("DRIFTSCOPE_REQUIRE_SERVICES").is_some() {
        panic!("tmux is required (DRIFTSCOPE_REQUIRE_SERVICES is set) but was not found");
    }
    eprintln!("skipping the end-to-end test: tmux is not installed");
    false
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
    let out = tmux.run(&["send-keys", "-t", "e2e", "-l", "echo typed-after-exit"]);
    assert!(out.status.success(), "{out:?}");
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
    let tmux = Tmux::start(name, &command);
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
    let tmux = Tmux::start("panic", &command);
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
    let tmux = Tmux::start("e2e", &command);

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
