//! Version ordering and classification, by the rules of the system a version came from.
//!
//! Every version fact is compared by its [`Scheme`]: dpkg (Debian packages), rpm, apk
//! (Alpine packages), PEP 440 (pip), semver (npm) or plain (anything else: runtime and
//! server banners, kernels, user probes). The scheme of a fact follows from its key and,
//! for `package:` keys, from the `packages.manager` fact its host recorded
//! ([`Scheme::for_fact`]).
//!
//! Each scheme orders exactly as its system does and classifies a difference into one
//! level, from coarsest to finest: epoch (reported as major) > major > minor > patch >
//! revision/build. `docs/drift.md` documents the level rules of each scheme.
//! Nothing here panics, whatever the input; a version a scheme cannot read is compared
//! by the plain rules.

use std::cmp::Ordering;

use serde::Serialize;

use super::ChangeKind;

mod apk;
mod dpkg;
mod pep440;
mod plain;
mod rpm;
mod semver;

pub use plain::{classify, compare_versions};

/// The versioning rules a version string follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Debian's `dpkg`: `[epoch:]upstream[-revision]`, as `dpkg --compare-versions`.
    Dpkg,
    /// RPM's `rpmvercmp`: `[epoch:]version[-release]`.
    Rpm,
    /// Alpine's apk-tools: `1.2.3a_rc1-r4`.
    Apk,
    /// Python packages: PEP 440.
    Pep440,
    /// npm packages: Semantic Versioning 2.0.
    Semver,
    /// Anything else: semver-like, with dpkg's rules for each part.
    Plain,
}

impl Scheme {
    /// The scheme of the version fact `key` (a key of the `versions` category) on a host
    /// whose package manager is `manager` (its `packages.manager` fact, if any).
    ///
    /// `package:` keys follow the manager (`dpkg`, `rpm`, `apk`; plain when unknown);
    /// `pip:` keys are PEP 440; `npm:` keys semver; everything else plain.
    pub fn for_fact(key: &str, manager: Option<&str>) -> Scheme {
        if key.starts_with("package:") {
            return match manager {
                Some("dpkg") => Scheme::Dpkg,
                Some("rpm") => Scheme::Rpm,
                Some("apk") => Scheme::Apk,
                _ => Scheme::Plain,
            };
        }
        if key.starts_with("pip:") {
            Scheme::Pep440
        } else if key.starts_with("npm:") {
            Scheme::Semver
        } else {
            Scheme::Plain
        }
    }

    /// The scheme a snapshot records by its name (see [`Scheme::as_str`]).
    pub fn from_name(name: &str) -> Option<Scheme> {
        Some(match name {
            "dpkg" => Scheme::Dpkg,
            "rpm" => Scheme::Rpm,
            "apk" => Scheme::Apk,
            "pep440" => Scheme::Pep440,
            "semver" => Scheme::Semver,
            "plain" => Scheme::Plain,
            _ => return None,
        })
    }

    /// The lowercase name used in documents: `dpkg`, `rpm`, `apk`, `pep440`, `semver`,
    /// `plain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "rpm",
            Scheme::Apk => "apk",
            Scheme::Pep440 => "pep440",
            Scheme::Semver => "semver",
            Scheme::Plain => "plain",
        }
    }

    /// Orders two versions by this scheme's rules.
    pub fn compare(self, a: &str, b: &str) -> Ordering {
        let exact = match self {
            Scheme::Dpkg => dpkg::compare(a, b),
            Scheme::Rpm => rpm::compare(a, b),
            Scheme::Apk => apk::compare(a, b),
            Scheme::Pep440 => pep440::compare(a, b),
            Scheme::Semver => semver::compare(a, b),
            Scheme::Plain => None,
        };
        exact.unwrap_or_else(|| plain::compare_versions(a, b))
    }

    /// The level at which two versions differ under this scheme; `None` only for
    /// identical strings. Versions that order equal but are spelt differently
    /// (`1.02` and `1.2`) are `Build`.
    pub fn classify(self, a: &str, b: &str) -> ChangeKind {
        if a == b {
            return ChangeKind::None;
        }
        let exact = match self {
            Scheme::Dpkg => dpkg::classify(a, b),
            Scheme::Rpm => rpm::classify(a, b),
            Scheme::Apk => apk::classify(a, b),
            Scheme::Pep440 => pep440::classify(a, b),
            Scheme::Semver => semver::classify(a, b),
            Scheme::Plain => None,
        };
        match exact {
            Some(ChangeKind::None) => ChangeKind::Build,
            Some(level) => level,
            None => plain::classify(a, b),
        }
    }
}

/// The level of a difference in dotted release components `a` and `b` (already known
/// to order differently): index 0 is major, 1 minor, later ones patch. When both sides
/// have a single component (`37`, `20230311`), there is no structure to tell a
/// breaking change by, and the difference is minor.
fn release_level(a: &[&str], b: &[&str], equal: impl Fn(&str, &str) -> bool) -> ChangeKind {
    if a.len() <= 1 && b.len() <= 1 {
        return ChangeKind::Minor;
    }
    let longest = a.len().max(b.len());
    for index in 0..longest {
        let x = a.get(index).copied().unwrap_or("0");
        let y = b.get(index).copied().unwrap_or("0");
        if !equal(x, y) {
            return match index {
                0 => ChangeKind::Major,
                1 => ChangeKind::Minor,
                _ => ChangeKind::Patch,
            };
        }
    }
    ChangeKind::Patch
}

/// The runs of letters and digits of `text`, split at every other character.
fn components(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_follow_the_key_and_the_package_manager() {
        assert_eq!(Scheme::for_fact("package:curl", Some("dpkg")), Scheme::Dpkg);
        assert_eq!(Scheme::for_fact("package:curl", Some("rpm")), Scheme::Rpm);
        assert_eq!(Scheme::for_fact("package:curl", Some("apk")), Scheme::Apk);
        assert_eq!(Scheme::for_fact("package:curl", None), Scheme::Plain);
        assert_eq!(Scheme::for_fact("pip:django", None), Scheme::Pep440);
        assert_eq!(Scheme::for_fact("npm:react", Some("dpkg")), Scheme::Semver);
        assert_eq!(
            Scheme::for_fact("server.postgresql", Some("dpkg")),
            Scheme::Plain
        );
    }

    #[test]
    fn unreadable_versions_fall_back_to_plain_rules() {
        assert_eq!(
            Scheme::Semver.compare("latest", "1.0.0"),
            plain::compare_versions("latest", "1.0.0")
        );
        assert_eq!(Scheme::Pep440.classify("x", "y"), ChangeKind::Major);
    }

    #[test]
    fn equal_order_with_another_spelling_is_build() {
        assert_eq!(Scheme::Dpkg.classify("1.02", "1.2"), ChangeKind::Build);
        assert_eq!(Scheme::Pep440.classify("1.0", "1.0.0"), ChangeKind::Build);
    }
}
