//! Deep history on real folders: the index cache (reused, updated incrementally, rebuilt
//! when in doubt, never trusted over the files, never a cause of failure), compressed
//! snapshot files read transparently by every reader, and `.gitignore` keeping the
//! local folder out of a real git repository.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use driftscope::config::CONFIG_FILE;
use driftscope::model::{Category, FactKey, Snapshot, Source, Value};
use driftscope::store::compress::compress_file;
use driftscope::store::detached::{open_files, open_folder};
use driftscope::store::{
    History, INDEX_CACHE_FILE, Location, SNAPSHOTS_DIR, Workspace, fact_history,
    index_snapshots_cached, read_snapshot_bytes, timeline,
};
use tempfile::TempDir;

mod cli_support;
use cli_support::run as driftscope;

const CONFIG: &str = "[environments.prod]\nhosts = [\"web-1\", \"web-2\"]\n";

fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap() + TimeDelta::days(n)
}

fn snapshot(host: &str, at: DateTime<Utc>, python: &str) -> Snapshot {
    let mut s = Snapshot::new("prod", host, at, Source::Local);
    s.insert(Category::Versions, "runtime.python", Value::version(python));
    s.insert(Category::Config, "workers", Value::Scalar(4i64.into()));
    s
}

/// A workspace with `days` daily snapshots of two hosts; python changes on day 2.
fn workspace(days: i64) -> (TempDir, Vec<PathBuf>) {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(CONFIG_FILE), CONFIG).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let mut paths = Vec::new();
    for n in 0..days {
        for host in ["web-1", "web-2"] {
            let python = if n >= 2 { "3.12.4" } else { "3.12.1" };
            paths.push(ws.store_snapshot(&snapshot(host, day(n), python)).unwrap());
        }
    }
    (dir, paths)
}

/// The index cache does not keep files changed in the last two seconds (their times
/// could still change unseen); tests wait that long once files are in place.
fn let_files_settle() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}

fn open_cached(root: &Path) -> (History, driftscope::store::IndexStats) {
    let root = root.canonicalize().unwrap();
    index_snapshots_cached(
        &root,
        &root.join(SNAPSHOTS_DIR),
        &root.join(INDEX_CACHE_FILE),
    )
}

/// What a history says, for comparing an indexing through the cache with a fresh one.
fn summary(history: &History) -> Vec<String> {
    let mut lines: Vec<String> = history
        .entries
        .iter()
        .map(|m| {
            format!(
                "{}/{} {} {} facts {:?}",
                m.environment, m.host, m.taken_at, m.fact_count, m.location
            )
        })
        .collect();
    lines.extend(history.problems.iter().cloned());
    lines
}

fn fresh(root: &Path) -> Vec<String> {
    let root = root.canonicalize().unwrap();
    let dir = TempDir::new().unwrap();
    // A cache path that never exists: the files are all read.
    let (history, stats) =
        index_snapshots_cached(&root, &root.join(SNAPSHOTS_DIR), &dir.path().join("none/x"));
    assert_eq!(stats.reused, 0);
    summary(&history)
}

#[test]
fn the_cache_is_reused_updated_incrementally_and_never_trusted_over_the_files() {
    let (dir, paths) = workspace(3);
    let _ = fs::remove_file(dir.path().join(INDEX_CACHE_FILE));
    let_files_settle();

    // No cache yet: every file is read, and the cache is written.
    let (history, stats) = open_cached(dir.path());
    assert!(stats.rebuilt.is_some(), "{stats:?}");
    assert_eq!((stats.read, stats.reused), (6, 0));
    assert_eq!(stats.written, Some(Ok(())));
    assert_eq!(summary(&history), fresh(dir.path()));

    // Warm: nothing is read, nothing written, the same history.
    let (history, stats) = open_cached(dir.path());
    assert_eq!((stats.read, stats.reused, stats.dropped), (0, 6, 0));
    assert_eq!(stats.written, None);
    assert_eq!(summary(&history), fresh(dir.path()));

    // A file edited in place (same name, one more fact) is read again.
    let mut edited = snapshot("web-1", day(0), "3.12.1");
    edited.insert(Category::Config, "extra", Value::string("x"));
    fs::write(&paths[0], edited.to_json()).unwrap();
    // A file deleted is dropped; a new one is read; an unreadable one is a problem.
    fs::remove_file(&paths[5]).unwrap();
    let new = paths[5].with_file_name("2026-12-01T00-00-00Z.json");
    fs::write(&new, snapshot("web-2", day(30), "3.13.0").to_json()).unwrap();
    let broken = paths[5].with_file_name("broken.json");
    fs::write(&broken, "{ not json").unwrap();
    let (history, stats) = open_cached(dir.path());
    assert_eq!((stats.read, stats.reused, stats.dropped), (3, 4, 1));
    assert_eq!(summary(&history), fresh(dir.path()));
    let facts: Vec<usize> = history.entries.iter().map(|m| m.fact_count).collect();
    assert_eq!(
        facts,
        [3, 2, 2, 2, 2, 2],
        "the edited file shows its new content"
    );
    assert_eq!(history.problems.len(), 1);
    assert!(
        history.problems[0].starts_with(&format!(
            "{}: line 1",
            Path::new("snapshots/prod/web-2/broken.json").display()
        )),
        "{:?}",
        history.problems
    );
}

#[test]
fn a_doubtful_cache_is_rebuilt_and_an_unwritable_one_only_costs_time() {
    let (dir, _) = workspace(2);
    let_files_settle();
    let expected = fresh(dir.path());
    let cache = dir.path().join(INDEX_CACHE_FILE);
    open_cached(dir.path());

    for garbage in [
        &b""[..],
        b"driftscope-index-cache 2\n\xff\xff\xff",
        b"something else",
    ] {
        fs::write(&cache, garbage).unwrap();
        let (history, stats) = open_cached(dir.path());
        assert!(stats.rebuilt.is_some(), "{stats:?}");
        assert_eq!(stats.read, 4);
        assert_eq!(summary(&history), expected);
        let (_, stats) = open_cached(dir.path());
        assert_eq!(stats.reused, 4, "the rebuilt cache is used next time");
    }

    // The cache's folder cannot be created: the workspace opens all the same.
    fs::remove_dir_all(dir.path().join(".driftscope")).unwrap();
    fs::write(dir.path().join(".driftscope"), "in the way").unwrap();
    let (history, stats) = open_cached(dir.path());
    assert!(matches!(stats.written, Some(Err(_))), "{stats:?}");
    assert_eq!(summary(&history), expected);
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.history.entries.len(), 4);
}

#[test]
fn compressed_snapshots_read_as_the_plain_files_everywhere() {
    let (dir, paths) = workspace(4);
    let root = dir.path().canonicalize().unwrap();
    let before = Workspace::open(&root).unwrap();
    let key = FactKey::new(Category::Versions, "runtime.python");
    let history_before = fact_history(&before, "prod", None, &key).unwrap();
    let timeline_before = timeline(&before, "prod", None).unwrap();
    let snapshots_before: Vec<Snapshot> = before
        .history
        .entries
        .iter()
        .map(|m| before.load(m).unwrap())
        .collect();

    // The two oldest days as zstd (by `compress`), one file as gzip (by another tool).
    for path in &paths[..4] {
        let original = fs::read(path).unwrap();
        let done = compress_file(path).unwrap();
        assert_eq!(read_snapshot_bytes(&done.path).unwrap(), original);
        assert!(done.compressed_bytes < done.plain_bytes);
    }
    let gz = paths[4].with_extension("json.gz");
    let status = Command::new("gzip").arg(&paths[4]).status().unwrap();
    assert!(status.success() && gz.is_file() && !paths[4].exists());

    let after = Workspace::open(&root).unwrap();
    assert!(
        after.history.problems.is_empty(),
        "{:?}",
        after.history.problems
    );
    assert_eq!(after.history.entries.len(), before.history.entries.len());
    for ((a, b), snapshot) in before
        .history
        .entries
        .iter()
        .zip(&after.history.entries)
        .zip(&snapshots_before)
    {
        assert_eq!(
            (&a.environment, &a.host, a.taken_at, a.fact_count),
            (&b.environment, &b.host, b.taken_at, b.fact_count)
        );
        assert_eq!(&after.load(b).unwrap(), snapshot);
    }
    let gz_entry = after
        .history
        .entries
        .iter()
        .find(|m| m.location == Location::File(gz.clone()));
    assert!(gz_entry.is_some(), "the gzip file is indexed");
    let Location::File(first) = &after.history.entries[0].location else {
        panic!("a file")
    };
    assert!(first.to_string_lossy().ends_with(".json.zst"), "{first:?}");
    assert_eq!(
        fact_history(&after, "prod", None, &key).unwrap(),
        history_before
    );
    let timeline_after = timeline(&after, "prod", None).unwrap();
    let points = |t: &[driftscope::store::TimelinePoint]| -> Vec<(DateTime<Utc>, Option<usize>)> {
        t.iter()
            .map(|p| (p.taken_at, p.changed_since_previous))
            .collect()
    };
    assert_eq!(points(&timeline_after), points(&timeline_before));

    // A folder of snapshots opened without a workspace, and files named by path.
    let folder = open_folder(&root.join(SNAPSHOTS_DIR)).unwrap();
    assert_eq!(folder.history.entries.len(), 8);
    let side = after.resolve(&first.display().to_string()).unwrap();
    assert_eq!(side.snapshots[0].host, "web-1");
    let files = open_files(&[first.clone(), paths[7].clone()]).unwrap();
    assert_eq!(files.history.entries.len(), 2);

    // An interrupted compression leaves both files: the plain one is read, once.
    let plain = paths[6].clone();
    let copy = fs::read(&plain).unwrap();
    compress_file(&plain).unwrap();
    fs::write(&plain, copy).unwrap();
    let both = Workspace::open(&root).unwrap();
    assert_eq!(both.history.entries.len(), 8);
    assert!(
        both.history
            .entries
            .iter()
            .any(|m| m.location == Location::File(plain.clone()))
    );

    // A new snapshot in the same second as a compressed one gets the next name.
    let mut ws = Workspace::open(&root).unwrap();
    let again = ws
        .store_snapshot(&snapshot("web-1", day(0), "3.12.9"))
        .unwrap();
    assert!(again.to_string_lossy().ends_with("Z-2.json"), "{again:?}");
}

#[test]
fn init_keeps_the_local_folder_out_of_git() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(".gitignore"), "target").unwrap();
    Workspace::init(dir.path()).unwrap();
    let ignore = fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert!(ignore.starts_with("target\n"), "{ignore}");
    assert!(ignore.lines().any(|l| l == "/.driftscope/"), "{ignore}");

    let mut ws = Workspace::open(dir.path()).unwrap();
    ws.store_snapshot(&snapshot("web-1", day(0), "3.12.1"))
        .unwrap();
    let_files_settle();
    Workspace::open(dir.path()).unwrap();
    assert!(dir.path().join(INDEX_CACHE_FILE).is_file());

    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
    };
    let Ok(init) = git(&["init", "-q"]) else {
        if std::env::var_os("DRIFTSCOPE_REQUIRE_SERVICES").is_some() {
            panic!("git is required");
        }
        eprintln!("skipped: git is not installed");
        return;
    };
    assert!(init.status.success());
    let status = git(&["status", "--porcelain", "--untracked-files=all"]).unwrap();
    let listed = String::from_utf8_lossy(&status.stdout);
    assert!(listed.contains("snapshots/"), "{listed}");
    assert!(!listed.contains(".driftscope"), "{listed}");
    // An existing workspace whose .gitignore lacks the line: the folder's own ignores it.
    fs::write(dir.path().join(".gitignore"), "").unwrap();
    let status = git(&["status", "--porcelain", "--untracked-files=all"]).unwrap();
    assert!(!String::from_utf8_lossy(&status.stdout).contains(".driftscope"));
}

#[test]
fn compress_on_the_command_line_is_a_dry_run_until_applied_and_changes_no_answer() {
    let (dir, paths) = workspace(3);
    let before_diff = driftscope(dir.path(), &["diff", "prod/web-1@2026-11-01", "prod"]);
    let before_log = driftscope(dir.path(), &["log", "prod", "versions/runtime.python"]);
    assert_eq!(before_diff.code, 0, "{}", before_diff.stderr);

    let dry = driftscope(dir.path(), &["compress", "prod", "--older-than", "1d"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.starts_with("Dry run: 6 snapshots taken before "),
        "{}",
        dry.stdout
    );
    assert!(
        paths.iter().all(|p| p.is_file()),
        "a dry run changes nothing"
    );

    let applied = driftscope(
        dir.path(),
        &[
            "compress",
            "prod",
            "--host",
            "web-1",
            "--older-than",
            "1d",
            "--apply",
        ],
    );
    assert_eq!(applied.code, 0, "{}", applied.stderr);
    assert!(
        applied.stdout.starts_with("Compressed 3 snapshots: "),
        "{}",
        applied.stdout
    );
    let compressed = paths.iter().filter(|p| !p.exists()).count();
    assert_eq!(compressed, 3);

    let storage = driftscope(dir.path(), &["storage"]);
    assert!(
        storage
            .stdout
            .starts_with("prod: 2 hosts, 6 snapshots (3 compressed), "),
        "{}",
        storage.stdout
    );
    let after_diff = driftscope(dir.path(), &["diff", "prod/web-1@2026-11-01", "prod"]);
    assert_eq!(after_diff.stdout, before_diff.stdout);
    let after_log = driftscope(dir.path(), &["log", "prod", "versions/runtime.python"]);
    assert_eq!(after_log.stdout, before_log.stdout);

    let again = driftscope(dir.path(), &["compress", "--older-than", "1d", "--apply"]);
    assert!(
        again.stdout.starts_with("Compressed 3 snapshots"),
        "{}",
        again.stdout
    );
    let none = driftscope(dir.path(), &["compress", "--older-than", "1d"]);
    assert!(
        none.stdout.starts_with("Nothing to compress"),
        "{}",
        none.stdout
    );
    let bad = driftscope(dir.path(), &["compress", "--older-than", "soon"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--older-than 'soon'"), "{}", bad.stderr);
}

#[test]
fn storage_counts_the_bytes_on_disk_and_projects_a_year_from_them() {
    let (dir, paths) = workspace(2);
    compress_file(&paths[0]).unwrap();
    let root = dir.path().canonicalize().unwrap();
    let ws = Workspace::open(&root).unwrap();
    let reports = driftscope::store::storage::storage(&ws, Some("prod"));
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    let on_disk: u64 = ws
        .history
        .entries
        .iter()
        .map(|m| match &m.location {
            Location::File(path) => fs::metadata(path).unwrap().len(),
            Location::Embedded(_) => panic!("a file"),
        })
        .sum();
    assert_eq!(
        (
            report.hosts,
            report.snapshots,
            report.compressed,
            report.stored_bytes
        ),
        (2, 4, 1, on_disk)
    );
    // The newest snapshot of each host is the sample, as a plain document.
    let newest: u64 = paths[2..]
        .iter()
        .map(|p| fs::metadata(p).unwrap().len())
        .sum();
    assert_eq!((report.sampled, report.sample_plain_bytes), (2, newest));
    assert_eq!(report.per_year(365).0, newest / 2 * 2 * 365);
}
