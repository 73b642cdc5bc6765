//! Alpine package versions, ordered by apk-tools' rules.
//!
//! `1.2.3a_rc1_p2-r4`: dot-separated numbers, an optional letter, any number of
//! suffixes (`_alpha`, `_beta`, `_pre`, `_rc` before the plain release; `_cvs`, `_svn`,
//! `_git`, `_hg`, `_p` after it), each with an optional number, and a package release
//! `-rN`. Parts compare in turn; when one version runs out first, the longer one is
//! newer unless what it has left is a pre-release suffix.
//!
//! Levels: number components → by index ([`super::release_level`]); a letter or a
//! suffix → patch; only the `-r` release → build.

use std::cmp::Ordering;

use super::release_level;
use crate::diff::ChangeKind;

/// One token of an apk version, ordered as apk-tools orders token kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Digit,
    Letter,
    Suffix,
    SuffixNumber,
    Revision,
    End,
}

/// Suffix names and their rank; negative ranks are pre-releases.
const SUFFIXES: &[(&str, i64)] = &[
    ("alpha", -4),
    ("beta", -3),
    ("pre", -2),
    ("rc", -1),
    ("cvs", 1),
    ("svn", 2),
    ("git", 3),
    ("hg", 4),
    ("p", 5),
];

/// Splits a version into tokens, each a kind and a value (a number, a letter's code or
/// a suffix rank); `None` when it is not an apk version.
fn tokens(raw: &str) -> Option<Vec<(Kind, i128)>> {
    let text = raw.trim();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let number = |i: &mut usize| -> Option<i128> {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start {
            return None;
        }
        // Absurdly long numbers saturate; they still order above any real one.
        Some(text[start..*i].parse::<i128>().unwrap_or(i128::MAX))
    };
    out.push((Kind::Digit, number(&mut i)?));
    while bytes.get(i) == Some(&b'.') {
        i += 1;
        out.push((Kind::Digit, number(&mut i)?));
    }
    if let Some(&c) = bytes.get(i)
        && c.is_ascii_lowercase()
    {
        out.push((Kind::Letter, i128::from(c)));
        i += 1;
    }
    while bytes.get(i) == Some(&b'_') {
        i += 1;
        let rest = &text[i..];
        let (name, rank) = SUFFIXES
            .iter()
            .filter(|(name, _)| rest.starts_with(name))
            .max_by_key(|(name, _)| name.len())?;
        i += name.len();
        out.push((Kind::Suffix, i128::from(*rank)));
        if bytes.get(i).is_some_and(u8::is_ascii_digit) {
            out.push((Kind::SuffixNumber, number(&mut i)?));
        }
    }
    if text[i..].starts_with("-r") {
        i += 2;
        out.push((Kind::Revision, number(&mut i)?));
    }
    if i != bytes.len() {
        return None;
    }
    out.push((Kind::End, 0));
    Some(out)
}

/// apk's order; `None` when either side is not an apk version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (ta, tb) = (tokens(a)?, tokens(b)?);
    for (x, y) in ta.iter().zip(&tb) {
        if x.0 == y.0 {
            if x.0 == Kind::End {
                return Some(Ordering::Equal);
            }
            match x.1.cmp(&y.1) {
                Ordering::Equal => continue,
                other => return Some(other),
            }
        }
        // One side has a part the other lacks: that side is newer, unless the part
        // is a pre-release suffix.
        if x.0 == Kind::Suffix && x.1 < 0 {
            return Some(Ordering::Less);
        }
        if y.0 == Kind::Suffix && y.1 < 0 {
            return Some(Ordering::Greater);
        }
        return Some(y.0.cmp(&x.0));
    }
    Some(Ordering::Equal)
}

/// The level of a difference; `None` when either side is not an apk version.
pub(super) fn classify(a: &str, b: &str) -> Option<ChangeKind> {
    let (ta, tb) = (tokens(a)?, tokens(b)?);
    let digits = |t: &[(Kind, i128)]| -> Vec<String> {
        t.iter()
            .take_while(|(k, _)| *k == Kind::Digit)
            .map(|(_, v)| v.to_string())
            .collect()
    };
    let (da, db) = (digits(&ta), digits(&tb));
    let padded = |d: &[String], n: usize| {
        let mut d = d.to_vec();
        d.resize(n, "0".to_string());
        d
    };
    let n = da.len().max(db.len());
    if padded(&da, n) != padded(&db, n) {
        let ra: Vec<&str> = da.iter().map(String::as_str).collect();
        let rb: Vec<&str> = db.iter().map(String::as_str).collect();
        return Some(release_level(&ra, &rb, |x, y| x == y));
    }
    let without_revision = |t: &[(Kind, i128)]| -> Vec<(Kind, i128)> {
        t.iter()
            .filter(|(k, _)| *k != Kind::Revision && *k != Kind::Digit)
            .copied()
            .collect()
    };
    Some(if without_revision(&ta) != without_revision(&tb) {
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
    fn apk_order_table() {
        let table = [
            ("1.2.4-r2", "1.2.4-r2", Equal),
            ("1.2.4-r2", "1.2.4-r10", Less),
            ("1.2.4", "1.2.4-r0", Less),
            ("1.2", "1.2.1", Less),
            ("1.10", "1.9", Greater),
            ("1.2a", "1.2", Greater),
            ("1.2a", "1.2b", Less),
            ("1.2a", "1.2.1", Less),
            ("1.2_rc1", "1.2", Less),
            ("1.2_alpha", "1.2_beta", Less),
            ("1.2_beta3", "1.2_rc1", Less),
            ("1.2_rc1", "1.2_rc2", Less),
            ("1.2_p1", "1.2", Greater),
            ("1.2_git20240101", "1.2_p1", Less),
            ("1.2_pre1", "1.2_rc1", Less),
            ("3.0.13-r0", "3.1.4-r1", Less),
        ];
        for (a, b, expected) in table {
            assert_eq!(compare(a, b), Some(expected), "{a} vs {b}");
            assert_eq!(compare(b, a), Some(expected.reverse()), "{b} vs {a}");
        }
    }

    #[test]
    fn non_apk_versions_are_none() {
        assert_eq!(compare("1.2-3", "1.2"), None);
        assert_eq!(compare("v1.2", "1.2"), None);
        assert_eq!(compare("1.2_bogus", "1.2"), None);
    }

    #[test]
    fn levels() {
        assert_eq!(classify("1.2.4-r2", "2.0.0-r0"), Some(Major));
        assert_eq!(classify("3.0.13-r0", "3.1.4-r1"), Some(Minor));
        assert_eq!(classify("1.2.4-r2", "1.2.5-r0"), Some(Patch));
        assert_eq!(classify("1.2_rc1-r0", "1.2-r0"), Some(Patch));
        assert_eq!(classify("1.2.4-r2", "1.2.4-r3"), Some(Build));
    }
}
