//! The plain scheme: versions whose packaging system is unknown (runtime banners,
//! `server.postgresql`, `kernel`, user probes), ordered semver-like with dpkg's rules
//! for each part.
//!
//! A version string is read as `[v][epoch:]upstream[-pre-release][+build][-revision]`:
//!
//! - `epoch` (Debian) is the digits before the first `:`; a missing epoch is `0`.
//! - After the **last** hyphen, a part starting with a digit is a package revision
//!   (`1:2.3-1ubuntu2`, `1.1.1k-7.el8`).
//! - After the **first** remaining hyphen, a part starting with a letter is a semver
//!   pre-release (`1.2.3-rc.1`), which sorts before the same version without one.
//! - Without a revision or an epoch, a `+` starts semver build metadata, ignored for
//!   ordering. With one (Debian style), `+` is part of the upstream (`1.2+dfsg-1`).
//!
//! Upstream, pre-release and revision are ordered with dpkg's rules: digit runs compare
//! numerically, letters sort before other characters, and `~` sorts before everything,
//! even the end (`1.0~rc1 < 1.0`). Strings that do not start with a digit (after an
//! optional `v` and epoch) are not versions: they sort before every version and among
//! themselves by plain string order. Nothing here panics, whatever the input.

use std::cmp::Ordering;

use crate::diff::ChangeKind;

/// Orders two version strings by version rules.
///
/// Versions that differ only in build metadata, a `v` prefix or leading zeros are
/// `Equal`; that makes this a total preorder, consistent for sorting.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (Parsed::new(a), Parsed::new(b)) {
        (Some(pa), Some(pb)) => pa.cmp_precedence(&pb),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (None, None) => a.trim().cmp(b.trim()),
    }
}

/// The level at which two versions differ: `Major`, `Minor`, `Patch`, `Build` or `None`.
///
/// A different epoch, or a first differing upstream component at index 0, is `Major`;
/// index 1 is `Minor`; later components or only the pre-release differing is `Patch`;
/// only the revision, build metadata or spelling (`v1.2` vs `1.2`) differing is `Build`.
/// `None` means the strings are identical. Strings that are not versions and differ
/// classify as `Major`: nothing shows the change is small.
pub fn classify(a: &str, b: &str) -> ChangeKind {
    if a == b {
        return ChangeKind::None;
    }
    let (Some(pa), Some(pb)) = (Parsed::new(a), Parsed::new(b)) else {
        return ChangeKind::Major;
    };
    if cmp_numeric(pa.epoch, pb.epoch) != Ordering::Equal {
        return ChangeKind::Major;
    }
    if verrevcmp(pa.upstream, pb.upstream) != Ordering::Equal {
        return match first_differing_component(pa.upstream, pb.upstream) {
            Some(0) => ChangeKind::Major,
            Some(1) => ChangeKind::Minor,
            _ => ChangeKind::Patch,
        };
    }
    if cmp_optional(pa.pre_release, pb.pre_release, Ordering::Greater) != Ordering::Equal {
        return ChangeKind::Patch;
    }
    // Revision, build metadata or only the spelling differs.
    ChangeKind::Build
}

/// A version split into the parts that order it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    /// Epoch digits (`""` when absent, which reads as 0).
    epoch: &'a str,
    /// The upstream version, starting with a digit.
    upstream: &'a str,
    /// Semver pre-release, without its hyphen.
    pre_release: Option<&'a str>,
    /// Package revision, without its hyphen.
    revision: Option<&'a str>,
}

impl<'a> Parsed<'a> {
    /// Splits a version; `None` when the text is not a version at all.
    fn new(raw: &'a str) -> Option<Parsed<'a>> {
        let mut rest = raw.trim();
        if let Some(stripped) = rest.strip_prefix(['v', 'V'])
            && stripped.starts_with(|c: char| c.is_ascii_digit())
        {
            rest = stripped;
        }

        let mut epoch = "";
        if let Some((head, tail)) = rest.split_once(':')
            && !head.is_empty()
            && head.bytes().all(|b| b.is_ascii_digit())
        {
            epoch = head;
            rest = tail;
        }

        let mut revision = None;
        if let Some((head, tail)) = rest.rsplit_once('-')
            && tail.starts_with(|c: char| c.is_ascii_digit())
        {
            revision = Some(tail);
            rest = head;
        }

        // Semver build metadata, unless the version is Debian-style.
        if revision.is_none()
            && epoch.is_empty()
            && let Some((head, _build)) = rest.split_once('+')
        {
            rest = head;
        }

        let mut pre_release = None;
        if let Some((head, tail)) = rest.split_once('-')
            && tail.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            pre_release = Some(tail);
            rest = head;
        }

        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Some(Parsed {
            epoch,
            upstream: rest,
            pre_release,
            revision,
        })
    }

    /// Precedence order: epoch, upstream, pre-release (absent is newest), revision.
    fn cmp_precedence(&self, other: &Parsed<'_>) -> Ordering {
        cmp_numeric(self.epoch, other.epoch)
            .then_with(|| verrevcmp(self.upstream, other.upstream))
            .then_with(|| cmp_optional(self.pre_release, other.pre_release, Ordering::Greater))
            .then_with(|| cmp_optional(self.revision, other.revision, Ordering::Less))
    }
}

/// Compares optional parts with dpkg rules; `absent` is how a missing part compares
/// against a present one.
fn cmp_optional(a: Option<&str>, b: Option<&str>, absent: Ordering) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => absent,
        (Some(_), None) => absent.reverse(),
        (Some(a), Some(b)) => verrevcmp(a, b),
    }
}

/// The index of the first upstream component that differs, components being the
/// runs of letters and digits between separators (`.`, `+`, `~`, `_`, …).
pub(super) fn first_differing_component(a: &str, b: &str) -> Option<usize> {
    let is_sep = |c: char| !c.is_ascii_alphanumeric();
    let mut ca = a.split(is_sep).filter(|s| !s.is_empty());
    let mut cb = b.split(is_sep).filter(|s| !s.is_empty());
    let mut index = 0;
    loop {
        match (ca.next(), cb.next()) {
            (None, None) => return None,
            (Some(x), Some(y)) if verrevcmp(x, y) == Ordering::Equal => index += 1,
            _ => return Some(index),
        }
    }
}

/// Compares two digit strings by value, without overflow (`""` reads as 0).
pub(super) fn cmp_numeric(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// dpkg's weight of a non-digit byte: `~` first, then the end, letters, then the rest.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`: alternating non-digit and digit runs, compared in turn.
pub(super) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let is_digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !is_digit(a, i)) || (j < b.len() && !is_digit(b, j)) {
            let (wa, wb) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            i += 1;
            j += 1;
        }
        let start_a = i;
        while is_digit(a, i) {
            i += 1;
        }
        let start_b = j;
        while is_digit(b, j) {
            j += 1;
        }
        // Digit runs are pure ASCII, so these slices are valid UTF-8 boundaries.
        let run_a = std::str::from_utf8(&a[start_a..i]).unwrap_or("");
        let run_b = std::str::from_utf8(&b[start_b..j]).unwrap_or("");
        let ord = cmp_numeric(run_a, run_b);
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::{Equal, Greater, Less};

    fn assert_order(a: &str, b: &str, expected: Ordering) {
        assert_eq!(compare_versions(a, b), expected, "{a} vs {b}");
        assert_eq!(
            compare_versions(b, a),
            expected.reverse(),
            "{b} vs {a} (reversed)"
        );
    }

    #[test]
    fn semver_orders_numerically() {
        assert_order("1.2.3", "1.2.4", Less);
        assert_order("1.10.0", "1.9.9", Greater);
        assert_order("2.0.0", "10.0.0", Less);
        assert_order("1.2.3", "1.2.3", Equal);
    }

    #[test]
    fn v_prefix_is_ignored_for_ordering() {
        assert_order("v1.2.3", "1.2.3", Equal);
        assert_order("V2.0", "v1.9", Greater);
    }

    #[test]
    fn pre_release_sorts_before_its_release() {
        assert_order("1.2.3-rc.1", "1.2.3", Less);
        assert_order("1.2.3-alpha", "1.2.3-beta", Less);
        assert_order("1.2.3-alpha2", "1.2.3-alpha10", Less);
        assert_order("1.2.3-rc.1", "1.2.2", Greater);
    }

    #[test]
    fn build_metadata_is_ignored_for_ordering() {
        assert_order("1.2.3+build.5", "1.2.3+build.9", Equal);
        assert_order("1.2.3+zzz", "1.2.4", Less);
        assert_order("1.2.3-rc.1+b1", "1.2.3-rc.1", Equal);
    }

    #[test]
    fn debian_epoch_outranks_everything() {
        assert_order("1:1.0", "9.9", Greater);
        assert_order("2:1.0-1", "1:9.9-9", Greater);
        assert_order("0:1.0", "1.0", Equal);
    }

    #[test]
    fn debian_revision_is_after_the_last_hyphen() {
        assert_order("1:2.3-1ubuntu2", "1:2.3-1ubuntu10", Less);
        assert_order("2.3-1", "2.3", Greater);
        assert_order("1.2-3-4", "1.2-3-5", Less);
        assert_order("1.1.1n-0+deb11u4", "1.1.1n-0+deb11u5", Less);
    }

    #[test]
    fn tilde_sorts_before_everything_even_the_end() {
        assert_order("1.0~rc1", "1.0", Less);
        assert_order("1.0~~", "1.0~", Less);
        assert_order("1.0~rc1", "1.0~rc2", Less);
        assert_order("1.0~rc1-1", "1.0-1", Less);
    }

    #[test]
    fn dpkg_letters_sort_before_other_characters() {
        assert_order("1.0a-1", "1.0+-1", Less);
        assert_order("1.0a-1", "1.0.-1", Less);
        assert_order("1.0", "1.0a", Less);
        assert_order("1.2+dfsg-1", "1.2-1", Greater);
    }

    #[test]
    fn rpm_and_openssl_styles() {
        assert_order("1.1.1k-7.el8", "1.1.1k-8.el8", Less);
        assert_order("1.1.1k", "1.1.1w", Less);
        assert_order("1.1.1w", "3.0.2", Less);
        assert_order("15.4", "15.10", Less);
    }

    #[test]
    fn leading_zeros_and_huge_numbers_do_not_overflow() {
        assert_order("1.02", "1.2", Equal);
        assert_order(
            "1.99999999999999999999999999",
            "1.100000000000000000000000000",
            Less,
        );
    }

    #[test]
    fn junk_never_panics_and_sorts_before_versions() {
        assert_order("latest", "1.0", Less);
        assert_order("", "0", Less);
        assert_order("abc", "abd", Less);
        for junk in [
            "", ":", "-", "+", "v", "~", "1:", "::", "--1", "é-ü", "1.0-", "\u{0}",
        ] {
            let _ = compare_versions(junk, "1.0");
            let _ = classify(junk, "1.0");
            let _ = compare_versions(junk, junk);
        }
    }

    #[test]
    fn sorted_list_is_ordered_pairwise_and_transitively() {
        let sorted = [
            "",
            "latest",
            "0.9",
            "1.0~alpha",
            "1.0~rc1",
            "1.0",
            "1.0-1",
            "1.0-2",
            "1.0.1-alpha",
            "1.0.1-alpha.1",
            "1.0.1-beta",
            "1.0.1-rc.1",
            "1.0.1",
            "1.0.1a",
            "1.0.1k",
            "1.0.1w",
            "1.0.2",
            "1.2",
            "1.10",
            "2.0",
            "15.4",
            "1:0.1",
            "1:2.3-1ubuntu2",
            "1:2.3-1ubuntu10",
            "2:0.0",
        ];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(compare_versions(a, b), i.cmp(&j), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn classify_by_component_index() {
        assert_eq!(classify("1.2.3", "2.0.0"), ChangeKind::Major);
        assert_eq!(classify("1.2.3", "1.3.0"), ChangeKind::Minor);
        assert_eq!(classify("1.2.3", "1.2.4"), ChangeKind::Patch);
        assert_eq!(classify("1.2.3.4", "1.2.3.5"), ChangeKind::Patch);
        assert_eq!(classify("15.4", "15.5"), ChangeKind::Minor);
        assert_eq!(classify("15.4", "16.0"), ChangeKind::Major);
        assert_eq!(classify("1.2", "1.2.1"), ChangeKind::Patch);
        assert_eq!(classify("1.1.1k", "1.1.1w"), ChangeKind::Patch);
    }

    #[test]
    fn classify_epoch_is_major() {
        assert_eq!(classify("1:1.0-1", "2:1.0-1"), ChangeKind::Major);
        assert_eq!(classify("1.0", "1:1.0"), ChangeKind::Major);
    }

    #[test]
    fn classify_pre_release_is_patch() {
        assert_eq!(classify("1.2.3-rc.1", "1.2.3"), ChangeKind::Patch);
        assert_eq!(classify("1.2.3-alpha", "1.2.3-beta"), ChangeKind::Patch);
        assert_eq!(classify("1.0~rc1", "1.0"), ChangeKind::Patch);
    }

    #[test]
    fn classify_revision_and_build_are_build() {
        assert_eq!(
            classify("1:2.3-1ubuntu2", "1:2.3-1ubuntu3"),
            ChangeKind::Build
        );
        assert_eq!(classify("1.1.1k-7.el8", "1.1.1k-8.el8"), ChangeKind::Build);
        assert_eq!(
            classify("1.2.3+build.1", "1.2.3+build.2"),
            ChangeKind::Build
        );
        assert_eq!(classify("1.2.3", "1.2.3+build.2"), ChangeKind::Build);
        assert_eq!(classify("v1.2.3", "1.2.3"), ChangeKind::Build);
    }

    #[test]
    fn classify_identical_is_none_and_junk_is_major() {
        assert_eq!(classify("1.2.3", "1.2.3"), ChangeKind::None);
        assert_eq!(classify("latest", "latest"), ChangeKind::None);
        assert_eq!(classify("latest", "stable"), ChangeKind::Major);
        assert_eq!(classify("latest", "1.0"), ChangeKind::Major);
    }

    #[test]
    fn classify_is_symmetric() {
        let samples = [
            "1.2.3",
            "1.2.4",
            "1:1.2.3",
            "1.2.3-rc.1",
            "1.3",
            "x",
            "1.2.3-1",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(classify(a, b), classify(b, a), "{a} vs {b}");
            }
        }
    }
}
