//! Pure parsers from probe output to facts, one file per family of commands.
//!
//! Each takes the probe's standard output and returns `(key, value)` pairs, or a
//! one-line reason why the output could not be read. None performs I/O.

pub mod config;
pub mod generic;
pub mod infra;
pub mod network;
pub mod services;
pub mod versions;

/// The first version-looking token of `text`: `Python 3.11.2` → `3.11.2`,
/// `v20.1.0` → `20.1.0`, `go1.21.5` → `1.21.5`, `v=7.0.15` → `7.0.15`.
pub fn first_version(text: &str) -> Option<String> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '/' | '=' | '"' | '\'' | '(' | ')' | ',' | ':')
    })
    .filter_map(|token| {
        let token = token
            .strip_prefix("go")
            .or_else(|| token.strip_prefix('v'))
            .or_else(|| token.strip_prefix('V'))
            .unwrap_or(token);
        let starts_with_digit = token.chars().next().is_some_and(|c| c.is_ascii_digit());
        let version: String = token
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_' | '~'))
            .collect();
        let version = version.trim_end_matches(['.', '-']);
        (starts_with_digit && version.contains('.')).then(|| version.to_string())
    })
    .next()
}

/// Splits `key=value` (or `key = value`), trimming spaces and one pair of quotes
/// around the value. Comments, blanks and lines without `=` give `None`.
pub fn key_value(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some((key, unquote(value.trim())))
}

/// Removes one pair of matching single or double quotes.
pub fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_version_finds_versions_in_real_banners() {
        let cases = [
            ("Python 3.11.2", "3.11.2"),
            ("v20.11.1", "20.11.1"),
            ("openjdk version \"17.0.9\" 2023-10-17", "17.0.9"),
            (
                "ruby 3.1.2p20 (2022-04-12 revision 4491bb740a) [x86_64-linux-gnu]",
                "3.1.2p20",
            ),
            ("go version go1.21.5 linux/amd64", "1.21.5"),
            (
                "PHP 8.2.7 (cli) (built: Jun  9 2023 19:37:27) (NTS)",
                "8.2.7",
            ),
            (
                "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64",
                "7.0.15",
            ),
            ("nginx version: nginx/1.22.1", "1.22.1"),
            ("Server version: Apache/2.4.57 (Debian)", "2.4.57"),
            ("postgres (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)", "15.5"),
            (
                "mysqld  Ver 8.0.35 for Linux on x86_64 (MySQL Community Server - GPL)",
                "8.0.35",
            ),
            ("rustc 1.95.0 (59807616e 2026-04-14)", "1.95.0"),
        ];
        for (text, want) in cases {
            assert_eq!(first_version(text).as_deref(), Some(want), "{text}");
        }
        assert_eq!(first_version("no version here"), None);
    }

    #[test]
    fn key_value_handles_quotes_exports_and_comments() {
        assert_eq!(key_value("ID=debian"), Some(("ID", "debian")));
        assert_eq!(key_value("export A = \"b c\""), Some(("A", "b c")));
        assert_eq!(key_value("# X=1"), None);
        assert_eq!(key_value("no equals"), None);
        assert_eq!(key_value("URL=a=b"), Some(("URL", "a=b")));
    }
}
