//! End-to-end tests of `driftscope probe-script` and `driftscope import`.
//!
//! Raw output is produced by running the printed script on this machine. The Ansible
//! fixtures in `tests/fixtures/import/ansible/` were captured from ansible-core runs.
//! The osquery fixtures in `tests/fixtures/import/osquery/` were WRITTEN TO osquery's
//! documented table schemas and JSON output shapes, not captured from osquery (see the
//! README there).

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use driftscope::model::{Category, Snapshot, Source, Value};
use driftscope::store::Workspace;
use tempfile::TempDir;

mod cli_support;
use cli_support::{Run, run as driftscope};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(path)
}

/// A fresh workspace made by `driftscope init`.
fn workspace() -> TempDir {
    let dir = TempDir::new().unwrap();
    let run = driftscope(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

fn import(dir: &Path, tool: &str, input: &Path, extra: &[&str]) -> Run {
    let input = input.to_str().unwrap();
    let mut args = vec!["import", tool, input];
    args.extend_from_slice(extra);
    driftscope(dir, &args)
}

/// Every stored snapshot of `env`, oldest first.
fn stored(dir: &Path, env: &str) -> Vec<Snapshot> {
    let ws = Workspace::open(dir).unwrap();
    let mut snapshots: Vec<Snapshot> = ws
        .history
        .of_environment(env)
        .iter()
        .map(|m| ws.load(m).unwrap())
        .collect();
    snapshots.sort_by_key(|s| s.taken_at);
    snapshots
}

fn get<'s>(snapshot: &'s Snapshot, category: Category, key: &str) -> Option<&'s Value> {
    snapshot.get(category, key)
}

fn string(s: &str) -> Value {
    Value::string(s)
}

/// Runs the printed probe script on this machine; returns its standard output.
fn run_script(script: &str) -> Vec<u8> {
    let mut child = StdCommand::new("sh")
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().stdout
}

/// Output with the host named in its header replaced by `name`.
fn rename_host(output: Vec<u8>, name: &str) -> Vec<u8> {
    let text = String::from_utf8(output).expect("probe output in UTF-8");
    let at = text.find(" host ").expect("a host line") + " host ".len();
    let end = at + text[at..].find('\n').unwrap();
    format!("{}{name}{}", &text[..at], &text[end..]).into_bytes()
}

fn uname(flag: &str) -> String {
    let out = StdCommand::new("uname").arg(flag).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

// --- raw --------------------------------------------------------------------------

#[test]
fn raw_output_of_the_printed_script_imports_as_a_snapshot_of_its_host() {
    let dir = workspace();
    let script = driftscope(dir.path(), &["probe-script"]);
    assert_eq!(script.code, 0, "{}", script.stderr);
    assert!(script.stdout.starts_with("#!/bin/sh\n"));
    let out = dir.path().join("host.out");
    std::fs::write(&out, run_script(&script.stdout)).unwrap();

    let run = import(dir.path(), "raw", &out, &["--env", "fleet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let host = uname("-n");
    assert!(
        run.stdout
            .starts_with(&format!("stored fleet/{host} snapshots/fleet/")),
        "{}",
        run.stdout
    );
    let snapshots = stored(dir.path(), "fleet");
    assert_eq!(snapshots.len(), 1);
    let snap = &snapshots[0];
    assert_eq!(snap.host, host);
    assert_eq!(
        snap.source,
        Source::Import {
            tool: "raw".into(),
            file: "host.out".into()
        }
    );
    assert_eq!(
        get(snap, Category::Versions, "kernel"),
        Some(&Value::version(uname("-r")))
    );
    let age = chrono::Utc::now() - snap.taken_at;
    assert!(age.num_seconds() >= 0 && age.num_seconds() < 600, "{age}");

    // The same output again is recognised, not stored twice.
    let again = import(dir.path(), "raw", &out, &["--env", "fleet"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.starts_with("unchanged fleet/"),
        "{}",
        again.stdout
    );
    assert_eq!(stored(dir.path(), "fleet").len(), 1);
}

#[test]
fn raw_files_may_hold_several_runs_and_host_can_be_given() {
    let dir = workspace();
    let script = driftscope(dir.path(), &["probe-script"]).stdout;
    let mut both = run_script(&script);
    both.extend(rename_host(run_script(&script), "web-b"));
    let out = dir.path().join("two.out");
    std::fs::write(&out, &both).unwrap();

    let run = import(
        dir.path(),
        "raw",
        &out,
        &["--env", "fleet", "--host", "web-9"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--host web-9 names one host, but the input holds 2 hosts"),
        "{}",
        run.stderr
    );

    let one = dir.path().join("one.out");
    std::fs::write(&one, run_script(&script)).unwrap();
    let run = import(
        dir.path(),
        "raw",
        &one,
        &["--env", "fleet", "--host", "web-9"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(stored(dir.path(), "fleet")[0].host, "web-9");

    let run = import(dir.path(), "raw", &out, &["--env", "pair"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hosts: Vec<String> = stored(dir.path(), "pair")
        .into_iter()
        .map(|s| s.host)
        .collect();
    assert_eq!(hosts.len(), 2);
    assert!(hosts.contains(&"web-b".to_string()) && hosts.contains(&uname("-n")));
}

#[test]
fn raw_output_of_another_probe_list_is_refused() {
    let dir = workspace();
    let script = driftscope(dir.path(), &["probe-script"]).stdout;
    let out = dir.path().join("host.out");
    std::fs::write(&out, run_script(&script)).unwrap();
    let config = dir.path().join("driftscope.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[collect]\nskip = [\"firewall\"]\n");
    std::fs::write(&config, text).unwrap();

    let run = import(dir.path(), "raw", &out, &["--env", "fleet"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the output comes from another probe list")
            && run.stderr.contains("driftscope probe-script"),
        "{}",
        run.stderr
    );
    let garbage = dir.path().join("garbage.out");
    std::fs::write(&garbage, "ssh: connect to host web-1: Connection refused\n").unwrap();
    let run = import(dir.path(), "raw", &garbage, &["--env", "fleet"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("garbage.out: no driftscope probe output found"),
        "{}",
        run.stderr
    );
    assert!(stored(dir.path(), "fleet").is_empty());
}

// --- ansible ----------------------------------------------------------------------

#[test]
fn ansible_setup_output_maps_onto_native_keys() {
    let dir = workspace();
    let run = import(
        dir.path(),
        "ansible",
        &fixture("ansible/setup-web-1.txt"),
        &["--env", "prod"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let snapshots = stored(dir.path(), "prod");
    assert_eq!(snapshots.len(), 1);
    let snap = &snapshots[0];
    assert_eq!(snap.host, "web-1");
    assert_eq!(
        snap.source,
        Source::Import {
            tool: "ansible".into(),
            file: "setup-web-1.txt".into()
        }
    );
    // The time the facts were gathered (ansible_date_time.iso8601).
    let text = std::fs::read_to_string(fixture("ansible/setup-web-1.txt")).unwrap();
    let iso = text
        .split("\"iso8601\": \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert_eq!(
        snap.taken_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        iso
    );

    let v = |key| get(snap, Category::Versions, key);
    assert_eq!(v("kernel"), Some(&Value::version("6.18.44-fc-v657")));
    assert_eq!(v("kernel.name"), Some(&string("Linux")));
    assert_eq!(v("arch"), Some(&string("x86_64")));
    assert_eq!(v("os.distribution"), Some(&string("Debian")));
    assert_eq!(v("os.distribution_version"), Some(&Value::version("12.11")));
    assert_eq!(v("os.codename"), Some(&string("bookworm")));
    assert_eq!(v("runtime.python"), Some(&Value::version("3.11.2")));
    let i = |key| get(snap, Category::Infra, key);
    assert_eq!(i("cpu.count"), Some(&string("2")));
    assert_eq!(i("cpu.model"), Some(&string("AMD EPYC")));
    assert_eq!(i("memory.total"), Some(&string("23.5 GiB")));
    assert_eq!(
        i("mount:/"),
        Some(&Value::record([
            ("fstype", "ext4"),
            ("source", "/dev/vda"),
            (
                "options",
                "rw,relatime,discard,resv_strict,resuid=65534,resgid=65534"
            ),
        ]))
    );
    assert_eq!(
        i("disk:/"),
        Some(&Value::record([("fstype", "ext4"), ("size", "252.0 GiB")]))
    );
    let n = |key| get(snap, Category::Network, key);
    assert_eq!(
        n("dns.nameservers"),
        Some(&Value::List(vec!["10.255.255.53".into()]))
    );
    let Some(Value::Record(eth0)) = n("interface:eth0") else {
        panic!("no interface:eth0 in {snap:?}");
    };
    assert_eq!(eth0.get("ipv4").map(String::as_str), Some("192.0.2.2/24"));
    assert_eq!(eth0.get("mtu").map(String::as_str), Some("1400"));
    // MAC addresses differ on every host by design and are left out.
    assert!(!snap.to_json().contains("02:fc:00:00:00:01"));
    assert_eq!(
        get(snap, Category::Config, "selinux.status"),
        Some(&string("disabled"))
    );
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
}

#[test]
fn unreachable_hosts_are_reported_and_the_others_imported() {
    for file in ["ansible/setup-all.txt", "ansible/setup-oneline.txt"] {
        let dir = workspace();
        let run = import(dir.path(), "ansible", &fixture(file), &["--env", "prod"]);
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "warning: {}: host web-2: UNREACHABLE: Task failed: Failed to connect to the host via ssh",
                fixture(file).display()
            )),
            "{file}: {}",
            run.stderr
        );
        let snapshots = stored(dir.path(), "prod");
        assert_eq!(snapshots.len(), 1, "{file}");
        assert_eq!(snapshots[0].host, "web-1");
        assert_eq!(
            get(&snapshots[0], Category::Versions, "os.distribution"),
            Some(&string("Debian"))
        );
        // This subset carries no gathering time: the file's time is used, and said.
        assert!(
            run.stderr
                .contains("the input gives no time; using the file's modification time"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn tree_folders_and_both_fact_cache_formats_are_read() {
    let dir = workspace();
    for (folder, env) in [
        ("ansible/tree", "tree"),
        ("ansible/cache", "cache"),
        ("ansible/cache-legacy", "legacy"),
    ] {
        let run = import(dir.path(), "ansible", &fixture(folder), &["--env", env]);
        assert_eq!(run.code, 0, "{folder}: {}", run.stderr);
        let snapshots = stored(dir.path(), env);
        assert_eq!(snapshots.len(), 1, "{folder}");
        assert_eq!(snapshots[0].host, "web-1", "{folder}");
        assert_eq!(
            get(&snapshots[0], Category::Versions, "kernel"),
            Some(&Value::version("6.18.44-fc-v657")),
            "{folder}"
        );
    }
    // The 2.19 cache holds package_facts and service_facts too.
    let cache = &stored(dir.path(), "cache")[0];
    assert_eq!(
        get(cache, Category::Versions, "packages.manager"),
        Some(&string("dpkg"))
    );
    assert_eq!(
        get(cache, Category::Versions, "package:adduser"),
        Some(&Value::version("3.134"))
    );
    let packages = cache.facts[&Category::Versions]
        .keys()
        .filter(|k| k.starts_with("package:"))
        .count();
    assert!(packages > 500, "{packages}");
    assert_eq!(
        get(cache, Category::Services, "service:ssh"),
        Some(&Value::record([("source", "sysv"), ("state", "stopped")]))
    );
    // The legacy cache was gathered with hardware facts: mounts and memory.
    let legacy = &stored(dir.path(), "legacy")[0];
    assert!(get(legacy, Category::Infra, "mount:/").is_some());
    assert!(get(legacy, Category::Infra, "memory.total").is_some());
}

#[test]
fn ansible_fields_of_unexpected_shape_are_named_and_recorded() {
    let dir = workspace();
    let text = std::fs::read_to_string(fixture("ansible/setup-web-1.txt")).unwrap();
    let broken = text.replace(
        "\"ansible_memtotal_mb\": 24105",
        "\"ansible_memtotal_mb\": \"lots\"",
    );
    assert_ne!(broken, text);
    let file = dir.path().join("broken.txt");
    std::fs::write(&file, broken).unwrap();
    let run = import(dir.path(), "ansible", &file, &["--env", "prod"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "note: {}: host web-1: ansible_memtotal_mb: expected a whole number, found a string",
            file.display()
        )),
        "{}",
        run.stderr
    );
    let snap = &stored(dir.path(), "prod")[0];
    assert_eq!(snap.errors.len(), 1);
    assert_eq!(snap.errors[0].probe, "ansible_memtotal_mb");
    assert!(get(snap, Category::Infra, "memory.total").is_none());
    // The rest of the host's facts are there.
    assert!(get(snap, Category::Infra, "mount:/").is_some());

    let other = dir.path().join("other.json");
    std::fs::write(&other, r#"{"hello": "world"}"#).unwrap();
    let run = import(dir.path(), "ansible", &other, &["--env", "prod"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("other.json: not Ansible facts"),
        "{}",
        run.stderr
    );
}

// --- osquery ----------------------------------------------------------------------

#[test]
fn osquery_tables_of_one_host_map_onto_native_keys() {
    let dir = workspace();
    let run = import(
        dir.path(),
        "osquery",
        &fixture("osquery/web-1.json"),
        &["--env", "prod"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("table processes: skipped, not mapped"),
        "{}",
        run.stderr
    );
    let snap = &stored(dir.path(), "prod")[0];
    assert_eq!(snap.host, "web-1.example.internal");
    assert_eq!(snap.taken_at.to_rfc3339(), "2026-11-20T09:30:00+00:00");
    let v = |key| get(snap, Category::Versions, key);
    assert_eq!(v("os.id"), Some(&string("debian")));
    assert_eq!(v("os.codename"), Some(&string("bookworm")));
    assert_eq!(v("kernel"), Some(&Value::version("6.1.0-18-amd64")));
    assert_eq!(v("packages.manager"), Some(&string("dpkg")));
    assert_eq!(
        v("package:openssh-server"),
        Some(&Value::version("1:9.2p1-2+deb12u2"))
    );
    assert_eq!(
        v("package:nginx-common"),
        None,
        "removed, config files only"
    );
    let n = |key| get(snap, Category::Network, key);
    assert_eq!(n("port:tcp/22"), Some(&Value::set(["0.0.0.0", "[::]"])));
    assert_eq!(n("port:udp/53"), Some(&Value::set(["127.0.0.53"])));
    assert_eq!(n("port:tcp/0"), None);
    assert_eq!(
        n("hosts:localhost"),
        Some(&Value::set(["127.0.0.1", "::1"]))
    );
    assert_eq!(
        n("dns.nameservers"),
        Some(&Value::List(vec!["10.0.0.2".into(), "10.0.0.3".into()]))
    );
    assert_eq!(
        n("dns.search"),
        Some(&Value::List(vec!["example.internal".into()]))
    );
    let i = |key| get(snap, Category::Infra, key);
    assert_eq!(
        i("cpu.model"),
        Some(&string("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"))
    );
    assert_eq!(i("cpu.count"), Some(&string("4")));
    assert_eq!(i("memory.total"), Some(&string("7.8 GiB")));
    assert!(i("mount:/").is_some());
    assert_eq!(i("mount:/proc"), None);
    assert_eq!(
        i("disk:/"),
        Some(&Value::record([("fstype", "ext4"), ("size", "19.6 GiB")]))
    );
    let s = |key| get(snap, Category::Services, key);
    assert_eq!(s("unit:ssh.service"), Some(&string("active/running")));
    assert_eq!(s("unit:ssh.socket"), None);
    assert_eq!(s("unit:ghost.service"), None);
    assert_eq!(
        get(
            snap,
            Category::Config,
            "sysctl.net.ipv4.ip_local_port_range"
        ),
        Some(&string("32768 60999"))
    );
}

#[test]
fn osquery_results_of_two_hosts_drift_in_exactly_their_real_differences() {
    // Two hosts that differ in time zone, FIPS mode and two variables of
    // /etc/environment (one a secret); their clocks, uptime and free memory differ too,
    // and must not drift.
    let dir = workspace();
    for (file, env) in [("web-a.json", "staging"), ("web-b.json", "prod")] {
        let path = fixture(&format!("osquery/parity/{file}"));
        let run = import(dir.path(), "osquery", &path, &["--env", env]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("table uptime: skipped, not mapped"),
            "{}",
            run.stderr
        );
    }
    let out = driftscope(dir.path(), &["diff", "staging", "prod", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut drifting: Vec<String> = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}/{}",
                f["category"].as_str().unwrap(),
                f["key"].as_str().unwrap()
            )
        })
        .collect();
    drifting.sort();
    assert_eq!(
        drifting,
        [
            "config/env.APP_MODE",
            "config/env.DATABASE_PASSWORD",
            "config/fips",
            "config/sysctl.crypto.fips_enabled",
            "config/timezone",
            "config/timezone.abbreviation",
        ]
    );
    let staging = &stored(dir.path(), "staging")[0];
    let prod = &stored(dir.path(), "prod")[0];
    // On the native probes' keys, and the secret through the same redaction.
    assert_eq!(
        staging.get(Category::Config, "timezone"),
        Some(&Value::string("Etc/UTC"))
    );
    assert_eq!(
        prod.get(Category::Config, "timezone.abbreviation"),
        Some(&Value::string("CET"))
    );
    assert_eq!(
        staging.get(Category::Config, "fips"),
        Some(&Value::string("false"))
    );
    assert_eq!(
        prod.get(Category::Config, "fips"),
        Some(&Value::string("true"))
    );
    assert_eq!(
        staging.get(Category::Config, "env.LANG"),
        Some(&Value::string("C.UTF-8"))
    );
    assert!(matches!(
        prod.get(Category::Config, "env.DATABASE_PASSWORD"),
        Some(Value::Redacted(_))
    ));
    assert!(!serde_json::to_string(prod).unwrap().contains("s3cret"));
    assert_eq!(prod.scheme_of("package:openssh-server"), Some("dpkg"));
}

#[test]
fn osquery_table_folders_and_the_daemon_results_log_are_read() {
    let dir = workspace();
    let run = import(
        dir.path(),
        "osquery",
        &fixture("osquery/tables"),
        &["--env", "db", "--taken-at", "2026-11-20T09:00:00Z"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let db = &stored(dir.path(), "db")[0];
    assert_eq!(db.host, "db-1");
    assert_eq!(db.taken_at.to_rfc3339(), "2026-11-20T09:00:00+00:00");
    assert_eq!(
        get(db, Category::Versions, "package:openssl-libs"),
        Some(&Value::version("3.0.7-25.el9_3"))
    );
    assert_eq!(get(db, Category::Versions, "package:gpg-pubkey"), None);
    assert_eq!(
        get(db, Category::Versions, "packages.manager"),
        Some(&string("rpm"))
    );

    let log = fixture("osquery/osqueryd.results.log");
    let run = import(
        dir.path(),
        "osquery",
        &log,
        &["--env", "web", "--host", "x"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("names one host, but the input holds 2 hosts")
    );
    let run = import(dir.path(), "osquery", &log, &["--env", "web"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("skipped 1 result of query 'pack/it/processes'"),
        "{}",
        run.stderr
    );
    let web = stored(dir.path(), "web");
    let hosts: Vec<&str> = web.iter().map(|s| s.host.as_str()).collect();
    assert_eq!(hosts, ["web-3", "web-2"]);
    let web_2 = &web[1];
    // Differential results are replayed: the upgrade removed one row and added another.
    assert_eq!(
        get(web_2, Category::Versions, "package:libssl3"),
        Some(&Value::version("3.0.2-0ubuntu1.15"))
    );
    assert_eq!(web_2.taken_at.to_rfc3339(), "2026-11-20T10:00:00+00:00");
    assert_eq!(
        get(web_2, Category::Versions, "os.codename"),
        Some(&string("jammy"))
    );
    assert_eq!(
        get(&web[0], Category::Network, "port:tcp/443"),
        Some(&Value::set(["0.0.0.0"]))
    );
}

#[test]
fn osquery_rows_missing_a_column_are_named_and_recorded() {
    let dir = workspace();
    let file = fixture("osquery/bad-rows.json");
    let run = import(
        dir.path(),
        "osquery",
        &file,
        &["--env", "prod", "--host", "web-1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "note: {}: host web-1: table deb_packages: row 1: no column name (select it from deb_packages)",
            file.display()
        )),
        "{}",
        run.stderr
    );
    let snap = &stored(dir.path(), "prod")[0];
    assert_eq!(snap.errors[0].probe, "table deb_packages");
    assert_eq!(
        get(snap, Category::Versions, "os.id"),
        Some(&string("debian"))
    );
}

#[test]
fn imports_refuse_the_demo_and_bad_environment_names() {
    let run = driftscope(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "--demo",
            "import",
            "ansible",
            fixture("ansible/tree").to_str().unwrap(),
            "--env",
            "prod",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the demo workspace is read-only"));
    let dir = workspace();
    let run = import(
        dir.path(),
        "ansible",
        &fixture("ansible/tree"),
        &["--env", "a/b"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: --env: "), "{}", run.stderr);
}

#[test]
fn ansible_facts_of_two_hosts_drift_in_exactly_their_real_differences() {
    // Captured from ansible-core 2.19 on one machine run twice with another time zone,
    // environment and Python interpreter (machine-specific fields replaced); the
    // uptime, free memory and gathering time differ too, and must not drift.
    let dir = workspace();
    for (file, env) in [("web-a.txt", "staging"), ("web-b.txt", "prod")] {
        let path = fixture(&format!("ansible/parity/{file}"));
        let run = import(dir.path(), "ansible", &path, &["--env", env]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let out = driftscope(dir.path(), &["diff", "staging", "prod", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut drifting: Vec<String> = doc["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}/{}",
                f["category"].as_str().unwrap(),
                f["key"].as_str().unwrap()
            )
        })
        .collect();
    drifting.sort();
    assert_eq!(
        drifting,
        [
            "config/env.APP_MODE",
            "config/env.DATABASE_PASSWORD",
            "config/env.LOG_LEVEL",
            "config/env.TZ",
            "config/timezone",
            "versions/runtime.python",
            "versions/runtime.python.executable",
        ]
    );
    // The secret went through redaction: no clear value is stored.
    let staging = &stored(dir.path(), "staging")[0];
    assert!(matches!(
        staging.get(Category::Config, "env.DATABASE_PASSWORD"),
        Some(Value::Redacted(_))
    ));
    let snapshot_text = serde_json::to_string(staging).unwrap();
    assert!(!snapshot_text.contains("s3cret"));
    // The time zone is on the native probe's key, named as the probe names it.
    assert_eq!(
        staging.get(Category::Config, "timezone"),
        Some(&Value::string("Etc/UTC"))
    );
    assert_eq!(
        stored(dir.path(), "prod")[0].get(Category::Config, "timezone"),
        Some(&Value::string("Europe/Paris"))
    );
    // The default routes, FIPS mode, kernel command line and package manager are
    // there, on the native probes' keys, and equal.
    assert!(staging.get(Category::Network, "route:default").is_some());
    assert_eq!(
        staging.get(Category::Config, "fips"),
        Some(&Value::string("false"))
    );
    assert_eq!(
        staging.get(Category::Versions, "packages.manager"),
        Some(&Value::string("dpkg"))
    );
    assert!(staging.get(Category::Versions, "kernel.cmdline").is_some());
}
