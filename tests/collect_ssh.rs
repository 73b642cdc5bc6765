//! Collection over SSH against a real, throwaway OpenSSH server on 127.0.0.1.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use driftscope::collect::{CollectOptions, Collector, HostJob, Progress, Target, WorkspaceKey};
use driftscope::config::{CollectSettings, ParserKind, ProbeConfig};
use driftscope::model::{Category, Source, Value};
use support::sshd::Sshd;

/// Settings that use only the server's files: no user known_hosts, no user SSH config.
fn settings(sshd: &Sshd, known_hosts: &Path, identity: &Path) -> CollectSettings {
    let mut s = CollectSettings::default();
    s.collect.connect_timeout = Duration::from_secs(2);
    s.collect.host_timeout = Duration::from_secs(60);
    s.collect.skip = vec!["packages".into()];
    s.ssh.known_hosts = Some(known_hosts.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(sshd.dir.path().join("no_ssh_config"));
    s.ssh.identity_files = vec![identity.to_path_buf()];
    s
}

fn options(home: &Path, accept_new: bool) -> CollectOptions {
    CollectOptions {
        accept_new_host_keys: accept_new,
        home: Some(home.to_path_buf()),
        use_agent: false,
        concurrency: None,
        cancel: None,
    }
}

fn collector(settings: &CollectSettings, options: &CollectOptions) -> Collector {
    Collector::new(None, settings, WorkspaceKey::from_bytes([3; 32]), options).unwrap()
}

fn job(env: &str, host: &str, entry: &str) -> HostJob {
    HostJob {
        environment: env.into(),
        host: host.into(),
        target: Target::Ssh(entry.into()),
    }
}

fn trusted_known_hosts(sshd: &Sshd) -> PathBuf {
    let path = sshd.dir.path().join("known_hosts");
    std::fs::write(&path, sshd.known_hosts_line()).unwrap();
    path
}

#[test]
fn a_full_snapshot_over_ssh_records_facts_and_failing_probes() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let mut s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.client_key);
    s.probes = vec![ProbeConfig {
        name: "broken".into(),
        category: Category::Config,
        command: "echo 'it broke' >&2; exit 3".into(),
        parser: ParserKind::Text,
        key: None,
        needs_root: false,
    }];
    let c = collector(&s, &options(home.path(), false));
    let collected = c
        .collect(&job("prod", "web-1", &sshd.entry()))
        .unwrap_or_else(|e| panic!("{e}\nsshd log:\n{}", sshd.log()));
    let snap = collected.snapshot;
    assert_eq!(snap.environment, "prod");
    assert_eq!(snap.host, "web-1");
    assert_eq!(
        snap.source,
        Source::Ssh {
            target: sshd.entry()
        }
    );
    for (cat, key) in [
        (Category::Versions, "os.release"),
        (Category::Versions, "kernel"),
        (Category::Versions, "arch"),
        (Category::Network, "hosts:localhost"),
        (Category::Infra, "memory.total"),
        (Category::Config, "sysctl.net.core.somaxconn"),
    ] {
        assert!(
            snap.get(cat, key).is_some(),
            "missing {cat}/{key}; errors: {:?}",
            snap.errors
        );
    }
    let port_key = format!("port:tcp/{}", sshd.port);
    assert_eq!(
        snap.get(Category::Network, &port_key),
        Some(&Value::set(["127.0.0.1"]))
    );
    let broken = snap
        .errors
        .iter()
        .find(|e| e.probe == "broken")
        .expect("failing probe recorded");
    assert_eq!(broken.exit_status, Some(3));
    assert_eq!(broken.message, "failed with exit status 3: it broke");
    // The same machine collected locally agrees on the kernel.
    let local = c
        .collect(&HostJob {
            environment: "dev".into(),
            host: "local".into(),
            target: Target::Local,
        })
        .unwrap()
        .snapshot;
    assert_eq!(
        local.get(Category::Versions, "kernel"),
        snap.get(Category::Versions, "kernel")
    );
}

#[test]
fn an_unknown_host_key_is_refused_with_its_fingerprint() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let known = sshd.dir.path().join("empty_known_hosts");
    let c = collector(
        &settings(&sshd, &known, &sshd.client_key),
        &options(home.path(), false),
    );
    let err = c.collect(&job("prod", "web-1", &sshd.entry())).unwrap_err();
    assert!(err.contains("unknown host key"), "{err}");
    assert!(
        err.contains(&sshd.host_fingerprint()),
        "{err} lacks {}",
        sshd.host_fingerprint()
    );
    assert!(err.contains("--accept-new-host-keys"), "{err}");
    assert!(!known.exists(), "nothing may be written without the flag");
}

#[test]
fn a_changed_host_key_is_refused_even_when_accepting_new_keys() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let known = sshd.dir.path().join("known_hosts");
    std::fs::write(&known, sshd.wrong_known_hosts_line()).unwrap();
    let c = collector(
        &settings(&sshd, &known, &sshd.client_key),
        &options(home.path(), true),
    );
    let err = c.collect(&job("prod", "web-1", &sshd.entry())).unwrap_err();
    assert!(err.contains("HOST KEY CHANGED"), "{err}");
    assert!(err.contains(&sshd.host_fingerprint()), "{err}");
    assert_eq!(
        std::fs::read_to_string(&known).unwrap(),
        sshd.wrong_known_hosts_line()
    );
}

#[test]
fn accept_new_records_the_key_where_openssh_finds_it() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let known = sshd.dir.path().join("ws/known_hosts");
    let s = settings(&sshd, &known, &sshd.client_key);
    let first = collector(&s, &options(home.path(), true))
        .collect(&job("prod", "web-1", &sshd.entry()))
        .unwrap();
    assert!(
        first
            .notes
            .iter()
            .any(|n| n.contains("accepted new host key")),
        "{:?}",
        first.notes
    );
    let found = std::process::Command::new("ssh-keygen")
        .arg("-F")
        .arg(format!("[127.0.0.1]:{}", sshd.port))
        .arg("-f")
        .arg(&known)
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "ssh-keygen -F did not find the recorded key"
    );
    // Now known: a run without the flag succeeds and records nothing more.
    let again = collector(&s, &options(home.path(), false))
        .collect(&job("prod", "web-1", &sshd.entry()))
        .unwrap();
    assert!(again.notes.is_empty());
    assert_eq!(std::fs::read_to_string(&known).unwrap().lines().count(), 1);
}

#[test]
fn a_bad_client_key_fails_clearly() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.wrong_key);
    let err = collector(&s, &options(home.path(), false))
        .collect(&job("prod", "web-1", &sshd.entry()))
        .unwrap_err();
    assert!(err.contains("authentication failed"), "{err}");
    assert!(err.contains(&sshd.wrong_key.display().to_string()), "{err}");
    assert!(err.contains("rejected"), "{err}");
}

#[test]
fn a_dead_host_times_out_within_the_bound_while_another_succeeds() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    // Accepts TCP connections (the kernel's backlog) but never speaks SSH.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let mut s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.client_key);
    s.collect.connect_timeout = Duration::from_secs(1);
    let c = Arc::new(collector(&s, &options(home.path(), false)));
    let jobs = vec![
        job(
            "prod",
            "dead",
            &format!("{}@127.0.0.1:{silent_port}", sshd.user),
        ),
        job("prod", "alive", &sshd.entry()),
    ];
    let started = Instant::now();
    let mut dead = None;
    let mut alive = None;
    for message in c.spawn(jobs) {
        if let Progress::Finished {
            label,
            elapsed,
            outcome,
            ..
        } = message
        {
            match label.as_str() {
                "prod/dead" => dead = Some((elapsed, outcome)),
                "prod/alive" => alive = Some(outcome),
                other => panic!("unexpected host {other}"),
            }
        }
    }
    let (dead_elapsed, dead_outcome) = dead.expect("dead host reported");
    let err = dead_outcome.unwrap_err();
    assert!(err.contains("timed out"), "{err}");
    assert!(
        dead_elapsed < Duration::from_secs(3),
        "took {dead_elapsed:?}"
    );
    assert!(alive.expect("live host reported").is_ok());
    assert!(started.elapsed() < Duration::from_secs(30));
    drop(silent);
}

#[test]
fn a_closed_port_fails_fast_with_the_host_named() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.client_key);
    let started = Instant::now();
    let err = collector(&s, &options(home.path(), false))
        .collect(&job("prod", "gone", &format!("root@127.0.0.1:{closed}")))
        .unwrap_err();
    assert!(err.starts_with("prod/gone: "), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{closed}")), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn an_ssh_config_alias_is_honoured_and_proxy_jump_followed() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let config = sshd.dir.path().join("ssh_config");
    std::fs::write(
        &config,
        format!(
            "Host testbox\n  HostName 127.0.0.1\n  Port {}\n  User {}\n  IdentityFile {}\n\n\
             Host jumped\n  HostName 127.0.0.1\n  Port {}\n  User {}\n  IdentityFile {}\n  ProxyJump testbox\n",
            sshd.port,
            sshd.user,
            sshd.client_key.display(),
            sshd.port,
            sshd.user,
            sshd.client_key.display(),
        ),
    )
    .unwrap();
    // The identity comes only from the SSH config here.
    let mut s = settings(
        &sshd,
        &trusted_known_hosts(&sshd),
        Path::new("/nonexistent/key"),
    );
    s.ssh.identity_files.clear();
    s.ssh.config = Some(config);
    let c = collector(&s, &options(home.path(), false));
    let snap = c
        .collect(&job("prod", "testbox", "testbox"))
        .unwrap()
        .snapshot;
    assert!(snap.get(Category::Versions, "kernel").is_some());
    // ProxyJump through the same server to itself: one more login, same host.
    let snap = c
        .collect(&job("prod", "jumped", "jumped"))
        .unwrap_or_else(|e| panic!("{e}\n{}", sshd.log()))
        .snapshot;
    assert!(snap.get(Category::Versions, "kernel").is_some());
}

/// Pids of processes whose command line holds `marker`.
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let pid = entry.file_name().to_string_lossy().to_string();
        if !pid.bytes().all(|b| b.is_ascii_digit()) || pid == std::process::id().to_string() {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(marker) {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_timed_out_host_leaves_no_probe_running_on_it() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let mut s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.client_key);
    s.collect.skip = driftscope::collect::catalogue::builtin_names();
    s.collect.host_timeout = Duration::from_secs(3);
    // Longer than the host's time, so only the guard can stop it.
    s.collect.probe_timeout = Duration::from_secs(600);
    let marker = format!("ds-guard-{}-{}", std::process::id(), sshd.port);
    s.probes = vec![ProbeConfig {
        name: "slow".into(),
        category: Category::Config,
        command: format!("sleep 300; echo {marker}"),
        parser: ParserKind::Text,
        key: None,
        needs_root: false,
    }];
    let c = collector(&s, &options(home.path(), false));
    let started = Instant::now();
    let err = c.collect(&job("prod", "slow", &sshd.entry())).unwrap_err();
    assert!(err.contains("timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(6));
    let mut left = processes_with(&marker);
    let until = Instant::now() + Duration::from_secs(10);
    while !left.is_empty() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
        left = processes_with(&marker);
    }
    assert!(left.is_empty(), "still running on the host: {left:?}");
}

#[test]
fn output_over_the_cap_fails_the_host_over_ssh_and_locally() {
    let Some(sshd) = Sshd::start() else { return };
    let home = tempfile::tempdir().unwrap();
    let mut s = settings(&sshd, &trusted_known_hosts(&sshd), &sshd.client_key);
    s.collect.skip = driftscope::collect::catalogue::builtin_names();
    s.collect.max_output = driftscope::config::ByteSize::parse("1 MiB").unwrap();
    s.probes = vec![ProbeConfig {
        name: "flood".into(),
        category: Category::Config,
        command: "head -c 3000000 /dev/zero".into(),
        parser: ParserKind::Text,
        key: None,
        needs_root: false,
    }];
    let c = collector(&s, &options(home.path(), false));
    let err = c.collect(&job("prod", "big", &sshd.entry())).unwrap_err();
    assert!(err.starts_with("prod/big: "), "{err}");
    assert!(err.contains("exceeds the limit of 1 MiB"), "{err}");
    let err = c
        .collect(&HostJob {
            environment: "dev".into(),
            host: "local".into(),
            target: Target::Local,
        })
        .unwrap_err();
    assert!(err.contains("exceeds the limit of 1 MiB"), "{err}");
    // Under the cap, the same probe is fine.
    s.collect.max_output = driftscope::config::ByteSize::parse("4 MiB").unwrap();
    let c = collector(&s, &options(home.path(), false));
    c.collect(&job("prod", "big", &sshd.entry())).unwrap();
}
