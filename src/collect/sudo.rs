//! Probes that need root, run through `sudo -n` on the hosts configured for it.
//!
//! `sudo -n` never prompts: when sudo would ask for a password, the probe reports
//! itself *unavailable: needs root (sudo -n refused)* and the rest of the host is
//! collected as usual. A host logged into as root runs them directly.

use std::collections::BTreeMap;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;

use super::probe::shell_quote;
use super::script::UNAVAILABLE_STATUS;

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
    pub fn from_environments(
        environments: &BTreeMap<String, crate::store::EnvironmentConfig>,
    ) -> SudoRules {
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

/// `command` run as root: directly when already root, through `sudo -n` when sudo
/// allows it without a password, else reported unavailable.
pub fn as_root(command: &str) -> String {
    let quoted = shell_quote(command);
    format!(
        "if [ \"$(id -u)\" = 0 ]; then exec sh -c {quoted}; \
         elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then exec sudo -n sh -c {quoted}; \
         else echo 'needs root (sudo -n refused)' >&2; exit {UNAVAILABLE_STATUS}; fi"
    )
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
        let doc: BTreeMap<String, crate::store::EnvironmentConfig> = toml::from_str(
            "[staging]\nhosts = ['db-1', 'web-1']\nsudo = ['db-*']\n[dev]\nhosts = ['x']\nsudo = false\n",
        )
        .unwrap();
        let rules = SudoRules::from_environments(&doc);
        assert!(rules.applies("staging", "db-1"));
        assert!(!rules.applies("staging", "web-1"));
        assert!(!rules.applies("dev", "x"));
    }

    #[test]
    fn a_root_command_keeps_its_quoting() {
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        if !root {
            eprintln!("skipped: not running as root");
            return;
        }
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(as_root("echo \"it's $((1 + 1))\""))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "it's 2\n");
    }

    #[test]
    fn bad_host_globs_are_reported() {
        let doc: BTreeMap<String, crate::store::EnvironmentConfig> =
            toml::from_str("[prod]\nhosts = ['a']\nsudo = ['db-[']\n").unwrap();
        let err = SudoRules::from_environments(&doc).check().unwrap_err();
        assert!(err.contains("'prod'") && err.contains("db-["), "{err}");
    }
}
