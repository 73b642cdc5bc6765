//! Redaction: secret values are replaced by a keyed fingerprint before anything is kept.
//!
//! A value is secret when its key looks secret (`DB_PASSWORD`, `apiKey`, `SECRET_KEY_BASE`,
//! …) or the user lists the key in `[secrets] keys`; under a credential-like key (`auth`,
//! `dsn`, `cookie`, …) when the value itself looks like a credential (see `credential`).
//! Inside other values — file contents, command lines, error messages — secrets are found
//! by their shape (see `shapes`: private key blocks, JWTs, `Authorization` credentials,
//! cloud and SaaS tokens), passwords in URLs (`postgres://app:pw@db/app`), secret-looking
//! `KEY=value` / `key: value` / `key value` assignments and `--password X` style flags.
//! The fingerprint is `hmac-sha256:<hex>` keyed by the workspace key, so two snapshots
//! still compare equal or different without either holding the value.

mod credential;
mod shapes;

pub use shapes::{SHAPES, Shape};

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

    /// Whether `value`, set under the setting `name`, is to be redacted: the name is
    /// secret, or credential-like with a value that looks like a credential.
    fn is_secret_setting(&self, name: &str, value: &str) -> bool {
        self.is_secret_name(name)
            || (credential::is_credential_like(&words(name))
                && credential::looks_like_credential(value))
    }

    /// Returns `value` with secrets replaced, judging by the fact `key` and the content.
    pub fn fact(&self, key: &str, value: Value) -> Value {
        if let Value::Redacted(_) = value {
            return value;
        }
        if self.is_secret_key(key) {
            return Value::Redacted(self.fingerprint(&canonical(&value)));
        }
        let name = key.rsplit('.').next().unwrap_or(key);
        let single = match &value {
            Value::Scalar(Scalar::String(s)) => Some(s.as_str()),
            _ => None,
        };
        if !key.contains(':') && single.is_some_and(|v| self.is_secret_setting(name, v)) {
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
                        let v = if self.is_secret_setting(&k, &v) {
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

    /// Redacts multi-line text: private key blocks (wherever they start and however
    /// indented), then each line.
    pub fn text(&self, text: &str) -> String {
        let fingerprint = |secret: &str| self.fingerprint(secret);
        let text = shapes::redact_private_keys(text, &fingerprint);
        let mut out = String::with_capacity(text.len());
        let mut block: Option<String> = None;
        for piece in text.split_inclusive('\n') {
            let line = piece.trim_end_matches(['\n', '\r']);
            let ending = &piece[line.len()..];
            if let Some(acc) = block.as_mut() {
                // An unterminated block: its body lines are part of the secret; the
                // first line that is not ends it.
                if is_pem_body(line) {
                    acc.push_str(piece);
                    continue;
                }
                out.push_str(&self.fingerprint(acc));
                out.push('\n');
                block = None;
            }
            if let Some(begin) = line
                .find("-----BEGIN")
                .filter(|_| line.contains("PRIVATE KEY"))
            {
                out.push_str(&line[..begin]);
                block = Some(piece[begin..].to_string());
                continue;
            }
            out.push_str(&self.line(line));
            out.push_str(ending);
        }
        // An unterminated private key block is still a secret.
        if let Some(acc) = block {
            let ended = acc.ends_with('\n');
            out.push_str(&self.fingerprint(&acc));
            if ended {
                out.push('\n');
            }
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
                && self.is_secret_setting(name, bare)
            {
                return format!("{prefix}{}", self.fingerprint(bare));
            }
        }
        self.inline(line)
    }

    /// Redacts secrets inside a string: assignments and flags with a secret name,
    /// passwords in URLs, and secrets recognised by their shape.
    pub fn inline(&self, s: &str) -> String {
        let s = self.embedded_assignments(s);
        let s = self.flag_values(&s);
        let s = self.url_passwords(&s);
        shapes::redact_shapes(&s, &|secret: &str| self.fingerprint(secret))
    }

    /// Redacts the values of command-line flags that take a secret as the next word:
    /// `--token X`, `--db-pass X`, `--auth X` (when X looks like a credential), and the
    /// password flags of clients that take one (`mysql -p X`, `mysql -pX`,
    /// `redis-cli -a X`, `sshpass -p X`).
    fn flag_values(&self, s: &str) -> String {
        if !s.contains('-') {
            return s.to_string();
        }
        let words: Vec<(usize, &str)> = word_spans(s);
        let program_takes_p = words.iter().any(|(_, w)| {
            let name = w.rsplit('/').next().unwrap_or(w);
            PASSWORD_P_PROGRAMS.contains(&name)
        });
        let program_takes_a = words
            .iter()
            .any(|(_, w)| w.rsplit('/').next() == Some("redis-cli"));
        let mut secrets: Vec<(usize, usize)> = Vec::new();
        for (i, (_, word)) in words.iter().enumerate() {
            let next = words
                .get(i + 1)
                .filter(|(_, w)| !w.starts_with('-') && !w.starts_with(FINGERPRINT_PREFIX));
            if let Some(name) = word.strip_prefix("--").filter(|n| !n.contains('=')) {
                if let Some((start, value)) = next {
                    if !name.is_empty() && self.is_secret_setting(name, value) {
                        secrets.push((*start, start + value.len()));
                    }
                }
                continue;
            }
            let short = (program_takes_p && *word == "-p") || (program_takes_a && *word == "-a");
            if short {
                if let Some((start, value)) = next {
                    secrets.push((*start, start + value.len()));
                }
            } else if program_takes_p && word.len() > 2 && word.starts_with("-p") {
                let (start, _) = words[i];
                let value = &word[2..];
                if !value.starts_with(FINGERPRINT_PREFIX) {
                    secrets.push((start + 2, start + word.len()));
                }
            }
        }
        if secrets.is_empty() {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut copied = 0;
        for (start, end) in secrets {
            if start < copied {
                continue;
            }
            out.push_str(&s[copied..start]);
            out.push_str(&self.fingerprint(&s[start..end]));
            copied = end;
        }
        out.push_str(&s[copied..]);
        out
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
            if name.is_empty() {
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
            if value.is_empty()
                || value.starts_with(FINGERPRINT_PREFIX)
                || value.starts_with("//")
                || !self.is_secret_setting(name, value)
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

    /// Replaces the password of every `scheme://user:password@host` URL. The password
    /// runs from the first `:` after the user to the first `@` after it, so it may hold
    /// `/`, `?` or `#`; a user part holding `/` is a path, not a user.
    fn url_passwords(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("://") {
            let (head, tail) = rest.split_at(i + 3);
            out.push_str(head);
            let token_end = tail
                .find(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '`') || c.is_whitespace())
                .unwrap_or(tail.len());
            let token = &tail[..token_end];
            let userinfo = token.find(':').and_then(|colon| {
                let user = &token[..colon];
                if user.contains(['/', '?', '#', '@']) {
                    return None;
                }
                token[colon + 1..]
                    .find('@')
                    .map(|at| (colon, colon + 1 + at))
            });
            match userinfo {
                Some((colon, at)) => {
                    let password = &token[colon + 1..at];
                    out.push_str(&token[..=colon]);
                    if password.is_empty() || password.starts_with(FINGERPRINT_PREFIX) {
                        out.push_str(password);
                    } else {
                        out.push_str(&self.fingerprint(password));
                    }
                    rest = &tail[at..];
                }
                None => {
                    // Nothing to hide up to the end of the host; go on from there.
                    let host_end = token.find(['/', '?', '#']).unwrap_or(token.len());
                    out.push_str(&token[..host_end]);
                    rest = &tail[host_end..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Programs whose `-p` flag takes a password (attached or as the next word).
const PASSWORD_P_PROGRAMS: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlcheck",
    "mariadb",
    "mariadb-dump",
    "mongo",
    "mongosh",
    "mongodump",
    "mongorestore",
    "sshpass",
];

/// The whitespace-separated words of `s` with their byte offsets.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                spans.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        spans.push((st, &s[st..]));
    }
    spans
}

/// A line of a PEM body: base64 (possibly indented, or ending a JSON string), or one of
/// the `Proc-Type:` / `DEK-Info:` headers of an encrypted key.
fn is_pem_body(line: &str) -> bool {
    let body = line.trim();
    !body.is_empty()
        && (body.starts_with("Proc-Type:")
            || body.starts_with("DEK-Info:")
            || body
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
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

    #[test]
    fn indented_and_embedded_private_keys_end_where_they_end() {
        let r = redactor(&[]);
        let yaml = "tls:\n  key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEvQIBADANBgkq\n    -----END RSA PRIVATE KEY-----\nport: 8443\nworkers: 4\n";
        let out = r.text(yaml);
        assert!(!out.contains("MIIEvQIBADANBgkq"), "{out}");
        assert!(out.ends_with("port: 8443\nworkers: 4\n"), "{out}");
        let mid = r.text("key = -----BEGIN PRIVATE KEY----- MIIBOgIBAAJB -----END PRIVATE KEY----- # x\nnext = 1\n");
        assert!(
            !mid.contains("MIIBOgIBAAJB") && mid.contains("next = 1"),
            "{mid}"
        );
        let json = r.inline(r#"{"m": "-----BEGIN EC PRIVATE KEY-----\nMIICXAIBAAKB\n-----END EC PRIVATE KEY-----\n", "port": 1}"#);
        assert!(
            !json.contains("MIICXAIBAAKB") && json.contains(r#""port": 1"#),
            "{json}"
        );
    }

    #[test]
    fn an_unterminated_private_key_takes_only_its_body() {
        let r = redactor(&[]);
        let out =
            r.text("  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjE=\nlisten 80\n");
        assert!(!out.contains("b3BlbnNzaC1rZXktdjE"), "{out}");
        assert!(out.starts_with("  hmac-sha256:"), "{out}");
        assert!(out.ends_with("\nlisten 80\n"), "{out}");
    }

    #[test]
    fn url_passwords_may_hold_slashes() {
        let r = redactor(&[]);
        let s = r.inline("postgres://app:Pa5s/w0rd/x@db:5432/app next");
        assert!(!s.contains("Pa5s") && !s.contains("w0rd"), "{s}");
        assert!(s.ends_with("@db:5432/app next"), "{s}");
    }

    #[test]
    fn secret_flags_and_client_passwords_are_redacted() {
        let r = redactor(&[]);
        for (line, secret) in [
            ("/usr/bin/worker --token tK9xQ2mV --verbose", "tK9xQ2mV"),
            ("migrate --db-pass Db-P4ss! --host db", "Db-P4ss!"),
            ("mysql -u root -p MyS9lRootPw -h db", "MyS9lRootPw"),
            ("/usr/bin/mysqldump -pMyS9lRootPw shop", "MyS9lRootPw"),
            ("redis-cli -a R3disPw ping", "R3disPw"),
            ("app --auth Aut4-H3ader-P4ss", "Aut4-H3ader-P4ss"),
        ] {
            let out = r.inline(line);
            assert!(!out.contains(secret), "{line} -> {out}");
        }
        for line in [
            "ssh -p 2222 host",
            "mkdir -p /var/lib/app",
            "app --auth ldap --port 80",
        ] {
            assert_eq!(r.inline(line), line);
        }
    }

    #[test]
    fn credential_like_keys_hide_credentials_but_not_modes() {
        let r = redactor(&[]);
        assert!(matches!(
            r.fact("env.AUTH", Value::string("Aut4-H3ader-P4ss")),
            Value::Redacted(_)
        ));
        assert_eq!(
            r.fact("env.AUTH", Value::string("ldap")),
            Value::string("ldap")
        );
        assert!(!r.line("auth: hunter22").contains("hunter22"));
        assert_eq!(r.line("auth_method = ldap"), "auth_method = ldap");
        assert_eq!(r.line("connection: keep-alive"), "connection: keep-alive");
    }
}
