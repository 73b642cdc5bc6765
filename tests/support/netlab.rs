//! A small network of real OpenSSH servers where the targets are reachable only
//! through a bastion, built from network namespaces:
//!
//! ```text
//! this machine --(veth)--> ns A: bastion :22
//!                             --(veth)--> ns B: target :22, jump2 :2200
//!                                            --(veth)--> ns C: deep :22
//! ```
//!
//! Nothing routes between the links, so from this machine only the bastion answers;
//! the bastion reaches B, and only B reaches C. Every server accepts one shared client
//! key ([`NetLab::client_key`]) and logs accepted logins (`LogLevel INFO`).
//!
//! When namespaces cannot be created (not root, no `ip`), [`NetLab::start`] prints why
//! and returns `None`, unless `DRIFTSCOPE_REQUIRE_SERVICES=1` makes that a failure.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use tempfile::TempDir;

use super::sshd::{Sshd, SshdSetup, unavailable};

/// The address of the bastion's link to B, as B sees it.
pub const TARGET_ADDRESS: &str = "192.168.71.2";
/// The address of C, reachable only from B.
pub const DEEP_ADDRESS: &str = "192.168.72.2";

/// The lab: servers first so they stop before their namespaces go.
pub struct NetLab {
    /// The bastion, in A, reachable from this machine at [`NetLab::bastion_address`].
    pub bastion: Sshd,
    /// A target in B, port 22.
    pub target: Sshd,
    /// A second server in B, port 2200: a second target, or the second hop of a chain.
    pub jump2: Sshd,
    /// A server in C, reachable only from B.
    pub deep: Sshd,
    /// The client key every server accepts.
    pub client_key: PathBuf,
    /// The bastion's address from this machine.
    pub bastion_address: String,
    namespaces: Vec<String>,
    _keys: TempDir,
}

static LABS: AtomicUsize = AtomicUsize::new(0);

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run ip: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A short id, different per lab and per process.
fn lab_id() -> u32 {
    let n = LABS.fetch_add(1, Ordering::SeqCst) as u32;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    (std::process::id().wrapping_mul(2_654_435_761) ^ nanos ^ (n << 20)) & 0xff_ffff
}

/// Removes the namespaces when setting up fails halfway.
struct Namespaces(Vec<String>);

impl Drop for Namespaces {
    fn drop(&mut self) {
        for ns in &self.0 {
            let _ = ip(&["netns", "del", ns]);
        }
    }
}

impl NetLab {
    /// Builds the namespaces and starts the four servers.
    pub fn start() -> Option<NetLab> {
        if !std::path::Path::new("/usr/sbin/sshd").exists()
            && std::env::var_os("DRIFTSCOPE_SSHD").is_none()
        {
            return unavailable("/usr/sbin/sshd is not installed");
        }
        let id = lab_id();
        let names: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|s| format!("ds{id:06x}{s}"))
            .collect();
        let mut made = Namespaces(Vec::new());
        // The link from this machine to A uses 10.64.0.0/10, one /30 per lab.
        let net = 0x0A40_0000u32 | ((id & 0x3f_ffff) << 2);
        let addr = |host: u32| {
            let a = net | host;
            format!(
                "{}.{}.{}.{}",
                a >> 24,
                (a >> 16) & 0xff,
                (a >> 8) & 0xff,
                a & 0xff
            )
        };
        let (root_ip, bastion_ip) = (addr(1), addr(2));
        let veth = |side: &str| format!("dv{id:06x}{side}");
        let setup = |made: &mut Namespaces| -> Result<(), String> {
            for ns in &names {
                ip(&["netns", "add", ns])?;
                made.0.push(ns.clone());
                ip(&["-n", ns, "link", "set", "lo", "up"])?;
            }
            let (a, b, c) = (&names[0], &names[1], &names[2]);
            // this machine <-> A
            ip(&[
                "link",
                "add",
                &veth("r"),
                "type",
                "veth",
                "peer",
                "name",
                &veth("ra"),
            ])?;
            ip(&["link", "set", &veth("ra"), "netns", a])?;
            ip(&["addr", "add", &format!("{root_ip}/30"), "dev", &veth("r")])?;
            ip(&["link", "set", &veth("r"), "up"])?;
            ip(&[
                "-n",
                a,
                "addr",
                "add",
                &format!("{bastion_ip}/30"),
                "dev",
                &veth("ra"),
            ])?;
            ip(&["-n", a, "link", "set", &veth("ra"), "up"])?;
            // A <-> B and B <-> C, inside the namespaces only.
            for (left, right, left_ip, right_ip, tag) in [
                (a, b, "192.168.71.1", TARGET_ADDRESS, "ab"),
                (b, c, "192.168.72.1", DEEP_ADDRESS, "bc"),
            ] {
                let (l, r) = (veth(&format!("{tag}l")), veth(&format!("{tag}r")));
                ip(&[
                    "-n", left, "link", "add", &l, "type", "veth", "peer", "name", &r,
                ])?;
                ip(&["-n", left, "link", "set", &r, "netns", right])?;
                ip(&[
                    "-n",
                    left,
                    "addr",
                    "add",
                    &format!("{left_ip}/30"),
                    "dev",
                    &l,
                ])?;
                ip(&[
                    "-n",
                    right,
                    "addr",
                    "add",
                    &format!("{right_ip}/30"),
                    "dev",
                    &r,
                ])?;
                ip(&["-n", left, "link", "set", &l, "up"])?;
                ip(&["-n", right, "link", "set", &r, "up"])?;
            }
            Ok(())
        };
        if let Err(e) = setup(&mut made) {
            return unavailable(&format!("cannot build network namespaces: {e}"));
        }
        let keys = tempfile::tempdir().expect("temporary folder");
        let client_key = keys.path().join("client_key");
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "lab", "-f"])
            .arg(&client_key)
            .stdin(Stdio::null())
            .status()
            .expect("run ssh-keygen");
        assert!(status.success());
        let server = |ns: &str, address: &str, port: u16| {
            Sshd::start_with(&SshdSetup {
                netns: Some(ns.to_string()),
                address: address.to_string(),
                port: Some(port),
                log_level: "INFO",
                extra_authorized_key: Some(client_key.with_extension("pub")),
                extra_users: Vec::new(),
            })
        };
        let bastion = server(&names[0], &bastion_ip, 22)?;
        let target = server(&names[1], TARGET_ADDRESS, 22)?;
        let jump2 = server(&names[1], TARGET_ADDRESS, 2200)?;
        let deep = server(&names[2], DEEP_ADDRESS, 22)?;
        let namespaces = std::mem::take(&mut made.0);
        Some(NetLab {
            bastion,
            target,
            jump2,
            deep,
            client_key,
            bastion_address: bastion_ip,
            namespaces,
            _keys: keys,
        })
    }

    /// A known-hosts file trusting every server of the lab, written to the lab's folder.
    pub fn known_hosts(&self) -> PathBuf {
        let path = self._keys.path().join("known_hosts");
        let text: String = [&self.bastion, &self.target, &self.jump2, &self.deep]
            .iter()
            .map(|s| s.known_hosts_line())
            .collect();
        std::fs::write(&path, text).expect("write known_hosts");
        path
    }

    /// A folder that lives as long as the lab, for configs and known-hosts files.
    pub fn dir(&self) -> &std::path::Path {
        self._keys.path()
    }
}

impl Drop for NetLab {
    fn drop(&mut self) {
        // The servers stop when their fields drop, after this; namespaces with running
        // processes are still removed (the processes keep them until they exit).
        for ns in &self.namespaces {
            let _ = ip(&["netns", "del", ns]);
        }
    }
}
