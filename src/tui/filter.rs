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

    /// The positions (in characters) of `text` that the query matched, sorted; empty
    /// when it does not match or the query is empty.
    pub fn positions(&mut self, text: &str) -> Vec<usize> {
        let Some(p) = &self.pattern else {
            return Vec::new();
        };
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
}
