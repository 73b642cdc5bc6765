//! The embedded demo workspace: its configuration, its snapshots and the drift they show.
//!
//! The drift is checked by comparing values directly, independently of the diff engine.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, TimeZone, Timelike, Utc};
use driftscope::demo::{self, CONFIG_TOML};
use driftscope::model::{Category, Snapshot, Value};
use globset::{Glob, GlobSet, GlobSetBuilder};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
}

fn config() -> toml::Table {
    toml::from_str(CONFIG_TOML).expect("CONFIG_TOML is valid TOML")
}

fn ignore_rules() -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in config()["ignore"]["facts"].as_array().unwrap() {
        builder.add(Glob::new(pattern.as_str().unwrap()).unwrap());
    }
    builder.build().unwrap()
}

fn is_ignored(rules: &GlobSet, category: Category, key: &str) -> bool {
    rules.is_match(format!("{category}/{key}"))
}

/// The latest snapshot of every host, by host name.
fn latest(snaps: &[Snapshot]) -> BTreeMap<&str, &Snapshot> {
    let mut out: BTreeMap<&str, &Snapshot> = BTreeMap::new();
    for s in snaps {
        let entry = out.entry(s.host.as_str()).or_insert(s);
        if s.taken_at > entry.taken_at {
            *entry = s;
        }
    }
    out
}

/// The snapshot of `host` taken closest to `at`.
fn closest<'a>(snaps: &'a [Snapshot], host: &str, at: DateTime<Utc>) -> &'a Snapshot {
    snaps
        .iter()
        .filter(|s| s.host == host)
        .min_by_key(|s| (s.taken_at - at).num_seconds().abs())
        .unwrap()
}

fn get<'a>(snap: &'a Snapshot, category: Category, key: &str) -> &'a Value {
    snap.get(category, key)
        .unwrap_or_else(|| panic!("{} lacks {category}/{key}", snap.host))
}

fn version(snap: &Snapshot, key: &str) -> String {
    match get(snap, Category::Versions, key) {
        Value::Version(v) => v.clone(),
        other => panic!("{key} is not a version: {other:?}"),
    }
}

fn scalar(snap: &Snapshot, category: Category, key: &str) -> String {
    match get(snap, category, key) {
        Value::Scalar(s) => s.to_string(),
        other => panic!("{key} is not a scalar: {other:?}"),
    }
}

fn text(snap: &Snapshot, key: &str) -> String {
    match get(snap, Category::Config, key) {
        Value::Text(t) => t.clone(),
        other => panic!("{key} is not text: {other:?}"),
    }
}

fn record(snap: &Snapshot, category: Category, key: &str) -> BTreeMap<String, String> {
    match get(snap, category, key) {
        Value::Record(r) => r.clone(),
        other => panic!("{key} is not a record: {other:?}"),
    }
}

fn members(snap: &Snapshot, category: Category, key: &str) -> Vec<String> {
    match get(snap, category, key) {
        Value::Set(m) | Value::List(m) => m.clone(),
        other => panic!("{key} is not a set or list: {other:?}"),
    }
}

/// Every fact key whose values differ between `a` and `b`, or that only one has.
fn differing_keys(a: &Snapshot, b: &Snapshot) -> BTreeSet<(Category, String)> {
    let mut keys = BTreeSet::new();
    for category in Category::ALL {
        let empty = BTreeMap::new();
        let fa = a.facts.get(&category).unwrap_or(&empty);
        let fb = b.facts.get(&category).unwrap_or(&empty);
        for key in fa.keys().chain(fb.keys()) {
            if fa.get(key) != fb.get(key) {
                keys.insert((category, key.clone()));
            }
        }
    }
    keys
}

fn not_ignored(keys: BTreeSet<(Category, String)>) -> BTreeSet<(Category, String)> {
    let rules = ignore_rules();
    keys.into_iter()
        .filter(|(c, k)| !is_ignored(&rules, *c, k))
        .collect()
}

fn keyset(keys: &[(Category, &str)]) -> BTreeSet<(Category, String)> {
    keys.iter().map(|(c, k)| (*c, k.to_string())).collect()
}

// ---- configuration -------------------------------------------------------------------

#[test]
fn config_toml_has_the_three_environments_with_descriptions() {
    let config = config();
    let envs = config["environments"].as_table().unwrap();
    let names: Vec<&str> = envs.keys().map(String::as_str).collect();
    assert_eq!(names, ["dev", "prod", "staging"]);
    for (name, expected_hosts) in [("dev", 1), ("staging", 2), ("prod", 3)] {
        let env = envs[name].as_table().unwrap();
        assert_eq!(
            env["hosts"].as_array().unwrap().len(),
            expected_hosts,
            "{name}"
        );
        assert!(!env["description"].as_str().unwrap().is_empty(), "{name}");
        assert_eq!(env.len(), 2, "{name} has only hosts and description");
    }
}

#[test]
fn config_hosts_are_the_ssh_targets_of_the_snapshot_hosts() {
    let snaps = demo::snapshots_at(now());
    let config = config();
    for (env, table) in config["environments"].as_table().unwrap() {
        let configured: BTreeSet<String> = table["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_string())
            .collect();
        let snapshotted: BTreeSet<String> = snaps
            .iter()
            .filter(|s| &s.environment == env)
            .map(|s| format!("deploy@{}.internal", s.host))
            .collect();
        assert_eq!(configured, snapshotted, "{env}");
    }
}

#[test]
fn ignore_rules_are_category_key_globs_that_each_match_a_fact() {
    let config = config();
    let patterns = config["ignore"]["facts"].as_array().unwrap();
    assert!(patterns.len() >= 3);
    let snaps = demo::snapshots_at(now());
    let snap = latest(&snaps)["prod-web-1"];
    for pattern in patterns {
        let pattern = pattern.as_str().unwrap();
        let (category, _) = pattern.split_once('/').expect("category/key");
        assert!(
            category == "*" || category.parse::<Category>().is_ok(),
            "{pattern}"
        );
        let glob = Glob::new(pattern).unwrap().compile_matcher();
        let matched = snap
            .facts
            .iter()
            .flat_map(|(c, facts)| facts.keys().map(move |k| format!("{c}/{k}")))
            .any(|k| glob.is_match(k));
        assert!(matched, "{pattern} matches no fact");
    }
}

#[test]
fn ignored_facts_are_volatile_and_vary_between_hosts() {
    let snaps = demo::snapshots_at(now());
    let rules = ignore_rules();
    let latest = latest(&snaps);
    let probe = latest["prod-web-1"];
    let mut ignored = 0;
    for (category, facts) in &probe.facts {
        for key in facts.keys().filter(|k| is_ignored(&rules, *category, k)) {
            ignored += 1;
            let values: BTreeSet<String> = latest
                .values()
                .map(|s| format!("{:?}", get(s, *category, key)))
                .collect();
            assert!(values.len() > 1, "{category}/{key} is the same everywhere");
        }
    }
    assert!(ignored >= 3, "only {ignored} ignored facts");
}

#[test]
fn hosts_that_agree_differ_only_in_ignored_facts() {
    let snaps = demo::snapshots_at(now());
    let latest = latest(&snaps);
    for (a, b) in [("stg-web-1", "stg-web-2"), ("prod-web-1", "prod-web-2")] {
        let diff = not_ignored(differing_keys(latest[a], latest[b]));
        assert!(diff.is_empty(), "{a} vs {b}: {diff:?}");
    }
}

// ---- shape of the snapshots ----------------------------------------------------------

#[test]
fn environments_have_one_two_and_three_hosts() {
    let snaps = demo::snapshots_at(now());
    let mut hosts: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for s in &snaps {
        hosts.entry(&s.environment).or_default().insert(&s.host);
    }
    assert_eq!(hosts["dev"], BTreeSet::from(["dev-1"]));
    assert_eq!(hosts["staging"], BTreeSet::from(["stg-web-1", "stg-web-2"]));
    assert_eq!(
        hosts["prod"],
        BTreeSet::from(["prod-web-1", "prod-web-2", "prod-web-3"])
    );
    assert_eq!(hosts.len(), 3);
}

#[test]
fn every_latest_snapshot_has_150_facts_in_all_six_categories() {
    let snaps = demo::snapshots_at(now());
    for (host, snap) in latest(&snaps) {
        assert!(snap.fact_count() >= 150, "{host}: {}", snap.fact_count());
        for category in Category::ALL {
            let n = snap.facts.get(&category).map_or(0, BTreeMap::len);
            assert!(n >= 5, "{host} has {n} {category} facts");
        }
        assert_eq!(snap.source, driftscope::model::Source::Demo);
        assert!(snap.errors.is_empty());
    }
}

#[test]
fn facts_have_the_value_kinds_of_their_kind_of_key() {
    let snaps = demo::snapshots_at(now());
    for snap in latest(&snaps).values() {
        for (category, facts) in &snap.facts {
            for (key, value) in facts {
                let prefix = key.split([':', '.']).next().unwrap_or_default();
                let expected = match prefix {
                    "package" | "pip" | "runtime" | "lib" | "server" | "extension" => "version",
                    "file" | "db" => "text",
                    "sysctl" | "cpu" => "scalar",
                    "table" | "column" | "index" | "constraint" | "sequence" | "schema"
                    | "cert" | "unit" | "mount" | "disk" | "port" => "record",
                    _ => continue,
                };
                assert_eq!(value.kind(), expected, "{}: {category}/{key}", snap.host);
            }
        }
        let packages = snap.facts[&Category::Versions]
            .keys()
            .filter(|k| k.starts_with("package:"))
            .count();
        assert!(packages >= 100, "{}: {packages} packages", snap.host);
        for (category, key, kind) in [
            (Category::Schema, "migrations:django", "set"),
            (Category::Schema, "enum:public.order_status", "list"),
            (Category::Schema, "setting:server_version", "version"),
            (Category::Schema, "setting:TimeZone", "scalar"),
            (Category::Schema, "rows:public.orders", "scalar"),
            (Category::Services, "enabled_units", "set"),
            (Category::Network, "listening", "set"),
            (Category::Infra, "mounts", "set"),
            (Category::Network, "resolv.nameservers", "list"),
            (Category::Network, "firewall.input", "list"),
            (Category::Config, "env.PATH", "list"),
            (Category::Config, "env.DATABASE_PASSWORD", "redacted"),
        ] {
            assert_eq!(get(snap, category, key).kind(), kind, "{category}/{key}");
        }
    }
}

#[test]
fn config_files_are_realistic_multi_line_texts() {
    let snaps = demo::snapshots_at(now());
    let snap = latest(&snaps)["prod-web-1"];
    let files: Vec<(&String, &Value)> = snap.facts[&Category::Config]
        .iter()
        .filter(|(k, _)| k.starts_with("file:") || k.starts_with("db:"))
        .collect();
    assert!(files.len() >= 6);
    for (key, value) in files {
        let Value::Text(t) = value else {
            panic!("{key} is not text")
        };
        let lines = t.lines().count();
        assert!((15..=60).contains(&lines), "{key} has {lines} lines");
        assert!(t.ends_with('\n'), "{key}");
    }
}

#[test]
fn snapshots_at_is_deterministic() {
    assert_eq!(demo::snapshots_at(now()), demo::snapshots_at(now()));
    let later = demo::snapshots_at(now() + TimeDelta::days(1));
    assert_ne!(demo::snapshots_at(now()), later);
}

#[test]
fn snapshots_at_ignores_sub_second_parts_of_now() {
    let with_nanos = now() + TimeDelta::milliseconds(640);
    assert_eq!(demo::snapshots_at(with_nanos), demo::snapshots_at(now()));
}

#[test]
fn snapshots_uses_the_current_hour() {
    let before = Utc::now();
    let snaps = demo::snapshots();
    let after = Utc::now();
    assert!(!snaps.is_empty());
    let newest = snaps.iter().map(|s| s.taken_at).max().unwrap();
    assert!(newest <= after);
    assert!(newest >= before - TimeDelta::hours(1) - TimeDelta::minutes(10));
    assert_eq!(snaps.len(), demo::snapshots_at(now()).len());
}

#[test]
fn every_snapshot_round_trips_through_json() {
    for snap in demo::snapshots_at(now()) {
        let text = snap.to_json();
        let back = Snapshot::from_json(&text)
            .unwrap_or_else(|e| panic!("{} at {}: {e}", snap.host, snap.taken_at));
        assert_eq!(back, snap);
    }
}

#[test]
fn snapshots_are_sorted_by_environment_host_then_time() {
    let snaps = demo::snapshots_at(now());
    let keys: Vec<_> = snaps
        .iter()
        .map(|s| (s.environment.clone(), s.host.clone(), s.taken_at))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn redacted_values_are_fingerprints_and_files_hold_no_clear_secret() {
    let snaps = demo::snapshots_at(now());
    let mut secrets = 0;
    for snap in &snaps {
        for facts in snap.facts.values() {
            for (key, value) in facts {
                if let Value::Redacted(fp) = value {
                    secrets += 1;
                    let hex = fp
                        .strip_prefix("hmac-sha256:")
                        .unwrap_or_else(|| panic!("{key}: {fp}"));
                    assert_eq!(hex.len(), 64, "{key}");
                    assert!(
                        hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
                        "{key}: {fp}"
                    );
                }
            }
        }
        let dotenv = text(snap, "file:/srv/shop/.env");
        for line in dotenv.lines().filter(|l| !l.starts_with('#')) {
            let (name, shown) = line.split_once('=').unwrap();
            let fact = get(snap, Category::Config, &format!("env.{name}"));
            if let Value::Redacted(_) = fact {
                assert!(shown.starts_with("<redacted:"), "{line}");
            } else {
                assert_eq!(fact, &Value::string(shown), "{name}");
            }
        }
    }
    assert!(secrets > 0);
}

#[test]
fn history_has_several_whole_second_times_per_host_none_after_now() {
    let snaps = demo::snapshots_at(now());
    let mut times: BTreeMap<&str, BTreeSet<DateTime<Utc>>> = BTreeMap::new();
    for s in &snaps {
        assert!(s.taken_at <= now(), "{} at {}", s.host, s.taken_at);
        assert_eq!(s.taken_at.nanosecond(), 0);
        times.entry(&s.host).or_default().insert(s.taken_at);
    }
    assert_eq!(times.len(), 6);
    for (host, times) in times {
        assert!(times.len() >= 5, "{host}: {} times", times.len());
        let oldest = *times.first().unwrap();
        let newest = *times.last().unwrap();
        assert!(now() - oldest >= TimeDelta::days(6), "{host}");
        assert!(now() - oldest <= TimeDelta::days(8), "{host}");
        assert!(now() - newest <= TimeDelta::hours(3), "{host}");
    }
}

// ---- the drift -----------------------------------------------------------------------

#[test]
fn python_is_3_11_in_staging_and_3_12_in_prod() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    assert!(version(l["stg-web-1"], "runtime.python").starts_with("3.11."));
    assert!(version(l["prod-web-1"], "runtime.python").starts_with("3.12."));
}

#[test]
fn node_is_20_on_dev_and_18_elsewhere() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    assert!(version(l["dev-1"], "runtime.node").starts_with("20."));
    for host in ["stg-web-1", "prod-web-1", "prod-web-3"] {
        assert!(
            version(l[host], "runtime.node").starts_with("18."),
            "{host}"
        );
    }
}

#[test]
fn openssl_is_a_patch_behind_in_staging() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    assert_eq!(version(l["stg-web-1"], "lib.openssl"), "3.0.11");
    assert_eq!(version(l["stg-web-2"], "lib.openssl"), "3.0.11");
    assert_eq!(version(l["prod-web-1"], "lib.openssl"), "3.0.13");
}

#[test]
fn prod_web_3_missed_the_openssl_upgrade_and_runs_an_older_kernel() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let (web1, web3) = (l["prod-web-1"], l["prod-web-3"]);
    assert_ne!(version(web1, "lib.openssl"), version(web3, "lib.openssl"));
    assert_ne!(
        version(web1, "package:libssl3"),
        version(web3, "package:libssl3")
    );
    assert_ne!(version(web1, "kernel"), version(web3, "kernel"));
    assert_eq!(
        record(web3, Category::Services, "unit:unattended-upgrades.service")["unit_file_state"],
        "disabled"
    );
    // Most facts still agree with its siblings.
    let diff = not_ignored(differing_keys(web1, web3));
    assert!((3..=15).contains(&diff.len()), "{diff:?}");
}

#[test]
fn postgresql_is_15_in_staging_and_16_in_prod() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    assert!(version(l["stg-web-1"], "server.postgresql").starts_with("15."));
    assert!(version(l["prod-web-1"], "server.postgresql").starts_with("16."));
    assert!(
        l["stg-web-1"]
            .get(Category::Versions, "package:postgresql-client-15")
            .is_some()
    );
    assert!(
        l["prod-web-1"]
            .get(Category::Versions, "package:postgresql-client-16")
            .is_some()
    );
}

#[test]
fn payments_retry_limit_is_set_only_in_prod() {
    let snaps = demo::snapshots_at(now());
    for (host, snap) in latest(&snaps) {
        let present = snap
            .get(Category::Config, "env.PAYMENTS_RETRY_LIMIT")
            .is_some();
        assert_eq!(present, snap.environment == "prod", "{host}");
    }
}

#[test]
fn log_levels_are_debug_info_and_warn() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    for (host, level) in [
        ("dev-1", "debug"),
        ("stg-web-1", "info"),
        ("prod-web-2", "warn"),
    ] {
        assert_eq!(
            scalar(l[host], Category::Config, "env.LOG_LEVEL"),
            level,
            "{host}"
        );
    }
}

#[test]
fn worker_counts_are_2_in_staging_and_8_in_prod() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let (stg, prod) = (l["stg-web-1"], l["prod-web-1"]);
    assert_eq!(scalar(stg, Category::Config, "env.WEB_CONCURRENCY"), "2");
    assert_eq!(scalar(prod, Category::Config, "env.WEB_CONCURRENCY"), "8");
    assert!(text(stg, "file:/etc/nginx/nginx.conf").contains("\nworker_processes 2;\n"));
    assert!(text(prod, "file:/etc/nginx/nginx.conf").contains("\nworker_processes 8;\n"));
}

#[test]
fn nginx_conf_differs_between_staging_and_prod_in_a_few_lines() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let stg = text(l["stg-web-1"], "file:/etc/nginx/nginx.conf");
    let prod = text(l["prod-web-1"], "file:/etc/nginx/nginx.conf");
    let (a, b): (Vec<&str>, Vec<&str>) = (stg.lines().collect(), prod.lines().collect());
    assert_eq!(a.len(), b.len());
    let changed = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!((2..=5).contains(&changed), "{changed} lines differ");
}

#[test]
fn staging_lacks_the_index_prod_has() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let key = "index:public.orders.orders_customer_id_idx";
    assert!(l["prod-web-1"].get(Category::Schema, key).is_some());
    assert!(l["stg-web-1"].get(Category::Schema, key).is_none());
    assert_eq!(
        record(l["prod-web-1"], Category::Schema, key)["definition"],
        "CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)"
    );
}

#[test]
fn staging_has_not_applied_a_migration_prod_has() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let applied = |host: &str| -> BTreeSet<String> {
        members(l[host], Category::Schema, "migrations:django")
            .into_iter()
            .collect()
    };
    let (stg, prod) = (applied("stg-web-1"), applied("prod-web-1"));
    assert!(stg.is_subset(&prod));
    let only_prod: Vec<&String> = prod.difference(&stg).collect();
    assert_eq!(only_prod, ["shop.0023_payments_refunded_at"]);
    // The migration's column is there too.
    let column = "column:public.payments.refunded_at";
    assert!(l["prod-web-1"].get(Category::Schema, column).is_some());
    assert!(l["stg-web-1"].get(Category::Schema, column).is_none());
}

#[test]
fn schema_facts_have_the_keys_and_values_of_the_schema_probe() {
    use driftscope::model::{SchemaKind, parse_schema_key};
    let snaps = demo::snapshots_at(now());
    let snap = latest(&snaps)["prod-web-1"];
    let facts = &snap.facts[&Category::Schema];
    let mut kinds = BTreeSet::new();
    for (key, value) in facts {
        let parsed = parse_schema_key(key).unwrap_or_else(|| panic!("{key} is no schema key"));
        kinds.insert(parsed.kind);
        let expected = match parsed.kind {
            SchemaKind::Extension => "version",
            SchemaKind::Setting if key == "setting:server_version" => "version",
            SchemaKind::Setting | SchemaKind::Rows => "scalar",
            SchemaKind::Enum => "list",
            SchemaKind::Migrations => "set",
            _ => "record",
        };
        assert_eq!(value.kind(), expected, "{key}");
    }
    for kind in [
        SchemaKind::Setting,
        SchemaKind::Extension,
        SchemaKind::Schema,
        SchemaKind::Table,
        SchemaKind::Column,
        SchemaKind::Index,
        SchemaKind::Constraint,
        SchemaKind::Rows,
        SchemaKind::Sequence,
        SchemaKind::Enum,
        SchemaKind::Migrations,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} fact");
    }
    let email = record(snap, Category::Schema, "column:public.users.email");
    assert_eq!(email["type"], "character varying(255)");
    assert_eq!(email["nullable"], "false");
    assert_eq!(email["position"], "2");
    let table = record(snap, Category::Schema, "table:public.users");
    assert_eq!(table["kind"], "table");
    assert_eq!(table["persistence"], "permanent");
    let pkey = record(
        snap,
        Category::Schema,
        "constraint:public.orders.orders_pkey",
    );
    assert_eq!(pkey["type"], "primary key");
    assert_eq!(pkey["definition"], "PRIMARY KEY (id)");
    assert_eq!(
        get(snap, Category::Schema, "rows:public.orders").kind(),
        "scalar"
    );
}

#[test]
fn schema_drift_between_staging_and_prod_is_the_index_and_the_migration() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let diff: BTreeSet<String> = not_ignored(differing_keys(l["stg-web-1"], l["prod-web-1"]))
        .into_iter()
        .filter(|(c, _)| *c == Category::Schema)
        .map(|(_, k)| k)
        .collect();
    let expected: BTreeSet<String> = [
        "column:public.payments.refunded_at",
        "index:public.orders.orders_customer_id_idx",
        "migrations:django",
        "setting:server_version",
    ]
    .map(String::from)
    .into();
    assert_eq!(diff, expected);
}

#[test]
fn staging_resolves_through_a_different_nameserver() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let stg = members(l["stg-web-1"], Category::Network, "resolv.nameservers");
    let prod = members(l["prod-web-1"], Category::Network, "resolv.nameservers");
    assert_eq!(stg[0], prod[0]);
    assert_ne!(stg, prod);
}

#[test]
fn firewall_rules_differ_between_staging_and_prod() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let stg = members(l["stg-web-1"], Category::Network, "firewall.input");
    let prod = members(l["prod-web-1"], Category::Network, "firewall.input");
    assert_eq!(stg.len(), prod.len());
    let changed: Vec<_> = stg.iter().zip(&prod).filter(|(a, b)| a != b).collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
}

fn not_after(snap: &Snapshot) -> DateTime<Utc> {
    let cert = record(snap, Category::Network, "cert:/etc/ssl/shop/fullchain.pem");
    DateTime::parse_from_rfc3339(&cert["not_after"])
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn prod_certificate_expires_in_9_days_while_others_are_fresh() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    for host in ["prod-web-1", "prod-web-2", "prod-web-3"] {
        assert_eq!((not_after(l[host]) - now()).num_days(), 9, "{host}");
    }
    for host in ["dev-1", "stg-web-1", "stg-web-2"] {
        assert!((not_after(l[host]) - now()).num_days() >= 60, "{host}");
    }
    assert_eq!(
        members(l["prod-web-1"], Category::Services, "failed_units"),
        ["certbot.service"]
    );
}

#[test]
fn secrets_differ_between_staging_and_prod_and_agree_within_each() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    for key in ["env.DATABASE_PASSWORD", "env.STRIPE_API_KEY"] {
        let value = |host: &str| get(l[host], Category::Config, key).clone();
        assert_eq!(value("prod-web-1").kind(), "redacted");
        assert_ne!(value("stg-web-1"), value("prod-web-1"), "{key}");
        assert_eq!(value("prod-web-1"), value("prod-web-2"), "{key}");
        assert_eq!(value("prod-web-1"), value("prod-web-3"), "{key}");
        assert_eq!(value("stg-web-1"), value("stg-web-2"), "{key}");
    }
    // A shared secret is equal everywhere.
    let sentry = get(l["dev-1"], Category::Config, "env.SENTRY_DSN");
    assert_eq!(sentry.kind(), "redacted");
    for snap in l.values() {
        assert_eq!(
            get(snap, Category::Config, "env.SENTRY_DSN"),
            sentry,
            "{}",
            snap.host
        );
    }
}

#[test]
fn most_facts_are_equal_between_staging_and_prod() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let (stg, prod) = (l["stg-web-1"], l["prod-web-1"]);
    let diff = not_ignored(differing_keys(stg, prod));
    let total = prod.fact_count();
    assert!(
        diff.len() * 4 < total,
        "{} of {total} facts differ",
        diff.len()
    );
    let packages = &prod.facts[&Category::Versions];
    let equal = packages
        .iter()
        .filter(|(k, v)| k.starts_with("package:") && stg.get(Category::Versions, k) == Some(v))
        .count();
    assert!(equal >= 90, "only {equal} packages agree");
}

#[test]
fn prod_changed_since_yesterday_by_a_security_upgrade_on_two_hosts() {
    let snaps = demo::snapshots_at(now());
    let l = latest(&snaps);
    let yesterday = now() - TimeDelta::days(1);
    for host in ["prod-web-1", "prod-web-2"] {
        let diff = not_ignored(differing_keys(closest(&snaps, host, yesterday), l[host]));
        assert_eq!(
            diff,
            keyset(&[
                (Category::Versions, "lib.openssl"),
                (Category::Versions, "package:curl"),
                (Category::Versions, "package:libcurl4"),
                (Category::Versions, "package:libssl3"),
                (Category::Versions, "package:openssl"),
            ]),
            "{host}"
        );
    }
    let web3 = not_ignored(differing_keys(
        closest(&snaps, "prod-web-3", yesterday),
        l["prod-web-3"],
    ));
    assert!(web3.is_empty(), "{web3:?}");
}

#[test]
fn prod_config_changed_three_days_ago() {
    let snaps = demo::snapshots_at(now());
    let before = closest(&snaps, "prod-web-1", now() - TimeDelta::days(4));
    let after = closest(&snaps, "prod-web-1", now() - TimeDelta::days(2));
    assert!(
        before
            .get(Category::Config, "env.PAYMENTS_RETRY_LIMIT")
            .is_none()
    );
    assert!(
        after
            .get(Category::Config, "env.PAYMENTS_RETRY_LIMIT")
            .is_some()
    );
    let conf = |s: &Snapshot| text(s, "file:/etc/nginx/nginx.conf");
    assert_ne!(conf(before), conf(after));
    // Staging did not get it.
    let stg = closest(&snaps, "stg-web-1", now());
    assert!(conf(stg).contains("client_max_body_size 10m;"));
    assert!(conf(after).contains("client_max_body_size 25m;"));
}

#[test]
fn staging_certificate_was_renewed_during_the_week() {
    let snaps = demo::snapshots_at(now());
    let week_ago = closest(&snaps, "stg-web-1", now() - TimeDelta::days(7));
    let latest = closest(&snaps, "stg-web-1", now());
    assert!(not_after(latest) > not_after(week_ago) + TimeDelta::days(30));
}
