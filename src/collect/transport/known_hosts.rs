//! Host key checks with OpenSSH's `known_hosts` semantics.
//!
//! A line is `[@marker] patterns keytype base64 [comment]`. Patterns are a
//! comma-separated list with `*` and `?` wildcards and `!` negation (a matching negated
//! pattern excludes the line), or one hashed name `|1|salt|hmac-sha1`. Hosts off port 22
//! are named `[host]:port`. For the offered key:
//!
//! - a matching `@revoked` line with that key refuses it, whatever else is recorded;
//! - a matching line with the same key accepts it;
//! - a matching line with the same key type but another key means the key *changed*;
//! - a matching `@cert-authority` line with no plain key recorded means the host
//!   expects certificates, which driftscope cannot verify;
//! - otherwise the key is unknown — unless the host is off port 22 and its key is
//!   recorded under the bare host name, which OpenSSH also accepts.

use std::path::PathBuf;

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// What the known-hosts files say about an offered key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Recorded for this host.
    Known,
    /// Nothing recorded for this host and key type.
    Unknown,
    /// Another key of the same type is recorded for this host, at `file:line`.
    Changed(Place),
    /// The key is marked `@revoked` at `file:line`.
    Revoked(Place),
    /// Only a `@cert-authority` line at `file:line` covers this host.
    CertificateExpected(Place),
}

/// A line of a known-hosts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line number.
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// The name a host has in known-hosts files: `host`, or `[host]:port` off port 22.
pub fn host_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

/// Checks `key` (of type `key_type`, e.g. `ssh-ed25519`) offered by `host:port`
/// against `files` in order; missing files count as empty.
pub fn check(
    files: &[PathBuf],
    host: &str,
    port: u16,
    key_type: &str,
    key: &[u8],
) -> Result<Verdict, String> {
    let verdict = check_name(files, host, port, key_type, key)?;
    if verdict == Verdict::Unknown
        && port != 22
        && check_name(files, host, 22, key_type, key)? == Verdict::Known
    {
        return Ok(Verdict::Known);
    }
    Ok(verdict)
}

fn check_name(
    files: &[PathBuf],
    host: &str,
    port: u16,
    key_type: &str,
    key: &[u8],
) -> Result<Verdict, String> {
    let name = host_name(host, port).to_ascii_lowercase();
    let mut known = false;
    let mut changed = None;
    let mut authority = None;
    for file in files {
        let text = match crate::input::read(file, crate::input::SETTINGS_LIMIT) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(format!(
                    "cannot read known hosts file {}: {e}",
                    file.display()
                ));
            }
        };
        for (index, line) in text.lines().enumerate() {
            let Some(entry) = parse_line(line) else {
                continue;
            };
            if !entry.matches(&name) {
                continue;
            }
            let place = || Place {
                file: file.clone(),
                line: index + 1,
            };
            let same_key = entry.key_type == key_type && entry.key.as_deref() == Some(key);
            match entry.marker {
                Marker::Revoked if same_key => return Ok(Verdict::Revoked(place())),
                Marker::Revoked => {}
                Marker::CertAuthority => {
                    if authority.is_none() {
                        authority = Some(place());
                    }
                }
                Marker::None if same_key => known = true,
                Marker::None if entry.key_type == key_type => {
                    if changed.is_none() {
                        changed = Some(place());
                    }
                }
                Marker::None => {}
            }
        }
    }
    Ok(if known {
        Verdict::Known
    } else if let Some(place) = changed {
        Verdict::Changed(place)
    } else if let Some(place) = authority {
        Verdict::CertificateExpected(place)
    } else {
        Verdict::Unknown
    })
}

/// The key types recorded (as plain keys) for `host:port`, in file order, so the
/// handshake can ask for a key the files can vouch for, as OpenSSH does.
pub fn known_types(files: &[PathBuf], host: &str, port: u16) -> Vec<String> {
    let name = host_name(host, port).to_ascii_lowercase();
    let mut types: Vec<String> = Vec::new();
    for file in files {
        let Ok(bytes) = crate::input::read(file, crate::input::SETTINGS_LIMIT) else {
            continue;
        };
        for line in String::from_utf8_lossy(&bytes).lines() {
            if let Some(entry) = parse_line(line) {
                if entry.marker == Marker::None
                    && entry.matches(&name)
                    && !types.contains(&entry.key_type)
                {
                    types.push(entry.key_type);
                }
            }
        }
    }
    types
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    None,
    Revoked,
    CertAuthority,
}

#[derive(Debug)]
struct Entry {
    marker: Marker,
    patterns: String,
    key_type: String,
    key: Option<Vec<u8>>,
}

fn parse_line(line: &str) -> Option<Entry> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut fields = line.split_whitespace();
    let mut first = fields.next()?;
    let marker = match first {
        "@revoked" => Marker::Revoked,
        "@cert-authority" => Marker::CertAuthority,
        m if m.starts_with('@') => return None,
        _ => Marker::None,
    };
    if marker != Marker::None {
        first = fields.next()?;
    }
    let key_type = fields.next()?.to_string();
    let key = fields
        .next()
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
    Some(Entry {
        marker,
        patterns: first.to_string(),
        key_type,
        key,
    })
}

impl Entry {
    /// Whether the line's host patterns cover `name` (already lower case).
    fn matches(&self, name: &str) -> bool {
        if let Some(hashed) = self.patterns.strip_prefix("|1|") {
            return hashed_matches(hashed, name);
        }
        let mut matched = false;
        for pattern in self.patterns.split(',') {
            let (negated, pattern) = match pattern.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, pattern),
            };
            if wildcard(&pattern.to_ascii_lowercase(), name) {
                if negated {
                    return false;
                }
                matched = true;
            }
        }
        matched
    }
}

/// `salt|hash`, both base64: HMAC-SHA1 of the name keyed with the salt.
fn hashed_matches(hashed: &str, name: &str) -> bool {
    let engine = base64::engine::general_purpose::STANDARD;
    let Some((salt, hash)) = hashed.split_once('|') else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (engine.decode(salt), engine.decode(hash)) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(&salt) else {
        return false;
    };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

/// `*` and `?` wildcard match of a whole string.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"offered key";
    const OTHER: &[u8] = b"another key";

    fn b64(k: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(k)
    }

    fn verdict(text: &str, host: &str, port: u16) -> Verdict {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known_hosts");
        std::fs::write(&file, text).unwrap();
        check(&[file], host, port, "ssh-ed25519", KEY).unwrap()
    }

    #[test]
    fn wildcards_and_negation_follow_openssh() {
        assert!(wildcard("*.example.com", "web.example.com"));
        assert!(wildcard("web-?", "web-1"));
        assert!(!wildcard("web-?", "web-10"));
        assert!(wildcard("[10.0.0.*]:2222", "[10.0.0.7]:2222"));
        let line = format!("*.prod,!db.prod ssh-ed25519 {}\n", b64(KEY));
        assert_eq!(verdict(&line, "web.prod", 22), Verdict::Known);
        assert_eq!(verdict(&line, "db.prod", 22), Verdict::Unknown);
        assert_eq!(verdict(&line, "WEB.PROD", 22), Verdict::Known);
    }

    #[test]
    fn a_pattern_recording_another_key_means_changed() {
        let text = format!("*.prod ssh-ed25519 {}\n", b64(OTHER));
        assert!(matches!(verdict(&text, "web.prod", 22), Verdict::Changed(p) if p.line == 1));
        // Another key type is not a change.
        let text = format!("*.prod ssh-rsa {}\n", b64(OTHER));
        assert_eq!(verdict(&text, "web.prod", 22), Verdict::Unknown);
        // One matching key among several is enough.
        let text = format!(
            "web.prod ssh-ed25519 {}\nweb.prod ssh-ed25519 {}\n",
            b64(OTHER),
            b64(KEY)
        );
        assert_eq!(verdict(&text, "web.prod", 22), Verdict::Known);
    }

    #[test]
    fn revoked_keys_are_refused_whatever_else_is_recorded() {
        let text = format!(
            "web.prod ssh-ed25519 {k}\n@revoked * ssh-ed25519 {k}\n",
            k = b64(KEY)
        );
        assert!(matches!(verdict(&text, "web.prod", 22), Verdict::Revoked(p) if p.line == 2));
    }

    #[test]
    fn ports_and_hashed_names_match() {
        let text = format!("[web.prod]:2222 ssh-ed25519 {}\n", b64(KEY));
        assert_eq!(verdict(&text, "web.prod", 2222), Verdict::Known);
        assert_eq!(verdict(&text, "web.prod", 22), Verdict::Unknown);
        let salt = b"0123456789abcdefghij";
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(salt).unwrap();
        mac.update(b"[web.prod]:2222");
        let hash = mac.finalize().into_bytes();
        let text = format!("|1|{}|{} ssh-ed25519 {}\n", b64(salt), b64(&hash), b64(KEY));
        assert_eq!(verdict(&text, "web.prod", 2222), Verdict::Known);
        assert_eq!(verdict(&text, "web.prod", 2223), Verdict::Unknown);
    }

    #[test]
    fn cert_authority_lines_alone_expect_certificates() {
        let text = format!("@cert-authority *.prod ssh-ed25519 {}\n", b64(OTHER));
        assert!(matches!(
            verdict(&text, "web.prod", 22),
            Verdict::CertificateExpected(_)
        ));
        let text = format!("{text}web.prod ssh-ed25519 {}\n", b64(KEY));
        assert_eq!(verdict(&text, "web.prod", 22), Verdict::Known);
    }

    #[test]
    fn known_types_lists_plain_keys_for_the_host() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        std::fs::write(
            &file,
            format!(
                "web ecdsa-sha2-nistp256 {k}\n@revoked web ssh-rsa {k}\nweb ssh-ed25519 {k}\nother ssh-rsa {k}\n",
                k = b64(KEY)
            ),
        )
        .unwrap();
        assert_eq!(
            known_types(&[file], "web", 22),
            ["ecdsa-sha2-nistp256", "ssh-ed25519"]
        );
    }
}
