//! `driftscope snapshot` end to end: a workspace on disk, hosts over SSH and locally,
//! snapshots stored, and no planted secret anywhere in what was written or printed.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use driftscope::commands::Outcome;
use std::fs;
use std::path::Path;

use driftscope::commands::snapshot::{SnapshotArgs, run};
use driftscope::model::{Category, Value};
use driftscope::store::{Workspace, load_snapshot_file};
use support::sshd::Sshd;

/// Every planted secret: none may appear in any file or output.
const PLANTED: &[&str] = &[
    "PLANTED_PW_1",
    "PLANTED_URLPW_2",
    "PLANTED_TOKEN_3",
    "PLANTED_STDERR_4",
    "PLANTED_CUSTOM_5",
    "PLANTED_CONF_6",
    "PLANTEDKEYBODY7",
    "PLANTED_URL_8",
];

fn write_secrets(dir: &Path) {
    fs::write(
        dir.join("app.env"),
        "LOG_LEVEL=warn\nDB_PASSWORD=PLANTED_PW_1\n\
         DATABASE_URL=postgres://app:PLANTED_URLPW_2@db.internal:5432/app\n\
         CUSTOM_SETTING=PLANTED_CUSTOM_5\n",
    )
    .unwrap();
    fs::write(
        dir.join("app.conf"),
        "workers = 8\npassword = PLANTED_CONF_6\n\
         -----BEGIN PRIVATE KEY-----\nPLANTEDKEYBODY7\n-----END PRIVATE KEY-----\n\
         upstream = https://svc:PLANTED_URL_8@api.internal/v1\n",
    )
    .unwrap();
}

fn workspace_toml(files: &Path, ssh_entry: Option<&str>, client_key: Option<&Path>) -> String {
    let mut text = String::from("[environments.dev]\nhosts = [\"local\"]\n\n");
    if let Some(entry) = ssh_entry {
        text.push_str(&format!("[environments.prod]\nhosts = [\"{entry}\"]\n\n"));
    }
    text.push_str(&format!(
        "[collect]\nconnect_timeout = \"2s\"\nhost_timeout = \"60s\"\nskip = [\"packages\"]\n\
         files = [\"{f}/app.conf\"]\nenv_files = [\"{f}/app.env\"]\n\n\
         [ssh]\nknown_hosts = \"known_hosts\"\nignore_user_known_hosts = true\nconfig = \"no_ssh_config\"\n",
        f = files.display()
    ));
    if let Some(key) = client_key {
        text.push_str(&format!("identity_files = [\"{}\"]\n", key.display()));
    }
    text.push_str(
        "\n[secrets]\nkeys = [\"CUSTOM_SETTING\"]\n\n\
         [[probes]]\nname = \"app\"\ncategory = \"config\"\n\
         command = \"printf 'mode=prod\\\\napi_token=PLANTED_TOKEN_3\\\\n'\"\nparser = \"kv\"\n\n\
         [[probes]]\nname = \"leaky\"\ncategory = \"config\"\n\
         command = \"echo 'connect failed: password=PLANTED_STDERR_4' >&2; exit 2\"\nparser = \"text\"\n",
    );
    text
}

fn run_snapshot(ws: &mut Workspace, args: SnapshotArgs) -> (Outcome, String) {
    let mut out = Vec::new();
    let mut progress = Vec::new();
    let code = run(ws, &args, &mut out, &mut progress).unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8(out).unwrap(),
        String::from_utf8(progress).unwrap()
    );
    (code, text)
}

/// Every file under `dir`, recursively.
fn all_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(all_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn stored(root: &Path, env: &str) -> Vec<driftscope::model::Snapshot> {
    all_files(&root.join("snapshots").join(env))
        .iter()
        .map(|p| load_snapshot_file(p).unwrap())
        .collect()
}

#[test]
fn local_collection_stores_a_snapshot_of_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    write_secrets(files.path());
    fs::write(
        dir.path().join("driftscope.toml"),
        workspace_toml(files.path(), None, None),
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let args = SnapshotArgs {
        local: true,
        no_agent: true,
        ..SnapshotArgs::default()
    };
    let (code, output) = run_snapshot(&mut ws, args);
    assert_eq!(code, Outcome::Success, "{output}");
    assert!(
        output.contains("stored local/local snapshots/local/local/"),
        "{output}"
    );
    let snaps = stored(dir.path(), "local");
    assert_eq!(snaps.len(), 1);
    let snap = &snaps[0];
    assert!(snap.get(Category::Versions, "kernel").is_some());
    assert_eq!(
        snap.get(Category::Config, "env.LOG_LEVEL"),
        Some(&Value::string("warn"))
    );
    assert_eq!(
        snap.get(Category::Config, "app.mode"),
        Some(&Value::string("prod"))
    );
    assert!(
        snap.errors
            .iter()
            .any(|e| e.probe == "leaky" && e.exit_status == Some(2))
    );
    // The workspace key exists, private, and out of git.
    assert!(dir.path().join(".driftscope/key").exists());
    assert!(
        fs::read_to_string(dir.path().join(".driftscope/.gitignore"))
            .unwrap()
            .contains('*')
    );
}

#[test]
fn planted_secrets_reach_no_file_and_no_output() {
    let Some(sshd) = Sshd::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    write_secrets(files.path());
    let toml = workspace_toml(files.path(), Some(&sshd.entry()), Some(&sshd.client_key));
    fs::write(dir.path().join("driftscope.toml"), toml).unwrap();
    fs::write(dir.path().join("known_hosts"), sshd.known_hosts_line()).unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let args = SnapshotArgs {
        all: true,
        no_agent: true,
        ..SnapshotArgs::default()
    };
    let (code, output) = run_snapshot(&mut ws, args);
    assert_eq!(
        code,
        Outcome::Success,
        "{output}\nsshd log:\n{}",
        sshd.log()
    );
    let (dev, prod) = (stored(dir.path(), "dev"), stored(dir.path(), "prod"));
    assert_eq!((dev.len(), prod.len()), (1, 1), "{output}");

    // Secrets are fingerprints, and equal secrets still compare equal across hosts.
    for key in ["env.DB_PASSWORD", "env.CUSTOM_SETTING", "app.api_token"] {
        let d = dev[0].get(Category::Config, key);
        assert!(matches!(d, Some(Value::Redacted(_))), "{key}: {d:?}");
        assert_eq!(d, prod[0].get(Category::Config, key), "{key}");
    }
    let url = prod[0]
        .get(Category::Config, "env.DATABASE_URL")
        .unwrap()
        .summary();
    assert!(
        url.starts_with("postgres://app:hmac-sha256:") && url.ends_with("@db.internal:5432/app"),
        "{url}"
    );

    // Nothing written or printed holds a planted secret.
    let mut written = output.clone();
    // driftscope.toml is this test's input (a probe's command holds a planted token).
    for file in all_files(dir.path())
        .into_iter()
        .filter(|f| !f.ends_with("driftscope.toml"))
    {
        written.push_str(&String::from_utf8_lossy(&fs::read(&file).unwrap()));
    }
    assert!(written.contains("hmac-sha256:"));
    for secret in PLANTED {
        assert!(!written.contains(secret), "{secret} leaked");
    }
}

#[test]
fn a_failed_host_makes_the_command_fail_but_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    fs::write(
        dir.path().join("driftscope.toml"),
        format!(
            "[environments.dev]\nhosts = [\"local\", \"root@127.0.0.1:{closed}\"]\n\n\
             [collect]\nconnect_timeout = \"1s\"\nskip = [\"packages\"]\n\n\
             [ssh]\nignore_user_known_hosts = true\nconfig = \"none\"\n"
        ),
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let args = SnapshotArgs {
        environments: vec!["dev".into()],
        no_agent: true,
        ..SnapshotArgs::default()
    };
    let (code, output) = run_snapshot(&mut ws, args);
    assert_eq!(code, Outcome::Incomplete, "{output}");
    assert!(output.contains("stored dev/local"), "{output}");
    assert!(
        output.contains(&format!("failed dev/127.0.0.1:{closed}: ")),
        "{output}"
    );
    assert!(output.contains("1 of 2 hosts collected"), "{output}");
    assert_eq!(stored(dir.path(), "dev").len(), 1);
}

#[test]
fn an_unknown_environment_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.dev]\nhosts = [\"local\"]\n",
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let args = SnapshotArgs {
        environments: vec!["prod".into()],
        ..SnapshotArgs::default()
    };
    let err = run(&mut ws, &args, &mut Vec::new(), &mut Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown environment 'prod' (driftscope.toml declares: dev)"
    );
}

#[test]
fn background_collection_for_the_tui_reports_each_host() {
    use driftscope::collect::{CollectOptions, Progress, Selection, start};
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("driftscope.toml"),
        "[environments.dev]\nhosts = [\"local\"]\n\n[collect]\nskip = [\"packages\"]\n",
    )
    .unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let selection = Selection {
        environments: vec!["dev".into()],
        ..Selection::default()
    };
    let options = CollectOptions {
        use_agent: false,
        ..CollectOptions::default()
    };
    let (jobs, progress) = start(
        ws.root.clone().unwrap().as_path(),
        &ws.config,
        &selection,
        &options,
    )
    .unwrap();
    assert_eq!(jobs.len(), 1);
    let mut started = 0;
    let mut snapshots = Vec::new();
    for message in progress {
        match message {
            Progress::Started { index, .. } => {
                assert_eq!(index, 0);
                started += 1;
            }
            Progress::Finished { outcome, .. } => snapshots.push(outcome.unwrap().snapshot),
        }
    }
    assert_eq!((started, snapshots.len()), (1, 1));
    let path = ws.store_snapshot(&snapshots[0]).unwrap();
    assert!(path.starts_with(dir.path().join("snapshots/dev/local")));
}

#[test]
fn a_cancelled_collection_stops_its_hosts_scripts_at_once() {
    use driftscope::collect::{CollectOptions, Progress, Selection, start};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    // A probe that would run for a minute, recognisable by its odd argument.
    let marker = format!("{}.{}", 50 + std::process::id() % 9, std::process::id());
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("driftscope.toml"),
        format!(
            "[environments.dev]\nhosts = [\"local\"]\n\n[collect]\nhost_timeout = \"120s\"\n\
             probe_timeout = \"90s\"\n\n[[probes]]\nname = \"slow\"\ncategory = \"config\"\n\
             command = \"sleep {marker}\"\nparser = \"text\"\n"
        ),
    )
    .unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let options = CollectOptions {
        use_agent: false,
        cancel: Some(cancel.clone()),
        ..CollectOptions::default()
    };
    let selection = Selection {
        environments: vec!["dev".into()],
        ..Selection::default()
    };
    let (_, progress) = start(
        ws.root.clone().unwrap().as_path(),
        &ws.config,
        &selection,
        &options,
    )
    .unwrap();
    let running = || {
        fs::read_dir("/proc").unwrap().flatten().any(|entry| {
            fs::read(entry.path().join("cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&format!("sleep\0{marker}")))
        })
    };
    let waited = Instant::now();
    while !running() {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the probe never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let cancelled_at = Instant::now();
    cancel.store(true, Ordering::SeqCst);
    let mut outcomes = Vec::new();
    for message in progress {
        if let Progress::Finished { outcome, .. } = message {
            outcomes.push(outcome.map(|_| ()));
        }
    }
    assert!(
        cancelled_at.elapsed() < Duration::from_secs(5),
        "stopped at once"
    );
    assert_eq!(outcomes, [Err("dev/local: cancelled".to_string())]);
    let gone = Instant::now();
    while running() {
        assert!(
            gone.elapsed() < Duration::from_secs(5),
            "the probe was left running"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
