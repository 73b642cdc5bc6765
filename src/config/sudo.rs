//! An environment's `sudo` setting (`sudo = true` or host globs) and the rules it
//! compiles to: which hosts run their root probes through `sudo -n`.

use std::collections::BTreeMap;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use super::EnvironmentConfig;

/// An environment's `sudo` setting: every host, or the hosts matching globs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum SudoSetting {
    /// `sudo = true` (or `false`).
    All(bool),
    /// `sudo = ["db-*", "web-1"]`: host names (as in `env/host`) matching a glob.
    Hosts(Vec<String>),
}

/// The `sudo` settings of every environment.
#[derive(Debug, Clone, Default)]
pub struct SudoRules {
    rules: BTreeMap<String, Rule>,
    errors: Vec<String>,
}

#[derive(Debug, Clone)]
enum Rule {
    All,
    Hosts(Vec<GlobMatcher>),
}

impl SudoRules {
    /// Reads the `sudo` settings of `environments`; bad globs are kept as errors for
    /// [`SudoRules::check`].
    pub fn from_environments(environments: &BTreeMap<String, EnvironmentConfig>) -> SudoRules {
        let mut rules = BTreeMap::new();
        let mut errors = Vec::new();
        for (name, env) in environments {
            match &env.sudo {
                Some(SudoSetting::All(true)) => {
                    rules.insert(name.clone(), Rule::All);
                }
                Some(SudoSetting::Hosts(globs)) => {
                    let mut matchers = Vec::new();
                    for glob in globs {
                        match Glob::new(glob) {
                            Ok(g) => matchers.push(g.compile_matcher()),
                            Err(e) => errors.push(format!(
                                "driftscope.toml: environment '{name}': sudo host pattern '{glob}' is not a glob: {e}"
                            )),
                        }
                    }
                    rules.insert(name.clone(), Rule::Hosts(matchers));
                }
                _ => {}
            }
        }
        SudoRules { rules, errors }
    }

    /// The first bad setting, as a one-line error.
    pub fn check(&self) -> Result<(), String> {
        match self.errors.first() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Root probes of every host of `environment` go through sudo.
    pub fn allow_environment(&mut self, environment: &str) {
        self.rules.insert(environment.to_string(), Rule::All);
    }

    /// Whether `host` of `environment` runs its root probes through sudo.
    pub fn applies(&self, environment: &str, host: &str) -> bool {
        match self.rules.get(environment) {
            Some(Rule::All) => true,
            Some(Rule::Hosts(globs)) => globs.iter().any(|g| g.is_match(host)),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_per_environment_and_host_glob() {
        let mut rules = SudoRules::default();
        rules.allow_environment("prod");
        assert!(rules.applies("prod", "web-1"));
        assert!(!rules.applies("dev", "web-1"));
        let doc: BTreeMap<String, EnvironmentConfig> = toml::from_str(
            "[staging]\nhosts = ['db-1', 'web-1']\nsudo = ['db-*']\n[dev]\nhosts = ['x']\nsudo = false\n",
        )
        .unwrap();
        let rules = SudoRules::from_environments(&doc);
        assert!(rules.applies("staging", "db-1"));
        assert!(!rules.applies("staging", "web-1"));
        assert!(!rules.applies("dev", "x"));
    }

    #[test]
    fn bad_host_globs_are_reported() {
        let doc: BTreeMap<String, EnvironmentConfig> =
            toml::from_str("[prod]\nhosts = ['a']\nsudo = ['db-[']\n").unwrap();
        let err = SudoRules::from_environments(&doc).check().unwrap_err();
        assert!(err.contains("'prod'") && err.contains("db-["), "{err}");
    }
}
