//! Hand-built drift reports and states for the explorer's tests.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use driftscope::diff::{
    CategoryCounts, Cell, ChangeKind, Comparison, DriftReport, FactDiff, FieldChange, HostGroup,
    HostInfo, RowTag, Severity, SideComparison, SideInfo, Status, TextLine, TextRow,
};
use driftscope::model::{Category, FactKey, Snapshot, Source, Value};
use driftscope::tui::state::Selection;
use driftscope::tui::{EnvSummary, Keymap, Msg, State, Theme, WorkspaceInfo, render, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
}

/// The fixed "now" of every test.
pub fn now() -> DateTime<Utc> {
    at(20, 12, 0)
}

/// dev (0), prod (1), staging (2).
pub fn workspace(is_demo: bool) -> WorkspaceInfo {
    WorkspaceInfo {
        name: if is_demo {
            "demo".into()
        } else {
            "shop".into()
        },
        is_demo,
        environments: vec![
            EnvSummary {
                name: "dev".into(),
                hosts: 1,
                latest: Some(at(19, 17, 0)),
            },
            EnvSummary {
                name: "prod".into(),
                hosts: 3,
                latest: Some(at(20, 9, 30)),
            },
            EnvSummary {
                name: "staging".into(),
                hosts: 2,
                latest: Some(at(20, 8, 10)),
            },
        ],
        problems: Vec::new(),
    }
}

fn side(label: &str, hosts: &[&str], t: DateTime<Utc>) -> SideInfo {
    SideInfo {
        label: label.into(),
        environment: label.into(),
        host: None,
        at: None,
        hosts: hosts
            .iter()
            .map(|h| HostInfo {
                host: h.to_string(),
                taken_at: t,
            })
            .collect(),
    }
}

fn present(v: Value) -> Cell {
    Cell::Present { value: v }
}

fn line(number: usize, text: &str, changed: &[(usize, usize)]) -> TextLine {
    TextLine {
        number,
        text: text.into(),
        changed: changed.to_vec(),
    }
}

pub const NGINX_BASE: &str =
    "user www-data;\nworker_processes 8;\nserver_name shop.example.com;\ngzip on;\n";
pub const NGINX_OTHER: &str = "user www-data;\nworker_processes 2;\nserver_name \u{1b}[2Jstaging\u{1b}]0;pwned\u{7};\ngzip on;\nkeepalive_timeout 5;\n";

/// The text rows of the two nginx files (what the diff engine would produce).
pub fn nginx_rows() -> Vec<TextRow> {
    let other_server = "server_name \u{1b}[2Jstaging\u{1b}]0;pwned\u{7};";
    vec![
        TextRow {
            tag: RowTag::Equal,
            left: Some(line(1, "user www-data;", &[])),
            right: Some(line(1, "user www-data;", &[])),
        },
        TextRow {
            tag: RowTag::Changed,
            left: Some(line(2, "worker_processes 8;", &[(17, 18)])),
            right: Some(line(2, "worker_processes 2;", &[(17, 18)])),
        },
        TextRow {
            tag: RowTag::Changed,
            left: Some(line(3, "server_name shop.example.com;", &[(12, 28)])),
            right: Some(line(3, other_server, &[(12, other_server.len() - 1)])),
        },
        TextRow {
            tag: RowTag::Equal,
            left: Some(line(4, "gzip on;", &[])),
            right: Some(line(4, "gzip on;", &[])),
        },
        TextRow {
            tag: RowTag::Added,
            left: None,
            right: Some(line(5, "keepalive_timeout 5;", &[])),
        },
    ]
}

struct F {
    category: Category,
    key: &'static str,
    status: Status,
    divergent: bool,
    severity: Severity,
    change: ChangeKind,
    cells: Vec<Cell>,
    comparisons: Vec<(usize, Comparison)>,
}

fn build(f: F) -> FactDiff {
    FactDiff {
        key: FactKey::new(f.category, f.key),
        status: f.status,
        divergent: f.divergent,
        severity: f.severity,
        change: f.change,
        cells: f.cells,
        comparisons: f
            .comparisons
            .into_iter()
            .map(|(side, comparison)| SideComparison { side, comparison })
            .collect(),
    }
}

fn equal(category: Category, key: &'static str, v: Value, sides: usize) -> FactDiff {
    build(F {
        category,
        key,
        status: Status::Equal,
        divergent: false,
        severity: Severity::None,
        change: ChangeKind::None,
        cells: vec![present(v); sides],
        comparisons: vec![],
    })
}

/// prod (baseline) against staging: one fact of every kind, worst first.
pub fn report() -> DriftReport {
    let facts = vec![
        build(F {
            category: Category::Services,
            key: "unit:nginx.service",
            status: Status::Missing,
            divergent: false,
            severity: Severity::Critical,
            change: ChangeKind::Missing,
            cells: vec![present(Value::string("active")), Cell::Absent],
            comparisons: vec![],
        }),
        build(F {
            category: Category::Versions,
            key: "runtime.python",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Minor,
            cells: vec![
                present(Value::version("3.11.4")),
                present(Value::version("3.12.1")),
            ],
            comparisons: vec![(
                1,
                Comparison::Version {
                    ordering: Ordering::Greater,
                    level: ChangeKind::Minor,
                },
            )],
        }),
        build(F {
            category: Category::Config,
            key: "file:/etc/nginx/nginx.conf",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Text,
            cells: vec![
                present(Value::Text(NGINX_BASE.into())),
                present(Value::Text(NGINX_OTHER.into())),
            ],
            comparisons: vec![(1, Comparison::Text { rows: nginx_rows() })],
        }),
        build(F {
            category: Category::Config,
            key: "env.DATABASE_PASSWORD",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Secret,
            cells: vec![
                present(Value::Redacted("hmac-sha256:aaaa1111".into())),
                present(Value::Redacted("hmac-sha256:bbbb2222".into())),
            ],
            comparisons: vec![],
        }),
        build(F {
            category: Category::Config,
            key: "env.LOG_LEVEL",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Value,
            cells: vec![
                present(Value::string("warn")),
                present(Value::string("debug")),
            ],
            comparisons: vec![],
        }),
        build(F {
            category: Category::Schema,
            key: "column:public.users.email",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Fields,
            cells: vec![
                present(Value::record([("type", "text"), ("nullable", "false")])),
                present(Value::record([
                    ("type", "varchar(255)"),
                    ("nullable", "false"),
                    ("default", "''"),
                ])),
            ],
            comparisons: vec![(
                1,
                Comparison::Fields {
                    changes: vec![
                        FieldChange {
                            field: "default".into(),
                            base: None,
                            other: Some("''".into()),
                        },
                        FieldChange {
                            field: "type".into(),
                            base: Some("text".into()),
                            other: Some("varchar(255)".into()),
                        },
                    ],
                },
            )],
        }),
        build(F {
            category: Category::Network,
            key: "resolvers",
            status: Status::Differs,
            divergent: false,
            severity: Severity::High,
            change: ChangeKind::Members,
            cells: vec![
                present(Value::set(["10.0.0.2", "10.0.0.3"])),
                present(Value::set(["10.0.0.2", "192.168.1.1"])),
            ],
            comparisons: vec![(
                1,
                Comparison::Members {
                    added: vec!["192.168.1.1".into()],
                    removed: vec!["10.0.0.3".into()],
                },
            )],
        }),
        build(F {
            category: Category::Infra,
            key: "memory.total",
            status: Status::Differs,
            divergent: true,
            severity: Severity::High,
            change: ChangeKind::Value,
            cells: vec![
                present(Value::string("16 GiB")),
                Cell::Divergent {
                    groups: vec![
                        HostGroup {
                            value: Some(Value::string("16 GiB")),
                            hosts: vec!["stg-1".into()],
                        },
                        HostGroup {
                            value: Some(Value::string("8 GiB")),
                            hosts: vec!["stg-2".into()],
                        },
                    ],
                },
            ],
            comparisons: vec![],
        }),
        build(F {
            category: Category::Versions,
            key: "lib.openssl",
            status: Status::Differs,
            divergent: false,
            severity: Severity::Medium,
            change: ChangeKind::Patch,
            cells: vec![
                present(Value::version("3.0.13")),
                present(Value::version("3.0.2")),
            ],
            comparisons: vec![(
                1,
                Comparison::Version {
                    ordering: Ordering::Less,
                    level: ChangeKind::Patch,
                },
            )],
        }),
        equal(Category::Versions, "os.kernel", Value::version("6.1.0"), 2),
        equal(
            Category::Config,
            "env.API_KEY",
            Value::Redacted("hmac-sha256:cccc".into()),
            2,
        ),
        equal(Category::Config, "env.TZ", Value::string("UTC"), 2),
    ];
    finish(
        vec![
            side("prod", &["web-1", "web-2", "web-3"], at(20, 9, 30)),
            side("staging", &["stg-1", "stg-2"], at(20, 8, 10)),
        ],
        facts,
    )
}

/// prod (baseline), dev and staging, with one text fact differing on both others.
pub fn report_three_sides() -> DriftReport {
    let dev_text = "user www-data;\nworker_processes 1;\n";
    let facts = vec![build(F {
        category: Category::Config,
        key: "file:/etc/nginx/nginx.conf",
        status: Status::Differs,
        divergent: false,
        severity: Severity::High,
        change: ChangeKind::Text,
        cells: vec![
            present(Value::Text(NGINX_BASE.into())),
            present(Value::Text(dev_text.into())),
            present(Value::Text(NGINX_OTHER.into())),
        ],
        comparisons: vec![
            (
                1,
                Comparison::Text {
                    rows: vec![
                        TextRow {
                            tag: RowTag::Equal,
                            left: Some(line(1, "user www-data;", &[])),
                            right: Some(line(1, "user www-data;", &[])),
                        },
                        TextRow {
                            tag: RowTag::Changed,
                            left: Some(line(2, "worker_processes 8;", &[(17, 18)])),
                            right: Some(line(2, "worker_processes 1;", &[(17, 18)])),
                        },
                        TextRow {
                            tag: RowTag::Removed,
                            left: Some(line(3, "server_name shop.example.com;", &[])),
                            right: None,
                        },
                        TextRow {
                            tag: RowTag::Removed,
                            left: Some(line(4, "gzip on;", &[])),
                            right: None,
                        },
                    ],
                },
            ),
            (2, Comparison::Text { rows: nginx_rows() }),
        ],
    })];
    finish(
        vec![
            side("prod", &["web-1"], at(20, 9, 30)),
            side("dev", &["dev-1"], at(19, 17, 0)),
            side("staging", &["stg-1"], at(20, 8, 10)),
        ],
        facts,
    )
}

fn finish(sides: Vec<SideInfo>, facts: Vec<FactDiff>) -> DriftReport {
    let mut categories: BTreeMap<Category, CategoryCounts> = Category::ALL
        .iter()
        .map(|c| (*c, CategoryCounts::default()))
        .collect();
    for f in &facts {
        let c = categories.entry(f.key.category).or_default();
        c.facts += 1;
        if f.is_drift() {
            c.drift += 1;
            *c.by_severity.entry(f.severity).or_default() += 1;
        }
    }
    DriftReport {
        sides,
        facts,
        categories,
    }
}

/// A state comparing prod (baseline) with staging, `report()` loaded, `width`×`height`.
pub fn loaded(width: u16, height: u16) -> State {
    loaded_with(report(), vec![1, 2], width, height, false)
}

/// A state with `report` loaded for the environments `side_envs` (baseline first).
pub fn loaded_with(
    report: DriftReport,
    side_envs: Vec<usize>,
    width: u16,
    height: u16,
    is_demo: bool,
) -> State {
    let mut state = State::new(workspace(is_demo), Keymap::embedded().unwrap(), now());
    state.selection = Selection {
        baseline: side_envs[0],
        others: side_envs[1..].to_vec(),
    };
    update::start(&mut state);
    update(&mut state, Msg::Resize(width, height));
    let generation = state.generation;
    update(
        &mut state,
        Msg::Compared {
            generation,
            side_envs,
            result: Ok(Arc::new(report)),
            complete: true,
        },
    );
    state
}

/// Draws `state` on a test terminal of its own size.
pub fn draw(state: &State) -> Terminal<TestBackend> {
    draw_with(state, &Theme::default())
}

/// Draws `state` with `theme`.
pub fn draw_with(state: &State, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal =
        Terminal::new(TestBackend::new(state.area.width, state.area.height)).unwrap();
    terminal
        .draw(|frame| {
            render(frame, state, theme);
        })
        .unwrap();
    terminal
}

/// The screen as text lines.
pub fn screen(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

/// Sends a key press.
pub fn press(state: &mut State, key: char) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    update(
        state,
        Msg::Key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE)),
    );
}

/// Sends a special key.
pub fn press_code(state: &mut State, code: ratatui::crossterm::event::KeyCode) {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// A schema fact as `(key, value)`.
type SchemaFact = (&'static str, Value);

fn column(ty: &str, nullable: bool, position: u32, extra: &[(&str, &str)]) -> Value {
    let mut fields = vec![
        ("type".to_string(), ty.to_string()),
        ("nullable".to_string(), nullable.to_string()),
        ("position".to_string(), position.to_string()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Value::Record(fields.into_iter().collect())
}

/// The shop database's schema facts in prod.
fn prod_schema() -> Vec<SchemaFact> {
    let table = Value::record([
        ("kind", "table"),
        ("persistence", "permanent"),
        ("row_security", "off"),
    ]);
    let index = |def: &str, unique: bool, primary: bool| {
        Value::record([
            ("definition", def.to_string()),
            ("unique", unique.to_string()),
            ("primary", primary.to_string()),
            ("valid", "true".to_string()),
        ])
    };
    vec![
        ("setting:TimeZone", Value::string("Etc/UTC")),
        ("setting:server_version", Value::version("16.3")),
        ("extension:pgcrypto", Value::version("1.3")),
        ("extension:hstore", Value::version("1.8")),
        (
            "migrations:rails",
            Value::set(["20240101000000", "20240215120000", "20240301093000"]),
        ),
        (
            "schema:public",
            Value::record([("comment", "standard public schema")]),
        ),
        ("table:public.orders", table.clone()),
        (
            "column:public.orders.id",
            column(
                "bigint",
                false,
                1,
                &[("default", "nextval('public.orders_id_seq'::regclass)")],
            ),
        ),
        (
            "column:public.orders.customer_id",
            column("bigint", false, 2, &[]),
        ),
        (
            "column:public.orders.status",
            column(
                "public.order_status",
                false,
                3,
                &[("default", "'pending'::public.order_status")],
            ),
        ),
        (
            "column:public.orders.total_cents",
            column("integer", false, 4, &[("default", "0")]),
        ),
        (
            "column:public.orders.refunded_at",
            column("timestamp with time zone", true, 5, &[]),
        ),
        (
            "index:public.orders.orders_pkey",
            index(
                "CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)",
                true,
                true,
            ),
        ),
        (
            "index:public.orders.orders_customer_id_idx",
            index(
                "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)",
                false,
                false,
            ),
        ),
        ("rows:public.orders", Value::string("1200")),
        ("table:public.users", table),
        (
            "column:public.users.id",
            column(
                "bigint",
                false,
                1,
                &[("default", "nextval('public.users_id_seq'::regclass)")],
            ),
        ),
        (
            "column:public.users.email",
            column("public.citext", false, 2, &[]),
        ),
        (
            "column:public.users.locale",
            column(
                "text",
                false,
                3,
                &[
                    ("default", "'en'::text"),
                    ("collation", "C"),
                    ("comment", "UI language"),
                ],
            ),
        ),
        ("rows:public.users", Value::string("42")),
        (
            "enum:public.order_status",
            Value::List(
                ["pending", "paid", "shipped", "cancelled", "refunded"]
                    .map(String::from)
                    .to_vec(),
            ),
        ),
        (
            "view:public.order_totals",
            Value::record([
                ("kind", "view"),
                (
                    "definition",
                    "SELECT user_id, sum(total_cents) FROM public.orders GROUP BY user_id",
                ),
            ]),
        ),
    ]
}

/// Staging's schema: one migration behind, with the drift that comes with it.
fn staging_schema() -> Vec<SchemaFact> {
    let mut facts = prod_schema();
    facts.retain(|(k, _)| {
        !matches!(
            *k,
            "column:public.orders.refunded_at" | "index:public.orders.orders_customer_id_idx"
        )
    });
    for (key, value) in &mut facts {
        match *key {
            "extension:hstore" => *value = Value::version("1.7"),
            "migrations:rails" => *value = Value::set(["20240101000000", "20240215120000"]),
            "column:public.orders.status" => {
                *value = column(
                    "character varying(20)",
                    false,
                    3,
                    &[("default", "'pending'::character varying")],
                )
            }
            "column:public.orders.total_cents" => *value = column("integer", true, 4, &[]),
            "rows:public.orders" => *value = Value::string("40"),
            "column:public.users.locale" => {
                *value = column(
                    "text",
                    false,
                    3,
                    &[("default", "'en'::text"), ("collation", "C")],
                )
            }
            "enum:public.order_status" => {
                *value = Value::List(
                    ["pending", "paid", "shipped", "cancelled"]
                        .map(String::from)
                        .to_vec(),
                )
            }
            _ => {}
        }
    }
    facts
}

fn schema_snapshot(env: &str, taken_at: DateTime<Utc>, facts: Vec<SchemaFact>) -> Snapshot {
    let mut snapshot = Snapshot::new(env, "db-1", taken_at, Source::Demo);
    for (key, value) in facts {
        snapshot.insert(Category::Schema, key, value);
    }
    snapshot
}

/// prod (baseline) against staging, schema facts only, equal ones included, compared
/// by the real diff engine.
pub fn schema_report() -> DriftReport {
    let prod = schema_snapshot("prod", at(20, 9, 30), prod_schema());
    let staging = schema_snapshot("staging", at(20, 8, 10), staging_schema());
    let sides = [
        driftscope::diff::Side {
            label: "prod".into(),
            snapshots: vec![&prod],
        },
        driftscope::diff::Side {
            label: "staging".into(),
            snapshots: vec![&staging],
        },
    ];
    let options = driftscope::diff::DiffOptions {
        include_equal: true,
        ..Default::default()
    };
    driftscope::diff::compare(&sides, &options)
}

/// A state on `schema_report()`, schema category chosen and the facts pane focused.
pub fn schema_state(width: u16, height: u16) -> State {
    let mut state = loaded_with(schema_report(), vec![1, 2], width, height, false);
    state.category_cursor.selected = Category::ALL
        .iter()
        .position(|c| *c == Category::Schema)
        .unwrap();
    state.focus = driftscope::tui::Pane::Facts;
    state
}
