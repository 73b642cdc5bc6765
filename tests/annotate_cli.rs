//! End-to-end tests of annotations on the command line: `justify`, `remediate` and
//! `unannotate`, `check`'s exit codes per review state, and the audit `report` in every
//! format (insta snapshots, with the report's time masked).

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Scalar, Snapshot, Source, Value};
use driftscope::store::{ANNOTATIONS_FILE, Workspace, parse_annotations, render_annotations};
use tempfile::TempDir;

/// A workspace whose staging and prod differ in exactly one fact, `config/env.WORKERS`,
/// and agree on `config/env.MODE`; plus a git configuration naming the author.
struct Setup {
    _dir: TempDir,
    /// The workspace: `shop` inside the temporary folder, so reports name it alike.
    root: PathBuf,
    gitconfig: PathBuf,
}

const CONFIG: &str =
    "[environments.staging]\nhosts = [\"s1\"]\n\n[environments.prod]\nhosts = [\"p1\"]\n";

fn host(env: &str, name: &str, workers: i64) -> Snapshot {
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    let mut s = Snapshot::new(env, name, t, Source::Local);
    s.insert(
        Category::Config,
        "env.WORKERS",
        Value::Scalar(Scalar::from(workers)),
    );
    s.insert(Category::Config, "env.MODE", Value::string("web"));
    s
}

fn setup_with(prod_workers: i64) -> Setup {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("shop");
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::write(root.join("driftscope.toml"), CONFIG).unwrap();
    let mut workspace = Workspace::open(&root).unwrap();
    workspace.store_snapshot(&host("staging", "s1", 2)).unwrap();
    workspace
        .store_snapshot(&host("prod", "p1", prod_workers))
        .unwrap();
    let gitconfig = dir.path().join("test.gitconfig");
    std::fs::write(&gitconfig, "[user]\n\tname = Test Author\n").unwrap();
    Setup {
        _dir: dir,
        root,
        gitconfig,
    }
}

fn setup() -> Setup {
    setup_with(8)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Setup {
    fn path(&self) -> &Path {
        &self.root
    }

    fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), &self.gitconfig, args)
    }

    fn annotations(&self) -> String {
        std::fs::read_to_string(self.path().join(ANNOTATIONS_FILE)).unwrap_or_default()
    }

    /// Rewrites the annotations file through `edit` (parsed records in, records out).
    fn edit_annotations(&self, edit: impl FnOnce(&mut Vec<driftscope::model::Annotation>)) {
        let mut records = parse_annotations(&self.annotations(), ANNOTATIONS_FILE).unwrap();
        edit(&mut records);
        std::fs::write(
            self.path().join(ANNOTATIONS_FILE),
            render_annotations(&records),
        )
        .unwrap();
    }
}

fn run_in(dir: &Path, gitconfig: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("driftscope")
        .unwrap()
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", gitconfig)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn ok(run: Run) -> Run {
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    run
}

/// Asserts an error run: exit 2 and one `error: …` line; returns the line.
fn error(run: &Run) -> &str {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let line = run.stderr.trim_end();
    assert!(line.starts_with("error: "), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
    line
}

const WORKERS: &str = "config/env.WORKERS";

#[test]
fn justify_then_check_counts_it_as_justified_and_passes() {
    let ws = setup();
    let before = ws.run(&["check", "staging", "prod"]);
    assert_eq!(before.code, 1, "{}", before.stdout);
    assert!(before.stdout.contains("1 unreviewed"), "{}", before.stdout);

    let made = ok(ws.run(&[
        "justify",
        "staging",
        "prod",
        WORKERS,
        "--reason",
        "prod is sized for load",
        "--ticket",
        "OPS-1",
    ]));
    assert_eq!(
        made.stdout,
        "justified config/env.WORKERS on prod, staging: prod is sized for load\n  saved in annotations.toml as Test Author\n"
    );
    let file = ws.annotations();
    assert!(file.contains("author = \"Test Author\""), "{file}");
    assert!(file.contains("ticket = \"OPS-1\""), "{file}");

    let after = ok(ws.run(&["check", "staging", "prod"]));
    assert!(
        after
            .stdout
            .contains("config     1 drift (1 high) · 1 equal\n           1 justified\n"),
        "{}",
        after.stdout
    );
    assert!(
        after
            .stdout
            .ends_with("OK: every drifting fact is reviewed (1 justified)\n"),
        "{}",
        after.stdout
    );
}

#[test]
fn check_exit_codes_follow_the_review_state() {
    let ws = setup();
    // Unreviewed: fails, strict or not.
    assert_eq!(ws.run(&["check", "staging", "prod"]).code, 1);
    assert_eq!(ws.run(&["check", "staging", "prod", "--strict"]).code, 1);

    // To remediate: reviewed, so it passes, unless --strict.
    ok(ws.run(&[
        "remediate",
        "staging",
        "prod",
        WORKERS,
        "--reason",
        "match prod",
    ]));
    let check = ok(ws.run(&["check", "staging", "prod"]));
    assert!(check.stdout.contains("1 to remediate"), "{}", check.stdout);
    let strict = ws.run(&["check", "staging", "prod", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        strict
            .stdout
            .ends_with("REMEDIATE: 1 fact is marked for remediation (--strict)\n"),
        "{}",
        strict.stdout
    );

    // Justified: passes, strict too. Justifying replaces the remediation.
    let replaced = ok(ws.run(&["justify", "staging", "prod", WORKERS, "--reason", "fine"]));
    assert!(
        replaced
            .stdout
            .contains("replaces the earlier annotation (remediate by Test Author"),
        "{}",
        replaced.stdout
    );
    ok(ws.run(&["check", "staging", "prod"]));
    ok(ws.run(&["check", "staging", "prod", "--strict"]));

    // Expired: unreviewed again.
    ws.edit_annotations(|records| {
        records[0].expires = chrono::NaiveDate::from_ymd_opt(2020, 1, 31);
    });
    let expired = ws.run(&["check", "staging", "prod"]);
    assert_eq!(expired.code, 1, "{}", expired.stdout);
    assert!(
        expired
            .stdout
            .ends_with("DRIFT: 1 fact needs review (1 expired)\n"),
        "{}",
        expired.stdout
    );

    // Stale: the values changed since the decision.
    ws.edit_annotations(|records| records[0].expires = None);
    ok(ws.run(&["check", "staging", "prod"]));
    let mut workspace = Workspace::open(ws.path()).unwrap();
    let mut later = host("prod", "p1", 12);
    later.taken_at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 30, 0).unwrap();
    workspace.store_snapshot(&later).unwrap();
    let stale = ws.run(&["check", "staging", "prod"]);
    assert_eq!(stale.code, 1, "{}", stale.stdout);
    assert!(
        stale
            .stdout
            .ends_with("DRIFT: 1 fact needs review (1 stale)\n"),
        "{}",
        stale.stdout
    );
    // The decision still holds for the values it was made for.
    ok(ws.run(&["check", "staging", "prod@2026-11-20"]));
}

#[test]
fn unannotate_removes_the_decision() {
    let ws = setup();
    ok(ws.run(&["justify", "staging", "prod", WORKERS, "--reason", "fine"]));
    let wrong = ws.run(&["unannotate", "dev", "prod", WORKERS]);
    let line = error(&wrong);
    assert_eq!(
        line,
        "error: there is no annotation for config/env.WORKERS on dev, prod (it has one on prod, staging)"
    );
    let removed = ok(ws.run(&["unannotate", "prod@2026-11-20", "staging", WORKERS]));
    assert!(
        removed.stdout.starts_with(
            "removed the annotation for config/env.WORKERS on prod, staging (justified, fine)\n"
        ),
        "{}",
        removed.stdout
    );
    assert!(
        !ws.annotations().contains("\n[[annotation]]\n"),
        "{}",
        ws.annotations()
    );
    assert_eq!(ws.run(&["check", "staging", "prod"]).code, 1);
}

#[test]
fn bad_annotations_are_refused_with_one_clear_line() {
    let ws = setup();
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "justify",
                "staging",
                "prod",
                "config/env.MODE",
                "--reason",
                "x",
            ],
            "error: config/env.MODE does not drift between staging and prod: every side holds the same value",
        ),
        (
            &[
                "justify",
                "staging",
                "prod",
                "config/env.NOPE",
                "--reason",
                "x",
            ],
            "error: there is no fact config/env.NOPE in staging and prod",
        ),
        (
            &["justify", "staging", "prod", WORKERS, "--reason", "  "],
            "error: a reason is required",
        ),
        (
            &[
                "justify",
                "staging",
                "prod",
                WORKERS,
                "--reason",
                "x",
                "--expires",
                "2020-01-01",
            ],
            "error: --expires: 2020-01-01 is in the past; give today or a later day",
        ),
        (
            &[
                "justify",
                "staging",
                "prod",
                "cfg/env.WORKERS",
                "--reason",
                "x",
            ],
            "error: in 'cfg/env.WORKERS': unknown category 'cfg'",
        ),
        (
            &["remediate", "staging", "nowhere", WORKERS, "--reason", "x"],
            "error: unknown environment 'nowhere'",
        ),
    ];
    for (args, expected) in cases {
        let out = ws.run(args);
        let line = error(&out);
        assert!(line.starts_with(expected), "{args:?}: {line}");
    }
    assert!(!ws.path().join(ANNOTATIONS_FILE).exists());
    // clap refuses a missing reason and a malformed date before anything runs.
    assert_eq!(ws.run(&["justify", "staging", "prod", WORKERS]).code, 2);
    let date = ws.run(&[
        "justify",
        "staging",
        "prod",
        WORKERS,
        "--reason",
        "x",
        "--expires",
        "soon",
    ]);
    assert_eq!(date.code, 2);
    assert!(date.stderr.contains("is not a date"), "{}", date.stderr);
}

#[test]
fn the_author_falls_back_to_the_os_user_without_git_config() {
    let ws = setup();
    let empty = ws.path().join("empty.gitconfig");
    std::fs::write(&empty, "").unwrap();
    let out = Command::cargo_bin("driftscope")
        .unwrap()
        .current_dir(ws.path())
        .env("GIT_CONFIG_GLOBAL", &empty)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "ops-bot")
        .args(["justify", "staging", "prod", WORKERS, "--reason", "fine"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        ws.annotations().contains("author = \"ops-bot\""),
        "{}",
        ws.annotations()
    );
}

#[test]
fn the_demo_is_read_only_but_shows_its_annotations() {
    let dir = TempDir::new().unwrap();
    let gitconfig = dir.path().join("g");
    std::fs::write(&gitconfig, "").unwrap();
    let out = run_in(
        dir.path(),
        &gitconfig,
        &[
            "--demo",
            "justify",
            "staging",
            "prod",
            "config/env.LOG_LEVEL",
            "--reason",
            "x",
        ],
    );
    let line = error(&out);
    assert!(
        line.starts_with("error: the demo workspace is read-only"),
        "{line}"
    );
    let out = run_in(
        dir.path(),
        &gitconfig,
        &[
            "--demo",
            "unannotate",
            "staging",
            "prod",
            "config/env.LOG_LEVEL",
        ],
    );
    assert!(error(&out).contains("read-only"));

    let check = run_in(
        dir.path(),
        &gitconfig,
        &["--demo", "check", "staging", "prod"],
    );
    assert_eq!(check.code, 1);
    let total = check
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("total"))
        .nth(1)
        .unwrap_or_default();
    for state in [
        "unreviewed",
        "justified",
        "to remediate",
        "stale",
        "expired",
    ] {
        assert!(total.contains(state), "{state}: {}", check.stdout);
    }
}

/// Replaces the report's generation time, the one thing that changes between runs.
fn mask_generated(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    for marker in ["generated ", "\"generated_at\": \""] {
        if let Some(at) = rest.find(marker) {
            let start = at + marker.len();
            let end = start + if marker.starts_with('"') { 20 } else { 17 };
            out.push_str(&rest[..start]);
            out.push_str("[time]");
            rest = &rest[end.min(rest.len())..];
        }
    }
    out.push_str(rest);
    out
}

/// A workspace with a decision in every state: justified, to remediate, stale and
/// expired, and one whose fact no longer drifts; all made at fixed times.
fn audited() -> Setup {
    let ws = setup_with(8);
    let mut workspace = Workspace::open(ws.path()).unwrap();
    let t = |h| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
    let mut staging = host("staging", "s1", 2);
    staging.taken_at = t(10);
    for (key, value) in [
        ("env.LOG_LEVEL", "debug"),
        ("env.REGION", "eu-1"),
        ("env.CACHE", "off"),
        ("env.QUEUE", "<local> & \"fast\""),
    ] {
        staging.insert(Category::Config, key, Value::string(value));
    }
    workspace.store_snapshot(&staging).unwrap();
    let mut prod = host("prod", "p1", 8);
    prod.taken_at = t(11);
    for (key, value) in [
        ("env.LOG_LEVEL", "warn"),
        ("env.REGION", "eu-2"),
        ("env.CACHE", "on"),
        ("env.QUEUE", "sqs"),
    ] {
        prod.insert(Category::Config, key, Value::string(value));
    }
    workspace.store_snapshot(&prod).unwrap();
    let decide = |verb: &str, key: &str, reason: &str, extra: &[&str]| {
        let mut args = vec![verb, "staging", "prod", key, "--reason", reason];
        args.extend_from_slice(extra);
        ok(ws.run(&args));
    };
    decide(
        "justify",
        WORKERS,
        "Prod is sized for load.",
        &["--expires", "2099-12-31"],
    );
    decide(
        "remediate",
        "config/env.CACHE",
        "Turn the cache on in staging.",
        &["--ticket", "https://tickets.example/OPS-7"],
    );
    decide("justify", "config/env.LOG_LEVEL", "Quieter prod logs.", &[]);
    decide(
        "justify",
        "config/env.REGION",
        "Regions <differ> | by design.",
        &["--ticket", "NET-1"],
    );
    ws.edit_annotations(|records| {
        for (i, a) in records.iter_mut().enumerate() {
            a.time = Utc.with_ymd_and_hms(2026, 11, 21, 8, i as u32, 0).unwrap();
            match a.key.key.as_str() {
                "env.LOG_LEVEL" => a.fingerprint = format!("sha256:{}", "0".repeat(64)),
                "env.REGION" => a.expires = chrono::NaiveDate::from_ymd_opt(2020, 6, 30),
                _ => {}
            }
        }
        let mut gone = records[0].clone();
        gone.key.key = "env.MODE".into();
        gone.reason = "Modes used to differ.".into();
        records.push(gone);
    });
    ws
}

fn report(ws: &Setup, format: &str) -> String {
    let out = ok(ws.run(&["report", "staging", "prod", "--format", format]));
    mask_generated(&out.stdout)
}

#[test]
fn report_markdown_matches_its_snapshot() {
    let ws = audited();
    insta::assert_snapshot!(report(&ws, "markdown"));
}

#[test]
fn report_html_matches_its_snapshot() {
    let ws = audited();
    let html = report(&ws, "html");
    assert!(
        html.contains("&lt;local&gt; &amp; &quot;fast&quot;"),
        "{html}"
    );
    insta::assert_snapshot!(html);
}

#[test]
fn report_json_matches_its_snapshot_and_parses() {
    let ws = audited();
    let json = report(&ws, "json");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["totals"]["justified"], 1);
    assert_eq!(doc["totals"]["remediate"], 1);
    assert_eq!(doc["totals"]["stale"], 1);
    assert_eq!(doc["totals"]["expired"], 1);
    assert_eq!(doc["totals"]["unreviewed"], 1);
    assert_eq!(doc["resolved"][0]["key"], "env.MODE");
    insta::assert_snapshot!(json);
}

#[test]
fn report_on_the_demo_has_every_part() {
    let dir = TempDir::new().unwrap();
    let gitconfig = dir.path().join("g");
    std::fs::write(&gitconfig, "").unwrap();
    let out = run_in(
        dir.path(),
        &gitconfig,
        &["--demo", "report", "staging", "prod"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for part in [
        "# Parity audit: staging vs prod",
        "## Summary",
        "## Justified differences (4)",
        "## Remediation checklist (3)",
        "- [ ] **`versions/server.postgresql`** (critical)",
        "ticket DB-88",
        "## Needs review (56)",
        "**stale**: justified by Dana Whitfield",
        "**expired**: justified by Sam Okafor",
    ] {
        assert!(out.stdout.contains(part), "{part}: {}", out.stdout);
    }
}

/// Every field name of an object (and of the objects within it), with its path.
fn field_names(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, inner) in map {
                out.push(name.clone());
                field_names(inner, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                field_names(item, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_of_the_json_report_is_documented() {
    let ws = audited();
    let doc: serde_json::Value = serde_json::from_str(&report(&ws, "json")).unwrap();
    let mut names = Vec::new();
    field_names(&doc, &mut names);
    let text = include_str!("../docs/audit-report.md");
    // The summary's keys are category names, not fields.
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    for name in names.iter().filter(|n| !categories.contains(&n.as_str())) {
        let documented = [format!("{name}`"), format!("{name}[]`")]
            .iter()
            .any(|form| text.contains(form.as_str()));
        assert!(
            documented,
            "docs/audit-report.md does not document `{name}`"
        );
    }
}
