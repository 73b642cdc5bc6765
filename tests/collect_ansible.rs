//! Ansible as the collection engine, with a real ansible-core (`DRIFTSCOPE_ANSIBLE_PLAYBOOK`
//! names its `ansible-playbook`; `.ci/run` installs it into a virtual environment) against
//! real sshd instances on 127.0.0.1: two environments, one host unreachable, one host
//! Ansible cannot run modules on; what Ansible collects must equal, fact for fact, what
//! driftscope collects directly from the same hosts.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;
mod support;

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use driftscope::model::{Snapshot, Source};
use driftscope::store::Workspace;
use support::sshd::{Sshd, SshdSetup, unavailable};

/// The `ansible-playbook` to test with, or `None` (skip) when it is not installed.
fn ansible_playbook() -> Option<PathBuf> {
    let Some(path) = std::env::var_os("DRIFTSCOPE_ANSIBLE_PLAYBOOK").map(PathBuf::from) else {
        return unavailable(
            "DRIFTSCOPE_ANSIBLE_PLAYBOOK is not set (`.ci/run` installs ansible-core and sets it)",
        );
    };
    if !path.is_file() {
        return unavailable(&format!("{} does not exist", path.display()));
    }
    Some(path)
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

struct Lab {
    dir: tempfile::TempDir,
    program: PathBuf,
    _servers: [Sshd; 2],
}

/// Probes whose output does not change between two runs a few seconds apart on this
/// machine (listening ports and their processes, mounts and free disk space do), plus
/// probes of our own: one that fails, one that prints bytes that are not UTF-8, one that
/// prints a secret.
const CONFIG: &str = r#"
[environments.staging]
inventory = "staging.ini"
via = "ansible"
ansible_args = ["--become"]

[environments.prod]
inventory = "prod.ini"
inventory_group = "web"

[collect]
skip = ["runtimes", "servers", "packages", "listening", "listening-processes", "routes", "firewall", "memory", "disks", "mounts", "systemd"]
connect_timeout = "5s"
host_timeout = "60s"

[ssh]
known_hosts = "known_hosts"
ignore_user_known_hosts = true
config = "no_ssh_config"

[[probes]]
name = "broken"
category = "config"
command = "echo 'it broke' >&2; exit 3"
parser = "text"

[[probes]]
name = "bytes"
category = "config"
command = "printf 'caf\\351 \\377\\000end\\n'"
parser = "text"

[[probes]]
name = "app"
category = "config"
command = "printf 'API_TOKEN=s3cr3t-token\\nMODE=blue\\n'"
parser = "kv"
"#;

fn host_line(name: &str, server: &Sshd, extra: &str) -> String {
    format!(
        "{name} ansible_host=127.0.0.1 ansible_port={} ansible_user={} ansible_ssh_private_key_file={} {extra}\n",
        server.port,
        server.user,
        server.client_key.display()
    )
}

fn lab() -> Option<Lab> {
    let program = ansible_playbook()?;
    let a = Sshd::start()?;
    let b = Sshd::start_with(&SshdSetup::default())?;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("driftscope.toml"), CONFIG).unwrap();
    fs::write(
        root.join("known_hosts"),
        format!("{}{}", a.known_hosts_line(), b.known_hosts_line()),
    )
    .unwrap();
    let ssh_args = format!(
        "ansible_ssh_common_args='-o UserKnownHostsFile={} -o StrictHostKeyChecking=yes'\n\
         ansible_python_interpreter=/usr/bin/python3\n",
        root.join("known_hosts").display()
    );
    fs::write(
        root.join("staging.ini"),
        format!(
            "[app]\n{}\n[all:vars]\n{ssh_args}",
            host_line("stage-1", &a, "")
        ),
    )
    .unwrap();
    fs::write(
        root.join("prod.ini"),
        [
            "[web]\n".to_string(),
            host_line("web-1", &a, ""),
            host_line("web-2", &b, ""),
            format!(
                "web-down ansible_host=127.0.0.1 ansible_port={} ansible_user=root\n",
                closed_port()
            ),
            host_line(
                "web-nopython",
                &b,
                "ansible_python_interpreter=/nonexistent/python3",
            ),
            format!("\n[all:vars]\n{ssh_args}"),
        ]
        .concat(),
    )
    .unwrap();
    Some(Lab {
        dir,
        program,
        _servers: [a, b],
    })
}

impl Lab {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> cli_support::Run {
        let output = assert_cmd::Command::cargo_bin("driftscope")
            .unwrap()
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .env("DRIFTSCOPE_ANSIBLE_PLAYBOOK", &self.program)
            .env("ANSIBLE_LOCAL_TEMP", self.root().join(".ansible-tmp"))
            .args(args)
            .output()
            .unwrap();
        cli_support::Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// The stored snapshots of `env`, by host, then source kind.
    fn stored(&self, env: &str) -> BTreeMap<(String, &'static str), Vec<Snapshot>> {
        let workspace = Workspace::open(self.root()).unwrap();
        let mut out: BTreeMap<(String, &'static str), Vec<Snapshot>> = BTreeMap::new();
        for meta in workspace.history.of_environment(env) {
            let snap = workspace.load(meta).unwrap();
            let kind = match snap.source {
                Source::Ansible => "ansible",
                Source::Ssh { .. } => "ssh",
                Source::Import { .. } => "import",
                _ => "other",
            };
            out.entry((snap.host.clone(), kind)).or_default().push(snap);
        }
        out
    }
}

/// Asserts that two snapshots of one host hold the same facts and probe errors.
fn assert_same_facts(direct: &Snapshot, other: &Snapshot) {
    assert_eq!(
        (&direct.environment, &direct.host),
        (&other.environment, &other.host)
    );
    assert!(direct.fact_count() > 10, "{}", direct.to_json());
    assert_eq!(direct.facts, other.facts, "{} facts differ", direct.host);
    assert_eq!(direct.errors, other.errors, "{} errors differ", direct.host);
}

#[test]
fn ansible_collects_what_ssh_collects_and_names_the_hosts_it_could_not() {
    let Some(lab) = lab() else { return };
    let direct = lab.run(&["snapshot", "staging", "prod", "--via", "ssh"]);
    assert_eq!(direct.code, 1, "{}\n{}", direct.stdout, direct.stderr);

    // staging goes through Ansible by its setting (with `--become`); prod by the flag.
    let staging = lab.run(&["snapshot", "staging"]);
    assert_eq!(staging.code, 0, "{}\n{}", staging.stdout, staging.stderr);
    assert!(
        staging.stderr.contains("through ansible-playbook"),
        "{}",
        staging.stderr
    );
    let prod = lab.run(&["snapshot", "prod", "--via", "ansible", "-j", "4"]);
    assert_eq!(prod.code, 1, "{}\n{}", prod.stdout, prod.stderr);
    assert!(
        prod.stdout.contains("stored prod/web-1 "),
        "{}",
        prod.stdout
    );
    assert!(
        prod.stdout.contains("stored prod/web-2 "),
        "{}",
        prod.stdout
    );
    let down = prod
        .stdout
        .lines()
        .find(|l| l.starts_with("failed prod/web-down: unreachable"))
        .unwrap_or_else(|| panic!("{}", prod.stdout));
    assert!(down.contains("Connection refused"), "{down}");
    let nopython = prod
        .stdout
        .lines()
        .find(|l| l.starts_with("failed prod/web-nopython: failed"))
        .unwrap_or_else(|| panic!("{}", prod.stdout));
    assert!(nopython.contains("/nonexistent/python3"), "{nopython}");
    assert!(
        prod.stderr.contains("2 of 4 hosts of prod collected"),
        "{}",
        prod.stderr
    );

    for (env, hosts) in [
        ("staging", &["stage-1"][..]),
        ("prod", &["web-1", "web-2"][..]),
    ] {
        let stored = lab.stored(env);
        for host in hosts {
            let via_ssh = &stored[&(host.to_string(), "ssh")];
            let via_ansible = &stored[&(host.to_string(), "ansible")];
            assert_eq!((via_ssh.len(), via_ansible.len()), (1, 1));
            assert_same_facts(&via_ssh[0], &via_ansible[0]);
            let snap = &via_ansible[0];
            assert_eq!(snap.source, Source::Ansible);
            let json = snap.to_json();
            assert!(!json.contains("s3cr3t-token"), "{json}");
            assert!(
                json.contains("caf\\ufffd \\ufffd\\u0000end") || json.contains("caf� �"),
                "{json}"
            );
            assert!(snap.errors.iter().any(|e| e.probe == "broken"
                && e.exit_status == Some(3)
                && e.message.contains("it broke")));
        }
    }
    // The host Ansible could not run modules on was collected directly, not via Ansible.
    let prod_stored = lab.stored("prod");
    assert!(prod_stored.contains_key(&("web-nopython".to_string(), "ssh")));
    assert!(!prod_stored.contains_key(&("web-nopython".to_string(), "ansible")));
    assert!(!prod_stored.keys().any(|(h, _)| h == "web-down"));
}

#[test]
fn the_printed_playbook_run_by_hand_imports_to_the_same_snapshots() {
    let Some(lab) = lab() else { return };
    let printed = lab.run(&["ansible-playbook", "staging"]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert!(
        printed
            .stdout
            .contains("# Import: driftscope import ansible-output DIR --env staging")
    );
    let playbook = lab.root().join("driftscope.yml");
    fs::write(&playbook, &printed.stdout).unwrap();
    let output = lab.root().join("fetched");
    let status = std::process::Command::new(&lab.program)
        .current_dir(lab.root())
        .env("ANSIBLE_LOCAL_TEMP", lab.root().join(".ansible-tmp"))
        .args(["-i", "staging.ini", "driftscope.yml", "-e"])
        .arg(format!("driftscope_output={}", output.display()))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    let imported = lab.run(&["import", "ansible-output", "fetched", "--env", "staging"]);
    assert_eq!(imported.code, 0, "{}\n{}", imported.stdout, imported.stderr);
    assert!(
        imported.stdout.starts_with("stored staging/stage-1 "),
        "{}",
        imported.stdout
    );
    let again = lab.run(&["import", "ansible-output", "fetched", "--env", "staging"]);
    assert!(
        again.stdout.starts_with("unchanged staging/stage-1"),
        "{}",
        again.stdout
    );

    let direct = lab.run(&["snapshot", "staging", "--via", "ssh"]);
    assert_eq!(direct.code, 0, "{}\n{}", direct.stdout, direct.stderr);
    let stored = lab.stored("staging");
    let host = "stage-1".to_string();
    assert_same_facts(
        &stored[&(host.clone(), "ssh")][0],
        &stored[&(host, "ansible")][0],
    );
}

/// A workspace whose `prod` goes through Ansible with `ansible_args`, on one host.
fn small_workspace(ansible_args: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("driftscope.toml"),
        format!(
            "[environments.prod]\ninventory = \"prod.ini\"\nvia = \"ansible\"\n\
             ansible_args = {ansible_args}\n\
             [collect]\nskip = [\"runtimes\", \"servers\", \"packages\"]\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("prod.ini"),
        "[all]\nweb-1\nweb-2\n[all:vars]\nansible_connection=local\n\
         ansible_python_interpreter=/usr/bin/python3\n",
    )
    .unwrap();
    dir
}

fn run_with_program(dir: &Path, program: &Path, args: &[&str]) -> cli_support::Run {
    let output = assert_cmd::Command::cargo_bin("driftscope")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DRIFTSCOPE_ANSIBLE_PLAYBOOK", program)
        .env("ANSIBLE_LOCAL_TEMP", dir.join(".ansible-tmp"))
        .args(args)
        .output()
        .unwrap();
    cli_support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn a_missing_ansible_playbook_is_named_with_the_fix_and_nothing_is_stored() {
    let dir = small_workspace("[]");
    let run = run_with_program(
        dir.path(),
        Path::new("/nonexistent/ansible-playbook"),
        &["snapshot", "prod"],
    );
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("cannot run /nonexistent/ansible-playbook: ")
            && run.stderr.contains("DRIFTSCOPE_ANSIBLE_PLAYBOOK"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("snapshots").join("prod").exists());
}

#[test]
fn ansible_playbook_refusing_to_run_is_an_error_quoting_it() {
    let Some(program) = ansible_playbook() else {
        return;
    };
    let dir = small_workspace("[\"--no-such-option\"]");
    let run = run_with_program(dir.path(), &program, &["snapshot", "prod"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .contains("environment 'prod': ansible-playbook ran no host: ")
            && run.stderr.contains("--no-such-option"),
        "{}",
        run.stderr
    );
}

#[test]
fn hosts_the_play_left_out_are_listed_as_not_collected() {
    let Some(program) = ansible_playbook() else {
        return;
    };
    let dir = small_workspace("[\"--limit\", \"web-1\"]");
    let run = run_with_program(dir.path(), &program, &["snapshot", "prod"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("stored prod/web-1 "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "failed prod/web-2: ansible-playbook did not run the probe script on it (the play \
             left it out: a --limit, or a host pattern without it)"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn ansible_opens_the_vault_it_is_given() {
    let Some(program) = ansible_playbook() else {
        return;
    };
    let dir = small_workspace(
        "[\"--limit\", \"web-1\", \"--vault-password-file\", \"vault-pass.txt\", \"-e\", \"@vault.yml\"]",
    );
    // The inventory names a Python that does not exist; only the vaulted extra variable,
    // which overrides it, names the real one.
    fs::write(
        dir.path().join("prod.ini"),
        "web-1 ansible_connection=local ansible_python_interpreter=/nonexistent/python3\n",
    )
    .unwrap();
    fs::write(dir.path().join("vault-pass.txt"), "driftscope-test\n").unwrap();
    fs::write(
        dir.path().join("vault.yml"),
        "ansible_python_interpreter: /usr/bin/python3\n",
    )
    .unwrap();
    let vault = program.with_file_name("ansible-vault");
    let encrypted = std::process::Command::new(&vault)
        .current_dir(dir.path())
        .args([
            "encrypt",
            "--vault-password-file",
            "vault-pass.txt",
            "vault.yml",
        ])
        .output()
        .unwrap();
    assert!(
        encrypted.status.success(),
        "{}",
        String::from_utf8_lossy(&encrypted.stderr)
    );
    assert!(
        fs::read_to_string(dir.path().join("vault.yml"))
            .unwrap()
            .starts_with("$ANSIBLE_VAULT;")
    );
    let run = run_with_program(dir.path(), &program, &["snapshot", "prod"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("stored prod/web-1 "),
        "{}",
        run.stdout
    );
}
