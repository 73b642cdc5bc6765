//! Python package versions, by PEP 440 (read with the `pep440_rs` crate).
//!
//! Levels: epoch → major; release → by component ([`super::release_level`]; trailing
//! zeros do not count, `1.0` equals `1.0.0`); pre-release or development release →
//! patch; post-release or local version → build.

use std::cmp::Ordering;
use std::str::FromStr;

use pep440_rs::Version;

use super::release_level;
use crate::diff::ChangeKind;

fn parse(text: &str) -> Option<Version> {
    Version::from_str(text.trim()).ok()
}

/// PEP 440's order; `None` when either side is not a PEP 440 version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    Some(parse(a)?.cmp(&parse(b)?))
}

/// The level of a difference; `None` when either side is not a PEP 440 version.
pub(super) fn classify(a: &str, b: &str) -> Option<ChangeKind> {
    let (va, vb) = (parse(a)?, parse(b)?);
    if va.epoch() != vb.epoch() {
        return Some(ChangeKind::Major);
    }
    let trimmed = |v: &Version| -> Vec<String> {
        let mut release: Vec<u64> = v.release().to_vec();
        while release.len() > 1 && release.last() == Some(&0) {
            release.pop();
        }
        release.iter().map(u64::to_string).collect()
    };
    let (ra, rb) = (trimmed(&va), trimmed(&vb));
    if ra != rb {
        let ra: Vec<&str> = ra.iter().map(String::as_str).collect();
        let rb: Vec<&str> = rb.iter().map(String::as_str).collect();
        let padded = va.release().len().max(vb.release().len()).max(2);
        // A one-component release (`2`) is short for `2.0`: compare by index.
        let mut pa = ra.clone();
        let mut pb = rb.clone();
        pa.resize(padded.max(pa.len()), "0");
        pb.resize(padded.max(pb.len()), "0");
        return Some(release_level(&pa, &pb, |x, y| x == y));
    }
    if va.pre() != vb.pre() || va.dev() != vb.dev() {
        return Some(ChangeKind::Patch);
    }
    Some(ChangeKind::Build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeKind::{Build, Major, Minor, Patch};
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn pep440_order_table() {
        let table = [
            ("1.0", "1.0.0", Equal),
            ("1.0.dev1", "1.0a1", Less),
            ("1.0a1", "1.0b1", Less),
            ("1.0b2", "1.0rc1", Less),
            ("1.0rc1", "1.0", Less),
            ("1.0", "1.0.post1", Less),
            ("1.0.post1", "1.1.dev0", Less),
            ("1.0", "1.0+local.1", Less),
            ("1!0.5", "2.0", Greater),
            ("2.10", "2.9", Greater),
            ("1.0-1", "1.0.post1", Equal),
            ("1.0RC1", "1.0rc1", Equal),
        ];
        for (a, b, expected) in table {
            assert_eq!(compare(a, b), Some(expected), "{a} vs {b}");
            assert_eq!(compare(b, a), Some(expected.reverse()), "{b} vs {a}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(classify("1!1.0", "2!1.0"), Some(Major));
        assert_eq!(classify("4.2.13", "5.0.6"), Some(Major));
        assert_eq!(classify("4.2.13", "4.3"), Some(Minor));
        assert_eq!(classify("4.2.13", "4.2.14"), Some(Patch));
        assert_eq!(classify("2", "2.1"), Some(Minor));
        assert_eq!(classify("1.0rc1", "1.0"), Some(Patch));
        assert_eq!(classify("1.0", "1.0.post2"), Some(Build));
        assert_eq!(classify("1.0", "1.0+ubuntu1"), Some(Build));
    }
}
