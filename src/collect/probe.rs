//! What a probe is: a shell snippet run on the host and a pure parser for its output.

use crate::model::{Category, Value};

/// Facts a parser produced: `(key, value)` pairs of the probe's category.
pub type Facts = Vec<(String, Value)>;

/// A parser of a probe's standard output.
pub type ParseFn = fn(&str) -> Result<Facts, String>;

/// A parser that also receives a key chosen by configuration (a file path, a prefix).
pub type KeyedParseFn = fn(&str, &str) -> Result<Facts, String>;

/// How a probe's output becomes facts.
#[derive(Clone)]
pub enum Parser {
    /// A parser that knows its keys.
    Plain(ParseFn),
    /// A parser given a key (or key prefix).
    Keyed(KeyedParseFn, String),
}

impl std::fmt::Debug for Parser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Parser::Plain(_) => f.write_str("Plain"),
            Parser::Keyed(_, key) => write!(f, "Keyed({key})"),
        }
    }
}

/// One probe: a named shell snippet filling one category.
#[derive(Debug, Clone)]
pub struct Probe {
    /// A unique name, shown in errors (`packages`, `file:/etc/hosts`).
    pub name: String,
    /// The category its facts go to.
    pub category: Category,
    /// Commands that must exist on the host; when one is missing the probe is
    /// reported unavailable instead of run.
    pub requires: Vec<String>,
    /// The POSIX `sh` snippet. It runs in its own shell with stdin from `/dev/null`.
    pub command: String,
    /// Its parser.
    pub parser: Parser,
    /// Whether it needs root: on hosts configured with `sudo` it runs through
    /// `sudo -n` (see [`super::sudo`]).
    pub needs_root: bool,
    /// A file that, when the login user can read it, lets the probe run without root
    /// even on hosts configured with `sudo`.
    pub root_unless_readable: Option<String>,
}

impl Probe {
    /// A probe with a plain parser.
    pub fn plain(
        name: &str,
        category: Category,
        requires: &[&str],
        command: impl Into<String>,
        parse: ParseFn,
    ) -> Probe {
        Probe {
            name: name.to_string(),
            category,
            requires: requires.iter().map(|r| r.to_string()).collect(),
            command: command.into(),
            parser: Parser::Plain(parse),
            needs_root: false,
            root_unless_readable: None,
        }
    }

    /// A probe with a keyed parser.
    pub fn keyed(
        name: impl Into<String>,
        category: Category,
        requires: &[&str],
        command: impl Into<String>,
        parse: KeyedParseFn,
        key: impl Into<String>,
    ) -> Probe {
        Probe {
            name: name.into(),
            category,
            requires: requires.iter().map(|r| r.to_string()).collect(),
            command: command.into(),
            parser: Parser::Keyed(parse, key.into()),
            needs_root: false,
            root_unless_readable: None,
        }
    }

    /// The same probe, marked as needing root.
    pub fn needing_root(mut self, needs_root: bool) -> Probe {
        self.needs_root = needs_root;
        self
    }

    /// The same probe, run through `sudo -n` on hosts configured for it only when the
    /// login user cannot read `path`.
    pub fn root_when_unreadable(mut self, path: &str) -> Probe {
        self.needs_root = true;
        self.root_unless_readable = Some(path.to_string());
        self
    }

    /// Parses the probe's standard output.
    pub fn parse(&self, stdout: &str) -> Result<Facts, String> {
        match &self.parser {
            Parser::Plain(parse) => parse(stdout),
            Parser::Keyed(parse, key) => parse(stdout, key),
        }
    }
}

/// Quotes `s` for a POSIX shell: one single-quoted word.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_survives_single_quotes() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
