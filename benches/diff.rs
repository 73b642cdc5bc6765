//! Diff engine benchmarks on two synthetic 100,000-fact snapshots with 5% drift.
//!
//! `parse_json_value_100k` (parsing both documents into untyped JSON) is the yardstick
//! that `load_and_compare_100k` (typed parsing, checks and the comparison) is held to.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use driftscope::demo::synthetic;
use driftscope::diff::{DiffOptions, Side, compare};
use driftscope::model::Snapshot;

fn sides<'a>(a: &'a Snapshot, b: &'a Snapshot) -> [Side<'a>; 2] {
    [
        Side {
            label: "staging".to_string(),
            snapshots: vec![a],
        },
        Side {
            label: "prod".to_string(),
            snapshots: vec![b],
        },
    ]
}

fn bench_diff(c: &mut Criterion) {
    let (a, b) = synthetic::pair(100_000, 5, 42);
    let (text_a, text_b) = (a.to_json(), b.to_json());
    let options = DiffOptions::default();

    let mut group = c.benchmark_group("diff");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));

    group.bench_function("compare_100k", |bench| {
        bench.iter(|| compare(black_box(&sides(&a, &b)), &options))
    });

    group.bench_function("parse_json_value_100k", |bench| {
        bench.iter(|| {
            let va = serde_json::from_str::<serde_json::Value>(black_box(&text_a));
            let vb = serde_json::from_str::<serde_json::Value>(black_box(&text_b));
            (va.is_ok(), vb.is_ok())
        })
    });

    group.bench_function("load_and_compare_100k", |bench| {
        bench.iter(|| {
            let (Ok(la), Ok(lb)) = (
                Snapshot::from_json(black_box(&text_a)),
                Snapshot::from_json(black_box(&text_b)),
            ) else {
                panic!("synthetic snapshots must load");
            };
            compare(&sides(&la, &lb), &options).drift_count()
        })
    });

    group.finish();
}

criterion_group!(benches, bench_diff);
criterion_main!(benches);
