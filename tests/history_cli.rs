//! End-to-end tests of history on the command line: comparing an environment with its
//! own past, `timeline`, `log` and `prune`, on the embedded demo and on temporary
//! workspaces.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::Workspace;
use tempfile::TempDir;

mod cli_support;
use cli_support::{Run, run as driftscope};

fn demo(args: &[&str]) -> Run {
    let mut all = vec!["--demo"];
    all.extend_from_slice(args);
    driftscope(Path::new(env!("CARGO_MANIFEST_DIR")), &all)
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

/// A workspace holding `web-1` of `prod` twice a day from the 1st to the `days`-th,
/// with uptime ignored; its kernel changes on the 3rd, and uptime every time.
fn workspace(days: u32) -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.prod]\nhosts = [\"web-1\"]\n\n[ignore]\nfacts = [\"infra/uptime\"]\n",
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    for day in 1..=days {
        for hour in [9, 21] {
            let mut s = Snapshot::new("prod", "web-1", at(day, hour), Source::Local);
            let kernel = if day >= 3 { "6.1.0-21" } else { "6.1.0-18" };
            s.insert(Category::Versions, "kernel", Value::version(kernel));
            s.insert(
                Category::Infra,
                "uptime",
                Value::string(format!("{day}.{hour}")),
            );
            ws.store_snapshot(&s).unwrap();
        }
    }
    dir
}

#[test]
fn comparing_prod_with_a_day_ago_shows_the_openssl_update() {
    let run = demo(&["diff", "prod@-1d", "prod", "--category", "versions"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Drift: prod@-1d (baseline) vs prod\n")
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_end().ends_with(" lib.openssl"))
        .unwrap_or_else(|| panic!("no lib.openssl drift in:\n{}", run.stdout));
    assert_eq!(lines[at + 1].trim(), "prod@-1d  3.0.11");
    assert_eq!(
        lines[at + 3].trim(),
        "3.0.13            on prod-web-1, prod-web-2"
    );
    assert_eq!(lines[at + 4].trim(), "same as baseline  on prod-web-3");
}

#[test]
fn the_demo_timeline_and_a_facts_log() {
    let run = demo(&["timeline", "prod"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Timeline of prod (3 hosts): 24 snapshots, 8 points\n")
    );
    assert!(
        run.stdout
            .contains("Compare two points: driftscope diff prod@")
    );

    let run = demo(&["log", "prod", "versions/lib.openssl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[3].ends_with("prod-web-1, prod-web-2              3.0.13"));

    let run = demo(&["log", "prod", "config/env.DATABASE_PASSWORD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("(redacted #1)"));
    assert!(!run.stdout.contains("hmac-sha256"));

    let run = demo(&["timeline", "prod", "--host", "web-9"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: no snapshots of host 'web-9' in environment 'prod'")
    );
    let run = demo(&["log", "prod", "openssl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not CATEGORY/KEY"), "{}", run.stderr);
}

#[test]
fn timeline_counts_changes_under_the_ignore_rules() {
    let dir = workspace(4);
    let run = driftscope(dir.path(), &["timeline", "prod", "--facts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let points: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("2026-"))
        .collect();
    assert_eq!(points.len(), 8);
    assert!(
        points[0].ends_with("1        -  first snapshot"),
        "{}",
        run.stdout
    );
    // Uptime changes every time but is ignored; the kernel changed once, on the 3rd.
    let changed: Vec<&str> = points
        .iter()
        .filter(|l| l.ends_with('█'))
        .copied()
        .collect();
    assert_eq!(changed.len(), 1, "{}", run.stdout);
    assert!(
        changed[0].starts_with("2026-11-03T09:00:00Z"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n    versions/kernel\n"));
    assert!(!run.stdout.contains("uptime"));

    let run = driftscope(dir.path(), &["log", "prod", "versions/kernel"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("2026-11-03T09:00:00Z  2026-11-04T21:00:00Z  web-1  6.1.0-21"),
        "{}",
        run.stdout
    );
}

#[test]
fn prune_is_a_dry_run_unless_applied_and_keeps_the_newest() {
    let dir = workspace(10);
    let files = |dir: &Path| {
        walk(&dir.join("snapshots"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .count()
    };
    assert_eq!(files(dir.path()), 20);

    let run = driftscope(dir.path(), &["prune", "--keep-daily", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("prod/web-1: keep 3, delete 17\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  keep    2026-11-10T21:00:00Z  newest, daily\n")
    );
    assert!(run.stdout.contains("  delete  2026-11-10T09:00:00Z\n"));
    assert!(run.stdout.ends_with(
        "Dry run: 17 would be deleted, 3 kept. Run again with --apply to delete them.\n"
    ));
    assert_eq!(files(dir.path()), 20, "a dry run deletes nothing");

    let run = driftscope(
        dir.path(),
        &[
            "prune",
            "prod",
            "--keep-last",
            "2",
            "--keep-weekly",
            "2",
            "--apply",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Newest two, plus the newest of the week before (2026-11-08 is a Sunday).
    assert!(
        run.stdout.ends_with("Deleted 17 snapshots, kept 3.\n"),
        "{}",
        run.stdout
    );
    assert_eq!(files(dir.path()), 3);
    let history = driftscope(dir.path(), &["history"]);
    let times: Vec<&str> = history
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(2))
        .filter(|t| t.starts_with("2026-"))
        .collect();
    assert_eq!(
        times,
        [
            "2026-11-08T21:00:00Z",
            "2026-11-10T09:00:00Z",
            "2026-11-10T21:00:00Z"
        ]
    );

    let run = driftscope(dir.path(), &["prune"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("say what to keep"), "{}", run.stderr);
    let run = demo(&["prune", "--keep-last", "1", "--apply"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the demo workspace is read-only"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
