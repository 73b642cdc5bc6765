//! Host key checks with OpenSSH's `known_hosts` semantics, each case compared with
//! what the OpenSSH client itself decides against the same real server and file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{CollectOptions, Collector, HostJob, Target, WorkspaceKey};
use driftscope::config::CollectSettings;
use support::sshd::Sshd;

fn collect(sshd: &Sshd, known_hosts: &Path, accept_new: bool) -> Result<(), String> {
    let mut s = CollectSettings::default();
    s.collect.connect_timeout = Duration::from_secs(3);
    s.collect.skip = builtin_names();
    s.ssh.known_hosts = Some(known_hosts.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(sshd.dir.path().join("no_ssh_config"));
    s.ssh.identity_files = vec![sshd.client_key.clone()];
    let home = tempfile::tempdir().unwrap();
    let options = CollectOptions {
        accept_new_host_keys: accept_new,
        home: Some(home.path().to_path_buf()),
        use_agent: false,
        concurrency: None,
        cancel: None,
    };
    let c = Collector::new(None, &s, WorkspaceKey::from_bytes([7; 32]), &options)?;
    c.collect(&HostJob {
        environment: "prod".into(),
        host: "web".into(),
        target: Target::Ssh(sshd.entry()),
    })
    .map(drop)
}

/// Whether the OpenSSH client connects with `StrictHostKeyChecking=strict`.
fn openssh_connects(sshd: &Sshd, known_hosts: &Path, strict: &str) -> bool {
    Command::new("ssh")
        .args(["-F", "/dev/null", "-o", "BatchMode=yes", "-o"])
        .arg(format!("StrictHostKeyChecking={strict}"))
        .arg("-o")
        .arg(format!("UserKnownHostsFile={}", known_hosts.display()))
        .args([
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "IdentitiesOnly=yes",
            "-i",
        ])
        .arg(&sshd.client_key)
        .args(["-p", &sshd.port.to_string()])
        .arg(format!("{}@127.0.0.1", sshd.user))
        .arg("true")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success()
}

fn known_hosts(sshd: &Sshd, name: &str, text: &str) -> PathBuf {
    let path = sshd.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_wildcard_entry_with_another_key_is_a_changed_key_even_when_accepting_new_ones() {
    let Some(sshd) = Sshd::start() else { return };
    let text = format!("[127.0.0.*]:{} {}\n", sshd.port, sshd.other_key_part());
    let file = known_hosts(&sshd, "wild", &text);
    let err = collect(&sshd, &file, true).unwrap_err();
    assert!(err.contains("HOST KEY CHANGED"), "{err}");
    assert!(err.contains(&format!("{}:1", file.display())), "{err}");
    assert!(!openssh_connects(&sshd, &file, "accept-new"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn a_revoked_key_is_refused_even_when_also_recorded_as_known() {
    let Some(sshd) = Sshd::start() else { return };
    let text = format!(
        "{}@revoked * {}\n",
        sshd.known_hosts_line(),
        sshd.host_key_part()
    );
    let file = known_hosts(&sshd, "revoked", &text);
    let err = collect(&sshd, &file, true).unwrap_err();
    assert!(err.contains("REVOKED HOST KEY"), "{err}");
    assert!(err.contains(&format!("{}:2", file.display())), "{err}");
    assert!(!openssh_connects(&sshd, &file, "accept-new"));
}

#[test]
fn hashed_entries_and_several_keys_per_host_are_known() {
    let Some(sshd) = Sshd::start() else { return };
    let text = format!(
        "{}{}",
        sshd.wrong_known_hosts_line(),
        sshd.known_hosts_line()
    );
    let file = known_hosts(&sshd, "hashed", &text);
    let hashed = Command::new("ssh-keygen")
        .arg("-H")
        .arg("-f")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(hashed.success());
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("|1|"));
    // Two ed25519 keys for the one host, one of them right: OpenSSH connects.
    assert!(openssh_connects(&sshd, &file, "yes"));
    collect(&sshd, &file, false).unwrap();
}

#[test]
fn a_negated_pattern_excludes_the_host() {
    let Some(sshd) = Sshd::start() else { return };
    // Off port 22, OpenSSH also tries the bare name: both are excluded here.
    let text = format!(
        "*,!127.0.0.1,![127.0.0.1]:{} {}\n",
        sshd.port,
        sshd.host_key_part()
    );
    let file = known_hosts(&sshd, "negated", &text);
    let err = collect(&sshd, &file, false).unwrap_err();
    assert!(err.contains("unknown host key"), "{err}");
    assert!(!openssh_connects(&sshd, &file, "yes"));
}

#[test]
fn a_cert_authority_line_alone_says_certificates_are_not_supported() {
    let Some(sshd) = Sshd::start() else { return };
    let text = format!("@cert-authority * {}\n", sshd.other_key_part());
    let file = known_hosts(&sshd, "ca", &text);
    let err = collect(&sshd, &file, true).unwrap_err();
    assert!(err.contains("host certificates are not supported"), "{err}");
    assert!(!openssh_connects(&sshd, &file, "yes"));
}

#[test]
fn a_key_recorded_without_the_port_is_known_as_openssh_finds_it() {
    let Some(sshd) = Sshd::start() else { return };
    let text = format!("127.0.0.1 {}\n", sshd.host_key_part());
    let file = known_hosts(&sshd, "portless", &text);
    assert!(openssh_connects(&sshd, &file, "yes"));
    collect(&sshd, &file, false).unwrap();
    // A wrong key without the port is no reason to refuse: the key is unknown.
    let text = format!("127.0.0.1 {}\n", sshd.other_key_part());
    let file = known_hosts(&sshd, "portless_other", &text);
    assert!(!openssh_connects(&sshd, &file, "yes"));
    let err = collect(&sshd, &file, false).unwrap_err();
    assert!(err.contains("unknown host key"), "{err}");
}
