use chrono::{TimeDelta, TimeZone};

use super::*;
use crate::diff::{DiffOptions, compare};
use crate::model::{Scalar, Snapshot, Source};

use Category::{Config, Versions};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap()
}

fn num(n: i64) -> Value {
    Value::Scalar(Scalar::from(n))
}

fn host(env: &str, name: &str, facts: &[(Category, &str, Value)]) -> Snapshot {
    let mut s = Snapshot::new(env, name, t0(), Source::Demo);
    for (c, k, v) in facts {
        s.insert(*c, *k, v.clone());
    }
    s
}

/// Compares one single-host side per snapshot, labelled by environment.
fn report_of(hosts: &[&Snapshot]) -> (DriftReport, Vec<String>) {
    let sides: Vec<Side<'_>> = hosts
        .iter()
        .map(|h| Side {
            label: h.environment.clone(),
            snapshots: vec![*h],
        })
        .collect();
    let environments = side_environments(&sides);
    (compare(&sides, &DiffOptions::default()), environments)
}

fn fact<'r>(report: &'r DriftReport, category: Category, key: &str) -> &'r FactDiff {
    report
        .facts
        .iter()
        .find(|f| f.key == FactKey::new(category, key))
        .unwrap_or_else(|| panic!("{category}/{key} does not drift"))
}

fn draft(kind: AnnotationKind) -> AnnotationDraft {
    AnnotationDraft {
        kind,
        reason: "  prod is sized for load  ".into(),
        ticket: Some("  ".into()),
        expires: None,
    }
}

fn workers(staging: i64, prod: i64) -> (Snapshot, Snapshot) {
    (
        host("staging", "s1", &[(Config, "workers", num(staging))]),
        host("prod", "p1", &[(Config, "workers", num(prod))]),
    )
}

fn justified_workers() -> Annotation {
    let (s, p) = workers(2, 8);
    let (report, envs) = report_of(&[&s, &p]);
    annotate(
        fact(&report, Config, "workers"),
        &envs,
        draft(AnnotationKind::Justify),
        "Dana",
        t0(),
    )
    .unwrap()
}

#[test]
fn annotate_trims_and_records_the_comparison() {
    let a = justified_workers();
    assert_eq!(a.reason, "prod is sized for load");
    assert_eq!(a.ticket, None);
    assert_eq!(a.author, "Dana");
    assert_eq!(a.key, FactKey::new(Config, "workers"));
    assert_eq!(
        a.environments.iter().collect::<Vec<_>>(),
        ["prod", "staging"]
    );
    assert_eq!(a.validate(), Ok(()));
}

#[test]
fn annotate_refuses_equal_facts_and_blank_reasons() {
    let s = host("staging", "s1", &[(Config, "workers", num(2))]);
    let p = host("prod", "p1", &[(Config, "workers", num(2))]);
    let sides = [
        Side {
            label: "staging".into(),
            snapshots: vec![&s],
        },
        Side {
            label: "prod".into(),
            snapshots: vec![&p],
        },
    ];
    let options = DiffOptions {
        include_equal: true,
        ..Default::default()
    };
    let report = compare(&sides, &options);
    let envs = side_environments(&sides);
    let err = annotate(
        &report.facts[0],
        &envs,
        draft(AnnotationKind::Justify),
        "Dana",
        t0(),
    )
    .unwrap_err();
    assert!(err.contains("does not drift"), "{err}");

    let (s, p) = workers(2, 8);
    let (report, envs) = report_of(&[&s, &p]);
    let blank = AnnotationDraft {
        reason: " ".into(),
        ..draft(AnnotationKind::Justify)
    };
    let err = annotate(&report.facts[0], &envs, blank, "Dana", t0()).unwrap_err();
    assert!(err.contains("reason"), "{err}");
}

#[test]
fn matching_values_are_justified_and_changed_values_stale() {
    let annotations = [justified_workers()];
    let (s, p) = workers(2, 8);
    let (report, envs) = report_of(&[&s, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(
        reviews.facts[0],
        Some(Review {
            state: ReviewState::Justified,
            annotation: Some(0)
        })
    );
    assert_eq!(reviews.total().justified, 1);
    assert_eq!(reviews.annotation(0, &annotations), Some(&annotations[0]));
    assert_eq!(reviews.annotation(1, &annotations), None);

    let (s, p) = workers(2, 12);
    let (report, envs) = report_of(&[&s, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Stale));
    assert_eq!(reviews.total().needs_review(), 1);
}

#[test]
fn side_order_and_time_references_do_not_change_the_match() {
    let annotations = [justified_workers()];
    let (s, p) = workers(2, 8);
    let (report, envs) = report_of(&[&p, &s]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Justified));

    // A side labelled `staging@…` still belongs to staging.
    let sides = [
        Side {
            label: "staging@2026-11-20".into(),
            snapshots: vec![&s],
        },
        Side {
            label: "prod".into(),
            snapshots: vec![&p],
        },
    ];
    let envs = side_environments(&sides);
    assert_eq!(envs, ["staging", "prod"]);
    let report = compare(&sides, &DiffOptions::default());
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Justified));
}

#[test]
fn expired_annotations_count_as_unreviewed_after_their_last_day() {
    let mut a = justified_workers();
    a.expires = Some(t0().date_naive());
    let annotations = [a];
    let (s, p) = workers(2, 8);
    let (report, envs) = report_of(&[&s, &p]);
    let on_last_day = review(&report, &envs, &annotations, t0() + TimeDelta::hours(10));
    assert_eq!(on_last_day.state(0), Some(ReviewState::Justified));
    let next_day = review(&report, &envs, &annotations, t0() + TimeDelta::days(1));
    assert_eq!(next_day.state(0), Some(ReviewState::Expired));
    assert!(ReviewState::Expired.needs_review());
}

#[test]
fn stale_wins_over_expired() {
    let mut a = justified_workers();
    a.expires = Some(t0().date_naive() - TimeDelta::days(3));
    let (s, p) = workers(1, 8);
    let (report, envs) = report_of(&[&s, &p]);
    let reviews = review(&report, &envs, &[a], t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Stale));
}

#[test]
fn other_environments_and_other_keys_do_not_match() {
    let annotations = [justified_workers()];
    let d = host("dev", "d1", &[(Config, "workers", num(2))]);
    let p = host("prod", "p1", &[(Config, "workers", num(8))]);
    let (report, envs) = report_of(&[&d, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.facts[0], Some(Review::UNREVIEWED));
    assert!(reviews.resolved.is_empty());
}

#[test]
fn a_pair_annotation_covers_three_sides_only_when_it_accounts_for_every_value() {
    let annotations = [justified_workers()];
    let (s, p) = workers(2, 8);
    // dev equals staging: the staging/prod decision explains the whole drift.
    let d = host("dev", "d1", &[(Config, "workers", num(2))]);
    let (report, envs) = report_of(&[&d, &s, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Justified));
    // dev holds a third value the decision never saw.
    let d = host("dev", "d1", &[(Config, "workers", num(1))]);
    let (report, envs) = report_of(&[&d, &s, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Unreviewed));
}

#[test]
fn an_exact_match_wins_and_a_current_one_wins_over_a_stale_one() {
    let pair = justified_workers();
    let (s, p) = workers(2, 8);
    let d = host("dev", "d1", &[(Config, "workers", num(2))]);
    let (report, envs) = report_of(&[&d, &s, &p]);
    let triple = annotate(
        &report.facts[0],
        &envs,
        draft(AnnotationKind::Remediate),
        "Sam",
        t0() - TimeDelta::days(1),
    )
    .unwrap();
    let annotations = [pair.clone(), triple];
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(
        reviews.facts[0],
        Some(Review {
            state: ReviewState::Remediate,
            annotation: Some(1)
        })
    );
    let stale_pair = Annotation {
        fingerprint: format!("{FINGERPRINT_PREFIX}{}", "0".repeat(64)),
        ..pair
    };
    let (report, envs) = report_of(&[&s, &p]);
    let annotations = [stale_pair, justified_workers()];
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(
        reviews.facts[0],
        Some(Review {
            state: ReviewState::Justified,
            annotation: Some(1)
        })
    );
}

#[test]
fn fingerprints_ignore_host_grouping_but_not_values() {
    let s = host("staging", "s1", &[(Config, "workers", num(2))]);
    let p1 = host("prod", "p1", &[(Config, "workers", num(8))]);
    let p2 = host("prod", "p2", &[(Config, "workers", num(4))]);
    let p3 = host("prod", "p3", &[(Config, "workers", num(8))]);
    let of: BTreeSet<String> = ["prod".to_string(), "staging".to_string()].into();
    let print = |prod: &[&Snapshot]| {
        let sides = [
            Side {
                label: "staging".into(),
                snapshots: vec![&s],
            },
            Side {
                label: "prod".into(),
                snapshots: prod.to_vec(),
            },
        ];
        let report = compare(&sides, &DiffOptions::default());
        fingerprint(&report.facts[0], &side_environments(&sides), &of)
    };
    let two = print(&[&p1, &p2]);
    assert_eq!(two, print(&[&p1, &p2, &p3]));
    assert_ne!(two, print(&[&p1, &p3]));
    assert!(crate::model::is_fingerprint(&two), "{two}");
}

#[test]
fn redacted_values_enter_the_fingerprint_only_as_fingerprints() {
    let secret = |env: &str, fp: &str| {
        host(
            env,
            &format!("{env}-1"),
            &[(Config, "env.TOKEN", Value::Redacted(fp.into()))],
        )
    };
    let (s, p) = (
        secret("staging", "hmac-sha256:aa"),
        secret("prod", "hmac-sha256:bb"),
    );
    let (report, envs) = report_of(&[&s, &p]);
    let a = annotate(
        &report.facts[0],
        &envs,
        draft(AnnotationKind::Justify),
        "Dana",
        t0(),
    )
    .unwrap();
    let reviews = review(&report, &envs, std::slice::from_ref(&a), t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Justified));
    let rotated = secret("prod", "hmac-sha256:cc");
    let (report, envs) = report_of(&[&s, &rotated]);
    let reviews = review(&report, &envs, &[a], t0());
    assert_eq!(reviews.state(0), Some(ReviewState::Stale));
}

#[test]
fn annotations_whose_fact_stopped_drifting_are_resolved() {
    let annotations = [justified_workers()];
    let s = host(
        "staging",
        "s1",
        &[(Config, "workers", num(8)), (Versions, "x", num(1))],
    );
    let p = host(
        "prod",
        "p1",
        &[(Config, "workers", num(8)), (Versions, "x", num(2))],
    );
    let (report, envs) = report_of(&[&s, &p]);
    let reviews = review(&report, &envs, &annotations, t0());
    assert_eq!(reviews.resolved, [0]);
    assert_eq!(reviews.total().unreviewed, 1);
}

#[test]
fn counts_by_side_follow_the_sides_that_take_part() {
    let d = host(
        "dev",
        "d1",
        &[(Config, "workers", num(2)), (Config, "debug", num(1))],
    );
    let s = host(
        "staging",
        "s1",
        &[(Config, "workers", num(2)), (Config, "debug", num(0))],
    );
    let p = host(
        "prod",
        "p1",
        &[(Config, "workers", num(8)), (Config, "debug", num(0))],
    );
    let (report, envs) = report_of(&[&d, &s, &p]);
    let reviews = review(&report, &envs, &[], t0());
    let unreviewed: Vec<usize> = reviews.by_side.iter().map(|c| c.unreviewed).collect();
    // Each side differs from some other side in both facts.
    assert_eq!(unreviewed, [2, 2, 2]);
    assert_eq!(reviews.by_category[&Config].unreviewed, 2);
    assert_eq!(reviews.by_category[&Versions], StateCounts::default());
}

#[test]
fn filters_select_by_state() {
    let justified = Review {
        state: ReviewState::Justified,
        annotation: Some(0),
    };
    let stale = Review {
        state: ReviewState::Stale,
        annotation: Some(1),
    };
    assert!(ReviewFilter::All.matches(None));
    assert!(!ReviewFilter::Unreviewed.matches(None));
    assert!(ReviewFilter::Unreviewed.matches(Some(&stale)));
    assert!(!ReviewFilter::Unreviewed.matches(Some(&justified)));
    assert!(ReviewFilter::Justified.matches(Some(&justified)));
    assert!(!ReviewFilter::Remediate.matches(Some(&justified)));
    let mut f = ReviewFilter::All;
    let mut seen = vec![f.label()];
    for _ in 0..3 {
        f = f.next();
        seen.push(f.label());
    }
    assert_eq!(seen, ["all", "unreviewed", "justified", "to remediate"]);
    assert_eq!(f.next(), ReviewFilter::All);
}
