//! `[ignore]`: facts left out of comparisons.

use serde::Deserialize;

use super::checked::de_patterns;

/// Ignore rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreConfig {
    /// `category/key` glob patterns, e.g. `infra/uptime`, `*/boot_time*`.
    #[serde(default, deserialize_with = "de_patterns")]
    pub facts: Vec<String>,
}
