//! One host carrying every shape of secret (in file contents, a JSON file, command lines
//! and a probe's error message) is collected for real on this machine; no planted secret
//! may appear in anything written (snapshots, annotations) or printed (`snapshot`,
//! `diff`, `history`, `report`), and every ordinary value of the false-positive set must
//! stay readable.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use driftscope::model::Snapshot;
use driftscope::store::load_snapshot_file;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/planted")
        .join(name)
}

fn listed(name: &str) -> Vec<String> {
    std::fs::read_to_string(fixture(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The probes that put secrets into command lines and an error message.
const PROBES: &str = r#"
[[probes]]
name = "worker.cmdline"
category = "config"
parser = "lines"
command = "printf '%s\n' '/usr/bin/worker --token tK9xQ2mV7nB4cL1zR8wE --verbose' '/usr/bin/migrate --db-pass Db-P4ss-4-Deploy! --host db' 'mysql -u root -p MyS9lRootPw -h db'"

[[probes]]
name = "upstream.check"
category = "config"
parser = "text"
command = "echo 'fatal: upstream refused Authorization: Bearer Bearer0nlyInErr0r-7f3a9c2e1d with token ghp_ErrorMessageToken0123456789abcdefABCD' >&2; exit 3"
"#;

fn driftscope(root: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("driftscope")
        .unwrap()
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?} failed: {text}"
    );
    text
}

/// Every file under `dir`, as text.
fn all_files(dir: &Path, into: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, into);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            into.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
}

#[test]
fn no_planted_secret_is_written_or_printed_and_ordinary_values_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = format!(
        "[environments.dev]\nhosts = [\"local\"]\n\n[collect]\nfiles = [{:?}, {:?}]\n{PROBES}",
        fixture("app.yaml").display().to_string(),
        fixture("config.json").display().to_string(),
    );
    std::fs::write(root.join("driftscope.toml"), config).unwrap();
    std::fs::create_dir_all(root.join("snapshots")).unwrap();

    let mut printed = driftscope(root, &["snapshot", "dev"]);
    // A second environment from the same snapshot, one fact changed, so `diff` and
    // `report` have drift to show, with every other fact shown as equal.
    let mut files = Vec::new();
    all_files(&root.join("snapshots"), &mut files);
    let (path, _) = files
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let snapshot: Snapshot = load_snapshot_file(path).unwrap();
    let mut qa = snapshot.clone();
    qa.environment = "qa".into();
    let mut ws = driftscope::store::Workspace::open(root).unwrap();
    qa.facts.values_mut().for_each(|facts| {
        if let Some((_, value)) = facts.iter_mut().next() {
            *value = driftscope::model::Value::string("changed");
        }
    });
    // The annotated fact drifts whatever sorts first in its category.
    qa.insert(
        driftscope::model::Category::Config,
        format!("file:{}", fixture("app.yaml").display()),
        driftscope::model::Value::string("changed"),
    );
    ws.store_snapshot(&qa).unwrap();
    let key = format!("config/file:{}", fixture("app.yaml").display());
    printed += &driftscope(root, &["diff", "qa", "dev", "--all"]);
    printed += &driftscope(root, &["diff", "qa", "dev", "--all", "--format", "json"]);
    printed += &driftscope(root, &["history"]);
    printed += &driftscope(root, &["log", "dev", &key]);
    printed += &driftscope(root, &["justify", "qa", "dev", &key, "--reason", "planted"]);
    printed += &driftscope(root, &["report", "qa", "dev", "--format", "markdown"]);
    printed += &driftscope(root, &["report", "qa", "dev", "--format", "html"]);

    let mut written = Vec::new();
    all_files(root, &mut written);
    // The configuration is the test's own input (its probes print the secrets).
    written.retain(|(path, _)| !path.ends_with("driftscope.toml"));
    assert!(
        written.len() >= 4,
        "snapshots, annotations and the key were written"
    );
    let secrets = listed("secrets.txt");
    assert_eq!(secrets.len(), 25);
    let mut leaks = Vec::new();
    for secret in &secrets {
        if printed.contains(secret.as_str()) {
            leaks.push(format!("printed: {secret}"));
        }
        for (path, text) in &written {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{}: {secret}", path.display()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );

    // The host really carried them: the file fact exists, and the failing probe's
    // error was recorded (redacted).
    let text = serde_json::to_string(&snapshot.facts).unwrap();
    assert!(text.contains("hmac-sha256:"), "nothing was redacted at all");
    assert!(snapshot.errors.iter().any(|e| e.probe == "upstream.check"));
    assert!(
        snapshot
            .facts
            .values()
            .any(|facts| facts.keys().any(|k| k.starts_with("worker.cmdline"))),
        "the command-line probe left no fact"
    );
    for value in listed("readable.txt") {
        assert!(
            text.contains(&value),
            "ordinary value hidden or lost: {value}"
        );
    }
}
