//! Runs the probe script on this machine with `sh -s`.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::RawOutput;

/// Runs `script` with `sh -s`; the child (and every process it started) is killed when
/// `deadline` passes, its output grows beyond `max_output` bytes, or `cancel` is set.
pub fn run(
    script: &str,
    deadline: Instant,
    max_output: u64,
    cancel: Option<&AtomicBool>,
) -> Result<RawOutput, String> {
    let mut command = Command::new("sh");
    command
        .arg("-s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so a timeout stops the probes it started too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start sh: {e}"))?;
    let (stdin, stdout, stderr) =
        match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
            (Some(i), Some(o), Some(e)) => (i, o, e),
            _ => return Err("cannot open pipes to sh".into()),
        };
    let script = script.to_string();
    let writer = thread::spawn(move || {
        let mut stdin = stdin;
        // A write error means sh stopped early; its status and output tell why.
        let _ = stdin.write_all(script.as_bytes());
    });
    let too_large = Arc::new(AtomicBool::new(false));
    let out_rx = read_all(stdout, max_output, Arc::clone(&too_large));
    let err_rx = read_all(stderr, max_output, Arc::clone(&too_large));
    let status = loop {
        if too_large.load(Ordering::Relaxed) {
            kill_tree(child.id());
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the probe output exceeds the limit of {} (raise [collect] max_output)",
                super::ssh::human_bytes(max_output)
            ));
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if cancel.is_some_and(|c| c.load(Ordering::SeqCst)) => {
                kill_tree(child.id());
                let _ = child.kill();
                let _ = child.wait();
                return Err("cancelled".into());
            }
            Ok(None) if Instant::now() >= deadline => {
                kill_tree(child.id());
                let _ = child.kill();
                let _ = child.wait();
                return Err("timed out: the probe script did not finish in time".into());
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for sh: {e}")),
        }
    };
    let _ = writer.join();
    let grace = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(1);
    let stdout = out_rx.recv_timeout(grace).unwrap_or_default();
    let stderr = err_rx
        .recv_timeout(Duration::from_millis(200))
        .unwrap_or_default();
    Ok(RawOutput {
        stdout,
        stderr,
        exit_status: status.code(),
        notes: Vec::new(),
    })
}

/// Kills the process group led by `pid` and every process descended from it, whatever
/// its group (`timeout` runs each probe in a group of its own).
fn kill_tree(pid: u32) {
    // Found before anything is killed: orphans are adopted by init at once.
    let descendants = descendants(pid);
    kill_group(pid);
    if cfg!(unix) && !descendants.is_empty() {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .args(descendants.iter().map(u32::to_string))
            .stderr(Stdio::null())
            .status();
    }
}

/// Every process descended from `root`, from `/proc` (none where there is no `/proc`).
fn descendants(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    // (pid, parent pid) of each process; `stat` reads `pid (comm) state ppid …`.
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            let after = stat.get(stat.rfind(')')? + 1..)?;
            let ppid: u32 = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut found = vec![root];
    let mut next = 0;
    while let Some(&parent) = found.get(next) {
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        next += 1;
    }
    found.retain(|pid| *pid != root);
    found
}

/// Kills the process group led by `pid`.
fn kill_group(pid: u32) {
    if cfg!(unix) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .stderr(Stdio::null())
            .status();
    }
}

/// Reads a pipe to its end in a thread, keeping at most `cap` bytes; beyond that it
/// sets `too_large` and stops.
fn read_all(
    pipe: impl Read + Send + 'static,
    cap: u64,
    too_large: Arc<AtomicBool>,
) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.take(cap.saturating_add(1)).read_to_end(&mut buf);
        if buf.len() as u64 > cap {
            too_large.store(true, Ordering::Relaxed);
            buf = Vec::new();
        }
        let _ = tx.send(buf);
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_a_script_and_returns_output_and_status() {
        let out = run(
            "echo hi; echo err >&2; exit 3\n",
            Instant::now() + Duration::from_secs(10),
            1 << 20,
            None,
        )
        .unwrap();
        assert_eq!(out.stdout, b"hi\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.exit_status, Some(3));
    }

    #[test]
    fn a_script_past_its_deadline_is_killed() {
        let started = Instant::now();
        let err = run(
            "sleep 20\n",
            Instant::now() + Duration::from_millis(300),
            1 << 20,
            None,
        )
        .unwrap_err();
        assert!(err.contains("timed out"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
