//! Runs the probe script over SSH: one connection, one exec channel.
//!
//! The connection goes straight to the host, through jump hosts ([`super::jump`],
//! one shared session per jump host) or through a proxy command
//! ([`super::proxy_command`]), as the host's resolved configuration says. Every host
//! key on the way, jump hosts included, is checked against the known-hosts files: an
//! unknown key is refused (with its fingerprint) unless the user accepts new keys, in
//! which case it is recorded; a changed key is always refused. Authentication tries
//! the SSH agent, then identity files; when all fail the error lists what was tried.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};
use ssh2::{HostKeyType, MethodType, Session};

use super::RawOutput;
use super::jump::{JumpHub, JumpPool};
use super::known_hosts::{self, Verdict};
use super::proxy_command::{self, StderrTap};
use super::socket::Socket;
use crate::collect::inventory::{ClientConfig, EntryOptions, SshTarget};
use crate::collect::ssh_config::{StrictHostKeys, Via};

/// Everything the SSH transport needs besides the host entry.
#[derive(Debug, Clone)]
pub struct SshContext {
    /// The SSH client configuration.
    pub client_config: ClientConfig,
    /// The user to log in as when neither the entry nor the configuration names one.
    pub default_user: String,
    /// Known-hosts files checked, in order; missing files count as empty.
    pub known_hosts: Vec<PathBuf>,
    /// The workspace's own known-hosts file, checked first even when the SSH
    /// configuration names other files (`UserKnownHostsFile`).
    pub workspace_known_hosts: Option<PathBuf>,
    /// Whether `UserKnownHostsFile` of the SSH configuration replaces the user's
    /// default known-hosts files (false when the workspace ignores those).
    pub follow_config_known_hosts: bool,
    /// Where an accepted new host key is written.
    pub accept_into: PathBuf,
    /// Whether unknown host keys are accepted (and written to `accept_into`).
    pub accept_new: bool,
    /// Identity files tried after the agent and after those of the SSH configuration.
    pub identity_files: Vec<PathBuf>,
    /// Whether to ask the SSH agent (`SSH_AUTH_SOCK`).
    pub use_agent: bool,
    /// The longest wait for the connection and the handshake.
    pub connect_timeout: Duration,
    /// The most bytes of probe output taken from one host.
    pub max_output: u64,
    /// Jump host sessions shared by the hosts of one collection.
    pub jumps: Arc<JumpPool>,
    /// Set when the collection is cancelled (the explorer quits or starts over): a host
    /// waiting for its output gives up at once and closes its connection.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Runs `script` on the host behind `entry` (with `options` on top of the SSH
/// configuration), giving up at `deadline`.
pub fn run(
    ctx: &SshContext,
    entry: &str,
    options: &EntryOptions,
    script: &str,
    deadline: Instant,
) -> Result<RawOutput, String> {
    let target = ctx
        .client_config
        .resolve(entry, &ctx.default_user, options)?;
    let shown = target.display();
    let mut notes = Vec::new();
    let session = open_session(ctx, &target, deadline, &mut notes)?;
    let timed_out = || format!("{shown}: timed out: the probe script did not finish in time");
    let mut channel = session
        .channel_session()
        .map_err(|e| failure(&shown, "cannot open a channel", &e, deadline, &timed_out))?;
    channel
        .exec(&guarded_shell(deadline))
        .map_err(|e| failure(&shown, "cannot run sh", &e, deadline, &timed_out))?;
    channel
        .write_all(script.as_bytes())
        .and_then(|()| channel.flush())
        .map_err(|e| format!("{shown}: cannot send the probe script: {e}"))?;
    channel.send_eof().map_err(|e| {
        failure(
            &shown,
            "cannot send the probe script",
            &e,
            deadline,
            &timed_out,
        )
    })?;
    let cancel = ctx.cancel.as_deref();
    let stdout = read_until(&session, &mut channel, deadline, ctx.max_output, cancel);
    let stdout = match stdout {
        Ok(out) => out,
        Err(e) => {
            // Closing the channel tells the server the script's output is unwanted;
            // the script's own guard stops it.
            session.set_timeout(1000);
            let _ = channel.close();
            let _ = session.disconnect(None, "driftscope gave up", None);
            return Err(match e {
                ReadError::Deadline => timed_out(),
                ReadError::Cancelled => format!("{shown}: cancelled"),
                ReadError::TooLarge => format!(
                    "{shown}: the probe output exceeds the limit of {} (raise [collect] max_output)",
                    human_bytes(ctx.max_output)
                ),
                ReadError::Io(e) => format!("{shown}: reading the output failed: {e}"),
            });
        }
    };
    let stderr = read_until(
        &session,
        &mut channel.stderr(),
        deadline,
        ctx.max_output,
        cancel,
    )
    .unwrap_or_default();
    let _ = channel.wait_close();
    let exit_status = channel.exit_status().ok();
    let _ = session.disconnect(None, "driftscope done", None);
    Ok(RawOutput {
        stdout,
        stderr,
        exit_status,
        notes,
    })
}

/// The remote command: `sh -s` reading the script, under a guard that stops every
/// process of the SSH session (the script, its probes, their `timeout` process groups)
/// when the host's time is up, so a timed-out host is not left running probes.
///
/// sshd starts each command in its own session; the guard finds that session's
/// processes in `/proc` (Linux) or, elsewhere, signals its process group.
pub fn guarded_shell(deadline: Instant) -> String {
    let secs = deadline
        .saturating_duration_since(Instant::now())
        .as_secs()
        .saturating_add(1);
    let guard = format!(
        r#"stop_session() {{
  if read -r l </proc/self/stat 2>/dev/null; then
    me=${{l%% *}}; set -- ${{l##*) }}; sid=$4
    for f in /proc/[0-9]*/stat; do
      read -r l <"$f" 2>/dev/null || continue
      set -- ${{l##*) }}
      p=${{f#/proc/}}; p=${{p%/stat}}
      [ "$4" = "$sid" ] && [ "$p" != "$me" ] && kill -KILL "$p" 2>/dev/null
    done
  else
    kill -KILL 0
  fi
}}
(
  trap 'kill $s 2>/dev/null; exit 0' TERM
  sleep {secs} & s=$!
  wait $s
  stop_session
) </dev/null >/dev/null 2>&1 &
w=$!
sh -s
r=$?
kill $w 2>/dev/null
exit $r"#
    );
    format!("sh -c {}", crate::collect::probe::shell_quote(&guard))
}

/// `64 MiB`, `512 KiB`, `100 bytes`.
pub fn human_bytes(n: u64) -> String {
    if n >= 1024 * 1024 && n % (1024 * 1024) == 0 {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n % 1024 == 0 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// Connects to `target` (through its proxy, if any), checks its host key and logs in.
fn open_session(
    ctx: &SshContext,
    target: &SshTarget,
    deadline: Instant,
    notes: &mut Vec<String>,
) -> Result<Session, String> {
    let connect_timeout = target.connect_timeout.unwrap_or(ctx.connect_timeout);
    let connect_deadline = deadline.min(Instant::now() + connect_timeout);
    let (socket, tap) = open_socket(ctx, target, connect_deadline, deadline, notes)?;
    establish(ctx, target, socket, tap, connect_deadline, deadline, notes)
}

/// The stream to `target`: TCP, a jump host's channel, or a proxy command.
fn open_socket(
    ctx: &SshContext,
    target: &SshTarget,
    connect_deadline: Instant,
    deadline: Instant,
    notes: &mut Vec<String>,
) -> Result<(Socket, Option<StderrTap>), String> {
    match &target.via {
        Via::Direct => Ok((Socket::Tcp(connect(target, connect_deadline)?), None)),
        Via::Command(command) => {
            let (socket, tap) = proxy_command::spawn(command, &target.display())?;
            Ok((socket, Some(tap)))
        }
        Via::Jump(hops) => {
            // A shared session that died since its last use is started again, once.
            let mut reopened = false;
            loop {
                let hub = jump_hub(ctx, hops, connect_deadline, deadline, notes)?;
                match hub.open(&target.host, target.port, connect_deadline) {
                    Ok(stream) => return Ok((Socket::Relayed(stream), None)),
                    Err(_) if !hub.is_alive() && !reopened => reopened = true,
                    Err(e) => return Err(format!("{}: {e}", target.display())),
                }
            }
        }
    }
}

/// The shared session of the last of `hops`, reached through the ones before it.
fn jump_hub(
    ctx: &SshContext,
    hops: &[SshTarget],
    connect_deadline: Instant,
    deadline: Instant,
    notes: &mut Vec<String>,
) -> Result<Arc<JumpHub>, String> {
    let Some((last, before)) = hops.split_last() else {
        return Err("an empty jump host list".into());
    };
    let mut hop = last.clone();
    if !before.is_empty() {
        hop.via = Via::Jump(before.to_vec());
    }
    ctx.jumps.get_or_start(&hop.route_key(), || {
        let (socket, tap) = open_socket(ctx, &hop, connect_deadline, deadline, notes)?;
        let watch = socket
            .duplicate()
            .map_err(|e| format!("jump host {}: {e}", hop.display()))?;
        let session = establish(ctx, &hop, socket, tap, connect_deadline, deadline, notes)
            .map_err(|e| format!("jump host {e}"))?;
        JumpHub::start(session, watch, hop.display())
    })
}

/// Handshake, host key check and login over `socket`.
fn establish(
    ctx: &SshContext,
    target: &SshTarget,
    socket: Socket,
    tap: Option<StderrTap>,
    connect_deadline: Instant,
    deadline: Instant,
    notes: &mut Vec<String>,
) -> Result<Session, String> {
    let shown = target.display();
    let mut session =
        Session::new().map_err(|e| format!("{shown}: cannot start an SSH session: {e}"))?;
    session.set_tcp_stream(socket);
    set_timeout(&session, connect_deadline);
    prefer_known_key_types(&session, target, ctx);
    let proxy_said = |tap: &Option<StderrTap>| -> String {
        tap.as_ref()
            .and_then(|t| t.first_line(Duration::from_millis(500)))
            .map(|line| format!("; the proxy command said: {line}"))
            .unwrap_or_default()
    };
    session.handshake().map_err(|e| {
        if is_timeout(&e) || Instant::now() >= connect_deadline {
            format!(
                "{shown}: SSH handshake timed out after {}{}",
                secs(target.connect_timeout.unwrap_or(ctx.connect_timeout)),
                proxy_said(&tap)
            )
        } else {
            format!(
                "{shown}: SSH handshake failed: {}{}",
                e.message(),
                proxy_said(&tap)
            )
        }
    })?;
    if let Some(note) = check_host_key(&session, target, ctx)? {
        notes.push(note);
    }
    set_timeout(&session, deadline);
    authenticate(&session, target, ctx)?;
    Ok(session)
}

fn failure(
    shown: &str,
    what: &str,
    e: &ssh2::Error,
    deadline: Instant,
    timed_out: &dyn Fn() -> String,
) -> String {
    if is_timeout(e) || Instant::now() >= deadline {
        timed_out()
    } else {
        format!("{shown}: {what}: {}", e.message())
    }
}

/// libssh2's "timed out waiting" error code.
const LIBSSH2_ERROR_TIMEOUT: i32 = -9;

fn is_timeout(e: &ssh2::Error) -> bool {
    e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_TIMEOUT)
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

/// Sets the session's blocking-call timeout to the time left before `deadline`.
fn set_timeout(session: &Session, deadline: Instant) {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_millis();
    session.set_timeout(left.clamp(1, u128::from(u32::MAX)) as u32);
}

/// Opens the TCP connection, trying each address until one answers or time runs out.
fn connect(target: &SshTarget, deadline: Instant) -> Result<TcpStream, String> {
    let shown = target.display();
    let addrs: Vec<_> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .map_err(|e| format!("{shown}: cannot resolve '{}': {e}", target.host))?
        .collect();
    let mut last = format!("{shown}: no address for '{}'", target.host);
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(format!("{shown}: connection timed out"));
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last = format!("{shown}: connection timed out after {}", secs(left));
            }
            Err(e) => last = format!("{shown}: cannot connect: {e}"),
        }
    }
    Err(last)
}

/// How long one blocking read waits before the cancellation is checked again.
const CANCEL_POLL: Duration = Duration::from_millis(250);

enum ReadError {
    Deadline,
    Cancelled,
    TooLarge,
    Io(std::io::Error),
}

/// Reads to the end, giving up at `deadline` or beyond `cap` bytes (so memory stays
/// bounded whatever the host sends).
fn read_until(
    session: &Session,
    reader: &mut impl Read,
    deadline: Instant,
    cap: u64,
    cancel: Option<&AtomicBool>,
) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if cancel.is_some_and(|c| c.load(Ordering::SeqCst)) {
            return Err(ReadError::Cancelled);
        }
        if Instant::now() >= deadline {
            return Err(ReadError::Deadline);
        }
        // Wait in short slices, so that a cancellation is noticed soon.
        let slice = deadline.min(Instant::now() + CANCEL_POLL);
        set_timeout(session, slice);
        match reader.read(&mut buf) {
            Ok(0) => return Ok(out),
            Ok(n) if (out.len() + n) as u64 > cap => return Err(ReadError::TooLarge),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::TimedOut
                    || Instant::now() + Duration::from_millis(50) >= slice =>
            {
                // The slice ended: check the cancellation and the deadline again.
            }
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
}

/// The name a host has in known-hosts files: `host`, or `[host]:port` off port 22.
pub fn known_hosts_name(host: &str, port: u16) -> String {
    known_hosts::host_name(host, port)
}

/// `SHA256:<base64>` as OpenSSH prints host key fingerprints.
pub fn fingerprint(key: &[u8]) -> String {
    let digest = Sha256::digest(key);
    format!(
        "SHA256:{}",
        base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest)
    )
}

fn key_type_name(kind: HostKeyType) -> Option<&'static str> {
    match kind {
        HostKeyType::Rsa => Some("ssh-rsa"),
        HostKeyType::Dss => Some("ssh-dss"),
        HostKeyType::Ecdsa256 => Some("ecdsa-sha2-nistp256"),
        HostKeyType::Ecdsa384 => Some("ecdsa-sha2-nistp384"),
        HostKeyType::Ecdsa521 => Some("ecdsa-sha2-nistp521"),
        HostKeyType::Ed25519 => Some("ssh-ed25519"),
        HostKeyType::Unknown => None,
    }
}

/// The known-hosts files for `target`: the workspace's, then the SSH configuration's
/// `UserKnownHostsFile` when it names one, else the user's default file.
fn known_hosts_files(ctx: &SshContext, target: &SshTarget) -> Vec<PathBuf> {
    match (&target.known_hosts, ctx.follow_config_known_hosts) {
        (Some(files), true) => ctx
            .workspace_known_hosts
            .iter()
            .chain(files.iter())
            .cloned()
            .collect(),
        _ => ctx.known_hosts.clone(),
    }
}

/// Checks the server's host key; returns a note when a new key was accepted.
fn check_host_key(
    session: &Session,
    target: &SshTarget,
    ctx: &SshContext,
) -> Result<Option<String>, String> {
    let shown = target.display();
    let (key, kind) = session
        .host_key()
        .ok_or_else(|| format!("{shown}: the server sent no host key"))?;
    let Some(type_name) = key_type_name(kind) else {
        return Err(format!(
            "{shown}: the server's host key type is not supported"
        ));
    };
    let print = fingerprint(key);
    let files = known_hosts_files(ctx, target);
    let accept_new = ctx.accept_new || target.strict == Some(StrictHostKeys::AcceptNew);
    let name = known_hosts_name(&target.host, target.port);
    match known_hosts::check(&files, &target.host, target.port, type_name, key)
        .map_err(|e| format!("{shown}: {e}"))?
    {
        Verdict::Known => return Ok(None),
        Verdict::Revoked(place) => {
            return Err(format!(
                "{shown}: REVOKED HOST KEY: the server offers {type_name} key {print}, \
                 which {place} marks @revoked; refusing to connect"
            ));
        }
        Verdict::Changed(place) => {
            return Err(format!(
                "{shown}: HOST KEY CHANGED: the server offers {type_name} key {print}, \
                 which differs from the key recorded in {place}; refusing to connect \
                 (if the change is expected, remove the old key with \
                 ssh-keygen -R '{name}' -f {} and collect again)",
                place.file.display()
            ));
        }
        Verdict::CertificateExpected(place) => {
            return Err(format!(
                "{shown}: host certificates are not supported: {place} trusts a \
                 certificate authority (@cert-authority) for this host and no plain \
                 key is recorded; add the host's own key ({type_name} {print}) to a \
                 known hosts file"
            ));
        }
        Verdict::Unknown => {}
    }
    if !accept_new {
        return Err(format!(
            "{shown}: unknown host key {type_name} {print}; refusing to connect \
             (if this is the right key, run again with --accept-new-host-keys to record it in {})",
            ctx.accept_into.display()
        ));
    }
    let line = format!(
        "{name} {type_name} {}\n",
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    append_line(&ctx.accept_into, &line).map_err(|e| {
        format!(
            "cannot record the host key in {}: {e}",
            ctx.accept_into.display()
        )
    })?;
    Ok(Some(format!(
        "{shown}: accepted new host key {type_name} {print} into {}",
        ctx.accept_into.display()
    )))
}

/// Asks for the host key types the known-hosts files record for `target` first, as
/// OpenSSH does, so a host with an RSA key on record is not offered as "unknown"
/// because it also has an Ed25519 key.
fn prefer_known_key_types(session: &Session, target: &SshTarget, ctx: &SshContext) {
    let known =
        known_hosts::known_types(&known_hosts_files(ctx, target), &target.host, target.port);
    if known.is_empty() {
        return;
    }
    let Ok(supported) = session.supported_algs(MethodType::HostKey) else {
        return;
    };
    let wanted =
        |alg: &str, kind: &str| alg == kind || (kind == "ssh-rsa" && alg.starts_with("rsa-sha2-"));
    let mut order: Vec<&str> = Vec::new();
    for kind in &known {
        for alg in &supported {
            if wanted(alg, kind) && !order.contains(alg) {
                order.push(alg);
            }
        }
    }
    for alg in &supported {
        if !order.contains(alg) {
            order.push(alg);
        }
    }
    let _ = session.method_pref(MethodType::HostKey, &order.join(","));
}

fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            fs::create_dir_all(dir)?;
        }
    }
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    // A file that does not end in a newline would glue our line to its last one.
    let needs_newline = fs::read(path)
        .map(|bytes| bytes.last().is_some_and(|&b| b != b'\n'))
        .unwrap_or(false);
    if needs_newline {
        file.write_all(b"\n")?;
    }
    file.write_all(line.as_bytes())?;
    file.sync_all()
}

/// Tries the agent, then identity files; the error lists every attempt.
fn authenticate(session: &Session, target: &SshTarget, ctx: &SshContext) -> Result<(), String> {
    let shown = target.display();
    let mut tried: Vec<String> = Vec::new();
    if ctx.use_agent && !target.identities_only {
        match try_agent(session, &target.user) {
            Ok(()) => return Ok(()),
            Err(reason) => tried.push(format!("ssh-agent ({reason})")),
        }
    }
    let mut files: Vec<(PathBuf, bool)> = target
        .identity_files
        .iter()
        .map(|p| (p.clone(), true))
        .collect();
    let only_configured = target.identities_only && !files.is_empty();
    for p in ctx.identity_files.iter().filter(|_| !only_configured) {
        if !files.iter().any(|(f, _)| f == p) {
            files.push((p.clone(), false));
        }
    }
    for (path, explicit) in files {
        if !path.exists() {
            if explicit {
                tried.push(format!("{} (not found)", path.display()));
            }
            continue;
        }
        match session.userauth_pubkey_file(&target.user, None, &path, None) {
            Ok(()) if session.authenticated() => return Ok(()),
            Ok(()) => tried.push(format!("{} (not accepted)", path.display())),
            Err(e) => {
                let reason = if key_is_encrypted(&path) {
                    "encrypted: load it into ssh-agent".to_string()
                } else if e.code() == ssh2::ErrorCode::Session(-18) {
                    "rejected by the server".to_string()
                } else {
                    e.message().to_string()
                };
                tried.push(format!("{} ({reason})", path.display()));
            }
        }
    }
    if tried.is_empty() {
        tried.push("no identity files found".into());
    }
    Err(format!(
        "{shown}: authentication failed; tried: {}",
        tried.join(", ")
    ))
}

fn try_agent(session: &Session, user: &str) -> Result<(), String> {
    if std::env::var_os("SSH_AUTH_SOCK").is_none() {
        return Err("not running: SSH_AUTH_SOCK is unset".into());
    }
    let mut agent = session.agent().map_err(|e| e.message().to_string())?;
    agent
        .connect()
        .map_err(|e| format!("cannot connect: {}", e.message()))?;
    agent
        .list_identities()
        .map_err(|e| format!("cannot list keys: {}", e.message()))?;
    let identities = agent.identities().map_err(|e| e.message().to_string())?;
    for identity in &identities {
        if agent.userauth(user, identity).is_ok() && session.authenticated() {
            let _ = agent.disconnect();
            return Ok(());
        }
    }
    let _ = agent.disconnect();
    Err(format!("{} keys, none accepted", identities.len()))
}

/// Whether a private key file is protected by a passphrase (PEM or OpenSSH format).
fn key_is_encrypted(path: &Path) -> bool {
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    if text.contains("ENCRYPTED") {
        return true;
    }
    if !text.contains("BEGIN OPENSSH PRIVATE KEY") {
        return false;
    }
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body.trim()) else {
        return false;
    };
    // "openssh-key-v1\0", then the cipher name as a length-prefixed string.
    let magic = b"openssh-key-v1\0";
    let Some(rest) = bytes.strip_prefix(magic.as_slice()) else {
        return false;
    };
    let Some(len) = rest
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
    else {
        return false;
    };
    rest.get(4..4 + len).is_some_and(|cipher| cipher != b"none")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hosts_names_bracket_non_default_ports() {
        assert_eq!(known_hosts_name("web-1", 22), "web-1");
        assert_eq!(known_hosts_name("127.0.0.1", 2222), "[127.0.0.1]:2222");
    }

    #[test]
    fn fingerprints_look_like_openssh() {
        let f = fingerprint(b"key");
        assert!(f.starts_with("SHA256:"));
        assert!(!f.ends_with('='));
        assert_eq!(f.len(), "SHA256:".len() + 43);
    }

    #[test]
    fn encrypted_keys_are_detected() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        let locked = dir.path().join("locked");
        let ok = |args: &[&str]| {
            std::process::Command::new("ssh-keygen")
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !ok(&[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            plain.to_str().unwrap(),
        ]) || !ok(&[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "pass phrase",
            "-f",
            locked.to_str().unwrap(),
        ]) {
            eprintln!("skipped: ssh-keygen is not available");
            return;
        }
        assert!(!key_is_encrypted(&plain));
        assert!(key_is_encrypted(&locked));
    }

    #[test]
    fn appended_known_host_lines_start_on_their_own_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/known_hosts");
        append_line(&file, "a ssh-ed25519 AAAA\n").unwrap();
        fs::write(&file, "a ssh-ed25519 AAAA").unwrap();
        append_line(&file, "b ssh-ed25519 BBBB\n").unwrap();
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "a ssh-ed25519 AAAA\nb ssh-ed25519 BBBB\n"
        );
    }
}
