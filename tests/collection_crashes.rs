//! `driftscope snapshot` killed (SIGKILL) at random points of a real local collection,
//! 100 times: every stored snapshot file parses, nothing is half-written, and no folder of
//! clear-text probe output outlives the runs.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use driftscope::store::load_snapshot_file;

/// The host's probes: a few quick built-ins (the slow package listing left out) and one
/// that writes a clear-text secret to its output folder.
const CONFIG: &str = r#"[environments.dev]
hosts = ["local"]

[collect]
skip = ["packages", "runtimes", "servers", "listening", "routes", "firewall", "systemd", "disks", "mounts", "openssl"]

[[probes]]
name = "app.secret"
category = "config"
parser = "kv"
command = "echo 'API_PASSWORD=clear-text-in-the-output-folder'"
"#;

fn snapshot(root: &Path, tmp: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_driftscope"));
    command
        .current_dir(root)
        .env("TMPDIR", tmp)
        .env("NO_COLOR", "1")
        .args(["snapshot", "dev"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn next(seed: &mut u64, below: u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*seed >> 33) % below.max(1)
}

fn files_under(dir: &Path, into: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, into);
        } else {
            into.push(path);
        }
    }
}

#[test]
fn collections_killed_at_random_points_leave_whole_snapshots_and_no_clear_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(root.join("driftscope.toml"), CONFIG).unwrap();

    let mut seed = std::env::var("DRIFTSCOPE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash test seed: {seed}");

    // How long one whole run takes here, so the kills land all over it: the quickest of
    // three warm runs (the first, cold one can take far longer than the rest).
    assert!(snapshot(&root, &tmp).status().unwrap().success());
    let span = (0..3)
        .map(|_| {
            let started = Instant::now();
            assert!(snapshot(&root, &tmp).status().unwrap().success());
            started.elapsed().as_micros() as u64
        })
        .min()
        .unwrap_or(1)
        .max(1);

    let mut interrupted = 0;
    for _ in 0..100 {
        let mut child = snapshot(&root, &tmp).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(next(&mut seed, span)));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().unwrap_or(());
        child.wait().unwrap();
    }
    eprintln!("{interrupted} of 100 collections killed before they finished");
    assert!(
        interrupted > 50,
        "too few runs were interrupted: {interrupted}"
    );

    // Every snapshot file stored parses; temporary files are hidden and never `*.json`.
    let mut files = Vec::new();
    files_under(&root.join("snapshots"), &mut files);
    let mut stored = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            assert!(name.ends_with(".tmp"), "unexpected hidden file {name}");
            continue;
        }
        load_snapshot_file(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = std::fs::read_to_string(file).unwrap();
        assert!(!text.contains("clear-text-in-the-output-folder"));
        stored += 1;
    }
    assert!(stored >= 1);

    // The probe output folders of killed runs go within moments (their watcher), and the
    // next run clears whatever is left.
    assert!(snapshot(&root, &tmp).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let left = loop {
        let left: Vec<String> = std::fs::read_dir(&tmp)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        if left.is_empty() || Instant::now() > deadline {
            break left;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(left, Vec::<String>::new(), "clear-text folders left behind");
}
