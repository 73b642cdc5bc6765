//! Collection speed against a throwaway `sshd` on 127.0.0.1:
//!
//! - `ssh_true`: a bare `ssh host true` with the OpenSSH client, the floor;
//! - `ssh_true_20`: twenty of those at once, the floor for twenty hosts;
//! - `collect_one_host`: one host, the full built-in catalogue (target ≤ 2× the floor);
//! - `collect_one_host_light`: the same without the runtime, server and package probes,
//!   to separate the collector's own cost from the probes' work;
//! - `collect_20_hosts`: twenty concurrent connections to the same server (target ≤ 3×
//!   one host);
//! - `collect_*_empty`: one and twenty hosts with every probe skipped, to see how the
//!   collector itself scales when the probes' work (which here shares this machine's
//!   cores with all twenty "hosts") is taken away.
//!
//! Skips with a message when `sshd` is not installed.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/sshd.rs"]
mod sshd;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{CollectOptions, Collector, HostJob, Progress, Target, WorkspaceKey};
use driftscope::config::CollectSettings;

fn collector(server: &sshd::Sshd, known_hosts: &Path, skip: &[String]) -> Arc<Collector> {
    let mut s = CollectSettings::default();
    s.collect.concurrency = 20;
    s.collect.skip = skip.to_vec();
    s.ssh.known_hosts = Some(known_hosts.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(server.dir.path().join("no_ssh_config"));
    s.ssh.identity_files = vec![server.client_key.clone()];
    let options = CollectOptions {
        home: Some(server.dir.path().join("home")),
        use_agent: false,
        ..CollectOptions::default()
    };
    Arc::new(
        Collector::new(None, &s, WorkspaceKey::from_bytes([9; 32]), &options).expect("collector"),
    )
}

fn job(server: &sshd::Sshd, n: usize) -> HostJob {
    HostJob {
        environment: "bench".into(),
        host: format!("host-{n}"),
        target: Target::Ssh(server.entry()),
    }
}

fn bench(c: &mut Criterion) {
    let Some(server) = sshd::Sshd::start() else {
        return;
    };
    let known_hosts = server.dir.path().join("known_hosts");
    std::fs::write(&known_hosts, server.known_hosts_line()).expect("known_hosts");
    let full = collector(&server, &known_hosts, &[]);
    let heavy = ["runtimes", "servers", "packages"].map(String::from);
    let light = collector(&server, &known_hosts, &heavy);
    let empty = collector(&server, &known_hosts, &builtin_names());
    let twenty = |c: &Arc<Collector>| {
        let jobs = (0..20).map(|n| job(&server, n)).collect();
        let ok = c
            .spawn(jobs)
            .into_iter()
            .filter(|m| matches!(m, Progress::Finished { outcome: Ok(_), .. }))
            .count();
        assert_eq!(ok, 20);
    };

    let mut group = c.benchmark_group("collect");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    let ssh_true = || {
        Command::new("ssh")
            .args([
                "-F",
                "/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
            ])
            .arg("-o")
            .arg(format!("UserKnownHostsFile={}", known_hosts.display()))
            .args(["-o", "StrictHostKeyChecking=yes", "-i"])
            .arg(&server.client_key)
            .args(["-p", &server.port.to_string()])
            .arg(format!("{}@127.0.0.1", server.user))
            .arg("true")
            .stdin(Stdio::null())
            .spawn()
            .expect("run ssh")
    };
    group.bench_function("ssh_true", |b| {
        b.iter(|| assert!(ssh_true().wait().expect("ssh").success()))
    });
    group.bench_function("ssh_true_20", |b| {
        b.iter(|| {
            let children: Vec<_> = (0..20).map(|_| ssh_true()).collect();
            for mut child in children {
                assert!(child.wait().expect("ssh").success());
            }
        })
    });
    group.bench_function("collect_one_host", |b| {
        b.iter(|| full.collect(&job(&server, 0)).expect("collect"))
    });
    group.bench_function("collect_one_host_light", |b| {
        b.iter(|| light.collect(&job(&server, 0)).expect("collect"))
    });
    group.bench_function("collect_20_hosts", |b| b.iter(|| twenty(&full)));
    group.bench_function("collect_one_host_empty", |b| {
        b.iter(|| empty.collect(&job(&server, 0)).expect("collect"))
    });
    group.bench_function("collect_20_hosts_empty", |b| b.iter(|| twenty(&empty)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
