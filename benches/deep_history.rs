//! Deep history: a workspace of 100,000 small snapshot files (2 environments × 50 hosts ×
//! 1,000 daily snapshots), generated once, then timed:
//!
//! - listing the snapshot folders (`read_dir` + `metadata` of every file), the floor of
//!   any check that the index cache is still true;
//! - `Workspace::open` cold (no index cache) and warm (cache in place);
//! - the whole `driftscope diff staging prod` command, cold and warm (wall clock of the
//!   release binary, workspace as the current folder).
//!
//! Run with `cargo bench --bench deep_history`. Set `DRIFTSCOPE_BENCH_DIR` to a folder to
//! keep the generated workspace between runs (it is generated when empty). Prints one
//! line per measurement (minimum and median of the runs), the index cache's size, and
//! the snapshots' bytes on disk.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, TimeZone, Utc};
use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::{
    INDEX_CACHE_FILE, SNAPSHOTS_DIR, Workspace, path_component, snapshot_file_name,
};

const ENVIRONMENTS: [&str; 2] = ["staging", "prod"];
const HOSTS: usize = 50;
const DAYS: usize = 1_000;
const FACTS: usize = 20;

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let kept = std::env::var_os("DRIFTSCOPE_BENCH_DIR").map(PathBuf::from);
    let temp = tempfile::TempDir::new().expect("temp dir");
    let root = kept.unwrap_or_else(|| temp.path().to_path_buf());
    let total = ENVIRONMENTS.len() * HOSTS * DAYS;
    if !root.join("driftscope.toml").is_file() {
        let started = Instant::now();
        generate(&root);
        println!(
            "generated {total} snapshot files in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let cache = root.join(INDEX_CACHE_FILE);

    let listing = measure(5, || {
        let count = list_only(&root.join(SNAPSHOTS_DIR));
        assert_eq!(count, total);
    });
    report("read_dir + metadata of every file", &listing);

    let cold = measure(3, || {
        let _ = std::fs::remove_file(&cache);
        let ws = Workspace::open(&root).expect("open");
        assert_eq!(ws.history.entries.len(), total);
    });
    report("Workspace::open, cold (no index cache)", &cold);
    let warm = measure(7, || {
        let ws = Workspace::open(&root).expect("open");
        assert_eq!(ws.history.entries.len(), total);
    });
    report("Workspace::open, warm", &warm);
    let size = std::fs::metadata(&cache).map(|m| m.len()).unwrap_or(0);
    println!(
        "index cache: {size} bytes ({:.1} bytes per snapshot)",
        size as f64 / total as f64
    );

    let binary = env!("CARGO_BIN_EXE_driftscope");
    let diff = |root: &Path| {
        let out = Command::new(binary)
            .args(["diff", "staging", "prod"])
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .expect("run driftscope");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("web-"),
            "diff printed no drift: {}{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let cold = measure(3, || {
        let _ = std::fs::remove_file(&cache);
        diff(&root);
    });
    report("driftscope diff staging prod, cold", &cold);
    let warm = measure(7, || diff(&root));
    report("driftscope diff staging prod, warm", &warm);

    let (files, bytes) = disk_usage(&root.join(SNAPSHOTS_DIR));
    println!(
        "snapshots on disk: {files} files, {bytes} bytes, {:.0} bytes per host per snapshot",
        bytes as f64 / files.max(1) as f64
    );
}

/// Writes the workspace: plain files, as `driftscope snapshot` would leave them.
fn generate(root: &Path) {
    std::fs::create_dir_all(root).expect("workspace folder");
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.staging]\nhosts = []\n\n[environments.prod]\nhosts = []\n",
    )
    .expect("config");
    let start = Utc.with_ymd_and_hms(2024, 3, 1, 6, 0, 0).unwrap();
    for env in ENVIRONMENTS {
        for host in 0..HOSTS {
            let name = format!("{env}-web-{host:02}");
            let folder = root
                .join(SNAPSHOTS_DIR)
                .join(path_component(env))
                .join(path_component(&name));
            std::fs::create_dir_all(&folder).expect("host folder");
            for day in 0..DAYS {
                let at = start + TimeDelta::days(day as i64) + TimeDelta::seconds(host as i64);
                let s = snapshot(env, &name, at, day, host);
                std::fs::write(folder.join(snapshot_file_name(at, 1)), s.to_json())
                    .expect("snapshot file");
            }
        }
    }
}

/// A small snapshot; a few facts change over time, and prod's runtime differs.
fn snapshot(
    env: &str,
    host: &str,
    at: chrono::DateTime<Utc>,
    day: usize,
    index: usize,
) -> Snapshot {
    let mut s = Snapshot::new(env, host, at, Source::Local);
    let runtime = if env == "prod" && index % 10 == 0 {
        "3.12.1"
    } else {
        "3.12.4"
    };
    s.insert(
        Category::Versions,
        "runtime.python",
        Value::version(runtime),
    );
    s.insert(
        Category::Versions,
        "lib.openssl",
        Value::version(format!("3.0.{}", 11 + day / 200)),
    );
    for i in 0..FACTS - 2 {
        let category = Category::ALL[i % Category::ALL.len()];
        s.insert(
            category,
            format!("fact.{i:02}"),
            Value::string(format!("value-{i}-{}", day / (100 + i))),
        );
    }
    s
}

/// Counts the files under `dir` the way a check of the cache must see them.
fn list_only(dir: &Path) -> usize {
    let mut count = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("list") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                count += 1;
            }
        }
    }
    count
}

fn disk_usage(dir: &Path) -> (u64, u64) {
    let (mut files, mut bytes) = (0, 0);
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("list") {
            let entry = entry.expect("entry");
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                files += 1;
                bytes += meta.len();
            }
        }
    }
    (files, bytes)
}

fn measure(runs: usize, mut work: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn report(what: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: min {:.0} ms, median {:.0} ms ({} runs)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        times.len()
    );
}
