//! `ssh -G HOST`: the OpenSSH client prints the configuration it would use for a host,
//! with `Include`, `Match` (including `exec`), negations, first-value-wins and `%`
//! tokens already applied. driftscope reads that instead of guessing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Proxy, SshTarget, StrictHostKeys, expand_home};
use crate::collect::inventory::Entry;

/// Directives that change the connection in ways driftscope cannot follow; `ssh -G`
/// prints them only when they are set.
const REFUSED: &[&str] = &[
    "hostkeyalias",
    "remotecommand",
    "knownhostscommand",
    "pkcs11provider",
    "bindaddress",
    "bindinterface",
];

/// The OpenSSH client, asked through `ssh -G`.
#[derive(Debug, Clone)]
pub struct OpenSsh {
    /// `-F` file; `None` reads the user's and the system's default files.
    config: Option<PathBuf>,
    /// The home folder `~` stands for in identity files.
    home: Option<PathBuf>,
    /// The user `ssh` logs in as when nothing names one.
    local_user: String,
    /// Answers already read, by entry and default user: fifty hosts behind one
    /// bastion ask for the bastion once.
    cache: Arc<Mutex<HashMap<(String, String), Answer>>>,
}

type Answer = Result<(SshTarget, Proxy), String>;

impl OpenSsh {
    /// `Some` when an OpenSSH client answers `ssh -G`. A configuration file that does
    /// not exist reads as empty.
    pub fn detect(config: Option<&Path>, home: Option<&Path>) -> Option<OpenSsh> {
        let out = Command::new("ssh")
            .args(["-G", "-F", "/dev/null", "driftscope-probe"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let local_user = values(&text, "user").into_iter().next()?;
        let config = config.map(|p| {
            if p.exists() {
                p.to_path_buf()
            } else {
                PathBuf::from("/dev/null")
            }
        });
        Some(OpenSsh {
            config,
            home: home.map(Path::to_path_buf),
            local_user,
            cache: Arc::default(),
        })
    }

    /// The resolved settings of `entry` (whose parts are `parts`), and its proxy.
    pub fn query(
        &self,
        entry: &str,
        parts: &Entry,
        default_user: &str,
    ) -> Result<(SshTarget, Proxy), String> {
        let key = (entry.to_string(), default_user.to_string());
        if let Some(answer) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return answer;
        }
        let answer = self.ask(entry, parts, default_user);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, answer.clone());
        }
        answer
    }

    fn ask(&self, entry: &str, parts: &Entry, default_user: &str) -> Answer {
        let mut cmd = Command::new("ssh");
        cmd.arg("-G");
        if let Some(file) = &self.config {
            cmd.arg("-F").arg(file);
        }
        if let Some(user) = &parts.user {
            cmd.arg("-l").arg(user);
        }
        if let Some(port) = parts.port {
            cmd.arg("-p").arg(port.to_string());
        }
        // `--` keeps a host that starts with '-' from reading as an option.
        cmd.arg("--").arg(&parts.host);
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("'{entry}': cannot run ssh -G: {e}"))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let line = stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("Pseudo-terminal"))
                .unwrap_or("no reason given");
            return Err(format!(
                "'{entry}': the SSH configuration cannot be read (ssh -G: {line})"
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        self.read(entry, parts, default_user, &text)
    }

    /// Reads `ssh -G` output.
    fn read(
        &self,
        entry: &str,
        parts: &Entry,
        default_user: &str,
        text: &str,
    ) -> Result<(SshTarget, Proxy), String> {
        let one = |key: &str| values(text, key).into_iter().next();
        for key in REFUSED {
            if let Some(value) = one(key) {
                return Err(refused(entry, key, &value));
            }
        }
        if one("proxyusefdpass").is_some_and(|v| v == "yes") {
            return Err(refused(entry, "proxyusefdpass", "yes"));
        }
        let host = one("hostname").unwrap_or_else(|| parts.host.clone());
        let port = match one("port") {
            Some(p) => p
                .parse::<u16>()
                .map_err(|_| format!("'{entry}': ssh -G gives a bad port '{p}'"))?,
            None => 22,
        };
        let user = match (&parts.user, one("user")) {
            (Some(u), _) => u.clone(),
            // ssh's own default: driftscope's `[ssh] user` (or the login name) instead.
            (None, Some(u)) if u != self.local_user => u,
            _ => default_user.to_string(),
        };
        let mut target = SshTarget::plain(entry, &host, port, &user);
        target.identity_files = values(text, "identityfile")
            .into_iter()
            .filter(|f| !is_default_identity(f))
            .map(|f| expand_home(&f, self.home.as_deref()))
            .collect();
        target.identities_only = one("identitiesonly").is_some_and(|v| v == "yes");
        target.known_hosts = one("userknownhostsfile")
            .filter(|v| !is_default_known_hosts(v))
            .map(|v| {
                v.split_whitespace()
                    .map(|f| expand_home(f, self.home.as_deref()))
                    .collect()
            });
        target.strict = match one("stricthostkeychecking").as_deref() {
            Some("accept-new" | "no" | "off" | "false") => Some(StrictHostKeys::AcceptNew),
            Some("yes" | "true") => Some(StrictHostKeys::Yes),
            _ => None,
        };
        target.connect_timeout = one("connecttimeout")
            .and_then(|v| v.parse::<u64>().ok())
            .map(Duration::from_secs);
        let proxy = match (one("proxyjump"), one("proxycommand")) {
            (Some(j), _) if j != "none" => Proxy::Jump(j),
            (_, Some(c)) if c != "none" => Proxy::Command(c),
            _ => Proxy::None,
        };
        Ok((target, proxy))
    }
}

fn refused(entry: &str, key: &str, value: &str) -> String {
    format!(
        "'{entry}': the SSH configuration sets {key} {value}, which driftscope cannot honour; \
         remove it for this host (see docs/ssh.md)"
    )
}

/// Every value of `key` in `ssh -G` output (`key value…` lines).
fn values(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (k, v) = line.split_once(' ')?;
            (k == key).then(|| v.trim().to_string())
        })
        .collect()
}

/// ssh's built-in identity files, printed when none is configured.
fn is_default_identity(file: &str) -> bool {
    file.strip_prefix("~/.ssh/id_").is_some_and(|name| {
        [
            "rsa",
            "ecdsa",
            "ecdsa_sk",
            "ed25519",
            "ed25519_sk",
            "xmss",
            "dsa",
        ]
        .contains(&name)
    })
}

/// ssh's built-in `~/.ssh/known_hosts ~/.ssh/known_hosts2`, home already expanded.
fn is_default_known_hosts(value: &str) -> bool {
    let files: Vec<&str> = value.split_whitespace().collect();
    match files.as_slice() {
        [first, second] => first
            .strip_suffix("/.ssh/known_hosts")
            .is_some_and(|home| *second == format!("{home}/.ssh/known_hosts2")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::inventory::parse_entry;

    fn openssh() -> OpenSsh {
        OpenSsh {
            config: None,
            home: Some(PathBuf::from("/home/me")),
            local_user: "me".into(),
            cache: Arc::default(),
        }
    }

    #[test]
    fn ssh_g_output_becomes_a_target() {
        let text = "user deploy\nhostname 10.0.0.5\nport 2222\nidentityfile ~/.ssh/prod\n\
                    identityfile ~/.ssh/id_rsa\nidentitiesonly yes\n\
                    userknownhostsfile ~/.ssh/prod_hosts\nstricthostkeychecking accept-new\n\
                    connecttimeout 7\nproxyjump ops@bastion\nproxycommand none\n";
        let (t, proxy) = openssh()
            .read("web", &parse_entry("web").unwrap(), "fallback", text)
            .unwrap();
        assert_eq!(t.display(), "deploy@10.0.0.5:2222");
        assert_eq!(t.identity_files, vec![PathBuf::from("/home/me/.ssh/prod")]);
        assert!(t.identities_only);
        assert_eq!(
            t.known_hosts,
            Some(vec![PathBuf::from("/home/me/.ssh/prod_hosts")])
        );
        assert_eq!(t.strict, Some(StrictHostKeys::AcceptNew));
        assert_eq!(t.connect_timeout, Some(Duration::from_secs(7)));
        assert_eq!(proxy, Proxy::Jump("ops@bastion".into()));
    }

    #[test]
    fn ssh_defaults_leave_driftscope_defaults_alone() {
        let text = "user me\nhostname web\nport 22\nidentityfile ~/.ssh/id_rsa\n\
                    userknownhostsfile /home/me/.ssh/known_hosts /home/me/.ssh/known_hosts2\n\
                    stricthostkeychecking ask\nconnecttimeout none\nproxyusefdpass no\n";
        let (t, proxy) = openssh()
            .read("web", &parse_entry("web").unwrap(), "ops", text)
            .unwrap();
        assert_eq!(t.user, "ops");
        assert!(t.identity_files.is_empty());
        assert_eq!(t.known_hosts, None);
        assert_eq!(t.strict, None);
        assert_eq!(t.connect_timeout, None);
        assert_eq!(proxy, Proxy::None);
    }

    #[test]
    fn unhonourable_directives_name_host_and_directive() {
        let text = "user me\nhostname web\nport 22\nhostkeyalias other\n";
        let err = openssh()
            .read("web", &parse_entry("web").unwrap(), "me", text)
            .unwrap_err();
        assert!(err.starts_with("'web': "), "{err}");
        assert!(err.contains("hostkeyalias other"), "{err}");
    }
}
