//! A hand-built drift report exercising every kind of drift, for the renderers' tests.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};

use crate::diff::{
    CategoryCounts, Cell, ChangeKind, Comparison, DriftReport, FactDiff, FieldChange, HostGroup,
    HostInfo, RowTag, Severity, SideComparison, SideInfo, Status, TextLine, TextRow,
};
use crate::model::{Category, FactKey, Value};

fn present(value: Value) -> Cell {
    Cell::Present { value }
}

fn drift(
    category: Category,
    key: &str,
    status: Status,
    severity: Severity,
    change: ChangeKind,
    cells: Vec<Cell>,
    comparison: Option<Comparison>,
) -> FactDiff {
    FactDiff {
        key: FactKey::new(category, key),
        status,
        divergent: cells.iter().any(|c| matches!(c, Cell::Divergent { .. })),
        severity,
        change,
        cells,
        comparisons: comparison
            .map(|comparison| {
                vec![SideComparison {
                    side: 1,
                    comparison,
                }]
            })
            .unwrap_or_default(),
    }
}

fn line(number: usize, text: &str) -> TextLine {
    TextLine {
        number,
        text: text.to_string(),
        changed: Vec::new(),
    }
}

fn equal_row(number: usize, text: &str) -> TextRow {
    TextRow {
        tag: RowTag::Equal,
        left: Some(line(number, text)),
        right: Some(line(number, text)),
    }
}

/// `n` rows where every other row changed.
pub fn text_rows(n: usize) -> Vec<TextRow> {
    (1..=n)
        .map(|i| {
            if i % 2 == 0 {
                TextRow {
                    tag: RowTag::Changed,
                    left: Some(line(i, &format!("old {i}"))),
                    right: Some(line(i, &format!("new {i}"))),
                }
            } else {
                equal_row(i, &format!("same {i}"))
            }
        })
        .collect()
}

fn counts(facts: usize, by: &[(Severity, usize)], ignored: usize) -> CategoryCounts {
    CategoryCounts {
        facts,
        drift: by.iter().map(|(_, n)| n).sum(),
        ignored,
        by_severity: by.iter().copied().collect(),
    }
}

/// staging (2 hosts) against prod (1 host): ten drifts of every kind over four categories.
pub fn sample_report() -> DriftReport {
    let staging_time = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    let prod_time = Utc.with_ymd_and_hms(2026, 11, 21, 8, 0, 0).unwrap();
    let sides = vec![
        SideInfo {
            label: "staging".into(),
            environment: "staging".into(),
            host: None,
            at: None,
            hosts: vec![
                HostInfo {
                    host: "web-1".into(),
                    taken_at: staging_time,
                },
                HostInfo {
                    host: "web-2".into(),
                    taken_at: staging_time,
                },
            ],
        },
        SideInfo {
            label: "prod".into(),
            environment: "prod".into(),
            host: None,
            at: None,
            hosts: vec![HostInfo {
                host: "web-1".into(),
                taken_at: prod_time,
            }],
        },
    ];
    let nginx_rows = vec![
        equal_row(1, "line 1"),
        equal_row(2, "line 2"),
        equal_row(3, "line 3"),
        equal_row(4, "line 4"),
        TextRow {
            tag: RowTag::Changed,
            left: Some(TextLine {
                number: 5,
                text: "keepalive_timeout 65;".into(),
                changed: vec![(18, 20)],
            }),
            right: Some(TextLine {
                number: 5,
                text: "keepalive_timeout 30;".into(),
                changed: vec![(18, 20)],
            }),
        },
        equal_row(6, "line 6"),
    ];
    let facts = vec![
        drift(
            Category::Versions,
            "runtime.python",
            Status::Differs,
            Severity::Critical,
            ChangeKind::Major,
            vec![
                present(Value::version("3.11.4")),
                present(Value::version("4.0.1")),
            ],
            Some(Comparison::Version {
                ordering: Ordering::Greater,
                level: ChangeKind::Major,
            }),
        ),
        drift(
            Category::Versions,
            "package.curl",
            Status::Differs,
            Severity::Low,
            ChangeKind::Build,
            vec![
                present(Value::version("7.88.1-10")),
                present(Value::version("7.88.1-10+deb12u5")),
            ],
            Some(Comparison::Version {
                ordering: Ordering::Greater,
                level: ChangeKind::Build,
            }),
        ),
        drift(
            Category::Versions,
            "package.openssl",
            Status::Differs,
            Severity::High,
            ChangeKind::Minor,
            vec![
                present(Value::version("3.1.0")),
                present(Value::version("3.0.2")),
            ],
            Some(Comparison::Version {
                ordering: Ordering::Less,
                level: ChangeKind::Minor,
            }),
        ),
        drift(
            Category::Config,
            "env.API_TOKEN",
            Status::Differs,
            Severity::High,
            ChangeKind::Secret,
            vec![
                present(Value::Redacted("hmac-sha256:aaaa".into())),
                present(Value::Redacted("hmac-sha256:bbbb".into())),
            ],
            None,
        ),
        drift(
            Category::Config,
            "env.LOG_LEVEL",
            Status::Differs,
            Severity::High,
            ChangeKind::Value,
            vec![
                Cell::Divergent {
                    groups: vec![
                        HostGroup {
                            value: Some(Value::string("warn")),
                            hosts: vec!["web-1".into()],
                        },
                        HostGroup {
                            value: Some(Value::string("info")),
                            hosts: vec!["web-2".into()],
                        },
                    ],
                },
                present(Value::string("warn")),
            ],
            None,
        ),
        drift(
            Category::Config,
            "file:/etc/nginx/nginx.conf",
            Status::Differs,
            Severity::High,
            ChangeKind::Text,
            vec![
                present(Value::Text("line 1\n…".into())),
                present(Value::Text("line 1\n…".into())),
            ],
            Some(Comparison::Text { rows: nginx_rows }),
        ),
        drift(
            Category::Config,
            "banner",
            Status::Differs,
            Severity::High,
            ChangeKind::Value,
            vec![
                present(Value::string("motd")),
                present(Value::string("motd\u{1b}[2J")),
            ],
            None,
        ),
        drift(
            Category::Schema,
            "index:users_email",
            Status::Missing,
            Severity::Critical,
            ChangeKind::Missing,
            vec![
                present(Value::record([("columns", "email"), ("unique", "true")])),
                Cell::Absent,
            ],
            None,
        ),
        drift(
            Category::Network,
            "resolvers",
            Status::Differs,
            Severity::High,
            ChangeKind::Members,
            vec![
                present(Value::set(["10.0.0.1", "10.0.0.2"])),
                present(Value::set(["10.0.0.1", "10.0.0.3"])),
            ],
            Some(Comparison::Members {
                added: vec!["10.0.0.3".into()],
                removed: vec!["10.0.0.2".into()],
            }),
        ),
        drift(
            Category::Network,
            "cert:api.example.com",
            Status::Differs,
            Severity::High,
            ChangeKind::Fields,
            vec![
                present(Value::record([("expires", "2027-01-01"), ("issuer", "R3")])),
                present(Value::record([("expires", "2026-12-01"), ("issuer", "R3")])),
            ],
            Some(Comparison::Fields {
                changes: vec![FieldChange {
                    field: "expires".into(),
                    base: Some("2027-01-01".into()),
                    other: Some("2026-12-01".into()),
                }],
            }),
        ),
    ];
    let mut categories = BTreeMap::new();
    categories.insert(
        Category::Versions,
        counts(
            10,
            &[
                (Severity::Critical, 1),
                (Severity::High, 1),
                (Severity::Low, 1),
            ],
            0,
        ),
    );
    categories.insert(Category::Config, counts(8, &[(Severity::High, 4)], 0));
    categories.insert(Category::Schema, counts(3, &[(Severity::Critical, 1)], 0));
    categories.insert(Category::Network, counts(5, &[(Severity::High, 2)], 0));
    categories.insert(Category::Infra, counts(0, &[], 2));
    categories.insert(Category::Services, counts(0, &[], 0));
    DriftReport {
        sides,
        facts,
        categories,
    }
}
