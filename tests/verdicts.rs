//! Verdicts end to end: version schemes in the diff, the severity ladder on the demo,
//! severity overrides and expectation rules from `driftscope.toml`, bulk decisions,
//! baseline acceptance, `diff --unreviewed` and `check`'s list of open facts.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::Workspace;
use tempfile::TempDir;

mod cli_support;
use cli_support::run;

const CONFIG: &str = r#"
[environments.staging]
hosts = ["deploy@staging-1"]

[environments.prod]
hosts = ["deploy@prod-1"]

[[severity]]
facts = "versions/package:*-doc"
level = "low"

[[rules]]
facts = "infra/*"
environments = ["staging", "prod"]
expect = "may_differ"
reason = "prod is sized for load"

[[rules]]
facts = "config/env.LOG_LEVEL"
expect = "must_equal"
reason = "log parsing depends on it"
"#;

fn snapshot(env: &str, host: &str, facts: &[(Category, &str, Value)]) -> Snapshot {
    let taken = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
    let mut s = Snapshot::new(env, host, taken, Source::Local);
    for (category, key, value) in facts {
        s.insert(*category, *key, value.clone());
    }
    s
}

/// staging and prod with drift in packages (dpkg), docs, infra, config and a secret.
fn workspace() -> TempDir {
    use Category::*;
    let v = |t: &str| Value::version(t);
    let s = |t: &str| Value::string(t);
    let common = |libfoo: &str, base_files: &str, doc: &str, cpus: i64, log: &str, secret: &str| {
        vec![
            (Versions, "packages.manager", s("dpkg")),
            (Versions, "package:libfoo1", v(libfoo)),
            (Versions, "package:libbar2", v(libfoo)),
            (Versions, "package:base-files", v(base_files)),
            (Versions, "package:bash-doc", v(doc)),
            (Infra, "cpu.count", Value::Scalar(cpus.into())),
            (Config, "env.LOG_LEVEL", s(log)),
            (Config, "env.API_TOKEN", Value::Redacted(secret.to_string())),
        ]
    };
    let staging = snapshot(
        "staging",
        "staging-1",
        &common("1.0-1", "12.4", "4.0", 2, "debug", "hmac-sha256:aa"),
    );
    let mut prod_facts = common("1.2-1", "12.4+deb12u1", "5.0", 8, "info", "hmac-sha256:bb");
    prod_facts.push((Versions, "package:fonts-extra", v("1.0")));
    let prod = snapshot("prod", "prod-1", &prod_facts);
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("driftscope.toml"), CONFIG).unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    ws.store_snapshot(&staging).unwrap();
    ws.store_snapshot(&prod).unwrap();
    dir
}

fn diff_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["diff", "staging", "prod", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn fact<'a>(doc: &'a serde_json::Value, category: &str, key: &str) -> &'a serde_json::Value {
    doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["category"] == category && f["key"] == key)
        .unwrap_or_else(|| panic!("no {category}/{key} in {doc}"))
}

fn keys(doc: &serde_json::Value) -> Vec<String> {
    doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}/{}",
                f["category"].as_str().unwrap(),
                f["key"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_demo_diff_starts_with_what_breaks_production() {
    let out = run(
        Path::new("."),
        &["--demo", "diff", "staging", "prod", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let top: Vec<String> = keys(&doc).into_iter().take(10).collect();
    assert_eq!(top[0], "versions/server.postgresql", "{top:#?}");
    for expected in [
        "schema/index:public.orders.orders_customer_id_idx",
        "schema/migrations:django",
        "config/env.PAYMENTS_RETRY_LIMIT",
        "versions/lib.openssl",
    ] {
        assert!(
            top.contains(&expected.to_string()),
            "{expected} not in {top:#?}"
        );
    }
    let openssl = top
        .iter()
        .position(|k| k == "versions/lib.openssl")
        .unwrap();
    assert!(
        top[..openssl]
            .iter()
            .all(|k| !k.starts_with("versions/package:")),
        "no package before the OpenSSL library: {top:#?}"
    );

    let text = run(Path::new("."), &["--demo", "diff", "staging", "prod"]);
    let lines: Vec<&str> = text.stdout.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("start here"))
        .unwrap();
    assert!(
        lines[start + 1].contains("versions/server.postgresql"),
        "{}",
        text.stdout
    );
}

#[test]
fn dpkg_versions_with_a_plus_keep_their_direction_and_level() {
    let dir = workspace();
    let doc = diff_json(dir.path(), &[]);
    let base_files = fact(&doc, "versions", "package:base-files");
    let comparison = &base_files["comparisons"][0];
    assert_eq!(comparison["ordering"], "newer", "{base_files}");
    assert_eq!(comparison["level"], "patch", "{base_files}");
}

#[test]
fn packages_on_one_side_are_low_and_overrides_and_must_equal_rules_apply() {
    let dir = workspace();
    let doc = diff_json(dir.path(), &[]);
    assert_eq!(
        fact(&doc, "versions", "package:fonts-extra")["severity"],
        "low"
    );
    // A major jump of a package is high, but the override makes -doc packages low.
    assert_eq!(
        fact(&doc, "versions", "package:bash-doc")["severity"],
        "low"
    );
    // must_equal raises a changed value (high) to critical.
    assert_eq!(
        fact(&doc, "config", "env.LOG_LEVEL")["severity"],
        "critical"
    );
    assert_eq!(keys(&doc)[0], "config/env.LOG_LEVEL");
}

#[test]
fn a_may_differ_rule_justifies_in_check_diff_and_report() {
    let dir = workspace();
    let check = run(dir.path(), &["check", "staging", "prod"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("1 of them justified by a rule in driftscope.toml"),
        "{}",
        check.stdout
    );
    // check names the open facts, not only their counts; the rule's fact is not open.
    let open = check.stdout.split("needs review:").nth(1).unwrap();
    assert!(open.contains("config/env.LOG_LEVEL"), "{}", check.stdout);
    assert!(
        open.contains("versions/package:libfoo1"),
        "{}",
        check.stdout
    );
    assert!(!open.contains("infra/cpu.count"), "{}", check.stdout);

    let unreviewed = keys(&diff_json(dir.path(), &["--unreviewed"]));
    assert!(!unreviewed.contains(&"infra/cpu.count".to_string()));
    assert!(unreviewed.contains(&"config/env.LOG_LEVEL".to_string()));
    let all = keys(&diff_json(dir.path(), &[]));
    assert_eq!(all.len(), unreviewed.len() + 1);

    let report = run(dir.path(), &["report", "staging", "prod"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(
        report
            .stdout
            .contains("justified by rule infra/\\* (driftscope.toml): \"prod is sized for load\""),
        "{}",
        report.stdout
    );
}

#[test]
fn a_glob_justifies_every_matching_drift_after_saying_how_many() {
    let dir = workspace();
    let args = [
        "justify",
        "staging",
        "prod",
        "versions/package:lib*",
        "--reason",
        "libraries follow the OS",
    ];
    let refused = run(dir.path(), &args);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(
        refused.stdout.contains("will justify 2 drifts"),
        "{}",
        refused.stdout
    );
    assert!(refused.stderr.contains("--yes"), "{}", refused.stderr);
    assert!(!dir.path().join("annotations.toml").exists());

    let mut with_yes = args.to_vec();
    with_yes.push("--yes");
    let done = run(dir.path(), &with_yes);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout.contains("justified 2 drifts as batch justify-"),
        "{}",
        done.stdout
    );
    let file = std::fs::read_to_string(dir.path().join("annotations.toml")).unwrap();
    assert_eq!(file.matches("\n[[annotation]]\n").count(), 2);
    // The values each decision was made for are in the file for reviewers.
    assert!(
        file.contains(r#"values = { "prod" = "1.2-1", "staging" = "1.0-1" }"#),
        "{file}"
    );
    // Run again: nothing left to do.
    let again = run(dir.path(), &with_yes);
    assert!(
        again.stdout.contains("every one already reviewed"),
        "{}",
        again.stdout
    );

    let removed = run(
        dir.path(),
        &[
            "unannotate",
            "staging",
            "prod",
            "versions/package:libfoo*",
            "--yes",
        ],
    );
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert!(
        removed.stdout.contains("removed 1 annotation"),
        "{}",
        removed.stdout
    );
}

#[test]
fn secrets_are_recorded_as_redacted_in_the_values() {
    let dir = workspace();
    let out = run(
        dir.path(),
        &[
            "justify",
            "staging",
            "prod",
            "config/env.API_TOKEN",
            "--reason",
            "per env",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = std::fs::read_to_string(dir.path().join("annotations.toml")).unwrap();
    assert!(
        file.contains(r#"values = { "prod" = "(redacted)", "staging" = "(redacted)" }"#),
        "{file}"
    );
    assert!(!file.contains("hmac-sha256"), "{file}");
}

#[test]
fn a_baseline_is_accepted_listed_and_undone_together() {
    let dir = workspace();
    let accepted = run(
        dir.path(),
        &[
            "accept",
            "staging",
            "prod",
            "--reason",
            "baseline of today",
            "--yes",
        ],
    );
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    let check = run(dir.path(), &["check", "staging", "prod"]);
    assert_eq!(check.code, 0, "{}", check.stdout);

    let list = run(dir.path(), &["accept", "--list"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let line = list.stdout.lines().next().unwrap();
    assert!(line.starts_with("baseline-"), "{line}");
    // Every drift but the one the rule justifies: 8 drifts in all.
    assert!(
        line.contains("7 decisions on prod, staging"),
        "{}",
        list.stdout
    );
    let batch = line.split_whitespace().next().unwrap();

    let undone = run(dir.path(), &["accept", "--undo", batch, "--yes"]);
    assert_eq!(undone.code, 0, "{}", undone.stderr);
    assert!(
        undone.stdout.contains("removed 7 annotations"),
        "{}",
        undone.stdout
    );
    let check = run(dir.path(), &["check", "staging", "prod"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
}
