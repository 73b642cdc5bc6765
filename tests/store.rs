//! The workspace store on real folders: init, discovery, history, atomic writes and
//! snapshot references.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use driftscope::config::{CONFIG_FILE, Config};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::{SNAPSHOTS_DIR, Workspace, write_atomic};
use tempfile::TempDir;

const CONFIG: &str = r#"
[environments.prod]
hosts = ["deploy@10.0.0.5:22", "web-2"]

[environments.staging]
hosts = ["staging-1"]

[environments.dev]
hosts = ["local"]

[ignore]
facts = ["infra/uptime"]
"#;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn snapshot(env: &str, host: &str, taken_at: &str, workers: i64) -> Snapshot {
    let mut s = Snapshot::new(env, host, utc(taken_at), Source::Local);
    s.insert(
        Category::Versions,
        "runtime.python",
        Value::version("3.12.1"),
    );
    s.insert(Category::Config, "workers", Value::Scalar(workers.into()));
    s
}

/// A workspace with the test config, and the given snapshots stored.
fn workspace(snapshots: &[Snapshot]) -> (TempDir, Workspace) {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(CONFIG_FILE), CONFIG).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    for s in snapshots {
        ws.store_snapshot(s).unwrap();
    }
    (dir, ws)
}

/// prod: two hosts with three snapshots each over three days; staging: one.
fn history() -> Vec<Snapshot> {
    let mut all = Vec::new();
    for (day, workers) in [("18", 2), ("19", 4), ("20", 8)] {
        all.push(snapshot(
            "prod",
            "deploy@10.0.0.5:22",
            &format!("2026-11-{day}T09:30:00Z"),
            workers,
        ));
        all.push(snapshot(
            "prod",
            "web-2",
            &format!("2026-11-{day}T10:00:00Z"),
            workers,
        ));
    }
    all.push(snapshot("staging", "staging-1", "2026-11-19T12:00:00Z", 2));
    all
}

fn workers(s: &Snapshot) -> String {
    s.get(Category::Config, "workers").unwrap().summary()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn relative(path: &str) -> String {
    PathBuf::from(path).display().to_string()
}

// --- init and discovery -----------------------------------------------------------------

#[test]
fn init_creates_config_and_snapshots_folder_and_the_template_parses() {
    let dir = TempDir::new().unwrap();
    let config_path = Workspace::init(dir.path()).unwrap();
    assert_eq!(config_path, dir.path().join(CONFIG_FILE));
    assert!(dir.path().join(SNAPSHOTS_DIR).join(".gitkeep").is_file());

    let text = fs::read_to_string(&config_path).unwrap();
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 10
    );
    let config = Config::parse(&text, CONFIG_FILE).unwrap();
    assert!(!config.environments.is_empty());
    assert!(config.ignore.facts.iter().any(|p| p == "infra/uptime"));
    assert!(config.ignore.facts.iter().any(|p| p == "*/boot_time"));

    let ws = Workspace::open(dir.path()).unwrap();
    assert!(ws.history.entries.is_empty() && ws.history.problems.is_empty());
}

#[test]
fn init_refuses_an_existing_workspace_and_leaves_it_alone() {
    let dir = TempDir::new().unwrap();
    let config_path = Workspace::init(dir.path()).unwrap();
    fs::write(&config_path, CONFIG).unwrap();
    let err = Workspace::init(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(CONFIG_FILE) && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&config_path).unwrap(), CONFIG);
}

#[test]
fn discover_walks_up_from_a_nested_folder() {
    let dir = TempDir::new().unwrap();
    let nested = dir.path().join("services/api/src");
    fs::create_dir_all(&nested).unwrap();
    assert_eq!(Workspace::discover(&nested), None);
    Workspace::init(dir.path()).unwrap();
    assert_eq!(Workspace::discover(&nested), Some(dir.path().to_path_buf()));
    assert_eq!(
        Workspace::discover(dir.path()),
        Some(dir.path().to_path_buf())
    );
}

#[test]
fn name_is_the_folder_name() {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("payments-infra");
    Workspace::init(&root).unwrap();
    assert_eq!(Workspace::open(&root).unwrap().name(), "payments-infra");
}

// --- history ----------------------------------------------------------------------------

#[test]
fn stored_snapshots_land_in_readable_safe_paths_byte_for_byte() {
    let (_dir, mut ws) = workspace(&[]);
    let s = snapshot("prod", "deploy@10.0.0.5:22", "2026-11-20T09:30:00Z", 8);
    let path = ws.store_snapshot(&s).unwrap();
    let root = ws.root.clone().unwrap();
    assert_eq!(
        path.strip_prefix(&root).unwrap(),
        Path::new("snapshots/prod/deploy@10.0.0.5%3A22/2026-11-20T09-30-00Z.json")
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), s.to_json());
    assert_eq!(ws.load(&ws.history.entries[0]).unwrap(), s);
}

#[test]
fn open_indexes_many_snapshots_per_host_in_order() {
    let (dir, _) = workspace(&history());
    let ws = Workspace::open(dir.path()).unwrap();
    assert!(ws.history.problems.is_empty(), "{:?}", ws.history.problems);
    assert_eq!(ws.history.entries.len(), 7);
    assert_eq!(ws.history.environments(), ["prod", "staging"]);

    let order: Vec<(&str, &str, String)> = ws
        .history
        .entries
        .iter()
        .map(|m| {
            (
                m.environment.as_str(),
                m.host.as_str(),
                m.taken_at.to_rfc3339(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert!(
        ws.history
            .entries
            .iter()
            .all(|m| m.fact_count == 2 && m.error_count == 0)
    );

    let latest = ws.history.latest("prod", None);
    assert_eq!(latest.len(), 2);
    assert!(
        latest
            .iter()
            .all(|m| m.taken_at.format("%d").to_string() == "20")
    );
    let earlier = ws.history.latest("prod", Some(utc("2026-11-19T09:45:00Z")));
    let hosts_days: Vec<(&str, String)> = earlier
        .iter()
        .map(|m| (m.host.as_str(), m.taken_at.format("%d").to_string()))
        .collect();
    assert_eq!(
        hosts_days,
        [
            ("deploy@10.0.0.5:22", "19".to_string()),
            ("web-2", "18".to_string())
        ]
    );
}

#[test]
fn bad_files_become_problems_naming_the_file_while_the_rest_load() {
    let (dir, ws) = workspace(&history());
    let folder = ws.root.clone().unwrap().join("snapshots/prod/web-2");
    fs::write(
        folder.join("broken.json"),
        "{\n  \"format\": \"driftscope-snapshot\",\n  oops\n}\n",
    )
    .unwrap();
    let newer = snapshot("prod", "web-2", "2026-11-21T00:00:00Z", 16)
        .to_json()
        .replace(
            &format!("\"version\": {}", driftscope::model::FORMAT_VERSION),
            "\"version\": 9",
        );
    fs::write(folder.join("from-the-future.json"), newer).unwrap();
    fs::write(folder.join("notes.txt"), "not a snapshot, not indexed").unwrap();

    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.history.entries.len(), 7);
    assert_eq!(
        ws.history.problems,
        [
            format!(
                "{}: line 3, column 3: key must be a string",
                relative("snapshots/prod/web-2/broken.json")
            ),
            format!(
                "{}: unsupported snapshot format version 9 (this driftscope reads versions 1 to 2)",
                relative("snapshots/prod/web-2/from-the-future.json")
            ),
        ]
    );
    assert_eq!(workers(&ws.resolve("prod").unwrap().snapshots[1]), "8");
}

#[test]
fn two_snapshots_in_the_same_second_are_both_kept() {
    let (dir, mut ws) = workspace(&[]);
    let first = snapshot("staging", "staging-1", "2026-11-20T09:30:00Z", 2);
    let second = snapshot("staging", "staging-1", "2026-11-20T09:30:00Z", 3);
    let third = snapshot("staging", "staging-1", "2026-11-20T09:30:00Z", 4);
    let paths: Vec<PathBuf> = [&first, &second, &third]
        .iter()
        .map(|s| ws.store_snapshot(s).unwrap())
        .collect();
    let folder = paths[0].parent().unwrap();
    assert_eq!(
        files_in(folder),
        [
            "2026-11-20T09-30-00Z-2.json",
            "2026-11-20T09-30-00Z-3.json",
            "2026-11-20T09-30-00Z.json"
        ]
    );
    assert_eq!(fs::read_to_string(&paths[0]).unwrap(), first.to_json());
    assert_eq!(workers(&ws.resolve("staging").unwrap().snapshots[0]), "4");
    let reopened = Workspace::open(dir.path()).unwrap();
    assert_eq!(reopened.history.entries.len(), 3);
    assert_eq!(
        workers(&reopened.resolve("staging").unwrap().snapshots[0]),
        "4"
    );
}

// --- atomic writes ----------------------------------------------------------------------

#[test]
fn write_atomic_never_overwrites_without_permission() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("a.json");
    write_atomic(&target, b"first", false).unwrap();
    let err = write_atomic(&target, b"second", false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a.json") && err.contains("already exists"),
        "{err}"
    );
    assert_eq!(fs::read(&target).unwrap(), b"first");
    assert_eq!(files_in(dir.path()), ["a.json"]);

    write_atomic(&target, b"third", true).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"third");
    assert_eq!(files_in(dir.path()), ["a.json"]);
}

#[test]
fn write_atomic_failure_leaves_no_temp_file_and_the_target_intact() {
    let dir = TempDir::new().unwrap();
    // A folder in the way makes the final rename fail after the temp file was written.
    let blocked = dir.path().join("blocked");
    fs::create_dir(&blocked).unwrap();
    fs::write(blocked.join("inside"), "kept").unwrap();
    let err = write_atomic(&blocked, b"data", true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("blocked"), "{err}");
    assert_eq!(files_in(dir.path()), ["blocked"]);
    assert_eq!(fs::read_to_string(blocked.join("inside")).unwrap(), "kept");

    let missing = dir.path().join("no-such-folder/a.json");
    let err = write_atomic(&missing, b"data", false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("a.json"), "{err}");
    assert_eq!(files_in(dir.path()), ["blocked"]);
}

// --- references -------------------------------------------------------------------------

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

fn days_and_workers(ws: &Workspace, reference: &str) -> (String, Vec<(String, String)>) {
    let side = ws.resolve_at(reference, now()).unwrap();
    let picked = side
        .snapshots
        .iter()
        .map(|s| (s.host.clone(), s.taken_at.format("%d %H:%M").to_string()))
        .collect();
    (side.label, picked)
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn resolve_an_environment_takes_each_hosts_latest() {
    let (_dir, ws) = workspace(&history());
    assert_eq!(
        days_and_workers(&ws, "prod"),
        (
            "prod".to_string(),
            pairs(&[("deploy@10.0.0.5:22", "20 09:30"), ("web-2", "20 10:00")])
        )
    );
}

#[test]
fn resolve_a_date_means_the_end_of_that_day() {
    let (_dir, ws) = workspace(&history());
    assert_eq!(
        days_and_workers(&ws, "prod@2026-11-19"),
        (
            "prod@2026-11-19".to_string(),
            pairs(&[("deploy@10.0.0.5:22", "19 09:30"), ("web-2", "19 10:00")])
        )
    );
}

#[test]
fn resolve_a_date_time_with_or_without_offset() {
    let (_dir, ws) = workspace(&history());
    let expected = pairs(&[("deploy@10.0.0.5:22", "20 09:30"), ("web-2", "19 10:00")]);
    assert_eq!(days_and_workers(&ws, "prod@2026-11-20T09:45").1, expected);
    assert_eq!(
        days_and_workers(&ws, "prod@2026-11-20 09:30:00").1,
        expected
    );
    assert_eq!(
        days_and_workers(&ws, "prod@2026-11-20T10:45+01:00").1,
        expected
    );
    assert_eq!(
        days_and_workers(&ws, "prod@2026-11-20T09:59:59Z").1,
        expected
    );
}

#[test]
fn resolve_a_relative_time_counts_back_from_now() {
    let (_dir, ws) = workspace(&history());
    // now is the 20th at 12:00; a day back is the 19th at 12:00.
    assert_eq!(
        days_and_workers(&ws, "prod@-1d"),
        (
            "prod@-1d".to_string(),
            pairs(&[("deploy@10.0.0.5:22", "19 09:30"), ("web-2", "19 10:00")])
        )
    );
    assert_eq!(
        days_and_workers(&ws, "prod@-2h").1,
        pairs(&[("deploy@10.0.0.5:22", "20 09:30"), ("web-2", "20 10:00")])
    );
}

#[test]
fn resolve_a_path_loads_that_file() {
    let (dir, ws) = workspace(&history());
    let outside = dir.path().join("exported.json");
    fs::write(
        &outside,
        snapshot("qa", "qa-1", "2026-11-02T07:05:30Z", 6).to_json(),
    )
    .unwrap();
    let side = ws.resolve_at(outside.to_str().unwrap(), now()).unwrap();
    assert_eq!(side.label, "qa@2026-11-02T07:05:30Z");
    assert_eq!(side.snapshots.len(), 1);
    assert_eq!(workers(&side.snapshots[0]), "6");

    let stored = &ws.history.latest("staging", None)[0].location;
    let driftscope::store::Location::File(stored) = stored else {
        panic!("expected a file");
    };
    let side = ws.resolve_at(stored.to_str().unwrap(), now()).unwrap();
    assert_eq!(side.label, "staging@2026-11-19T12:00Z");
}

#[test]
fn resolve_errors_say_what_to_do() {
    let (_dir, ws) = workspace(&history());
    // Plain `{}` formatting: each message is complete on its own, with no context chain.
    let err = |r: &str| ws.resolve_at(r, now()).unwrap_err().to_string();

    assert_eq!(
        err("qa"),
        "unknown environment 'qa' (known: dev, prod, staging)"
    );
    assert_eq!(
        err("dev@-1d"),
        "environment 'dev' has no snapshots yet; run `driftscope snapshot dev`"
    );
    assert_eq!(
        err("prod@2026-11-17"),
        "no snapshot of 'prod' at or before 2026-11-17T23:59:59Z; the oldest is from 2026-11-18T09:30Z"
    );
    let bad_time = err("prod@yesterday");
    assert!(
        bad_time.starts_with("in 'prod@yesterday': 'yesterday' is not a time; use "),
        "{bad_time}"
    );
    assert!(
        bad_time.contains("YYYY-MM-DD") && bad_time.contains("-2d"),
        "{bad_time}"
    );

    let missing = err("old/prod.json");
    assert!(missing.starts_with(&relative("old/prod.json")), "{missing}");
    assert!(missing.contains("cannot read"), "{missing}");
}

#[test]
fn resolve_a_malformed_file_names_it_relative_to_the_workspace_with_position() {
    let (_dir, ws) = workspace(&history());
    let root = ws.root.clone().unwrap();
    let bad = root.join("snapshots/prod/web-2/2026-11-21T00-00-00Z.json");
    fs::write(
        &bad,
        "{\n  \"format\": \"driftscope-snapshot\",\n  \"version\": ,\n}\n",
    )
    .unwrap();
    let err = ws.resolve(bad.to_str().unwrap()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: line 3, column 14: expected value",
            relative("snapshots/prod/web-2/2026-11-21T00-00-00Z.json")
        )
    );
}

// --- broken configuration ---------------------------------------------------------------

fn open_with_config(text: &str) -> String {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(CONFIG_FILE), text).unwrap();
    Workspace::open(dir.path()).unwrap_err().to_string()
}

#[test]
fn a_toml_syntax_error_names_the_file_line_and_column() {
    let err = open_with_config("[environments.prod]\nhosts = [\"a\"\n");
    assert!(err.contains(CONFIG_FILE), "{err}");
    assert!(err.contains(": line 2, column "), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn an_unknown_key_names_the_file_and_the_key() {
    let err = open_with_config("[environments.prod]\nhost = [\"a\"]\n");
    assert!(err.contains(CONFIG_FILE), "{err}");
    assert!(
        err.contains("line 2, column 1: unknown field `host`, expected"),
        "{err}"
    );
}

#[test]
fn a_bad_environment_name_names_the_file_and_the_name() {
    let err = open_with_config("[environments.\"prod@eu\"]\nhosts = [\"a\"]\n");
    assert!(err.contains(CONFIG_FILE), "{err}");
    assert!(err.contains("line 1, column 15"), "{err}");
    assert!(err.contains("\"prod@eu\" may not contain '@'"), "{err}");
}

// --- documentation ----------------------------------------------------------------------

/// The complete example in `docs/snapshot-format.md`, built with the real types.
fn documented_example() -> Snapshot {
    let mut s = Snapshot::new(
        "prod",
        "web-1",
        utc("2026-11-20T09:30:00Z"),
        Source::Ssh {
            target: "deploy@10.0.0.5:22".to_string(),
        },
    );
    s.collector = "driftscope 0.1.0".to_string();
    s.insert(
        Category::Versions,
        "runtime.python",
        Value::version("3.12.1"),
    );
    s.insert(
        Category::Versions,
        "os.kernel",
        Value::version("6.8.0-49-generic"),
    );
    s.insert(Category::Config, "env.WORKERS", Value::Scalar(8i64.into()));
    s.insert(Category::Config, "env.DEBUG", Value::Scalar(false.into()));
    s.insert(
        Category::Config,
        "env.DATABASE_URL",
        Value::Redacted(
            "hmac-sha256:9f2c4e1ab07d3e55c8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6"
                .to_string(),
        ),
    );
    s.insert(
        Category::Config,
        "file:/etc/nginx/conf.d/app.conf",
        Value::Text("server {\n    listen 80;\n    proxy_pass http://app:8000;\n}\n".to_string()),
    );
    s.insert(
        Category::Schema,
        "column:public.users.email",
        Value::record([("type", "text"), ("nullable", "false")]),
    );
    s.insert(
        Category::Network,
        "resolvers",
        Value::set(["10.0.0.3", "10.0.0.2"]),
    );
    s.insert(
        Category::Network,
        "search_domains",
        Value::List(vec!["prod.internal".to_string(), "internal".to_string()]),
    );
    s.errors.push(driftscope::model::ProbeError {
        probe: "postgres.indexes".to_string(),
        category: Some(Category::Schema),
        exit_status: Some(127),
        message: "psql: command not found".to_string(),
    });
    s
}

#[test]
fn the_documented_example_is_what_the_writer_produces() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/snapshot-format.md"))
            .unwrap();
    let marker = "<!-- example: generated -->\n```json\n";
    let start = doc.find(marker).expect("the example marker") + marker.len();
    let end = start + doc[start..].find("```").unwrap();
    let example = &doc[start..end];
    let expected = documented_example();
    assert_eq!(example, expected.to_json());
    assert_eq!(Snapshot::from_json(example).unwrap(), expected);
}

#[test]
fn the_configuration_examples_parse() {
    let doc =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md"))
            .unwrap();
    let blocks: Vec<&str> = doc
        .split("```toml\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").unwrap()])
        .collect();
    assert!(!blocks.is_empty());
    for block in blocks {
        let config = Config::parse(block, "docs/configuration.md").unwrap();
        assert!(!config.environments.is_empty());
    }
}
