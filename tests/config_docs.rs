//! The configuration reference (`docs/configuration.md`) against the parser: every
//! table the parser accepts has a section, and each section's key table lists exactly
//! the keys the parser accepts there. The accepted keys are asked of the parser itself,
//! through the error it gives for an unknown key, so neither side can drift.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use driftscope::config::Config;

/// The keys the parser accepts where `table` (a TOML header, or empty for the top
/// level) holds an unknown key: listed by its error.
fn accepted(table: &str) -> BTreeSet<String> {
    let text = format!("{table}\nzz_unknown_key = 1\n");
    let err = Config::parse(&text, "driftscope.toml")
        .unwrap_err()
        .to_string();
    let listed = err
        .split_once("expected one of ")
        .or_else(|| err.split_once("expected "))
        .unwrap_or_else(|| panic!("{table}: not an unknown-field error: {err}"))
        .1;
    listed
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn reference() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md"))
        .unwrap()
}

/// The keys in the first column of the key table under the `### `heading`` section.
fn documented(doc: &str, heading: &str) -> BTreeSet<String> {
    let title = format!("### `{heading}`\n");
    let start = doc
        .find(&title)
        .unwrap_or_else(|| panic!("docs/configuration.md has no section {title:?}"));
    let body = &doc[start + title.len()..];
    let end = body.find("\n#").unwrap_or(body.len());
    let mut keys = BTreeSet::new();
    let mut in_key_table = false;
    for line in body[..end].lines() {
        if line.starts_with("| Key |") {
            in_key_table = true;
            continue;
        }
        if !line.starts_with('|') {
            if in_key_table && !keys.is_empty() {
                break;
            }
            continue;
        }
        if in_key_table {
            let first = line.trim_start_matches('|').split('|').next().unwrap_or("");
            if let Some(key) = first
                .trim()
                .strip_prefix('`')
                .and_then(|k| k.strip_suffix('`'))
            {
                keys.insert(key.to_string());
            }
        }
    }
    keys
}

#[test]
fn every_table_and_key_the_parser_accepts_is_documented_and_no_other() {
    let doc = reference();
    let top = accepted("");
    let sections = [
        ("environments", "[environments.NAME]", "[environments.dev]"),
        ("ignore", "[ignore]", "[ignore]"),
        ("collect", "[collect]", "[collect]"),
        ("ssh", "[ssh]", "[ssh]"),
        ("probes", "[[probes]]", "[[probes]]"),
        ("secrets", "[secrets]", "[secrets]"),
        ("databases", "[[databases]]", "[[databases]]"),
        ("severity", "[[severity]]", "[[severity]]"),
        ("rules", "[[rules]]", "[[rules]]"),
        ("certificates", "[certificates]", "[certificates]"),
    ];
    let covered: BTreeSet<String> = sections.iter().map(|(t, ..)| t.to_string()).collect();
    assert_eq!(
        top, covered,
        "the parser's top-level tables and the sections checked here"
    );
    for (_, heading, header) in sections {
        let parsed = accepted(header);
        let written = documented(&doc, heading);
        assert_eq!(
            written, parsed,
            "docs/configuration.md section {heading}: documented keys vs accepted keys"
        );
    }
}

#[test]
fn the_reference_names_every_table_in_its_overview() {
    let doc = reference();
    for table in [
        "[environments.NAME]",
        "[ignore]",
        "[collect]",
        "[ssh]",
        "[[probes]]",
        "[secrets]",
        "[[databases]]",
        "[[severity]]",
        "[[rules]]",
        "[certificates]",
    ] {
        assert!(doc.contains(&format!("`{table}`")), "{table}");
    }
}
