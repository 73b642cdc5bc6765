//! `driftscope diff A B --format json` against GNU `diff A B` on the same two files.
//!
//! For each size (100,000 and 1,000,000 facts by default), two synthetic snapshot files
//! with 2% of their facts changed are written to a temporary folder; then the release
//! `driftscope` binary and GNU `diff` run several times, alternately (output to a file in
//! the same folder), and the best time of each is printed with their ratio (driftscope
//! over GNU diff: below 1.0 means driftscope is the faster).
//!
//! `cargo bench --bench gnu_diff [-- [--runs N] [FACTS…]]`; needs GNU `diff` on the
//! `PATH` and skips with a message without it.

// Bench code: a failed unwrap, expect or panic stops the run with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use driftscope::demo::synthetic;

/// The share of facts that differ between the two files.
const DRIFT_PERCENT: u32 = 2;
/// Runs of each program per size when `--runs` is not given.
const DEFAULT_RUNS: usize = 5;
/// Sizes, in facts per file, when none is given.
const DEFAULT_SIZES: [usize; 2] = [100_000, 1_000_000];

struct Options {
    runs: usize,
    sizes: Vec<usize>,
}

fn options() -> Options {
    let mut runs = DEFAULT_RUNS;
    let mut sizes = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .expect("--runs takes a positive number");
            }
            flag if flag.starts_with("--") => {} // `cargo bench` passes `--bench`.
            size => sizes.push(size.parse().expect("sizes are numbers of facts")),
        }
    }
    if sizes.is_empty() {
        sizes = DEFAULT_SIZES.to_vec();
    }
    Options { runs, sizes }
}

/// The wall time of one run of `program args…` in `dir`, its output written to
/// `output`; panics when the run fails (`diff` exits 1 when the files differ: that is
/// success here).
fn time_once(dir: &Path, output: &Path, program: &str, args: &[&Path]) -> Duration {
    let out = File::create(output).unwrap();
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdout(out)
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let elapsed = start.elapsed();
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{program} failed: {status}"
    );
    elapsed
}

fn gnu_diff_available() -> bool {
    Command::new("diff")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("GNU"))
}

fn main() {
    if !gnu_diff_available() {
        println!("gnu_diff: skipped: GNU diff is not on the PATH");
        return;
    }
    let options = options();
    let driftscope = env!("CARGO_BIN_EXE_driftscope");
    println!(
        "driftscope diff --format json vs GNU diff, {DRIFT_PERCENT}% of facts changed, best of {} runs",
        options.runs
    );
    println!(
        "{:>10} {:>10} {:>14} {:>12} {:>7}",
        "facts", "file MB", "driftscope ms", "GNU diff ms", "ratio"
    );
    for &facts in &options.sizes {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = synthetic::pair(facts, DRIFT_PERCENT, 42);
        let (path_a, path_b) = (dir.path().join("a.json"), dir.path().join("b.json"));
        std::fs::write(&path_a, a.to_json()).unwrap();
        std::fs::write(&path_b, b.to_json()).unwrap();
        drop((a, b));
        let size = std::fs::metadata(&path_a).unwrap().len();
        let output = dir.path().join("out");
        let ours_args = [
            Path::new("diff"),
            &path_a,
            &path_b,
            Path::new("--format"),
            Path::new("json"),
        ];
        // Alternate the two programs so that a busy moment of the machine costs both.
        let (mut ours, mut gnu) = (Duration::MAX, Duration::MAX);
        for _ in 0..options.runs {
            ours = ours.min(time_once(dir.path(), &output, driftscope, &ours_args));
            gnu = gnu.min(time_once(dir.path(), &output, "diff", &[&path_a, &path_b]));
        }
        println!(
            "{facts:>10} {:>10.1} {:>14.1} {:>12.1} {:>7.2}",
            size as f64 / 1e6,
            ours.as_secs_f64() * 1e3,
            gnu.as_secs_f64() * 1e3,
            ours.as_secs_f64() / gnu.as_secs_f64()
        );
    }
}
