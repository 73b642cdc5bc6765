//! Collecting many hosts: a bounded number at a time, each within its own deadline,
//! with progress reported as messages so a command line or a TUI can follow along.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{SubsecRound, Utc};

use super::catalogue;
use super::frames;
use super::interpret::{self, Origin, first_line};
use super::inventory::{ClientConfig, EntryOptions, HostJob, Target};
use super::key::WorkspaceKey;
use super::probe::Probe;
use super::redact::Redactor;
use super::schema::{self, DatabaseProbe};
use super::script::{self, Script};
use super::sudo::{self, SudoRules};
use super::transport::ssh::SshContext;
use super::transport::{RawOutput, local, ssh};
use crate::config::{CollectConfig, CollectSettings, Config};
use crate::model::{Snapshot, Source};

/// How often a host's wait checks whether the collection was cancelled.
const CANCEL_POLL: Duration = Duration::from_millis(100);

/// Choices made on the command line rather than in `driftscope.toml`.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Accept and record unknown host keys (never changed ones).
    pub accept_new_host_keys: bool,
    /// The user's home folder, for `~/.ssh`; `None` reads `$HOME`.
    pub home: Option<PathBuf>,
    /// Whether to ask the SSH agent.
    pub use_agent: bool,
    /// Overrides `[collect] concurrency`.
    pub concurrency: Option<usize>,
    /// Set to stop the collection: hosts not started are not collected, hosts under way
    /// are reported as cancelled at once and their threads end at their deadline.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            accept_new_host_keys: false,
            home: None,
            use_agent: true,
            concurrency: None,
            cancel: None,
        }
    }
}

/// One host's successful collection.
#[derive(Debug, Clone)]
pub struct Collected {
    /// The snapshot, secrets already redacted.
    pub snapshot: Snapshot,
    /// Lines worth showing (e.g. an accepted host key).
    pub notes: Vec<String>,
}

/// A progress message from a running collection.
#[derive(Debug)]
pub enum Progress {
    /// A host's collection began.
    Started {
        /// The job's position in the list given to [`Collector::spawn`].
        index: usize,
        /// `env/host`.
        label: String,
    },
    /// A host's collection ended.
    Finished {
        /// The job's position in the list given to [`Collector::spawn`].
        index: usize,
        /// `env/host`.
        label: String,
        /// How long it took.
        elapsed: Duration,
        /// The snapshot, or a one-line reason naming the host.
        outcome: Result<Box<Collected>, String>,
    },
}

/// Collects hosts with a workspace's probes, redaction and SSH settings.
#[derive(Debug)]
pub struct Collector {
    probes: Vec<Probe>,
    databases: Vec<DatabaseProbe>,
    redactor: Redactor,
    ssh: SshContext,
    config: CollectConfig,
    cancel: Option<Arc<AtomicBool>>,
    sudo: SudoRules,
}

impl Collector {
    /// True once the collection was cancelled.
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
    }

    /// Prepares a collector for the workspace at `root` (`None`: no workspace; paths
    /// are then relative to the current folder). Fails on a bad setting, naming it.
    pub fn new(
        root: Option<&Path>,
        settings: &CollectSettings,
        key: WorkspaceKey,
        options: &CollectOptions,
    ) -> Result<Collector, String> {
        let probes = catalogue::plan_probes(settings)?;
        settings.sudo.check()?;
        let databases = schema::plan(&settings.databases)?;
        let redactor = Redactor::new(key, &settings.secrets)?;
        let home = options
            .home
            .clone()
            .or_else(|| std::env::var_os("HOME").map(PathBuf::from));
        let root = root.map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &Path| -> PathBuf {
            match (p.strip_prefix("~"), &home) {
                (Ok(rest), Some(h)) => h.join(rest),
                _ => root.join(p),
            }
        };
        let ssh_dir = home.as_ref().map(|h| h.join(".ssh"));
        let mut known_hosts = Vec::new();
        if let Some(file) = &settings.ssh.known_hosts {
            known_hosts.push(resolve(file));
        }
        if !settings.ssh.ignore_user_known_hosts {
            if let Some(dir) = &ssh_dir {
                known_hosts.push(dir.join("known_hosts"));
            }
        }
        if known_hosts.is_empty() {
            // No workspace file and no home: keep accepted keys with the workspace.
            known_hosts.push(root.join(super::key::LOCAL_DIR).join("known_hosts"));
        }
        let accept_into = known_hosts[0].clone();
        let workspace_known_hosts = settings.ssh.known_hosts.as_ref().map(|f| resolve(f));
        let config_path = match &settings.ssh.config {
            Some(p) => Some(resolve(p)),
            None => ssh_dir.as_ref().map(|d| d.join("config")),
        };
        let mut identity_files: Vec<PathBuf> = settings
            .ssh
            .identity_files
            .iter()
            .map(|p| resolve(p))
            .collect();
        if let Some(dir) = &ssh_dir {
            for name in ["id_ed25519", "id_ecdsa", "id_rsa"] {
                identity_files.push(dir.join(name));
            }
        }
        let default_user = settings
            .ssh
            .user
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .unwrap_or_else(|| "root".to_string());
        let mut config = settings.collect.clone();
        if let Some(n) = options.concurrency {
            config.concurrency = n;
        }
        if config.concurrency == 0 {
            return Err("[collect] concurrency must be at least 1".into());
        }
        if config.max_output.0 == 0 {
            return Err("[collect] max_output must be more than 0 bytes".into());
        }
        Ok(Collector {
            probes,
            databases,
            redactor,
            ssh: SshContext {
                client_config: ClientConfig::load(config_path.as_deref(), home.as_deref()),
                default_user,
                known_hosts,
                workspace_known_hosts,
                follow_config_known_hosts: !settings.ssh.ignore_user_known_hosts,
                accept_into,
                accept_new: options.accept_new_host_keys,
                identity_files,
                use_agent: options.use_agent,
                connect_timeout: config.connect_timeout,
                max_output: config.max_output.0,
                jumps: Arc::default(),
                cancel: options.cancel.clone(),
            },
            config,
            cancel: options.cancel.clone(),
            sudo: settings.sudo.clone(),
        })
    }

    /// The probes every host runs.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// The probes `job`'s host runs: every host's, then the schema probes of the
    /// databases configured for it.
    pub fn probes_for(&self, job: &HostJob) -> Vec<Probe> {
        let mut probes = self.probes.clone();
        probes.extend(
            self.databases
                .iter()
                .filter(|db| db.applies_to(job))
                .map(|db| db.probe.clone()),
        );
        probes
    }

    /// The probes `job`'s host runs, as its script runs them: [`Collector::probes_for`],
    /// with the probes that need root wrapped in `sudo -n` where `sudo` applies.
    pub fn probes_to_run(&self, job: &HostJob) -> Vec<Probe> {
        let mut probes = self.probes_for(job);
        if self.sudo.applies(&job.environment, &job.host) {
            for probe in probes.iter_mut().filter(|p| p.needs_root) {
                probe.command = match &probe.root_unless_readable {
                    Some(path) => sudo::as_root_unless_readable(path, &probe.command),
                    None => sudo::as_root(&probe.command),
                };
            }
        }
        probes
    }

    /// The redaction every collected value goes through.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The collection settings in force (`[collect]`, with command-line overrides).
    pub fn settings(&self) -> &CollectConfig {
        &self.config
    }

    /// A freshly compiled probe script (new token each time).
    pub fn script(&self) -> Script {
        script::compile(&self.probes, self.config.probe_timeout)
    }

    /// How many hosts run at the same time.
    pub fn concurrency(&self) -> usize {
        self.config.concurrency
    }

    /// The per-host time limit.
    pub fn host_timeout(&self) -> Duration {
        self.config.host_timeout
    }

    /// Collects one host, blocking, within the host timeout.
    pub fn collect(&self, job: &HostJob) -> Result<Collected, String> {
        let label = job.label();
        let taken_at = Utc::now().trunc_subsecs(0);
        let deadline = deadline_after(self.config.host_timeout);
        let probes = self.probes_to_run(job);
        let script = script::compile(&probes, self.config.probe_timeout);
        let (raw, source) = match &job.target {
            Target::Local => (
                local::run(
                    &script.text,
                    deadline,
                    self.config.max_output.0,
                    self.cancel.as_deref(),
                ),
                Source::Local,
            ),
            Target::Ssh(entry) => (
                ssh::run(
                    &self.ssh,
                    entry,
                    &EntryOptions::default(),
                    &script.text,
                    deadline,
                ),
                Source::Ssh {
                    target: entry.clone(),
                },
            ),
            Target::SshWith { entry, options } => (
                ssh::run(&self.ssh, entry, options, &script.text, deadline),
                Source::Ssh {
                    target: entry.clone(),
                },
            ),
        };
        let raw = raw.map_err(|e| self.redactor.line(&format!("{label}: {e}")))?;
        let frames = frames::parse(&raw.stdout, &script.token)
            .map_err(|e| format!("{label}: unreadable probe output: {e}"))?;
        if frames.frames.is_empty() && !frames.complete {
            return Err(script_failure(&label, &raw, &self.redactor));
        }
        let origin = Origin {
            environment: job.environment.clone(),
            host: job.host.clone(),
            source,
            taken_at,
        };
        let snapshot = interpret::snapshot(origin, &probes, &frames, &self.redactor);
        Ok(Collected {
            snapshot,
            notes: raw.notes,
        })
    }

    /// Collects `jobs` in the background, [`Collector::concurrency`] at a time, and
    /// returns the progress messages. The channel closes when every host is done; a
    /// host that outlives its timeout is reported failed and never holds up the rest.
    pub fn spawn(self: &Arc<Self>, jobs: Vec<HostJob>) -> Receiver<Progress> {
        let (tx, rx) = mpsc::channel();
        let workers = self.config.concurrency.min(jobs.len()).max(1);
        let queue: Arc<Mutex<VecDeque<(usize, HostJob)>>> =
            Arc::new(Mutex::new(jobs.into_iter().enumerate().collect()));
        for _ in 0..workers {
            let queue = Arc::clone(&queue);
            let tx = tx.clone();
            let collector = Arc::clone(self);
            thread::spawn(move || collector.work(&queue, &tx));
        }
        rx
    }

    fn work(self: &Arc<Self>, queue: &Mutex<VecDeque<(usize, HostJob)>>, tx: &Sender<Progress>) {
        loop {
            if self.cancelled() {
                return;
            }
            let next = match queue.lock() {
                Ok(mut q) => q.pop_front(),
                Err(_) => None,
            };
            let Some((index, job)) = next else { return };
            let label = job.label();
            if tx
                .send(Progress::Started {
                    index,
                    label: label.clone(),
                })
                .is_err()
            {
                return;
            }
            let started = Instant::now();
            let (done_tx, done_rx) = mpsc::channel();
            let collector = Arc::clone(self);
            thread::spawn(move || {
                let _ = done_tx.send(collect_or_report_panic(&collector, &job));
            });
            // The transports keep their own deadline; this guards against anything
            // that ignores it (a hung name lookup, say).
            let guard = deadline_from(
                started,
                self.config
                    .host_timeout
                    .saturating_add(Duration::from_secs(2)),
            );
            let outcome = loop {
                let left = guard.saturating_duration_since(Instant::now());
                match done_rx.recv_timeout(left.min(CANCEL_POLL)) {
                    Ok(result) => break result.map(Box::new),
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        break Err(format!(
                            "{label}: the collection stopped without a result (an internal error)"
                        ));
                    }
                    Err(_) if self.cancelled() => break Err(format!("{label}: cancelled")),
                    Err(_) if Instant::now() >= guard => {
                        break Err(format!(
                            "{label}: timed out after {}s",
                            self.config.host_timeout.as_secs()
                        ));
                    }
                    Err(_) => {}
                }
            };
            let msg = Progress::Finished {
                index,
                label,
                elapsed: started.elapsed(),
                outcome,
            };
            if tx.send(msg).is_err() {
                return;
            }
        }
    }
}

/// Starts collecting `selection` of the workspace at `root`, configured by `config`, in
/// the background (for the TUI): the hosts, in the order their progress indexes refer
/// to, and the progress messages. Storing each [`Collected`] snapshot is the caller's
/// job.
pub fn start(
    root: &Path,
    config: &Config,
    selection: &super::Selection,
    options: &CollectOptions,
) -> Result<(Vec<HostJob>, Receiver<Progress>), String> {
    let jobs = super::plan_at(Some(root), &config.environments, selection)?;
    let key = super::load_or_create(root).map_err(|e| format!("{e:#}"))?;
    let settings = CollectSettings::from_config(config);
    let collector = Arc::new(Collector::new(Some(root), &settings, key, options)?);
    let rx = collector.spawn(jobs.clone());
    Ok((jobs, rx))
}

/// `Instant::now() + timeout`, or as far as the clock goes for an absurd timeout (the
/// configuration refuses those; this keeps any other caller from overflowing).
fn deadline_after(timeout: Duration) -> Instant {
    deadline_from(Instant::now(), timeout)
}

/// `start + timeout`, never overflowing (see [`deadline_after`]).
fn deadline_from(start: Instant, timeout: Duration) -> Instant {
    start
        .checked_add(timeout)
        .or_else(|| start.checked_add(crate::config::timeouts::MAX_TIMEOUT))
        .unwrap_or(start)
}

/// Collects `job`, turning a panic anywhere in it into that host's error, so a bug is
/// reported as a failed host (and a non-zero exit), never as a success.
fn collect_or_report_panic(collector: &Collector, job: &HostJob) -> Result<Collected, String> {
    panic_as_error(&job.label(), || collector.collect(job))
}

/// Runs `work`, turning a panic into an error naming `label`.
fn panic_as_error<T>(label: &str, work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string());
        Err(format!(
            "{label}: internal error while collecting: {}",
            crate::model::excerpt(&what, 200)
        ))
    })
}

/// Why a script gave no frames, in one line: its stderr's first line is redacted whole,
/// then shortened, so a cut never leaves part of a secret in the message.
fn script_failure(label: &str, raw: &RawOutput, redactor: &Redactor) -> String {
    let stderr = String::from_utf8_lossy(&raw.stderr);
    let line = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| redactor.line(l));
    match (line.as_deref().and_then(first_line), raw.exit_status) {
        (Some(line), _) => format!(
            "{label}: the probe script failed: {line}",
            label = redactor.line(label)
        ),
        (None, Some(status)) => {
            format!("{label}: the probe script produced no output (exit status {status})")
        }
        (None, None) => format!("{label}: the probe script produced no output"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_collecting_becomes_the_hosts_error() {
        let result: Result<(), String> = panic_as_error("prod/web-1", || panic!("overflow"));
        assert_eq!(
            result.unwrap_err(),
            "prod/web-1: internal error while collecting: overflow"
        );
        let fine: Result<u8, String> = panic_as_error("x", || Ok(3));
        assert_eq!(fine, Ok(3));
    }

    #[test]
    fn deadlines_never_overflow() {
        let far = deadline_after(Duration::MAX);
        assert!(far > Instant::now());
    }
}
