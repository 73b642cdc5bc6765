//! A throwaway PostgreSQL server for tests: `initdb` in a temporary folder, listening on
//! a free port of 127.0.0.1 (password logins) and on a socket in that folder (trusted
//! logins for the test's own setup). Stopped and removed when dropped.
//!
//! PostgreSQL refuses to run as root. When the tests run as root, the server runs as
//! the `postgres` user (or `nobody`) through `setpriv`, with the folder handed over to
//! that user; otherwise it runs as the current user.
//!
//! When the server binaries or `psql` are missing, [`Postgres::start`] prints why and
//! returns `None` so the test can skip — unless `DRIFTSCOPE_REQUIRE_SERVICES=1`.

// Test code: a failed unwrap, expect or panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use super::sshd::unavailable;

/// The role the probe logs in as.
pub const PROBE_ROLE: &str = "drift";
/// Its password: characters that need percent-encoding in a URL.
pub const PROBE_PASSWORD: &str = "Dr1ft pass#@%/x";

/// A running PostgreSQL server.
pub struct Postgres {
    /// The folder holding the data directory, socket and log.
    pub dir: TempDir,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    /// `(uid, gid)` the server runs as, when the tests run as root.
    run_as: Option<(u32, u32)>,
}

/// The server binaries: `DRIFTSCOPE_PG_BIN`, the newest `/usr/lib/postgresql/*/bin`,
/// or the folder of `initdb` on `PATH`.
fn server_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DRIFTSCOPE_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let found = which("initdb")?;
    found.parent().map(Path::to_path_buf)
}

/// The path of `tool` on `PATH`.
fn which(tool: &str) -> Option<PathBuf> {
    let out = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && path.starts_with('/')).then(|| PathBuf::from(path))
}

/// `id` output as a number.
fn id(args: &[&str]) -> Option<u32> {
    let out = Command::new("id").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// `s` with everything but unreserved URL characters percent-encoded.
pub fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Postgres {
    /// Starts a server with the probe's role, or returns `None` (after printing why)
    /// when PostgreSQL is not installed.
    pub fn start() -> Option<Postgres> {
        let Some(bin) = server_bin() else {
            return unavailable("PostgreSQL server binaries (initdb) are not installed");
        };
        if !bin.join("initdb").exists() || !bin.join("pg_ctl").exists() {
            return unavailable(&format!("{} lacks initdb or pg_ctl", bin.display()));
        }
        if which("psql").is_none() {
            return unavailable("psql is not installed");
        }
        let run_as = if id(&["-u"]) == Some(0) {
            let Some(user) = ["postgres", "nobody"]
                .into_iter()
                .find(|u| id(&["-u", u]).is_some())
            else {
                return unavailable("running as root, and there is no postgres or nobody user");
            };
            if which("setpriv").is_none() {
                return unavailable("running as root, and setpriv is not installed");
            }
            Some((
                id(&["-u", user]).expect("uid"),
                id(&["-g", user]).expect("gid"),
            ))
        } else {
            None
        };
        let dir = tempfile::tempdir().expect("temporary folder");
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let mut server = Postgres {
            dir,
            port: 0,
            bin,
            run_as,
        };
        let data = server.data();
        server.as_server(
            "initdb",
            &[
                "-D",
                data.to_str().expect("path"),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        for attempt in 0..5 {
            server.port = free_port();
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c autovacuum=off",
                server.port,
                server.dir.path().display()
            );
            let out = server.try_as_server(
                "pg_ctl",
                &[
                    "-D",
                    data.to_str().expect("path"),
                    "-l",
                    server.log_path().to_str().expect("path"),
                    "-o",
                    &options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
            );
            if out.status.success() {
                server.admin(
                    "postgres",
                    &format!(
                        "CREATE ROLE {PROBE_ROLE} LOGIN PASSWORD '{}'",
                        PROBE_PASSWORD.replace('\'', "''")
                    ),
                );
                return Some(server);
            }
            if attempt == 4 {
                panic!("PostgreSQL did not start:\n{}", server.log());
            }
        }
        None
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// Runs a server binary as the server's user.
    fn try_as_server(&self, tool: &str, args: &[&str]) -> Output {
        let program = self.bin.join(tool);
        let mut command = match self.run_as {
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg("--")
                    .arg(&program);
                c
            }
            None => Command::new(&program),
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"))
    }

    fn as_server(&self, tool: &str, args: &[&str]) {
        let out = self.try_as_server(tool, args);
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A `psql` as the superuser over the socket, stopping at the first error.
    fn psql(&self, database: &str) -> Command {
        let mut c = Command::new("psql");
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.dir.path())
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
            ])
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .stdin(Stdio::null());
        c
    }

    /// Runs SQL as the superuser in `database`; panics on an error.
    pub fn admin(&self, database: &str, sql: &str) {
        let out = self
            .psql(database)
            .args(["-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Creates `database` and runs the fixture files (paths) in it, in order.
    pub fn create_database(&self, database: &str, fixtures: &[&Path]) {
        self.admin("postgres", &format!("CREATE DATABASE {database}"));
        let mut command = self.psql(database);
        for file in fixtures {
            command.arg("-f").arg(file);
        }
        let out = command.output().expect("psql");
        assert!(
            out.status.success(),
            "fixtures for {database}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A URL reaching `database` over TCP as the probe's role with `password`.
    pub fn url(&self, database: &str, password: &str) -> String {
        format!(
            "postgresql://{PROBE_ROLE}:{}@127.0.0.1:{}/{database}",
            percent_encode(password),
            self.port
        )
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.try_as_server(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}
