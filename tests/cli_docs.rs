//! The sample runs in `docs/cli.md` are real: every code block that starts with
//! `$ driftscope …` is run (the demo's commands as they are; the others in a copy of the
//! demo written out with `driftscope demo export`), and what it prints must be the rest
//! of the block, line for line.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

/// One sample: the command line after `$ ` and the output shown under it.
struct Sample {
    command: String,
    output: String,
}

fn samples(doc: &str) -> Vec<Sample> {
    let mut found = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        let Some(command) = block.first().and_then(|l| l.strip_prefix("$ driftscope ")) else {
            continue;
        };
        let mut output = block[1..].join("\n");
        output.push('\n');
        found.push(Sample {
            command: format!("driftscope {command}"),
            output,
        });
    }
    found
}

#[test]
fn the_sample_runs_in_the_cli_reference_are_what_the_program_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/cli.md")).unwrap();
    let samples = samples(&doc);
    assert!(samples.len() >= 3, "docs/cli.md shows its sample runs");
    let binary = Path::new(env!("CARGO_BIN_EXE_driftscope"));
    let dir = tempfile::tempdir().unwrap();
    let exported = Command::new(binary)
        .args(["demo", "export", "shop"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(exported.status.success());
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for sample in samples {
        // The annotations' author comes from git; the samples are signed by Dana.
        let out = Command::new("sh")
            .arg("-c")
            .arg(&sample.command)
            .current_dir(dir.path().join("shop"))
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "user.name")
            .env("GIT_CONFIG_VALUE_0", "Dana Whitfield")
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(
            stdout, sample.output,
            "docs/cli.md: `{}` prints otherwise (stderr: {stderr})",
            sample.command
        );
    }
}
