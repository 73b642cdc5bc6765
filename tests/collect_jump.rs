//! Reaching hosts through bastions and proxies, against real OpenSSH servers in
//! network namespaces where the targets are reachable only through the bastion.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use support::netlab::{NetLab, TARGET_ADDRESS};

/// Writes an SSH client config: `hosts` first, then defaults that use only the lab's
/// key and the given known-hosts file (jump hosts read the same file).
fn ssh_config(lab: &NetLab, known_hosts: &Path, hosts: &str) -> PathBuf {
    let path = lab.dir().join(format!(
        "ssh_config_{}",
        CONFIGS.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(
        &path,
        format!(
            "{hosts}\nHost *\n  BatchMode yes\n  StrictHostKeyChecking yes\n  \
             UserKnownHostsFile {}\n  IdentityFile {}\n  IdentitiesOnly yes\n",
            known_hosts.display(),
            lab.client_key.display()
        ),
    )
    .unwrap();
    path
}

static CONFIGS: AtomicUsize = AtomicUsize::new(0);

/// The OpenSSH client with only `config`.
fn openssh(config: &Path, args: &[&str]) -> std::process::Output {
    Command::new("ssh")
        .arg("-F")
        .arg(config)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_lab_target_is_reachable_only_through_the_bastion() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, "");
    let direct = openssh(
        &config,
        &[
            "-o",
            "ConnectTimeout=2",
            &format!("{}@{TARGET_ADDRESS}", lab.target.user),
            "true",
        ],
    );
    assert!(!direct.status.success(), "the target answered directly");
    let jump = format!("{}@{}", lab.bastion.user, lab.bastion_address);
    let out = openssh(
        &config,
        &[
            "-J",
            &jump,
            &format!("{}@{TARGET_ADDRESS}", lab.target.user),
            "echo reached",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "reached",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lab.bastion.logins(), 1, "{}", lab.bastion.log());
}
