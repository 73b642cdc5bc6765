//! How a host entry becomes a connection plan, read from the SSH client configuration
//! the way `ssh` reads it.
//!
//! When an OpenSSH client is installed, `ssh -G HOST` is the authority ([`openssh`]):
//! it applies `Include`, `Match`, negated patterns, first-value-wins and `%` tokens
//! exactly as `ssh HOST` would. Without one, a parser crate reads the file
//! ([`fallback`]); it does not evaluate `Match` blocks, which are then refused.
//!
//! Directives that would change where or how the connection goes and that driftscope
//! cannot honour give one error naming the host and the directive, never a silently
//! different connection.

pub mod fallback;
pub mod openssh;
pub mod tokens;

use std::path::PathBuf;
use std::time::Duration;

use super::inventory::parse_entry;

/// How the TCP stream to a host is obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A TCP connection straight to the host.
    Direct,
    /// Through jump hosts, first to last (`ProxyJump`); each is fully resolved.
    Jump(Vec<SshTarget>),
    /// Through a command whose stdin/stdout carry the connection (`ProxyCommand`),
    /// tokens already expanded.
    Command(String),
}

/// What `StrictHostKeyChecking` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrictHostKeys {
    /// `yes` or `ask`: unknown keys are refused unless `--accept-new-host-keys`.
    Yes,
    /// `accept-new`, `no` or `off`: unknown keys are recorded; changed keys are still
    /// refused.
    AcceptNew,
}

/// Everything needed to open an SSH connection to one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// The entry as written (in `driftscope.toml`, or in a `ProxyJump` list).
    pub entry: String,
    /// The host name or address to connect to (after `HostName`).
    pub host: String,
    /// The port.
    pub port: u16,
    /// The user to log in as.
    pub user: String,
    /// Identity files named by the SSH configuration, in order.
    pub identity_files: Vec<PathBuf>,
    /// `IdentitiesOnly yes`: only those files, no agent.
    pub identities_only: bool,
    /// How the connection is carried.
    pub via: Via,
    /// `UserKnownHostsFile`, when the configuration gives it.
    pub known_hosts: Option<Vec<PathBuf>>,
    /// `StrictHostKeyChecking`, when the configuration gives it.
    pub strict: Option<StrictHostKeys>,
    /// `ConnectTimeout`, when the configuration gives it.
    pub connect_timeout: Option<Duration>,
}

impl SshTarget {
    /// A target with nothing but the entry's own parts.
    pub fn plain(entry: &str, host: &str, port: u16, user: &str) -> SshTarget {
        SshTarget {
            entry: entry.to_string(),
            host: host.to_string(),
            port,
            user: user.to_string(),
            identity_files: Vec::new(),
            identities_only: false,
            via: Via::Direct,
            known_hosts: None,
            strict: None,
            connect_timeout: None,
        }
    }

    /// `user@host:port`, for messages.
    pub fn display(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{}@{host}:{}", self.user, self.port)
    }

    /// A key naming this host and the way it is reached, for sharing sessions.
    pub fn route_key(&self) -> String {
        match &self.via {
            Via::Direct => self.display(),
            Via::Command(cmd) => format!("{} via command {cmd}", self.display()),
            Via::Jump(hops) => {
                let chain: Vec<String> = hops.iter().map(SshTarget::route_key).collect();
                format!("{} via [{}]", self.display(), chain.join(" > "))
            }
        }
    }
}

/// How deep jump hosts may nest through their own configuration.
pub const MAX_JUMP_DEPTH: usize = 8;

/// Where the SSH client configuration comes from and how it is read.
#[derive(Debug, Clone)]
pub enum ClientConfig {
    /// `ssh -G` with this configuration file (`None`: the user's default files).
    OpenSsh(openssh::OpenSsh),
    /// The built-in parser.
    Fallback(fallback::Fallback),
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig::Fallback(fallback::Fallback::default())
    }
}

impl ClientConfig {
    /// `ssh -G` when an OpenSSH client is installed, the built-in parser otherwise.
    /// `path` is the configuration file; `None` means the user's default files.
    pub fn load(path: Option<&std::path::Path>, home: Option<&std::path::Path>) -> ClientConfig {
        match openssh::OpenSsh::detect(path, home) {
            Some(o) => ClientConfig::OpenSsh(o),
            None => ClientConfig::Fallback(fallback::Fallback::load(path)),
        }
    }

    /// The built-in parser only (for tests and systems without `ssh`).
    pub fn load_fallback(path: Option<&std::path::Path>) -> ClientConfig {
        ClientConfig::Fallback(fallback::Fallback::load(path))
    }

    /// Resolves an entry to a connection plan: the configuration's settings apply
    /// unless the entry itself names a user or port; `options.jump` (OpenSSH's `-J`
    /// list) or `options.proxy_command` replaces any configured proxy, and
    /// `options.identity_file` is tried first.
    pub fn resolve(
        &self,
        entry: &str,
        default_user: &str,
        options: &crate::collect::inventory::EntryOptions,
    ) -> Result<SshTarget, String> {
        let proxy = match (&options.jump, &options.proxy_command) {
            (Some(jump), _) => Some(Proxy::Jump(jump.clone())),
            (None, Some(command)) => Some(Proxy::Command(command.clone())),
            (None, None) => None,
        };
        let mut target = self.resolve_depth(entry, default_user, proxy, 0)?;
        if let Some(file) = &options.identity_file {
            target.identity_files.insert(0, file.clone());
        }
        Ok(target)
    }

    fn resolve_depth(
        &self,
        entry: &str,
        default_user: &str,
        replace: Option<Proxy>,
        depth: usize,
    ) -> Result<SshTarget, String> {
        if depth > MAX_JUMP_DEPTH {
            return Err(format!(
                "'{entry}': jump hosts nest more than {MAX_JUMP_DEPTH} deep (a ProxyJump loop?)"
            ));
        }
        let parts = parse_entry(entry)?;
        let (mut target, proxy) = match self {
            ClientConfig::OpenSsh(o) => o.query(entry, &parts, default_user)?,
            ClientConfig::Fallback(f) => f.query(entry, &parts, default_user)?,
        };
        let proxy = replace.unwrap_or(proxy);
        target.via = match proxy {
            Proxy::None => Via::Direct,
            // A host with a ProxyCommand has no ProxyJump: `%j` is empty.
            Proxy::Command(cmd) => Via::Command(tokens::expand(
                &cmd,
                &target,
                &parts.host,
                "",
                tokens::Local::current(),
            )?),
            Proxy::Jump(list) => {
                let mut hops = Vec::new();
                for (i, hop) in split_jump_list(&list).iter().enumerate() {
                    // The first hop is reached as its own configuration says; the
                    // others through the hop before them.
                    let mut resolved = self
                        .resolve_depth(hop, default_user, None, depth + 1)
                        .map_err(|e| format!("jump host '{hop}' of '{entry}': {e}"))?;
                    if i > 0 {
                        resolved.via = Via::Direct;
                    }
                    hops.push(resolved);
                }
                if hops.is_empty() {
                    Via::Direct
                } else {
                    Via::Jump(hops)
                }
            }
        };
        Ok(target)
    }
}

/// A proxy as the configuration gives it, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proxy {
    /// None configured.
    None,
    /// `ProxyJump` list as written.
    Jump(String),
    /// `ProxyCommand` as written.
    Command(String),
}

/// Splits a `ProxyJump` list (`a,user@b:2222,ssh://c`), dropping `ssh://`.
pub fn split_jump_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("none"))
        .map(|s| s.strip_prefix("ssh://").unwrap_or(s).to_string())
        .collect()
}

/// Expands a leading `~/` with `home`.
pub fn expand_home(path: &str, home: Option<&std::path::Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_lists_split_on_commas() {
        assert_eq!(
            split_jump_list("a, ops@b:2222,ssh://c"),
            vec!["a", "ops@b:2222", "c"]
        );
        assert!(split_jump_list("none").is_empty());
    }

    #[test]
    fn route_keys_name_the_whole_path() {
        let bastion = SshTarget::plain("b", "10.0.0.1", 22, "ops");
        let mut t = SshTarget::plain("web", "10.1.0.5", 22, "deploy");
        t.via = Via::Jump(vec![bastion]);
        assert_eq!(t.route_key(), "deploy@10.1.0.5:22 via [ops@10.0.0.1:22]");
    }
}
