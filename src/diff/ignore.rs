//! Ignore rules: `category/key` glob patterns for volatile facts.
//!
//! A pattern matches the text `category/key`, e.g. `infra/uptime`, `*/boot_time*` or
//! `config/env.*_AT`. `*` also matches `/`, so keys that hold paths
//! (`config/file:/etc/*`) work as expected. Matching is case-sensitive.

use std::fmt::Write as _;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::model::FactKey;

/// A compiled set of ignore patterns. The default matches nothing.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    patterns: Vec<String>,
    set: GlobSet,
}

impl IgnoreRules {
    /// Compiles `category/key` glob patterns (e.g. `infra/uptime*`, `*/boot_time`).
    ///
    /// The error names the first bad pattern and what is wrong with it.
    pub fn new(patterns: &[String]) -> Result<IgnoreRules, String> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern)
                .map_err(|e| format!("invalid ignore pattern '{pattern}': {}", e.kind()))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| format!("invalid ignore patterns: {e}"))?;
        Ok(IgnoreRules {
            patterns: patterns.to_vec(),
            set,
        })
    }

    /// The patterns as given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when there are no patterns, so nothing is ignored.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when the fact matches a pattern.
    pub fn matches(&self, key: &FactKey) -> bool {
        let mut buffer = String::new();
        self.matches_parts(key.category.as_str(), &key.key, &mut buffer)
    }

    /// Like [`IgnoreRules::matches`], building `category/key` in `buffer` to avoid an
    /// allocation per fact.
    pub(crate) fn matches_parts(&self, category: &str, key: &str, buffer: &mut String) -> bool {
        if self.is_empty() {
            return false;
        }
        buffer.clear();
        // Writing to a String cannot fail.
        let _ = write!(buffer, "{category}/{key}");
        self.set.is_match(buffer.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn rules(patterns: &[&str]) -> IgnoreRules {
        let owned: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        IgnoreRules::new(&owned).unwrap()
    }

    #[test]
    fn default_matches_nothing() {
        let r = IgnoreRules::default();
        assert!(!r.matches(&FactKey::new(Category::Infra, "uptime")));
        assert!(r.is_empty());
    }

    #[test]
    fn exact_and_wildcard_patterns_match_category_slash_key() {
        let r = rules(&["infra/uptime", "*/boot_time*", "config/env.*_AT"]);
        assert!(r.matches(&FactKey::new(Category::Infra, "uptime")));
        assert!(!r.matches(&FactKey::new(Category::Config, "uptime")));
        assert!(r.matches(&FactKey::new(Category::Infra, "boot_time")));
        assert!(r.matches(&FactKey::new(Category::Services, "boot_time.kernel")));
        assert!(r.matches(&FactKey::new(Category::Config, "env.DEPLOYED_AT")));
        assert!(!r.matches(&FactKey::new(Category::Config, "env.DEPLOYED_BY")));
    }

    #[test]
    fn star_crosses_slashes_in_path_keys() {
        let r = rules(&["config/file:/etc/*"]);
        assert!(r.matches(&FactKey::new(
            Category::Config,
            "file:/etc/nginx/nginx.conf"
        )));
        assert!(!r.matches(&FactKey::new(Category::Config, "file:/opt/app.conf")));
    }

    #[test]
    fn bad_pattern_is_named_in_the_error() {
        let err =
            IgnoreRules::new(&["infra/ok".to_string(), "config/[env".to_string()]).unwrap_err();
        assert!(err.contains("'config/[env'"), "{err}");
        assert!(!err.contains('\n'));
    }

    #[test]
    fn patterns_are_kept_as_given() {
        let r = rules(&["a/*", "b/c"]);
        assert_eq!(r.patterns(), ["a/*", "b/c"]);
    }
}
