//! Twenty hosts collected through Ansible (`snapshot --via ansible`, `--forks 20`) against
//! driftscope's own SSH client (`snapshot --via ssh`, 20 at a time), the same probes on
//! the same throwaway `sshd` on 127.0.0.1: the wall time of each whole command (the
//! release binary, storing the snapshots), median of a few runs, and the ratio.
//!
//! One Ansible run takes seconds, so this is a plain timed bench rather than a criterion
//! one; `DRIFTSCOPE_BENCH_RUNS` sets the runs per engine (default 3). Needs `sshd` and
//! `DRIFTSCOPE_ANSIBLE_PLAYBOOK` (as `.ci/run` sets it); skips with a message otherwise.
//!
//! `cargo bench --bench collect_ansible`

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/support/sshd.rs"]
mod sshd;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const HOSTS: usize = 20;

fn config() -> String {
    "[environments.bench]\ninventory = \"bench.ini\"\n\n\
     [collect]\nconcurrency = 20\nhost_timeout = \"120s\"\n\n\
     [ssh]\nknown_hosts = \"known_hosts\"\nignore_user_known_hosts = true\nconfig = \"no_ssh_config\"\n"
        .to_string()
}

fn inventory(server: &sshd::Sshd, known_hosts: &Path) -> String {
    let mut text = String::from("[all]\n");
    for n in 0..HOSTS {
        text.push_str(&format!(
            "host-{n:02} ansible_host=127.0.0.1 ansible_port={} ansible_user={} ansible_ssh_private_key_file={}\n",
            server.port,
            server.user,
            server.client_key.display()
        ));
    }
    text.push_str(&format!(
        "\n[all:vars]\nansible_ssh_common_args='-o UserKnownHostsFile={} -o StrictHostKeyChecking=yes'\n\
         ansible_python_interpreter=/usr/bin/python3\n",
        known_hosts.display()
    ));
    text
}

fn collect(root: &Path, program: &Path, via: &str) -> Duration {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_driftscope"))
        .current_dir(root)
        .env("DRIFTSCOPE_ANSIBLE_PLAYBOOK", program)
        .env("ANSIBLE_LOCAL_TEMP", root.join(".ansible-tmp"))
        .args(["snapshot", "bench", "--via", via, "-j", "20", "--no-agent"])
        .output()
        .expect("run driftscope");
    let elapsed = started.elapsed();
    let stored = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with("stored "))
        .count();
    assert!(
        output.status.success() && stored == HOSTS,
        "{via}: {stored} of {HOSTS} stored\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `cargo test --benches` runs benches with `--bench` absent: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Some(program) = std::env::var_os("DRIFTSCOPE_ANSIBLE_PLAYBOOK") else {
        eprintln!(
            "skipped: DRIFTSCOPE_ANSIBLE_PLAYBOOK is not set (`.ci/run` installs ansible-core)"
        );
        return;
    };
    let program = Path::new(&program).to_path_buf();
    let Some(server) = sshd::Sshd::start() else {
        return;
    };
    let runs: usize = std::env::var("DRIFTSCOPE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let known_hosts = root.join("known_hosts");
    std::fs::write(&known_hosts, server.known_hosts_line()).expect("known_hosts");
    std::fs::write(root.join("driftscope.toml"), config()).expect("driftscope.toml");
    std::fs::write(root.join("bench.ini"), inventory(&server, &known_hosts)).expect("inventory");
    // One warm-up run each: the first Ansible run compiles its Python, the first SSH run
    // creates the workspace key.
    collect(root, &program, "ssh");
    collect(root, &program, "ansible");
    let mut ssh = Vec::new();
    let mut ansible = Vec::new();
    for _ in 0..runs {
        ssh.push(collect(root, &program, "ssh"));
        ansible.push(collect(root, &program, "ansible"));
    }
    let (ssh, ansible) = (median(ssh), median(ansible));
    println!(
        "collect_ansible: {HOSTS} hosts, median of {runs} runs: driftscope ssh {:.2} s, \
         ansible-playbook {:.2} s, ratio {:.1}x",
        ssh.as_secs_f64(),
        ansible.as_secs_f64(),
        ansible.as_secs_f64() / ssh.as_secs_f64()
    );
}
