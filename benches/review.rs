//! Review benchmarks: the review state of every drift of two synthetic 100,000-fact
//! snapshots (5% drift), with every drift annotated, against the comparison itself.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use driftscope::demo::synthetic;
use driftscope::diff::review::{AnnotationDraft, annotate, review, side_environments};
use driftscope::diff::{DiffOptions, Side, compare};
use driftscope::model::{Annotation, AnnotationKind};
use driftscope::store::{parse_annotations, render_annotations};

fn bench_review(c: &mut Criterion) {
    let (a, b) = synthetic::pair(100_000, 5, 42);
    let sides = [
        Side {
            label: "staging".to_string(),
            snapshots: vec![&a],
        },
        Side {
            label: "prod".to_string(),
            snapshots: vec![&b],
        },
    ];
    let environments = side_environments(&sides);
    let report = compare(&sides, &DiffOptions::default());
    let now = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    let annotations: Vec<Annotation> = report
        .facts
        .iter()
        .map(|fact| {
            let draft = AnnotationDraft {
                kind: AnnotationKind::Justify,
                reason: "known difference".to_string(),
                ticket: None,
                expires: None,
            };
            annotate(fact, &environments, draft, "bench", now).expect("every fact drifts")
        })
        .collect();
    let text = render_annotations(&annotations);

    let mut group = c.benchmark_group("review");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("review_100k_all_annotated", |bench| {
        bench.iter(|| review(black_box(&report), &environments, &annotations, now).total())
    });
    group.bench_function("parse_annotations_file", |bench| {
        bench.iter(|| parse_annotations(black_box(&text), "annotations.toml").map(|r| r.len()))
    });
    group.bench_function("render_annotations_file", |bench| {
        bench.iter(|| render_annotations(black_box(&annotations)).len())
    });
    group.finish();
}

criterion_group!(benches, bench_review);
criterion_main!(benches);
