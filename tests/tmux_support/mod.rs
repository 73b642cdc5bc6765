//! Driving the real binary in tmux for end-to-end tests: a tmux server of the test's own,
//! keys sent as a person types them, and the screen read back with capture-pane.
//!
//! Tests skip (with a printed reason) when tmux is missing, unless
//! `DRIFTSCOPE_REQUIRE_SERVICES` is set, in which case they fail.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The name of the one session each test's tmux server runs.
pub const SESSION: &str = "e2e";

/// A tmux server of its own (killed on drop) running one session.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts a server named after `name` and the test process, running `command` under
    /// `sh -c` in a `width`×`height` session.
    pub fn start(name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("driftscope-{name}-{}", std::process::id()),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "sh",
            "-c",
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        tmux
    }

    /// Runs a tmux command against this server.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Sends each key (tmux key names: `Enter`, `Tab`, `j`…), pausing after each.
    pub fn send(&self, keys: &[&str]) {
        for key in keys {
            let out = self.run(&["send-keys", "-t", SESSION, key]);
            assert!(out.status.success(), "send-keys {key}: {out:?}");
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    /// Types `text` literally.
    pub fn type_text(&self, text: &str) {
        let out = self.run(&["send-keys", "-t", SESSION, "-l", text]);
        assert!(out.status.success(), "send-keys -l {text}: {out:?}");
        std::thread::sleep(Duration::from_millis(200));
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", SESSION]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format evaluated for the pane, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", SESSION, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Polls the screen until `test` accepts it (15 s at most), and returns it.
    pub fn wait_for(&self, what: &str, test: impl Fn(&str) -> bool) -> String {
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

/// False (after saying why) when tmux is missing and not required; panics when it is
/// missing and `DRIFTSCOPE_REQUIRE_SERVICES` is set.
pub fn can_run() -> bool {
    let available = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if available {
        return true;
    }
    if std::env::var_os("DRIFTSCOPE_REQUIRE_SERVICES").is_some() {
        panic!("tmux is required (DRIFTSCOPE_REQUIRE_SERVICES is set) but was not found");
    }
    eprintln!("skipping the end-to-end test: tmux is not installed");
    false
}

/// `path` quoted for `sh`.
pub fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
