//! Hostile files in a workspace: a snapshot with a value of an unknown kind, a symbolic
//! link to `/dev/zero`, a FIFO, an oversized file. Each is skipped or refused with a
//! one-line error naming it; the rest of the workspace keeps working and nothing hangs.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::Workspace;
use tempfile::TempDir;

fn workspace() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.staging]\nhosts = [\"s1\"]\n\n[environments.prod]\nhosts = [\"p1\", \"p2\"]\n",
    )
    .unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    for (env, host, level) in [("staging", "s1", "debug"), ("prod", "p1", "warn")] {
        let mut s = Snapshot::new(env, host, t, Source::Local);
        s.insert(Category::Config, "env.LOG_LEVEL", Value::string(level));
        ws.store_snapshot(&s).unwrap();
    }
    (dir, root)
}

fn driftscope(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("driftscope")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A snapshot of prod/p2 whose one fact has a value kind nobody knows.
const UNKNOWN_KIND: &str = r#"{"format":"driftscope-snapshot","version":1,"environment":"prod","host":"p2","taken_at":"2026-11-20T09:30:00Z","source":{"kind":"local"},"collector":"x","facts":{"config":{"env.LOG_LEVEL":{"blob":"warn"}}},"errors":[]}"#;

#[test]
fn a_snapshot_with_an_unknown_value_kind_is_skipped_and_its_environment_still_compares() {
    let (_dir, root) = workspace();
    std::fs::write(root.join("snapshots/bad.json"), UNKNOWN_KIND).unwrap();
    for (command, exit) in [("diff", 0), ("check", 1)] {
        let (code, stdout, stderr) = driftscope(&root, &[command, "staging", "prod"]);
        assert_eq!(code, exit, "{command}: {stdout}{stderr}");
        // The good prod snapshot is compared: one drift, from p1 alone.
        assert!(stdout.contains("1 drift"), "{stdout}");
        assert!(!stdout.contains("p2"), "{stdout}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("bad.json")).collect();
        assert_eq!(warnings.len(), 1, "{stderr}");
        assert!(warnings[0].starts_with("warning: "), "{stderr}");
        assert!(warnings[0].contains("blob"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_among_snapshots_are_refused_without_reading_them() {
    let (_dir, root) = workspace();
    std::os::unix::fs::symlink("/dev/zero", root.join("snapshots/zero.json")).unwrap();
    let fifo = root.join("snapshots/fifo.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, stdout, stderr) = driftscope(&root, &["history"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("s1") && stdout.contains("p1"), "{stdout}");
    assert!(
        stderr.contains("zero.json: cannot read: not a regular file (it is a device)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fifo.json: cannot read: not a regular file (it is a FIFO)"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_configuration_that_is_a_device_is_a_one_line_error() {
    let (_dir, root) = workspace();
    std::fs::remove_file(root.join("driftscope.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("driftscope.toml")).unwrap();
    let workspace = root.to_string_lossy().into_owned();
    let (code, _, stderr) = driftscope(&root, &["--workspace", &workspace, "history"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("driftscope.toml"), "{stderr}");
    assert!(
        stderr.contains("not a regular file (it is a device)"),
        "{stderr}"
    );
}

#[test]
fn an_annotations_file_over_the_limit_is_refused() {
    let (_dir, root) = workspace();
    let file = std::fs::File::create(root.join("annotations.toml")).unwrap();
    // Sparse: 17 MiB of nothing, over the 16 MiB settings limit, costs no disk.
    file.set_len(17 * 1024 * 1024).unwrap();
    let (code, _, stderr) = driftscope(&root, &["check", "staging", "prod"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("annotations.toml"), "{stderr}");
    assert!(stderr.contains("larger than the 16 MiB"), "{stderr}");
}

#[test]
fn huge_timeouts_are_configuration_errors_naming_the_key() {
    for key in ["host_timeout", "connect_timeout", "probe_timeout"] {
        let (_dir, root) = workspace();
        let config = std::fs::read_to_string(root.join("driftscope.toml")).unwrap();
        std::fs::write(
            root.join("driftscope.toml"),
            format!("{config}\n[collect]\n{key} = \"18446744073709551615s\"\n"),
        )
        .unwrap();
        let (code, stdout, stderr) = driftscope(&root, &["snapshot", "staging"]);
        assert_eq!(code, 2, "{key}: {stdout}{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stdout.contains("collected") && !stderr.contains("collected"));
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("driftscope.toml: line 8"), "{stderr}");
        assert!(stderr.contains(&format!("{key} = \"18446744073709551615s\" is too long")));
    }
}

#[test]
fn errors_about_a_megabyte_of_bad_input_stay_short() {
    let (_dir, root) = workspace();
    let huge = "x".repeat(1024 * 1024);
    std::fs::write(
        root.join("snapshots/huge.json"),
        UNKNOWN_KIND.replace("\"blob\"", &format!("\"{huge}\"")),
    )
    .unwrap();
    std::fs::write(
        root.join("annotations.toml"),
        format!(
            "[[annotation]]\ncategory = \"config\"\nkey = \"env.LOG_LEVEL\"\n\
             environments = [\"prod\", \"staging\"]\nkind = \"justify\"\nreason = \"r\"\n\
             expires = \"{huge}\"\nauthor = \"a\"\ntime = \"2026-11-20T09:30:00Z\"\n\
             fingerprint = \"sha256:00\"\n"
        ),
    )
    .unwrap();
    let (code, _, stderr) = driftscope(&root, &["check", "staging", "prod"]);
    assert_eq!(code, 2, "{}", &stderr[..stderr.len().min(2000)]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "a warning for the snapshot, an error for the annotations"
    );
    for line in lines {
        assert!(line.chars().count() <= 520, "{} chars", line.len());
        assert!(line.contains("bytes in all"), "{line}");
    }
}
