//! OpenSSH's `%` tokens in a `ProxyCommand`: the remote ones (`%h %p %r %n %j %k`),
//! the local ones (`%u %d %i %L %l`), the connection hash `%C` and `%%`. A token
//! OpenSSH would not expand there is an error naming it, never a command run with a
//! stray `%`.

use std::sync::OnceLock;

use sha1::{Digest, Sha1};

use super::SshTarget;

/// What the local tokens expand to: this machine and the user running driftscope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// `%u`: the local user's name.
    pub user: String,
    /// `%d`: the local user's home folder.
    pub home: String,
    /// `%i`: the local user's id.
    pub uid: u32,
    /// `%l`: the local host name, with its domain when it has one.
    pub host: String,
}

impl Local {
    /// This process's user and machine, read once: the user's name and home from the
    /// password database as OpenSSH does (`$USER`, `$HOME` when it has no entry).
    pub fn current() -> &'static Local {
        static LOCAL: OnceLock<Local> = OnceLock::new();
        LOCAL.get_or_init(|| {
            let uid = rustix::process::getuid().as_raw();
            let entry = std::fs::read_to_string("/etc/passwd")
                .ok()
                .and_then(|text| passwd_entry(&text, uid));
            let env = |name: &str| std::env::var(name).unwrap_or_default();
            let (user, home) = entry.unwrap_or_else(|| (env("USER"), env("HOME")));
            let host = rustix::system::uname()
                .nodename()
                .to_string_lossy()
                .into_owned();
            Local {
                user,
                home,
                uid,
                host,
            }
        })
    }

    /// `%L`: the local host name up to its first dot.
    pub fn short_host(&self) -> &str {
        self.host.split('.').next().unwrap_or(&self.host)
    }
}

/// The name and home of `uid` in a password file's text.
fn passwd_entry(text: &str, uid: u32) -> Option<(String, String)> {
    text.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() >= 6 && fields[2].parse() == Ok(uid))
            .then(|| (fields[0].to_string(), fields[5].to_string()))
    })
}

/// The tokens a `ProxyCommand` may hold, for messages.
pub const KNOWN: &str = "%h %p %r %n %j %k %u %d %i %L %l %C %%";

/// Expands the tokens of `command`, the `ProxyCommand` of `target`; `original` is the
/// host as written (`%n`, and `%k` as driftscope honours no `HostKeyAlias`), `jump`
/// the host's `ProxyJump` as configured (`%j`, empty when none).
///
/// An unknown token fails with one line naming the host and the token.
pub fn expand(
    command: &str,
    target: &SshTarget,
    original: &str,
    jump: &str,
    local: &Local,
) -> Result<String, String> {
    let mut out = String::with_capacity(command.len());
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('h') => out.push_str(&target.host),
            Some('p') => out.push_str(&target.port.to_string()),
            Some('r') => out.push_str(&target.user),
            Some('n') | Some('k') => out.push_str(original),
            Some('j') => out.push_str(jump),
            Some('u') => out.push_str(&local.user),
            Some('d') => out.push_str(&local.home),
            Some('i') => out.push_str(&local.uid.to_string()),
            Some('L') => out.push_str(local.short_host()),
            Some('l') => out.push_str(&local.host),
            Some('C') => out.push_str(&connection_hash(target, jump, local)),
            Some('%') => out.push('%'),
            other => {
                let token = other.map_or("%".to_string(), |c| format!("%{c}"));
                return Err(format!(
                    "'{original}': its ProxyCommand holds the token {token}, which OpenSSH \
                     does not expand there (known: {KNOWN}); write %% for a literal %"
                ));
            }
        }
    }
    Ok(out)
}

/// `%C`: the SHA-1 of `%l%h%p%r` (and `%j` when there is a jump host, as newer
/// OpenSSH releases hash it), in hex.
fn connection_hash(target: &SshTarget, jump: &str, local: &Local) -> String {
    let text = format!(
        "{}{}{}{}{jump}",
        local.host, target.host, target.port, target.user
    );
    hex::encode(Sha1::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> Local {
        Local {
            user: "alice".into(),
            home: "/home/alice".into(),
            uid: 1000,
            host: "laptop.example.com".into(),
        }
    }

    #[test]
    fn every_token_expands() {
        let t = SshTarget::plain("web", "10.0.0.5", 2222, "deploy");
        assert_eq!(
            expand(
                "nc %h %p # %r %n %k [%j] %u %d %i %L %l 100%%",
                &t,
                "web",
                "",
                &local()
            )
            .unwrap(),
            "nc 10.0.0.5 2222 # deploy web web [] alice /home/alice 1000 laptop laptop.example.com 100%"
        );
        // sha1("laptop.example.com10.0.0.52222deploy")
        let hash = expand("%C", &t, "web", "", &local()).unwrap();
        assert_eq!(hash.len(), 40);
        assert_eq!(
            hash,
            hex::encode(Sha1::digest(b"laptop.example.com10.0.0.52222deploy"))
        );
    }

    #[test]
    fn an_unknown_token_names_the_host_and_the_token() {
        let t = SshTarget::plain("web", "10.0.0.5", 22, "deploy");
        let err = expand("nc %h %x", &t, "web", "", &local()).unwrap_err();
        assert!(err.starts_with("'web': "), "{err}");
        assert!(err.contains("token %x"), "{err}");
        let err = expand("nc %h 100%", &t, "web", "", &local()).unwrap_err();
        assert!(err.contains("token %,"), "{err}");
    }

    #[test]
    fn local_tokens_and_the_hash_match_what_openssh_expands() {
        // `ssh -G` expands ControlPath with the same tokens (ProxyCommand it prints raw).
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let path = "/c/%C_%d_%h_%i_%k_%L_%l_%n_%p_%r_%u";
        std::fs::write(
            &config,
            format!(
                "Host x\n  HostName 10.1.2.3\n  User deploy\n  Port 2222\n  ControlPath {path}\n"
            ),
        )
        .unwrap();
        let out = match std::process::Command::new("ssh")
            .arg("-G")
            .arg("-F")
            .arg(&config)
            .arg("x")
            .stdin(std::process::Stdio::null())
            .output()
        {
            Ok(out) if out.status.success() => out,
            _ => {
                assert!(
                    std::env::var("DRIFTSCOPE_REQUIRE_SERVICES").as_deref() != Ok("1"),
                    "DRIFTSCOPE_REQUIRE_SERVICES=1 but `ssh -G` does not run"
                );
                eprintln!("skipped: no OpenSSH client");
                return;
            }
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let theirs = text
            .lines()
            .find_map(|l| l.strip_prefix("controlpath "))
            .unwrap();
        let t = SshTarget::plain("x", "10.1.2.3", 2222, "deploy");
        let ours = expand(path, &t, "x", "", Local::current()).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn the_password_file_gives_name_and_home() {
        let text = "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n";
        assert_eq!(
            passwd_entry(text, 1000),
            Some(("alice".into(), "/home/alice".into()))
        );
        assert_eq!(passwd_entry(text, 7), None);
    }
}
