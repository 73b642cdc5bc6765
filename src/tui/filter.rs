//! Incremental filtering of fact keys: fuzzy by default, a regular expression between
//! slashes (`/^env\.DB_/`), and either one negated with a leading `!` (`!pip:`).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use regex::Regex;

/// How a query matches.
enum Query {
    /// Everything (an empty query).
    All,
    /// A fuzzy pattern (smart case).
    Fuzzy(Pattern),
    /// A regular expression.
    Regex(Regex),
    /// A regular expression that does not compile: matches nothing.
    Invalid,
}

/// A compiled query; an empty query matches everything.
pub struct FuzzyFilter {
    query: Query,
    negated: bool,
    matcher: Matcher,
    buf: Vec<char>,
}

impl FuzzyFilter {
    /// Compiles `query`: `/RE/` is a regular expression (case-insensitive unless it has
    /// a capital letter), anything else a fuzzy pattern (smart case); a leading `!` keeps
    /// the keys that do *not* match.
    pub fn new(query: &str) -> FuzzyFilter {
        let query = query.trim();
        let (negated, query) = match query.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, query),
        };
        let regex = query
            .strip_prefix('/')
            .map(|rest| rest.strip_suffix('/').unwrap_or(rest))
            .filter(|re| !re.is_empty());
        let query = match regex {
            Some(re) => {
                let smart = if re.chars().any(char::is_uppercase) {
                    re.to_string()
                } else {
                    format!("(?i){re}")
                };
                Regex::new(&smart).map_or(Query::Invalid, Query::Regex)
            }
            None if query.is_empty() || query == "/" => Query::All,
            None => Query::Fuzzy(Pattern::parse(
                query,
                CaseMatching::Smart,
                Normalization::Smart,
            )),
        };
        FuzzyFilter {
            negated: negated && !matches!(query, Query::All),
            query,
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            buf: Vec::new(),
        }
    }

    /// True when the query matches everything.
    pub fn is_empty(&self) -> bool {
        matches!(self.query, Query::All)
    }

    /// True when the query is a regular expression that does not compile.
    pub fn is_invalid(&self) -> bool {
        matches!(self.query, Query::Invalid)
    }

    /// The positions (in characters) of `text` that the query matched, sorted; empty
    /// when it does not match, the query is empty, or it is negated.
    pub fn positions(&mut self, text: &str) -> Vec<usize> {
        if self.negated {
            return Vec::new();
        }
        match &self.query {
            Query::All | Query::Invalid => Vec::new(),
            Query::Regex(re) => re.find(text).map_or_else(Vec::new, |m| {
                let start = text[..m.start()].chars().count();
                (start..start + m.as_str().chars().count()).collect()
            }),
            Query::Fuzzy(p) => {
                let mut indices = Vec::new();
                let haystack = Utf32Str::new(text, &mut self.buf);
                if p.indices(haystack, &mut self.matcher, &mut indices)
                    .is_none()
                {
                    return Vec::new();
                }
                indices.sort_unstable();
                indices.dedup();
                indices.into_iter().map(|i| i as usize).collect()
            }
        }
    }

    /// True when `text` matches the query.
    pub fn matches(&mut self, text: &str) -> bool {
        let matched = match &self.query {
            Query::All => return true,
            Query::Invalid => false,
            Query::Regex(re) => re.is_match(text),
            Query::Fuzzy(p) => p
                .score(Utf32Str::new(text, &mut self.buf), &mut self.matcher)
                .is_some(),
        };
        matched != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_subsequences_match_and_others_do_not() {
        let mut f = FuzzyFilter::new("ngxconf");
        assert!(f.matches("file:/etc/nginx/nginx.conf"));
        assert!(!f.matches("runtime.python"));
        let mut all = FuzzyFilter::new("  ");
        assert!(all.is_empty() && all.matches("anything"));
    }

    #[test]
    fn positions_are_the_matched_characters() {
        let mut f = FuzzyFilter::new("ngx");
        let pos = f.positions("env.nginx");
        let chars: String = pos
            .iter()
            .map(|&i| "env.nginx".chars().nth(i).unwrap())
            .collect();
        assert_eq!(chars, "ngx");
        assert!(f.positions("python").is_empty());
    }

    #[test]
    fn smart_case() {
        assert!(FuzzyFilter::new("path").matches("env.PATH"));
        assert!(!FuzzyFilter::new("PATH").matches("env.path"));
    }

    #[test]
    fn regular_expressions_between_slashes_and_negation() {
        let mut re = FuzzyFilter::new("/^env\\.DB_/");
        assert!(re.matches("env.DB_HOST"));
        assert!(
            !re.matches("env.db_host"),
            "a capital letter: case-sensitive"
        );
        assert!(!re.matches("xenv.DB_HOST"));
        assert!(
            FuzzyFilter::new("/^env\\.db_/").matches("env.DB_HOST"),
            "else not"
        );
        assert_eq!(re.positions("env.DB_HOST"), [0, 1, 2, 3, 4, 5, 6]);
        let mut not = FuzzyFilter::new("!pip:");
        assert!(!not.matches("pip:stripe"));
        assert!(not.matches("runtime.python"));
        assert!(not.positions("runtime.python").is_empty());
        let mut not_re = FuzzyFilter::new("!/^package:/");
        assert!(!not_re.matches("package:openssl") && not_re.matches("lib.openssl"));
        let mut bad = FuzzyFilter::new("/[unclosed/");
        assert!(bad.is_invalid() && !bad.matches("anything"));
        assert!(
            FuzzyFilter::new("!").matches("anything"),
            "a lone ! is no query"
        );
    }
}
