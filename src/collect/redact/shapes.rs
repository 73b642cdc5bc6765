//! Secrets recognised by their shape, whatever they are called: private key blocks, JWTs,
//! `Authorization` credentials, cloud and SaaS tokens.
//!
//! [`SHAPES`] is the rule table; `docs/secrets.md` lists every rule with the source its
//! pattern follows (the vendor's documented token format, the RFC, or the matching rule
//! of the gitleaks project's maintained rule set), and a test keeps the two in step. A
//! rule matches one secret per hit: its first capture group when it has one, else the
//! whole match. Some rules add a check on the candidate to keep false positives out.

use std::sync::LazyLock;

use base64::Engine as _;
use regex::{Regex, RegexSet};

use super::FINGERPRINT_PREFIX;

/// One rule of the table.
#[derive(Debug)]
pub struct Shape {
    /// The rule's name, as listed in `docs/secrets.md`.
    pub name: &'static str,
    /// The pattern (Rust `regex` syntax); group 1, when present, is the secret.
    pub pattern: &'static str,
    /// Where the format comes from.
    pub source: &'static str,
    /// A further test the candidate must pass, when the pattern alone is too broad.
    check: Option<fn(&str) -> bool>,
}

/// Every shape rule, most specific first.
pub static SHAPES: &[Shape] = &[
    Shape {
        name: "private-key",
        pattern: r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[A-Za-z0-9+/=\s\\:,.-]*?-----END[A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----",
        source: "RFC 7468 (PEM), OpenSSH and OpenPGP armour; gitleaks `private-key`",
        check: None,
    },
    Shape {
        name: "jwt",
        pattern: r"\b(ey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})",
        source: "RFC 7519 (JWS compact form: base64url JSON header starting `{\"` = `ey`); gitleaks `jwt`",
        check: None,
    },
    Shape {
        name: "authorization-basic",
        pattern: r"(?i)\bbasic\s+([A-Za-z0-9+/]{6,}={0,2})",
        source: "RFC 7617: base64 of `user:password`; only when it decodes to text with a `:`",
        check: Some(decodes_to_user_and_password),
    },
    Shape {
        name: "authorization-bearer",
        pattern: r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{12,}=*)",
        source: "RFC 6750 §2.1 (b64token); not a plain word",
        check: Some(not_a_plain_word),
    },
    Shape {
        name: "authorization-header",
        pattern: r#"(?i)\b(?:proxy-)?authorization\s*[:=]\s*["']?(?:[A-Za-z]+\s+)?([^\s"',;]{8,})"#,
        source: "RFC 9110 §11.6.2 and §11.7.2 (Authorization, Proxy-Authorization); not a plain word",
        check: Some(not_a_plain_word),
    },
    Shape {
        name: "aws-access-key-id",
        pattern: r"\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b",
        source: "AWS IAM user guide, unique ID prefixes; gitleaks `aws-access-token`",
        check: None,
    },
    Shape {
        name: "aws-secret-access-key",
        pattern: r"(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=])",
        source: "AWS IAM user guide (40 base64 characters); only mixed-case with digits, not base64 of text",
        check: Some(looks_like_aws_secret),
    },
    Shape {
        name: "github-token",
        pattern: r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})",
        source: "GitHub docs, \"About authentication to GitHub\" token prefixes; gitleaks `github-pat`, `github-fine-grained-pat`",
        check: None,
    },
    Shape {
        name: "gitlab-token",
        pattern: r"\b((?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|glimt|gloas)-[A-Za-z0-9_-]{20,})",
        source: "GitLab docs, \"Token prefixes\"; gitleaks `gitlab-pat` and siblings",
        check: None,
    },
    Shape {
        name: "slack-token",
        pattern: r"\b(xox[abposre]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,})",
        source: "Slack API docs, \"Token types\"; gitleaks `slack-bot-token` and siblings",
        check: None,
    },
    Shape {
        name: "slack-webhook",
        pattern: r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,})",
        source: "Slack API docs, incoming webhooks; gitleaks `slack-webhook-url`",
        check: None,
    },
    Shape {
        name: "stripe-key",
        pattern: r"\b((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})",
        source: "Stripe docs, \"API keys\" and webhook signing secrets; gitleaks `stripe-access-token`",
        check: None,
    },
    Shape {
        name: "google-api-key",
        pattern: r"\b(AIza[0-9A-Za-z_-]{35})",
        source: "Google Cloud docs, API keys; gitleaks `gcp-api-key`",
        check: None,
    },
    Shape {
        name: "google-oauth",
        pattern: r"\b(ya29\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,})",
        source: "Google Identity docs (access tokens, client secrets)",
        check: None,
    },
    Shape {
        name: "npm-token",
        pattern: r"\b(npm_[A-Za-z0-9]{36})\b",
        source: "npm docs, access tokens; gitleaks `npm-access-token`",
        check: None,
    },
    Shape {
        name: "pypi-token",
        pattern: r"\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})",
        source: "PyPI docs, API tokens (macaroon for pypi.org); gitleaks `pypi-upload-token`",
        check: None,
    },
    Shape {
        name: "sendgrid-key",
        pattern: r"\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})",
        source: "Twilio SendGrid docs, API keys; gitleaks `sendgrid-api-token`",
        check: None,
    },
    Shape {
        name: "openai-style-key",
        pattern: r"\b(sk-(?:proj-|ant-(?:api|admin)[0-9]{2}-|svcacct-)?[A-Za-z0-9_-]{20,})",
        source: "OpenAI and Anthropic API key formats; gitleaks `openai-api-key`, `anthropic-api-key`; only mixed-case with digits",
        check: Some(mixed_case_with_digits),
    },
];

struct Compiled {
    /// Any rule matches: one pass to leave ordinary text alone.
    any: Option<RegexSet>,
    /// Each rule compiled, in table order.
    rules: Vec<(Regex, &'static Shape)>,
}

/// The table compiled once. The patterns are constants that a test compiles one by one;
/// should one ever fail, the others still apply (and the test names it).
static COMPILED: LazyLock<Compiled> = LazyLock::new(|| Compiled {
    any: RegexSet::new(SHAPES.iter().map(|s| s.pattern)).ok(),
    rules: SHAPES
        .iter()
        .filter_map(|shape| Regex::new(shape.pattern).ok().map(|r| (r, shape)))
        .collect(),
});

/// Replaces every secret `s` holds by its shape with `fingerprint(secret)`.
pub fn redact_shapes(s: &str, fingerprint: &dyn Fn(&str) -> String) -> String {
    let compiled = &*COMPILED;
    if let Some(any) = &compiled.any {
        if !any.is_match(s) {
            return s.to_string();
        }
    }
    let mut text = s.to_string();
    for (regex, shape) in &compiled.rules {
        if regex.is_match(&text) {
            text = replace_rule(&text, regex, shape, fingerprint);
        }
    }
    text
}

/// Replaces every complete private key block of `text` (across lines, indented, starting
/// mid-line or inside a JSON string) with `fingerprint(block)`.
pub fn redact_private_keys(text: &str, fingerprint: &dyn Fn(&str) -> String) -> String {
    let rule = COMPILED.rules.iter().find(|(_, s)| s.name == "private-key");
    match rule {
        Some((regex, shape)) if text.contains("PRIVATE KEY") => {
            replace_rule(text, regex, shape, fingerprint)
        }
        _ => text.to_string(),
    }
}

fn replace_rule(
    text: &str,
    regex: &Regex,
    shape: &Shape,
    fingerprint: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for captures in regex.captures_iter(text) {
        let Some(secret) = captures.get(1).or_else(|| captures.get(0)) else {
            continue;
        };
        let value = secret.as_str();
        if secret.start() < copied
            || text[secret.start()..].starts_with(FINGERPRINT_PREFIX)
            || shape.check.is_some_and(|check| !check(value))
        {
            continue;
        }
        out.push_str(&text[copied..secret.start()]);
        out.push_str(&fingerprint(value));
        copied = secret.end();
    }
    out.push_str(&text[copied..]);
    out
}

fn decodes_to_user_and_password(candidate: &str) -> bool {
    base64::engine::general_purpose::STANDARD
        .decode(candidate)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|text| {
            text.contains(':') && !text.starts_with(':') && !text.chars().any(char::is_control)
        })
}

/// More than letters and dashes: `required` or `authentication` is a word, not a token.
fn not_a_plain_word(candidate: &str) -> bool {
    candidate
        .chars()
        .any(|c| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
}

fn mixed_case_with_digits(candidate: &str) -> bool {
    candidate.chars().any(|c| c.is_ascii_uppercase())
        && candidate.chars().any(|c| c.is_ascii_lowercase())
        && candidate.chars().any(|c| c.is_ascii_digit())
}

/// Forty base64 characters that are not base64 of text: random key material.
fn looks_like_aws_secret(candidate: &str) -> bool {
    if !mixed_case_with_digits(candidate) {
        return false;
    }
    match base64::engine::general_purpose::STANDARD.decode(candidate) {
        // Base64 of printable text (a path, a sentence) is not a key.
        Ok(bytes) => {
            let printable = bytes
                .iter()
                .filter(|b| b.is_ascii_graphic() || **b == b' ')
                .count();
            printable * 10 < bytes.len() * 9
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(s: &str) -> String {
        redact_shapes(s, &|_| format!("{FINGERPRINT_PREFIX}x"))
    }

    #[test]
    fn the_docs_list_every_rule_with_its_pattern_and_source() {
        let doc = include_str!("../../../docs/secrets.md");
        for shape in SHAPES {
            let row = format!(
                "| `{}` | `{}` | {} |",
                shape.name,
                shape.pattern.replace('|', "\\|"),
                shape.source.replace('|', "\\|")
            );
            assert!(doc.contains(&row), "docs/secrets.md lacks the row:\n{row}");
        }
    }

    #[test]
    fn every_rule_compiles() {
        for shape in SHAPES {
            assert!(Regex::new(shape.pattern).is_ok(), "{}", shape.name);
        }
        assert!(COMPILED.any.is_some());
        assert_eq!(COMPILED.rules.len(), SHAPES.len());
    }

    #[test]
    fn each_rule_catches_its_shape() {
        let cases = [
            (
                "jwt",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ),
            ("authorization-basic", "Basic YWRtaW46czNjcjN0UGFzcw=="),
            (
                "authorization-bearer",
                "bearer 0b79bab50daca910b000d4f1a2b675d604257e42",
            ),
            (
                "authorization-header",
                "Authorization: Token 9a8b7c6d5e4f3a2b1c0d",
            ),
            ("aws-access-key-id", "AKIAIOSFODNN7EXAMPLE"),
            (
                "aws-secret-access-key",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ),
            ("github-token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
            ("gitlab-token", "glpat-xxxxXXXX1234yyyyZZZZ"),
            ("slack-token", "xoxb-1234567890-abcdefghijkl"),
            (
                "slack-webhook",
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            ),
            ("stripe-key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("google-api-key", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
            ("npm-token", "npm_abcdefghijklmnopqrstuvwxyz0123456789"),
            (
                "sendgrid-key",
                "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",
            ),
            ("openai-style-key", "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"),
        ];
        let named: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
        for shape in SHAPES {
            assert!(
                shape.name == "private-key"
                    || shape.name == "google-oauth"
                    || shape.name == "pypi-token"
                    || named.contains(&shape.name),
                "no case for {}",
                shape.name
            );
        }
        for (name, secret) in cases {
            let line = format!("note = \"{secret}\" here");
            let out = redact(&line);
            assert!(!out.contains(secret), "{name}: {out}");
            assert!(out.contains(FINGERPRINT_PREFIX), "{name}: {out}");
        }
    }

    #[test]
    fn lookalikes_that_are_not_secrets_stay() {
        for text in [
            "Basic authentication is enabled",
            "Bearer authentication",
            "authorization = required",
            // A git commit hash: 40 characters, but lowercase hex.
            "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
            // Base64 of a sentence, 40 characters.
            "aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEga2V5",
            "sk-prod-database-server-01",
            "token_ttl = 3600",
            "550e8400-e29b-41d4-a716-446655440000",
            "/usr/lib/x86_64-linux-gnu/libssl.so.3",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn fingerprints_are_never_fingerprinted_again() {
        let once = redact("Authorization: Bearer abcdefghijklmnop1234");
        assert_eq!(redact(&once), once);
    }
}
