//! `ProxyCommand`: a command whose stdin and stdout carry the SSH connection (`nc`,
//! `ssh -W`, `aws ssm start-session`, `tsh proxy ssh`, `cloudflared access ssh`).
//!
//! The command runs under `sh -c` with one end of a local socket pair as both its
//! stdin and stdout; the other end is the session's stream. Its stderr is kept (the
//! first few KiB) so a failed connection can say what the proxy said.

use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::socket::{ChildGuard, Socket};

/// How much of the proxy's stderr is kept.
const STDERR_KEPT: usize = 4096;

/// What a proxy command wrote to stderr, filled by a reader thread.
#[derive(Debug, Clone, Default)]
pub struct StderrTap {
    inner: Arc<Mutex<(Vec<u8>, bool)>>,
}

impl StderrTap {
    /// The first non-empty line the proxy wrote to stderr, waiting up to `wait` for it
    /// to finish writing.
    pub fn first_line(&self, wait: Duration) -> Option<String> {
        let until = Instant::now() + wait;
        loop {
            let finished = self.inner.lock().map(|g| g.1).unwrap_or(true);
            if finished || Instant::now() >= until {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let guard = self.inner.lock().ok()?;
        let text = String::from_utf8_lossy(&guard.0);
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    }
}

/// Starts `command` and returns the session's end of its stdin/stdout.
pub fn spawn(command: &str, shown: &str) -> Result<(Socket, StderrTap), String> {
    let (ours, theirs) = UnixStream::pair()
        .map_err(|e| format!("{shown}: cannot make a socket pair for ProxyCommand: {e}"))?;
    let theirs_out = theirs
        .try_clone()
        .map_err(|e| format!("{shown}: cannot make a socket pair for ProxyCommand: {e}"))?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        .stdout(Stdio::from(OwnedFd::from(theirs_out)))
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{shown}: cannot start ProxyCommand '{command}': {e}"))?;
    let tap = StderrTap::default();
    if let Some(mut stderr) = child.stderr.take() {
        let inner = Arc::clone(&tap.inner);
        thread::spawn(move || {
            let mut buf = [0u8; 1024];
            loop {
                match stderr.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Ok(mut g) = inner.lock() {
                            let room = STDERR_KEPT.saturating_sub(g.0.len());
                            g.0.extend_from_slice(&buf[..n.min(room)]);
                        }
                    }
                }
            }
            if let Ok(mut g) = inner.lock() {
                g.1 = true;
            }
        });
    }
    Ok((Socket::Command(ours, ChildGuard(child)), tap))
}
