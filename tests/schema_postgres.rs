//! The schema probe against a real PostgreSQL server: two databases built from the same
//! migrations, one of them a migration behind, collected through the local transport's
//! probe script and compared. Every planted difference must be reported with its key
//! and severity, nothing else may drift, and identical databases must not drift at all.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{CollectOptions, Collector, HostJob, Target, WorkspaceKey};
use driftscope::config::{CollectSettings, DatabaseConfig};
use driftscope::diff::{
    ChangeKind, Comparison, DiffOptions, DriftReport, Severity, Side, Status, compare,
};
use driftscope::model::{Category, Snapshot, Value, schema_group};
use support::postgres::{PROBE_PASSWORD, Postgres};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/postgres")
        .join(name)
}

/// A server with three databases: prod, staging (a migration behind) and prod's twin,
/// built from the same files as prod.
fn server() -> Option<Postgres> {
    let pg = Postgres::start()?;
    for (database, env) in [
        ("shop_prod", "prod.sql"),
        ("shop_staging", "staging.sql"),
        ("shop_twin", "prod.sql"),
    ] {
        pg.create_database(database, &[&fixture("shop.sql"), &fixture(env)]);
    }
    Some(pg)
}

/// A `[[databases]]` entry for `environment`, whose URL is in a file of `dir`.
fn database(dir: &Path, name: &str, environment: &str, url: &str) -> DatabaseConfig {
    let file = dir.join(format!("{name}-{environment}.url"));
    fs::write(&file, format!("{url}\n")).unwrap();
    toml::from_str(&format!(
        "name = '{name}'\nenvironments = ['{environment}']\nurl_file = '{}'",
        file.display()
    ))
    .unwrap()
}

/// A collector that runs only the schema probes of `databases`.
fn collector(databases: Vec<DatabaseConfig>) -> Collector {
    let mut settings = CollectSettings::default();
    settings.collect.skip = builtin_names();
    settings.databases = databases;
    Collector::new(
        None,
        &settings,
        WorkspaceKey::from_bytes([5; 32]),
        &CollectOptions::default(),
    )
    .unwrap()
}

fn job(environment: &str) -> HostJob {
    HostJob {
        environment: environment.into(),
        host: "local".into(),
        target: Target::Local,
    }
}

fn collect(collector: &Collector, environment: &str) -> Snapshot {
    let started = Instant::now();
    let snapshot = collector.collect(&job(environment)).unwrap().snapshot;
    eprintln!(
        "{environment}: {} schema facts in {:?}",
        snapshot.facts.get(&Category::Schema).map_or(0, |f| f.len()),
        started.elapsed()
    );
    snapshot
}

fn diff(a: &Snapshot, b: &Snapshot) -> DriftReport {
    compare(
        &[
            Side {
                label: a.environment.clone(),
                snapshots: vec![a],
            },
            Side {
                label: b.environment.clone(),
                snapshots: vec![b],
            },
        ],
        &DiffOptions::default(),
    )
}

#[test]
fn schema_drift_between_real_databases_is_reported_per_object() {
    let Some(pg) = server() else { return };
    let urls = tempfile::tempdir().unwrap();
    let url = |db: &str| pg.url(db, PROBE_PASSWORD);
    let collector = collector(vec![
        database(urls.path(), "shop", "prod", &url("shop_prod")),
        database(urls.path(), "shop", "staging", &url("shop_staging")),
        database(urls.path(), "shop", "twin", &url("shop_twin")),
    ]);
    let prod = collect(&collector, "prod");
    let staging = collect(&collector, "staging");
    let twin = collect(&collector, "twin");
    for snap in [&prod, &staging, &twin] {
        assert!(snap.errors.is_empty(), "{:?}", snap.errors);
        assert!(!snap.to_json().contains("Dr1ft"), "the password leaked");
    }
    assert!(
        prod.get(Category::Schema, "column:public.users.email")
            .is_some()
    );

    let report = diff(&prod, &staging);
    let drift: BTreeMap<&str, (Status, Severity, ChangeKind)> = report
        .facts
        .iter()
        .map(|f| {
            assert_eq!(f.key.category, Category::Schema);
            (f.key.key.as_str(), (f.status, f.severity, f.change))
        })
        .collect();
    use ChangeKind as C;
    use Severity as S;
    use Status::{Differs, Missing};
    let expected: BTreeMap<&str, (Status, Severity, ChangeKind)> = [
        (
            "column:billing.payments.amount_cents",
            (Differs, S::High, C::Fields),
        ),
        (
            "index:public.orders.orders_status_created_at_idx",
            (Missing, S::Critical, C::Missing),
        ),
        ("enum:public.order_status", (Differs, S::High, C::Members)),
        ("extension:hstore", (Differs, S::High, C::Minor)),
        // A migration applied on one side only is critical: the severity ladder.
        ("migrations:rails", (Differs, S::Critical, C::Members)),
        ("column:public.users.locale", (Differs, S::Low, C::Fields)),
        ("rows:public.users", (Differs, S::Low, C::Value)),
        ("rows:public.schema_migrations", (Differs, S::Low, C::Value)),
    ]
    .into_iter()
    .collect();
    assert_eq!(drift, expected);

    // The details say what changed, against prod as the baseline.
    let detail = |key: &str| {
        let fact = report.facts.iter().find(|f| f.key.key == key).unwrap();
        fact.comparisons[0].comparison.clone()
    };
    let Comparison::Fields { changes } = detail("column:billing.payments.amount_cents") else {
        panic!("expected field changes");
    };
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (
            changes[0].field.as_str(),
            changes[0].base.as_deref(),
            changes[0].other.as_deref()
        ),
        ("type", Some("bigint"), Some("integer"))
    );
    assert_eq!(
        detail("migrations:rails"),
        Comparison::Members {
            added: vec![],
            removed: vec!["20240301093000".into()]
        }
    );
    assert_eq!(
        detail("enum:public.order_status"),
        Comparison::Members {
            added: vec![],
            removed: vec!["refunded".into()]
        }
    );
    assert_eq!(
        schema_group("index:public.orders.orders_status_created_at_idx"),
        Some(("public", "orders"))
    );

    // Identical schemas and data: nothing drifts.
    let same = diff(&prod, &twin);
    assert_eq!(same.drift_count(), 0, "{:?}", same.facts);
    assert_eq!(
        same.categories[&Category::Schema].facts,
        prod.facts[&Category::Schema].len()
    );
}

#[test]
fn a_wrong_password_is_a_probe_error_that_shows_neither_password_nor_url() {
    let Some(pg) = server_without_fixtures() else {
        return;
    };
    let urls = tempfile::tempdir().unwrap();
    let wrong = "Wr0ng#secret";
    let collector = collector(vec![database(
        urls.path(),
        "shop",
        "prod",
        &pg.url("postgres", wrong),
    )]);
    let snap = collect(&collector, "prod");
    assert!(!snap.facts.contains_key(&Category::Schema));
    let [error] = snap.errors.as_slice() else {
        panic!("expected one error: {:?}", snap.errors);
    };
    assert_eq!(error.probe, "schema:shop");
    assert_eq!(error.exit_status, Some(2));
    assert!(
        error.message.contains("password authentication failed"),
        "{}",
        error.message
    );
    let json = snap.to_json();
    assert!(
        !json.contains("Wr0ng") && !json.contains("secret"),
        "{json}"
    );
    assert!(!json.contains("postgresql://"), "{json}");
}

#[test]
fn a_second_database_is_keyed_under_its_name() {
    let Some(pg) = server_without_fixtures() else {
        return;
    };
    pg.create_database("analytics", &[&fixture("analytics.sql")]);
    let urls = tempfile::tempdir().unwrap();
    let collector = collector(vec![
        database(
            urls.path(),
            "main",
            "prod",
            &pg.url("postgres", PROBE_PASSWORD),
        ),
        database(
            urls.path(),
            "analytics",
            "prod",
            &pg.url("analytics", PROBE_PASSWORD),
        ),
    ]);
    let snap = collect(&collector, "prod");
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
    let events = snap
        .get(Category::Schema, "column:analytics/public.events.at")
        .expect("the analytics database's column");
    let Value::Record(fields) = events else {
        panic!("a column is a record");
    };
    assert_eq!(fields["type"], "timestamp with time zone");
    assert_eq!(
        schema_group("column:analytics/public.events.at"),
        Some(("analytics/public", "events"))
    );
    // The main database (the first listed) keeps plain keys.
    assert!(
        snap.get(Category::Schema, "setting:server_version")
            .is_some()
    );
    assert!(
        snap.get(Category::Schema, "setting:analytics/server_version")
            .is_some()
    );
}

fn server_without_fixtures() -> Option<Postgres> {
    Postgres::start()
}
