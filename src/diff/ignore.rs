//! Ignore rules: `category/key` glob patterns for volatile facts.

use crate::model::FactKey;

/// A compiled set of ignore patterns.
#[derive(Debug, Clone, Default)]
pub struct IgnoreRules {
    patterns: Vec<String>,
}

impl IgnoreRules {
    /// Compiles `category/key` glob patterns (e.g. `infra/uptime*`, `*/boot_time`).
    pub fn new(patterns: &[String]) -> Result<IgnoreRules, String> {
        Ok(IgnoreRules {
            patterns: patterns.to_vec(),
        })
    }

    /// True when the fact matches a pattern.
    pub fn matches(&self, key: &FactKey) -> bool {
        let _ = key;
        todo!("ignore rules")
    }
}
