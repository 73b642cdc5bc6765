//! A newcomer's first steps, end to end through the binary: snapshot files compared
//! and explored without a workspace, the demo exported as a real workspace, and a fresh
//! `init` that collects as written.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use chrono::Utc;
use driftscope::commands::open_paths;
use driftscope::model::Snapshot;
use driftscope::tui::{Keymap, State, workspace_info};
use tempfile::TempDir;

mod cli_support;
use cli_support::{Run, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A folder with no workspace above it holding copies of `fixtures`.
fn loose_files(fixtures: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (from, to) in fixtures {
        std::fs::copy(fixture(from), dir.path().join(to)).unwrap();
    }
    dir
}

const NOTE: &str = "note: no driftscope workspace here: the files are compared as they are, \
                    without ignore rules or annotations";

#[test]
fn diff_check_and_report_on_files_need_no_workspace_and_say_so() {
    let dir = loose_files(&[
        ("prod-web-1.json", "a.json"),
        ("staging-web-1.json", "b.json"),
    ]);
    let diff = run(dir.path(), &["diff", "a.json", "b.json"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert_eq!(diff.stderr.trim_end(), NOTE);
    assert!(diff.stdout.starts_with("Drift: prod"), "{}", diff.stdout);
    // No ignore rule applies: the uptime, which workspaces usually ignore, is compared.
    let json = run(
        dir.path(),
        &["diff", "a.json", "b.json", "--format", "json"],
    );
    assert_eq!(json.stderr.trim_end(), NOTE, "the note stays off the JSON");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["totals"]["ignored"], 0);
    let keys: Vec<&str> = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["key"].as_str())
        .collect();
    assert!(keys.contains(&"uptime_seconds"), "{keys:?}");

    let check = run(dir.path(), &["check", "a.json", "b.json"]);
    assert_eq!(check.code, 1, "drift nobody reviewed: {}", check.stderr);
    assert_eq!(check.stderr.trim_end(), NOTE);
    assert!(check.stdout.contains("unreviewed"), "{}", check.stdout);

    let report = run(dir.path(), &["report", "b.json", "a.json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(report.stderr.trim_end(), NOTE);
    assert!(report.stdout.starts_with("# Parity audit: staging"));

    // A name that is not a file still needs a workspace, and says how to get one.
    let env = run(dir.path(), &["diff", "a.json", "prod"]);
    assert_eq!(env.code, 2);
    assert!(env.stderr.contains("driftscope init"), "{}", env.stderr);
}

#[test]
fn named_files_open_as_sides_in_order_with_the_first_as_baseline() {
    // Two snapshots of the same prod host and one of staging: three sides.
    let dir = loose_files(&[
        ("staging-web-1.json", "stg.json"),
        ("prod-web-1.json", "prod-now.json"),
        ("prod-web-1-earlier.json", "prod-before.json"),
    ]);
    let paths: Vec<PathBuf> = ["stg.json", "prod-now.json", "prod-before.json"]
        .iter()
        .map(|n| dir.path().join(n))
        .collect();
    let mut err = Vec::new();
    let workspace = open_paths(&paths, &mut err).unwrap();
    assert!(err.is_empty());
    assert_eq!(workspace.sides, ["staging", "prod-now", "prod-before"]);
    let state = State::new(
        workspace_info(&workspace),
        Keymap::embedded().unwrap(),
        Utc::now(),
    );
    let names: Vec<&str> = state
        .workspace
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let baseline = names[state.selection.baseline];
    let others: Vec<&str> = state.selection.others.iter().map(|&i| names[i]).collect();
    assert_eq!(baseline, "staging", "the first file is the baseline");
    assert_eq!(others, ["prod-now", "prod-before"]);
    assert!(!state.workspace.is_demo, "snapshot files are not the demo");
}

#[test]
fn a_folder_of_snapshots_opens_as_history_and_bad_paths_are_named() {
    let dir = loose_files(&[
        ("prod-web-1.json", "a.json"),
        ("prod-web-1-earlier.json", "b.json"),
        ("staging-web-1.json", "c.json"),
        ("malformed.json", "broken.json"),
    ]);
    let mut err = Vec::new();
    let workspace = open_paths(&[dir.path().to_path_buf()], &mut err).unwrap();
    assert_eq!(workspace.history.environments(), ["prod", "staging"]);
    assert_eq!(workspace.history.entries.len(), 3);
    let warnings = String::from_utf8(err).unwrap();
    assert!(
        warnings.starts_with("warning: ") && warnings.contains("broken.json"),
        "{warnings}"
    );
    assert!(workspace.sides.is_empty());

    let missing = run(dir.path(), &["nothing-here.json"]);
    assert_eq!(missing.code, 2);
    assert_eq!(
        missing.stderr.trim_end(),
        "error: 'nothing-here.json' is neither a command nor a snapshot file or folder; \
         see `driftscope --help`"
    );
    let empty = TempDir::new().unwrap();
    let out = run(dir.path(), &[empty.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("holds no readable snapshot file"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_exported_demo_is_a_writable_workspace() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["demo", "export", "shop"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("Wrote the demo workspace to shop: "));
    let ws = dir.path().join("shop");
    for file in ["driftscope.toml", "annotations.toml", "snapshots"] {
        assert!(ws.join(file).exists(), "{file}");
    }
    // The same comparison as the embedded demo, annotations included.
    let exported = run(&ws, &["check", "staging", "prod"]);
    let embedded = run(dir.path(), &["--demo", "check", "staging", "prod"]);
    assert_eq!(exported.stdout, embedded.stdout);
    assert!(exported.stdout.contains("justified"), "{}", exported.stdout);
    // Writable: a justification lands in its annotations file.
    let justify = run(
        &ws,
        &[
            "justify",
            "staging",
            "prod",
            "versions/lib.libpq",
            "--reason",
            "prod first",
        ],
    );
    assert_eq!(justify.code, 0, "{}", justify.stderr);
    let annotations = std::fs::read_to_string(ws.join("annotations.toml")).unwrap();
    assert!(annotations.contains("prod first"));
    // Refused over an existing workspace, which is left alone.
    let again = run(dir.path(), &["demo", "export", "shop"]);
    assert_eq!(again.code, 2);
    assert!(
        again
            .stderr
            .contains("already holds a driftscope workspace")
    );
    let after = std::fs::read_to_string(ws.join("annotations.toml")).unwrap();
    assert_eq!(after, annotations);
}

fn stored(root: &Path, env: &str) -> Vec<Snapshot> {
    let dir = root.join("snapshots").join(env);
    let mut found = Vec::new();
    let Ok(hosts) = std::fs::read_dir(&dir) else {
        return found;
    };
    for host in hosts {
        for file in std::fs::read_dir(host.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            found.push(Snapshot::from_json(&text).unwrap());
        }
    }
    found
}

#[test]
fn a_fresh_workspace_collects_as_written_and_skips_empty_environments() {
    let dir = TempDir::new().unwrap();
    let init = run(dir.path(), &["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout.contains("driftscope snapshot --all"),
        "{}",
        init.stdout
    );
    // An environment declared without hosts yet.
    let config = dir.path().join("driftscope.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[environments.empty]\ndescription = \"hosts to come\"\n");
    std::fs::write(&config, text).unwrap();

    let all = run(dir.path(), &["snapshot", "--all"]);
    assert_eq!(all.code, 0, "{}\n{}", all.stdout, all.stderr);
    assert!(
        all.stderr.lines().any(|l| l
            .starts_with("warning: skipped environment 'empty' has no hosts")
            && l.contains("[environments.empty]")),
        "{}",
        all.stderr
    );
    assert!(
        all.stdout.starts_with("stored dev/local "),
        "{}",
        all.stdout
    );
    assert_eq!(stored(dir.path(), "dev").len(), 1);

    // Named, the empty environment is an error that says how to add hosts.
    let named = run(dir.path(), &["snapshot", "empty"]);
    assert_eq!(named.code, 2);
    assert!(
        named
            .stderr
            .contains("add them under [environments.empty] in driftscope.toml"),
        "{}",
        named.stderr
    );
}

#[test]
fn snapshot_local_stores_under_the_environment_that_declares_local() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.dev]\nhosts = [\"local\"]\n\n[environments.prod]\nhosts = [\"web-1\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["snapshot", "--local"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("stored dev/local "),
        "{}",
        out.stdout
    );
    assert_eq!(stored(dir.path(), "dev").len(), 1);
    assert!(!dir.path().join("snapshots/local").exists());

    // With no environment declaring `local`, the undeclared `local` one is used.
    std::fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.prod]\nhosts = [\"web-1\"]\n",
    )
    .unwrap();
    let out = run(dir.path(), &["snapshot", "--local"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(stored(dir.path(), "local").len(), 1);
}

/// Asserts an error run: exit 2 and exactly one `error: …` line; returns the line.
fn one_error_line(out: &Run) -> &str {
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    let line = out.stderr.trim_end();
    let line = line.lines().last().unwrap_or_default();
    assert!(line.starts_with("error: "), "{}", out.stderr);
    assert_eq!(
        out.stderr
            .lines()
            .filter(|l| l.starts_with("error"))
            .count(),
        1
    );
    line
}

#[test]
fn a_wrong_type_in_the_configuration_names_the_key_and_what_to_write() {
    let dir = TempDir::new().unwrap();
    let long = "y".repeat(100_000);
    std::fs::write(
        dir.path().join("driftscope.toml"),
        format!("[environments.dev]\nhosts = \"{long}\"\n"),
    )
    .unwrap();
    let out = run(dir.path(), &["history"]);
    let line = one_error_line(&out);
    assert!(
        line.contains("driftscope.toml: line 2, column 9: "),
        "{line}"
    );
    assert!(
        line.contains("hosts under [environments.dev]: expected a list in brackets"),
        "{line}"
    );
    assert!(line.contains("write hosts = [\"…\"]"), "{line}");
    assert!(
        line.len() < 300,
        "a short excerpt only: {} bytes",
        line.len()
    );
}

#[test]
fn a_file_that_is_not_json_is_called_that() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("notes.json"), "name: prod\nhosts: 3\n").unwrap();
    std::fs::copy(fixture("prod-web-1.json"), dir.path().join("a.json")).unwrap();
    let out = run(dir.path(), &["diff", "notes.json", "a.json"]);
    let line = one_error_line(&out);
    assert_eq!(
        line,
        "error: notes.json: line 1, column 2: not JSON (expected ident); a snapshot file is \
         the JSON document `driftscope snapshot` writes"
    );
}

#[test]
fn a_merge_conflict_in_the_annotations_file_is_named_with_its_line() {
    let dir = TempDir::new().unwrap();
    assert_eq!(run(dir.path(), &["demo", "export", "ws"]).code, 0);
    let ws = dir.path().join("ws");
    let path = ws.join("annotations.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("\n[[annotation]]").unwrap() + 1;
    let line = text[..start].lines().count() + 1;
    let conflicted = format!(
        "{}<<<<<<< HEAD\n{}=======\n>>>>>>> review\n",
        &text[..start],
        &text[start..]
    );
    std::fs::write(&path, conflicted).unwrap();
    let out = run(&ws, &["check", "staging", "prod"]);
    let said = one_error_line(&out);
    assert!(
        said.starts_with(&format!(
            "error: annotations.toml:{line}: an unresolved git merge conflict"
        )),
        "{said}"
    );
    assert!(said.contains("delete the `<<<<<<<`"), "{said}");
}

/// The words of `text` in order, whatever the line breaks and indentation.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn long_values_are_shown_whole_in_text_log_markdown_and_html() {
    let dir = TempDir::new().unwrap();
    let index = "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)";
    let diff = run(
        dir.path(),
        &["--demo", "diff", "staging", "prod", "--category", "schema"],
    );
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(words(&diff.stdout).contains(index), "{}", diff.stdout);
    assert!(
        !diff.stdout.contains('…'),
        "nothing is cut: {}",
        diff.stdout
    );
    assert!(diff.stdout.lines().all(|l| l.chars().count() <= 100));

    // Text drift shows its changed hunks with a little context.
    let config = run(
        dir.path(),
        &["--demo", "diff", "staging", "prod", "--category", "config"],
    );
    assert!(
        config.stdout.contains("- worker_processes 2;"),
        "{}",
        config.stdout
    );
    assert!(config.stdout.contains("+ worker_processes 8;"));
    assert!(config.stdout.contains("@@ line 16 @@"), "{}", config.stdout);
    let markdown_diff = run(
        dir.path(),
        &[
            "--demo",
            "diff",
            "staging",
            "prod",
            "--category",
            "config",
            "--format",
            "markdown",
        ],
    );
    assert!(
        markdown_diff.stdout.contains("```diff\n@@ line 1 @@")
            && markdown_diff.stdout.contains("+ worker_processes 8;"),
        "{}",
        markdown_diff.stdout
    );

    let log = run(
        dir.path(),
        &[
            "--demo",
            "log",
            "prod",
            "schema/index:public.orders.orders_customer_id_idx",
        ],
    );
    assert_eq!(log.code, 0, "{}", log.stderr);
    assert!(words(&log.stdout).contains(index), "{}", log.stdout);

    let markdown = run(dir.path(), &["--demo", "report", "staging", "prod"]);
    // Markdown escapes `_`; the value is otherwise whole.
    assert!(
        markdown.stdout.replace('\\', "").contains(index),
        "{}",
        markdown.stdout
    );
    assert!(markdown.stdout.contains("```diff\n@@ line 1 @@"));
    let review = &markdown.stdout[markdown.stdout.find("## Needs review").unwrap()..];
    let first_row = review.lines().find(|l| l.starts_with("| **")).unwrap();
    assert!(first_row.starts_with("| **CRITICAL** |"), "{first_row}");

    let html = run(
        dir.path(),
        &["--demo", "report", "staging", "prod", "--format", "html"],
    );
    assert!(html.stdout.contains(index), "the value is whole");
    assert!(
        html.stdout
            .contains("<span class=\"sev sev-critical\">CRITICAL</span>")
    );
    assert!(html.stdout.contains("<pre class=\"hunk\">"));
    // Keys break only after punctuation, never inside a word.
    assert!(
        html.stdout
            .contains("env.<wbr>PAYMENTS_<wbr>RETRY_<wbr>LIMIT")
    );
}
