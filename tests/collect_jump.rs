//! Reaching hosts through bastions and proxies, against real OpenSSH servers in
//! network namespaces where the targets are reachable only through the bastion.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use std::sync::Arc;
use std::time::Duration;

use driftscope::collect::catalogue::builtin_names;
use driftscope::collect::{
    CollectOptions, Collector, EntryOptions, HostJob, Progress, Target, WorkspaceKey,
};
use driftscope::config::CollectSettings;
use driftscope::model::Category;
use support::netlab::{DEEP_ADDRESS, NetLab, TARGET_ADDRESS};

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

fn settings(lab: &NetLab, known_hosts: &Path, config: &Path) -> CollectSettings {
    let mut s = CollectSettings::default();
    s.collect.connect_timeout = Duration::from_secs(5);
    s.collect.host_timeout = Duration::from_secs(60);
    s.collect.skip = builtin_names()
        .into_iter()
        .filter(|n| n != "os-release")
        .collect();
    s.ssh.known_hosts = Some(known_hosts.to_path_buf());
    s.ssh.ignore_user_known_hosts = true;
    s.ssh.config = Some(config.to_path_buf());
    s.ssh.identity_files = vec![lab.client_key.clone()];
    s
}

fn collector(s: &CollectSettings, accept_new: bool) -> Arc<Collector> {
    let home = tempfile::tempdir().unwrap();
    let options = CollectOptions {
        accept_new_host_keys: accept_new,
        home: Some(home.path().to_path_buf()),
        use_agent: false,
        concurrency: None,
        cancel: None,
    };
    Arc::new(Collector::new(None, s, WorkspaceKey::from_bytes([5; 32]), &options).unwrap())
}

fn job(host: &str, target: Target) -> HostJob {
    HostJob {
        environment: "prod".into(),
        host: host.into(),
        target,
    }
}

/// `Host` blocks naming the lab's servers: `bastion`, `target`, `second` (jump2) and
/// `deep`, the last three behind `ProxyJump` as given.
fn lab_hosts(lab: &NetLab, target_jump: &str, deep_jump: &str) -> String {
    format!(
        "Host bastion\n  HostName {}\n  User {user}\n\n\
         Host target\n  HostName {TARGET_ADDRESS}\n  User {user}\n  ProxyJump {target_jump}\n\n\
         Host second\n  HostName {TARGET_ADDRESS}\n  Port 2200\n  User {user}\n  ProxyJump {target_jump}\n\n\
         Host deep\n  HostName {DEEP_ADDRESS}\n  User {user}\n  ProxyJump {deep_jump}\n",
        lab.bastion_address,
        user = lab.bastion.user,
    )
}

/// The host name (`uname -n`) a snapshot says it came from is the lab's, and the
/// snapshot has the `os` probe's facts.
fn assert_collected(outcome: Result<driftscope::collect::Collected, String>, lab: &NetLab) {
    let collected = outcome.unwrap_or_else(|e| {
        panic!(
            "{e}\nbastion log:\n{}\ntarget log:\n{}",
            lab.bastion.log(),
            lab.target.log()
        )
    });
    assert!(
        collected
            .snapshot
            .get(Category::Versions, "os.release")
            .is_some(),
        "{:?}",
        collected.snapshot.errors
    );
}

#[test]
fn proxy_jump_from_ssh_config_shares_one_bastion_login_between_targets() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, &lab_hosts(&lab, "bastion", "bastion"));
    let c = collector(&settings(&lab, &known, &config), false);
    let jobs = vec![
        job("target", Target::Ssh("target".into())),
        job("second", Target::Ssh("second".into())),
    ];
    let mut done = 0;
    for message in c.spawn(jobs) {
        if let Progress::Finished { outcome, .. } = message {
            assert_collected(outcome.map(|b| *b), &lab);
            done += 1;
        }
    }
    assert_eq!(done, 2);
    assert_eq!(lab.target.logins(), 1);
    assert_eq!(lab.jump2.logins(), 1);
    assert_eq!(lab.bastion.logins(), 1, "{}", lab.bastion.log());
}

#[test]
fn a_two_hop_chain_reaches_a_host_only_the_second_hop_sees() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, &lab_hosts(&lab, "bastion", "bastion,second"));
    let c = collector(&settings(&lab, &known, &config), false);
    assert_collected(c.collect(&job("deep", Target::Ssh("deep".into()))), &lab);
    assert_eq!(lab.deep.logins(), 1);
    assert_eq!(lab.jump2.logins(), 1);
    assert_eq!(lab.bastion.logins(), 1);
    // OpenSSH agrees the chain is the way in.
    let out = openssh(&config, &["deep", "true"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn jump_hosts_named_in_driftscope_toml_replace_the_ssh_config() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, "");
    let c = collector(&settings(&lab, &known, &config), false);
    let entry = format!("{}@{TARGET_ADDRESS}", lab.target.user);
    let jump = format!("{}@{}:22", lab.bastion.user, lab.bastion_address);
    assert_collected(
        c.collect(&job(
            "target",
            Target::SshWith {
                entry,
                options: EntryOptions {
                    jump: Some(jump),
                    ..EntryOptions::default()
                },
            },
        )),
        &lab,
    );
    assert_eq!(lab.bastion.logins(), 1);
}

#[test]
fn proxy_command_carries_the_connection_and_reports_its_stderr() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let hosts = format!(
        "Host viacmd\n  HostName {TARGET_ADDRESS}\n  ProxyCommand ssh -F %d -W %h:%p bastion\n\n\
         Host broken\n  HostName {TARGET_ADDRESS}\n  ProxyCommand sh -c 'echo proxy refused %h:%p for %u uid %i >&2; exit 3'\n\n\
         Host oddtoken\n  HostName {TARGET_ADDRESS}\n  ProxyCommand nc %h %p %Z\n\n{}",
        lab_hosts(&lab, "bastion", "bastion")
    );
    let config = ssh_config(&lab, &known, &hosts);
    // No token names the configuration file: write its path.
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("-F %d", &format!("-F {}", config.display()));
    std::fs::write(&config, text).unwrap();
    let c = collector(&settings(&lab, &known, &config), false);
    assert_collected(
        c.collect(&job("viacmd", Target::Ssh("viacmd".into()))),
        &lab,
    );
    assert_eq!(lab.bastion.logins(), 1);
    let err = c
        .collect(&job("broken", Target::Ssh("broken".into())))
        .unwrap_err();
    assert!(err.starts_with("prod/broken: "), "{err}");
    let me = Command::new("id").arg("-un").output().unwrap();
    let uid = Command::new("id").arg("-u").output().unwrap();
    assert!(
        err.contains(&format!(
            "proxy refused {TARGET_ADDRESS}:22 for {} uid {}",
            String::from_utf8_lossy(&me.stdout).trim(),
            String::from_utf8_lossy(&uid.stdout).trim()
        )),
        "{err}"
    );
    let err = c
        .collect(&job("oddtoken", Target::Ssh("oddtoken".into())))
        .unwrap_err();
    assert!(err.starts_with("prod/oddtoken: 'oddtoken': "), "{err}");
    assert!(err.contains("token %Z"), "{err}");
}

#[test]
fn an_unknown_bastion_key_is_refused_and_nothing_reaches_the_target() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.dir().join("only_targets_known");
    std::fs::write(
        &known,
        format!(
            "{}{}",
            lab.target.known_hosts_line(),
            lab.jump2.known_hosts_line()
        ),
    )
    .unwrap();
    let config = ssh_config(&lab, &known, &lab_hosts(&lab, "bastion", "bastion"));
    let c = collector(&settings(&lab, &known, &config), false);
    let err = c
        .collect(&job("target", Target::Ssh("target".into())))
        .unwrap_err();
    assert!(err.contains("jump host"), "{err}");
    assert!(err.contains("unknown host key"), "{err}");
    assert!(err.contains(&lab.bastion.host_fingerprint()), "{err}");
    assert_eq!(lab.bastion.logins(), 0);
    assert_eq!(lab.target.logins(), 0);
    // OpenSSH refuses too.
    assert!(!openssh(&config, &["target", "true"]).status.success());
}

#[test]
fn include_and_match_resolve_as_ssh_g_does() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let included = lab.dir().join("included_config");
    std::fs::write(
        &included,
        format!(
            "Host bastion\n  HostName {}\n  User {}\n",
            lab.bastion_address, lab.bastion.user
        ),
    )
    .unwrap();
    let hosts = format!(
        "Include {}\n\nMatch originalhost app-* !host app-skip\n  HostName {TARGET_ADDRESS}\n  ProxyJump bastion\n  User {}\n",
        included.display(),
        lab.target.user
    );
    let config = ssh_config(&lab, &known, &hosts);
    let c = collector(&settings(&lab, &known, &config), false);
    assert_collected(c.collect(&job("app-1", Target::Ssh("app-1".into()))), &lab);
    assert_eq!(lab.bastion.logins(), 1);
    let ours = c.collect(&job("app-skip", Target::Ssh("app-skip".into())));
    let theirs = openssh(&config, &["-o", "ConnectTimeout=2", "app-skip", "true"]);
    assert!(ours.is_err() && !theirs.status.success());
}

/// Plans `environment` (as written in driftscope.toml) and collects every host.
fn collect_environment(lab: &NetLab, toml_text: &str) -> Vec<String> {
    let known = lab.known_hosts();
    // The SSH config gives the key for the bastion only: the targets' key comes
    // from the inventory alone (as with `ssh -i key -J bastion`).
    let config = lab.dir().join("config_bastion_key_only");
    std::fs::write(
        &config,
        format!(
            "Host {}\n  IdentityFile {}\n\nHost *\n  BatchMode yes\n  UserKnownHostsFile {}\n",
            lab.bastion_address,
            lab.client_key.display(),
            known.display()
        ),
    )
    .unwrap();
    let envs: std::collections::BTreeMap<String, driftscope::config::EnvironmentConfig> =
        toml::from_str(toml_text).unwrap();
    let jobs = driftscope::collect::plan_at(
        Some(lab.dir()),
        &envs,
        &driftscope::collect::Selection {
            environments: vec!["prod".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let mut s = settings(lab, &known, &config);
    s.ssh.identity_files.clear();
    let c = collector(&s, false);
    let mut hosts = Vec::new();
    for message in c.spawn(jobs) {
        if let Progress::Finished { label, outcome, .. } = message {
            assert_collected(outcome.map(|b| *b), lab);
            hosts.push(label);
        }
    }
    hosts.sort();
    hosts
}

#[test]
fn an_ini_inventory_supplies_hosts_users_keys_and_the_bastion() {
    let Some(lab) = NetLab::start() else { return };
    std::fs::write(
        lab.dir().join("hosts.ini"),
        format!(
            "[web]\ntarget ansible_host={TARGET_ADDRESS}\nsecond ansible_host={TARGET_ADDRESS} ansible_port=2200\n\n\
             [other]\nelsewhere ansible_host=203.0.113.9\n\n\
             [web:vars]\nansible_user={}\nansible_ssh_private_key_file={}\n\
             ansible_ssh_common_args='-J {}@{}'\n",
            lab.target.user,
            lab.client_key.display(),
            lab.bastion.user,
            lab.bastion_address
        ),
    )
    .unwrap();
    let hosts = collect_environment(
        &lab,
        "[prod]\ninventory = 'hosts.ini'\ninventory_group = 'web'\n",
    );
    assert_eq!(hosts, ["prod/second", "prod/target"]);
    assert_eq!(lab.bastion.logins(), 1);
}

#[test]
fn a_yaml_inventory_with_a_host_range_goes_through_the_bastion() {
    let Some(lab) = NetLab::start() else { return };
    std::fs::write(
        lab.dir().join("hosts.yml"),
        format!(
            "all:\n  children:\n    app:\n      hosts:\n        app-[1:2]:\n          ansible_host: {TARGET_ADDRESS}\n      \
             vars:\n        ansible_user: {}\n        ansible_ssh_private_key_file: {}\n        \
             ansible_ssh_common_args: -o ProxyJump={}@{}\n",
            lab.target.user,
            lab.client_key.display(),
            lab.bastion.user,
            lab.bastion_address
        ),
    )
    .unwrap();
    let hosts = collect_environment(&lab, "[prod]\ninventory = 'hosts.yml'\n");
    assert_eq!(hosts, ["prod/app-1", "prod/app-2"]);
    assert_eq!(lab.bastion.logins(), 1);
    assert_eq!(lab.target.logins(), 2);
}

#[test]
fn a_host_entry_names_its_own_jump_chain_in_driftscope_toml() {
    let Some(lab) = NetLab::start() else { return };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, "");
    let user = &lab.target.user;
    let bastion = format!("{}@{}", lab.bastion.user, lab.bastion_address);
    // The environment's jump host does not exist; each entry names its own way in:
    // one hop for the target, a two-hop chain for the host only jump2 sees.
    let text = format!(
        "[prod]\njump = 'nobody@203.0.113.77'\nhosts = [\n  \
         {{ host = '{user}@{TARGET_ADDRESS}', jump = '{bastion}' }},\n  \
         {{ host = '{user}@{DEEP_ADDRESS}', jump = '{bastion},{user}@{TARGET_ADDRESS}:2200' }},\n]\n"
    );
    let envs: std::collections::BTreeMap<String, driftscope::config::EnvironmentConfig> =
        toml::from_str(&text).unwrap();
    let jobs = driftscope::collect::plan(
        &envs,
        &driftscope::collect::Selection {
            environments: vec!["prod".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let c = collector(&settings(&lab, &known, &config), false);
    let mut hosts = Vec::new();
    for message in c.spawn(jobs) {
        if let Progress::Finished { label, outcome, .. } = message {
            assert_collected(outcome.map(|b| *b), &lab);
            hosts.push(label);
        }
    }
    hosts.sort();
    assert_eq!(
        hosts,
        [
            format!("prod/{TARGET_ADDRESS}"),
            format!("prod/{DEEP_ADDRESS}")
        ]
    );
    assert_eq!(lab.target.logins(), 1);
    assert_eq!(lab.jump2.logins(), 1);
    assert_eq!(lab.deep.logins(), 1);
    // Both routes start at the bastion, and share its one session.
    assert_eq!(lab.bastion.logins(), 1, "{}", lab.bastion.log());
}

#[test]
fn a_bastion_session_that_died_is_reopened_for_the_next_host() {
    let Some(mut lab) = NetLab::start() else {
        return;
    };
    let known = lab.known_hosts();
    let config = ssh_config(&lab, &known, &lab_hosts(&lab, "bastion", "bastion"));
    let c = collector(&settings(&lab, &known, &config), false);
    assert_collected(
        c.collect(&job("target", Target::Ssh("target".into()))),
        &lab,
    );
    assert_eq!(lab.bastion.logins(), 1);
    // The bastion's sshd restarts: the shared session dies with it.
    lab.bastion.restart();
    assert_collected(
        c.collect(&job("second", Target::Ssh("second".into()))),
        &lab,
    );
    assert_eq!(lab.bastion.logins(), 2, "{}", lab.bastion.log());
    // The new session is shared again.
    assert_collected(
        c.collect(&job("target", Target::Ssh("target".into()))),
        &lab,
    );
    assert_eq!(lab.bastion.logins(), 2, "{}", lab.bastion.log());
}
