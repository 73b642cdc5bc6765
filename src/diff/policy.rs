//! A team's policy on top of the built-in severity ladder: severity overrides and
//! expectation rules, both by `category/key` glob pattern (as `driftscope.toml` writes
//! them; see `docs/drift.md`).
//!
//! - A **severity override** sets the severity of every drift it matches
//!   (`versions/package:openssl*` critical, `versions/package:*-doc` low). The last
//!   matching override wins.
//! - An **expectation rule** says that, between some environments (or any), the values
//!   of matching facts *may differ* (a drift it allows counts as justified by the rule,
//!   with its reason: see `review::review_with_rules`) or *must be equal* (its drift is
//!   raised to critical and no rule can justify it; only an explicit annotation can).
//!   The first matching rule applies.
//! - A **certificate near expiry** (see [`super::expiry`]) raises its drift to
//!   critical before the overrides apply.

use std::collections::BTreeSet;

use globset::{Glob, GlobMatcher};

use super::severity::priority;
use super::{DriftReport, FactDiff, Severity};
use crate::model::FactKey;

/// What an expectation rule says about the values of matching facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation {
    /// The values may differ: a drift is justified by the rule.
    MayDiffer,
    /// The values must be equal: a drift is critical.
    MustEqual,
}

impl Expectation {
    /// The name used in `driftscope.toml`: `may_differ`, `must_equal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::MayDiffer => "may_differ",
            Expectation::MustEqual => "must_equal",
        }
    }
}

/// An expectation rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectationRule {
    /// The `category/key` glob pattern.
    pub pattern: String,
    /// The environments it applies between; empty means any. It applies to a
    /// comparison when every compared environment is among these.
    pub environments: BTreeSet<String>,
    /// May differ or must be equal.
    pub expect: Expectation,
    /// Why (required).
    pub reason: String,
}

/// Compiled severity overrides and expectation rules. The default changes nothing.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    overrides: Vec<(GlobMatcher, Severity)>,
    rules: Vec<(GlobMatcher, ExpectationRule)>,
    /// How close to expiry a certificate raises its drift; `None`: the default.
    certificate_window: Option<chrono::Duration>,
}

fn matcher(pattern: &str) -> Result<GlobMatcher, String> {
    Glob::new(pattern)
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid pattern '{pattern}': {}", e.kind()))
}

impl Policy {
    /// Compiles `(pattern, severity)` overrides and expectation rules; the error names
    /// the first bad pattern or the rule without a reason.
    pub fn new(
        overrides: &[(String, Severity)],
        rules: &[ExpectationRule],
    ) -> Result<Policy, String> {
        let overrides = overrides
            .iter()
            .map(|(pattern, severity)| Ok((matcher(pattern)?, *severity)))
            .collect::<Result<_, String>>()?;
        let rules = rules
            .iter()
            .map(|rule| {
                if rule.reason.trim().is_empty() {
                    return Err(format!("the rule for '{}' needs a reason", rule.pattern));
                }
                Ok((matcher(&rule.pattern)?, rule.clone()))
            })
            .collect::<Result<_, String>>()?;
        Ok(Policy {
            overrides,
            rules,
            certificate_window: None,
        })
    }

    /// The same policy, with certificates counted near expiry within `window` instead
    /// of the default 30 days.
    pub fn with_certificate_window(mut self, window: chrono::Duration) -> Policy {
        self.certificate_window = Some(window);
        self
    }

    /// How close to expiry a certificate raises its drift to critical.
    pub fn certificate_window(&self) -> chrono::Duration {
        self.certificate_window
            .unwrap_or_else(super::expiry::default_window)
    }

    /// True when the policy has neither overrides nor rules.
    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty() && self.rules.is_empty()
    }

    /// The expectation rules, in the order given.
    pub fn rules(&self) -> impl Iterator<Item = &ExpectationRule> {
        self.rules.iter().map(|(_, rule)| rule)
    }

    /// The rule at `index` (as [`Policy::rule_for`] returns it).
    pub fn rule(&self, index: usize) -> Option<&ExpectationRule> {
        self.rules.get(index).map(|(_, rule)| rule)
    }

    /// The index of the first rule matching `key` that applies between
    /// `environments` (each side's environment name).
    pub fn rule_for(&self, key: &FactKey, environments: &[String]) -> Option<usize> {
        let text = key.to_string();
        self.rules.iter().position(|(glob, rule)| {
            glob.is_match(&text)
                && (rule.environments.is_empty()
                    || environments.iter().all(|e| rule.environments.contains(e)))
        })
    }

    /// The severity a drift of `key` gets under this policy, from the ladder's `rated`:
    /// the last matching override, then raised to critical by a must-equal rule.
    pub fn severity(&self, key: &FactKey, environments: &[String], rated: Severity) -> Severity {
        if rated == Severity::None {
            return rated;
        }
        let text = key.to_string();
        let mut severity = self
            .overrides
            .iter()
            .rev()
            .find(|(glob, _)| glob.is_match(&text))
            .map_or(rated, |(_, s)| *s);
        if let Some(index) = self.rule_for(key, environments)
            && self.rules[index].1.expect == Expectation::MustEqual
        {
            severity = Severity::Critical;
        }
        severity
    }

    /// Applies the policy to a report compared between `environments`: certificates
    /// near expiry raised to critical, then every drift's severity as
    /// [`Policy::severity`] says, the counts by severity redone, and the facts sorted
    /// worst first again.
    pub fn apply(&self, report: &mut DriftReport, environments: &[String]) {
        let window = self.certificate_window();
        let mut raised = false;
        for fact in report.facts.iter_mut().filter(|f| f.is_drift()) {
            if fact.severity < Severity::Critical
                && super::expiry::near_expiry(fact, &report.sides, window)
            {
                fact.severity = Severity::Critical;
                raised = true;
            }
        }
        if self.is_empty() && !raised {
            return;
        }
        for fact in report.facts.iter_mut().filter(|f| f.is_drift()) {
            fact.severity = self.severity(&fact.key, environments, fact.severity);
        }
        for counts in report.categories.values_mut() {
            counts.by_severity.clear();
        }
        for fact in report.facts.iter().filter(|f| f.is_drift()) {
            if let Some(counts) = report.categories.get_mut(&fact.key.category) {
                *counts.by_severity.entry(fact.severity).or_default() += 1;
            }
        }
        report
            .facts
            .sort_by(|a: &FactDiff, b: &FactDiff| priority(a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn rule(pattern: &str, envs: &[&str], expect: Expectation) -> ExpectationRule {
        ExpectationRule {
            pattern: pattern.to_string(),
            environments: envs.iter().map(|e| e.to_string()).collect(),
            expect,
            reason: "sized for load".to_string(),
        }
    }

    fn envs(names: &[&str]) -> Vec<String> {
        names.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn overrides_set_the_severity_and_the_last_match_wins() {
        let policy = Policy::new(
            &[
                ("versions/package:*".to_string(), Severity::Low),
                ("versions/package:openssl*".to_string(), Severity::Critical),
            ],
            &[],
        )
        .unwrap();
        let openssl = FactKey::new(Category::Versions, "package:openssl");
        let doc = FactKey::new(Category::Versions, "package:bash-doc");
        let none = envs(&["staging", "prod"]);
        assert_eq!(
            policy.severity(&openssl, &none, Severity::Medium),
            Severity::Critical
        );
        assert_eq!(policy.severity(&doc, &none, Severity::High), Severity::Low);
        assert_eq!(policy.severity(&doc, &none, Severity::None), Severity::None);
    }

    #[test]
    fn rules_apply_between_their_environments_only() {
        let policy = Policy::new(
            &[],
            &[
                rule("infra/*", &["staging", "prod"], Expectation::MayDiffer),
                rule("config/env.*", &[], Expectation::MustEqual),
            ],
        )
        .unwrap();
        let cpu = FactKey::new(Category::Infra, "cpu.count");
        assert_eq!(policy.rule_for(&cpu, &envs(&["staging", "prod"])), Some(0));
        assert_eq!(policy.rule_for(&cpu, &envs(&["prod", "prod"])), Some(0));
        assert_eq!(policy.rule_for(&cpu, &envs(&["dev", "prod"])), None);
        let env = FactKey::new(Category::Config, "env.LOG_LEVEL");
        assert_eq!(policy.rule_for(&env, &envs(&["dev", "prod"])), Some(1));
        assert_eq!(
            policy.severity(&env, &envs(&["dev", "prod"]), Severity::High),
            Severity::Critical
        );
    }

    #[test]
    fn bad_patterns_and_blank_reasons_are_refused() {
        let err = Policy::new(&[("a/[".to_string(), Severity::Low)], &[]).unwrap_err();
        assert!(err.contains("a/["), "{err}");
        let mut blank = rule("infra/*", &[], Expectation::MayDiffer);
        blank.reason = " ".to_string();
        assert!(Policy::new(&[], &[blank]).unwrap_err().contains("reason"));
    }

    #[test]
    fn a_certificate_near_expiry_is_raised_unless_an_override_says_otherwise() {
        use crate::diff::{DiffOptions, Side, compare};
        use crate::model::{Snapshot, Source, Value};
        use chrono::TimeZone;
        let t = chrono::Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap();
        let host = |env: &str, not_after: &str| {
            let mut s = Snapshot::new(env, "web-1", t, Source::Demo);
            s.insert(
                Category::Network,
                "cert:/etc/ssl/app.pem",
                Value::record([("not_after", not_after), ("subject", "CN = app")]),
            );
            s
        };
        let (staging, prod) = (
            host("staging", "2027-11-20T00:00:00Z"),
            host("prod", "2026-12-01T00:00:00Z"),
        );
        let report = || {
            compare(
                &[
                    Side {
                        label: "staging".into(),
                        snapshots: vec![&staging],
                    },
                    Side {
                        label: "prod".into(),
                        snapshots: vec![&prod],
                    },
                ],
                &DiffOptions::default(),
            )
        };
        let severity = |policy: &Policy| {
            let mut r = report();
            policy.apply(&mut r, &envs(&["staging", "prod"]));
            r.facts[0].severity
        };
        assert_eq!(report().facts[0].severity, Severity::High);
        assert_eq!(severity(&Policy::default()), Severity::Critical);
        let narrow = Policy::default().with_certificate_window(chrono::Duration::days(7));
        assert_eq!(severity(&narrow), Severity::High);
        let low = Policy::new(&[("network/cert:*".to_string(), Severity::Low)], &[]).unwrap();
        assert_eq!(severity(&low), Severity::Low);
    }
}
