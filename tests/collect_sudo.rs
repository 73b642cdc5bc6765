//! Probes that need root run through `sudo -n` on a real sshd, for a user sudo lets
//! in without a password and for one it would ask for a password.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{CollectOptions, Collector, HostJob, Target, WorkspaceKey};
use driftscope::config::{CollectSettings, ParserKind, ProbeConfig, SudoRules};
use driftscope::model::{Category, Value};
use support::sshd::{Sshd, SshdSetup, unavailable};

const NOPASSWD_USER: &str = "dsnopasswd";
const PASSWORD_USER: &str = "dspassword";

fn run(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Creates the two users (once) and their sudo rules; `false` when that is not
/// possible here.
fn users() -> Option<()> {
    if !Path::new("/usr/bin/sudo").exists() {
        return unavailable("sudo is not installed");
    }
    for user in [NOPASSWD_USER, PASSWORD_USER] {
        if !run("id", &[user]) && !run("useradd", &["-m", "-s", "/bin/sh", user]) {
            return unavailable(&format!("cannot create user {user} (useradd)"));
        }
        // An unlocked account without a password: keys only.
        if !run("usermod", &["-p", "*", user]) {
            return unavailable(&format!("cannot unlock user {user} (usermod)"));
        }
    }
    let rules = format!("{NOPASSWD_USER} ALL=(ALL) NOPASSWD: ALL\n{PASSWORD_USER} ALL=(ALL) ALL\n");
    let path = "/etc/sudoers.d/driftscope-test";
    std::fs::write(path, rules).ok()?;
    run("chmod", &["0440", path]);
    Some(())
}

/// The built-in probes that need root.
const ROOT_BUILTINS: [&str; 2] = ["sudoers", "listening-processes"];

/// A file only root may read and one anyone may, in a folder anyone may enter.
fn files(sshd: &Sshd) -> (String, String) {
    let dir = sshd.dir.path().join("etc");
    std::fs::create_dir_all(&dir).unwrap();
    let (secret, open) = (dir.join("root-only.conf"), dir.join("open.conf"));
    std::fs::write(&secret, "workers = 8\n").unwrap();
    std::fs::write(&open, "listen = 80\n").unwrap();
    run("chmod", &["0600", &secret.display().to_string()]);
    run("chmod", &["0644", &open.display().to_string()]);
    run("chmod", &["0755", &dir.display().to_string()]);
    (secret.display().to_string(), open.display().to_string())
}

fn settings(sshd: &Sshd, known_hosts: &Path, sudo: bool) -> CollectSettings {
    let mut s = CollectSettings::default();
    s.collect.connect_timeout = Duration::from_secs(3);
    s.collect.host_timeout = Duration::from_secs(30);
    s.collect.skip = builtin_names()
        .into_iter()
        .filter(|n| !ROOT_BUILTINS.contains(&n.as_str()))
        .collect();
    let (secret, open) = files(sshd);
    s.collect.files = vec![secret, open];
    s.ssh.known_hosts = Some(known_hosts.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(sshd.dir.path().join("no_ssh_config"));
    s.ssh.identity_files = vec![sshd.client_key.clone()];
    s.probes = vec![
        ProbeConfig {
            name: "root.uid".into(),
            category: Category::Config,
            command: "id -u".into(),
            parser: ParserKind::Text,
            key: None,
            needs_root: true,
        },
        ProbeConfig {
            name: "login".into(),
            category: Category::Config,
            command: "id -un".into(),
            parser: ParserKind::Text,
            key: None,
            needs_root: false,
        },
    ];
    if sudo {
        s.sudo = SudoRules::default();
        s.sudo.allow_environment("prod");
    }
    s
}

fn collect(sshd: &Sshd, user: &str, sudo: bool) -> driftscope::model::Snapshot {
    let known = sshd.dir.path().join("known_hosts");
    std::fs::write(&known, sshd.known_hosts_line()).unwrap();
    let home = tempfile::tempdir().unwrap();
    let options = CollectOptions {
        home: Some(home.path().to_path_buf()),
        use_agent: false,
        ..CollectOptions::default()
    };
    let c = Collector::new(
        None,
        &settings(sshd, &known, sudo),
        WorkspaceKey::from_bytes([4; 32]),
        &options,
    )
    .unwrap();
    c.collect(&HostJob {
        environment: "prod".into(),
        host: "db-1".into(),
        target: Target::Ssh(format!("{user}@127.0.0.1:{}", sshd.port)),
    })
    .unwrap_or_else(|e| panic!("{e}\n{}", sshd.log()))
    .snapshot
}

#[test]
fn sudo_runs_root_probes_when_allowed_and_records_them_unavailable_when_refused() {
    let Some(()) = users() else { return };
    let Some(sshd) = Sshd::start_with(&SshdSetup {
        extra_users: vec![NOPASSWD_USER.into(), PASSWORD_USER.into()],
        ..SshdSetup::default()
    }) else {
        return;
    };
    // The other users read the shared authorized_keys file.
    run("chmod", &["0755", &sshd.dir.path().display().to_string()]);
    run(
        "chmod",
        &[
            "0644",
            &sshd
                .dir
                .path()
                .join("authorized_keys")
                .display()
                .to_string(),
        ],
    );
    let text = |s: &str| Some(Value::Text(format!("{s}\n")));

    let allowed = collect(&sshd, NOPASSWD_USER, true);
    assert_eq!(
        allowed.get(Category::Config, "root.uid"),
        text("0").as_ref()
    );
    assert_eq!(
        allowed.get(Category::Config, "login"),
        text(NOPASSWD_USER).as_ref()
    );

    let refused = collect(&sshd, PASSWORD_USER, true);
    assert_eq!(refused.get(Category::Config, "root.uid"), None);
    let error = refused
        .errors
        .iter()
        .find(|e| e.probe == "root.uid")
        .expect("the root probe is recorded");
    assert_eq!(error.message, "unavailable: needs root (sudo -n refused)");
    assert_eq!(
        refused.get(Category::Config, "login"),
        text(PASSWORD_USER).as_ref()
    );

    // Without sudo configured, the same probe runs as the login user.
    let plain = collect(&sshd, NOPASSWD_USER, false);
    let uid = plain.get(Category::Config, "root.uid").expect("uid");
    assert_ne!(uid, &Value::Text("0\n".into()));

    // The built-in root probes and a root-only configured file: read through sudo
    // when allowed, recorded as needing root when refused or not configured. A file
    // the login user can read is read whatever sudo says.
    let (secret, open) = files(&sshd);
    let (secret_key, open_key) = (format!("file:{secret}"), format!("file:{open}"));
    assert_eq!(
        allowed.get(Category::Config, &secret_key),
        text("workers = 8").as_ref()
    );
    let sudoers = allowed
        .get(Category::Config, "file:/etc/sudoers.d/driftscope-test")
        .expect("sudoers.d read as root");
    assert!(
        matches!(sudoers, Value::Text(t) if t.contains(NOPASSWD_USER)),
        "{sudoers:?}"
    );
    assert!(allowed.get(Category::Config, "file:/etc/sudoers").is_some());
    let owner = allowed
        .get(Category::Network, &format!("process:tcp/{}", sshd.port))
        .expect("the sshd's port has its process");
    assert_eq!(owner, &Value::set(["sshd".to_string()]));
    for snapshot in [&allowed, &refused, &plain] {
        assert_eq!(
            snapshot.get(Category::Config, &open_key),
            text("listen = 80").as_ref()
        );
    }
    for probe in ROOT_BUILTINS.iter().copied().chain([secret_key.as_str()]) {
        let message = |s: &driftscope::model::Snapshot| {
            s.errors
                .iter()
                .find(|e| e.probe == probe)
                .map(|e| e.message.clone())
                .unwrap_or_else(|| panic!("{probe} has no error: {:?}", s.errors))
        };
        assert_eq!(
            message(&refused),
            "unavailable: needs root (sudo -n refused)",
            "{probe}"
        );
        assert!(
            message(&plain).contains("ermission denied") || message(&plain).contains("needs root"),
            "{probe}: {}",
            message(&plain)
        );
    }
    assert!(refused.get(Category::Config, &secret_key).is_none());
}
