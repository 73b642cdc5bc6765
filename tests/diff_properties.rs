//! Properties of the diff engine that must hold for any snapshots.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{TimeZone, Utc};
use driftscope::diff::version::{classify, compare_versions};
use driftscope::diff::{ChangeKind, DiffOptions, DriftReport, Severity, Side, Status, compare};
use driftscope::model::{Category, Scalar, Snapshot, Source, Value};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = Value> {
    let word = || prop::sample::select(vec!["a", "b", "c"]);
    prop_oneof![
        prop::sample::select(vec![
            "1.0", "1.0.1", "1.1", "2.0", "v1.0", "1.0+b1", "1.0-rc.1", "1:1.0-1", "1.0~rc1",
            "latest",
        ])
        .prop_map(Value::version),
        word().prop_map(Value::string),
        (0i64..3).prop_map(|n| Value::Scalar(Scalar::from(n))),
        any::<bool>().prop_map(|b| Value::Scalar(Scalar::Bool(b))),
        prop::collection::vec(
            prop::sample::select(vec!["x = 1", "x = 2", "  x = 1", "", "y = 1"]),
            0..4
        )
        .prop_map(|lines| Value::Text(lines.join("\n"))),
        prop::collection::vec(word(), 0..4)
            .prop_map(|items| Value::List(items.into_iter().map(String::from).collect())),
        prop::collection::vec(word(), 0..4).prop_map(Value::set),
        prop::collection::btree_map(
            prop::sample::select(vec!["f", "g"]),
            prop::sample::select(vec!["1", "2"]),
            0..3
        )
        .prop_map(Value::record),
        prop::sample::select(vec!["hmac-sha256:aa", "hmac-sha256:bb"])
            .prop_map(|s| Value::Redacted(s.to_string())),
    ]
}

/// Facts drawn from a small key pool, so different snapshots share many keys.
fn facts() -> impl Strategy<Value = Vec<(Category, String, Value)>> {
    prop::collection::vec(
        (
            prop::sample::select(Category::ALL.to_vec()),
            (0..6u8).prop_map(|k| format!("key{k}")),
            value(),
        ),
        0..16,
    )
}

fn snapshot(env: &str, host: &str, facts: &[(Category, String, Value)]) -> Snapshot {
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    let mut s = Snapshot::new(env, host, t, Source::Demo);
    for (c, k, v) in facts {
        s.insert(*c, k.clone(), v.clone());
    }
    s
}

/// A side of one to three hosts.
fn side_hosts() -> impl Strategy<Value = Vec<Vec<(Category, String, Value)>>> {
    prop::collection::vec(facts(), 1..4)
}

fn build(env: &str, hosts: &[Vec<(Category, String, Value)>]) -> Vec<Snapshot> {
    hosts
        .iter()
        .enumerate()
        .map(|(i, f)| snapshot(env, &format!("{env}-{i}"), f))
        .collect()
}

fn side<'a>(label: &str, snapshots: &'a [Snapshot]) -> Side<'a> {
    Side {
        label: label.to_string(),
        snapshots: snapshots.iter().collect(),
    }
}

fn all_facts() -> DiffOptions {
    DiffOptions {
        include_equal: true,
        ..DiffOptions::default()
    }
}

type Outcome = (Status, bool, Severity, ChangeKind);

fn outcomes(report: &DriftReport) -> BTreeMap<String, Outcome> {
    report
        .facts
        .iter()
        .map(|f| {
            let outcome = (f.status, f.divergent, f.severity, f.change);
            (f.key.to_string(), outcome)
        })
        .collect()
}

fn drifting_keys(report: &DriftReport) -> BTreeSet<String> {
    report
        .facts
        .iter()
        .filter(|f| f.is_drift())
        .map(|f| f.key.to_string())
        .collect()
}

proptest! {
    #[test]
    fn a_snapshot_diffed_with_itself_has_no_drift(f in facts()) {
        let snap = vec![snapshot("prod", "p1", &f)];
        let report = compare(&[side("a", &snap), side("b", &snap)], &all_facts());
        prop_assert_eq!(report.drift_count(), 0);
        prop_assert_eq!(report.facts.len(), snap[0].fact_count());
        for fact in &report.facts {
            prop_assert_eq!(fact.status, Status::Equal);
            prop_assert!(!fact.divergent);
            prop_assert_eq!(fact.severity, Severity::None);
            prop_assert!(fact.comparisons.is_empty());
        }
        let drift_only = compare(&[side("a", &snap), side("b", &snap)], &DiffOptions::default());
        prop_assert!(drift_only.facts.is_empty());
    }

    #[test]
    fn outcomes_do_not_depend_on_side_order(a in side_hosts(), b in side_hosts()) {
        let (a, b) = (build("a", &a), build("b", &b));
        let ab = compare(&[side("a", &a), side("b", &b)], &all_facts());
        let ba = compare(&[side("b", &b), side("a", &a)], &all_facts());
        prop_assert_eq!(outcomes(&ab), outcomes(&ba));
        prop_assert_eq!(ab.drift_count(), ba.drift_count());
    }

    #[test]
    fn drifting_keys_are_the_same_for_every_order_of_three_sides(
        a in side_hosts(),
        b in side_hosts(),
        c in side_hosts(),
    ) {
        let built = [build("a", &a), build("b", &b), build("c", &c)];
        let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        let reports: Vec<DriftReport> = permutations
            .iter()
            .map(|order| {
                let sides: Vec<Side<'_>> =
                    order.iter().map(|&i| side(&i.to_string(), &built[i])).collect();
                compare(&sides, &DiffOptions::default())
            })
            .collect();
        let first = drifting_keys(&reports[0]);
        for report in &reports[1..] {
            prop_assert_eq!(&drifting_keys(report), &first);
        }
    }

    #[test]
    fn version_order_is_antisymmetric_and_classify_symmetric(
        a in "[0-9a-zA-Z.~+:_-]{0,12}",
        b in "[0-9a-zA-Z.~+:_-]{0,12}",
    ) {
        prop_assert_eq!(compare_versions(&a, &b), compare_versions(&b, &a).reverse());
        prop_assert_eq!(classify(&a, &b), classify(&b, &a));
        prop_assert_eq!(classify(&a, &b) == ChangeKind::None, a == b);
    }

    #[test]
    fn sorted_versions_stay_consistent_pairwise(
        mut versions in prop::collection::vec("[0-9a-z.~+:-]{0,8}", 0..12),
    ) {
        versions.sort_by(|x, y| compare_versions(x, y));
        for (i, x) in versions.iter().enumerate() {
            for y in &versions[i + 1..] {
                prop_assert_ne!(compare_versions(x, y), std::cmp::Ordering::Greater, "{} > {}", x, y);
            }
        }
    }
}
