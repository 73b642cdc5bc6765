//! The SSH client configuration read by a parser crate, for systems without an
//! OpenSSH client. It honours `Include`, `Host` patterns (with negation), first value
//! wins, and `HostName`, `User`, `Port`, `IdentityFile`, `IdentitiesOnly`,
//! `ProxyJump`, `ProxyCommand`, `UserKnownHostsFile`, `StrictHostKeyChecking` and
//! `ConnectTimeout`. It does not evaluate `Match` blocks or `%` tokens other than
//! `ProxyCommand`'s: a host they would apply to gets an error instead.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use ssh2_config::{ParseRule, SshConfig as SshClientConfig};

use super::{Proxy, SshTarget, StrictHostKeys, expand_home};
use crate::collect::inventory::Entry;

/// Directives that would change the connection and that this reader cannot follow.
const REFUSED: &[&str] = &[
    "match",
    "hostkeyalias",
    "remotecommand",
    "knownhostscommand",
    "pkcs11provider",
    "securitykeyprovider",
    "bindaddress",
    "bindinterface",
    "proxyusefdpass",
];

/// A parsed configuration, or why it could not be read.
#[derive(Debug, Clone, Default)]
pub struct Fallback {
    parsed: Option<SshClientConfig>,
    path: Option<PathBuf>,
    error: Option<String>,
}

impl Fallback {
    /// Reads the configuration at `path`; a missing file is an empty configuration.
    pub fn load(path: Option<&Path>) -> Fallback {
        let Some(path) = path else {
            return Fallback::default();
        };
        let file = match crate::input::open(path, crate::input::SETTINGS_LIMIT) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Fallback::default(),
            Err(e) => {
                return Fallback {
                    error: Some(format!("{}: {e}", path.display())),
                    ..Fallback::default()
                };
            }
        };
        let rules = ParseRule::ALLOW_UNKNOWN_FIELDS | ParseRule::ALLOW_UNSUPPORTED_FIELDS;
        match SshClientConfig::default().parse(&mut BufReader::new(file), rules) {
            Ok(parsed) => Fallback {
                parsed: Some(parsed),
                path: Some(path.to_path_buf()),
                error: None,
            },
            Err(e) => Fallback {
                error: Some(format!("{}: {e}", path.display())),
                ..Fallback::default()
            },
        }
    }

    /// The settings of `entry` (whose parts are `parts`), and its proxy.
    pub fn query(
        &self,
        entry: &str,
        parts: &Entry,
        default_user: &str,
    ) -> Result<(SshTarget, Proxy), String> {
        if let Some(err) = &self.error {
            return Err(format!("cannot read the SSH configuration {err}"));
        }
        let mut target = SshTarget::plain(
            entry,
            &parts.host,
            parts.port.unwrap_or(22),
            parts.user.as_deref().unwrap_or(default_user),
        );
        let Some(parsed) = &self.parsed else {
            return Ok((target, Proxy::None));
        };
        let params = parsed.query(&parts.host);
        let path = self
            .path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let extra = |name: &str| -> Option<Vec<String>> {
            params
                .unsupported_fields
                .iter()
                .chain(params.ignored_fields.iter())
                .find(|(field, _)| field.eq_ignore_ascii_case(name))
                .map(|(_, args)| args.clone())
        };
        for (field, args) in params
            .unsupported_fields
            .iter()
            .chain(params.ignored_fields.iter())
        {
            let lower = field.to_ascii_lowercase();
            let is_off = args.len() == 1
                && (args[0].eq_ignore_ascii_case("none") || args[0].eq_ignore_ascii_case("no"));
            if REFUSED.contains(&lower.as_str()) && !is_off {
                return Err(format!(
                    "{path}: '{field}' applies to '{}' but driftscope's built-in SSH \
                     configuration reader cannot honour it; install the OpenSSH client \
                     (ssh) so driftscope can ask `ssh -G`, or remove it for this host",
                    parts.host
                ));
            }
        }
        if let Some(name) = params.host_name {
            target.host = name;
        }
        if parts.port.is_none() {
            if let Some(port) = params.port {
                target.port = port;
            }
        }
        if parts.user.is_none() {
            if let Some(user) = params.user {
                target.user = user;
            }
        }
        let home = std::env::var_os("HOME").map(PathBuf::from);
        target.identity_files = params.identity_file.unwrap_or_default();
        target.connect_timeout = params.connect_timeout;
        target.identities_only = extra("identitiesonly")
            .is_some_and(|a| a.first().is_some_and(|v| v.eq_ignore_ascii_case("yes")));
        target.known_hosts = extra("userknownhostsfile").map(|files| {
            files
                .iter()
                .map(|f| expand_home(f, home.as_deref()))
                .collect()
        });
        target.strict = extra("stricthostkeychecking").and_then(|a| {
            match a.first().map(|v| v.to_ascii_lowercase()).as_deref() {
                Some("accept-new" | "no" | "off" | "false") => Some(StrictHostKeys::AcceptNew),
                Some("yes" | "true") => Some(StrictHostKeys::Yes),
                _ => None,
            }
        });
        let proxy = match (extra("proxyjump"), extra("proxycommand")) {
            (Some(j), _) if !j.is_empty() && !j[0].eq_ignore_ascii_case("none") => {
                Proxy::Jump(j.join(","))
            }
            (_, Some(c)) if !c.is_empty() && !c[0].eq_ignore_ascii_case("none") => {
                Proxy::Command(c.join(" "))
            }
            _ => Proxy::None,
        };
        Ok((target, proxy))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ClientConfig, Via};
    use super::*;
    use crate::collect::inventory::EntryOptions;

    fn config(text: &str) -> (tempfile::TempDir, ClientConfig) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, text).unwrap();
        let cfg = ClientConfig::load_fallback(Some(&path));
        (dir, cfg)
    }

    #[test]
    fn aliases_resolve_host_name_user_port_and_identity() {
        let (_d, cfg) = config(
            "Host prod-web\n  HostName 10.0.0.5\n  User deploy\n  Port 2200\n  IdentityFile /keys/prod\n\nHost *\n  User nobody\n",
        );
        let t = cfg
            .resolve("prod-web", "me", &EntryOptions::default())
            .unwrap();
        assert_eq!(t.display(), "deploy@10.0.0.5:2200");
        assert_eq!(t.identity_files, vec![PathBuf::from("/keys/prod")]);
        let t = cfg
            .resolve("admin@prod-web:22", "me", &EntryOptions::default())
            .unwrap();
        assert_eq!((t.port, t.user.as_str()), (22, "admin"));
        let t = cfg
            .resolve("other", "me", &EntryOptions::default())
            .unwrap();
        assert_eq!((t.host.as_str(), t.user.as_str()), ("other", "nobody"));
    }

    #[test]
    fn proxy_jump_chains_resolve_each_hop() {
        let (_d, cfg) = config(
            "Host inner\n  HostName 10.1.1.1\n  ProxyJump bastion,ops@second:2222\n\n\
             Host bastion\n  HostName 203.0.113.1\n  User jump\n",
        );
        let t = cfg
            .resolve("inner", "me", &EntryOptions::default())
            .unwrap();
        let Via::Jump(hops) = &t.via else {
            panic!("{:?}", t.via)
        };
        let shown: Vec<String> = hops.iter().map(SshTarget::display).collect();
        assert_eq!(shown, ["jump@203.0.113.1:22", "ops@second:2222"]);
    }

    #[test]
    fn proxy_command_tokens_are_expanded() {
        let (_d, cfg) = config("Host pc\n  HostName 10.2.2.2\n  ProxyCommand nc %h %p\n");
        let t = cfg.resolve("pc", "me", &EntryOptions::default()).unwrap();
        assert_eq!(t.via, Via::Command("nc 10.2.2.2 22".into()));
    }

    #[test]
    fn match_blocks_are_refused_by_the_fallback() {
        let (_d, cfg) = config("Match host inner\n  User x\n");
        let err = cfg
            .resolve("inner", "me", &EntryOptions::default())
            .unwrap_err();
        assert!(err.to_lowercase().contains("match"), "{err}");
        assert!(err.contains("inner"), "{err}");
    }

    #[test]
    fn a_missing_config_file_is_empty() {
        let cfg = ClientConfig::load_fallback(Some(Path::new("/nonexistent/ssh/config")));
        assert_eq!(
            cfg.resolve("h", "me", &EntryOptions::default())
                .unwrap()
                .host,
            "h"
        );
    }
}
