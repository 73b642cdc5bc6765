//! Fuzzing every reader of outside input with mutated real inputs (proptest-driven, so it
//! runs on stable Rust as part of `cargo test`): the snapshot reader (full, index and
//! single-fact), the raw, Ansible and osquery importers, the redactor, the annotations
//! reader, `driftscope.toml`, keymap and theme files.
//!
//! Each target runs `DRIFTSCOPE_FUZZ_CASES` cases (256 by default, a few seconds in all);
//! set it higher for a long run, e.g.
//! `DRIFTSCOPE_FUZZ_CASES=200000 cargo test --release --test fuzz -- --nocapture`.
//! Every input must be handled without a panic, with an error of bounded length when it
//! is refused, and with each target's own invariant (below) when it is accepted.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use driftscope::collect::WorkspaceKey;
use driftscope::collect::import::{ImportContext, ansible, osquery, raw};
use driftscope::collect::probe::Probe;
use driftscope::collect::redact::Redactor;
use driftscope::config::Config;
use driftscope::model::{Category, FactKey, Snapshot, Value};
use driftscope::store::{fact_in, parse_annotations, render_annotations, snapshot_counts};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, TestRunner};

/// How many cases each target runs.
fn cases() -> u32 {
    std::env::var("DRIFTSCOPE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Runs `check` on `cases()` inputs mutated from `seeds`, and reports how many ran.
fn fuzz(target: &str, seeds: Vec<Vec<u8>>, check: impl Fn(&[u8])) {
    let config = RunConfig {
        cases: cases(),
        failure_persistence: None,
        ..RunConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let seeds = std::sync::Arc::new(seeds);
    let result = runner.run(&mutated(seeds), |input| {
        check(&input);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{target}: {e}");
    }
    eprintln!("fuzz {target}: {} cases, 0 crashes", cases());
}

/// Tokens that tend to matter to parsers.
const INTERESTING: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "=",
    "\n",
    "\\",
    "\\u0000",
    "null",
    "-1",
    "18446744073709551616",
    "1e999",
    "\u{202e}",
    "\u{200b}",
    "-----BEGIN PRIVATE KEY-----",
    "-----END PRIVATE KEY-----",
    "[[annotation]]",
    "@@",
    "\u{0}",
    "\r\n",
    "'",
    "#",
];

/// A seed with a handful of random edits: byte flips, inserted tokens or random bytes,
/// deleted or duplicated ranges, or a splice with another seed.
fn mutated(seeds: std::sync::Arc<Vec<Vec<u8>>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    (
        0..n,
        0..n,
        prop::collection::vec((0u8..6, any::<u32>(), any::<u32>(), any::<u8>()), 1..8),
    )
        .prop_map(move |(a, b, edits)| {
            let mut data = seeds[a].clone();
            for (kind, x, y, byte) in edits {
                let len = data.len().max(1);
                let at = x as usize % len;
                match kind {
                    0 if !data.is_empty() => data[at] ^= 1 << (byte % 8),
                    1 => {
                        let token = INTERESTING[y as usize % INTERESTING.len()];
                        let at = at.min(data.len());
                        data.splice(at..at, token.bytes());
                    }
                    2 if !data.is_empty() => {
                        let end = (at + 1 + y as usize % 64).min(data.len());
                        data.drain(at..end);
                    }
                    3 if !data.is_empty() => {
                        let end = (at + 1 + y as usize % 256).min(data.len());
                        let chunk: Vec<u8> = data[at..end].to_vec();
                        data.splice(at..at, chunk);
                    }
                    4 => {
                        let other = &seeds[b];
                        let cut = y as usize % other.len().max(1);
                        data.truncate(at.min(data.len()));
                        data.extend_from_slice(&other[cut.min(other.len())..]);
                    }
                    _ => {
                        let at = at.min(data.len());
                        data.insert(at, byte);
                    }
                }
            }
            data
        })
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Refusals are one short line: the input is quoted only in excerpts.
fn short_error(target: &str, message: &str, input_len: usize) {
    assert!(
        message.len() <= 2000 || message.len() < input_len / 2,
        "{target}: an error of {} bytes for {} bytes of input",
        message.len(),
        input_len
    );
}

fn redactor() -> Redactor {
    Redactor::new(WorkspaceKey::from_bytes([7; 32]), &Default::default()).unwrap()
}

#[test]
fn fuzz_snapshot_reader() {
    let seeds = [
        "prod-web-1.json",
        "staging-web-1.json",
        "escapes.json",
        "malformed.json",
        "future-version.json",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let key = FactKey::new(Category::Versions, "kernel");
    fuzz("snapshot reader", seeds, |bytes| {
        let text = text(bytes);
        let full = Snapshot::from_json(&text);
        let counts = snapshot_counts(text.as_bytes());
        // The index accepts exactly what a full read accepts, with the same counts.
        match (&full, &counts) {
            (Ok(snapshot), Ok((facts, errors))) => {
                // The index counts entries as written; a key written twice (by hand: driftscope
                // never does) is one fact once read, the last one.
                assert!(snapshot.fact_count() <= *facts);
                assert_eq!(snapshot.errors.len(), *errors);
                // What was read writes back and reads again the same.
                assert_eq!(
                    Snapshot::from_json(&snapshot.to_json()).as_ref(),
                    Ok(snapshot)
                );
            }
            (Err(a), Err(b)) => {
                // The same kind of refusal (the parser's wording may differ).
                assert_eq!(std::mem::discriminant(a), std::mem::discriminant(b));
                short_error("snapshot reader", &a.to_string(), bytes.len());
            }
            _ => panic!("index and full read disagree: {full:?} vs {counts:?}"),
        }
        let _ = fact_in(text.as_bytes(), &key);
    });
}

#[test]
fn fuzz_raw_importer() {
    let probes: Vec<Probe> = driftscope::collect::catalogue::builtin(&[]);
    let token = "DS00ff00ff";
    let mut seed = format!(
        "login banner\n@@{token} host web-1\n@@{token} time 2026-11-20T09:30:00Z\n@@{token} plan {} {}\n@@{token} frames {}\n",
        probes.len(),
        driftscope::collect::script::plan_digest(&probes),
        probes.len()
    );
    for i in 0..probes.len() {
        seed.push_str(&format!("{i} 0 2 0\n"));
    }
    seed.push_str(&"x\n".repeat(probes.len()));
    seed.push_str(&format!("\n@@{token} end\n"));
    let redactor = redactor();
    let context = ImportContext {
        environment: "prod".into(),
        host: None,
        taken_at: None,
        redactor: &redactor,
        probes: &probes,
    };
    fuzz(
        "raw importer",
        vec![seed.into_bytes()],
        |bytes| match raw::read(bytes, Path::new("out.txt"), "out.txt", &context) {
            Ok(result) => {
                for imported in result.imported {
                    let s = &imported.snapshot;
                    assert_eq!(Snapshot::from_json(&s.to_json()).as_ref(), Ok(s));
                }
            }
            Err(e) => short_error("raw importer", &e, bytes.len()),
        },
    );
}

#[test]
fn fuzz_ansible_importer() {
    let seeds = ["setup-all.txt", "setup-oneline.txt", "setup-web-1.txt"]
        .iter()
        .map(|f| fixture(&format!("import/ansible/{f}")))
        .collect();
    fuzz("ansible importer", seeds, |bytes| {
        if let Err(e) = ansible::parse(&text(bytes), "setup.txt", "setup.txt") {
            short_error("ansible importer", &e, bytes.len());
        }
    });
}

#[test]
fn fuzz_osquery_importer() {
    let seeds = ["web-1.json", "bad-rows.json", "osqueryd.results.log"]
        .iter()
        .map(|f| fixture(&format!("import/osquery/{f}")))
        .collect();
    fuzz("osquery importer", seeds, |bytes| {
        if let Err(e) = osquery::parse(&text(bytes), "web-1.json", "web-1.json") {
            short_error("osquery importer", &e, bytes.len());
        }
    });
}

#[test]
fn fuzz_redactor() {
    // Not in any seed, so only the planted copy can hold it (a token glued to other
    // word characters, as mutations make of the seeds' own, is not a token's shape).
    const SECRET: &str = "ghp_FuzzPlantedToken0123456789abcdefABCD";
    let seeds = vec![
        fixture("planted/app.yaml"),
        fixture("planted/config.json"),
        b"DB_PASSWORD=hunter2\nurl=postgres://a:b@c/d\n".to_vec(),
    ];
    let redactor = redactor();
    fuzz("redactor", seeds, |bytes| {
        let input = text(bytes);
        // A known secret planted between line breaks never survives, whatever is around.
        let at = input
            .char_indices()
            .map(|(i, _)| i)
            .nth(bytes.len() % 7)
            .unwrap_or(input.len());
        let planted = format!("{}\n{SECRET}\n{}", &input[..at], &input[at..]);
        for out in [
            redactor.text(&planted),
            redactor.line(&planted),
            redactor.inline(&planted),
        ] {
            assert!(!out.contains(SECRET), "the planted token survived:\n{out}");
        }
        let _ = redactor.fact("app.value", Value::string(input.clone()));
        let _ = redactor.fact("app.text", Value::Text(input));
    });
}

#[test]
fn fuzz_annotations_reader() {
    let seed = br#"# driftscope annotations
[[annotation]]
category = "config"
key = "env.WORKERS"
environments = ["prod", "staging"]
kind = "justify"
reason = "prod has 8 workers, staging 2: cost"
ticket = "OPS-12"
expires = "2027-01-31"
author = "Ada"
time = "2026-11-20T09:30:00Z"
fingerprint = "sha256:0123456789abcdef"

[[annotation]]
category = "versions"
key = "runtime.python"
environments = ["dev", "prod"]
kind = "remediate"
reason = "upgrade dev"
author = "Bo"
time = "2026-11-21T10:00:00Z"
fingerprint = "sha256:fedcba9876543210"
"#;
    fuzz("annotations reader", vec![seed.to_vec()], |bytes| {
        match parse_annotations(&text(bytes), "annotations.toml") {
            // What was read is written back and read again the same.
            Ok(records) => {
                let again = parse_annotations(&render_annotations(&records), "annotations.toml");
                assert_eq!(again.ok().as_ref(), Some(&records));
            }
            Err(e) => short_error("annotations reader", &e.to_string(), bytes.len()),
        }
    });
}

#[test]
fn fuzz_configuration() {
    let seeds = vec![
        driftscope::config::CONFIG_TEMPLATE.as_bytes().to_vec(),
        br#"[environments.prod]
hosts = ["deploy@10.0.0.5:22", "local"]

[collect]
host_timeout = "2m"
connect_timeout = "1500ms"
files = ["/etc/app.conf"]

[[probes]]
name = "app"
category = "versions"
command = "cat /opt/app/VERSION"
parser = "version"

[secrets]
keys = ["DATABASE_URL"]

[ignore]
facts = ["infra/uptime"]
"#
        .to_vec(),
    ];
    fuzz("driftscope.toml", seeds, |bytes| {
        if let Err(e) = Config::parse(&text(bytes), "driftscope.toml") {
            short_error("driftscope.toml", &e.to_string(), bytes.len());
        }
    });
}

#[test]
fn fuzz_keymap_files() {
    let seeds = vec![driftscope::tui::keymap::DEFAULT_KEYMAP.as_bytes().to_vec()];
    let base = driftscope::tui::Keymap::embedded().unwrap();
    fuzz("keymap file", seeds, |bytes| {
        if let Err(e) = base.clone().with_overrides(&text(bytes), "keymap.toml") {
            short_error("keymap file", &e.to_string(), bytes.len());
        }
    });
}

#[test]
fn fuzz_theme_files() {
    let seeds = driftscope::tui::theme::BUILT_IN
        .iter()
        .map(|(_, text)| text.as_bytes().to_vec())
        .collect();
    let base = driftscope::tui::theme::Theme::built_in("dark").unwrap();
    fuzz("theme file", seeds, |bytes| {
        if let Err(e) = base.clone().overlay(&text(bytes), "theme.toml") {
            short_error("theme file", &e.to_string(), bytes.len());
        }
    });
}
