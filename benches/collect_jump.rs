//! Collection through a bastion, against real sshds in network namespaces where the
//! target is reachable only through the bastion (see `tests/support/netlab.rs`):
//!
//! - `ssh_j_true`: `ssh -J bastion target true` with the OpenSSH client, the floor;
//! - `ssh_j_true_20`: twenty of those at once (twenty bastion logins), the floor for
//!   twenty hosts;
//! - `collect_one_behind_bastion`: one host through the bastion with a fresh collector
//!   (so the bastion login is counted), every probe skipped, to compare the connection
//!   path with the floor (target ≤ 1.5×);
//! - `collect_one_behind_bastion_light`: the same with the light built-in probes;
//! - `collect_20_behind_bastion`: twenty hosts through the same bastion at once, which
//!   share one bastion session, every probe skipped (compare with one host).
//!
//! Needs root (network namespaces) and sshd; skips with a message otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{CollectOptions, Collector, HostJob, Progress, Target, WorkspaceKey};
use driftscope::config::CollectSettings;
use support::netlab::{NetLab, TARGET_ADDRESS};

fn collector(lab: &NetLab, config: &Path, known: &Path, skip: &[String]) -> Arc<Collector> {
    let mut s = CollectSettings::default();
    s.collect.concurrency = 20;
    s.collect.skip = skip.to_vec();
    s.ssh.known_hosts = Some(known.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(config.to_path_buf());
    s.ssh.identity_files = vec![lab.client_key.clone()];
    let options = CollectOptions {
        home: Some(lab.dir().join("home")),
        use_agent: false,
        ..CollectOptions::default()
    };
    Arc::new(
        Collector::new(None, &s, WorkspaceKey::from_bytes([9; 32]), &options).expect("collector"),
    )
}

fn job(n: usize) -> HostJob {
    HostJob {
        environment: "bench".into(),
        host: format!("host-{n}"),
        target: Target::Ssh("target".into()),
    }
}

fn bench(c: &mut Criterion) {
    let Some(lab) = NetLab::start() else {
        return;
    };
    let known = lab.known_hosts();
    let config = lab.dir().join("bench_ssh_config");
    std::fs::write(
        &config,
        format!(
            "Host bastion\n  HostName {}\n  User {user}\n\n\
             Host target\n  HostName {TARGET_ADDRESS}\n  User {user}\n  ProxyJump bastion\n\n\
             Host *\n  BatchMode yes\n  StrictHostKeyChecking yes\n  UserKnownHostsFile {}\n  \
             IdentityFile {}\n  IdentitiesOnly yes\n",
            lab.bastion_address,
            known.display(),
            lab.client_key.display(),
            user = lab.bastion.user,
        ),
    )
    .expect("ssh config");
    let empty = builtin_names();
    let heavy = ["runtimes", "servers", "packages"].map(String::from);

    let mut group = c.benchmark_group("collect_jump");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("ssh_j_true", |b| {
        b.iter(|| {
            let status = Command::new("ssh")
                .arg("-F")
                .arg(&config)
                .args(["target", "true"])
                .stdin(Stdio::null())
                .status()
                .expect("run ssh");
            assert!(status.success());
        })
    });
    group.bench_function("ssh_j_true_20", |b| {
        b.iter(|| {
            let children: Vec<_> = (0..20)
                .map(|_| {
                    Command::new("ssh")
                        .arg("-F")
                        .arg(&config)
                        .args(["target", "true"])
                        .stdin(Stdio::null())
                        .spawn()
                        .expect("run ssh")
                })
                .collect();
            for mut child in children {
                assert!(child.wait().expect("ssh").success());
            }
        })
    });
    group.bench_function("collect_one_behind_bastion", |b| {
        b.iter(|| {
            collector(&lab, &config, &known, &empty)
                .collect(&job(0))
                .expect("collect")
        })
    });
    group.bench_function("collect_one_behind_bastion_light", |b| {
        b.iter(|| {
            collector(&lab, &config, &known, &heavy)
                .collect(&job(0))
                .expect("collect")
        })
    });
    group.bench_function("collect_20_behind_bastion", |b| {
        b.iter(|| {
            let c = collector(&lab, &config, &known, &empty);
            let ok = c
                .spawn((0..20).map(job).collect())
                .into_iter()
                .filter(|m| matches!(m, Progress::Finished { outcome: Ok(_), .. }))
                .count();
            assert_eq!(ok, 20);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
