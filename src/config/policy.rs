//! The policy tables of `driftscope.toml`: `[[severity]]` overrides and `[[rules]]`
//! expectations (see `diff::policy` and `docs/drift.md`).

use std::collections::BTreeSet;

use color_eyre::eyre::{Result, eyre};
use serde::Deserialize;

use super::{CONFIG_FILE, Config};
use crate::diff::Severity;
use crate::diff::policy::{Expectation, ExpectationRule, Policy};

/// `[[severity]]`: the severity of every drift whose `category/key` matches `facts`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityConfig {
    /// A `category/key` glob pattern, e.g. `versions/package:openssl*`.
    pub facts: String,
    /// `critical`, `high`, `medium` or `low`.
    pub level: String,
}

/// `[[rules]]`: what may differ, or must be equal, between environments.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// A `category/key` glob pattern, e.g. `infra/*`.
    pub facts: String,
    /// The environments it applies between; none means any.
    #[serde(default)]
    pub environments: Vec<String>,
    /// `may_differ` or `must_equal`.
    pub expect: String,
    /// Why (required).
    pub reason: String,
}

fn severity(text: &str) -> Option<Severity> {
    match text {
        "critical" => Some(Severity::Critical),
        "high" => Some(Severity::High),
        "medium" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        _ => None,
    }
}

impl Config {
    /// The compiled severity overrides and expectation rules. Errors name the table,
    /// its position and the fix.
    pub fn policy(&self) -> Result<Policy> {
        let mut overrides = Vec::with_capacity(self.severity.len());
        for (i, entry) in self.severity.iter().enumerate() {
            let level = severity(&entry.level).ok_or_else(|| {
                eyre!(
                    "{CONFIG_FILE}: [[severity]] #{}: level '{}' is not one of critical, high, medium, low",
                    i + 1,
                    entry.level
                )
            })?;
            overrides.push((entry.facts.clone(), level));
        }
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, entry) in self.rules.iter().enumerate() {
            let expect = match entry.expect.as_str() {
                "may_differ" => Expectation::MayDiffer,
                "must_equal" => Expectation::MustEqual,
                other => {
                    return Err(eyre!(
                        "{CONFIG_FILE}: [[rules]] #{}: expect '{other}' is not may_differ or must_equal",
                        i + 1
                    ));
                }
            };
            let environments: BTreeSet<String> = entry.environments.iter().cloned().collect();
            rules.push(ExpectationRule {
                pattern: entry.facts.clone(),
                environments,
                expect,
                reason: entry.reason.trim().to_string(),
            });
        }
        let policy = Policy::new(&overrides, &rules).map_err(|e| eyre!("{CONFIG_FILE}: {e}"))?;
        match self.certificates.window() {
            Ok(Some(window)) => Ok(policy.with_certificate_window(window)),
            Ok(None) => Ok(policy),
            Err(e) => Err(eyre!("{CONFIG_FILE}: {e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, FactKey};

    #[test]
    fn severity_and_rules_tables_compile_into_a_policy() {
        let config = Config::parse(
            r#"
[[severity]]
facts = "versions/package:*-doc"
level = "low"

[[rules]]
facts = "infra/*"
environments = ["staging", "prod"]
expect = "may_differ"
reason = "prod is sized for load"
"#,
            "driftscope.toml",
        )
        .unwrap();
        let policy = config.policy().unwrap();
        let key = FactKey::new(Category::Infra, "cpu.count");
        let envs = vec!["staging".to_string(), "prod".to_string()];
        assert_eq!(policy.rule_for(&key, &envs), Some(0));
        let doc = FactKey::new(Category::Versions, "package:bash-doc");
        assert_eq!(policy.severity(&doc, &envs, Severity::High), Severity::Low);
    }

    #[test]
    fn a_bad_level_or_expectation_is_named() {
        let err = Config::parse(
            "[[severity]]\nfacts = \"x/*\"\nlevel = \"urgent\"\n",
            "driftscope.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("level 'urgent'"), "{err}");
        let err = Config::parse(
            "[[rules]]\nfacts = \"x/*\"\nexpect = \"maybe\"\nreason = \"r\"\n",
            "driftscope.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("expect 'maybe'"), "{err}");
    }
}
