//! A throwaway OpenSSH server for tests: its own host and client keys, config and
//! known-hosts file in a temporary folder, listening on a free port of 127.0.0.1.
//! Stopped when dropped.
//!
//! When `sshd` is not installed, [`Sshd::start`] prints why and returns `None` so the
//! test can skip — unless `DRIFTSCOPE_REQUIRE_SERVICES=1`, which turns that into a
//! failure (CI sets it after installing `openssh-server`).

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A running `sshd`.
pub struct Sshd {
    /// The temporary folder holding keys, config and logs.
    pub dir: TempDir,
    /// The port it listens on (on 127.0.0.1).
    pub port: u16,
    /// The user that may log in (the one running the tests).
    pub user: String,
    /// A private key the server accepts.
    pub client_key: PathBuf,
    /// A private key the server does not accept.
    pub wrong_key: PathBuf,
    /// The host's public key line (`ssh-ed25519 AAAA… comment`).
    pub host_public_key: String,
    /// Another host key's public line, to fake a changed key.
    pub other_host_public_key: String,
    /// The network namespace it runs in, if any.
    pub netns: Option<String>,
    /// The address it listens on.
    pub address: String,
    child: Child,
}

/// Where and how a server is started; [`SshdSetup::default`] is 127.0.0.1 on a free
/// port, quiet logs.
#[derive(Debug, Clone)]
pub struct SshdSetup {
    /// Run inside this network namespace (`ip netns exec`).
    pub netns: Option<String>,
    /// The address to listen on.
    pub address: String,
    /// The port; `None` picks a free one on 127.0.0.1.
    pub port: Option<u16>,
    /// `LogLevel`; `INFO` logs each accepted login.
    pub log_level: &'static str,
    /// A public key accepted besides the server's own client key.
    pub extra_authorized_key: Option<PathBuf>,
    /// Users allowed to log in besides the one running the tests.
    pub extra_users: Vec<String>,
}

impl Default for SshdSetup {
    fn default() -> Self {
        SshdSetup {
            netns: None,
            address: "127.0.0.1".into(),
            port: None,
            log_level: "ERROR",
            extra_authorized_key: None,
            extra_users: Vec::new(),
        }
    }
}

/// The server binary: `DRIFTSCOPE_SSHD`, or the usual place.
fn sshd_binary() -> PathBuf {
    std::env::var_os("DRIFTSCOPE_SSHD")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/sbin/sshd"))
}

/// Whether missing services fail tests instead of skipping them.
pub fn services_required() -> bool {
    std::env::var("DRIFTSCOPE_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

/// Skips (returns `None`) or fails, depending on [`services_required`]. Shared by the
/// other service harnesses of this folder.
pub fn unavailable<T>(reason: &str) -> Option<T> {
    if services_required() {
        panic!("DRIFTSCOPE_REQUIRE_SERVICES=1 but {reason}");
    }
    eprintln!("skipped: {reason} (set DRIFTSCOPE_REQUIRE_SERVICES=1 to fail instead)");
    None
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "driftscope-test",
            "-f",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("run ssh-keygen");
    assert!(status.success(), "ssh-keygen failed for {}", path.display());
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("run id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Sshd {
    /// Starts a server, or returns `None` (after printing why) when `sshd` is absent.
    pub fn start() -> Option<Sshd> {
        Sshd::start_with(&SshdSetup::default())
    }

    /// Starts a server as `setup` says, or returns `None` when `sshd` is absent.
    pub fn start_with(setup: &SshdSetup) -> Option<Sshd> {
        let binary = sshd_binary();
        if !binary.exists() {
            return unavailable(&format!("{} is not installed", binary.display()));
        }
        if Command::new("ssh-keygen").arg("-?").output().is_err() {
            return unavailable("ssh-keygen is not installed");
        }
        // sshd insists on its privilege separation folder.
        let _ = fs::create_dir_all("/run/sshd");
        let dir = tempfile::tempdir().expect("temporary folder");
        let p = |name: &str| dir.path().join(name);
        keygen(&p("host_key"));
        keygen(&p("other_host_key"));
        keygen(&p("client_key"));
        keygen(&p("wrong_key"));
        let mut authorized = fs::read_to_string(p("client_key.pub")).expect("client key");
        if let Some(extra) = &setup.extra_authorized_key {
            authorized.push_str(&fs::read_to_string(extra).expect("extra authorized key"));
        }
        fs::write(p("authorized_keys"), authorized).expect("authorized_keys");
        let user = current_user();
        let allowed = std::iter::once(user.clone())
            .chain(setup.extra_users.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        for attempt in 0..5 {
            let port = setup.port.unwrap_or_else(free_port);
            let config = format!(
                "Port {port}\nListenAddress {address}\nHostKey {host}\nPidFile {pid}\n\
                 AuthorizedKeysFile {auth}\nStrictModes no\nUsePAM no\nPermitRootLogin yes\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 PubkeyAuthentication yes\nMaxStartups 200\nMaxSessions 100\nMaxAuthTries 10\n\
                 PrintMotd no\nLogLevel {level}\nAllowUsers {allowed}\n",
                address = setup.address,
                level = setup.log_level,
                host = p("host_key").display(),
                pid = p("sshd.pid").display(),
                auth = p("authorized_keys").display(),
            );
            fs::write(p("sshd_config"), config).expect("write sshd_config");
            let log = fs::File::create(p("sshd.log")).expect("sshd.log");
            let mut child = spawn(&binary, setup.netns.as_deref(), dir.path(), log);
            let started = Instant::now();
            let mut up = false;
            while started.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                let listening = match &setup.netns {
                    Some(ns) => listening_in(ns, port),
                    None => TcpStream::connect((setup.address.as_str(), port)).is_ok(),
                };
                if listening {
                    up = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if up {
                let read = |name: &str| {
                    fs::read_to_string(p(name))
                        .expect("read public key")
                        .trim()
                        .to_string()
                };
                return Some(Sshd {
                    port,
                    user: user.clone(),
                    client_key: p("client_key"),
                    wrong_key: p("wrong_key"),
                    host_public_key: read("host_key.pub"),
                    other_host_public_key: read("other_host_key.pub"),
                    netns: setup.netns.clone(),
                    address: setup.address.clone(),
                    child,
                    dir,
                });
            }
            let _ = child.kill();
            let _ = child.wait();
            let log = fs::read_to_string(p("sshd.log")).unwrap_or_default();
            if attempt == 4 {
                panic!("sshd did not start: {log}");
            }
        }
        None
    }

    /// `user@address:port`.
    pub fn entry(&self) -> String {
        format!("{}@{}:{}", self.user, self.address, self.port)
    }

    /// The name OpenSSH gives this server in known-hosts files.
    pub fn known_hosts_name(&self) -> String {
        if self.port == 22 {
            self.address.clone()
        } else {
            format!("[{}]:{}", self.address, self.port)
        }
    }

    /// The known-hosts line for this server's real key.
    pub fn known_hosts_line(&self) -> String {
        format!(
            "{} {}\n",
            self.known_hosts_name(),
            key_part(&self.host_public_key)
        )
    }

    /// A known-hosts line that records a different key for this server.
    pub fn wrong_known_hosts_line(&self) -> String {
        format!(
            "{} {}\n",
            self.known_hosts_name(),
            key_part(&self.other_host_public_key)
        )
    }

    /// The server's real public key, `type base64`.
    pub fn host_key_part(&self) -> String {
        key_part(&self.host_public_key)
    }

    /// Another key's public part, `type base64`.
    pub fn other_key_part(&self) -> String {
        key_part(&self.other_host_public_key)
    }

    /// How many logins the server accepted so far (needs `LogLevel INFO`).
    pub fn logins(&self) -> usize {
        self.log().matches("Accepted publickey").count()
    }

    /// The server's key fingerprint as `ssh-keygen -l` prints it (`SHA256:…`).
    pub fn host_fingerprint(&self) -> String {
        let out = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(self.dir.path().join("host_key.pub"))
            .output()
            .expect("ssh-keygen -l");
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    }

    /// Restarts the server as a crash or a reboot would: the listener and every open
    /// session are killed, then a new listener starts with the same keys, address and
    /// port (its log continues the old one).
    pub fn restart(&mut self) {
        let sessions = descendants(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in sessions {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let log = fs::OpenOptions::new()
            .append(true)
            .open(self.dir.path().join("sshd.log"))
            .expect("sshd.log");
        self.child = spawn(&sshd_binary(), self.netns.as_deref(), self.dir.path(), log);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            let listening = match &self.netns {
                Some(ns) => listening_in(ns, self.port),
                None => TcpStream::connect((self.address.as_str(), self.port)).is_ok(),
            };
            if listening {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("sshd did not restart: {}", self.log());
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }
}

/// Starts `binary` in the foreground with the config of `dir`, logging to `log`.
fn spawn(binary: &Path, netns: Option<&str>, dir: &Path, log: fs::File) -> Child {
    let mut command = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns]).arg(binary);
            c
        }
        None => Command::new(binary),
    };
    command
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start sshd")
}

/// The processes descending from `pid` (the server's sessions), from /proc.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(child) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …: comm may hold spaces, so read after its ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parents.push((child, ppid));
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, p)| *p == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// Whether something listens on TCP `port` inside network namespace `ns`.
fn listening_in(ns: &str, port: u16) -> bool {
    Command::new("ip")
        .args(["netns", "exec", ns, "ss", "-Hltn"])
        .arg(format!("sport = :{port}"))
        .output()
        .is_ok_and(|o| !o.stdout.is_empty())
}

/// `type base64` of a public key line, without its comment.
fn key_part(line: &str) -> String {
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
