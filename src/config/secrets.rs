//! `[secrets]`: fact keys always redacted.

use serde::Deserialize;

/// `[secrets]`: facts whose values are kept only as keyed fingerprints.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {
    /// Fact keys or names (globs, case-insensitive) always treated as secret,
    /// e.g. `DATABASE_URL`, `env.STRIPE_*`, `sysctl.kernel.*`.
    pub keys: Vec<String>,
}
