//! `driftscope diff A B --format json` (and with `--all`) on two generated snapshot
//! files (every value kind, some facts missing, many changed) writes, past its `sides`, exactly the bytes
//! of the document rendered from the snapshots as generated in memory: reading the
//! files loses and changes nothing, and the command writes the report as it is.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use driftscope::demo::synthetic;
use driftscope::diff::{DiffOptions, Side, compare};
use driftscope::report::json;

/// The document from its `summary` on: what depends on the facts alone.
fn from_summary(document: &str) -> &str {
    let start = document.find("\n  \"summary\": {").expect("a summary");
    &document[start..]
}

#[test]
fn diff_of_generated_files_matches_the_in_memory_report() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = synthetic::pair(4_000, 20, 5);
    std::fs::write(dir.path().join("a.json"), a.to_json()).unwrap();
    std::fs::write(dir.path().join("b.json"), b.to_json()).unwrap();

    let sides = [
        Side {
            label: "a".into(),
            snapshots: vec![&a],
        },
        Side {
            label: "b".into(),
            snapshots: vec![&b],
        },
    ];
    // With `--all`, every fact of both files is written, equal ones too.
    for all in [false, true] {
        let mut args = vec!["diff", "a.json", "b.json", "--format", "json"];
        if all {
            args.push("--all");
        }
        let run = cli_support::run(dir.path(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);

        let options = DiffOptions {
            include_equal: all,
            ..DiffOptions::default()
        };
        let expected = json::render(&compare(&sides, &options)).unwrap();
        let facts = expected.matches("\"category\":").count();
        let least = if all { 4_000 } else { 500 };
        assert!(facts >= least, "only {facts} facts are in the report");
        assert!(
            from_summary(&run.stdout) == from_summary(&expected),
            "the command's document differs from the in-memory one (--all: {all})"
        );

        let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(document["sides"][0]["host"], "staging-1");
        assert_eq!(document["sides"][1]["hosts"][0]["host"], "prod-1");
    }
}
