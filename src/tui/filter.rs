//! Incremental fuzzy filtering of fact keys.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A compiled fuzzy query; an empty query matches everything.
pub struct FuzzyFilter {
    pattern: Option<Pattern>,
    matcher: Matcher,
    buf: Vec<char>,
}

impl FuzzyFilter {
    /// Compiles `query` (smart case: case-insensitive unless it has a capital letter).
    pub fn new(query: &str) -> FuzzyFilter {
        let query = query.trim();
        FuzzyFilter {
            pattern: (!query.is_empty())
                .then(|| Pattern::parse(query, CaseMatching::Smart, Normalization::Smart)),
            matcher: Matcher::new(Config::DEFAULT.match_paths()),
            buf: Vec::new(),
        }
    }

    /// True when the query matches everything.
    pub fn is_empty(&self) -> bool {
        self.pattern.is_none()
    }

    /// True when `text` matches the query.
    pub fn matches(&mut self, text: &str) -> bool {
        match &self.pattern {
            None => true,
            Some(p) => p
                .score(Utf32Str::new(text, &mut self.buf), &mut self.matcher)
                .is_some(),
        }
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
    fn smart_case() {
        assert!(FuzzyFilter::new("path").matches("env.PATH"));
        assert!(!FuzzyFilter::new("PATH").matches("env.path"));
    }
}
