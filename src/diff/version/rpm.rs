//! RPM versions, ordered by rpm's `rpmvercmp` rules.
//!
//! `[epoch:]version[-release]`: epochs compare as numbers (none reads as 0), then the
//! version, then the release, each with `rpmvercmp`: runs of digits or of letters are
//! compared in turn (digits numerically, letters as text, a digit run newer than a
//! letter run), other characters only separate runs, `~` sorts before everything (even
//! the end), `^` after the end but before anything else, and when all runs match, the
//! side with characters left over is newer. A missing release is older than any.
//!
//! Levels: epoch → major; version → by component ([`super::release_level`]), or patch
//! when only a `~`/`^` part differs; release → build.

use std::cmp::Ordering;

use super::plain::cmp_numeric;
use super::{components, release_level};
use crate::diff::ChangeKind;

/// An RPM EVR split into its parts.
struct Parsed<'a> {
    epoch: &'a str,
    version: &'a str,
    release: Option<&'a str>,
}

fn parse(raw: &str) -> Option<Parsed<'_>> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    let (epoch, rest) = match text.split_once(':') {
        Some((epoch, rest)) if epoch.bytes().all(|b| b.is_ascii_digit()) => (epoch, rest),
        Some(_) => return None,
        None => ("", text),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((version, release)) => (version, Some(release)),
        None => (rest, None),
    };
    if version.is_empty() {
        return None;
    }
    Some(Parsed {
        epoch,
        version,
        release,
    })
}

/// rpm's order; `None` when either side is not an RPM version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    Some(
        cmp_numeric(a.epoch, b.epoch)
            .then_with(|| rpmvercmp(a.version, b.version))
            .then_with(|| rpmvercmp(a.release.unwrap_or(""), b.release.unwrap_or(""))),
    )
}

/// The level of a difference; `None` when either side is not an RPM version.
pub(super) fn classify(a: &str, b: &str) -> Option<ChangeKind> {
    let (pa, pb) = (parse(a)?, parse(b)?);
    if cmp_numeric(pa.epoch, pb.epoch) != Ordering::Equal {
        return Some(ChangeKind::Major);
    }
    if rpmvercmp(pa.version, pb.version) != Ordering::Equal {
        let cut = |v: &str| -> usize { v.find(['~', '^']).unwrap_or(v.len()) };
        let (ra, rb) = (
            &pa.version[..cut(pa.version)],
            &pb.version[..cut(pb.version)],
        );
        if rpmvercmp(ra, rb) == Ordering::Equal {
            return Some(ChangeKind::Patch);
        }
        return Some(release_level(&components(ra), &components(rb), |x, y| {
            rpmvercmp(x, y) == Ordering::Equal
        }));
    }
    Some(ChangeKind::Build)
}

/// rpm's `rpmvercmp` on one part (version or release).
pub(super) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let separator = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    while i < a.len() || j < b.len() {
        while i < a.len() && separator(a[i]) {
            i += 1;
        }
        while j < b.len() && separator(b[j]) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(first), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = first.is_ascii_digit();
        let run = |s: &[u8], mut k: usize| {
            while k < s.len()
                && (if numeric {
                    s[k].is_ascii_digit()
                } else {
                    s[k].is_ascii_alphabetic()
                })
            {
                k += 1;
            }
            k
        };
        let (end_a, end_b) = (run(a, i), run(b, j));
        if end_b == j {
            // b's run is of the other type: a number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        // Runs are ASCII, so these are valid strings.
        let seg_a = std::str::from_utf8(&a[i..end_a]).unwrap_or("");
        let seg_b = std::str::from_utf8(&b[j..end_b]).unwrap_or("");
        let ord = if numeric {
            cmp_numeric(seg_a, seg_b)
        } else {
            seg_a.cmp(seg_b)
        };
        if ord != Ordering::Equal {
            return ord;
        }
        i = end_a;
        j = end_b;
    }
    match (i >= a.len(), j >= b.len()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeKind::{Build, Major, Minor, Patch};
    use Ordering::{Equal, Greater, Less};

    #[test]
    fn rpmvercmp_table() {
        // Cases from rpm's own test suite (rpmvercmp.at).
        let table = [
            ("1.0", "1.0", Equal),
            ("1.0", "2.0", Less),
            ("2.0.1", "2.0.1", Equal),
            ("2.0", "2.0.1", Less),
            ("2.0.1a", "2.0.1a", Equal),
            ("2.0.1a", "2.0.1", Greater),
            ("5.5p1", "5.5p1", Equal),
            ("5.5p1", "5.5p2", Less),
            ("5.5p10", "5.5p10", Equal),
            ("5.5p1", "5.5p10", Less),
            ("10xyz", "10.1xyz", Less),
            ("xyz10", "xyz10", Equal),
            ("xyz10", "xyz10.1", Less),
            ("xyz.4", "xyz.4", Equal),
            ("xyz.4", "8", Less),
            ("xyz.4", "2", Less),
            ("5.5p2", "5.6p1", Less),
            ("5.6p1", "6.5p1", Less),
            ("6.0.rc1", "6.0", Greater),
            ("10b2", "10a1", Greater),
            ("1.0aa", "1.0a", Greater),
            ("10.0001", "10.0001", Equal),
            ("10.0001", "10.1", Equal),
            ("10.0001", "10.0039", Less),
            ("4.999.9", "5.0", Less),
            ("20101121", "20101121", Equal),
            ("20101121", "20101122", Less),
            ("2_0", "2_0", Equal),
            ("2.0", "2_0", Equal),
            ("a", "a", Equal),
            ("a+", "a+", Equal),
            ("a+", "a_", Equal),
            ("+a", "_a", Equal),
            ("+_", "_+", Equal),
            ("1.0~rc1", "1.0~rc1", Equal),
            ("1.0~rc1", "1.0", Less),
            ("1.0~rc1", "1.0~rc2", Less),
            ("1.0~rc1~git123", "1.0~rc1", Less),
            ("1.0^", "1.0", Greater),
            ("1.0^git1", "1.0", Greater),
            ("1.0^git1", "1.0^git2", Less),
            ("1.0^git1", "1.01", Less),
            ("1.0^20160101", "1.0.1", Less),
            ("1.0^20160101^git1", "1.0^20160101", Greater),
            ("1.0~rc1^git1", "1.0~rc1", Greater),
            ("1.0^git1~pre", "1.0^git1", Less),
        ];
        for (a, b, expected) in table {
            assert_eq!(rpmvercmp(a, b), expected, "{a} vs {b}");
            assert_eq!(rpmvercmp(b, a), expected.reverse(), "{b} vs {a}");
        }
    }

    #[test]
    fn epoch_version_release() {
        assert_eq!(compare("1:1.0-1", "2.0-1"), Some(Greater));
        assert_eq!(compare("1.1.1k-7.el8", "1.1.1k-8.el8"), Some(Less));
        assert_eq!(compare("1.0", "1.0-1"), Some(Less));
        assert_eq!(compare("0:1.0-1", "1.0-1"), Some(Equal));
    }

    #[test]
    fn levels() {
        assert_eq!(classify("1:1.0-1", "2:1.0-1"), Some(Major));
        assert_eq!(classify("8.0.30-1.el9", "9.0.1-1.el9"), Some(Major));
        assert_eq!(classify("3.0.7-1.el9", "3.2.1-1.el9"), Some(Minor));
        assert_eq!(classify("3.0.7-1.el9", "3.0.8-1.el9"), Some(Patch));
        assert_eq!(classify("1.0~rc1-1", "1.0-1"), Some(Patch));
        assert_eq!(classify("1.1.1k-7.el8", "1.1.1k-8.el8"), Some(Build));
    }
}
