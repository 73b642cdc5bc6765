//! History benchmarks on a workspace of one environment: 3 hosts × 100 snapshots of
//! 1,000 facts each (300 snapshots), where every snapshot changes a few facts.
//!
//! - `index_300`: opening the workspace (metadata of every file, facts not kept);
//! - `timeline_300`: the environment's timeline (every consecutive pair diffed);
//! - `timeline_300_cached`: the same with a warm [`ChangeCache`], as the explorer asks
//!   again after one new snapshot;
//! - `fact_history_300`: one fact's history across all 300 files.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use driftscope::model::{Category, FactKey, Snapshot, Source, Value};
use driftscope::store::{ChangeCache, Workspace, fact_history, timeline, timeline_cached};
use tempfile::TempDir;

const HOSTS: usize = 3;
const SNAPSHOTS_PER_HOST: usize = 100;
const FACTS: usize = 1_000;

/// A workspace with the history described above.
fn history_workspace() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.prod]\nhosts = [\"web-1\", \"web-2\", \"web-3\"]\n",
    )
    .expect("config");
    let mut ws = Workspace::open(dir.path()).expect("workspace");
    let start = Utc.with_ymd_and_hms(2026, 8, 1, 6, 0, 0).unwrap();
    for run in 0..SNAPSHOTS_PER_HOST {
        for host in 0..HOSTS {
            let at = start + TimeDelta::hours(24 * run as i64) + TimeDelta::seconds(host as i64);
            let mut s = Snapshot::new("prod", format!("web-{}", host + 1), at, Source::Local);
            for i in 0..FACTS {
                let category = Category::ALL[i % Category::ALL.len()];
                // Facts 0..5 change every run; a few more every tenth run.
                let generation = match i {
                    0..5 => run,
                    5..20 => run / 10,
                    _ => 0,
                };
                let value = match i % 3 {
                    0 => Value::version(format!("{}.{}.{generation}", i % 7, i % 11)),
                    1 => Value::string(format!("value-{i}-{generation}")),
                    _ => Value::set([format!("a{i}"), format!("b{generation}")]),
                };
                s.insert(category, format!("fact.{i:04}"), value);
            }
            ws.store_snapshot(&s).expect("store");
        }
    }
    dir
}

fn bench_history(c: &mut Criterion) {
    let dir = history_workspace();
    let ws = Workspace::open(dir.path()).expect("workspace");
    assert_eq!(ws.history.entries.len(), HOSTS * SNAPSHOTS_PER_HOST);
    let key = FactKey::new(Category::ALL[3], "fact.0003");

    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));

    group.bench_function("index_300", |b| {
        b.iter(|| Workspace::open(black_box(dir.path())).map(|w| w.history.entries.len()))
    });
    group.bench_function("timeline_300", |b| {
        b.iter(|| timeline(black_box(&ws), "prod", None).map(|t| t.len()))
    });
    let mut cache = ChangeCache::default();
    let _ = timeline_cached(&ws, "prod", None, &mut cache);
    group.bench_function("timeline_300_cached", |b| {
        b.iter(|| timeline_cached(black_box(&ws), "prod", None, &mut cache).map(|t| t.len()))
    });
    group.bench_function("fact_history_300", |b| {
        b.iter(|| fact_history(black_box(&ws), "prod", None, &key).map(|h| h.len()))
    });
    group.finish();
}

criterion_group!(benches, bench_history);
criterion_main!(benches);
