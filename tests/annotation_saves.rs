//! Annotation saves under pressure: many processes saving at once lose nothing, and
//! processes killed (SIGKILL) at random points of a save leave a readable file and no
//! temporary files once the next save has run.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use driftscope::model::{Category, Scalar, Snapshot, Source, Value};
use driftscope::store::{ANNOTATIONS_FILE, Workspace, parse_annotations};
use tempfile::TempDir;

/// Facts that differ between staging and prod.
const FACTS: usize = 24;

/// A workspace whose staging and prod differ in `FACTS` facts, `config/env.K0`…
fn workspace() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let root = dir.path().join("ws");
    std::fs::create_dir_all(root.join("snapshots")).unwrap();
    std::fs::write(
        root.join("driftscope.toml"),
        "[environments.staging]\nhosts = [\"s1\"]\n\n[environments.prod]\nhosts = [\"p1\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("gitconfig"), "[user]\n\tname = Tester\n").unwrap();
    let mut ws = Workspace::open(&root).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap();
    for (env, host, base) in [("staging", "s1", 0), ("prod", "p1", 100)] {
        let mut s = Snapshot::new(env, host, t, Source::Local);
        for i in 0..FACTS {
            s.insert(
                Category::Config,
                format!("env.K{i}"),
                Value::Scalar(Scalar::from((base + i) as i64)),
            );
        }
        ws.store_snapshot(&s).unwrap();
    }
    (dir, root)
}

fn justify(root: &Path, fact: usize) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_driftscope"));
    let gitconfig = root.parent().unwrap().join("gitconfig");
    command
        .current_dir(root)
        .env("GIT_CONFIG_GLOBAL", gitconfig)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .args(["justify", "staging", "prod"])
        .arg(format!("config/env.K{fact}"))
        .args(["--reason", &format!("reason {fact}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn saved_keys(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(ANNOTATIONS_FILE)).unwrap_or_default();
    let records = parse_annotations(&text, ANNOTATIONS_FILE).unwrap();
    records.into_iter().map(|a| a.key.key).collect()
}

fn leftover_temps(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[test]
fn concurrent_writers_lose_no_annotation() {
    let (_dir, root) = workspace();
    const WRITERS: usize = 4;
    // Each writer process annotates its own facts one after another while the others
    // do the same, so saves overlap all the time.
    let writers: Vec<std::thread::JoinHandle<()>> = (0..WRITERS)
        .map(|w| {
            let root = root.clone();
            std::thread::spawn(move || {
                for fact in (w..FACTS).step_by(WRITERS) {
                    let out = justify(&root, fact).output().unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let mut keys = saved_keys(&root);
    keys.sort();
    let mut expected: Vec<String> = (0..FACTS).map(|i| format!("env.K{i}")).collect();
    expected.sort();
    assert_eq!(keys, expected);
    assert!(leftover_temps(&root).is_empty());
}

/// A small deterministic generator, seeded from the clock; the seed is printed so a
/// failing round can be replayed with `DRIFTSCOPE_CRASH_SEED`.
pub struct Lcg(u64);

impl Lcg {
    pub fn from_env_or_clock() -> Lcg {
        let seed = std::env::var("DRIFTSCOPE_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("crash test seed: {seed}");
        Lcg(seed)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn kill_after(mut child: Child, micros: u64) -> bool {
    std::thread::sleep(Duration::from_micros(micros));
    // `kill` is SIGKILL on Unix: no handler runs, exactly like a crash.
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    killed
}

#[test]
fn saves_killed_at_random_points_leave_a_readable_file_and_no_leftovers() {
    let (_dir, root) = workspace();
    let mut rng = Lcg::from_env_or_clock();
    // Find how long one save takes here, so kills land all over it.
    let started = std::time::Instant::now();
    assert!(justify(&root, 0).status().unwrap().success());
    let span = started.elapsed().as_micros() as u64;
    let mut killed = 0;
    for round in 0..100 {
        let fact = 1 + round % (FACTS - 1);
        let child = justify(&root, fact).spawn().unwrap();
        if kill_after(child, rng.below(span * 3 / 2)) {
            killed += 1;
        }
        // Whatever the moment of the kill, the file on disk is whole and parses, and
        // the first record is never lost.
        let keys = saved_keys(&root);
        assert!(keys.contains(&"env.K0".to_string()), "round {round}");
    }
    eprintln!("{killed} of 100 saves killed before they finished");
    assert!(
        killed > 0,
        "no save was interrupted; the kills came too late"
    );
    // The next save clears whatever the killed ones left behind.
    assert!(justify(&root, 0).status().unwrap().success());
    assert_eq!(leftover_temps(&root), Vec::<String>::new());
}
