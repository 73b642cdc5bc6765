use chrono::{TimeZone, Utc};

use super::*;
use crate::diff::{ChangeKind, Comparison, IgnoreRules, Severity};
use crate::model::{Scalar, Source};

fn host(env: &str, name: &str, facts: &[(Category, &str, Value)]) -> Snapshot {
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    let mut s = Snapshot::new(env, name, t, Source::Demo);
    for (c, k, v) in facts {
        s.insert(*c, *k, v.clone());
    }
    s
}

fn side<'a>(label: &str, snapshots: &[&'a Snapshot]) -> Side<'a> {
    Side {
        label: label.to_string(),
        snapshots: snapshots.to_vec(),
    }
}

fn find<'r>(report: &'r DriftReport, category: Category, key: &str) -> &'r FactDiff {
    report
        .facts
        .iter()
        .find(|f| f.key == FactKey::new(category, key))
        .unwrap_or_else(|| panic!("{category}/{key} not in report"))
}

fn present(v: &Value) -> Cell {
    Cell::Present { value: v.clone() }
}

fn num(n: i64) -> Value {
    Value::Scalar(Scalar::from(n))
}

use Category::{Config, Infra, Network, Schema, Services, Versions};

#[test]
fn aligns_keys_across_three_sides() {
    let py = Value::version("3.12.1");
    let a = host(
        "dev",
        "d1",
        &[(Versions, "python", py.clone()), (Config, "only_a", num(1))],
    );
    let b = host(
        "staging",
        "s1",
        &[(Versions, "python", py.clone()), (Config, "b_c", num(2))],
    );
    let c = host(
        "prod",
        "p1",
        &[(Versions, "python", py.clone()), (Config, "b_c", num(2))],
    );
    let opts = DiffOptions {
        include_equal: true,
        ..DiffOptions::default()
    };
    let report = compare(
        &[
            side("dev", &[&a]),
            side("staging", &[&b]),
            side("prod", &[&c]),
        ],
        &opts,
    );
    assert_eq!(report.facts.len(), 3);

    let python = find(&report, Versions, "python");
    assert_eq!(python.status, Status::Equal);
    assert_eq!(python.cells, vec![present(&py), present(&py), present(&py)]);

    let only_a = find(&report, Config, "only_a");
    assert_eq!(only_a.status, Status::Missing);
    assert_eq!(
        only_a.cells,
        vec![present(&num(1)), Cell::Absent, Cell::Absent]
    );

    let b_c = find(&report, Config, "b_c");
    assert_eq!(b_c.status, Status::Missing);
    assert_eq!(
        b_c.cells,
        vec![Cell::Absent, present(&num(2)), present(&num(2))]
    );
    assert_eq!(
        (b_c.severity, b_c.change),
        (Severity::Critical, ChangeKind::Missing)
    );
    assert!(b_c.comparisons.is_empty());

    let labels: Vec<&str> = report.sides.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["dev", "staging", "prod"]);
    assert_eq!(report.sides[2].hosts[0].host, "p1");
}

#[test]
fn hosts_that_agree_make_one_present_cell() {
    let w = num(8);
    let p1 = host("prod", "p1", &[(Config, "workers", w.clone())]);
    let p2 = host("prod", "p2", &[(Config, "workers", w.clone())]);
    let s1 = host("staging", "s1", &[(Config, "workers", num(2))]);
    let report = compare(
        &[side("prod", &[&p1, &p2]), side("staging", &[&s1])],
        &DiffOptions::default(),
    );
    let fact = find(&report, Config, "workers");
    assert_eq!(fact.cells[0], present(&w));
    assert!(!fact.divergent);
    assert_eq!(fact.status, Status::Differs);
}

#[test]
fn divergent_hosts_are_grouped_by_value() {
    let old = Value::version("1.24.0");
    let new = Value::version("1.26.1");
    let p1 = host("prod", "web-3", &[(Versions, "server.nginx", new.clone())]);
    let p2 = host("prod", "web-1", &[(Versions, "server.nginx", old.clone())]);
    let p3 = host("prod", "web-2", &[(Versions, "server.nginx", new.clone())]);
    let p4 = host("prod", "web-4", &[]);
    let report = compare(
        &[side("prod", &[&p1, &p2, &p3, &p4])],
        &DiffOptions::default(),
    );
    let fact = find(&report, Versions, "server.nginx");
    assert!(fact.divergent);
    assert!(fact.is_drift());
    assert_eq!(fact.status, Status::Differs);
    // A host lacking a server within a side is the worst pair (the minor jump between
    // the others is critical too, but an absence ranks above it).
    assert_eq!(
        (fact.severity, fact.change),
        (Severity::Critical, ChangeKind::Missing)
    );
    let expected = vec![
        HostGroup {
            value: Some(new),
            hosts: vec!["web-2".into(), "web-3".into()],
        },
        HostGroup {
            value: Some(old),
            hosts: vec!["web-1".into()],
        },
        HostGroup {
            value: None,
            hosts: vec!["web-4".into()],
        },
    ];
    assert_eq!(fact.cells, vec![Cell::Divergent { groups: expected }]);
}

#[test]
fn an_unchanged_divergent_environment_does_not_drift_against_its_past() {
    let old = Value::version("6.1.0-18-amd64");
    let new = Value::version("6.1.0-21-amd64");
    let then_1 = host("prod", "web-1", &[(Versions, "kernel", new.clone())]);
    let then_3 = host("prod", "web-3", &[(Versions, "kernel", old.clone())]);
    let now_1 = host("prod", "web-1", &[(Versions, "kernel", new.clone())]);
    let now_3 = host("prod", "web-3", &[(Versions, "kernel", old.clone())]);
    let options = DiffOptions {
        include_equal: true,
        ..DiffOptions::default()
    };
    let report = compare(
        &[
            side("prod@-1d", &[&then_1, &then_3]),
            side("prod", &[&now_1, &now_3]),
        ],
        &options,
    );
    let fact = find(&report, Versions, "kernel");
    assert!(fact.divergent, "the disagreement stays visible");
    assert_eq!(fact.status, Status::Equal);
    assert!(!fact.is_drift());
    assert_eq!(fact.severity, Severity::None);
    assert_eq!(report.drift_count(), 0);

    // Once one host changes, the sides differ and the fact drifts again.
    let now_3 = host("prod", "web-3", &[(Versions, "kernel", new.clone())]);
    let report = compare(
        &[
            side("prod@-1d", &[&then_1, &then_3]),
            side("prod", &[&now_1, &now_3]),
        ],
        &options,
    );
    let fact = find(&report, Versions, "kernel");
    assert!(fact.is_drift());
    assert_eq!(fact.status, Status::Differs);
}

#[test]
fn divergence_within_a_side_rates_its_own_values() {
    let p1 = host(
        "prod",
        "p1",
        &[(Versions, "openssl", Value::version("3.0.2"))],
    );
    let p2 = host(
        "prod",
        "p2",
        &[(Versions, "openssl", Value::version("3.0.13"))],
    );
    let s1 = host(
        "staging",
        "s1",
        &[(Versions, "openssl", Value::version("3.0.2"))],
    );
    let report = compare(
        &[side("staging", &[&s1]), side("prod", &[&p1, &p2])],
        &DiffOptions::default(),
    );
    let fact = find(&report, Versions, "openssl");
    assert!(fact.divergent);
    assert_eq!(fact.status, Status::Differs);
    assert_eq!(
        (fact.severity, fact.change),
        (Severity::Medium, ChangeKind::Patch)
    );
    // No comparison: the divergent side has no single value.
    assert!(fact.comparisons.is_empty());
}

#[test]
fn severity_follows_each_rule() {
    let text_a = Value::Text("a = 1\nb = 2\n".into());
    let list = |items: &[&str]| Value::List(items.iter().map(|s| s.to_string()).collect());
    let base: Vec<(Category, &str, Value)> = vec![
        (Versions, "server.major", Value::version("1.2.3")),
        (Versions, "server.minor", Value::version("1.2.3")),
        (Versions, "server.patch", Value::version("1.2.3")),
        (Versions, "server.build", Value::version("1.2.3-1")),
        (Config, "scalar", num(1)),
        (Config, "text", text_a.clone()),
        (Config, "ws", text_a.clone()),
        (Network, "set", Value::set(["a", "b"])),
        (Network, "order", list(&["a", "b"])),
        (Schema, "record", Value::record([("type", "int")])),
        (Config, "secret", Value::Redacted("hmac-sha256:aa".into())),
        (Services, "kind", Value::string("running")),
        (Infra, "gone", num(4)),
        (Versions, "package:major", Value::version("1.2.3")),
        (Versions, "package:minor", Value::version("1.2.3")),
        (Versions, "package:build", Value::version("1.2.3-1")),
        (Versions, "package:gone", Value::version("1.0")),
    ];
    let other: Vec<(Category, &str, Value)> = vec![
        (Versions, "server.major", Value::version("2.0.0")),
        (Versions, "server.minor", Value::version("1.3.0")),
        (Versions, "server.patch", Value::version("1.2.4")),
        (Versions, "server.build", Value::version("1.2.3-2")),
        (Config, "scalar", num(2)),
        (Config, "text", Value::Text("a = 1\nb = 3\n".into())),
        (Config, "ws", Value::Text("a  = 1\n\n   b = 2   \n".into())),
        (Network, "set", Value::set(["a", "c"])),
        (Network, "order", list(&["b", "a"])),
        (Schema, "record", Value::record([("type", "bigint")])),
        (Config, "secret", Value::Redacted("hmac-sha256:bb".into())),
        (Services, "kind", Value::set(["running"])),
        (Versions, "package:major", Value::version("2.0.0")),
        (Versions, "package:minor", Value::version("1.3.0")),
        (Versions, "package:build", Value::version("1.2.3-2")),
    ];
    let a = host("a", "a1", &base);
    let b = host("b", "b1", &other);
    let report = compare(
        &[side("a", &[&a]), side("b", &[&b])],
        &DiffOptions::default(),
    );
    let expect = [
        // Servers sit on the ladder's top rung: a minor jump is critical too.
        (
            Versions,
            "server.major",
            Severity::Critical,
            ChangeKind::Major,
        ),
        (
            Versions,
            "server.minor",
            Severity::Critical,
            ChangeKind::Minor,
        ),
        (Versions, "server.patch", Severity::High, ChangeKind::Patch),
        (
            Versions,
            "server.build",
            Severity::Medium,
            ChangeKind::Build,
        ),
        (Versions, "package:major", Severity::High, ChangeKind::Major),
        (
            Versions,
            "package:minor",
            Severity::Medium,
            ChangeKind::Minor,
        ),
        (Versions, "package:build", Severity::Low, ChangeKind::Build),
        (Versions, "package:gone", Severity::Low, ChangeKind::Missing),
        (Config, "scalar", Severity::High, ChangeKind::Value),
        (Config, "text", Severity::High, ChangeKind::Text),
        (Config, "ws", Severity::Low, ChangeKind::Whitespace),
        (Network, "set", Severity::High, ChangeKind::Members),
        (Network, "order", Severity::Low, ChangeKind::Order),
        (Schema, "record", Severity::High, ChangeKind::Fields),
        (Config, "secret", Severity::High, ChangeKind::Secret),
        (Services, "kind", Severity::High, ChangeKind::Kind),
        // Machine shape is the platform rung: an absence there is medium.
        (Infra, "gone", Severity::Medium, ChangeKind::Missing),
    ];
    for (c, k, severity, change) in expect {
        let f = find(&report, c, k);
        assert_eq!((f.severity, f.change), (severity, change), "{c}/{k}");
    }
    assert_eq!(report.drift_count(), expect.len());
}

#[test]
fn comparisons_hold_detail_for_sides_that_differ_from_the_baseline() {
    let v = Value::version;
    let a = host(
        "a",
        "a1",
        &[(Versions, "py", v("3.12.1")), (Config, "n", num(1))],
    );
    let b = host(
        "b",
        "b1",
        &[(Versions, "py", v("3.12.1")), (Config, "n", num(2))],
    );
    let c = host(
        "c",
        "c1",
        &[(Versions, "py", v("3.11.4")), (Config, "n", num(3))],
    );
    let report = compare(
        &[side("a", &[&a]), side("b", &[&b]), side("c", &[&c])],
        &DiffOptions::default(),
    );
    let py = find(&report, Versions, "py");
    assert_eq!(
        py.comparisons,
        vec![SideComparison {
            side: 2,
            comparison: Comparison::Version {
                ordering: std::cmp::Ordering::Less,
                level: ChangeKind::Minor
            }
        }]
    );
    // Scalars carry no detailed comparison.
    assert!(find(&report, Config, "n").comparisons.is_empty());
}

#[test]
fn facts_are_sorted_worst_first_then_by_rung_then_change_then_key() {
    let a = host(
        "a",
        "a1",
        &[
            (Infra, "z_patch", Value::version("1.0.0")),
            (Config, "b_value", num(1)),
            (Config, "a_value", num(1)),
            (Versions, "server.major", Value::version("1.0")),
            (Services, "missing", num(1)),
            (Versions, "y_patch", Value::version("1.0.0")),
        ],
    );
    let b = host(
        "b",
        "b1",
        &[
            (Infra, "z_patch", Value::version("1.0.1")),
            (Config, "b_value", num(2)),
            (Config, "a_value", num(2)),
            (Versions, "server.major", Value::version("2.0")),
            (Versions, "y_patch", Value::version("1.0.1")),
        ],
    );
    let report = compare(
        &[side("a", &[&a]), side("b", &[&b])],
        &DiffOptions::default(),
    );
    let order: Vec<String> = report.facts.iter().map(|f| f.key.to_string()).collect();
    assert_eq!(
        order,
        [
            // Critical: a server's major jump.
            "versions/server.major",
            // High: changed config values, by key.
            "config/a_value",
            "config/b_value",
            // Medium: the platform rung first (an absence before a patch), then packages.
            "services/missing",
            "infra/z_patch",
            "versions/y_patch",
        ]
    );
}

#[test]
fn ignored_facts_are_counted_not_compared() {
    let a = host(
        "a",
        "a1",
        &[
            (Infra, "uptime", num(10)),
            (Infra, "cpus", num(4)),
            (Config, "boot_time", num(1)),
        ],
    );
    let b = host(
        "b",
        "b1",
        &[
            (Infra, "uptime", num(99)),
            (Infra, "cpus", num(8)),
            (Config, "boot_time", num(2)),
        ],
    );
    let ignore =
        IgnoreRules::new(&["infra/uptime".to_string(), "*/boot_time".to_string()]).unwrap();
    let opts = DiffOptions {
        ignore,
        ..DiffOptions::default()
    };
    let report = compare(&[side("a", &[&a]), side("b", &[&b])], &opts);
    let keys: Vec<String> = report.facts.iter().map(|f| f.key.to_string()).collect();
    assert_eq!(keys, ["infra/cpus"]);
    let infra = &report.categories[&Infra];
    assert_eq!((infra.facts, infra.drift, infra.ignored), (1, 1, 1));
    assert_eq!(infra.by_severity.get(&Severity::High), Some(&1));
    let config = &report.categories[&Config];
    assert_eq!((config.facts, config.drift, config.ignored), (0, 0, 1));
}

#[test]
fn category_filter_compares_only_that_category() {
    let a = host("a", "a1", &[(Infra, "cpus", num(4)), (Config, "x", num(1))]);
    let b = host("b", "b1", &[(Infra, "cpus", num(8)), (Config, "x", num(2))]);
    let opts = DiffOptions {
        category: Some(Config),
        ..DiffOptions::default()
    };
    let report = compare(&[side("a", &[&a]), side("b", &[&b])], &opts);
    let keys: Vec<String> = report.facts.iter().map(|f| f.key.to_string()).collect();
    assert_eq!(keys, ["config/x"]);
    assert_eq!(report.categories.len(), Category::ALL.len());
    assert_eq!(report.categories[&Infra], CategoryCounts::default());
    assert_eq!(report.categories[&Config].drift, 1);
}

#[test]
fn equal_facts_appear_only_on_request_but_are_always_counted() {
    let a = host(
        "a",
        "a1",
        &[(Config, "same", num(1)), (Config, "diff", num(1))],
    );
    let b = host(
        "b",
        "b1",
        &[(Config, "same", num(1)), (Config, "diff", num(2))],
    );
    let sides = [side("a", &[&a]), side("b", &[&b])];
    let report = compare(&sides, &DiffOptions::default());
    assert_eq!(report.facts.len(), 1);
    assert_eq!(report.categories[&Config].facts, 2);
    assert_eq!(report.drift_count(), 1);

    let all = compare(
        &sides,
        &DiffOptions {
            include_equal: true,
            ..DiffOptions::default()
        },
    );
    assert_eq!(all.facts.len(), 2);
    let same = find(&all, Config, "same");
    assert_eq!(
        (same.status, same.severity),
        (Status::Equal, Severity::None)
    );
    assert!(!same.is_drift());
    // Equal facts sort after drifting ones.
    assert_eq!(all.facts[1].key, FactKey::new(Config, "same"));
}

#[test]
fn no_sides_give_an_empty_report_with_every_category() {
    let report = compare(&[], &DiffOptions::default());
    assert!(report.facts.is_empty());
    assert_eq!(report.categories.len(), Category::ALL.len());
    assert_eq!(report.drift_count(), 0);
}

#[test]
fn categories_on_threads_give_the_same_report_as_one_after_another() {
    let (a, b) = crate::demo::synthetic::pair(4_000, 10, 21);
    let (mut c, _) = crate::demo::synthetic::pair(4_000, 10, 22);
    c.host = "staging-2".into();
    let sides = [side("staging", &[&a, &c]), side("prod", &[&b])];
    for include_equal in [false, true] {
        for category in [None, Some(Config)] {
            let options = DiffOptions {
                include_equal,
                category,
                ignore: IgnoreRules::new(&["network/port:*".to_string()]).unwrap(),
            };
            let threaded = compare_threaded(&sides, &options, true);
            let sequential = compare_threaded(&sides, &options, false);
            assert!(threaded.facts.len() > 100);
            assert_eq!(threaded.facts, sequential.facts);
            assert_eq!(threaded.categories, sequential.categories);
            assert_eq!(threaded.sides, sequential.sides);
        }
    }
}

#[test]
fn a_recorded_version_scheme_decides_how_versions_compare() {
    use crate::diff::version::Scheme;
    let (old, new) = ("10.8", "10.8+deb12u1");
    // The pair is one where dpkg's rules and the plain ones disagree.
    assert_ne!(
        (
            Scheme::Dpkg.compare(new, old),
            Scheme::Dpkg.classify(new, old)
        ),
        (
            Scheme::Plain.compare(new, old),
            Scheme::Plain.classify(new, old)
        )
    );
    let v = Value::version;
    let mut a = host("a", "a1", &[(Versions, "package:base-files", v(old))]);
    let mut b = host("b", "b1", &[(Versions, "package:base-files", v(new))]);
    let comparison = |a: &Snapshot, b: &Snapshot| {
        let report = compare(&[side("a", &[a]), side("b", &[b])], &DiffOptions::default());
        find(&report, Versions, "package:base-files").comparisons[0]
            .comparison
            .clone()
    };
    // Old snapshots, no package manager: plain rules.
    assert_eq!(
        comparison(&a, &b),
        Comparison::Version {
            ordering: Scheme::Plain.compare(new, old),
            level: Scheme::Plain.classify(new, old)
        }
    );
    for s in [&mut a, &mut b] {
        s.schemes.insert("package:*".into(), "dpkg".into());
    }
    assert_eq!(
        comparison(&a, &b),
        Comparison::Version {
            ordering: Scheme::Dpkg.compare(new, old),
            level: Scheme::Dpkg.classify(new, old)
        }
    );
    // Sides that record different schemes fall back to the key and manager rules.
    b.schemes.insert("package:*".into(), "rpm".into());
    assert_eq!(
        comparison(&a, &b),
        Comparison::Version {
            ordering: Scheme::Plain.compare(new, old),
            level: Scheme::Plain.classify(new, old)
        }
    );
}
