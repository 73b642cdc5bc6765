//! Values that look like credentials, for names that only *may* hold one.
//!
//! A setting called `auth`, `dsn` or `cookie` holds a password or token as often as a
//! mode (`auth = ldap`) or a path. Such a value is redacted only when it looks like a
//! credential: one token, not a number, path, plain word, host name or version, and either
//! letters mixed with digits or symbols (`hunter2`, `S3cret!`) or long and high in entropy.

/// Last words that make a name *credential-like*: its value is redacted when it looks
/// like a credential (see [`looks_like_credential`]).
const CREDENTIAL_LIKE_WORDS: &[&str] = &[
    "auth",
    "authorization",
    "bearer",
    "cred",
    "creds",
    "dsn",
    "cookie",
    "session",
    "sessionid",
    "signature",
    "sig",
    "salt",
    "private",
    "access",
    "conn",
    "connstr",
    "connection",
    "license",
    "licence",
    "pin",
    "otp",
    "seed",
];

/// Whether a name's last word (split as for the secret-name check) is credential-like.
pub fn is_credential_like(words: &[String]) -> bool {
    words
        .last()
        .is_some_and(|last| CREDENTIAL_LIKE_WORDS.contains(&last.as_str()))
}

/// Shannon entropy of `s` in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut total = 0u32;
    for b in s.bytes() {
        counts[usize::from(b)] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / total;
            -p * p.log2()
        })
        .sum()
}

/// Whether `value` looks like a password or token rather than an ordinary setting.
pub fn looks_like_credential(value: &str) -> bool {
    let v = value.trim().trim_matches(['"', '\'']);
    let len = v.chars().count();
    if !(6..=512).contains(&len) || v.chars().any(char::is_whitespace) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let plain = [
        "true", "false", "yes", "no", "on", "off", "none", "null", "required", "optional",
        "enabled", "disabled",
    ];
    if plain.contains(&lower.as_str())
        || v.parse::<f64>().is_ok()
        || v.starts_with(['/', '~', '.', '$'])
        || (v.contains("://") && !v.contains('@'))
        || v.starts_with(super::FINGERPRINT_PREFIX)
    {
        return false;
    }
    // Words, dotted names and versions: `keep-alive`, `db.internal`, `1.2.3`.
    let wordish = v
        .chars()
        .all(|c| c.is_ascii_lowercase() || matches!(c, '-' | '_' | '.'));
    let dotted_numbers = v.chars().all(|c| c.is_ascii_digit() || c == '.');
    if wordish || dotted_numbers {
        return false;
    }
    // A letter with a digit or a symbol (`hunter2`, `S3cret!`): a word alone, even
    // capitalised (`Bearer`, `Kerberos`), is a mode or a scheme, not a password.
    let letter = v.chars().any(|c| c.is_ascii_alphabetic());
    let digit = v.chars().any(|c| c.is_ascii_digit());
    let symbol = v
        .chars()
        .any(|c| !c.is_ascii_alphanumeric() && !matches!(c, '-' | '_' | '.'));
    (letter && (digit || symbol)) || (len >= 16 && entropy(v) >= 3.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens_look_like_credentials() {
        for v in [
            "hunter2",
            "S3cret!pass",
            "Zm9vYmFyYmF6cXV4",
            "user:Pa55word",
            "9f86d081884c7d659a2feaa0c55ad015",
        ] {
            assert!(looks_like_credential(v), "{v}");
        }
    }

    #[test]
    fn ordinary_settings_do_not() {
        for v in [
            "ldap",
            "keep-alive",
            "required",
            "/etc/ssl/private/key.pem",
            "https://auth.example.com/login",
            "8080",
            "1.2.3",
            "db.internal",
            "none",
            "md5",
            "two words",
            "Bearer",
            "Kerberos",
        ] {
            assert!(!looks_like_credential(v), "{v}");
        }
    }

    #[test]
    fn entropy_is_higher_for_random_text() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(entropy("q8Zr2LkW9vXp4TnB") > 3.5);
    }
}
