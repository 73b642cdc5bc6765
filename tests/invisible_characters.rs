//! Zero-width and bidirectional characters in keys and values are shown as `<U+XXXX>` in
//! every human-readable output, so look-alike keys cannot pass for each other.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::Workspace;

/// The characters an attacker would use to disguise a key or a value.
const HIDDEN: [char; 8] = [
    '\u{200b}', '\u{200d}', '\u{feff}', '\u{2060}', '\u{200f}', '\u{061c}', '\u{2028}', '\u{202e}',
];

#[test]
fn hidden_characters_are_visible_in_every_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.staging]\nhosts = [\"s1\"]\n\n[environments.prod]\nhosts = [\"p1\"]\n",
    )
    .unwrap();
    let mut ws = Workspace::open(root).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    for (env, host) in [("staging", "s1"), ("prod", "p1")] {
        let mut s = Snapshot::new(env, host, t, Source::Local);
        for (i, c) in HIDDEN.iter().enumerate() {
            // Each hidden character in a key of prod only, and in a value that differs.
            if env == "prod" {
                s.insert(
                    Category::Config,
                    format!("env.ADMIN{c}"),
                    Value::string("1"),
                );
            }
            s.insert(
                Category::Config,
                format!("env.K{i}"),
                Value::string(format!("{env}{c}x")),
            );
        }
        ws.store_snapshot(&s).unwrap();
    }
    let runs: [&[&str]; 5] = [
        &["diff", "staging", "prod"],
        &["diff", "staging", "prod", "--format", "markdown"],
        &["report", "staging", "prod", "--format", "markdown"],
        &["report", "staging", "prod", "--format", "html"],
        &["check", "staging", "prod"],
    ];
    for args in runs {
        let out = Command::cargo_bin("driftscope")
            .unwrap()
            .current_dir(root)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
        for c in HIDDEN {
            assert!(
                !text.contains(c),
                "{args:?} printed U+{:04X} raw:\n{text}",
                c as u32
            );
        }
        if args[0] == "diff" {
            for c in HIDDEN {
                let shown = format!("<U+{:04X}>", c as u32);
                assert!(
                    text.contains(&shown),
                    "{args:?} does not show {shown}:\n{text}"
                );
            }
        }
    }
}
