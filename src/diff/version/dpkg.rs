//! Debian versions, ordered exactly as `dpkg --compare-versions` orders them.
//!
//! `[epoch:]upstream[-revision]`: the epoch is the digits before the first `:`, the
//! revision what follows the last `-` (none reads as `0`, so `1.3` equals `1.3-0`).
//! Epochs compare as numbers, then upstream, then revision with dpkg's `verrevcmp`.
//!
//! Levels: epoch → major; an upstream whose release part (before the first `~` or `+`)
//! differs → by component ([`super::release_level`]); an upstream that differs only
//! after it → patch (`11~rc1`/`11`, `37~deb12u1`/`37~deb12u2`, `10.8`/`10.8+deb12u1`),
//! except repacks and non-maintainer uploads (`+dfsg`, `+ds`, `+repack`, `+nmu`, `+bN`)
//! → build; a revision that differs → build, except a changed stable update
//! (`0+deb11u4`/`0+deb11u5`) → patch.

use std::cmp::Ordering;

use super::plain::{cmp_numeric, verrevcmp};
use super::{components, release_level};
use crate::diff::ChangeKind;

/// A Debian version split into its three parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    epoch: &'a str,
    upstream: &'a str,
    revision: &'a str,
}

/// Splits a version as dpkg's `parseversion` does; `None` where dpkg refuses it (empty,
/// whitespace inside, a bad epoch, nothing after the colon, an empty revision).
fn parse(raw: &str) -> Option<Parsed<'_>> {
    let text = raw.trim();
    if text.is_empty() || text.contains(char::is_whitespace) {
        return None;
    }
    let (epoch, rest) = match text.split_once(':') {
        Some((epoch, rest)) => {
            if epoch.is_empty() || !epoch.bytes().all(|b| b.is_ascii_digit()) || rest.is_empty() {
                return None;
            }
            (epoch, rest)
        }
        None => ("", text),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((_, "")) => return None,
        Some((upstream, revision)) => (upstream, revision),
        None => (rest, ""),
    };
    Some(Parsed {
        epoch,
        upstream,
        revision,
    })
}

/// dpkg's order; `None` when either side is not a Debian version.
pub(super) fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    Some(
        cmp_numeric(a.epoch, b.epoch)
            .then_with(|| verrevcmp(a.upstream, b.upstream))
            .then_with(|| verrevcmp(a.revision, b.revision)),
    )
}

/// The level of a difference; `None` when either side is not a Debian version.
pub(super) fn classify(a: &str, b: &str) -> Option<ChangeKind> {
    let (pa, pb) = (parse(a)?, parse(b)?);
    if cmp_numeric(pa.epoch, pb.epoch) != Ordering::Equal {
        return Some(ChangeKind::Major);
    }
    if verrevcmp(pa.upstream, pb.upstream) != Ordering::Equal {
        let (release_a, suffix_a) = split_release(pa.upstream);
        let (release_b, suffix_b) = split_release(pb.upstream);
        if verrevcmp(release_a, release_b) != Ordering::Equal {
            return Some(release_level(
                &components(release_a),
                &components(release_b),
                |x, y| verrevcmp(x, y) == Ordering::Equal,
            ));
        }
        return Some(if is_repack(suffix_a) && is_repack(suffix_b) {
            ChangeKind::Build
        } else {
            ChangeKind::Patch
        });
    }
    if verrevcmp(pa.revision, pb.revision) != Ordering::Equal {
        return Some(
            if stable_update(pa.revision) != stable_update(pb.revision) {
                ChangeKind::Patch
            } else {
                ChangeKind::Build
            },
        );
    }
    Some(ChangeKind::Build)
}

/// The release part of an upstream version (before the first `~` or `+`) and the rest.
fn split_release(upstream: &str) -> (&str, &str) {
    let end = upstream.find(['~', '+']).unwrap_or(upstream.len());
    upstream.split_at(end)
}

/// True for a suffix that marks a repack or a rebuild, not a change of the code: empty,
/// `+dfsg`, `+ds`, `+repack`, `+nmu`, `+b` and a number (with any trailing digits).
fn is_repack(suffix: &str) -> bool {
    if suffix.is_empty() {
        return true;
    }
    let Some(rest) = suffix.strip_prefix('+') else {
        return false;
    };
    ["dfsg", "ds", "repack", "nmu"]
        .iter()
        .any(|marker| rest.starts_with(marker))
        || rest
            .strip_prefix('b')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The stable-update marker of a revision (`deb12u2` in `1~deb12u2`), if any.
fn stable_update(revision: &str) -> Option<&str> {
    let start = revision.find("deb")?;
    let marker = &revision[start..];
    let end = marker
        .char_indices()
        .skip(3)
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(marker.len(), |(i, _)| i);
    let marker = &marker[..end];
    marker.contains('u').then_some(marker)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeKind::{Build, Major, Minor, Patch};
    use Ordering::{Equal, Greater, Less};

    fn order(a: &str, b: &str) -> Ordering {
        let forward = compare(a, b).unwrap();
        assert_eq!(compare(b, a).unwrap(), forward.reverse(), "{b} vs {a}");
        forward
    }

    fn level(a: &str, b: &str) -> ChangeKind {
        let forward = classify(a, b).unwrap();
        assert_eq!(classify(b, a).unwrap(), forward, "{b} vs {a}");
        forward
    }

    #[test]
    fn plus_is_part_of_the_upstream_version() {
        assert_eq!(order("10.8", "10.8+deb12u1"), Less);
        assert_eq!(order("0.18-1", "0.18+nmu1"), Less);
        assert_eq!(order("1.2+dfsg-1", "1.2-1"), Greater);
    }

    #[test]
    fn hyphenated_upstreams_use_the_last_hyphen() {
        assert_eq!(order("10.9-rc.2", "10.9"), Greater);
        assert_eq!(order("1.2-3-4", "1.2-3-5"), Less);
    }

    #[test]
    fn a_missing_revision_reads_as_zero() {
        assert_eq!(order("1.3", "1.3-0"), Equal);
        assert_eq!(order("1.3", "1.3-1"), Less);
    }

    #[test]
    fn epochs_and_tildes() {
        assert_eq!(order("1:1.0", "9.9"), Greater);
        assert_eq!(order("0:1.0", "1.0"), Equal);
        assert_eq!(order("1.0~rc1", "1.0"), Less);
        assert_eq!(order("1.0~~", "1.0~"), Less);
    }

    #[test]
    fn refused_versions_are_none() {
        for bad in ["", "a:1", ":1", "1:", "1.0-", "1 0"] {
            assert_eq!(compare(bad, "1.0"), None, "{bad:?}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(level("1:1.0-1", "2:1.0-1"), Major);
        assert_eq!(level("15.7-1", "16.3-1"), Major);
        assert_eq!(level("3.0.11-1", "3.1.0-1"), Minor);
        assert_eq!(level("3.0.11-1", "3.0.13-1"), Patch);
        assert_eq!(level("11~rc1", "11"), Patch);
        assert_eq!(level("37~deb12u1", "37~deb12u2"), Patch);
        assert_eq!(level("10.8", "10.8+deb12u1"), Patch);
        assert_eq!(level("0.18-1", "0.18+nmu1"), Build);
        assert_eq!(level("1.2+dfsg-1", "1.2-1"), Build);
        assert_eq!(level("7.88.1-10", "7.88.1-10+deb12u5"), Patch);
        assert_eq!(level("1.1.1n-0+deb11u4", "1.1.1n-0+deb11u5"), Patch);
        assert_eq!(level("2.36-9", "2.36-9+b1"), Build);
        assert_eq!(level("20230311", "20240203"), Minor);
        assert_eq!(level("1.3", "1.3-0"), Build);
    }
}
