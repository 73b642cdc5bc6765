//! npm package versions, by Semantic Versioning 2.0 (read with the `semver` crate).
//!
//! A leading `v` or `=` is allowed, as npm allows it. Build metadata does not order.
//! Levels: major, minor and patch as named; pre-release → patch; build metadata → build.

use std::cmp::Ordering;

use semver::Version;

use crate::diff::ChangeKind;

fn parse(text: &str) -> Option<Version> {
    let text = text.trim();
    let text = text.strip_prefix(['v', '=']).unwrap_or(text);
    Version::parse(text).ok()
}

/// Semver precedence; `None` when either side is not a semver version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp_precedence(&parse(b)?))
}

/// The level of a difference; `None` when either side is not a semver version.
pub(super) fn classify(a: &str, b: &str) -> Option<ChangeKind> {
    let (va, vb) = (parse(a)?, parse(b)?);
    Some(if va.major != vb.major {
        ChangeKind::Major
    } else if va.minor != vb.minor {
        ChangeKind::Minor
    } else if va.patch != vb.patch || va.pre != vb.pre {
        ChangeKind::Patch
    } else {
        ChangeKind::Build
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeKind::{Build, Major, Minor, Patch};
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn semver_order_table() {
        // The precedence example of the Semantic Versioning 2.0 specification.
        let sorted = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(compare(a, b), Some(i.cmp(&j)), "{a} vs {b}");
            }
        }
        assert_eq!(compare("1.0.0+build.1", "1.0.0+build.2"), Some(Equal));
        assert_eq!(compare("v1.2.3", "1.2.3"), Some(Equal));
        assert_eq!(compare("1.10.0", "1.9.0"), Some(Greater));
        assert_eq!(compare("0.9.0", "1.0.0-rc.1"), Some(Less));
        assert_eq!(compare("1.2", "1.2.0"), None);
    }

    #[test]
    fn levels() {
        assert_eq!(classify("18.2.0", "19.0.0"), Some(Major));
        assert_eq!(classify("18.2.0", "18.3.1"), Some(Minor));
        assert_eq!(classify("18.2.0", "18.2.1"), Some(Patch));
        assert_eq!(classify("1.0.0-rc.1", "1.0.0"), Some(Patch));
        assert_eq!(classify("1.0.0+a", "1.0.0+b"), Some(Build));
    }
}
