//! Wide environments on the command line: a workspace of two environments of 60 hosts
//! each (three outlier hosts apiece) read as majorities and named strays in `diff`,
//! every host on demand, and `hosts` ranks the outliers and compares one with its peers.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use std::path::Path;

use cli_support::run;
use driftscope::demo::wide::{WideShape, environments, host_name, outlier_numbers};
use driftscope::store::Workspace;

const SHAPE: WideShape = WideShape {
    hosts: 60,
    facts: 120,
    drift_percent: 2,
    outliers: 3,
    strays: 4,
};

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Workspace::init(dir.path()).unwrap();
    let mut workspace = Workspace::open(dir.path()).unwrap();
    let (staging, prod) = environments(SHAPE, 5);
    for snapshot in staging.iter().chain(&prod) {
        workspace.store_snapshot(snapshot).unwrap();
    }
    dir
}

fn outliers(env: &str) -> Vec<String> {
    outlier_numbers(SHAPE)
        .into_iter()
        .map(|n| host_name(env, n))
        .collect()
}

#[test]
fn diff_reads_a_wide_side_as_its_majority_and_names_the_strays() {
    let dir = workspace();
    let out = run(dir.path(), &["diff", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("prod     60 hosts disagree:"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("on 57 of 60 hosts"), "{}", out.stdout);
    for host in outliers("prod") {
        assert!(
            out.stdout.contains(&format!("on {host}\n")),
            "{host}: {}",
            out.stdout
        );
    }
    assert!(
        out.stdout
            .contains("60 hosts disagree, each holding a value of its own:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("(--all-hosts lists every one)"),
        "{}",
        out.stdout
    );
    // Host names appear in the header and as strays, never as a majority's list.
    assert!(!out.stdout.contains("on prod-web-1,"), "{}", out.stdout);

    let all = run(dir.path(), &["diff", "staging", "prod", "--all-hosts"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    assert!(
        all.stdout.contains("on prod-web-1, prod-web-10,"),
        "{}",
        all.stdout
    );
    assert!(!all.stdout.contains("other values on"), "{}", all.stdout);

    let markdown = run(
        dir.path(),
        &["diff", "staging", "prod", "--format", "markdown"],
    );
    assert!(
        markdown.stdout.contains("57 hosts hold "),
        "{}",
        markdown.stdout
    );
}

#[test]
fn hosts_ranks_the_outliers_worst_first_and_counts_the_rest() {
    let dir = workspace();
    let out = run(dir.path(), &["hosts", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("Hosts of prod (60)"), "{}", out.stdout);
    let expected = outliers("prod");
    for (line, (host, strays)) in lines[1..4].iter().zip(expected.iter().zip([4, 3, 2])) {
        assert!(line.trim_start().starts_with(host.as_str()), "{line}");
        assert!(line.contains(&format!(" {strays} of ")), "{line}");
    }
    assert!(
        out.stdout
            .contains("57 other hosts hold the majority's value of every fact"),
        "{}",
        out.stdout
    );
    let every = run(dir.path(), &["hosts", "prod", "--all"]);
    assert_eq!(
        every.stdout.lines().filter(|l| l.starts_with("  ")).count(),
        60
    );

    let json = run(dir.path(), &["hosts", "prod", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["format"], "driftscope-hosts");
    assert_eq!(doc["hosts"].as_array().unwrap().len(), 60);
    assert_eq!(doc["hosts"][0]["host"], expected[0].as_str());
    assert_eq!(doc["hosts"][0]["strays"], 4);
}

#[test]
fn a_host_compared_with_its_peers_shows_only_where_it_strays() {
    let dir = workspace();
    let worst = &outliers("prod")[0];
    let reference = format!("prod/{worst}");
    let out = run(dir.path(), &["hosts", &reference]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with(&format!("Drift: prod peers (baseline) vs prod/{worst}\n")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("prod peers"), "{}", out.stdout);
    assert!(out.stdout.contains("59 hosts"), "{}", out.stdout);
    assert!(out.stdout.contains("total — 4 drift"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("hostname"),
        "no majority there: {}",
        out.stdout
    );
}

#[test]
fn hosts_names_what_is_wrong_with_a_bad_reference() {
    let dir = workspace();
    let out = run(dir.path(), &["hosts", "prod/prod-db-9"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no host 'prod-db-9'") && out.stderr.contains("prod-web-1, "),
        "{}",
        out.stderr
    );
    let file = dir.path().join("some.json");
    std::fs::write(&file, "{}").unwrap();
    let out = run(dir.path(), &["hosts", file.to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("a snapshot file holds one host"),
        "{}",
        out.stderr
    );
    let out = run(dir.path(), &["hosts", "nowhere"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown environment 'nowhere'"),
        "{}",
        out.stderr
    );
    assert!(Path::new(&file).exists());
}

#[test]
fn check_names_the_hosts_that_stray_under_a_wide_fact() {
    let dir = workspace();
    let out = run(dir.path(), &["check", "staging", "prod"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let strays = outliers("prod");
    let line = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("prod: 57 hosts hold "))
        .unwrap_or_else(|| panic!("a summary line under a wide fact: {}", out.stdout));
    assert!(strays.iter().all(|h| line.contains(h.as_str())), "{line}");
    assert!(
        out.stdout
            .contains("prod: each of the 60 hosts holds a value of its own"),
        "{}",
        out.stdout
    );
}
