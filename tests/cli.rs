//! End-to-end tests of the `driftscope` command line: exit codes, output formats,
//! snapshot references and error messages, on temporary workspaces built from the
//! snapshot files in `tests/fixtures/`.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use driftscope::model::Snapshot;
use driftscope::store::Workspace;
use tempfile::TempDir;

const CONFIG: &str = r#"# A test workspace: three environments, uptime ignored.
[environments.dev]
hosts = ["local"]
description = "a developer laptop"

[environments.staging]
hosts = ["deploy@staging-web-1", "deploy@staging-web-2"]

[environments.prod]
hosts = ["deploy@prod-web-1"]

[ignore]
facts = ["infra/uptime*"]
"#;

/// The well-formed fixtures every workspace holds.
const STANDARD: [&str; 5] = [
    "dev-laptop.json",
    "staging-web-1.json",
    "staging-web-2.json",
    "prod-web-1.json",
    "prod-web-1-earlier.json",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_fixture(name: &str) -> Snapshot {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    Snapshot::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A workspace holding `files` (fixtures) in its history; returns it and the path of the
/// last stored snapshot.
fn workspace_with(files: &[&str]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("driftscope.toml"), CONFIG).unwrap();
    std::fs::create_dir(dir.path().join("snapshots")).unwrap();
    let mut workspace = Workspace::open(dir.path()).unwrap();
    let mut last = PathBuf::new();
    for name in files {
        last = workspace.store_snapshot(&read_fixture(name)).unwrap();
    }
    (dir, last)
}

fn workspace() -> TempDir {
    workspace_with(&STANDARD).0
}

fn driftscope(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("driftscope").unwrap();
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = driftscope(dir).args(args).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = run(dir, args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// Asserts an error run: exit 2 and exactly one `error: …` line on stderr.
fn assert_error(out: &Run) -> &str {
    assert_eq!(
        out.code, 2,
        "stdout: {}\nstderr: {}",
        out.stdout, out.stderr
    );
    let line = out.stderr.trim_end();
    assert!(line.starts_with("error: "), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
    line
}

#[test]
fn fixtures_parse_and_are_written_canonically() {
    for name in STANDARD.iter().chain(&["escapes.json"]) {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let snapshot = read_fixture(name);
        assert_eq!(snapshot.to_json(), text, "{name} is not in canonical form");
        assert!(snapshot.fact_count() > 20, "{name}");
    }
}

#[test]
fn diff_with_drift_exits_zero_and_explains_it() {
    let ws = workspace();
    let out = run(ws.path(), &["diff", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    assert!(
        text.starts_with("Drift: staging (baseline) vs prod\n"),
        "{text}"
    );
    assert!(text.contains("2 hosts: web-1, web-2"), "{text}");
    assert!(text.contains("server.postgresql"), "{text}");
    assert!(text.contains("16.4  · newer, major"), "{text}");
    assert!(text.contains("(redacted) differs"), "{text}");
    assert!(!text.contains("hmac-sha256"), "{text}");
    assert!(text.contains("hosts disagree:"), "{text}");
    assert!(text.contains("+ 10.0.0.4"), "{text}");
    assert!(text.contains("− 10.0.0.3"), "{text}");
    assert!(text.contains("+ worker_processes 8;"), "{text}");
    assert!(text.contains("index:public.users_email_key"), "{text}");
    assert!(text.contains("(absent)"), "{text}");
    assert!(text.contains("expires: 2027-02-01 → 2026-12-05"), "{text}");
    assert!(text.contains("ignored"), "{text}");
    assert!(
        !text.contains("uptime_seconds"),
        "ignored fact shown: {text}"
    );
}

#[test]
fn check_of_identical_sides_exits_zero() {
    let ws = workspace();
    let out = run(ws.path(), &["check", "dev", "dev"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.starts_with("check: dev#1 vs dev#2\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("versions   0 drift"), "{}", out.stdout);
    assert!(out.stdout.ends_with("OK: no drift\n"), "{}", out.stdout);
}

#[test]
fn check_with_drift_exits_one_with_a_line_per_category() {
    let ws = workspace();
    let out = run(ws.path(), &["check", "staging", "prod"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    for category in [
        "versions", "config", "schema", "network", "infra", "services",
    ] {
        assert!(
            out.stdout
                .lines()
                .any(|l| l.starts_with(category) && l.contains(" drift")),
            "{category}: {}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("critical"), "{}", out.stdout);
    assert!(
        out.stdout.lines().any(|l| l.starts_with("total")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("DRIFT: "), "{}", out.stdout);
}

#[test]
fn check_with_an_unknown_environment_exits_two() {
    let ws = workspace();
    let out = run(ws.path(), &["check", "staging", "nowhere"]);
    let line = assert_error(&out);
    assert!(line.contains("nowhere"), "{line}");
}

#[test]
fn diff_with_an_unknown_environment_exits_two() {
    let ws = workspace();
    let out = run(ws.path(), &["diff", "nowhere", "prod"]);
    let line = assert_error(&out);
    assert!(line.contains("nowhere"), "{line}");
}

#[test]
fn text_output_is_plain_when_not_a_terminal() {
    let ws = workspace();
    let out = run(ws.path(), &["diff", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("runtime.python"), "{}", out.stdout);
    assert!(!out.stdout.contains('\u{1b}'), "{}", out.stdout);
}

#[test]
fn color_always_colours_diff_and_check() {
    let ws = workspace();
    let out = run(ws.path(), &["--color", "always", "diff", "staging", "prod"]);
    assert!(out.stdout.contains("\u{1b}["), "{}", out.stdout);
    let out = run(
        ws.path(),
        &["check", "staging", "prod", "--color", "always"],
    );
    assert!(out.stdout.contains("\u{1b}["), "{}", out.stdout);
}

/// Runs driftscope on a pseudo-terminal (via `script`), so `--color auto` sees a terminal.
fn run_on_terminal(dir: &Path, args: &str, no_color: Option<&str>) -> String {
    let binary = assert_cmd::cargo::cargo_bin("driftscope");
    let line = format!("{} {args}", binary.display());
    let mut cmd = StdCommand::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null());
    match no_color {
        Some(v) => cmd.env("NO_COLOR", v),
        None => cmd.env_remove("NO_COLOR"),
    };
    let output = cmd
        .output()
        .expect("`script` (util-linux) is needed for this test");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn auto_colour_follows_the_terminal_and_no_color() {
    let ws = workspace();
    let coloured = run_on_terminal(ws.path(), "diff staging prod", None);
    assert!(coloured.contains("runtime.python"), "{coloured}");
    assert!(
        coloured.contains("\u{1b}["),
        "no colour on a terminal: {coloured}"
    );
    let empty = run_on_terminal(ws.path(), "diff staging prod", Some(""));
    assert!(
        empty.contains("\u{1b}["),
        "empty NO_COLOR must not disable colour: {empty}"
    );
    let plain = run_on_terminal(ws.path(), "diff staging prod", Some("1"));
    assert!(plain.contains("runtime.python"), "{plain}");
    assert!(!plain.contains("\u{1b}["), "NO_COLOR ignored: {plain}");
}

#[test]
fn json_output_has_the_documented_fields() {
    let ws = workspace();
    let doc = json(ws.path(), &["diff", "staging", "prod", "--format", "json"]);
    assert_eq!(doc["format"], "driftscope-diff");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["sides"].as_array().unwrap().len(), 2);
    assert_eq!(doc["sides"][0]["label"], "staging");
    assert_eq!(doc["sides"][1]["hosts"][0]["host"], "web-1");
    assert_eq!(
        doc["sides"][1]["hosts"][0]["taken_at"],
        "2026-11-21T08:00:00Z"
    );
    for category in [
        "versions", "config", "schema", "network", "infra", "services",
    ] {
        let counts = &doc["summary"][category];
        for field in ["facts", "drift", "equal", "ignored"] {
            assert!(counts[field].is_u64(), "{category}.{field}: {counts}");
        }
        for severity in ["critical", "high", "medium", "low"] {
            assert!(counts["by_severity"][severity].is_u64(), "{counts}");
        }
    }
    assert!(doc["summary"]["infra"]["ignored"].as_u64().unwrap() >= 1);
    assert!(doc["totals"]["drift"].as_u64().unwrap() > 0);
    let facts = doc["facts"].as_array().unwrap();
    assert_eq!(facts.len() as u64, doc["totals"]["drift"].as_u64().unwrap());
    let postgres = facts
        .iter()
        .find(|f| f["key"] == "server.postgresql")
        .unwrap();
    assert_eq!(postgres["category"], "versions");
    assert_eq!(postgres["status"], "differs");
    assert_eq!(postgres["cells"][1]["value"]["version"], "16.4");
    assert_eq!(postgres["comparisons"][0]["ordering"], "newer");
    assert_eq!(postgres["comparisons"][0]["level"], "major");
    let secret = facts
        .iter()
        .find(|f| f["key"] == "env.DATABASE_URL")
        .unwrap();
    assert_eq!(secret["cells"][0]["value"]["redacted"], "#1");
    assert_eq!(secret["cells"][1]["value"]["redacted"], "#2");
}

#[test]
fn markdown_output_has_summary_and_category_tables() {
    let ws = workspace();
    let out = run(
        ws.path(),
        &["diff", "staging", "prod", "--format", "markdown"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = &out.stdout;
    assert!(md.starts_with("# Drift: staging vs prod\n"), "{md}");
    assert!(
        md.contains(
            "## Summary\n\n| Category | Drift | Critical | High | Medium | Low | Equal | Ignored |"
        ),
        "{md}"
    );
    assert!(
        md.contains("\n## versions\n\n| Severity | Status | Key | staging | prod | Change |\n"),
        "{md}"
    );
    assert!(
        md.contains("| `server.postgresql` | 15.8 | 16.4 | newer, major |"),
        "{md}"
    );
    assert!(!md.contains('\u{1b}'), "{md}");
}

#[test]
fn category_option_limits_diff_and_check() {
    let ws = workspace();
    let out = run(
        ws.path(),
        &["diff", "staging", "prod", "--category", "network"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\nnetwork — "), "{}", out.stdout);
    assert!(!out.stdout.contains("runtime.python"), "{}", out.stdout);
    assert!(!out.stdout.contains("\nversions — "), "{}", out.stdout);
    let doc = json(
        ws.path(),
        &[
            "diff",
            "staging",
            "prod",
            "--category",
            "network",
            "--format",
            "json",
        ],
    );
    let facts = doc["facts"].as_array().unwrap();
    assert!(!facts.is_empty());
    assert!(facts.iter().all(|f| f["category"] == "network"), "{doc}");
    let check = run(
        ws.path(),
        &["check", "staging", "prod", "--category", "services"],
    );
    assert_eq!(check.code, 0, "services do not drift: {}", check.stdout);
    assert!(!check.stdout.contains("versions"), "{}", check.stdout);
}

#[test]
fn all_option_lists_equal_facts_too() {
    let ws = workspace();
    let without = run(ws.path(), &["diff", "staging", "prod"]);
    assert!(!without.stdout.contains("kernel"), "{}", without.stdout);
    let with = run(ws.path(), &["diff", "staging", "prod", "--all"]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    let kernel = with
        .stdout
        .lines()
        .find(|l| l.contains("kernel"))
        .unwrap_or_else(|| panic!("{}", with.stdout));
    assert!(kernel.trim_start().starts_with('='), "{kernel}");
    assert!(kernel.contains("6.1.0-26-amd64"), "{kernel}");
}

#[test]
fn three_sides_compare_against_the_first() {
    let ws = workspace();
    let out = run(ws.path(), &["diff", "dev", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Drift: dev (baseline) vs staging vs prod\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("dev → prod"), "{}", out.stdout);
    let doc = json(
        ws.path(),
        &["diff", "dev", "staging", "prod", "--format", "json"],
    );
    assert_eq!(doc["sides"].as_array().unwrap().len(), 3);
    let python = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "runtime.python")
        .unwrap();
    assert_eq!(python["cells"].as_array().unwrap().len(), 3);
}

#[test]
fn env_at_time_picks_the_snapshot_of_that_time() {
    let ws = workspace();
    let doc = json(
        ws.path(),
        &["diff", "prod@2026-11-20", "prod", "--format", "json"],
    );
    assert_eq!(
        doc["sides"][0]["hosts"][0]["taken_at"],
        "2026-11-19T08:00:00Z"
    );
    assert_eq!(
        doc["sides"][1]["hosts"][0]["taken_at"],
        "2026-11-21T08:00:00Z"
    );
    let out = run(ws.path(), &["diff", "prod@2026-11-20", "prod"]);
    assert!(out.stdout.contains("3.11.9"), "{}", out.stdout);
    assert!(out.stdout.contains("3.12.1"), "{}", out.stdout);
}

#[test]
fn a_file_path_is_a_snapshot_reference() {
    let ws = workspace();
    let path = fixture("staging-web-1.json");
    let out = run(ws.path(), &["diff", path.to_str().unwrap(), "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("1 host: web-1"), "{}", out.stdout);
    assert!(out.stdout.contains("runtime.python"), "{}", out.stdout);
}

#[test]
fn a_malformed_file_reference_names_the_file_and_position() {
    let ws = workspace();
    let path = fixture("malformed.json");
    let out = run(ws.path(), &["diff", path.to_str().unwrap(), "prod"]);
    let line = assert_error(&out);
    assert!(line.contains("malformed.json"), "{line}");
    assert!(line.contains("line 6, column"), "{line}");
}

#[test]
fn an_unknown_version_file_is_refused_as_unsupported() {
    let ws = workspace();
    let path = fixture("future-version.json");
    let out = run(ws.path(), &["check", "prod", path.to_str().unwrap()]);
    let line = assert_error(&out);
    assert!(line.contains("future-version.json"), "{line}");
    assert!(
        line.contains("unsupported snapshot format version 3"),
        "{line}"
    );
}

#[test]
fn a_malformed_file_in_history_warns_and_the_rest_still_diffs() {
    let (ws, last) = workspace_with(&STANDARD);
    let broken = last.parent().unwrap().join("broken.json");
    std::fs::copy(fixture("malformed.json"), &broken).unwrap();
    let out = run(ws.path(), &["diff", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("runtime.python"), "{}", out.stdout);
    let warning = out
        .stderr
        .lines()
        .find(|l| l.starts_with("warning: "))
        .unwrap_or_else(|| panic!("no warning: {}", out.stderr));
    assert!(warning.contains("broken.json"), "{warning}");
    let history = run(ws.path(), &["history"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    assert!(history.stderr.contains("broken.json"), "{}", history.stderr);
}

#[test]
fn history_lists_snapshots_and_filters_by_environment() {
    let ws = workspace();
    let out = run(ws.path(), &["history"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("ENVIRONMENT"), "{}", out.stdout);
    for header in ["HOST", "TIME", "FACTS", "ERRORS"] {
        assert!(lines[0].contains(header), "{}", lines[0]);
    }
    let prod_now = lines
        .iter()
        .find(|l| l.contains("2026-11-21T08:00:00Z"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(prod_now.starts_with("prod"), "{prod_now}");
    assert!(prod_now.contains("web-1"), "{prod_now}");
    assert!(
        prod_now.trim_end().ends_with('1'),
        "one probe error: {prod_now}"
    );
    assert!(
        out.stdout.contains("5 snapshots, 4 hosts, 3 environments"),
        "{}",
        out.stdout
    );

    let prod = run(ws.path(), &["history", "prod"]);
    assert_eq!(prod.code, 0, "{}", prod.stderr);
    assert_eq!(
        prod.stdout
            .lines()
            .filter(|l| l.starts_with("prod"))
            .count(),
        2
    );
    assert!(!prod.stdout.contains("staging"), "{}", prod.stdout);
    let unknown = run(ws.path(), &["history", "nowhere"]);
    assert!(assert_error(&unknown).contains("nowhere"));
}

#[test]
fn init_creates_a_workspace_and_refuses_a_second_time() {
    let dir = TempDir::new().unwrap();
    let first = run(dir.path(), &["init"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(dir.path().join("driftscope.toml").is_file());
    assert!(dir.path().join("snapshots").is_dir());
    let config = std::fs::read_to_string(dir.path().join("driftscope.toml")).unwrap();
    let second = run(dir.path(), &["init"]);
    let line = assert_error(&second);
    assert!(line.contains("already exists"), "{line}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("driftscope.toml")).unwrap(),
        config,
        "the second init changed the config"
    );
    let history = run(dir.path(), &["history"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
}

#[test]
fn without_a_workspace_commands_point_to_init_and_demo() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["diff", "staging", "prod"]);
    let line = assert_error(&out);
    assert!(line.contains("no driftscope workspace in"), "{line}");
    assert!(line.contains("driftscope init"), "{line}");
    assert!(line.contains("--demo"), "{line}");
}

#[test]
fn the_demo_workspace_diffs_staging_and_prod() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["--demo", "diff", "staging", "prod"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("Drift: staging (baseline) vs prod\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("total — "), "{}", out.stdout);
    let check = run(dir.path(), &["--demo", "check", "staging", "prod"]);
    assert_eq!(check.code, 1, "the demo has drift: {}", check.stdout);
}

#[test]
fn escape_sequences_from_snapshots_are_neutralised() {
    let (ws, _) = workspace_with(&["staging-web-1.json", "escapes.json"]);
    for colour in ["never", "always"] {
        let out = run(ws.path(), &["diff", "staging", "qa", "--color", colour]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("hello^[[2J^[]0;pwned^G there"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("web-^[[1mbold"), "{}", out.stdout);
        assert!(!out.stdout.contains("\u{1b}[2J"), "{}", out.stdout);
        assert!(!out.stdout.contains("\u{1b}]0;"), "{}", out.stdout);
        assert!(!out.stdout.contains('\u{7}'), "{}", out.stdout);
    }
    let md = run(
        ws.path(),
        &["diff", "staging", "qa", "--format", "markdown"],
    );
    assert!(!md.stdout.contains('\u{1b}'), "{}", md.stdout);
    let json = run(ws.path(), &["diff", "staging", "qa", "--format", "json"]);
    assert!(!json.stdout.contains('\u{1b}'), "{}", json.stdout);
    assert!(json.stdout.contains("\\u001b[2J"), "{}", json.stdout);
    let history = run(ws.path(), &["history"]);
    assert!(
        history.stdout.contains("web-^[[1mbold"),
        "{}",
        history.stdout
    );
    assert!(!history.stdout.contains('\u{1b}'), "{}", history.stdout);
}

#[test]
fn completions_are_generated_for_bash() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["completions", "bash"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("_driftscope()"), "{}", out.stdout);
    assert!(out.stdout.contains("--category"), "{}", out.stdout);
}

#[test]
fn usage_errors_exit_two() {
    let dir = TempDir::new().unwrap();
    let out = run(dir.path(), &["diff", "only-one"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(dir.path(), &["check", "a", "b", "--category", "bogus"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown category 'bogus'"),
        "{}",
        out.stderr
    );
}
