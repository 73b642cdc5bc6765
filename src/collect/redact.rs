//! Redaction: secret values are replaced by a keyed fingerprint before anything is kept.
//!
//! A value is secret when its key looks secret (`DB_PASSWORD`, `apiKey`, `SECRET_KEY_BASE`,
//! …) or the user lists the key in `[secrets] keys`. Inside other values, passwords in
//! URLs (`postgres://app:pw@db/app`), well-known token shapes, private key blocks and
//! secret-looking `KEY=value` / `key: value` / `key value` lines of text are replaced too.
//! The fingerprint is `hmac-sha256:<hex>` keyed by the workspace key, so two snapshots
//! still compare equal or different without either holding the value.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::key::WorkspaceKey;
use crate::config::SecretsConfig;
use crate::model::{Scalar, Value};

/// The prefix of every fingerprint.
pub const FINGERPRINT_PREFIX: &str = "hmac-sha256:";

/// Words that make a name secret when they end it (`DB_PASSWORD`, `api_key`).
const SECRET_LAST_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "key",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "requirepass",
    "masterauth",
];

/// Words that make a name secret wherever they stand (`SECRET_KEY_BASE`), and that
/// make a single lowercase word secret when it contains them (`dbpassword`).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "passphrase",
];

/// Last words that describe a setting about a secret rather than the secret itself
/// (`PasswordAuthentication`, `ssl_password_file`, `token_ttl`).
const SAFE_LAST_WORDS: &[&str] = &[
    "authentication",
    "file",
    "path",
    "dir",
    "length",
    "len",
    "min",
    "max",
    "ttl",
    "expiry",
    "expires",
    "lifetime",
    "timeout",
    "policy",
    "mode",
    "enabled",
    "required",
    "type",
    "algorithm",
    "age",
    "count",
    "id",
];

/// Prefixes of well-known credential formats found inside free text.
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "sk_live_",
    "rk_live_",
    "AKIA",
];

/// Replaces secrets by keyed fingerprints.
#[derive(Debug, Clone)]
pub struct Redactor {
    key: WorkspaceKey,
    listed: GlobSet,
}

impl Redactor {
    /// A redactor keyed by `key` that also treats the keys of `secrets` as secret.
    ///
    /// Fails with a message naming the bad pattern.
    pub fn new(key: WorkspaceKey, secrets: &SecretsConfig) -> Result<Redactor, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &secrets.keys {
            let glob = GlobBuilder::new(pattern)
                .case_insensitive(true)
                .literal_separator(false)
                .build()
                .map_err(|e| format!("[secrets] keys: bad pattern '{pattern}': {e}"))?;
            builder.add(glob);
        }
        let listed = builder
            .build()
            .map_err(|e| format!("[secrets] keys: {e}"))?;
        Ok(Redactor { key, listed })
    }

    /// The keyed fingerprint of `secret`: `hmac-sha256:<64 hex digits>`.
    pub fn fingerprint(&self, secret: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(self.key.as_bytes()) {
            Ok(mac) => mac,
            Err(_) => return format!("{FINGERPRINT_PREFIX}unavailable"),
        };
        mac.update(secret.as_bytes());
        format!(
            "{FINGERPRINT_PREFIX}{}",
            hex::encode(mac.finalize().into_bytes())
        )
    }

    /// Whether the fact `key` holds a secret: listed by the user, or named like one.
    ///
    /// Keys that name a thing (`package:…`, `file:…`, `unit:…`) are judged only by the
    /// user's list; named settings (`env.DB_PASSWORD`) by their last dotted part too.
    pub fn is_secret_key(&self, key: &str) -> bool {
        let name = key.rsplit('.').next().unwrap_or(key);
        if self.listed.is_match(key) || self.listed.is_match(name) {
            return true;
        }
        !key.contains(':') && name_looks_secret(name)
    }

    /// Whether a setting named `name` (not a fact key) is secret.
    fn is_secret_name(&self, name: &str) -> bool {
        self.listed.is_match(name) || name_looks_secret(name)
    }

    /// Returns `value` with secrets replaced, judging by the fact `key` and the content.
    pub fn fact(&self, key: &str, value: Value) -> Value {
        if let Value::Redacted(_) = value {
            return value;
        }
        if self.is_secret_key(key) {
            return Value::Redacted(self.fingerprint(&canonical(&value)));
        }
        match value {
            Value::Scalar(Scalar::String(s)) => Value::Scalar(Scalar::String(self.inline(&s))),
            Value::Version(v) => Value::Version(self.inline(&v)),
            Value::Text(t) => Value::Text(self.text(&t)),
            Value::List(items) => Value::List(items.iter().map(|i| self.line(i)).collect()),
            Value::Set(items) => Value::Set(items.iter().map(|i| self.line(i)).collect()),
            Value::Record(fields) => Value::Record(
                fields
                    .into_iter()
                    .map(|(k, v)| {
                        let v = if self.is_secret_name(&k) {
                            self.fingerprint(&v)
                        } else {
                            self.inline(&v)
                        };
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        }
    }

    /// Redacts multi-line text: private key blocks, then each line.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut block: Option<String> = None;
        for piece in text.split_inclusive('\n') {
            let line = piece.trim_end_matches(['\n', '\r']);
            let ending = &piece[line.len()..];
            if let Some(acc) = block.as_mut() {
                acc.push_str(piece);
                if line.starts_with("-----END") {
                    out.push_str(&self.fingerprint(acc));
                    out.push_str(ending);
                    block = None;
                }
                continue;
            }
            if line.trim_start().starts_with("-----BEGIN") && line.contains("PRIVATE KEY") {
                block = Some(piece.to_string());
                continue;
            }
            out.push_str(&self.line(line));
            out.push_str(ending);
        }
        // An unterminated private key block is still a secret.
        if let Some(acc) = block {
            out.push_str(&self.fingerprint(&acc));
        }
        out
    }

    /// Redacts one line: a secret-looking assignment's value, then URLs and tokens.
    pub fn line(&self, line: &str) -> String {
        if let Some((prefix, value)) = split_assignment(line) {
            let name = prefix
                .trim()
                .trim_start_matches("export ")
                .trim_end_matches(['=', ':'])
                .trim()
                .trim_matches(['"', '\'']);
            let bare = value.trim().trim_end_matches(';').trim_matches(['"', '\'']);
            if !bare.is_empty()
                && !bare.starts_with(FINGERPRINT_PREFIX)
                && self.is_secret_name(name)
            {
                return format!("{prefix}{}", self.fingerprint(bare));
            }
        }
        self.inline(line)
    }

    /// Redacts URL passwords and well-known token shapes inside a string.
    pub fn inline(&self, s: &str) -> String {
        let s = self.embedded_assignments(s);
        let s = self.url_passwords(&s);
        self.tokens(&s)
    }

    /// Redacts `name=value` and `name: value` pairs inside a line whose name is secret:
    /// `--password=x`, `?token=abc&x=1`, `denied, password=x`.
    fn embedded_assignments(&self, s: &str) -> String {
        if !s.contains(['=', ':']) {
            return s.to_string();
        }
        let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
        let is_value_end = |c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | '&' | '"' | '\'' | ')' | ']' | '}' | '<' | '>'
                )
        };
        let mut out = String::with_capacity(s.len());
        let mut copied = 0;
        for (i, sep) in s.char_indices().filter(|(_, c)| *c == '=' || *c == ':') {
            if i < copied {
                continue;
            }
            let name_start = s[..i]
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_name_char(*c))
                .last()
                .map_or(i, |(j, _)| j);
            let name = s[name_start..i].trim_start_matches('-');
            if name.is_empty() || !self.is_secret_name(name) {
                continue;
            }
            let mut value_start = i + 1;
            if sep == ':' {
                value_start +=
                    s[value_start..].len() - s[value_start..].trim_start_matches(' ').len();
            }
            let rest = &s[value_start..];
            let value_len = rest.find(is_value_end).unwrap_or(rest.len());
            let value = &rest[..value_len];
            if value.is_empty() || value.starts_with(FINGERPRINT_PREFIX) || value.starts_with("//")
            {
                continue;
            }
            out.push_str(&s[copied..value_start]);
            out.push_str(&self.fingerprint(value));
            copied = value_start + value_len;
        }
        out.push_str(&s[copied..]);
        out
    }

    fn url_passwords(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("://") {
            let (head, tail) = rest.split_at(i + 3);
            out.push_str(head);
            let end = tail
                .find(|c: char| {
                    matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>') || c.is_whitespace()
                })
                .unwrap_or(tail.len());
            let authority = &tail[..end];
            match (authority.rfind('@'), authority.find(':')) {
                (Some(at), Some(colon)) if colon < at => {
                    let password = &authority[colon + 1..at];
                    out.push_str(&authority[..=colon]);
                    if password.is_empty() || password.starts_with("hmac-sha256") {
                        out.push_str(password);
                    } else {
                        out.push_str(&self.fingerprint(password));
                    }
                    out.push_str(&authority[at..]);
                }
                _ => out.push_str(authority),
            }
            rest = &tail[end..];
        }
        out.push_str(rest);
        out
    }

    fn tokens(&self, s: &str) -> String {
        if !TOKEN_PREFIXES.iter().any(|p| s.contains(p)) {
            return s.to_string();
        }
        let is_token_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            let at_word_start = s[..i].chars().next_back().is_none_or(|c| !is_token_char(c));
            let hit = at_word_start
                .then(|| TOKEN_PREFIXES.iter().find(|p| rest.starts_with(**p)))
                .flatten();
            if let Some(prefix) = hit {
                let len = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
                if len >= prefix.len() + 16 {
                    out.push_str(&self.fingerprint(&rest[..len]));
                    i += len;
                    continue;
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
        out
    }
}

/// The text a whole secret value is fingerprinted from.
fn canonical(value: &Value) -> String {
    match value {
        Value::Scalar(s) => s.to_string(),
        Value::Version(v) | Value::Text(v) | Value::Redacted(v) => v.clone(),
        Value::List(items) | Value::Set(items) => items.join("\n"),
        Value::Record(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Splits `KEY=value`, `key: value` or `key value` into (everything up to the value,
/// the value). Returns `None` for lines that are not assignments.
fn split_assignment(line: &str) -> Option<(&str, &str)> {
    let body = line.trim_start();
    if body.starts_with('#') || body.starts_with(';') || body.starts_with("//") {
        return None;
    }
    let body = body.strip_prefix("export ").unwrap_or(body);
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'')))
        .unwrap_or(body.len());
    if name_len == 0 || name_len == body.len() {
        return None;
    }
    let after_name = &body[name_len..];
    let sep_len = after_name
        .find(|c: char| !(c == ' ' || c == '\t' || c == '=' || c == ':'))
        .unwrap_or(after_name.len());
    let sep = &after_name[..sep_len];
    if sep.is_empty() || sep.matches(['=', ':']).count() > 1 {
        return None;
    }
    let split = line.len() - after_name.len() + sep_len;
    Some(line.split_at(split))
}

/// Splits a name into lowercase words at `_`, `-`, `.`, spaces and camelCase humps.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The naming heuristics: see the module documentation.
fn name_looks_secret(name: &str) -> bool {
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    if SAFE_LAST_WORDS
        .iter()
        .any(|w| last == w || (words.len() == 1 && last.ends_with(w) && last.len() > w.len() + 3))
    {
        return false;
    }
    if SECRET_LAST_WORDS.contains(&last.as_str()) {
        return true;
    }
    if words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) {
        return true;
    }
    words.len() == 1 && SECRET_WORDS.iter().any(|w| last.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(keys: &[&str]) -> Redactor {
        let secrets = SecretsConfig {
            keys: keys.iter().map(|k| k.to_string()).collect(),
        };
        Redactor::new(WorkspaceKey::from_bytes([7; 32]), &secrets).unwrap()
    }

    #[test]
    fn secret_names_are_recognised() {
        for name in [
            "DB_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "apiKey",
            "api_key",
            "SECRET_KEY_BASE",
            "clientSecret",
            "dbpassword",
            "PRIVATE_KEY",
            "requirepass",
            "REDIS_PASS",
        ] {
            assert!(name_looks_secret(name), "{name} should be secret");
        }
    }

    #[test]
    fn settings_about_secrets_are_not_secret() {
        for name in [
            "PasswordAuthentication",
            "PermitEmptyPasswords",
            "ssl_password_file",
            "token_ttl",
            "password_min_length",
            "LOG_LEVEL",
            "monkey",
            "keyboard",
            "somaxconn",
        ] {
            assert!(!name_looks_secret(name), "{name} should not be secret");
        }
    }

    #[test]
    fn fingerprints_are_keyed_stable_and_hide_the_value() {
        let r = redactor(&[]);
        let a = r.fingerprint("hunter2");
        assert_eq!(a, r.fingerprint("hunter2"));
        assert_ne!(a, r.fingerprint("hunter3"));
        assert!(a.starts_with(FINGERPRINT_PREFIX));
        assert_eq!(a.len(), FINGERPRINT_PREFIX.len() + 64);
        let other =
            Redactor::new(WorkspaceKey::from_bytes([8; 32]), &SecretsConfig::default()).unwrap();
        assert_ne!(a, other.fingerprint("hunter2"));
    }

    #[test]
    fn secret_facts_become_redacted_values_that_still_compare() {
        let r = redactor(&[]);
        let a = r.fact("env.DB_PASSWORD", Value::string("hunter2"));
        let b = r.fact("env.DB_PASSWORD", Value::string("hunter2"));
        let c = r.fact("env.DB_PASSWORD", Value::string("other"));
        assert!(matches!(a, Value::Redacted(_)));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            r.fact("env.LOG_LEVEL", Value::string("warn")),
            Value::string("warn")
        );
        assert_eq!(
            r.fact("package:libpam-passwdqc", Value::version("2.0.2")),
            Value::version("2.0.2")
        );
    }

    #[test]
    fn user_listed_keys_are_redacted_by_full_key_or_name() {
        let r = redactor(&["DATABASE_URL", "sysctl.kernel.*"]);
        assert!(r.is_secret_key("env.DATABASE_URL"));
        assert!(r.is_secret_key("env.database_url"));
        assert!(r.is_secret_key("sysctl.kernel.hostname"));
        assert!(!r.is_secret_key("env.DATABASE_HOST"));
        let text = r.text("DATABASE_URL=postgres://db/app\nOTHER=1\n");
        assert!(!text.contains("postgres://db/app"), "{text}");
        assert!(text.contains("OTHER=1"));
    }

    #[test]
    fn url_passwords_are_replaced_in_place() {
        let r = redactor(&[]);
        let s = r.inline("url=postgres://app:s3cr3t@db.internal:5432/app?sslmode=require");
        assert!(!s.contains("s3cr3t"), "{s}");
        assert!(s.starts_with("url=postgres://app:hmac-sha256:"));
        assert!(s.ends_with("@db.internal:5432/app?sslmode=require"));
        assert_eq!(
            r.inline("https://example.com/a:b@c"),
            "https://example.com/a:b@c"
        );
        assert_eq!(r.inline("redis://db:6379"), "redis://db:6379");
    }

    #[test]
    fn text_lines_private_keys_and_tokens_are_redacted() {
        let r = redactor(&[]);
        let text = "LOG_LEVEL=info\nexport API_TOKEN=\"abc123\"\npassword: hunter2\n\
                    requirepass foobared\nPasswordAuthentication no\n\
                    -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n\
                    note ghp_abcdefghijklmnopqrstuvwxyz0123456789 end\n";
        let out = r.text(text);
        for secret in [
            "abc123",
            "hunter2",
            "foobared",
            "b3BlbnNzaC1rZXk",
            "ghp_abcdef",
        ] {
            assert!(!out.contains(secret), "{secret} leaked in:\n{out}");
        }
        assert!(out.contains("LOG_LEVEL=info\n"));
        assert!(out.contains("export API_TOKEN=hmac-sha256:"));
        assert!(out.contains("PasswordAuthentication no\n"));
        assert!(out.contains("note hmac-sha256:"));
        assert_eq!(out.lines().count(), text.lines().count() - 2);
    }

    #[test]
    fn assignments_inside_a_line_are_redacted() {
        let r = redactor(&[]);
        for line in [
            "boom: permission denied, password=hunter2",
            "GET /cb?token=hunter2&x=1",
            "run --db-password=hunter2 -v",
            "auth failed (secret: hunter2)",
        ] {
            let out = r.inline(line);
            assert!(!out.contains("hunter2"), "{line} -> {out}");
            assert!(out.contains(FINGERPRINT_PREFIX), "{out}");
        }
        assert_eq!(r.inline("level=warn time=10:30"), "level=warn time=10:30");
    }

    #[test]
    fn record_fields_and_list_members_are_redacted() {
        let r = redactor(&[]);
        let rec = r.fact(
            "app.db",
            Value::record([("host", "db"), ("password", "hunter2")]),
        );
        let Value::Record(fields) = rec else { panic!() };
        assert_eq!(fields["host"], "db");
        assert!(fields["password"].starts_with(FINGERPRINT_PREFIX));
        let list = r.fact(
            "app.args",
            Value::List(vec!["--token=abc".into(), "-v".into()]),
        );
        assert!(!format!("{list:?}").contains("abc"));
    }
}
