//! Debian version order against the real `dpkg --compare-versions`, over thousands of
//! generated pairs: epochs, `~`, `+`, letters, `-0` revisions and hyphenated upstreams.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;
use std::io::Write;
use std::process::{Command, Stdio};

use driftscope::diff::version::Scheme;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

/// How many pairs are checked.
const PAIRS: usize = 3000;

/// Endings that make close neighbours of a version: the shapes real packages have.
const ENDINGS: &[&str] = &[
    "",
    "-0",
    "-1",
    "-1.1",
    "~rc1",
    "~~",
    "~",
    "+deb12u1",
    "~deb12u2",
    "+nmu1",
    "+b1",
    "+dfsg",
    "a",
    ".0",
    ".1",
    "-rc.2",
    "-1+deb12u1",
    "-0+deb11u4",
    "-1ubuntu2",
    "+really1.0",
];

/// A Debian version: optional epoch, an upstream starting with a digit (hyphenated when
/// a revision follows), an optional revision.
fn version() -> impl Strategy<Value = String> {
    (
        prop::option::weighted(0.2, 0u8..3),
        "[0-9]{1,2}(\\.[0-9a-c]{1,2}){0,3}([~+.][a-z0-9~+]{0,4})?",
        prop::option::weighted(0.2, "[0-9][a-z0-9]{0,2}"),
        prop::option::weighted(0.6, "[0-9a-z][a-z0-9.+~]{0,4}"),
    )
        .prop_map(|(epoch, upstream, hyphenated, revision)| {
            let mut text = epoch.map(|e| format!("{e}:")).unwrap_or_default();
            text.push_str(&upstream);
            if let (Some(part), Some(_)) = (&hyphenated, &revision) {
                text.push('-');
                text.push_str(part);
            }
            if let Some(revision) = revision {
                text.push('-');
                text.push_str(&revision);
            }
            text
        })
}

/// A pair: two independent versions, or a version and a close neighbour of it.
fn pair() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        (version(), version()),
        (version(), 0..ENDINGS.len(), 0..ENDINGS.len()).prop_map(|(base, x, y)| {
            // An ending with a hyphen makes the base an upstream; keep the result valid.
            let base = if ENDINGS[x].contains('-') || ENDINGS[y].contains('-') {
                base.split('-').next().unwrap_or("1").to_string()
            } else {
                base
            };
            (
                format!("{base}{}", ENDINGS[x]),
                format!("{base}{}", ENDINGS[y]),
            )
        }),
    ]
}

fn generated_pairs() -> Vec<(String, String)> {
    let mut runner = TestRunner::deterministic();
    let strategy = pair();
    (0..PAIRS)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// dpkg's verdict for each pair, from one shell loop per half of the pairs.
fn dpkg_verdicts(pairs: &[(String, String)]) -> Vec<Ordering> {
    const LOOP: &str = "while read -r a b; do \
        if dpkg --compare-versions \"$a\" lt \"$b\"; then echo lt; \
        elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo eq; \
        else echo gt; fi; done";
    let halves: Vec<&[(String, String)]> = pairs.chunks(pairs.len().div_ceil(2)).collect();
    let children: Vec<_> = halves
        .iter()
        .map(|half| {
            let mut child = Command::new("sh")
                .args(["-c", LOOP])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut input = String::new();
            for (a, b) in *half {
                input.push_str(&format!("{a} {b}\n"));
            }
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            child
        })
        .collect();
    let mut verdicts = Vec::with_capacity(pairs.len());
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "the dpkg loop failed");
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            verdicts.push(match line {
                "lt" => Ordering::Less,
                "eq" => Ordering::Equal,
                _ => Ordering::Greater,
            });
        }
    }
    assert_eq!(verdicts.len(), pairs.len(), "dpkg answered every pair");
    verdicts
}

#[test]
fn dpkg_order_equals_dpkg_compare_versions_on_generated_pairs() {
    let have_dpkg = Command::new("dpkg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have_dpkg {
        let required = std::env::var("DRIFTSCOPE_REQUIRE_SERVICES").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "dpkg is required (DRIFTSCOPE_REQUIRE_SERVICES=1) but missing"
        );
        println!("skipped: dpkg is not installed");
        return;
    }
    let pairs = generated_pairs();
    let verdicts = dpkg_verdicts(&pairs);
    let disagreements: Vec<String> = pairs
        .iter()
        .zip(&verdicts)
        .filter(|((a, b), dpkg)| Scheme::Dpkg.compare(a, b) != **dpkg)
        .map(|((a, b), dpkg)| {
            format!(
                "{a} vs {b}: dpkg {dpkg:?}, driftscope {:?}",
                Scheme::Dpkg.compare(a, b)
            )
        })
        .collect();
    let equal = verdicts.iter().filter(|v| **v == Ordering::Equal).count();
    println!(
        "{} pairs, {} equal by dpkg, {} disagreements",
        pairs.len(),
        equal,
        disagreements.len()
    );
    assert!(
        equal > 50,
        "the generator makes equal pairs too ({equal} of {})",
        pairs.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} pairs disagree with dpkg:\n{}",
        disagreements.len(),
        pairs.len(),
        disagreements[..disagreements.len().min(30)].join("\n")
    );
}
