//! Runs `ansible-playbook` on a generated playbook in a private temporary folder and
//! streams the host events its callback prints (see [`super::callback`]).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use tempfile::TempDir;

use super::callback::{self, Event};

/// The most bytes of Ansible's standard error kept for messages.
const STDERR_KEPT: usize = 64 * 1024;

/// How to call `ansible-playbook`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The program (`ansible-playbook`, or a path to it).
    pub program: PathBuf,
    /// The inventory, passed as `-i`.
    pub inventory: PathBuf,
    /// `--forks`, when given.
    pub forks: Option<usize>,
    /// Further arguments, passed as they are (`--become`, `--vault-password-file F`…).
    pub args: Vec<String>,
    /// The folder to run in (where Ansible looks for `ansible.cfg` and relative paths
    /// start); `None` keeps the current one.
    pub dir: Option<PathBuf>,
}

/// A running `ansible-playbook`.
#[derive(Debug)]
pub struct Running {
    /// Holds the playbook, the callback plugin and the fetched output; removed on drop.
    dir: TempDir,
    messages: Receiver<Message>,
    exited: Option<Result<ExitStatus, String>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// What the reading and waiting threads report.
#[derive(Debug)]
enum Message {
    Event(Event),
    Exited(Result<ExitStatus, String>),
}

/// How long events are still read once `ansible-playbook` has exited. Its SSH
/// connection masters (`ControlPersist`) outlive it holding its output pipes open, so
/// the end of its output cannot be told by the pipes closing.
const DRAIN: Duration = Duration::from_millis(300);

/// How `ansible-playbook` ended.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Its exit status.
    pub status: ExitStatus,
    /// The end of what it printed on standard error.
    pub stderr: String,
}

impl Launch {
    /// The command line, without the program.
    pub fn arguments(&self, playbook: &Path, output: &Path) -> Vec<String> {
        let mut args = vec![
            "-i".to_string(),
            self.inventory.display().to_string(),
            "-e".to_string(),
            serde_json::json!({ "driftscope_output": output.display().to_string() }).to_string(),
        ];
        if let Some(forks) = self.forks {
            args.push(format!("--forks={forks}"));
        }
        args.extend(self.args.iter().cloned());
        args.push(playbook.display().to_string());
        args
    }
}

/// Writes `playbook` and the callback plugin into a new temporary folder and starts
/// `ansible-playbook` on it. Fails with one line when the program cannot be started.
pub fn launch(playbook: &str, launch: &Launch) -> Result<Running, String> {
    let dir = tempfile::Builder::new()
        .prefix("driftscope-ansible.")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder for the playbook: {e}"))?;
    let plugins = dir.path().join("callback_plugins");
    let output = dir.path().join("output");
    let playbook_path = dir.path().join("driftscope.yml");
    let write = || -> std::io::Result<()> {
        std::fs::create_dir(&plugins)?;
        std::fs::create_dir(&output)?;
        std::fs::write(
            plugins.join(format!("{}.py", callback::PLUGIN_NAME)),
            callback::PLUGIN_SOURCE,
        )?;
        std::fs::write(&playbook_path, playbook)
    };
    write().map_err(|e| format!("cannot write the playbook: {e}"))?;
    let plugin_path = match std::env::var_os("ANSIBLE_CALLBACK_PLUGINS") {
        Some(existing) if !existing.is_empty() => {
            let mut joined = plugins.clone().into_os_string();
            joined.push(":");
            joined.push(existing);
            joined
        }
        _ => plugins.clone().into_os_string(),
    };
    let mut command = Command::new(&launch.program);
    if let Some(dir) = &launch.dir {
        command.current_dir(dir);
    }
    let mut child = command
        .args(launch.arguments(&playbook_path, &output))
        .env("ANSIBLE_STDOUT_CALLBACK", callback::PLUGIN_NAME)
        .env("ANSIBLE_CALLBACK_PLUGINS", plugin_path)
        .env("ANSIBLE_RETRY_FILES_ENABLED", "false")
        .env("ANSIBLE_NOCOLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run {}: {e}; install ansible-core, or set DRIFTSCOPE_ANSIBLE_PLAYBOOK \
                 to the ansible-playbook to use",
                launch.program.display()
            )
        })?;
    let (tx, messages) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(event) = callback::parse_line(&line) {
                    if tx.send(Message::Event(event)).is_err() {
                        break;
                    }
                }
            }
        });
    }
    let stderr = Arc::new(Mutex::new(Vec::new()));
    if let Some(pipe) = child.stderr.take() {
        let kept = Arc::clone(&stderr);
        thread::spawn(move || {
            let mut reader = BufReader::new(pipe);
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let Ok(mut kept) = kept.lock() else { break };
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > STDERR_KEPT {
                    let cut = kept.len() - STDERR_KEPT;
                    kept.drain(..cut);
                }
            }
        });
    }
    thread::spawn(move || {
        let status = child
            .wait()
            .map_err(|e| format!("cannot wait for ansible-playbook: {e}"));
        let _ = tx.send(Message::Exited(status));
    });
    Ok(Running {
        dir,
        messages,
        exited: None,
        stderr,
    })
}

impl Running {
    /// The folder each host's output is fetched into.
    pub fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// The next host event, as Ansible reports it; `None` once `ansible-playbook` has
    /// exited and its output is read.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            let message = if self.exited.is_some() {
                self.messages.recv_timeout(DRAIN).ok()?
            } else {
                match self.messages.recv() {
                    Ok(message) => message,
                    Err(_) => {
                        self.exited = Some(Err("ansible-playbook was lost".to_string()));
                        return None;
                    }
                }
            };
            match message {
                Message::Event(event) => return Some(event),
                Message::Exited(status) => self.exited = Some(status),
            }
        }
    }

    /// Reads the remaining events and says how `ansible-playbook` ended.
    pub fn finish(mut self) -> Result<Finished, String> {
        while self.next_event().is_some() {}
        let status = self
            .exited
            .take()
            .unwrap_or_else(|| Err("ansible-playbook was lost".to_string()))?;
        let stderr = self
            .stderr
            .lock()
            .map(|kept| String::from_utf8_lossy(&kept).into_owned())
            .unwrap_or_default();
        Ok(Finished { status, stderr })
    }
}

impl Finished {
    /// The last error line Ansible printed on standard error (`[ERROR]: …`, `ERROR! …`,
    /// or a usage error), else its last line, if any.
    pub fn last_error(&self) -> Option<&str> {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines
            .iter()
            .rev()
            .find(|l| l.starts_with("ERROR") || l.starts_with("[ERROR]") || l.contains(": error: "))
            .or(lines.last())
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_names_inventory_output_forks_then_the_users_arguments() {
        let launch = Launch {
            program: "ansible-playbook".into(),
            inventory: "inv/prod.ini".into(),
            forks: Some(20),
            args: vec![
                "--become".into(),
                "--vault-password-file".into(),
                "v.txt".into(),
            ],
            dir: None,
        };
        let args = launch.arguments(Path::new("/t/p.yml"), Path::new("/t/out dir"));
        assert_eq!(
            args,
            [
                "-i",
                "inv/prod.ini",
                "-e",
                r#"{"driftscope_output":"/t/out dir"}"#,
                "--forks=20",
                "--become",
                "--vault-password-file",
                "v.txt",
                "/t/p.yml"
            ]
        );
    }

    #[test]
    fn a_program_that_is_missing_is_named_with_the_fix() {
        let launch = Launch {
            program: "/nonexistent/ansible-playbook".into(),
            inventory: "inv".into(),
            forks: None,
            args: Vec::new(),
            dir: None,
        };
        let err = super::launch("[]\n", &launch).unwrap_err();
        assert!(
            err.starts_with("cannot run /nonexistent/ansible-playbook: ")
                && err.contains("DRIFTSCOPE_ANSIBLE_PLAYBOOK"),
            "{err}"
        );
    }
}
